//! SeaORM entities, one file a table. Columns mirror the migrations in `migration/`.

pub mod api_token;
pub mod audit;
pub mod blob;
pub mod job;
pub mod login_throttle;
pub mod role_grant;
pub mod session;
pub mod unit;
pub mod user;
