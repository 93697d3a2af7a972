//! Organisation pages (R-ORG-1, R-ORG-2, R-ORG-5): one file per action.

pub mod import_confirm;
pub mod import_form;
pub mod import_preview;
pub mod import_template;
pub mod leader_add;
pub mod leader_remove;
pub mod login_create;
pub mod person_create;
pub mod person_show;
pub mod person_update;
pub mod role_assign;
pub mod role_remove;
pub mod tree;
pub mod unit_create;
pub mod unit_delete;
pub mod unit_show;
pub mod unit_update;
pub mod unit_view;
