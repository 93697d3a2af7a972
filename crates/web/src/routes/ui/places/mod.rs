//! A school's places and safety equipment (R-HZD-5, R-SEC-1): the page, adding a place or
//! a piece of equipment, and recording its monthly check.

pub mod check;
pub mod equipment_add;
pub mod place_add;
pub mod show;
