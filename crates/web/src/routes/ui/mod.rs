//! Pages for people: one file per action.

pub mod account;
pub mod admin;
pub mod home;
pub mod language;
pub mod login;
pub mod logout;
pub mod not_found;
pub mod org;
