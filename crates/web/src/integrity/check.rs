//! The copy check of one entry (a job): its passages shared with other entries and the
//! contest's texts, stored per entry; and full re-checks of a contest.

use std::collections::HashMap;

use hoithi_storage::repo::{checks, contests, entries, integrity_sources, jobs};

use hoithi_integrity::{CheckOptions, PassageKind};

use super::index::*;
use crate::jobs::Job;
use crate::search::{DocKind, DocRef};
use crate::state::AppState;

/// The stored result of a check, as pages read it: one row per entry or source sharing
/// passages, and one for common text (shared by very many entries, not counted).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredMatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<i64>,
    /// An allowed source: quoting it is not counted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allowed: bool,
    /// Common text: passages found in very many entries (the index treats them as allowed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub common: bool,
    /// `[[start, end] in this entry, [start, end] in the other text]`, byte offsets.
    pub passages: Vec<[[usize; 2]; 2]>,
    /// Each passage's kind, in the order of `passages`; empty when every passage is prose
    /// (and in checks stored before kinds existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<PassageKind>,
    /// For common text: the passages' words, so that lists need not read entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub snippets: Vec<String>,
}

impl StoredMatch {
    /// The kind of passage `i` (prose when not recorded).
    pub fn kind_of(&self, i: usize) -> PassageKind {
        self.kinds.get(i).copied().unwrap_or_default()
    }

    /// `text` (this entry's when `side` is 0, the other text's when 1) in runs, the shared
    /// passages marked with the CSS class of their kind (`prose`, `quote`, `citation`).
    pub fn marked(&self, text: &str, side: usize) -> Vec<(String, Option<&'static str>)> {
        let tagged: Vec<([usize; 2], &'static str)> = self
            .passages
            .iter()
            .enumerate()
            .map(|(i, p)| (p[side.min(1)], mark_class(self.kind_of(i))))
            .collect();
        runs(text, &tagged)
    }

    /// The parts of this entry the passages cover, merged: a sentence the other text repeats
    /// many times is one stretch here, counted once.
    pub fn own_stretches(&self) -> Vec<[usize; 2]> {
        let mut rs: Vec<[usize; 2]> = self.passages.iter().map(|p| p[0]).collect();
        rs.sort();
        let mut out: Vec<[usize; 2]> = Vec::new();
        for r in rs {
            match out.last_mut() {
                Some(last) if r[0] <= last[1] => last[1] = last[1].max(r[1]),
                _ => out.push(r),
            }
        }
        out
    }

    /// Words of `body` (this entry's text) inside the stretches: never more than the entry has.
    pub fn shared_words(&self, body: &str) -> usize {
        self.own_stretches()
            .iter()
            .map(|r| {
                body.get(r[0]..r[1])
                    .map(|t| t.split_whitespace().count())
                    .unwrap_or(0)
            })
            .sum()
    }

    /// What the other text shares with this entry as a whole: copied prose as soon as one
    /// passage is prose, else quotes, else only citations ("cùng trích dẫn").
    pub fn kind(&self) -> PassageKind {
        (0..self.passages.len())
            .map(|i| self.kind_of(i))
            .min()
            .unwrap_or_default()
    }
}

/// A passage kind as the CSS class that marks it.
fn mark_class(kind: PassageKind) -> &'static str {
    match kind {
        PassageKind::Prose => "prose",
        PassageKind::Quote => "quote",
        PassageKind::Citation => "citation",
    }
}

/// How a page names what two texts share.
pub fn shared_label(kind: PassageKind, lang: crate::i18n::Lang) -> &'static str {
    let t = lang.tr().integrity;
    match kind {
        PassageKind::Prose => t.shared_prose,
        PassageKind::Quote => t.shared_quote,
        PassageKind::Citation => t.shared_citation,
    }
}

/// Passage kinds as stored: nothing when all are prose.
fn stored_kinds(passages: &[hoithi_integrity::Passage]) -> Vec<PassageKind> {
    if passages.iter().all(|p| p.kind == PassageKind::Prose) {
        Vec::new()
    } else {
        passages.iter().map(|p| p.kind).collect()
    }
}

/// What marks common text in stored matches (searched for by the sources page).
pub const COMMON_MARKER: &str = "\"common\":true";

fn snippet(text: &str, r: [usize; 2], max_chars: usize) -> String {
    let t = text.get(r[0]..r[1]).unwrap_or("");
    let mut s: String = t.chars().take(max_chars).collect();
    if t.chars().count() > max_chars {
        s.push('…');
    }
    s
}

/// Checks one entry against the other entries and the sources of its contest, stores the
/// result, updates its flags, and puts it in the index (or takes it out when withdrawn).
pub async fn check_entry(state: &AppState, entry_id: i64) -> Result<(), String> {
    let Some(contest_id) = entries::contest_of(&state.db, entry_id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let guard = loaded(state, contest_id).await?;
    // The entry is read under the contest's lock: with several workers, a check that waited for
    // the lock must not put an older version of the entry back after a newer one.
    let e = match entries::get(&state.db, entry_id).await {
        Ok(e) => e,
        Err(hoithi_storage::StorageError::NotFound) => return Ok(()),
        Err(err) => return Err(err.to_string()),
    };
    if e.status == entries::WITHDRAWN || e.body.is_empty() {
        let e2 = e.clone();
        blocking(guard, move |ci| apply_entry(ci, &e2)).await?;
        return Ok(());
    }
    // First the fingerprint check, to learn which texts to fetch from the database.
    let body = e.body.clone();
    let own = key(e.id);
    let (guard, candidates) = blocking(guard, move |ci| {
        Ok(ci
            .index
            .check(&body)
            .matches
            .into_iter()
            .filter(|m| m.id != own)
            .filter_map(|m| parse_key(&m.id))
            .collect::<Vec<_>>())
    })
    .await?;
    let entry_ids: Vec<i64> = candidates
        .iter()
        .filter_map(|n| match n {
            Named::Entry(id) => Some(*id),
            Named::Source(_) => None,
        })
        .collect();
    let source_ids: Vec<i64> = candidates
        .iter()
        .filter_map(|n| match n {
            Named::Source(id) => Some(*id),
            Named::Entry(_) => None,
        })
        .collect();
    let mut texts: HashMap<String, String> = HashMap::new();
    for ids in entry_ids.chunks(200) {
        for other in entries::by_ids(&state.db, ids)
            .await
            .map_err(|e| e.to_string())?
        {
            texts.insert(key(other.id), other.body);
        }
    }
    for s in integrity_sources::by_ids(&state.db, e.contest_id, &source_ids)
        .await
        .map_err(|e| e.to_string())?
    {
        texts.insert(source_key(s.id, &s.kind), s.body);
    }
    let contest = contests::get(&state.db, e.contest_id)
        .await
        .map_err(|e| e.to_string())?;
    let opts = CheckOptions {
        count_quotes: contest.count_quotes,
    };
    let e2 = e.clone();
    let (_guard, exact) = blocking(guard, move |ci| {
        ci.index.remove(&key(e2.id));
        let result = ci
            .index
            .check_exact_with(&e2.body, |id| texts.get(id).cloned(), &opts);
        apply_entry(ci, &e2)?;
        Ok(result)
    })
    .await?;
    let mut stored: Vec<StoredMatch> = exact
        .matches
        .iter()
        .filter_map(|m| {
            let stored = StoredMatch {
                allowed: m.allowed,
                passages: m.passages.iter().map(|p| [p.a, p.b]).collect(),
                kinds: stored_kinds(&m.passages),
                ..Default::default()
            };
            Some(match parse_key(&m.id)? {
                Named::Entry(id) => StoredMatch {
                    entry_id: Some(id),
                    ..stored
                },
                Named::Source(id) => StoredMatch {
                    source_id: Some(id),
                    ..stored
                },
            })
        })
        .collect();
    if !exact.common.is_empty() {
        let shown: Vec<[usize; 2]> = exact.common.iter().take(20).copied().collect();
        stored.push(StoredMatch {
            common: true,
            snippets: shown.iter().map(|r| snippet(&e.body, *r, 400)).collect(),
            passages: shown.iter().map(|r| [*r, *r]).collect(),
            ..Default::default()
        });
    }
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
        checks::ShareParts {
            prose: exact.shares.prose,
            quoted: exact.shares.quoted,
            cited: exact.shares.cited,
        },
        serde_json::to_value(&stored).unwrap_or_default(),
        flags,
    )
    .await
    .map_err(|e| e.to_string())?;
    let reindex = Job::SearchIndex(DocRef::new(DocKind::Entry, e.id));
    jobs::enqueue(&state.db.conn, reindex.into())
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Splits `text` into (segment, highlighted) runs from byte ranges.
pub fn highlight(text: &str, ranges: &[[usize; 2]]) -> Vec<(String, bool)> {
    let tagged: Vec<([usize; 2], ())> = ranges.iter().map(|r| (*r, ())).collect();
    runs(text, &tagged)
        .into_iter()
        .map(|(s, t)| (s, t.is_some()))
        .collect()
}

/// Splits `text` into runs from byte ranges that carry a tag (a passage's kind, say); text
/// outside every range has none. Ranges that overlap an earlier one are cut at its end, and
/// ranges that do not fall on character boundaries are left out.
pub fn runs<T: Copy>(text: &str, ranges: &[([usize; 2], T)]) -> Vec<(String, Option<T>)> {
    let mut rs: Vec<([usize; 2], T)> = ranges
        .iter()
        .copied()
        .filter(|(r, _)| {
            r[0] < r[1]
                && r[1] <= text.len()
                && text.is_char_boundary(r[0])
                && text.is_char_boundary(r[1])
        })
        .collect();
    rs.sort_by_key(|(r, _)| *r);
    let mut out = Vec::new();
    let mut pos = 0;
    for ([s, e], tag) in rs {
        if e <= pos {
            continue;
        }
        let s = s.max(pos);
        if s > pos {
            out.push((text[pos..s].to_string(), None));
        }
        out.push((text[s..e].to_string(), Some(tag)));
        pos = e;
    }
    if pos < text.len() {
        out.push((text[pos..].to_string(), None));
    }
    out
}

/// The payload of an `integrity_check` job, as earlier versions wrote it: `{"entry_id": N}`,
/// plus `requested_at` (RFC 3339) for a re-check asked for at some time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CheckJob {
    /// `None` only for an entry whose id storage fills in when it inserts the entry; the field
    /// must be there.
    #[serde(deserialize_with = "Option::deserialize")]
    pub entry_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl CheckJob {
    pub fn entry(entry_id: i64) -> CheckJob {
        CheckJob {
            entry_id: Some(entry_id),
            requested_at: None,
        }
    }

    /// The entry a submission is about to create (its id is filled in by storage).
    pub fn new_entry() -> CheckJob {
        CheckJob {
            entry_id: None,
            requested_at: None,
        }
    }
}

/// Runs an `integrity_check` job. A re-check asked for at some time is skipped when the entry
/// was checked after that time anyway (several changes in a row re-check each entry once).
pub async fn run_job(
    state: &AppState,
    id: i64,
    requested: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), String> {
    if let Some(t) = requested
        && checks::get(&state.db, id)
            .await
            .map_err(|e| e.to_string())?
            .is_some_and(|c| c.checked_at > t)
    {
        return Ok(());
    }
    check_entry(state, id).await
}

/// Queues a fresh check of every live entry of a contest (after its sources changed).
pub async fn queue_checks<C: hoithi_storage::Conn>(
    conn: &C,
    contest_id: i64,
) -> Result<usize, String> {
    let requested = chrono::Utc::now();
    let mut n = 0;
    let mut after = 0;
    loop {
        let batch = entries::index_states_after(conn, contest_id, after, 2000)
            .await
            .map_err(|e| e.to_string())?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for e in batch.iter().filter(|e| e.status != entries::WITHDRAWN) {
            let mut j: jobs::NewJob = Job::IntegrityCheck(CheckJob {
                entry_id: Some(e.id),
                requested_at: Some(requested),
            })
            .into();
            j.max_attempts = 3;
            jobs::enqueue(conn, j).await.map_err(|e| e.to_string())?;
            n += 1;
        }
    }
    Ok(n)
}

/// Drops a contest's index, in memory and on disk, so that it is rebuilt from the database
/// when next used.
pub fn reset_index(state: &AppState, contest_id: i64) -> Result<(), String> {
    forget(state, contest_id);
    match std::fs::remove_file(file_of(state, contest_id)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// Rebuilds a contest's index from the database and queues a fresh check of every live entry
/// (the command line's re-check; the page does the same with its audit record).
pub async fn recheck_contest(state: &AppState, contest_id: i64) -> Result<usize, String> {
    reset_index(state, contest_id)?;
    queue_checks(&state.db, contest_id).await
}
