// Written for nocodo's compile harness: the date format upstream's Article model uses.
pub const DATE_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";
