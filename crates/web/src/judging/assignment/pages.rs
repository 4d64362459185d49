//! Organizer pages of a round's assignment: conflicts of interest, automatic assignment
//! (preview, publish, undo), hand edits.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hoithi_storage::repo::{assignments, contests, rounds};

use crate::access::ManagedRound;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::format::{fmt_datetime, fmt_num};
use crate::forms::{Fields, Notice, field, form_status, or_page};
use crate::i18n::Lang;
use crate::judging::assignment::service::{self as assign, Pool};
use crate::judging::notice_text;
use crate::judging::rounds::service::RoundCtx;
use crate::pages::{Chrome, html, see_other};
use crate::state::AppState;
use hoithi_storage::status::AssignmentStatus;

pub struct RuleRow {
    id: i64,
    judge: String,
    entry: String,
    kind: &'static str,
    reason: String,
    removable: bool,
}

pub struct AutoRow {
    judge: String,
    same_unit: usize,
    others: Vec<String>,
}

#[derive(Template)]
#[template(path = "judging/conflicts.html")]
struct ConflictsPage {
    c: Chrome,
    id: i64,
    name: String,
    rules: Vec<RuleRow>,
    auto: Vec<AutoRow>,
    judges: Vec<(i64, String)>,
    error: Option<String>,
    notice: Option<String>,
}

async fn conflicts_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let pool = Pool::load(state, ctx).await?;
    let by_entry: HashMap<i64, &rounds::EntryBrief> =
        pool.entries.iter().map(|e| (e.id, e)).collect();
    let names: HashMap<i64, String> = pool
        .judges
        .iter()
        .map(|j| (j.user.id, j.user.full_name.clone()))
        .collect();
    let rules = pool
        .recorded
        .iter()
        .map(|r| RuleRow {
            id: r.id,
            judge: names.get(&r.user_id).cloned().unwrap_or_default(),
            entry: by_entry
                .get(&r.entry_id)
                .map(|e| format!("{} — {}", e.receipt_code, e.title))
                .unwrap_or_default(),
            kind: match r.kind.as_str() {
                rounds::DECLARED => c.t.judging.rule_declared,
                rounds::FORBIDDEN => c.t.judging.rule_forbidden,
                _ => c.t.judging.rule_forced,
            },
            reason: r.reason.clone(),
            removable: r.kind != rounds::DECLARED,
        })
        .collect();
    let auto = pool
        .judges
        .iter()
        .map(|j| {
            let mut same_unit = 0;
            let mut others = Vec::new();
            for e in &pool.entries {
                match pool.automatic(j, e) {
                    Some(assign::Conflict::SameUnit) => same_unit += 1,
                    Some(other) => {
                        others.push(format!("{}: {}", e.receipt_code, other.label(c.lang)))
                    }
                    None => {}
                }
            }
            AutoRow {
                judge: j.user.full_name.clone(),
                same_unit,
                others,
            }
        })
        .collect();
    let status = form_status(&error);
    Ok(html(
        status,
        &ConflictsPage {
            id: ctx.round.id,
            name: ctx.round.name.clone(),
            rules,
            auto,
            judges: pool
                .judges
                .iter()
                .map(|j| (j.user.id, j.user.full_name.clone()))
                .collect(),
            error,
            notice,
            c,
        },
    ))
}

pub async fn conflicts(
    State(state): State<AppState>,
    c: Chrome,
    ManagedRound(ctx): ManagedRound,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang);
    conflicts_page(&state, c, &ctx, notice, None).await
}

pub async fn add_rule(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let judge = field(&f, "judge").trim().parse().unwrap_or(0);
    or_page!(assign::set_pair_rule(&state, me.actor(), &ctx, judge, field(&f, "entry"), field(&f, "kind"), field(&f, "reason")).await, c, error =>
        conflicts_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/xung-dot?ok=luu")))
}

pub async fn remove_rule(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path((id, rule)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let t = c.t.judging;
    let recorded = rounds::conflicts(&state.db, id).await?;
    match recorded.iter().find(|r| r.id == rule) {
        None => return Err(AppError::NotFound),
        Some(r) if r.kind == rounds::DECLARED => {
            return conflicts_page(&state, c, &ctx, None, Some(t.declared_not_removable.into()))
                .await;
        }
        Some(_) => {}
    }
    assign::remove_pair_rule(&state, me.actor(), &ctx, rule).await?;
    Ok(see_other(&format!("/vong/{id}/xung-dot?ok=xoa")))
}

// ---- assignments ----

pub struct PairCell {
    id: i64,
    judge: String,
    state: &'static str,
    extra: bool,
}

pub struct EntryRow {
    receipt: String,
    code: String,
    title: String,
    genre: String,
    unit: String,
    judges: Vec<PairCell>,
}

pub struct BatchRow {
    id: i64,
    kind: &'static str,
    status_label: &'static str,
    pairs: i32,
    created: String,
}

#[derive(Template)]
#[template(path = "judging/assignments.html")]
struct AssignmentsPage {
    c: Chrome,
    id: i64,
    name: String,
    editable: bool,
    k: i32,
    margin: String,
    batches: Vec<BatchRow>,
    rows: Vec<EntryRow>,
    short: usize,
    judges: Vec<(i64, String, usize, i32)>,
    error: Option<String>,
    notice: Option<String>,
}

fn batch_kind(k: &str, lang: Lang) -> &'static str {
    let t = lang.tr().judging;
    match k {
        assignments::AUTO => t.batch_auto,
        assignments::EXTRA => t.batch_extra,
        _ => t.batch_manual,
    }
}

fn batch_status(s: AssignmentStatus, lang: Lang) -> &'static str {
    let t = lang.tr().judging;
    match s {
        assignments::PREVIEW => t.batch_preview,
        assignments::PUBLISHED => t.batch_published,
        _ => t.batch_undone,
    }
}

async fn assignments_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let pool = Pool::load(state, ctx).await?;
    let ids: Vec<i64> = pool.entries.iter().map(|e| e.id).collect();
    let codes = rounds::codes_for(&state.db, &ids).await?;
    let genres: HashMap<i64, String> = contests::genres(&state.db, ctx.contest.id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let unit_names = assign::unit_names(
        state,
        &pool.entries.iter().map(|e| e.unit_id).collect::<Vec<_>>(),
    )
    .await?;
    let names: HashMap<i64, String> = pool
        .judges
        .iter()
        .map(|j| (j.user.id, j.user.full_name.clone()))
        .collect();
    let mut by_entry: HashMap<i64, Vec<PairCell>> = HashMap::new();
    let mut load: HashMap<i64, usize> = HashMap::new();
    for a in pool
        .assignments
        .iter()
        .filter(|a| a.status != assignments::PREVIEW)
    {
        if a.status == assignments::PUBLISHED {
            *load.entry(a.user_id).or_default() += 1;
        }
        by_entry.entry(a.entry_id).or_default().push(PairCell {
            id: a.id,
            judge: names.get(&a.user_id).cloned().unwrap_or_default(),
            state: if a.status == assignments::RECUSED {
                c.t.judging.recused_short
            } else {
                ""
            },
            extra: a.extra,
        });
    }
    let k = ctx.round.judges_per_entry.max(1) as usize;
    let mut short = 0;
    let rows = pool
        .entries
        .iter()
        .map(|e| {
            let judges = by_entry.remove(&e.id).unwrap_or_default();
            if judges.iter().filter(|p| p.state.is_empty()).count() < k {
                short += 1;
            }
            EntryRow {
                receipt: e.receipt_code.clone(),
                code: codes.get(&e.id).cloned().unwrap_or_default(),
                title: e.title.clone(),
                genre: genres.get(&e.genre_id).cloned().unwrap_or_default(),
                unit: unit_names.get(&e.unit_id).cloned().unwrap_or_default(),
                judges,
            }
        })
        .collect();
    let batches = assignments::batches(&state.db, ctx.round.id)
        .await?
        .into_iter()
        .map(|b| BatchRow {
            id: b.id,
            kind: batch_kind(&b.kind, c.lang),
            status_label: batch_status(b.status, c.lang),
            pairs: b.pairs,
            created: fmt_datetime(&b.created_at),
        })
        .collect();
    let status = form_status(&error);
    Ok(html(
        status,
        &AssignmentsPage {
            id: ctx.round.id,
            name: ctx.round.name.clone(),
            editable: ctx.round.status != rounds::CLOSED && !ctx.is_published(),
            k: ctx.round.judges_per_entry,
            margin: fmt_num(ctx.round.dispute_margin),
            batches,
            rows,
            short,
            judges: pool
                .judges
                .iter()
                .map(|j| {
                    (
                        j.user.id,
                        j.user.full_name.clone(),
                        load.get(&j.user.id).copied().unwrap_or(0),
                        j.rj.capacity,
                    )
                })
                .collect(),
            error,
            notice,
            c,
        },
    ))
}

pub async fn assignments(
    State(state): State<AppState>,
    c: Chrome,
    ManagedRound(ctx): ManagedRound,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang);
    assignments_page(&state, c, &ctx, notice, None).await
}

pub async fn auto(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let b = or_page!(assign::auto(&state, me.actor(), &ctx).await, c, error =>
        assignments_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong/dot/{}", b.id)))
}

pub async fn extra(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let b = or_page!(assign::extra(&state, me.actor(), &ctx).await, c, error =>
        assignments_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong/dot/{}", b.id)))
}

pub async fn add_pair(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let judge = field(&f, "judge").trim().parse().unwrap_or(0);
    or_page!(assign::add_pair(&state, me.actor(), &ctx, judge, field(&f, "entry")).await, c, error =>
        assignments_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong?ok=them")))
}

pub async fn remove_pair(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path((id, pair)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    or_page!(assign::remove_pair(&state, me.actor(), &ctx, pair).await, c, error =>
        assignments_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong?ok=xoa")))
}

pub struct BatchPair {
    receipt: String,
    code: String,
    title: String,
    judge: String,
    extra: bool,
}

#[derive(Template)]
#[template(path = "judging/batch.html")]
struct BatchPage {
    c: Chrome,
    id: i64,
    name: String,
    batch: i64,
    kind: &'static str,
    status: String,
    status_label: &'static str,
    objective: String,
    notes: Vec<String>,
    pairs: Vec<BatchPair>,
    loads: Vec<(String, usize, i32)>,
    editable: bool,
    error: Option<String>,
}

async fn batch_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    batch_id: i64,
    error: Option<String>,
) -> AppResult<Response> {
    let b = assignments::batch(&state.db, ctx.round.id, batch_id).await?;
    let pairs = assignments::batch_pairs(&state.db, b.id).await?;
    let pool = Pool::load(state, ctx).await?;
    let by_entry: HashMap<i64, &rounds::EntryBrief> =
        pool.entries.iter().map(|e| (e.id, e)).collect();
    let codes = rounds::codes_for(
        &state.db,
        &pairs.iter().map(|p| p.entry_id).collect::<Vec<_>>(),
    )
    .await?;
    let names: HashMap<i64, String> = pool
        .judges
        .iter()
        .map(|j| (j.user.id, j.user.full_name.clone()))
        .collect();
    let mut loads: Vec<(String, usize, i32)> = pool
        .judges
        .iter()
        .map(|j| {
            let n = pairs.iter().filter(|p| p.user_id == j.user.id).count();
            (j.user.full_name.clone(), n, j.rj.capacity)
        })
        .collect();
    loads.retain(|l| l.1 > 0);
    let status = form_status(&error);
    Ok(html(
        status,
        &BatchPage {
            id: ctx.round.id,
            name: ctx.round.name.clone(),
            batch: b.id,
            kind: batch_kind(&b.kind, c.lang),
            status_label: batch_status(b.status, c.lang),
            status: b.status.to_string(),
            objective: b.objective.map(|o| o.to_string()).unwrap_or_default(),
            notes: assign::batch_notes(&b.notes, c.lang),
            pairs: pairs
                .iter()
                .map(|p| BatchPair {
                    receipt: by_entry
                        .get(&p.entry_id)
                        .map(|e| e.receipt_code.clone())
                        .unwrap_or_default(),
                    code: codes.get(&p.entry_id).cloned().unwrap_or_default(),
                    title: by_entry
                        .get(&p.entry_id)
                        .map(|e| e.title.clone())
                        .unwrap_or_default(),
                    judge: names.get(&p.user_id).cloned().unwrap_or_default(),
                    extra: p.extra,
                })
                .collect(),
            loads,
            editable: ctx.round.status != rounds::CLOSED && !ctx.is_published(),
            error,
            c,
        },
    ))
}

pub async fn batch(
    State(state): State<AppState>,
    c: Chrome,
    ManagedRound(ctx): ManagedRound,
    Path((_, batch)): Path<(i64, i64)>,
) -> AppResult<Response> {
    batch_page(&state, c, &ctx, batch, None).await
}

pub async fn publish_batch(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path((id, batch)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    or_page!(assign::publish(&state, me.actor(), &ctx, batch).await, c, error =>
        batch_page(&state, c, &ctx, batch, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong?ok=cong-bo")))
}

pub async fn undo_batch(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path((id, batch)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    or_page!(assign::undo(&state, me.actor(), &ctx, batch).await, c, error =>
        batch_page(&state, c, &ctx, batch, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong?ok=hoan-tac")))
}
