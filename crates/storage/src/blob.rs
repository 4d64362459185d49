//! Uploaded files, content-addressed by SHA-256. Callers hold a `Arc<dyn BlobStore>`, so an
//! S3-compatible store can be added beside [`FsBlobStore`] without touching them.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::StorageResult;

/// The hex SHA-256 of some bytes: the address of a stored file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn valid_address(sha256: &str) -> bool {
    sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

#[async_trait::async_trait]
pub trait BlobStore: Send + Sync + std::fmt::Debug {
    /// Stores the bytes durably and returns their SHA-256. Storing the same bytes twice is a no-op.
    async fn put(&self, bytes: &[u8]) -> StorageResult<String>;
    /// The bytes stored under `sha256`, or `None`.
    async fn get(&self, sha256: &str) -> StorageResult<Option<Vec<u8>>>;
    async fn exists(&self, sha256: &str) -> StorageResult<bool>;
}

/// Files under `<data>/files/ab/cd/abcd…`, written to a temporary name, synced, then renamed,
/// so a crash never leaves a half-written file under a valid address.
#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        FsBlobStore { root: root.into() }
    }

    fn path_of(&self, sha256: &str) -> PathBuf {
        self.root
            .join(&sha256[0..2])
            .join(&sha256[2..4])
            .join(sha256)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

#[async_trait::async_trait]
impl BlobStore for FsBlobStore {
    async fn put(&self, bytes: &[u8]) -> StorageResult<String> {
        let sha = sha256_hex(bytes);
        let path = self.path_of(&sha);
        if tokio::fs::try_exists(&path).await? {
            return Ok(sha);
        }
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        tokio::fs::create_dir_all(&dir).await?;
        let tmp = dir.join(format!(".{}.{}.tmp", sha, rand::random::<u64>()));
        let mut file = tokio::fs::File::create(&tmp).await?;
        file.write_all(bytes).await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&tmp, &path).await?;
        Ok(sha)
    }

    async fn get(&self, sha256: &str) -> StorageResult<Option<Vec<u8>>> {
        if !valid_address(sha256) {
            return Ok(None);
        }
        match tokio::fs::read(self.path_of(sha256)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn exists(&self, sha256: &str) -> StorageResult<bool> {
        if !valid_address(sha256) {
            return Ok(false);
        }
        Ok(tokio::fs::try_exists(self.path_of(sha256)).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_by_content_and_rejects_bad_addresses() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsBlobStore::new(dir.path());
        let a = store.put(b"bai du thi").await.unwrap();
        assert_eq!(a, sha256_hex(b"bai du thi"));
        assert_eq!(store.put(b"bai du thi").await.unwrap(), a);
        assert_eq!(store.get(&a).await.unwrap().unwrap(), b"bai du thi");
        assert!(store.get("../../etc/passwd").await.unwrap().is_none());
        assert!(!store.exists(&"0".repeat(64)).await.unwrap());
    }
}
