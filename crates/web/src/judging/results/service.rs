//! Results of a round: aggregation (mean, optional per-judge normalization, spread with
//! disagreement flags), ranking with the published tie-break, advancement previewed then
//! applied, award tiers per genre suggested then confirmed, collective awards, publication
//! with certificates.

use std::collections::{BTreeMap, HashMap};

use crate::audit;
use hoithi_judging::{
    AdvanceRule, Advancement, AggregationOptions, Award, AwardSuggestion, EntryResult, PrizeTier,
    Ranking, ScoreSheet, TieBreak,
};
use hoithi_storage::entity::{award, genre, round, round_criterion};
use hoithi_storage::repo::{assignments, awards, contests, rounds, scores};

use crate::certificates::service::{self as certificates, AwardText, Issue, Subject};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::judging::rounds::service::{RoundCtx, bad, rubric_of, tie_break_of};
use crate::policy::Actor;
use crate::state::AppState;

/// A round's aggregated results. Entry numbers in `results` and `ranking` index `entries`.
pub struct Results {
    pub criteria: Vec<round_criterion::Model>,
    pub rule: Vec<TieBreak>,
    pub entries: Vec<rounds::EntryBrief>,
    pub results: Vec<EntryResult>,
    /// Mean of raw totals, by entry number (differs from the score when normalizing).
    pub raw_mean: HashMap<u32, f64>,
    pub ranking: Ranking,
    /// Judge numbers in the sheets → user ids.
    pub judges: Vec<i64>,
    pub submitted_at: HashMap<u32, i64>,
}

impl Results {
    pub fn result(&self, entry: u32) -> Option<&EntryResult> {
        self.results.iter().find(|r| r.entry == entry)
    }

    pub fn index_of(&self, entry_id: i64) -> Option<u32> {
        self.entries
            .iter()
            .position(|e| e.id == entry_id)
            .map(|i| i as u32)
    }
}

fn score_error(e: hoithi_judging::ScoreError) -> AppError {
    let m = format!("Không tổng hợp được điểm: {e}.");
    bad(m.clone(), m)
}

pub async fn compute(state: &AppState, ctx: &RoundCtx) -> AppResult<Results> {
    let criteria = rounds::criteria(&state.db, ctx.round.id).await?;
    let rubric = rubric_of(&criteria);
    let entries: Vec<rounds::EntryBrief> = rounds::entries(&state.db, ctx.round.id)
        .await?
        .into_iter()
        .filter(|e| {
            e.status != hoithi_storage::repo::entries::WITHDRAWN
                && e.status != hoithi_storage::repo::entries::DISQUALIFIED
        })
        .collect();
    let index: HashMap<i64, u32> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id, i as u32))
        .collect();
    let pairs = assignments::for_round(&state.db, ctx.round.id).await?;
    let sheets_by_pair: HashMap<(i64, i64), hoithi_storage::entity::score::Model> =
        scores::for_round(&state.db, ctx.round.id)
            .await?
            .into_iter()
            .map(|s| ((s.entry_id, s.user_id), s))
            .collect();
    let mut judges: Vec<i64> = Vec::new();
    let mut judge_no: HashMap<i64, u32> = HashMap::new();
    let mut sheets = Vec::new();
    for a in pairs
        .iter()
        .filter(|a| a.status == assignments::PUBLISHED || a.status == assignments::RECUSED)
    {
        let Some(&e) = index.get(&a.entry_id) else {
            continue;
        };
        let j = *judge_no.entry(a.user_id).or_insert_with(|| {
            judges.push(a.user_id);
            judges.len() as u32 - 1
        });
        let points = sheets_by_pair
            .get(&(a.entry_id, a.user_id))
            .filter(|s| s.status == scores::SUBMITTED && a.status == assignments::PUBLISHED)
            .map(scores::points_of)
            .and_then(|p| p.into_iter().collect::<Option<Vec<f64>>>())
            .filter(|p| p.len() == criteria.len());
        sheets.push(ScoreSheet {
            entry: e,
            judge: j,
            points,
        });
    }
    let options = AggregationOptions {
        normalize: ctx.round.normalize,
        disagreement_threshold: Some(ctx.round.dispute_margin),
    };
    let results = hoithi_judging::aggregate(&rubric, &sheets, &options).map_err(score_error)?;
    let raw = if ctx.round.normalize {
        hoithi_judging::aggregate(
            &rubric,
            &sheets,
            &AggregationOptions {
                normalize: false,
                ..options
            },
        )
        .map_err(score_error)?
    } else {
        results.clone()
    };
    let raw_mean = raw
        .iter()
        .filter_map(|r| Some((r.entry, r.score?)))
        .collect();
    let submitted_at: HashMap<u32, i64> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i as u32, e.submitted_at.timestamp()))
        .collect();
    let rule = tie_break_of(&ctx.round);
    let ranking = hoithi_judging::rank(&results, &submitted_at, &rule);
    Ok(Results {
        criteria,
        rule,
        entries,
        results,
        raw_mean,
        ranking,
        judges,
        submitted_at,
    })
}

// ---- advancement ----

/// Parses the advancement rule from a form: top N per unit, top N overall, or a threshold.
pub fn parse_rule(kind: &str, n: &str, threshold: &str) -> AppResult<Option<AdvanceRule>> {
    let count = || {
        n.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| {
                AppError::bad(
                    "Số tác phẩm được chọn phải là số nguyên dương.",
                    "The number of entries must be a positive whole number.",
                )
            })
    };
    Ok(match kind {
        "" => None,
        "per_unit" => Some(AdvanceRule::TopPerUnit(count()?)),
        "overall" => Some(AdvanceRule::TopOverall(count()?)),
        "threshold" => Some(AdvanceRule::ScoreAtLeast(
            crate::format::parse_number(threshold)
                .filter(|t| *t >= 0.0)
                .ok_or_else(|| {
                    AppError::bad(
                        "Ngưỡng điểm phải là một số không âm.",
                        "The threshold must be a number of at least 0.",
                    )
                })?,
        )),
        _ => {
            return Err(AppError::bad(
                "Cách chọn tác phẩm vào vòng sau không hợp lệ.",
                "The advancement rule is not valid.",
            ));
        }
    })
}

pub fn rule_label(r: &AdvanceRule, lang: Lang) -> String {
    let t = lang.tr().judging;
    match r {
        AdvanceRule::TopPerUnit(n) => t.rule_top_per_unit(n),
        AdvanceRule::TopOverall(n) => t.rule_top_overall(n),
        AdvanceRule::ScoreAtLeast(x) => t.rule_at_least(crate::format::fmt_num(*x)),
    }
}

/// The final round entries advance to (it must exist and still take entries).
pub async fn target_round(state: &AppState, ctx: &RoundCtx) -> AppResult<round::Model> {
    if ctx.is_final() {
        return Err(AppError::bad(
            "Vòng chung khảo là vòng cuối; không có vòng sau.",
            "The final round is the last; there is no next round.",
        ));
    }
    rounds::for_contest(&state.db, ctx.contest.id)
        .await?
        .into_iter()
        .find(|r| r.kind == rounds::FINAL)
        .filter(|r| r.status != rounds::CLOSED && r.results_published_at.is_none())
        .ok_or_else(|| {
            AppError::bad(
                "Chưa có vòng chung khảo đang nhận tác phẩm; hãy tạo vòng chung khảo trước.",
                "There is no final round taking entries; create the final round first.",
            )
        })
}

pub fn advancement(results: &Results, rule: AdvanceRule) -> Advancement {
    let unit_of: HashMap<u32, u32> = results
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i as u32, e.unit_id as u32))
        .collect();
    hoithi_judging::advance(&results.ranking, &unit_of, rule)
}

/// Applies advancement: the entries the rule selects, plus the organizer's picks among
/// entries tied at the cut (no more than the seats left in each tie).
pub async fn apply_advance(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    rule: AdvanceRule,
    tie_picks: &[i64],
) -> AppResult<usize> {
    ctx.check_closed(
        "chọn tác phẩm vào vòng sau",
        "choosing entries for the next round",
    )?;
    let target = target_round(state, ctx).await?;
    let results = compute(state, ctx).await?;
    let adv = advancement(&results, rule);
    let mut chosen: Vec<u32> = adv.advancing.clone();
    for tie in &adv.boundary_ties {
        let picked: Vec<u32> = tie
            .entries
            .iter()
            .copied()
            .filter(|e| tie_picks.contains(&results.entries[*e as usize].id))
            .collect();
        if picked.len() > tie.seats as usize {
            return Err(bad(
                format!(
                    "Nhóm đồng điểm ở ranh giới chỉ còn {} suất nhưng đã chọn {} tác phẩm. Không có gì thay đổi.",
                    tie.seats,
                    picked.len()
                ),
                format!(
                    "The tied group at the cut has {} seats left but {} were picked. Nothing was changed.",
                    tie.seats,
                    picked.len()
                ),
            ));
        }
        chosen.extend(picked);
    }
    let rank_of: HashMap<u32, (u32, f64)> = results
        .ranking
        .entries
        .iter()
        .map(|r| (r.entry, (r.rank, r.score)))
        .collect();
    let list: Vec<awards::Advancing> = chosen
        .iter()
        .map(|e| {
            let (rank, score) = rank_of.get(e).copied().unwrap_or((0, 0.0));
            awards::Advancing {
                entry_id: results.entries[*e as usize].id,
                rank: rank as i32,
                score,
            }
        })
        .collect();
    // Stored with the advancement, in Vietnamese like the rest of the record.
    let label = rule_label(&rule, Lang::Vi);
    let tx = state.db.write().await?;
    let n = awards::advance(&tx, ctx.round.id, target.id, list, &label, actor.user_id()).await?;
    let all: Vec<i64> = rounds::entries(&tx, target.id)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    rounds::ensure_codes(
        &tx,
        ctx.contest.id,
        &all,
        crate::judging::rounds::service::random_code,
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "round.advance",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"to_round_id": target.id, "rule": label, "entries": n}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(n)
}

// ---- awards ----

/// Prize tiers of one genre in a round: the stored ones, or the default set (the national
/// contest's for a final round, Nhất/Nhì/Ba/Khuyến khích for a preliminary one).
pub fn tiers_for(
    ctx: &RoundCtx,
    stored: &[hoithi_storage::entity::award_tier::Model],
    genre_id: i64,
) -> Vec<PrizeTier> {
    let mine: Vec<PrizeTier> = stored
        .iter()
        .filter(|t| t.genre_id == genre_id)
        .map(|t| PrizeTier {
            name: t.name.clone(),
            count: t.count.max(0) as u32,
        })
        .collect();
    if !mine.is_empty() {
        return mine;
    }
    if ctx.is_final() {
        hoithi_judging::national_tiers()
    } else {
        hoithi_judging::local_tiers(1, 2, 3, 5)
    }
}

/// Parses "Giải A: 3" lines into tiers.
pub fn parse_tiers(text: &str, genre: &str) -> AppResult<Vec<(String, i32)>> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((name, count)) = line.rsplit_once([':', '|', '=']) else {
            return Err(bad(
                format!("Dòng «{line}» (thể loại {genre}) cần dạng «Tên giải: số lượng»."),
                format!("Line «{line}» ({genre}) needs the form «Prize name: count»."),
            ));
        };
        let name = crate::validate::clean_line(&hoithi_text::normalize::as_written(name));
        let count = count
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|c| (0..=10_000).contains(c));
        match (name.is_empty() || name.chars().count() > 100, count) {
            (false, Some(c)) => out.push((name, c)),
            _ => {
                return Err(bad(
                    format!(
                        "Dòng «{line}» (thể loại {genre}): tên giải hoặc số lượng không hợp lệ."
                    ),
                    format!("Line «{line}» ({genre}): bad prize name or count."),
                ));
            }
        }
    }
    if out.len() > 12 {
        return Err(AppError::bad(
            "Tối đa 12 hạng giải cho mỗi thể loại.",
            "At most 12 prize tiers per genre.",
        ));
    }
    Ok(out)
}

/// One genre's ranking, tiers and suggested awards.
pub struct GenreAwards {
    pub genre: genre::Model,
    pub tiers: Vec<PrizeTier>,
    pub ranking: Ranking,
    pub suggestion: AwardSuggestion,
}

pub async fn suggestions(
    state: &AppState,
    ctx: &RoundCtx,
    results: &Results,
) -> AppResult<Vec<GenreAwards>> {
    let genres = contests::genres(&state.db, ctx.contest.id).await?;
    let stored = awards::tiers(&state.db, ctx.round.id).await?;
    let genre_of: HashMap<u32, u32> = results
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let g = genres.iter().position(|g| g.id == e.genre_id)?;
            Some((i as u32, g as u32))
        })
        .collect();
    let tiers_by_genre: BTreeMap<u32, Vec<PrizeTier>> = genres
        .iter()
        .enumerate()
        .map(|(i, g)| (i as u32, tiers_for(ctx, &stored, g.id)))
        .collect();
    let by_genre = hoithi_judging::suggest_awards_by_genre(
        &results.results,
        &genre_of,
        &results.submitted_at,
        &results.rule,
        &tiers_by_genre,
        None,
    );
    Ok(by_genre
        .into_iter()
        .filter_map(|(g, (ranking, suggestion))| {
            let genre = genres.get(g as usize)?.clone();
            Some(GenreAwards {
                tiers: tiers_by_genre.get(&g).cloned().unwrap_or_default(),
                genre,
                ranking,
                suggestion,
            })
        })
        .collect())
}

pub async fn save_tiers(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    by_genre: &[(i64, String)],
) -> AppResult<()> {
    ctx.check_unpublished()?;
    let genres = contests::genres(&state.db, ctx.contest.id).await?;
    let mut list = Vec::new();
    for g in &genres {
        let text = by_genre
            .iter()
            .find(|(id, _)| *id == g.id)
            .map(|(_, t)| t.as_str())
            .unwrap_or("");
        for (name, count) in parse_tiers(text, &g.name)? {
            list.push(awards::NewTier {
                genre_id: g.id,
                name,
                count,
            });
        }
    }
    let tx = state.db.write().await?;
    awards::replace_tiers(&tx, ctx.round.id, list).await?;
    audit::record(
        &tx,
        actor,
        "award.tiers",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"tiers": by_genre.iter().map(|(g, t)| serde_json::json!({"genre_id": g, "text": t})).collect::<Vec<_>>()}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// The collective award suggestions, from the confirmed individual awards.
pub struct Collective {
    pub most_entries: Vec<(i64, u32)>,
    pub tie_at_cut: bool,
    pub qualifying: Vec<(i64, usize)>,
    pub qualifying_tier: String,
}

pub const COLLECTIVE_TOP_UNITS: usize = 3;

pub fn collective_tier_name(ctx: &RoundCtx) -> String {
    let tiers = if ctx.is_final() {
        hoithi_judging::national_tiers()
    } else {
        hoithi_judging::local_tiers(1, 1, 1, 1)
    };
    tiers
        .get(2)
        .map(|t| t.name.clone())
        .unwrap_or_else(|| "Giải Ba".into())
}

pub fn qualifying_label(ctx: &RoundCtx, lang: Lang) -> String {
    lang.tr().judging.qualifying(collective_tier_name(ctx))
}

pub fn collective(results: &Results, confirmed: &[award::Model], ctx: &RoundCtx) -> Collective {
    let unit_of: HashMap<u32, u32> = results
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i as u32, e.unit_id as u32))
        .collect();
    let list: Vec<Award> = confirmed
        .iter()
        .filter(|a| a.kind == awards::INDIVIDUAL)
        .filter_map(|a| {
            Some(Award {
                entry: results.index_of(a.entry_id?)?,
                tier: a.position.max(0) as usize,
            })
        })
        .collect();
    let c = hoithi_judging::collective_awards(&unit_of, &list, COLLECTIVE_TOP_UNITS, 2);
    Collective {
        most_entries: c
            .most_entries
            .iter()
            .map(|r| (i64::from(r.unit), r.entries))
            .collect(),
        tie_at_cut: c.most_entries_tie_at_cut,
        qualifying: c
            .qualifying
            .iter()
            .map(|r| (i64::from(r.unit), r.best_tier.unwrap_or(0)))
            .collect(),
        qualifying_tier: collective_tier_name(ctx),
    }
}

/// Confirms the individual awards (tier chosen per entry) and the collective ones.
pub async fn confirm(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    chosen: &[(i64, usize)],
    most_units: &[i64],
    qualifying_units: &[i64],
) -> AppResult<()> {
    ctx.check_closed("xét giải", "confirming awards")?;
    ctx.check_unpublished()?;
    let results = compute(state, ctx).await?;
    let per_genre = suggestions(state, ctx, &results).await?;
    let mut list = Vec::new();
    let mut used: HashMap<(i64, usize), u32> = HashMap::new();
    for &(entry_id, tier) in chosen {
        let Some(i) = results.index_of(entry_id) else {
            return Err(AppError::bad(
                "Một tác phẩm được chọn không thuộc vòng chấm này.",
                "A chosen entry is not in this round.",
            ));
        };
        let e = &results.entries[i as usize];
        let Some(g) = per_genre.iter().find(|g| g.genre.id == e.genre_id) else {
            return Err(AppError::bad(
                "Thể loại của tác phẩm không có hạng giải.",
                "The entry's genre has no prize tiers.",
            ));
        };
        let Some(ranked) = g.ranking.entries.iter().find(|r| r.entry == i) else {
            return Err(bad(
                format!(
                    "Tác phẩm {} chưa có điểm nên không thể trao giải.",
                    e.receipt_code
                ),
                format!(
                    "Entry {} has no score and cannot get an award.",
                    e.receipt_code
                ),
            ));
        };
        let Some(t) = g.tiers.get(tier) else {
            return Err(AppError::bad(
                "Hạng giải không hợp lệ.",
                "The prize tier is not valid.",
            ));
        };
        let n = used.entry((e.genre_id, tier)).or_default();
        *n += 1;
        if *n > t.count {
            return Err(bad(
                format!(
                    "{} của thể loại «{}» chỉ có {} giải nhưng đã chọn nhiều hơn. Không có gì thay đổi.",
                    t.name, g.genre.name, t.count
                ),
                format!(
                    "{} of «{}» has {} prizes but more were chosen. Nothing was changed.",
                    t.name, g.genre.name, t.count
                ),
            ));
        }
        list.push(awards::NewAward {
            kind: awards::INDIVIDUAL.into(),
            entry_id: Some(entry_id),
            unit_id: None,
            genre_id: Some(e.genre_id),
            tier_name: t.name.clone(),
            position: tier as i32,
            score: Some(ranked.score),
            rank: Some(ranked.rank as i32),
        });
    }
    let tx = state.db.write().await?;
    awards::replace_awards(&tx, ctx.round.id, awards::INDIVIDUAL, list, actor.user_id()).await?;
    let confirmed = awards::awards(&tx, ctx.round.id).await?;
    let c = collective(&results, &confirmed, ctx);
    let mut col = Vec::new();
    for u in most_units {
        if c.most_entries.iter().any(|(unit, _)| unit == u) {
            col.push(awards::NewAward {
                kind: awards::COLLECTIVE.into(),
                entry_id: None,
                unit_id: Some(*u),
                genre_id: None,
                // Award names are stored in Vietnamese, as the certificates print them.
                tier_name: Lang::Vi.tr().judging.most_entries.into(),
                position: 0,
                score: None,
                rank: None,
            });
        }
    }
    for u in qualifying_units {
        if c.qualifying.iter().any(|(unit, _)| unit == u) {
            col.push(awards::NewAward {
                kind: awards::COLLECTIVE.into(),
                entry_id: None,
                unit_id: Some(*u),
                genre_id: None,
                tier_name: qualifying_label(ctx, Lang::Vi),
                position: 1,
                score: None,
                rank: None,
            });
        }
    }
    awards::replace_awards(&tx, ctx.round.id, awards::COLLECTIVE, col, actor.user_id()).await?;
    audit::record(
        &tx,
        actor,
        "award.confirm",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"individual": chosen, "most": most_units, "qualifying": qualifying_units}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// Publishes the results: the public page shows them and every winner gets a certificate
/// (one per author of an awarded entry, one per awarded unit), issued in the same transaction.
/// A preliminary round's results wait for the final round's, so that no final-round judge
/// learns an author's name from them.
pub async fn publish(state: &AppState, actor: &Actor, ctx: &RoundCtx) -> AppResult<usize> {
    ctx.check_closed("công bố kết quả", "publishing results")?;
    ctx.check_unpublished()?;
    if !ctx.is_final() {
        let pending_final = rounds::for_contest(&state.db, ctx.contest.id)
            .await?
            .into_iter()
            .any(|r| r.kind == rounds::FINAL && r.results_published_at.is_none());
        if pending_final {
            return Err(AppError::bad(
                "Kết quả sơ khảo chỉ công bố sau khi vòng chung khảo đã công bố (để giữ bí mật tác giả với giám khảo chung khảo).",
                "Preliminary results are published after the final round's (to keep authors hidden from final-round judges).",
            ));
        }
    }
    let list = awards::awards(&state.db, ctx.round.id).await?;
    if list.is_empty() {
        return Err(AppError::bad(
            "Chưa có giải nào được xác nhận.",
            "No award has been confirmed yet.",
        ));
    }
    let entry_ids: Vec<i64> = list.iter().filter_map(|a| a.entry_id).collect();
    let authors = rounds::authors_of(&state.db, &entry_ids).await?;
    let mut unit_ids: Vec<i64> = list.iter().filter_map(|a| a.unit_id).collect();
    let mut titles: HashMap<i64, (String, i64)> = HashMap::new();
    for id in &entry_ids {
        let e = rounds::entry_brief(&state.db, *id).await?;
        unit_ids.push(e.unit_id);
        titles.insert(*id, (e.title, e.unit_id));
    }
    let unit_names = crate::judging::assignment::service::unit_names(state, &unit_ids).await?;
    let genres: HashMap<i64, String> = contests::genres(&state.db, ctx.contest.id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let mut certs = Vec::new();
    for a in &list {
        let award_name = match a.genre_id.and_then(|g| genres.get(&g)) {
            Some(g) => format!("{} — thể loại {g}", a.tier_name),
            None => a.tier_name.clone(),
        };
        let subject = |entry_title: String| Subject::Award {
            award_id: a.id,
            printed: AwardText {
                entry_title,
                contest_title: ctx.contest.title.clone(),
                award_name: award_name.clone(),
            },
        };
        match (a.entry_id, a.unit_id) {
            (Some(e), _) => {
                let (title, unit) = titles.get(&e).cloned().unwrap_or_default();
                for (i, au) in authors.get(&e).into_iter().flatten().enumerate() {
                    certs.push(Issue {
                        subject: subject(title.clone()),
                        position: i as i32,
                        recipient: au.full_name.clone(),
                        unit: unit_names.get(&unit).cloned().unwrap_or_default(),
                    });
                }
            }
            (None, Some(u)) => {
                let unit = unit_names.get(&u).cloned().unwrap_or_default();
                certs.push(Issue {
                    subject: subject(String::new()),
                    position: 0,
                    recipient: unit.clone(),
                    unit,
                });
            }
            _ => {}
        }
    }
    let n = certs.len();
    let tx = state.db.write().await?;
    awards::publish(
        &tx,
        ctx.round.id,
        certificates::records(certs),
        certificates::code,
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "round.publish",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"awards": list.len(), "certificates": n}),
    )
    .await?;
    crate::jobs::enqueue(
        &tx,
        crate::jobs::Job::SearchIndex(crate::search::DocRef::new(
            crate::search::DocKind::ContestResults,
            ctx.contest.id,
        )),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(n)
}
