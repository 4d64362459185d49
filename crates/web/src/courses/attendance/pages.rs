//! Pages: the attendance report (per session and per unit against the quota, completion per
//! delegate), issuing the certificates, and a delegate's own certificate.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::service;
use crate::access::ManagedCourse;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::{CurrentUser, Identity};
use crate::courses::notice_text;
use crate::courses::service::{self as shared, attendance_label};
use crate::error::AppResult;
use crate::format::fmt_num;
use crate::forms::{Fields, Notice};
use crate::pages::{Chrome, ok_html, see_other};
use crate::state::AppState;

pub struct Row {
    name: String,
    unit: String,
    statuses: Vec<&'static str>,
    share: String,
    completed: bool,
    certificate: Option<String>,
}

pub struct SessionCount {
    label: String,
    present: usize,
    late: usize,
    excused: usize,
    absent: usize,
}

pub struct UnitCount {
    name: String,
    quota: i32,
    delegates: usize,
    /// Per session: how many came (present or late).
    came: Vec<usize>,
}

#[derive(Template)]
#[template(path = "courses/attendance.html")]
struct AttendancePage {
    c: Chrome,
    slug: String,
    title: String,
    rule: String,
    sessions: Vec<SessionCount>,
    units: Vec<UnitCount>,
    rows: Vec<Row>,
    completed: usize,
    notice: Option<String>,
}

pub async fn report(
    State(state): State<AppState>,
    c: Chrome,
    ManagedCourse(ctx): ManagedCourse,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    use hoithi_storage::status::AttendanceStatus as A;
    let r = service::report(&state, &ctx).await?;
    let t = c.t.courses;
    let sessions = r
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let count = |st: Option<A>| r.rows.iter().filter(|x| x.statuses[i] == st).count();
            SessionCount {
                label: format!(
                    "{} {}",
                    crate::format::fmt_date(&s.starts_at),
                    shared::fmt_time(&s.starts_at)
                ),
                present: count(Some(A::Present)),
                late: count(Some(A::Late)),
                excused: count(Some(A::Excused)),
                absent: count(Some(A::Absent)) + count(None),
            }
        })
        .collect();
    let mut units = Vec::new();
    for cu in hoithi_storage::repo::courses::course_units(&state.db, ctx.course.id).await? {
        let name = hoithi_storage::repo::units::get(&state.db, cu.unit_id)
            .await?
            .name;
        let mine: Vec<_> = r
            .rows
            .iter()
            .filter(|x| x.delegate.unit_id == cu.unit_id)
            .collect();
        units.push(UnitCount {
            came: (0..r.sessions.len())
                .map(|i| {
                    mine.iter()
                        .filter(|x| matches!(x.statuses[i], Some(A::Present | A::Late)))
                        .count()
                })
                .collect(),
            delegates: mine.len(),
            quota: cu.quota,
            name,
        });
    }
    let rows: Vec<Row> = r
        .rows
        .iter()
        .map(|x| Row {
            name: x.delegate.full_name.clone(),
            unit: x.unit.clone(),
            statuses: x
                .statuses
                .iter()
                .map(|s| {
                    s.map(|s| attendance_label(s, c.lang))
                        .unwrap_or(t.not_checked_in)
                })
                .collect(),
            share: format!("{}%", fmt_num((x.progress.share * 10.0).round() / 10.0)),
            completed: x.progress.completed,
            certificate: x.certificate.clone(),
        })
        .collect();
    Ok(ok_html(&AttendancePage {
        slug: ctx.course.slug.clone(),
        title: ctx.course.title.clone(),
        rule: t.rule_text(
            ctx.course.completion_share,
            if ctx.course.completion_needs_survey {
                t.rule_with_survey
            } else {
                ""
            },
        ),
        completed: rows.iter().filter(|x| x.completed).count(),
        sessions,
        units,
        rows,
        notice: notice_text(n.ok.as_deref(), c.lang),
        c,
    }))
}

pub async fn issue_all(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    service::issue_all(&state, me.actor(), &ctx).await?;
    Ok(see_other(&format!(
        "/khoa-hoc/{}/chuyen-can?ok=gcn",
        ctx.course.slug
    )))
}

/// A delegate who completed takes their certificate: it opens on the public check page.
pub async fn own_certificate(
    State(state): State<AppState>,
    Identity(id): Identity,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let (ctx, d, holder) = shared::by_badge(&state, &id.actor, &token).await?;
    let c = service::own_certificate(&state, &holder, &ctx, &d).await?;
    Ok(see_other(&format!("/xac-minh/{}", c.code)))
}

/// The attendance report as an Excel workbook: one row per delegate, a column per session.
pub async fn xlsx(
    State(state): State<AppState>,
    ManagedCourse(ctx): ManagedCourse,
    lang: crate::i18n::Lang,
) -> AppResult<Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let t = lang.tr().courses;
    let r = service::report(&state, &ctx).await?;
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let percent = Format::new().set_num_format("0.0%");
        let ws = wb.add_worksheet().set_name(t.attendance)?;
        let mut heads = vec![
            t.unit.to_string(),
            t.full_name.to_string(),
            t.job_title.to_string(),
        ];
        for s in &r.sessions {
            heads.push(format!(
                "{} {}",
                crate::format::fmt_date(&s.starts_at),
                shared::fmt_time(&s.starts_at)
            ));
        }
        heads.push("%".into());
        heads.push(t.completion.into());
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (i, x) in r.rows.iter().enumerate() {
            let row = (i + 1) as u32;
            ws.write_string(row, 0, &x.unit)?;
            ws.write_string(row, 1, &x.delegate.full_name)?;
            ws.write_string(row, 2, &x.delegate.job_title)?;
            let mut col = 3u16;
            for s in &x.statuses {
                let label = s
                    .map(|s| attendance_label(s, lang))
                    .unwrap_or(t.not_checked_in);
                ws.write_string(row, col, label)?;
                col += 1;
            }
            // A share of the sessions, shown as a percentage by the spreadsheet.
            ws.write_number_with_format(row, col, x.progress.share / 100.0, &percent)?;
            ws.write_string(
                row,
                col + 1,
                if x.progress.completed {
                    t.completed
                } else {
                    ""
                },
            )?;
        }
        wb.save_to_buffer()
    };
    let bytes = build().map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"chuyen-can-{}.xlsx\"",
                    ctx.course.slug
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
