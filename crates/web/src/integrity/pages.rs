//! Copy-check pages for organizers and unit coordinators: an entry's overlap with other
//! entries and the contest's texts (copied prose, quotes and shared citations apart), the
//! side-by-side view, and the full re-check.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use hoithi_integrity::PassageKind;
use hoithi_storage::repo::{contests, entries, integrity_sources};

use crate::access::ManagedContest;
use crate::access::ScreenableEntry;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::contests::service::{self, shown_text};
use crate::error::{AppError, AppResult};
use crate::format::fmt_datetime;
use crate::forms::Empty;
use crate::i18n::Lang;
use crate::pages::{Chrome, ok_html, see_other};
use crate::state::AppState;

pub struct MatchRow {
    /// What the other text is: an entry, a reference, an allowed source, common text.
    kind: &'static str,
    /// What is shared: copied prose, only quotes, or only citations.
    shared: &'static str,
    name: String,
    /// The side-by-side view, when the other text can still be shown.
    link: Option<String>,
    passages: usize,
    syllables_hint: usize,
    /// Whether these passages count towards the share.
    counted: bool,
}

#[derive(Template)]
#[template(path = "integrity/overlap.html")]
struct OverlapPage {
    c: Chrome,
    slug: String,
    id: i64,
    code: String,
    title: String,
    checked: Option<String>,
    share: String,
    /// The parts of the share, for checks that recorded them.
    parts: Option<String>,
    limit: i32,
    over: bool,
    rows: Vec<MatchRow>,
    /// The contest's quote rule.
    l_count_quotes: bool,
    can_manage: bool,
}

fn stored_matches(
    check: &hoithi_storage::entity::entry_check::Model,
) -> Vec<crate::integrity::StoredMatch> {
    serde_json::from_str(&check.matches).unwrap_or_default()
}

fn kind_label(m: &crate::integrity::StoredMatch, lang: Lang) -> &'static str {
    let t = lang.tr().integrity;
    if m.common {
        t.match_common
    } else if m.allowed {
        t.match_allowed
    } else if m.source_id.is_some() {
        t.match_reference
    } else {
        t.match_entry
    }
}

/// The copy check of one entry: its share against the genre's limit, and the entries,
/// references and allowed sources it shares passages with (entries shown by receipt code
/// only, never by author).
pub async fn overlap(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ScreenableEntry {
        contest: l,
        entry: e,
    }: ScreenableEntry,
) -> AppResult<Response> {
    let slug = l.contest.slug.clone();
    let limit = contests::genres(&state.db, l.contest.id)
        .await?
        .into_iter()
        .find(|g| g.id == e.genre_id)
        .map(|g| g.allowed_overlap_percent)
        .unwrap_or(100);
    let check = hoithi_storage::repo::checks::get(&state.db, e.id).await?;
    let mut rows = Vec::new();
    if let Some(ch) = &check {
        let mut ms = stored_matches(ch);
        // Copied prose first, then quotes, then shared citations.
        ms.sort_by_key(|m| m.kind());
        for m in ms {
            let syllables_hint = m.shared_words(&e.body);
            let (name, link) = if let Some(other) = m.entry_id {
                match entries::get(&state.db, other).await {
                    Ok(o) => (
                        format!("{} — {}", o.receipt_code, o.title),
                        Some(format!("/cuoc-thi/{slug}/bai/{}/trung-lap/{other}", e.id)),
                    ),
                    Err(hoithi_storage::StorageError::NotFound) => continue,
                    Err(err) => return Err(err.into()),
                }
            } else if let Some(sid) = m.source_id {
                match integrity_sources::get(&state.db, sid).await {
                    Ok(s) if s.contest_id == l.contest.id => (
                        s.title,
                        Some(format!("/cuoc-thi/{slug}/bai/{}/tai-lieu/{sid}", e.id)),
                    ),
                    Ok(_) | Err(hoithi_storage::StorageError::NotFound) => {
                        (c.t.integrity.removed_source.to_string(), None)
                    }
                    Err(err) => return Err(err.into()),
                }
            } else if m.common {
                (m.snippets.first().cloned().unwrap_or_default(), None)
            } else {
                continue;
            };
            let shared = m.kind();
            let counts_by_kind = match shared {
                PassageKind::Prose => true,
                PassageKind::Quote => l.contest.count_quotes,
                PassageKind::Citation => false,
            };
            rows.push(MatchRow {
                kind: kind_label(&m, c.lang),
                shared: crate::integrity::shared_label(shared, c.lang),
                name,
                link,
                passages: m.own_stretches().len(),
                syllables_hint,
                counted: !m.allowed && !m.common && counts_by_kind,
            });
        }
    }
    let share = check.as_ref().map(|c| c.share * 100.0).unwrap_or(0.0);
    let pct = |x: f64| crate::format::fmt_decimal(x * 100.0, 1);
    let parts = check.as_ref().and_then(|ch| {
        Some(c.t.integrity.share_parts(
            pct(ch.prose_share?),
            pct(ch.quoted_share?),
            pct(ch.cited_share?),
        ))
    });
    Ok(ok_html(&OverlapPage {
        slug,
        id: e.id,
        code: e.receipt_code.clone(),
        title: e.title.clone(),
        checked: check.as_ref().map(|c| fmt_datetime(&c.checked_at)),
        share: crate::format::fmt_decimal(share, 1),
        parts,
        limit,
        over: share > limit as f64,
        rows,
        l_count_quotes: l.contest.count_quotes,
        can_manage: service::can_manage(me.actor(), &l),
        c,
    }))
}

#[derive(Template)]
#[template(path = "integrity/compare.html")]
struct ComparePage {
    c: Chrome,
    slug: String,
    id: i64,
    code: String,
    other_label: String,
    /// What the other text is (entry, reference, allowed source).
    other_kind: &'static str,
    /// Runs of text, each marked with the CSS class of its passage's kind, if any.
    left: Vec<(String, Option<&'static str>)>,
    right: Vec<(String, Option<&'static str>)>,
}

/// The stored passages shared with one other text, or not found.
async fn passages_with(
    state: &AppState,
    entry_id: i64,
    pick: impl Fn(&crate::integrity::StoredMatch) -> bool,
) -> AppResult<crate::integrity::StoredMatch> {
    let check = hoithi_storage::repo::checks::get(&state.db, entry_id)
        .await?
        .ok_or(AppError::NotFound)?;
    stored_matches(&check)
        .into_iter()
        .find(|m| !m.common && pick(m))
        .ok_or(AppError::NotFound)
}

fn compare_page(
    c: Chrome,
    contest: &hoithi_storage::entity::contest::Model,
    slug: String,
    e: &hoithi_storage::entity::entry::Model,
    m: &crate::integrity::StoredMatch,
    other_label: String,
    other_body: &str,
) -> Response {
    ok_html(&ComparePage {
        slug,
        id: e.id,
        code: e.receipt_code.clone(),
        other_label,
        other_kind: kind_label(m, c.lang),
        left: m.marked(&shown_text(contest, &e.body), 0),
        right: m.marked(&shown_text(contest, other_body), 1),
        c,
    })
}

/// Side by side with another entry, the shared passages highlighted in both original texts.
pub async fn compare(
    State(state): State<AppState>,
    c: Chrome,
    ScreenableEntry {
        contest: l,
        entry: e,
    }: ScreenableEntry,
    Path((_, _, other)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let slug = l.contest.slug.clone();
    let m = passages_with(&state, e.id, |m| m.entry_id == Some(other)).await?;
    let o = entries::get(&state.db, other).await?;
    if o.contest_id != l.contest.id {
        return Err(AppError::NotFound);
    }
    Ok(compare_page(
        c,
        &l.contest,
        slug,
        &e,
        &m,
        o.receipt_code.clone(),
        &o.body,
    ))
}

/// Side by side with a reference or an allowed source of the contest.
pub async fn compare_source(
    State(state): State<AppState>,
    c: Chrome,
    ScreenableEntry {
        contest: l,
        entry: e,
    }: ScreenableEntry,
    Path((_, _, other)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let slug = l.contest.slug.clone();
    let m = passages_with(&state, e.id, |m| m.source_id == Some(other)).await?;
    let s = integrity_sources::get(&state.db, other).await?;
    if s.contest_id != l.contest.id {
        return Err(AppError::NotFound);
    }
    Ok(compare_page(
        c,
        &l.contest,
        slug,
        &e,
        &m,
        s.title.clone(),
        &s.body,
    ))
}

/// Starts a full re-check of the contest's entries (organizers).
pub async fn recheck(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedContest(l): ManagedContest,
    Path(slug): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    crate::integrity::reset_index(&state, l.contest.id).map_err(AppError::Internal)?;
    let tx = state.db.write().await?;
    let n = crate::integrity::queue_checks(&tx, l.contest.id)
        .await
        .map_err(AppError::Internal)?;
    crate::audit::record(
        &tx,
        me.actor(),
        "contest.recheck",
        "contest",
        Some(l.contest.id),
        serde_json::json!({"entries": n}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    // The organizer watches the work they started.
    let _ = n;
    Ok(see_other(&format!("/cuoc-thi/{slug}/kiem-tra-lai/tien-do")))
}

// ---- a full re-check's progress ----

#[derive(Template)]
#[template(path = "integrity/progress.html")]
struct ProgressPage {
    c: Chrome,
    slug: String,
    title: String,
    /// When the re-check was asked for; `None`: none was.
    started: Option<String>,
    done: crate::format::Num,
    total: crate::format::Num,
    percent: i64,
    running: bool,
    /// Entries whose check gave up after its retries (shown once nothing is left running).
    unchecked: crate::format::Num,
    stalled: bool,
    /// The time left, as words ("khoảng 3 phút"); empty when unknown or finished.
    left: String,
}

/// Whether this audit record is the start of a full re-check of a contest's entries: asked for,
/// a reference text added or removed, or settings saved with a new quote rule.
fn starts_recheck(a: &hoithi_storage::entity::audit::Model) -> bool {
    match a.action.as_str() {
        "contest.recheck" | "integrity.source.add" | "integrity.source.remove" => true,
        "contest.update" => serde_json::from_str::<serde_json::Value>(&a.detail)
            .ok()
            .and_then(|d| d["rechecks"].as_u64())
            .is_some_and(|n| n > 0),
        _ => false,
    }
}

pub use crate::format::time_left;

/// `GET /cuoc-thi/{slug}/kiem-tra-lai/tien-do`: how far the latest full re-check has come;
/// the page refreshes itself (no JavaScript) while it runs.
pub async fn progress(
    State(state): State<AppState>,
    c: Chrome,
    ManagedContest(l): ManagedContest,
) -> AppResult<Response> {
    let started = hoithi_storage::repo::audit::for_resource(&state.db, "contest", l.contest.id)
        .await?
        .into_iter()
        .rev()
        .find(starts_recheck)
        .map(|a| a.at);
    let (total, done, left, open) = match started {
        Some(since) => {
            let (total, done) =
                hoithi_storage::repo::checks::progress(&state.db, l.contest.id, since).await?;
            let elapsed = (chrono::Utc::now() - since).num_seconds();
            // Jobs are not per contest: any check still queued may be one of ours.
            let open = if done < total {
                hoithi_storage::repo::jobs::open_of_kind_since(
                    &state.db,
                    crate::jobs::INTEGRITY_CHECK,
                    since,
                )
                .await?
            } else {
                0
            };
            (total, done, time_left(c.lang, elapsed, done, total), open)
        }
        None => (0, 0, String::new(), 0),
    };
    // Checks that gave up (after their retries) leave entries unchecked: stop refreshing and
    // say how many, rather than wait for ever.
    let running = started.is_some() && done < total && open > 0;
    let unchecked = if started.is_some() && !running {
        total - done.min(total)
    } else {
        0
    };
    let mut page = crate::pages::ok_html(&ProgressPage {
        slug: l.contest.slug.clone(),
        title: l.contest.title.clone(),
        started: started.map(|t| fmt_datetime(&t)),
        done: (done as i64).into(),
        total: (total as i64).into(),
        percent: (done * 100).checked_div(total).unwrap_or(100) as i64,
        running,
        unchecked: (unchecked as i64).into(),
        stalled: unchecked > 0,
        left,
        c,
    });
    // Not kept by a browser or proxy: each refresh shows the figures of the moment.
    page.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(page)
}
