//! Judging rounds: who may run or judge a round, its creation and settings, the rubric, the
//! tie-break rule, status changes, and inviting judges.

use hoithi_judging::{Criterion, Rubric, TieBreak};
use hoithi_storage::Conn;
use hoithi_storage::entity::{contest, round, round_criterion, unit};
use hoithi_storage::repo::{awards, contests, grants, rounds, scores, units, users};

use crate::audit;
use crate::contests::service as contest_service;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Msg};
use crate::policy::{Action, Actor, Resource, Role, UnitPath, can};
use crate::state::AppState;
use hoithi_storage::status::{RoundKind, RoundStatus};

/// A round with what every page about it needs.
pub struct RoundCtx {
    pub round: round::Model,
    pub contest: contest::Model,
    pub organizer: unit::Model,
}

impl RoundCtx {
    pub fn is_final(&self) -> bool {
        self.round.kind == rounds::FINAL
    }

    pub fn resource(&self) -> Resource<'_> {
        Resource::Round {
            id: self.round.id,
            contest_id: self.contest.id,
            organizer_path: &self.organizer.path,
            unit_path: &self.round.unit_path,
            is_final: self.is_final(),
        }
    }

    pub fn is_open(&self) -> bool {
        self.round.status == rounds::OPEN
    }

    pub fn is_published(&self) -> bool {
        self.round.results_published_at.is_some()
    }

    /// Refuses a change once the results are published.
    pub fn check_unpublished(&self) -> AppResult<()> {
        if self.is_published() {
            return Err(AppError::bad(
                "Kết quả vòng này đã công bố; không thể thay đổi.",
                "The results of this round are published; nothing can change.",
            ));
        }
        Ok(())
    }

    /// Refuses `what` (e.g. "xét giải") until scoring in the round has ended.
    pub fn check_closed(&self, vi: &str, en: &str) -> AppResult<()> {
        if self.round.status != rounds::CLOSED {
            return Err(bad(
                format!("Hãy kết thúc chấm vòng này trước khi {vi}."),
                format!("End scoring in this round before {en}."),
            ));
        }
        Ok(())
    }
}

pub fn bad(vi: String, en: String) -> AppError {
    AppError::BadRequest(Msg::owned(vi, en))
}

pub async fn load(state: &AppState, id: i64) -> AppResult<RoundCtx> {
    let round = rounds::get(&state.db, id).await?;
    let contest = contests::get(&state.db, round.contest_id).await?;
    let organizer = units::get(&state.db, contest.organizer_unit_id).await?;
    Ok(RoundCtx {
        round,
        contest,
        organizer,
    })
}

pub fn can_manage(actor: &Actor, ctx: &RoundCtx) -> bool {
    can(actor, Action::ManageRound, ctx.resource())
}

pub fn can_judge(actor: &Actor, ctx: &RoundCtx) -> bool {
    can(actor, Action::JudgeRound, ctx.resource())
}

/// A round the actor runs; others get 403.
pub async fn managed(state: &AppState, actor: &Actor, id: i64) -> AppResult<RoundCtx> {
    let ctx = load(state, id).await?;
    if can_manage(actor, &ctx) {
        Ok(ctx)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A round the actor judges; others get 403.
pub async fn judged(state: &AppState, actor: &Actor, id: i64) -> AppResult<RoundCtx> {
    let ctx = load(state, id).await?;
    if can_judge(actor, &ctx) {
        Ok(ctx)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The rounds of a contest the actor runs.
pub async fn managed_rounds(
    state: &AppState,
    actor: &Actor,
    l: &contest_service::Loaded,
) -> AppResult<Vec<round::Model>> {
    Ok(rounds::for_contest(&state.db, l.contest.id)
        .await?
        .into_iter()
        .filter(|r| {
            can(
                actor,
                Action::ManageRound,
                Resource::Round {
                    id: r.id,
                    contest_id: l.contest.id,
                    organizer_path: &l.organizer.path,
                    unit_path: &r.unit_path,
                    is_final: r.kind == rounds::FINAL,
                },
            )
        })
        .collect())
}

/// Units at which the actor may create a preliminary round (collecting units they run), and
/// whether they may create the final round.
pub async fn creatable(
    state: &AppState,
    actor: &Actor,
    l: &contest_service::Loaded,
) -> AppResult<(Vec<unit::Model>, bool)> {
    let check = |path: &UnitPath, is_final: bool| {
        can(
            actor,
            Action::ManageRound,
            Resource::Round {
                id: 0,
                contest_id: l.contest.id,
                organizer_path: &l.organizer.path,
                unit_path: path,
                is_final,
            },
        )
    };
    let units = contests::collecting_units(&state.db, l.contest.id)
        .await?
        .into_iter()
        .filter(|u| check(&u.path, false))
        .collect();
    Ok((units, check(&l.organizer.path, true)))
}

// ---- rubric and tie-break ----

/// The default rubric: the criteria of the political-essay contest, 100 points in all.
pub fn default_criteria() -> Vec<rounds::NewCriterion> {
    [
        ("Tính sắc bén", 20.0),
        ("Tính thực tế", 15.0),
        ("Tính thời sự", 15.0),
        ("Hiệu quả", 15.0),
        ("Chất lượng", 20.0),
        ("Tính chiến đấu", 15.0),
    ]
    .iter()
    .map(|(name, max)| rounds::NewCriterion {
        name: (*name).to_string(),
        max_points: *max,
        weight: 1.0,
    })
    .collect()
}

pub fn rubric_of(criteria: &[round_criterion::Model]) -> Rubric {
    Rubric {
        criteria: criteria
            .iter()
            .map(|c| Criterion {
                name: c.name.clone(),
                max_points: c.max_points,
                weight: c.weight,
            })
            .collect(),
    }
}

/// Default tie-break: sharpness (the first criterion), then the median, then earlier submission.
pub fn default_tie_break() -> Vec<TieBreak> {
    vec![
        TieBreak::HigherCriterion(0),
        TieBreak::HigherMedian,
        TieBreak::EarlierSubmission,
    ]
}

pub fn tie_break_code(t: TieBreak) -> String {
    match t {
        TieBreak::HigherCriterion(i) => format!("criterion:{i}"),
        TieBreak::HigherMedian => "median".into(),
        TieBreak::EarlierSubmission => "earlier".into(),
    }
}

pub fn parse_tie_break_code(s: &str) -> Option<TieBreak> {
    match s.trim() {
        "median" => Some(TieBreak::HigherMedian),
        "earlier" => Some(TieBreak::EarlierSubmission),
        other => other
            .strip_prefix("criterion:")
            .and_then(|n| n.parse().ok())
            .map(TieBreak::HigherCriterion),
    }
}

pub fn encode_tie_break(rule: &[TieBreak]) -> String {
    serde_json::json!(rule.iter().map(|t| tie_break_code(*t)).collect::<Vec<_>>()).to_string()
}

pub fn tie_break_of(r: &round::Model) -> Vec<TieBreak> {
    serde_json::from_str::<Vec<String>>(&r.tie_break)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| parse_tie_break_code(s))
        .collect()
}

/// One step, with the criterion's name.
pub fn tie_break_label(t: TieBreak, criteria: &[round_criterion::Model], lang: Lang) -> String {
    let tr = lang.tr().judging;
    match t {
        TieBreak::HigherCriterion(i) => match criteria.get(i) {
            Some(c) => tr.tie_criterion(&c.name),
            None => tr.tie_criterion_n(i + 1),
        },
        TieBreak::HigherMedian => tr.tie_median.into(),
        TieBreak::EarlierSubmission => tr.tie_earlier.into(),
    }
}

/// The published rule, as shown with the results.
pub fn rule_text(rule: &[TieBreak], criteria: &[round_criterion::Model], lang: Lang) -> String {
    let tr = lang.tr().judging;
    let mut parts = vec![tr.tie_mean.to_string()];
    parts.extend(rule.iter().map(|t| tie_break_label(*t, criteria, lang)));
    parts.push(tr.tie_organizers.into());
    parts.join(" → ")
}

/// The choices a tie-break step can take for this rubric: (code, label).
pub fn tie_break_choices(criteria: &[round_criterion::Model], lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = (0..criteria.len())
        .map(|i| {
            let t = TieBreak::HigherCriterion(i);
            (tie_break_code(t), tie_break_label(t, criteria, lang))
        })
        .collect();
    for t in [TieBreak::HigherMedian, TieBreak::EarlierSubmission] {
        out.push((tie_break_code(t), tie_break_label(t, criteria, lang)));
    }
    out
}

/// A whole number within `range`, or the given message.
pub fn parse_int(
    s: &str,
    range: std::ops::RangeInclusive<i32>,
    vi: &'static str,
    en: &'static str,
) -> AppResult<i32> {
    s.trim()
        .parse::<i32>()
        .ok()
        .filter(|x| range.contains(x))
        .ok_or_else(|| AppError::bad(vi, en))
}

/// Validates a rubric typed in a form: rows of (name, max points, weight); empty names skip.
pub fn parse_rubric(rows: &[(String, String, String)]) -> AppResult<Vec<rounds::NewCriterion>> {
    let mut out = Vec::new();
    for (i, (name, max, weight)) in rows.iter().enumerate() {
        let name = crate::validate::clean_line(&hoithi_text::normalize::as_written(name));
        if name.is_empty() {
            continue;
        }
        if name.chars().count() > 200 {
            return Err(bad(
                format!("Tên tiêu chí thứ {} quá dài (tối đa 200 ký tự).", i + 1),
                format!("Criterion {} has too long a name (200 at most).", i + 1),
            ));
        }
        let max_points = crate::format::parse_number(max).filter(|m| *m > 0.0 && *m <= 1000.0);
        let Some(max_points) = max_points else {
            return Err(bad(
                format!(
                    "Điểm tối đa của tiêu chí «{name}» phải là số lớn hơn 0 và không quá 1000."
                ),
                format!("The maximum of «{name}» must be a number above 0 and at most 1000."),
            ));
        };
        let weight = if weight.trim().is_empty() {
            Some(1.0)
        } else {
            crate::format::parse_number(weight).filter(|w| *w >= 0.0 && *w <= 100.0)
        };
        let Some(weight) = weight else {
            return Err(bad(
                format!("Trọng số của tiêu chí «{name}» phải là số từ 0 đến 100."),
                format!("The weight of «{name}» must be a number from 0 to 100."),
            ));
        };
        out.push(rounds::NewCriterion {
            name,
            max_points,
            weight,
        });
    }
    if out.is_empty() {
        return Err(AppError::bad(
            "Cần ít nhất một tiêu chí chấm điểm.",
            "At least one criterion is needed.",
        ));
    }
    if out.len() > 20 {
        return Err(AppError::bad("Tối đa 20 tiêu chí.", "At most 20 criteria."));
    }
    if out.iter().all(|c| c.weight == 0.0) {
        return Err(AppError::bad(
            "Ít nhất một tiêu chí phải có trọng số lớn hơn 0.",
            "At least one criterion needs a weight above 0.",
        ));
    }
    Ok(out)
}

/// What a round form says (creation and edit share it).
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub name: String,
    pub judges_per_entry: String,
    pub dispute_margin: String,
    pub normalize: bool,
    /// Codes of the tie-break steps, in order; empty ones are skipped.
    pub tie_break: Vec<String>,
}

pub fn parse_settings(input: &SettingsInput, criteria_count: usize) -> AppResult<rounds::Settings> {
    let name = crate::validate::required_text(
        &hoithi_text::normalize::as_written(&input.name),
        200,
        "tên vòng chấm",
        "round name",
    )?;
    let k = parse_int(
        &input.judges_per_entry,
        1..=15,
        "Số giám khảo chấm mỗi tác phẩm phải từ 1 đến 15.",
        "Judges per entry must be from 1 to 15.",
    )?;
    let margin = crate::format::parse_number(&input.dispute_margin)
        .filter(|m| *m >= 0.0 && *m <= 10_000.0)
        .ok_or_else(|| {
            AppError::bad(
                "Mức chênh lệch điểm cần chấm thêm phải là số không âm.",
                "The dispute margin must be a number of at least 0.",
            )
        })?;
    let mut rule = Vec::new();
    for code in input.tie_break.iter().filter(|c| !c.trim().is_empty()) {
        let step = parse_tie_break_code(code)
            .filter(|t| !matches!(t, TieBreak::HigherCriterion(i) if *i >= criteria_count))
            .ok_or_else(|| {
                AppError::bad(
                    "Quy tắc xử lý đồng điểm không hợp lệ.",
                    "The tie-break rule is not valid.",
                )
            })?;
        if rule.contains(&step) {
            return Err(AppError::bad(
                "Mỗi bước xử lý đồng điểm chỉ được chọn một lần.",
                "Each tie-break step may be chosen once.",
            ));
        }
        rule.push(step);
    }
    Ok(rounds::Settings {
        name,
        judges_per_entry: k,
        dispute_margin: margin,
        normalize: input.normalize,
        tie_break: encode_tie_break(&rule),
    })
}

/// Eligible entries a round takes in: for a preliminary round, those collected in its unit's
/// subtree that no other preliminary round has; for a final round with no preliminary
/// rounds in the contest, every eligible entry (otherwise entries arrive by advancement).
pub async fn intake<C: Conn>(conn: &C, ctx: &RoundCtx) -> AppResult<Vec<i64>> {
    let taken =
        rounds::entries_in_rounds_of_kind(conn, ctx.contest.id, rounds::PRELIMINARY).await?;
    if ctx.is_final() && !taken.is_empty() {
        return Ok(Vec::new());
    }
    let list = rounds::contest_entries(
        conn,
        ctx.contest.id,
        Some(&ctx.round.unit_path),
        hoithi_storage::repo::entries::ELIGIBLE,
    )
    .await?;
    Ok(list
        .into_iter()
        .map(|e| e.id)
        .filter(|id| !taken.contains(id))
        .collect())
}

/// A random anonymous code, e.g. "MS-7K3QXR": no link to the receipt code or the database id.
pub fn random_code() -> String {
    const ALPHABET: &[u8] = b"ACDEFHJKLMNPQRTUVWXY3479";
    let mut s = String::from("MS-");
    for _ in 0..6 {
        let i = rand::random_range(0..ALPHABET.len());
        s.push(ALPHABET[i] as char);
    }
    s
}

/// Pulls eligible entries into a round and gives them anonymous codes; returns how many joined.
pub async fn take_in_entries<C: Conn>(conn: &C, ctx: &RoundCtx) -> AppResult<usize> {
    let ids = intake(conn, ctx).await?;
    let n = rounds::add_entries(conn, ctx.round.id, &ids, None).await?;
    let all: Vec<i64> = rounds::entries(conn, ctx.round.id)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    rounds::ensure_codes(conn, ctx.contest.id, &all, random_code).await?;
    Ok(n)
}

pub struct NewRoundInput {
    pub kind: String,
    pub unit_id: Option<i64>,
    pub settings: SettingsInput,
}

/// Creates a round (rubric from the default template) and pulls in its entries.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    l: &contest_service::Loaded,
    input: NewRoundInput,
) -> AppResult<round::Model> {
    let is_final = match RoundKind::parse(&input.kind) {
        Some(RoundKind::Final) => true,
        Some(RoundKind::Preliminary) => false,
        None => {
            return Err(AppError::bad(
                "Vui lòng chọn loại vòng (sơ khảo hoặc chung khảo).",
                "Please choose the kind of round (preliminary or final).",
            ));
        }
    };
    let unit = if is_final {
        l.organizer.clone()
    } else {
        let id = input.unit_id.ok_or_else(|| {
            AppError::bad(
                "Vui lòng chọn đơn vị tổ chức vòng sơ khảo.",
                "Please choose the unit that runs the preliminary round.",
            )
        })?;
        let collecting = contests::collecting_units(&state.db, l.contest.id).await?;
        collecting.into_iter().find(|u| u.id == id).ok_or_else(|| {
            AppError::bad(
                "Vòng sơ khảo chỉ do một đơn vị thu bài của cuộc thi tổ chức.",
                "A preliminary round is run by one of the contest's collecting units.",
            )
        })?
    };
    if !can(
        actor,
        Action::ManageRound,
        Resource::Round {
            id: 0,
            contest_id: l.contest.id,
            organizer_path: &l.organizer.path,
            unit_path: &unit.path,
            is_final,
        },
    ) {
        return Err(AppError::Forbidden);
    }
    let existing = rounds::for_contest(&state.db, l.contest.id).await?;
    if is_final && existing.iter().any(|r| r.kind == rounds::FINAL) {
        return Err(AppError::bad(
            "Cuộc thi đã có vòng chung khảo.",
            "The contest already has its final round.",
        ));
    }
    let criteria = default_criteria();
    let settings = parse_settings(&input.settings, criteria.len())?;
    let tx = state.db.write().await?;
    let saved = rounds::create(
        &tx,
        rounds::NewRound {
            contest_id: l.contest.id,
            unit_id: unit.id,
            unit_path: unit.path.clone(),
            kind: if is_final {
                RoundKind::Final
            } else {
                RoundKind::Preliminary
            },
            settings,
            criteria,
        },
    )
    .await?;
    let ctx = RoundCtx {
        round: saved.clone(),
        contest: l.contest.clone(),
        organizer: l.organizer.clone(),
    };
    // The prize tiers start from the template and are stored with the round, like its rubric:
    // the organizer's to rename and count, and shown as written whatever the page's language.
    let tiers = contests::genres(&tx, l.contest.id)
        .await?
        .iter()
        .flat_map(|g| {
            crate::judging::results::service::tiers_for(&ctx, &[], g.id)
                .into_iter()
                .map(move |t| awards::NewTier {
                    genre_id: g.id,
                    name: t.name,
                    count: t.count as i32,
                })
        })
        .collect();
    awards::replace_tiers(&tx, saved.id, tiers).await?;
    let n = take_in_entries(&tx, &ctx).await?;
    audit::record(
        &tx,
        actor,
        "round.create",
        "round",
        Some(saved.id),
        serde_json::json!({"contest_id": l.contest.id, "kind": saved.kind, "unit_id": unit.id, "entries": n}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}

/// Any score saved in the round (draft or submitted)?
pub async fn has_scores(state: &AppState, round_id: i64) -> AppResult<bool> {
    Ok(!scores::for_round(&state.db, round_id).await?.is_empty())
}

/// Changes the settings. The tie-break rule is fixed once the round leaves draft (it must be
/// published before judging); everything is fixed once results are published.
pub async fn update_settings(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    input: &SettingsInput,
) -> AppResult<round::Model> {
    ctx.check_unpublished()?;
    let criteria = rounds::criteria(&state.db, ctx.round.id).await?;
    let mut s = parse_settings(input, criteria.len())?;
    if ctx.round.status != rounds::DRAFT && s.tie_break != ctx.round.tie_break {
        return Err(AppError::bad(
            "Quy tắc xử lý đồng điểm đã công bố trước khi chấm; không thể đổi sau khi vòng chấm đã mở.",
            "The tie-break rule was published before judging; it cannot change once the round has opened.",
        ));
    }
    if ctx.round.status != rounds::DRAFT {
        s.tie_break = ctx.round.tie_break.clone();
    }
    let tx = state.db.write().await?;
    let saved = rounds::update_settings(&tx, ctx.round.id, s).await?;
    audit::record(
        &tx,
        actor,
        "round.update",
        "round",
        Some(saved.id),
        serde_json::json!({
            "before": {"name": ctx.round.name, "k": ctx.round.judges_per_entry, "margin": ctx.round.dispute_margin, "normalize": ctx.round.normalize, "tie_break": ctx.round.tie_break},
            "after": {"name": saved.name, "k": saved.judges_per_entry, "margin": saved.dispute_margin, "normalize": saved.normalize, "tie_break": saved.tie_break},
        }),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}

/// Replaces the rubric; refused once any score exists (sheets are tied to the criteria).
pub async fn update_rubric(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    rows: &[(String, String, String)],
) -> AppResult<()> {
    let criteria = parse_rubric(rows)?;
    if has_scores(state, ctx.round.id).await? || ctx.is_published() {
        return Err(AppError::bad(
            "Giám khảo đã bắt đầu chấm; không thể sửa tiêu chí nữa.",
            "Judges have started scoring; the rubric can no longer change.",
        ));
    }
    // A tie-break step on a criterion that no longer exists is dropped.
    let rule: Vec<TieBreak> = tie_break_of(&ctx.round)
        .into_iter()
        .filter(|t| !matches!(t, TieBreak::HigherCriterion(i) if *i >= criteria.len()))
        .collect();
    let before: Vec<String> = rounds::criteria(&state.db, ctx.round.id)
        .await?
        .iter()
        .map(|c| format!("{} ({}×{})", c.name, c.max_points, c.weight))
        .collect();
    let after: Vec<String> = criteria
        .iter()
        .map(|c| format!("{} ({}×{})", c.name, c.max_points, c.weight))
        .collect();
    let tx = state.db.write().await?;
    rounds::replace_criteria(&tx, ctx.round.id, criteria).await?;
    if encode_tie_break(&rule) != ctx.round.tie_break {
        let mut s = settings_of(&ctx.round);
        s.tie_break = encode_tie_break(&rule);
        rounds::update_settings(&tx, ctx.round.id, s).await?;
    }
    audit::record(
        &tx,
        actor,
        "round.rubric",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"before": before, "after": after}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

pub fn settings_of(r: &round::Model) -> rounds::Settings {
    rounds::Settings {
        name: r.name.clone(),
        judges_per_entry: r.judges_per_entry,
        dispute_margin: r.dispute_margin,
        normalize: r.normalize,
        tie_break: r.tie_break.clone(),
    }
}

/// Opens a round to its judges, closes it, or reopens a closed one.
pub async fn set_status(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    status: RoundStatus,
) -> AppResult<round::Model> {
    let from = ctx.round.status;
    let ok = matches!(
        (from, status),
        (rounds::DRAFT, rounds::OPEN)
            | (rounds::OPEN, rounds::CLOSED)
            | (rounds::CLOSED, rounds::OPEN)
    );
    if !ok {
        return Err(AppError::bad(
            "Không thể chuyển vòng chấm sang trạng thái này.",
            "The round cannot move to that status.",
        ));
    }
    ctx.check_unpublished()?;
    if status == rounds::OPEN && rounds::criteria(&state.db, ctx.round.id).await?.is_empty() {
        return Err(AppError::bad(
            "Cần có tiêu chí chấm điểm trước khi mở vòng chấm.",
            "The rubric needs criteria before the round opens.",
        ));
    }
    let tx = state.db.write().await?;
    let saved = rounds::set_status(&tx, ctx.round.id, status).await?;
    audit::record(
        &tx,
        actor,
        "round.status",
        "round",
        Some(saved.id),
        serde_json::json!({"before": from, "after": status}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}

pub fn status_label(s: RoundStatus, lang: Lang) -> &'static str {
    let t = lang.tr().judging;
    match s {
        rounds::DRAFT => t.status_draft,
        rounds::OPEN => t.status_open,
        rounds::CLOSED => t.status_closed,
    }
}

pub fn kind_label(s: RoundKind, lang: Lang) -> &'static str {
    let t = lang.tr().judging;
    match s {
        rounds::FINAL => t.kind_final,
        rounds::PRELIMINARY => t.kind_preliminary,
    }
}

// ---- judges ----

/// Invites an account as a judge of the round (by email or phone), or updates their cap and
/// expertise. The judge role is granted on this round only.
pub async fn invite_judge(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    login: &str,
    capacity: &str,
    expertise: Vec<i64>,
) -> AppResult<hoithi_storage::entity::user::Model> {
    ctx.check_unpublished()?;
    let normalized = crate::validate::login(login).ok_or_else(|| {
        AppError::bad(
            "Vui lòng nhập email hoặc số điện thoại của tài khoản giám khảo.",
            "Please enter the judge account's email or phone number.",
        )
    })?;
    let user = users::find_by_login(&state.db, &normalized)
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| {
            AppError::bad(
                "Không tìm thấy tài khoản đang hoạt động với email/số điện thoại này. Hãy nhờ quản trị tạo tài khoản trước.",
                "No active account has this email or phone number. Ask an administrator to create it first.",
            )
        })?;
    let capacity = parse_int(
        capacity,
        1..=100_000,
        "Số bài tối đa của giám khảo phải là số nguyên từ 1 đến 100000.",
        "The judge's cap must be a whole number from 1 to 100000.",
    )?;
    let genres: Vec<i64> = contests::genres(&state.db, ctx.contest.id)
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect();
    let expertise: Vec<i64> = expertise
        .into_iter()
        .filter(|g| genres.contains(g))
        .collect();
    let tx = state.db.write().await?;
    rounds::put_judge(
        &tx,
        rounds::NewJudge {
            round_id: ctx.round.id,
            user_id: user.id,
            capacity,
            expertise: expertise.clone(),
            unit_id: user.unit_id,
        },
    )
    .await?;
    grants::add(
        &tx,
        grants::NewGrant {
            user_id: user.id,
            role: Role::Judge.as_str().into(),
            unit_id: None,
            resource_kind: Some(crate::policy::ResourceKind::Round.as_str().into()),
            resource_id: Some(ctx.round.id),
        },
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "round.judge",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"user_id": user.id, "capacity": capacity, "expertise": expertise}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(user)
}

/// Removes a judge who has not scored yet: their pairs and their role on the round go.
pub async fn remove_judge(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    user_id: i64,
) -> AppResult<()> {
    let judges = rounds::judges(&state.db, ctx.round.id).await?;
    if !judges.iter().any(|j| j.user_id == user_id) {
        return Err(AppError::NotFound);
    }
    if !scores::for_judge(&state.db, ctx.round.id, user_id)
        .await?
        .is_empty()
    {
        return Err(AppError::bad(
            "Giám khảo này đã chấm bài trong vòng; không thể bỏ khỏi vòng.",
            "This judge has scored in the round and cannot be removed.",
        ));
    }
    let tx = state.db.write().await?;
    for a in hoithi_storage::repo::assignments::for_judge(&tx, ctx.round.id, user_id).await? {
        hoithi_storage::repo::assignments::remove(&tx, ctx.round.id, a.id).await?;
    }
    rounds::remove_judge(&tx, ctx.round.id, user_id).await?;
    for g in grants::for_user(&tx, user_id).await? {
        if g.role == Role::Judge.as_str()
            && g.resource_kind.as_deref() == Some(crate::policy::ResourceKind::Round.as_str())
            && g.resource_id == Some(ctx.round.id)
        {
            grants::remove(&tx, user_id, g.id).await?;
        }
    }
    audit::record(
        &tx,
        actor,
        "round.judge_remove",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"user_id": user_id}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}
