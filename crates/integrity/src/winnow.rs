//! k-gram hashing and winnowing (Schleimer, Wilkerson, Aiken 2003).
//!
//! Every window of `w` consecutive k-gram hashes keeps its minimum (rightmost on ties).
//! Two texts that share a run of at least `t = w + k - 1` syllables share a full window,
//! and therefore both select the same k-gram from it.

/// A selected k-gram: its hash and the index of its first syllable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fingerprint {
    /// Hash of the k-gram.
    pub hash: u64,
    /// Index of the k-gram's first syllable.
    pub pos: u32,
}

const BASE: u64 = 0x0000_0100_0000_01B3; // FNV prime: odd, so the polynomial is invertible.

#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    z = (z ^ (z >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    z ^ (z >> 33)
}

/// Hashes of every k-gram of `syl` (rolling polynomial over syllable hashes, then mixed).
pub fn kgram_hashes(syl: &[u64], k: usize, out: &mut Vec<u64>) {
    kgram_hashes_of(syl, k, out);
}

/// [`kgram_hashes`] over any unsigned syllable values (e.g. 16-bit keys).
fn kgram_hashes_of<T: Copy + Into<u64>>(syl: &[T], k: usize, out: &mut Vec<u64>) {
    out.clear();
    if k == 0 || syl.len() < k {
        return;
    }
    let (pow_k, mut h) = first_kgram(syl, k);
    let first = mix(h);
    // One `extend` over iterators of known length: no capacity check per k-gram.
    out.extend(
        std::iter::once(first).chain(syl.iter().zip(&syl[k..]).map(|(&old, &new)| {
            h = roll(h, old.into(), new.into(), pow_k);
            mix(h)
        })),
    );
}

/// `BASE^k` and the (unmixed) hash of the first k-gram of `syl`.
fn first_kgram<T: Copy + Into<u64>>(syl: &[T], k: usize) -> (u64, u64) {
    let pow_k = (0..k).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let h = syl
        .iter()
        .take(k)
        .fold(0u64, |h, &s| h.wrapping_mul(BASE).wrapping_add(s.into()));
    (pow_k, h)
}

/// The next k-gram's (unmixed) hash: `(h - old * BASE^(k-1)) * BASE + new`, written so
/// that only one multiplication and one addition depend on `h` (the same value in
/// wrapping arithmetic).
#[inline(always)]
fn roll(h: u64, old: u64, new: u64, pow_k: u64) -> u64 {
    h.wrapping_mul(BASE)
        .wrapping_add(new.wrapping_sub(old.wrapping_mul(pow_k)))
}

/// Hash of one k-gram (`keys.len()` = k), the same value [`kgram_hashes`] gives it.
pub fn kgram_hash<T: Copy + Into<u64>>(keys: &[T]) -> u64 {
    mix(keys
        .iter()
        .fold(0u64, |h, &s| h.wrapping_mul(BASE).wrapping_add(s.into())))
}

/// Winnow k-gram hashes with window `w`, appending selected fingerprints to `out`.
/// A text with fewer than `w` k-grams keeps its overall minimum.
pub fn winnow(kh: &[u64], w: usize, out: &mut Vec<Fingerprint>) {
    if kh.is_empty() || w == 0 {
        return;
    }
    let w = w.min(kh.len());
    // Rightmost minimum of the first window.
    let mut m = 0usize;
    for i in 1..w {
        if kh[i] <= kh[m] {
            m = i;
        }
    }
    out.push(Fingerprint {
        hash: kh[m],
        pos: m as u32,
    });
    for i in w..kh.len() {
        let lo = i + 1 - w;
        if kh[i] <= kh[m] {
            m = i;
        } else if m < lo {
            // The minimum left the window: rescan it (w is small).
            m = lo;
            for j in lo + 1..=i {
                if kh[j] <= kh[m] {
                    m = j;
                }
            }
        } else {
            continue;
        }
        out.push(Fingerprint {
            hash: kh[m],
            pos: m as u32,
        });
    }
}

/// Fingerprints of whole texts given their syllable keys: the same as [`kgram_hashes`]
/// followed by [`winnow`] (and as feeding the keys to a [`Streamer`]), with buffers
/// reused from text to text.
///
/// Even window sizes up to 8 take a branch-free path: the rightmost minimum of each
/// pair of neighbouring k-grams is computed once, and a window's minimum is taken over
/// its `w / 2` pairs with conditional moves instead of unpredictable jumps. The pairs
/// are formed while hashing the k-grams (one tight loop, no buffer of k-gram hashes);
/// this is 2-3 times as fast as the streamer.
#[derive(Clone, Debug, Default)]
pub struct Winnower {
    kh: Vec<u64>,
    pairs: Vec<(u64, u32)>,
}

impl Winnower {
    /// A winnower with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Append the fingerprints of the text whose syllable keys are `keys` to `out`.
    pub fn fingerprints<T: Copy + Into<u64>>(
        &mut self,
        keys: &[T],
        k: usize,
        w: usize,
        out: &mut Vec<Fingerprint>,
    ) {
        let p = match w {
            2 => 1,
            4 => 2,
            6 => 3,
            8 => 4,
            _ => 0,
        };
        if p == 0 || k == 0 || keys.len() < k + w - 1 {
            // Odd or wide windows, and texts with fewer than `w` k-grams.
            kgram_hashes_of(keys, k, &mut self.kh);
            return winnow(&self.kh, w, out);
        }
        kgram_pairs(keys, k, &mut self.pairs);
        let windows = keys.len() - k + 1 - w + 1;
        match p {
            1 => select_pairs::<1>(&self.pairs, windows, out),
            2 => select_pairs::<2>(&self.pairs, windows, out),
            3 => select_pairs::<3>(&self.pairs, windows, out),
            _ => select_pairs::<4>(&self.pairs, windows, out),
        }
    }
}

/// `pairs[i]`: the rightmost minimum of k-grams `i` and `i + 1` (hash, position), for
/// every pair of neighbouring k-grams of `syl`, computed while hashing them (the k-gram
/// hashes are those of [`kgram_hashes`]; they are not stored). Needs `syl.len() > k`.
fn kgram_pairs<T: Copy + Into<u64>>(syl: &[T], k: usize, pairs: &mut Vec<(u64, u32)>) {
    pairs.clear();
    if k == 0 || syl.len() <= k {
        return;
    }
    let (pow_k, mut h) = first_kgram(syl, k);
    let mut prev = (mix(h), 0u32);
    // One `extend` over iterators of known length: no capacity check per pair.
    pairs.extend(
        syl.iter()
            .zip(&syl[k..])
            .enumerate()
            .map(|(i, (&old, &new))| {
                h = roll(h, old.into(), new.into(), pow_k);
                let cur = (mix(h), i as u32 + 1);
                let m = rmin(prev, cur);
                prev = cur;
                m
            }),
    );
}

/// The rightmost minimum of k-grams `a` and `b` (hash, position), where `b` lies to
/// the right of `a`. Conditional moves, not a branch: the comparison is random and a
/// branch would be mispredicted about a third of the time.
#[inline(always)]
fn rmin(a: (u64, u32), b: (u64, u32)) -> (u64, u32) {
    let take = b.0 <= a.0;
    (
        std::hint::select_unpredictable(take, b.0, a.0),
        std::hint::select_unpredictable(take, b.1, a.1),
    )
}

/// Window minima for windows of `2 * P` k-grams from the neighbour pairs of
/// [`kgram_pairs`]; `windows` = number of k-grams - `2 * P` + 1 (at least 1).
fn select_pairs<const P: usize>(pairs: &[(u64, u32)], windows: usize, out: &mut Vec<Fingerprint>) {
    let start = out.len();
    out.resize(start + windows, Fingerprint { hash: 0, pos: 0 });
    let slots = &mut out[start..];
    let mut len = 0usize;
    let mut last = u32::MAX;
    for lo in 0..windows {
        // Pairs lo, lo + 2, ..., lo + w - 2 cover the window.
        let mut best = pairs[lo];
        for j in 1..P {
            best = rmin(best, pairs[lo + 2 * j]);
        }
        if let Some(slot) = slots.get_mut(len) {
            *slot = Fingerprint {
                hash: best.0,
                pos: best.1,
            };
        }
        len += usize::from(best.1 != last);
        last = best.1;
    }
    out.truncate(start + len);
}

/// Streaming fingerprinting: feed syllable hashes one by one, get the same
/// fingerprints as [`kgram_hashes`] followed by [`winnow`], without buffers per text.
#[derive(Clone, Debug)]
pub struct Streamer {
    k: usize,
    w: usize,
    pow: u64,
    syl: Vec<u64>,
    kh: Vec<u64>,
    n_syl: usize,
    h: u64,
    m: usize,
    // Value at `m`, kept apart: its ring slot is reused once it leaves the window.
    mv: u64,
    syl_slot: usize,
    kh_slot: usize,
}

impl Streamer {
    /// A streamer for k-grams of `k` syllables and windows of `w` k-grams (both >= 1).
    pub fn new(k: usize, w: usize) -> Self {
        let (k, w) = (k.max(1), w.max(1));
        let mut pow = 1u64;
        for _ in 1..k {
            pow = pow.wrapping_mul(BASE);
        }
        Streamer {
            k,
            w,
            pow,
            syl: vec![0; k],
            kh: vec![0; w],
            n_syl: 0,
            h: 0,
            m: 0,
            mv: 0,
            syl_slot: 0,
            kh_slot: 0,
        }
    }

    /// Start a new text.
    pub fn reset(&mut self) {
        self.n_syl = 0;
        self.h = 0;
        self.m = 0;
        self.mv = 0;
        self.syl_slot = 0;
        self.kh_slot = 0;
    }

    /// Feed the next syllable hash; selected fingerprints go to `out`.
    #[inline]
    pub fn push(&mut self, s: u64, out: &mut impl FnMut(Fingerprint)) {
        let idx = self.n_syl;
        // Ring slots without division: k and w are not constants.
        let slot = self.syl_slot;
        if idx >= self.k {
            let old = self.syl[slot];
            self.h = self
                .h
                .wrapping_sub(old.wrapping_mul(self.pow))
                .wrapping_mul(BASE)
                .wrapping_add(s);
        } else {
            self.h = self.h.wrapping_mul(BASE).wrapping_add(s);
        }
        self.syl[slot] = s;
        self.syl_slot = if slot + 1 == self.k { 0 } else { slot + 1 };
        self.n_syl += 1;
        if self.n_syl < self.k {
            return;
        }
        let i = self.n_syl - self.k; // index of this k-gram
        let v = mix(self.h);
        let w = self.w;
        let kslot = self.kh_slot;
        self.kh[kslot] = v;
        self.kh_slot = if kslot + 1 == w { 0 } else { kslot + 1 };
        if i < w {
            if i == 0 || v <= self.mv {
                self.m = i;
                self.mv = v;
            }
            if i + 1 < w {
                return;
            }
        } else {
            let lo = i + 1 - w;
            if v <= self.mv {
                self.m = i;
                self.mv = v;
            } else if self.m < lo {
                // Rescan the window; it starts at the slot after this k-gram's.
                let mut best = lo;
                let mut bv = u64::MAX;
                let mut sl = self.kh_slot;
                for j in lo..=i {
                    let x = self.kh[sl];
                    if x <= bv {
                        best = j;
                        bv = x;
                    }
                    sl = if sl + 1 == w { 0 } else { sl + 1 };
                }
                self.m = best;
                self.mv = bv;
            } else {
                return;
            }
        }
        out(Fingerprint {
            hash: self.mv,
            pos: self.m as u32,
        });
    }

    /// End of text: a text with fewer than `w` k-grams keeps its overall minimum.
    pub fn finish(&mut self, out: &mut impl FnMut(Fingerprint)) {
        if self.n_syl >= self.k {
            let n_k = self.n_syl - self.k + 1;
            if n_k < self.w {
                out(Fingerprint {
                    hash: self.mv,
                    pos: self.m as u32,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 11
    }

    #[test]
    fn one_kgram_hash_equals_rolling() {
        let mut s = 11;
        let keys: Vec<u16> = (0..60).map(|_| (lcg(&mut s) % 500) as u16).collect();
        let mut kh = Vec::new();
        kgram_hashes_of(&keys, 7, &mut kh);
        assert_eq!(kh.len(), 54);
        for (i, &h) in kh.iter().enumerate() {
            assert_eq!(kgram_hash(&keys[i..i + 7]), h);
        }
    }

    #[test]
    fn rolling_equals_direct() {
        let mut s = 7;
        let syl: Vec<u64> = (0..50).map(|_| lcg(&mut s) % 30).collect();
        let mut kh = Vec::new();
        kgram_hashes(&syl, 8, &mut kh);
        for (i, &h) in kh.iter().enumerate() {
            let mut d = 0u64;
            for &x in &syl[i..i + 8] {
                d = d.wrapping_mul(BASE).wrapping_add(x);
            }
            assert_eq!(h, mix(d));
        }
    }

    #[test]
    fn guarantee_shared_run_of_t_shares_a_fingerprint() {
        let (k, w) = (8usize, 8usize);
        let t = w + k - 1;
        let mut s = 42;
        for _ in 0..200 {
            let shared: Vec<u64> = (0..t).map(|_| lcg(&mut s)).collect();
            let mut a: Vec<u64> = (0..(lcg(&mut s) % 40) as usize)
                .map(|_| lcg(&mut s))
                .collect();
            let mut b: Vec<u64> = (0..(lcg(&mut s) % 40) as usize)
                .map(|_| lcg(&mut s))
                .collect();
            a.extend_from_slice(&shared);
            b.extend_from_slice(&shared);
            a.extend((0..(lcg(&mut s) % 40)).map(|_| lcg(&mut s)));
            b.extend((0..(lcg(&mut s) % 40)).map(|_| lcg(&mut s)));
            let (mut ka, mut kb, mut fa, mut fb) = (vec![], vec![], vec![], vec![]);
            kgram_hashes(&a, k, &mut ka);
            kgram_hashes(&b, k, &mut kb);
            winnow(&ka, w, &mut fa);
            winnow(&kb, w, &mut fb);
            let hb: std::collections::HashSet<u64> = fb.iter().map(|f| f.hash).collect();
            assert!(fa.iter().any(|f| hb.contains(&f.hash)));
        }
    }

    #[test]
    fn density_near_two_over_w_plus_one() {
        let mut s = 1;
        let syl: Vec<u64> = (0..100_000).map(|_| lcg(&mut s)).collect();
        let (mut kh, mut fp) = (vec![], vec![]);
        kgram_hashes(&syl, 8, &mut kh);
        winnow(&kh, 8, &mut fp);
        let d = fp.len() as f64 / kh.len() as f64;
        assert!((d - 2.0 / 9.0).abs() < 0.01, "density {d}");
    }

    #[test]
    fn matches_naive_definition() {
        let mut s = 3;
        for w in [1usize, 2, 5, 8, 13] {
            let kh: Vec<u64> = (0..500).map(|_| lcg(&mut s) % 50).collect();
            let mut fast = vec![];
            winnow(&kh, w, &mut fast);
            let mut naive: Vec<Fingerprint> = vec![];
            for lo in 0..=kh.len() - w {
                let win = &kh[lo..lo + w];
                let min = *win.iter().min().unwrap_or(&0);
                let m = lo + win.iter().rposition(|&x| x == min).unwrap_or(0);
                if naive.last().map(|f| f.pos as usize) != Some(m) {
                    naive.push(Fingerprint {
                        hash: kh[m],
                        pos: m as u32,
                    });
                }
            }
            assert_eq!(fast, naive, "w={w}");
        }
    }

    #[test]
    fn streamer_equals_batch() {
        let mut s = 99;
        for (k, w) in [(8usize, 8usize), (1, 1), (3, 5), (5, 11)] {
            for len in [0usize, 1, 2, 7, 8, 9, 14, 15, 16, 40, 300] {
                let syl: Vec<u64> = (0..len).map(|_| lcg(&mut s) % 7).collect();
                let (mut kh, mut batch) = (vec![], vec![]);
                kgram_hashes(&syl, k, &mut kh);
                winnow(&kh, w, &mut batch);
                let mut st = Streamer::new(k, w);
                let mut got = vec![];
                let mut emit = |f| got.push(f);
                for &x in &syl {
                    st.push(x, &mut emit);
                }
                st.finish(&mut emit);
                assert_eq!(got, batch, "k={k} w={w} len={len}");
            }
        }
    }

    #[test]
    fn winnower_equals_streamer() {
        let mut s = 5;
        for (k, w) in [(10usize, 6usize), (8, 8), (3, 4), (2, 2), (5, 11), (1, 1)] {
            for len in [0usize, 1, 5, 9, 10, 14, 15, 16, 17, 40, 1000] {
                // Few distinct keys, so equal k-grams (ties) occur.
                let keys: Vec<u16> = (0..len).map(|_| (lcg(&mut s) % 3) as u16).collect();
                let mut st = Streamer::new(k, w);
                let mut want = vec![];
                let mut emit = |f| want.push(f);
                for &x in &keys {
                    st.push(u64::from(x), &mut emit);
                }
                st.finish(&mut emit);
                let mut got = vec![];
                Winnower::new().fingerprints(&keys, k, w, &mut got);
                assert_eq!(got, want, "k={k} w={w} len={len}");
            }
        }
    }

    #[test]
    fn short_inputs() {
        let mut kh = vec![];
        kgram_hashes(&[1, 2, 3], 8, &mut kh);
        assert!(kh.is_empty());
        let mut fp = vec![];
        winnow(&[5, 3, 9], 8, &mut fp);
        assert_eq!(fp, vec![Fingerprint { hash: 3, pos: 1 }]);
    }
}
