//! The public submission form, the receipt, and the private link to view or withdraw.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hoithi_storage::entity::{genre, participant_group};
use hoithi_storage::repo::{contests, entries};
use serde::Deserialize;

use super::service::{self as submission, AuthorInput, SubmissionInput};
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::auth::session::Identity;
use crate::contests::service;
use crate::error::{AppError, AppResult};
use crate::format::fmt_datetime;
use crate::pages::{Chrome, html, ok_html, see_other};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "contests/submit.html")]
struct FormPage {
    c: Chrome,
    title: String,
    closes: String,
    genres: Vec<genre::Model>,
    groups: Vec<participant_group::Model>,
    units: Vec<(i64, String)>,
    v: SubmissionInput,
    error: Option<String>,
    action: String,
    editing: bool,
    code: String,
    key: String,
    current_file: String,
    /// A file that was sent with a refused form: browsers cannot keep it, so it is named with
    /// a request to attach it again.
    dropped_file: String,
}

/// A new entry, or an existing one edited through its private link.
#[derive(Default)]
struct Editing {
    code: String,
    key: String,
    current_file: String,
}

async fn form_page(
    state: &AppState,
    c: Chrome,
    slug: &str,
    v: SubmissionInput,
    status: StatusCode,
    error: Option<String>,
    edit: Option<Editing>,
) -> AppResult<Response> {
    let l = service::load(state, slug).await?;
    if !l.contest.published {
        return Err(AppError::NotFound);
    }
    let units = submission::collecting_choices(state, l.contest.id).await?;
    let min = units.iter().map(|u| u.depth).min().unwrap_or(0);
    let units = units
        .into_iter()
        .map(|u| {
            (
                u.id,
                format!("{}{}", "— ".repeat((u.depth - min) as usize), u.name),
            )
        })
        .collect();
    Ok(html(
        status,
        &FormPage {
            title: l.contest.title.clone(),
            closes: fmt_datetime(&l.contest.closes_at),
            genres: contests::genres(&state.db, l.contest.id).await?,
            groups: contests::groups(&state.db, l.contest.id).await?,
            units,
            error,
            action: match &edit {
                Some(e) => format!("/bai-du-thi/{}/sua", e.code),
                None => format!("/cuoc-thi/{slug}/gui-bai"),
            },
            editing: edit.is_some(),
            code: edit.as_ref().map(|e| e.code.clone()).unwrap_or_default(),
            key: edit.as_ref().map(|e| e.key.clone()).unwrap_or_default(),
            current_file: edit.map(|e| e.current_file).unwrap_or_default(),
            dropped_file: v.file.as_ref().map(|f| f.0.clone()).unwrap_or_default(),
            v,
            c,
        },
    ))
}

pub async fn form(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let mut v = SubmissionInput {
        form_token: crate::auth::random_token(),
        ..Default::default()
    };
    v.authors.push(AuthorInput::default());
    v.authors.push(AuthorInput::default());
    // A signed-in participant starts from what their account says about them.
    if let Some(me) = &id.user {
        v.authors[0].full_name = me.full_name.clone();
        v.authors[0].phone = me.phone.clone().unwrap_or_default();
        v.authors[0].email = me.email.clone().unwrap_or_default();
        v.unit_id = me.unit_id.map(|u| u.to_string()).unwrap_or_default();
    }
    form_page(&state, c, &slug, v, StatusCode::OK, None, None).await
}

async fn read_form(mp: axum::extract::Multipart) -> AppResult<SubmissionInput> {
    let form = crate::upload::read(mp).await?;
    let mut v = SubmissionInput {
        authors: vec![AuthorInput::default(), AuthorInput::default()],
        file: form.file,
        ..Default::default()
    };
    for (name, text) in form.fields {
        let (idx, key) = match name.split_once('_').and_then(|(p, k)| {
            p.strip_prefix('a')
                .and_then(|n| n.parse::<usize>().ok())
                .map(|n| (n, k))
        }) {
            Some((n, k)) if n < 2 => (Some(n), k.to_string()),
            _ => (None, name.clone()),
        };
        match (idx, key.as_str()) {
            (Some(i), "name") => v.authors[i].full_name = text,
            (Some(i), "birth") => v.authors[i].birth_year = text,
            (Some(i), "work") => v.authors[i].workplace = text,
            (Some(i), "group") => v.authors[i].group_id = text,
            (Some(i), "phone") => v.authors[i].phone = text,
            (Some(i), "email") => v.authors[i].email = text,
            (None, "genre_id") => v.genre_id = text,
            (None, "unit_id") => v.unit_id = text,
            (None, "title") => v.title = text,
            (None, "pen_name") => v.pen_name = text,
            (None, "text") => v.text = text,
            (None, "media_link") => v.media_link = text,
            (None, "confirm_unpublished") => v.confirm_unpublished = true,
            (None, "confirm_not_staff") => v.confirm_not_staff = true,
            (None, "k") => v.access_key = text,
            (None, "form_token") => v.form_token = text,
            _ => {}
        }
    }
    Ok(v)
}

/// What a refused form shows again: everything typed, and the file's name only (its bytes
/// are not sent back; the page asks to attach it again).
fn kept(input: &SubmissionInput) -> SubmissionInput {
    SubmissionInput {
        file: input
            .file
            .as_ref()
            .filter(|(name, _)| !name.is_empty())
            .map(|(name, _)| (name.clone(), Vec::new())),
        ..input.clone()
    }
}

#[derive(Template)]
#[template(path = "contests/receipt.html")]
struct ReceiptPage {
    c: Chrome,
    contest_title: String,
    code: String,
    link: String,
    full_link: String,
    submitted: String,
    sha: String,
    words: crate::format::Num,
    warnings: Vec<String>,
}

pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(slug): Path<String>,
    CsrfMultipart(mp): CsrfMultipart,
) -> AppResult<Response> {
    let mut input = read_form(mp).await?;
    input.submitter_user_id = id.user.as_ref().map(|u| u.id);
    let l = service::load(&state, &slug).await?;
    let keep = kept(&input);
    match submission::submit(&state, &id.actor, &l, input).await {
        // Post/redirect/get: reloading the receipt shows it again and sends nothing.
        Ok(r) => Ok(see_other(&format!(
            "/bai-du-thi/{}/bien-nhan?k={}",
            r.entry.receipt_code, r.access_key
        ))),
        Err(AppError::BadRequest(m)) => {
            let msg = m.get(c.lang).to_string();
            form_page(
                &state,
                c,
                &slug,
                keep,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(msg),
                None,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// The receipt of an entry, reached through its private link right after sending it.
pub async fn receipt(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(code): Path<String>,
    Query(q): Query<Key>,
) -> AppResult<Response> {
    let (e, _) = submission::followed(&state, &id.actor, &code, q.k.as_deref()).await?;
    let k = contests::get(&state.db, e.contest_id).await?;
    let flags: Vec<String> = serde_json::from_str(&e.flags).unwrap_or_default();
    let warnings = match contests::genres(&state.db, e.contest_id)
        .await?
        .into_iter()
        .find(|g| g.id == e.genre_id)
    {
        Some(g) => submission::warnings(&flags, e.word_count, &g),
        None => Vec::new(),
    };
    let link = match &q.k {
        Some(key) => format!("/bai-du-thi/{}?k={key}", e.receipt_code),
        None => format!("/bai-du-thi/{}", e.receipt_code),
    };
    // Shown and copied whole, with the host, to paste into a message or a note.
    let full_link = format!("{}{link}", state.config.public_url.trim_end_matches('/'));
    Ok(ok_html(&ReceiptPage {
        contest_title: k.title.clone(),
        link,
        full_link,
        code: e.receipt_code.clone(),
        submitted: fmt_datetime(&e.submitted_at),
        sha: e.file_sha256.clone().unwrap_or_default(),
        words: e.word_count.into(),
        warnings: warnings.iter().map(|w| w.get(c.lang).to_string()).collect(),
        c,
    }))
}

#[derive(Deserialize, Default)]
pub struct Key {
    k: Option<String>,
    /// Set after a resubmission was saved.
    #[serde(default, rename = "da-luu")]
    saved: Option<String>,
}

#[derive(Template)]
#[template(path = "contests/entry.html")]
struct EntryPage {
    c: Chrome,
    contest_title: String,
    code: String,
    key: String,
    title: String,
    pen_name: String,
    genre: String,
    status: String,
    reason: String,
    submitted: String,
    words: crate::format::Num,
    sha: String,
    can_withdraw: bool,
    can_edit: bool,
    saved: bool,
    versions: Vec<VersionRow>,
}

pub struct VersionRow {
    version: i32,
    at: String,
    title: String,
    words: crate::format::Num,
    sha: String,
}

pub fn status_label(
    status: hoithi_storage::status::EntryStatus,
    lang: crate::i18n::Lang,
) -> &'static str {
    let t = lang.tr().contests;
    match status {
        entries::SUBMITTED => t.status_submitted,
        entries::ELIGIBLE => t.status_eligible,
        entries::DISQUALIFIED => t.status_disqualified,
        entries::WITHDRAWN => t.status_withdrawn,
    }
}

pub async fn view(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(code): Path<String>,
    Query(q): Query<Key>,
) -> AppResult<Response> {
    let (e, _) = submission::followed(&state, &id.actor, &code, q.k.as_deref()).await?;
    let k = contests::get(&state.db, e.contest_id).await?;
    let genre = contests::genres(&state.db, e.contest_id)
        .await?
        .into_iter()
        .find(|g| g.id == e.genre_id)
        .map(|g| g.name)
        .unwrap_or_default();
    Ok(ok_html(&EntryPage {
        contest_title: k.title.clone(),
        code: e.receipt_code.clone(),
        key: q.k.unwrap_or_default(),
        title: e.title.clone(),
        pen_name: e.pen_name.clone(),
        genre,
        status: status_label(e.status, c.lang).to_string(),
        reason: e.status_reason.clone(),
        submitted: fmt_datetime(&e.submitted_at),
        words: e.word_count.into(),
        sha: e.file_sha256.clone().unwrap_or_default(),
        can_withdraw: e.status != entries::WITHDRAWN && service::is_open(&k, chrono::Utc::now()),
        can_edit: e.status != entries::WITHDRAWN && service::is_open(&k, chrono::Utc::now()),
        saved: q.saved.is_some(),
        versions: entries::versions(&state.db, e.id)
            .await?
            .into_iter()
            .rev()
            .map(|v| VersionRow {
                version: v.version,
                at: fmt_datetime(&v.created_at),
                title: v.title,
                words: v.word_count.into(),
                sha: v.file_sha256.unwrap_or_default(),
            })
            .collect(),
        c,
    }))
}

/// The refusal for changes after the deadline or to a withdrawn entry.
fn closed_for_changes(
    k: &hoithi_storage::entity::contest::Model,
    e: &hoithi_storage::entity::entry::Model,
) -> Option<AppError> {
    if e.status == entries::WITHDRAWN {
        return Some(AppError::bad(
            "Bài đã rút không thể sửa.",
            "A withdrawn entry cannot be changed.",
        ));
    }
    if !service::is_open(k, chrono::Utc::now()) {
        return Some(AppError::bad(
            "Đã hết hạn nhận bài; không thể sửa bài.",
            "The deadline has passed; the entry can no longer be changed.",
        ));
    }
    None
}

/// The submission form filled with the entry's current details, through the private link.
pub async fn edit_form(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(code): Path<String>,
    Query(q): Query<Key>,
) -> AppResult<Response> {
    let (e, _) = submission::followed(&state, &id.actor, &code, q.k.as_deref()).await?;
    let k = contests::get(&state.db, e.contest_id).await?;
    if let Some(err) = closed_for_changes(&k, &e) {
        return Err(err);
    }
    let mut v = SubmissionInput {
        genre_id: e.genre_id.to_string(),
        unit_id: e.unit_id.to_string(),
        title: e.title.clone(),
        pen_name: e.pen_name.clone(),
        media_link: e.media_link.clone().unwrap_or_default(),
        // A pasted work is shown for editing; an uploaded one is kept unless replaced.
        text: if e.file_sha256.is_none() {
            e.body.clone()
        } else {
            String::new()
        },
        ..Default::default()
    };
    for a in entries::authors(&state.db, e.id).await? {
        v.authors.push(AuthorInput {
            full_name: a.full_name,
            birth_year: a.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            workplace: a.workplace,
            group_id: a.group_id.map(|g| g.to_string()).unwrap_or_default(),
            phone: a.phone,
            email: a.email,
        });
    }
    v.authors.resize(2, AuthorInput::default());
    let edit = Editing {
        code: e.receipt_code.clone(),
        key: q.k.unwrap_or_default(),
        current_file: e.file_name.clone().unwrap_or_default(),
    };
    form_page(&state, c, &k.slug, v, StatusCode::OK, None, Some(edit)).await
}

/// Saves a resubmission: a new version of the entry, the earlier one kept in its history.
pub async fn edit(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(code): Path<String>,
    CsrfMultipart(mp): CsrfMultipart,
) -> AppResult<Response> {
    let input = read_form(mp).await?;
    let key = input.access_key.clone();
    let (e, actor) = submission::followed(&state, &id.actor, &code, Some(&key)).await?;
    let k = contests::get(&state.db, e.contest_id).await?;
    let l = service::load(&state, &k.slug).await?;
    let keep = kept(&input);
    match submission::resubmit(&state, &actor, &l, &e, input).await {
        Ok(_) => Ok(see_other(&format!(
            "/bai-du-thi/{code}?k={}&da-luu=1",
            crate::error::urlencode(&key)
        ))),
        Err(AppError::BadRequest(m)) => {
            let msg = m.get(c.lang).to_string();
            let edit = Editing {
                code: e.receipt_code.clone(),
                key,
                current_file: e.file_name.clone().unwrap_or_default(),
            };
            form_page(
                &state,
                c,
                &k.slug,
                keep,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(msg),
                Some(edit),
            )
            .await
        }
        Err(err) => Err(err),
    }
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    k: String,
}

pub async fn withdraw(
    State(state): State<AppState>,
    Identity(id): Identity,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<WithdrawForm>,
) -> AppResult<Response> {
    let (e, actor) = submission::followed(&state, &id.actor, &code, Some(&f.k)).await?;
    submission::withdraw(&state, &actor, &e).await?;
    Ok(see_other(&format!(
        "/bai-du-thi/{code}?k={}",
        crate::error::urlencode(&f.k)
    )))
}

pub struct MyRow {
    code: String,
    title: String,
    contest: String,
    submitted: String,
    status: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "contests/mine.html")]
struct MinePage {
    c: Chrome,
    rows: Vec<MyRow>,
}

/// A signed-in person's own entries, across contests, with their screening results.
pub async fn mine(
    State(state): State<AppState>,
    c: Chrome,
    me: crate::auth::session::CurrentUser,
) -> AppResult<Response> {
    let mut rows = Vec::new();
    for e in entries::by_submitter(&state.db, me.user.id).await? {
        let contest = contests::get(&state.db, e.contest_id)
            .await
            .map(|k| k.title)
            .unwrap_or_default();
        rows.push(MyRow {
            code: e.receipt_code.clone(),
            title: e.title.clone(),
            contest,
            submitted: fmt_datetime(&e.submitted_at),
            status: status_label(e.status, c.lang).to_string(),
            reason: e.status_reason.clone(),
        });
    }
    Ok(ok_html(&MinePage { c, rows }))
}
