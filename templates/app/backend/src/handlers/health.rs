use actix_web::{get, web, web::Json};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::DbPool;
use crate::errors::AppError;

#[derive(Debug, Serialize)]
pub struct Health {
    pub status: String,
    pub database: String,
}

/// `GET /api/health`: answers once the server runs and the database answers a query.
#[get("/health")]
pub async fn health(pool: web::Data<DbPool>) -> Result<Json<Health>, AppError> {
    web::block(move || -> Result<(), AppError> {
        let mut conn = pool.get()?;
        diesel::sql_query("SELECT 1").execute(&mut conn)?;
        Ok(())
    })
    .await??;
    Ok(Json(Health {
        status: "ok".to_string(),
        database: "ok".to_string(),
    }))
}
