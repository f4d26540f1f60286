// The SQL function crates.io's user.rs and keyword.rs import from `crate::fns` (crates.io declares
// it the same way).
use diesel::sql_types::Text;

diesel::define_sql_function!(fn lower(x: Text) -> Text);
