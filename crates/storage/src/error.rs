use thiserror::Error;

/// What the storage layer can report. Callers map `NotFound` and `Conflict` to user-facing
/// messages; `Db` and `Io` are operational faults that are logged, never shown verbatim.
#[derive(Debug, Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid: {0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

pub type StorageResult<T> = Result<T, StorageError>;

impl StorageError {
    /// Unique-constraint violations surface as `Conflict` so that the web layer can say which
    /// value is taken instead of answering 500.
    pub fn from_db(err: sea_orm::DbErr, what: &str) -> Self {
        let text = err.to_string().to_lowercase();
        if text.contains("unique") || text.contains("duplicate key") {
            StorageError::Conflict(what.to_string())
        } else {
            StorageError::Db(err)
        }
    }
}
