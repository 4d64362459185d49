//! Pages: the delegate's personal link (badge, QR, sessions, self check-in; for staff, the
//! one-button confirmation), the staff desk (search without diacritics, typed code,
//! corrections), and the room screen with its rotating code.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use hoithi_storage::repo::courses::{self, Delegate, checkins};
use hoithi_storage::repo::units;
use hoithi_storage::status::{AttendanceStatus, CheckinMethod};

use super::service;
use crate::access::StaffedCourse;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::{CurrentUser, Identity};
use crate::courses::notice_text;
use crate::courses::service::{self as shared, CourseCtx, attendance_label};
use crate::error::{AppError, AppResult};
use crate::forms::{Notice, form_status, or_page};
use crate::pages::{Chrome, html, ok_html, see_other};
use crate::policy::Actor;
use crate::state::AppState;

pub struct MySession {
    id: i64,
    label: String,
    status: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "courses/badge.html")]
struct BadgePage {
    c: Chrome,
    token: String,
    slug: String,
    course: String,
    name: String,
    job_title: String,
    unit: String,
    short_code: String,
    link: String,
    qr_svg: String,
    sessions: Vec<MySession>,
    staff: bool,
    survey_open: bool,
    answered: bool,
    completed: bool,
    certificate: Option<String>,
    /// The materials the delegate may see, opened through the personal link.
    materials: Vec<crate::courses::materials::service::MaterialView>,
    notice: Option<String>,
    error: Option<String>,
}

async fn my_sessions(
    state: &AppState,
    ctx: &CourseCtx,
    d: &Delegate,
    lang: crate::i18n::Lang,
) -> AppResult<Vec<MySession>> {
    let mine = checkins::of_delegate(&state.db, d.id).await?;
    Ok(courses::sessions(&state.db, ctx.course.id)
        .await?
        .into_iter()
        .map(|s| MySession {
            id: s.id,
            label: format!(
                "{} {} — {}",
                crate::format::fmt_date(&s.starts_at),
                shared::fmt_time(&s.starts_at),
                s.topic
            ),
            status: mine
                .iter()
                .find(|c| c.session_id == s.id)
                .map(|c| attendance_label(c.status, lang)),
        })
        .collect())
}

async fn badge_page(
    state: &AppState,
    c: Chrome,
    actor: &Actor,
    token: &str,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let (ctx, d, holder) = shared::by_badge(state, actor, token).await?;
    let unit = units::get(&state.db, d.unit_id).await?.name;
    let private =
        crate::courses::materials::service::sees_private(state, &holder, &ctx, Some(&d)).await?;
    let materials = crate::courses::materials::service::visible_list(
        state,
        &ctx,
        private,
        &format!("/dai-bieu/{token}/tai-lieu"),
    )
    .await?;
    let link = shared::personal_url(state, &d);
    let qr_svg = hoithi_checkin::qr::svg(&link, c.t.courses.badge_qr_label).unwrap_or_default();
    let progress = crate::courses::attendance::service::progress(state, &ctx, &d).await?;
    let certificate = crate::courses::attendance::service::certificate_of(state, &d)
        .await?
        .map(|c| c.code);
    Ok(html(
        form_status(&error),
        &BadgePage {
            token: token.to_string(),
            slug: ctx.course.slug.clone(),
            course: ctx.course.title.clone(),
            name: d.full_name.clone(),
            job_title: d.job_title.clone(),
            unit,
            short_code: format!("DB-{}", d.id),
            qr_svg,
            link,
            sessions: my_sessions(state, &ctx, &d, c.lang).await?,
            staff: ctx.can_check_in(actor),
            survey_open: crate::courses::survey::service::is_open(state, &ctx, &d).await?,
            answered: progress.answered,
            completed: progress.completed,
            certificate,
            materials,
            notice,
            error,
            c,
        },
    ))
}

pub async fn badge(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(token): Path<String>,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang);
    let secure = state.config.secure_cookies;
    let mut res = badge_page(&state, c, &id.actor, &token, notice, None).await?;
    // This phone now holds the badge: the room screen's QR code, scanned with it, knows whose
    // it is (a staff member opening someone's badge keeps their own, see `remember_badge`).
    if let Some(signed) = remember_badge(&state, &id.actor, &token).await
        && let Ok(v) = axum::http::HeaderValue::from_str(&format!(
            "{}={}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax{}",
            super::paper::BADGE_COOKIE,
            signed,
            if secure { "; Secure" } else { "" }
        ))
    {
        res.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
    Ok(res)
}

/// Whether opening this personal link should make the phone the delegate's: when the delegate
/// opens it (signed in to their own account, or signed out as a delegate without one opens
/// the link from their message), never when someone else signed in opens it — staff checking
/// the delegate in, or the unit administrator who nominated them.
async fn remember_badge(state: &AppState, actor: &Actor, token: &str) -> Option<String> {
    let (_, d, _) = shared::by_badge(state, actor, token).await.ok()?;
    let mine = match actor.user_id() {
        Some(uid) => d.user_id == Some(uid),
        None => true,
    };
    (shared::is_active(&d) && mine).then(|| shared::signed_badge(state, &d))
}

#[derive(serde::Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    session_id: String,
    #[serde(default)]
    code: String,
}

fn session_id(f: &SessionForm) -> AppResult<i64> {
    f.session_id
        .trim()
        .parse()
        .map_err(|_| AppError::bad("Vui lòng chọn buổi học.", "Please choose the session."))
}

/// A staff member who opened the badge's QR link confirms presence with one button.
pub async fn confirm(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(token): Path<String>,
    CsrfForm(f): CsrfForm<SessionForm>,
) -> AppResult<Response> {
    let (ctx, d, _) = shared::by_badge(&state, me.actor(), &token).await?;
    shared::require(ctx.can_check_in(me.actor()))?;
    let result = async {
        let sid = session_id(&f)?;
        let d = service::badge_in_course(&state, &ctx, &token)
            .await
            .map(|_| d)?;
        service::check_in(
            &state,
            me.actor(),
            &ctx,
            sid,
            d,
            CheckinMethod::Staff,
            None,
            hoithi_storage::time::now(),
        )
        .await
    }
    .await;
    let out = or_page!(result, c, error =>
        badge_page(&state, c, me.actor(), &token, None, error).await);
    let code = if out.recorded { "co-mat" } else { "da-co-mat" };
    Ok(see_other(&format!("/dai-bieu/{token}?ok={code}")))
}

/// The delegate types (or scans) the room's current code.
pub async fn self_check_in(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(token): Path<String>,
    CsrfForm(f): CsrfForm<SessionForm>,
) -> AppResult<Response> {
    let (ctx, d, holder) = shared::by_badge(&state, &id.actor, &token).await?;
    let result = match session_id(&f) {
        Ok(sid) => service::self_check_in(&state, &holder, &ctx, &d, sid, &f.code).await,
        Err(e) => Err(e),
    };
    let out = or_page!(result, c, error =>
        badge_page(&state, c, &id.actor, &token, None, error).await);
    let code = if out.recorded { "co-mat" } else { "da-co-mat" };
    Ok(see_other(&format!("/dai-bieu/{token}?ok={code}")))
}

// ---- the desk ----

pub struct FoundRow {
    id: i64,
    name: String,
    unit: String,
    status: Option<&'static str>,
}

pub struct RosterRow {
    id: i64,
    name: String,
    unit: String,
    status: String,
    label: &'static str,
    reason: String,
}

#[derive(Template)]
#[template(path = "courses/desk.html")]
struct DeskPage {
    c: Chrome,
    slug: String,
    title: String,
    sessions: Vec<(i64, String)>,
    session: i64,
    q: String,
    found: Vec<FoundRow>,
    searched: bool,
    roster: Vec<RosterRow>,
    statuses: Vec<(&'static str, &'static str)>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct DeskQuery {
    #[serde(default)]
    session: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    ok: Option<String>,
}

async fn desk_page(
    state: &AppState,
    c: Chrome,
    ctx: &CourseCtx,
    query: DeskQuery,
    error: Option<String>,
) -> AppResult<Response> {
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    let session = query
        .session
        .as_deref()
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|id| sessions.iter().any(|s| s.id == *id))
        .or_else(|| sessions.first().map(|s| s.id))
        .unwrap_or(0);
    let all = checkins::of_course(&state.db, ctx.course.id).await?;
    let status_of = |d: i64| {
        all.iter()
            .find(|c| c.session_id == session && c.delegate_id == d)
    };
    let q = query.q.clone().unwrap_or_default();
    let lang = c.lang;
    let delegates = courses::delegates(&state.db, ctx.course.id).await?;
    let mut unit_names = std::collections::HashMap::new();
    for d in &delegates {
        if let std::collections::hash_map::Entry::Vacant(slot) = unit_names.entry(d.unit_id) {
            slot.insert(units::get(&state.db, d.unit_id).await?.name);
        }
    }
    let unit_name = |id: i64| unit_names.get(&id).cloned().unwrap_or_default();
    let found = service::find(state, ctx, &q)
        .await?
        .into_iter()
        .map(|d| FoundRow {
            id: d.id,
            unit: unit_name(d.unit_id),
            status: status_of(d.id).map(|x| attendance_label(x.status, lang)),
            name: d.full_name,
        })
        .collect();
    let roster = delegates
        .into_iter()
        .filter(shared::is_active)
        .map(|d| {
            let ci = status_of(d.id);
            RosterRow {
                id: d.id,
                unit: unit_name(d.unit_id),
                status: ci
                    .map(|c| c.status.as_str().to_string())
                    .unwrap_or_default(),
                label: ci
                    .map(|x| attendance_label(x.status, lang))
                    .unwrap_or(c.t.courses.not_checked_in),
                reason: ci.map(|c| c.reason.clone()).unwrap_or_default(),
                name: d.full_name,
            }
        })
        .collect();
    let notice = notice_text(query.ok.as_deref(), c.lang);
    Ok(html(
        form_status(&error),
        &DeskPage {
            slug: ctx.course.slug.clone(),
            title: ctx.course.title.clone(),
            sessions: sessions
                .iter()
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
                .collect(),
            session,
            searched: !q.trim().is_empty(),
            q,
            found,
            roster,
            statuses: AttendanceStatus::ALL
                .iter()
                .map(|s| (s.as_str(), attendance_label(*s, c.lang)))
                .collect(),
            notice,
            error,
            c,
        },
    ))
}

pub async fn desk(
    State(state): State<AppState>,
    c: Chrome,
    StaffedCourse(ctx): StaffedCourse,
    Query(q): Query<DeskQuery>,
) -> AppResult<Response> {
    desk_page(&state, c, &ctx, q, None).await
}

#[derive(serde::Deserialize)]
pub struct DeskForm {
    #[serde(default)]
    session_id: String,
    #[serde(default)]
    delegate_id: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

fn ids(f: &DeskForm) -> AppResult<(i64, i64)> {
    match (f.session_id.trim().parse(), f.delegate_id.trim().parse()) {
        (Ok(s), Ok(d)) => Ok((s, d)),
        _ => Err(AppError::bad(
            "Vui lòng chọn buổi học và đại biểu.",
            "Please choose the session and the delegate.",
        )),
    }
}

/// The desk confirms a delegate found by name or code.
pub async fn desk_confirm(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    StaffedCourse(ctx): StaffedCourse,
    CsrfForm(f): CsrfForm<DeskForm>,
) -> AppResult<Response> {
    let result = async {
        let (sid, did) = ids(&f)?;
        let d = courses::delegate(&state.db, did)
            .await
            .ok()
            .filter(|d| d.course_id == ctx.course.id && shared::is_active(d))
            .ok_or(AppError::NotFound)?;
        service::check_in(
            &state,
            me.actor(),
            &ctx,
            sid,
            d,
            CheckinMethod::Desk,
            None,
            hoithi_storage::time::now(),
        )
        .await
    }
    .await;
    let q = DeskQuery {
        session: Some(f.session_id.clone()),
        ..Default::default()
    };
    let out = or_page!(result, c, error => desk_page(&state, c, &ctx, q, error).await);
    let code = if out.recorded { "co-mat" } else { "da-co-mat" };
    Ok(see_other(&format!(
        "/khoa-hoc/{}/diem-danh?session={}&ok={code}",
        ctx.course.slug,
        f.session_id.trim()
    )))
}

/// Organizers set a status (late, excused with a reason, absent; from the paper roster).
pub async fn desk_mark(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    StaffedCourse(ctx): StaffedCourse,
    CsrfForm(f): CsrfForm<DeskForm>,
) -> AppResult<Response> {
    let result = match ids(&f) {
        Ok((sid, did)) => {
            service::mark(&state, me.actor(), &ctx, sid, did, &f.status, &f.reason).await
        }
        Err(e) => Err(e),
    };
    let q = DeskQuery {
        session: Some(f.session_id.clone()),
        ..Default::default()
    };
    or_page!(result, c, error => desk_page(&state, c, &ctx, q, error).await);
    Ok(see_other(&format!(
        "/khoa-hoc/{}/diem-danh?session={}&ok=sua",
        ctx.course.slug,
        f.session_id.trim()
    )))
}

// ---- the room screen ----

#[derive(Template)]
#[template(path = "courses/room.html")]
struct RoomPage {
    c: Chrome,
    slug: String,
    title: String,
    session: String,
    code: String,
    refresh: i64,
    qr_svg: String,
    /// The address in the QR code (without the site): the session's self check-in with this
    /// code.
    entry: String,
}

/// The room's screen: the current code, refreshed by the page itself (no JavaScript) a little
/// after each 30-second window turns.
pub async fn room(
    State(state): State<AppState>,
    c: Chrome,
    StaffedCourse(ctx): StaffedCourse,
    Path((_, session)): Path<(String, String)>,
) -> AppResult<Response> {
    let sid: i64 = session.parse().map_err(|_| AppError::NotFound)?;
    let s = service::session_of(&state, &ctx, sid)
        .await
        .map_err(|_| AppError::NotFound)?;
    let now = chrono::Utc::now();
    let left = hoithi_checkin::room_code::seconds_left(now.timestamp());
    let code = shared::room_code_now(&s.room_secret, s.id, now);
    let entry = shared::room_path(&ctx.course.slug, s.id, &code);
    let qr_svg = hoithi_checkin::qr::svg(
        &format!("{}{entry}", state.config.public_url.trim_end_matches('/')),
        c.t.courses.room_qr_label,
    )
    .unwrap_or_default();
    let page = ok_html(&RoomPage {
        slug: ctx.course.slug.clone(),
        title: ctx.course.title.clone(),
        session: format!(
            "{} {} — {}",
            crate::format::fmt_date(&s.starts_at),
            shared::fmt_time(&s.starts_at),
            s.topic
        ),
        code,
        refresh: left + 1,
        qr_svg,
        entry,
        c,
    });
    let refresh = (left + 1).to_string();
    Ok(([(axum::http::header::REFRESH, refresh)], page).into_response())
}
