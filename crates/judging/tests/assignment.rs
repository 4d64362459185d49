//! Assignment tests: hand-made cases, and property tests against a brute-force
//! optimum (tiny instances) and against an explicit per-entry model solved by a
//! plain Bellman-Ford successive-shortest-path reference (medium instances).

use std::collections::HashSet;

use hoithi_judging::flow::FlowNetwork;
use hoithi_judging::{
    AssignError, Assignment, AssignmentRequest, CostModel, EntrySpec, JudgeSpec, Pair,
    ShortfallReason, assign, disputed_entries, objective_of, request_extra_judges,
};
use proptest::prelude::*;

fn judge(capacity: u32, expertise: &[u32], unit: Option<u32>) -> JudgeSpec {
    JudgeSpec {
        capacity,
        expertise: expertise.to_vec(),
        unit,
    }
}

fn entry(genre: u32, unit: Option<u32>) -> EntrySpec {
    EntrySpec {
        genre,
        unit,
        judges_wanted: None,
    }
}

fn request(entries: Vec<EntrySpec>, judges: Vec<JudgeSpec>, k: u32) -> AssignmentRequest {
    AssignmentRequest {
        entries,
        judges,
        judges_per_entry: k,
        conflicts: vec![],
        forced: vec![],
        existing: vec![],
        same_unit_is_conflict: true,
        costs: CostModel::default(),
    }
}

fn conflicted(req: &AssignmentRequest, e: u32, j: u32) -> bool {
    let (es, js) = (&req.entries[e as usize], &req.judges[j as usize]);
    (req.same_unit_is_conflict && es.unit.is_some() && es.unit == js.unit)
        || req.conflicts.contains(&Pair { entry: e, judge: j })
}

fn fixed_of(req: &AssignmentRequest, e: u32) -> Vec<u32> {
    let mut v: Vec<u32> = req
        .existing
        .iter()
        .chain(&req.forced)
        .filter(|p| p.entry == e)
        .map(|p| p.judge)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn wanted(req: &AssignmentRequest, e: usize) -> u32 {
    req.entries[e].judges_wanted.unwrap_or(req.judges_per_entry)
}

/// Checks every hard rule; returns the number of pairs.
fn check_valid(req: &AssignmentRequest, a: &Assignment) -> usize {
    let mut load = vec![0u32; req.judges.len()];
    let mut pairs = 0;
    for (e, js) in a.judges_of_entry.iter().enumerate() {
        let set: HashSet<u32> = js.iter().copied().collect();
        assert_eq!(set.len(), js.len(), "entry {e} has a judge twice");
        for f in fixed_of(req, e as u32) {
            assert!(set.contains(&f), "fixed pair ({e}, {f}) dropped");
        }
        let fixed = fixed_of(req, e as u32).len() as u32;
        assert!(js.len() as u32 <= wanted(req, e).max(fixed));
        for &j in js {
            assert!(
                !conflicted(req, e as u32, j),
                "conflict ({e}, {j}) violated"
            );
            load[j as usize] += 1;
        }
        pairs += js.len();
        let short = a.shortfalls.iter().any(|s| s.entry == e as u32);
        assert_eq!(
            short,
            (js.len() as u32) < wanted(req, e),
            "shortfall list wrong for {e}"
        );
    }
    for (j, l) in load.iter().enumerate() {
        assert!(*l <= req.judges[j].capacity, "judge {j} over capacity");
    }
    assert_eq!(load, a.load);
    assert_eq!(a.objective, objective_of(req, &a.judges_of_entry));
    pairs
}

/// Best (most pairs, then lowest objective) by trying every subset for every entry.
fn brute_force(req: &AssignmentRequest) -> (usize, i64) {
    let nj = req.judges.len();
    let options: Vec<Vec<Vec<u32>>> = (0..req.entries.len())
        .map(|e| {
            let fixed = fixed_of(req, e as u32);
            let limit = wanted(req, e).max(fixed.len() as u32) as usize;
            (0u32..1 << nj)
                .map(|mask| {
                    (0..nj as u32)
                        .filter(|j| mask >> j & 1 == 1)
                        .collect::<Vec<u32>>()
                })
                .filter(|js| {
                    js.len() <= limit
                        && fixed.iter().all(|f| js.contains(f))
                        && js.iter().all(|&j| !conflicted(req, e as u32, j))
                })
                .collect()
        })
        .collect();
    let mut best: Option<(usize, i64)> = None;
    let mut choice = vec![0usize; options.len()];
    loop {
        let sets: Vec<Vec<u32>> = choice
            .iter()
            .enumerate()
            .map(|(e, &c)| options[e][c].clone())
            .collect();
        let mut load = vec![0u32; nj];
        for js in &sets {
            for &j in js {
                load[j as usize] += 1;
            }
        }
        if load.iter().zip(&req.judges).all(|(l, j)| *l <= j.capacity) {
            let pairs = sets.iter().map(Vec::len).sum::<usize>();
            let obj = objective_of(req, &sets);
            best = Some(match best {
                Some((bp, bo)) if bp > pairs || (bp == pairs && bo <= obj) => (bp, bo),
                _ => (pairs, obj),
            });
        }
        // Next combination (odometer).
        let mut i = 0;
        loop {
            if i == choice.len() {
                return best.unwrap_or((0, 0));
            }
            choice[i] += 1;
            if choice[i] < options[i].len() {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
    }
}

/// Reference min-cost max-flow: successive shortest paths with Bellman-Ford.
fn reference_mcmf(n: usize, arcs: &[(usize, usize, i64, i64)], s: usize, t: usize) -> (i64, i64) {
    let mut to = Vec::new();
    let mut cap = Vec::new();
    let mut cost = Vec::new();
    let mut adj = vec![Vec::new(); n];
    for &(u, v, c, w) in arcs {
        adj[u].push(to.len());
        to.push(v);
        cap.push(c);
        cost.push(w);
        adj[v].push(to.len());
        to.push(u);
        cap.push(0);
        cost.push(-w);
    }
    let (mut flow, mut total) = (0, 0);
    loop {
        let mut dist = vec![i64::MAX; n];
        let mut via = vec![usize::MAX; n];
        dist[s] = 0;
        let mut changed = true;
        while changed {
            changed = false;
            for u in 0..n {
                if dist[u] == i64::MAX {
                    continue;
                }
                for &a in &adj[u] {
                    if cap[a] > 0 && dist[u] + cost[a] < dist[to[a]] {
                        dist[to[a]] = dist[u] + cost[a];
                        via[to[a]] = a;
                        changed = true;
                    }
                }
            }
        }
        if dist[t] == i64::MAX {
            return (flow, total);
        }
        let mut push = i64::MAX;
        let mut v = t;
        while v != s {
            let a = via[v];
            push = push.min(cap[a]);
            v = to[a ^ 1];
        }
        v = t;
        while v != s {
            let a = via[v];
            cap[a] -= push;
            cap[a ^ 1] += push;
            v = to[a ^ 1];
        }
        flow += push;
        total += push * dist[t];
    }
}

/// The explicit model: one node per entry, one unit arc per eligible pair.
fn explicit_optimum(req: &AssignmentRequest) -> (usize, i64) {
    let (ne, nj) = (req.entries.len(), req.judges.len());
    let (s, t) = (0, 1);
    let mut arcs = Vec::new();
    let mut fixed_load = vec![0u32; nj];
    let mut fixed_cost = 0;
    let mut fixed_pairs = 0;
    for e in 0..ne {
        let fixed = fixed_of(req, e as u32);
        for &j in &fixed {
            fixed_load[j as usize] += 1;
            fixed_cost += req.pair_cost(e as u32, j);
        }
        fixed_pairs += fixed.len();
        let demand = wanted(req, e).saturating_sub(fixed.len() as u32);
        arcs.push((s, 2 + e, i64::from(demand), 0));
        for j in 0..nj as u32 {
            if !conflicted(req, e as u32, j) && !fixed.contains(&j) {
                arcs.push((2 + e, 2 + ne + j as usize, 1, req.pair_cost(e as u32, j)));
            }
        }
    }
    for (j, spec) in req.judges.iter().enumerate() {
        for level in fixed_load[j]..spec.capacity {
            arcs.push((
                2 + ne + j,
                t,
                1,
                i64::from(req.costs.load_step) * i64::from(level),
            ));
        }
    }
    let (flow, cost) = reference_mcmf(2 + ne + nj, &arcs, s, t);
    let load_fixed: i64 = fixed_load.iter().map(|&l| req.load_cost(l)).sum();
    (fixed_pairs + flow as usize, cost + fixed_cost + load_fixed)
}

#[test]
fn balanced_and_conflict_free() {
    let entries = (0..6).map(|i| entry(0, Some(i % 2))).collect();
    let judges = vec![
        judge(10, &[0], Some(0)),
        judge(10, &[0], Some(1)),
        judge(10, &[0], Some(2)),
        judge(10, &[0], Some(3)),
    ];
    let req = request(entries, judges, 2);
    let a = assign(&req).unwrap();
    assert_eq!(check_valid(&req, &a), 12);
    assert!(a.shortfalls.is_empty());
    // 12 pairs over 4 judges: 3 each is the unique balanced optimum.
    assert_eq!(a.load, vec![3, 3, 3, 3]);
    assert_eq!(a.objective, 4 * 3);
}

#[test]
fn expertise_is_preferred_when_load_allows() {
    let req = request(
        vec![entry(1, None), entry(1, None)],
        vec![
            judge(5, &[0], None),
            judge(5, &[1], None),
            judge(5, &[1], None),
        ],
        1,
    );
    let a = assign(&req).unwrap();
    assert_eq!(a.judges_of_entry, vec![vec![1], vec![2]]);
    assert_eq!(a.objective, 0);
}

#[test]
fn forced_and_personal_conflicts_are_honoured() {
    let mut req = request(
        vec![entry(0, None), entry(0, None)],
        vec![
            judge(2, &[0], None),
            judge(2, &[0], None),
            judge(2, &[0], None),
        ],
        2,
    );
    req.conflicts = vec![Pair { entry: 0, judge: 1 }];
    req.forced = vec![Pair { entry: 1, judge: 2 }];
    let a = assign(&req).unwrap();
    check_valid(&req, &a);
    assert_eq!(a.judges_of_entry[0], vec![0, 2]);
    assert!(a.judges_of_entry[1].contains(&2));
}

#[test]
fn infeasibility_is_reported_with_reasons() {
    // Entry 0 conflicts with two of three judges; entries 1..3 compete for capacity 1.
    let mut req = request(
        vec![
            entry(0, Some(7)),
            entry(0, None),
            entry(0, None),
            entry(0, None),
        ],
        vec![
            judge(1, &[0], Some(7)),
            judge(1, &[0], Some(7)),
            judge(2, &[0], None),
        ],
        2,
    );
    req.conflicts = vec![];
    let a = assign(&req).unwrap();
    check_valid(&req, &a);
    let s0 = a.shortfalls.iter().find(|s| s.entry == 0).unwrap();
    assert_eq!(
        s0.reason,
        ShortfallReason::TooFewEligibleJudges { eligible: 1 }
    );
    assert!(s0.to_string().contains("chỉ có 1 giám khảo"));
    // Total capacity 4 for 8 wanted pairs: exactly 4 are placed.
    assert_eq!(a.judges_of_entry.iter().map(Vec::len).sum::<usize>(), 4);
    assert!(
        a.shortfalls
            .iter()
            .any(|s| matches!(s.reason, ShortfallReason::EligibleJudgesFull { .. }))
    );
}

#[test]
fn bad_input_gives_typed_errors() {
    let mut req = request(vec![entry(0, Some(1))], vec![judge(1, &[], Some(1))], 1);
    req.forced = vec![Pair { entry: 0, judge: 0 }];
    assert_eq!(
        assign(&req),
        Err(AssignError::ForcedPairIsConflict { entry: 0, judge: 0 })
    );
    req.forced = vec![Pair { entry: 3, judge: 0 }];
    assert_eq!(assign(&req), Err(AssignError::EntryOutOfRange { entry: 3 }));
    req.forced = vec![];
    req.conflicts = vec![Pair { entry: 0, judge: 9 }];
    assert_eq!(assign(&req), Err(AssignError::JudgeOutOfRange { judge: 9 }));
    let mut req = request(
        vec![entry(0, None), entry(0, None)],
        vec![judge(1, &[], None)],
        1,
    );
    req.forced = vec![Pair { entry: 0, judge: 0 }, Pair { entry: 1, judge: 0 }];
    let err = assign(&req).unwrap_err();
    assert!(matches!(err, AssignError::FixedPairsOverCapacity { .. }));
    assert!(err.to_string().contains("vượt chỉ tiêu"));
}

#[test]
fn incremental_run_adds_one_judge_to_disputed_entries_only() {
    let entries = (0..4).map(|_| entry(0, None)).collect();
    let judges = (0..4).map(|_| judge(4, &[0], None)).collect();
    let mut req = request(entries, judges, 2);
    let first = assign(&req).unwrap();
    let current: Vec<Pair> = first
        .judges_of_entry
        .iter()
        .enumerate()
        .flat_map(|(e, js)| {
            js.iter().map(move |&j| Pair {
                entry: e as u32,
                judge: j,
            })
        })
        .collect();
    let scores = vec![
        vec![8.0, 8.5],
        vec![3.0, 9.0],
        vec![7.0, 7.0],
        vec![9.5, 6.0],
    ];
    let disputed = disputed_entries(&scores, 2.0);
    assert_eq!(disputed, vec![1, 3]);
    request_extra_judges(&mut req, &current, &disputed);
    let second = assign(&req).unwrap();
    check_valid(&req, &second);
    for e in 0..4 {
        let before = &first.judges_of_entry[e];
        let after = &second.judges_of_entry[e];
        assert!(
            before.iter().all(|j| after.contains(j)),
            "existing pair dropped"
        );
        let extra = if disputed.contains(&(e as u32)) { 1 } else { 0 };
        assert_eq!(after.len(), before.len() + extra);
    }
    assert_eq!(second.new_pairs.len(), 2);
}

#[test]
fn zero_load_step_uses_single_arcs() {
    let mut req = request(vec![entry(0, None); 3], vec![judge(3, &[1], None); 2], 2);
    req.costs.load_step = 0;
    let a = assign(&req).unwrap();
    assert_eq!(check_valid(&req, &a), 6);
    assert_eq!(a.objective, 6 * 10);
}

#[test]
fn flow_network_is_usable_alone() {
    let mut g = FlowNetwork::new(3);
    g.add_arc(0, 1, 3, 2);
    g.add_arc(1, 2, 2, 1);
    let sol = g.min_cost_max_flow(0, 2).unwrap();
    assert_eq!((sol.flow, sol.cost), (2, 6));
}

/// Drops fixed pairs that are conflicts (most of the time), so that most cases
/// reach the solver; the rest check that the error is justified.
fn mostly_valid(mut req: AssignmentRequest, keep_bad: bool) -> AssignmentRequest {
    if !keep_bad {
        let bad = |r: &AssignmentRequest, p: &Pair| conflicted(r, p.entry, p.judge);
        let snapshot = req.clone();
        req.forced.retain(|p| !bad(&snapshot, p));
        req.existing.retain(|p| !bad(&snapshot, p));
    }
    req
}

fn tiny_request(
    max_entries: usize,
    max_judges: usize,
    max_cap: u32,
) -> impl Strategy<Value = AssignmentRequest> {
    (
        1..=max_entries,
        1..=max_judges,
        0u32..=3,
        0u32..=12,
        0u32..=3,
        any::<bool>(),
    )
        .prop_flat_map(move |(ne, nj, k, non_expert, step, same_unit)| {
            let entries = prop::collection::vec(
                (
                    0u32..2,
                    prop::option::of(0u32..3),
                    prop::option::of(0u32..4),
                ),
                ne,
            );
            let judges = prop::collection::vec(
                (
                    0u32..=max_cap,
                    prop::collection::vec(0u32..2, 0..=2),
                    prop::option::of(0u32..3),
                ),
                nj,
            );
            let pairs = prop::collection::vec((0..ne as u32, 0..nj as u32), 0..=3);
            let forced = prop::collection::vec((0..ne as u32, 0..nj as u32), 0..=2);
            let existing = prop::collection::vec((0..ne as u32, 0..nj as u32), 0..=2);
            (entries, judges, pairs, forced, existing).prop_map(
                move |(entries, judges, conflicts, forced, existing)| {
                    let to_pairs = |v: Vec<(u32, u32)>| {
                        v.into_iter()
                            .map(|(entry, judge)| Pair { entry, judge })
                            .collect::<Vec<_>>()
                    };
                    AssignmentRequest {
                        entries: entries
                            .into_iter()
                            .map(|(genre, unit, want)| EntrySpec {
                                genre,
                                unit,
                                judges_wanted: want,
                            })
                            .collect(),
                        judges: judges
                            .into_iter()
                            .map(|(capacity, expertise, unit)| JudgeSpec {
                                capacity,
                                expertise,
                                unit,
                            })
                            .collect(),
                        judges_per_entry: k,
                        conflicts: to_pairs(conflicts),
                        forced: to_pairs(forced),
                        existing: to_pairs(existing),
                        same_unit_is_conflict: same_unit,
                        costs: CostModel {
                            non_expert_cost: non_expert,
                            load_step: step,
                        },
                    }
                },
            )
        })
}

/// The typed error must describe a real defect of the request.
fn error_is_justified(req: &AssignmentRequest, err: &AssignError) -> bool {
    match *err {
        AssignError::ForcedPairIsConflict { entry, judge } => {
            req.forced.contains(&Pair { entry, judge }) && conflicted(req, entry, judge)
        }
        AssignError::ExistingPairIsConflict { entry, judge } => {
            req.existing.contains(&Pair { entry, judge }) && conflicted(req, entry, judge)
        }
        AssignError::FixedPairsOverCapacity {
            judge,
            fixed,
            capacity,
        } => {
            let count = (0..req.entries.len() as u32)
                .filter(|&e| fixed_of(req, e).contains(&judge))
                .count() as u32;
            count == fixed && fixed > capacity && req.judges[judge as usize].capacity == capacity
        }
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn tiny_instances_match_brute_force(req in tiny_request(4, 4, 5), keep_bad in prop::bool::weighted(0.1)) {
        let req = mostly_valid(req, keep_bad);
        match assign(&req) {
            Ok(a) => {
                let pairs = check_valid(&req, &a);
                prop_assert_eq!((pairs, a.objective), brute_force(&req));
            }
            Err(e) => prop_assert!(error_is_justified(&req, &e), "unjustified error {:?}", e),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn medium_instances_match_explicit_model(req in tiny_request(40, 9, 5), keep_bad in prop::bool::weighted(0.1)) {
        let req = mostly_valid(req, keep_bad);
        match assign(&req) {
            Ok(a) => {
                let pairs = check_valid(&req, &a);
                // Equal pair counts mean every entry gets k judges whenever that is feasible.
                prop_assert_eq!((pairs, a.objective), explicit_optimum(&req));
            }
            Err(e) => prop_assert!(error_is_justified(&req, &e), "unjustified error {:?}", e),
        }
    }
}

#[test]
fn clash_that_swaps_cannot_fix_is_solved_exactly_after_promotion() {
    // Both entries conflict with the cheap judge 0; the relaxation sends both there.
    let mut req = request(
        vec![entry(0, None), entry(0, None)],
        vec![judge(2, &[0], None), judge(1, &[], None)],
        1,
    );
    req.conflicts = vec![Pair { entry: 0, judge: 0 }, Pair { entry: 1, judge: 0 }];
    let a = assign(&req).unwrap();
    check_valid(&req, &a);
    assert_eq!(a.stats.rounds, 2);
    assert_eq!(a.stats.promoted, 2);
    assert_eq!(a.load, vec![0, 1]);
    assert_eq!(a.shortfalls.len(), 1);
    assert_eq!((2, a.objective), (2, 10));
}

#[test]
fn clash_fixed_by_a_swap_inside_the_class() {
    let mut req = request(
        vec![entry(0, None), entry(0, None)],
        vec![judge(1, &[0], None), judge(1, &[0], None)],
        1,
    );
    req.conflicts = vec![Pair { entry: 0, judge: 0 }];
    let a = assign(&req).unwrap();
    check_valid(&req, &a);
    assert_eq!(a.judges_of_entry, vec![vec![1], vec![0]]);
    assert_eq!((a.stats.rounds, a.stats.promoted), (1, 0));
}

#[test]
fn load_levels_grow_until_they_no_longer_bind() {
    // One expert with a huge capacity; experts are so much cheaper that the
    // optimum puts everything on them, far above the first offered level bound.
    let mut judges = vec![judge(100_000, &[0], None)];
    judges.extend((0..9).map(|_| judge(100_000, &[], None)));
    let mut req = request(vec![entry(0, None); 300], judges, 1);
    req.costs.non_expert_cost = 1000;
    let a = assign(&req).unwrap();
    check_valid(&req, &a);
    assert_eq!(a.load[0], 300);
    assert_eq!(a.objective, 300 * 299 / 2);
    assert!(a.stats.rounds >= 3, "rounds {}", a.stats.rounds);
    assert!(a.stats.arcs < 2_000, "arcs {}", a.stats.arcs);
}

#[test]
fn absurd_wishes_do_not_blow_up() {
    let mut e = entry(0, None);
    e.judges_wanted = Some(u32::MAX);
    let req = request(vec![e], vec![judge(u32::MAX, &[0], None); 3], 2);
    let a = assign(&req).unwrap();
    assert_eq!(a.judges_of_entry[0], vec![0, 1, 2]);
    assert_eq!(a.shortfalls.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn roomy_medium_instances_match_explicit_model(req in tiny_request(30, 8, 20)) {
        let req = mostly_valid(req, false);
        if let Ok(a) = assign(&req) {
            let pairs = check_valid(&req, &a);
            prop_assert_eq!((pairs, a.objective), explicit_optimum(&req));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_indices_never_panic(
        pairs in prop::collection::vec((any::<u32>(), any::<u32>()), 0..4),
        pick in 0usize..3,
    ) {
        let mut req = request(vec![entry(0, Some(1)); 3], vec![judge(2, &[0], Some(2)); 3], 2);
        let pairs: Vec<Pair> = pairs
            .into_iter()
            .map(|(e, j)| Pair { entry: e % 5, judge: j % 5 })
            .collect();
        match pick {
            0 => req.conflicts = pairs,
            1 => req.forced = pairs,
            _ => req.existing = pairs,
        }
        if let Ok(a) = assign(&req) {
            check_valid(&req, &a);
        }
    }
}

#[test]
fn huge_cost_factors_are_refused_not_overflowed() {
    let mut req = request(vec![entry(0, None); 3], vec![judge(5, &[], None); 2], 2);
    req.costs = CostModel {
        non_expert_cost: u32::MAX,
        load_step: u32::MAX,
    };
    // Small instance: still fits.
    assert!(assign(&req).is_ok());
    let mut big = request(
        vec![entry(0, None); 100_000],
        vec![judge(5, &[], None); 2],
        2,
    );
    big.costs = req.costs;
    let err = assign(&big).unwrap_err();
    assert_eq!(err, AssignError::CostsTooLarge);
    assert!(err.to_string().contains("quá lớn"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn flow_solver_matches_bellman_ford_reference(
        n in 2usize..8,
        arcs in prop::collection::vec((0usize..8, 0usize..8, 0i64..6, 0i64..10), 0..20),
    ) {
        let arcs: Vec<(usize, usize, i64, i64)> =
            arcs.into_iter().map(|(u, v, c, w)| (u % n, v % n, c, w)).collect();
        let mut g = FlowNetwork::new(n);
        for &(u, v, c, w) in &arcs {
            g.add_arc(u, v, c, w);
        }
        let sol = g.min_cost_max_flow(0, n - 1).unwrap();
        prop_assert_eq!((sol.flow, sol.cost), reference_mcmf(n, &arcs, 0, n - 1));
        // Arc flows are within capacity and conserve flow at inner nodes.
        let mut balance = vec![0i64; n];
        for (a, &(u, v, c, _)) in arcs.iter().enumerate() {
            prop_assert!(0 <= sol.arc_flow[a] && sol.arc_flow[a] <= c);
            balance[u] -= sol.arc_flow[a];
            balance[v] += sol.arc_flow[a];
        }
        for (node, b) in balance.iter().enumerate().take(n - 1).skip(1) {
            prop_assert_eq!(*b, 0, "node {}", node);
        }
        prop_assert_eq!(balance[n - 1], sol.flow);
    }
}

/// Shapes that made the solver's phase count grow with the cost values (issue 15):
/// a few "magnet" judges of very large capacity next to small ones, non-expert costs
/// of 0, 1 or 10,000, load steps of 0 to 3, units skewed so that most entries come
/// from one unit, and total capacity close to the demand.
fn adversarial_request() -> impl Strategy<Value = AssignmentRequest> {
    (
        1usize..=30,
        1usize..=3,
        1usize..=6,
        1u32..=3,
        prop::sample::select(vec![0u32, 1, 7, 1_000, 10_000]),
        0u32..=3,
        any::<bool>(),
        0u32..=2,
    )
        .prop_flat_map(
            |(ne, magnets, small, k, non_expert, step, same_unit, slack)| {
                let entries = prop::collection::vec(
                    (
                        prop::sample::select(vec![0u32, 0, 0, 1, 2]),
                        prop::sample::select(vec![Some(0u32), Some(0), Some(0), Some(1), None]),
                    ),
                    ne,
                );
                let caps = prop::collection::vec(0u32..=2, small);
                let expertise =
                    prop::collection::vec(prop::collection::vec(0u32..3, 0..=2), magnets + small);
                let units = prop::collection::vec(prop::option::of(0u32..3), magnets + small);
                let conflicts =
                    prop::collection::vec((0..ne as u32, 0..(magnets + small) as u32), 0..=3);
                (entries, caps, expertise, units, conflicts).prop_map(
                    move |(entries, caps, expertise, units, conflicts)| {
                        // Magnets can take every entry; the small judges share what is
                        // left of the demand plus a little slack.
                        let demand = (ne as u32) * k;
                        let mut judges: Vec<JudgeSpec> = Vec::new();
                        for j in 0..magnets + small {
                            let capacity = if j < magnets {
                                1_000
                            } else {
                                caps[j - magnets] + slack
                            };
                            judges.push(JudgeSpec {
                                capacity: capacity.min(demand + slack),
                                expertise: if j < magnets {
                                    vec![0]
                                } else {
                                    expertise[j].clone()
                                },
                                unit: units[j],
                            });
                        }
                        AssignmentRequest {
                            entries: entries
                                .into_iter()
                                .map(|(genre, unit)| EntrySpec {
                                    genre,
                                    unit,
                                    judges_wanted: None,
                                })
                                .collect(),
                            judges,
                            judges_per_entry: k,
                            conflicts: conflicts
                                .into_iter()
                                .map(|(entry, judge)| Pair { entry, judge })
                                .collect(),
                            forced: Vec::new(),
                            existing: Vec::new(),
                            same_unit_is_conflict: same_unit,
                            costs: CostModel {
                                non_expert_cost: non_expert,
                                load_step: step,
                            },
                        }
                    },
                )
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn adversarial_shapes_match_explicit_model(req in adversarial_request()) {
        match assign(&req) {
            Ok(a) => {
                let pairs = check_valid(&req, &a);
                prop_assert_eq!((pairs, a.objective), explicit_optimum(&req));
                // The phase count is bounded by the number of bits of the costs, not
                // their value: far below the 10,000 distinct path costs of the worst shape.
                prop_assert!(a.stats.phases <= 64 * a.stats.rounds, "{:?}", a.stats);
            }
            Err(e) => prop_assert!(error_is_justified(&req, &e), "unjustified error {:?}", e),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn flow_solver_with_large_and_zero_costs_matches_reference(
        n in 2usize..9,
        arcs in prop::collection::vec(
            (0usize..9, 0usize..9, 0i64..40, prop::sample::select(vec![0i64, 0, 1, 2, 999, 10_000, 123_456])),
            0..24,
        ),
    ) {
        let arcs: Vec<(usize, usize, i64, i64)> =
            arcs.into_iter().map(|(u, v, c, w)| (u % n, v % n, c, w)).collect();
        let mut g = FlowNetwork::new(n);
        for &(u, v, c, w) in &arcs {
            g.add_arc(u, v, c, w);
        }
        let sol = g.min_cost_max_flow(0, n - 1).unwrap();
        prop_assert_eq!((sol.flow, sol.cost), reference_mcmf(n, &arcs, 0, n - 1));
        // 17 bits of cost: a few phases per bit, never one per distinct distance.
        prop_assert!(sol.phases <= 18 * (n as u32 + 2), "phases {}", sol.phases);
    }
}

#[test]
fn magnet_judges_with_a_high_non_expert_cost_take_few_phases() {
    // Three expert judges of huge capacity, a non-expert cost of 10,000: with one phase
    // per distinct path cost this took about 10,000 phases.
    let mut judges = vec![judge(100_000, &[0], Some(1)); 3];
    judges.extend((0..40).map(|j| judge(30, &[1 + j % 2], Some(2 + j % 5))));
    let entries: Vec<EntrySpec> = (0..3_000).map(|e| entry(e % 3, Some(e % 7))).collect();
    let mut req = request(entries, judges, 2);
    req.costs.non_expert_cost = 10_000;
    let a = assign(&req).unwrap_or_else(|e| panic!("{e}"));
    check_valid(&req, &a);
    assert!(a.stats.phases < 1_000, "{:?}", a.stats);
    assert_eq!(a.objective, objective_of(&req, &a.judges_of_entry));
}
