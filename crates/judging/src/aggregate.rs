//! Score aggregation: weighted rubric totals, mean of the judges who scored
//! (recusals do not count against an entry), optional per-judge z-score
//! normalization rescaled to the rubric's range, and spreads with a flag for
//! large disagreements.

use std::collections::BTreeMap;

/// One criterion of the rubric: points go from 0 to `max_points`; the total of a
/// sheet is the sum of `weight * points`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Criterion {
    pub name: String,
    pub max_points: f64,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Rubric {
    pub criteria: Vec<Criterion>,
}

impl Rubric {
    /// Highest possible total of one sheet.
    pub fn max_total(&self) -> f64 {
        self.criteria.iter().map(|c| c.weight * c.max_points).sum()
    }
}

/// One judge's sheet for one entry. `points` is `None` when the judge recused
/// (declared a conflict) or has not scored: such a sheet counts for nothing.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScoreSheet {
    pub entry: u32,
    pub judge: u32,
    pub points: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AggregationOptions {
    /// Replace each judge's totals by z-scores within the round, rescaled to the
    /// round's mean and spread (kept inside 0..=max total), so that a severe or a
    /// lenient judge weighs like the others.
    pub normalize: bool,
    /// An entry whose judges' totals differ (max - min) by more than this is
    /// flagged; `None` flags nothing.
    pub disagreement_threshold: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EntryResult {
    pub entry: u32,
    /// Mean of the counted judges' totals (normalized when asked); `None` when no
    /// judge scored the entry.
    pub score: Option<f64>,
    /// Judges whose sheet counted.
    pub judges_counted: u32,
    /// Judges who recused or did not score.
    pub judges_not_counted: u32,
    /// Mean raw points per criterion over the counted judges.
    pub criterion_means: Vec<Option<f64>>,
    /// The counted judges' totals (normalized when asked), in judge order.
    pub totals: Vec<(u32, f64)>,
    pub median: Option<f64>,
    /// Population standard deviation of the totals.
    pub std_dev: Option<f64>,
    /// Highest minus lowest total.
    pub range: Option<f64>,
    /// `range` exceeds the disagreement threshold.
    pub disagreement: bool,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScoreError {
    #[error("tiêu chí \"{name}\" có điểm tối đa hoặc trọng số không hợp lệ")]
    BadCriterion { name: String },
    #[error("phiếu chấm của giám khảo {judge} cho tác phẩm {entry} có {got} điểm, cần {expected}")]
    WrongPointCount {
        entry: u32,
        judge: u32,
        got: usize,
        expected: usize,
    },
    #[error(
        "điểm tiêu chí \"{criterion}\" của giám khảo {judge} cho tác phẩm {entry} phải từ 0 đến {max}"
    )]
    PointsOutOfRange {
        entry: u32,
        judge: u32,
        criterion: String,
        max: f64,
    },
    #[error("giám khảo {judge} có hai phiếu chấm cho tác phẩm {entry}")]
    DuplicateSheet { entry: u32, judge: u32 },
}

fn validate(rubric: &Rubric, sheets: &[ScoreSheet]) -> Result<(), ScoreError> {
    for c in &rubric.criteria {
        let ok = c.max_points.is_finite()
            && c.max_points > 0.0
            && c.weight.is_finite()
            && c.weight >= 0.0;
        if !ok {
            return Err(ScoreError::BadCriterion {
                name: c.name.clone(),
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for s in sheets {
        if !seen.insert((s.entry, s.judge)) {
            return Err(ScoreError::DuplicateSheet {
                entry: s.entry,
                judge: s.judge,
            });
        }
        let Some(points) = &s.points else { continue };
        if points.len() != rubric.criteria.len() {
            return Err(ScoreError::WrongPointCount {
                entry: s.entry,
                judge: s.judge,
                got: points.len(),
                expected: rubric.criteria.len(),
            });
        }
        for (p, c) in points.iter().zip(&rubric.criteria) {
            if !(p.is_finite() && *p >= 0.0 && *p <= c.max_points) {
                return Err(ScoreError::PointsOutOfRange {
                    entry: s.entry,
                    judge: s.judge,
                    criterion: c.name.clone(),
                    max: c.max_points,
                });
            }
        }
    }
    Ok(())
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

fn std_dev(xs: &[f64]) -> Option<f64> {
    let m = mean(xs)?;
    Some((xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / xs.len() as f64).sqrt())
}

/// Median of a list (mean of the two middle values for an even count).
pub fn median(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    })
}

/// Per entry: (judge, adjusted total) of counted sheets, sheets not counted,
/// raw points of counted sheets.
type Gathered = (Vec<(u32, f64)>, u32, Vec<Vec<f64>>);

/// Aggregates one round's sheets into one result per entry (sorted by entry).
pub fn aggregate(
    rubric: &Rubric,
    sheets: &[ScoreSheet],
    options: &AggregationOptions,
) -> Result<Vec<EntryResult>, ScoreError> {
    validate(rubric, sheets)?;
    let total_of = |points: &[f64]| -> f64 {
        points
            .iter()
            .zip(&rubric.criteria)
            .map(|(p, c)| p * c.weight)
            .sum()
    };
    // Raw totals of counted sheets.
    let counted: Vec<(u32, u32, f64)> = sheets
        .iter()
        .filter_map(|s| s.points.as_ref().map(|p| (s.entry, s.judge, total_of(p))))
        .collect();
    let adjusted: Vec<f64> = if options.normalize {
        normalize(&counted, rubric.max_total())
    } else {
        counted.iter().map(|c| c.2).collect()
    };

    let mut by_entry: BTreeMap<u32, Gathered> = BTreeMap::new();
    for s in sheets {
        let slot = by_entry.entry(s.entry).or_default();
        match &s.points {
            None => slot.1 += 1,
            Some(points) => slot.2.push(points.clone()),
        }
    }
    for ((entry, judge, _), value) in counted.iter().zip(&adjusted) {
        if let Some(slot) = by_entry.get_mut(entry) {
            slot.0.push((*judge, *value));
        }
    }
    Ok(by_entry
        .into_iter()
        .map(|(entry, (mut totals, not_counted, points))| {
            totals.sort_by_key(|t| t.0);
            let values: Vec<f64> = totals.iter().map(|t| t.1).collect();
            let range = values
                .iter()
                .copied()
                .reduce(f64::max)
                .zip(values.iter().copied().reduce(f64::min))
                .map(|(hi, lo)| hi - lo);
            let criterion_means = (0..rubric.criteria.len())
                .map(|i| mean(&points.iter().map(|p| p[i]).collect::<Vec<_>>()))
                .collect();
            EntryResult {
                entry,
                score: mean(&values),
                judges_counted: values.len() as u32,
                judges_not_counted: not_counted,
                criterion_means,
                median: median(&values),
                std_dev: std_dev(&values),
                disagreement: range
                    .zip(options.disagreement_threshold)
                    .is_some_and(|(r, t)| r > t),
                range,
                totals,
            }
        })
        .collect())
}

/// Per-judge z-scores mapped back onto the round's overall mean and spread,
/// clamped to the rubric's range. A judge with a single sheet or no spread
/// gives z = 0 (the round mean): nothing tells how severe they are.
fn normalize(counted: &[(u32, u32, f64)], max_total: f64) -> Vec<f64> {
    let all: Vec<f64> = counted.iter().map(|c| c.2).collect();
    let (Some(round_mean), Some(round_sd)) = (mean(&all), std_dev(&all)) else {
        return all;
    };
    let mut by_judge: BTreeMap<u32, Vec<f64>> = BTreeMap::new();
    for c in counted {
        by_judge.entry(c.1).or_default().push(c.2);
    }
    let stats: BTreeMap<u32, (f64, f64)> = by_judge
        .into_iter()
        .map(|(j, xs)| (j, (mean(&xs).unwrap_or(0.0), std_dev(&xs).unwrap_or(0.0))))
        .collect();
    counted
        .iter()
        .map(|&(_, judge, x)| {
            let (m, sd) = stats.get(&judge).copied().unwrap_or((x, 0.0));
            let z = if sd > 1e-12 { (x - m) / sd } else { 0.0 };
            (round_mean + z * round_sd).clamp(0.0, max_total)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric() -> Rubric {
        Rubric {
            criteria: vec![
                Criterion {
                    name: "Tính sắc bén".into(),
                    max_points: 10.0,
                    weight: 2.0,
                },
                Criterion {
                    name: "Tính thực tiễn".into(),
                    max_points: 10.0,
                    weight: 1.0,
                },
            ],
        }
    }

    fn sheet(entry: u32, judge: u32, points: Option<[f64; 2]>) -> ScoreSheet {
        ScoreSheet {
            entry,
            judge,
            points: points.map(|p| p.to_vec()),
        }
    }

    #[test]
    fn recused_judge_does_not_lower_the_mean() {
        let sheets = vec![
            sheet(1, 10, Some([8.0, 6.0])),
            sheet(1, 11, None),
            sheet(1, 12, Some([6.0, 9.0])),
        ];
        let r = aggregate(&rubric(), &sheets, &AggregationOptions::default()).unwrap();
        assert_eq!(r.len(), 1);
        // Totals 22 and 21.
        assert_eq!(r[0].score, Some(21.5));
        assert_eq!(r[0].judges_counted, 2);
        assert_eq!(r[0].judges_not_counted, 1);
        assert_eq!(r[0].criterion_means, vec![Some(7.0), Some(7.5)]);
        assert_eq!(r[0].range, Some(1.0));
        assert_eq!(r[0].std_dev, Some(0.5));
        assert_eq!(r[0].median, Some(21.5));
    }

    #[test]
    fn disagreement_flag_uses_the_threshold() {
        let sheets = vec![
            sheet(1, 1, Some([10.0, 10.0])),
            sheet(1, 2, Some([2.0, 2.0])),
            sheet(2, 1, Some([5.0, 5.0])),
            sheet(2, 2, Some([6.0, 5.0])),
        ];
        let opts = AggregationOptions {
            normalize: false,
            disagreement_threshold: Some(5.0),
        };
        let r = aggregate(&rubric(), &sheets, &opts).unwrap();
        assert!(r[0].disagreement);
        assert!(!r[1].disagreement);
    }

    #[test]
    fn entry_with_only_recusals_has_no_score() {
        let r = aggregate(
            &rubric(),
            &[sheet(4, 1, None)],
            &AggregationOptions::default(),
        )
        .unwrap();
        assert_eq!(r[0].score, None);
        assert_eq!(r[0].median, None);
        assert!(!r[0].disagreement);
    }

    #[test]
    fn normalization_cancels_a_lenient_judge() {
        // Judge 2 gives everything 6 points more than judge 1 (same order).
        let mut sheets = Vec::new();
        for (e, p) in [(1, 3.0), (2, 5.0), (3, 7.0)] {
            sheets.push(sheet(e, 1, Some([p, p])));
            sheets.push(sheet(e + 10, 2, Some([p + 2.0, p + 2.0])));
        }
        let opts = AggregationOptions {
            normalize: true,
            disagreement_threshold: None,
        };
        let r = aggregate(&rubric(), &sheets, &opts).unwrap();
        let score = |e: u32| r.iter().find(|x| x.entry == e).unwrap().score.unwrap();
        for e in 1..=3 {
            assert!((score(e) - score(e + 10)).abs() < 1e-9);
        }
        assert!(score(1) < score(2) && score(2) < score(3));
        assert!(r.iter().all(|x| (0.0..=30.0).contains(&x.score.unwrap())));
    }

    #[test]
    fn invalid_sheets_are_typed_errors() {
        let o = AggregationOptions::default();
        let e = aggregate(&rubric(), &[sheet(1, 1, Some([11.0, 0.0]))], &o).unwrap_err();
        assert!(e.to_string().contains("Tính sắc bén"));
        let bad = ScoreSheet {
            entry: 1,
            judge: 1,
            points: Some(vec![1.0]),
        };
        assert!(matches!(
            aggregate(&rubric(), &[bad], &o),
            Err(ScoreError::WrongPointCount { .. })
        ));
        let nan = sheet(1, 1, Some([f64::NAN, 0.0]));
        assert!(aggregate(&rubric(), &[nan], &o).is_err());
        let dup = vec![sheet(1, 1, None), sheet(1, 1, Some([1.0, 1.0]))];
        assert!(matches!(
            aggregate(&rubric(), &dup, &o),
            Err(ScoreError::DuplicateSheet { .. })
        ));
        let mut r = rubric();
        r.criteria[0].max_points = 0.0;
        assert!(matches!(
            aggregate(&r, &[], &o),
            Err(ScoreError::BadCriterion { .. })
        ));
    }
}
