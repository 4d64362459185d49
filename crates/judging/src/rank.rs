//! Ranking with a tie-break rule published before judging: entries with equal
//! scores are separated by the listed steps in order; what is still tied after
//! the last step is reported as a group for the organizers to decide.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::aggregate::EntryResult;

/// Scores are compared after rounding to this many decimal places, so that
/// float noise (a mean of 3 sheets) never decides a rank.
pub const SCORE_DECIMALS: i32 = 6;

/// One step of the tie-break rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TieBreak {
    /// Higher mean points on this criterion (index into the rubric).
    HigherCriterion(usize),
    /// Higher median of the judges' totals.
    HigherMedian,
    /// Submitted earlier.
    EarlierSubmission,
}

impl std::fmt::Display for TieBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TieBreak::HigherCriterion(i) => write!(f, "điểm tiêu chí thứ {} cao hơn", i + 1),
            TieBreak::HigherMedian => write!(f, "trung vị điểm cao hơn"),
            TieBreak::EarlierSubmission => write!(f, "nộp bài sớm hơn"),
        }
    }
}

/// What placed an entry relative to its neighbours with the same score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Decided {
    /// No other entry has the same score.
    Score,
    /// The tie was broken by this step of the rule (index into the rule).
    Step(usize),
    /// Still tied after every step: the organizers decide.
    Unresolved,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RankedEntry {
    pub entry: u32,
    /// Competition rank (1, 2, 2, 4): entries of one unresolved group share it.
    pub rank: u32,
    pub score: f64,
    /// The deepest step needed to separate this entry from its tied neighbours.
    pub decided: Decided,
    /// Entries with the same `group` are fully tied (same rank).
    pub group: u32,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ranking {
    /// The rule used, shown with the results.
    pub rule: Vec<TieBreak>,
    /// Best first.
    pub entries: Vec<RankedEntry>,
    /// Groups of two or more entries still tied after the whole rule.
    pub unresolved: Vec<Vec<u32>>,
    /// Entries that no judge scored: not ranked.
    pub unscored: Vec<u32>,
}

impl Ranking {
    /// Human-readable statement of the rule, in Vietnamese.
    pub fn rule_text(&self) -> String {
        let mut parts = vec!["điểm trung bình cao hơn".to_string()];
        parts.extend(self.rule.iter().map(ToString::to_string));
        parts.push("ban tổ chức quyết định".to_string());
        parts.join(" → ")
    }
}

/// A score rounded to `SCORE_DECIMALS` places, as an exact integer key.
pub fn score_key(x: f64) -> i64 {
    (x * 10f64.powi(SCORE_DECIMALS)).round() as i64
}

fn step_key(step: TieBreak, r: &EntryResult, submitted: Option<i64>) -> i64 {
    // Larger key = better place.
    match step {
        TieBreak::HigherCriterion(i) => r
            .criterion_means
            .get(i)
            .copied()
            .flatten()
            .map_or(i64::MIN, score_key),
        TieBreak::HigherMedian => r.median.map_or(i64::MIN, score_key),
        TieBreak::EarlierSubmission => submitted.map_or(i64::MIN, |t| t.saturating_neg()),
    }
}

/// Ranks aggregated results. `submitted_at` maps an entry to its submission
/// time (any monotonic number, e.g. Unix seconds); a missing time counts as
/// latest.
pub fn rank(
    results: &[EntryResult],
    submitted_at: &HashMap<u32, i64>,
    rule: &[TieBreak],
) -> Ranking {
    let mut unscored = Vec::new();
    let mut keyed: Vec<(i64, Vec<i64>, &EntryResult)> = Vec::new();
    for r in results {
        match r.score {
            Some(s) if s.is_finite() => {
                let sub = submitted_at.get(&r.entry).copied();
                let steps = rule.iter().map(|&st| step_key(st, r, sub)).collect();
                keyed.push((score_key(s), steps, r));
            }
            _ => unscored.push(r.entry),
        }
    }
    // Best first; the entry id only makes the order of a fully tied group stable.
    keyed.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| b.1.cmp(&a.1))
            .then_with(|| a.2.entry.cmp(&b.2.entry))
    });
    // Deepest distinguishing step between neighbours i and i + 1.
    let between = |a: &(i64, Vec<i64>, &EntryResult), b: &(i64, Vec<i64>, &EntryResult)| {
        if a.0 != b.0 {
            return Decided::Score;
        }
        match a
            .1
            .iter()
            .zip(&b.1)
            .position(|(x, y)| x.cmp(y) != Ordering::Equal)
        {
            Some(step) => Decided::Step(step),
            None => Decided::Unresolved,
        }
    };
    let depth = |d: Decided| match d {
        Decided::Score => 0,
        Decided::Step(s) => s + 1,
        Decided::Unresolved => usize::MAX,
    };
    let mut entries: Vec<RankedEntry> = Vec::with_capacity(keyed.len());
    let mut unresolved: Vec<Vec<u32>> = Vec::new();
    let mut group = 0u32;
    for i in 0..keyed.len() {
        let before = (i > 0).then(|| between(&keyed[i - 1], &keyed[i]));
        let after = (i + 1 < keyed.len()).then(|| between(&keyed[i], &keyed[i + 1]));
        let decided = [before, after]
            .into_iter()
            .flatten()
            .max_by_key(|d| depth(*d))
            .unwrap_or(Decided::Score);
        let joins_previous = before == Some(Decided::Unresolved);
        let rank = if joins_previous {
            entries.last().map_or(1, |p| p.rank)
        } else {
            if i > 0 {
                group += 1;
            }
            i as u32 + 1
        };
        if joins_previous {
            match unresolved.last_mut() {
                Some(g) if g.last() == entries.last().map(|p| &p.entry) => g.push(keyed[i].2.entry),
                _ => unresolved.push(vec![
                    entries.last().map_or(0, |p| p.entry),
                    keyed[i].2.entry,
                ]),
            }
        }
        entries.push(RankedEntry {
            entry: keyed[i].2.entry,
            rank,
            score: keyed[i].2.score.unwrap_or(0.0),
            decided,
            group,
        });
    }
    Ranking {
        rule: rule.to_vec(),
        entries,
        unresolved,
        unscored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(entry: u32, score: f64, crit0: f64, median: f64) -> EntryResult {
        EntryResult {
            entry,
            score: Some(score),
            judges_counted: 2,
            judges_not_counted: 0,
            criterion_means: vec![Some(crit0)],
            totals: vec![],
            median: Some(median),
            std_dev: Some(0.0),
            range: Some(0.0),
            disagreement: false,
        }
    }

    #[test]
    fn each_step_breaks_the_ties_it_can_and_the_rest_is_reported() {
        let results = vec![
            result(1, 80.0, 9.0, 80.0),
            result(2, 85.0, 5.0, 85.0),
            result(3, 80.0, 8.0, 81.0),
            result(4, 80.0, 8.0, 79.0),
            result(5, 70.0, 5.0, 70.0),
            result(6, 70.0, 5.0, 70.0),
            result(7, 70.0, 5.0, 70.0),
            result(8, 80.0, 8.0, 79.0),
        ];
        let mut submitted = HashMap::new();
        submitted.insert(4, 100);
        submitted.insert(8, 50);
        submitted.insert(6, 10);
        let rule = [
            TieBreak::HigherCriterion(0),
            TieBreak::HigherMedian,
            TieBreak::EarlierSubmission,
        ];
        let r = rank(&results, &submitted, &rule);
        let order: Vec<u32> = r.entries.iter().map(|e| e.entry).collect();
        assert_eq!(order, vec![2, 1, 3, 8, 4, 6, 5, 7]);
        let ranks: Vec<u32> = r.entries.iter().map(|e| e.rank).collect();
        assert_eq!(ranks, vec![1, 2, 3, 4, 5, 6, 7, 7]);
        let decided: Vec<Decided> = r.entries.iter().map(|e| e.decided).collect();
        assert_eq!(
            decided,
            vec![
                Decided::Score,
                Decided::Step(0),
                Decided::Step(1),
                Decided::Step(2),
                Decided::Step(2),
                Decided::Step(2),
                Decided::Unresolved,
                Decided::Unresolved,
            ]
        );
        assert_eq!(r.unresolved, vec![vec![5, 7]]);
        assert_eq!(r.entries[6].group, r.entries[7].group);
        assert_ne!(r.entries[5].group, r.entries[6].group);
        assert!(r.rule_text().ends_with("ban tổ chức quyết định"));
    }

    #[test]
    fn float_noise_does_not_break_a_tie_and_unscored_are_left_out() {
        let a = result(1, 0.1 + 0.2, 1.0, 1.0);
        let b = result(2, 0.3, 1.0, 1.0);
        let mut c = result(3, 0.0, 1.0, 1.0);
        c.score = None;
        let r = rank(&[a, b, c], &HashMap::new(), &[]);
        assert_eq!(r.entries[0].rank, r.entries[1].rank);
        assert_eq!(r.unresolved, vec![vec![1, 2]]);
        assert_eq!(r.unscored, vec![3]);
    }
}
