//! Batch scan over JSONL: every passage shared between entries, and between entries and a
//! reference corpus; overlap shares with allowed sources and common text left out.
//!
//! Memory plan (about 4 bytes per syllable plus 12 per fingerprint): texts are not
//! kept. Each syllable keeps a 16-bit key (for alignment), its byte length and the gap
//! to the next one (one byte each, exact values beyond 254 in a side list), enough to
//! give byte offsets into the original. Each fingerprint is `hash(40 bits) | doc(24
//! bits)` plus its syllable position, 12 bytes.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::align::{self, Key, Passage, TokenPassage};
use crate::error::{Error, Result};
use crate::params::Params;
use crate::tokenize;
use crate::winnow::{Fingerprint, Streamer};

/// Options of a batch scan.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Detection parameters.
    pub params: Params,
    /// Worker threads; 0 = one per core.
    pub threads: usize,
    /// Bytes of input read before a batch is processed in parallel.
    pub batch_bytes: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            params: Params::default(),
            threads: 0,
            batch_bytes: 8 << 20,
        }
    }
}

/// Text that many entries share (fingerprints in more than `common_threshold` documents),
/// treated like an allowed source and listed so organizers can see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommonText {
    /// An entry that contains it.
    pub example_id: String,
    /// `[start, end)` byte offsets in that entry's text (texts are not kept in memory).
    pub range: [usize; 2],
    /// How many documents share its most shared fingerprint.
    pub documents: usize,
}

/// What a scan did.
#[derive(Clone, Debug, Default)]
pub struct ScanSummary {
    /// Entries read.
    pub entries: usize,
    /// Reference documents read.
    pub references: usize,
    /// Allowed-source documents read.
    pub allowed: usize,
    /// Input lines skipped as malformed.
    pub skipped_lines: usize,
    /// Bytes of input text (the `text` fields).
    pub text_bytes: u64,
    /// Document pairs that shared at least one fingerprint.
    pub candidate_pairs: usize,
    /// Pairs written (with at least one passage).
    pub pairs: usize,
    /// Passages written.
    pub passages: usize,
    /// Shortest shared run always found, in syllables.
    pub guaranteed_run: usize,
    /// Text treated as common.
    pub common: Vec<CommonText>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Entry,
    Reference,
    Allowed,
}

struct Doc {
    id: String,
    role: Role,
    /// Index of the first syllable in the store.
    first: usize,
    n_syl: u32,
    /// Byte offset of the first syllable.
    lead: u32,
}

/// Per-syllable data of every document, in input order.
#[derive(Default)]
struct Store {
    keys: Vec<Key>,
    lens: Vec<u8>,
    gaps: Vec<u8>,
    /// (global syllable index, is_gap, exact value) where `lens`/`gaps` hold `ESC`.
    esc: Vec<(u64, bool, u32)>,
}

const ESC: u8 = u8::MAX;

impl Store {
    fn keys(&self, d: &Doc) -> &[Key] {
        self.keys
            .get(d.first..d.first + d.n_syl as usize)
            .unwrap_or(&[])
    }

    /// Byte span of every syllable of `d`.
    fn spans(&self, d: &Doc) -> Vec<(u32, u32)> {
        let n = d.n_syl as usize;
        let lo = self.esc.partition_point(|e| e.0 < d.first as u64);
        let exact = |i: usize, gap: bool, v: u8| -> u32 {
            if v != ESC {
                return u32::from(v);
            }
            let g = (d.first + i) as u64;
            self.esc[lo..]
                .iter()
                .take_while(|e| e.0 <= g)
                .find(|e| e.0 == g && e.1 == gap)
                .map_or(u32::from(v), |e| e.2)
        };
        let mut out = Vec::with_capacity(n);
        let mut pos = d.lead;
        for i in 0..n {
            let len = exact(i, false, self.lens.get(d.first + i).copied().unwrap_or(0));
            out.push((pos, pos.saturating_add(len)));
            let gap = exact(i, true, self.gaps.get(d.first + i).copied().unwrap_or(0));
            pos = pos.saturating_add(len).saturating_add(gap);
        }
        out
    }
}

/// One fingerprint of one document: `hash(40 bits) | doc(24 bits)` and the syllable
/// position of its k-gram; 12 bytes.
#[repr(C, packed(4))]
#[derive(Clone, Copy)]
struct FpEntry {
    key: u64,
    pos: u32,
}

/// Two documents share a k-gram at these syllable positions.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Seed {
    a: u32,
    b: u32,
    pa: u32,
    pb: u32,
}

/// At most this many positions of one document per fingerprint (repeated phrases).
const MAX_POSITIONS_PER_DOC: usize = 4;

const BUCKET_BITS: u32 = 10;
const BUCKETS: usize = 1 << BUCKET_BITS;
const BUCKET_SHIFT: u32 = 64 - BUCKET_BITS;

const DOC_BITS: u32 = 24;
const DOC_MASK: u64 = (1 << DOC_BITS) - 1;
const MAX_DOCS: usize = 1 << DOC_BITS;

#[derive(Deserialize)]
struct InLine<'a> {
    id: String,
    /// Borrowed from the line when it has no escapes: the text is not copied.
    #[serde(borrow)]
    text: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
struct PairLine<'a> {
    a: &'a str,
    b: &'a str,
    passages: &'a [Passage],
}

#[derive(Serialize)]
struct ShareLine<'a> {
    id: &'a str,
    share: f64,
}

struct State {
    p: Params,
    docs: Vec<Doc>,
    store: Store,
    /// Fingerprints in buckets by the top bits of their hash, so that sorting and
    /// grouping run per bucket, in parallel, without one big sort.
    fps: Vec<Vec<FpEntry>>,
    summary: ScanSummary,
}

/// Scan `entries` (and optionally `reference` and `allowed`), all JSONL with lines
/// `{"id": "...", "text": "..."}`.
///
/// Writes one line per pair with passages to `pairs_out`
/// (`{"a": id, "b": id, "passages": [{"a": [s, e], "b": [s, e]}]}`, byte offsets into
/// each `text` as given; `b` may be a reference id), one line per entry to `shares_out`
/// (`{"id": id, "share": 0.0..1.0}`), and human-readable progress (Vietnamese) to
/// `progress`. Malformed lines are reported with their line number and skipped.
pub fn scan_jsonl(
    entries: impl BufRead,
    reference: Option<impl BufRead>,
    allowed: Option<impl BufRead>,
    mut pairs_out: impl Write,
    mut shares_out: impl Write,
    mut progress: impl Write,
    opts: &ScanOptions,
) -> Result<ScanSummary> {
    let p = opts.params;
    p.validate()?;
    let mut builder = rayon::ThreadPoolBuilder::new();
    if opts.threads > 0 {
        builder = builder.num_threads(opts.threads);
    }
    let pool = builder.build().map_err(|e| Error::Threads(e.to_string()))?;
    let t0 = Instant::now();
    let mut st = State {
        p,
        docs: Vec::new(),
        store: Store::default(),
        fps: (0..BUCKETS).map(|_| Vec::new()).collect(),
        summary: ScanSummary {
            guaranteed_run: p.guaranteed_run(),
            ..ScanSummary::default()
        },
    };
    let batch = opts.batch_bytes.max(1 << 16);
    load(
        &pool,
        entries,
        Role::Entry,
        "bài dự thi",
        batch,
        &mut st,
        &mut progress,
    )?;
    if let Some(r) = reference {
        load(
            &pool,
            r,
            Role::Reference,
            "tài liệu tham chiếu",
            batch,
            &mut st,
            &mut progress,
        )?;
    }
    if let Some(a) = allowed {
        load(
            &pool,
            a,
            Role::Allowed,
            "nguồn được phép",
            batch,
            &mut st,
            &mut progress,
        )?;
    }
    writeln!(
        progress,
        "Đã đọc {} bài, {} tài liệu tham chiếu, {} nguồn được phép ({} MB) trong {:.1} s",
        st.summary.entries,
        st.summary.references,
        st.summary.allowed,
        st.summary.text_bytes / 1_000_000,
        t0.elapsed().as_secs_f64()
    )?;

    let roles: Vec<Role> = st.docs.iter().map(|d| d.role).collect();
    let fps = std::mem::take(&mut st.fps);
    let groups = pool.install(|| group_keys(fps, &roles, p.common_threshold));
    st.summary.candidate_pairs = groups.n_pairs;
    writeln!(
        progress,
        "Cặp ứng viên: {} ({} hạt giống); với nguồn được phép: {}; dấu vân tay chung: {} ({:.1} s)",
        groups.n_pairs,
        groups.seeds.len(),
        groups.allowed_seeds.len(),
        groups.common.len(),
        t0.elapsed().as_secs_f64()
    )?;

    // Allowed cover per entry: passages shared with allowed sources, plus common text.
    let allowed_cover = pool.install(|| allowed_cover(&groups, &st));

    // Align candidate pairs from their seeds.
    let by_pair: Vec<&[Seed]> = groups
        .seeds
        .chunk_by(|x, y| (x.a, x.b) == (y.a, y.b))
        .collect();
    let results: Vec<(u32, u32, Vec<TokenPassage>)> = pool.install(|| {
        by_pair
            .par_iter()
            .filter_map(|chunk| {
                let first = chunk.first()?;
                let (a, b) = (first.a, first.b);
                let seeds: Vec<(u32, u32)> = chunk.iter().map(|s| (s.pa, s.pb)).collect();
                let (ka, kb) = (st.keys_of(a), st.keys_of(b));
                let mut ps = align::align_seeds(ka, kb, seeds, &p, p.min_passage);
                ps.retain(|tp| {
                    let a_free = uncovered(allowed_cover.get(&a), tp.a_start, tp.a_end);
                    let b_free = uncovered(allowed_cover.get(&b), tp.b_start, tp.b_end);
                    a_free >= p.min_passage as u32 && b_free >= p.min_passage as u32
                });
                (!ps.is_empty()).then_some((a, b, ps))
            })
            .collect()
    });
    writeln!(
        progress,
        "Đã đối chiếu {} cặp; {} cặp có đoạn trùng ({:.1} s)",
        groups.n_pairs,
        results.len(),
        t0.elapsed().as_secs_f64()
    )?;

    // Write pairs and collect covered syllables per entry.
    let mut covered: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    let mut spans_cache: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    for (a, b, tps) in &results {
        for d in [*a, *b] {
            if !spans_cache.contains_key(&d)
                && let Some(doc) = st.docs.get(d as usize)
            {
                spans_cache.insert(d, st.store.spans(doc));
            }
        }
        let (Some(sa), Some(sb)) = (spans_cache.get(a), spans_cache.get(b)) else {
            continue;
        };
        let passages: Vec<Passage> = tps
            .iter()
            .filter_map(|tp| {
                Some(Passage {
                    a: align::span_bytes(sa, tp.a_start, tp.a_end)?,
                    b: align::span_bytes(sb, tp.b_start, tp.b_end)?,
                })
            })
            .collect();
        serde_json::to_writer(
            &mut pairs_out,
            &PairLine {
                a: &st.docs[*a as usize].id,
                b: &st.docs[*b as usize].id,
                passages: &passages,
            },
        )?;
        pairs_out.write_all(b"\n")?;
        st.summary.pairs += 1;
        st.summary.passages += passages.len();
        for tp in tps {
            covered.entry(*a).or_default().push((tp.a_start, tp.a_end));
            if roles[*b as usize] == Role::Entry {
                covered.entry(*b).or_default().push((tp.b_start, tp.b_end));
            }
        }
        // Pairs come sorted by a: a's spans are not needed again once b > a.
        spans_cache.retain(|&d, _| d >= *a);
    }
    pairs_out.flush()?;

    // Shares, in input order.
    for (i, d) in st.docs.iter().enumerate() {
        if d.role != Role::Entry {
            continue;
        }
        let i = i as u32;
        let share = match covered.get_mut(&i) {
            Some(iv) if d.n_syl > 0 => {
                let merged = merge_intervals(std::mem::take(iv));
                let copied: u32 = merged
                    .iter()
                    .map(|&(s, e)| uncovered(allowed_cover.get(&i), s, e))
                    .sum();
                (f64::from(copied) / f64::from(d.n_syl)).clamp(0.0, 1.0)
            }
            _ => 0.0,
        };
        serde_json::to_writer(&mut shares_out, &ShareLine { id: &d.id, share })?;
        shares_out.write_all(b"\n")?;
    }
    shares_out.flush()?;

    st.summary.common = common_texts(&groups.common, &st, &p);
    // Show organizers what was treated as common text (the full list is in the summary).
    for c in st.summary.common.iter().take(20) {
        writeln!(
            progress,
            "Văn bản chung ({} văn bản): bài {}, byte {}-{}",
            c.documents, c.example_id, c.range[0], c.range[1]
        )?;
    }
    writeln!(
        progress,
        "Xong: {} cặp, {} đoạn trùng, {} đoạn văn bản chung ({:.1} s)",
        st.summary.pairs,
        st.summary.passages,
        st.summary.common.len(),
        t0.elapsed().as_secs_f64()
    )?;
    Ok(st.summary)
}

impl State {
    fn keys_of(&self, d: u32) -> &[Key] {
        self.docs
            .get(d as usize)
            .map_or(&[], |doc| self.store.keys(doc))
    }
}

enum Parsed {
    Ok(Box<ParsedDoc>),
    Bad(String),
}

struct ParsedDoc {
    id: String,
    text_len: usize,
    lead: u32,
    keys: Vec<Key>,
    lens: Vec<u8>,
    gaps: Vec<u8>,
    /// (syllable index in this document, is_gap, exact value).
    esc: Vec<(u32, bool, u32)>,
    /// (hash with the document bits cleared, k-gram position).
    hashes: Vec<(u64, u32)>,
}

fn parse_and_fingerprint(line: &[u8], p: &Params) -> Parsed {
    // Validate UTF-8 once with SIMD; serde_json's from_str then trusts it (from_slice
    // would validate again, slowly: it was a tenth of the scan's time).
    let Ok(line) = simdutf8::basic::from_utf8(line) else {
        return Parsed::Bad("không phải UTF-8 hợp lệ".into());
    };
    let v: InLine = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return Parsed::Bad(format!("JSON không hợp lệ ({e})")),
    };
    // One streaming pass: keys, lengths and gaps per syllable, fingerprints on the fly.
    // Fingerprints stay unsorted and not deduplicated: groups drop repeats themselves.
    let n_guess = v.text.len() / 5;
    let mut d = ParsedDoc {
        id: v.id,
        text_len: v.text.len(),
        lead: 0,
        keys: Vec::with_capacity(n_guess),
        lens: Vec::with_capacity(n_guess),
        gaps: Vec::with_capacity(n_guess),
        esc: Vec::new(),
        hashes: Vec::with_capacity(n_guess / 4),
    };
    let mut st = Streamer::new(p.k, p.w);
    let mut prev_end: Option<u32> = None;
    let hashes = &mut d.hashes;
    let mut emit = |f: Fingerprint| hashes.push((f.hash & !DOC_MASK, f.pos));
    let (keys, lens, gaps, esc) = (&mut d.keys, &mut d.lens, &mut d.gaps, &mut d.esc);
    let mut lead = 0u32;
    tokenize::for_each_syllable(&v.text, |s| {
        let i = keys.len() as u32;
        match prev_end {
            Some(pe) => {
                let gap = s.start - pe;
                if let Some(last) = gaps.last_mut() {
                    *last = small(gap, i - 1, true, esc);
                }
            }
            None => lead = s.start,
        }
        let k = align::key(&s);
        keys.push(k);
        lens.push(small(s.end - s.start, i, false, esc));
        gaps.push(0);
        prev_end = Some(s.end);
        st.push(u64::from(k), &mut emit);
    });
    st.finish(&mut emit);
    d.lead = lead;
    Parsed::Ok(Box::new(d))
}

/// A length that fits in a byte, or `ESC` with the exact value recorded.
fn small(v: u32, i: u32, is_gap: bool, esc: &mut Vec<(u32, bool, u32)>) -> u8 {
    if v < u32::from(ESC) {
        v as u8
    } else {
        esc.push((i, is_gap, v));
        ESC
    }
}

fn load(
    pool: &rayon::ThreadPool,
    mut reader: impl BufRead,
    role: Role,
    label: &str,
    batch_bytes: usize,
    st: &mut State,
    progress: &mut impl Write,
) -> Result<()> {
    let mut line_no = 0usize;
    let mut eof = false;
    while !eof {
        let mut lines: Vec<(usize, Vec<u8>)> = Vec::new();
        let mut size = 0usize;
        while size < batch_bytes {
            let mut buf = Vec::new();
            if reader.read_until(b'\n', &mut buf)? == 0 {
                eof = true;
                break;
            }
            line_no += 1;
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            size += buf.len();
            lines.push((line_no, buf));
        }
        let p = st.p;
        let parsed: Vec<(usize, Parsed)> = pool.install(|| {
            lines
                .par_iter()
                .map(|(n, l)| (*n, parse_and_fingerprint(l, &p)))
                .collect()
        });
        drop(lines);
        for (n, item) in parsed {
            match item {
                Parsed::Bad(msg) => {
                    st.summary.skipped_lines += 1;
                    writeln!(progress, "{label}, dòng {n}: {msg}; bỏ qua dòng này")?;
                }
                Parsed::Ok(pd) => {
                    let doc = st.docs.len();
                    if doc >= MAX_DOCS {
                        return Err(Error::TooManyDocuments { max: MAX_DOCS });
                    }
                    let pd = *pd;
                    let first = st.store.keys.len();
                    st.summary.text_bytes += pd.text_len as u64;
                    for &(h, pos) in &pd.hashes {
                        if let Some(b) = st.fps.get_mut((h >> BUCKET_SHIFT) as usize) {
                            b.push(FpEntry {
                                key: h | doc as u64,
                                pos,
                            });
                        }
                    }
                    st.store.keys.extend_from_slice(&pd.keys);
                    st.store.lens.extend_from_slice(&pd.lens);
                    st.store.gaps.extend_from_slice(&pd.gaps);
                    st.store.esc.extend(
                        pd.esc
                            .iter()
                            .map(|&(i, g, v)| ((first + i as usize) as u64, g, v)),
                    );
                    st.docs.push(Doc {
                        id: pd.id,
                        role,
                        first,
                        n_syl: pd.keys.len().min(u32::MAX as usize) as u32,
                        lead: pd.lead,
                    });
                    match role {
                        Role::Entry => st.summary.entries += 1,
                        Role::Reference => st.summary.references += 1,
                        Role::Allowed => st.summary.allowed += 1,
                    }
                }
            }
        }
        writeln!(progress, "{label}: đã đọc {line_no} dòng")?;
    }
    Ok(())
}

struct CommonHash {
    example: u32,
    /// Positions of the k-gram in the example document.
    positions: Vec<u32>,
    documents: usize,
}

#[derive(Default)]
struct Groups {
    /// Seeds between entries and entries/references, sorted by pair.
    seeds: Vec<Seed>,
    /// Distinct pairs among `seeds`.
    n_pairs: usize,
    /// Seeds between entries (a) and allowed sources (b), sorted by pair.
    allowed_seeds: Vec<Seed>,
    common: Vec<CommonHash>,
    /// (entry, position) of every k-gram of common text.
    common_pos: Vec<(u32, u32)>,
}

/// Sort each bucket of fingerprints and walk it group by group (equal hash), emitting
/// seeds. A bucket is freed as soon as it is done.
fn group_keys(buckets: Vec<Vec<FpEntry>>, roles: &[Role], threshold: usize) -> Groups {
    let parts: Vec<Groups> = buckets
        .into_par_iter()
        .map(|mut b| {
            b.sort_unstable_by_key(|e| e.key);
            group_chunk(&b, roles, threshold)
        })
        .collect();
    let mut g = Groups::default();
    for mut part in parts {
        g.seeds.append(&mut part.seeds);
        g.allowed_seeds.append(&mut part.allowed_seeds);
        g.common.append(&mut part.common);
        g.common_pos.append(&mut part.common_pos);
    }
    g.seeds.par_sort_unstable();
    g.seeds.dedup();
    g.allowed_seeds.par_sort_unstable();
    g.allowed_seeds.dedup();
    g.n_pairs = g.seeds.chunk_by(|x, y| (x.a, x.b) == (y.a, y.b)).count();
    g
}

fn group_chunk(fps: &[FpEntry], roles: &[Role], threshold: usize) -> Groups {
    let mut g = Groups::default();
    let mut i = 0;
    // (doc, pos) postings of one group, at most MAX_POSITIONS_PER_DOC per doc.
    let mut post: Vec<(u32, u32)> = Vec::new();
    let role = |d: u32| roles.get(d as usize).copied().unwrap_or(Role::Allowed);
    while i < fps.len() {
        let h = fps[i].key & !DOC_MASK;
        let mut j = i;
        post.clear();
        let mut n_docs = 0usize;
        let mut run = 0usize;
        while j < fps.len() && fps[j].key & !DOC_MASK == h {
            let d = (fps[j].key & DOC_MASK) as u32;
            let pos = fps[j].pos;
            if post.last().map(|x| x.0) == Some(d) {
                run += 1;
            } else {
                run = 1;
                n_docs += 1;
            }
            if run <= MAX_POSITIONS_PER_DOC {
                post.push((d, pos));
            }
            j += 1;
        }
        i = j;
        if n_docs < 2 {
            continue;
        }
        if post.iter().any(|&(d, _)| role(d) == Role::Allowed) {
            for &(e, pe) in post.iter().filter(|x| role(x.0) == Role::Entry) {
                for &(a, pa) in post.iter().filter(|x| role(x.0) == Role::Allowed) {
                    g.allowed_seeds.push(Seed {
                        a: e,
                        b: a,
                        pa: pe,
                        pb: pa,
                    });
                }
            }
            continue;
        }
        if n_docs > threshold {
            g.common_pos
                .extend(post.iter().filter(|x| role(x.0) == Role::Entry));
            if let Some(&(example, _)) = post.iter().find(|x| role(x.0) == Role::Entry) {
                g.common.push(CommonHash {
                    example,
                    positions: post
                        .iter()
                        .filter(|x| x.0 == example)
                        .map(|x| x.1)
                        .collect(),
                    documents: n_docs,
                });
            }
            continue;
        }
        // Docs are numbered entries first, then references: x < y puts the entry first.
        for (xi, &(x, px)) in post.iter().enumerate() {
            if role(x) != Role::Entry {
                continue;
            }
            for &(y, py) in &post[xi + 1..] {
                if y != x {
                    g.seeds.push(Seed {
                        a: x,
                        b: y,
                        pa: px,
                        pb: py,
                    });
                }
            }
        }
    }
    g
}

type Cover = HashMap<u32, Vec<(u32, u32)>>;

fn allowed_cover(g: &Groups, st: &State) -> Cover {
    let p = &st.p;
    let k = p.k as u32;
    let mut cover: Cover = HashMap::new();
    for &(e, pos) in &g.common_pos {
        cover.entry(e).or_default().push((pos, pos + k));
    }
    let by_pair: Vec<&[Seed]> = g
        .allowed_seeds
        .chunk_by(|x, y| (x.a, x.b) == (y.a, y.b))
        .collect();
    let found: Vec<(u32, Vec<(u32, u32)>)> = by_pair
        .par_iter()
        .filter_map(|chunk| {
            let first = chunk.first()?;
            let seeds: Vec<(u32, u32)> = chunk.iter().map(|s| (s.pa, s.pb)).collect();
            let tps = align::align_seeds(st.keys_of(first.a), st.keys_of(first.b), seeds, p, p.k);
            Some((first.a, tps.iter().map(|t| (t.a_start, t.a_end)).collect()))
        })
        .collect();
    for (e, mut iv) in found {
        cover.entry(e).or_default().append(&mut iv);
    }
    cover
        .into_par_iter()
        .map(|(e, iv)| (e, merge_intervals(iv)))
        .collect()
}

/// Sort and merge overlapping or touching intervals.
fn merge_intervals(mut iv: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    iv.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(iv.len());
    for (s, e) in iv {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Syllables of `[s, e)` not covered by the sorted disjoint intervals `cover`.
fn uncovered(cover: Option<&Vec<(u32, u32)>>, s: u32, e: u32) -> u32 {
    let total = e.saturating_sub(s);
    let Some(cover) = cover else {
        return total;
    };
    let first = cover.partition_point(|&(_, ce)| ce <= s);
    let mut inside = 0u32;
    for &(cs, ce) in &cover[first..] {
        if cs >= e {
            break;
        }
        inside += ce.min(e).saturating_sub(cs.max(s));
    }
    total - inside.min(total)
}

/// (start syllable, end syllable, documents sharing it).
type Span = (u32, u32, usize);

fn common_texts(common: &[CommonHash], st: &State, p: &Params) -> Vec<CommonText> {
    let k = p.k as u32;
    let mut by_doc: HashMap<u32, Vec<(u32, u32, usize)>> = HashMap::new();
    for c in common {
        let spans = by_doc.entry(c.example).or_default();
        for &pos in &c.positions {
            spans.push((pos, pos + k, c.documents));
        }
    }
    let mut docs: Vec<(u32, Vec<Span>)> = by_doc.into_iter().collect();
    docs.sort_unstable_by_key(|x| x.0);
    let mut out = Vec::new();
    for (d, mut spans) in docs {
        let Some(doc) = st.docs.get(d as usize) else {
            continue;
        };
        spans.sort_unstable();
        let mut merged: Vec<(u32, u32, usize)> = Vec::new();
        for (s, e, n) in spans {
            match merged.last_mut() {
                Some(last) if s <= last.1 => {
                    last.1 = last.1.max(e);
                    last.2 = last.2.max(n);
                }
                _ => merged.push((s, e, n)),
            }
        }
        let syl_spans = st.store.spans(doc);
        for (s, e, n) in merged {
            if let Some(range) = align::span_bytes(&syl_spans, s, e) {
                out.push(CommonText {
                    example_id: doc.id.clone(),
                    range,
                    documents: n,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_and_uncovered() {
        let m = merge_intervals(vec![(5, 10), (0, 3), (9, 12), (12, 14)]);
        assert_eq!(m, vec![(0, 3), (5, 14)]);
        assert_eq!(uncovered(Some(&m), 0, 20), 20 - 3 - 9);
        assert_eq!(uncovered(Some(&m), 6, 8), 0);
        assert_eq!(uncovered(None, 6, 8), 2);
    }
}
