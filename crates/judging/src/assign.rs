//! Automatic assignment of judges to entries as an exact min-cost flow.
//!
//! Model (docs/decisions/0001-min-cost-flow.md has the argument in full):
//! entries with the same genre and the same number of judges still wanted form
//! one class node; the network is `source -> class (n·d) -> judge (cap n,
//! expertise cost) -> sink (one unit arc per load level, cost rising with the
//! load)`. A class sends at most `n` units to a judge, so its flow can be dealt
//! out to its `n` entries with distinct judges (wrap-around rule) at exactly the
//! cost the class arcs charged. Conflicts (same unit, personal) and judges an
//! entry already has are left out of this relaxation and repaired afterwards by
//! moving or swapping judges between entries of the class, which changes no
//! cost. If the repair succeeds, the result is feasible and costs no more than
//! the relaxation's optimum, so it is optimal. Entries it fails for are promoted
//! to a class by genre and unit (unit conflicts exact), then to a class of their
//! own (everything exact), and the model is solved again; at worst this ends at
//! the exact per-entry model.

use std::collections::{HashMap, HashSet};

use crate::flow::{FlowError, FlowNetwork};

/// One (entry, judge) pair; indexes into the request's `entries` and `judges`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Pair {
    pub entry: u32,
    pub judge: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct JudgeSpec {
    /// Most entries this judge takes in the round (existing and forced ones included).
    pub capacity: u32,
    /// Genres the judge is expert in; such entries cost `CostModel::non_expert_cost` less.
    pub expertise: Vec<u32>,
    /// The judge's unit, for same-unit conflicts.
    pub unit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EntrySpec {
    pub genre: u32,
    /// The unit that submitted the entry.
    pub unit: Option<u32>,
    /// Judges wanted for this entry, overriding `judges_per_entry` (e.g. one more
    /// for a disputed entry in an incremental run).
    pub judges_wanted: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CostModel {
    /// Extra cost of an entry given to a judge without expertise in its genre
    /// (0 ignores expertise).
    pub non_expert_cost: u32,
    /// The t-th entry on a judge costs `load_step * (t - 1)`: rising marginal
    /// cost, so loads are balanced (0 ignores balance).
    pub load_step: u32,
}

impl Default for CostModel {
    fn default() -> Self {
        Self {
            non_expert_cost: 10,
            load_step: 1,
        }
    }
}

/// One round's assignment problem. Entries and judges are numbered by their
/// position in these vectors; map them to database ids outside.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AssignmentRequest {
    pub entries: Vec<EntrySpec>,
    pub judges: Vec<JudgeSpec>,
    pub judges_per_entry: u32,
    /// Declared conflicts of interest: never assigned.
    pub conflicts: Vec<Pair>,
    /// Pairs the organizer pinned: always assigned.
    pub forced: Vec<Pair>,
    /// Pairs from an earlier run that are kept as they are.
    pub existing: Vec<Pair>,
    /// A judge never gets entries from their own unit.
    pub same_unit_is_conflict: bool,
    pub costs: CostModel,
}

/// Why an entry got fewer judges than wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ShortfallReason {
    /// Fewer judges without a conflict (and with capacity) exist than wanted.
    TooFewEligibleJudges { eligible: u32 },
    /// Enough judges could take it, but their capacity went to other entries.
    EligibleJudgesFull { eligible: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Shortfall {
    pub entry: u32,
    pub wanted: u32,
    pub assigned: u32,
    pub reason: ShortfallReason,
}

impl std::fmt::Display for Shortfall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Tác phẩm {} cần {} giám khảo nhưng chỉ phân được {}: ",
            self.entry, self.wanted, self.assigned
        )?;
        match self.reason {
            ShortfallReason::TooFewEligibleJudges { eligible } => write!(
                f,
                "chỉ có {eligible} giám khảo không xung đột lợi ích và có chỉ tiêu chấm"
            ),
            ShortfallReason::EligibleJudgesFull { eligible } => {
                write!(f, "{eligible} giám khảo phù hợp đều đã đủ chỉ tiêu chấm")
            }
        }
    }
}

/// Size of the flow model, for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ModelStats {
    pub classes: usize,
    pub nodes: usize,
    pub arcs: usize,
    pub phases: u32,
    /// Times the model was solved (more than one when clashes needed promotions).
    pub rounds: u32,
    /// Entries that needed a finer class (by unit, or their own).
    pub promoted: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Assignment {
    /// All judges of each entry (existing, forced and new), sorted.
    pub judges_of_entry: Vec<Vec<u32>>,
    /// Pairs added by this run, sorted.
    pub new_pairs: Vec<Pair>,
    /// Entries per judge after this run.
    pub load: Vec<u32>,
    /// Total cost of the whole assignment (fixed pairs included): expertise costs
    /// plus, per judge, the load costs of levels 1..=load.
    pub objective: i64,
    /// Entries that did not get all the judges wanted, with the reason.
    pub shortfalls: Vec<Shortfall>,
    pub stats: ModelStats,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssignError {
    #[error("giám khảo số {judge} không tồn tại")]
    JudgeOutOfRange { judge: u32 },
    #[error("tác phẩm số {entry} không tồn tại")]
    EntryOutOfRange { entry: u32 },
    #[error("cặp bắt buộc (tác phẩm {entry}, giám khảo {judge}) lại là xung đột lợi ích")]
    ForcedPairIsConflict { entry: u32, judge: u32 },
    #[error(
        "phân công cũ (tác phẩm {entry}, giám khảo {judge}) vi phạm xung đột lợi ích; hãy gỡ nó trước"
    )]
    ExistingPairIsConflict { entry: u32, judge: u32 },
    #[error("giám khảo {judge} đã có {fixed} tác phẩm cố định, vượt chỉ tiêu {capacity}")]
    FixedPairsOverCapacity {
        judge: u32,
        fixed: u32,
        capacity: u32,
    },
    #[error(
        "hệ số chi phí quá lớn so với số tác phẩm; hãy giảm chi phí chuyên môn hoặc bước cân bằng tải"
    )]
    CostsTooLarge,
    #[error("lỗi nội bộ của bộ giải luồng: {0}")]
    Flow(#[from] FlowError),
}

impl AssignmentRequest {
    /// Pair cost of giving `entry` to `judge` (expertise only; load is separate).
    pub fn pair_cost(&self, entry: u32, judge: u32) -> i64 {
        match (
            self.entries.get(entry as usize),
            self.judges.get(judge as usize),
        ) {
            (Some(e), Some(j)) if !j.expertise.contains(&e.genre) => {
                i64::from(self.costs.non_expert_cost)
            }
            _ => 0,
        }
    }

    /// Load cost of a judge carrying `load` entries: sum of the marginal costs.
    pub fn load_cost(&self, load: u32) -> i64 {
        let l = i128::from(load);
        let c = i128::from(self.costs.load_step) * l * (l - 1).max(0) / 2;
        i64::try_from(c).unwrap_or(i64::MAX)
    }

    fn is_conflict(&self, entry: u32, judge: u32, personal: &HashMap<u32, Vec<u32>>) -> bool {
        if self.same_unit_is_conflict
            && let (Some(e), Some(j)) = (
                self.entries.get(entry as usize),
                self.judges.get(judge as usize),
            )
            && e.unit.is_some()
            && e.unit == j.unit
        {
            return true;
        }
        personal
            .get(&entry)
            .is_some_and(|list| list.binary_search(&judge).is_ok())
    }
}

/// Objective of a complete assignment, computed from scratch (for checks and tests).
pub fn objective_of(request: &AssignmentRequest, judges_of_entry: &[Vec<u32>]) -> i64 {
    let mut load = vec![0u32; request.judges.len()];
    let mut total = 0i64;
    for (e, judges) in judges_of_entry.iter().enumerate() {
        for &j in judges {
            total = total.saturating_add(request.pair_cost(e as u32, j));
            if let Some(l) = load.get_mut(j as usize) {
                *l += 1;
            }
        }
    }
    load.iter()
        .fold(total, |acc, &l| acc.saturating_add(request.load_cost(l)))
}

/// Solves the assignment exactly: the most (entry, judge) pairs possible, and among
/// those the lowest objective. Never violates a conflict or a capacity.
pub fn assign(request: &AssignmentRequest) -> Result<Assignment, AssignError> {
    let n_entries = request.entries.len();
    let n_judges = request.judges.len();
    let check = |p: &Pair| -> Result<(), AssignError> {
        if p.entry as usize >= n_entries {
            return Err(AssignError::EntryOutOfRange { entry: p.entry });
        }
        if p.judge as usize >= n_judges {
            return Err(AssignError::JudgeOutOfRange { judge: p.judge });
        }
        Ok(())
    };
    let mut personal: HashMap<u32, Vec<u32>> = HashMap::new();
    for p in &request.conflicts {
        check(p)?;
        personal.entry(p.entry).or_default().push(p.judge);
    }
    for list in personal.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    // Fixed pairs: existing first, then forced; duplicates collapse.
    let mut fixed: Vec<Vec<u32>> = vec![Vec::new(); n_entries];
    for p in &request.existing {
        check(p)?;
        if request.is_conflict(p.entry, p.judge, &personal) {
            return Err(AssignError::ExistingPairIsConflict {
                entry: p.entry,
                judge: p.judge,
            });
        }
        fixed[p.entry as usize].push(p.judge);
    }
    for p in &request.forced {
        check(p)?;
        if request.is_conflict(p.entry, p.judge, &personal) {
            return Err(AssignError::ForcedPairIsConflict {
                entry: p.entry,
                judge: p.judge,
            });
        }
        fixed[p.entry as usize].push(p.judge);
    }
    let mut fixed_load = vec![0u32; n_judges];
    for list in fixed.iter_mut() {
        list.sort_unstable();
        list.dedup();
        for &j in list.iter() {
            fixed_load[j as usize] += 1;
        }
    }
    for (j, spec) in request.judges.iter().enumerate() {
        if fixed_load[j] > spec.capacity {
            return Err(AssignError::FixedPairsOverCapacity {
                judge: j as u32,
                fixed: fixed_load[j],
                capacity: spec.capacity,
            });
        }
    }

    let wanted: Vec<u32> = request
        .entries
        .iter()
        .map(|e| e.judges_wanted.unwrap_or(request.judges_per_entry))
        .collect();
    // Every cost the solver adds up must fit in i64: bound the whole objective.
    let pairs_bound = wanted
        .iter()
        .map(|&w| u128::from(w.min(n_judges as u32)))
        .sum::<u128>()
        + fixed.iter().map(|f| f.len() as u128).sum::<u128>();
    let path_bound = u128::from(request.costs.non_expert_cost)
        + u128::from(request.costs.load_step) * (n_entries as u128 + 1);
    // Potentials in the solver are bounded by nodes × largest arc cost.
    let nodes_bound = (n_entries + n_judges + 2) as u128;
    if path_bound * (pairs_bound + nodes_bound) * 16 > i64::MAX as u128 {
        return Err(AssignError::CostsTooLarge);
    }
    // Judges each entry must not get: personal conflicts and judges it already has.
    let excluded: Vec<Vec<u32>> = (0..n_entries)
        .map(|e| {
            let mut x = personal.get(&(e as u32)).cloned().unwrap_or_default();
            x.extend_from_slice(&fixed[e]);
            x.sort_unstable();
            x.dedup();
            x
        })
        .collect();

    // Solve the relaxation where an ordinary class ignores its members' personal
    // exclusions, deal the flow out, and repair clashes by swaps inside the class
    // (costs are unchanged by a swap). An entry that cannot be repaired is
    // promoted to its own class with exact arcs, and the model is solved again.
    // 0: class by genre (unit and personal exclusions repaired by swaps);
    // 1: class by genre and unit (unit exclusion exact); 2: own class (exact).
    let mut level_of = vec![0u8; n_entries];
    // Load levels offered per judge. A judge's load rarely goes far above the
    // mean, so start with a generous bound and raise it only for judges whose
    // top offered level was used: the higher levels cost more, so when the top
    // level is unused they could not improve the solution (reduced costs >= 0).
    let entries_with_demand = (0..n_entries)
        .filter(|&e| wanted[e] as usize > fixed[e].len())
        .count() as u64;
    let total_wanted: u64 = (0..n_entries)
        .map(|e| u64::from(wanted[e].saturating_sub(fixed[e].len() as u32)))
        .sum();
    let start = 2 * total_wanted.div_ceil(n_judges.max(1) as u64) + 16;
    let mut levels: Vec<u64> = request
        .judges
        .iter()
        .enumerate()
        .map(|(j, spec)| {
            let free = u64::from(spec.capacity - fixed_load[j]).min(entries_with_demand);
            if request.costs.load_step == 0 {
                free
            } else {
                free.min(start)
            }
        })
        .collect();
    let mut rounds = 0u32;
    loop {
        rounds += 1;
        let solved = solve_classes(
            request,
            &wanted,
            &fixed,
            &fixed_load,
            &excluded,
            &level_of,
            &levels,
        )?;
        let mut raised = false;
        for &j in &solved.top_level_used {
            let spec = &request.judges[j as usize];
            let free = u64::from(spec.capacity - fixed_load[j as usize]).min(entries_with_demand);
            let l = &mut levels[j as usize];
            if *l < free {
                *l = (*l * 2).min(free);
                raised = true;
            }
        }
        if raised {
            continue;
        }
        let mut failed = Vec::new();
        let mut judges_of_entry = fixed.clone();
        for class in &solved.classes {
            let lists = realize(request, class, &excluded, &mut failed);
            for (&e, list) in class.members.iter().zip(lists) {
                judges_of_entry[e as usize].extend(list);
            }
        }
        if !failed.is_empty() {
            promote(request, &failed, &mut level_of);
            continue;
        }
        let mut new_pairs: Vec<Pair> = Vec::new();
        for (e, list) in judges_of_entry.iter_mut().enumerate() {
            for &j in &list[fixed[e].len()..] {
                new_pairs.push(Pair {
                    entry: e as u32,
                    judge: j,
                });
            }
            list.sort_unstable();
        }
        new_pairs.sort_unstable();
        let mut load = fixed_load.clone();
        for p in &new_pairs {
            load[p.judge as usize] += 1;
        }
        let stats = ModelStats {
            classes: solved.classes.len(),
            nodes: solved.nodes,
            arcs: solved.arcs,
            phases: solved.phases,
            rounds,
            promoted: level_of.iter().filter(|l| **l > 0).count(),
        };
        return Ok(finish(
            request,
            &personal,
            &wanted,
            judges_of_entry,
            new_pairs,
            load,
            stats,
        ));
    }
}

/// One class of the flow model after solving: its members, the judges each of
/// them still needs, and how many of them each judge takes.
struct SolvedClass {
    members: Vec<u32>,
    demand: u32,
    /// Grouped by genre only (unit conflicts relaxed).
    by_genre_only: bool,
    /// (judge, number of members of this class it takes)
    flows: Vec<(u32, u32)>,
}

struct Solved {
    classes: Vec<SolvedClass>,
    /// Judges whose highest offered load level carries flow.
    top_level_used: Vec<u32>,
    nodes: usize,
    arcs: usize,
    phases: u32,
}

#[derive(Hash, PartialEq, Eq)]
struct ClassKey {
    genre: u32,
    /// Set for classes whose arcs leave out the judges of this unit.
    unit: Option<u32>,
    demand: u32,
    /// Set for an entry's own class, whose arcs leave out all it must not get.
    own: Option<u32>,
}

/// Moves entries whose clash could not be repaired to a finer class: the
/// whole (genre, unit) group first when units conflict, then the entry alone.
fn promote(request: &AssignmentRequest, failed: &[u32], level_of: &mut [u8]) {
    let mut groups: HashSet<(u32, u32)> = HashSet::new();
    for &e in failed {
        let spec = &request.entries[e as usize];
        match (level_of[e as usize], spec.unit) {
            (0, Some(u)) if request.same_unit_is_conflict => {
                groups.insert((spec.genre, u));
            }
            _ => level_of[e as usize] = 2,
        }
    }
    if groups.is_empty() {
        return;
    }
    for (e, spec) in request.entries.iter().enumerate() {
        if level_of[e] == 0
            && let Some(u) = spec.unit
            && groups.contains(&(spec.genre, u))
        {
            level_of[e] = 1;
        }
    }
}

fn solve_classes(
    request: &AssignmentRequest,
    wanted: &[u32],
    fixed: &[Vec<u32>],
    fixed_load: &[u32],
    excluded: &[Vec<u32>],
    level_of: &[u8],
    levels: &[u64],
) -> Result<Solved, AssignError> {
    let n_judges = request.judges.len();
    let mut class_of_key: HashMap<ClassKey, usize> = HashMap::new();
    let mut keys: Vec<(u32, Option<u32>, u32, Option<u32>)> = Vec::new();
    let mut members: Vec<Vec<u32>> = Vec::new();
    for (e, spec) in request.entries.iter().enumerate() {
        let demand = wanted[e].saturating_sub(fixed[e].len() as u32);
        if demand == 0 {
            continue;
        }
        let unit = if request.same_unit_is_conflict && level_of[e] >= 1 {
            spec.unit
        } else {
            None
        };
        let own = (level_of[e] == 2).then_some(e as u32);
        let key = ClassKey {
            genre: spec.genre,
            unit,
            demand,
            own,
        };
        let c = *class_of_key.entry(key).or_insert_with(|| {
            keys.push((spec.genre, unit, demand, own));
            members.push(Vec::new());
            keys.len() - 1
        });
        members[c].push(e as u32);
    }
    drop(class_of_key);

    let source = 0usize;
    let sink = 1usize;
    let n_classes = keys.len();
    let judge_node = |j: usize| 2 + n_classes + j;
    let mut net = FlowNetwork::new(2 + n_classes + n_judges);
    // Judge arcs to the sink: one arc per load level (the rising marginal cost).
    let mut top_arc: Vec<(u32, usize)> = Vec::new();
    for (j, &free) in levels.iter().enumerate() {
        if free == 0 {
            continue;
        }
        if request.costs.load_step == 0 {
            net.add_arc(judge_node(j), sink, free as i64, 0);
        } else {
            for level in 0..free {
                let t = i64::from(fixed_load[j]) + level as i64 + 1;
                net.add_arc(
                    judge_node(j),
                    sink,
                    1,
                    i64::from(request.costs.load_step) * (t - 1),
                );
            }
            top_arc.push((j as u32, net.arc_count() - 1));
        }
    }
    let mut class_arcs: Vec<Vec<(u32, usize)>> = Vec::with_capacity(n_classes);
    for (c, &(_, unit, demand, own)) in keys.iter().enumerate() {
        let n = members[c].len() as i64;
        // No entry can use more judges than exist.
        let demand = i64::from(demand).min(n_judges as i64);
        net.add_arc(source, 2 + c, n * demand, 0);
        let rep = members[c][0];
        let exact: &[u32] = match own {
            Some(e) => &excluded[e as usize],
            None => &[],
        };
        let mut arcs = Vec::new();
        for (j, spec) in request.judges.iter().enumerate() {
            if spec.capacity <= fixed_load[j] || exact.binary_search(&(j as u32)).is_ok() {
                continue;
            }
            if unit.is_some() && unit == spec.unit {
                continue;
            }
            let a = net.add_arc(2 + c, judge_node(j), n, request.pair_cost(rep, j as u32));
            arcs.push((j as u32, a));
        }
        class_arcs.push(arcs);
    }
    let solution = net.min_cost_max_flow(source, sink)?;
    let classes = members
        .into_iter()
        .zip(keys)
        .zip(class_arcs)
        .map(|((members, key), arcs)| SolvedClass {
            members,
            demand: key.2,
            by_genre_only: key.1.is_none() && key.3.is_none(),
            flows: arcs
                .into_iter()
                .filter_map(|(j, a)| {
                    let f = solution.arc_flow[a];
                    (f > 0).then_some((j, f as u32))
                })
                .collect(),
        })
        .collect();
    let top_level_used = top_arc
        .into_iter()
        .filter(|&(_, a)| solution.arc_flow[a] > 0)
        .map(|(j, _)| j)
        .collect();
    Ok(Solved {
        classes,
        top_level_used,
        nodes: net.node_count(),
        arcs: net.arc_count(),
        phases: solution.phases,
    })
}

/// Deals a class's flow out to its members (wrap-around: a judge's `x <= n` slots
/// land on distinct members), then moves or swaps judges between members to clear
/// personal exclusions. Members that stay in clash are pushed to `failed`.
fn realize(
    request: &AssignmentRequest,
    class: &SolvedClass,
    excluded: &[Vec<u32>],
    failed: &mut Vec<u32>,
) -> Vec<Vec<u32>> {
    let n = class.members.len();
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut slot = 0usize;
    for &(j, x) in &class.flows {
        for _ in 0..x {
            lists[slot % n].push(j);
            slot += 1;
        }
    }
    let units_conflict = request.same_unit_is_conflict;
    let banned = |i: usize, j: u32| {
        let e = class.members[i] as usize;
        if units_conflict {
            let eu = request.entries[e].unit;
            if eu.is_some() && eu == request.judges[j as usize].unit {
                return true;
            }
        }
        excluded[e].binary_search(&j).is_ok()
    };
    let demand = class.demand as usize;
    // A failure in a genre-only class promotes the entry's whole unit group, so
    // after one failure the other clashing members of that unit need no search
    // (which would cost O(n) each when a unit cannot be served at all).
    let group_promotion = units_conflict && class.by_genre_only;
    let mut failed_units: HashSet<u32> = HashSet::new();
    for i in 0..n {
        let unit = request.entries[class.members[i] as usize].unit;
        let mut pos = 0;
        while pos < lists[i].len() {
            let j = lists[i][pos];
            if !banned(i, j) {
                pos += 1;
                continue;
            }
            if group_promotion && unit.is_some_and(|u| failed_units.contains(&u)) {
                failed.push(class.members[i]);
                break;
            }
            let mut fixed = false;
            for step in 1..n {
                let p = (i + step) % n;
                if banned(p, j) || lists[p].contains(&j) {
                    continue;
                }
                if lists[p].len() < demand {
                    // Move: p had room, i gives the judge away.
                    lists[i].swap_remove(pos);
                    lists[p].push(j);
                    fixed = true;
                    break;
                }
                if let Some(q) = lists[p]
                    .iter()
                    .position(|&k| !banned(i, k) && !lists[i].contains(&k))
                {
                    let k = lists[p][q];
                    lists[p][q] = j;
                    lists[i][pos] = k;
                    fixed = true;
                    break;
                }
            }
            if !fixed {
                failed.push(class.members[i]);
                if group_promotion && let Some(u) = unit {
                    failed_units.insert(u);
                }
                break;
            }
        }
    }
    lists
}

fn finish(
    request: &AssignmentRequest,
    personal: &HashMap<u32, Vec<u32>>,
    wanted: &[u32],
    judges_of_entry: Vec<Vec<u32>>,
    new_pairs: Vec<Pair>,
    load: Vec<u32>,
    stats: ModelStats,
) -> Assignment {
    let n_entries = request.entries.len();
    let n_judges = request.judges.len();
    // Judges able to take anything, overall and per unit, so that counting an
    // entry's eligible judges costs only its personal conflicts.
    let able = |j: usize| request.judges[j].capacity > 0;
    let able_total = (0..n_judges).filter(|&j| able(j)).count() as u32;
    let mut able_in_unit: HashMap<u32, u32> = HashMap::new();
    for (j, spec) in request.judges.iter().enumerate() {
        if let Some(u) = spec.unit
            && able(j)
        {
            *able_in_unit.entry(u).or_default() += 1;
        }
    }
    let mut shortfalls = Vec::new();
    for e in 0..n_entries {
        let got = judges_of_entry[e].len() as u32;
        if got >= wanted[e] {
            continue;
        }
        let unit = request.entries[e].unit;
        let same_unit = match unit {
            Some(u) if request.same_unit_is_conflict => able_in_unit.get(&u).copied().unwrap_or(0),
            _ => 0,
        };
        let personal_only = personal.get(&(e as u32)).map_or(0, |list| {
            list.iter()
                .filter(|&&j| {
                    let spec = &request.judges[j as usize];
                    able(j as usize)
                        && !(request.same_unit_is_conflict && unit.is_some() && spec.unit == unit)
                })
                .count() as u32
        });
        let eligible = able_total - same_unit - personal_only;
        let reason = if eligible < wanted[e] {
            ShortfallReason::TooFewEligibleJudges { eligible }
        } else {
            ShortfallReason::EligibleJudgesFull { eligible }
        };
        shortfalls.push(Shortfall {
            entry: e as u32,
            wanted: wanted[e],
            assigned: got,
            reason,
        });
    }
    let objective = objective_of(request, &judges_of_entry);
    Assignment {
        judges_of_entry,
        new_pairs,
        load,
        objective,
        shortfalls,
        stats,
    }
}

/// Entries whose first scores differ by more than `margin` (max - min), for an
/// incremental run that adds one more judge to each of them.
pub fn disputed_entries(scores_by_entry: &[Vec<f64>], margin: f64) -> Vec<u32> {
    scores_by_entry
        .iter()
        .enumerate()
        .filter_map(|(e, scores)| {
            let finite = scores.iter().copied().filter(|s| s.is_finite());
            let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| {
                (lo.min(s), hi.max(s))
            });
            (hi - lo > margin).then_some(e as u32)
        })
        .collect()
}

/// Prepares an incremental run: keeps `current` as existing pairs and asks for one
/// judge more than each listed entry has now. Unknown entries are ignored.
pub fn request_extra_judges(request: &mut AssignmentRequest, current: &[Pair], entries: &[u32]) {
    request.existing = current.to_vec();
    let mut count: HashMap<u32, u32> = HashMap::new();
    for p in current {
        *count.entry(p.entry).or_default() += 1;
    }
    for &e in entries {
        if let Some(spec) = request.entries.get_mut(e as usize) {
            spec.judges_wanted = Some(count.get(&e).copied().unwrap_or(0) + 1);
        }
    }
}
