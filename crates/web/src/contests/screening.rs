//! Screening: organizers (all entries) and unit coordinators (their subtree) list, search,
//! sort and filter entries, and mark each eligible or disqualified with a reason.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hoithi_storage::repo::{contests, entries, participation};
use serde::Deserialize;

use super::service;
use super::submission::pages::status_label;
use crate::access::ScreenableEntry;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::format::fmt_datetime;
use crate::i18n::Lang;
use crate::pages::{Chrome, ok_html, see_other};
use crate::state::AppState;
use hoithi_storage::status::EntryStatus;

pub fn flag_label(code: &str, lang: Lang) -> &'static str {
    let t = lang.tr().contests;
    match code {
        "word_limits" => t.flag_word_limits,
        "name_in_text" => t.flag_name_in_text,
        "duplicate_file" => t.flag_duplicate_file,
        "too_many_by_author" => t.flag_too_many_by_author,
        "spelling" => t.flag_spelling,
        "over_overlap" => t.flag_over_overlap,
        _ => "",
    }
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
    words: crate::format::Num,
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
    let status = q.status.as_deref().and_then(EntryStatus::parse);
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
            match crate::search::entry_ids(&state, l.contest.id, scope.as_ref(), t) {
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
        unit_path: scope,
        genre_id,
        status,
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
    let cell = match (genre_id, filter.status) {
        (None, None) => Some((participation::ALL, String::new())),
        (Some(g), None) => Some((participation::GENRE, g.to_string())),
        (None, Some(s)) if s != entries::WITHDRAWN => Some((participation::STATUS, s.to_string())),
        _ => None,
    };
    let whole = filter.unit_path.is_none();
    let counted = if let (true, true, Some((dim, k))) = (plain, whole, &cell) {
        Some(
            participation::contest_cell(&state.db, l.contest.id, dim, k)
                .await?
                .max(0) as u64,
        )
    } else if let (true, Some((dim, k))) = (plain, cell) {
        let scope = filter.unit_path.as_ref().unwrap_or(&l.organizer.path);
        Some(
            participation::at(&state.db, l.contest.id, scope.as_str())
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
        Some(n) => crate::format::fmt_number(n as i64),
        None => match entries::count_capped(&state.db, l.contest.id, &filter, COUNT_CAP).await? {
            n if n > COUNT_CAP => {
                c.t.contests
                    .more_than(crate::format::fmt_number(COUNT_CAP as i64))
            }
            n => crate::format::fmt_number(n as i64),
        },
    };
    let base_query = format!(
        "q={}&genre={}&status={}&sort={}{}",
        crate::error::urlencode(q.q.as_deref().unwrap_or("")),
        genre_id.map(|g| g.to_string()).unwrap_or_default(),
        status.map(EntryStatus::as_str).unwrap_or(""),
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
            words: e.word_count.into(),
            submitted: fmt_datetime(&e.submitted_at),
            status: status_label(e.status, c.lang),
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
        status: status.map(|s| s.to_string()).unwrap_or_default(),
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
    words: crate::format::Num,
    submitted: String,
    status: &'static str,
    reason: String,
    flags: Vec<&'static str>,
    authors: Vec<String>,
    paragraphs: Vec<String>,
    media_link: String,
    versions: usize,
    /// The decision form as typed, and the message of a refused one.
    decision: String,
    typed_reason: String,
    error: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    ScreenableEntry {
        contest: l,
        entry: e,
    }: ScreenableEntry,
) -> AppResult<Response> {
    entry_page(&state, c, &l, &e, None, None).await
}

/// The entry's screening page; after a refused decision, the decision as typed and why.
async fn entry_page(
    state: &AppState,
    c: Chrome,
    l: &service::Loaded,
    e: &hoithi_storage::entity::entry::Model,
    kept: Option<&Decision>,
    error: Option<String>,
) -> AppResult<Response> {
    let slug = l.contest.slug.clone();
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
    let status = crate::forms::form_status(&error);
    Ok(crate::pages::html(
        status,
        &EntryPage {
            slug,
            id: e.id,
            code: e.receipt_code.clone(),
            title: e.title.clone(),
            pen_name: e.pen_name.clone(),
            genre,
            unit,
            words: e.word_count.into(),
            submitted: fmt_datetime(&e.submitted_at),
            status: status_label(e.status, c.lang),
            reason: e.status_reason.clone(),
            flags: flags_of(&e.flags, c.lang),
            authors,
            paragraphs: crate::contests::service::shown_text(&l.contest, &e.body)
                .split("\n\n")
                .map(str::to_string)
                .filter(|p| !p.trim().is_empty())
                .collect(),
            media_link: e.media_link.clone().unwrap_or_default(),
            versions,
            decision: kept.map(|k| k.decision.clone()).unwrap_or_default(),
            typed_reason: kept.map(|k| k.reason.clone()).unwrap_or_default(),
            error,
            c,
        },
    ))
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
    c: Chrome,
    me: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(f): CsrfForm<Decision>,
) -> AppResult<Response> {
    let l = service::load(&state, &slug).await?;
    match service::screen(&state, me.actor(), &l, id, &f.decision, &f.reason).await {
        Ok(_) => Ok(see_other(&format!("/cuoc-thi/{slug}/bai/{id}"))),
        // The page again, with the decision as chosen and the message beside the reason.
        Err(AppError::BadRequest(m) | AppError::Conflict(m)) => {
            let e = service::entry_in_scope(&state, me.actor(), &l, id).await?;
            let error = Some(m.get(c.lang).to_string());
            entry_page(&state, c, &l, &e, Some(&f), error).await
        }
        Err(e) => Err(e),
    }
}
