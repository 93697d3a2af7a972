//! The JSON API under `/api/v1`, described by `/api/openapi.json`; errors are RFC 9457
//! problem documents. One file per feature.

pub mod audit;
pub mod auth;
pub mod hazards;
pub mod inspections;
pub mod me;
pub mod me_work;
pub mod openapi;
pub mod org;
pub mod reports;
pub mod users;

use crate::error::ApiError;
use axum::Json;

pub type ApiResult<T> = Result<Json<T>, ApiError>;
