//! What every part of the courses module shares: loading a course with its organizer, who may
//! do what with it (through `policy::can`), badge tokens, and parsing of dates and times typed
//! the Vietnamese way.

use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Asia::Ho_Chi_Minh;
use hmac::{Hmac, Mac};
use hoithi_checkin::{badge, room_code};
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
pub fn badge_token(state: &AppState, salt: &str) -> String {
    use base64::Engine;
    let bytes = hmac(&state.secret, &[b"course-badge", salt.as_bytes()]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes[..16])
}

/// A fresh salt and the hash of the token it gives.
pub fn new_badge(state: &AppState) -> (String, String) {
    let salt = crate::auth::random_token();
    let hash = badge::token_hash(&badge_token(state, &salt));
    (salt, hash)
}

/// The bare token of a delegate's badge (what the database finds by its hash).
pub fn badge_of(state: &AppState, d: &Delegate) -> String {
    badge_token(state, &d.badge_salt)
}

/// The course's Ed25519 signing key. Its 32 secret bytes are derived from the instance secret
/// and the course id (HMAC-SHA256), so they are never written anywhere: a copy of the database
/// alone cannot make badges; the instance secret can, as it can make every token already.
pub fn course_key(state: &AppState, course_id: i64) -> badge::CourseKey {
    let bytes = hmac(
        &state.secret,
        &[b"course-badge-key-v1", &course_id.to_be_bytes()],
    );
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&bytes[..32]);
    badge::CourseKey::from_seed(&seed)
}

/// The course's published key (base64url, 43 characters).
pub fn public_key(state: &AppState, course_id: i64) -> String {
    course_key(state, course_id).public_key().to_base64()
}

/// The signed badge string of a delegate: `{token}.{course}.{delegate}.{signature}`, what
/// the personal link and the QR code carry. Ed25519 is deterministic: always the same string.
pub fn signed_badge(state: &AppState, d: &Delegate) -> String {
    badge::sign(
        &course_key(state, d.course_id),
        d.course_id,
        d.id,
        &badge_of(state, d),
    )
}

/// The personal link (and QR code) of a delegate.
pub fn personal_path(state: &AppState, d: &Delegate) -> String {
    format!("/dai-bieu/{}", signed_badge(state, d))
}

/// The personal link with the site's public address.
pub fn personal_url(state: &AppState, d: &Delegate) -> String {
    format!(
        "{}{}",
        state.config.public_url.trim_end_matches('/'),
        personal_path(state, d)
    )
}

/// A badge as scanned (a bare 22-character token, a signed badge string, or a URL ending in
/// either), read into the token to look up. A signed badge is checked against its course's
/// key: an altered or made-up one is [`badge::BadgeError::Forged`]. The database stays the
/// authority on who the token belongs to (the caller checks that the delegate matches).
pub fn read_badge(state: &AppState, text: &str) -> Result<ReadBadge, badge::BadgeError> {
    let text = text.trim();
    let last = text.split(['?', '#']).next().unwrap_or("");
    let last = last.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        let parsed = badge::parse(last)?;
        let key = course_key(state, parsed.course_id).public_key();
        let b = badge::verify_offline(&key, parsed.course_id, last)?;
        Ok(ReadBadge {
            token: b.token,
            signed: Some((b.course_id, b.delegate_id)),
        })
    } else if last.is_empty()
        || last.len() > 64
        || !last
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Err(badge::BadgeError::Malformed)
    } else {
        Ok(ReadBadge {
            token: last.to_string(),
            signed: None,
        })
    }
}

/// What [`read_badge`] found.
pub struct ReadBadge {
    pub token: String,
    /// The course and delegate a signed badge names (its signature checked).
    pub signed: Option<(i64, i64)>,
}

impl ReadBadge {
    /// Whether a delegate found by the token is the one the signature names.
    pub fn names(&self, d: &Delegate) -> bool {
        self.signed
            .is_none_or(|(course, id)| course == d.course_id && id == d.id)
    }
}

/// The signed revocation list of a course: the token hashes of its replaced and refused
/// delegates' badges, as published to scanners.
pub async fn revocations(state: &AppState, course_id: i64) -> AppResult<String> {
    let revoked = courses::delegates(&state.db, course_id)
        .await?
        .into_iter()
        .filter(|d| !is_active(d))
        .map(|d| d.badge_hash);
    let list =
        badge::RevocationList::new(course_id, hoithi_storage::time::now().timestamp(), revoked);
    Ok(list.to_signed_json(&course_key(state, course_id)))
}

/// The delegate a badge (token or signed badge) belongs to, with the actor now holding its
/// link. An unknown, malformed or forged badge is 404, so tokens cannot be probed.
pub async fn by_badge(
    state: &AppState,
    actor: &Actor,
    token: &str,
) -> AppResult<(CourseCtx, Delegate, Actor)> {
    if token.len() > 200 {
        return Err(AppError::NotFound);
    }
    let read = read_badge(state, token).map_err(|_| AppError::NotFound)?;
    let d = courses::delegate_by_badge(&state.db, &badge::token_hash(&read.token))
        .await?
        .filter(|d| read.names(d))
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

/// The room screen's code now: 8 characters from `hoithi_checkin::room_code`, changing
/// every 30 seconds.
pub fn room_code_now(secret: &str, session_id: i64, now: chrono::DateTime<chrono::Utc>) -> String {
    room_code::code_at(secret.as_bytes(), session_id, now.timestamp())
}

/// Whether a scanned or typed room code is fresh: on the screen now, or left it at most
/// `room_code::DEFAULT_GRACE_SECS` ago. A real but older code (a photo of the screen) is
/// `Stale`; anything else `Invalid`.
pub fn room_code_check(
    secret: &str,
    session_id: i64,
    code: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> room_code::Freshness {
    room_code::check(
        secret.as_bytes(),
        session_id,
        code,
        now.timestamp(),
        room_code::DEFAULT_GRACE_SECS,
    )
}

/// The address the room screen's QR code opens: the session's self check-in with the code.
pub fn room_path(slug: &str, session_id: i64, code: &str) -> String {
    format!("/khoa-hoc/{slug}/buoi/{session_id}/tu-diem-danh/{code}")
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
