//! The signed-in person's own account: profile, password, reminders, notifications, API
//! tokens.

pub mod notifications_read;
pub mod password;
pub mod reminders;
pub mod show;
pub mod token_revoke;
