//! The signed-in person's own account: profile, password, API tokens.

pub mod password;
pub mod show;
pub mod token_revoke;
