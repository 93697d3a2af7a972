//! Activity records (R-MTG-1, R-EDU-1..4, R-EXT-1, R-PAC-1, R-EMG-2): the form, saving it
//! with its files, showing one, and downloading a file.

pub mod attachment;
pub mod create;
pub mod form;
pub mod show;
