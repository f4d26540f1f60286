pub mod nag;
