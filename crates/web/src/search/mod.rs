//! The full-text index of the platform's documents (contest entries today; news posts, courses
//! and course materials declared in `kinds` for the modules that bring them), kept in
//! `<data>/search`. The database is the source of truth: the index is updated by a job after
//! each change (`Job::SearchIndex`) and can be rebuilt from the database at any time, every
//! kind at once.

pub mod kinds;
pub mod pages;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().add(
        axum::http::Method::GET,
        "/tim-kiem",
        crate::routes::Gate::Public,
        pages::search,
    )
}

use std::sync::Arc;

use hoithi_search::{Filter, Hits, Options, SearchIndex};

pub use kinds::{DocKind, SearchKind, entry_doc};

use crate::policy::Actor;
use crate::state::AppState;

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

/// A document to bring up to date in the index: the payload of a `search_index` job.
///
/// Entries keep the payload of earlier versions, `{"entry_id": N}`: rows queued before the
/// upgrade run, an older instance still running during an upgrade understands new rows, and
/// storage fills in a new entry's id (`"entry_id": null`) inside the submission's transaction.
/// Other kinds are `{"kind": "news_post", "id": N}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "DocRefWire", into = "DocRefWire")]
pub struct DocRef {
    pub kind: DocKind,
    /// `None` only for an entry whose id storage fills in when it inserts the entry.
    pub id: Option<i64>,
}

impl DocRef {
    pub fn new(kind: DocKind, id: i64) -> DocRef {
        DocRef { kind, id: Some(id) }
    }

    /// The entry a submission is about to create (its id is filled in by storage).
    pub fn new_entry() -> DocRef {
        DocRef {
            kind: DocKind::Entry,
            id: None,
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct DocRefWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<DocKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    /// Present (possibly null) in entry payloads.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    entry_id: Option<Option<i64>>,
}

/// Tells a field given as `null` from a missing one.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    <Option<i64> as serde::Deserialize>::deserialize(d).map(Some)
}

impl From<DocRef> for DocRefWire {
    fn from(d: DocRef) -> Self {
        match d.kind {
            DocKind::Entry => DocRefWire {
                kind: None,
                id: None,
                entry_id: Some(d.id),
            },
            kind => DocRefWire {
                kind: Some(kind),
                id: d.id,
                entry_id: None,
            },
        }
    }
}

impl TryFrom<DocRefWire> for DocRef {
    type Error = String;

    fn try_from(w: DocRefWire) -> Result<Self, String> {
        match w {
            DocRefWire {
                kind: None | Some(DocKind::Entry),
                id: None,
                entry_id: Some(id),
            } => Ok(DocRef {
                kind: DocKind::Entry,
                id,
            }),
            DocRefWire {
                kind: Some(kind),
                id: Some(id),
                entry_id: None,
            } => Ok(DocRef::new(kind, id)),
            _ => Err(
                "a search_index payload is {\"entry_id\": N} or {\"kind\": K, \"id\": N}".into(),
            ),
        }
    }
}

/// Rebuilds the index from the database, every kind; returns the number of documents.
pub async fn rebuild(state: &AppState) -> Result<u64, String> {
    let Some(index) = state.search.clone() else {
        return Err("this instance does not own the search index".into());
    };
    let mut docs = Vec::new();
    for kind in DocKind::ALL {
        let before = docs.len();
        let mut after = 0;
        loop {
            let batch = kind.batch(state, after, 1000).await?;
            docs.extend(batch.docs);
            match batch.last {
                Some(last) => after = last,
                None => break,
            }
        }
        tracing::debug!("search rebuild: {} {}", docs.len() - before, kind.as_str());
    }
    tokio::task::spawn_blocking(move || index.rebuild(docs).map_err(|e| e.to_string()))
        .await
        .map_err(|e| e.to_string())?
}

/// Brings one document up to date in the index (the `search_index` job): its current version,
/// or nothing when its record is gone, withdrawn or not published.
pub async fn reindex(state: &AppState, kind: DocKind, id: i64) -> Result<(), String> {
    let _one_at_a_time = state.search_updates.lock().await;
    let doc = kind.load(state, id).await?;
    let Some(index) = state.search.clone() else {
        return Err("this instance does not own the search index".into());
    };
    tokio::task::spawn_blocking(move || {
        match doc {
            Some(doc) => index.upsert(&doc),
            None => index.delete(id, kind.as_str()),
        }
        .and_then(|_| index.commit())
        .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// What `actor` may find in a site-wide search: per kind, the tags a hit must carry.
pub fn visibility(actor: &Actor) -> Vec<Filter> {
    DocKind::ALL
        .into_iter()
        .flat_map(|kind| {
            kind.visible(actor).into_iter().map(move |tags| Filter {
                kind: Some(kind.as_str().into()),
                tags,
            })
        })
        .collect()
}

/// A site-wide search: the documents of every kind that `actor` may see, best first.
pub fn search_visible(
    index: &SearchIndex,
    actor: &Actor,
    text: &str,
    limit: usize,
    offset: usize,
) -> Result<Hits, String> {
    let any_of = visibility(actor);
    // No filter would mean no restriction: someone who may see nothing gets nothing.
    if any_of.is_empty() {
        return Ok(Hits {
            total: 0,
            hits: Vec::new(),
        });
    }
    index
        .search(&hoithi_search::Query {
            text: text.to_string(),
            any_of,
            limit,
            offset,
            ..Default::default()
        })
        .map_err(|e| e.to_string())
}

/// Entry ids matching `text` within a contest and unit subtree, best first (at most 1,000).
/// The caller has checked that the actor may screen that scope.
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
        kind: Some(DocKind::Entry.as_str().into()),
        must_tags: tags,
        limit: 1000,
        offset: 0,
        ..Default::default()
    });
    Ok(hits
        .map_err(|e| e.to_string())?
        .hits
        .into_iter()
        .map(|h| h.key)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoithi_search::Doc;

    fn doc(key: i64, kind: DocKind, title: &str, tags: &[&str]) -> Doc {
        Doc {
            key,
            kind: kind.as_str().into(),
            title: title.into(),
            body: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.".into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn a_site_wide_search_shows_each_kind_to_whom_it_is_for() {
        let index = SearchIndex::in_ram(options()).unwrap();
        for d in [
            doc(1, DocKind::Entry, "Bài dự thi", &["contest:1", "unit:1"]),
            doc(
                1,
                DocKind::NewsPost,
                "Tin bài",
                &[kinds::PUBLIC, "category:1"],
            ),
            doc(2, DocKind::Course, "Lớp mở", &[kinds::PUBLIC]),
            doc(3, DocKind::Course, "Lớp kín", &["user:7", "user:8"]),
            doc(4, DocKind::CourseMaterial, "Tài liệu lớp kín", &["user:7"]),
        ] {
            index.upsert(&d).unwrap();
        }
        index.commit().unwrap();
        let seen = |actor: &Actor| {
            let mut v: Vec<(String, i64)> = search_visible(&index, actor, "đạo đức", 10, 0)
                .unwrap()
                .hits
                .into_iter()
                .map(|h| (h.kind, h.key))
                .collect();
            v.sort();
            v
        };
        let anonymous = Actor::anonymous();
        assert_eq!(
            seen(&anonymous),
            [("course".to_string(), 2), ("news_post".to_string(), 1)]
        );
        let delegate = Actor::user(7, None, Vec::new());
        assert_eq!(
            seen(&delegate),
            [
                ("course".to_string(), 2),
                ("course".to_string(), 3),
                ("course_material".to_string(), 4),
                ("news_post".to_string(), 1)
            ]
        );
    }

    #[test]
    fn job_payloads_keep_the_entry_form_of_earlier_versions() {
        let parse = |s: &str| serde_json::from_str::<DocRef>(s);
        assert_eq!(
            parse(r#"{"entry_id": 5}"#).unwrap(),
            DocRef::new(DocKind::Entry, 5)
        );
        assert_eq!(parse(r#"{"entry_id": null}"#).unwrap(), DocRef::new_entry());
        assert_eq!(
            parse(r#"{"kind": "course", "id": 9}"#).unwrap(),
            DocRef::new(DocKind::Course, 9)
        );
        assert_eq!(
            serde_json::to_value(DocRef::new(DocKind::Entry, 5)).unwrap(),
            serde_json::json!({"entry_id": 5})
        );
        assert_eq!(
            serde_json::to_value(DocRef::new_entry()).unwrap(),
            serde_json::json!({"entry_id": null})
        );
        assert_eq!(
            serde_json::to_value(DocRef::new(DocKind::NewsPost, 3)).unwrap(),
            serde_json::json!({"kind": "news_post", "id": 3})
        );
        for bad in [
            r#"{}"#,
            r#"{"kind": "course"}"#,
            r#"{"kind": "poem", "id": 1}"#,
            r#"{"entry_id": "x"}"#,
            r#"[1]"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_have_stable_names() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::json!(k.as_str())
            );
        }
    }
}
