//! The page for an unknown address.

use crate::error::UiError;
use crate::session::Visitor;

pub async fn show(visitor: Visitor) -> UiError {
    UiError::new(app::Error::NotFound, visitor.t)
}
