//! Assignment of judges: conflicts of interest (automatic and declared), the automatic run
//! through `hoithi_judging::assign` into a preview batch, publishing and undoing a batch as
//! one step, one more judge for disputed entries, and hand edits that never break a conflict.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::audit;
use hoithi_judging::{
    AssignError, AssignmentRequest, CostModel, EntrySpec, JudgeSpec, Pair, ShortfallReason,
};
use hoithi_storage::entity::{assignment, entry_author, judge_conflict, round_judge, user};
use hoithi_storage::repo::{assignments, contests, entries, rounds, scores};
use hoithi_storage::status::ScoreStatus;

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::judging::rounds::service::{RoundCtx, bad};
use crate::policy::Actor;
use crate::state::AppState;

/// Why a judge may not score an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    SameUnit,
    Submitter,
    CoAuthorAccount,
    CoAuthorName,
    Declared(String),
    Forbidden(String),
}

impl Conflict {
    pub fn label(&self, lang: Lang) -> String {
        let t = lang.tr().judging;
        match self {
            Conflict::SameUnit => t.conflict_same_unit.into(),
            Conflict::Submitter => t.conflict_submitter.into(),
            Conflict::CoAuthorAccount => t.conflict_coauthor_account.into(),
            Conflict::CoAuthorName => t.conflict_coauthor_name.into(),
            Conflict::Declared(r) => t.conflict_declared(r),
            Conflict::Forbidden(r) => t.conflict_forbidden(r),
        }
    }
}

/// An entry that got fewer judges than wanted. A batch stores each as a JSON object in its
/// notes and pages write it out in the reader's language; a note of an older batch is text.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BatchNote {
    entry: String,
    wanted: u32,
    assigned: u32,
    eligible: u32,
    /// Every suitable judge is at their cap (otherwise there are too few of them).
    full: bool,
}

impl BatchNote {
    pub fn text(&self, lang: Lang) -> String {
        let t = lang.tr().judging;
        let why = if self.full {
            t.why_full(self.eligible)
        } else {
            t.why_few(self.eligible)
        };
        t.shortfall(&self.entry, self.wanted, self.assigned, why)
    }
}

/// A batch's notes in one language.
pub fn batch_notes(notes_json: &str, lang: Lang) -> Vec<String> {
    serde_json::from_str::<Vec<String>>(notes_json)
        .unwrap_or_default()
        .into_iter()
        .map(|n| match serde_json::from_str::<BatchNote>(&n) {
            Ok(note) => note.text(lang),
            Err(_) => n,
        })
        .collect()
}

/// A judge of the round with their account.
pub struct Judge {
    pub rj: round_judge::Model,
    pub user: user::Model,
}

/// Everything an assignment decision needs about a round.
pub struct Pool {
    /// Live entries of the round (not withdrawn or disqualified), in id order.
    pub entries: Vec<rounds::EntryBrief>,
    pub judges: Vec<Judge>,
    pub authors: HashMap<i64, Vec<entry_author::Model>>,
    pub recorded: Vec<judge_conflict::Model>,
    pub assignments: Vec<assignment::Model>,
    /// Folded unit names by unit id (for the co-author-by-name rule).
    unit_names: HashMap<i64, String>,
}

fn fold(s: &str) -> String {
    crate::validate::clean_line(&hoithi_text::fold::fold(s))
}

impl Pool {
    pub async fn load(state: &AppState, ctx: &RoundCtx) -> AppResult<Pool> {
        let entries: Vec<rounds::EntryBrief> = rounds::entries(&state.db, ctx.round.id)
            .await?
            .into_iter()
            .filter(|e| e.status != entries::WITHDRAWN && e.status != entries::DISQUALIFIED)
            .collect();
        let rjs = rounds::judges(&state.db, ctx.round.id).await?;
        let ids: Vec<i64> = rjs.iter().map(|j| j.user_id).collect();
        let accounts = rounds::users_of(&state.db, &ids).await?;
        let judges: Vec<Judge> = rjs
            .into_iter()
            .filter_map(|rj| {
                let user = accounts.get(&rj.user_id)?.clone();
                Some(Judge { rj, user })
            })
            .collect();
        let entry_ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
        let authors = rounds::authors_of(&state.db, &entry_ids).await?;
        let mut unit_ids: Vec<i64> = judges.iter().filter_map(|j| j.user.unit_id).collect();
        unit_ids.sort_unstable();
        unit_ids.dedup();
        let unit_names = rounds::units_of(&state.db, &unit_ids)
            .await?
            .into_iter()
            .map(|(id, u)| (id, fold(&u.name)))
            .collect();
        Ok(Pool {
            entries,
            judges,
            authors,
            recorded: rounds::conflicts(&state.db, ctx.round.id).await?,
            assignments: assignments::for_round(&state.db, ctx.round.id).await?,
            unit_names,
        })
    }

    /// The automatic conflict between a judge and an entry, if any.
    pub fn automatic(&self, j: &Judge, e: &rounds::EntryBrief) -> Option<Conflict> {
        if j.user.unit_id == Some(e.unit_id) {
            return Some(Conflict::SameUnit);
        }
        if e.submitter_user_id == Some(j.user.id) {
            return Some(Conflict::Submitter);
        }
        let authors = self.authors.get(&e.id).map(Vec::as_slice).unwrap_or(&[]);
        let email = j.user.email.as_deref().map(str::to_lowercase);
        let phone = j.user.phone.as_deref();
        for a in authors {
            let same_email = email
                .as_deref()
                .is_some_and(|m| !a.email.is_empty() && a.email.to_lowercase() == m);
            let same_phone = phone.is_some_and(|p| {
                crate::validate::phone(&a.phone)
                    .ok()
                    .flatten()
                    .is_some_and(|ap| ap == p)
            });
            if same_email || same_phone {
                return Some(Conflict::CoAuthorAccount);
            }
        }
        let name = fold(&j.user.full_name);
        let unit = j.user.unit_id.and_then(|u| self.unit_names.get(&u));
        for a in authors {
            if fold(&a.full_name) == name
                && unit.is_some_and(|u| !u.is_empty() && fold(&a.workplace).contains(u.as_str()))
            {
                return Some(Conflict::CoAuthorName);
            }
        }
        None
    }

    /// Any conflict (recorded or automatic) between a judge and an entry.
    pub fn conflict(&self, j: &Judge, e: &rounds::EntryBrief) -> Option<Conflict> {
        for c in &self.recorded {
            if c.user_id == j.user.id && c.entry_id == e.id {
                match c.kind.as_str() {
                    rounds::DECLARED => return Some(Conflict::Declared(c.reason.clone())),
                    rounds::FORBIDDEN => return Some(Conflict::Forbidden(c.reason.clone())),
                    _ => {}
                }
            }
        }
        self.automatic(j, e)
    }

    /// Automatic conflicts other than same-unit ones (those the solver handles by unit),
    /// found through indexes rather than by trying every pair.
    fn personal_conflicts(&self) -> Vec<(usize, usize)> {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_email: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_phone: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_submitter: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            if let Some(s) = e.submitter_user_id {
                by_submitter.entry(s).or_default().push(i);
            }
            for a in self.authors.get(&e.id).map(Vec::as_slice).unwrap_or(&[]) {
                by_name.entry(fold(&a.full_name)).or_default().push(i);
                if !a.email.is_empty() {
                    by_email.entry(a.email.to_lowercase()).or_default().push(i);
                }
                if let Ok(Some(p)) = crate::validate::phone(&a.phone) {
                    by_phone.entry(p).or_default().push(i);
                }
            }
        }
        let mut out = Vec::new();
        for (ji, j) in self.judges.iter().enumerate() {
            let mut candidates: BTreeSet<usize> = BTreeSet::new();
            candidates.extend(by_submitter.get(&j.user.id).into_iter().flatten());
            candidates.extend(by_name.get(&fold(&j.user.full_name)).into_iter().flatten());
            if let Some(m) = &j.user.email {
                candidates.extend(by_email.get(&m.to_lowercase()).into_iter().flatten());
            }
            if let Some(p) = &j.user.phone {
                candidates.extend(by_phone.get(p).into_iter().flatten());
            }
            for ei in candidates {
                let e = &self.entries[ei];
                if matches!(
                    self.automatic(j, e),
                    Some(Conflict::Submitter | Conflict::CoAuthorAccount | Conflict::CoAuthorName)
                ) {
                    out.push((ei, ji));
                }
            }
        }
        out
    }

    fn entry_index(&self) -> HashMap<i64, usize> {
        self.entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id, i))
            .collect()
    }

    fn judge_index(&self) -> HashMap<i64, usize> {
        self.judges
            .iter()
            .enumerate()
            .map(|(i, j)| (j.user.id, i))
            .collect()
    }

    /// Published pairs that count (not recused), as (entry index, judge index).
    fn current_pairs(&self) -> Vec<Pair> {
        let ei = self.entry_index();
        let ji = self.judge_index();
        self.assignments
            .iter()
            .filter(|a| a.status == assignments::PUBLISHED)
            .filter_map(|a| {
                Some(Pair {
                    entry: *ei.get(&a.entry_id)? as u32,
                    judge: *ji.get(&a.user_id)? as u32,
                })
            })
            .collect()
    }

    /// The solver's request for this round: every conflict, forced pairs, and the pairs
    /// already published kept as they are.
    pub async fn request(
        &self,
        state: &AppState,
        ctx: &RoundCtx,
        judges_per_entry: u32,
    ) -> AppResult<AssignmentRequest> {
        let genres: Vec<i64> = contests::genres(&state.db, ctx.contest.id)
            .await?
            .into_iter()
            .map(|g| g.id)
            .collect();
        let genre_index = |g: i64| genres.iter().position(|x| *x == g).unwrap_or(0) as u32;
        // Units numbered densely for the solver's same-unit rule.
        let mut unit_no: HashMap<i64, u32> = HashMap::new();
        let mut no = |u: i64| {
            let n = unit_no.len() as u32;
            *unit_no.entry(u).or_insert(n)
        };
        let entries: Vec<EntrySpec> = self
            .entries
            .iter()
            .map(|e| EntrySpec {
                genre: genre_index(e.genre_id),
                unit: Some(no(e.unit_id)),
                judges_wanted: None,
            })
            .collect();
        let judges: Vec<JudgeSpec> = self
            .judges
            .iter()
            .map(|j| JudgeSpec {
                capacity: j.rj.capacity.max(0) as u32,
                expertise: serde_json::from_str::<Vec<i64>>(&j.rj.expertise)
                    .unwrap_or_default()
                    .into_iter()
                    .map(genre_index)
                    .collect(),
                unit: j.user.unit_id.map(&mut no),
            })
            .collect();
        let ei = self.entry_index();
        let ji = self.judge_index();
        let mut conflicts: Vec<Pair> = self
            .personal_conflicts()
            .into_iter()
            .map(|(e, j)| Pair {
                entry: e as u32,
                judge: j as u32,
            })
            .collect();
        let mut forced = Vec::new();
        for c in &self.recorded {
            let (Some(&e), Some(&j)) = (ei.get(&c.entry_id), ji.get(&c.user_id)) else {
                continue;
            };
            let p = Pair {
                entry: e as u32,
                judge: j as u32,
            };
            if c.kind == rounds::FORCED {
                forced.push(p);
            } else {
                conflicts.push(p);
            }
        }
        Ok(AssignmentRequest {
            entries,
            judges,
            judges_per_entry,
            conflicts,
            forced,
            existing: self.current_pairs(),
            same_unit_is_conflict: true,
            costs: CostModel::default(),
        })
    }

    fn entry_label(&self, i: u32) -> String {
        self.entries
            .get(i as usize)
            .map(|e| e.receipt_code.clone())
            .unwrap_or_default()
    }

    fn judge_label(&self, i: u32) -> String {
        self.judges
            .get(i as usize)
            .map(|j| j.user.full_name.clone())
            .unwrap_or_default()
    }

    /// The solver's error, with receipt codes and judges' names instead of indexes.
    fn explain(&self, e: &AssignError) -> AppError {
        match e {
            AssignError::ForcedPairIsConflict { entry, judge } => {
                let (entry, judge) = (self.entry_label(*entry), self.judge_label(*judge));
                bad(
                    format!(
                        "Cặp bắt buộc (tác phẩm {entry}, giám khảo {judge}) lại vi phạm xung đột lợi ích; hãy bỏ cặp bắt buộc này."
                    ),
                    format!(
                        "The forced pair (entry {entry}, judge {judge}) breaks a conflict of interest; remove that forced pair."
                    ),
                )
            }
            AssignError::ExistingPairIsConflict { entry, judge } => {
                let (entry, judge) = (self.entry_label(*entry), self.judge_label(*judge));
                bad(
                    format!(
                        "Phân công đã công bố (tác phẩm {entry}, giám khảo {judge}) vi phạm xung đột lợi ích; hãy gỡ cặp này trước."
                    ),
                    format!(
                        "A published assignment (entry {entry}, judge {judge}) breaks a conflict of interest; remove that pair first."
                    ),
                )
            }
            AssignError::FixedPairsOverCapacity {
                judge,
                fixed,
                capacity,
            } => {
                let judge = self.judge_label(*judge);
                bad(
                    format!(
                        "Giám khảo {judge} đã có {fixed} tác phẩm cố định, vượt số bài tối đa {capacity}."
                    ),
                    format!(
                        "Judge {judge} already has {fixed} fixed entries, more than their cap of {capacity}."
                    ),
                )
            }
            other => bad(
                format!("Không phân công được: {other}."),
                format!("The assignment could not be made ({other:?})."),
            ),
        }
    }

    fn shortfall_note(&self, s: &hoithi_judging::Shortfall) -> BatchNote {
        let (eligible, full) = match s.reason {
            ShortfallReason::TooFewEligibleJudges { eligible } => (eligible, false),
            ShortfallReason::EligibleJudgesFull { eligible } => (eligible, true),
        };
        BatchNote {
            entry: self.entry_label(s.entry),
            wanted: s.wanted,
            assigned: s.assigned,
            eligible,
            full,
        }
    }
}

/// Runs the solver on a request and stores the new pairs as a preview batch (replacing any
/// earlier preview). `extra` marks pairs added for disputed entries.
async fn run(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    pool: &Pool,
    req: AssignmentRequest,
    kind: &str,
) -> AppResult<hoithi_storage::entity::assignment_batch::Model> {
    if pool.judges.is_empty() {
        return Err(AppError::bad(
            "Vòng chấm chưa có giám khảo; hãy mời giám khảo trước.",
            "The round has no judges yet; invite judges first.",
        ));
    }
    if pool.entries.is_empty() {
        return Err(AppError::bad(
            "Vòng chấm chưa có tác phẩm nào.",
            "The round has no entries yet.",
        ));
    }
    let forced_new: Vec<Pair> = {
        let existing: HashSet<Pair> = req.existing.iter().copied().collect();
        req.forced
            .iter()
            .copied()
            .filter(|p| !existing.contains(p))
            .collect()
    };
    let solved = tokio::task::spawn_blocking(move || hoithi_judging::assign(&req))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| pool.explain(&e))?;
    let mut pairs: Vec<assignments::NewPair> = Vec::new();
    let mut seen = HashSet::new();
    for p in forced_new.iter().chain(solved.new_pairs.iter()) {
        if seen.insert(*p) {
            pairs.push(assignments::NewPair {
                entry_id: pool.entries[p.entry as usize].id,
                user_id: pool.judges[p.judge as usize].user.id,
                extra: kind == assignments::EXTRA,
            });
        }
    }
    let notes: Vec<String> = solved
        .shortfalls
        .iter()
        .take(200)
        .map(|s| serde_json::to_string(&pool.shortfall_note(s)).unwrap_or_default())
        .collect();
    let tx = state.db.write().await?;
    assignments::discard_previews(&tx, ctx.round.id).await?;
    let batch = assignments::create_batch(
        &tx,
        assignments::NewBatch {
            round_id: ctx.round.id,
            kind: kind.into(),
            status: assignments::PREVIEW,
            pairs,
            objective: Some(solved.objective),
            notes,
            created_by: actor.user_id(),
        },
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "assignment.preview",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"batch_id": batch.id, "kind": kind, "pairs": batch.pairs, "objective": solved.objective, "shortfalls": solved.shortfalls.len()}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(batch)
}

fn check_editable(ctx: &RoundCtx) -> AppResult<()> {
    if ctx.round.status == rounds::CLOSED {
        return Err(AppError::bad(
            "Vòng chấm đã kết thúc; không thể thay đổi phân công.",
            "The round has ended; assignments cannot change.",
        ));
    }
    ctx.check_unpublished()
}

/// Automatic assignment: every entry gets the round's number of judges (pairs already
/// published are kept), conflicts never violated, loads balanced, expertise preferred.
pub async fn auto(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
) -> AppResult<hoithi_storage::entity::assignment_batch::Model> {
    check_editable(ctx)?;
    assignments::discard_previews(&state.db, ctx.round.id).await?;
    let pool = Pool::load(state, ctx).await?;
    let req = pool
        .request(state, ctx, ctx.round.judges_per_entry.max(1) as u32)
        .await?;
    run(state, actor, ctx, &pool, req, assignments::AUTO).await
}

/// Entries whose submitted totals differ by more than the round's margin, whose judges have
/// all submitted, and that have no extra judge yet.
pub async fn disputed(state: &AppState, ctx: &RoundCtx, pool: &Pool) -> AppResult<Vec<usize>> {
    let criteria = rounds::criteria(&state.db, ctx.round.id).await?;
    let sheets = scores::for_round(&state.db, ctx.round.id).await?;
    let total = |s: &hoithi_storage::entity::score::Model| {
        crate::judging::judge::service::total_of(&scores::points_of(s), &criteria)
    };
    let submitted: HashMap<(i64, i64), f64> = sheets
        .iter()
        .filter(|s| s.status == scores::SUBMITTED)
        .filter_map(|s| Some(((s.entry_id, s.user_id), total(s)?)))
        .collect();
    let mut by_entry: HashMap<i64, Vec<&assignment::Model>> = HashMap::new();
    for a in pool
        .assignments
        .iter()
        .filter(|a| a.status == assignments::PUBLISHED)
    {
        by_entry.entry(a.entry_id).or_default().push(a);
    }
    let mut totals: Vec<Vec<f64>> = Vec::with_capacity(pool.entries.len());
    for e in &pool.entries {
        let list = by_entry.get(&e.id).map(Vec::as_slice).unwrap_or(&[]);
        let done: Vec<f64> = list
            .iter()
            .filter_map(|a| submitted.get(&(a.entry_id, a.user_id)).copied())
            .collect();
        let complete = !list.is_empty() && done.len() == list.len() && done.len() >= 2;
        let has_extra = list.iter().any(|a| a.extra);
        totals.push(if complete && !has_extra {
            done
        } else {
            Vec::new()
        });
    }
    Ok(
        hoithi_judging::disputed_entries(&totals, ctx.round.dispute_margin)
            .into_iter()
            .map(|e| e as usize)
            .collect(),
    )
}

/// One more judge for each disputed entry, as a preview batch.
pub async fn extra(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
) -> AppResult<hoithi_storage::entity::assignment_batch::Model> {
    check_editable(ctx)?;
    assignments::discard_previews(&state.db, ctx.round.id).await?;
    let pool = Pool::load(state, ctx).await?;
    let list = disputed(state, ctx, &pool).await?;
    if list.is_empty() {
        return Err(AppError::bad(
            "Không có tác phẩm nào chênh lệch điểm quá mức (hoặc các tác phẩm chênh lệch đã có giám khảo chấm thêm).",
            "No entry has scores further apart than the margin (or those that do already have an extra judge).",
        ));
    }
    let mut req = pool
        .request(state, ctx, ctx.round.judges_per_entry.max(1) as u32)
        .await?;
    // Entries that are not disputed keep exactly the judges they have.
    let mut count: HashMap<u32, u32> = HashMap::new();
    for p in &req.existing {
        *count.entry(p.entry).or_default() += 1;
    }
    for (i, spec) in req.entries.iter_mut().enumerate() {
        spec.judges_wanted = Some(count.get(&(i as u32)).copied().unwrap_or(0));
    }
    let current = req.existing.clone();
    let wanted: Vec<u32> = list.iter().map(|&i| i as u32).collect();
    hoithi_judging::request_extra_judges(&mut req, &current, &wanted);
    req.forced.clear();
    run(state, actor, ctx, &pool, req, assignments::EXTRA).await
}

pub async fn publish(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    batch_id: i64,
) -> AppResult<()> {
    check_editable(ctx)?;
    let tx = state.db.write().await?;
    let b = assignments::publish_batch(&tx, ctx.round.id, batch_id)
        .await
        .map_err(|e| match e {
            hoithi_storage::StorageError::Conflict(_) => AppError::bad(
                "Đợt phân công này không còn ở dạng xem trước.",
                "This batch is no longer a preview.",
            ),
            other => other.into(),
        })?;
    audit::record(
        &tx,
        actor,
        "assignment.publish",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"batch_id": b.id, "pairs": b.pairs}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

pub async fn undo(state: &AppState, actor: &Actor, ctx: &RoundCtx, batch_id: i64) -> AppResult<()> {
    check_editable(ctx)?;
    let tx = state.db.write().await?;
    let b = assignments::undo_batch(&tx, ctx.round.id, batch_id)
        .await
        .map_err(|e| match e {
            hoithi_storage::StorageError::Conflict(what) if what == "scored" => AppError::bad(
                "Không thể hoàn tác: giám khảo đã bắt đầu chấm một số bài của đợt phân công này. Hãy gỡ từng cặp chưa chấm.",
                "Cannot undo: judges have started scoring entries of this batch. Remove the unscored pairs one by one.",
            ),
            hoithi_storage::StorageError::Conflict(_) => AppError::bad(
                "Đợt phân công này đã được hoàn tác.",
                "This batch was already undone.",
            ),
            other => other.into(),
        })?;
    audit::record(
        &tx,
        actor,
        "assignment.undo",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"batch_id": b.id, "pairs": b.pairs}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

impl Pool {
    /// The entry (by receipt code or anonymous code) and the judge (by account) of a pair
    /// an organizer names, or why there is no such pair in the round.
    async fn pair(
        &self,
        state: &AppState,
        judge_user_id: i64,
        entry_code: &str,
    ) -> AppResult<(&rounds::EntryBrief, &Judge)> {
        let code = entry_code.trim();
        let ids: Vec<i64> = self.entries.iter().map(|e| e.id).collect();
        let codes = rounds::codes_for(&state.db, &ids).await?;
        let entry = self.entries.iter().find(|e| {
            e.receipt_code.eq_ignore_ascii_case(code)
                || codes
                    .get(&e.id)
                    .is_some_and(|c| c.eq_ignore_ascii_case(code))
        });
        let Some(e) = entry else {
            return Err(AppError::bad(
                "Không tìm thấy tác phẩm này trong vòng chấm (nhập mã tác phẩm hoặc mã số phách).",
                "This entry is not in the round (enter its receipt code or anonymous code).",
            ));
        };
        let Some(j) = self.judges.iter().find(|j| j.user.id == judge_user_id) else {
            return Err(AppError::bad(
                "Người này không phải giám khảo của vòng chấm.",
                "This person is not a judge of the round.",
            ));
        };
        Ok((e, j))
    }
}

/// Adds one pair by hand (published at once, as a batch of one so it can be undone). A pair
/// that breaks a conflict of interest, or a judge's cap, is refused with the reason.
pub async fn add_pair(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    judge_user_id: i64,
    entry_code: &str,
) -> AppResult<()> {
    check_editable(ctx)?;
    let pool = Pool::load(state, ctx).await?;
    let (e, j) = pool.pair(state, judge_user_id, entry_code).await?;
    if let Some(c) = pool.conflict(j, e) {
        return Err(bad(
            format!(
                "Không thể phân công tác phẩm {} cho giám khảo {}: {}. Phân công không thay đổi.",
                e.receipt_code,
                j.user.full_name,
                c.label(Lang::Vi)
            ),
            format!(
                "Entry {} cannot go to judge {}: {}. Nothing was changed.",
                e.receipt_code,
                j.user.full_name,
                c.label(Lang::En)
            ),
        ));
    }
    if let Some(a) = pool
        .assignments
        .iter()
        .find(|a| a.entry_id == e.id && a.user_id == j.user.id)
    {
        let (vi, en) = if a.status == assignments::RECUSED {
            ("đã từ chối chấm tác phẩm này", "recused from this entry")
        } else {
            ("đã được phân công tác phẩm này", "already has this entry")
        };
        return Err(bad(
            format!("Giám khảo {} {vi}.", j.user.full_name),
            format!("{} {en}.", j.user.full_name),
        ));
    }
    let load = pool
        .assignments
        .iter()
        .filter(|a| a.user_id == j.user.id && a.status != assignments::RECUSED)
        .count();
    if load >= j.rj.capacity.max(0) as usize {
        return Err(bad(
            format!(
                "Giám khảo {} đã đủ số bài tối đa ({}). Hãy tăng số bài tối đa trước.",
                j.user.full_name, j.rj.capacity
            ),
            format!(
                "{} is at their cap ({}). Raise the cap first.",
                j.user.full_name, j.rj.capacity
            ),
        ));
    }
    let tx = state.db.write().await?;
    let batch = assignments::create_batch(
        &tx,
        assignments::NewBatch {
            round_id: ctx.round.id,
            kind: assignments::MANUAL.into(),
            status: assignments::PUBLISHED,
            pairs: vec![assignments::NewPair {
                entry_id: e.id,
                user_id: j.user.id,
                extra: false,
            }],
            objective: None,
            notes: Vec::new(),
            created_by: actor.user_id(),
        },
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "assignment.add",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"batch_id": batch.id, "entry_id": e.id, "judge_id": j.user.id}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

pub async fn remove_pair(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    assignment_id: i64,
) -> AppResult<()> {
    check_editable(ctx)?;
    let tx = state.db.write().await?;
    let a = assignments::remove(&tx, ctx.round.id, assignment_id)
        .await
        .map_err(|e| match e {
            hoithi_storage::StorageError::Conflict(_) => AppError::bad(
                "Giám khảo đã chấm (hoặc đang chấm dở) tác phẩm này; không thể gỡ phân công.",
                "The judge has scored (or started scoring) this entry; the pair cannot be removed.",
            ),
            other => other.into(),
        })?;
    audit::record(
        &tx,
        actor,
        "assignment.remove",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"entry_id": a.entry_id, "judge_id": a.user_id, "batch_id": a.batch_id}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// Records a forbidden or forced pair set by the organizer.
pub async fn set_pair_rule(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    judge_user_id: i64,
    entry_code: &str,
    kind: &str,
    reason: &str,
) -> AppResult<()> {
    ctx.check_unpublished()?;
    let kind = match kind {
        rounds::FORBIDDEN | rounds::FORCED => kind,
        _ => {
            return Err(AppError::bad(
                "Vui lòng chọn «không cho phép» hoặc «bắt buộc».",
                "Please choose «forbid» or «force».",
            ));
        }
    };
    let reason = crate::validate::clean_line(reason)
        .chars()
        .take(500)
        .collect::<String>();
    let pool = Pool::load(state, ctx).await?;
    let (e, j) = pool.pair(state, judge_user_id, entry_code).await?;
    if kind == rounds::FORCED {
        if let Some(c) = pool.conflict(j, e) {
            return Err(bad(
                format!(
                    "Không thể bắt buộc cặp này: {}. Không có gì thay đổi.",
                    c.label(Lang::Vi)
                ),
                format!(
                    "This pair cannot be forced: {}. Nothing was changed.",
                    c.label(Lang::En)
                ),
            ));
        }
    } else if reason.is_empty() {
        return Err(AppError::bad(
            "Vui lòng ghi lý do không cho phép.",
            "Please give the reason.",
        ));
    }
    let tx = state.db.write().await?;
    rounds::put_conflict(
        &tx,
        rounds::NewConflict {
            round_id: ctx.round.id,
            entry_id: e.id,
            user_id: j.user.id,
            kind: kind.into(),
            reason: reason.clone(),
            created_by: actor.user_id(),
        },
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "conflict.set",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"entry_id": e.id, "judge_id": j.user.id, "kind": kind, "reason": reason}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

pub async fn remove_pair_rule(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    conflict_id: i64,
) -> AppResult<()> {
    let tx = state.db.write().await?;
    let c = rounds::remove_conflict(&tx, ctx.round.id, conflict_id).await?;
    audit::record(
        &tx,
        actor,
        "conflict.remove",
        "round",
        Some(ctx.round.id),
        serde_json::json!({"entry_id": c.entry_id, "judge_id": c.user_id, "kind": c.kind, "reason": c.reason}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// Per-judge progress of a round: assigned, submitted, drafts, recusals.
pub struct Progress {
    pub user_id: i64,
    pub name: String,
    pub capacity: i32,
    pub assigned: usize,
    pub submitted: usize,
    pub drafts: usize,
    pub recused: usize,
}

pub async fn progress(state: &AppState, ctx: &RoundCtx, pool: &Pool) -> AppResult<Vec<Progress>> {
    let sheets = scores::for_round(&state.db, ctx.round.id).await?;
    let status: HashMap<(i64, i64), ScoreStatus> = sheets
        .iter()
        .map(|s| ((s.entry_id, s.user_id), s.status))
        .collect();
    Ok(pool
        .judges
        .iter()
        .map(|j| {
            let mine: Vec<&assignment::Model> = pool
                .assignments
                .iter()
                .filter(|a| a.user_id == j.user.id && a.status != assignments::PREVIEW)
                .collect();
            let published: Vec<&&assignment::Model> = mine
                .iter()
                .filter(|a| a.status == assignments::PUBLISHED)
                .collect();
            let count = |want: ScoreStatus| {
                published
                    .iter()
                    .filter(|a| status.get(&(a.entry_id, a.user_id)) == Some(&want))
                    .count()
            };
            Progress {
                user_id: j.user.id,
                name: j.user.full_name.clone(),
                capacity: j.rj.capacity,
                assigned: published.len(),
                submitted: count(scores::SUBMITTED),
                drafts: count(scores::DRAFT),
                recused: mine.len() - published.len(),
            }
        })
        .collect())
}

/// Names of units by id (for the organizer's pages).
pub async fn unit_names(state: &AppState, ids: &[i64]) -> AppResult<HashMap<i64, String>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    Ok(rounds::units_of(&state.db, &ids)
        .await?
        .into_iter()
        .map(|(id, u)| (id, u.name))
        .collect())
}
