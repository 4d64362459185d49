//! Shared fixture loading: real Vietnamese text from Debian's libreoffice-help-vi
//! (MPL-2.0), fetched by scripts/fetch-fixtures.sh; never committed.
#![allow(dead_code)]

use std::path::PathBuf;

/// Root of the fetched fixtures: $HOITHI_FIXTURES or <workspace>/target-fixtures.
pub fn fixtures_dir() -> PathBuf {
    match std::env::var_os("HOITHI_FIXTURES") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target-fixtures"),
    }
}

fn collect_files(dir: &std::path::Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_files(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

/// Strips tags and decodes the few entities the help pages use.
fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", "\u{A0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Paragraphs (text of <p> elements) of the libreoffice-help-vi pages; None if not fetched.
pub fn vietnamese_paragraphs() -> Option<Vec<String>> {
    Some(vietnamese_pages()?.into_iter().flatten().collect())
}

/// Paragraphs of each libreoffice-help-vi page, page by page; None if not fetched.
pub fn vietnamese_pages() -> Option<Vec<Vec<String>>> {
    let root = fixtures_dir().join("libreoffice-help-vi");
    let mut files = Vec::new();
    collect_files(&root, "html", &mut files);
    collect_files(&root, "xhp", &mut files);
    if files.is_empty() {
        return None;
    }
    let mut pages = Vec::new();
    for f in files {
        let Ok(html) = std::fs::read_to_string(&f) else {
            continue;
        };
        let mut paras = Vec::new();
        for chunk in html.split("<p").skip(1) {
            let body = chunk.split_once('>').map(|(_, b)| b).unwrap_or("");
            let body = body.split("</p>").next().unwrap_or("");
            let text = strip_html(body);
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.chars().any(char::is_alphabetic) {
                paras.push(text);
            }
        }
        pages.push(paras);
    }
    Some(pages)
}

/// Syllables of the hunspell-vi list (raw lines before '/'); None if not fetched.
pub fn hunspell_words() -> Option<Vec<String>> {
    let dir = fixtures_dir().join("hunspell-vi");
    let mut files = Vec::new();
    collect_files(&dir, "dic", &mut files);
    let text = std::fs::read_to_string(files.first()?).ok()?;
    Some(
        text.lines()
            .skip(1)
            .map(|l| l.split('/').next().unwrap_or("").trim().to_owned())
            .filter(|w| !w.is_empty())
            .collect(),
    )
}

/// Strings from the es/fr/de message catalogs of this machine (msgstr texts);
/// empty if there are none.
pub fn european_strings() -> Vec<String> {
    let mut out = Vec::new();
    for lang in ["es", "fr", "de"] {
        let mut files = Vec::new();
        collect_files(
            &PathBuf::from(format!("/usr/share/locale/{lang}/LC_MESSAGES")),
            "mo",
            &mut files,
        );
        for f in files {
            let Ok(bytes) = std::fs::read(&f) else {
                continue;
            };
            out.extend(mo_translations(&bytes));
        }
    }
    out
}

/// Translated strings of a GNU .mo file (little-endian only; others are skipped).
fn mo_translations(b: &[u8]) -> Vec<String> {
    let u32_at = |o: usize| -> Option<usize> {
        let s = b.get(o..o + 4)?;
        Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
    };
    let mut out = Vec::new();
    if u32_at(0) != Some(0x950412de) {
        return out;
    }
    let (Some(n), Some(trans)) = (u32_at(8), u32_at(16)) else {
        return out;
    };
    for i in 0..n {
        let (Some(len), Some(off)) = (u32_at(trans + i * 8), u32_at(trans + i * 8 + 4)) else {
            break;
        };
        if let Some(s) = b
            .get(off..off + len)
            .and_then(|s| std::str::from_utf8(s).ok())
        {
            for part in s.split('\0') {
                if !part.is_empty() {
                    out.push(part.to_owned());
                }
            }
        }
    }
    out
}
