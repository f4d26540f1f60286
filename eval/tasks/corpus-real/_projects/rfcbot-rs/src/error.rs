// Stand-in for upstream's error module.
#[derive(Debug)]
pub enum DashError {
    Diesel(diesel::result::Error),
}

pub type DashResult<T> = Result<T, DashError>;
