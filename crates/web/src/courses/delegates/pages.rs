//! Pages: inviting units with quotas (organizers), nominating and the lists by unit (the
//! units' administrators and the organizers), the organizers' decisions, the CSV export.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::service::{self, NominationInput};
use crate::access::{ManagedCourse, NominatingCourse};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::courses::notice_text;
use crate::courses::service::{self as shared, delegate_status_label};
use crate::error::{AppError, AppResult};
use crate::forms::{Fields, Notice, field, form_status, or_page};
use crate::i18n::Lang;
use crate::pages::{Chrome, html, see_other};
use crate::state::AppState;

pub struct InviteRow {
    unit_id: i64,
    name: String,
    depth: i32,
    quota: String,
    nominated: i32,
}

#[derive(Template)]
#[template(path = "courses/invite.html")]
struct InvitePage {
    c: Chrome,
    slug: String,
    title: String,
    rows: Vec<InviteRow>,
    /// The "every unit with one quota" form as typed: quota, and `all` for every level.
    all_quota: String,
    all_levels: bool,
    notice: Option<String>,
    error: Option<String>,
}

async fn invite_page(
    state: &AppState,
    c: Chrome,
    ctx: &shared::CourseCtx,
    typed: Option<&Fields>,
    all: Option<&InviteAllForm>,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let invited = hoithi_storage::repo::courses::course_units(&state.db, ctx.course.id).await?;
    let depth0 = ctx.organizer.depth;
    let rows = service::invitable_units(state, ctx)
        .await?
        .into_iter()
        .map(|u| {
            let cu = invited.iter().find(|cu| cu.unit_id == u.id);
            let quota = match typed {
                Some(f) => field(f, &format!("q{}", u.id)).to_string(),
                None => cu.map(|cu| cu.quota.to_string()).unwrap_or_default(),
            };
            InviteRow {
                unit_id: u.id,
                depth: u.depth - depth0,
                name: u.name,
                quota,
                nominated: cu.map(|cu| cu.nominated).unwrap_or(0),
            }
        })
        .collect();
    Ok(html(
        form_status(&error),
        &InvitePage {
            slug: ctx.course.slug.clone(),
            title: ctx.course.title.clone(),
            rows,
            all_quota: all.map(|a| a.quota.clone()).unwrap_or_default(),
            all_levels: all.is_some_and(|a| a.levels == "all"),
            notice,
            error,
            c,
        },
    ))
}

pub async fn invite_form(
    State(state): State<AppState>,
    c: Chrome,
    ManagedCourse(ctx): ManagedCourse,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang);
    invite_page(&state, c, &ctx, None, None, notice, None).await
}

pub async fn invite(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let parsed: Result<Vec<(i64, i32)>, AppError> = f
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix('q')?.parse::<i64>().ok()?, v.trim())))
        .filter(|(_, v)| !v.is_empty())
        .map(|(id, v)| {
            v.parse::<i32>().map(|q| (id, q)).map_err(|_| {
                AppError::bad(
                    "Số lượng đại biểu của một đơn vị là số từ 0 đến 1000.",
                    "A unit's quota of delegates is a number from 0 to 1000.",
                )
            })
        })
        .collect();
    let result = match parsed {
        Ok(list) => service::invite(&state, me.actor(), &ctx, list).await,
        Err(e) => Err(e),
    };
    or_page!(result, c, error => invite_page(&state, c, &ctx, Some(&f), None, None, error).await);
    Ok(see_other(&format!(
        "/khoa-hoc/{}/don-vi?ok=moi",
        ctx.course.slug
    )))
}

#[derive(serde::Deserialize)]
pub struct InviteAllForm {
    #[serde(default)]
    quota: String,
    #[serde(default)]
    levels: String,
}

/// `POST /khoa-hoc/{course}/don-vi/tat-ca`: every unit below with one quota.
pub async fn invite_all(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    CsrfForm(f): CsrfForm<InviteAllForm>,
) -> AppResult<Response> {
    let result = service::invite_all(&state, me.actor(), &ctx, &f.quota, f.levels != "all").await;
    or_page!(result, c, error => invite_page(&state, c, &ctx, None, Some(&f), None, error).await);
    Ok(see_other(&format!(
        "/khoa-hoc/{}/don-vi?ok=moi",
        ctx.course.slug
    )))
}

/// `POST /khoa-hoc/{course}/don-vi/nhap`: units and quotas from a CSV or Excel file.
pub async fn import(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    crate::auth::csrf::CsrfMultipart(mp): crate::auth::csrf::CsrfMultipart,
) -> AppResult<Response> {
    let form = or_page!(crate::upload::read(mp).await, c, error => invite_page(&state, c, &ctx, None, None, None, error).await);
    let result = match &form.file {
        Some((name, bytes)) => {
            service::import_invitations(&state, me.actor(), &ctx, name, bytes).await
        }
        None => Err(AppError::bad(
            "Vui lòng chọn tệp CSV hoặc Excel (.xlsx).",
            "Please choose a CSV or Excel (.xlsx) file.",
        )),
    };
    or_page!(result, c, error => invite_page(&state, c, &ctx, None, None, None, error).await);
    Ok(see_other(&format!(
        "/khoa-hoc/{}/don-vi?ok=moi",
        ctx.course.slug
    )))
}

pub struct DelegateRow {
    id: i64,
    name: String,
    job_title: String,
    contact: String,
    status: &'static str,
    active: bool,
    reason: String,
    link: Option<String>,
}

pub struct UnitBlock {
    name: String,
    quota: i32,
    active: usize,
    missing: usize,
    rows: Vec<DelegateRow>,
}

#[derive(Template)]
#[template(path = "courses/delegates.html")]
struct DelegatesPage {
    c: Chrome,
    slug: String,
    title: String,
    manage: bool,
    units: Vec<UnitBlock>,
    nominable: Vec<(i64, String, i32)>,
    f: NominationInput,
    notice: Option<String>,
    error: Option<String>,
}

async fn delegates_page(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    slug: &str,
    f: NominationInput,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let ctx = shared::load(state, slug).await?;
    let lists = service::lists(state, me.actor(), &ctx).await?;
    let manage = ctx.can_manage(me.actor());
    if lists.is_empty() && !manage {
        return Err(AppError::Forbidden);
    }
    let mut nominable = Vec::new();
    let units = lists
        .iter()
        .map(|l| {
            if l.may_nominate {
                nominable.push((l.unit.id, l.unit.name.clone(), l.missing() as i32));
            }
            UnitBlock {
                name: l.unit.name.clone(),
                quota: l.cu.quota,
                active: l.active(),
                missing: l.missing(),
                rows: l
                    .delegates
                    .iter()
                    .map(|d| DelegateRow {
                        id: d.id,
                        name: d.full_name.clone(),
                        job_title: d.job_title.clone(),
                        contact: [d.phone.as_str(), d.email.as_str()]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" · "),
                        status: delegate_status_label(d.status, c.lang),
                        active: shared::is_active(d),
                        reason: d.reason.clone(),
                        link: shared::is_active(d).then(|| shared::personal_path(state, d)),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(html(
        form_status(&error),
        &DelegatesPage {
            slug: ctx.course.slug.clone(),
            title: ctx.course.title.clone(),
            manage,
            units,
            nominable,
            f,
            notice,
            error,
            c,
        },
    ))
}

pub async fn delegates(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(slug): Path<String>,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang);
    delegates_page(
        &state,
        c,
        &me,
        &slug,
        NominationInput::default(),
        notice,
        None,
    )
    .await
}

pub async fn nominate(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    NominatingCourse(ctx): NominatingCourse,
    CsrfForm(f): CsrfForm<NominationInput>,
) -> AppResult<Response> {
    let slug = ctx.course.slug.clone();
    or_page!(service::nominate(&state, me.actor(), &ctx, f.clone()).await, c, error =>
        delegates_page(&state, c, &me, &slug, f, None, error).await);
    Ok(see_other(&format!("/khoa-hoc/{slug}/dai-bieu?ok=de-cu")))
}

#[derive(serde::Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    Path((_, delegate)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> AppResult<Response> {
    let slug = ctx.course.slug.clone();
    let id: i64 = delegate.parse().map_err(|_| AppError::NotFound)?;
    let accept = match f.decision.as_str() {
        "accept" => true,
        "refuse" => false,
        _ => {
            return Err(AppError::bad(
                "Vui lòng chọn nhận hoặc không nhận đại biểu.",
                "Please choose to accept or refuse the delegate.",
            ));
        }
    };
    or_page!(service::decide(&state, me.actor(), &ctx, id, accept, &f.reason).await, c, error =>
        delegates_page(&state, c, &me, &slug, NominationInput::default(), None, error).await);
    Ok(see_other(&format!(
        "/khoa-hoc/{slug}/dai-bieu?ok=quyet-dinh"
    )))
}

#[derive(Template)]
#[template(path = "courses/swap.html")]
struct SwapPage {
    c: Chrome,
    slug: String,
    title: String,
    delegate_id: i64,
    /// The delegate being replaced, as shown: name, position, unit.
    old_name: String,
    old_job: String,
    unit: String,
    reason: String,
    f: NominationInput,
    error: Option<String>,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct SwapForm {
    #[serde(default)]
    reason: String,
    #[serde(flatten)]
    person: NominationInput,
}

async fn swap_page(
    state: &AppState,
    c: Chrome,
    ctx: &shared::CourseCtx,
    delegate: &str,
    f: SwapForm,
    error: Option<String>,
) -> AppResult<Response> {
    let id: i64 = delegate.parse().map_err(|_| AppError::NotFound)?;
    let d = hoithi_storage::repo::courses::delegate(&state.db, id)
        .await
        .ok()
        .filter(|d| d.course_id == ctx.course.id && shared::is_active(d))
        .ok_or(AppError::NotFound)?;
    let unit = hoithi_storage::repo::units::get(&state.db, d.unit_id).await?;
    Ok(html(
        form_status(&error),
        &SwapPage {
            slug: ctx.course.slug.clone(),
            title: ctx.course.title.clone(),
            delegate_id: d.id,
            old_name: d.full_name,
            old_job: d.job_title,
            unit: unit.name,
            reason: f.reason,
            f: f.person,
            error,
            c,
        },
    ))
}

/// `GET /khoa-hoc/{course}/dai-bieu/{delegate}/thay`: the form to replace a delegate.
pub async fn swap_form(
    State(state): State<AppState>,
    c: Chrome,
    ManagedCourse(ctx): ManagedCourse,
    Path((_, delegate)): Path<(String, String)>,
) -> AppResult<Response> {
    swap_page(&state, c, &ctx, &delegate, SwapForm::default(), None).await
}

pub async fn swap(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    Path((_, delegate)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<SwapForm>,
) -> AppResult<Response> {
    let id: i64 = delegate.parse().map_err(|_| AppError::NotFound)?;
    or_page!(
        service::swap(&state, me.actor(), &ctx, id, &f.reason, f.person.clone()).await,
        c,
        error => swap_page(&state, c, &ctx, &delegate, f, error).await
    );
    Ok(see_other(&format!(
        "/khoa-hoc/{}/dai-bieu?ok=thay",
        ctx.course.slug
    )))
}

/// The lists by unit as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
/// Vietnamese letters).
pub async fn csv(
    State(state): State<AppState>,
    lang: Lang,
    me: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let ctx = shared::load(&state, &slug).await?;
    let lists = service::lists(&state, me.actor(), &ctx).await?;
    if lists.is_empty() && !ctx.can_manage(me.actor()) {
        return Err(AppError::Forbidden);
    }
    let t = lang.tr().courses;
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let err = |e: csv::Error| AppError::Internal(e.to_string());
    w.write_record([
        t.unit,
        t.full_name,
        t.job_title,
        t.phone,
        t.email,
        t.status,
        t.reason,
    ])
    .map_err(err)?;
    for l in &lists {
        for d in &l.delegates {
            w.write_record([
                l.unit.name.as_str(),
                d.full_name.as_str(),
                d.job_title.as_str(),
                d.phone.as_str(),
                d.email.as_str(),
                delegate_status_label(d.status, lang),
                d.reason.as_str(),
            ])
            .map_err(err)?;
        }
        for _ in 0..l.missing() {
            w.write_record([l.unit.name.as_str(), t.missing_place, "", "", "", "", ""])
                .map_err(err)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"dai-bieu-{slug}.csv\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
