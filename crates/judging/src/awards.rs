//! Award suggestions from a ranking: prize tiers with counts per genre, and
//! collective awards for units. A tie at a tier boundary is reported, never cut.

use std::collections::{BTreeMap, HashMap};

use crate::advance::groups;
use crate::aggregate::EntryResult;
use crate::rank::{RankedEntry, Ranking, TieBreak, rank, score_key};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PrizeTier {
    pub name: String,
    pub count: u32,
}

fn tiers(list: &[(&str, u32)]) -> Vec<PrizeTier> {
    list.iter()
        .map(|(name, count)| PrizeTier {
            name: (*name).to_string(),
            count: *count,
        })
        .collect()
}

/// Tiers of the national contest (e.g. 2023, per genre): 1 Đặc biệt, 3 A, 5 B, 7 C,
/// 10 Khuyến khích.
pub fn national_tiers() -> Vec<PrizeTier> {
    tiers(&[
        ("Giải Đặc biệt", 1),
        ("Giải A", 3),
        ("Giải B", 5),
        ("Giải C", 7),
        ("Giải Khuyến khích", 10),
    ])
}

/// Tiers of local rounds: Nhất, Nhì, Ba, Khuyến khích, with the given counts.
pub fn local_tiers(first: u32, second: u32, third: u32, encouragement: u32) -> Vec<PrizeTier> {
    tiers(&[
        ("Giải Nhất", first),
        ("Giải Nhì", second),
        ("Giải Ba", third),
        ("Giải Khuyến khích", encouragement),
    ])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Award {
    pub entry: u32,
    /// Index into the tiers.
    pub tier: usize,
}

/// A fully tied group that does not fit in the seats left of `tier`: `seats` of
/// them could get `tier`, the others the tier below (or nothing if `tier` is last).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TierTie {
    pub tier: usize,
    pub seats: u32,
    pub entries: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AwardSuggestion {
    pub awards: Vec<Award>,
    /// Ties at a tier boundary, for the organizers to decide (not in `awards`).
    pub ties: Vec<TierTie>,
    /// Seats left empty in each tier (not enough entries above `min_score`).
    pub unfilled: Vec<u32>,
}

/// Suggests prizes down the ranking (of one genre). Entries below `min_score`
/// get nothing. A tied group that straddles a boundary is reported in `ties`;
/// it takes the remaining seats of its tier and, for the rest of the group, seats
/// of the following tiers, so later entries are not pushed up past it.
pub fn suggest_awards(
    ranking: &Ranking,
    tiers: &[PrizeTier],
    min_score: Option<f64>,
) -> AwardSuggestion {
    let floor = min_score.map(score_key);
    let eligible: Vec<&RankedEntry> = ranking
        .entries
        .iter()
        .filter(|e| floor.is_none_or(|f| score_key(e.score) >= f))
        .collect();
    let mut left: Vec<u32> = tiers.iter().map(|t| t.count).collect();
    let mut out = AwardSuggestion::default();
    let mut tier = 0usize;
    for g in groups(&eligible) {
        while tier < tiers.len() && left[tier] == 0 {
            tier += 1;
        }
        if tier >= tiers.len() {
            break;
        }
        let size = g.len() as u32;
        if size <= left[tier] {
            out.awards.extend(g.iter().map(|e| Award {
                entry: e.entry,
                tier,
            }));
            left[tier] -= size;
        } else {
            out.ties.push(TierTie {
                tier,
                seats: left[tier],
                entries: g.iter().map(|e| e.entry).collect(),
            });
            let mut overflow = size;
            for slot in left.iter_mut().skip(tier) {
                let used = overflow.min(*slot);
                *slot -= used;
                overflow -= used;
                if overflow == 0 {
                    break;
                }
            }
        }
    }
    out.unfilled = left;
    out
}

/// Awards for a whole round: ranks each genre's results on its own (same
/// tie-break rule) and suggests that genre's tiers. Genres without tiers in
/// `tiers_by_genre`, and entries without a genre in `genre_of`, get nothing.
pub fn suggest_awards_by_genre(
    results: &[EntryResult],
    genre_of: &HashMap<u32, u32>,
    submitted_at: &HashMap<u32, i64>,
    rule: &[TieBreak],
    tiers_by_genre: &BTreeMap<u32, Vec<PrizeTier>>,
    min_score: Option<f64>,
) -> BTreeMap<u32, (Ranking, AwardSuggestion)> {
    let mut by_genre: BTreeMap<u32, Vec<EntryResult>> = BTreeMap::new();
    for r in results {
        if let Some(&g) = genre_of.get(&r.entry)
            && tiers_by_genre.contains_key(&g)
        {
            by_genre.entry(g).or_default().push(r.clone());
        }
    }
    by_genre
        .into_iter()
        .filter_map(|(g, list)| {
            let tiers = tiers_by_genre.get(&g)?;
            let ranking = rank(&list, submitted_at, rule);
            let suggestion = suggest_awards(&ranking, tiers, min_score);
            Some((g, (ranking, suggestion)))
        })
        .collect()
}

/// A unit's record for collective awards.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnitRecord {
    pub unit: u32,
    pub entries: u32,
    /// Best tier won by one of its entries (lower index is better).
    pub best_tier: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CollectiveAwards {
    /// Units by number of entries, most first, the best `top_by_entries` plus
    /// every unit tied with the last of them.
    pub most_entries: Vec<UnitRecord>,
    /// True when units tied at the cut were added beyond `top_by_entries`.
    pub most_entries_tie_at_cut: bool,
    /// Units with at least one entry at `qualifying_tier` or better (e.g. B or above).
    pub qualifying: Vec<UnitRecord>,
}

/// Collective awards: the units that sent the most entries, and the units with
/// at least one entry awarded `qualifying_tier` or better. `unit_of` covers every
/// entry submitted (not only ranked ones).
pub fn collective_awards(
    unit_of: &HashMap<u32, u32>,
    awards: &[Award],
    top_by_entries: usize,
    qualifying_tier: usize,
) -> CollectiveAwards {
    let mut records: BTreeMap<u32, UnitRecord> = BTreeMap::new();
    for &u in unit_of.values() {
        records
            .entry(u)
            .or_insert(UnitRecord {
                unit: u,
                entries: 0,
                best_tier: None,
            })
            .entries += 1;
    }
    for a in awards {
        if let Some(r) = unit_of.get(&a.entry).and_then(|u| records.get_mut(u)) {
            r.best_tier = Some(r.best_tier.map_or(a.tier, |t| t.min(a.tier)));
        }
    }
    let mut by_count: Vec<UnitRecord> = records.values().cloned().collect();
    by_count.sort_by(|a, b| b.entries.cmp(&a.entries).then(a.unit.cmp(&b.unit)));
    let mut most: Vec<UnitRecord> = Vec::new();
    let mut tie = false;
    for r in by_count {
        if most.len() >= top_by_entries {
            match most.last() {
                Some(last) if top_by_entries > 0 && last.entries == r.entries => tie = true,
                _ => break,
            }
        }
        most.push(r);
    }
    let qualifying = records
        .into_values()
        .filter(|r| r.best_tier.is_some_and(|t| t <= qualifying_tier))
        .collect();
    CollectiveAwards {
        most_entries: most,
        most_entries_tie_at_cut: tie,
        qualifying,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rank::Decided;

    fn ranking(list: &[(u32, f64, u32)]) -> Ranking {
        Ranking {
            rule: vec![],
            entries: list
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
    fn tiers_fill_in_order_and_a_boundary_tie_is_reported() {
        let r = ranking(&[
            (1, 95.0, 0),
            (2, 90.0, 1),
            (3, 88.0, 2),
            (4, 88.0, 2),
            (5, 80.0, 3),
            (6, 70.0, 4),
            (7, 40.0, 5),
        ]);
        let t = local_tiers(1, 2, 2, 2);
        let s = suggest_awards(&r, &t, Some(50.0));
        assert_eq!(
            s.awards,
            vec![
                Award { entry: 1, tier: 0 },
                Award { entry: 2, tier: 1 },
                // 3 and 4 tie for the last Nhì seat: reported, not cut.
                Award { entry: 5, tier: 2 },
                Award { entry: 6, tier: 3 },
            ]
        );
        assert_eq!(
            s.ties,
            vec![TierTie {
                tier: 1,
                seats: 1,
                entries: vec![3, 4]
            }]
        );
        // The tie used the last Nhì seat and one Ba seat; entry 7 is below 50.
        assert_eq!(s.unfilled, vec![0, 0, 0, 1]);
        assert_eq!(national_tiers().iter().map(|t| t.count).sum::<u32>(), 26);
    }

    #[test]
    fn awards_are_suggested_per_genre() {
        let result = |entry: u32, score: f64| EntryResult {
            entry,
            score: Some(score),
            judges_counted: 1,
            judges_not_counted: 0,
            criterion_means: vec![],
            totals: vec![],
            median: Some(score),
            std_dev: Some(0.0),
            range: Some(0.0),
            disagreement: false,
        };
        let results = vec![
            result(1, 50.0),
            result(2, 90.0),
            result(3, 70.0),
            result(4, 60.0),
        ];
        let genre_of: HashMap<u32, u32> = [(1, 0), (2, 0), (3, 1), (4, 1)].into();
        let mut tiers = BTreeMap::new();
        tiers.insert(0, local_tiers(1, 0, 0, 0));
        tiers.insert(1, local_tiers(1, 1, 0, 0));
        let out = suggest_awards_by_genre(&results, &genre_of, &HashMap::new(), &[], &tiers, None);
        assert_eq!(out[&0].1.awards, vec![Award { entry: 2, tier: 0 }]);
        assert_eq!(
            out[&1].1.awards,
            vec![Award { entry: 3, tier: 0 }, Award { entry: 4, tier: 1 }]
        );
        assert_eq!(out[&0].0.entries.len(), 2);
    }

    #[test]
    fn collective_awards_count_entries_and_grade() {
        let units: HashMap<u32, u32> =
            [(1, 10), (2, 10), (3, 11), (4, 11), (5, 12), (6, 10)].into();
        let awards = [Award { entry: 3, tier: 2 }, Award { entry: 5, tier: 3 }];
        let c = collective_awards(&units, &awards, 1, 2);
        assert_eq!(c.most_entries.len(), 1);
        assert_eq!(c.most_entries[0].unit, 10);
        assert!(!c.most_entries_tie_at_cut);
        assert_eq!(
            c.qualifying.iter().map(|r| r.unit).collect::<Vec<_>>(),
            vec![11]
        );
        let c = collective_awards(&units, &awards, 2, 3);
        // Units 11 (2 entries) and 12 (1) differ: no tie; both 11 and 12 qualify at C.
        assert_eq!(c.most_entries.len(), 2);
        assert_eq!(c.qualifying.len(), 2);
        let even: HashMap<u32, u32> = [(1, 1), (2, 2)].into();
        let c = collective_awards(&even, &[], 1, 0);
        assert_eq!(c.most_entries.len(), 2);
        assert!(c.most_entries_tie_at_cut);
    }
}
