//! Inspections by checklist (R-HZD-1, R-HZD-4, R-FOOD-1): recent ones and the templates to
//! start from, the form on a phone, saving it, and the result.

pub mod create;
pub mod form;
pub mod list;
pub mod show;
