//! On-disk layout of an index folder.
//!
//! ```text
//! <dir>/LOCK            held (flock) by the one process that writes
//! <dir>/CURRENT         "hoithi-search <format> gen-<n>": the live generation
//! <dir>/gen-<n>/        one tantivy index per generation
//! ```
//!
//! A rebuild fills a new `gen-<n+1>` that nothing points at (a temporary folder
//! in effect), then replaces CURRENT with a rename, which is atomic on POSIX
//! file systems. A crash at any point leaves CURRENT naming a complete index;
//! stray generations are removed at the next open.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::IndexError;
use crate::schema::FORMAT_VERSION;

const CURRENT: &str = "CURRENT";
const CURRENT_TMP: &str = "CURRENT.tmp";
const LOCK: &str = "LOCK";
const MAGIC: &str = "hoithi-search";
const GEN_PREFIX: &str = "gen-";

/// Exclusive lock on an index folder, released when dropped (the OS releases
/// it too if the process dies, so no stale lock survives a crash).
#[derive(Debug)]
pub(crate) struct DirLock {
    _file: File,
}

pub(crate) fn lock_dir(dir: &Path) -> Result<DirLock, IndexError> {
    fs::create_dir_all(dir)?;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK))?;
    match file.try_lock() {
        Ok(()) => Ok(DirLock { _file: file }),
        Err(fs::TryLockError::WouldBlock) => Err(IndexError::Locked),
        Err(fs::TryLockError::Error(e)) => Err(IndexError::Io(e)),
    }
}

pub(crate) fn gen_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("{GEN_PREFIX}{generation:08}"))
}

/// What CURRENT says, if it exists.
pub(crate) enum Current {
    Missing,
    Generation(u64),
}

pub(crate) fn read_current(dir: &Path) -> Result<Current, IndexError> {
    let text = match fs::read_to_string(dir.join(CURRENT)) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Current::Missing),
        Err(e) if e.kind() == io::ErrorKind::InvalidData => {
            return Err(IndexError::rebuild("CURRENT is not UTF-8"));
        }
        Err(e) => return Err(e.into()),
    };
    let mut parts = text.split_whitespace();
    let (Some(MAGIC), Some(format), Some(generation), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(IndexError::rebuild(format!(
            "CURRENT is malformed: {:?}",
            text.chars().take(80).collect::<String>()
        )));
    };
    if format != FORMAT_VERSION.to_string() {
        return Err(IndexError::rebuild(format!(
            "index format {format}, this build reads {FORMAT_VERSION}"
        )));
    }
    let generation = parse_gen_name(generation)
        .ok_or_else(|| IndexError::rebuild(format!("CURRENT names {generation:?}")))?;
    Ok(Current::Generation(generation))
}

pub(crate) fn write_current(dir: &Path, generation: u64) -> io::Result<()> {
    let tmp = dir.join(CURRENT_TMP);
    {
        let mut file = File::create(&tmp)?;
        writeln!(file, "{MAGIC} {FORMAT_VERSION} {GEN_PREFIX}{generation:08}")?;
        file.sync_all()?;
    }
    fs::rename(&tmp, dir.join(CURRENT))?;
    // Make the rename itself durable.
    File::open(dir)?.sync_all()
}

fn parse_gen_name(name: &str) -> Option<u64> {
    let digits = name.strip_prefix(GEN_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Generation numbers of the `gen-*` folders present.
pub(crate) fn list_generations(dir: &Path) -> io::Result<Vec<u64>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if let Some(generation) = entry.file_name().to_str().and_then(parse_gen_name) {
            out.push(generation);
        }
    }
    Ok(out)
}

/// A generation number not used by any folder yet.
pub(crate) fn next_generation(dir: &Path) -> io::Result<u64> {
    Ok(list_generations(dir)?.into_iter().max().unwrap_or(0) + 1)
}

/// Removes every generation but `keep`. Best effort: a folder that cannot be
/// removed now is retried at the next open.
pub(crate) fn remove_other_generations(dir: &Path, keep: u64) {
    let Ok(generations) = list_generations(dir) else {
        return;
    };
    for generation in generations.into_iter().filter(|g| *g != keep) {
        let _ = fs::remove_dir_all(gen_path(dir, generation));
    }
    let _ = fs::remove_file(dir.join(CURRENT_TMP));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_names_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        write_current(dir.path(), 42).expect("write");
        assert!(matches!(
            read_current(dir.path()),
            Ok(Current::Generation(42))
        ));
        assert_eq!(parse_gen_name("gen-00000042"), Some(42));
        assert_eq!(parse_gen_name("gen-"), None);
        assert_eq!(parse_gen_name("gen-+1"), None);
        assert_eq!(parse_gen_name("tmp-1"), None);
    }

    #[test]
    fn malformed_current_needs_rebuild() {
        let dir = tempfile::tempdir().expect("tempdir");
        for text in [
            "",
            "garbage",
            "hoithi-search 999 gen-00000001",
            "hoithi-search 1 gen-x",
        ] {
            fs::write(dir.path().join(CURRENT), text).expect("write");
            assert!(
                matches!(
                    read_current(dir.path()),
                    Err(IndexError::NeedsRebuild { .. })
                ),
                "{text:?}"
            );
        }
        fs::write(dir.path().join(CURRENT), [0xff, 0xfe]).expect("write");
        assert!(matches!(
            read_current(dir.path()),
            Err(IndexError::NeedsRebuild { .. })
        ));
    }

    #[test]
    fn second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = lock_dir(dir.path()).expect("first lock");
        assert!(matches!(lock_dir(dir.path()), Err(IndexError::Locked)));
        drop(first);
        assert!(lock_dir(dir.path()).is_ok());
    }
}
