diesel::table! {
    ingredients (id) {
        id -> Int4,
        name -> Varchar,
        unit -> Varchar,
        in_stock -> Numeric,
        min_stock -> Numeric,
    }
}
