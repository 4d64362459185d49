//! Organizer pages for results: the ranking with spreads and the published tie-break, one
//! entry's sheets with their audit trail (and reopening), advancement, awards, publication.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hoithi_judging::Decided;
use hoithi_storage::repo::{audit, awards, contests, rounds, scores};
use serde::Deserialize;

use crate::access::ManagedRound;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::format::{fmt_datetime, fmt_num};
use crate::forms::{Fields, Notice, field, form_status, or_page};
use crate::i18n::Lang;
use crate::judging::notice_text;
use crate::judging::results::service::{self as results, Results};
use crate::judging::rounds::service::{self, RoundCtx};
use crate::pages::{Chrome, html, ok_html, see_other};
use crate::state::AppState;

pub fn decided_label(
    d: Decided,
    rule: &[hoithi_judging::TieBreak],
    r: &Results,
    lang: Lang,
) -> String {
    let tr = lang.tr().judging;
    match d {
        Decided::Score => String::new(),
        Decided::Step(i) => rule
            .get(i)
            .map(|t| tr.decided_step(service::tie_break_label(*t, &r.criteria, lang)))
            .unwrap_or_default(),
        Decided::Unresolved => tr.decided_unresolved.into(),
    }
}

pub struct Row {
    rank: u32,
    entry_id: i64,
    code: String,
    receipt: String,
    title: String,
    genre: String,
    unit: String,
    score: String,
    raw: String,
    counted: u32,
    not_counted: u32,
    median: String,
    sd: String,
    range: String,
    flag: bool,
    decided: String,
}

/// Ranking rows with everything an organizer sees (names of units included).
pub async fn rows(
    state: &AppState,
    ctx: &RoundCtx,
    r: &Results,
    lang: Lang,
) -> AppResult<Vec<Row>> {
    let ids: Vec<i64> = r.entries.iter().map(|e| e.id).collect();
    let codes = rounds::codes_for(&state.db, &ids).await?;
    let genres: HashMap<i64, String> = contests::genres(&state.db, ctx.contest.id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let units = crate::judging::assignment::service::unit_names(
        state,
        &r.entries.iter().map(|e| e.unit_id).collect::<Vec<_>>(),
    )
    .await?;
    let opt = |x: Option<f64>| x.map(fmt_num).unwrap_or_default();
    Ok(r.ranking
        .entries
        .iter()
        .filter_map(|re| {
            let e = r.entries.get(re.entry as usize)?;
            let res = r.result(re.entry)?;
            Some(Row {
                rank: re.rank,
                entry_id: e.id,
                code: codes.get(&e.id).cloned().unwrap_or_default(),
                receipt: e.receipt_code.clone(),
                title: e.title.clone(),
                genre: genres.get(&e.genre_id).cloned().unwrap_or_default(),
                unit: units.get(&e.unit_id).cloned().unwrap_or_default(),
                score: fmt_num(re.score),
                raw: opt(r.raw_mean.get(&re.entry).copied()),
                counted: res.judges_counted,
                not_counted: res.judges_not_counted,
                median: opt(res.median),
                sd: opt(res.std_dev),
                range: opt(res.range),
                flag: res.disagreement,
                decided: decided_label(re.decided, &r.ranking.rule, r, lang),
            })
        })
        .collect())
}

#[derive(Template)]
#[template(path = "judging/results.html")]
struct ResultsPage {
    c: Chrome,
    id: i64,
    name: String,
    is_final: bool,
    normalize: bool,
    margin: String,
    rule_text: String,
    rows: Vec<Row>,
    unresolved: Vec<String>,
    unscored: Vec<String>,
    flagged: usize,
    notice: Option<String>,
}

pub async fn results(
    State(state): State<AppState>,
    c: Chrome,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let r = results::compute(&state, &ctx).await?;
    let list = rows(&state, &ctx, &r, c.lang).await?;
    let code_of = |i: &u32| {
        r.entries
            .get(*i as usize)
            .map(|e| e.receipt_code.clone())
            .unwrap_or_default()
    };
    Ok(ok_html(&ResultsPage {
        id,
        name: ctx.round.name.clone(),
        is_final: ctx.is_final(),
        normalize: ctx.round.normalize,
        margin: fmt_num(ctx.round.dispute_margin),
        rule_text: service::rule_text(&r.rule, &r.criteria, c.lang),
        flagged: list.iter().filter(|x| x.flag).count(),
        unresolved: r
            .ranking
            .unresolved
            .iter()
            .map(|g| g.iter().map(code_of).collect::<Vec<_>>().join(", "))
            .collect(),
        unscored: r.ranking.unscored.iter().map(code_of).collect(),
        rows: list,
        notice: notice_text(n.ok.as_deref(), c.lang),
        c,
    }))
}

pub struct SheetRow {
    id: i64,
    judge: String,
    points: Vec<String>,
    total: String,
    comment: String,
    status: &'static str,
    submitted: bool,
    recused: bool,
    history: Vec<String>,
}

#[derive(Template)]
#[template(path = "judging/sheets.html")]
struct SheetsPage {
    c: Chrome,
    id: i64,
    name: String,
    code: String,
    receipt: String,
    title: String,
    criteria: Vec<String>,
    sheets: Vec<SheetRow>,
    editable: bool,
    error: Option<String>,
    notice: Option<String>,
}

async fn sheets_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    entry_id: i64,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    if !rounds::has_entry(&state.db, ctx.round.id, entry_id).await? {
        return Err(AppError::NotFound);
    }
    let e = rounds::entry_brief(&state.db, entry_id).await?;
    let criteria = rounds::criteria(&state.db, ctx.round.id).await?;
    let pairs: Vec<_> = hoithi_storage::repo::assignments::for_round(&state.db, ctx.round.id)
        .await?
        .into_iter()
        .filter(|a| {
            a.entry_id == entry_id && a.status != hoithi_storage::repo::assignments::PREVIEW
        })
        .collect();
    let names = rounds::users_of(
        &state.db,
        &pairs.iter().map(|a| a.user_id).collect::<Vec<_>>(),
    )
    .await?;
    let all = scores::for_round(&state.db, ctx.round.id).await?;
    let mut sheets = Vec::new();
    for a in &pairs {
        let s = all
            .iter()
            .find(|s| s.entry_id == entry_id && s.user_id == a.user_id);
        let points = s.map(scores::points_of).unwrap_or_default();
        let total = crate::judging::judge::service::total_of(&points, &criteria);
        let mut history = Vec::new();
        if let Some(s) = s {
            for h in audit::for_resource(&state.db.conn, "score", s.id).await? {
                let who = match h.actor_id {
                    Some(u) => rounds::users_of(&state.db, &[u])
                        .await?
                        .get(&u)
                        .map(|u| u.full_name.clone())
                        .unwrap_or_default(),
                    None => String::new(),
                };
                let what = match h.action.as_str() {
                    "score.submit" => c.t.judging.action_submit,
                    "score.reopen" => c.t.judging.action_reopen,
                    _ => c.t.judging.action_draft,
                };
                let detail: serde_json::Value = serde_json::from_str(&h.detail).unwrap_or_default();
                history.push(c.t.judging.history_line(
                    fmt_datetime(&h.at),
                    who,
                    what,
                    &detail["before"]["points"],
                    &detail["after"]["points"],
                ));
            }
        }
        sheets.push(SheetRow {
            id: s.map(|s| s.id).unwrap_or(0),
            judge: names
                .get(&a.user_id)
                .map(|u| u.full_name.clone())
                .unwrap_or_default(),
            points: (0..criteria.len())
                .map(|i| {
                    points
                        .get(i)
                        .copied()
                        .flatten()
                        .map(fmt_num)
                        .unwrap_or_default()
                })
                .collect(),
            total: total.map(fmt_num).unwrap_or_default(),
            comment: s.map(|s| s.comment.clone()).unwrap_or_default(),
            status: match s.map(|s| s.status) {
                _ if a.status == hoithi_storage::repo::assignments::RECUSED => {
                    c.t.judging.sheet_recused
                }
                Some(scores::SUBMITTED) => c.t.judging.sheet_submitted,
                Some(_) => c.t.judging.sheet_draft,
                None => c.t.judging.sheet_unscored,
            },
            submitted: s.is_some_and(|s| s.status == scores::SUBMITTED),
            recused: a.status == hoithi_storage::repo::assignments::RECUSED,
            history,
        });
    }
    let code = rounds::codes_for(&state.db, &[entry_id])
        .await?
        .remove(&entry_id)
        .unwrap_or_default();
    let status = form_status(&error);
    Ok(html(
        status,
        &SheetsPage {
            id: ctx.round.id,
            name: ctx.round.name.clone(),
            code,
            receipt: e.receipt_code,
            title: e.title,
            criteria: criteria
                .iter()
                .map(|c| format!("{} ({})", c.name, fmt_num(c.max_points)))
                .collect(),
            sheets,
            editable: ctx.is_open(),
            error,
            notice,
            c,
        },
    ))
}

pub async fn sheets(
    State(state): State<AppState>,
    c: Chrome,
    ManagedRound(ctx): ManagedRound,
    Path((_, entry)): Path<(i64, i64)>,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang);
    sheets_page(&state, c, &ctx, entry, notice, None).await
}

/// Reopens a submitted sheet so its judge can change it (organizers; audit-logged).
pub async fn reopen(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path((id, score)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let s = scores::get(&state.db, id, score).await?;
    let t = c.t.judging;
    if !ctx.is_open() {
        return sheets_page(
            &state,
            c,
            &ctx,
            s.entry_id,
            None,
            Some(t.reopen_needs_open.into()),
        )
        .await;
    }
    let reason: String = crate::validate::clean_line(field(&f, "reason"))
        .chars()
        .take(500)
        .collect();
    match scores::reopen(&state.db, id, score, me.actor().user_id(), &reason).await {
        Ok(_) => Ok(see_other(&format!(
            "/vong/{id}/bai/{}?ok=mo-lai",
            s.entry_id
        ))),
        Err(hoithi_storage::StorageError::Conflict(_)) => {
            sheets_page(
                &state,
                c,
                &ctx,
                s.entry_id,
                None,
                Some(t.reopen_not_submitted.into()),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- advancement ----

#[derive(Deserialize, Default)]
pub struct AdvanceQuery {
    rule: Option<String>,
    n: Option<String>,
    threshold: Option<String>,
}

pub struct AdvRow {
    rank: u32,
    receipt: String,
    title: String,
    unit: String,
    score: String,
}

pub struct TieBlock {
    unit: String,
    seats: u32,
    entries: Vec<(i64, String, String, String)>,
}

#[derive(Template)]
#[template(path = "judging/advance.html")]
struct AdvancePage {
    c: Chrome,
    id: i64,
    name: String,
    target: Option<String>,
    rule: String,
    n: String,
    threshold: String,
    rule_label: String,
    rows: Vec<AdvRow>,
    ties: Vec<TieBlock>,
    done: Vec<AdvRow>,
    can_apply: bool,
    error: Option<String>,
}

async fn advance_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    q: &AdvanceQuery,
    error: Option<String>,
) -> AppResult<Response> {
    let target = results::target_round(state, ctx).await;
    let r = results::compute(state, ctx).await?;
    let units = crate::judging::assignment::service::unit_names(
        state,
        &r.entries.iter().map(|e| e.unit_id).collect::<Vec<_>>(),
    )
    .await?;
    let score_of: HashMap<u32, (u32, f64)> = r
        .ranking
        .entries
        .iter()
        .map(|e| (e.entry, (e.rank, e.score)))
        .collect();
    let row = |i: u32| {
        let e = &r.entries[i as usize];
        let (rank, score) = score_of.get(&i).copied().unwrap_or((0, 0.0));
        AdvRow {
            rank,
            receipt: e.receipt_code.clone(),
            title: e.title.clone(),
            unit: units.get(&e.unit_id).cloned().unwrap_or_default(),
            score: fmt_num(score),
        }
    };
    let mut error = error;
    let rule = match results::parse_rule(
        q.rule.as_deref().unwrap_or(""),
        q.n.as_deref().unwrap_or(""),
        q.threshold.as_deref().unwrap_or(""),
    ) {
        Ok(r) => r,
        Err(AppError::BadRequest(m)) => {
            error.get_or_insert_with(|| m.get(c.lang).to_string());
            None
        }
        Err(e) => return Err(e),
    };
    let (rows, ties) = match rule {
        Some(rule) => {
            let adv = results::advancement(&r, rule);
            (
                adv.advancing.iter().map(|i| row(*i)).collect(),
                adv.boundary_ties
                    .iter()
                    .map(|t| TieBlock {
                        unit: t
                            .entries
                            .first()
                            .and_then(|e| r.entries.get(*e as usize))
                            .filter(|_| t.unit.is_some())
                            .and_then(|e| units.get(&e.unit_id).cloned())
                            .unwrap_or_default(),
                        seats: t.seats,
                        entries: t
                            .entries
                            .iter()
                            .map(|i| {
                                let x = row(*i);
                                (r.entries[*i as usize].id, x.receipt, x.title, x.score)
                            })
                            .collect(),
                    })
                    .collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let done = awards::advancements_from(&state.db, ctx.round.id)
        .await?
        .iter()
        .filter_map(|a| r.index_of(a.entry_id))
        .map(row)
        .collect();
    let status = form_status(&error);
    Ok(html(
        status,
        &AdvancePage {
            id: ctx.round.id,
            name: ctx.round.name.clone(),
            target: target.as_ref().ok().map(|t| t.name.clone()),
            rule: q.rule.clone().unwrap_or_default(),
            n: q.n.clone().unwrap_or_default(),
            threshold: q.threshold.clone().unwrap_or_default(),
            rule_label: rule
                .as_ref()
                .map(|r| results::rule_label(r, c.lang))
                .unwrap_or_default(),
            can_apply: rule.is_some()
                && target.is_ok()
                && ctx.round.status == rounds::CLOSED
                && error.is_none(),
            rows,
            ties,
            done,
            error,
            c,
        },
    ))
}

pub async fn advance(
    State(state): State<AppState>,
    c: Chrome,
    ManagedRound(ctx): ManagedRound,
    Query(q): Query<AdvanceQuery>,
) -> AppResult<Response> {
    advance_page(&state, c, &ctx, &q, None).await
}

pub async fn apply_advance(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let q = AdvanceQuery {
        rule: Some(field(&f, "rule").to_string()),
        n: Some(field(&f, "n").to_string()),
        threshold: Some(field(&f, "threshold").to_string()),
    };
    let result = async {
        let rule = results::parse_rule(field(&f, "rule"), field(&f, "n"), field(&f, "threshold"))?
            .ok_or_else(|| {
                AppError::bad(
                    "Vui lòng chọn cách chọn tác phẩm vào vòng sau.",
                    "Please choose how entries advance.",
                )
            })?;
        let picks: Vec<i64> = f
            .iter()
            .filter(|(k, _)| k == "tie")
            .filter_map(|(_, v)| v.parse().ok())
            .collect();
        results::apply_advance(&state, me.actor(), &ctx, rule, &picks).await
    }
    .await;
    or_page!(result, c, error => advance_page(&state, c, &ctx, &q, error).await);
    Ok(see_other(&format!("/vong/{id}/chuyen-vong?ok=chuyen")))
}

// ---- awards ----

pub struct Candidate {
    entry_id: i64,
    rank: u32,
    code: String,
    receipt: String,
    title: String,
    unit: String,
    score: String,
    decided: String,
    tied: bool,
    /// The chosen tier's index, or empty.
    chosen: String,
}

pub struct GenreBlock {
    id: i64,
    name: String,
    tiers_text: String,
    tiers: Vec<(String, String, u32)>,
    candidates: Vec<Candidate>,
    ties: Vec<String>,
}

pub struct CollectiveRow {
    unit_id: i64,
    unit: String,
    detail: String,
    chosen: bool,
}

pub struct AwardLine {
    tier: String,
    who: String,
    what: String,
    certificates: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "judging/awards.html")]
struct AwardsPage {
    c: Chrome,
    id: i64,
    name: String,
    closed: bool,
    published: bool,
    rule_text: String,
    genres: Vec<GenreBlock>,
    most: Vec<CollectiveRow>,
    most_tie: bool,
    qualifying: Vec<CollectiveRow>,
    qualifying_label: String,
    confirmed: Vec<AwardLine>,
    error: Option<String>,
    notice: Option<String>,
}

async fn awards_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let r = results::compute(state, ctx).await?;
    let per_genre = results::suggestions(state, ctx, &r).await?;
    let confirmed = awards::awards(&state.db, ctx.round.id).await?;
    let ids: Vec<i64> = r.entries.iter().map(|e| e.id).collect();
    let codes = rounds::codes_for(&state.db, &ids).await?;
    let mut unit_ids: Vec<i64> = r.entries.iter().map(|e| e.unit_id).collect();
    unit_ids.extend(confirmed.iter().filter_map(|a| a.unit_id));
    let units = crate::judging::assignment::service::unit_names(state, &unit_ids).await?;
    let chosen_tier: HashMap<i64, usize> = confirmed
        .iter()
        .filter_map(|a| Some((a.entry_id?, a.position.max(0) as usize)))
        .collect();
    let has_confirmed = confirmed.iter().any(|a| a.kind == awards::INDIVIDUAL);
    let genres = per_genre
        .iter()
        .map(|g| {
            let suggested: HashMap<u32, usize> = g
                .suggestion
                .awards
                .iter()
                .map(|a| (a.entry, a.tier))
                .collect();
            let tied: Vec<u32> = g
                .suggestion
                .ties
                .iter()
                .flat_map(|t| t.entries.iter().copied())
                .collect();
            let seats: u32 = g.tiers.iter().map(|t| t.count).sum();
            // Show the awarded places and a margin below them.
            let shown = (seats as usize + 5).max(10);
            let candidates = g
                .ranking
                .entries
                .iter()
                .take(shown.max(tied.len()))
                .filter_map(|re| {
                    let e = r.entries.get(re.entry as usize)?;
                    Some(Candidate {
                        entry_id: e.id,
                        rank: re.rank,
                        code: codes.get(&e.id).cloned().unwrap_or_default(),
                        receipt: e.receipt_code.clone(),
                        title: e.title.clone(),
                        unit: units.get(&e.unit_id).cloned().unwrap_or_default(),
                        score: fmt_num(re.score),
                        decided: decided_label(re.decided, &r.rule, &r, c.lang),
                        tied: tied.contains(&re.entry),
                        chosen: if has_confirmed {
                            chosen_tier.get(&e.id).copied()
                        } else {
                            suggested.get(&re.entry).copied()
                        }
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                    })
                })
                .collect();
            GenreBlock {
                id: g.genre.id,
                name: g.genre.name.clone(),
                tiers_text: g
                    .tiers
                    .iter()
                    .map(|t| format!("{}: {}", t.name, t.count))
                    .collect::<Vec<_>>()
                    .join("\n"),
                tiers: g
                    .tiers
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (i.to_string(), t.name.clone(), t.count))
                    .collect(),
                candidates,
                ties: g
                    .suggestion
                    .ties
                    .iter()
                    .map(|t| {
                        c.t.judging.tier_tie(
                            g.tiers.get(t.tier).map(|x| x.name.as_str()).unwrap_or(""),
                            t.seats,
                            t.entries.len(),
                            t.entries
                                .iter()
                                .filter_map(|e| r.entries.get(*e as usize))
                                .map(|e| e.receipt_code.clone())
                                .collect::<Vec<_>>()
                                .join(", "),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let coll = results::collective(&r, &confirmed, ctx);
    let chosen_units = |pos: i32| -> Vec<i64> {
        confirmed
            .iter()
            .filter(|a| a.kind == awards::COLLECTIVE && a.position == pos)
            .filter_map(|a| a.unit_id)
            .collect()
    };
    let (most_chosen, qual_chosen) = (chosen_units(0), chosen_units(1));
    let most = coll
        .most_entries
        .iter()
        .map(|(u, n)| CollectiveRow {
            unit_id: *u,
            unit: units.get(u).cloned().unwrap_or_default(),
            detail: c.t.judging.entries_count(n),
            chosen: most_chosen.contains(u),
        })
        .collect();
    let qualifying = coll
        .qualifying
        .iter()
        .map(|(u, _)| CollectiveRow {
            unit_id: *u,
            unit: units.get(u).cloned().unwrap_or_default(),
            detail: String::new(),
            chosen: qual_chosen.contains(u),
        })
        .collect();
    let certs = crate::certificates::service::of_subjects(
        state,
        crate::certificates::service::Kind::Award,
        &confirmed.iter().map(|a| a.id).collect::<Vec<_>>(),
    )
    .await?;
    let genre_names: HashMap<i64, String> = per_genre
        .iter()
        .map(|g| (g.genre.id, g.genre.name.clone()))
        .collect();
    let confirmed_lines = confirmed
        .iter()
        .map(|a| {
            let (who, what) = match a.entry_id.and_then(|e| r.index_of(e)) {
                Some(i) => {
                    let e = &r.entries[i as usize];
                    (
                        format!("{} — {}", e.receipt_code, e.title),
                        genre_names.get(&e.genre_id).cloned().unwrap_or_default(),
                    )
                }
                None => (
                    a.unit_id
                        .and_then(|u| units.get(&u).cloned())
                        .unwrap_or_default(),
                    c.t.judging.collective_award.into(),
                ),
            };
            AwardLine {
                tier: a.tier_name.clone(),
                who,
                what,
                certificates: certs
                    .iter()
                    .filter(|c| c.subject_id == a.id)
                    .map(|c| (c.code.clone(), c.recipient.clone()))
                    .collect(),
            }
        })
        .collect();
    let status = form_status(&error);
    Ok(html(
        status,
        &AwardsPage {
            id: ctx.round.id,
            name: ctx.round.name.clone(),
            closed: ctx.round.status == rounds::CLOSED,
            published: ctx.is_published(),
            rule_text: service::rule_text(&r.rule, &r.criteria, c.lang),
            genres,
            most,
            most_tie: coll.tie_at_cut,
            qualifying,
            qualifying_label: results::qualifying_label(ctx, c.lang),
            confirmed: confirmed_lines,
            error,
            notice,
            c,
        },
    ))
}

pub async fn awards(
    State(state): State<AppState>,
    c: Chrome,
    ManagedRound(ctx): ManagedRound,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang);
    awards_page(&state, c, &ctx, notice, None).await
}

pub async fn tiers(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let by_genre: Vec<(i64, String)> = f
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("tiers_")?.parse().ok()?, v.clone())))
        .collect();
    or_page!(results::save_tiers(&state, me.actor(), &ctx, &by_genre).await, c, error =>
        awards_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/giai?ok=hang")))
}

pub async fn confirm(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let chosen: Vec<(i64, usize)> = f
        .iter()
        .filter_map(|(k, v)| {
            let e = k.strip_prefix("award_")?.parse().ok()?;
            let t = v.trim().parse().ok()?;
            Some((e, t))
        })
        .collect();
    let units = |key: &str| -> Vec<i64> {
        f.iter()
            .filter(|(k, _)| k == key)
            .filter_map(|(_, v)| v.parse().ok())
            .collect()
    };
    or_page!(results::confirm(&state, me.actor(), &ctx, &chosen, &units("most"), &units("qualifying")).await, c, error =>
        awards_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/giai?ok=giai")))
}

pub async fn publish(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    or_page!(results::publish(&state, me.actor(), &ctx).await, c, error =>
        awards_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/giai?ok=kq")))
}
