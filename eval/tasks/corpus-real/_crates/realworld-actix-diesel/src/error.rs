// Stand-in for upstream's error type (its real one maps many error kinds to HTTP answers).
#[derive(Debug)]
pub enum AppError {
    Diesel(diesel::result::Error),
    Other(String),
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Diesel(e)
    }
}
