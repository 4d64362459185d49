//! The full-text index of entries (and later news posts), kept in `<data>/search`. The
//! database is the source of truth: the index is updated by a job after each change and can
//! be rebuilt from the database at any time.

use std::sync::Arc;

use hoithi_search::{Doc, Options, SearchIndex};
use hoithi_storage::entity::entry;
use hoithi_storage::repo::entries;

use crate::state::AppState;

pub const KIND_ENTRY: &str = "entry";
/// Job kind: reindex one entry (payload `{"entry_id": …}`).
pub const JOB: &str = "search_index";

pub fn options() -> Options {
    Options {
        heap_bytes: 20 * 1024 * 1024,
        threads: 1,
    }
}

/// Opens the index, or resets a damaged one (the caller then fills it from the database).
pub fn open(dir: &std::path::Path) -> Result<(Arc<SearchIndex>, bool), hoithi_search::IndexError> {
    let (index, state) = SearchIndex::open_or_reset(dir, options())?;
    Ok((Arc::new(index), state.needs_fill()))
}

/// Tags: the contest, the genre, and every unit on the entry's path, so that a filter on a
/// unit finds its whole subtree.
pub fn doc_for(e: &entry::Model) -> Doc {
    let mut tags = vec![
        format!("contest:{}", e.contest_id),
        format!("genre:{}", e.genre_id),
        format!("status:{}", e.status),
    ];
    tags.extend(e.unit_path.ids().map(|id| format!("unit:{id}")));
    Doc {
        key: e.id,
        kind: KIND_ENTRY.into(),
        title: format!("{} {} {}", e.title, e.pen_name, e.receipt_code),
        body: e.body.clone(),
        tags,
    }
}

/// Rebuilds the index from every entry in the database; returns the count indexed.
pub async fn rebuild(state: &AppState) -> Result<u64, String> {
    let mut docs = Vec::new();
    let mut after = 0;
    loop {
        let batch = entries::batch_after(&state.db, None, after, 1000)
            .await
            .map_err(|e| e.to_string())?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        docs.extend(
            batch
                .iter()
                .filter(|e| e.status != entries::WITHDRAWN)
                .map(doc_for),
        );
    }
    let Some(index) = state.search.clone() else {
        return Err("this instance does not own the search index".into());
    };
    tokio::task::spawn_blocking(move || index.rebuild(docs).map_err(|e| e.to_string()))
        .await
        .map_err(|e| e.to_string())?
}

/// Reindexes one entry (the `search_index` job).
pub async fn reindex(state: &AppState, entry_id: i64) -> Result<(), String> {
    let _one_at_a_time = state.search_updates.lock().await;
    let e = match entries::get(&state.db, entry_id).await {
        Ok(e) => Some(e),
        Err(hoithi_storage::StorageError::NotFound) => None,
        Err(err) => return Err(err.to_string()),
    };
    let Some(index) = state.search.clone() else {
        return Err("this instance does not own the search index".into());
    };
    tokio::task::spawn_blocking(move || {
        match e {
            Some(e) if e.status != entries::WITHDRAWN => index.upsert(&doc_for(&e)),
            _ => index.delete(entry_id, KIND_ENTRY),
        }
        .and_then(|_| index.commit())
        .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

pub fn job(entry_id: Option<i64>) -> hoithi_storage::repo::jobs::NewJob {
    hoithi_storage::repo::jobs::NewJob::new(JOB, serde_json::json!({ "entry_id": entry_id }))
}

/// Entry ids matching `text` within a contest and unit subtree, best first (at most 1,000).
pub fn entry_ids(
    state: &AppState,
    contest_id: i64,
    unit_path: Option<&hoithi_storage::types::UnitPath>,
    text: &str,
) -> Result<Vec<i64>, String> {
    let Some(search) = &state.search else {
        return Err("no search index in this instance".into());
    };
    let mut tags = vec![format!("contest:{contest_id}")];
    if let Some(unit) = unit_path {
        tags.push(format!("unit:{}", unit.id()));
    }
    let hits = search.search(&hoithi_search::Query {
        text: text.to_string(),
        kind: Some(KIND_ENTRY.into()),
        must_tags: tags,
        limit: 1000,
        offset: 0,
    });
    Ok(hits
        .map_err(|e| e.to_string())?
        .hits
        .into_iter()
        .map(|h| h.key)
        .collect())
}
