//! Real Vietnamese paragraphs from Debian's libreoffice-help-vi (MPL-2.0),
//! fetched by scripts/fetch-fixtures.sh. Nobody on the project wrote them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

pub fn fixture_root() -> PathBuf {
    let base = std::env::var_os("HOITHI_FIXTURES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target-fixtures"),
        PathBuf::from,
    );
    base.join("libreoffice-help-vi/usr/share/libreoffice/help/vi/text")
}

/// The paragraphs, or `None` (with a message) when the fixture is absent.
pub fn paragraphs() -> Option<Vec<String>> {
    let root = fixture_root();
    if !root.is_dir() {
        // Written to stderr directly: libtest captures eprintln! of passing tests.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\nSKIPPED: {} is absent; run crates/search/scripts/fetch-fixtures.sh",
            root.display()
        );
        return None;
    }
    let mut files = Vec::new();
    collect_html(&root, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let Ok(html) = std::fs::read_to_string(&file) else {
            continue;
        };
        for p in extract_paragraphs(&html) {
            // Keep real sentences: at least five words, some Vietnamese letter.
            if p.split_whitespace().count() >= 5 && p.chars().any(is_vietnamese_letter) {
                out.push(p);
            }
        }
    }
    Some(out)
}

fn collect_html(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_html(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

fn is_vietnamese_letter(c: char) -> bool {
    let base: String = c.to_string().nfd().collect();
    c == 'đ' || c == 'Đ' || (base.chars().count() > 1 && base.is_char_boundary(1))
}

/// Text of the <p> and <h1>..<h6> elements, tags stripped, entities decoded.
pub fn extract_paragraphs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = find_open(rest) {
        let after = &rest[start..];
        let name_end = after[1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(after.len(), |i| i + 1);
        let name = &after[1..name_end];
        let close = format!("</{name}>");
        let Some(end) = after.find(&close) else {
            break;
        };
        let inner = &after[..end];
        let text = decode_entities(&strip_tags(inner));
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() && !text.starts_with("Title is:") {
            out.push(text);
        }
        rest = &after[end + close.len()..];
    }
    out
}

fn find_open(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find('<') {
        let at = from + i;
        let tail = &s[at + 1..];
        let is_p = tail.starts_with("p ") || tail.starts_with("p>");
        let is_h = tail.len() > 2
            && tail.as_bytes()[0] == b'h'
            && (b'1'..=b'6').contains(&tail.as_bytes()[1])
            && (tail.as_bytes()[2] == b' ' || tail.as_bytes()[2] == b'>');
        if is_p || is_h {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(semi) = tail.find(';').filter(|&j| j <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Independent reference folding for checking recall: NFD, drop combining
/// marks, đ/ð -> d, lowercase.
pub fn fold_word(word: &str) -> String {
    word.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' | 'ð' | 'Ð' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Words of a text as the reference sees them: NFC, split at non-alphanumerics.
pub fn words(text: &str) -> Vec<String> {
    let nfc: String = text.nfc().collect();
    nfc.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() <= 40)
        .map(|w| w.to_lowercase())
        .collect()
}

pub fn folded_words(text: &str) -> Vec<String> {
    words(text).iter().map(|w| fold_word(w)).collect()
}

/// Whether `needle` (already split) occurs as consecutive words in `haystack`.
pub fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn extracts_paragraphs_and_entities() {
    let html = r#"<h1 id="x">Tùy chọn</h1><p class="a">Ghi <span>rõ</span> &amp; &#273;ủ</p><pre>no</pre>"#;
    assert_eq!(extract_paragraphs(html), ["Tùy chọn", "Ghi rõ & đủ"]);
}
