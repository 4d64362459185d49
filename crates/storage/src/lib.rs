//! The storage layer of hoithi: every SQL statement and migration lives here, written once for
//! SQLite and PostgreSQL through SeaORM. Handlers call the repositories in [`repo`]; they never
//! build SQL themselves.

pub mod backup;
pub mod blob;
pub mod db;
pub mod entity;
pub mod error;
pub mod migration;
pub mod repo;
pub mod status;
pub mod time;
pub mod types;

pub use db::{Backend, Conn, Db, Tx, backend_of, commit};
pub use error::{StorageError, StorageResult};
