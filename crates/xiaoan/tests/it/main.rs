//! The integration suite: the real router over HTTP on a fresh database per test.
//! Runs on SQLite, and on PostgreSQL with `XIAOAN_TEST_BACKEND=postgres` (scripts/test
//! runs both).

mod api;
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
mod reminders;
mod reports;
mod router_errors;
mod scope;
mod servers;
mod work;
