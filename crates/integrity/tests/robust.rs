//! Never panic, whatever the input: random texts from a mix of scripts, marks,
//! legacy look-alikes and control characters, plus broken JSON lines.

use hoithi_integrity::{Index, Params, ScanOptions, align_texts, scan_jsonl, tokenize};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn random_text(r: &mut Rng, n: usize) -> String {
    const POOL: &[char] = &[
        'a', 'ă', 'â', 'ệ', 'Đ', 'đ', 'ð', 'µ', '·', '¸', '®', 'é', 'ä', 'ø', 'ñ', 'Ö', '\u{301}',
        '\u{300}', '\u{323}', ' ', '\n', '\r', '\t', '.', ',', '\'', '’', '1', '9', '한', 'Ω',
        '\u{0}', '\u{ad}', '«', '»', 'ﬁ', '🙂', 'İ', 'x', 'y', 'q', 'u',
    ];
    (0..n)
        .map(|_| POOL[(r.next() % POOL.len() as u64) as usize])
        .collect()
}

#[test]
fn tokenizer_offsets_are_char_boundaries() {
    let mut r = Rng(0x1234_5678);
    for _ in 0..300 {
        let len = (r.next() % 400) as usize;
        let t = random_text(&mut r, len);
        let mut last = 0;
        for s in tokenize::syllables(&t) {
            let (a, b) = (s.start as usize, s.end as usize);
            assert!(a >= last && a <= b && b <= t.len());
            assert!(t.is_char_boundary(a) && t.is_char_boundary(b));
            last = b;
        }
    }
}

#[test]
fn scan_and_index_survive_garbage() {
    let mut r = Rng(42);
    let mut lines = String::new();
    let base = random_text(&mut r, 3000);
    for i in 0..60 {
        let len = (r.next() % 2000) as usize;
        let mut t = random_text(&mut r, len);
        if i % 3 == 0 {
            t.push_str(&base);
        }
        match i % 10 {
            7 => lines.push_str("{\"id\": \"broken\", \"text\": \n"),
            8 => lines.push_str("[1, 2, 3]\n"),
            _ => {
                lines.push_str(&serde_json::json!({"id": format!("d{i}"), "text": t}).to_string());
                lines.push('\n');
            }
        }
    }
    let (mut p, mut s, mut g) = (Vec::new(), Vec::new(), Vec::new());
    let mut opts = ScanOptions::default();
    opts.params.common_threshold = 3;
    let sum = scan_jsonl(
        lines.as_bytes(),
        Some(lines.as_bytes()),
        Some(&b"\xff\xfe not utf8\n"[..]),
        &mut p,
        &mut s,
        &mut g,
        &opts,
    )
    .expect("scan");
    // 12 bad lines in each of two files, plus the one line that is not UTF-8.
    assert_eq!(sum.skipped_lines, 12 * 2 + 1);
    let mut idx = Index::new(Params::default()).expect("index");
    for (i, l) in lines.lines().enumerate() {
        idx.add(&format!("x{i}"), l).expect("add");
    }
    let q = random_text(&mut r, 5000) + &base;
    let res = idx.check(&q);
    assert!((0.0..=1.0).contains(&res.share));
    for m in &res.matches {
        for ps in &m.passages {
            assert!(q.is_char_boundary(ps.text[0]) && q.is_char_boundary(ps.text[1]));
        }
    }
    let _ = align_texts(&q, &base, &Params::default());
}
