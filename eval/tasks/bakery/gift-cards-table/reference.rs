diesel::table! {
    gift_cards (id) {
        id -> Int4,
        code -> Varchar,
        balance_cents -> Int8,
        customer_id -> Int4,
        expires_on -> Date,
        created_at -> Timestamp,
    }
}
