//! Batch scan over JSONL: every passage shared between entries, and between entries and a
//! reference corpus; overlap shares with allowed sources and common text left out.
//!
//! Memory plan (about 3 bytes per syllable plus 12 per fingerprint): texts are not
//! kept. Each syllable keeps a 16-bit key (for alignment), its byte length and the gap
//! before it (4 bits each, exact values from 15 up in a side list), enough to give
//! byte offsets into the original. Each fingerprint is `hash(40 bits) | doc(24 bits)`
//! plus its syllable position, 12 bytes. Input is parsed in pieces by worker threads
//! (see `load`); what a piece yields is kept as one segment, never copied.

mod load;

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::align::{self, Key, Passage, TokenPassage};
use crate::error::{Error, Result};
use crate::params::{Params, SHORT_MAX_DOCS};
use crate::tokenize::{PassageKind, ZoneRun};
use load::{BUCKETS, DOC_MASK, FpEntry, KIND_SHIFT, POS_MASK, Segment};

/// Options of a batch scan.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Detection parameters.
    pub params: Params,
    /// Worker threads; 0 = one per core.
    pub threads: usize,
    /// Bytes of input parsed by a worker as one piece (cut at line ends).
    pub batch_bytes: usize,
    /// Whether passages inside quotation marks count in the copied share (the
    /// contest's rule; default true). Quotes are reported with their kind either way
    /// and never make a pair on their own.
    pub count_quotes: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            params: Params::default(),
            threads: 0,
            batch_bytes: 2 << 20,
            count_quotes: true,
        }
    }
}

/// Parts of an entry's text shared with other documents.
///
/// `prose` and `quoted` are fractions of the entry's tokens outside citations (its
/// body: a reference list does not dilute the share); `cited` is the fraction of all
/// its tokens that are citations shared with another document, never counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Shares {
    /// Copied prose (passages of pairs).
    pub prose: f64,
    /// Quoted passages shared with another document.
    pub quoted: f64,
    /// Citations shared with another document.
    pub cited: f64,
}

impl Shares {
    /// The copied share under a contest's rule: prose, plus quotes when they count.
    pub fn counted(&self, count_quotes: bool) -> f64 {
        let q = if count_quotes { self.quoted } else { 0.0 };
        (self.prose + q).clamp(0.0, 1.0)
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
    /// Pairs written: pairs that share copied prose (quotes and citations that adjoin
    /// it are listed with it, each passage with its kind).
    pub pairs: usize,
    /// k-grams inside quotes or citations that another document shares (they make no
    /// pair; they give the quoted and cited shares).
    pub zone_shared: usize,
    /// Seeds from short fingerprints (decision 0008).
    pub short_seeds: usize,
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
    /// Its segment, and the index of its first syllable there.
    seg: u32,
    first: u32,
    n_syl: u32,
    /// Byte offset of the first syllable.
    lead: u32,
    /// Its quote and citation runs in its segment: `zones[z0..z0 + zn]`.
    z0: u32,
    zn: u32,
    /// Tokens inside citations.
    cited: u32,
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

const MAX_DOCS: usize = 1 << load::DOC_BITS;

#[derive(Serialize)]
struct PairLine<'a> {
    a: &'a str,
    b: &'a str,
    passages: &'a [Passage],
}

#[derive(Serialize)]
struct ShareLine<'a> {
    id: &'a str,
    /// The counted share (prose, plus quotes when they count).
    share: f64,
    prose: f64,
    quoted: f64,
    cited: f64,
}

struct State {
    p: Params,
    threads: usize,
    piece_bytes: usize,
    docs: Vec<Doc>,
    segs: Vec<Segment>,
    /// Number of the first document of each segment.
    doc_base: Vec<u32>,
    summary: ScanSummary,
}

/// Scan `entries` (and optionally `reference` and `allowed`), all JSONL with lines
/// `{"id": "...", "text": "..."}`.
///
/// Writes one line per pair that shares copied prose to `pairs_out`
/// (`{"a": id, "b": id, "passages": [{"a": [s, e], "b": [s, e], "kind": "prose"}]}`,
/// byte offsets into each `text` as given; `b` may be a reference id; `kind` is
/// `prose`, `quote` or `citation`, and a pair's quotes and citations are listed with
/// its prose), one line per entry to `shares_out` (`{"id": id, "share": 0.0..1.0,
/// "prose": …, "quoted": …, "cited": …}`, see [`Shares`]; `share` counts quotes when
/// `opts.count_quotes`), and human-readable progress (Vietnamese) to `progress`.
/// Pairs that share only quotes or only citations are not written (their quotes still
/// count in shares). Malformed lines are reported with their line number and skipped.
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
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Threads(e.to_string()))?;
    let t0 = Instant::now();
    let mut st = State {
        p,
        threads,
        piece_bytes: opts.batch_bytes.max(1 << 12),
        docs: Vec::new(),
        segs: Vec::new(),
        doc_base: Vec::new(),
        summary: ScanSummary {
            guaranteed_run: p.guaranteed_run(),
            ..ScanSummary::default()
        },
    };
    load(entries, Role::Entry, "bài dự thi", &mut st, &mut progress)?;
    if let Some(r) = reference {
        load(
            r,
            Role::Reference,
            "tài liệu tham chiếu",
            &mut st,
            &mut progress,
        )?;
    }
    if let Some(a) = allowed {
        load(a, Role::Allowed, "nguồn được phép", &mut st, &mut progress)?;
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
    let mut groups =
        pool.install(|| group_keys(&st.segs, &st.doc_base, &roles, p.common_threshold, false));
    // Fingerprints are not needed any more (freed in parallel: it is page-table work).
    pool.install(|| {
        st.segs.par_iter_mut().for_each(|s| {
            s.fps = Vec::new();
            s.bucket_end = Vec::new();
        });
    });
    // Short fingerprints hold more entries than the long ones: taken in two passes
    // over halves of the hash space, so that they never need more memory than those.
    let mut short = Vec::new();
    for pass in 0..2 {
        pool.install(|| short_layer(&mut st, pass));
        let mut g =
            pool.install(|| group_keys(&st.segs, &st.doc_base, &roles, p.common_threshold, true));
        short.append(&mut g.seeds);
        pool.install(|| {
            st.segs.par_iter_mut().for_each(|s| {
                s.sfps = Vec::new();
                s.sbucket_end = Vec::new();
            });
        });
    }
    short.par_sort_unstable();
    short.dedup();
    st.summary.short_seeds = short.len();
    groups.add_seeds(short);
    st.summary.candidate_pairs = groups.n_pairs;
    st.summary.zone_shared = groups.zone_shared.len();
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

    // Align candidate pairs from their seeds and cut passages by kind; byte offsets are
    // taken here, in parallel.
    let by_pair: Vec<&[Seed]> = groups
        .seeds
        .chunk_by(|x, y| (x.a, x.b) == (y.a, y.b))
        .collect();
    type Aligned = (u32, u32, Vec<(TokenPassage, PassageKind)>, Vec<Passage>);
    let results: Vec<Aligned> = pool.install(|| {
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
                    align::long_enough(
                        &TokenPassage {
                            a_start: 0,
                            a_end: a_free,
                            b_start: 0,
                            b_end: b_free,
                        },
                        p.min_passage as u32,
                    )
                });
                if ps.is_empty() {
                    return None;
                }
                let (za, zb) = (st.zones_of(a), st.zones_of(b));
                let kinds: Vec<(TokenPassage, PassageKind)> = ps
                    .iter()
                    .flat_map(|tp| align::split_kinds(tp, za, zb, p.min_passage as u32))
                    .collect();
                let a_end = kinds.iter().map(|x| x.0.a_end).max().unwrap_or(0);
                let b_end = kinds.iter().map(|x| x.0.b_end).max().unwrap_or(0);
                let (sa, sb) = (st.spans(a, a_end), st.spans(b, b_end));
                let bytes: Vec<Passage> = kinds
                    .iter()
                    .filter_map(|(tp, kind)| {
                        Some(Passage {
                            a: align::span_bytes(&sa, tp.a_start, tp.a_end)?,
                            b: align::span_bytes(&sb, tp.b_start, tp.b_end)?,
                            kind: *kind,
                        })
                    })
                    .collect();
                Some((a, b, kinds, bytes))
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

    // Write the pairs that share copied prose; collect covered tokens per entry and kind
    // (quotes and citations that other documents share, from their fingerprints).
    let mut covered: HashMap<u32, [Vec<(u32, u32)>; 3]> = HashMap::new();
    let k = p.k as u32;
    for &(d, pos, kind) in &groups.zone_shared {
        let kind = usize::from(kind).min(2);
        covered.entry(d).or_default()[kind].push((pos, pos + k));
    }
    for (a, b, tps, passages) in &results {
        let copied = tps.iter().any(|x| x.1 == PassageKind::Prose);
        if copied {
            serde_json::to_writer(
                &mut pairs_out,
                &PairLine {
                    a: &st.docs[*a as usize].id,
                    b: &st.docs[*b as usize].id,
                    passages,
                },
            )?;
            pairs_out.write_all(b"\n")?;
            st.summary.pairs += 1;
            st.summary.passages += passages.len();
        }
        for (tp, kind) in tps {
            let k = *kind as usize;
            covered.entry(*a).or_default()[k].push((tp.a_start, tp.a_end));
            if roles[*b as usize] == Role::Entry {
                covered.entry(*b).or_default()[k].push((tp.b_start, tp.b_end));
            }
        }
    }
    pairs_out.flush()?;

    // Shares, in input order.
    for (i, d) in st.docs.iter().enumerate() {
        if d.role != Role::Entry {
            continue;
        }
        let i = i as u32;
        let mut shares = Shares::default();
        if let Some(cov) = covered.get_mut(&i)
            && d.n_syl > 0
        {
            let mut part = |k: PassageKind| -> u32 {
                let merged = merge_intervals(std::mem::take(&mut cov[k as usize]));
                merged
                    .iter()
                    .map(|&(s, e)| uncovered(allowed_cover.get(&i), s, e))
                    .sum()
            };
            let (prose, quoted, cited) = (
                part(PassageKind::Prose),
                part(PassageKind::Quote),
                part(PassageKind::Citation),
            );
            let body = f64::from(d.n_syl.saturating_sub(d.cited).max(1));
            shares = Shares {
                prose: (f64::from(prose) / body).clamp(0.0, 1.0),
                quoted: (f64::from(quoted) / body).clamp(0.0, 1.0),
                cited: (f64::from(cited) / f64::from(d.n_syl)).clamp(0.0, 1.0),
            };
        }
        serde_json::to_writer(
            &mut shares_out,
            &ShareLine {
                id: &d.id,
                share: shares.counted(opts.count_quotes),
                prose: shares.prose,
                quoted: shares.quoted,
                cited: shares.cited,
            },
        )?;
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
    let State { segs, summary, .. } = st;
    pool.install(|| segs.into_par_iter().for_each(drop));
    Ok(summary)
}

impl State {
    fn keys_of(&self, d: u32) -> &[Key] {
        let Some(doc) = self.docs.get(d as usize) else {
            return &[];
        };
        let Some(seg) = self.segs.get(doc.seg as usize) else {
            return &[];
        };
        let first = doc.first as usize;
        seg.keys
            .get(first..first + doc.n_syl as usize)
            .unwrap_or(&[])
    }

    fn zones_of(&self, d: u32) -> &[ZoneRun] {
        let Some(doc) = self.docs.get(d as usize) else {
            return &[];
        };
        let Some(seg) = self.segs.get(doc.seg as usize) else {
            return &[];
        };
        let z0 = doc.z0 as usize;
        seg.zones.get(z0..z0 + doc.zn as usize).unwrap_or(&[])
    }

    /// Byte span of each of the first `upto` syllables of document `d`.
    fn spans(&self, d: u32, upto: u32) -> Vec<(u32, u32)> {
        let Some(doc) = self.docs.get(d as usize) else {
            return Vec::new();
        };
        self.segs.get(doc.seg as usize).map_or_else(Vec::new, |s| {
            s.spans(doc.first, doc.n_syl.min(upto), doc.lead)
        })
    }
}

/// Short fingerprints of every segment (decision 0008), in parallel.
fn short_layer(st: &mut State, pass: usize) {
    let State {
        segs,
        docs,
        doc_base,
        ..
    } = st;
    let docs: &[Doc] = docs;
    segs.par_iter_mut()
        .enumerate()
        .for_each_init(load::ShortScratch::default, |sc, (i, seg)| {
            let lo = doc_base.get(i).copied().unwrap_or(0) as usize;
            let hi = doc_base.get(i + 1).map_or(docs.len(), |&x| x as usize);
            let its = docs
                .get(lo..hi)
                .unwrap_or(&[])
                .iter()
                .map(|d| (d.first, d.n_syl));
            load::short_fingerprints(seg, its, pass, sc);
        });
}

/// Read one input stream; its documents get the next numbers.
fn load(
    reader: impl BufRead,
    role: Role,
    label: &str,
    st: &mut State,
    progress: &mut impl Write,
) -> Result<()> {
    let segs = load::read_segments(reader, &st.p, st.threads, st.piece_bytes, |bytes| {
        writeln!(progress, "{label}: đã đọc {} MB", bytes / 1_000_000)?;
        Ok(())
    })?;
    let mut line_base = 0usize;
    for seg in segs {
        for (n, msg) in &seg.bad {
            st.summary.skipped_lines += 1;
            writeln!(
                progress,
                "{label}, dòng {}: {msg}; bỏ qua dòng này",
                line_base + n
            )?;
        }
        line_base += seg.lines;
        if st.docs.len() + seg.docs.len() > MAX_DOCS {
            return Err(Error::TooManyDocuments { max: MAX_DOCS });
        }
        let seg_no = st.segs.len() as u32;
        st.doc_base.push(st.docs.len() as u32);
        st.summary.text_bytes += seg.text_bytes;
        let n = seg.docs.len();
        match role {
            Role::Entry => st.summary.entries += n,
            Role::Reference => st.summary.references += n,
            Role::Allowed => st.summary.allowed += n,
        }
        let mut seg = seg;
        for d in std::mem::take(&mut seg.docs) {
            st.docs.push(Doc {
                id: d.id,
                role,
                seg: seg_no,
                first: d.first,
                n_syl: d.n_syl,
                lead: d.lead,
                z0: d.z0,
                zn: d.zn,
                cited: d.cited,
            });
        }
        st.segs.push(seg);
    }
    writeln!(progress, "{label}: đã đọc {line_base} dòng")?;
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
    /// (entry, position, kind) of k-grams inside quotes or citations that another
    /// document shares.
    zone_shared: Vec<(u32, u32, u8)>,
}

/// Walk each bucket of fingerprints (its slices in all segments) and emit seeds for
/// hashes shared by several documents. Buckets run in parallel.
///
/// Most fingerprints occur once and can pair nothing, so a first pass over the bucket
/// marks hashes seen twice in a small table of 2-bit counters (indexed by a hash of the
/// fingerprint; a few singletons share a slot with a repeated hash and survive), and a
/// second pass copies only the marked ones, which are then sorted by (hash, document,
/// position) and grouped.
///
/// With `short`, the short fingerprints are walked instead: they only give seeds
/// between entries and entries/references, from hashes in at most `SHORT_MAX_DOCS`
/// documents.
fn group_keys(
    segs: &[Segment],
    doc_base: &[u32],
    roles: &[Role],
    threshold: usize,
    short: bool,
) -> Groups {
    let parts: Vec<Groups> = (0..BUCKETS)
        .into_par_iter()
        .map_init(
            || (Vec::<u64>::new(), Vec::<FpEntry>::new()),
            |(table, v), b| {
                let n: usize = segs.iter().map(|s| s.bucket(short, b).len()).sum();
                let slots = (n * 8).next_power_of_two().max(1 << 12);
                let shift = 64 - slots.trailing_zeros();
                let slot = |key: u64| {
                    ((key >> load::DOC_BITS).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
                };
                table.clear();
                table.resize(slots / 32, 0);
                for seg in segs {
                    for e in seg.bucket(short, b) {
                        let x = slot(e.key);
                        if let Some(word) = table.get_mut(x / 32) {
                            let sh = 2 * (x % 32);
                            let seen = (*word >> sh) & 1;
                            *word |= (1 | (seen << 1)) << sh;
                        }
                    }
                }
                v.clear();
                for (seg, &base) in segs.iter().zip(doc_base) {
                    for e in seg.bucket(short, b) {
                        let x = slot(e.key);
                        let twice = table
                            .get(x / 32)
                            .is_some_and(|w| (w >> (2 * (x % 32) + 1)) & 1 != 0);
                        if twice {
                            v.push(FpEntry {
                                key: e.key + u64::from(base),
                                pos: e.pos,
                            });
                        }
                    }
                }
                v.sort_unstable_by_key(|e| (e.key, e.pos));
                if short {
                    group_short_chunk(v, roles)
                } else {
                    group_chunk(v, roles, threshold)
                }
            },
        )
        .collect();
    let mut g = Groups::default();
    for mut part in parts {
        g.seeds.append(&mut part.seeds);
        g.allowed_seeds.append(&mut part.allowed_seeds);
        g.common.append(&mut part.common);
        g.common_pos.append(&mut part.common_pos);
        g.zone_shared.append(&mut part.zone_shared);
    }
    g.seeds.par_sort_unstable();
    g.seeds.dedup();
    g.allowed_seeds.par_sort_unstable();
    g.allowed_seeds.dedup();
    g.n_pairs = g.seeds.chunk_by(|x, y| (x.a, x.b) == (y.a, y.b)).count();
    g
}

impl Groups {
    /// Add seeds (sorted and deduplicated) to `seeds`, keeping it sorted.
    fn add_seeds(&mut self, more: Vec<Seed>) {
        if more.is_empty() {
            return;
        }
        let mut all = Vec::with_capacity(self.seeds.len() + more.len());
        let (mut x, mut y) = (self.seeds.iter().peekable(), more.iter().peekable());
        loop {
            let next = match (x.peek(), y.peek()) {
                (Some(a), Some(b)) if a <= b => x.next(),
                (Some(_), Some(_)) => y.next(),
                (Some(_), None) => x.next(),
                (None, _) => y.next(),
            };
            let Some(&s) = next else { break };
            if all.last() != Some(&s) {
                all.push(s);
            }
        }
        self.seeds = all;
        self.n_pairs = self.seeds.chunk_by(|x, y| (x.a, x.b) == (y.a, y.b)).count();
    }
}

fn group_chunk(fps: &[FpEntry], roles: &[Role], threshold: usize) -> Groups {
    let mut g = Groups::default();
    let mut i = 0;
    // (doc, pos) postings of one group, at most MAX_POSITIONS_PER_DOC per doc.
    let mut post: Vec<(u32, u32)> = Vec::new();
    // The kind (prose, quote, citation) of each posting's k-gram.
    let mut kinds: Vec<u8> = Vec::new();
    let role = |d: u32| roles.get(d as usize).copied().unwrap_or(Role::Allowed);
    while i < fps.len() {
        let h = fps[i].key & !DOC_MASK;
        let mut j = i;
        post.clear();
        kinds.clear();
        let mut n_docs = 0usize;
        let mut run = 0usize;
        while j < fps.len() && fps[j].key & !DOC_MASK == h {
            let d = (fps[j].key & DOC_MASK) as u32;
            let raw = fps[j].pos;
            let pos = raw & POS_MASK;
            if post.last().map(|x| x.0) == Some(d) {
                run += 1;
            } else {
                run = 1;
                n_docs += 1;
            }
            if run <= MAX_POSITIONS_PER_DOC {
                post.push((d, pos));
                kinds.push((raw >> KIND_SHIFT) as u8);
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
        // A k-gram inside a quote or a citation never makes a pair: it is noted as shared
        // (for the quoted and cited shares) without aligning anything. Only prose
        // k-grams on both sides give seeds.
        if kinds.iter().any(|&k| k != 0) {
            for (&(d, pos), &k) in post.iter().zip(&kinds) {
                if k != 0 && role(d) == Role::Entry {
                    g.zone_shared.push((d, pos, k));
                }
            }
        }
        // Docs are numbered entries first, then references: x < y puts the entry first.
        for (xi, &(x, px)) in post.iter().enumerate() {
            if role(x) != Role::Entry || kinds[xi] != 0 {
                continue;
            }
            for (yi, &(y, py)) in post.iter().enumerate().skip(xi + 1) {
                if y != x && kinds[yi] == 0 {
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

/// Seeds from short fingerprints: only between an entry and another entry or a
/// reference, only from hashes in 2..=`SHORT_MAX_DOCS` documents (a short phrase in
/// more documents is a set phrase, not a sign of copying). Kinds are not looked at:
/// short k-grams that touch a quote or a citation were never kept.
fn group_short_chunk(fps: &[FpEntry], roles: &[Role]) -> Groups {
    let mut g = Groups::default();
    let mut post: Vec<(u32, u32)> = Vec::new();
    let role = |d: u32| roles.get(d as usize).copied().unwrap_or(Role::Allowed);
    for group in fps.chunk_by(|x, y| x.key & !DOC_MASK == y.key & !DOC_MASK) {
        post.clear();
        let mut n_docs = 0usize;
        let mut run = 0usize;
        for e in group {
            let d = (e.key & DOC_MASK) as u32;
            if post.last().map(|x| x.0) == Some(d) {
                run += 1;
            } else {
                run = 1;
                n_docs += 1;
                if n_docs > SHORT_MAX_DOCS {
                    break;
                }
            }
            if run <= MAX_POSITIONS_PER_DOC && role(d) != Role::Allowed {
                post.push((d, e.pos & POS_MASK));
            }
        }
        if !(2..=SHORT_MAX_DOCS).contains(&n_docs) {
            continue;
        }
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
        let syl_spans = st.spans(d, u32::MAX);
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
