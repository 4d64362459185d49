//! Contests and entries in the JSON API, on the same services and rules as the pages.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use hoithi_storage::repo::{contests, entries, participation};
use serde::{Deserialize, Serialize};

use crate::auth::session::{CurrentUser, Identity};
use crate::contests::service;
use crate::contests::submission::service::{self as submission, AuthorInput, SubmissionInput};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct GenreView {
    pub id: i64,
    pub name: String,
    pub medium: String,
    pub min_words: Option<i32>,
    pub max_words: Option<i32>,
    pub max_authors: i32,
    pub max_entries_per_author: i32,
    pub accepted_types: String,
    pub allowed_overlap_percent: i32,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ContestView {
    pub slug: String,
    pub title: String,
    pub organizer_unit_id: i64,
    pub opens_at: String,
    pub closes_at: String,
    pub open: bool,
    pub entries: u64,
    pub genres: Vec<GenreView>,
    /// Whether passages in quotation marks that other texts share count in an entry's copied
    /// share (citations never count).
    pub count_quotes: bool,
    pub participant_groups: Vec<(i64, String)>,
}

async fn view(state: &AppState, l: &service::Loaded) -> AppResult<ContestView> {
    let genres = contests::genres(&state.db, l.contest.id)
        .await?
        .into_iter()
        .map(|g| GenreView {
            id: g.id,
            name: g.name,
            medium: g.medium,
            min_words: g.min_words,
            max_words: g.max_words,
            max_authors: g.max_authors,
            max_entries_per_author: g.max_entries_per_author,
            accepted_types: g.accepted_types,
            allowed_overlap_percent: g.allowed_overlap_percent,
        })
        .collect();
    let groups = contests::groups(&state.db, l.contest.id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    Ok(ContestView {
        slug: l.contest.slug.clone(),
        title: l.contest.title.clone(),
        organizer_unit_id: l.contest.organizer_unit_id,
        opens_at: l.contest.opens_at.to_rfc3339(),
        closes_at: l.contest.closes_at.to_rfc3339(),
        open: service::is_open(&l.contest, chrono::Utc::now()),
        entries: participation::contest_total(&state.db, l.contest.id).await? as u64,
        genres,
        count_quotes: l.contest.count_quotes,
        participant_groups: groups,
    })
}

/// Published contests (and any the caller manages).
#[utoipa::path(get, path = "/api/v1/contests", tag = "contests", responses((status = 200, body = [ContestView])))]
pub async fn list(
    State(state): State<AppState>,
    Identity(id): Identity,
) -> AppResult<Json<Vec<ContestView>>> {
    let mut out = Vec::new();
    for k in contests::all(&state.db).await? {
        let l = service::with_organizer(&state, k).await?;
        if service::check_visible(&id.actor, &l).is_ok() {
            out.push(view(&state, &l).await?);
        }
    }
    Ok(Json(out))
}

#[utoipa::path(get, path = "/api/v1/contests/{slug}", tag = "contests", params(("slug" = String, Path)),
    responses((status = 200, body = ContestView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Identity(id): Identity,
    Path(slug): Path<String>,
) -> AppResult<Json<ContestView>> {
    let l = service::load(&state, &slug).await?;
    service::check_visible(&id.actor, &l)?;
    Ok(Json(view(&state, &l).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EntryView {
    pub id: i64,
    pub receipt_code: String,
    pub title: String,
    pub pen_name: String,
    pub genre_id: i64,
    pub unit_id: i64,
    pub status: hoithi_storage::status::EntryStatus,
    pub status_reason: String,
    pub word_count: i32,
    pub file_sha256: Option<String>,
    pub flags: Vec<String>,
    pub submitted_at: String,
}

fn entry_view(e: hoithi_storage::entity::entry::Model) -> EntryView {
    EntryView {
        flags: serde_json::from_str(&e.flags).unwrap_or_default(),
        submitted_at: e.submitted_at.to_rfc3339(),
        id: e.id,
        receipt_code: e.receipt_code,
        title: e.title,
        pen_name: e.pen_name,
        genre_id: e.genre_id,
        unit_id: e.unit_id,
        status: e.status,
        status_reason: e.status_reason,
        word_count: e.word_count,
        file_sha256: e.file_sha256,
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct EntryParams {
    /// Title, pen name or receipt code fragment.
    q: Option<String>,
    genre_id: Option<i64>,
    status: Option<hoithi_storage::status::EntryStatus>,
    /// The `next` value of the previous page.
    after: Option<String>,
}

/// One page of entries; `next` is present when more follow.
#[derive(Serialize, utoipa::ToSchema)]
pub struct EntryPage {
    entries: Vec<EntryView>,
    next: Option<String>,
}

/// Entries the caller may screen (organizers: all; unit coordinators: their subtree), newest first, 100 a page; withdrawn ones only with status=withdrawn.
#[utoipa::path(get, path = "/api/v1/contests/{slug}/entries", tag = "contests", params(("slug" = String, Path), EntryParams),
    responses((status = 200, body = EntryPage), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
pub async fn entries_list(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(slug): Path<String>,
    Query(p): Query<EntryParams>,
) -> AppResult<Json<EntryPage>> {
    let l = service::load(&state, &slug).await?;
    let scope = service::screening_scope(me.actor(), &l, None)?;
    let filter = entries::Filter {
        unit_path: scope,
        genre_id: p.genre_id,
        status: p.status,
        text: p.q,
        ..Default::default()
    };
    let after = match p.after.as_deref() {
        Some(a) => Some(entries::Cursor::decode(a).ok_or_else(|| {
            AppError::bad(
                "Tham số after không hợp lệ.",
                "The after parameter is not valid.",
            )
        })?),
        None => None,
    };
    let (items, next) = entries::list_page(
        &state.db,
        l.contest.id,
        &filter,
        entries::Sort::Newest,
        after.as_ref(),
        100,
    )
    .await
    .map_err(|e| match e {
        hoithi_storage::StorageError::Invalid(_) => AppError::bad(
            "Tham số after không hợp lệ.",
            "The after parameter is not valid.",
        ),
        other => other.into(),
    })?;
    Ok(Json(EntryPage {
        entries: items.into_iter().map(entry_view).collect(),
        next: next.map(|n| n.encode()),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DecisionInput {
    /// "eligible" or "disqualified".
    #[serde(default)]
    pub decision: String,
    /// Required when disqualifying; the submitter sees it.
    #[serde(default)]
    pub reason: String,
}

/// Screening decision on one entry.
#[utoipa::path(post, path = "/api/v1/contests/{slug}/entries/{id}/decision", tag = "contests", params(("slug" = String, Path), ("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = EntryView), (status = 422, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    Json(d): Json<DecisionInput>,
) -> AppResult<Json<EntryView>> {
    let l = service::load(&state, &slug).await?;
    let saved = service::screen(&state, me.actor(), &l, id, &d.decision, &d.reason).await?;
    Ok(Json(entry_view(saved)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AuthorJson {
    pub full_name: String,
    #[serde(default)]
    pub birth_year: Option<i32>,
    #[serde(default)]
    pub workplace: String,
    #[serde(default)]
    pub group_id: Option<i64>,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SubmissionJson {
    pub genre_id: i64,
    pub unit_id: i64,
    pub title: String,
    #[serde(default)]
    pub pen_name: String,
    pub authors: Vec<AuthorJson>,
    /// The work as text (or upload a file with multipart/form-data).
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub media_link: String,
    pub confirm_unpublished: bool,
    pub confirm_not_staff: bool,
    /// A random key the client chooses once per entry (URL-safe letters, digits, `-`, `_`;
    /// at most 200): sending the same submission again with it, after a timeout say, answers
    /// with the entry already made instead of making a second one.
    #[serde(default)]
    pub idempotency_key: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReceiptView {
    pub entry: EntryView,
    /// Private link to view or withdraw the entry (shown once).
    pub private_link: String,
    pub warnings: Vec<String>,
}

/// A file upload through the API: the entry's fields as JSON in the part `entry`, the work
/// in the part `file`.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct SubmissionUpload {
    entry: SubmissionJson,
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
}

fn unreadable() -> AppError {
    AppError::bad(
        "Dữ liệu gửi lên không đọc được (JSON không hợp lệ hoặc thiếu trường bắt buộc).",
        "The request body could not be read (invalid JSON or a required field is missing).",
    )
}

/// Reads a submission sent as JSON, or as multipart with the fields in `entry` and a `file`.
async fn read_submission(
    state: &AppState,
    req: axum::extract::Request,
) -> AppResult<(SubmissionJson, Option<(String, Vec<u8>)>)> {
    use axum::extract::FromRequest;
    let ct = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.starts_with("multipart/form-data") {
        let mut mp = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|_| unreadable())?;
        let mut entry = None;
        let mut file = None;
        let cut = || {
            AppError::bad(
                "Dữ liệu gửi lên bị gián đoạn hoặc quá lớn.",
                "The upload was interrupted or is too large.",
            )
        };
        while let Some(field) = mp.next_field().await.map_err(|_| cut())? {
            match field.name().unwrap_or("") {
                "entry" => {
                    let bytes = field.bytes().await.map_err(|_| cut())?;
                    entry = Some(serde_json::from_slice(&bytes).map_err(|_| unreadable())?);
                }
                "file" => {
                    let name = field.file_name().unwrap_or("").to_string();
                    let bytes = field.bytes().await.map_err(|_| cut())?;
                    file = Some((name, bytes.to_vec()));
                }
                _ => {}
            }
        }
        let entry = entry.ok_or_else(|| {
            AppError::bad(
                "Thiếu phần «entry» (thông tin bài dự thi dạng JSON).",
                "The «entry» part (the entry's fields as JSON) is missing.",
            )
        })?;
        Ok((entry, file))
    } else if ct.starts_with("application/json") {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| unreadable())?;
        Ok((
            serde_json::from_slice(&bytes).map_err(|_| unreadable())?,
            None,
        ))
    } else {
        Err(AppError::UnsupportedMediaType)
    }
}

/// Submits an entry, with the same checks as the page (deadline, genre rules, file types and
/// limits, flags): as JSON with the work as `text`, or as multipart/form-data with the same
/// JSON in the part `entry` and the work (DOCX, ODT, PDF, TXT) in the part `file`.
#[utoipa::path(post, path = "/api/v1/contests/{slug}/entries", tag = "contests", params(("slug" = String, Path)),
    request_body(content((SubmissionJson = "application/json"), (SubmissionUpload = "multipart/form-data"))),
    responses((status = 201, body = ReceiptView), (status = 422, body = crate::api::ErrorBody), (status = 415, body = crate::api::ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    Identity(id): Identity,
    Path(slug): Path<String>,
    req: axum::extract::Request,
) -> AppResult<(StatusCode, Json<ReceiptView>)> {
    let l = service::load(&state, &slug).await?;
    let (s, file) = read_submission(&state, req).await?;
    let input = SubmissionInput {
        genre_id: s.genre_id.to_string(),
        unit_id: s.unit_id.to_string(),
        title: s.title,
        pen_name: s.pen_name,
        authors: s
            .authors
            .into_iter()
            .map(|a| AuthorInput {
                full_name: a.full_name,
                birth_year: a.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                workplace: a.workplace,
                group_id: a.group_id.map(|g| g.to_string()).unwrap_or_default(),
                phone: a.phone,
                email: a.email,
            })
            .collect(),
        text: s.text,
        media_link: s.media_link,
        file,
        confirm_unpublished: s.confirm_unpublished,
        confirm_not_staff: s.confirm_not_staff,
        submitter_user_id: id.user.as_ref().map(|u| u.id),
        access_key: String::new(),
        form_token: s.idempotency_key,
    };
    let r = submission::submit(&state, &id.actor, &l, input).await?;
    let link = format!(
        "{}/bai-du-thi/{}?k={}",
        state.config.public_url, r.entry.receipt_code, r.access_key
    );
    Ok((
        StatusCode::CREATED,
        Json(ReceiptView {
            entry: entry_view(r.entry),
            private_link: link,
            warnings: r.warnings.into_iter().map(|m| m.vi.into_owned()).collect(),
        }),
    ))
}
