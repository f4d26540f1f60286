// The example's schema.rs, less one line: `#[auto_increment]` on `id` comes from the diesel
// master the example is built with upstream (released in diesel 2.4, whose derives this machine's
// crates.io mirror lacks); diesel 2.3's `table!` does not know it. It does not change the column's
// type or any query, so the answers compile here exactly as they would upstream.

diesel::table! {
    posts (id) {
        id -> Integer,
        #[max_length = 255]
        title -> Varchar,
        body -> Text,
        published -> Bool,
    }
}
