// crates.io's `models` module as user.rs and keyword.rs see it: the two upstream files, and
// stand-ins for the other models they name (krate.rs, owner.rs, email.rs in crates.io).
pub mod email;
pub mod keyword;
pub mod krate;
pub mod owner;
pub mod user;

pub use email::Email;
pub use keyword::{CrateKeyword, Keyword};
pub use krate::Crate;
pub use owner::{CrateOwner, OwnerKind};
pub use user::User;
