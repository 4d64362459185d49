//! What the check-in kit (`hoithi_checkin`) makes for a course, served: the printable badge
//! sheet and the paper roster of a session (PDF), bulk marking from that paper afterwards,
//! the iCalendar files of the course and of a delegate, the course's published badge key,
//! and the page a delegate's phone opens from the room screen's QR code.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hoithi_checkin::{ics, print};
use hoithi_storage::repo::courses::{self, Delegate, Session, checkins};
use hoithi_storage::repo::units;
use hoithi_storage::status::{AttendanceStatus, DelegateStatus};

use super::service;
use crate::access::StaffedCourse;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::{CurrentUser, Identity};
use crate::courses::notice_text;
use crate::courses::service::{self as shared, CourseCtx, attendance_label};
use crate::error::{AppError, AppResult};
use crate::forms::{Fields, Notice, form_status, or_page};
use crate::i18n::Lang;
use crate::pages::{Chrome, html, see_other};
use crate::state::AppState;

/// The cookie a phone keeps after opening a personal link: the room screen's QR code then
/// knows whose phone scanned it. It holds the signed badge (the same capability as the link).
pub const BADGE_COOKIE: &str = "hoithi_dai_bieu";

fn file(content_type: &str, name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn session_label(s: &Session) -> String {
    let mut label = format!(
        "{} {}–{} — {}",
        crate::format::fmt_date(&s.starts_at),
        shared::fmt_time(&s.starts_at),
        shared::fmt_time(&s.ends_at),
        s.topic
    );
    if !s.room.is_empty() {
        label.push_str(&format!(" — {}", s.room));
    }
    label
}

/// The delegates to print or tick, grouped by unit (units in the order of the unit tree,
/// people in Vietnamese name order: by given name, then the rest).
async fn by_unit(
    state: &AppState,
    ctx: &CourseCtx,
    keep: impl Fn(&Delegate) -> bool,
) -> AppResult<Vec<(String, Vec<Delegate>)>> {
    let all: Vec<Delegate> = courses::delegates(&state.db, ctx.course.id)
        .await?
        .into_iter()
        .filter(|d| keep(d))
        .collect();
    let mut groups: Vec<(i32, String, String, Vec<Delegate>)> = Vec::new();
    for d in all {
        if let Some(g) = groups.iter_mut().find(|g| g.3[0].unit_id == d.unit_id) {
            g.3.push(d);
        } else {
            let u = units::get(&state.db, d.unit_id).await?;
            groups.push((u.depth, u.name_key.clone(), u.name, vec![d]));
        }
    }
    groups.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Ok(groups
        .into_iter()
        .map(|(_, _, name, mut people)| {
            people.sort_by_cached_key(|d| hoithi_text::sort::name_sort_key(&d.full_name));
            (name, people)
        })
        .collect())
}

/// The badge sheet: every accepted delegate, by unit, eight to an A4 page, each with the QR
/// code of the personal link and the short code to type at the desk.
pub async fn badge_sheet(
    State(state): State<AppState>,
    StaffedCourse(ctx): StaffedCourse,
) -> AppResult<Response> {
    let groups = by_unit(&state, &ctx, |d| d.status == DelegateStatus::Accepted).await?;
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    let mut cards = Vec::new();
    for (unit, people) in groups {
        for d in people {
            cards.push(print::BadgeCard {
                qr_url: shared::personal_url(&state, &d),
                code: format!("DB-{}", d.id),
                position: d.job_title.clone(),
                unit: unit.clone(),
                name: d.full_name,
            });
        }
    }
    let mut subtitle = sessions
        .first()
        .map(|s| crate::format::fmt_date(&s.starts_at))
        .unwrap_or_default();
    if !ctx.course.venue.is_empty() {
        if !subtitle.is_empty() {
            subtitle.push_str(" · ");
        }
        subtitle.push_str(&ctx.course.venue);
    }
    let pdf = print::badge_sheet(&print::BadgeSheet {
        course: ctx.course.title.clone(),
        subtitle,
        cards,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(file(
        "application/pdf",
        format!("the-dai-bieu-{}.pdf", ctx.course.slug),
        pdf,
    ))
}

async fn session_param(state: &AppState, ctx: &CourseCtx, session: &str) -> AppResult<Session> {
    let sid: i64 = session.parse().map_err(|_| AppError::NotFound)?;
    service::session_of(state, ctx, sid)
        .await
        .map_err(|_| AppError::NotFound)
}

/// The paper roster of a session: the delegates by unit in Vietnamese order, a tick box and a
/// signature column: the fallback when the network fails.
pub async fn roster_pdf(
    State(state): State<AppState>,
    lang: Lang,
    StaffedCourse(ctx): StaffedCourse,
    Path((_, session)): Path<(String, String)>,
) -> AppResult<Response> {
    let s = session_param(&state, &ctx, &session).await?;
    let t = lang.tr().courses;
    let groups = by_unit(&state, &ctx, shared::is_active).await?;
    let total: usize = groups.iter().map(|g| g.1.len()).sum();
    let pdf = print::roster(&print::Roster {
        title: ctx.course.title.clone(),
        session: session_label(&s),
        units: groups
            .into_iter()
            .map(|(name, people)| print::RosterUnit {
                name,
                people: people
                    .into_iter()
                    .map(|d| print::RosterPerson {
                        name: d.full_name,
                        position: d.job_title,
                    })
                    .collect(),
            })
            .collect(),
        labels: print::RosterLabels {
            number: t.roster_number.into(),
            name: t.full_name.into(),
            position: t.job_title.into(),
            present: t.att_present.into(),
            signature: t.roster_signature.into(),
            page: t.roster_page.into(),
        },
        footer: t.roster_total(total),
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(file(
        "application/pdf",
        format!("danh-sach-{}-buoi-{}.pdf", ctx.course.slug, s.id),
        pdf,
    ))
}

pub struct PaperPerson {
    id: i64,
    name: String,
    job_title: String,
    status: Option<&'static str>,
    ticked: bool,
}

#[derive(Template)]
#[template(path = "courses/paper.html")]
struct PaperPage {
    c: Chrome,
    slug: String,
    title: String,
    session_id: i64,
    session: String,
    units: Vec<(String, Vec<PaperPerson>)>,
    notice: Option<String>,
    error: Option<String>,
}

async fn paper_page(
    state: &AppState,
    c: Chrome,
    ctx: &CourseCtx,
    s: &Session,
    ticked: &[i64],
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let all = checkins::of_course(&state.db, ctx.course.id).await?;
    let lang = c.lang;
    let units = by_unit(state, ctx, shared::is_active)
        .await?
        .into_iter()
        .map(|(name, people)| {
            let people = people
                .into_iter()
                .map(|d| PaperPerson {
                    status: all
                        .iter()
                        .find(|x| x.session_id == s.id && x.delegate_id == d.id)
                        .map(|x| attendance_label(x.status, lang)),
                    ticked: ticked.contains(&d.id),
                    id: d.id,
                    name: d.full_name,
                    job_title: d.job_title,
                })
                .collect();
            (name, people)
        })
        .collect();
    Ok(html(
        form_status(&error),
        &PaperPage {
            slug: ctx.course.slug.clone(),
            title: ctx.course.title.clone(),
            session_id: s.id,
            session: session_label(s),
            units,
            notice,
            error,
            c,
        },
    ))
}

/// Bulk marking afterwards from the paper roster: the session's delegates by unit, a box
/// each; one submit marks the ticked ones present.
pub async fn paper(
    State(state): State<AppState>,
    c: Chrome,
    StaffedCourse(ctx): StaffedCourse,
    Path((_, session)): Path<(String, String)>,
    axum::extract::Query(n): axum::extract::Query<Notice>,
) -> AppResult<Response> {
    let s = session_param(&state, &ctx, &session).await?;
    let notice = notice_text(n.ok.as_deref(), c.lang);
    paper_page(&state, c, &ctx, &s, &[], notice, None).await
}

pub async fn paper_mark(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    StaffedCourse(ctx): StaffedCourse,
    Path((_, session)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let s = session_param(&state, &ctx, &session).await?;
    let mut ticked = Vec::new();
    let mut malformed = false;
    for (k, v) in f.iter() {
        if k == "present" {
            match v.trim().parse::<i64>() {
                Ok(id) => ticked.push(id),
                Err(_) => malformed = true,
            }
        }
    }
    let result = if malformed {
        Err(AppError::bad(
            "Danh sách gửi lên không hợp lệ; hãy tải lại trang.",
            "The list sent is not valid; reload the page.",
        ))
    } else {
        service::mark_from_paper(&state, me.actor(), &ctx, s.id, &ticked).await
    };
    or_page!(result, c, error =>
        paper_page(&state, c, &ctx, &s, &ticked, None, error).await);
    Ok(see_other(&format!(
        "/khoa-hoc/{}/buoi/{}/danh-sach?ok=giay",
        ctx.course.slug, s.id
    )))
}

// ---- iCalendar ----

fn host(state: &AppState) -> String {
    let url = state.config.public_url.trim_end_matches('/');
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or("hoithi")
        .to_string()
}

fn calendar_parts(
    state: &AppState,
    ctx: &CourseCtx,
    sessions: &[Session],
    lang: Lang,
) -> (ics::Course, Vec<ics::Session>) {
    let t = lang.tr().courses;
    let base = state.config.public_url.trim_end_matches('/');
    let course = ics::Course {
        id: ctx.course.id,
        name: ctx.course.title.clone(),
        url: format!("{base}/khoa-hoc/{}", ctx.course.slug),
    };
    let events = sessions
        .iter()
        .map(|s| {
            let mut location = s.room.clone();
            if !ctx.course.venue.is_empty() {
                if !location.is_empty() {
                    location.push_str(", ");
                }
                location.push_str(&ctx.course.venue);
            }
            let mut description = String::new();
            if !s.speaker.is_empty() {
                description = format!("{}: {}", t.speaker, s.speaker);
            }
            ics::Session {
                id: s.id,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                summary: format!("{} — {}", ctx.course.title, s.topic),
                location,
                description,
            }
        })
        .collect();
    (course, events)
}

/// When the calendar last changed: the course's last change (sessions are added through it).
fn stamp(ctx: &CourseCtx, _sessions: &[Session]) -> chrono::DateTime<chrono::Utc> {
    ctx.course.updated_at
}

fn calendar(name: String, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, ics::CONTENT_TYPE.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The course's calendar: every session.
pub async fn course_ics(
    State(state): State<AppState>,
    lang: Lang,
    Identity(id): Identity,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let ctx = shared::visible(&state, &id.actor, &slug).await?;
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    let (course, events) = calendar_parts(&state, &ctx, &sessions, lang);
    let body = ics::course(&host(&state), &course, &events, stamp(&ctx, &sessions));
    Ok(calendar(format!("{}.ics", ctx.course.slug), body))
}

/// A delegate's calendar (from the personal link): the sessions they attend.
pub async fn delegate_ics(
    State(state): State<AppState>,
    lang: Lang,
    Identity(id): Identity,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let (ctx, d, _) = shared::by_badge(&state, &id.actor, &token).await?;
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    let (course, events) = calendar_parts(&state, &ctx, &sessions, lang);
    let attending: Vec<i64> = sessions.iter().map(|s| s.id).collect();
    let body = ics::delegate(
        &host(&state),
        &course,
        &events,
        &attending,
        stamp(&ctx, &sessions),
    );
    Ok(calendar(
        format!("{}-DB-{}.ics", ctx.course.slug, d.id),
        body,
    ))
}

// ---- the published key ----

/// The course's Ed25519 public key for badges, as text: base64url on the first line, hex on
/// the second. Scanners verify badges offline with it.
pub async fn public_key(
    State(state): State<AppState>,
    Identity(id): Identity,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let ctx = shared::visible(&state, &id.actor, &slug).await?;
    let key = shared::course_key(&state, ctx.course.id).public_key();
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{}\n{}\n", key.to_base64(), key.to_hex()),
    )
        .into_response())
}

// ---- the room screen's QR ----

#[derive(Template)]
#[template(path = "courses/room_entry.html")]
struct RoomEntryPage {
    c: Chrome,
    slug: String,
    title: String,
    session_id: i64,
    session: String,
    code: String,
    /// The badge of the delegate whose phone this is, with their name.
    delegate: Option<(String, String)>,
}

pub(crate) fn cookie_badge(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            kv.trim()
                .strip_prefix(&format!("{BADGE_COOKIE}="))
                .map(str::to_string)
        })
}

/// Where the room screen's QR code leads: the phone's delegate (from the personal link opened
/// on it before, or the signed-in account) confirms with one button; the code is checked
/// when they press it.
pub async fn room_entry(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    headers: axum::http::HeaderMap,
    Path((slug, session, code)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let ctx = shared::visible(&state, &id.actor, &slug).await?;
    let s = session_param(&state, &ctx, &session).await?;
    // The signed-in person's own place first, then the badge this phone was given.
    let mut delegate = None;
    if let Some(uid) = id.actor.user_id() {
        delegate = courses::delegates_of_user(&state.db, uid)
            .await?
            .into_iter()
            .find(|d| d.course_id == ctx.course.id && shared::is_active(d))
            .map(|d| (shared::signed_badge(&state, &d), d.full_name));
    }
    if delegate.is_none()
        && let Some(b) = cookie_badge(&headers)
        && let Ok((k, d, _)) = shared::by_badge(&state, &id.actor, &b).await
        && k.course.id == ctx.course.id
        && shared::is_active(&d)
    {
        delegate = Some((shared::signed_badge(&state, &d), d.full_name));
    }
    let code: String = code.chars().take(16).collect();
    Ok(html(
        axum::http::StatusCode::OK,
        &RoomEntryPage {
            slug: ctx.course.slug.clone(),
            title: ctx.course.title.clone(),
            session_id: s.id,
            session: session_label(&s),
            code,
            delegate,
            c,
        },
    ))
}

/// The attendance label of a status, for templates.
pub fn label(s: AttendanceStatus, lang: Lang) -> &'static str {
    attendance_label(s, lang)
}
