//! Creating a course, adding its sessions, moving it through its statuses.

use hoithi_storage::entity::unit;
use hoithi_storage::repo::courses::{self, Course, NewCourse, NewSession, Session};
use hoithi_storage::repo::units;
use hoithi_storage::status::{CourseKind, CourseStatus};

use crate::audit;
use crate::courses::service::{
    CourseCtx, at, bad, day_end, line, parse_count, parse_day, parse_time, require,
};
use crate::error::{AppError, AppResult};
use crate::policy::{Action, Actor, Reach, Resource, can, reach};
use crate::state::AppState;

/// The units at which the actor may hold a course.
pub async fn organizer_units(state: &AppState, actor: &Actor) -> AppResult<Vec<unit::Model>> {
    Ok(match reach(actor, Action::CreateCourse) {
        Reach::Everywhere => units::list(&state.db, None).await?,
        Reach::Within(roots) => {
            let mut out = Vec::new();
            for r in roots {
                out.extend(units::list(&state.db, Some(r.as_str())).await?);
            }
            out
        }
        Reach::Nowhere => Vec::new(),
    })
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct CourseInput {
    #[serde(default)]
    pub organizer_unit_id: String,
    #[serde(default)]
    pub title: String,
    /// The address; made from the title when empty.
    #[serde(default)]
    pub slug: String,
    /// "boi_duong", "tap_huan" or "quan_triet".
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub description: String,
    /// dd/mm/yyyy.
    #[serde(default)]
    pub nomination_deadline: String,
    /// Percent of sessions to attend for completion (default 80).
    #[serde(default)]
    pub completion_share: String,
    #[serde(default)]
    pub completion_needs_survey: bool,
    /// The course this one passes on one level down (a unit's cascade of its parent's course):
    /// its id, or empty.
    #[serde(default)]
    pub parent_course_id: String,
}

/// Courses that a course held at `unit_path` may pass on: those of the units above it that
/// are not drafts, newest first.
pub async fn parent_candidates(state: &AppState, unit_paths: &[&str]) -> AppResult<Vec<Course>> {
    // Newest first, as `courses::list` gives them.
    let list: Vec<Course> = courses::list(&state.db)
        .await?
        .into_iter()
        .filter(|k| k.status != CourseStatus::Draft)
        .filter(|k| {
            unit_paths
                .iter()
                .any(|p| is_strictly_below(p, k.organizer_path.as_str()))
        })
        .collect();
    Ok(list)
}

/// Whether the unit at `path` is below (not at) the unit at `above`.
fn is_strictly_below(path: &str, above: &str) -> bool {
    path.len() > above.len() && path.starts_with(above)
}

pub async fn create(state: &AppState, actor: &Actor, input: CourseInput) -> AppResult<Course> {
    let unit_id: i64 = input.organizer_unit_id.trim().parse().map_err(|_| {
        AppError::bad(
            "Vui lòng chọn đơn vị tổ chức.",
            "Please choose the organizing unit.",
        )
    })?;
    let organizer = units::get(&state.db, unit_id).await.map_err(|_| {
        AppError::bad(
            "Đơn vị tổ chức không tồn tại.",
            "The organizing unit does not exist.",
        )
    })?;
    require(can(
        actor,
        Action::CreateCourse,
        Resource::Unit {
            path: &organizer.path,
        },
    ))?;
    let title = line(&input.title, 300, "tên lớp", "course title")?;
    if title.is_empty() {
        return Err(AppError::bad(
            "Vui lòng nhập tên lớp.",
            "Please enter the course title.",
        ));
    }
    let slug = if input.slug.trim().is_empty() {
        crate::contests::service::slugify(&title)
    } else {
        crate::contests::service::slugify(&input.slug)
    };
    if slug.is_empty() {
        return Err(AppError::bad(
            "Địa chỉ của lớp chỉ gồm chữ không dấu, số và dấu gạch ngang.",
            "The course address takes letters, digits and dashes.",
        ));
    }
    let kind = CourseKind::parse(input.kind.trim()).ok_or_else(|| {
        AppError::bad(
            "Vui lòng chọn loại lớp (bồi dưỡng, tập huấn hoặc hội nghị quán triệt).",
            "Please choose the kind of course (training, workshop or briefing conference).",
        )
    })?;
    let deadline = day_end(&input.nomination_deadline).ok_or_else(|| {
        AppError::bad(
            "Hạn đề cử đại biểu phải là ngày dạng dd/mm/yyyy.",
            "The nomination deadline must be a date as dd/mm/yyyy.",
        )
    })?;
    let share = if input.completion_share.trim().is_empty() {
        80
    } else {
        parse_count(
            &input.completion_share,
            0..=100,
            "Tỷ lệ buổi phải dự để hoàn thành là số từ 0 đến 100.",
            "The share of sessions to attend is a number from 0 to 100.",
        )?
    };
    let venue = line(&input.venue, 300, "địa điểm", "venue")?;
    let description = hoithi_text::normalize::as_written(input.description.trim());
    if description.chars().count() > 20_000 {
        return Err(AppError::bad(
            "Phần giới thiệu quá dài (tối đa 20.000 ký tự).",
            "The description is too long (20,000 characters at most).",
        ));
    }
    let parent = match input.parent_course_id.trim() {
        "" => None,
        id => {
            let k = match id.parse::<i64>() {
                Ok(id) => courses::get(&state.db, id).await.ok(),
                Err(_) => None,
            };
            match k {
                Some(k)
                    if k.status != CourseStatus::Draft
                        && is_strictly_below(
                            organizer.path.as_str(),
                            k.organizer_path.as_str(),
                        ) =>
                {
                    Some(k.id)
                }
                _ => {
                    return Err(AppError::bad(
                        "Lớp cấp trên phải là một lớp (không phải bản nháp) của đơn vị cấp trên đơn vị tổ chức.",
                        "The parent course must be a course (not a draft) of a unit above the organizing unit.",
                    ));
                }
            }
        }
    };
    let tx = state.db.write().await?;
    if courses::by_slug(&tx, &slug).await?.is_some() {
        return Err(bad(
            format!("Địa chỉ «{slug}» đã có lớp khác dùng; hãy chọn địa chỉ khác."),
            format!("The address «{slug}» is taken by another course; choose another."),
        ));
    }
    let saved = courses::create(
        &tx,
        NewCourse {
            slug,
            title,
            description,
            venue,
            kind,
            organizer_unit_id: organizer.id,
            organizer_path: organizer.path.clone(),
            nomination_deadline: deadline,
            completion_share: share,
            completion_needs_survey: input.completion_needs_survey,
            parent_course_id: parent,
        },
    )
    .await?;
    let ctx_id = saved.id;
    audit::record(
        &tx,
        actor,
        "course.create",
        "course",
        Some(saved.id),
        serde_json::json!({"title": saved.title, "slug": saved.slug, "parent_course_id": parent}),
    )
    .await?;
    reindex(&tx, ctx_id).await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct SessionInput {
    /// dd/mm/yyyy.
    #[serde(default)]
    pub day: String,
    /// HH:MM.
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub room: String,
    #[serde(default)]
    pub speaker: String,
    #[serde(default)]
    pub topic: String,
    /// Minutes after the start from which arriving counts as late (default 15).
    #[serde(default)]
    pub late_after: String,
}

pub async fn add_session(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    input: SessionInput,
) -> AppResult<Session> {
    require(ctx.can_manage(actor))?;
    let day = parse_day(&input.day).ok_or_else(|| {
        AppError::bad(
            "Ngày của buổi học phải có dạng dd/mm/yyyy.",
            "The session's day must be a date as dd/mm/yyyy.",
        )
    })?;
    let (Some(s), Some(e)) = (parse_time(&input.starts), parse_time(&input.ends)) else {
        return Err(AppError::bad(
            "Giờ bắt đầu và kết thúc có dạng HH:MM, ví dụ 13:30.",
            "Start and end times are HH:MM, e.g. 13:30.",
        ));
    };
    if e <= s {
        return Err(AppError::bad(
            "Giờ kết thúc phải sau giờ bắt đầu.",
            "The end must come after the start.",
        ));
    }
    let (Some(starts_at), Some(ends_at)) = (at(day, s), at(day, e)) else {
        return Err(AppError::bad(
            "Không đọc được ngày giờ của buổi học.",
            "The session's date and time cannot be read.",
        ));
    };
    let late = if input.late_after.trim().is_empty() {
        15
    } else {
        parse_count(
            &input.late_after,
            0..=600,
            "Số phút tính đến muộn là số từ 0 đến 600.",
            "Minutes until late is a number from 0 to 600.",
        )?
    };
    let topic = line(&input.topic, 300, "nội dung", "topic")?;
    if topic.is_empty() {
        return Err(AppError::bad(
            "Vui lòng nhập nội dung của buổi học.",
            "Please enter the session's topic.",
        ));
    }
    let new = NewSession {
        starts_at,
        ends_at,
        room: line(&input.room, 200, "phòng", "room")?,
        speaker: line(&input.speaker, 200, "báo cáo viên", "speaker")?,
        topic,
        late_after_minutes: late,
        room_secret: crate::auth::random_token(),
    };
    let tx = state.db.write().await?;
    let saved = courses::add_session(&tx, ctx.course.id, new).await?;
    let ctx_id = ctx.course.id;
    audit::record(
        &tx,
        actor,
        "course.session",
        "course",
        Some(ctx.course.id),
        serde_json::json!({"session_id": saved.id, "topic": saved.topic}),
    )
    .await?;
    reindex(&tx, ctx_id).await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}

pub async fn set_status(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    status: &str,
) -> AppResult<CourseStatus> {
    require(ctx.can_manage(actor))?;
    let status = CourseStatus::parse(status.trim())
        .ok_or_else(|| AppError::bad("Trạng thái không hợp lệ.", "Not a valid status."))?;
    if status != CourseStatus::Draft
        && courses::sessions(&state.db, ctx.course.id)
            .await?
            .is_empty()
    {
        return Err(AppError::bad(
            "Hãy thêm ít nhất một buổi học trước khi mở lớp.",
            "Add at least one session before opening the course.",
        ));
    }
    let tx = state.db.write().await?;
    courses::set_status(&tx, ctx.course.id, status).await?;
    let ctx_id = ctx.course.id;
    audit::record(
        &tx,
        actor,
        "course.status",
        "course",
        Some(ctx.course.id),
        serde_json::json!({"from": ctx.course.status, "to": status}),
    )
    .await?;
    reindex(&tx, ctx_id).await?;
    crate::courses::materials::service::reindex_all(&tx, ctx_id).await?;
    hoithi_storage::commit(tx).await?;
    Ok(status)
}

/// The course's search document follows its changes.
async fn reindex<C: hoithi_storage::Conn>(tx: &C, id: i64) -> AppResult<()> {
    use crate::search::{DocKind, DocRef};
    crate::jobs::enqueue(
        tx,
        crate::jobs::Job::SearchIndex(DocRef::new(DocKind::Course, id)),
    )
    .await?;
    Ok(())
}
