diesel::table! {
    cake_orders (id) {
        id -> Int4,
        customer_id -> Int4,
        pickup_on -> Date,
        inscription -> Nullable<Text>,
        servings -> Int4,
        price_cents -> Int8,
        created_at -> Timestamp,
    }
}
