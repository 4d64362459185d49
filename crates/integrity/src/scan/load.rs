//! Reading JSONL input in parallel.
//!
//! The calling thread reads the input in pieces of about `piece_bytes`, cut at line
//! ends, and hands them to worker threads. Each worker parses, tokenizes and
//! fingerprints one piece into a [`Segment`] that is kept as it is: the per-syllable
//! data is never copied into shared arrays, and the fingerprints come out already
//! partitioned by bucket, so nothing but the reading is sequential. The reader itself
//! needs no `Send` bound: it never leaves the calling thread.

use std::io::BufRead;
use std::sync::{Mutex, mpsc};

use serde::Deserialize;

use crate::align::{self, Key};
use crate::error::{Error, Result};
use crate::params::{MAX_SHORT_GAP, Params, SHORT_K, SHORT_W};
use crate::tokenize::{self, PassageKind, Syllable, ZoneRun};
use crate::winnow::{Fingerprint, Winnower};

pub(super) const BUCKET_BITS: u32 = 10;
pub(super) const BUCKETS: usize = 1 << BUCKET_BITS;

/// Bucket of a fingerprint key: the lowest bits of its hash. (Not the top bits:
/// winnowing keeps window minima, so high bits are skewed towards zero.)
#[inline]
pub(super) fn bucket_of(key: u64) -> usize {
    ((key >> DOC_BITS) as usize) & (BUCKETS - 1)
}

pub(super) const DOC_BITS: u32 = 24;
/// The top two bits of a fingerprint's position hold the kind of its k-gram (0 prose,
/// 1 quote, 2 citation; see `add_doc`); the rest is the syllable position.
pub(super) const KIND_SHIFT: u32 = 30;
pub(super) const POS_MASK: u32 = (1 << KIND_SHIFT) - 1;
pub(super) const DOC_MASK: u64 = (1 << DOC_BITS) - 1;

/// Lengths and gaps are kept in 4 bits each; 15 or more is `ESC`, with the exact value
/// in `esc`. (Vietnamese syllables are under 15 bytes even in NFD; gaps are mostly one
/// space.)
pub(super) const ESC: u8 = 15;

/// One fingerprint of one document: `hash(40 bits) | doc(24 bits)` and the syllable
/// position of its k-gram; 12 bytes.
#[repr(C, packed(4))]
#[derive(Clone, Copy)]
pub(super) struct FpEntry {
    pub key: u64,
    pub pos: u32,
}

/// A document of a segment.
pub(super) struct SegDoc {
    pub id: String,
    /// Index of its first syllable in the segment.
    pub first: u32,
    pub n_syl: u32,
    /// Byte offset of its first syllable in its text.
    pub lead: u32,
    /// Its quote and citation runs: `zones[z0..z0 + zn]` of the segment.
    pub z0: u32,
    pub zn: u32,
    /// Tokens inside citations.
    pub cited: u32,
}

/// Everything kept of a run of consecutive input lines.
#[derive(Default)]
pub(super) struct Segment {
    /// Order of the piece in the input.
    pub seq: usize,
    pub docs: Vec<SegDoc>,
    /// Per syllable: alignment key; byte length (low 4 bits) and bytes between it and
    /// the previous syllable of the same document (high 4 bits; 0 for a document's
    /// first syllable).
    pub keys: Vec<Key>,
    pub lg: Vec<u8>,
    /// (syllable index in the segment, is_gap, exact value) where `lg` holds `ESC`.
    pub esc: Vec<(u32, bool, u32)>,
    /// Quote and citation runs of the segment's documents (token numbers per document).
    pub zones: Vec<ZoneRun>,
    /// Fingerprints, `key = hash | document number in the segment`, grouped by bucket
    /// (top bits of the hash) in input order; bucket `b` ends at `bucket_end[b]`.
    pub fps: Vec<FpEntry>,
    pub bucket_end: Vec<u32>,
    /// Short fingerprints (`SHORT_K`-grams of prose only), same layout as `fps`.
    pub sfps: Vec<FpEntry>,
    pub sbucket_end: Vec<u32>,
    /// Positions (syllable index in the segment, ascending) of the short k-grams
    /// selected while the piece was read (see `add_doc`), delta-coded: one byte per
    /// position below `SPOS_ESC` apart from the previous one, else `SPOS_ESC` and the
    /// position in 4 bytes (little endian). About one byte per selected k-gram.
    pub spos: Vec<u8>,
    /// The last position in `spos`.
    pub spos_last: u32,
    /// Malformed lines: (line number within the piece, from 1; message).
    pub bad: Vec<(usize, String)>,
    /// Lines in the piece.
    pub lines: usize,
    /// Bytes of `text` fields.
    pub text_bytes: u64,
}

impl Segment {
    /// The range of `fps` (or `sfps` when `short`) in bucket `b`.
    pub fn bucket(&self, short: bool, b: usize) -> &[FpEntry] {
        let (fps, ends) = if short {
            (&self.sfps, &self.sbucket_end)
        } else {
            (&self.fps, &self.bucket_end)
        };
        let start = if b == 0 {
            0
        } else {
            ends.get(b - 1).copied().unwrap_or(0) as usize
        };
        let end = ends.get(b).copied().unwrap_or(0) as usize;
        fps.get(start..end).unwrap_or(&[])
    }

    /// Byte span of every syllable of a document (given its first syllable, count and lead).
    pub fn spans(&self, first: u32, n_syl: u32, lead: u32) -> Vec<(u32, u32)> {
        let first = first as usize;
        let n = n_syl as usize;
        let lo = self.esc.partition_point(|e| (e.0 as usize) < first);
        let exact = |i: usize, gap: bool, v: u8| -> u32 {
            if v != ESC {
                return u32::from(v);
            }
            self.esc[lo..]
                .iter()
                .take_while(|e| e.0 as usize <= i)
                .find(|e| e.0 as usize == i && e.1 == gap)
                .map_or(u32::from(v), |e| e.2)
        };
        let mut out = Vec::with_capacity(n);
        let mut pos = lead;
        for i in first..first + n {
            let lg = self.lg.get(i).copied().unwrap_or(0);
            let gap = exact(i, true, lg >> 4);
            pos = pos.saturating_add(gap);
            let len = exact(i, false, lg & ESC);
            out.push((pos, pos.saturating_add(len)));
            pos = pos.saturating_add(len);
        }
        out
    }
}

#[derive(Deserialize)]
struct InLine<'a> {
    id: String,
    /// Borrowed from the line when it has no escapes: the text is not copied.
    #[serde(borrow)]
    text: std::borrow::Cow<'a, str>,
}

/// A piece of input: `data[..len]`, whole lines. `data` stays allocated and initialized
/// while pieces go back and forth between the reader and the workers.
struct Piece {
    seq: usize,
    data: Vec<u8>,
    len: usize,
}

/// Reusable per-worker buffers.
struct Scratch {
    /// The piece's fingerprints, `hash = hash | document number in the piece`.
    fps: Vec<Fingerprint>,
    sorted: Vec<FpEntry>,
    counts: Vec<u32>,
    winnower: Winnower,
    /// Short k-grams of one document before their filter.
    sfps: Vec<Fingerprint>,
    syl: Vec<Syllable>,
    zones: Vec<ZoneRun>,
    /// Marks of left-out numbers and links (`tokenize::tokens_marked_into`).
    marks: Vec<(u32, u16)>,
    /// A text with escapes, unescaped.
    unescaped: String,
}

/// Read `reader` to the end and return its segments in input order.
/// `progress(bytes_read)` is called now and then on the calling thread.
pub(super) fn read_segments(
    reader: impl BufRead,
    p: &Params,
    threads: usize,
    piece_bytes: usize,
    mut progress: impl FnMut(u64) -> Result<()>,
) -> Result<Vec<Segment>> {
    let threads = threads.max(1);
    let (job_tx, job_rx) = mpsc::sync_channel::<Piece>(threads);
    let job_rx = Mutex::new(job_rx);
    let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();
    let done: Mutex<Vec<Segment>> = Mutex::new(Vec::new());
    let read = std::thread::scope(|s| {
        for _ in 0..threads {
            let free_tx = free_tx.clone();
            let (job_rx, done) = (&job_rx, &done);
            s.spawn(move || worker(job_rx, done, &free_tx, p));
        }
        read_pieces(reader, job_tx, &free_rx, piece_bytes, &mut progress)
    });
    read?;
    let mut segs = done.into_inner().map_err(|_| poisoned())?;
    segs.sort_unstable_by_key(|s| s.seq);
    Ok(segs)
}

fn poisoned() -> Error {
    Error::Threads("một luồng xử lý bị dừng bất thường".into())
}

fn read_pieces(
    mut reader: impl BufRead,
    jobs: mpsc::SyncSender<Piece>,
    free: &mpsc::Receiver<Vec<u8>>,
    piece_bytes: usize,
    progress: &mut impl FnMut(u64) -> Result<()>,
) -> Result<()> {
    let piece_bytes = piece_bytes.max(1 << 12);
    let mut carry: Vec<u8> = Vec::new();
    let mut seq = 0usize;
    let mut total = 0u64;
    let mut reported = 0u64;
    let mut eof = false;
    while !eof {
        let mut data = free
            .try_recv()
            .unwrap_or_else(|_| vec![0u8; piece_bytes + (1 << 16)]);
        if data.len() < piece_bytes + carry.len() {
            data.resize(piece_bytes + carry.len() + (1 << 16), 0);
        }
        data[..carry.len()].copy_from_slice(&carry);
        let mut len = carry.len();
        carry.clear();
        // Small pieces first, so that small inputs still keep every worker busy; up to
        // `piece_bytes` once the input has shown it is large.
        let mut target = piece_bytes;
        loop {
            while len < target {
                if len == data.len() {
                    data.resize(data.len() * 2, 0);
                }
                let n = match reader.read(&mut data[len..]) {
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e.into()),
                };
                if n == 0 {
                    eof = true;
                    break;
                }
                len += n;
                total += n as u64;
            }
            if eof {
                break;
            }
            // Cut after the last line end; a line longer than the piece makes it grow.
            // Lines are short next to a piece: searching backwards finds the end soon.
            match data[..len].iter().rposition(|&b| b == b'\n') {
                Some(i) => {
                    carry.extend_from_slice(&data[i + 1..len]);
                    len = i + 1;
                    break;
                }
                None => target = len * 2,
            }
        }
        if len > 0 {
            let piece = Piece { seq, data, len };
            seq += 1;
            if jobs.send(piece).is_err() {
                return Err(poisoned());
            }
        }
        if total >= reported + (256 << 20) {
            reported = total;
            progress(total)?;
        }
    }
    Ok(())
}

fn worker(
    jobs: &Mutex<mpsc::Receiver<Piece>>,
    done: &Mutex<Vec<Segment>>,
    free: &mpsc::Sender<Vec<u8>>,
    p: &Params,
) {
    let mut scratch = Scratch {
        fps: Vec::new(),
        sorted: Vec::new(),
        counts: vec![0; BUCKETS],
        winnower: Winnower::new(),
        sfps: Vec::new(),
        syl: Vec::new(),
        zones: Vec::new(),
        marks: Vec::new(),
        unescaped: String::new(),
    };
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(piece) = job else { return };
        let seg = parse_piece(&piece.data[..piece.len], piece.seq, p, &mut scratch);
        // The reader may be gone after an error; the buffer is then simply dropped.
        let _ = free.send(piece.data);
        match done.lock() {
            Ok(mut d) => d.push(seg),
            Err(_) => return,
        }
    }
}

fn parse_piece(data: &[u8], seq: usize, p: &Params, scratch: &mut Scratch) -> Segment {
    // About 6 bytes of JSON per syllable in Vietnamese text; shrunk at the end.
    let guess = data.len() / 5;
    let mut seg = Segment {
        seq,
        keys: Vec::with_capacity(guess),
        lg: Vec::with_capacity(guess),
        ..Segment::default()
    };
    scratch.fps.clear();
    // Validate UTF-8 for the whole piece at once (SIMD); serde_json's from_str then
    // trusts it (from_slice would validate again, slowly). A piece with invalid bytes
    // is taken line by line, so only the bad lines are skipped.
    match simdutf8::basic::from_utf8(data) {
        Ok(text) => parse_lines(text, p, &mut seg, scratch),
        Err(_) => {
            let data = data.strip_suffix(b"\n").unwrap_or(data);
            for line in data.split(|&b| b == b'\n') {
                match simdutf8::basic::from_utf8(line) {
                    Ok(line) => parse_line_text(line, p, &mut seg, scratch),
                    Err(_) => {
                        seg.lines += 1;
                        seg.bad.push((seg.lines, "không phải UTF-8 hợp lệ".into()));
                    }
                }
            }
        }
    }
    (seg.fps, seg.bucket_end) = partition(&scratch.fps, &mut scratch.counts, &mut scratch.sorted);
    seg.fps.shrink_to_fit();
    seg.keys.shrink_to_fit();
    seg.lg.shrink_to_fit();
    seg.esc.shrink_to_fit();
    seg.zones.shrink_to_fit();
    seg.docs.shrink_to_fit();
    seg.spos.shrink_to_fit();
    seg
}

/// The piece's fingerprints `fps` grouped by bucket, keeping their order within a
/// bucket (a counting sort), and the end of each bucket. The scattered writes go to a
/// reused buffer that is warm in cache; the segment's own vector is then written once.
pub(super) fn partition(
    fps: &[Fingerprint],
    counts: &mut Vec<u32>,
    sorted: &mut Vec<FpEntry>,
) -> (Vec<FpEntry>, Vec<u32>) {
    counts.resize(BUCKETS, 0);
    counts.iter_mut().for_each(|c| *c = 0);
    for &Fingerprint { hash: h, .. } in fps {
        counts[bucket_of(h)] += 1;
    }
    let mut next = Vec::with_capacity(BUCKETS);
    let mut end = 0u32;
    let mut bucket_end = Vec::with_capacity(BUCKETS);
    for &c in counts.iter() {
        next.push(end);
        end += c;
        bucket_end.push(end);
    }
    sorted.clear();
    sorted.resize(fps.len(), FpEntry { key: 0, pos: 0 });
    for &Fingerprint { hash: key, pos } in fps {
        let b = bucket_of(key);
        let at = next[b] as usize;
        next[b] += 1;
        if let Some(slot) = sorted.get_mut(at) {
            *slot = FpEntry { key, pos };
        }
    }
    (std::mem::take(sorted), bucket_end)
}

/// Escape of the delta-coded short positions (`Segment::spos`).
const SPOS_ESC: u8 = u8::MAX;

/// Append segment position `p` to the delta-coded list `out` whose last position is
/// `*last`.
#[inline]
fn push_spos(out: &mut Vec<u8>, last: &mut u32, p: u32) {
    let d = p.wrapping_sub(*last);
    if d < u32::from(SPOS_ESC) {
        out.push(d as u8);
    } else {
        out.push(SPOS_ESC);
        out.extend_from_slice(&p.to_le_bytes());
    }
    *last = p;
}

/// The positions of a delta-coded list, in order.
fn spos_iter(v: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let (mut i, mut last) = (0usize, 0u32);
    std::iter::from_fn(move || {
        let &b = v.get(i)?;
        if b == SPOS_ESC {
            let bytes: [u8; 4] = v.get(i + 1..i + 5)?.try_into().ok()?;
            i += 5;
            last = u32::from_le_bytes(bytes);
        } else {
            i += 1;
            last += u32::from(b);
        }
        Some(last)
    })
}

/// Hash of a short k-gram for grouping (the winnower's hash chose it; any hash the
/// same for every document will do here). Two independent multiplications instead of
/// the rolling hash's chain of `SHORT_K`: this runs once per selected k-gram and pass.
#[inline]
fn short_hash(keys: &[Key]) -> u64 {
    let word = |ks: &[Key]| ks.iter().fold(0u64, |w, &k| (w << 16) | u64::from(k));
    let (lo, hi) = keys.split_at(keys.len().min(4));
    let h = word(lo).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ word(hi).wrapping_mul(0xC2B2_AE3D_27D4_EB4F).rotate_left(29)
        ^ keys.len() as u64;
    let z = (h ^ (h >> 31)).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    z ^ (z >> 32)
}

/// Buffers reused by [`short_fingerprints`].
#[derive(Default)]
pub(super) struct ShortScratch {
    fps: Vec<Fingerprint>,
    counts: Vec<u32>,
    sorted: Vec<FpEntry>,
}

/// Fill `seg.sfps` with the short fingerprints of its documents, given as (first
/// syllable, syllables) in segment order, whose bucket falls in pass `pass` of two
/// (halves of the hash space: the scan groups one half at a time to bound its memory).
/// The k-grams were selected while the piece was read (`seg.spos`); only their hashes
/// are computed here, from the kept keys. The positions are dropped after pass 1.
pub(super) fn short_fingerprints(
    seg: &mut Segment,
    docs: impl Iterator<Item = (u32, u32)>,
    pass: usize,
    sc: &mut ShortScratch,
) {
    sc.fps.clear();
    let half = BUCKETS / 2;
    let mut docs = docs.enumerate().peekable();
    for p in spos_iter(&seg.spos) {
        // The document that holds position `p` (positions ascend; documents too).
        while docs.next_if(|(_, (first, n))| p >= first + n).is_some() {}
        let Some(&(doc, (first, _))) = docs.peek() else {
            break;
        };
        let (i, j) = (p as usize, p as usize + SHORT_K);
        let Some(keys) = seg.keys.get(i..j) else {
            continue;
        };
        let hash = short_hash(keys);
        if (bucket_of(hash) < half) == (pass == 0) {
            sc.fps.push(Fingerprint {
                hash: (hash & !DOC_MASK) | (doc as u64 & DOC_MASK),
                pos: p - first,
            });
        }
    }
    if pass > 0 {
        seg.spos = Vec::new();
    }
    (seg.sfps, seg.sbucket_end) = partition(&sc.fps, &mut sc.counts, &mut sc.sorted);
    seg.sfps.shrink_to_fit();
}

/// Count one line; parse it unless it is blank, recording it as bad if malformed.
fn parse_line_text(line: &str, p: &Params, seg: &mut Segment, scratch: &mut Scratch) {
    seg.lines += 1;
    let line = line.trim_end_matches('\r');
    if line.bytes().all(|b| b.is_ascii_whitespace()) {
        return;
    }
    if let Err(msg) = parse_line(line, p, seg, scratch) {
        seg.bad.push((seg.lines, msg));
    }
}

fn parse_line(
    line: &str,
    p: &Params,
    seg: &mut Segment,
    scratch: &mut Scratch,
) -> std::result::Result<(), String> {
    let v: InLine = serde_json::from_str(line).map_err(|e| format!("JSON không hợp lệ ({e})"))?;
    add_doc(v.id, &v.text, p, seg, scratch);
    Ok(())
}

/// Tokenize and fingerprint one document's text into the segment.
fn add_doc(id: String, text: &str, p: &Params, seg: &mut Segment, scratch: &mut Scratch) {
    let doc = seg.docs.len() as u64 & DOC_MASK;
    let first = seg.keys.len();
    // Tokenize into a reused buffer, then derive everything in tight loops.
    let syl = &mut scratch.syl;
    syl.clear();
    scratch.zones.clear();
    scratch.marks.clear();
    tokenize::tokens_marked_into(text, syl, &mut scratch.zones, &mut scratch.marks);
    let z0 = seg.zones.len() as u32;
    let cited = scratch
        .zones
        .iter()
        .filter(|z| z.kind == PassageKind::Citation)
        .map(|z| z.end - z.start)
        .sum();
    seg.zones.extend_from_slice(&scratch.zones);
    align::keys_into(syl, &scratch.marks, &mut seg.keys);
    // Lengths and gaps (gap before each syllable; 0 for the first), 4 bits each, in
    // one tight loop over neighbouring syllables; the rare values that do not fit are
    // recorded afterwards.
    let esc = u32::from(ESC);
    let byte = |len: u32, gap: u32| (len.min(esc) | (gap.min(esc) << 4)) as u8;
    seg.lg.resize(first + syl.len(), 0);
    if let (Some(lg), Some(s)) = (seg.lg.get_mut(first..), syl.first()) {
        if let Some(o) = lg.first_mut() {
            *o = byte(s.end - s.start, 0);
        }
        for (o, w) in lg.iter_mut().skip(1).zip(syl.windows(2)) {
            *o = byte(w[1].end - w[1].start, w[1].start - w[0].end);
        }
    }
    // Without early exit (`fold` with `|`), so that it runs as vector compares.
    let wide = seg.lg[first..].iter().fold(0u8, |m, &b| {
        m | u8::from(b & ESC == ESC) | u8::from(b >> 4 == ESC)
    });
    if wide != 0 {
        let mut prev_end = syl.first().map_or(0, |s| s.start);
        for (i, s) in syl.iter().enumerate() {
            let at = (first + i) as u32;
            let (len, gap) = (s.end - s.start, s.start - prev_end);
            prev_end = s.end;
            if len >= esc {
                seg.esc.push((at, false, len));
            }
            if gap >= esc {
                seg.esc.push((at, true, gap));
            }
        }
    }
    // Fingerprints go straight into the piece's list; their hashes then take the
    // document number in their low bits.
    let from = scratch.fps.len();
    scratch
        .winnower
        .fingerprints(&seg.keys[first..], p.k, p.w, &mut scratch.fps);
    // A k-gram that touches a quote or citation run takes the strongest kind it
    // touches: only k-grams wholly of prose make pairs. (Every shared run of
    // w + k - 1 prose tokens still holds a selected k-gram wholly inside it.)
    let zones = &scratch.zones;
    let mut z = 0usize;
    if let Some(new) = scratch.fps.get_mut(from..) {
        for f in new {
            f.hash = (f.hash & !DOC_MASK) | doc;
            let (s, e) = (f.pos, f.pos + p.k as u32);
            while z < zones.len() && zones[z].end <= s {
                z += 1;
            }
            let kind = zones[z.min(zones.len())..]
                .iter()
                .take_while(|r| r.start < e)
                .map(|r| r.kind as u32)
                .max()
                .unwrap_or(0);
            f.pos = (f.pos & POS_MASK) | (kind << KIND_SHIFT);
        }
    }
    short_select(
        seg,
        first,
        z0 as usize,
        &mut scratch.sfps,
        &mut scratch.winnower,
    );
    seg.docs.push(SegDoc {
        id,
        first: first as u32,
        n_syl: syl.len().min(u32::MAX as usize) as u32,
        lead: syl.first().map_or(0, |s| s.start),
        z0,
        zn: scratch.zones.len() as u32,
        cited,
    });
    seg.text_bytes += text.len() as u64;
}

/// Select the short k-grams of the document whose syllables start at `first` (the
/// segment's last document, its keys, gaps and zones just added; decision 0008) and
/// note their positions in `seg.spos`. Only k-grams wholly of prose are kept (a quote
/// or a citation never seeds a pair), and none across a wide gap (a number, a link).
/// Winnowed here, while the keys are in cache; hashed again when the short layer is
/// grouped, after the long fingerprints are freed (memory: one byte per position here
/// against twelve per fingerprint).
fn short_select(
    seg: &mut Segment,
    first: usize,
    z0: usize,
    sfps: &mut Vec<Fingerprint>,
    w: &mut Winnower,
) {
    let keys = seg.keys.get(first..).unwrap_or(&[]);
    let lg = seg.lg.get(first..).unwrap_or(&[]);
    let zones = seg.zones.get(z0..).unwrap_or(&[]);
    sfps.clear();
    w.fingerprints(keys, SHORT_K, SHORT_W, sfps);
    if sfps.is_empty() {
        return;
    }
    let mut last = seg.spos_last;
    let mut z = 0usize;
    // Wide gaps are rare: find the next one at or after a k-gram's second token.
    let wide = |i: usize| u32::from(lg[i] >> 4) > MAX_SHORT_GAP;
    let mut next_wide = 0usize;
    for f in sfps.iter() {
        let (s, e) = (f.pos as usize, f.pos as usize + SHORT_K);
        while z < zones.len() && zones[z].end as usize <= s {
            z += 1;
        }
        if zones.get(z).is_some_and(|r| (r.start as usize) < e) {
            continue;
        }
        if next_wide <= s {
            next_wide = s + 1;
            while next_wide < lg.len() && !wide(next_wide) {
                next_wide += 1;
            }
        }
        if next_wide < e {
            continue;
        }
        push_spos(&mut seg.spos, &mut last, (first + s) as u32);
    }
    seg.spos_last = last;
}

/// Parse the lines of a valid UTF-8 piece. Lines of the usual shape
/// `{"id":"…","text":"…"}` (no escapes in the id) are taken apart by hand, the text
/// unescaped into a reused buffer, or borrowed when it has no escapes; any other line
/// (other field order, spaces, escapes in the id, surrogate escapes, malformed) goes
/// through serde. Both paths give the same result for every line they accept.
fn parse_lines(text: &str, p: &Params, seg: &mut Segment, scratch: &mut Scratch) {
    let mut rest = text;
    let mut buf = std::mem::take(&mut scratch.unescaped);
    while !rest.is_empty() {
        let (line, next) = match fast_line(rest, &mut buf) {
            Some(f) => {
                seg.lines += 1;
                let body = match f.text {
                    Some((a, b)) => rest.get(a..b).unwrap_or(""),
                    None => buf.as_str(),
                };
                let id = rest.get(f.id.0..f.id.1).unwrap_or("").to_owned();
                add_doc(id, body, p, seg, scratch);
                (None, rest.get(f.len..).unwrap_or(""))
            }
            None => match rest.split_once('\n') {
                Some((line, next)) => (Some(line), next),
                None => (Some(rest), ""),
            },
        };
        if let Some(line) = line {
            parse_line_text(line, p, seg, scratch);
        }
        rest = next;
    }
    scratch.unescaped = buf;
}

/// A line taken apart by [`fast_line`]: byte ranges in the line, and its length.
struct FastLine {
    id: (usize, usize),
    /// The text's range when it has no escapes; `None`: unescaped into the buffer.
    text: Option<(usize, usize)>,
    /// Length of the line including its `\n`.
    len: usize,
}

/// Take apart a line `{"id":"…","text":"…"}` at the start of `s`: no escapes or
/// control characters in the id, none but JSON escapes (no surrogates) in the text;
/// spaces, tabs and carriage returns allowed after the closing brace. Anything else:
/// `None`, for serde to handle.
fn fast_line(s: &str, buf: &mut String) -> Option<FastLine> {
    const HEAD: &str = "{\"id\":\"";
    const MID: &str = "\",\"text\":\"";
    let b = s.as_bytes();
    let id_start = HEAD.len();
    if !s.starts_with(HEAD) {
        return None;
    }
    let id_end = id_start + plain_len(b.get(id_start..)?);
    if !s.get(id_end..)?.starts_with(MID) {
        return None;
    }
    let text_start = id_end + MID.len();
    let mut i = text_start;
    let mut escaped = false;
    let text_end = loop {
        let j = i + plain_len(b.get(i..)?);
        match b.get(j)? {
            b'"' => {
                if escaped {
                    buf.push_str(s.get(i..j)?);
                }
                break j;
            }
            b'\\' => {
                if !escaped {
                    buf.clear();
                    escaped = true;
                }
                buf.push_str(s.get(i..j)?);
                let (c, n) = unescape(b.get(j + 1..)?)?;
                buf.push(c);
                i = j + 1 + n;
            }
            _ => return None,
        }
    };
    if b.get(text_end + 1) != Some(&b'}') {
        return None;
    }
    let mut end = text_end + 2;
    loop {
        match b.get(end) {
            None => break,
            Some(b'\n') => {
                end += 1;
                break;
            }
            Some(b' ' | b'\t' | b'\r') => end += 1,
            Some(_) => return None,
        }
    }
    Some(FastLine {
        id: (id_start, id_end),
        text: (!escaped).then_some((text_start, text_end)),
        len: end,
    })
}

/// The character of a JSON escape whose backslash precedes `e`, and the bytes it
/// takes after the backslash. `None` for surrogates (left to serde) and bad escapes.
fn unescape(e: &[u8]) -> Option<(char, usize)> {
    let c = match *e.first()? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hex = std::str::from_utf8(e.get(1..5)?).ok()?;
            if !hex.bytes().all(|x| x.is_ascii_hexdigit()) {
                return None;
            }
            let u = u32::from_str_radix(hex, 16).ok()?;
            return char::from_u32(u).map(|c| (c, 5));
        }
        _ => return None,
    };
    Some((c, 1))
}

/// Length of the leading run of `b` that a JSON string holds as is: no `"`, no `\\`,
/// no control character. Blocks of 32 bytes are tested without early exit (the
/// compiler turns that into vector compares); the block with a hit is then searched.
#[inline]
fn plain_len(b: &[u8]) -> usize {
    let special = |c: u8| c == b'"' || c == b'\\' || c < 0x20;
    let mut i = 0;
    let mut blocks = b.chunks_exact(32);
    for c in &mut blocks {
        // `|`, not `||`: no short circuit, so the block is compared as a vector.
        let hit = c.iter().fold(0u8, |m, &x| {
            m | u8::from(x == b'"') | u8::from(x == b'\\') | u8::from(x < 0x20)
        });
        if hit != 0 {
            break;
        }
        i += 32;
    }
    i + b
        .get(i..)
        .unwrap_or_default()
        .iter()
        .position(|&c| special(c))
        .unwrap_or(b.len() - i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde makes of a line, for comparison with the hand-written path.
    fn serde_line(line: &str) -> Option<(String, String)> {
        let v: InLine = serde_json::from_str(line.trim_end_matches('\r')).ok()?;
        Some((v.id, v.text.into_owned()))
    }

    #[test]
    fn fast_line_agrees_with_serde_or_declines() {
        // (line, taken by the fast path)
        let lines = [
            (r#"{"id":"e1","text":"Việt Nam, hội!"}"#, true),
            (
                "{\"id\":\"e1\",\"text\":\"a b c d e f g h i j k l m n o p q\"}  \r",
                true,
            ),
            (r#"{"id":"","text":""}"#, true),
            (r#"{"id":"e1","text":"có \"ngoặc\" kép"}"#, true),
            (r#"{"id":"e1","text":"dòng\nmới\r\n\tx\/\\\b\f"}"#, true),
            (r#"{"id":"e1","text":"\u1EC7\u00e0 a\u0301 \u0000"}"#, true),
            (
                r#"{"id":"e1","text":"0123456789abcdefghijklmnopqrstuvwxyz\\"}"#,
                true,
            ),
            (r#"{"id":"e1","text":"\ud83d\ude00"}"#, false),
            (r#"{"id":"e1","text":"\ud83d"}"#, false),
            (r#"{"id":"e1","text":"\u12"}"#, false),
            (r#"{"id":"e1","text":"\u12g4"}"#, false),
            (r#"{"id":"e1","text":"\x"}"#, false),
            (r#"{"id":"e\u0031","text":"x"}"#, false),
            (r#"{"text":"x","id":"e1"}"#, false),
            (r#" {"id":"e1","text":"x"}"#, false),
            (r#"{"id":"e1", "text":"x"}"#, false),
            (r#"{"id":"e1","text":"x"}x"#, false),
            (r#"{"id":"e1","text":"x""#, false),
            (r#"{"id":"e1","text":"x"#, false),
            (r#"{"id":"e1","text":"x\"#, false),
            ("{\"id\":\"e1\",\"text\":\"tab\there\"}", false),
        ];
        let mut buf = String::from("left over");
        for (line, fast) in lines {
            for tail in ["", "\n", "\n{\"id\":\"next\"}"] {
                let s = format!("{line}{tail}");
                let got = fast_line(&s, &mut buf);
                assert_eq!(got.is_some(), fast, "{s:?}");
                let Some(f) = got else { continue };
                let expect = if tail.is_empty() {
                    s.len()
                } else {
                    line.len() + 1
                };
                assert_eq!(f.len, expect, "{s:?}");
                let text = match f.text {
                    Some((a, b)) => s[a..b].to_owned(),
                    None => buf.clone(),
                };
                let got = (s[f.id.0..f.id.1].to_owned(), text);
                assert_eq!(Some(got), serde_line(&s[..line.len()]), "{s:?}");
            }
        }
    }

    #[test]
    fn short_positions_round_trip() {
        // Small steps, a step of exactly the escape, large jumps, and the first
        // position at 0 and far from it.
        for start in [0u32, 7, 254, 255, 1 << 20] {
            let mut want = vec![start];
            for step in [1u32, 3, 254, 255, 256, 0x1_0000, 2, 4_000_000, 1] {
                want.push(want.last().copied().unwrap_or(0) + step);
            }
            let (mut v, mut last) = (Vec::new(), 0u32);
            for &p in &want {
                push_spos(&mut v, &mut last, p);
            }
            assert_eq!(spos_iter(&v).collect::<Vec<_>>(), want);
        }
        assert_eq!(spos_iter(&[]).count(), 0);
        // A truncated escape ends the list instead of reading past it.
        assert_eq!(spos_iter(&[3, SPOS_ESC, 1]).collect::<Vec<_>>(), vec![3]);
    }

    #[test]
    fn plain_len_stops_at_quote_backslash_or_control() {
        for n in 0..40 {
            for stop in [b'"', b'\\', b'\n', 0x01, 0x1f] {
                let mut v = vec![b'a'; n];
                v.extend_from_slice("ệ".as_bytes());
                let at = v.len();
                v.push(stop);
                v.extend_from_slice(b"zzzzzzzzzzzzzzzz\"");
                assert_eq!(plain_len(&v), at);
            }
            let v = vec![0x7f_u8; n];
            assert_eq!(plain_len(&v), n);
        }
    }
}
