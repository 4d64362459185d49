//! Follow-up (kế hoạch triển khai): each invited unit records its plan to pass the course on,
//! then reports each session it held; the organizers' dashboard rolls the reports up through
//! the unit tree (units that reported, people reached against the units' headcount, overdue
//! units), and reminders go out through the outbox.

use hoithi_storage::entity::unit;
use hoithi_storage::repo::courses::followup::{self, NewPlan, NewReport};
use hoithi_storage::repo::courses::{self, CourseUnit, Plan, Report};
use hoithi_storage::repo::{units, users};

use crate::audit;
use crate::courses::service::{CourseCtx, day_end, day_start, line, parse_count, require};
use crate::error::{AppError, AppResult};
use crate::jobs::{Job, Message};
use crate::policy::{Action, Actor, Resource, can};
use crate::state::AppState;

/// The invited unit `unit_id`, if the actor may report for it.
async fn reporting_unit(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    unit_id: &str,
) -> AppResult<CourseUnit> {
    let id: i64 = unit_id
        .trim()
        .parse()
        .map_err(|_| AppError::bad("Vui lòng chọn đơn vị.", "Please choose the unit."))?;
    let cu = courses::course_unit(&state.db, ctx.course.id, id)
        .await?
        .ok_or_else(|| {
            AppError::bad(
                "Đơn vị này không có đại biểu dự lớp.",
                "This unit sent no delegates to the course.",
            )
        })?;
    if !can(
        actor,
        Action::NominateDelegates,
        Resource::CourseUnit {
            course_id: ctx.course.id,
            organizer_path: &ctx.course.organizer_path,
            unit_path: &cu.unit_path,
        },
    ) {
        return Err(AppError::bad(
            "Bạn chỉ báo cáo được cho đơn vị mình quản lý.",
            "You can report only for the units you administer.",
        ));
    }
    Ok(cu)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlanInput {
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub expected: String,
}

pub async fn set_plan(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    f: PlanInput,
) -> AppResult<Plan> {
    let cu = reporting_unit(state, actor, ctx, &f.unit_id).await?;
    let (Some(starts), Some(ends)) = (day_start(&f.starts), day_end(&f.ends)) else {
        return Err(AppError::bad(
            "Thời gian triển khai: từ ngày và đến ngày dạng dd/mm/yyyy.",
            "The plan's dates: from and to, as dd/mm/yyyy.",
        ));
    };
    if ends < starts {
        return Err(AppError::bad(
            "Ngày kết thúc phải sau ngày bắt đầu.",
            "The end must come after the start.",
        ));
    }
    let audience = line(&f.audience, 300, "đối tượng", "audience")?;
    let expected = parse_count(
        &f.expected,
        0..=1_000_000,
        "Số người dự kiến là số từ 0 đến 1.000.000.",
        "The expected number of people is a number from 0 to 1,000,000.",
    )?;
    let tx = state.db.write().await?;
    let p = followup::set_plan(
        &tx,
        ctx.course.id,
        cu.unit_id,
        &cu.unit_path,
        NewPlan {
            starts_on: starts,
            ends_on: ends,
            audience,
            expected_people: expected,
        },
        actor.user_id(),
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "course.plan",
        "course",
        Some(ctx.course.id),
        serde_json::json!({"unit_id": cu.unit_id, "expected": expected}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(p)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ReportInput {
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub notes: String,
}

pub async fn add_report(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    f: ReportInput,
) -> AppResult<Report> {
    let cu = reporting_unit(state, actor, ctx, &f.unit_id).await?;
    let held = day_start(&f.held_on).ok_or_else(|| {
        AppError::bad(
            "Ngày tổ chức phải có dạng dd/mm/yyyy.",
            "The day it was held must be a date as dd/mm/yyyy.",
        )
    })?;
    if held > chrono::Utc::now() {
        return Err(AppError::bad(
            "Chỉ báo cáo buổi đã tổ chức (ngày không ở tương lai).",
            "Report only sessions already held (no future dates).",
        ));
    }
    let place = line(&f.place, 300, "địa điểm", "place")?;
    let participants = parse_count(
        &f.participants,
        1..=1_000_000,
        "Số người tham dự là số từ 1 đến 1.000.000.",
        "The number of participants is a number from 1 to 1,000,000.",
    )?;
    let notes = hoithi_text::normalize::normalize_str(f.notes.trim());
    if notes.chars().count() > 5000 {
        return Err(AppError::bad(
            "Ghi chú tối đa 5.000 ký tự.",
            "Notes are 5,000 characters at most.",
        ));
    }
    let tx = state.db.write().await?;
    let r = followup::add_report(
        &tx,
        ctx.course.id,
        cu.unit_id,
        &cu.unit_path,
        NewReport {
            held_on: held,
            place,
            participants,
            notes,
        },
        actor.user_id(),
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "course.report",
        "course",
        Some(ctx.course.id),
        serde_json::json!({"unit_id": cu.unit_id, "participants": participants}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(r)
}

pub async fn set_deadline(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    day: &str,
) -> AppResult<()> {
    require(ctx.can_manage(actor))?;
    let deadline = day_end(day).ok_or_else(|| {
        AppError::bad(
            "Hạn báo cáo phải là ngày dạng dd/mm/yyyy.",
            "The reporting deadline must be a date as dd/mm/yyyy.",
        )
    })?;
    let tx = state.db.write().await?;
    courses::set_deadlines(
        &tx,
        ctx.course.id,
        ctx.course.survey_closes_at,
        Some(deadline),
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "course.followup_deadline",
        "course",
        Some(ctx.course.id),
        serde_json::json!({"deadline": deadline}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// One line of the dashboard: a unit and everything invited in its subtree.
pub struct Rollup {
    pub unit: unit::Model,
    pub invited: usize,
    pub planned: usize,
    pub reported: usize,
    pub overdue: usize,
    pub sessions: usize,
    pub reached: i64,
    pub expected: i64,
    pub headcount: i64,
    pub has_children: bool,
}

pub struct Dashboard {
    /// The unit shown at the top (the organizer, or the unit drilled into).
    pub total: Rollup,
    pub rows: Vec<Rollup>,
    /// Invited units past the deadline with no report.
    pub overdue: Vec<unit::Model>,
}

fn roll(
    u: unit::Model,
    invited: &[(CourseUnit, unit::Model)],
    plans: &[Plan],
    reports: &[Report],
    overdue_ids: &[i64],
    has_children: bool,
) -> Rollup {
    let inside: Vec<&(CourseUnit, unit::Model)> = invited
        .iter()
        .filter(|(cu, _)| u.path.contains(&cu.unit_path))
        .collect();
    let reps: Vec<&Report> = reports
        .iter()
        .filter(|r| u.path.contains(&r.unit_path))
        .collect();
    Rollup {
        invited: inside.len(),
        planned: plans
            .iter()
            .filter(|p| u.path.contains(&p.unit_path))
            .count(),
        reported: inside
            .iter()
            .filter(|(cu, _)| reps.iter().any(|r| r.unit_id == cu.unit_id))
            .count(),
        overdue: inside
            .iter()
            .filter(|(cu, _)| overdue_ids.contains(&cu.unit_id))
            .count(),
        sessions: reps.len(),
        reached: reps.iter().map(|r| i64::from(r.participants)).sum(),
        expected: plans
            .iter()
            .filter(|p| u.path.contains(&p.unit_path))
            .map(|p| i64::from(p.expected_people))
            .sum(),
        headcount: inside
            .iter()
            .map(|(_, x)| i64::from(x.headcount.unwrap_or(0)))
            .sum(),
        has_children,
        unit: u,
    }
}

/// The roll-up under `at` (the organizer by default): a line per child unit with invited
/// units inside it.
pub async fn dashboard(state: &AppState, ctx: &CourseCtx, at: Option<i64>) -> AppResult<Dashboard> {
    let top = match at {
        Some(id) => units::get(&state.db, id)
            .await
            .ok()
            .filter(|u| ctx.course.organizer_path.contains(&u.path))
            .ok_or(AppError::NotFound)?,
        None => ctx.organizer.clone(),
    };
    let mut invited = Vec::new();
    for cu in courses::course_units(&state.db, ctx.course.id).await? {
        let u = units::get(&state.db, cu.unit_id).await?;
        invited.push((cu, u));
    }
    let plans = followup::plans(&state.db, ctx.course.id).await?;
    let reports = followup::reports(&state.db, ctx.course.id).await?;
    // Overdue: no report yet, and either the course's deadline or the unit's own plan has
    // ended.
    let now = chrono::Utc::now();
    let late = ctx.course.followup_deadline.is_some_and(|d| d < now);
    let overdue: Vec<unit::Model> = invited
        .iter()
        .filter(|(cu, _)| !reports.iter().any(|r| r.unit_id == cu.unit_id))
        .filter(|(cu, _)| {
            late || plans
                .iter()
                .any(|p| p.unit_id == cu.unit_id && p.ends_on < now)
        })
        .filter(|(cu, _)| top.path.contains(&cu.unit_path))
        .map(|(_, u)| u.clone())
        .collect();
    let overdue_ids: Vec<i64> = overdue.iter().map(|u| u.id).collect();
    let children = units::children(&state.db, Some(top.id)).await?;
    let with_kids = units::having_children(
        &state.db,
        &children.iter().map(|u| u.id).collect::<Vec<_>>(),
    )
    .await?;
    let rows = children
        .into_iter()
        .map(|u| {
            let kids = with_kids.contains(&u.id);
            roll(u, &invited, &plans, &reports, &overdue_ids, kids)
        })
        .filter(|r| r.invited > 0)
        .collect();
    Ok(Dashboard {
        total: roll(top, &invited, &plans, &reports, &overdue_ids, true),
        rows,
        overdue,
    })
}

/// Reminds the administrators of the units that have not reported (by the outbox). Returns
/// how many messages were queued.
pub async fn remind(state: &AppState, actor: &Actor, ctx: &CourseCtx) -> AppResult<usize> {
    require(ctx.can_manage(actor))?;
    let reports = followup::reports(&state.db, ctx.course.id).await?;
    let mut messages = Vec::new();
    for cu in courses::course_units(&state.db, ctx.course.id).await? {
        if reports.iter().any(|r| r.unit_id == cu.unit_id) {
            continue;
        }
        let u = units::get(&state.db, cu.unit_id).await?;
        for g in courses::unit_admins(&state.db, cu.unit_id).await? {
            if let Ok(user) = users::get(&state.db, g).await
                && let Some(email) = user.email
            {
                messages.push(Message {
                    to: email,
                    subject: format!("Nhắc báo cáo triển khai: {}", ctx.course.title),
                    body: format!(
                        "{} chưa báo cáo kết quả triển khai {}{}.\n",
                        u.name,
                        ctx.course.title,
                        ctx.course
                            .followup_deadline
                            .as_ref()
                            .map(|d| format!(" (hạn {})", crate::format::fmt_date(d)))
                            .unwrap_or_default()
                    ),
                });
            }
        }
    }
    let n = messages.len();
    let tx = state.db.write().await?;
    // One reminder per address and day: pressing the button again sends nothing new.
    let day = crate::format::fmt_date(&hoithi_storage::time::now());
    for m in messages {
        let key = format!("course-remind:{}:{}:{day}", ctx.course.id, m.to);
        let mut job: hoithi_storage::repo::jobs::NewJob = Job::Message(m).into();
        job.dedupe_key = Some(key);
        hoithi_storage::repo::jobs::enqueue(&tx, job).await?;
    }
    audit::record(
        &tx,
        actor,
        "course.remind",
        "course",
        Some(ctx.course.id),
        serde_json::json!({"messages": n}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(n)
}
