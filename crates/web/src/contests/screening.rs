//! Screening: organizers (all entries) and unit coordinators (their subtree) list, search,
//! sort and filter entries, and mark each eligible or disqualified with a reason.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hoithi_storage::repo::{audit, contests, entries, integrity_sources, participation};
use serde::Deserialize;

use super::service;
use super::submit::status_label;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::pages::{Chrome, fmt_datetime, ok_html, see_other};
use crate::state::AppState;

pub fn flag_label(code: &str, lang: Lang) -> &'static str {
    let (vi, en) = match code {
        "word_limits" => ("Ngoài giới hạn số chữ", "Outside the word limits"),
        "name_in_text" => (
            "Tên tác giả/bút danh trong bài",
            "Author or pen name inside the work",
        ),
        "duplicate_file" => ("Tệp đã được gửi trước đó", "Same file submitted before"),
        "too_many_by_author" => (
            "Vượt số bài của một tác giả",
            "More entries by one author than allowed",
        ),
        "spelling" => ("Nhiều lỗi chính tả", "Many spelling hints"),
        "over_overlap" => (
            "Trùng lặp vượt mức cho phép",
            "Copied text above the allowed share",
        ),
        _ => ("", ""),
    };
    if lang == Lang::Vi { vi } else { en }
}

fn flags_of(json: &str, lang: Lang) -> Vec<&'static str> {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .iter()
        .map(|f| flag_label(f, lang))
        .filter(|s| !s.is_empty())
        .collect()
}

pub struct Row {
    id: i64,
    code: String,
    title: String,
    genre: String,
    words: i32,
    submitted: String,
    status: &'static str,
    flags: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "contests/screening.html")]
struct ListPage {
    c: Chrome,
    slug: String,
    title: String,
    rows: Vec<Row>,
    genres: Vec<(i64, String, bool)>,
    q: String,
    status: String,
    sort: String,
    flagged: bool,
    can_manage: bool,
    /// The count, or "more than" it when the filter matches very many entries.
    total: String,
    /// The query string of the next page, when there is one.
    next: Option<String>,
    first_page: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    genre: Option<String>,
    status: Option<String>,
    sort: Option<String>,
    flagged: Option<String>,
    /// Where the page starts (the previous page's last row).
    sau: Option<String>,
}

/// Above this many matches the list says "more than" instead of counting them all.
const COUNT_CAP: u64 = 10_000;

pub async fn index(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let l = service::load(&state, &slug).await?;
    let scope = service::screening_scope(me.actor(), &l, None)?;
    let genres = contests::genres(&state.db, l.contest.id).await?;
    let genre_id = q.genre.as_deref().and_then(|g| g.parse().ok());
    let status = q.status.clone().filter(|s| {
        [
            entries::SUBMITTED,
            entries::ELIGIBLE,
            entries::DISQUALIFIED,
            entries::WITHDRAWN,
        ]
        .contains(&s.as_str())
    });
    let sort = match q.sort.as_deref() {
        Some("cu") => entries::Sort::Oldest,
        Some("ten") => entries::Sort::Title,
        Some("chu") => entries::Sort::Words,
        _ => entries::Sort::Newest,
    };
    // Words go to the full-text index (diacritics optional, exact matches first); a receipt
    // code or an index that cannot answer falls back to a plain match on title and code.
    let words = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let (ids, text) = match words {
        Some(t) if !t.starts_with("HT-") => {
            match crate::search::entry_ids(&state, l.contest.id, &scope, t) {
                Ok(ids) => (Some(ids), None),
                Err(e) => {
                    tracing::warn!("search unavailable, falling back: {e}");
                    (None, Some(t.to_string()))
                }
            }
        }
        other => (None, other.map(str::to_string)),
    };
    let filter = entries::Filter {
        unit_path: Some(scope),
        genre_id,
        status: status.clone(),
        text,
        submitter_user_id: None,
        flagged_only: q.flagged.is_some(),
        ids,
    };
    let after = q.sau.as_deref().and_then(entries::Cursor::decode);
    let (items, next) =
        entries::list_page(&state.db, l.contest.id, &filter, sort, after.as_ref(), 50)
            .await
            .map_err(|e| match e {
                hoithi_storage::StorageError::Invalid(_) => AppError::bad(
                    "Đường dẫn trang không hợp lệ; vui lòng quay về trang đầu.",
                    "The page link is not valid; please go back to the first page.",
                ),
                other => other.into(),
            })?;
    // Scope with a genre or a screening status (not both): the participation counters know
    // the exact total at no cost.
    let plain = filter.text.is_none() && filter.ids.is_none() && !filter.flagged_only;
    let cell = match (genre_id, filter.status.as_deref()) {
        (None, None) => Some((participation::ALL, String::new())),
        (Some(g), None) => Some((participation::GENRE, g.to_string())),
        (None, Some(s)) if s != entries::WITHDRAWN => Some((participation::STATUS, s.to_string())),
        _ => None,
    };
    let whole = filter.unit_path.as_deref() == Some("/");
    let counted = if let (true, true, Some((dim, k))) = (plain, whole, &cell) {
        Some(
            participation::contest_cell(&state.db, l.contest.id, dim, k)
                .await?
                .max(0) as u64,
        )
    } else if let (true, Some((dim, k))) = (plain, cell) {
        let scope = filter.unit_path.as_deref().unwrap_or(&l.organizer.path);
        Some(
            participation::at(&state.db, l.contest.id, scope)
                .await?
                .into_iter()
                .find(|c| c.dim == dim && c.k == k)
                .map(|c| c.entries.max(0) as u64)
                .unwrap_or(0),
        )
    } else {
        None
    };
    // Other filters are counted in the database, up to a cap, so that the page's cost does
    // not grow with the contest.
    let total = match counted {
        Some(n) => crate::pages::fmt_number(n as i64),
        None => match entries::count_capped(&state.db, l.contest.id, &filter, COUNT_CAP).await? {
            n if n > COUNT_CAP => format!("hơn {}", crate::pages::fmt_number(COUNT_CAP as i64)),
            n => crate::pages::fmt_number(n as i64),
        },
    };
    let base_query = format!(
        "q={}&genre={}&status={}&sort={}{}",
        crate::error::urlencode(q.q.as_deref().unwrap_or("")),
        genre_id.map(|g| g.to_string()).unwrap_or_default(),
        status.as_deref().unwrap_or(""),
        crate::error::urlencode(q.sort.as_deref().unwrap_or("")),
        if q.flagged.is_some() {
            "&flagged=1"
        } else {
            ""
        },
    );
    let rows = items
        .iter()
        .map(|e| Row {
            id: e.id,
            code: e.receipt_code.clone(),
            title: e.title.clone(),
            genre: genres
                .iter()
                .find(|g| g.id == e.genre_id)
                .map(|g| g.name.clone())
                .unwrap_or_default(),
            words: e.word_count,
            submitted: fmt_datetime(&e.submitted_at),
            status: status_label(&e.status, c.lang),
            flags: flags_of(&e.flags, c.lang),
        })
        .collect();
    Ok(ok_html(&ListPage {
        slug: l.contest.slug.clone(),
        title: l.contest.title.clone(),
        rows,
        genres: genres
            .iter()
            .map(|g| (g.id, g.name.clone(), Some(g.id) == genre_id))
            .collect(),
        q: q.q.unwrap_or_default(),
        status: status.unwrap_or_default(),
        sort: q.sort.unwrap_or_default(),
        flagged: q.flagged.is_some(),
        can_manage: service::can_manage(me.actor(), &l),
        total,
        next: next.map(|n| format!("{base_query}&sau={}", crate::error::urlencode(&n.encode()))),
        first_page: after.map(|_| base_query.clone()),
        c,
    }))
}

#[derive(Template)]
#[template(path = "contests/screen_entry.html")]
struct EntryPage {
    c: Chrome,
    slug: String,
    id: i64,
    code: String,
    title: String,
    pen_name: String,
    genre: String,
    unit: String,
    words: i32,
    submitted: String,
    status: &'static str,
    reason: String,
    flags: Vec<&'static str>,
    authors: Vec<String>,
    paragraphs: Vec<String>,
    media_link: String,
    versions: usize,
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = service::load(&state, &slug).await?;
    let e = service::entry_in_scope(&state, me.actor(), &l, id).await?;
    let genre = contests::genres(&state.db, l.contest.id)
        .await?
        .into_iter()
        .find(|g| g.id == e.genre_id)
        .map(|g| g.name)
        .unwrap_or_default();
    let unit = hoithi_storage::repo::units::get(&state.db, e.unit_id)
        .await
        .map(|u| u.name)
        .unwrap_or_default();
    let authors = entries::authors(&state.db, e.id)
        .await?
        .into_iter()
        .map(|a| {
            let mut s = a.full_name;
            if let Some(y) = a.birth_year {
                s.push_str(&format!(" ({y})"));
            }
            if !a.workplace.is_empty() {
                s.push_str(&format!(" — {}", a.workplace));
            }
            s
        })
        .collect();
    let versions = entries::versions(&state.db, e.id).await?.len();
    Ok(ok_html(&EntryPage {
        slug,
        id: e.id,
        code: e.receipt_code.clone(),
        title: e.title.clone(),
        pen_name: e.pen_name.clone(),
        genre,
        unit,
        words: e.word_count,
        submitted: fmt_datetime(&e.submitted_at),
        status: status_label(&e.status, c.lang),
        reason: e.status_reason.clone(),
        flags: flags_of(&e.flags, c.lang),
        authors,
        paragraphs: e
            .body
            .split("\n\n")
            .map(str::to_string)
            .filter(|p| !p.trim().is_empty())
            .collect(),
        media_link: e.media_link.clone().unwrap_or_default(),
        versions,
        c,
    }))
}

#[derive(Deserialize)]
pub struct Decision {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(f): CsrfForm<Decision>,
) -> AppResult<Response> {
    let l = service::load(&state, &slug).await?;
    service::screen(&state, me.actor(), &l, id, &f.decision, &f.reason).await?;
    Ok(see_other(&format!("/cuoc-thi/{slug}/bai/{id}")))
}

pub struct MatchRow {
    /// What the other text is: an entry, a reference, an allowed source, common text.
    kind: &'static str,
    name: String,
    /// The side-by-side view, when the other text can still be shown.
    link: Option<String>,
    passages: usize,
    syllables_hint: usize,
    /// Whether these passages count towards the share.
    counted: bool,
}

#[derive(Template)]
#[template(path = "contests/overlap.html")]
struct OverlapPage {
    c: Chrome,
    slug: String,
    id: i64,
    code: String,
    title: String,
    checked: Option<String>,
    share: String,
    limit: i32,
    over: bool,
    rows: Vec<MatchRow>,
    can_manage: bool,
}

fn stored_matches(
    check: &hoithi_storage::entity::entry_check::Model,
) -> Vec<crate::integrity::StoredMatch> {
    serde_json::from_str(&check.matches).unwrap_or_default()
}

fn kind_label(m: &crate::integrity::StoredMatch, lang: Lang) -> &'static str {
    let (vi, en) = if m.common {
        (
            "Văn bản chung (rất nhiều bài cùng có, không tính)",
            "Common text (in very many entries, not counted)",
        )
    } else if m.allowed {
        (
            "Nguồn được phép trích dẫn (không tính)",
            "Allowed source (not counted)",
        )
    } else if m.source_id.is_some() {
        ("Tài liệu đối chiếu", "Reference text")
    } else {
        ("Bài dự thi", "Entry")
    };
    if lang == Lang::Vi { vi } else { en }
}

/// The copy check of one entry: its share against the genre's limit, and the entries,
/// references and allowed sources it shares passages with (entries shown by receipt code
/// only, never by author).
pub async fn overlap(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let l = service::load(&state, &slug).await?;
    let e = service::entry_in_scope(&state, me.actor(), &l, id).await?;
    let limit = contests::genres(&state.db, l.contest.id)
        .await?
        .into_iter()
        .find(|g| g.id == e.genre_id)
        .map(|g| g.allowed_overlap_percent)
        .unwrap_or(100);
    let check = hoithi_storage::repo::checks::get(&state.db, e.id).await?;
    let mut rows = Vec::new();
    if let Some(ch) = &check {
        for m in stored_matches(ch) {
            let syllables_hint = m
                .passages
                .iter()
                .map(|p| {
                    e.body
                        .get(p[0][0]..p[0][1])
                        .map(|t| t.split_whitespace().count())
                        .unwrap_or(0)
                })
                .sum();
            let (name, link) = if let Some(other) = m.entry_id {
                match entries::get(&state.db, other).await {
                    Ok(o) => (
                        format!("{} — {}", o.receipt_code, o.title),
                        Some(format!("/cuoc-thi/{slug}/bai/{id}/trung-lap/{other}")),
                    ),
                    Err(hoithi_storage::StorageError::NotFound) => continue,
                    Err(err) => return Err(err.into()),
                }
            } else if let Some(sid) = m.source_id {
                match integrity_sources::get(&state.db, sid).await {
                    Ok(s) if s.contest_id == l.contest.id => (
                        s.title,
                        Some(format!("/cuoc-thi/{slug}/bai/{id}/tai-lieu/{sid}")),
                    ),
                    Ok(_) | Err(hoithi_storage::StorageError::NotFound) => (
                        if c.lang == Lang::Vi {
                            "(tài liệu đã bị xóa; kiểm tra lại để cập nhật)".to_string()
                        } else {
                            "(removed text; recheck to update)".to_string()
                        },
                        None,
                    ),
                    Err(err) => return Err(err.into()),
                }
            } else if m.common {
                (m.snippets.first().cloned().unwrap_or_default(), None)
            } else {
                continue;
            };
            rows.push(MatchRow {
                kind: kind_label(&m, c.lang),
                name,
                link,
                passages: m.passages.len(),
                syllables_hint,
                counted: !m.allowed && !m.common,
            });
        }
    }
    let share = check.as_ref().map(|c| c.share * 100.0).unwrap_or(0.0);
    Ok(ok_html(&OverlapPage {
        slug,
        id: e.id,
        code: e.receipt_code.clone(),
        title: e.title.clone(),
        checked: check.as_ref().map(|c| fmt_datetime(&c.checked_at)),
        share: format!("{share:.1}"),
        limit,
        over: share > limit as f64,
        rows,
        can_manage: service::can_manage(me.actor(), &l),
        c,
    }))
}

#[derive(Template)]
#[template(path = "contests/compare.html")]
struct ComparePage {
    c: Chrome,
    slug: String,
    id: i64,
    code: String,
    other_label: String,
    /// What the other text is (entry, reference, allowed source).
    other_kind: &'static str,
    left: Vec<(String, bool)>,
    right: Vec<(String, bool)>,
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
    slug: String,
    e: &hoithi_storage::entity::entry::Model,
    m: &crate::integrity::StoredMatch,
    other_label: String,
    other_body: &str,
) -> Response {
    let a: Vec<[usize; 2]> = m.passages.iter().map(|p| p[0]).collect();
    let b: Vec<[usize; 2]> = m.passages.iter().map(|p| p[1]).collect();
    ok_html(&ComparePage {
        slug,
        id: e.id,
        code: e.receipt_code.clone(),
        other_label,
        other_kind: kind_label(m, c.lang),
        left: crate::integrity::highlight(&e.body, &a),
        right: crate::integrity::highlight(other_body, &b),
        c,
    })
}

/// Side by side with another entry, the shared passages highlighted in both original texts.
pub async fn compare(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path((slug, id, other)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let l = service::load(&state, &slug).await?;
    let e = service::entry_in_scope(&state, me.actor(), &l, id).await?;
    let m = passages_with(&state, e.id, |m| m.entry_id == Some(other)).await?;
    let o = entries::get(&state.db, other).await?;
    if o.contest_id != l.contest.id {
        return Err(AppError::NotFound);
    }
    Ok(compare_page(
        c,
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
    me: CurrentUser,
    Path((slug, id, other)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let l = service::load(&state, &slug).await?;
    let e = service::entry_in_scope(&state, me.actor(), &l, id).await?;
    let m = passages_with(&state, e.id, |m| m.source_id == Some(other)).await?;
    let s = integrity_sources::get(&state.db, other).await?;
    if s.contest_id != l.contest.id {
        return Err(AppError::NotFound);
    }
    Ok(compare_page(c, slug, &e, &m, s.title.clone(), &s.body))
}

#[derive(Deserialize)]
pub struct Empty {}

/// Starts a full re-check of the contest's entries (organizers).
pub async fn recheck(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let l = service::load_managed(&state, me.actor(), &slug).await?;
    let n = crate::integrity::recheck_contest(&state, l.contest.id)
        .await
        .map_err(AppError::Internal)?;
    audit::record(
        &state.db.conn,
        Some(me.user.id),
        "contest.recheck",
        "contest",
        Some(l.contest.id),
        serde_json::json!({"entries": n}),
    )
    .await?;
    Ok(see_other(&format!("/cuoc-thi/{slug}/bai?rechecking={n}")))
}
