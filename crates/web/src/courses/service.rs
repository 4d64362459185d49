//! What every part of the courses module shares: loading a course with its organizer, who may
//! do what with it (through `policy::can`), badge tokens, and parsing of dates and times typed
//! the Vietnamese way.

use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Asia::Ho_Chi_Minh;
use hmac::{Hmac, Mac};
use hoithi_storage::entity::unit;
use hoithi_storage::repo::courses::{self, Course, Delegate};
use hoithi_storage::repo::units;
use hoithi_storage::status::{CourseKind, CourseStatus, DelegateStatus};
use sha2::Sha256;

use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Msg};
use crate::policy::{Action, Actor, Capability, CapabilityKind, Resource, can};
use crate::state::AppState;

/// A course with what every page about it needs.
#[derive(Clone)]
pub struct CourseCtx {
    pub course: Course,
    pub organizer: unit::Model,
}

impl CourseCtx {
    pub fn resource(&self) -> Resource<'_> {
        Resource::Course {
            id: self.course.id,
            organizer_path: &self.course.organizer_path,
        }
    }

    pub fn can_manage(&self, actor: &Actor) -> bool {
        can(actor, Action::ManageCourse, self.resource())
    }

    pub fn can_check_in(&self, actor: &Actor) -> bool {
        can(actor, Action::CheckInDelegates, self.resource())
    }

    pub fn slug(&self) -> &str {
        &self.course.slug
    }
}

pub fn bad(vi: String, en: String) -> AppError {
    AppError::BadRequest(Msg::owned(vi, en))
}

async fn with_organizer(state: &AppState, course: Course) -> AppResult<CourseCtx> {
    let organizer = units::get(&state.db, course.organizer_unit_id).await?;
    Ok(CourseCtx { course, organizer })
}

pub async fn load(state: &AppState, slug: &str) -> AppResult<CourseCtx> {
    let course = courses::by_slug(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    with_organizer(state, course).await
}

pub async fn load_id(state: &AppState, id: i64) -> AppResult<CourseCtx> {
    with_organizer(state, courses::get(&state.db, id).await?).await
}

/// A course anyone may see: a draft only by those who manage it (others get 404).
pub async fn visible(state: &AppState, actor: &Actor, slug: &str) -> AppResult<CourseCtx> {
    let ctx = load(state, slug).await?;
    if ctx.course.status == CourseStatus::Draft && !ctx.can_manage(actor) {
        return Err(AppError::NotFound);
    }
    Ok(ctx)
}

/// A course the actor manages; 403 otherwise.
pub fn require(ok: bool) -> AppResult<()> {
    if ok { Ok(()) } else { Err(AppError::Forbidden) }
}

// ---- badges ----

type HmacSha256 = Hmac<Sha256>;

fn hmac(secret: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes any key");
    for p in parts {
        mac.update(p);
        mac.update(b"\x1f");
    }
    mac.finalize().into_bytes().to_vec()
}

/// A delegate's badge token: 128 bits derived from a random salt and the instance secret, so
/// that the same badge can be shown and printed again while the database keeps only the
/// salt and the token's hash. URL-safe, 22 characters.
// CHECKIN: when `hoithi-checkin` lands, its signed badge (token + Ed25519 signature) replaces
// this derivation; the stored hash and the lookup stay.
pub fn badge_token(state: &AppState, salt: &str) -> String {
    use base64::Engine;
    let bytes = hmac(&state.secret, &[b"course-badge", salt.as_bytes()]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes[..16])
}

/// A fresh salt and the hash of the token it gives.
pub fn new_badge(state: &AppState) -> (String, String) {
    let salt = crate::auth::random_token();
    let hash = crate::auth::token_hash(&badge_token(state, &salt));
    (salt, hash)
}

pub fn badge_of(state: &AppState, d: &Delegate) -> String {
    badge_token(state, &d.badge_salt)
}

/// The personal link (and QR code) of a delegate.
pub fn personal_path(state: &AppState, d: &Delegate) -> String {
    format!("/dai-bieu/{}", badge_of(state, d))
}

/// The delegate a badge token belongs to, with the actor now holding its link. An unknown or
/// malformed token is 404, so tokens cannot be probed.
pub async fn by_badge(
    state: &AppState,
    actor: &Actor,
    token: &str,
) -> AppResult<(CourseCtx, Delegate, Actor)> {
    if token.len() > 200 {
        return Err(AppError::NotFound);
    }
    let d = courses::delegate_by_badge(&state.db, &crate::auth::token_hash(token.trim()))
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = actor.clone().with_capability(Capability {
        kind: CapabilityKind::DelegateLink,
        id: d.id,
    });
    if !can(
        &actor,
        Action::AttendCourse,
        Resource::Delegate {
            id: d.id,
            user_id: d.user_id,
        },
    ) {
        return Err(AppError::NotFound);
    }
    let ctx = load_id(state, d.course_id).await?;
    Ok((ctx, d, actor))
}

/// The room's rotating code for a session at a moment: six digits from the session's secret
/// and the 30-second window.
// CHECKIN: replaced by `hoithi_checkin`'s room codes when that crate lands.
pub fn room_code(secret: &str, window: i64) -> String {
    let bytes = hmac(secret.as_bytes(), &[b"room", &window.to_be_bytes()]);
    let n = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) % 1_000_000;
    format!("{n:06}")
}

pub const ROOM_WINDOW_SECS: i64 = 30;

pub fn room_window(now: chrono::DateTime<chrono::Utc>) -> i64 {
    now.timestamp().div_euclid(ROOM_WINDOW_SECS)
}

/// A typed room code is good for the current window and the one before (a short grace for a
/// code read just before it changed); never older.
pub fn room_code_fresh(secret: &str, code: &str, now: chrono::DateTime<chrono::Utc>) -> bool {
    let w = room_window(now);
    let code = code.trim();
    code.len() == 6 && (room_code(secret, w) == code || room_code(secret, w - 1) == code)
}

// ---- labels ----

pub fn kind_label(k: CourseKind, lang: Lang) -> &'static str {
    let t = lang.tr().courses;
    match k {
        CourseKind::BoiDuong => t.kind_boi_duong,
        CourseKind::TapHuan => t.kind_tap_huan,
        CourseKind::QuanTriet => t.kind_quan_triet,
    }
}

pub fn status_label(s: CourseStatus, lang: Lang) -> &'static str {
    let t = lang.tr().courses;
    match s {
        CourseStatus::Draft => t.status_draft,
        CourseStatus::Nominating => t.status_nominating,
        CourseStatus::InProgress => t.status_in_progress,
        CourseStatus::Finished => t.status_finished,
    }
}

pub fn delegate_status_label(s: DelegateStatus, lang: Lang) -> &'static str {
    let t = lang.tr().courses;
    match s {
        DelegateStatus::Nominated => t.delegate_nominated,
        DelegateStatus::Accepted => t.delegate_accepted,
        DelegateStatus::Refused => t.delegate_refused,
        DelegateStatus::Replaced => t.delegate_replaced,
    }
}

pub fn attendance_label(s: hoithi_storage::status::AttendanceStatus, lang: Lang) -> &'static str {
    use hoithi_storage::status::AttendanceStatus as A;
    let t = lang.tr().courses;
    match s {
        A::Present => t.att_present,
        A::Late => t.att_late,
        A::Excused => t.att_excused,
        A::Absent => t.att_absent,
    }
}

/// Whether a delegate takes part (not refused or replaced).
pub fn is_active(d: &Delegate) -> bool {
    matches!(
        d.status,
        DelegateStatus::Nominated | DelegateStatus::Accepted
    )
}

// ---- typed dates and times ----

pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .ok()
}

pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim().replace('h', ":");
    NaiveTime::parse_from_str(&s, "%H:%M").ok()
}

/// A day and time in Vietnam, as an instant.
pub fn at(day: NaiveDate, time: NaiveTime) -> Option<chrono::DateTime<chrono::Utc>> {
    Ho_Chi_Minh
        .from_local_datetime(&day.and_time(time))
        .single()
        .map(|x| x.with_timezone(&chrono::Utc))
}

pub fn day_start(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    at(parse_day(s)?, NaiveTime::MIN)
}

pub fn day_end(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    at(parse_day(s)?, NaiveTime::from_hms_opt(23, 59, 59)?)
}

/// HH:MM in Vietnam.
pub fn fmt_time(ts: &chrono::DateTime<chrono::Utc>) -> String {
    ts.with_timezone(&Ho_Chi_Minh).format("%H:%M").to_string()
}

/// A whole number within a range, or the message.
pub fn parse_count(
    s: &str,
    range: std::ops::RangeInclusive<i32>,
    vi: &str,
    en: &str,
) -> AppResult<i32> {
    s.trim()
        .parse::<i32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| bad(vi.to_string(), en.to_string()))
}

/// Text typed in a form: normalized, one line, at most `max` characters.
pub fn line(s: &str, max: usize, vi_field: &str, en_field: &str) -> AppResult<String> {
    let v = crate::validate::clean_line(&hoithi_text::normalize::normalize_str(s));
    if v.chars().count() > max {
        return Err(bad(
            format!("Trường «{vi_field}» quá dài (tối đa {max} ký tự)."),
            format!("The field «{en_field}» is too long ({max} characters at most)."),
        ));
    }
    Ok(v)
}

/// The name folded for search: no diacritics, lower case.
pub fn fold(s: &str) -> String {
    hoithi_text::fold::fold(s)
}
