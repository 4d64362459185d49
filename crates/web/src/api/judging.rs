//! Judging in the JSON API: rounds, assignments (automatic preview, publish, undo, hand
//! additions), judges' blind view and scoring, organizers' scores and results, published
//! results and certificate checks. Same services and rules as the pages.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hoithi_storage::repo::{assignments, rounds, scores};
use serde::{Deserialize, Serialize};

use crate::access::JudgedRound;
use crate::access::ManagedRound;
use crate::auth::session::{CurrentUser, Identity};
use crate::contests::service as contest_service;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::judging::assignment::service as assign;
use crate::judging::judge::service as scoring;
use crate::judging::public::{self, PublicRound};
use crate::judging::results::pages::decided_label;
use crate::judging::results::service as results;
use crate::judging::rounds::service::{self, RoundCtx};
use crate::state::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct CriterionView {
    pub name: String,
    pub max_points: f64,
    pub weight: f64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RoundView {
    pub id: i64,
    pub contest: String,
    pub name: String,
    /// "preliminary" or "final".
    pub kind: hoithi_storage::status::RoundKind,
    /// "draft", "open" or "closed".
    pub status: hoithi_storage::status::RoundStatus,
    pub unit_id: i64,
    pub judges_per_entry: i32,
    pub dispute_margin: f64,
    pub normalize: bool,
    /// Tie-break steps: "criterion:N", "median", "earlier".
    pub tie_break: Vec<String>,
    pub tie_break_text: String,
    pub criteria: Vec<CriterionView>,
    pub entries: usize,
    pub results_published: bool,
    /// What the caller does in this round: "organizer" or "judge".
    pub role: String,
}

async fn round_view(state: &AppState, ctx: &RoundCtx, role: &str) -> AppResult<RoundView> {
    let criteria = rounds::criteria(&state.db, ctx.round.id).await?;
    let rule = service::tie_break_of(&ctx.round);
    Ok(RoundView {
        id: ctx.round.id,
        contest: ctx.contest.slug.clone(),
        name: ctx.round.name.clone(),
        kind: ctx.round.kind,
        status: ctx.round.status,
        unit_id: ctx.round.unit_id,
        judges_per_entry: ctx.round.judges_per_entry,
        dispute_margin: ctx.round.dispute_margin,
        normalize: ctx.round.normalize,
        tie_break: rule.iter().map(|t| service::tie_break_code(*t)).collect(),
        tie_break_text: service::rule_text(&rule, &criteria, Lang::Vi),
        criteria: criteria
            .iter()
            .map(|c| CriterionView {
                name: c.name.clone(),
                max_points: c.max_points,
                weight: c.weight,
            })
            .collect(),
        entries: if role == "organizer" {
            rounds::entries(&state.db, ctx.round.id).await?.len()
        } else {
            0
        },
        results_published: ctx.is_published(),
        role: role.into(),
    })
}

/// Rounds of a contest the caller runs or judges.
#[utoipa::path(get, path = "/api/v1/contests/{slug}/rounds", tag = "judging", params(("slug" = String, Path)),
    responses((status = 200, body = [RoundView]), (status = 404, body = crate::api::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Json<Vec<RoundView>>> {
    let l = contest_service::load(&state, &slug).await?;
    let mut out = Vec::new();
    for r in rounds::for_contest(&state.db, l.contest.id).await? {
        let ctx = RoundCtx {
            round: r,
            contest: l.contest.clone(),
            organizer: l.organizer.clone(),
        };
        if service::can_manage(me.actor(), &ctx) {
            out.push(round_view(&state, &ctx, "organizer").await?);
        } else if service::can_judge(me.actor(), &ctx) {
            out.push(round_view(&state, &ctx, "judge").await?);
        }
    }
    Ok(Json(out))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct RoundInput {
    /// "preliminary" or "final".
    pub kind: String,
    /// The collecting unit that runs a preliminary round.
    pub unit_id: Option<i64>,
    pub name: String,
    pub judges_per_entry: Option<i32>,
    pub dispute_margin: Option<f64>,
    pub normalize: bool,
    /// Tie-break steps in order: "criterion:N", "median", "earlier".
    pub tie_break: Vec<String>,
}

/// Creates a round (default rubric) and takes in its eligible entries.
#[utoipa::path(post, path = "/api/v1/contests/{slug}/rounds", tag = "judging", params(("slug" = String, Path)), request_body = RoundInput,
    responses((status = 201, body = RoundView), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(slug): Path<String>,
    Json(input): Json<RoundInput>,
) -> AppResult<(StatusCode, Json<RoundView>)> {
    let l = contest_service::load(&state, &slug).await?;
    let (units, final_ok) = service::creatable(&state, me.actor(), &l).await?;
    if units.is_empty() && !final_ok {
        return Err(AppError::Forbidden);
    }
    let r = service::create(
        &state,
        me.actor(),
        &l,
        service::NewRoundInput {
            kind: input.kind,
            unit_id: input.unit_id,
            settings: service::SettingsInput {
                name: input.name,
                judges_per_entry: input.judges_per_entry.unwrap_or(2).to_string(),
                dispute_margin: input.dispute_margin.unwrap_or(15.0).to_string(),
                normalize: input.normalize,
                tie_break: input.tie_break,
            },
        },
    )
    .await?;
    let ctx = service::load(&state, r.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(round_view(&state, &ctx, "organizer").await?),
    ))
}

/// One round, for its organizers or its judges.
#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "judging", params(("id" = i64, Path)),
    responses((status = 200, body = RoundView), (status = 403, body = crate::api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<RoundView>> {
    let ctx = service::load(&state, id).await?;
    if service::can_manage(me.actor(), &ctx) {
        Ok(Json(round_view(&state, &ctx, "organizer").await?))
    } else if service::can_judge(me.actor(), &ctx) {
        Ok(Json(round_view(&state, &ctx, "judge").await?))
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AssignmentView {
    pub id: i64,
    pub entry_id: i64,
    pub receipt_code: String,
    pub anonymous_code: String,
    pub judge_user_id: i64,
    pub judge_name: String,
    /// "preview", "published" or "recused".
    pub status: hoithi_storage::status::AssignmentStatus,
    /// Added as one more judge for a disputed entry.
    pub extra: bool,
    pub batch_id: Option<i64>,
}

/// Every pair of the round (previews included), for its organizers.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/assignments", tag = "judging", params(("id" = i64, Path)),
    responses((status = 200, body = [AssignmentView]), (status = 403, body = crate::api::ErrorBody)))]
pub async fn assignments_list(
    State(state): State<AppState>,
    ManagedRound(ctx): ManagedRound,
) -> AppResult<Json<Vec<AssignmentView>>> {
    let pool = assign::Pool::load(&state, &ctx).await?;
    let ids: Vec<i64> = pool.entries.iter().map(|e| e.id).collect();
    let codes = rounds::codes_for(&state.db, &ids).await?;
    let receipts: HashMap<i64, String> = pool
        .entries
        .iter()
        .map(|e| (e.id, e.receipt_code.clone()))
        .collect();
    let names: HashMap<i64, String> = pool
        .judges
        .iter()
        .map(|j| (j.user.id, j.user.full_name.clone()))
        .collect();
    Ok(Json(
        pool.assignments
            .iter()
            .map(|a| AssignmentView {
                id: a.id,
                entry_id: a.entry_id,
                receipt_code: receipts.get(&a.entry_id).cloned().unwrap_or_default(),
                anonymous_code: codes.get(&a.entry_id).cloned().unwrap_or_default(),
                judge_user_id: a.user_id,
                judge_name: names.get(&a.user_id).cloned().unwrap_or_default(),
                status: a.status,
                extra: a.extra,
                batch_id: a.batch_id,
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BatchView {
    pub id: i64,
    /// "auto", "extra" or "manual".
    pub kind: String,
    /// "preview", "published" or "undone".
    pub status: hoithi_storage::status::AssignmentStatus,
    pub pairs: i32,
    pub objective: Option<i64>,
    /// Entries that got fewer judges than wanted, and why.
    pub notes: Vec<String>,
}

async fn batch_view(state: &AppState, round_id: i64, id: i64) -> AppResult<BatchView> {
    let b = assignments::batch(&state.db, round_id, id).await?;
    Ok(BatchView {
        id: b.id,
        kind: b.kind,
        status: b.status,
        pairs: b.pairs,
        objective: b.objective,
        notes: assign::batch_notes(&b.notes, Lang::Vi),
    })
}

/// Runs the automatic assignment; the result is a preview batch, not yet shown to judges.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/assignments/auto", tag = "judging", params(("id" = i64, Path)),
    responses((status = 201, body = BatchView), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
pub async fn auto(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
) -> AppResult<(StatusCode, Json<BatchView>)> {
    let b = assign::auto(&state, me.actor(), &ctx).await?;
    Ok((
        StatusCode::CREATED,
        Json(batch_view(&state, id, b.id).await?),
    ))
}

/// Publishes a preview batch to the judges.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/batches/{batch}/publish", tag = "judging", params(("id" = i64, Path), ("batch" = i64, Path)),
    responses((status = 200, body = BatchView), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
pub async fn publish_batch(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path((id, batch)): Path<(i64, i64)>,
) -> AppResult<Json<BatchView>> {
    assign::publish(&state, me.actor(), &ctx, batch).await?;
    Ok(Json(batch_view(&state, id, batch).await?))
}

/// Undoes a whole batch as one step (refused once a judge has scored one of its pairs).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/batches/{batch}/undo", tag = "judging", params(("id" = i64, Path), ("batch" = i64, Path)),
    responses((status = 200, body = BatchView), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
pub async fn undo_batch(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path((id, batch)): Path<(i64, i64)>,
) -> AppResult<Json<BatchView>> {
    assign::undo(&state, me.actor(), &ctx, batch).await?;
    Ok(Json(batch_view(&state, id, batch).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PairInput {
    pub judge_user_id: i64,
    /// The entry's receipt code or anonymous code.
    pub entry: String,
}

/// Adds one pair by hand; a pair that breaks a conflict of interest is refused (422).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/assignments", tag = "judging", params(("id" = i64, Path)), request_body = PairInput,
    responses((status = 201), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
pub async fn add_pair(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Json(p): Json<PairInput>,
) -> AppResult<StatusCode> {
    assign::add_pair(&state, me.actor(), &ctx, p.judge_user_id, &p.entry).await?;
    Ok(StatusCode::CREATED)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct JudgeEntryView {
    /// The anonymous code: the only way a judge names an entry.
    pub code: String,
    pub title: String,
    pub genre: String,
    pub words: i32,
    pub state: crate::judging::judge::service::SheetState,
    pub total: Option<f64>,
}

/// The caller's own entries in a round, by anonymous code.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/my-entries", tag = "judging", params(("id" = i64, Path)),
    responses((status = 200, body = [JudgeEntryView]), (status = 403, body = crate::api::ErrorBody)))]
pub async fn my_entries(
    State(state): State<AppState>,
    me: CurrentUser,
    JudgedRound(ctx): JudgedRound,
) -> AppResult<Json<Vec<JudgeEntryView>>> {
    Ok(Json(
        scoring::my_entries(&state, &ctx, me.user.id)
            .await?
            .into_iter()
            .map(|e| JudgeEntryView {
                code: e.code,
                title: e.title,
                genre: e.genre,
                words: e.words,
                state: e.state,
                total: e.total,
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SheetView {
    pub points: Vec<Option<f64>>,
    pub comment: String,
    /// "draft" or "submitted".
    pub status: hoithi_storage::status::ScoreStatus,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct JudgeEntryDetail {
    pub code: String,
    pub title: String,
    pub genre: String,
    pub words: i32,
    pub text: String,
    pub media_link: Option<String>,
    /// A file without author metadata can be downloaded from the judge's page.
    pub has_file: bool,
    pub criteria: Vec<CriterionView>,
    pub recused: bool,
    pub sheet: Option<SheetView>,
}

fn sheet_view(s: &hoithi_storage::entity::score::Model) -> SheetView {
    SheetView {
        points: scores::points_of(s),
        comment: s.comment.clone(),
        status: s.status,
    }
}

/// One of the caller's entries: the work and their sheet, nothing about its author.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/my-entries/{code}", tag = "judging", params(("id" = i64, Path), ("code" = String, Path)),
    responses((status = 200, body = JudgeEntryDetail), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
pub async fn my_entry(
    State(state): State<AppState>,
    me: CurrentUser,
    JudgedRound(ctx): JudgedRound,
    Path((_round, code)): Path<(i64, String)>,
) -> AppResult<Json<JudgeEntryDetail>> {
    let a = scoring::assigned(&state, &ctx, me.user.id, &code).await?;
    Ok(Json(JudgeEntryDetail {
        code: a.code.clone(),
        title: a.entry.title.clone(),
        genre: a.genre.clone(),
        words: a.entry.word_count,
        text: a.entry.body.clone(),
        media_link: a.entry.media_link.clone(),
        has_file: a.entry.file_sha256.is_some(),
        criteria: a
            .criteria
            .iter()
            .map(|c| CriterionView {
                name: c.name.clone(),
                max_points: c.max_points,
                weight: c.weight,
            })
            .collect(),
        recused: a.assignment.status == assignments::RECUSED,
        sheet: a.score.as_ref().map(sheet_view),
    }))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct ScoreInputJson {
    /// Points per criterion, in rubric order; null for not yet given (drafts only).
    pub points: Vec<Option<f64>>,
    pub comment: String,
    /// Submit (all criteria needed); otherwise saved as a draft.
    pub submit: bool,
}

/// Saves the caller's sheet for one entry as a draft, or submits it.
#[utoipa::path(put, path = "/api/v1/rounds/{id}/my-entries/{code}/score", tag = "judging", params(("id" = i64, Path), ("code" = String, Path)), request_body = ScoreInputJson,
    responses((status = 200, body = SheetView), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
pub async fn put_score(
    State(state): State<AppState>,
    me: CurrentUser,
    JudgedRound(ctx): JudgedRound,
    Path((_round, code)): Path<(i64, String)>,
    Json(input): Json<ScoreInputJson>,
) -> AppResult<Json<SheetView>> {
    let typed = scoring::ScoreInput {
        points: input
            .points
            .iter()
            .map(|p| p.map(|x| x.to_string()).unwrap_or_default())
            .collect(),
        comment: input.comment,
        submit: input.submit,
    };
    let saved = scoring::save(&state, me.actor(), &ctx, me.user.id, &code, &typed).await?;
    Ok(Json(sheet_view(&saved)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ScoreView {
    pub id: i64,
    pub entry_id: i64,
    pub receipt_code: String,
    pub judge_user_id: i64,
    pub points: Vec<Option<f64>>,
    pub comment: String,
    pub status: hoithi_storage::status::ScoreStatus,
}

/// Every sheet of the round, for its organizers.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/scores", tag = "judging", params(("id" = i64, Path)),
    responses((status = 200, body = [ScoreView]), (status = 403, body = crate::api::ErrorBody)))]
pub async fn scores_list(
    State(state): State<AppState>,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ScoreView>>> {
    let receipts: HashMap<i64, String> = rounds::entries(&state.db, ctx.round.id)
        .await?
        .into_iter()
        .map(|e| (e.id, e.receipt_code))
        .collect();
    Ok(Json(
        scores::for_round(&state.db, id)
            .await?
            .iter()
            .map(|s| ScoreView {
                id: s.id,
                entry_id: s.entry_id,
                receipt_code: receipts.get(&s.entry_id).cloned().unwrap_or_default(),
                judge_user_id: s.user_id,
                points: scores::points_of(s),
                comment: s.comment.clone(),
                status: s.status,
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ResultRow {
    pub rank: u32,
    pub entry_id: i64,
    pub receipt_code: String,
    pub anonymous_code: String,
    pub title: String,
    pub genre_id: i64,
    pub unit_id: i64,
    pub score: f64,
    /// Mean of raw totals (differs from `score` when normalizing).
    pub raw_mean: Option<f64>,
    pub judges_counted: u32,
    pub judges_not_counted: u32,
    pub median: Option<f64>,
    pub std_dev: Option<f64>,
    pub range: Option<f64>,
    pub disagreement: bool,
    /// How a tie with neighbours was broken, in Vietnamese (empty when there was none).
    pub decided: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ResultsView {
    pub normalized: bool,
    pub tie_break_text: String,
    pub ranking: Vec<ResultRow>,
    /// Groups still tied after the whole rule (receipt codes): the organizers decide.
    pub unresolved: Vec<Vec<String>>,
    pub unscored: Vec<String>,
}

/// The round's ranking with spreads and the published tie-break, for its organizers.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/results", tag = "judging", params(("id" = i64, Path)),
    responses((status = 200, body = ResultsView), (status = 403, body = crate::api::ErrorBody)))]
pub async fn results_view(
    State(state): State<AppState>,
    ManagedRound(ctx): ManagedRound,
) -> AppResult<Json<ResultsView>> {
    let r = results::compute(&state, &ctx).await?;
    let ids: Vec<i64> = r.entries.iter().map(|e| e.id).collect();
    let codes = rounds::codes_for(&state.db, &ids).await?;
    let receipt = |i: &u32| {
        r.entries
            .get(*i as usize)
            .map(|e| e.receipt_code.clone())
            .unwrap_or_default()
    };
    Ok(Json(ResultsView {
        normalized: ctx.round.normalize,
        tie_break_text: service::rule_text(&r.rule, &r.criteria, Lang::Vi),
        ranking: r
            .ranking
            .entries
            .iter()
            .filter_map(|re| {
                let e = r.entries.get(re.entry as usize)?;
                let res = r.result(re.entry)?;
                Some(ResultRow {
                    rank: re.rank,
                    entry_id: e.id,
                    receipt_code: e.receipt_code.clone(),
                    anonymous_code: codes.get(&e.id).cloned().unwrap_or_default(),
                    title: e.title.clone(),
                    genre_id: e.genre_id,
                    unit_id: e.unit_id,
                    score: re.score,
                    raw_mean: r.raw_mean.get(&re.entry).copied(),
                    judges_counted: res.judges_counted,
                    judges_not_counted: res.judges_not_counted,
                    median: res.median,
                    std_dev: res.std_dev,
                    range: res.range,
                    disagreement: res.disagreement,
                    decided: decided_label(re.decided, &r.rule, &r, Lang::Vi),
                })
            })
            .collect(),
        unresolved: r
            .ranking
            .unresolved
            .iter()
            .map(|g| g.iter().map(receipt).collect())
            .collect(),
        unscored: r.ranking.unscored.iter().map(receipt).collect(),
    }))
}

/// Published results of a contest (final round first): awards with winners' names.
#[utoipa::path(get, path = "/api/v1/contests/{slug}/results", tag = "judging", params(("slug" = String, Path)),
    responses((status = 200, body = [PublicRound]), (status = 404, body = crate::api::ErrorBody)))]
pub async fn public_results(
    State(state): State<AppState>,
    Identity(id): Identity,
    Path(slug): Path<String>,
) -> AppResult<Json<Vec<PublicRound>>> {
    let l = contest_service::load(&state, &slug).await?;
    contest_service::check_visible(&id.actor, &l)?;
    Ok(Json(
        public::published(&state, l.contest.id, Lang::Vi).await?,
    ))
}
