//! Pages of materials: the organizers' list (add, edit, reorder, remove) and the downloads,
//! from the course page or through a delegate's personal link.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hoithi_storage::repo::courses::{self, materials};

use super::service::{self, MaterialInput, MaterialView, Opened};
use crate::access::ManagedCourse;
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::auth::session::{CurrentUser, Identity};
use crate::courses::notice_text;
use crate::courses::service::{self as shared, CourseCtx};
use crate::error::{AppError, AppResult};
use crate::forms::{Fields, Notice, field, form_status, or_page};
use crate::pages::{Chrome, html, see_other};
use crate::state::AppState;

/// The `{material}` of a path; a malformed one is an unknown material.
fn material_id(p: &HashMap<String, String>) -> AppResult<i64> {
    p.get("material")
        .and_then(|v| v.parse().ok())
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "courses/materials.html")]
struct ManagePage {
    c: Chrome,
    slug: String,
    course: String,
    rows: Vec<MaterialView>,
    sessions: Vec<(i64, String)>,
    f: MaterialInput,
    notice: Option<String>,
    error: Option<String>,
}

fn session_choices(list: &[courses::Session]) -> Vec<(i64, String)> {
    list.iter()
        .map(|s| {
            (
                s.id,
                format!(
                    "{} {} — {}",
                    crate::format::fmt_date(&s.starts_at),
                    shared::fmt_time(&s.starts_at),
                    s.topic
                ),
            )
        })
        .collect()
}

async fn manage_page(
    state: &AppState,
    c: Chrome,
    ctx: &CourseCtx,
    f: MaterialInput,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    let base = format!("/khoa-hoc/{}/tai-lieu", ctx.course.slug);
    let rows = materials::list(&state.db, ctx.course.id)
        .await?
        .into_iter()
        .map(|m| service::view(m, &sessions, &base))
        .collect();
    Ok(html(
        form_status(&error),
        &ManagePage {
            slug: ctx.course.slug.clone(),
            course: ctx.course.title.clone(),
            rows,
            sessions: session_choices(&sessions),
            f,
            notice,
            error,
            c,
        },
    ))
}

/// `GET /khoa-hoc/{course}/tai-lieu`: the organizers' list and the form to add one.
pub async fn manage(
    State(state): State<AppState>,
    c: Chrome,
    ManagedCourse(ctx): ManagedCourse,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang);
    let f = MaterialInput {
        visibility: materials::DELEGATES.into(),
        ..Default::default()
    };
    manage_page(&state, c, &ctx, f, notice, None).await
}

/// `POST /khoa-hoc/{course}/tai-lieu` (multipart): adds a file or a link.
pub async fn add(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    CsrfMultipart(mp): CsrfMultipart,
) -> AppResult<Response> {
    let form = crate::upload::read(mp).await;
    let (f, result) = match form {
        Ok(form) => {
            let f = MaterialInput::from_fields(&form.fields);
            let r = service::add(&state, me.actor(), &ctx, f.clone(), form.file).await;
            (f, r)
        }
        Err(e) => (MaterialInput::default(), Err(e)),
    };
    or_page!(result, c, error => manage_page(&state, c, &ctx, f, None, error).await);
    Ok(see_other(&format!(
        "/khoa-hoc/{}/tai-lieu?ok=tai-lieu",
        ctx.course.slug
    )))
}

#[derive(Template)]
#[template(path = "courses/material_edit.html")]
struct EditPage {
    c: Chrome,
    slug: String,
    course: String,
    id: i64,
    is_link: bool,
    file: String,
    sessions: Vec<(i64, String)>,
    f: MaterialInput,
    error: Option<String>,
}

async fn edit_page(
    state: &AppState,
    c: Chrome,
    ctx: &CourseCtx,
    id: i64,
    f: Option<MaterialInput>,
    error: Option<String>,
) -> AppResult<Response> {
    let m = service::of_course(state, ctx, id).await?;
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    Ok(html(
        form_status(&error),
        &EditPage {
            slug: ctx.course.slug.clone(),
            course: ctx.course.title.clone(),
            id: m.id,
            is_link: m.kind == materials::LINK,
            file: if m.kind == materials::FILE {
                format!(
                    "{} ({}, {})",
                    m.file_name,
                    m.format,
                    service::human_size(m.size_bytes)
                )
            } else {
                String::new()
            },
            sessions: session_choices(&sessions),
            f: f.unwrap_or_else(|| MaterialInput::of(&m)),
            error,
            c,
        },
    ))
}

/// `GET /khoa-hoc/{course}/tai-lieu/{material}/sua`.
pub async fn edit_form(
    State(state): State<AppState>,
    c: Chrome,
    ManagedCourse(ctx): ManagedCourse,
    Path(p): Path<HashMap<String, String>>,
) -> AppResult<Response> {
    let id = material_id(&p)?;
    edit_page(&state, c, &ctx, id, None, None).await
}

/// `POST /khoa-hoc/{course}/tai-lieu/{material}/sua`.
pub async fn edit(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    Path(p): Path<HashMap<String, String>>,
    CsrfForm(fields): CsrfForm<Fields>,
) -> AppResult<Response> {
    let id = material_id(&p)?;
    let f = MaterialInput::from_fields(&fields);
    or_page!(service::edit(&state, me.actor(), &ctx, id, f.clone()).await, c, error =>
        edit_page(&state, c, &ctx, id, Some(f), error).await);
    Ok(see_other(&format!(
        "/khoa-hoc/{}/tai-lieu?ok=tai-lieu-luu",
        ctx.course.slug
    )))
}

/// `POST /khoa-hoc/{course}/tai-lieu/{material}/xoa`.
pub async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    Path(p): Path<HashMap<String, String>>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let id = material_id(&p)?;
    service::remove(&state, me.actor(), &ctx, id).await?;
    Ok(see_other(&format!(
        "/khoa-hoc/{}/tai-lieu?ok=tai-lieu-xoa",
        ctx.course.slug
    )))
}

/// `POST /khoa-hoc/{course}/tai-lieu/{material}/thu-tu` with `dir` = `len` (up) or `xuong`.
pub async fn shift(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    Path(p): Path<HashMap<String, String>>,
    CsrfForm(fields): CsrfForm<Fields>,
) -> AppResult<Response> {
    let id = material_id(&p)?;
    let up = match field(&fields, "dir") {
        "len" => true,
        "xuong" => false,
        _ => {
            return Err(AppError::bad(
                "Hướng chuyển không hợp lệ.",
                "Not a valid direction.",
            ));
        }
    };
    service::shift(&state, me.actor(), &ctx, id, up).await?;
    Ok(see_other(&format!(
        "/khoa-hoc/{}/tai-lieu?ok=tai-lieu-thu-tu#tai-lieu-{id}",
        ctx.course.slug
    )))
}

fn opened(o: Opened, public: bool) -> Response {
    match o {
        Opened::Link(url) => see_other(&url),
        Opened::File {
            bytes,
            mime,
            disposition,
        } => (
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                (
                    header::CACHE_CONTROL,
                    if public {
                        "public, max-age=300"
                    } else {
                        "private, no-store"
                    }
                    .to_string(),
                ),
            ],
            bytes,
        )
            .into_response(),
    }
}

/// `GET /khoa-hoc/{course}/tai-lieu/{material}`: the file (or the link) for whoever may see it.
/// A delegate-only material asks a visitor to sign in (or to open their personal link, whose
/// cookie this phone may already hold), and is refused to other accounts.
pub async fn open(
    State(state): State<AppState>,
    Identity(id): Identity,
    headers: axum::http::HeaderMap,
    Path(p): Path<HashMap<String, String>>,
) -> AppResult<Response> {
    let slug = p.get("course").cloned().unwrap_or_default();
    let ctx = shared::visible(&state, &id.actor, &slug).await?;
    let m = service::of_course(&state, &ctx, material_id(&p)?).await?;
    let public = m.visibility == materials::PUBLIC;
    if !public {
        let mut private = service::sees_private(&state, &id.actor, &ctx, None).await?;
        if !private
            && let Some(badge) = crate::courses::checkin::paper::cookie_badge(&headers)
            && let Ok((k, d, _)) = shared::by_badge(&state, &id.actor, &badge).await
            && k.course.id == ctx.course.id
        {
            private = service::sees_private(&state, &id.actor, &ctx, Some(&d)).await?;
        }
        if !private {
            return Err(if id.actor.is_signed_in() {
                AppError::Forbidden
            } else {
                AppError::SignInRequired
            });
        }
    }
    Ok(opened(service::open(&state, &m).await?, public))
}

/// `GET /dai-bieu/{token}/tai-lieu/{material}`: a material through the delegate's personal link.
pub async fn personal_open(
    State(state): State<AppState>,
    Identity(id): Identity,
    Path(p): Path<HashMap<String, String>>,
) -> AppResult<Response> {
    let token = p.get("token").cloned().unwrap_or_default();
    let (ctx, d, actor) = shared::by_badge(&state, &id.actor, &token).await?;
    let m = service::of_course(&state, &ctx, material_id(&p)?).await?;
    let private = service::sees_private(&state, &actor, &ctx, Some(&d)).await?;
    if !service::may_see(&m, private) {
        return Err(AppError::Forbidden);
    }
    let public = m.visibility == materials::PUBLIC;
    Ok(opened(service::open(&state, &m).await?, public))
}
