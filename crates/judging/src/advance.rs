//! Advancement to the next round, as a pure function the organizers can preview.
//! A fully tied group that straddles the cut is never cut silently: it is
//! reported with the number of seats left, for the organizers to decide.

use std::collections::{BTreeMap, HashMap};

use crate::rank::{RankedEntry, Ranking, score_key};

#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AdvanceRule {
    /// The best `n` of each unit.
    TopPerUnit(u32),
    /// The best `n` overall.
    TopOverall(u32),
    /// Every entry with score at least this.
    ScoreAtLeast(f64),
}

/// A tied group at the cut: `seats` of its `entries` can advance.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BoundaryTie {
    /// The unit, for `TopPerUnit`.
    pub unit: Option<u32>,
    pub seats: u32,
    pub entries: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Advancement {
    /// Entries that advance, in ranking order.
    pub advancing: Vec<u32>,
    /// Tied groups at a cut, to be decided by the organizers.
    pub boundary_ties: Vec<BoundaryTie>,
}

/// Splits a ranked list (best first) into fully tied groups.
pub(crate) fn groups<'a>(list: &[&'a RankedEntry]) -> Vec<Vec<&'a RankedEntry>> {
    let mut out: Vec<Vec<&RankedEntry>> = Vec::new();
    for &e in list {
        match out.last_mut() {
            Some(g) if g[0].group == e.group => g.push(e),
            _ => out.push(vec![e]),
        }
    }
    out
}

/// Takes the best `n` of `list`; a group that does not fit whole is a boundary tie.
fn take_top(list: &[&RankedEntry], n: u32, unit: Option<u32>, out: &mut Advancement) {
    let mut left = n as usize;
    for g in groups(list) {
        if left == 0 {
            break;
        }
        if g.len() <= left {
            out.advancing.extend(g.iter().map(|e| e.entry));
            left -= g.len();
        } else {
            out.boundary_ties.push(BoundaryTie {
                unit,
                seats: left as u32,
                entries: g.iter().map(|e| e.entry).collect(),
            });
            break;
        }
    }
}

/// Who advances under `rule`. `unit_of` maps entries to units (used by
/// `TopPerUnit`; entries without a unit form no group and do not advance by it).
pub fn advance(ranking: &Ranking, unit_of: &HashMap<u32, u32>, rule: AdvanceRule) -> Advancement {
    let mut out = Advancement::default();
    let all: Vec<&RankedEntry> = ranking.entries.iter().collect();
    match rule {
        AdvanceRule::TopOverall(n) => take_top(&all, n, None, &mut out),
        AdvanceRule::ScoreAtLeast(threshold) => {
            let t = score_key(threshold);
            out.advancing = all
                .iter()
                .filter(|e| score_key(e.score) >= t)
                .map(|e| e.entry)
                .collect();
        }
        AdvanceRule::TopPerUnit(n) => {
            let mut by_unit: BTreeMap<u32, Vec<&RankedEntry>> = BTreeMap::new();
            for e in &all {
                if let Some(&u) = unit_of.get(&e.entry) {
                    by_unit.entry(u).or_default().push(e);
                }
            }
            for (u, list) in by_unit {
                take_top(&list, n, Some(u), &mut out);
            }
            // Back to overall ranking order.
            let pos: HashMap<u32, usize> =
                all.iter().enumerate().map(|(i, e)| (e.entry, i)).collect();
            out.advancing
                .sort_by_key(|e| pos.get(e).copied().unwrap_or(usize::MAX));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rank::Decided;

    fn ranking(scores: &[(u32, f64, u32)]) -> Ranking {
        // (entry, score, group) best first.
        Ranking {
            rule: vec![],
            entries: scores
                .iter()
                .enumerate()
                .map(|(i, &(entry, score, group))| RankedEntry {
                    entry,
                    rank: i as u32 + 1,
                    score,
                    decided: Decided::Score,
                    group,
                })
                .collect(),
            unresolved: vec![],
            unscored: vec![],
        }
    }

    #[test]
    fn top_overall_reports_a_tie_at_the_cut() {
        let r = ranking(&[(1, 90.0, 0), (2, 80.0, 1), (3, 80.0, 1), (4, 70.0, 2)]);
        let a = advance(&r, &HashMap::new(), AdvanceRule::TopOverall(2));
        assert_eq!(a.advancing, vec![1]);
        assert_eq!(
            a.boundary_ties,
            vec![BoundaryTie {
                unit: None,
                seats: 1,
                entries: vec![2, 3]
            }]
        );
        let a = advance(&r, &HashMap::new(), AdvanceRule::TopOverall(3));
        assert_eq!(a.advancing, vec![1, 2, 3]);
        assert!(a.boundary_ties.is_empty());
    }

    #[test]
    fn top_per_unit_and_threshold() {
        let r = ranking(&[
            (1, 90.0, 0),
            (2, 85.0, 1),
            (3, 80.0, 2),
            (4, 70.0, 3),
            (5, 60.0, 4),
        ]);
        let units: HashMap<u32, u32> = [(1, 7), (2, 7), (3, 8), (4, 8), (5, 9)].into();
        let a = advance(&r, &units, AdvanceRule::TopPerUnit(1));
        assert_eq!(a.advancing, vec![1, 3, 5]);
        let a = advance(&r, &units, AdvanceRule::ScoreAtLeast(80.0));
        assert_eq!(a.advancing, vec![1, 2, 3]);
        let a = advance(&r, &units, AdvanceRule::TopOverall(0));
        assert!(a.advancing.is_empty() && a.boundary_ties.is_empty());
    }
}
