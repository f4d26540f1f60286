#[derive(Queryable, Identifiable, Debug, Clone, Serialize)]
#[table_name = "teams"]
pub struct Team {
    pub id: i32,
    pub name: String,
    pub ping: String,
    pub label: String,
}

#[derive(Insertable, Debug, Clone, Deserialize)]
#[table_name = "teams"]
pub struct NewTeam {
    pub name: String,
    pub ping: String,
    pub label: String,
}

#[derive(AsChangeset, Debug, Clone, Default, Deserialize)]
#[table_name = "teams"]
pub struct TeamChanges {
    pub name: Option<String>,
    pub ping: Option<String>,
    pub label: Option<String>,
}
