//! Pages of a course: the list, creation, the course page with its agenda (and, for its
//! organizers, sessions, status and the links to every list), adding a session, status.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hoithi_storage::repo::courses;
use hoithi_storage::status::{CourseKind, CourseStatus};

use super::service::{self, CourseInput, SessionInput};
use crate::access::ManagedCourse;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::{CurrentUser, Identity};
use crate::courses::notice_text;
use crate::courses::service::{self as shared, fmt_time, kind_label, status_label};
use crate::error::{AppError, AppResult};
use crate::format::{fmt_date, fmt_datetime};
use crate::forms::{Notice, form_status, or_page};
use crate::pages::{Chrome, html, ok_html, see_other};
use crate::policy::{Action, Reach, reach};
use crate::state::AppState;

pub struct CourseRow {
    slug: String,
    title: String,
    kind: &'static str,
    status: &'static str,
    organizer: String,
}

#[derive(Template)]
#[template(path = "courses/index.html")]
struct IndexPage {
    c: Chrome,
    rows: Vec<CourseRow>,
    can_create: bool,
}

/// Courses the caller may see: every course past its draft, and the drafts they manage.
pub async fn index(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
) -> AppResult<Response> {
    let actor = &id.actor;
    let mut rows = Vec::new();
    for k in courses::list(&state.db).await? {
        let ctx = shared::load_id(&state, k.id).await?;
        if k.status == CourseStatus::Draft && !ctx.can_manage(actor) {
            continue;
        }
        rows.push(CourseRow {
            slug: k.slug,
            title: k.title,
            kind: kind_label(k.kind, c.lang),
            status: status_label(k.status, c.lang),
            organizer: ctx.organizer.name,
        });
    }
    let can_create = reach(actor, Action::CreateCourse) != Reach::Nowhere;
    Ok(ok_html(&IndexPage {
        c,
        rows,
        can_create,
    }))
}

#[derive(Template)]
#[template(path = "courses/new.html")]
struct NewPage {
    c: Chrome,
    units: Vec<(i64, String)>,
    /// Courses of the units above that this one may pass on: id, title, organizing unit.
    parents: Vec<(i64, String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    f: CourseInput,
    error: Option<String>,
}

async fn new_page(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    f: CourseInput,
    error: Option<String>,
) -> AppResult<Response> {
    let units = service::organizer_units(state, me.actor()).await?;
    if units.is_empty() {
        return Err(AppError::Forbidden);
    }
    let kinds = CourseKind::ALL
        .iter()
        .map(|k| (k.as_str(), kind_label(*k, c.lang)))
        .collect();
    let paths: Vec<&str> = units.iter().map(|u| u.path.as_str()).collect();
    let mut parents = Vec::new();
    for k in service::parent_candidates(state, &paths).await? {
        let unit = hoithi_storage::repo::units::get(&state.db, k.organizer_unit_id)
            .await
            .map(|u| u.name)
            .unwrap_or_default();
        parents.push((k.id, k.title, unit));
    }
    Ok(html(
        form_status(&error),
        &NewPage {
            parents,
            units: units.into_iter().map(|u| (u.id, u.name)).collect(),
            kinds,
            f,
            error,
            c,
        },
    ))
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    /// The course to pass on (from its page's "hold a cascade course" link).
    #[serde(rename = "cap-tren", default)]
    parent: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let mut f = CourseInput {
        completion_share: "80".into(),
        kind: CourseKind::BoiDuong.as_str().into(),
        ..Default::default()
    };
    if let Ok(id) = q.parent.trim().parse::<i64>()
        && let Ok(p) = courses::get(&state.db, id).await
    {
        // A cascade passes the same material on: its title and kind to start from.
        f.parent_course_id = id.to_string();
        f.title = p.title;
        f.kind = p.kind.as_str().into();
    }
    new_page(&state, c, &me, f, None).await
}

pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    CsrfForm(f): CsrfForm<CourseInput>,
) -> AppResult<Response> {
    let saved = or_page!(service::create(&state, me.actor(), f.clone()).await, c, error =>
        new_page(&state, c, &me, f, error).await);
    Ok(see_other(&format!("/khoa-hoc/{}?ok=tao", saved.slug)))
}

pub struct SessionRow {
    pub id: i64,
    pub day: String,
    pub time: String,
    pub room: String,
    pub speaker: String,
    pub topic: String,
}

pub fn session_rows(list: &[courses::Session]) -> Vec<SessionRow> {
    list.iter()
        .map(|s| SessionRow {
            id: s.id,
            day: fmt_date(&s.starts_at),
            time: format!("{}–{}", fmt_time(&s.starts_at), fmt_time(&s.ends_at)),
            room: s.room.clone(),
            speaker: s.speaker.clone(),
            topic: s.topic.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "courses/show.html")]
struct ShowPage {
    c: Chrome,
    slug: String,
    title: String,
    description: String,
    venue: String,
    kind: &'static str,
    status: String,
    status_label: &'static str,
    organizer: String,
    deadline: String,
    sessions: Vec<SessionRow>,
    manage: bool,
    check_in: bool,
    nominate: bool,
    my_link: Option<String>,
    /// Published posts that report the course.
    news: Vec<crate::news::public::service::Item>,
    /// The course this one passes on (address, title), if any.
    parent: Option<(String, String)>,
    /// The courses that pass this one on one level down: address, title, organizing unit.
    cascades: Vec<(String, String, String)>,
    /// The course's id, when the viewer may hold a cascade course of it below.
    cascade_from: Option<i64>,
    /// The materials the viewer may see.
    materials: Vec<crate::courses::materials::service::MaterialView>,
    statuses: Vec<(&'static str, &'static str)>,
    s: SessionInput,
    notice: Option<String>,
    error: Option<String>,
}

async fn show_page(
    state: &AppState,
    c: Chrome,
    actor: &crate::policy::Actor,
    slug: &str,
    notice: Option<String>,
    s: SessionInput,
    error: Option<String>,
) -> AppResult<Response> {
    let ctx = shared::visible(state, actor, slug).await?;
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    let manage = ctx.can_manage(actor);
    let nominate = !crate::courses::delegates::service::nominable_units(state, actor, &ctx)
        .await?
        .is_empty();
    let my_link = match actor.user_id() {
        Some(uid) => courses::delegates_of_user(&state.db, uid)
            .await?
            .into_iter()
            .find(|d| d.course_id == ctx.course.id && shared::is_active(d))
            .map(|d| shared::personal_path(state, &d)),
        None => None,
    };
    let k = &ctx.course;
    let news =
        crate::news::public::pages::about(state, hoithi_storage::repo::news::COURSE, k.id).await?;
    let parent = match k.parent_course_id {
        Some(id) => courses::get(&state.db, id)
            .await
            .ok()
            .map(|p| (p.slug, p.title)),
        None => None,
    };
    let mut cascades = Vec::new();
    for child in courses::children(&state.db, k.id).await? {
        if child.status == CourseStatus::Draft
            && shared::visible(state, actor, &child.slug).await.is_err()
        {
            continue;
        }
        let unit = hoithi_storage::repo::units::get(&state.db, child.organizer_unit_id)
            .await
            .map(|u| u.name)
            .unwrap_or_default();
        cascades.push((child.slug, child.title, unit));
    }
    // From the actor's reach, not the unit list: this runs on every view of a course page.
    // A root below the organizer, or at or above it (its subtree holds the units below).
    let here = k.organizer_path.as_str();
    let below = match crate::policy::reach(actor, crate::policy::Action::CreateCourse) {
        crate::policy::Reach::Everywhere => true,
        crate::policy::Reach::Within(roots) => roots
            .iter()
            .any(|r| r.as_str().starts_with(here) || here.starts_with(r.as_str())),
        crate::policy::Reach::Nowhere => false,
    };
    let cascade_from = (below && k.status != CourseStatus::Draft).then_some(k.id);
    let private =
        crate::courses::materials::service::sees_private(state, actor, &ctx, None).await?;
    let materials = crate::courses::materials::service::visible_list(
        state,
        &ctx,
        private,
        &format!("/khoa-hoc/{}/tai-lieu", k.slug),
    )
    .await?;
    Ok(html(
        form_status(&error),
        &ShowPage {
            news,
            parent,
            cascades,
            cascade_from,
            materials,
            slug: k.slug.clone(),
            title: k.title.clone(),
            description: k.description.clone(),
            venue: k.venue.clone(),
            kind: kind_label(k.kind, c.lang),
            status: k.status.as_str().to_string(),
            status_label: status_label(k.status, c.lang),
            organizer: ctx.organizer.name.clone(),
            deadline: fmt_datetime(&k.nomination_deadline),
            sessions: session_rows(&sessions),
            check_in: ctx.can_check_in(actor),
            manage,
            nominate,
            my_link,
            statuses: CourseStatus::ALL
                .iter()
                .map(|x| (x.as_str(), status_label(*x, c.lang)))
                .collect(),
            s,
            notice,
            error,
            c,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(slug): Path<String>,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang);
    let s = SessionInput {
        late_after: "15".into(),
        ..Default::default()
    };
    show_page(&state, c, &id.actor, &slug, notice, s, None).await
}

pub async fn add_session(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    CsrfForm(f): CsrfForm<SessionInput>,
) -> AppResult<Response> {
    let slug = ctx.course.slug.clone();
    or_page!(service::add_session(&state, me.actor(), &ctx, f.clone()).await, c, error =>
        show_page(&state, c, me.actor(), &slug, None, f, error).await);
    Ok(see_other(&format!("/khoa-hoc/{slug}?ok=buoi")))
}

#[derive(serde::Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    CsrfForm(f): CsrfForm<StatusForm>,
) -> AppResult<Response> {
    let slug = ctx.course.slug.clone();
    let blank = SessionInput::default();
    or_page!(service::set_status(&state, me.actor(), &ctx, &f.status).await, c, error =>
        show_page(&state, c, me.actor(), &slug, None, blank, error).await);
    Ok(see_other(&format!("/khoa-hoc/{slug}?ok=trang-thai")))
}
