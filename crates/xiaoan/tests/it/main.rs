//! The integration suite: the real router over HTTP on a fresh database per test.
//! Runs on SQLite, and on PostgreSQL with `XIAOAN_TEST_BACKEND=postgres` (scripts/test
//! runs both).

// The integration suite: helpers shared by tests fail the test with their panic, as the
// tests themselves do (allow-unwrap-in-tests covers only `#[test]` functions).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod a11y;
mod api;
mod assets;
mod attack;
mod audit;
mod auth;
mod backup;
mod browser;
mod hazards;
mod import;
mod inbox;
mod inspections;
mod migrations;
mod org;
mod places;
mod policy;
mod print;
mod reminders;
mod reports;
mod router_errors;
mod scope;
mod servers;
mod work;
