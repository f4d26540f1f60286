// `available` has a DEFAULT in the migration, so inserting may leave it out (None).
#[derive(Insertable, Debug, Clone, Deserialize)]
#[diesel(table_name = products)]
pub struct NewProduct {
    pub name: String,
    pub description: Option<String>,
    pub price_cents: i64,
    pub available: Option<bool>,
}

// Option<Option<…>> for nullable columns: None leaves the value, Some(None) clears it.
#[derive(AsChangeset, Debug, Clone, Default, Deserialize)]
#[diesel(table_name = products)]
pub struct ProductChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub price_cents: Option<i64>,
    pub available: Option<bool>,
}
