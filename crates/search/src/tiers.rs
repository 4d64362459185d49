//! One pass that ranks matches in two tiers: documents that also match the
//! exact-diacritics query first, the others after, each by score.
//!
//! Running "query AND exact" and "query AND NOT exact" as two searches costs
//! two full evaluations of the query; this collector evaluates it once and
//! checks each match against the exact query's scorer, which only moves forward.

use std::cmp::Ordering;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TantivyError};

/// Counts and best hits of both tiers; tier 0 is the exact one.
pub(crate) struct TieredFruit {
    pub counts: [usize; 2],
    /// Each sorted best first, at most `keep` long.
    pub top: [Vec<(Score, DocAddress)>; 2],
}

pub(crate) struct TieredTop {
    /// Weight of the exact query, scoring disabled.
    pub exact: Arc<dyn Weight>,
    /// How many of the best hits to keep per tier (offset + limit).
    pub keep: usize,
}

pub(crate) struct TieredSegment {
    segment: SegmentOrdinal,
    reader: SegmentReader,
    exact: Arc<dyn Weight>,
    scorer: Box<dyn Scorer>,
    keep: usize,
    counts: [usize; 2],
    top: [Vec<(Score, DocAddress)>; 2],
    error: Option<TantivyError>,
}

fn best_first(a: &(Score, DocAddress), b: &(Score, DocAddress)) -> Ordering {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1))
}

/// Sorts best first and keeps `keep`.
fn trim(hits: &mut Vec<(Score, DocAddress)>, keep: usize) {
    hits.sort_unstable_by(best_first);
    hits.truncate(keep);
}

impl TieredSegment {
    fn is_exact(&mut self, doc: DocId) -> Result<bool, TantivyError> {
        if self.scorer.doc() > doc {
            // Matches normally arrive in doc order; if not, start over.
            self.scorer = self.exact.scorer(&self.reader, 1.0)?;
        }
        if self.scorer.doc() < doc {
            self.scorer.seek(doc);
        }
        Ok(self.scorer.doc() == doc)
    }
}

impl SegmentCollector for TieredSegment {
    type Fruit = Result<TieredFruit, TantivyError>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.error.is_some() {
            return;
        }
        let tier = match self.is_exact(doc) {
            Ok(true) => 0,
            Ok(false) => 1,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        self.counts[tier] += 1;
        if self.keep == 0 {
            return;
        }
        let hits = &mut self.top[tier];
        hits.push((score, DocAddress::new(self.segment, doc)));
        // Trim in batches: O(n log keep) overall without a heap.
        if hits.len() >= 2 * self.keep.max(64) {
            trim(hits, self.keep);
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        if let Some(e) = self.error {
            return Err(e);
        }
        for hits in &mut self.top {
            trim(hits, self.keep);
        }
        Ok(TieredFruit {
            counts: self.counts,
            top: self.top,
        })
    }
}

impl Collector for TieredTop {
    type Fruit = TieredFruit;
    type Child = TieredSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TieredSegment> {
        Ok(TieredSegment {
            segment,
            reader: reader.clone(),
            exact: Arc::clone(&self.exact),
            scorer: self.exact.scorer(reader, 1.0)?,
            keep: self.keep,
            counts: [0, 0],
            top: [Vec::new(), Vec::new()],
            error: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Result<TieredFruit, TantivyError>>,
    ) -> tantivy::Result<TieredFruit> {
        let mut out = TieredFruit {
            counts: [0, 0],
            top: [Vec::new(), Vec::new()],
        };
        for fruit in fruits {
            let fruit = fruit?;
            for tier in 0..2 {
                out.counts[tier] += fruit.counts[tier];
                out.top[tier].extend(fruit.top[tier].iter().copied());
            }
        }
        for hits in &mut out.top {
            trim(hits, self.keep);
        }
        Ok(out)
    }
}
