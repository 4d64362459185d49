//! The fused tokenizer must find the same syllables as hoithi-text and hash exactly
//! hoithi-text's folded form of each (see docs/decisions/0001-fused-tokenizer.md).

use hoithi_integrity::legacy::{Encoding, detect_line};
use hoithi_integrity::tokenize::{hash_folded, syllables};

fn check(text: &str) -> usize {
    let ours = syllables(text);
    let theirs: Vec<std::ops::Range<usize>> = hoithi_text::tokenize::syllables(text).collect();
    for (o, t) in ours.iter().zip(&theirs) {
        let ctx = text
            .get(t.start.saturating_sub(60)..(t.end + 60).min(text.len()))
            .unwrap_or("");
        assert_eq!(
            (o.start as usize, o.end as usize),
            (t.start, t.end),
            "boundary near {ctx:?}"
        );
        let folded = hoithi_text::fold::fold(&text[t.clone()]);
        assert_eq!(
            o.hash,
            hash_folded(&folded),
            "fold of {:?}",
            &text[t.clone()]
        );
    }
    assert_eq!(ours.len(), theirs.len(), "syllable count differs");
    ours.len()
}

#[test]
fn agrees_on_tricky_strings() {
    for s in [
        "Cộng hoà xã hội chủ nghĩa Việt Nam — Độc lập, Tự do, Hạnh phúc!",
        "Đường ĐƯỜNG đường ðức Ðức; don't rock’n’roll 'quoted' x'",
        "1.000,5 đồng; 3,14 và 2. và .5 và a.b, c,d",
        "e\u{0301}\u{0302} \u{0301}stray mark; hoà/hòa thuý/thúy uỷ/ủy",
        "한국어 텍스트, Ελληνικά, русский, ǅemal İstanbul ﬁne",
        "tab\tnew\nline\r\nend",
        "",
    ] {
        check(s);
    }
}

#[test]
fn agrees_on_real_vietnamese_text() {
    let dir = std::env::var("HOITHI_VI_CORPUS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../target-integrity/vi-corpus/x"
        )
        .to_string()
    });
    let root = std::path::Path::new(&dir).join("usr/share/libreoffice/help/vi");
    let Ok(rd) = std::fs::read_dir(&root) else {
        println!(
            "SKIP: {} is missing; run crates/integrity/scripts/fetch-corpus.sh",
            root.display()
        );
        return;
    };
    let mut files = Vec::new();
    let mut stack: Vec<std::path::PathBuf> = rd.flatten().map(|e| e.path()).collect();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                stack.extend(rd.flatten().map(|e| e.path()));
            }
        } else if p.extension().is_some_and(|e| e == "html") {
            files.push(p);
        }
    }
    files.sort();
    let (mut n, mut legacy_lines) = (0, 0);
    for f in files.iter().take(400) {
        if let Ok(t) = std::fs::read_to_string(f) {
            for line in t.lines() {
                // Lines taken for TCVN3/VNI look-alikes are decoded on purpose.
                if detect_line(line) == Encoding::Unicode {
                    n += check(line);
                } else {
                    println!("taken as legacy: {line}");
                    legacy_lines += 1;
                }
            }
        }
    }
    println!("{n} syllables agree; {legacy_lines} lines taken as legacy encodings");
    assert!(n > 10_000, "only {n} syllables checked");
    // libreoffice-help-vi has a handful of lines of accented-letter soup (test strings in
    // Basic examples) that do look like VNI/TCVN3; real Vietnamese lines must not.
    assert!(
        legacy_lines <= 5,
        "{legacy_lines} Unicode lines taken as legacy"
    );
}
