//! SeaORM entities, one file a table. Columns mirror the migrations in `migration/`.

pub mod api_token;
pub mod audit;
pub mod blob;
pub mod contest;
pub mod contest_unit;
pub mod entry;
pub mod entry_author;
pub mod entry_check;
pub mod entry_version;
pub mod genre;
pub mod job;
pub mod login_throttle;
pub mod participant_group;
pub mod role_grant;
pub mod session;
pub mod unit;
pub mod user;
