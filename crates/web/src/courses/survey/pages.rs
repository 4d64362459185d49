//! Pages: the organizers' survey editor and results; the delegate's form.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hoithi_storage::repo::courses::followup;
use hoithi_storage::status::QuestionKind;

use super::service;
use crate::access::ManagedCourse;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::{CurrentUser, Identity};
use crate::courses::notice_text;
use crate::courses::service as shared;
use crate::error::AppResult;
use crate::format::{fmt_date, fmt_num};
use crate::forms::{Fields, Notice, field, form_status, or_page};
use crate::pages::{Chrome, html, see_other};
use crate::state::AppState;

pub struct ResultView {
    prompt: String,
    /// The counts as a bar chart drawn on the server (SVG), empty for free text.
    chart: String,
    average: Option<String>,
    texts: Vec<String>,
}

#[derive(Template)]
#[template(path = "courses/survey.html")]
struct SurveyPage {
    c: Chrome,
    slug: String,
    title: String,
    text: String,
    closes: String,
    responses: usize,
    results: Vec<ResultView>,
    notice: Option<String>,
    error: Option<String>,
}

async fn survey_page(
    state: &AppState,
    c: Chrome,
    ctx: &shared::CourseCtx,
    typed: Option<(String, String)>,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let questions = followup::questions(&state.db, ctx.course.id).await?;
    let (text, closes) = typed.unwrap_or_else(|| {
        (
            if questions.is_empty() {
                service::DEFAULT_QUESTIONS.to_string()
            } else {
                service::unparse(&questions)
            },
            ctx.course
                .survey_closes_at
                .as_ref()
                .map(fmt_date)
                .unwrap_or_default(),
        )
    });
    let (responses, list) = service::results(state, ctx).await?;
    let results = list
        .into_iter()
        .map(|r| {
            let bars: Vec<(String, f64)> = r
                .counts
                .iter()
                .map(|(l, n)| (l.clone(), *n as f64))
                .collect();
            ResultView {
                prompt: r.question.prompt.clone(),
                chart: if bars.is_empty() {
                    String::new()
                } else {
                    hoithi_checkin::chart::bars_svg_with(
                        &r.question.prompt,
                        &bars,
                        &hoithi_checkin::chart::Options {
                            max: None,
                            decimal: if c.lang == crate::i18n::Lang::En {
                                '.'
                            } else {
                                ','
                            },
                            suffix: String::new(),
                        },
                    )
                },
                average: r.average.map(|a| fmt_num((a * 100.0).round() / 100.0)),
                texts: r.texts,
            }
        })
        .collect();
    Ok(html(
        form_status(&error),
        &SurveyPage {
            slug: ctx.course.slug.clone(),
            title: ctx.course.title.clone(),
            text,
            closes,
            responses,
            results,
            notice,
            error,
            c,
        },
    ))
}

pub async fn survey(
    State(state): State<AppState>,
    c: Chrome,
    ManagedCourse(ctx): ManagedCourse,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang);
    survey_page(&state, c, &ctx, None, notice, None).await
}

pub async fn save(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedCourse(ctx): ManagedCourse,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let text = field(&f, "questions").to_string();
    let closes = field(&f, "closes").to_string();
    or_page!(service::set_questions(&state, me.actor(), &ctx, &text, &closes).await, c, error =>
        survey_page(&state, c, &ctx, Some((text, closes)), None, error).await);
    Ok(see_other(&format!(
        "/khoa-hoc/{}/khao-sat?ok=luu",
        ctx.course.slug
    )))
}

pub struct FormQuestion {
    id: i64,
    n: usize,
    prompt: String,
    kind: String,
    choices: Vec<String>,
}

#[derive(Template)]
#[template(path = "courses/answer.html")]
struct AnswerPage {
    c: Chrome,
    token: String,
    course: String,
    name: String,
    questions: Vec<FormQuestion>,
    f: Fields,
    error: Option<String>,
}

impl AnswerPage {
    fn typed(&self, q: &i64) -> &str {
        field(&self.f, &format!("q{q}"))
    }

    fn picked(&self, q: &i64, choice: &str) -> bool {
        let key = format!("q{q}");
        self.f.iter().any(|(k, v)| *k == key && v == choice)
    }
}

async fn answer_page(
    state: &AppState,
    c: Chrome,
    actor: &crate::policy::Actor,
    token: &str,
    f: Fields,
    error: Option<String>,
) -> AppResult<Response> {
    let (ctx, d, _) = shared::by_badge(state, actor, token).await?;
    let questions = followup::questions(&state.db, ctx.course.id)
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, q)| FormQuestion {
            id: q.id,
            n: i + 1,
            kind: q.kind.as_str().to_string(),
            choices: if q.kind == QuestionKind::Rating {
                (1..=5).map(|x| x.to_string()).collect()
            } else {
                q.choices.lines().map(String::from).collect()
            },
            prompt: q.prompt,
        })
        .collect();
    Ok(html(
        form_status(&error),
        &AnswerPage {
            token: token.to_string(),
            course: ctx.course.title.clone(),
            name: d.full_name.clone(),
            questions,
            f,
            error,
            c,
        },
    ))
}

pub async fn answer_form(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(token): Path<String>,
) -> AppResult<Response> {
    answer_page(&state, c, &id.actor, &token, Vec::new(), None).await
}

pub async fn answer(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(token): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let (ctx, d, holder) = shared::by_badge(&state, &id.actor, &token).await?;
    or_page!(service::answer(&state, &holder, &ctx, &d, &f).await, c, error =>
        answer_page(&state, c, &id.actor, &token, f, error).await);
    Ok(see_other(&format!("/dai-bieu/{token}?ok=khao-sat")))
}

/// The survey's answers as an Excel workbook: one row per response (in the order received),
/// one column per question; choices of a multiple-choice question joined by "; ". Names are
/// not written: the results show answers, not who gave them.
pub async fn xlsx(
    State(state): State<AppState>,
    ManagedCourse(ctx): ManagedCourse,
    lang: crate::i18n::Lang,
) -> AppResult<Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let t = lang.tr().courses;
    let questions = followup::questions(&state.db, ctx.course.id).await?;
    let answers = followup::answers(&state.db, ctx.course.id).await?;
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold().set_text_wrap();
        let ws = wb.add_worksheet().set_name(t.survey)?;
        ws.write_string_with_format(0, 0, "#", &bold)?;
        ws.write_string_with_format(0, 1, t.answered_at, &bold)?;
        for (i, q) in questions.iter().enumerate() {
            ws.write_string_with_format(0, (i + 2) as u16, &q.prompt, &bold)?;
            ws.set_column_width((i + 2) as u16, 30)?;
        }
        ws.set_column_width(1, 18)?;
        for (n, a) in answers.iter().enumerate() {
            let row = (n + 1) as u32;
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&a.answers).unwrap_or_default();
            ws.write_number(row, 0, (n + 1) as f64)?;
            ws.write_string(
                row,
                1,
                format!(
                    "{} {}",
                    fmt_date(&a.created_at),
                    shared::fmt_time(&a.created_at)
                ),
            )?;
            for (i, q) in questions.iter().enumerate() {
                let col = (i + 2) as u16;
                match map.get(&q.id.to_string()) {
                    Some(serde_json::Value::Number(x)) => {
                        ws.write_number(row, col, x.as_f64().unwrap_or_default())?;
                    }
                    Some(serde_json::Value::String(s)) => {
                        ws.write_string(row, col, s)?;
                    }
                    Some(serde_json::Value::Array(xs)) => {
                        let joined: Vec<&str> = xs.iter().filter_map(|x| x.as_str()).collect();
                        ws.write_string(row, col, joined.join("; "))?;
                    }
                    _ => {}
                }
            }
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
                format!("attachment; filename=\"khao-sat-{}.xlsx\"", ctx.course.slug),
            ),
        ],
        bytes,
    )
        .into_response())
}
