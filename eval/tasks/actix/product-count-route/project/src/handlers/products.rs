use actix_web::{get, web, HttpResponse};

use crate::db::DbPool;
use crate::errors::AppError;
use crate::models::product::Product;

#[get("/products")]
pub async fn list_products(pool: web::Data<DbPool>) -> Result<HttpResponse, AppError> {
    let products = web::block(move || {
        let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;
        Product::list_available(&mut conn).map_err(AppError::from)
    })
    .await??;
    Ok(HttpResponse::Ok().json(products))
}

pub async fn product_count(pool: web::Data<DbPool>) -> Result<HttpResponse, AppError> {
    let count = web::block(move || {
        let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;
        Product::list_available(&mut conn).map_err(AppError::from)
    })
    .await??
    .len();
    Ok(HttpResponse::Ok().json(count))
}
