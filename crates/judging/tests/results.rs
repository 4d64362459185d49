//! Property tests of aggregation, ranking, advancement and awards.

use std::collections::HashMap;

use hoithi_judging::rank::score_key;
use hoithi_judging::{
    AdvanceRule, AggregationOptions, Criterion, Decided, Rubric, ScoreSheet, TieBreak, advance,
    aggregate, collective_awards, local_tiers, rank, suggest_awards,
};
use proptest::prelude::*;

fn rubric() -> Rubric {
    Rubric {
        criteria: vec![
            Criterion {
                name: "Tính chiến đấu".into(),
                max_points: 10.0,
                weight: 3.0,
            },
            Criterion {
                name: "Tính thời sự".into(),
                max_points: 5.0,
                weight: 2.0,
            },
        ],
    }
}

/// Sheets for up to 12 entries by up to 5 judges; half points, some recusals.
fn sheets() -> impl Strategy<Value = Vec<ScoreSheet>> {
    prop::collection::btree_map(
        (0u32..12, 0u32..5),
        prop::option::weighted(0.85, (0u32..=20, 0u32..=10)),
        0..40,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|((entry, judge), p)| ScoreSheet {
                entry,
                judge,
                points: p.map(|(a, b)| vec![f64::from(a) / 2.0, f64::from(b) / 2.0]),
            })
            .collect()
    })
}

fn rule() -> impl Strategy<Value = Vec<TieBreak>> {
    prop::collection::vec(
        prop_oneof![
            (0usize..2).prop_map(TieBreak::HigherCriterion),
            Just(TieBreak::HigherMedian),
            Just(TieBreak::EarlierSubmission),
        ],
        0..=3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn aggregation_bounds_and_recusal_invariance(
        sheets in sheets(),
        normalize in any::<bool>(),
        threshold in 0.0f64..40.0,
    ) {
        let opts = AggregationOptions { normalize, disagreement_threshold: Some(threshold) };
        let results = aggregate(&rubric(), &sheets, &opts).unwrap();
        let max_total = rubric().max_total();
        for r in &results {
            let values: Vec<f64> = r.totals.iter().map(|t| t.1).collect();
            prop_assert_eq!(values.len() as u32, r.judges_counted);
            match r.score {
                None => prop_assert!(values.is_empty()),
                Some(s) => {
                    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    prop_assert!(lo - 1e-9 <= s && s <= hi + 1e-9);
                    prop_assert!((0.0..=max_total + 1e-9).contains(&s));
                    prop_assert_eq!(r.disagreement, hi - lo > threshold);
                }
            }
        }
        // A recusal by a new judge changes nothing for anybody.
        if !normalize {
            let mut more = sheets.clone();
            for r in &results {
                more.push(ScoreSheet { entry: r.entry, judge: 99, points: None });
            }
            let again = aggregate(&rubric(), &more, &opts).unwrap();
            for (a, b) in results.iter().zip(&again) {
                prop_assert_eq!(a.score, b.score);
                prop_assert_eq!(a.median, b.median);
                prop_assert_eq!(a.judges_not_counted + 1, b.judges_not_counted);
            }
        }
    }

    #[test]
    fn ranking_is_consistent(
        sheets in sheets(),
        rule in rule(),
        times in prop::collection::hash_map(0u32..12, 0i64..5, 0..12),
    ) {
        let results = aggregate(&rubric(), &sheets, &AggregationOptions::default()).unwrap();
        let r = rank(&results, &times, &rule);
        let scored = results.iter().filter(|x| x.score.is_some()).count();
        prop_assert_eq!(r.entries.len(), scored);
        prop_assert_eq!(r.unscored.len(), results.len() - scored);
        let key = |e: u32| {
            let x = results.iter().find(|x| x.entry == e).unwrap();
            let steps: Vec<i64> = rule.iter().map(|st| match st {
                TieBreak::HigherCriterion(i) => x.criterion_means[*i].map_or(i64::MIN, score_key),
                TieBreak::HigherMedian => x.median.map_or(i64::MIN, score_key),
                TieBreak::EarlierSubmission => times.get(&e).map_or(i64::MIN, |t| -t),
            }).collect();
            (score_key(x.score.unwrap()), steps)
        };
        for (i, w) in r.entries.windows(2).enumerate() {
            let (a, b) = (key(w[0].entry), key(w[1].entry));
            prop_assert!(a >= b, "not sorted at {}", i);
            if a == b {
                prop_assert_eq!(w[0].group, w[1].group);
                prop_assert_eq!(w[0].rank, w[1].rank);
                prop_assert_eq!(w[1].decided, Decided::Unresolved);
            } else {
                prop_assert_ne!(w[0].group, w[1].group);
                prop_assert_eq!(w[1].rank, i as u32 + 2);
            }
            if a.0 != b.0 {
                prop_assert!(w[0].score > w[1].score);
            }
        }
        for g in &r.unresolved {
            prop_assert!(g.len() >= 2);
            let k = key(g[0]);
            prop_assert!(g.iter().all(|&e| key(e) == k));
        }
    }

    #[test]
    fn advancement_and_awards_respect_counts(
        sheets in sheets(),
        n in 0u32..8,
        counts in (0u32..3, 0u32..3, 0u32..3, 0u32..4),
    ) {
        let results = aggregate(&rubric(), &sheets, &AggregationOptions::default()).unwrap();
        let r = rank(&results, &HashMap::new(), &[]);
        let a = advance(&r, &HashMap::new(), AdvanceRule::TopOverall(n));
        let seats: u32 = a.boundary_ties.iter().map(|t| t.seats).sum();
        prop_assert_eq!(a.advancing.len() as u32 + seats, n.min(r.entries.len() as u32));
        let prefix: Vec<u32> = r.entries.iter().take(a.advancing.len()).map(|e| e.entry).collect();
        prop_assert_eq!(&prefix, &a.advancing);
        for t in &a.boundary_ties {
            prop_assert!(t.entries.len() as u32 > t.seats);
            prop_assert!(t.entries.iter().all(|e| !a.advancing.contains(e)));
        }

        let tiers = local_tiers(counts.0, counts.1, counts.2, counts.3);
        let s = suggest_awards(&r, &tiers, None);
        let mut last_tier = 0;
        let mut last_pos = 0;
        for aw in &s.awards {
            let pos = r.entries.iter().position(|e| e.entry == aw.entry).unwrap();
            prop_assert!(pos >= last_pos && aw.tier >= last_tier);
            last_pos = pos;
            last_tier = aw.tier;
        }
        for (t, tier) in tiers.iter().enumerate() {
            let given = s.awards.iter().filter(|a| a.tier == t).count() as u32;
            prop_assert!(given + s.unfilled[t] <= tier.count);
        }
        for t in &s.ties {
            prop_assert!(t.entries.iter().all(|e| s.awards.iter().all(|a| a.entry != *e)));
        }
        let total_seats: u32 = tiers.iter().map(|t| t.count).sum();
        let awarded = s.awards.len() as u32;
        let tied: u32 = s.ties.iter().map(|t| t.entries.len() as u32).sum();
        let unfilled: u32 = s.unfilled.iter().sum();
        // Seats go to awards, to tied groups, or stay empty; nothing else.
        let consumed = total_seats - awarded - unfilled;
        let tie_seats: u32 = s.ties.iter().map(|t| t.seats).sum();
        prop_assert!(tie_seats <= consumed && consumed <= tied);
        if unfilled > 0 {
            // Seats stay empty only when every ranked entry was placed.
            prop_assert_eq!((awarded + tied) as usize, r.entries.len());
        }

        let units: HashMap<u32, u32> = r.entries.iter().map(|e| (e.entry, e.entry % 3)).collect();
        let c = collective_awards(&units, &s.awards, 1, 1);
        for u in &c.qualifying {
            prop_assert!(s.awards.iter().any(|a| a.tier <= 1 && units[&a.entry] == u.unit));
        }
    }
}
