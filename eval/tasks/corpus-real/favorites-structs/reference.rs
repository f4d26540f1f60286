#[derive(Queryable, Identifiable, Debug, Clone, Serialize)]
#[table_name = "favorites"]
#[primary_key(user, article)]
pub struct Favorite {
    pub user: i32,
    pub article: i32,
}

#[derive(Insertable, Debug, Clone, Deserialize)]
#[table_name = "favorites"]
pub struct NewFavorite {
    pub user: i32,
    pub article: i32,
}
