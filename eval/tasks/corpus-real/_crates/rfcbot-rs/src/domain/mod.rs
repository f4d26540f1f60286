// Written for nocodo's compile harness: upstream's domain module (schema and model files from the
// corpus) and the serializer its models name.
pub mod github;
pub mod rfcbot;
pub mod schema;

pub fn unsigned<S: serde::Serializer>(v: &i32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u32(*v as u32)
}
