//! A query wrapper that shields its scorers from `seek_danger`.
//!
//! tantivy 0.27's `PhraseScorer::seek_danger` carries a debug assertion that
//! fails when a caller legally seeks it while it is in the "invalid" state
//! the `DocSet::seek_danger` contract allows (tantivy issue #2811, fixed after
//! 0.27). Release builds return correct results, but debug builds (tests, dev
//! servers) panic on a phrase inside an exclusion or intersection. The
//! wrapper answers `seek_danger` with the trait's default, built on plain
//! `seek`, so the inner scorer only ever sees forward, valid seeks.
//!
//! [`rewrite`] walks a parsed query and wraps every phrase leaf, wherever the
//! user's syntax put it (inside a negation, a group, an intersection), and
//! applies the per-field boosts on the way.

use tantivy::query::{
    BooleanQuery, BoostQuery, EnableScoring, Explanation, PhrasePrefixQuery, PhraseQuery, Query,
    Scorer, TermQuery, Weight,
};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// Rebuilds a query from tantivy's parser with guarded phrase leaves and
/// `boost(field)` applied to every leaf. The parser must have no field boosts
/// of its own (tantivy's `BoostQuery` cannot be looked into) and the text no
/// `^` (see `index::parse`).
pub(crate) fn rewrite(query: &dyn Query, boost: &dyn Fn(Field) -> Score) -> Box<dyn Query> {
    let boosted = |q: Box<dyn Query>, field: Field| -> Box<dyn Query> {
        let b = boost(field);
        if (b - 1.0).abs() < Score::EPSILON {
            q
        } else {
            Box::new(BoostQuery::new(q, b))
        }
    };
    if let Some(b) = query.downcast_ref::<BooleanQuery>() {
        let clauses = b
            .clauses()
            .iter()
            .map(|(occur, sub)| (*occur, rewrite(sub.as_ref(), boost)))
            .collect();
        let mut out = BooleanQuery::new(clauses);
        out.set_minimum_number_should_match(b.get_minimum_number_should_match());
        return Box::new(out);
    }
    if let Some(t) = query.downcast_ref::<TermQuery>() {
        return boosted(query.box_clone(), t.term().field());
    }
    if let Some(p) = query.downcast_ref::<PhraseQuery>() {
        return boosted(Box::new(Guarded(query.box_clone())), p.field());
    }
    if let Some(p) = query.downcast_ref::<PhrasePrefixQuery>() {
        return boosted(Box::new(Guarded(query.box_clone())), p.field());
    }
    // Anything else (empty, all, ranges, a boost we cannot open) is guarded whole.
    Box::new(Guarded(query.box_clone()))
}

#[derive(Debug)]
pub(crate) struct Guarded(pub Box<dyn Query>);

impl Clone for Guarded {
    fn clone(&self) -> Self {
        Guarded(self.0.box_clone())
    }
}

impl Query for Guarded {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(GuardedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct GuardedWeight(Box<dyn Weight>);

impl Weight for GuardedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(GuardedScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct GuardedScorer(Box<dyn Scorer>);

impl DocSet for GuardedScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        // Never seek backwards: the contract forbids it and tantivy asserts it.
        if self.0.doc() >= target {
            return self.0.doc();
        }
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for GuardedScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
