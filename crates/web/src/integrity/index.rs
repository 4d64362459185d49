//! Copy checks in the platform: one fingerprint index per contest, kept in memory and saved
//! under `<data>/integrity/` so that it survives restarts. Each submission, resubmission or
//! withdrawal queues a check; the result (share and passages) is stored per entry.
//!
//! The index holds the contest's entries (`entry:N`), its references (`ref:N`, counted like
//! entries) and its allowed sources (`allowed:N`, never counted). Saving is debounced (see
//! [`spawn_saver`]): a rush of thousands of checks a minute does not rewrite the file after each
//! one. The file records which version of each entry and which sources it holds, so loading it
//! reconciles it with the database: whatever changed since the save (entries checked after it,
//! resubmitted, withdrawn; sources added or removed) is re-applied before the index is used.
//! Jobs run out of order during a backlog, so a single timestamp watermark could miss an
//! entry changed before the save but checked after it; per-entry versions cannot.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hoithi_integrity::{Index, Params};
use hoithi_storage::repo::{entries, integrity_sources};
use sha2::Digest;
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard, watch};

use crate::state::AppState;

/// Saves of a dirty index are at least this far apart (and at least four times as long as the
/// last save took, so that saving a large index never holds it most of the time).
pub const SAVE_INTERVAL: Duration = Duration::from_secs(30);

/// How an entry was applied to the index: its version, and whether it was live (not withdrawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Applied {
    version: i32,
    live: bool,
}

/// One contest's index and what it holds.
pub struct ContestIndex {
    pub index: Index,
    applied: HashMap<i64, Applied>,
    sources: HashSet<i64>,
    dirty: bool,
    last_saved: Option<Instant>,
    last_save_took: Duration,
}

impl ContestIndex {
    fn new() -> Result<Self, String> {
        Ok(ContestIndex {
            index: Index::new(Params::default()).map_err(|e| e.to_string())?,
            applied: HashMap::new(),
            sources: HashSet::new(),
            dirty: false,
            last_saved: None,
            last_save_took: Duration::ZERO,
        })
    }

    /// Whether the index holds this id (`entry:N`, `ref:N`, `allowed:N`).
    pub fn contains(&self, key: &str) -> bool {
        self.index.syllables_of(key).is_some()
    }
}

type Slot = Arc<AsyncMutex<Option<ContestIndex>>>;

/// The indexes of the contests used since start, each loaded on first use.
pub type Indexes = Arc<std::sync::Mutex<HashMap<i64, Slot>>>;

pub fn file_of(state: &AppState, contest_id: i64) -> PathBuf {
    state
        .config
        .data_dir
        .join("integrity")
        .join(format!("contest-{contest_id}.idx"))
}

pub(super) fn key(entry_id: i64) -> String {
    format!("entry:{entry_id}")
}

pub(super) fn source_key(id: i64, kind: &str) -> String {
    if kind == integrity_sources::ALLOWED {
        format!("allowed:{id}")
    } else {
        format!("ref:{id}")
    }
}

/// What an index id names.
pub(super) enum Named {
    Entry(i64),
    Source(i64),
}

pub(super) fn parse_key(k: &str) -> Option<Named> {
    if let Some(n) = k.strip_prefix("entry:") {
        return n.parse().ok().map(Named::Entry);
    }
    k.strip_prefix("ref:")
        .or_else(|| k.strip_prefix("allowed:"))
        .and_then(|n| n.parse().ok())
        .map(Named::Source)
}

fn slot(state: &AppState, contest_id: i64) -> Result<Slot, String> {
    let mut map = state
        .integrity
        .lock()
        .map_err(|_| "integrity index lock poisoned".to_string())?;
    Ok(map.entry(contest_id).or_default().clone())
}

fn slots(state: &AppState) -> Vec<(i64, Slot)> {
    state
        .integrity
        .lock()
        .map(|m| m.iter().map(|(k, v)| (*k, v.clone())).collect())
        .unwrap_or_default()
}

/// Drops a contest's index from memory (the file stays); the next use loads it again.
pub fn forget(state: &AppState, contest_id: i64) {
    if let Ok(mut m) = state.integrity.lock() {
        m.remove(&contest_id);
    }
}

pub(super) type Guard = OwnedMutexGuard<Option<ContestIndex>>;

/// Runs CPU-heavy work on the index off the async threads, handing the guard back.
pub(super) async fn blocking<T: Send + 'static>(
    mut guard: Guard,
    f: impl FnOnce(&mut ContestIndex) -> Result<T, String> + Send + 'static,
) -> Result<(Guard, T), String> {
    tokio::task::spawn_blocking(move || {
        let ci = guard.as_mut().ok_or("index not loaded")?;
        let out = f(ci)?;
        Ok((guard, out))
    })
    .await
    .map_err(|e| e.to_string())?
}

/// The contest's index, loaded (from its file, then brought up to date from the database)
/// if this is its first use, and locked for the caller.
pub async fn loaded(state: &AppState, contest_id: i64) -> Result<Guard, String> {
    let mut guard = slot(state, contest_id)?.lock_owned().await;
    if guard.is_some() {
        return Ok(guard);
    }
    let path = file_of(state, contest_id);
    let from_file = tokio::task::spawn_blocking(move || read_file(&path))
        .await
        .map_err(|e| e.to_string())?;
    let ci = match from_file {
        Ok(Some(ci)) => ci,
        Ok(None) => ContestIndex::new()?,
        Err(e) => {
            tracing::warn!(
                contest = contest_id,
                "copy-check index file unusable, rebuilding: {e}"
            );
            ContestIndex::new()?
        }
    };
    *guard = Some(ci);
    match reconcile(state, contest_id, guard).await {
        Ok(g) => Ok(g),
        Err(e) => {
            // Leave nothing half-loaded behind: the next use starts again.
            forget(state, contest_id);
            Err(e)
        }
    }
}

/// Brings a loaded index in line with the database: sources added or removed, entries whose
/// version or withdrawal differs from what the index holds.
async fn reconcile(state: &AppState, contest_id: i64, guard: Guard) -> Result<Guard, String> {
    let mut guard = sync_sources_locked(state, contest_id, guard).await?;
    let mut seen: HashSet<i64> = HashSet::new();
    let mut after = 0;
    let mut changed = 0usize;
    loop {
        let batch = entries::index_states_after(&state.db, contest_id, after, 2000)
            .await
            .map_err(|e| e.to_string())?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let ci = guard.as_mut().ok_or("index not loaded")?;
        let mut fetch = Vec::new();
        for s in &batch {
            seen.insert(s.id);
            let want = Applied {
                version: s.version,
                live: s.status != entries::WITHDRAWN,
            };
            if ci.applied.get(&s.id) == Some(&want) {
                continue;
            }
            changed += 1;
            if want.live {
                fetch.push(s.id);
            } else {
                ci.index.remove(&key(s.id));
                ci.applied.insert(s.id, want);
                ci.dirty = true;
            }
        }
        for ids in fetch.chunks(200) {
            let rows = entries::by_ids(&state.db, ids)
                .await
                .map_err(|e| e.to_string())?;
            let (g, ()) = blocking(guard, move |ci| {
                // Texts are prepared in parallel; the rest (withdrawn meanwhile, no text) one by one.
                let (add, other): (Vec<_>, Vec<_>) = rows
                    .iter()
                    .partition(|e| e.status != entries::WITHDRAWN && !e.body.is_empty());
                let keys: Vec<String> = add.iter().map(|e| key(e.id)).collect();
                let docs: Vec<(&str, &str)> = keys
                    .iter()
                    .zip(&add)
                    .map(|(k, e)| (k.as_str(), e.body.as_str()))
                    .collect();
                ci.index.add_many(&docs).map_err(|e| e.to_string())?;
                for e in add {
                    ci.applied.insert(
                        e.id,
                        Applied {
                            version: e.version,
                            live: true,
                        },
                    );
                }
                for e in other {
                    apply_entry(ci, e)?;
                }
                ci.dirty = true;
                Ok(())
            })
            .await?;
            guard = g;
        }
    }
    let ci = guard.as_mut().ok_or("index not loaded")?;
    let gone: Vec<i64> = ci
        .applied
        .keys()
        .filter(|id| !seen.contains(id))
        .copied()
        .collect();
    for id in gone {
        ci.index.remove(&key(id));
        ci.applied.remove(&id);
        ci.dirty = true;
    }
    if changed > 0 {
        tracing::info!(
            contest = contest_id,
            "copy-check index brought up to date: {changed} entries re-applied"
        );
    }
    Ok(guard)
}

/// Puts an entry's current text into the index (or takes it out when withdrawn or empty).
pub(super) fn apply_entry(
    ci: &mut ContestIndex,
    e: &hoithi_storage::entity::entry::Model,
) -> Result<(), String> {
    let live = e.status != entries::WITHDRAWN;
    if live && !e.body.is_empty() {
        ci.index
            .add(&key(e.id), &e.body)
            .map_err(|e| e.to_string())?;
    } else {
        ci.index.remove(&key(e.id));
    }
    ci.applied.insert(
        e.id,
        Applied {
            version: e.version,
            live,
        },
    );
    ci.dirty = true;
    Ok(())
}

async fn sync_sources_locked(
    state: &AppState,
    contest_id: i64,
    mut guard: Guard,
) -> Result<Guard, String> {
    let want = integrity_sources::kinds(&state.db, contest_id)
        .await
        .map_err(|e| e.to_string())?;
    let ci = guard.as_mut().ok_or("index not loaded")?;
    let want_ids: HashSet<i64> = want.iter().map(|(id, _)| *id).collect();
    let stale: Vec<i64> = ci.sources.difference(&want_ids).copied().collect();
    for id in stale {
        ci.index.remove(&format!("ref:{id}"));
        ci.index.remove(&format!("allowed:{id}"));
        ci.sources.remove(&id);
        ci.dirty = true;
    }
    let missing: Vec<i64> = want
        .iter()
        .filter(|(id, _)| !ci.sources.contains(id))
        .map(|(id, _)| *id)
        .collect();
    for ids in missing.chunks(100) {
        let rows = integrity_sources::by_ids(&state.db, contest_id, ids)
            .await
            .map_err(|e| e.to_string())?;
        let (g, ()) = blocking(guard, move |ci| {
            for s in rows {
                let k = source_key(s.id, &s.kind);
                if s.kind == integrity_sources::ALLOWED {
                    ci.index.add_allowed(&k, &s.body)
                } else {
                    ci.index.add(&k, &s.body)
                }
                .map_err(|e| e.to_string())?;
                ci.sources.insert(s.id);
                ci.dirty = true;
            }
            Ok(())
        })
        .await?;
        guard = g;
    }
    Ok(guard)
}

/// After sources were added or removed: the contest's index follows the database.
pub async fn sync_sources(state: &AppState, contest_id: i64) -> Result<(), String> {
    let guard = loaded(state, contest_id).await?;
    sync_sources_locked(state, contest_id, guard).await?;
    Ok(())
}

/// The saved file: magic, header length (u32 LE), header (JSON: what the index holds), the
/// header's SHA-256, then the index as [`Index::write_to`] writes it (with its own checksum).
const MAGIC: &[u8; 8] = b"HTCIDX01";

#[derive(serde::Serialize, serde::Deserialize)]
struct Header {
    /// When the file was written (for operators; loading does not rely on clocks).
    saved_at: String,
    /// `[entry id, version, live (0/1)]` for every entry applied.
    entries: Vec<(i64, i32, u8)>,
    /// Source ids held.
    sources: Vec<i64>,
}

fn write_file(path: &Path, ci: &ContestIndex) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let mut entries: Vec<(i64, i32, u8)> = ci
        .applied
        .iter()
        .map(|(id, a)| (*id, a.version, u8::from(a.live)))
        .collect();
    entries.sort_unstable();
    let mut sources: Vec<i64> = ci.sources.iter().copied().collect();
    sources.sort_unstable();
    let header = serde_json::to_vec(&Header {
        saved_at: chrono::Utc::now().to_rfc3339(),
        entries,
        sources,
    })
    .map_err(|e| e.to_string())?;
    let tmp = path.with_extension("tmp");
    let f = std::fs::File::create(&tmp).map_err(|e| e.to_string())?;
    let mut w = std::io::BufWriter::new(f);
    let io = |e: std::io::Error| e.to_string();
    w.write_all(MAGIC).map_err(io)?;
    w.write_all(&(header.len() as u32).to_le_bytes())
        .map_err(io)?;
    w.write_all(&header).map_err(io)?;
    w.write_all(&sha2::Sha256::digest(&header)).map_err(io)?;
    ci.index.write_to(&mut w).map_err(|e| e.to_string())?;
    let f = w.into_inner().map_err(|e| e.to_string())?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// Reads a saved index; `Ok(None)` when there is no file.
fn read_file(path: &Path) -> Result<Option<ContestIndex>, String> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let mut r = std::io::BufReader::new(f);
    let io = |e: std::io::Error| e.to_string();
    let mut magic = [0u8; 8];
    r.read_exact(&mut magic).map_err(io)?;
    if &magic != MAGIC {
        return Err("not a copy-check index file of this version".into());
    }
    let mut len = [0u8; 4];
    r.read_exact(&mut len).map_err(io)?;
    let len = u32::from_le_bytes(len) as usize;
    if len > 1 << 30 {
        return Err("header too large".into());
    }
    let mut header = vec![0u8; len];
    r.read_exact(&mut header).map_err(io)?;
    let mut sum = [0u8; 32];
    r.read_exact(&mut sum).map_err(io)?;
    if sha2::Sha256::digest(&header).as_slice() != sum {
        return Err("header checksum mismatch".into());
    }
    let h: Header = serde_json::from_slice(&header).map_err(|e| e.to_string())?;
    let index = Index::read_from(r).map_err(|e| e.to_string())?;
    Ok(Some(ContestIndex {
        index,
        applied: h
            .entries
            .into_iter()
            .map(|(id, version, live)| {
                (
                    id,
                    Applied {
                        version,
                        live: live != 0,
                    },
                )
            })
            .collect(),
        sources: h.sources.into_iter().collect(),
        dirty: false,
        last_saved: Some(Instant::now()),
        last_save_took: Duration::ZERO,
    }))
}

/// Saves every index changed since its last save; unless `force`, only those whose last save
/// is at least `interval` (and four times its duration) ago. Returns how many were written.
pub async fn flush(state: &AppState, force: bool, interval: Duration) -> Result<usize, String> {
    let mut written = 0;
    for (contest_id, slot) in slots(state) {
        let guard = slot.lock_owned().await;
        let due = guard.as_ref().is_some_and(|ci| {
            ci.dirty
                && (force
                    || ci
                        .last_saved
                        .is_none_or(|t| t.elapsed() >= interval.max(ci.last_save_took * 4)))
        });
        if !due {
            continue;
        }
        let path = file_of(state, contest_id);
        blocking(guard, move |ci| {
            let start = Instant::now();
            write_file(&path, ci)?;
            ci.dirty = false;
            ci.last_saved = Some(Instant::now());
            ci.last_save_took = start.elapsed();
            Ok(())
        })
        .await?;
        written += 1;
    }
    Ok(written)
}

/// Saves changed indexes in the background (at most every `SAVE_INTERVAL` each), and all of
/// them once more when `stop` turns true.
pub fn spawn_saver(
    state: AppState,
    mut stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let stopping = *stop.borrow();
            if let Err(e) = flush(&state, stopping, SAVE_INTERVAL).await {
                tracing::error!("saving copy-check indexes failed: {e}");
            }
            if stopping {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = stop.changed() => {}
            }
        }
    })
}
