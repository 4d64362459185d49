//! Incremental index for the platform: add and remove entries, check one new text
//! against everything indexed, save to and load from a versioned binary file.
//!
//! The index keeps only fingerprints (hash, document, syllable position): about
//! 12 bytes per fingerprint, 2/(w+1) fingerprints per syllable. Texts stay in the
//! platform's database. [`Index::check`] therefore gives passages whose extent on the
//! checked text is exact to the fingerprint (k-gram) and approximate on the indexed
//! side (syllable numbers); [`Index::check_exact`] fetches the matched texts through
//! a callback and aligns them exactly (byte offsets on both sides).

use std::collections::HashMap;
use std::io::{Read, Write};

use crate::align::{self, Passage, Prepared};
use crate::error::{Error, Result};
use crate::params::Params;
use crate::scan::Shares;
use crate::tokenize::PassageKind;

const DOC_BITS: u32 = 24;
const DOC_MASK: u64 = (1 << DOC_BITS) - 1;
const MAX_DOCS: usize = 1 << DOC_BITS;
const MAGIC: &[u8; 8] = b"HTINTIDX";
/// Version of the saved format written by this code. Version 2: the layout of version
/// 1, but fingerprints of prose tokens (decision 0007: no tokens for links, paths, code
/// and numbers), which version 1's fingerprints do not match; a version 1 file is
/// refused with [`Error::IndexVersion`] and the platform rebuilds the index.
/// Version 3: the same layout, but a token that follows a left-out number or link has
/// that number's mark in its key (decision 0009), so k-grams across numbers hash
/// differently from version 2's; a version 2 file is refused in the same way.
pub const FORMAT_VERSION: u32 = 3;
const MAX_ID_LEN: usize = 1 << 16;

#[derive(Clone, Debug)]
struct IndexDoc {
    id: String,
    allowed: bool,
    alive: bool,
    n_syl: u32,
}

/// A passage found by [`Index::check`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct IndexPassage {
    /// `[start, end)` byte offsets into the checked text.
    pub text: [usize; 2],
    /// `[start, end)` syllable numbers in the indexed document (approximate to a k-gram).
    pub other_syllables: [u32; 2],
    /// Copied prose, quote or citation, as marked in the checked text (the index does
    /// not keep the indexed texts' quotes; [`Index::check_exact`] looks at both sides).
    pub kind: PassageKind,
}

/// Options of a check that are the contest's rules, not the index's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckOptions {
    /// Whether quoted passages count in `share` (default true).
    pub count_quotes: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { count_quotes: true }
    }
}

/// An indexed document that shares passages with the checked text.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Match {
    /// Id of the indexed document.
    pub id: String,
    /// Whether it is an allowed source.
    pub allowed: bool,
    /// Shared passages (approximate on the indexed side).
    pub passages: Vec<IndexPassage>,
}

/// Result of checking one text.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CheckResult {
    /// Documents sharing passages, most shared syllables first (allowed sources
    /// included), as before; every passage carries its kind. [`Match::kind`] tells a
    /// copy pair (shares prose) from a document that shares only quotes or only
    /// citations ("cùng trích dẫn": never a pair, never counted); see
    /// [`CheckResult::copied`], [`CheckResult::quote_only`], [`CheckResult::citation_only`].
    pub matches: Vec<Match>,
    /// Share of the checked text's body (its tokens outside citations) covered by copied
    /// prose from non-allowed documents, plus quotes when they count (see
    /// [`CheckOptions`]); allowed sources and common text not counted.
    pub share: f64,
    /// The parts of the share.
    pub shares: Shares,
    /// Syllables in the checked text.
    pub syllables: usize,
    /// `[start, end)` byte ranges of the checked text found in more than
    /// `common_threshold` indexed documents (common text: not paired, not counted).
    pub common: Vec<[usize; 2]>,
}

/// An exact match from [`Index::check_exact`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ExactMatch {
    /// Id of the indexed document.
    pub id: String,
    /// Whether it is an allowed source.
    pub allowed: bool,
    /// Passages: `a` = checked text, `b` = the indexed document's text (byte offsets).
    pub passages: Vec<Passage>,
}

/// Result of [`Index::check_exact`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ExactCheckResult {
    /// Documents sharing passages (allowed sources included); passages with kinds, see
    /// [`ExactMatch::kind`].
    pub matches: Vec<ExactMatch>,
    /// As in [`CheckResult::share`], from exact passages.
    pub share: f64,
    /// The parts of the share.
    pub shares: Shares,
    /// Syllables in the checked text.
    pub syllables: usize,
    /// As in [`CheckResult::common`].
    pub common: Vec<[usize; 2]>,
}

/// Seeds (position in the checked text, position in the document) per document.
type SeedsByDoc = HashMap<u32, Vec<(u32, u32)>>;

/// Fingerprint index over many documents.
#[derive(Clone, Debug)]
pub struct Index {
    p: Params,
    docs: Vec<IndexDoc>,
    ids: HashMap<String, u32>,
    // Sorted postings: key = hash(top 40 bits) | doc, and the k-gram's syllable position.
    base_keys: Vec<u64>,
    base_pos: Vec<u32>,
    // Recent additions, merged into the base by `compact`: postings in insertion order,
    // chained per hash (newest first) through `delta_next`, with the newest posting of
    // each hash in `delta_head`. About 35 bytes per posting.
    delta_keys: Vec<u64>,
    delta_pos: Vec<u32>,
    delta_next: Vec<u32>,
    delta_head: HashMap<u64, u32>,
}

/// End of a chain in `Index::delta_next`.
const NO_POSTING: u32 = u32::MAX;

impl Index {
    /// An empty index.
    pub fn new(p: Params) -> Result<Self> {
        p.validate()?;
        Ok(Index {
            p,
            docs: Vec::new(),
            ids: HashMap::new(),
            base_keys: Vec::new(),
            base_pos: Vec::new(),
            delta_keys: Vec::new(),
            delta_pos: Vec::new(),
            delta_next: Vec::new(),
            delta_head: HashMap::new(),
        })
    }

    /// The index's parameters.
    pub fn params(&self) -> &Params {
        &self.p
    }

    /// Number of live documents.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when no document is indexed.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Add (or replace) an entry.
    pub fn add(&mut self, id: &str, text: &str) -> Result<()> {
        self.insert(id, text, false)
    }

    /// Add (or replace) an allowed source: text everyone may quote.
    pub fn add_allowed(&mut self, id: &str, text: &str) -> Result<()> {
        self.insert(id, text, true)
    }

    /// Add (or replace) many entries; their texts are tokenized and fingerprinted in
    /// parallel. The same as calling [`Index::add`] for each, in order.
    pub fn add_many<'a>(&mut self, docs: &[(&'a str, &'a str)]) -> Result<()> {
        use rayon::prelude::*;
        let p = self.p;
        let prepared: Vec<Prepared> = docs.par_iter().map(|(_, t)| Prepared::new(t, &p)).collect();
        for ((id, _), pr) in docs.iter().zip(&prepared) {
            self.insert_prepared(id, pr, false)?;
        }
        Ok(())
    }

    fn insert(&mut self, id: &str, text: &str, allowed: bool) -> Result<()> {
        let prepared = Prepared::new(text, &self.p);
        self.insert_prepared(id, &prepared, allowed)
    }

    fn insert_prepared(&mut self, id: &str, prepared: &Prepared, allowed: bool) -> Result<()> {
        if id.len() > MAX_ID_LEN {
            return Err(Error::InvalidParams("mã văn bản quá dài"));
        }
        self.remove(id);
        if self.docs.len() >= MAX_DOCS {
            self.compact();
            if self.docs.len() >= MAX_DOCS {
                return Err(Error::TooManyDocuments { max: MAX_DOCS });
            }
        }
        let doc = self.docs.len() as u32;
        if self.delta_keys.len() + prepared.fps.len() >= NO_POSTING as usize {
            self.compact();
        }
        for f in &prepared.fps {
            let h40 = f.hash & !DOC_MASK;
            let at = self.delta_keys.len() as u32;
            self.delta_keys.push(h40 | u64::from(doc));
            self.delta_pos.push(f.pos);
            let prev = self.delta_head.insert(h40, at).unwrap_or(NO_POSTING);
            self.delta_next.push(prev);
        }
        self.docs.push(IndexDoc {
            id: id.to_string(),
            allowed,
            alive: true,
            n_syl: prepared.syl.len().min(u32::MAX as usize) as u32,
        });
        self.ids.insert(id.to_string(), doc);
        // Keep recent additions small next to the base: fold them in now and then
        // (each time the base has grown by an eighth, so the total work stays linear).
        let delta = self.delta_keys.len();
        if delta > 1_000_000 && delta * 8 > self.base_keys.len() {
            self.compact();
        }
        Ok(())
    }

    /// Remove a document; returns whether it was indexed.
    pub fn remove(&mut self, id: &str) -> bool {
        match self.ids.remove(id) {
            Some(d) => {
                if let Some(doc) = self.docs.get_mut(d as usize) {
                    doc.alive = false;
                }
                true
            }
            None => false,
        }
    }

    /// Merge recent additions into the sorted base and drop removed documents.
    ///
    /// Works in place: the base is filtered and renumbered where it lies (renumbering
    /// keeps the order), the recent additions are sorted on their own, and the two are
    /// merged from the back into the base grown by that many postings. The peak is the
    /// base plus the sorted additions, not two copies of everything.
    pub fn compact(&mut self) {
        let mut renumber: Vec<u32> = vec![u32::MAX; self.docs.len()];
        let mut docs = Vec::with_capacity(self.ids.len());
        for (i, d) in self.docs.iter().enumerate() {
            if d.alive {
                renumber[i] = docs.len() as u32;
                docs.push(d.clone());
            }
        }
        let remap = |key: u64| -> Option<u64> {
            let n = *renumber.get((key & DOC_MASK) as usize)?;
            (n != u32::MAX).then_some((key & !DOC_MASK) | u64::from(n))
        };
        let mut kept = 0usize;
        for r in 0..self.base_keys.len() {
            if let Some(k) = remap(self.base_keys[r]) {
                self.base_keys[kept] = k;
                self.base_pos[kept] = self.base_pos[r];
                kept += 1;
            }
        }
        self.base_keys.truncate(kept);
        self.base_pos.truncate(kept);
        let mut added: Vec<(u64, u32)> = self
            .delta_keys
            .iter()
            .zip(&self.delta_pos)
            .filter_map(|(&k, &p)| remap(k).map(|k| (k, p)))
            .collect();
        self.delta_keys = Vec::new();
        self.delta_pos = Vec::new();
        self.delta_next = Vec::new();
        self.delta_head = HashMap::new();
        added.sort_unstable();
        merge_in(&mut self.base_keys, &mut self.base_pos, &added);
        self.ids = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i as u32))
            .collect();
        self.docs = docs;
    }

    /// Postings (doc, pos) of live documents for one hash.
    fn postings(&self, h40: u64, out: &mut Vec<(u32, u32)>) {
        out.clear();
        let start = self.base_keys.partition_point(|&k| k < h40);
        for i in start..self.base_keys.len() {
            let k = self.base_keys[i];
            if k & !DOC_MASK != h40 {
                break;
            }
            out.push(((k & DOC_MASK) as u32, self.base_pos[i]));
        }
        let mut at = self.delta_head.get(&h40).copied().unwrap_or(NO_POSTING);
        while let (Some(&k), Some(&p)) = (
            self.delta_keys.get(at as usize),
            self.delta_pos.get(at as usize),
        ) {
            out.push(((k & DOC_MASK) as u32, p));
            at = self
                .delta_next
                .get(at as usize)
                .copied()
                .unwrap_or(NO_POSTING);
        }
        out.retain(|&(d, _)| self.docs.get(d as usize).is_some_and(|x| x.alive));
    }

    /// Seeds per document, plus the checked text's syllables covered by common text.
    fn seeds(&self, q: &Prepared) -> (SeedsByDoc, Vec<(u32, u32)>) {
        let mut per_doc: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
        let mut common = Vec::new();
        let mut post = Vec::new();
        let mut last = None;
        for f in &q.fps {
            let h40 = f.hash & !DOC_MASK;
            if last != Some(h40) {
                self.postings(h40, &mut post);
                last = Some(h40);
            }
            let mut distinct: Vec<u32> = post.iter().map(|x| x.0).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let allowed = distinct
                .iter()
                .any(|&d| self.docs.get(d as usize).is_some_and(|x| x.allowed));
            if distinct.len() > self.p.common_threshold && !allowed {
                common.push((f.pos, f.pos + self.p.k as u32));
                continue;
            }
            for &(d, dp) in &post {
                per_doc.entry(d).or_default().push((f.pos, dp));
            }
        }
        (per_doc, common)
    }

    /// Check a text against the index (fingerprints only; see [`Index::check_exact`]),
    /// quotes counted in the share.
    pub fn check(&self, text: &str) -> CheckResult {
        self.check_with(text, &CheckOptions::default())
    }

    /// [`Index::check`] under a contest's rules.
    pub fn check_with(&self, text: &str, opts: &CheckOptions) -> CheckResult {
        let q = Prepared::new(text, &self.p);
        let (per_doc, common) = self.seeds(&q);
        let k = self.p.k as u32;
        let gap = self.p.merge_gap as i64;
        let common_bytes = common_ranges(&common, &q);
        let mut allowed_cover = common;
        let mut copied: [Vec<(u32, u32)>; 3] = Default::default();
        let mut matches = Vec::new();
        for (d, mut seeds) in per_doc {
            let Some(doc) = self.docs.get(d as usize) else {
                continue;
            };
            seeds.sort_unstable();
            // Chain seeds along nearby diagonals: (q0, q1, d0, d1, diag).
            let mut chains: Vec<(u32, u32, u32, u32, i64)> = Vec::new();
            for (qp, dp) in seeds {
                let diag = i64::from(dp) - i64::from(qp);
                let hit =
                    chains.iter_mut().rev().take(16).find(|c| {
                        i64::from(qp) <= i64::from(c.1) + gap && (diag - c.4).abs() <= gap
                    });
                match hit {
                    Some(c) => {
                        c.1 = c.1.max(qp + k);
                        c.2 = c.2.min(dp);
                        c.3 = c.3.max(dp + k);
                        c.4 = diag;
                    }
                    None => chains.push((qp, qp + k, dp, dp + k, diag)),
                }
            }
            let min = if doc.allowed {
                k
            } else {
                self.p.min_passage as u32
            };
            let mut passages = Vec::new();
            for c in chains.iter().filter(|c| c.1 - c.0 >= min) {
                let whole = align::TokenPassage {
                    a_start: c.0,
                    a_end: c.1,
                    b_start: c.2,
                    b_end: c.3,
                };
                for (tp, kind) in align::split_kinds(&whole, &q.zones, &[], min) {
                    if doc.allowed {
                        allowed_cover.push((tp.a_start, tp.a_end));
                    } else {
                        copied[kind as usize].push((tp.a_start, tp.a_end));
                    }
                    let own = align::TokenPassage {
                        b_start: tp.a_start,
                        b_end: tp.a_end,
                        ..tp
                    };
                    if let Some(b) = align::to_bytes(&own, &q.syl, &q.syl) {
                        passages.push(IndexPassage {
                            text: b.a,
                            other_syllables: [tp.b_start, tp.b_end],
                            kind,
                        });
                    }
                }
            }
            if !passages.is_empty() {
                matches.push(Match {
                    id: doc.id.clone(),
                    allowed: doc.allowed,
                    passages,
                });
            }
        }
        sort_matches(&mut matches, |m| {
            m.passages.iter().map(|p| p.text[1] - p.text[0]).sum()
        });
        let shares = shares_of(copied, allowed_cover, q.syl.len(), q.cited_tokens());
        CheckResult {
            matches,
            share: shares.counted(opts.count_quotes),
            shares,
            syllables: q.syl.len(),
            common: common_bytes,
        }
    }

    /// Check a text and align it exactly with every indexed document that shares a
    /// fingerprint with it. `fetch(id)` returns that document's text (None skips it).
    /// Keeps the guarantee: every shared run of `w + k - 1` syllables is found.
    pub fn check_exact(
        &self,
        text: &str,
        fetch: impl FnMut(&str) -> Option<String>,
    ) -> ExactCheckResult {
        self.check_exact_with(text, fetch, &CheckOptions::default())
    }

    /// [`Index::check_exact`] under a contest's rules.
    pub fn check_exact_with(
        &self,
        text: &str,
        mut fetch: impl FnMut(&str) -> Option<String>,
        opts: &CheckOptions,
    ) -> ExactCheckResult {
        let q = Prepared::new(text, &self.p);
        let (per_doc, common) = self.seeds(&q);
        let common_bytes = common_ranges(&common, &q);
        let mut allowed_cover = common;
        let mut copied: [Vec<(u32, u32)>; 3] = Default::default();
        let mut matches = Vec::new();
        let mut docs: Vec<u32> = per_doc.keys().copied().collect();
        docs.sort_unstable();
        for d in docs {
            let Some(doc) = self.docs.get(d as usize) else {
                continue;
            };
            let Some(other) = fetch(&doc.id) else {
                continue;
            };
            let po = Prepared::new(&other, &self.p);
            let min = if doc.allowed {
                self.p.k
            } else {
                self.p.min_passage
            };
            let mut passages = Vec::new();
            for (tp, b) in align::align_prepared(&q, &po, &self.p, min) {
                if doc.allowed {
                    allowed_cover.push((tp.a_start, tp.a_end));
                } else {
                    copied[b.kind as usize].push((tp.a_start, tp.a_end));
                }
                passages.push(b);
            }
            if !passages.is_empty() {
                matches.push(ExactMatch {
                    id: doc.id.clone(),
                    allowed: doc.allowed,
                    passages,
                });
            }
        }
        sort_matches(&mut matches, |m| {
            m.passages.iter().map(|p| p.a[1] - p.a[0]).sum()
        });
        let shares = shares_of(copied, allowed_cover, q.syl.len(), q.cited_tokens());
        ExactCheckResult {
            matches,
            share: shares.counted(opts.count_quotes),
            shares,
            syllables: q.syl.len(),
            common: common_bytes,
        }
    }

    /// Save the index. Format (little endian): magic, version, parameters, documents,
    /// postings, then a 64-bit FNV-1a checksum of everything before it.
    pub fn write_to(&self, w: impl Write) -> Result<()> {
        let mut w = HashingWriter::new(w);
        w.put(MAGIC)?;
        w.put(&FORMAT_VERSION.to_le_bytes())?;
        for v in [
            self.p.k,
            self.p.w,
            self.p.min_passage,
            self.p.merge_gap,
            self.p.common_threshold,
        ] {
            w.put(&(v as u32).to_le_bytes())?;
        }
        w.put(&(self.docs.len() as u32).to_le_bytes())?;
        for d in &self.docs {
            w.put(&(d.id.len() as u32).to_le_bytes())?;
            w.put(d.id.as_bytes())?;
            w.put(&[u8::from(d.alive) | (u8::from(d.allowed) << 1)])?;
            w.put(&d.n_syl.to_le_bytes())?;
        }
        let n = (self.base_keys.len() + self.delta_keys.len()) as u64;
        w.put(&n.to_le_bytes())?;
        let base = self.base_keys.iter().zip(&self.base_pos);
        for (&k, &p) in base.chain(self.delta_keys.iter().zip(&self.delta_pos)) {
            w.put(&k.to_le_bytes())?;
            w.put(&p.to_le_bytes())?;
        }
        let sum = w.hash;
        w.inner.write_all(&sum.to_le_bytes())?;
        w.inner.flush()?;
        Ok(())
    }

    /// Load an index saved by [`Index::write_to`].
    pub fn read_from(r: impl Read) -> Result<Self> {
        let mut r = HashingReader::new(r);
        let mut magic = [0u8; 8];
        r.get(&mut magic)?;
        if &magic != MAGIC {
            return Err(Error::BadIndex("sai chữ ký tệp"));
        }
        let version = r.u32()?;
        if version != FORMAT_VERSION {
            return Err(Error::IndexVersion(version));
        }
        let p = Params {
            k: r.u32()? as usize,
            w: r.u32()? as usize,
            min_passage: r.u32()? as usize,
            merge_gap: r.u32()? as usize,
            common_threshold: r.u32()? as usize,
        };
        p.validate()?;
        let n_docs = r.u32()? as usize;
        if n_docs > MAX_DOCS {
            return Err(Error::BadIndex("số văn bản vượt giới hạn"));
        }
        let mut docs = Vec::with_capacity(n_docs.min(1 << 20));
        for _ in 0..n_docs {
            let len = r.u32()? as usize;
            if len > MAX_ID_LEN {
                return Err(Error::BadIndex("mã văn bản quá dài"));
            }
            let mut id = vec![0u8; len];
            r.get(&mut id)?;
            let id = String::from_utf8(id)
                .map_err(|_| Error::BadIndex("mã văn bản không phải UTF-8"))?;
            let mut flags = [0u8; 1];
            r.get(&mut flags)?;
            let n_syl = r.u32()?;
            docs.push(IndexDoc {
                id,
                alive: flags[0] & 1 != 0,
                allowed: flags[0] & 2 != 0,
                n_syl,
            });
        }
        let n = r.u64()?;
        let cap = (n as usize).min(1 << 24);
        let mut keys: Vec<u64> = Vec::with_capacity(cap);
        let mut pos: Vec<u32> = Vec::with_capacity(cap);
        // Postings up to `sorted_to` are in (key, position) order: the saved base.
        let mut sorted_to = None;
        for _ in 0..n {
            let k = r.u64()?;
            let p = r.u32()?;
            if (k & DOC_MASK) as usize >= n_docs {
                return Err(Error::BadIndex("số văn bản trong chỉ mục không hợp lệ"));
            }
            if sorted_to.is_none()
                && let (Some(&lk), Some(&lp)) = (keys.last(), pos.last())
                && (lk, lp) > (k, p)
            {
                sorted_to = Some(keys.len());
            }
            keys.push(k);
            pos.push(p);
        }
        let expect = r.hash;
        let mut sum = [0u8; 8];
        r.inner.read_exact(&mut sum)?;
        if u64::from_le_bytes(sum) != expect {
            return Err(Error::BadIndex("sai tổng kiểm tra"));
        }
        if let Some(s) = sorted_to {
            // Recent additions saved in insertion order: sort them and merge them in.
            let mut added: Vec<(u64, u32)> = keys[s..]
                .iter()
                .copied()
                .zip(pos[s..].iter().copied())
                .collect();
            keys.truncate(s);
            pos.truncate(s);
            added.sort_unstable();
            merge_in(&mut keys, &mut pos, &added);
        }
        let ids = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.alive)
            .map(|(i, d)| (d.id.clone(), i as u32))
            .collect();
        Ok(Index {
            p,
            docs,
            ids,
            base_keys: keys,
            base_pos: pos,
            delta_keys: Vec::new(),
            delta_pos: Vec::new(),
            delta_next: Vec::new(),
            delta_head: HashMap::new(),
        })
    }

    /// Syllable count of an indexed document.
    pub fn syllables_of(&self, id: &str) -> Option<u32> {
        self.ids
            .get(id)
            .and_then(|&d| self.docs.get(d as usize))
            .map(|d| d.n_syl)
    }
}

/// Merges syllable ranges of common text and turns them into byte ranges of the text.
fn common_ranges(ranges: &[(u32, u32)], q: &Prepared) -> Vec<[usize; 2]> {
    let mut rs = ranges.to_vec();
    rs.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for (s, e) in rs {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
        .into_iter()
        .filter_map(|(s, e)| {
            let tp = align::TokenPassage {
                a_start: s,
                a_end: e.min(q.syl.len() as u32),
                b_start: s,
                b_end: e.min(q.syl.len() as u32),
            };
            align::to_bytes(&tp, &q.syl, &q.syl).map(|b| b.a)
        })
        .collect()
}

/// Merge `added` (sorted) into the sorted postings `keys`/`pos`, from the back, in place.
fn merge_in(keys: &mut Vec<u64>, pos: &mut Vec<u32>, added: &[(u64, u32)]) {
    let (n, m) = (keys.len(), added.len());
    keys.resize(n + m, 0);
    pos.resize(n + m, 0);
    let (mut i, mut j) = (n, m);
    while j > 0 {
        let k = i + j - 1;
        if i > 0 && (keys[i - 1], pos[i - 1]) > added[j - 1] {
            keys[k] = keys[i - 1];
            pos[k] = pos[i - 1];
            i -= 1;
        } else {
            (keys[k], pos[k]) = added[j - 1];
            j -= 1;
        }
    }
}

fn sort_matches<M>(m: &mut [M], weight: impl Fn(&M) -> usize) {
    m.sort_by_key(|x| std::cmp::Reverse(weight(x)));
}

/// The kind of a match: prose if it shares any copied prose, else quote if any quote,
/// else citation.
fn strongest(kinds: impl Iterator<Item = PassageKind>) -> PassageKind {
    kinds.min().unwrap_or(PassageKind::Citation)
}

impl Match {
    /// `Prose` when the document shares copied prose with the text (a copy pair);
    /// `Quote` when it shares only quotes; `Citation` when only citations.
    pub fn kind(&self) -> PassageKind {
        strongest(self.passages.iter().map(|p| p.kind))
    }
}

impl ExactMatch {
    /// As [`Match::kind`].
    pub fn kind(&self) -> PassageKind {
        strongest(self.passages.iter().map(|p| p.kind))
    }
}

impl CheckResult {
    /// Matches that share copied prose (copy pairs).
    pub fn copied(&self) -> impl Iterator<Item = &Match> {
        self.matches
            .iter()
            .filter(|m| m.kind() == PassageKind::Prose)
    }
    /// Matches that share only quotes.
    pub fn quote_only(&self) -> impl Iterator<Item = &Match> {
        self.matches
            .iter()
            .filter(|m| m.kind() == PassageKind::Quote)
    }
    /// Matches that share only citations ("cùng trích dẫn").
    pub fn citation_only(&self) -> impl Iterator<Item = &Match> {
        self.matches
            .iter()
            .filter(|m| m.kind() == PassageKind::Citation)
    }
}

impl ExactCheckResult {
    /// As [`CheckResult::copied`].
    pub fn copied(&self) -> impl Iterator<Item = &ExactMatch> {
        self.matches
            .iter()
            .filter(|m| m.kind() == PassageKind::Prose)
    }
    /// As [`CheckResult::quote_only`].
    pub fn quote_only(&self) -> impl Iterator<Item = &ExactMatch> {
        self.matches
            .iter()
            .filter(|m| m.kind() == PassageKind::Quote)
    }
    /// As [`CheckResult::citation_only`].
    pub fn citation_only(&self) -> impl Iterator<Item = &ExactMatch> {
        self.matches
            .iter()
            .filter(|m| m.kind() == PassageKind::Citation)
    }
}

/// Shares from covered token ranges per kind (prose, quote, citation), allowed and
/// common text taken out; prose and quotes over the body (tokens outside citations).
fn shares_of(
    covered: [Vec<(u32, u32)>; 3],
    allowed: Vec<(u32, u32)>,
    n: usize,
    cited_tokens: usize,
) -> Shares {
    if n == 0 {
        return Shares::default();
    }
    // Bit k set: covered by a passage of kind k; a token counts for its first kind only.
    let mut mark = vec![0u8; n];
    for (k, ranges) in covered.iter().enumerate() {
        for &(s, e) in ranges {
            for m in mark.iter_mut().take(e as usize).skip(s as usize) {
                *m |= 1 << k;
            }
        }
    }
    for (s, e) in allowed {
        for m in mark.iter_mut().take(e as usize).skip(s as usize) {
            *m = 0;
        }
    }
    let count = |k: u8| {
        mark.iter()
            .filter(|&&m| m != 0 && m.trailing_zeros() == u32::from(k))
            .count() as f64
    };
    let body = n.saturating_sub(cited_tokens).max(1) as f64;
    Shares {
        prose: (count(0) / body).clamp(0.0, 1.0),
        quoted: (count(1) / body).clamp(0.0, 1.0),
        cited: (count(2) / n as f64).clamp(0.0, 1.0),
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
    }
    h
}

struct HashingWriter<W: Write> {
    inner: std::io::BufWriter<W>,
    hash: u64,
}

impl<W: Write> HashingWriter<W> {
    fn new(w: W) -> Self {
        HashingWriter {
            inner: std::io::BufWriter::new(w),
            hash: FNV_OFFSET,
        }
    }
    fn put(&mut self, b: &[u8]) -> Result<()> {
        self.hash = fnv(self.hash, b);
        self.inner.write_all(b)?;
        Ok(())
    }
}

struct HashingReader<R: Read> {
    inner: std::io::BufReader<R>,
    hash: u64,
}

impl<R: Read> HashingReader<R> {
    fn new(r: R) -> Self {
        HashingReader {
            inner: std::io::BufReader::new(r),
            hash: FNV_OFFSET,
        }
    }
    fn get(&mut self, b: &mut [u8]) -> Result<()> {
        self.inner.read_exact(b).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => Error::BadIndex("tệp bị cắt cụt"),
            _ => Error::Io(e),
        })?;
        self.hash = fnv(self.hash, b);
        Ok(())
    }
    fn u32(&mut self) -> Result<u32> {
        let mut b = [0u8; 4];
        self.get(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn u64(&mut self) -> Result<u64> {
        let mut b = [0u8; 8];
        self.get(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(seed: usize, n: usize) -> String {
        // Distinct syllables per seed so that only the planted text is shared.
        (0..n)
            .map(|i| format!("từ{}x{}", seed, i))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_file_of_the_previous_version_is_refused_cleanly() {
        let mut idx = Index::new(Params::default()).unwrap();
        idx.add("a", &words(1, 40)).unwrap();
        let mut file = Vec::new();
        idx.write_to(&mut file).unwrap();
        assert!(Index::read_from(file.as_slice()).is_ok());
        // Versions 1 (the tokenizer before decision 0007) and 2 (before the number
        // marks of decision 0009): same layout, other keys.
        for old in [1u32, 2] {
            file[8..12].copy_from_slice(&old.to_le_bytes());
            assert!(matches!(
                Index::read_from(file.as_slice()),
                Err(Error::IndexVersion(v)) if v == old
            ));
        }
    }

    #[test]
    fn text_in_very_many_documents_is_reported_as_common_and_not_counted() {
        let p = Params {
            common_threshold: 3,
            ..Params::default()
        };
        let mut idx = Index::new(p).unwrap();
        let shared = "đây là lời kêu gọi chung mà rất nhiều tác giả cùng chép lại nguyên văn vào bài viết của mình";
        for i in 0..5 {
            idx.add(
                &format!("d{i}"),
                &format!("{} {shared} {}", words(i, 40), words(i + 100, 40)),
            )
            .unwrap();
        }
        let q = format!("{} {shared} {}", words(900, 40), words(901, 40));
        for (common, share) in [(idx.check(&q).common, idx.check(&q).share), {
            let r = idx.check_exact(&q, |_| None);
            (r.common, r.share)
        }] {
            assert_eq!(share, 0.0);
            assert_eq!(common.len(), 1, "{common:?}");
            let [s, e] = common[0];
            assert!(shared.contains(&q[s..e]), "{}", &q[s..e]);
            assert!(e - s > shared.len() / 2);
        }
        // Below the threshold the same text pairs documents instead.
        let mut few = Index::new(p).unwrap();
        few.add("d0", &format!("{} {shared}", words(0, 40)))
            .unwrap();
        let r = few.check(&q);
        assert!(r.common.is_empty());
        assert_eq!(r.matches.len(), 1);
    }
}
