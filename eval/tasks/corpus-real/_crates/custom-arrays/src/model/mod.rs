// Written for nocodo's compile harness: upstream's model module.
pub mod endpoint_type;
pub mod protocol_type;
pub mod service;
