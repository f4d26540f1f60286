// Written for nocodo's compile harness: upstream's error type, with the conversions its queries use.
#[derive(Debug)]
pub enum DashError {
    R2d2(diesel::r2d2::PoolError),
    DieselError(diesel::result::Error),
    Misc(Option<String>),
}

impl From<diesel::r2d2::PoolError> for DashError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        DashError::R2d2(e)
    }
}

impl From<diesel::result::Error> for DashError {
    fn from(e: diesel::result::Error) -> Self {
        DashError::DieselError(e)
    }
}

pub type DashResult<T> = Result<T, DashError>;
