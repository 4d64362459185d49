//! Pages: the follow-up page (a unit's plan and reports; for the organizers, the dashboard
//! rolled up through the unit tree, the deadline and reminders).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hoithi_storage::repo::courses::followup;

use super::service::{self, PlanInput, ReportInput};
use crate::access::{ManagedCourse, NominatingCourse};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::courses::service as shared;
use crate::error::{AppError, AppResult};
use crate::format::{fmt_date, fmt_number};
use crate::forms::{Fields, field, form_status, or_page};
use crate::pages::{Chrome, html, see_other};
use crate::state::AppState;

pub struct RollRow {
    unit_id: i64,
    name: String,
    invited: usize,
    planned: usize,
    reported: usize,
    overdue: usize,
    sessions: usize,
    reached: String,
    expected: String,
    headcount: String,
    drill: bool,
}

fn row(r: &service::Rollup) -> RollRow {
    RollRow {
        unit_id: r.unit.id,
        name: r.unit.name.clone(),
        invited: r.invited,
        planned: r.planned,
        reported: r.reported,
        overdue: r.overdue,
        sessions: r.sessions,
        reached: fmt_number(r.reached),
        expected: fmt_number(r.expected),
        headcount: fmt_number(r.headcount),
        drill: r.has_children,
    }
}

pub struct MyUnit {
    id: i64,
    name: String,
    plan: Option<String>,
    reports: Vec<String>,
}

#[derive(Template)]
#[template(path = "courses/followup.html")]
struct FollowupPage {
    c: Chrome,
    slug: String,
    title: String,
    manage: bool,
    deadline: String,
    total: Option<RollRow>,
    rows: Vec<RollRow>,
    overdue: Vec<String>,
    mine: Vec<MyUnit>,
    f: Fields,
    notice: Option<String>,
    error: Option<String>,
}

impl FollowupPage {
    /// What was typed in a refused form of this unit.
    fn typed(&self, unit: &i64, name: &str) -> &str {
        if field(&self.f, "unit_id") == unit.to_string() {
            field(&self.f, name)
        } else {
            ""
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct FollowupQuery {
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    ok: Option<String>,
}

async fn followup_page(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    slug: &str,
    q: FollowupQuery,
    f: Fields,
    error: Option<String>,
) -> AppResult<Response> {
    let ctx = shared::load(state, slug).await?;
    let manage = ctx.can_manage(me.actor());
    let my_units =
        crate::courses::delegates::service::nominable_units(state, me.actor(), &ctx).await?;
    if !manage && my_units.is_empty() {
        return Err(AppError::Forbidden);
    }
    let (total, rows, overdue) = if manage {
        let at = q.unit.as_deref().and_then(|u| u.parse().ok());
        let d = service::dashboard(state, &ctx, at).await?;
        (
            Some(row(&d.total)),
            d.rows.iter().map(row).collect(),
            d.overdue.into_iter().map(|u| u.name).collect(),
        )
    } else {
        (None, Vec::new(), Vec::new())
    };
    let plans = followup::plans(&state.db, ctx.course.id).await?;
    let reports = followup::reports(&state.db, ctx.course.id).await?;
    let t = c.t.courses;
    // The units the caller reports for (for organizers: the units they may report for too).
    let mine = my_units
        .into_iter()
        .filter(|(cu, _)| {
            !manage
                || me
                    .actor()
                    .unit_path()
                    .is_some_and(|p| p.contains(&cu.unit_path))
        })
        .map(|(cu, u)| MyUnit {
            id: u.id,
            name: u.name,
            plan: plans.iter().find(|p| p.unit_id == cu.unit_id).map(|p| {
                t.plan_line(
                    fmt_date(&p.starts_on),
                    fmt_date(&p.ends_on),
                    &p.audience,
                    fmt_number(p.expected_people.into()),
                )
            }),
            reports: reports
                .iter()
                .filter(|r| r.unit_id == cu.unit_id)
                .map(|r| {
                    t.report_line(
                        fmt_date(&r.held_on),
                        &r.place,
                        fmt_number(r.participants.into()),
                    )
                })
                .collect(),
        })
        .collect();
    Ok(html(
        form_status(&error),
        &FollowupPage {
            slug: ctx.course.slug.clone(),
            title: ctx.course.title.clone(),
            manage,
            deadline: ctx
                .course
                .followup_deadline
                .as_ref()
                .map(fmt_date)
                .unwrap_or_default(),
            total,
            rows,
            overdue,
            mine,
            f,
            notice: crate::courses::notice_text(q.ok.as_deref(), c.lang),
            error,
            c,
        },
    ))
}

pub async fn followup(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(slug): Path<String>,
    axum::extract::Query(q): Query<FollowupQuery>,
) -> AppResult<Response> {
    followup_page(&state, c, &me, &slug, q, Vec::new(), None).await
}

fn plan_input(f: &Fields) -> PlanInput {
    PlanInput {
        unit_id: field(f, "unit_id").into(),
        starts: field(f, "starts").into(),
        ends: field(f, "ends").into(),
        audience: field(f, "audience").into(),
        expected: field(f, "expected").into(),
    }
}

fn report_input(f: &Fields) -> ReportInput {
    ReportInput {
        unit_id: field(f, "unit_id").into(),
        held_on: field(f, "held_on").into(),
        place: field(f, "place").into(),
        participants: field(f, "participants").into(),
        notes: field(f, "notes").into(),
    }
}

pub async fn plan(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    NominatingCourse(ctx): NominatingCourse,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let slug = ctx.course.slug.clone();
    or_page!(service::set_plan(&state, me.actor(), &ctx, plan_input(&f)).await, c, error =>
        followup_page(&state, c, &me, &slug, FollowupQuery::default(), f, error).await);
    Ok(see_other(&format!(
        "/khoa-hoc/{slug}/trien-khai?ok=ke-hoach"
    )))
}

pub async fn report(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    NominatingCourse(ctx): NominatingCourse,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let slug = ctx.course.slug.clone();
    or_page!(service::add_report(&state, me.actor(), &ctx, report_input(&f)).await, c, error =>
        followup_page(&state, c, &me, &slug, FollowupQuery::default(), f, error).await);
    Ok(see_other(&format!(
        "/khoa-hoc/{slug}/trien-khai?ok=bao-cao"
    )))
}

pub async fn deadline(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let slug = ctx.course.slug.clone();
    or_page!(service::set_deadline(&state, me.actor(), &ctx, field(&f, "deadline")).await, c, error =>
        followup_page(&state, c, &me, &slug, FollowupQuery::default(), f, error).await);
    Ok(see_other(&format!("/khoa-hoc/{slug}/trien-khai?ok=luu")))
}

pub async fn remind(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let slug = ctx.course.slug.clone();
    service::remind(&state, me.actor(), &ctx).await?;
    Ok(see_other(&format!("/khoa-hoc/{slug}/trien-khai?ok=nhac")))
}
