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

    /// Deletes temporary files older than `max_age` (left by a process killed mid-write) and
    /// returns how many. Younger ones may belong to an upload in progress in another instance.
    pub fn sweep_orphans(&self, max_age: std::time::Duration) -> std::io::Result<usize> {
        let mut removed = 0;
        let now = std::time::SystemTime::now();
        let Ok(level1) = std::fs::read_dir(&self.root) else {
            return Ok(0);
        };
        for d1 in level1.flatten() {
            if !d1.file_type()?.is_dir() {
                continue;
            }
            for d2 in std::fs::read_dir(d1.path())?.flatten() {
                if !d2.file_type()?.is_dir() {
                    continue;
                }
                for f in std::fs::read_dir(d2.path())?.flatten() {
                    let name = f.file_name();
                    let name = name.to_string_lossy();
                    if !(name.starts_with('.') && name.ends_with(".tmp")) {
                        continue;
                    }
                    let old = f
                        .metadata()
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| now.duration_since(t).ok())
                        .is_some_and(|age| age >= max_age);
                    if old && std::fs::remove_file(f.path()).is_ok() {
                        removed += 1;
                    }
                }
            }
        }
        Ok(removed)
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
        // The new name is durable only once its directory is: a receipt must survive a power cut.
        tokio::fs::File::open(&dir).await?.sync_all().await?;
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

    #[tokio::test]
    async fn sweeps_only_old_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsBlobStore::new(dir.path());
        let kept = store.put(b"giu lai").await.unwrap();
        let sub = dir.path().join(&kept[0..2]).join(&kept[2..4]);
        let orphan = sub.join(format!(".{kept}.1.tmp"));
        std::fs::write(&orphan, b"nua chung").unwrap();
        assert_eq!(
            store
                .sweep_orphans(std::time::Duration::from_secs(3600))
                .unwrap(),
            0,
            "a young temporary file may be an upload in progress"
        );
        assert_eq!(store.sweep_orphans(std::time::Duration::ZERO).unwrap(), 1);
        assert!(!orphan.exists());
        assert_eq!(store.get(&kept).await.unwrap().unwrap(), b"giu lai");
    }
}
