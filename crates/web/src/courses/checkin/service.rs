//! Check-in: a staff member confirms a badge (its QR link, the desk, or an offline scanner's
//! batch), a delegate types or scans the room's rotating code, organizers correct a status.
//! Each check-in is one row per delegate and session (a unique index), so a second scan, a
//! replayed batch or two phones at once record it once.

use hoithi_storage::repo::courses::checkins::{self, NewCheckin};
use hoithi_storage::repo::courses::{self, Delegate, Session};
use hoithi_storage::repo::units;
use hoithi_storage::status::{AttendanceStatus, CheckinMethod};

use crate::audit;
use crate::courses::service::{CourseCtx, bad, fold, is_active, line, require, room_code_check};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::policy::Actor;
use crate::state::AppState;

/// What a check-in did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Outcome {
    pub delegate_id: i64,
    pub name: String,
    pub unit: String,
    /// "present" or "late" (or the status recorded before, when `recorded` is false).
    #[schema(value_type = String)]
    pub status: AttendanceStatus,
    /// False when that delegate was already checked in to that session.
    pub recorded: bool,
}

/// A session of this course, or a clear message.
pub async fn session_of(state: &AppState, ctx: &CourseCtx, id: i64) -> AppResult<Session> {
    courses::session(&state.db, id)
        .await
        .ok()
        .filter(|s| s.course_id == ctx.course.id)
        .ok_or_else(|| {
            AppError::bad(
                "Buổi học này không thuộc lớp.",
                "This session does not belong to the course.",
            )
        })
}

/// The delegate of a badge token, checked against this course.
pub async fn badge_in_course(
    state: &AppState,
    ctx: &CourseCtx,
    token: &str,
) -> AppResult<Delegate> {
    use hoithi_checkin::badge::BadgeError;
    let read = match crate::courses::service::read_badge(state, token) {
        Ok(r) => r,
        Err(BadgeError::Forged) => {
            return Err(AppError::bad(
                "Thẻ giả hoặc đã bị sửa: chữ ký của thẻ không khớp với khóa công khai của lớp.",
                "A forged or altered badge: its signature does not match the course's public key.",
            ));
        }
        Err(BadgeError::OtherCourse { .. }) => {
            return Err(AppError::bad(
                "Thẻ này là của một lớp khác.",
                "This badge belongs to another course.",
            ));
        }
        Err(_) => {
            return Err(AppError::bad(
                "Mã QR không hợp lệ (không phải thẻ đại biểu do hệ thống cấp).",
                "The QR code is not valid (not a delegate badge issued here).",
            ));
        }
    };
    if let Some((course, _)) = read.signed
        && course != ctx.course.id
    {
        return Err(AppError::bad(
            "Thẻ này là của một lớp khác.",
            "This badge belongs to another course.",
        ));
    }
    let found = courses::delegate_by_badge(&state.db, &crate::auth::token_hash(&read.token))
        .await?
        .filter(|d| read.names(d));
    let Some(d) = found else {
        return Err(AppError::bad(
            "Mã QR không hợp lệ (không phải thẻ đại biểu do hệ thống cấp).",
            "The QR code is not valid (not a delegate badge issued here).",
        ));
    };
    if d.course_id != ctx.course.id {
        return Err(AppError::bad(
            "Thẻ này là của một lớp khác.",
            "This badge belongs to another course.",
        ));
    }
    if !is_active(&d) {
        return Err(bad(
            format!(
                "Thẻ của {} không còn giá trị (đại biểu đã bị thay thế hoặc không được nhận).",
                d.full_name
            ),
            format!(
                "{}'s badge is no longer valid (the delegate was replaced or refused).",
                d.full_name
            ),
        ));
    }
    Ok(d)
}

fn arrival_status(s: &Session, at: chrono::DateTime<chrono::Utc>) -> AttendanceStatus {
    if at > s.starts_at + chrono::Duration::minutes(s.late_after_minutes.into()) {
        AttendanceStatus::Late
    } else {
        AttendanceStatus::Present
    }
}

/// Reads an optional RFC 3339 time of scan; the server's clock without one.
pub fn scanned_at(s: Option<&str>) -> AppResult<chrono::DateTime<chrono::Utc>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(hoithi_storage::time::now()),
        Some(s) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|_| {
                AppError::bad(
                    "Thời điểm quét phải theo RFC 3339, ví dụ 2026-12-07T13:35:00+07:00.",
                    "The scan time must be RFC 3339, e.g. 2026-12-07T13:35:00+07:00.",
                )
            }),
    }
}

/// One check-in to record, already checked.
struct Ready {
    session: Session,
    delegate: Delegate,
    at: chrono::DateTime<chrono::Utc>,
    client_id: Option<String>,
    method: CheckinMethod,
}

fn client_id(s: Option<&str>) -> AppResult<Option<String>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.len() <= 100 => Ok(Some(s.to_string())),
        Some(_) => Err(AppError::bad(
            "Mã phía máy quét (client_id) dài tối đa 100 ký tự.",
            "A client_id is at most 100 characters.",
        )),
    }
}

async fn write_one<C: hoithi_storage::Conn>(
    tx: &C,
    actor: &Actor,
    ctx: &CourseCtx,
    r: &Ready,
) -> AppResult<(bool, AttendanceStatus)> {
    let status = arrival_status(&r.session, r.at);
    let recorded = checkins::record(
        tx,
        NewCheckin {
            course_id: ctx.course.id,
            session_id: r.session.id,
            delegate_id: r.delegate.id,
            status,
            method: r.method,
            reason: String::new(),
            client_id: r.client_id.clone(),
            recorded_by: actor.user_id(),
            scanned_at: r.at,
        },
    )
    .await?;
    if recorded {
        return Ok((true, status));
    }
    match checkins::of(tx, r.session.id, r.delegate.id).await? {
        Some(c) => Ok((false, c.status)),
        // Nothing recorded and no check-in of this delegate: the conflict was the client_id,
        // which an earlier scan of someone else (or another session) already holds.
        None => Err(AppError::bad(
            "Mã client_id này đã dùng cho một lượt điểm danh khác; máy quét cần mã mới cho mỗi lượt.",
            "This client_id was already used for another check-in; the scanner needs a new one per check-in.",
        )),
    }
}

async fn outcome(
    state: &AppState,
    d: &Delegate,
    recorded: bool,
    status: AttendanceStatus,
) -> AppResult<Outcome> {
    Ok(Outcome {
        delegate_id: d.id,
        name: d.full_name.clone(),
        unit: units::get(&state.db, d.unit_id).await?.name,
        status,
        recorded,
    })
}

/// A staff member checks a delegate in to a session (by the badge's QR link, the desk, or the
/// API). Recording it twice changes nothing.
#[allow(clippy::too_many_arguments)]
pub async fn check_in(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    session_id: i64,
    delegate: Delegate,
    method: CheckinMethod,
    client: Option<&str>,
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<Outcome> {
    require(ctx.can_check_in(actor))?;
    let session = session_of(state, ctx, session_id).await?;
    let ready = Ready {
        session,
        client_id: client_id(client)?,
        delegate,
        at,
        method,
    };
    let tx = state.db.write().await?;
    let (recorded, status) = write_one(&tx, actor, ctx, &ready).await?;
    hoithi_storage::commit(tx).await?;
    outcome(state, &ready.delegate, recorded, status).await
}

/// One item of an offline scanner's batch.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct CheckinItem {
    pub session_id: i64,
    /// The token part of the badge's QR URL.
    pub badge: String,
    /// The scanner's own id for this check-in (idempotency key).
    #[serde(default)]
    pub client_id: Option<String>,
    /// When it was scanned (RFC 3339); the server's clock without one.
    #[serde(default)]
    pub scanned_at: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Refused {
    pub index: usize,
    pub message: String,
    pub message_en: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BatchOutcome {
    pub recorded: usize,
    pub duplicates: usize,
    pub refused: Vec<Refused>,
}

pub const BATCH_MAX: usize = 500;

fn refused(index: usize, e: AppError) -> AppResult<Refused> {
    match e {
        AppError::BadRequest(m) | AppError::Conflict(m) => Ok(Refused {
            index,
            message: m.get(crate::i18n::Lang::Vi).to_string(),
            message_en: m.get(crate::i18n::Lang::En).to_string(),
        }),
        other => Err(other),
    }
}

/// An offline scanner's check-ins, in one transaction: each valid item is recorded once
/// (a replayed batch records nothing new); an invalid one is listed with its message.
pub async fn batch(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    items: Vec<CheckinItem>,
) -> AppResult<BatchOutcome> {
    require(ctx.can_check_in(actor))?;
    if items.len() > BATCH_MAX {
        return Err(bad(
            format!("Một lần gửi tối đa {BATCH_MAX} lượt điểm danh."),
            format!("A batch holds at most {BATCH_MAX} check-ins."),
        ));
    }
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    let mut ready = Vec::new();
    let mut out = BatchOutcome {
        recorded: 0,
        duplicates: 0,
        refused: Vec::new(),
    };
    for (i, item) in items.into_iter().enumerate() {
        let checked = async {
            let Some(session) = sessions.iter().find(|s| s.id == item.session_id).cloned() else {
                return Err(AppError::bad(
                    "Buổi học này không thuộc lớp.",
                    "This session does not belong to the course.",
                ));
            };
            let Some(cid) = client_id(item.client_id.as_deref())? else {
                return Err(AppError::bad(
                    "Mỗi lượt trong lô cần client_id.",
                    "Every item of a batch needs a client_id.",
                ));
            };
            Ok(Ready {
                delegate: badge_in_course(state, ctx, &item.badge).await?,
                at: scanned_at(item.scanned_at.as_deref())?,
                client_id: Some(cid),
                method: CheckinMethod::Batch,
                session,
            })
        }
        .await;
        match checked {
            Ok(r) => ready.push((i, r)),
            Err(e) => out.refused.push(refused(i, e)?),
        }
    }
    let tx = state.db.write().await?;
    for (i, r) in &ready {
        match write_one(&tx, actor, ctx, r).await {
            Ok((true, _)) => out.recorded += 1,
            Ok((false, _)) => out.duplicates += 1,
            Err(e) => out.refused.push(refused(*i, e)?),
        }
    }
    if out.recorded > 0 {
        audit::record(
            &tx,
            actor,
            "course.checkin_batch",
            "course",
            Some(ctx.course.id),
            serde_json::json!({"recorded": out.recorded, "duplicates": out.duplicates}),
        )
        .await?;
    }
    hoithi_storage::commit(tx).await?;
    Ok(out)
}

/// A delegate checks themself in with the room's code: only while the code is fresh.
pub async fn self_check_in(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    delegate: &Delegate,
    session_id: i64,
    code: &str,
) -> AppResult<Outcome> {
    let session = session_of(state, ctx, session_id).await?;
    let now = hoithi_storage::time::now();
    use hoithi_checkin::room_code::Freshness;
    match room_code_check(&session.room_secret, session.id, code, now) {
        Freshness::Fresh => {}
        Freshness::Stale => {
            return Err(AppError::bad(
                "Mã phòng này đã cũ (có thể từ một ảnh chụp màn hình); hãy quét hoặc nhập mã đang hiện trên màn hình.",
                "This room code is old (perhaps from a photo of the screen); scan or type the code now on the screen.",
            ));
        }
        Freshness::Invalid => {
            return Err(AppError::bad(
                "Mã phòng không đúng hoặc đã hết hạn (mã đổi sau mỗi 30 giây); hãy quét hoặc nhập mã đang hiện trên màn hình.",
                "The room code is wrong or has expired (it changes every 30 seconds); scan or type the code now on the screen.",
            ));
        }
    }
    if !is_active(delegate) {
        return Err(AppError::bad(
            "Đại biểu này không còn trong danh sách dự lớp.",
            "This delegate is no longer on the course's list.",
        ));
    }
    let ready = Ready {
        session,
        delegate: delegate.clone(),
        at: now,
        client_id: None,
        method: CheckinMethod::Room,
    };
    let tx = state.db.write().await?;
    let (recorded, status) = write_one(&tx, actor, ctx, &ready).await?;
    hoithi_storage::commit(tx).await?;
    outcome(state, delegate, recorded, status).await
}

/// Organizers set a status afterwards (from the paper roster, an excuse, a correction); the
/// change is audited with the status before.
pub async fn mark(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    session_id: i64,
    delegate_id: i64,
    status: &str,
    reason: &str,
) -> AppResult<()> {
    require(ctx.can_check_in(actor))?;
    let session = session_of(state, ctx, session_id).await?;
    let d = courses::delegate(&state.db, delegate_id)
        .await
        .ok()
        .filter(|d| d.course_id == ctx.course.id)
        .ok_or(AppError::NotFound)?;
    let status = AttendanceStatus::parse(status.trim())
        .ok_or_else(|| AppError::bad("Trạng thái không hợp lệ.", "Not a valid status."))?;
    let reason = line(reason, 500, "lý do", "reason")?;
    if status == AttendanceStatus::Excused && reason.is_empty() {
        return Err(AppError::bad(
            "Vắng có lý do: vui lòng ghi lý do.",
            "Excused: please give the reason.",
        ));
    }
    let tx = state.db.write().await?;
    let before = checkins::set(
        &tx,
        NewCheckin {
            course_id: ctx.course.id,
            session_id: session.id,
            delegate_id: d.id,
            status,
            method: CheckinMethod::Correction,
            reason: reason.clone(),
            client_id: None,
            recorded_by: actor.user_id(),
            scanned_at: hoithi_storage::time::now(),
        },
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "course.attendance",
        "course_delegate",
        Some(d.id),
        serde_json::json!({"session_id": session.id, "from": before, "to": status, "reason": reason}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// The desk's search: by name without diacritics, or a typed code (the badge's short code
/// "DB-123", or the whole badge token).
pub async fn find(state: &AppState, ctx: &CourseCtx, q: &str) -> AppResult<Vec<Delegate>> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let all = courses::delegates(&state.db, ctx.course.id).await?;
    let code = q
        .to_ascii_uppercase()
        .strip_prefix("DB-")
        .and_then(|n| n.parse::<i64>().ok());
    if let Some(id) = code {
        return Ok(all
            .into_iter()
            .filter(|d| d.id == id && is_active(d))
            .collect());
    }
    if q.len() >= 16
        && let Ok(d) = badge_in_course(state, ctx, q).await
    {
        return Ok(vec![d]);
    }
    let needle = fold(q);
    Ok(all
        .into_iter()
        .filter(|d| is_active(d) && d.name_fold.contains(&needle))
        .take(50)
        .collect())
}

/// A message for a refused check-in, for pages.
pub fn message(e: &AppError) -> Option<&Msg> {
    match e {
        AppError::BadRequest(m) | AppError::Conflict(m) => Some(m),
        _ => None,
    }
}

/// Marks present, after the fact, the delegates ticked on a session's paper roster: one
/// transaction; each change is a correction audited with the status before. Delegates
/// already present or late are left as they are. Returns how many were marked.
pub async fn mark_from_paper(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    session_id: i64,
    ticked: &[i64],
) -> AppResult<usize> {
    require(ctx.can_check_in(actor))?;
    let session = session_of(state, ctx, session_id).await?;
    if ticked.is_empty() {
        return Err(AppError::bad(
            "Chưa đánh dấu đại biểu nào có mặt trong danh sách.",
            "No delegate on the list was ticked as present.",
        ));
    }
    let delegates = courses::delegates(&state.db, ctx.course.id).await?;
    let mut chosen = Vec::new();
    for id in ticked {
        let Some(d) = delegates.iter().find(|d| d.id == *id && is_active(d)) else {
            return Err(AppError::bad(
                "Danh sách có một đại biểu không thuộc lớp này (hoặc đã bị thay thế); hãy tải lại trang.",
                "The list holds a delegate not on this course (or replaced); reload the page.",
            ));
        };
        if !chosen.iter().any(|c: &&Delegate| c.id == d.id) {
            chosen.push(d);
        }
    }
    let tx = state.db.write().await?;
    let mut marked = 0;
    for d in chosen {
        let before = checkins::of(&tx, session.id, d.id).await?.map(|c| c.status);
        if matches!(
            before,
            Some(AttendanceStatus::Present | AttendanceStatus::Late)
        ) {
            continue;
        }
        checkins::set(
            &tx,
            NewCheckin {
                course_id: ctx.course.id,
                session_id: session.id,
                delegate_id: d.id,
                status: AttendanceStatus::Present,
                method: CheckinMethod::Correction,
                reason: String::new(),
                client_id: None,
                recorded_by: actor.user_id(),
                scanned_at: hoithi_storage::time::now(),
            },
        )
        .await?;
        audit::record(
            &tx,
            actor,
            "course.attendance",
            "course_delegate",
            Some(d.id),
            serde_json::json!({"session_id": session.id, "from": before, "to": AttendanceStatus::Present, "source": "paper_roster"}),
        )
        .await?;
        marked += 1;
    }
    hoithi_storage::commit(tx).await?;
    Ok(marked)
}
