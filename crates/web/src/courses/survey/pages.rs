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
    /// (label, count, bar width in percent)
    counts: Vec<(String, usize, usize)>,
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
            let max = r.counts.iter().map(|x| x.1).max().unwrap_or(0).max(1);
            ResultView {
                prompt: r.question.prompt.clone(),
                // CHECKIN: `hoithi_checkin` draws these counts as an SVG bar chart.
                counts: r
                    .counts
                    .iter()
                    .map(|(l, n)| (l.clone(), *n, n * 100 / max))
                    .collect(),
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
