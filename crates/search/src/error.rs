//! Errors of the search index. `Display` texts are in Vietnamese because the
//! platform shows them to organizers as they are.

use std::fmt;

use tantivy::TantivyError;

/// What can go wrong when opening, writing or searching the index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// The folder holds an index this version cannot use (corrupt, written by
    /// another format, or half-deleted). Answer it with
    /// [`crate::SearchIndex::open_or_reset`] followed by a rebuild from the database.
    #[error("Chỉ mục tìm kiếm bị hỏng hoặc không tương thích, cần xây dựng lại ({reason})")]
    NeedsRebuild {
        /// Technical detail, for logs.
        reason: String,
    },
    /// Another process (or another `SearchIndex` in this one) holds the folder.
    #[error("Chỉ mục tìm kiếm đang được một tiến trình khác sử dụng, hãy thử lại sau")]
    Locked,
    /// The caller passed options tantivy cannot work with.
    #[error("Cấu hình chỉ mục tìm kiếm không hợp lệ: {0}")]
    InvalidOptions(String),
    /// A document the caller passed cannot be indexed.
    #[error("Tài liệu không hợp lệ để đưa vào chỉ mục: {0}")]
    InvalidDoc(String),
    /// The document source given to a rebuild failed; the old index is kept.
    #[error("Không đọc được dữ liệu nguồn khi xây dựng lại chỉ mục: {0}")]
    Source(Box<dyn std::error::Error + Send + Sync>),
    /// Reading or writing the index folder failed.
    #[error("Lỗi đọc/ghi thư mục chỉ mục tìm kiếm: {0}")]
    Io(#[from] std::io::Error),
    /// Any other failure inside the search engine.
    #[error("Lỗi nội bộ của bộ máy tìm kiếm: {0}")]
    Engine(EngineError),
}

/// Opaque wrapper so tantivy's error type is not part of our public API.
#[derive(Debug)]
pub struct EngineError(pub(crate) TantivyError);

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for EngineError {}

impl From<TantivyError> for IndexError {
    fn from(e: TantivyError) -> Self {
        match e {
            TantivyError::LockFailure(..) => IndexError::Locked,
            TantivyError::DataCorruption(_)
            | TantivyError::IncompatibleIndex(_)
            | TantivyError::SchemaError(_)
            | TantivyError::FieldNotFound(_)
            | TantivyError::DeserializeError(_)
            | TantivyError::OpenReadError(_)
            | TantivyError::OpenDirectoryError(_) => IndexError::NeedsRebuild {
                reason: e.to_string(),
            },
            TantivyError::IoError(ref io) if io.kind() == std::io::ErrorKind::InvalidData => {
                IndexError::NeedsRebuild {
                    reason: e.to_string(),
                }
            }
            other => IndexError::Engine(EngineError(other)),
        }
    }
}

impl IndexError {
    /// True when rebuilding the index from the database is the cure.
    pub fn needs_rebuild(&self) -> bool {
        matches!(self, IndexError::NeedsRebuild { .. })
    }

    pub(crate) fn rebuild(reason: impl Into<String>) -> Self {
        IndexError::NeedsRebuild {
            reason: reason.into(),
        }
    }
}
