//! Attendance and completion. Each session counts by its status, weighted: present 1, late
//! 0.75, excused 0.5, absent (or never checked in) 0. A delegate completes the course when the
//! weighted share of sessions reaches the course's rule (and, if the rule says so, they
//! answered the survey). Only those who completed get a certificate.

use chrono_tz::Asia::Ho_Chi_Minh;
use hoithi_storage::entity::certificate;
use hoithi_storage::repo::courses::{self, Checkin, Delegate, checkins, followup};
use hoithi_storage::repo::units;
use hoithi_storage::status::AttendanceStatus;

use crate::audit;
use crate::certificates::service::{self as certs, CourseText, Issue, Kind, Subject};
use crate::courses::service::{CourseCtx, is_active};
use crate::error::{AppError, AppResult};
use crate::policy::Actor;
use crate::state::AppState;

pub fn weight(s: AttendanceStatus) -> f64 {
    match s {
        AttendanceStatus::Present => 1.0,
        AttendanceStatus::Late => 0.75,
        AttendanceStatus::Excused => 0.5,
        AttendanceStatus::Absent => 0.0,
    }
}

/// Where a delegate stands against the completion rule.
pub struct Progress {
    /// Weighted share of sessions attended, in percent.
    pub share: f64,
    pub answered: bool,
    pub completed: bool,
}

pub fn progress_of(
    ctx: &CourseCtx,
    sessions: usize,
    mine: &[&Checkin],
    answered: bool,
) -> Progress {
    let sum: f64 = mine.iter().map(|c| weight(c.status)).sum();
    let share = if sessions == 0 {
        0.0
    } else {
        100.0 * sum / sessions as f64
    };
    let completed = sessions > 0
        && share + 1e-9 >= f64::from(ctx.course.completion_share)
        && (answered || !ctx.course.completion_needs_survey);
    Progress {
        share,
        answered,
        completed,
    }
}

pub async fn progress(state: &AppState, ctx: &CourseCtx, d: &Delegate) -> AppResult<Progress> {
    let sessions = courses::sessions(&state.db, ctx.course.id).await?.len();
    let mine = checkins::of_delegate(&state.db, d.id).await?;
    let answered = followup::answered(&state.db, d.id).await?;
    Ok(progress_of(
        ctx,
        sessions,
        &mine.iter().collect::<Vec<_>>(),
        answered && is_active(d),
    ))
}

pub async fn certificate_of(
    state: &AppState,
    d: &Delegate,
) -> AppResult<Option<certificate::Model>> {
    Ok(certs::of_subjects(state, Kind::CourseCompletion, &[d.id])
        .await?
        .into_iter()
        .next())
}

async fn printed(state: &AppState, ctx: &CourseCtx) -> AppResult<CourseText> {
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    let day = |t: &chrono::DateTime<chrono::Utc>| t.with_timezone(&Ho_Chi_Minh).date_naive();
    let from = sessions
        .first()
        .map(|s| day(&s.starts_at))
        .ok_or_else(|| AppError::bad("Lớp chưa có buổi học nào.", "The course has no sessions."))?;
    let to = sessions.last().map(|s| day(&s.starts_at)).unwrap_or(from);
    Ok(CourseText {
        course_title: ctx.course.title.clone(),
        from,
        to,
        place: ctx.course.venue.clone(),
        issuer: ctx.organizer.name.clone(),
    })
}

/// Issues the completion certificates of these delegates (those who completed; issuing twice
/// adds nothing).
async fn issue_for(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    list: &[Delegate],
) -> AppResult<Vec<certificate::Model>> {
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let text = printed(state, ctx).await?;
    let mut issues = Vec::new();
    for d in list {
        issues.push(Issue {
            subject: Subject::CourseCompletion {
                delegate_id: d.id,
                printed: text.clone(),
            },
            position: 0,
            recipient: d.full_name.clone(),
            unit: units::get(&state.db, d.unit_id).await?.name,
        });
    }
    let out = certs::issue(state, issues).await?;
    let tx = state.db.write().await?;
    audit::record(
        &tx,
        actor,
        "course.certificates",
        "course",
        Some(ctx.course.id),
        serde_json::json!({"delegates": list.iter().map(|d| d.id).collect::<Vec<_>>()}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(out)
}

/// A delegate's own certificate: only once they completed the course.
pub async fn own_certificate(
    state: &AppState,
    holder: &Actor,
    ctx: &CourseCtx,
    d: &Delegate,
) -> AppResult<certificate::Model> {
    if let Some(c) = certificate_of(state, d).await? {
        return Ok(c);
    }
    if !crate::courses::service::is_active(d) {
        return Err(crate::courses::service::bad(
            format!(
                "{} không còn là đại biểu của lớp, nên không được cấp giấy chứng nhận.",
                d.full_name
            ),
            format!(
                "{} is no longer a delegate of the course, so no certificate is issued.",
                d.full_name
            ),
        ));
    }
    let p = progress(state, ctx, d).await?;
    if !p.completed {
        return Err(crate::courses::service::bad(
            format!(
                "Chưa đủ điều kiện hoàn thành: đã dự {:.0}% số buổi (cần {}%){}.",
                p.share,
                ctx.course.completion_share,
                if ctx.course.completion_needs_survey && !p.answered {
                    " và chưa trả lời phiếu khảo sát"
                } else {
                    ""
                }
            ),
            format!(
                "Not completed yet: attended {:.0}% of sessions ({}% needed){}.",
                p.share,
                ctx.course.completion_share,
                if ctx.course.completion_needs_survey && !p.answered {
                    " and the survey is not answered"
                } else {
                    ""
                }
            ),
        ));
    }
    issue_for(state, holder, ctx, std::slice::from_ref(d))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::Internal("no certificate issued".into()))
}

/// One delegate's row in the report.
pub struct DelegateAttendance {
    pub delegate: Delegate,
    pub unit: String,
    /// Per session, in order: the status, if any.
    pub statuses: Vec<Option<AttendanceStatus>>,
    pub progress: Progress,
    pub certificate: Option<String>,
}

pub struct Report {
    pub sessions: Vec<courses::Session>,
    pub rows: Vec<DelegateAttendance>,
}

pub async fn report(state: &AppState, ctx: &CourseCtx) -> AppResult<Report> {
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    let all = checkins::of_course(&state.db, ctx.course.id).await?;
    let answered: std::collections::HashSet<i64> = followup::answers(&state.db, ctx.course.id)
        .await?
        .into_iter()
        .map(|a| a.delegate_id)
        .collect();
    let delegates: Vec<Delegate> = courses::delegates(&state.db, ctx.course.id)
        .await?
        .into_iter()
        .filter(is_active)
        .collect();
    let ids: Vec<i64> = delegates.iter().map(|d| d.id).collect();
    let certs = certs::of_subjects(state, Kind::CourseCompletion, &ids).await?;
    let mut names = std::collections::HashMap::new();
    let mut rows = Vec::new();
    for d in delegates {
        let mine: Vec<&Checkin> = all.iter().filter(|c| c.delegate_id == d.id).collect();
        let unit = match names.get(&d.unit_id) {
            Some(n) => String::clone(n),
            None => {
                let n = units::get(&state.db, d.unit_id).await?.name;
                names.insert(d.unit_id, n.clone());
                n
            }
        };
        rows.push(DelegateAttendance {
            statuses: sessions
                .iter()
                .map(|s| mine.iter().find(|c| c.session_id == s.id).map(|c| c.status))
                .collect(),
            progress: progress_of(ctx, sessions.len(), &mine, answered.contains(&d.id)),
            certificate: certs
                .iter()
                .find(|c| c.subject_id == d.id)
                .map(|c| c.code.clone()),
            unit,
            delegate: d,
        });
    }
    rows.sort_by(|a, b| (&a.unit, &a.delegate.name_key).cmp(&(&b.unit, &b.delegate.name_key)));
    Ok(Report { sessions, rows })
}

/// The organizers issue the certificates of everyone who completed.
pub async fn issue_all(state: &AppState, actor: &Actor, ctx: &CourseCtx) -> AppResult<usize> {
    crate::courses::service::require(ctx.can_manage(actor))?;
    let r = report(state, ctx).await?;
    let list: Vec<Delegate> = r
        .rows
        .into_iter()
        .filter(|x| x.progress.completed && x.certificate.is_none())
        .map(|x| x.delegate)
        .collect();
    Ok(issue_for(state, actor, ctx, &list).await?.len())
}
