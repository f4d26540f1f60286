//! The online shop's API: a customer signs up, places orders with their lines, and sees their
//! orders, newest first. Mounted inside the bakery's `/api` scope by `configure`.
use std::fmt;

use actix_web::{get, http::StatusCode, post, web, HttpResponse, ResponseError};

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, PooledConnection};

use crate::db::DbPool;
use crate::models::customer::{Customer, NewCustomer};
use crate::models::order_placement::{self, OrderPlacement, PlacementError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(sign_up_customer).service(place_order).service(customer_orders);
}

/// What the shop answers when a request cannot be served: `{"error": "…"}` with the status.
#[derive(Debug)]
pub enum ShopError {
    BadRequest(String),
    NotFound(String),
    Internal(String),
}

impl fmt::Display for ShopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShopError::BadRequest(why) | ShopError::NotFound(why) | ShopError::Internal(why) => write!(f, "{why}"),
        }
    }
}

impl ResponseError for ShopError {
    fn status_code(&self) -> StatusCode {
        match self {
            ShopError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ShopError::NotFound(_) => StatusCode::NOT_FOUND,
            ShopError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code()).json(serde_json::json!({ "error": self.to_string() }))
    }
}

impl From<diesel::result::Error> for ShopError {
    fn from(e: diesel::result::Error) -> Self {
        ShopError::Internal(format!("database error: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for ShopError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ShopError::Internal(e.to_string())
    }
}

impl From<PlacementError> for ShopError {
    fn from(e: PlacementError) -> Self {
        match e {
            PlacementError::NoLines => ShopError::BadRequest("an order needs at least one line".into()),
            PlacementError::BadQuantity { product_id, quantity } => {
                ShopError::BadRequest(format!("quantity {quantity} of product {product_id}: it must be at least 1"))
            }
            PlacementError::UnknownCustomer(id) => ShopError::NotFound(format!("no customer {id}")),
            PlacementError::UnavailableProduct(id) => {
                ShopError::BadRequest(format!("product {id} does not exist or is not available"))
            }
            PlacementError::Database(e) => e.into(),
        }
    }
}

fn connection(pool: &DbPool) -> Result<PooledConnection<ConnectionManager<PgConnection>>, ShopError> {
    pool.get().map_err(|e| ShopError::Internal(format!("connection pool error: {e}")))
}

#[post("/shop/customers")]
pub async fn sign_up_customer(
    pool: web::Data<DbPool>,
    body: web::Json<NewCustomer>,
) -> Result<HttpResponse, ShopError> {
    let new_customer = body.into_inner();
    if new_customer.name.trim().is_empty() {
        return Err(ShopError::BadRequest("a customer needs a name".into()));
    }
    let customer = web::block(move || {
        let mut conn = connection(&pool)?;
        Customer::create(&mut conn, &new_customer).map_err(ShopError::from)
    })
    .await??;
    Ok(HttpResponse::Created().json(customer))
}

#[post("/shop/customers/{id}/orders")]
pub async fn place_order(
    pool: web::Data<DbPool>,
    path: web::Path<i32>,
    body: web::Json<OrderPlacement>,
) -> Result<HttpResponse, ShopError> {
    let customer_id = path.into_inner();
    let placement = body.into_inner();
    let order = web::block(move || {
        let mut conn = connection(&pool)?;
        order_placement::place_order(&mut conn, customer_id, &placement).map_err(ShopError::from)
    })
    .await??;
    Ok(HttpResponse::Created().json(order))
}

#[get("/shop/customers/{id}/orders")]
pub async fn customer_orders(pool: web::Data<DbPool>, path: web::Path<i32>) -> Result<HttpResponse, ShopError> {
    let customer_id = path.into_inner();
    let orders = web::block(move || {
        let mut conn = connection(&pool)?;
        order_placement::orders_newest_first(&mut conn, customer_id).map_err(ShopError::from)
    })
    .await??;
    Ok(HttpResponse::Ok().json(orders))
}
