//! Courses in the JSON API: courses and sessions, delegates by unit, check-in (one scan, or an
//! offline scanner's batch), attendance. The check-in routes are the contract of the check-in
//! benchmark (docs/checkin-api.md).

use axum::Json;
use axum::extract::State;
use hoithi_storage::repo::courses;
use hoithi_storage::status::CheckinMethod;
use serde::{Deserialize, Serialize};

use crate::access::{ManagedCourse, StaffedCourse};
use crate::auth::session::{CurrentUser, Identity};
use crate::courses::checkin::service::{self as checkin, BatchOutcome, CheckinItem, Outcome};
use crate::courses::materials::service::{self as materials, MaterialInput, MaterialView};
use crate::courses::service::{self as shared, CourseCtx};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: i64,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub room: String,
    pub speaker: String,
    pub topic: String,
    pub late_after_minutes: i32,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CourseView {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub organizer: String,
    pub venue: String,
    pub nomination_deadline: chrono::DateTime<chrono::Utc>,
    pub completion_share: i32,
    pub sessions: Vec<SessionView>,
}

async fn view(state: &AppState, ctx: &CourseCtx) -> AppResult<CourseView> {
    let k = &ctx.course;
    Ok(CourseView {
        id: k.id,
        slug: k.slug.clone(),
        title: k.title.clone(),
        kind: k.kind.as_str().into(),
        status: k.status.as_str().into(),
        organizer: ctx.organizer.name.clone(),
        venue: k.venue.clone(),
        nomination_deadline: k.nomination_deadline,
        completion_share: k.completion_share,
        sessions: courses::sessions(&state.db, k.id)
            .await?
            .into_iter()
            .map(|s| SessionView {
                id: s.id,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                room: s.room,
                speaker: s.speaker,
                topic: s.topic,
                late_after_minutes: s.late_after_minutes,
            })
            .collect(),
    })
}

/// Courses past their draft (and the drafts the caller manages).
#[utoipa::path(get, path = "/api/v1/courses", tag = "courses",
    responses((status = 200, body = [CourseView])))]
pub async fn list(
    State(state): State<AppState>,
    Identity(id): Identity,
) -> AppResult<Json<Vec<CourseView>>> {
    let mut out = Vec::new();
    for k in courses::list(&state.db).await? {
        let ctx = shared::load_id(&state, k.id).await?;
        if k.status == hoithi_storage::status::CourseStatus::Draft && !ctx.can_manage(&id.actor) {
            continue;
        }
        out.push(view(&state, &ctx).await?);
    }
    Ok(Json(out))
}

/// One course with its sessions.
#[utoipa::path(get, path = "/api/v1/courses/{id}", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = CourseView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Identity(id): Identity,
    axum::extract::Path(course): axum::extract::Path<i64>,
) -> AppResult<Json<CourseView>> {
    let ctx = shared::load_id(&state, course).await?;
    if ctx.course.status == hoithi_storage::status::CourseStatus::Draft
        && !ctx.can_manage(&id.actor)
    {
        return Err(AppError::NotFound);
    }
    Ok(Json(view(&state, &ctx).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DelegateView {
    pub id: i64,
    pub unit_id: i64,
    pub unit: String,
    pub full_name: String,
    pub job_title: String,
    /// "nominated", "accepted", "refused" or "replaced".
    pub status: String,
    pub reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UnitDelegates {
    pub unit_id: i64,
    pub unit: String,
    pub quota: i32,
    /// Places not yet filled.
    pub missing: usize,
    pub delegates: Vec<DelegateView>,
}

/// The delegates by invited unit (organizers: every unit; unit administrators: their own).
#[utoipa::path(get, path = "/api/v1/courses/{id}/delegates", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = [UnitDelegates]), (status = 403, body = crate::api::ErrorBody)))]
pub async fn delegates(
    State(state): State<AppState>,
    me: CurrentUser,
    axum::extract::Path(course): axum::extract::Path<i64>,
) -> AppResult<Json<Vec<UnitDelegates>>> {
    let ctx = shared::load_id(&state, course).await?;
    let lists = crate::courses::delegates::service::lists(&state, me.actor(), &ctx).await?;
    if lists.is_empty() && !ctx.can_manage(me.actor()) {
        return Err(AppError::Forbidden);
    }
    Ok(Json(
        lists
            .iter()
            .map(|l| UnitDelegates {
                unit_id: l.unit.id,
                unit: l.unit.name.clone(),
                quota: l.cu.quota,
                missing: l.missing(),
                delegates: l
                    .delegates
                    .iter()
                    .map(|d| DelegateView {
                        id: d.id,
                        unit_id: d.unit_id,
                        unit: l.unit.name.clone(),
                        full_name: d.full_name.clone(),
                        job_title: d.job_title.clone(),
                        status: d.status.as_str().into(),
                        reason: d.reason.clone(),
                    })
                    .collect(),
            })
            .collect(),
    ))
}

/// One scan of a badge.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct CheckinInput {
    pub session_id: i64,
    /// The badge as scanned: the signed badge string of the QR URL (`/dai-bieu/{badge}`), the
    /// whole URL, or the bare 22-character token. A signed badge's signature is checked.
    pub badge: String,
    /// The scanner's id for this check-in: the same id twice records once.
    #[serde(default)]
    pub client_id: Option<String>,
    /// When it was scanned (RFC 3339); the server's clock without one.
    #[serde(default)]
    pub scanned_at: Option<String>,
}

/// Checks a delegate in to a session (staff of the course). `recorded` is false when that
/// delegate was already checked in to that session.
#[utoipa::path(post, path = "/api/v1/courses/{id}/checkins", tag = "courses", params(("id" = i64, Path)),
    request_body = CheckinInput,
    responses((status = 200, body = Outcome), (status = 422, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn check_in(
    State(state): State<AppState>,
    me: CurrentUser,
    StaffedCourse(ctx): StaffedCourse,
    Json(input): Json<CheckinInput>,
) -> AppResult<Json<Outcome>> {
    let at = checkin::scanned_at(input.scanned_at.as_deref())?;
    checkin::session_of(&state, &ctx, input.session_id).await?;
    let d = checkin::badge_in_course(&state, &ctx, &input.badge).await?;
    // The same scan again (same client_id, delegate and session): what it recorded, nothing
    // new. A client_id held by another check-in is refused by `check_in`.
    if let Some(cid) = input
        .client_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        && let Some(done) = courses::checkins::by_client_id(&state.db, ctx.course.id, cid).await?
        && done.session_id == input.session_id
        && done.delegate_id == d.id
    {
        return Ok(Json(Outcome {
            delegate_id: d.id,
            name: d.full_name.clone(),
            unit: hoithi_storage::repo::units::get(&state.db, d.unit_id)
                .await?
                .name,
            status: done.status,
            recorded: false,
        }));
    }
    let out = checkin::check_in(
        &state,
        me.actor(),
        &ctx,
        input.session_id,
        d,
        CheckinMethod::Staff,
        input.client_id.as_deref(),
        at,
    )
    .await?;
    Ok(Json(out))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct BatchInput {
    /// At most 500; each needs a `client_id`.
    pub checkins: Vec<CheckinItem>,
}

/// An offline scanner's check-ins, in one transaction; sending the same batch again records
/// nothing new.
#[utoipa::path(post, path = "/api/v1/courses/{id}/checkins/batch", tag = "courses", params(("id" = i64, Path)),
    request_body = BatchInput,
    responses((status = 200, body = BatchOutcome), (status = 422, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn batch(
    State(state): State<AppState>,
    me: CurrentUser,
    StaffedCourse(ctx): StaffedCourse,
    Json(input): Json<BatchInput>,
) -> AppResult<Json<BatchOutcome>> {
    Ok(Json(
        checkin::batch(&state, me.actor(), &ctx, input.checkins).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AttendanceRow {
    pub delegate_id: i64,
    pub full_name: String,
    pub unit: String,
    /// Per session, in the course's order: "present", "late", "excused", "absent" or null.
    pub statuses: Vec<Option<String>>,
    /// Weighted share of sessions attended, in percent.
    pub share: f64,
    pub completed: bool,
    pub certificate: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AttendanceView {
    pub session_ids: Vec<i64>,
    pub rows: Vec<AttendanceRow>,
}

/// Attendance per delegate and session, with completion (organizers).
#[utoipa::path(get, path = "/api/v1/courses/{id}/attendance", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = AttendanceView), (status = 403, body = crate::api::ErrorBody)))]
pub async fn attendance(
    State(state): State<AppState>,
    ManagedCourse(ctx): ManagedCourse,
) -> AppResult<Json<AttendanceView>> {
    let r = crate::courses::attendance::service::report(&state, &ctx).await?;
    Ok(Json(AttendanceView {
        session_ids: r.sessions.iter().map(|s| s.id).collect(),
        rows: r
            .rows
            .into_iter()
            .map(|x| AttendanceRow {
                delegate_id: x.delegate.id,
                full_name: x.delegate.full_name,
                unit: x.unit,
                statuses: x
                    .statuses
                    .iter()
                    .map(|s| s.map(|s| s.as_str().to_string()))
                    .collect(),
                share: x.progress.share,
                completed: x.progress.completed,
                certificate: x.certificate,
            })
            .collect(),
    }))
}

/// A course's badge key: what a scanner needs to tell a genuine badge offline.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BadgeKeyView {
    pub course_id: i64,
    /// Always "Ed25519".
    pub algorithm: String,
    /// The public key, 32 bytes as base64url without padding (43 characters).
    pub public_key: String,
    /// The same key as 64 lowercase hex characters.
    pub public_key_hex: String,
    /// What a badge string looks like: `{token}.{course_id}.{delegate_id}.{signature}`.
    pub badge_format: String,
}

/// The course's public key for badges (anyone who may see the course).
#[utoipa::path(get, path = "/api/v1/courses/{id}/badge-key", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = BadgeKeyView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn badge_key(
    State(state): State<AppState>,
    Identity(id): Identity,
    axum::extract::Path(course_id): axum::extract::Path<i64>,
) -> AppResult<Json<BadgeKeyView>> {
    let ctx = shared::load_id(&state, course_id).await?;
    let ctx = shared::visible(&state, &id.actor, &ctx.course.slug).await?;
    let key = shared::course_key(&state, ctx.course.id).public_key();
    Ok(Json(BadgeKeyView {
        course_id: ctx.course.id,
        algorithm: "Ed25519".into(),
        public_key: key.to_base64(),
        public_key_hex: key.to_hex(),
        badge_format: "{token}.{course_id}.{delegate_id}.{signature}".into(),
    }))
}

/// The signed revocation list: badges of replaced and refused delegates (staff of the course).
#[derive(Serialize, utoipa::ToSchema)]
pub struct RevocationsView {
    pub course_id: i64,
    /// When the list was made (Unix seconds).
    pub issued_at: i64,
    /// SHA-256 (lowercase hex) of each revoked badge's token, sorted.
    pub revoked: Vec<String>,
    /// Ed25519 signature (base64url) by the course key over the course, `issued_at` and the
    /// hashes (see hoithi_checkin::badge::RevocationList).
    pub signature: String,
}

/// The course's signed revocation list, for scanners (staff of the course). The body is
/// exactly the signed JSON that `hoithi_checkin::badge::Scanner::new` reads.
#[utoipa::path(get, path = "/api/v1/courses/{id}/revocations", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = RevocationsView), (status = 403, body = crate::api::ErrorBody)))]
pub async fn revocations(
    State(state): State<AppState>,
    StaffedCourse(ctx): StaffedCourse,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let json = shared::revocations(&state, ctx.course.id).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json,
    )
        .into_response())
}

/// The course's materials the caller may see (public ones for everyone; delegate-only ones for
/// its delegates, organizers and staff).
#[utoipa::path(get, path = "/api/v1/courses/{id}/materials", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = [MaterialView]), (status = 404, body = crate::api::ErrorBody)))]
pub async fn materials_list(
    State(state): State<AppState>,
    Identity(id): Identity,
    axum::extract::Path(course): axum::extract::Path<i64>,
) -> AppResult<Json<Vec<MaterialView>>> {
    let ctx = shared::load_id(&state, course).await?;
    let ctx = shared::visible(&state, &id.actor, &ctx.course.slug).await?;
    let private = materials::sees_private(&state, &id.actor, &ctx, None).await?;
    Ok(Json(
        materials::visible_list(
            &state,
            &ctx,
            private,
            &format!("/khoa-hoc/{}/tai-lieu", ctx.course.slug),
        )
        .await?,
    ))
}

/// Adds a material: a `file` (DOCX, ODT, PDF, PPTX, XLSX, 20 MB at most) or a `url` (http or
/// https), with `title`, `note`, `session_id` and `visibility` ("delegates" or "public").
#[utoipa::path(post, path = "/api/v1/courses/{id}/materials", tag = "courses", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", content = MaterialInput),
    responses((status = 201, body = MaterialView), (status = 422, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn materials_add(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    mp: axum::extract::Multipart,
) -> AppResult<(axum::http::StatusCode, Json<MaterialView>)> {
    let form = crate::upload::read(mp).await?;
    let input = MaterialInput::from_fields(&form.fields);
    let m = materials::add(&state, me.actor(), &ctx, input, form.file).await?;
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(materials::view(
            m,
            &sessions,
            &format!("/khoa-hoc/{}/tai-lieu", ctx.course.slug),
        )),
    ))
}

/// Removes a material (audited); its file stays in the store for the audit trail.
#[utoipa::path(delete, path = "/api/v1/courses/{id}/materials/{material}", tag = "courses",
    params(("id" = i64, Path), ("material" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn materials_remove(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    axum::extract::Path((_course, material)): axum::extract::Path<(i64, i64)>,
) -> AppResult<axum::http::StatusCode> {
    materials::remove(&state, me.actor(), &ctx, material).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

pub fn routes() -> crate::routes::Routes {
    use crate::routes::{Gate, Routes};
    use axum::http::Method as M;
    Routes::new()
        .add(M::GET, "/api/v1/courses", Gate::Public, list)
        .add(M::GET, "/api/v1/courses/{id}", Gate::Public, get)
        .add(
            M::GET,
            "/api/v1/courses/{id}/badge-key",
            Gate::Public,
            badge_key,
        )
        .add(
            M::GET,
            "/api/v1/courses/{id}/revocations",
            Gate::SignedIn,
            revocations,
        )
        .add(
            M::GET,
            "/api/v1/courses/{id}/delegates",
            Gate::SignedIn,
            delegates,
        )
        .add(
            M::GET,
            "/api/v1/courses/{id}/attendance",
            Gate::SignedIn,
            attendance,
        )
        .add(
            M::POST,
            "/api/v1/courses/{id}/checkins",
            Gate::SignedIn,
            check_in,
        )
        .add(
            M::POST,
            "/api/v1/courses/{id}/checkins/batch",
            Gate::SignedIn,
            batch,
        )
        .add(
            M::GET,
            "/api/v1/courses/{id}/materials",
            Gate::Public,
            materials_list,
        )
        .add(
            M::POST,
            "/api/v1/courses/{id}/materials",
            Gate::SignedIn,
            materials_add,
        )
        .add(
            M::DELETE,
            "/api/v1/courses/{id}/materials/{material}",
            Gate::SignedIn,
            materials_remove,
        )
}
