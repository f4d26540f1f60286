use actix_web::{http::StatusCode, HttpResponse, ResponseError};
use std::fmt;

/// The one error type of the app: every handler returns `Result<_, AppError>`.
// Variants such as BadRequest are there for the handlers the team adds.
#[allow(dead_code)]
#[derive(Debug)]
pub enum AppError {
    NotFound,
    BadRequest(String),
    Database(diesel::result::Error),
    Pool(String),
    Migration(String),
    Config(String),
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::NotFound => write!(f, "not found"),
            AppError::BadRequest(e) => write!(f, "bad request: {e}"),
            AppError::Database(e) => write!(f, "database error: {e}"),
            AppError::Pool(e) => write!(f, "connection pool error: {e}"),
            AppError::Migration(e) => write!(f, "migration failed: {e}"),
            AppError::Config(e) => write!(f, "configuration error: {e}"),
        }
    }
}

impl std::error::Error for AppError {}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code()).json(serde_json::json!({ "error": self.to_string() }))
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::Database(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Pool(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Pool(e.to_string())
    }
}
