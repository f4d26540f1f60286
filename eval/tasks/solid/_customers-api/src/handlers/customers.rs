use actix_web::{delete, get, post, put, web, HttpResponse};

use crate::db::DbPool;
use crate::errors::AppError;
use crate::models::customer::{Customer, NewCustomer};

#[get("/customers")]
pub async fn list_customers(pool: web::Data<DbPool>) -> Result<HttpResponse, AppError> {
    let customers = web::block(move || {
        let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;
        Customer::list(&mut conn).map_err(AppError::from)
    })
    .await??;
    Ok(HttpResponse::Ok().json(customers))
}

#[get("/customers/{id}")]
pub async fn get_customer(pool: web::Data<DbPool>, path: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let customer = web::block(move || {
        let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;
        Customer::find(&mut conn, id).map_err(AppError::from)
    })
    .await??;
    customer.map(|c| HttpResponse::Ok().json(c)).ok_or(AppError::NotFound)
}

#[post("/customers")]
pub async fn create_customer(pool: web::Data<DbPool>, body: web::Json<NewCustomer>) -> Result<HttpResponse, AppError> {
    let new_customer = body.into_inner();
    let customer = web::block(move || {
        let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;
        Customer::create(&mut conn, &new_customer).map_err(AppError::from)
    })
    .await??;
    Ok(HttpResponse::Created().json(customer))
}

#[put("/customers/{id}")]
pub async fn update_customer(pool: web::Data<DbPool>, path: web::Path<i32>, body: web::Json<NewCustomer>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let changes = body.into_inner();
    let customer = web::block(move || {
        let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;
        Customer::update(&mut conn, id, &changes).map_err(AppError::from)
    })
    .await??;
    Ok(HttpResponse::Ok().json(customer))
}

#[delete("/customers/{id}")]
pub async fn delete_customer(pool: web::Data<DbPool>, path: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    web::block(move || {
        let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;
        Customer::delete(&mut conn, id).map_err(AppError::from)
    })
    .await??;
    Ok(HttpResponse::NoContent().finish())
}
