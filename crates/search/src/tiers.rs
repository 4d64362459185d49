//! One pass that ranks matches in two tiers: documents that also match the
//! exact-diacritics query first, the others after, each by score.
//!
//! Running "query AND exact" and "query AND NOT exact" as two searches costs
//! two full evaluations of the query. This collector evaluates it once; per
//! segment it first marks the exact query's matches in a bitset (a sequential
//! pass, max_doc / 8 bytes), then files every match of the query by a lookup.
//! Seeking the exact scorer per match instead was slower (BENCHMARKS.md).

use std::cmp::Ordering;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::{BitSet, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

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
    exact: BitSet,
    keep: usize,
    counts: [usize; 2],
    top: [Vec<(Score, DocAddress)>; 2],
}

fn best_first(a: &(Score, DocAddress), b: &(Score, DocAddress)) -> Ordering {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1))
}

/// Sorts best first and keeps `keep`.
fn trim(hits: &mut Vec<(Score, DocAddress)>, keep: usize) {
    hits.sort_unstable_by(best_first);
    hits.truncate(keep);
}

impl SegmentCollector for TieredSegment {
    type Fruit = TieredFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let tier = if self.exact.contains(doc) { 0 } else { 1 };
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
        for hits in &mut self.top {
            trim(hits, self.keep);
        }
        TieredFruit {
            counts: self.counts,
            top: self.top,
        }
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
        let mut exact = BitSet::with_max_value(reader.max_doc());
        self.exact.for_each_no_score(reader, &mut |docs| {
            for doc in docs {
                exact.insert(*doc);
            }
        })?;
        Ok(TieredSegment {
            segment,
            exact,
            keep: self.keep,
            counts: [0, 0],
            top: [Vec::new(), Vec::new()],
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<TieredFruit>) -> tantivy::Result<TieredFruit> {
        let mut out = TieredFruit {
            counts: [0, 0],
            top: [Vec::new(), Vec::new()],
        };
        for fruit in fruits {
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
