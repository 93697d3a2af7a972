//! Pages for people: one file per action.

pub mod account;
pub mod activities;
pub mod admin;
pub mod checklists;
pub mod hazards;
pub mod home;
pub mod inspections;
pub mod language;
pub mod login;
pub mod logout;
pub mod org;
pub mod places;
pub mod policy;
pub mod reports;
pub mod terms;
pub mod work;
