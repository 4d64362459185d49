//! Legacy-font repair run by run, then normalization of every paragraph.

use std::collections::HashMap;

use hoithi_text::legacy::{self, Legacy};
use hoithi_text::normalize::{LegacyMode, Options, ToneStyle};

use crate::raw::RawDoc;
use crate::{Document, Format, Parsed};

/// Collapses every whitespace run (tabs, line breaks, no-break spaces) to one
/// space, then applies the shared Vietnamese normalization.
fn normalize_paragraph(text: &str) -> String {
    // Legacy repair was decided per run above; runs in Unicode fonts are
    // left alone, so normalization must not guess again.
    // Tone marks stay where the writer put them: the text is shown as written.
    let opts = Options {
        legacy: LegacyMode::Off,
        tone_style: ToneStyle::Keep,
    };
    let normalized = hoithi_text::normalize::normalize_with(text, &opts);
    let mut out = String::with_capacity(normalized.len());
    for word in normalized.split(|c: char| c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}')
    {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

pub(crate) fn finish(parsed: Parsed, format: Format) -> Document {
    match parsed {
        Parsed::Runs(raw) => finish_runs(raw, format),
        Parsed::Text(decoded) => {
            // Non-UTF-8 text may be legacy bytes rather than Windows-1258.
            let (text, legacy, repaired) = match decoded
                .legacy_view
                .as_deref()
                .and_then(|v| legacy::detect(v).map(|l| (v, l)))
            {
                Some((view, l)) => (legacy::decode(view, l), Some(l), 1),
                None => match legacy::detect(&decoded.text) {
                    Some(l) => (legacy::decode(&decoded.text, l), Some(l), 1),
                    None => (decoded.text, None, 0),
                },
            };
            let paragraphs = crate::txt::paragraphs(&text)
                .iter()
                .map(|p| normalize_paragraph(p))
                .filter(|p| !p.is_empty())
                .collect();
            Document {
                format,
                paragraphs,
                legacy,
                repaired_runs: repaired,
                fonts: Vec::new(),
            }
        }
    }
}

fn finish_runs(raw: RawDoc, format: Format) -> Document {
    let mut fonts: Vec<String> = Vec::new();
    let mut font_legacy: HashMap<String, Option<Legacy>> = HashMap::new();
    for run in raw.paragraphs.iter().flat_map(|p| &p.runs) {
        if let Some(f) = &run.font
            && !font_legacy.contains_key(f)
        {
            font_legacy.insert(f.clone(), legacy::from_font_name(f));
            fonts.push(f.clone());
        }
    }
    // PDF writers replace missing legacy fonts by substitutes (a .VnTime
    // document printed where .VnTime is not installed names DejaVu or Arial),
    // so in PDF each font's text is also checked by content.
    if format == Format::Pdf {
        let mut by_font: HashMap<&str, String> = HashMap::new();
        for run in raw.paragraphs.iter().flat_map(|p| &p.runs) {
            if let Some(f) = run.font.as_deref()
                && font_legacy.get(f).is_some_and(Option::is_none)
            {
                let t = by_font.entry(f).or_default();
                t.push_str(&run.text);
                t.push('\n');
            }
        }
        for (f, t) in by_font {
            if let Some(l) = legacy::detect(&t) {
                font_legacy.insert(f.to_owned(), Some(l));
            }
        }
    }
    // Without any font information, the whole text decides.
    let whole: Option<Legacy> = if fonts.is_empty() {
        let all: String = raw
            .paragraphs
            .iter()
            .flat_map(|p| {
                p.runs
                    .iter()
                    .map(|r| r.text.as_str())
                    .chain(std::iter::once("\n"))
            })
            .collect();
        legacy::detect(&all)
    } else {
        None
    };
    let mut counts: HashMap<Legacy, usize> = HashMap::new();
    let mut repaired_runs = 0;
    let mut paragraphs = Vec::with_capacity(raw.paragraphs.len());
    for p in &raw.paragraphs {
        let mut text = String::new();
        for run in &p.runs {
            let enc = match &run.font {
                Some(f) => font_legacy.get(f).copied().flatten(),
                None => whole,
            };
            match enc {
                Some(l) if !run.text.is_ascii() || l == Legacy::Tcvn3Caps => {
                    text.push_str(&legacy::decode(&run.text, l));
                    *counts.entry(l).or_default() += 1;
                    repaired_runs += 1;
                }
                // A soft hyphen in a Unicode run is invisible: drop it.
                _ => text.extend(run.text.chars().filter(|c| *c != '\u{AD}')),
            }
        }
        let text = normalize_paragraph(&text);
        if !text.is_empty() {
            paragraphs.push(text);
        }
    }
    let legacy = counts
        .into_iter()
        .max_by_key(|(l, n)| (*n, *l == Legacy::Tcvn3))
        .map(|(l, _)| l);
    Document {
        format,
        paragraphs,
        legacy,
        repaired_runs,
        fonts,
    }
}
