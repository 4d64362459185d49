//! End-to-end tests of the batch scan and the incremental index.

use hoithi_integrity::{Index, Params, ScanOptions, scan_jsonl};
use serde_json::{Value, json};

const VOCAB: &[&str] = &[
    "người", "dân", "đất", "nước", "xây", "dựng", "phát", "triển", "kinh", "tế", "văn", "hóa",
    "xã", "hội", "chính", "trị", "bảo", "vệ", "nền", "tảng", "tư", "tưởng", "của", "đảng", "nhân",
    "lực", "mới", "trong", "thời", "kỳ", "hiện", "nay", "thanh", "niên", "quê", "hương", "học",
    "tập", "lao", "động", "sáng", "tạo", "đoàn", "kết", "toàn", "thể", "cán", "bộ", "đảng", "viên",
];

fn essay(n: usize, seed: u64) -> String {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let w = VOCAB[(s % VOCAB.len() as u64) as usize];
        out.push(if i % 12 == 11 {
            format!("{w}.")
        } else {
            w.to_string()
        });
    }
    out.join(" ")
}

fn jsonl(items: &[(&str, &str)]) -> String {
    items
        .iter()
        .map(|(id, t)| json!({"id": id, "text": t}).to_string() + "\n")
        .collect()
}

struct Out {
    pairs: Vec<Value>,
    shares: Vec<Value>,
    progress: String,
    summary: hoithi_integrity::ScanSummary,
}

fn run(entries: &str, reference: Option<&str>, allowed: Option<&str>, opts: &ScanOptions) -> Out {
    let (mut p, mut s, mut g) = (Vec::new(), Vec::new(), Vec::new());
    let summary = scan_jsonl(
        entries.as_bytes(),
        reference.map(|r| r.as_bytes()),
        allowed.map(|a| a.as_bytes()),
        &mut p,
        &mut s,
        &mut g,
        opts,
    )
    .expect("scan");
    let parse = |b: &[u8]| -> Vec<Value> {
        String::from_utf8_lossy(b)
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    };
    Out {
        pairs: parse(&p),
        shares: parse(&s),
        progress: String::from_utf8_lossy(&g).into_owned(),
        summary,
    }
}

fn prefix(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn share(out: &Out, id: &str) -> f64 {
    out.shares
        .iter()
        .find(|v| v["id"] == id)
        .and_then(|v| v["share"].as_f64())
        .expect("share line")
}

#[test]
fn finds_nfd_passage_with_offsets_into_original_text() {
    use unicode_normalization::UnicodeNormalization;
    let src = essay(600, 1);
    let words: Vec<&str> = src.split(' ').collect();
    let passage = words[200..320].join(" ");
    let nfd: String = passage.nfd().collect();
    let a = format!("{} {} {}", essay(300, 2), nfd.to_uppercase(), essay(300, 3));
    let entries = jsonl(&[("src", &src), ("copy", &a), ("other", &essay(500, 4))]);
    let out = run(
        &entries,
        None::<&str>,
        None::<&str>,
        &ScanOptions::default(),
    );
    assert_eq!(out.pairs.len(), 1, "{:?}", out.pairs);
    let pair = &out.pairs[0];
    let ps = pair["passages"].as_array().expect("passages");
    assert_eq!(ps.len(), 1);
    let (ta, tb) = if pair["a"] == "copy" {
        ("a", "b")
    } else {
        ("b", "a")
    };
    let r = |side: &str| -> (usize, usize) {
        let v = &ps[0][side];
        (
            v[0].as_u64().unwrap_or(0) as usize,
            v[1].as_u64().unwrap_or(0) as usize,
        )
    };
    let (cs, ce) = r(ta);
    let (ss, se) = r(tb);
    let copied = &a[cs..ce];
    let source = &src[ss..se];
    // The source side covers the passage (grown edges may add a syllable of context).
    let inner: String = passage.chars().skip(10).take(300).collect();
    assert!(source.contains(&inner), "{source}");
    let copied_nfc = copied.nfc().collect::<String>().to_lowercase();
    assert!(copied_nfc.contains(&prefix(&inner, 40)));
    let s = share(&out, "copy");
    assert!(s > 0.15 && s < 0.22, "share {s}");
    assert_eq!(share(&out, "other"), 0.0);
}

#[test]
fn allowed_sources_and_common_text_do_not_count() {
    let quote = essay(100, 10);
    let prompt = essay(40, 11);
    let mut items: Vec<(String, String)> = Vec::new();
    for i in 0..8 {
        items.push((
            format!("e{i}"),
            format!(
                "{} {} {} {}",
                prompt,
                essay(200, 100 + i),
                quote,
                essay(200, 200 + i)
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = items
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let entries = jsonl(&refs);
    let allowed = jsonl(&[("resolution", &quote)]);
    let mut opts = ScanOptions::default();
    opts.params.common_threshold = 5;
    let out = run(&entries, None::<&str>, Some(&allowed), &opts);
    assert!(out.pairs.is_empty(), "{:?}", out.pairs);
    for i in 0..8 {
        assert_eq!(share(&out, &format!("e{i}")), 0.0);
    }
    assert!(!out.summary.common.is_empty());
    assert!(out.summary.common.iter().any(|c| {
        let text = &items
            .iter()
            .find(|(id, _)| *id == c.example_id)
            .expect("example is an entry")
            .1;
        prompt.contains(&prefix(&text[c.range[0]..c.range[1]], 30))
    }));
    // Without the allowed list and with a high threshold, every pair is reported.
    let out = run(
        &entries,
        None::<&str>,
        None::<&str>,
        &ScanOptions::default(),
    );
    assert_eq!(out.pairs.len(), 8 * 7 / 2);
}

#[test]
fn reference_matches_and_malformed_lines() {
    let refdoc = essay(800, 20);
    let words: Vec<&str> = refdoc.split(' ').collect();
    let lifted = words[100..160].join(" ");
    let entry = format!("{}\n{}\n{}", essay(200, 21), lifted, essay(200, 22));
    let entries = format!(
        "{}not json\n{{\"id\": 5}}\n\n{}",
        jsonl(&[("x", &entry)]),
        jsonl(&[("y", &essay(300, 23))])
    );
    let reference = jsonl(&[("ref-1", &refdoc)]);
    let out = run(
        &entries,
        Some(&reference),
        None::<&str>,
        &ScanOptions::default(),
    );
    assert_eq!(out.summary.skipped_lines, 2);
    assert!(out.progress.contains("dòng 2"), "{}", out.progress);
    assert!(out.progress.contains("dòng 3"));
    assert_eq!(out.pairs.len(), 1);
    assert_eq!(out.pairs[0]["a"], "x");
    assert_eq!(out.pairs[0]["b"], "ref-1");
    assert_eq!(out.shares.len(), 2);
    assert!(share(&out, "x") > 0.1);
}

#[test]
fn legacy_encoded_copy_is_found() {
    // The same sentence pattern in Unicode and as TCVN3 / VNI look-alikes.
    let uni = "Cộng hoà xã hội chủ nghĩa Việt Nam độc lập tự do hạnh phúc";
    let tcvn = "Céng hoµ x· héi chñ nghÜa ViÖt Nam ®éc lËp tù do h¹nh phóc";
    let vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam ñoäc laäp töï do haïnh phuùc";
    let body = |s: &str| format!("{s} {s} {s}");
    let a = format!("{}\n{}\n{}", essay(100, 30), body(uni), essay(100, 31));
    let b = format!("{}\n{}\n{}", essay(100, 32), body(tcvn), essay(100, 33));
    let c = format!("{}\n{}\n{}", essay(100, 34), body(vni), essay(100, 35));
    let entries = jsonl(&[("a", &a), ("b", &b), ("c", &c)]);
    let out = run(
        &entries,
        None::<&str>,
        None::<&str>,
        &ScanOptions::default(),
    );
    assert_eq!(out.pairs.len(), 3, "{:?}", out.pairs);
}

#[test]
fn index_add_remove_check_and_roundtrip() {
    let p = Params::default();
    let mut idx = Index::new(p).expect("index");
    let texts: Vec<String> = (0..50).map(|i| essay(400, 1000 + i)).collect();
    for (i, t) in texts.iter().enumerate() {
        idx.add(&format!("d{i}"), t).expect("add");
    }
    let words: Vec<&str> = texts[7].split(' ').collect();
    let query = format!(
        "{} {} {}",
        essay(150, 5),
        words[50..250].join(" "),
        essay(150, 6)
    );
    let r = idx.check(&query);
    assert_eq!(r.matches.first().map(|m| m.id.as_str()), Some("d7"));
    assert!(r.share > 0.3 && r.share < 0.45, "share {}", r.share);
    let exact = idx.check_exact(&query, |id| {
        id.strip_prefix('d')
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| texts.get(n).cloned())
    });
    assert_eq!(exact.matches.len(), 1);
    assert!(exact.share >= r.share - 0.02);

    let mut buf = Vec::new();
    idx.write_to(&mut buf).expect("write");
    let loaded = Index::read_from(buf.as_slice()).expect("read");
    assert_eq!(loaded.check(&query), r);
    // Corruption is detected, not trusted.
    let mut bad = buf.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0xFF;
    assert!(Index::read_from(bad.as_slice()).is_err());
    assert!(Index::read_from(&buf[..buf.len() - 3]).is_err());

    assert!(idx.remove("d7"));
    assert!(idx.check(&query).matches.is_empty());
    idx.compact();
    assert_eq!(idx.len(), 49);
    assert!(idx.check(&query).matches.is_empty());
    // Allowed source: the copied text no longer counts.
    idx.add_allowed("law", &words[50..250].join(" "))
        .expect("add");
    let r = idx.check(&query);
    assert_eq!(r.share, 0.0);
    assert!(r.matches.iter().all(|m| m.allowed));
}

#[test]
fn offsets_survive_long_syllables_and_gaps() {
    // A 300-byte "syllable" and a 400-byte gap inside the copied passage: lengths and gaps
    // beyond one byte go through the exact side list.
    let src = essay(400, 40);
    let words: Vec<&str> = src.split(' ').collect();
    let long = "x".repeat(300);
    let gap = " ".repeat(400);
    let passage = format!(
        "{} {long}{gap}{}",
        words[100..150].join(" "),
        words[150..200].join(" ")
    );
    let src2 = format!(
        "{} {} {}",
        words[..100].join(" "),
        passage,
        words[200..].join(" ")
    );
    let copy = format!("{}\n{}\n{}", essay(120, 41), passage, essay(120, 42));
    let entries = jsonl(&[("s", &src2), ("c", &copy)]);
    let out = run(
        &entries,
        None::<&str>,
        None::<&str>,
        &ScanOptions::default(),
    );
    assert_eq!(out.pairs.len(), 1, "{:?}", out.pairs);
    let p = &out.pairs[0]["passages"][0];
    let (side_c, side_s) = if out.pairs[0]["a"] == "c" {
        ("a", "b")
    } else {
        ("b", "a")
    };
    let r = |side: &str| {
        let v = &p[side];
        (
            v[0].as_u64().unwrap_or(0) as usize,
            v[1].as_u64().unwrap_or(0) as usize,
        )
    };
    let (cs, ce) = r(side_c);
    let (ss, se) = r(side_s);
    assert_eq!(&copy[cs..ce], passage.as_str());
    assert_eq!(&src2[ss..se], passage.as_str());
}

#[test]
fn small_pieces_and_threads_give_the_same_result() {
    // Many pieces (lines cut across reads, lines longer than a piece, bad lines in the
    // middle), one or several threads: the same pairs, shares and line numbers.
    let src = essay(3000, 50);
    let words: Vec<&str> = src.split(' ').collect();
    let mut items: Vec<(String, String)> = Vec::new();
    for i in 0..40u64 {
        let mut t = essay(50 + (i as usize * 37) % 900, 60 + i);
        if i % 5 == 0 {
            let at = (i as usize * 53) % 2500;
            t = format!(
                "{t}\n{}\n{}",
                words[at..at + 80].join(" "),
                essay(40, 99 + i)
            );
        }
        items.push((format!("e{i}"), t));
    }
    items.push(("src".into(), src.clone()));
    let mut entries = String::new();
    for (i, (id, t)) in items.iter().enumerate() {
        entries.push_str(&json!({"id": id, "text": t}).to_string());
        entries.push('\n');
        if i == 17 {
            entries.push_str("{\"id\": \"cut\", \"text\": \"unterminated\n\n   \r\n");
        }
    }
    let base = run(
        &entries,
        None::<&str>,
        None::<&str>,
        &ScanOptions::default(),
    );
    assert_eq!(base.summary.skipped_lines, 1);
    assert!(base.progress.contains("dòng 19"), "{}", base.progress);
    assert!(base.pairs.len() >= 8, "{:?}", base.pairs);
    for threads in [1, 3] {
        let opts = ScanOptions {
            threads,
            batch_bytes: 4096,
            ..ScanOptions::default()
        };
        let out = run(&entries, None::<&str>, None::<&str>, &opts);
        assert_eq!(out.pairs, base.pairs, "threads={threads}");
        assert_eq!(out.shares, base.shares);
        assert_eq!(out.summary.skipped_lines, 1);
        assert!(out.progress.contains("dòng 19"), "{}", out.progress);
    }
}

#[test]
fn index_compaction_and_saved_additions_agree() {
    // The same documents reached four ways: all recent additions, compacted with a
    // removal, compacted plus recent additions, and saved/loaded with recent additions
    // (merged on load). Every check must agree.
    let p = Params::default();
    let texts: Vec<String> = (0..36)
        .map(|i| essay(300 + i * 7, 2000 + i as u64))
        .collect();
    let mut fresh = Index::new(p).expect("index");
    for (i, t) in texts.iter().enumerate().filter(|(i, _)| *i != 3) {
        fresh.add(&format!("d{i}"), t).expect("add");
    }
    let mut mixed = Index::new(p).expect("index");
    for (i, t) in texts.iter().enumerate().take(30) {
        mixed.add(&format!("d{i}"), t).expect("add");
    }
    assert!(mixed.remove("d3"));
    mixed.compact();
    for (i, t) in texts.iter().enumerate().skip(30) {
        mixed.add(&format!("d{i}"), t).expect("add");
    }
    let mut buf = Vec::new();
    mixed.write_to(&mut buf).expect("write");
    let loaded = Index::read_from(buf.as_slice()).expect("read");
    let mut compacted = mixed.clone();
    compacted.compact();
    let norm = |mut r: hoithi_integrity::CheckResult| {
        r.matches.sort_by(|a, b| a.id.cmp(&b.id));
        r
    };
    for q in 0..12usize {
        let words: Vec<&str> = texts[q * 3].split(' ').collect();
        let other: Vec<&str> = texts[35 - q].split(' ').collect();
        let query = format!(
            "{} {} {} {}",
            essay(80, 500 + q as u64),
            words[20..120].join(" "),
            other[10..70].join(" "),
            essay(60, 600 + q as u64)
        );
        let want = norm(fresh.check(&query));
        assert_eq!(norm(mixed.check(&query)), want, "query {q}");
        assert_eq!(norm(loaded.check(&query)), want, "query {q}");
        assert_eq!(norm(compacted.check(&query)), want, "query {q}");
    }
    assert_eq!(loaded.len(), 35);
    assert_eq!(compacted.syllables_of("d3"), None);
}
