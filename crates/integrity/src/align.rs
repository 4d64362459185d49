//! Passage alignment: seeds from shared fingerprints, exact extension along diagonals,
//! then merging of nearby runs so one copied passage (even with a few words changed)
//! is reported once.

use crate::params::Params;
use crate::tokenize::{self, PassageKind, Syllable, ZoneRun};
use crate::winnow::{self, Fingerprint};

/// Key of a syllable for alignment: 16 bits of its folded hash. Two different
/// syllables share a key with probability 1/65,536; that can only stretch a passage's
/// edge by a syllable, since seeds come from 64-bit k-gram hashes. 16 bits keep the
/// scan's memory at about 4 bytes per syllable.
pub type Key = u16;

/// The alignment key of a syllable.
#[inline]
pub fn key(s: &Syllable) -> Key {
    (s.hash >> 48) as Key
}

/// Alignment keys of a text's tokens, appended to `out`: [`key`] of each, with the
/// mark of the numbers, links or code left out before it folded in
/// ([`tokenize::tokens_marked_into`]; decision 0009).
pub fn keys_into(syl: &[Syllable], marks: &[(u32, u16)], out: &mut Vec<Key>) {
    let from = out.len();
    out.extend(syl.iter().map(key));
    for &(i, m) in marks {
        if let Some(k) = out.get_mut(from + i as usize) {
            *k ^= m;
        }
    }
}

/// A text ready for alignment: its syllables, their keys, and its fingerprints sorted
/// by hash.
#[derive(Clone, Debug, Default)]
pub struct Prepared {
    /// Syllables in text order.
    pub syl: Vec<Syllable>,
    /// Alignment keys of the syllables ([`key`]).
    pub keys: Vec<Key>,
    /// Winnowed fingerprints, sorted by (hash, pos).
    pub fps: Vec<Fingerprint>,
    /// Runs of tokens that are quotes or citations ([`tokenize::tokens_into`]).
    pub zones: Vec<ZoneRun>,
}

impl Prepared {
    /// Tokenize (prose tokens, see [`tokenize::tokens_into`]) and fingerprint `text`.
    pub fn new(text: &str, p: &Params) -> Self {
        let mut syl = Vec::with_capacity(text.len() / 5);
        let (mut zones, mut marks) = (Vec::new(), Vec::new());
        tokenize::tokens_marked_into(text, &mut syl, &mut zones, &mut marks);
        let mut keys = Vec::with_capacity(syl.len());
        keys_into(&syl, &marks, &mut keys);
        let fps = fingerprints(&keys, p);
        Prepared {
            syl,
            keys,
            fps,
            zones,
        }
    }

    /// Tokens in citations.
    pub fn cited_tokens(&self) -> usize {
        cited_tokens(&self.zones)
    }
}

/// Tokens inside citation runs.
pub fn cited_tokens(zones: &[ZoneRun]) -> usize {
    zones
        .iter()
        .filter(|z| z.kind == PassageKind::Citation)
        .map(|z| (z.end - z.start) as usize)
        .sum()
}

/// Cut a passage where the kind of its tokens changes. A token's kind is the stronger
/// of its kinds on the two sides (citation over quote over prose: text that either
/// writer attributed is not copied prose); side b's token is taken on the passage's
/// diagonal. A passage whose prose tokens are fewer than `min_prose` is not copied
/// prose at all: its prose runs (edges grown over a line end, a word or two between
/// two quotes) take the passage's main other kind.
pub fn split_kinds(
    tp: &TokenPassage,
    za: &[ZoneRun],
    zb: &[ZoneRun],
    min_prose: u32,
) -> Vec<(TokenPassage, PassageKind)> {
    if za.is_empty() && zb.is_empty() {
        return vec![(*tp, PassageKind::Prose)];
    }
    let b_last = tp.b_end.saturating_sub(1).max(tp.b_start);
    let kind = |i: u32| {
        let j = (tp.b_start + (i - tp.a_start)).min(b_last);
        tokenize::kind_at(za, i).max(tokenize::kind_at(zb, j))
    };
    let mut runs: Vec<(u32, u32, PassageKind)> = Vec::new();
    for i in tp.a_start..tp.a_end {
        let k = kind(i);
        match runs.last_mut() {
            Some(r) if r.2 == k => r.1 = i + 1,
            _ => runs.push((i, i + 1, k)),
        }
    }
    let count = |k: PassageKind| {
        runs.iter()
            .filter(|r| r.2 == k)
            .map(|r| r.1 - r.0)
            .sum::<u32>()
    };
    if count(PassageKind::Prose) < min_prose && runs.len() > 1 {
        let main = if count(PassageKind::Citation) >= count(PassageKind::Quote) {
            PassageKind::Citation
        } else {
            PassageKind::Quote
        };
        for r in &mut runs {
            if r.2 == PassageKind::Prose {
                r.2 = main;
            }
        }
        runs.dedup_by(|next, prev| {
            if next.2 == prev.2 {
                prev.1 = next.1;
                true
            } else {
                false
            }
        });
    }
    let n = runs.len();
    runs.into_iter()
        .enumerate()
        .map(|(x, (s, e, k))| {
            let b_start = if x == 0 {
                tp.b_start
            } else {
                (tp.b_start + (s - tp.a_start)).min(tp.b_end)
            };
            let b_end = if x + 1 == n {
                tp.b_end
            } else {
                (tp.b_start + (e - tp.a_start)).min(tp.b_end)
            };
            (
                TokenPassage {
                    a_start: s,
                    a_end: e,
                    b_start,
                    b_end: b_end.max(b_start),
                },
                k,
            )
        })
        .collect()
}

/// Winnowed fingerprints of syllable keys, sorted by (hash, pos).
pub fn fingerprints(keys: &[Key], p: &Params) -> Vec<Fingerprint> {
    let mut fps = Vec::with_capacity(keys.len() * 2 / (p.w + 1) + 2);
    winnow::Winnower::new().fingerprints(keys, p.k, p.w, &mut fps);
    fps.sort_unstable();
    fps
}

/// A shared passage as syllable index ranges `[start, end)` in each text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenPassage {
    /// First syllable in text a.
    pub a_start: u32,
    /// One past the last syllable in text a.
    pub a_end: u32,
    /// First syllable in text b.
    pub b_start: u32,
    /// One past the last syllable in text b.
    pub b_end: u32,
}

impl TokenPassage {
    /// Length in syllables on side a.
    pub fn a_len(&self) -> u32 {
        self.a_end - self.a_start
    }
    /// Length in syllables on side b.
    pub fn b_len(&self) -> u32 {
        self.b_end - self.b_start
    }
}

/// Caps that keep repetitive texts ("a a a a ...") from turning alignment quadratic.
const MAX_SEEDS_PER_HASH: usize = 16;
const OPEN_PASSAGES_SCANNED: usize = 64;

#[derive(Clone, Copy, Debug)]
struct Run {
    a0: u32,
    a1: u32,
    b0: u32,
}

/// Find passages shared by `a` and `b` of at least `min_len` syllables on both sides:
/// from their fingerprints and, as the batch scan does, from short k-grams of prose
/// (decision 0008), so that a pair the scan reports shows the same passages.
pub fn align(a: &Prepared, b: &Prepared, p: &Params, min_len: usize) -> Vec<TokenPassage> {
    let mut all = seeds(&a.fps, &b.fps);
    all.extend(seeds(&short_fingerprints(a), &short_fingerprints(b)));
    align_seeds(&a.keys, &b.keys, all, p, min_len)
}

/// Short fingerprints of a prepared text (prose k-grams only), sorted by hash.
fn short_fingerprints(t: &Prepared) -> Vec<Fingerprint> {
    use crate::params::{MAX_SHORT_GAP, SHORT_K, SHORT_W};
    let mut fps = Vec::new();
    winnow::Winnower::new().fingerprints(&t.keys, SHORT_K, SHORT_W, &mut fps);
    // As the scan does: no k-gram across a wide gap (a number, a link) or a zone.
    let mut nb = 0u32;
    let breaks: Vec<u32> = std::iter::once(0)
        .chain(t.syl.windows(2).map(|w| {
            nb += u32::from(w[1].start.saturating_sub(w[0].end) > MAX_SHORT_GAP);
            nb
        }))
        .collect();
    fps.retain(|f| {
        let (s, e) = (f.pos, f.pos + SHORT_K as u32);
        breaks.get(s as usize) == breaks.get(e as usize - 1)
            && !t.zones.iter().any(|z| z.start < e && s < z.end)
    });
    fps.sort_unstable();
    fps
}

/// [`align`] on syllable keys and sorted fingerprints (see [`fingerprints`]).
pub fn align_keys(
    ka: &[Key],
    fa: &[Fingerprint],
    kb: &[Key],
    fb: &[Fingerprint],
    p: &Params,
    min_len: usize,
) -> Vec<TokenPassage> {
    align_seeds(ka, kb, seeds(fa, fb), p, min_len)
}

/// [`align`] from seeds: pairs (position in a, position in b) of equal k-grams.
pub fn align_seeds(
    ka: &[Key],
    kb: &[Key],
    seeds: Vec<(u32, u32)>,
    p: &Params,
    min_len: usize,
) -> Vec<TokenPassage> {
    if seeds.is_empty() {
        return Vec::new();
    }
    // Seeds may be short k-grams (decision 0008): runs of SHORT_K are real matches.
    let runs: Vec<TokenPassage> = extend(ka, kb, seeds, p.k.min(crate::params::SHORT_K))
        .into_iter()
        .map(|r| TokenPassage {
            a_start: r.a0,
            a_end: r.a1,
            b_start: r.b0,
            b_end: r.b0 + (r.a1 - r.a0),
        })
        .collect();
    let mut out = merge(runs, p.merge_gap as i64);
    for tp in &mut out {
        grow_edges(tp, ka, kb);
    }
    // Grown edges can close gaps that were too wide before.
    let out = merge(out, p.merge_gap as i64);
    let mut out = bridge(out, ka, kb);
    let t = p.guaranteed_run() as u32;
    out.retain(|tp| {
        let min = min_len as u32;
        if !long_enough(tp, min) {
            return false;
        }
        // A passage that holds an unbroken run of `w + k - 1` is what the long
        // fingerprints guarantee. Shorter runs joined over changed words (short
        // seeds, decision 0008) must match almost throughout: at most one token in
        // `GAP_SHARE` missing, and `min_len - 2` matched at least. A passage of
        // `min_len - 1` tokens is reported only when it matches throughout: as far
        // as the texts tell, a passage of `min_len` whose first or last word was
        // changed (decision 0009). Neither exception takes a repeated word.
        let (matched, longest) = matched_tokens(tp, ka, kb);
        if longest >= t {
            return true;
        }
        let a_keys = ka
            .get(tp.a_start as usize..tp.a_end as usize)
            .unwrap_or(&[]);
        if tp.a_len() < min || tp.b_len() < min {
            return longest + 1 >= min
                && tp.a_len() == longest
                && tp.b_len() == longest
                && varied(a_keys);
        }
        matched * GAP_SHARE >= (GAP_SHARE - 1) * tp.a_len().max(tp.b_len())
            && matched + 2 >= min
            && varied(a_keys)
    });
    out
}

/// Whether a passage may be reported at all: `min_len - 1` tokens on each side at
/// least (a passage of `min_len` whose first or last word was changed; see
/// `align_seeds`).
pub fn long_enough(tp: &TokenPassage, min_len: u32) -> bool {
    tp.a_len() + 1 >= min_len && tp.b_len() + 1 >= min_len
}

/// Distinct tokens a passage without an unbroken run of `w + k - 1` must hold: a
/// word repeated ("vân vân vân …") is not a copied passage.
const DISTINCT_MIN: usize = 6;

/// Whether the tokens `keys` hold at least `DISTINCT_MIN` distinct values.
fn varied(keys: &[Key]) -> bool {
    let mut seen: Vec<Key> = Vec::with_capacity(DISTINCT_MIN);
    for &k in keys {
        if !seen.contains(&k) {
            seen.push(k);
            if seen.len() >= DISTINCT_MIN {
                return true;
            }
        }
    }
    false
}

/// A passage without an unbroken run of `w + k - 1` is kept when no more than one
/// token in this many is a changed, inserted or dropped one.
const GAP_SHARE: u32 = 7;

/// Tokens of a passage matched along its alignment (a greedy walk that steps over a
/// changed, inserted or dropped token), and the longest unbroken run among them.
fn matched_tokens(tp: &TokenPassage, sa: &[Key], sb: &[Key]) -> (u32, u32) {
    let (a1, b1) = (tp.a_end as usize, tp.b_end as usize);
    let (mut i, mut j) = (tp.a_start as usize, tp.b_start as usize);
    let (mut matched, mut run, mut longest) = (0u32, 0u32, 0u32);
    let eq = |x: usize, y: usize| x < a1 && y < b1 && sa.get(x).is_some() && sa.get(x) == sb.get(y);
    while i < a1 && j < b1 {
        if eq(i, j) {
            matched += 1;
            run += 1;
            longest = longest.max(run);
            i += 1;
            j += 1;
            continue;
        }
        run = 0;
        // Step to the nearest point where two tokens match again: over a changed
        // token, a dropped or added one, or a word changed into a number (a token
        // dropped, and the next one differs by its mark; decision 0009).
        match RESYNC
            .iter()
            .find(|&&(di, dj)| eq(i + di, j + dj) && eq(i + di + 1, j + dj + 1))
        {
            Some(&(di, dj)) => {
                i += di;
                j += dj;
            }
            None => {
                i += 1;
                j += 1;
            }
        }
    }
    (matched, longest)
}

/// Steps (on a, on b) tried after a mismatch by [`matched_tokens`], nearest first.
const RESYNC: [(usize, usize); 8] = [
    (1, 1),
    (0, 1),
    (1, 0),
    (2, 2),
    (1, 2),
    (2, 1),
    (0, 2),
    (2, 0),
];

/// Longest gap (syllables) that `bridge` may close.
const BRIDGE_MAX: u32 = 200;

/// Join consecutive passages on the same diagonal when the text between them still
/// matches mostly syllable by syllable (a stretch where several words were changed).
fn bridge(ps: Vec<TokenPassage>, sa: &[Key], sb: &[Key]) -> Vec<TokenPassage> {
    let mut out: Vec<TokenPassage> = Vec::with_capacity(ps.len());
    for q in ps {
        if let Some(p) = out.last_mut() {
            let ga = i64::from(q.a_start) - i64::from(p.a_end);
            let gb = i64::from(q.b_start) - i64::from(p.b_end);
            // A changed word can also add or remove a token (a number is not a token):
            // the two gaps may differ by a token per eight, and a syllable counts as the
            // same when it matches within two positions of the diagonal.
            let drift = (ga - gb).abs();
            if ga >= 0 && ga <= i64::from(BRIDGE_MAX) && drift <= 2.max(ga / 8) && gb >= 0 {
                let n = ga.min(gb) as usize;
                let (a0, b0) = (p.a_end as usize, p.b_end as usize);
                let same = (0..n)
                    .filter(|&i| {
                        sa.get(a0 + i).is_some_and(|x| {
                            { (b0 + i).saturating_sub(2)..=(b0 + i + 2).min(b0 + gb as usize) }
                                .any(|j| sb.get(j) == Some(x))
                        })
                    })
                    .count();
                if same * 10 >= n * 6 {
                    p.a_end = p.a_end.max(q.a_end);
                    p.b_end = p.b_end.max(q.b_end);
                    continue;
                }
            }
        }
        out.push(q);
    }
    out
}

/// Shortest exact run accepted beyond a mismatch when growing a passage's edges.
const EDGE_RUN: usize = 3;
/// Tokens skipped on (a, b) when growing edges, in order of preference: a changed
/// word, a dropped or added token (a word changed into a number, which is no token),
/// two changed words.
const EDGE_SKIPS: [(usize, usize); 6] = [(1, 1), (0, 1), (1, 0), (2, 2), (1, 2), (2, 1)];

/// Grow a passage over changed words at its edges: the runs before the first and after
/// the last seed can be shorter than `w + k - 1` and carry no fingerprint of their own.
/// (Passages that end up without a run of `w + k - 1` must still match almost
/// throughout; see `align_seeds`.)
fn grow_edges(tp: &mut TokenPassage, sa: &[Key], sb: &[Key]) {
    let eq = |x: usize, y: usize| sa[x] == sb[y];
    // Backward.
    let (mut a0, mut b0) = (tp.a_start as usize, tp.b_start as usize);
    'back: loop {
        for (da, db) in EDGE_SKIPS {
            if a0 < da || b0 < db {
                continue;
            }
            let (x, y) = (a0 - da, b0 - db);
            let mut run = 0;
            while run < x && run < y && eq(x - 1 - run, y - 1 - run) {
                run += 1;
            }
            if run >= EDGE_RUN {
                a0 = x - run;
                b0 = y - run;
                continue 'back;
            }
        }
        break;
    }
    // Forward.
    let (mut a1, mut b1) = (tp.a_end as usize, tp.b_end as usize);
    'fwd: loop {
        for (da, db) in EDGE_SKIPS {
            let (x, y) = (a1 + da, b1 + db);
            if x > sa.len() || y > sb.len() {
                continue;
            }
            let mut run = 0;
            while x + run < sa.len() && y + run < sb.len() && eq(x + run, y + run) {
                run += 1;
            }
            if run >= EDGE_RUN {
                a1 = x + run;
                b1 = y + run;
                continue 'fwd;
            }
        }
        break;
    }
    tp.a_start = a0 as u32;
    tp.b_start = b0 as u32;
    tp.a_end = a1 as u32;
    tp.b_end = b1 as u32;
}

/// Seeds (pos in a, pos in b) from fingerprints with equal hashes (merge join).
fn seeds(fa: &[Fingerprint], fb: &[Fingerprint]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0usize, 0usize);
    while i < fa.len() && j < fb.len() {
        let (ha, hb) = (fa[i].hash, fb[j].hash);
        if ha < hb {
            i += 1;
        } else if hb < ha {
            j += 1;
        } else {
            let i_end = i + fa[i..].iter().take_while(|f| f.hash == ha).count();
            let j_end = j + fb[j..].iter().take_while(|f| f.hash == ha).count();
            for x in &fa[i..i_end.min(i + MAX_SEEDS_PER_HASH)] {
                for y in &fb[j..j_end.min(j + MAX_SEEDS_PER_HASH)] {
                    out.push((x.pos, y.pos));
                }
            }
            i = i_end;
            j = j_end;
        }
    }
    out
}

/// Extend each seed to the maximal exact run on its diagonal; drop seeds that were
/// hash collisions (runs shorter than k).
fn extend(sa: &[Key], sb: &[Key], mut seeds: Vec<(u32, u32)>, k: usize) -> Vec<Run> {
    seeds.sort_unstable_by_key(|&(x, y)| (i64::from(y) - i64::from(x), x));
    // Seeds of one diagonal come together, left to right: a seed inside the last run
    // found on its diagonal adds nothing.
    let mut covered: Option<(i64, u32)> = None;
    let mut runs = Vec::new();
    for (x, y) in seeds {
        let d = i64::from(y) - i64::from(x);
        if covered.is_some_and(|(cd, end)| cd == d && x < end) {
            continue;
        }
        let (mut a0, mut b0) = (x as usize, y as usize);
        if a0 >= sa.len() || b0 >= sb.len() {
            continue;
        }
        while a0 > 0 && b0 > 0 && sa[a0 - 1] == sb[b0 - 1] {
            a0 -= 1;
            b0 -= 1;
        }
        let (mut a1, mut b1) = (x as usize, y as usize);
        while a1 < sa.len() && b1 < sb.len() && sa[a1] == sb[b1] {
            a1 += 1;
            b1 += 1;
        }
        covered = Some((d, a1 as u32));
        if a1 - a0 >= k {
            runs.push(Run {
                a0: a0 as u32,
                a1: a1 as u32,
                b0: b0 as u32,
            });
        }
    }
    runs
}

#[derive(Clone, Copy, Debug)]
struct Open {
    pass: TokenPassage,
    diag: i64,
}

/// Merge passages that continue each other (small gaps, nearby diagonals).
fn merge(mut runs: Vec<TokenPassage>, gap: i64) -> Vec<TokenPassage> {
    runs.sort_unstable_by_key(|r| (r.a_start, r.b_start));
    let mut open: Vec<Open> = Vec::new();
    for r in runs {
        // Diagonal at the run's start and end (they differ for merged passages).
        let diag0 = i64::from(r.b_start) - i64::from(r.a_start);
        let diag1 = i64::from(r.b_end) - i64::from(r.a_end);
        let from = open.len().saturating_sub(OPEN_PASSAGES_SCANNED);
        let mut hit = None;
        for (idx, o) in open.iter().enumerate().skip(from).rev() {
            let p = &o.pass;
            let a_ok = i64::from(r.a_start) <= i64::from(p.a_end) + gap;
            let b_ok = i64::from(r.b_start) <= i64::from(p.b_end) + gap
                && i64::from(r.b_end) + gap >= i64::from(p.b_start);
            let d_ok = (diag0 - o.diag).abs() <= gap;
            if a_ok && b_ok && d_ok {
                hit = Some(idx);
                break;
            }
        }
        match hit {
            Some(idx) => {
                let o = &mut open[idx];
                o.pass.a_end = o.pass.a_end.max(r.a_end);
                o.pass.b_start = o.pass.b_start.min(r.b_start);
                o.pass.b_end = o.pass.b_end.max(r.b_end);
                o.diag = diag1;
            }
            None => open.push(Open {
                pass: r,
                diag: diag1,
            }),
        }
    }
    let mut out: Vec<TokenPassage> = open.into_iter().map(|o| o.pass).collect();
    out.sort_unstable_by_key(|p| (p.a_start, p.b_start));
    out
}

/// A shared passage as byte ranges into the two original texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Passage {
    /// `[start, end)` byte offsets into text a.
    pub a: [usize; 2],
    /// `[start, end)` byte offsets into text b.
    pub b: [usize; 2],
    /// Copied prose, a quote, or a citation (see [`split_kinds`]).
    pub kind: PassageKind,
}

/// Convert a syllable-range passage to byte offsets in the original texts (kind: prose).
pub fn to_bytes(tp: &TokenPassage, a: &[Syllable], b: &[Syllable]) -> Option<Passage> {
    let a0 = a.get(tp.a_start as usize)?.start as usize;
    let a1 = a.get((tp.a_end as usize).checked_sub(1)?)?.end as usize;
    let b0 = b.get(tp.b_start as usize)?.start as usize;
    let b1 = b.get((tp.b_end as usize).checked_sub(1)?)?.end as usize;
    Some(Passage {
        a: [a0, a1],
        b: [b0, b1],
        kind: PassageKind::Prose,
    })
}

/// Byte range `[start, end)` covering syllables `s..e` given each syllable's span.
pub fn span_bytes(spans: &[(u32, u32)], s: u32, e: u32) -> Option<[usize; 2]> {
    let first = spans.get(s as usize)?.0 as usize;
    let last = spans.get((e as usize).checked_sub(1)?)?.1 as usize;
    Some([first, last])
}

/// Align two texts directly: every shared passage of at least `p.min_passage` tokens
/// (syllables of prose; URLs, paths and code are not tokens), with byte offsets into
/// each original text and its kind (prose, quote, citation; a passage that changes kind
/// is cut there). For showing a pair to a judge.
pub fn align_texts(a: &str, b: &str, p: &Params) -> Vec<Passage> {
    let pa = Prepared::new(a, p);
    let pb = Prepared::new(b, p);
    align_prepared(&pa, &pb, p, p.min_passage)
        .into_iter()
        .map(|(_, x)| x)
        .collect()
}

/// [`align`] of two prepared texts, cut by kind, with byte offsets.
pub fn align_prepared(
    pa: &Prepared,
    pb: &Prepared,
    p: &Params,
    min_len: usize,
) -> Vec<(TokenPassage, Passage)> {
    align(pa, pb, p, min_len)
        .iter()
        .flat_map(|tp| split_kinds(tp, &pa.zones, &pb.zones, p.min_passage as u32))
        .filter_map(|(tp, kind)| {
            let mut x = to_bytes(&tp, &pa.syl, &pb.syl)?;
            x.kind = kind;
            Some((tp, x))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, seed: u64) -> Vec<String> {
        let syl = [
            "người", "dân", "đất", "nước", "xây", "dựng", "phát", "triển", "kinh", "tế", "văn",
            "hóa", "xã", "hội", "chính", "trị", "bảo", "vệ", "nền", "tảng", "tư", "tưởng", "của",
            "đảng", "nhân", "lực", "mới", "trong", "thời", "kỳ", "hiện", "nay",
        ];
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                syl[((s >> 33) % syl.len() as u64) as usize].to_string()
            })
            .collect()
    }

    #[test]
    fn finds_passage_once_with_changes() {
        let p = Params::default();
        let src = words(400, 1);
        let mut copied: Vec<String> = src[100..300].to_vec();
        // Change every 20th word.
        for (i, w) in copied.iter_mut().enumerate() {
            if i % 20 == 10 {
                *w = "XYZ".to_string();
            }
        }
        let mut dst = words(150, 2);
        dst.extend(copied);
        dst.extend(words(150, 3));
        let a = dst.join(" ");
        let b = src.join(" ");
        let ps = align_texts(&a, &b, &p);
        assert_eq!(ps.len(), 1, "{ps:?}");
        let got = &a[ps[0].a[0]..ps[0].a[1]];
        assert!(
            got.split(' ').count() >= 190,
            "{} {ps:?}",
            got.split(' ').count()
        );
    }

    #[test]
    fn finds_minimal_guaranteed_run() {
        let p = Params::default();
        let t = p.guaranteed_run();
        let shared = words(t, 9).join(" ");
        let a = format!(
            "{} {} {}",
            words(37, 4).join(" "),
            shared,
            words(21, 5).join(" ")
        );
        let b = format!(
            "{} {} {}",
            words(11, 6).join(" "),
            shared,
            words(53, 7).join(" ")
        );
        let ps = align_texts(&a, &b, &p);
        assert!(
            ps.iter().any(|x| a[x.a[0]..x.a[1]].contains(&shared)),
            "{ps:?}"
        );
    }

    #[test]
    fn unrelated_texts_share_nothing() {
        let p = Params::default();
        let a = words(2000, 11).join(" ");
        let b = "hoàn toàn khác ".repeat(500);
        assert!(align_texts(&a, &b, &p).is_empty());
    }
}
