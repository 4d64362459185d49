use std::sync::Arc;

use hoithi_storage::Db;
use hoithi_storage::blob::BlobStore;

use crate::config::Config;

/// Shared by every request. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub blobs: Arc<dyn BlobStore>,
    pub config: Arc<Config>,
    /// Instance-wide secret (stored in the database so that every instance shares it), used to
    /// derive CSRF tokens for visitors who are not signed in.
    pub secret: Arc<[u8]>,
    /// Full-text index of entries (rebuildable from the database). `None` in an instance that
    /// could not own the index folder (another instance holds it): searches then fall back to
    /// plain matching in the database.
    pub search: Option<Arc<hoithi_search::SearchIndex>>,
    /// Held from reading an entry to committing it to the search index, so that two workers
    /// updating one entry cannot commit an older state after a newer one.
    pub search_updates: Arc<tokio::sync::Mutex<()>>,
    /// Copy-detection indexes, one per contest, loaded on first use.
    pub integrity: crate::integrity::Indexes,
    /// The mail server connection, when one is configured.
    pub mailer: Option<Arc<crate::mail::Mailer>>,
}
