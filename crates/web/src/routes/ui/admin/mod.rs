//! Administration pages: logins and the audit log.

pub mod audit;
pub mod user_disable;
pub mod user_reset;
pub mod users;
