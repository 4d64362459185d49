//! Judges' pages: their rounds, their entries by anonymous code, reading and scoring one entry
//! (draft or submit), recusal, the cleaned file, and the copy check by anonymous code.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hoithi_storage::repo::{rounds, scores};

use crate::access::JudgedRound;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::format::fmt_num;
use crate::forms::{Fields, Notice, field, form_status};
use crate::judging::judge::service::SheetState;
use crate::judging::judge::service::{self as scoring, ScoreInput};
use crate::judging::notice_text;
use crate::judging::rounds::service::{self, RoundCtx};
use crate::pages::{Chrome, html, ok_html, see_other};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "judging/judge_rounds.html")]
struct RoundsPage {
    c: Chrome,
    rows: Vec<crate::start::service::JudgedRound>,
}

/// The rounds the signed-in person judges (empty for everyone else).
pub async fn rounds(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
) -> AppResult<Response> {
    let rows = crate::start::service::judged_rounds(&state, me.actor(), me.user.id, c.lang).await?;
    Ok(ok_html(&RoundsPage { c, rows }))
}

pub struct Line {
    code: String,
    title: String,
    genre: String,
    words: crate::format::Num,
    state: &'static str,
    state_code: SheetState,
    total: String,
}

#[derive(Template)]
#[template(path = "judging/judge_entries.html")]
struct EntriesPage {
    c: Chrome,
    id: i64,
    name: String,
    status: &'static str,
    open: bool,
    rule_text: String,
    criteria: Vec<(String, String)>,
    rows: Vec<Line>,
    done: usize,
    notice: Option<String>,
}

pub async fn entries(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    JudgedRound(ctx): JudgedRound,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let criteria = rounds::criteria(&state.db, id).await?;
    let rows: Vec<Line> = scoring::my_entries(&state, &ctx, me.user.id)
        .await?
        .into_iter()
        .map(|e| Line {
            total: e.total.map(fmt_num).unwrap_or_default(),
            state: scoring::state_label(e.state, c.lang),
            state_code: e.state,
            code: e.code,
            title: e.title,
            genre: e.genre,
            words: e.words.into(),
        })
        .collect();
    Ok(ok_html(&EntriesPage {
        id,
        name: ctx.round.name.clone(),
        status: service::status_label(ctx.round.status, c.lang),
        open: ctx.is_open(),
        rule_text: service::rule_text(&service::tie_break_of(&ctx.round), &criteria, c.lang),
        criteria: criteria
            .iter()
            .map(|c| (c.name.clone(), fmt_num(c.max_points)))
            .collect(),
        done: rows
            .iter()
            .filter(|r| r.state_code == SheetState::Submitted)
            .count(),
        rows,
        notice: notice_text(n.ok.as_deref(), c.lang),
        c,
    }))
}

pub struct ScoreRow {
    index: usize,
    name: String,
    max: String,
    weight: String,
    value: String,
}

#[derive(Template)]
#[template(path = "judging/judge_entry.html")]
struct EntryPage {
    c: Chrome,
    id: i64,
    round_name: String,
    code: String,
    title: String,
    genre: String,
    words: crate::format::Num,
    paragraphs: Vec<String>,
    has_file: bool,
    media_link: String,
    rows: Vec<ScoreRow>,
    comment: String,
    editable: bool,
    recused: bool,
    submitted: bool,
    total: String,
    max_total: String,
    error: Option<String>,
    notice: Option<String>,
}

/// What the scoring page shows besides the stored sheet.
#[derive(Default)]
struct Shown<'a> {
    /// What the judge typed (kept when the form is refused).
    typed: Option<&'a ScoreInput>,
    error: Option<String>,
    notice: Option<String>,
}

async fn entry_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    me: &CurrentUser,
    code: &str,
    shown: Shown<'_>,
) -> AppResult<Response> {
    let Shown {
        typed,
        error,
        notice,
    } = shown;
    let a = scoring::assigned(state, ctx, me.user.id, code).await?;
    let stored = a.score.as_ref().map(scores::points_of).unwrap_or_default();
    let rows = a
        .criteria
        .iter()
        .enumerate()
        .map(|(i, cr)| ScoreRow {
            index: i,
            name: cr.name.clone(),
            max: fmt_num(cr.max_points),
            weight: fmt_num(cr.weight),
            value: match typed {
                Some(t) => t.points.get(i).cloned().unwrap_or_default(),
                None => stored
                    .get(i)
                    .copied()
                    .flatten()
                    .map(fmt_num)
                    .unwrap_or_default(),
            },
        })
        .collect();
    let total = scoring::total_of(&stored, &a.criteria);
    let submitted = a
        .score
        .as_ref()
        .is_some_and(|s| s.status == scores::SUBMITTED);
    let recused = a.assignment.status == hoithi_storage::repo::assignments::RECUSED;
    let status = form_status(&error);
    Ok(html(
        status,
        &EntryPage {
            id: ctx.round.id,
            round_name: ctx.round.name.clone(),
            code: a.code.clone(),
            title: a.entry.title.clone(),
            genre: a.genre.clone(),
            words: a.entry.word_count.into(),
            paragraphs: crate::contests::service::shown_text(&ctx.contest, &a.entry.body)
                .split("\n\n")
                .map(str::to_string)
                .filter(|p| !p.trim().is_empty())
                .collect(),
            has_file: a.entry.file_sha256.is_some(),
            media_link: a.entry.media_link.clone().unwrap_or_default(),
            rows,
            comment: match typed {
                Some(t) => t.comment.clone(),
                None => a
                    .score
                    .as_ref()
                    .map(|s| s.comment.clone())
                    .unwrap_or_default(),
            },
            editable: ctx.is_open() && !submitted && !recused,
            recused,
            submitted,
            total: total.map(fmt_num).unwrap_or_default(),
            max_total: fmt_num(service::rubric_of(&a.criteria).max_total()),
            error,
            notice,
            c,
        },
    ))
}

pub async fn entry(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    JudgedRound(ctx): JudgedRound,
    Path((_, code)): Path<(i64, String)>,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang).or_else(|| match n.ok.as_deref() {
        Some("nhap") => Some(c.t.judging.draft_saved.into()),
        Some("nop") => Some(c.t.judging.scores_submitted.into()),
        _ => None,
    });
    entry_page(
        &state,
        c,
        &ctx,
        &me,
        &code,
        Shown {
            notice,
            ..Default::default()
        },
    )
    .await
}

pub fn score_input(f: &Fields, criteria: usize) -> ScoreInput {
    ScoreInput {
        points: (0..criteria)
            .map(|i| field(f, &format!("p{i}")).to_string())
            .collect(),
        comment: field(f, "comment").to_string(),
        submit: field(f, "action") == "submit",
    }
}

pub async fn save(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    JudgedRound(ctx): JudgedRound,
    Path((id, code)): Path<(i64, String)>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let criteria = rounds::criteria(&state.db, id).await?;
    let input = score_input(&f, criteria.len());
    match scoring::save(&state, me.actor(), &ctx, me.user.id, &code, &input).await {
        Ok(s) => {
            let ok = if s.status == scores::SUBMITTED {
                "nop"
            } else {
                "nhap"
            };
            Ok(see_other(&format!(
                "/cham-thi/{id}/{}?ok={ok}",
                code.trim().to_uppercase()
            )))
        }
        Err(e) => refused(&state, c, &ctx, &me, &code, e, Some(&input)).await,
    }
}

/// A refused form on the judge's own entry is shown on its page, with what they typed; for a
/// code that is not theirs, the message alone.
async fn refused(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    me: &CurrentUser,
    code: &str,
    err: AppError,
    typed: Option<&ScoreInput>,
) -> AppResult<Response> {
    let AppError::BadRequest(m) = err else {
        return Err(err);
    };
    if scoring::assigned(state, ctx, me.user.id, code)
        .await
        .is_err()
    {
        return Err(AppError::BadRequest(m));
    }
    let error = Some(m.get(c.lang).to_string());
    entry_page(
        state,
        c,
        ctx,
        me,
        code,
        Shown {
            typed,
            error,
            notice: None,
        },
    )
    .await
}

pub async fn recuse(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    JudgedRound(ctx): JudgedRound,
    Path((id, code)): Path<(i64, String)>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    match scoring::recuse(
        &state,
        me.actor(),
        &ctx,
        me.user.id,
        &code,
        field(&f, "reason"),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!("/cham-thi/{id}?ok=luu"))),
        Err(AppError::BadRequest(m)) => {
            match scoring::assigned(&state, &ctx, me.user.id, &code).await {
                Ok(_) => {
                    entry_page(
                        &state,
                        c.clone(),
                        &ctx,
                        &me,
                        &code,
                        Shown {
                            error: Some(m.get(c.lang).to_string()),
                            ..Default::default()
                        },
                    )
                    .await
                }
                Err(_) => Err(AppError::BadRequest(m)),
            }
        }
        Err(e) => Err(e),
    }
}

/// The work's file without its author metadata, named by the anonymous code.
pub async fn download(
    State(state): State<AppState>,
    me: CurrentUser,
    JudgedRound(ctx): JudgedRound,
    Path((_, code)): Path<(i64, String)>,
) -> AppResult<Response> {
    let a = scoring::assigned(&state, &ctx, me.user.id, &code).await?;
    let (bytes, name, mime) = scoring::stripped_file(&state, &a).await?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "judging/judge_overlap.html")]
struct OverlapPage {
    c: Chrome,
    id: i64,
    code: String,
    checked: bool,
    share: String,
    limit: i32,
    over: bool,
    /// (anonymous code, passages, what is shared)
    rows: Vec<(String, usize, &'static str)>,
}

pub async fn overlap(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    JudgedRound(ctx): JudgedRound,
    Path((id, code)): Path<(i64, String)>,
) -> AppResult<Response> {
    let a = scoring::assigned(&state, &ctx, me.user.id, &code).await?;
    let o = scoring::overlap(&state, &ctx, &a).await?;
    let share = o.share.unwrap_or(0.0);
    Ok(ok_html(&OverlapPage {
        id,
        code: a.code.clone(),
        checked: o.share.is_some(),
        share: crate::format::fmt_decimal(share, 1),
        limit: o.limit,
        over: share > f64::from(o.limit),
        rows: o
            .matches
            .into_iter()
            .map(|(code, n, _, kind)| (code, n, crate::integrity::shared_label(kind, c.lang)))
            .collect(),
        c,
    }))
}

#[derive(Template)]
#[template(path = "judging/judge_compare.html")]
struct ComparePage {
    c: Chrome,
    id: i64,
    code: String,
    other_code: String,
    left: scoring::Marked,
    right: scoring::Marked,
}

pub async fn compare(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    JudgedRound(ctx): JudgedRound,
    Path((id, code, other)): Path<(i64, String, String)>,
) -> AppResult<Response> {
    let a = scoring::assigned(&state, &ctx, me.user.id, &code).await?;
    let (left, right, other_code) = scoring::compare(&state, &ctx, &a, &other).await?;
    Ok(ok_html(&ComparePage {
        id,
        code: a.code.clone(),
        other_code,
        left,
        right,
        c,
    }))
}
