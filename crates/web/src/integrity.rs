//! Copy checks in the platform: one fingerprint index per contest, kept in memory, saved under
//! `<data>/integrity/` so it survives restarts, and rebuilt from the database when missing.
//! Each submission queues a check; the result (share and passages) is stored per entry.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use hoithi_integrity::{Index, Params};
use hoithi_storage::repo::{checks, contests, entries, jobs};

use crate::state::AppState;

/// Job kind: check one entry (payload `{"entry_id": …}`).
pub const JOB: &str = "integrity_check";

pub type Indexes = Arc<Mutex<HashMap<i64, Index>>>;

fn file_of(state: &AppState, contest_id: i64) -> PathBuf {
    state
        .config
        .data_dir
        .join("integrity")
        .join(format!("contest-{contest_id}.idx"))
}

fn key(entry_id: i64) -> String {
    format!("entry:{entry_id}")
}

pub fn job(entry_id: Option<i64>) -> jobs::NewJob {
    jobs::NewJob::new(JOB, serde_json::json!({ "entry_id": entry_id }))
}

fn lock(state: &AppState) -> Result<std::sync::MutexGuard<'_, HashMap<i64, Index>>, String> {
    state
        .integrity
        .lock()
        .map_err(|_| "integrity index lock poisoned".to_string())
}

/// Loads the contest's index from its file, or builds it from the database.
async fn ensure_loaded(state: &AppState, contest_id: i64) -> Result<(), String> {
    if lock(state)?.contains_key(&contest_id) {
        return Ok(());
    }
    let path = file_of(state, contest_id);
    let from_file = tokio::task::spawn_blocking(move || {
        std::fs::File::open(&path)
            .ok()
            .and_then(|f| Index::read_from(std::io::BufReader::new(f)).ok())
    })
    .await
    .map_err(|e| e.to_string())?;
    let index = match from_file {
        Some(i) => i,
        None => {
            let mut idx = Index::new(Params::default()).map_err(|e| e.to_string())?;
            let mut after = 0;
            loop {
                let batch = entries::batch_after(&state.db, Some(contest_id), after, 1000)
                    .await
                    .map_err(|e| e.to_string())?;
                let Some(last) = batch.last() else { break };
                after = last.id;
                for e in batch
                    .iter()
                    .filter(|e| e.status != entries::WITHDRAWN && !e.body.is_empty())
                {
                    idx.add(&key(e.id), &e.body).map_err(|e| e.to_string())?;
                }
            }
            idx
        }
    };
    lock(state)?.entry(contest_id).or_insert(index);
    Ok(())
}

fn save(state: &AppState, contest_id: i64, index: &Index) -> Result<(), String> {
    let path = file_of(state, contest_id);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let tmp = path.with_extension("tmp");
    let f = std::fs::File::create(&tmp).map_err(|e| e.to_string())?;
    let mut w = std::io::BufWriter::new(f);
    index.write_to(&mut w).map_err(|e| e.to_string())?;
    std::io::Write::flush(&mut w).map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, &path).map_err(|e| e.to_string())
}

/// The stored result of a check, as pages read it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StoredMatch {
    pub entry_id: i64,
    pub passages: Vec<[[usize; 2]; 2]>,
}

/// Checks one entry against the other entries of its contest, stores the result, updates its
/// flags, and adds it to the index.
pub async fn check_entry(state: &AppState, entry_id: i64) -> Result<(), String> {
    let e = match entries::get(&state.db, entry_id).await {
        Ok(e) => e,
        Err(hoithi_storage::StorageError::NotFound) => return Ok(()),
        Err(err) => return Err(err.to_string()),
    };
    ensure_loaded(state, e.contest_id).await?;
    if e.status == entries::WITHDRAWN || e.body.is_empty() {
        if let Some(idx) = lock(state)?.get_mut(&e.contest_id) {
            idx.remove(&key(e.id));
        }
        return Ok(());
    }
    // First the fingerprint check, to learn which texts to fetch from the database.
    let candidates: Vec<i64> = {
        let mut map = lock(state)?;
        let idx = map.get_mut(&e.contest_id).ok_or("index missing")?;
        idx.remove(&key(e.id));
        idx.check(&e.body)
            .matches
            .iter()
            .filter_map(|m| m.id.strip_prefix("entry:").and_then(|s| s.parse().ok()))
            .collect()
    };
    let mut texts: HashMap<String, String> = HashMap::new();
    for id in candidates {
        if let Ok(other) = entries::get(&state.db, id).await {
            texts.insert(key(id), other.body);
        }
    }
    let state2 = state.clone();
    let body = e.body.clone();
    let contest_id = e.contest_id;
    let exact = tokio::task::spawn_blocking(
        move || -> Result<hoithi_integrity::index::ExactCheckResult, String> {
            let mut map = lock(&state2)?;
            let idx = map.get_mut(&contest_id).ok_or("index missing")?;
            let result = idx.check_exact(&body, |id| texts.get(id).cloned());
            idx.add(&key(entry_id), &body).map_err(|e| e.to_string())?;
            save(&state2, contest_id, idx)?;
            Ok(result)
        },
    )
    .await
    .map_err(|e| e.to_string())??;
    let stored: Vec<StoredMatch> = exact
        .matches
        .iter()
        .filter_map(|m| {
            let id = m.id.strip_prefix("entry:")?.parse().ok()?;
            Some(StoredMatch {
                entry_id: id,
                passages: m.passages.iter().map(|p| [p.a, p.b]).collect(),
            })
        })
        .collect();
    let genre = contests::genres(&state.db, e.contest_id)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|g| g.id == e.genre_id);
    let mut flags: Vec<String> = serde_json::from_str(&e.flags).unwrap_or_default();
    flags.retain(|f| f != "over_overlap");
    if genre.is_some_and(|g| exact.share * 100.0 > g.allowed_overlap_percent as f64) {
        flags.push("over_overlap".into());
    }
    checks::record(
        &state.db,
        e.id,
        exact.share,
        serde_json::to_value(&stored).unwrap_or_default(),
        flags,
    )
    .await
    .map_err(|e| e.to_string())?;
    jobs::enqueue(&state.db.conn, crate::search::job(Some(e.id)))
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Splits `text` into (segment, highlighted) runs from byte ranges.
pub fn highlight(text: &str, ranges: &[[usize; 2]]) -> Vec<(String, bool)> {
    let mut rs: Vec<[usize; 2]> = ranges
        .iter()
        .copied()
        .filter(|r| {
            r[0] < r[1]
                && r[1] <= text.len()
                && text.is_char_boundary(r[0])
                && text.is_char_boundary(r[1])
        })
        .collect();
    rs.sort();
    let mut out = Vec::new();
    let mut pos = 0;
    for [s, e] in rs {
        if e <= pos {
            continue;
        }
        let s = s.max(pos);
        if s > pos {
            out.push((text[pos..s].to_string(), false));
        }
        out.push((text[s..e].to_string(), true));
        pos = e;
    }
    if pos < text.len() {
        out.push((text[pos..].to_string(), false));
    }
    out
}

/// Queues a fresh check of every live entry of a contest (after new references, or to
/// rebuild results); the index itself is rebuilt from the database first.
pub async fn recheck_contest(state: &AppState, contest_id: i64) -> Result<usize, String> {
    lock(state)?.remove(&contest_id);
    let _ = std::fs::remove_file(file_of(state, contest_id));
    let mut n = 0;
    let mut after = 0;
    loop {
        let batch = entries::batch_after(&state.db, Some(contest_id), after, 1000)
            .await
            .map_err(|e| e.to_string())?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for e in batch.iter().filter(|e| e.status != entries::WITHDRAWN) {
            let mut j = job(Some(e.id));
            j.max_attempts = 3;
            jobs::enqueue(&state.db.conn, j)
                .await
                .map_err(|e| e.to_string())?;
            n += 1;
        }
    }
    Ok(n)
}
