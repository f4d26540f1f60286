pub mod endpoint_type;
pub mod protocol_type;
pub mod service;
