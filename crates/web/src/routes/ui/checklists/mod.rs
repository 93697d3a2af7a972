//! Checklist libraries (issue 4): the templates in effect at a unit, and publishing the
//! county's (at the bureau) or a school's own.

pub mod publish;
pub mod show;
