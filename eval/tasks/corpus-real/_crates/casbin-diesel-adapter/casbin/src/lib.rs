// Stand-in for casbin (written for nocodo's compile harness): its adapter error and Result, the
// only casbin names the adapter's actions.rs uses, with the same shapes.
pub mod error {
    #[derive(Debug)]
    pub struct AdapterError(pub Box<dyn std::error::Error + Send + Sync>);
}

#[derive(Debug)]
pub enum Error {
    AdapterError(error::AdapterError),
}

impl From<error::AdapterError> for Error {
    fn from(e: error::AdapterError) -> Self {
        Error::AdapterError(e)
    }
}

pub type Result<T> = std::result::Result<T, Error>;
