//! Benchmark tool for hoithi-integrity: corpus generator, scan runner, bare tokenizer
//! pass, evaluator (pair recall by kind, pair precision, PAN measures) and index latency.
//!
//! integrity-bench gen CORPUS_DIR OUT_DIR ESSAYS REFS SEED
//! integrity-bench gen-large CORPUS_DIR OUT_DIR ESSAYS REFS SEED   (streams; for 500k+)
//! integrity-bench gen-real CORPUS_DIR OUT_DIR ESSAYS REFS SEED    (entries as they come:
//!     shared citations, links, numbers, quotes, headings; legacy text inside paragraphs)
//! integrity-bench scan OUT_DIR THREADS [K W]
//! integrity-bench floor ENTRIES.jsonl THREADS
//! integrity-bench ratio OUT_DIR ROUNDS
//! integrity-bench eval OUT_DIR PAIRS.jsonl [--doc-level]
//! integrity-bench index CORPUS_DIR ENTRIES.jsonl N_INDEXED N_QUERIES

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use hoithi_integrity::{Index, Params, ScanOptions, scan_jsonl, tokenize};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.first().map(String::as_str) {
        Some("gen") if args.len() == 6 => gen_cmd(&args[1..]),
        Some("gen-large") if args.len() == 6 => gen_large_cmd(&args[1..]),
        Some("gen-real") if args.len() == 6 => gen_real_cmd(&args[1..]),
        Some("scan") if args.len() == 3 => scan_cmd(&args[1], &args[2], None),
        Some("scan") if args.len() == 5 => scan_cmd(&args[1], &args[2], Some((&args[3], &args[4]))),
        Some("floor") if args.len() == 3 => floor_cmd(&args[1], &args[2]),
        Some("ratio") if args.len() == 3 => ratio_cmd(&args[1], &args[2]),
        Some("eval") if args.len() >= 3 => eval_cmd(&args[1], &args[2], args.len() > 3),
        Some("index") if args.len() == 5 => index_cmd(&args[1], &args[2], &args[3], &args[4]),
        _ => Err("usage: see the top of src/bin/integrity-bench.rs".into()),
    };
    if let Err(e) = r {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

// ---------- random numbers (seeded, portable) ----------

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    /// Like `below`, by multiplication instead of division (for the large generator;
    /// `below` stays as it is so that `gen` keeps producing the same corpora).
    fn below_fast(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

// ---------- training text ----------

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect_files(&p, out);
            } else if p.is_file() {
                out.push(p);
            }
        }
    }
}

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
    out.replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

/// Lines of real Vietnamese text from the extracted Debian packages.
fn training_lines(corpus: &Path) -> Vec<String> {
    let mut files = Vec::new();
    collect_files(corpus, &mut files);
    files.sort();
    let mut lines = Vec::new();
    for f in files {
        let name = f.to_string_lossy().to_string();
        let Ok(raw) = std::fs::read(&f) else { continue };
        let Ok(text) = String::from_utf8(raw) else {
            continue;
        };
        let text = if name.ends_with(".html") {
            strip_html(&text)
        } else if name.contains("/man/") {
            text.lines()
                .filter(|l| !l.starts_with('.') && !l.starts_with("'\\\""))
                .map(|l| {
                    l.replace("\\fB", "")
                        .replace("\\fI", "")
                        .replace("\\fR", "")
                        .replace("\\-", "-")
                })
                .collect::<Vec<_>>()
                .join("\n")
        } else if name.ends_with(".txt") {
            text
        } else {
            continue;
        };
        for l in text.lines() {
            let l: String = l.nfc().collect();
            let words: Vec<&str> = l.split_whitespace().collect();
            if words.len() < 5 {
                continue;
            }
            let viet = words
                .iter()
                .filter(|w| w.chars().any(|c| c.is_alphabetic() && !c.is_ascii()))
                .count();
            if viet * 10 >= words.len() * 3 {
                lines.push(l);
            }
        }
    }
    lines
}

/// Order-1 Markov chain over lowercase syllables.
struct Model {
    vocab: Vec<String>,
    starts: Vec<u32>,
    next: Vec<Vec<u32>>,
}

fn clean_word(w: &str) -> Option<String> {
    let t: String = w
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    (!t.is_empty() && t.chars().count() <= 8).then_some(t)
}

fn build_model(lines: &[String]) -> Model {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut vocab = Vec::new();
    let mut next: Vec<Vec<u32>> = Vec::new();
    let mut starts = Vec::new();
    for l in lines {
        let mut prev: Option<u32> = None;
        for w in l.split_whitespace() {
            let Some(t) = clean_word(w) else {
                prev = None;
                continue;
            };
            let id = *ids.entry(t.clone()).or_insert_with(|| {
                vocab.push(t);
                next.push(Vec::new());
                (vocab.len() - 1) as u32
            });
            match prev {
                Some(p) => next[p as usize].push(id),
                None => starts.push(id),
            }
            prev = if w.ends_with(['.', ',', ':', ';', '?', '!']) {
                None
            } else {
                Some(id)
            };
            if w.ends_with(['.', '?', '!']) {
                prev = None;
            }
        }
    }
    Model {
        vocab,
        starts,
        next,
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn folded_hashes(s: &str) -> Vec<u64> {
    tokenize::syllables(s).iter().map(|t| t.hash).collect()
}

const T: usize = 15;

fn run_hashes(h: &[u64]) -> impl Iterator<Item = u64> + '_ {
    h.windows(T).map(|w| {
        w.iter().fold(0u64, |a, &x| {
            a.wrapping_mul(0x100_0000_01B3).wrapping_add(x)
        })
    })
}

/// One essay; sentences that would create a chance overlap of T syllables with an
/// earlier essay are rejected and drawn again.
fn gen_essay(
    m: &Model,
    rng: &mut Rng,
    target: usize,
    seen: &dyn Fn(u64) -> bool,
    rejected: &mut usize,
) -> String {
    let mut paras: Vec<String> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let mut n = 0;
    let mut tail: Vec<u64> = Vec::new();
    while n < target {
        let mut tries = 0;
        let sentence = loop {
            let len = rng.range(8, 28);
            let mut ws: Vec<String> = Vec::new();
            let mut w = m.starts[rng.below(m.starts.len())];
            for i in 0..len {
                let word = m.vocab[w as usize].clone();
                ws.push(if i > 0 && i + 1 < len && rng.chance(0.06) {
                    format!("{word},")
                } else {
                    word
                });
                let nx = &m.next[w as usize];
                w = if nx.is_empty() {
                    m.starts[rng.below(m.starts.len())]
                } else {
                    nx[rng.below(nx.len())]
                };
            }
            let s = capitalize(&ws.join(" ")) + ".";
            let h = folded_hashes(&s);
            let mut ctx = tail.clone();
            ctx.extend_from_slice(&h);
            tries += 1;
            if tries > 50 || !run_hashes(&ctx).any(seen) {
                if tries > 50 {
                    *rejected += 1_000_000; // marks a forced acceptance
                }
                break (s, h);
            }
            *rejected += 1;
        };
        n += sentence.1.len();
        tail.extend_from_slice(&sentence.1);
        let keep = tail.len().saturating_sub(T - 1);
        tail.drain(..keep);
        cur.push(sentence.0);
        if cur.len() >= rng.range(3, 7) {
            paras.push(cur.join(" "));
            cur.clear();
        }
    }
    if !cur.is_empty() {
        paras.push(cur.join(" "));
    }
    paras.join("\n")
}

// ---------- planted copies ----------

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Verbatim,
    Nfd,
    Tone,
    Tcvn3,
    Vni,
    Changed5,
    Whole,
    /// TCVN3 look-alike pasted inside a Unicode paragraph (no line break around it).
    #[serde(rename = "tcvn3-inline")]
    Tcvn3Inline,
    /// VNI look-alike pasted inside a Unicode paragraph.
    #[serde(rename = "vni-inline")]
    VniInline,
}
/// Kinds planted by `gen-real`: the old ones plus legacy text inside Unicode paragraphs.
const KINDS_REAL: [Kind; 8] = [
    Kind::Verbatim,
    Kind::Nfd,
    Kind::Tone,
    Kind::Tcvn3,
    Kind::Vni,
    Kind::Changed5,
    Kind::Tcvn3Inline,
    Kind::VniInline,
];
const KINDS: [Kind; 6] = [
    Kind::Verbatim,
    Kind::Nfd,
    Kind::Tone,
    Kind::Tcvn3,
    Kind::Vni,
    Kind::Changed5,
];

#[derive(Serialize, Deserialize, Clone, Debug)]
struct Truth {
    kind: Kind,
    syllables: usize,
    dst: String,
    dst_range: [usize; 2],
    src: String,
    src_range: [usize; 2],
}

#[derive(Serialize, Deserialize)]
struct Line {
    id: String,
    text: String,
}

/// Swap tone placement between old (hòa) and new (hoà) style in oa/oe/uy syllables.
fn swap_tone_style(s: &str) -> String {
    let tones = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut out = String::new();
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let d: Vec<char> = word.nfd().collect();
        let lower: String = d
            .iter()
            .filter(|c| !tones.contains(c))
            .collect::<String>()
            .to_lowercase();
        let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
        let open =
            ["oa", "oe", "uy"].iter().any(|p| letters.ends_with(p)) && !letters.starts_with("qu");
        let tpos = d.iter().position(|c| tones.contains(c));
        if let (true, Some(tp)) = (open, tpos) {
            let tone = d[tp];
            let mut v: Vec<char> = d.clone();
            v.remove(tp);
            // Vowel positions of the final pair.
            let idx: Vec<usize> = v
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_alphabetic())
                .map(|(i, _)| i)
                .collect();
            if idx.len() >= 2 {
                let (first, second) = (idx[idx.len() - 2], idx[idx.len() - 1]);
                // Where was the tone? after first vowel (old style) -> move to second.
                let insert_after = if tp <= second { second } else { first };
                v.insert(insert_after + 1, tone);
                out.extend(v.iter().collect::<String>().nfc());
                continue;
            }
        }
        out.push_str(word);
    }
    out
}

fn to_tcvn3(s: &str) -> String {
    // glibc iconv's TCVN5712-1 is the external truth here; lowercase as .VnTime does.
    let lower = s.to_lowercase();
    let child = std::process::Command::new("iconv")
        .args(["-c", "-f", "UTF-8", "-t", "TCVN5712-1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else { return lower };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(lower.as_bytes());
    }
    match child.wait_with_output() {
        Ok(o) => o.stdout.iter().map(|&b| b as char).collect(),
        Err(_) => lower,
    }
}

fn to_vni(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let d: Vec<char> = c.to_string().nfd().collect();
        let base = d[0];
        let upper = base.is_uppercase();
        let lb = base.to_lowercase().next().unwrap_or(base);
        let (mut circ, mut breve, mut horn, mut tone) = (false, false, false, None);
        for &m in &d[1..] {
            match m {
                '\u{302}' => circ = true,
                '\u{306}' => breve = true,
                '\u{31B}' => horn = true,
                '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' => tone = Some(m),
                _ => {}
            }
        }
        let cs = |l: char, u: char| if upper { u } else { l };
        if lb == 'đ' {
            out.push(cs('ñ', 'Ñ'));
            continue;
        }
        if lb == 'i' && tone.is_some() {
            out.push(match tone {
                Some('\u{301}') => cs('í', 'Í'),
                Some('\u{300}') => cs('ì', 'Ì'),
                Some('\u{309}') => cs('æ', 'Æ'),
                Some('\u{303}') => cs('ó', 'Ó'),
                _ => cs('ò', 'Ò'),
            });
            continue;
        }
        if horn {
            out.push(if lb == 'o' {
                cs('ô', 'Ô')
            } else {
                cs('ö', 'Ö')
            });
        } else {
            out.push(base);
        }
        let t = tone.map(|t| match t {
            '\u{301}' => 0,
            '\u{300}' => 1,
            '\u{309}' => 2,
            '\u{303}' => 3,
            _ => 4,
        });
        let mark = if circ {
            Some(match t {
                None => cs('â', 'Â'),
                Some(0) => cs('á', 'Á'),
                Some(1) => cs('à', 'À'),
                Some(2) => cs('å', 'Å'),
                Some(3) => cs('ã', 'Ã'),
                _ => cs('ä', 'Ä'),
            })
        } else if breve {
            Some(match t {
                None => cs('ê', 'Ê'),
                Some(0) => cs('é', 'É'),
                Some(1) => cs('è', 'È'),
                Some(2) => cs('ú', 'Ú'),
                Some(3) => cs('ü', 'Ü'),
                _ => cs('ë', 'Ë'),
            })
        } else {
            t.map(|t| match t {
                0 => cs('ù', 'Ù'),
                1 => cs('ø', 'Ø'),
                2 => cs('û', 'Û'),
                3 => cs('õ', 'Õ'),
                _ => cs('ï', 'Ï'),
            })
        };
        if let Some(m) = mark {
            out.push(m);
        }
    }
    out
}

fn change_words(s: &str, rng: &mut Rng, m: &Model) -> String {
    s.split(' ')
        .map(|w| {
            if rng.chance(0.05) {
                let r = &m.vocab[rng.below(m.vocab.len())];
                if w.ends_with('.') {
                    format!("{r}.")
                } else {
                    r.clone()
                }
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Byte ranges of the syllables (space/newline separated words) of `s`.
fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c == ' ' || c == '\n' {
            if let Some(st) = start.take() {
                v.push((st, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        v.push((st, s.len()));
    }
    v
}

/// The Markov model from the Debian corpus, or an error when it is missing.
fn load_model(corpus: &Path) -> Res<Model> {
    let lines = training_lines(corpus);
    if lines.len() < 100 {
        return Err(format!(
            "too little Vietnamese text under {} (run scripts/fetch-corpus.sh)",
            corpus.display()
        )
        .into());
    }
    let model = build_model(&lines);
    eprintln!(
        "training: {} lines, {} syllable types",
        lines.len(),
        model.vocab.len()
    );
    Ok(model)
}

/// Plant copies into receiver number `j` (its own text `own`): every 10th receiver
/// becomes a whole copy of a source with 5% of words changed, the others get 1-3
/// passages of 15-600 syllables (log-uniform), of a random kind, at sentence ends.
/// Sources are popped from `sources` (each used once); `source(s)` gives the text and id
/// of essay `s`. None when the sources ran out before a whole copy.
/// A source essay: its text, id, and the byte ranges that are not its own prose
/// (headings, quotes, links, citations, reference list), which copies avoid.
type Source = (String, String, Vec<[usize; 2]>);

fn inside(ranges: &[[usize; 2]], at: usize) -> bool {
    ranges.iter().any(|r| r[0] <= at && at < r[1])
}

#[allow(clippy::too_many_arguments)]
fn plant(
    j: usize,
    own: &str,
    own_extras: &[[usize; 2]],
    dst: &str,
    rng: &mut Rng,
    model: &Model,
    kinds: &[Kind],
    sources: &mut Vec<usize>,
    source: &mut dyn FnMut(usize) -> Res<Source>,
    truths: &mut Vec<Truth>,
) -> Res<Option<String>> {
    if j % 10 == 9 {
        // Whole entry copied with 5% of words changed.
        let Some(s) = sources.pop() else {
            return Ok(None);
        };
        let (src, src_id, _) = source(s)?;
        let copy = change_words(&src, rng, model);
        truths.push(Truth {
            kind: Kind::Whole,
            syllables: word_spans(&src).len(),
            dst: dst.to_string(),
            dst_range: [0, copy.len()],
            src: src_id,
            src_range: [0, src.len()],
        });
        return Ok(Some(copy));
    }
    // 1 to 3 passages into this entry, at sentence ends of its own text.
    let mut cuts: Vec<usize> = own
        .match_indices(". ")
        .map(|(i, _)| i + 2)
        .filter(|&c| !inside(own_extras, c) && !inside(own_extras, c.saturating_sub(3)))
        .collect();
    let k = rng.range(1, 3).min(cuts.len());
    for i in (1..cuts.len()).rev() {
        let j = rng.below(i + 1);
        cuts.swap(i, j);
    }
    let mut cuts: Vec<usize> = cuts.into_iter().take(k).collect();
    cuts.sort_unstable();
    let mut text = String::new();
    let mut last = 0;
    for cut in cuts {
        let Some(s) = sources.pop() else { break };
        text.push_str(&own[last..cut]);
        last = cut;
        let kind = kinds[rng.below(kinds.len())];
        // Length: log-uniform in 15..600 syllables.
        let len = (15.0 * (40.0f64).powf((rng.next() >> 11) as f64 / (1u64 << 53) as f64)) as usize;
        let (src, src_id, extras) = source(s)?;
        let spans = word_spans(&src);
        if spans.len() <= len {
            continue;
        }
        // Copies are of the source's own prose: a span that touches a quote, a link or
        // a citation is drawn again (never happens without extras: same corpora as before).
        let mut st = rng.below(spans.len() - len);
        let mut tries = 0;
        while extras
            .iter()
            .any(|r| r[0] < spans[st + len - 1].1 && spans[st].0 < r[1])
        {
            tries += 1;
            if tries > 30 {
                break;
            }
            st = rng.below(spans.len() - len);
        }
        if tries > 30 {
            continue;
        }
        let src_range = [spans[st].0, spans[st + len - 1].1];
        let piece = src[src_range[0]..src_range[1]].replace('\n', " ");
        let piece = match kind {
            Kind::Verbatim => piece,
            Kind::Nfd => piece.nfd().collect(),
            Kind::Tone => swap_tone_style(&piece),
            Kind::Tcvn3 | Kind::Tcvn3Inline => to_tcvn3(&piece),
            Kind::Vni | Kind::VniInline => to_vni(&piece),
            Kind::Changed5 | Kind::Whole => change_words(&piece, rng, model),
        };
        let legacy = matches!(kind, Kind::Tcvn3 | Kind::Vni);
        if legacy {
            text.push('\n');
        }
        let start = text.len();
        text.push_str(&piece);
        let end = text.len();
        text.push(if legacy { '\n' } else { ' ' });
        truths.push(Truth {
            kind,
            syllables: len,
            dst: dst.to_string(),
            dst_range: [start, end],
            src: src_id,
            src_range,
        });
    }
    text.push_str(&own[last..]);
    Ok(Some(text))
}

fn write_truths(out: &Path, truths: &[Truth]) -> Res<()> {
    let mut tr = BufWriter::new(File::create(out.join("truth.jsonl"))?);
    for t in truths {
        serde_json::to_writer(&mut tr, t)?;
        tr.write_all(b"\n")?;
    }
    tr.flush()?;
    Ok(())
}

/// Arguments of `gen` and `gen-large`: CORPUS_DIR OUT_DIR ESSAYS REFS SEED.
fn gen_args(a: &[String]) -> Res<(&Path, &Path, usize, usize, u64)> {
    Ok((
        Path::new(&a[0]),
        Path::new(&a[1]),
        a[2].parse()?,
        a[3].parse()?,
        a[4].parse()?,
    ))
}

fn gen_cmd(a: &[String]) -> Res<()> {
    let (corpus, out, n, n_refs, seed) = gen_args(a)?;
    let t0 = Instant::now();
    let model = load_model(corpus)?;
    let mut rng = Rng(seed);
    let mut seen: HashSet<u64> = HashSet::new();
    let mut rejected = 0usize;
    let mut texts: Vec<String> = Vec::with_capacity(n + n_refs);
    for _ in 0..n + n_refs {
        let len = rng.range(1000, 5000);
        let e = gen_essay(&model, &mut rng, len, &|h| seen.contains(&h), &mut rejected);
        seen.extend(run_hashes(&folded_hashes(&e)));
        texts.push(e);
    }
    let forced = rejected / 1_000_000;
    eprintln!(
        "background: {} essays, {} sentences redrawn to avoid chance overlaps >= {T} syllables, {} forced ({:.1} s)",
        texts.len(),
        rejected % 1_000_000,
        forced,
        t0.elapsed().as_secs_f64()
    );
    let ids: Vec<String> = (0..n)
        .map(|i| format!("e{i:06}"))
        .chain((0..n_refs).map(|i| format!("r{i:05}")))
        .collect();
    // Receivers: the first 15% of entries; sources: the rest (entries and references), each used once.
    let n_recv = (n * 15 / 100).max(1);
    let mut sources: Vec<usize> = (n_recv..n + n_refs).collect();
    for i in (1..sources.len()).rev() {
        let j = rng.below(i + 1);
        sources.swap(i, j);
    }
    let mut truths: Vec<Truth> = Vec::new();
    let mut final_texts = texts.clone();
    for r in 0..n_recv {
        let mut source =
            |s: usize| -> Res<Source> { Ok((texts[s].clone(), ids[s].clone(), Vec::new())) };
        match plant(
            r,
            &texts[r],
            &[],
            &ids[r],
            &mut rng,
            &model,
            &KINDS,
            &mut sources,
            &mut source,
            &mut truths,
        )? {
            Some(t) => final_texts[r] = t,
            None => break,
        }
    }
    std::fs::create_dir_all(out)?;
    let mut ent = BufWriter::new(File::create(out.join("entries.jsonl"))?);
    let mut refs = BufWriter::new(File::create(out.join("reference.jsonl"))?);
    for (i, t) in final_texts.iter().enumerate() {
        let w = if i < n { &mut ent } else { &mut refs };
        serde_json::to_writer(
            &mut *w,
            &Line {
                id: ids[i].clone(),
                text: t.clone(),
            },
        )?;
        w.write_all(b"\n")?;
    }
    ent.flush()?;
    refs.flush()?;
    write_truths(out, &truths)?;
    let bytes: usize = final_texts.iter().map(String::len).sum();
    eprintln!(
        "wrote {} entries + {} references ({:.1} MB text), {} planted cases ({:.1} s)",
        n,
        n_refs,
        bytes as f64 / 1e6,
        truths.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---------- entries as they come (gen-real) ----------

/// Names, publishers, sites and templates written for this benchmark (our own words).
const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
];
const MIDDLE: &[&str] = &["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Hữu"];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Long", "Mai",
    "Nam", "Phong", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vân", "Yến",
];
const PUBLISHERS: &[&str] = &[
    "Chính trị quốc gia Sự thật",
    "Lý luận chính trị",
    "Quân đội nhân dân",
    "Khoa học xã hội",
    "Thông tin và Truyền thông",
    "Đại học Quốc gia",
];
const CITIES: &[&str] = &["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Huế", "Cần Thơ"];
const JOURNALS: &[&str] = &[
    "Cộng sản",
    "Lý luận chính trị",
    "Tuyên giáo",
    "Xây dựng Đảng",
    "Quốc phòng toàn dân",
    "Khoa học xã hội Việt Nam",
];
const SITES: &[(&str, &str)] = &[
    ("Báo Nhân Dân điện tử", "nhandan.example.vn"),
    ("Tạp chí Cộng sản điện tử", "tapchicongsan.example.org.vn"),
    ("Cổng thông tin điện tử Chính phủ", "chinhphu.example.vn"),
    ("Báo Quân đội nhân dân", "qdnd.example.vn"),
    (
        "Báo điện tử Đảng Cộng sản Việt Nam",
        "dangcongsan.example.vn",
    ),
    ("Cổng thông tin Ban Tuyên giáo", "tuyengiao.example.vn"),
    ("Báo Tuổi trẻ", "tuoitre.example.vn"),
    ("Thông tấn xã Việt Nam", "vnanet.example.vn"),
];
const DOC_TYPES: &[(&str, &str)] = &[
    ("Nghị quyết", "NQ/TW"),
    ("Kết luận", "KL/TW"),
    ("Chỉ thị", "CT/TW"),
    ("Quyết định", "QĐ-TTg"),
    ("Kế hoạch", "KH/BTGTW"),
    ("Hướng dẫn", "HD/BTGTW"),
];
const BODIES: &[&str] = &[
    "Bộ Chính trị",
    "Ban Chấp hành Trung ương",
    "Ban Bí thư",
    "Thủ tướng Chính phủ",
    "Ban Tuyên giáo Trung ương",
];
const REF_HEADINGS: &[&str] = &[
    "TÀI LIỆU THAM KHẢO",
    "Tài liệu tham khảo:",
    "DANH MỤC TÀI LIỆU THAM KHẢO",
    "Nguồn tham khảo",
    "Chú thích",
];
const QUOTE_INTROS: &[&str] = &[
    "Văn kiện Đại hội khẳng định",
    "Nghị quyết đã chỉ rõ",
    "Như Bác Hồ từng căn dặn",
    "Văn kiện nêu rõ",
    "Trung ương nhấn mạnh",
];
/// Few words of prose around links and file names (a bare tokenizer counts 15 or more
/// syllables in each), so that a chance word or two next to them stays under 15.
const LINK_TEMPLATES: &[&str] = &[
    "Toàn văn đăng tại {u}.",
    "Chi tiết xem tại {u} và {v}.",
    "Tham khảo thêm tại {u}.",
    "Xem bài viết ở {u} hoặc tệp {f}.",
];

struct RealPools {
    refs: Vec<String>,
    urls: Vec<String>,
    docs: Vec<String>,
    quotes: Vec<String>,
    /// Shared by every entry (common text by design).
    contest: String,
}

fn pick<'a>(rng: &mut Rng, xs: &'a [&'a str]) -> &'a str {
    xs[rng.below(xs.len())]
}

/// Popular items are shared widely, rare ones by a few entries: index ~ n * u^2.
fn skewed(rng: &mut Rng, n: usize) -> usize {
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    ((n as f64) * u * u) as usize % n.max(1)
}

fn person(rng: &mut Rng) -> String {
    format!(
        "{} {} {}",
        pick(rng, FAMILY),
        pick(rng, MIDDLE),
        pick(rng, GIVEN)
    )
}

/// A phrase of `lo..=hi` words from the chain, first letter capitalized.
fn phrase(m: &Model, rng: &mut Rng, lo: usize, hi: usize) -> String {
    let len = rng.range(lo, hi);
    let mut w = m.starts[rng.below(m.starts.len())];
    let mut ws = Vec::with_capacity(len);
    for _ in 0..len {
        ws.push(m.vocab[w as usize].clone());
        let nx = &m.next[w as usize];
        w = if nx.is_empty() {
            m.starts[rng.below(m.starts.len())]
        } else {
            nx[rng.below(nx.len())]
        };
    }
    capitalize(&ws.join(" "))
}

fn date(rng: &mut Rng) -> String {
    format!(
        "{}/{}/{}",
        rng.range(1, 28),
        rng.range(1, 12),
        rng.range(2013, 2025)
    )
}

fn url(rng: &mut Rng) -> String {
    let (_, host) = SITES[rng.below(SITES.len())];
    let slug: Vec<String> = (0..rng.range(4, 9))
        .map(|_| {
            [
                "bao", "ve", "nen", "tang", "tu", "tuong", "dang", "xay", "dung", "chinh", "tri",
            ][rng.below(11)]
            .to_string()
        })
        .collect();
    format!(
        "https://{host}/{}/{}-{}.html",
        ["tin-tuc", "chinh-tri", "xay-dung-dang", "thoi-su"][rng.below(4)],
        slug.join("-"),
        rng.range(100_000, 999_999)
    )
}

fn real_pools(m: &Model, rng: &mut Rng, n: usize, seen: &mut HashSet<u64>) -> RealPools {
    let urls: Vec<String> = (0..40).map(|_| url(rng)).collect();
    // Document numbers: "Hướng dẫn số 21-HD/BTGTW ngày 27/12/2016" (few words of prose,
    // many syllables for a bare tokenizer).
    let docs: Vec<String> = (0..30)
        .map(|_| {
            let (t, code) = DOC_TYPES[rng.below(DOC_TYPES.len())];
            format!("{t} số {}-{code} ngày {}", rng.range(1, 120), date(rng))
        })
        .collect();
    let refs: Vec<String> = (0..(n / 10).max(40))
        .map(|_| match rng.below(4) {
            0 => format!(
                "{}, {}, Nxb. {}, {}, {}, tr. {}-{}.",
                person(rng),
                phrase(m, rng, 5, 12),
                pick(rng, PUBLISHERS),
                pick(rng, CITIES),
                rng.range(1995, 2024),
                rng.range(10, 200),
                rng.range(201, 400)
            ),
            1 => format!(
                "{}, “{}”, Tạp chí {}, số {} ({}/{}), tr. {}.",
                person(rng),
                phrase(m, rng, 5, 12),
                pick(rng, JOURNALS),
                rng.range(800, 1050),
                rng.range(1, 12),
                rng.range(2010, 2024),
                rng.range(3, 90)
            ),
            2 => {
                let (site, _) = SITES[rng.below(SITES.len())];
                format!(
                    "{}, {site}, {}, truy cập ngày {}.",
                    phrase(m, rng, 6, 14),
                    url(rng),
                    date(rng)
                )
            }
            _ => {
                let d = docs[rng.below(docs.len())].clone();
                format!(
                    "{d} của {} về {}.",
                    pick(rng, BODIES),
                    phrase(m, rng, 4, 9).to_lowercase()
                )
            }
        })
        .collect();
    // Passages that many entries quote: prose of the chain, unique (no chance overlap).
    let quotes: Vec<String> = (0..(n / 8).max(20))
        .map(|_| {
            let mut rejected = 0;
            let len = rng.range(25, 70);
            let q =
                gen_essay(m, rng, len, &|h| seen.contains(&h), &mut rejected).replace('\n', " ");
            seen.extend(run_hashes(&folded_hashes(&q)));
            q
        })
        .collect();
    RealPools {
        refs,
        urls,
        docs,
        quotes,
        contest: "Cuộc thi viết chính luận về bảo vệ nền tảng tư tưởng của Đảng năm 2025"
            .to_string(),
    }
}

/// Build an entry around `core` (chain prose, paragraphs separated by '\n'): a heading
/// block, link, number and quote sentences between its sentences (never two side by
/// side), citation lines after some paragraphs, a reference list, and now and then a
/// sentence of its own turned into TCVN3 or VNI inside its paragraph. Returns the text
/// and the byte ranges that are not the entry's own prose.
fn dress(core: &str, pools: &RealPools, m: &Model, rng: &mut Rng) -> (String, Vec<[usize; 2]>) {
    let mut out = String::with_capacity(core.len() * 5 / 4);
    let mut extras: Vec<[usize; 2]> = Vec::new();
    let add = |out: &mut String, piece: &str, extras: &mut Vec<[usize; 2]>| {
        let s = out.len();
        out.push_str(piece);
        extras.push([s, out.len()]);
    };
    let heading = format!(
        "BÀI DỰ THI\n{}\nTên bài: {}\nTác giả: {} – {}\nThể loại: {}\n",
        pools.contest,
        phrase(m, rng, 4, 9).to_uppercase(),
        person(rng),
        ["Chi bộ", "Đoàn xã", "Hội Phụ nữ", "Trường", "Công an"][rng.below(5)],
        ["Chính luận", "Báo chí", "Tạp chí"][rng.below(3)]
    );
    add(&mut out, &heading, &mut extras);
    let legacy_sentence = rng.chance(0.03);
    for para in core.split('\n') {
        let sentences: Vec<&str> = para.split_inclusive(". ").collect();
        let extra_at = if sentences.len() >= 2 && rng.chance(0.5) {
            Some(rng.range(1, sentences.len() - 1))
        } else {
            None
        };
        for (i, sen) in sentences.iter().enumerate() {
            if extra_at == Some(i) {
                let piece = match rng.below(3) {
                    0 => {
                        let t = pick(rng, LINK_TEMPLATES);
                        t.replace("{u}", &pools.urls[skewed(rng, pools.urls.len())])
                            .replace("{v}", &pools.urls[skewed(rng, pools.urls.len())])
                            .replace(
                                "{f}",
                                &format!("/tai-lieu/{}/ban-in.pdf", rng.range(2015, 2025)),
                            )
                    }
                    1 => format!(
                        "Theo {}: {},{}% với {}.{:03} người.",
                        pools.docs[skewed(rng, pools.docs.len())],
                        rng.range(60, 99),
                        rng.range(0, 9),
                        rng.range(1, 99),
                        rng.range(0, 999)
                    ),
                    _ => {
                        let q = &pools.quotes[skewed(rng, pools.quotes.len())];
                        let words: Vec<&str> = q.split(' ').collect();
                        let len = rng.range(18.min(words.len()), words.len());
                        let st = rng.below(words.len() - len + 1);
                        let body = words[st..st + len].join(" ");
                        let body = body.trim_end_matches('.');
                        let (open, close) = match rng.below(10) {
                            0..=6 => ("“", "”"),
                            7 | 8 => ("\"", "\""),
                            _ => ("«", "»"),
                        };
                        format!("{}: {open}{body}{close}.", pick(rng, QUOTE_INTROS))
                    }
                };
                add(&mut out, &piece, &mut extras);
                out.push(' ');
            }
            if legacy_sentence && i == 1 && sen.len() > 40 {
                let conv = if rng.chance(0.5) {
                    to_tcvn3(sen.trim_end())
                } else {
                    to_vni(sen.trim_end())
                };
                // Not the entry's own Unicode prose: copies are not drawn from it.
                add(&mut out, &conv, &mut extras);
                out.push(' ');
            } else {
                out.push_str(sen);
            }
        }
        if !out.ends_with(' ') {
            out.push(' ');
        }
        out.pop();
        out.push('\n');
        if rng.chance(0.15) {
            let (site, _) = SITES[rng.below(SITES.len())];
            let line = match rng.below(3) {
                0 => format!(
                    "Nguồn: {site}, {}, ngày {}.",
                    pools.urls[skewed(rng, pools.urls.len())],
                    date(rng)
                ),
                1 => format!("(Theo {site}, {})", date(rng)),
                _ => format!("Xem: {}", pools.urls[skewed(rng, pools.urls.len())]),
            };
            add(&mut out, &line, &mut extras);
            out.push('\n');
        }
    }
    if rng.chance(0.7) {
        let mut list = format!("{}\n", pick(rng, REF_HEADINGS));
        let n = rng.range(3, 8);
        let style = rng.below(3);
        for k in 1..=n {
            let item = &pools.refs[skewed(rng, pools.refs.len())];
            match style {
                0 => list.push_str(&format!("{k}. {item}\n")),
                1 => list.push_str(&format!("[{k}] {item}\n")),
                _ => list.push_str(&format!("- {item}\n")),
            }
        }
        add(&mut out, &list, &mut extras);
    }
    while out.ends_with('\n') {
        out.pop();
    }
    (out, extras)
}

fn gen_real_cmd(a: &[String]) -> Res<()> {
    let (corpus, out, n, n_refs, seed) = gen_args(a)?;
    let t0 = Instant::now();
    let model = load_model(corpus)?;
    let mut rng = Rng(seed);
    let mut seen: HashSet<u64> = HashSet::new();
    let mut rejected = 0usize;
    let pools = real_pools(&model, &mut rng, n, &mut seen);
    let mut texts: Vec<String> = Vec::with_capacity(n + n_refs);
    let mut extras: Vec<Vec<[usize; 2]>> = Vec::with_capacity(n + n_refs);
    for i in 0..n + n_refs {
        let len = rng.range(1000, 5000);
        let e = gen_essay(&model, &mut rng, len, &|h| seen.contains(&h), &mut rejected);
        seen.extend(run_hashes(&folded_hashes(&e)));
        if i < n {
            let (t, x) = dress(&e, &pools, &model, &mut rng);
            texts.push(t);
            extras.push(x);
        } else {
            // Reference documents stay plain prose.
            texts.push(e);
            extras.push(Vec::new());
        }
    }
    eprintln!(
        "background: {} essays, {} sentences redrawn to avoid chance overlaps >= {T} syllables, {} forced ({:.1} s)",
        texts.len(),
        rejected % 1_000_000,
        rejected / 1_000_000,
        t0.elapsed().as_secs_f64()
    );
    let ids: Vec<String> = (0..n)
        .map(|i| format!("e{i:06}"))
        .chain((0..n_refs).map(|i| format!("r{i:05}")))
        .collect();
    let n_recv = (n * 15 / 100).max(1);
    let mut sources: Vec<usize> = (n_recv..n + n_refs).collect();
    for i in (1..sources.len()).rev() {
        let j = rng.below(i + 1);
        sources.swap(i, j);
    }
    let mut truths: Vec<Truth> = Vec::new();
    let mut final_texts = texts.clone();
    for r in 0..n_recv {
        let mut source =
            |s: usize| -> Res<Source> { Ok((texts[s].clone(), ids[s].clone(), extras[s].clone())) };
        match plant(
            r,
            &texts[r],
            &extras[r],
            &ids[r],
            &mut rng,
            &model,
            &KINDS_REAL,
            &mut sources,
            &mut source,
            &mut truths,
        )? {
            Some(t) => final_texts[r] = t,
            None => break,
        }
    }
    std::fs::create_dir_all(out)?;
    let mut ent = BufWriter::new(File::create(out.join("entries.jsonl"))?);
    let mut refs = BufWriter::new(File::create(out.join("reference.jsonl"))?);
    for (i, t) in final_texts.iter().enumerate() {
        let w = if i < n { &mut ent } else { &mut refs };
        serde_json::to_writer(
            &mut *w,
            &Line {
                id: ids[i].clone(),
                text: t.clone(),
            },
        )?;
        w.write_all(b"\n")?;
    }
    ent.flush()?;
    refs.flush()?;
    write_truths(out, &truths)?;
    let bytes: usize = final_texts.iter().map(String::len).sum();
    let extra_bytes: usize = extras.iter().flatten().map(|r| r[1] - r[0]).sum();
    eprintln!(
        "wrote {} entries + {} references ({:.1} MB text, {:.1} MB of it headings, links, numbers, quotes and citations), {} planted cases ({:.1} s)",
        n,
        n_refs,
        bytes as f64 / 1e6,
        extra_bytes as f64 / 1e6,
        truths.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---------- national-scale corpus ----------

/// Chance-overlap rejection for corpora too large for an exact set of run hashes: a
/// Bloom filter with one 64-bit word per key and three bits set in it (one cache miss
/// per probe), 16-32 bits per key. A false positive only redraws a sentence.
struct Bloom {
    words: Vec<u64>,
    shift: u32,
}

impl Bloom {
    fn new(keys: usize) -> Self {
        let words = ((keys.max(1) * 16).next_power_of_two() / 64).max(1);
        Bloom {
            words: vec![0; words],
            shift: 64 - words.trailing_zeros(),
        }
    }

    fn probe(&self, h: u64) -> (usize, u64) {
        let mut z = h.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let at = if self.shift >= 64 {
            0
        } else {
            (z >> self.shift) as usize
        };
        (
            at,
            (1 << (z & 63)) | (1 << ((z >> 6) & 63)) | (1 << ((z >> 12) & 63)),
        )
    }

    fn contains(&self, h: u64) -> bool {
        let (at, m) = self.probe(h);
        self.words.get(at).is_some_and(|w| w & m == m)
    }

    fn insert(&mut self, h: u64) {
        let (at, m) = self.probe(h);
        if let Some(w) = self.words.get_mut(at) {
            *w |= m;
        }
    }
}

/// Folded syllable hashes of each vocabulary word, lower case and capitalized.
struct WordHashes {
    lower: Vec<Vec<u64>>,
    upper: Vec<Vec<u64>>,
}

impl WordHashes {
    fn new(m: &Model) -> Self {
        WordHashes {
            lower: m.vocab.iter().map(|w| folded_hashes(w)).collect(),
            upper: m
                .vocab
                .iter()
                .map(|w| folded_hashes(&capitalize(w)))
                .collect(),
        }
    }
}

/// [`gen_essay`] without re-tokenizing each sentence (syllable hashes come from the
/// vocabulary) and with a Bloom filter for the run hashes of earlier essays. Returns the
/// essay and its syllable hashes.
/// Sentences drawn again because they would have created a chance overlap (or the
/// Bloom filter said so), and sentences kept after 50 tries.
#[derive(Default)]
struct Redraws {
    redrawn: usize,
    forced: usize,
}

fn gen_essay_large(
    m: &Model,
    wh: &WordHashes,
    rng: &mut Rng,
    target: usize,
    seen: &Bloom,
    redraws: &mut Redraws,
) -> (String, Vec<u64>) {
    let mut out = String::with_capacity(target * 7);
    let mut hashes: Vec<u64> = Vec::with_capacity(target + 32);
    let mut in_para = 0usize;
    let mut words: Vec<(u32, bool)> = Vec::new();
    let mut sent: Vec<u64> = Vec::new();
    while hashes.len() < target {
        let mut tries = 0;
        loop {
            let len = rng.range(8, 28);
            words.clear();
            let mut w = m.starts[rng.below_fast(m.starts.len())];
            for i in 0..len {
                words.push((w, i > 0 && i + 1 < len && rng.chance(0.06)));
                let nx = &m.next[w as usize];
                w = if nx.is_empty() {
                    m.starts[rng.below_fast(m.starts.len())]
                } else {
                    nx[rng.below_fast(nx.len())]
                };
            }
            sent.clear();
            for (i, &(w, _)) in words.iter().enumerate() {
                let h = if i == 0 { &wh.upper } else { &wh.lower };
                sent.extend_from_slice(&h[w as usize]);
            }
            // Runs ending in this sentence (the 14 syllables before it included).
            let from = hashes.len().saturating_sub(T - 1);
            let mut ctx: Vec<u64> = hashes[from..].to_vec();
            ctx.extend_from_slice(&sent);
            tries += 1;
            if tries > 50 || !run_hashes(&ctx).any(|x| seen.contains(x)) {
                if tries > 50 {
                    redraws.forced += 1;
                }
                break;
            }
            redraws.redrawn += 1;
        }
        if !out.is_empty() {
            out.push(if in_para == 0 { '\n' } else { ' ' });
        }
        for (i, &(w, comma)) in words.iter().enumerate() {
            let word = &m.vocab[w as usize];
            if i == 0 {
                out.push_str(&capitalize(word));
            } else {
                out.push(' ');
                out.push_str(word);
            }
            if comma {
                out.push(',');
            }
        }
        out.push('.');
        hashes.extend_from_slice(&sent);
        in_para += 1;
        if in_para >= rng.range(3, 7) {
            in_para = 0;
        }
    }
    (out, hashes)
}

/// Where an essay's JSONL line was written: (in reference.jsonl?, offset, length).
type LineAt = (bool, u64, usize);

fn read_line_at(file: &mut File, at: u64, len: usize) -> Res<Line> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(at))?;
    let mut buf = vec![0u8; len];
    file.read_exact(&mut buf)?;
    Ok(serde_json::from_slice(&buf)?)
}

/// `gen` for national-scale corpora: streams to disk, rejects chance overlaps with a
/// Bloom filter, keeps no text in memory. Receivers are the last 15% of entries
/// (generated after the sources, so the sources can be read back from disk).
fn gen_large_cmd(a: &[String]) -> Res<()> {
    let (corpus, out, n, n_refs, seed) = gen_args(a)?;
    let t0 = Instant::now();
    let model = load_model(corpus)?;
    let wh = WordHashes::new(&model);
    let total = n + n_refs;
    let n_recv = (n * 15 / 100).max(1).min(n);
    let id = |i: usize| {
        if i < n {
            format!("e{i:06}")
        } else {
            format!("r{:05}", i - n)
        }
    };
    let mut seen = Bloom::new(total * 3000);
    eprintln!("bloom filter: {} MB", seen.words.len() * 8 / 1_000_000);
    let mut rng = Rng(seed);
    let mut redraws = Redraws::default();
    std::fs::create_dir_all(out)?;
    let (ent_path, ref_path) = (out.join("entries.jsonl"), out.join("reference.jsonl"));
    let mut ent = BufWriter::with_capacity(1 << 20, File::create(&ent_path)?);
    let mut refs = BufWriter::with_capacity(1 << 20, File::create(&ref_path)?);
    let (mut ent_pos, mut ref_pos) = (0u64, 0u64);
    let mut at: Vec<LineAt> = vec![(false, 0, 0); total];
    let mut bytes = 0usize;
    let mut line = Vec::new();
    let mut write = |i: usize, text: String, at: &mut Vec<LineAt>| -> Res<()> {
        line.clear();
        serde_json::to_writer(&mut line, &Line { id: id(i), text })?;
        line.push(b'\n');
        if i < n {
            ent.write_all(&line)?;
            at[i] = (false, ent_pos, line.len());
            ent_pos += line.len() as u64;
        } else {
            refs.write_all(&line)?;
            at[i] = (true, ref_pos, line.len());
            ref_pos += line.len() as u64;
        }
        Ok(())
    };
    let background: Vec<usize> = (0..n - n_recv).chain(n..total).collect();
    for (done, &i) in background.iter().enumerate() {
        let len = rng.range(1000, 5000);
        let (text, hashes) = gen_essay_large(&model, &wh, &mut rng, len, &seen, &mut redraws);
        run_hashes(&hashes).for_each(|h| seen.insert(h));
        bytes += text.len();
        write(i, text, &mut at)?;
        if (done + 1) % 50_000 == 0 {
            eprintln!(
                "background {}/{} ({:.0} MB, {} redrawn, {:.0} s)",
                done + 1,
                background.len(),
                bytes as f64 / 1e6,
                redraws.redrawn,
                t0.elapsed().as_secs_f64()
            );
        }
    }
    ent.flush()?;
    refs.flush()?;
    // Sources: every essay that is not a receiver, each used once.
    let mut sources = background;
    for i in (1..sources.len()).rev() {
        let j = rng.below(i + 1);
        sources.swap(i, j);
    }
    let mut ent_r = File::open(&ent_path)?;
    let mut ref_r = File::open(&ref_path)?;
    let mut truths = Vec::new();
    let mut line = Vec::new();
    for j in 0..n_recv {
        let i = n - n_recv + j;
        let len = rng.range(1000, 5000);
        let (own, hashes) = gen_essay_large(&model, &wh, &mut rng, len, &seen, &mut redraws);
        run_hashes(&hashes).for_each(|h| seen.insert(h));
        let mut source = |s: usize| -> Res<Source> {
            let (is_ref, pos, len) = at.get(s).copied().ok_or("no such source")?;
            let l = read_line_at(if is_ref { &mut ref_r } else { &mut ent_r }, pos, len)?;
            Ok((l.text, l.id, Vec::new()))
        };
        let text = plant(
            j,
            &own,
            &[],
            &id(i),
            &mut rng,
            &model,
            &KINDS,
            &mut sources,
            &mut source,
            &mut truths,
        )?
        .unwrap_or(own);
        bytes += text.len();
        line.clear();
        serde_json::to_writer(&mut line, &Line { id: id(i), text })?;
        line.push(b'\n');
        ent.write_all(&line)?;
        if (j + 1) % 20_000 == 0 {
            eprintln!(
                "receivers {}/{n_recv} ({} cases, {:.0} s)",
                j + 1,
                truths.len(),
                t0.elapsed().as_secs_f64()
            );
        }
    }
    ent.flush()?;
    write_truths(out, &truths)?;
    eprintln!(
        "wrote {n} entries (receivers: the last {n_recv}) + {n_refs} references ({:.1} MB text), {} planted cases; {} sentences redrawn to avoid chance overlaps >= {T} syllables (most are Bloom-filter false alarms), {} forced ({:.1} s)",
        bytes as f64 / 1e6,
        truths.len(),
        redraws.redrawn,
        redraws.forced,
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---------- scan / floor ----------

/// CPU seconds (user + system, all threads) used by this process so far, from
/// /proc/self/stat (Linux; clock ticks of 1/100 s). The machine is shared, so CPU time
/// is reported beside wall time.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the ")" that ends the command name; utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn scan_cmd(dir: &str, threads: &str, kw: Option<(&String, &String)>) -> Res<()> {
    let dir = Path::new(dir);
    let threads: usize = threads.parse()?;
    let mut opts = ScanOptions {
        threads,
        ..ScanOptions::default()
    };
    if let Some((k, w)) = kw {
        opts.params.k = k.parse()?;
        opts.params.w = w.parse()?;
        opts.params.min_passage = opts.params.min_passage.max(opts.params.k);
    }
    let entries = BufReader::new(File::open(dir.join("entries.jsonl"))?);
    let refp = dir.join("reference.jsonl");
    let reference = refp
        .exists()
        .then(|| File::open(&refp).map(BufReader::new))
        .transpose()?;
    let allowed_p = dir.join("allowed.jsonl");
    let allowed = allowed_p
        .exists()
        .then(|| File::open(&allowed_p).map(BufReader::new))
        .transpose()?;
    let input_bytes = std::fs::metadata(dir.join("entries.jsonl"))?.len()
        + std::fs::metadata(&refp).map(|m| m.len()).unwrap_or(0);
    let tag = match kw {
        Some(_) => format!("t{threads}-k{}w{}", opts.params.k, opts.params.w),
        None => format!("t{threads}"),
    };
    let pairs = BufWriter::new(File::create(dir.join(format!("pairs-{tag}.jsonl")))?);
    let shares = BufWriter::new(File::create(dir.join(format!("shares-{tag}.jsonl")))?);
    let t0 = Instant::now();
    let c0 = cpu_seconds();
    let s = scan_jsonl(
        entries,
        reference,
        allowed,
        pairs,
        shares,
        std::io::stderr(),
        &opts,
    )?;
    let secs = t0.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - c0;
    println!(
        "scan threads={threads} input_MB={:.1} text_MB={:.1} seconds={secs:.2} MB/s={:.1} cpu_s={cpu:.2} MB/cpu_s={:.1} candidate_pairs={} short_seeds={} pairs={} passages={} common={}",
        input_bytes as f64 / 1e6,
        s.text_bytes as f64 / 1e6,
        input_bytes as f64 / 1e6 / secs,
        input_bytes as f64 / 1e6 / cpu.max(0.01),
        s.candidate_pairs,
        s.short_seeds,
        s.pairs,
        s.passages,
        s.common.len()
    );
    Ok(())
}

fn read_lines(path: &str) -> Res<Vec<Line>> {
    let mut v = Vec::new();
    for l in BufReader::new(File::open(path)?).lines() {
        let l = l?;
        if let Ok(x) = serde_json::from_str::<Line>(&l) {
            v.push(x);
        }
    }
    Ok(v)
}

fn floor_cmd(path: &str, threads: &str) -> Res<()> {
    let threads: usize = threads.parse()?;
    let docs = read_lines(path)?;
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    let mut n = 0usize;
    for _ in 0..3 {
        let t0 = Instant::now();
        let c0 = cpu_seconds();
        n = pool.install(|| {
            docs.par_iter()
                .map(|d| tokenize::syllables(&d.text).len())
                .sum()
        });
        best = best.min(t0.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(cpu_seconds() - c0);
    }
    println!(
        "floor threads={threads} text_MB={:.1} syllables={n} seconds={best:.3} MB/s={:.1} cpu_s={best_cpu:.2} MB/cpu_s={:.1} (best of 3, texts in memory)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / best,
        bytes as f64 / 1e6 / best_cpu.max(0.01)
    );
    Ok(())
}

// ---------- evaluation ----------

#[derive(Deserialize)]
struct PairIn {
    a: String,
    b: String,
    #[serde(default)]
    passages: Vec<PassIn>,
}
#[derive(Deserialize)]
struct PassIn {
    a: [usize; 2],
    b: [usize; 2],
    /// prose, quote or citation (absent in older outputs and peers' outputs: prose).
    #[serde(default)]
    kind: Option<String>,
}

/// A detection: (doc, range, doc, range).
type Det = (String, [usize; 2], String, [usize; 2]);
/// Ranges on the dst and src sides.
type RangePair = ([usize; 2], [usize; 2]);

fn overlap(x: [usize; 2], y: [usize; 2]) -> usize {
    x[1].min(y[1]).saturating_sub(x[0].max(y[0]))
}

/// Length of the union of `ivs` intersected with `within`.
fn union_within(mut ivs: Vec<[usize; 2]>, within: [usize; 2]) -> usize {
    ivs.iter_mut().for_each(|v| {
        v[0] = v[0].max(within[0]);
        v[1] = v[1].min(within[1]);
    });
    ivs.retain(|v| v[1] > v[0]);
    ivs.sort_unstable();
    let mut total = 0;
    let mut cur: Option<[usize; 2]> = None;
    for v in ivs {
        match cur {
            Some(ref mut c) if v[0] <= c[1] => c[1] = c[1].max(v[1]),
            _ => {
                if let Some(c) = cur {
                    total += c[1] - c[0];
                }
                cur = Some(v);
            }
        }
    }
    total + cur.map_or(0, |c| c[1] - c[0])
}

/// Every text of a corpus by id (entries and references).
fn read_texts(dir: &Path) -> Res<HashMap<String, String>> {
    let mut texts = HashMap::new();
    for f in ["entries.jsonl", "reference.jsonl"] {
        let Ok(file) = File::open(dir.join(f)) else {
            continue;
        };
        for l in BufReader::new(file).lines() {
            if let Ok(x) = serde_json::from_str::<Line>(&l?) {
                texts.insert(x.id, x.text);
            }
        }
    }
    Ok(texts)
}

fn eval_cmd(dir: &str, pairs_path: &str, doc_level: bool) -> Res<()> {
    let truths: Vec<Truth> = BufReader::new(File::open(Path::new(dir).join("truth.jsonl"))?)
        .lines()
        .map(|l| Ok(serde_json::from_str(&l?)?))
        .collect::<Res<_>>()?;
    let pairs: Vec<PairIn> = BufReader::new(File::open(pairs_path)?)
        .lines()
        .map(|l| Ok(serde_json::from_str(&l?)?))
        .collect::<Res<_>>()?;
    let key = |a: &str, b: &str| {
        if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    let truth_pairs: HashSet<(String, String)> =
        truths.iter().map(|t| key(&t.dst, &t.src)).collect();
    // Detections oriented as (dst side, src side) per truth pair key.
    let mut dets: HashMap<(String, String), Vec<Det>> = HashMap::new();
    let mut all_dets = 0usize;
    let mut reported: HashSet<(String, String)> = HashSet::new();
    // The PAN measures score copying claims. The scan cuts a copied region where its
    // kind changes (prose, quote, citation); pieces that touch (at most 8 bytes apart on
    // both sides) are joined again into one region, and a region is a detection when
    // it holds prose. Quote and citation passages are counted apart.
    let (mut quotes, mut citations) = (0usize, 0usize);
    let texts = read_texts(Path::new(dir))?;
    // Bytes between two pieces that hold no token (a date, a link, punctuation).
    let tokenless = |id: &str, from: usize, to: usize| -> bool {
        texts
            .get(id)
            .and_then(|t| t.get(from..to))
            .is_some_and(|gap| {
                let (mut syl, mut z) = (Vec::new(), Vec::new());
                tokenize::tokens_into(gap, &mut syl, &mut z);
                syl.is_empty()
            })
    };
    for p in &pairs {
        reported.insert(key(&p.a, &p.b));
        let mut pieces: Vec<([usize; 2], [usize; 2], bool)> = Vec::new();
        for ps in &p.passages {
            match ps.kind.as_deref() {
                Some("quote") => quotes += 1,
                Some("citation") => citations += 1,
                _ => {}
            }
            let prose = !matches!(ps.kind.as_deref(), Some("quote" | "citation"));
            pieces.push((ps.a, ps.b, prose));
        }
        pieces.sort_unstable();
        let mut joined: Vec<([usize; 2], [usize; 2], bool)> = Vec::new();
        for (a, b, prose) in pieces {
            let touch = |l: &([usize; 2], [usize; 2], bool)| {
                let near_a = a[0] <= l.0[1] + 8 || (a[0] > l.0[1] && tokenless(&p.a, l.0[1], a[0]));
                let near_b = (b[0] <= l.1[1] + 8 && b[0] + 8 >= l.1[1])
                    || (b[0] > l.1[1] && tokenless(&p.b, l.1[1], b[0]));
                near_a && near_b
            };
            match joined.last_mut() {
                Some(l) if touch(l) => {
                    l.0[1] = l.0[1].max(a[1]);
                    l.1[1] = l.1[1].max(b[1]);
                    l.2 |= prose;
                }
                _ => joined.push((a, b, prose)),
            }
        }
        for (a, b, _) in joined.into_iter().filter(|x| x.2) {
            all_dets += 1;
            dets.entry(key(&p.a, &p.b))
                .or_default()
                .push((p.a.clone(), a, p.b.clone(), b));
        }
    }
    if quotes + citations > 0 {
        println!("passages reported apart: quotes={quotes} citations={citations}");
    }
    let true_reported = reported.iter().filter(|k| truth_pairs.contains(*k)).count();
    println!(
        "pairs reported={} true={} pair_precision={:.4}",
        reported.len(),
        true_reported,
        true_reported as f64 / reported.len().max(1) as f64
    );
    // Pair recall by kind and length band. The band counts syllables of prose in the
    // source passage (the guarantee's unit: numbers, links and code are not tokens);
    // planted passages of 15+ words with fewer than 15 of prose are listed apart.
    let prose_len = |t: &Truth| -> usize {
        let Some(src) = texts
            .get(&t.src)
            .and_then(|x| x.get(t.src_range[0]..t.src_range[1]))
        else {
            return t.syllables;
        };
        let (mut syl, mut z) = (Vec::new(), Vec::new());
        tokenize::tokens_into(src, &mut syl, &mut z);
        syl.len()
    };
    let mut by: std::collections::BTreeMap<(Kind, &str), (usize, usize)> = Default::default();
    for t in &truths {
        let prose = if doc_level { t.syllables } else { prose_len(t) };
        let band = if prose >= 40 {
            ">=40"
        } else if prose >= 15 {
            "15-39"
        } else {
            "<15-prose"
        };
        let e = by.entry((t.kind, band)).or_default();
        e.0 += 1;
        let k = key(&t.dst, &t.src);
        let hit = if doc_level {
            reported.contains(&k)
        } else {
            dets.get(&k).is_some_and(|v| {
                v.iter().any(|d| {
                    side(d, &t.dst).is_some_and(|(x, y)| {
                        overlap(x, t.dst_range) > 0 && overlap(y, t.src_range) > 0
                    })
                })
            })
        };
        if hit {
            e.1 += 1;
        } else if band != ">=40" && std::env::var_os("HOITHI_EVAL_MISSES").is_some() {
            // Diagnostics: the passage on both sides of each case missed below 40.
            let cut = |id: &str, r: [usize; 2]| {
                texts
                    .get(id)
                    .and_then(|x| x.get(r[0]..r[1]))
                    .unwrap_or("")
                    .replace('\n', " / ")
            };
            println!(
                "miss kind={:?} prose={prose} src={} dst={}\n  src {}\n  dst {}",
                t.kind,
                t.src,
                t.dst,
                cut(&t.src, t.src_range),
                cut(&t.dst, t.dst_range)
            );
        }
    }
    for ((kind, band), (n, hit)) in &by {
        println!(
            "recall kind={kind:?} syllables={band} cases={n} found={hit} recall={:.4}",
            *hit as f64 / *n as f64
        );
    }
    if doc_level {
        return Ok(());
    }
    // PAN measures (Potthast et al. 2010) over bytes of both sides of each case.
    let mut rec_sum = 0.0;
    let mut detected_cases = 0usize;
    let mut gran_sum = 0usize;
    let mut det_useful: HashMap<(String, usize), Vec<RangePair>> = HashMap::new();
    for t in &truths {
        let k = key(&t.dst, &t.src);
        let mut dst_iv = Vec::new();
        let mut src_iv = Vec::new();
        let mut count = 0;
        for (i, d) in dets.get(&k).into_iter().flatten().enumerate() {
            if let Some((x, y)) = side(d, &t.dst)
                && overlap(x, t.dst_range) > 0
                && overlap(y, t.src_range) > 0
            {
                count += 1;
                dst_iv.push(x);
                src_iv.push(y);
                det_useful
                    .entry((format!("{}|{}", k.0, k.1), i))
                    .or_default()
                    .push((t.dst_range, t.src_range));
            }
        }
        let size = (t.dst_range[1] - t.dst_range[0]) + (t.src_range[1] - t.src_range[0]);
        let got = union_within(dst_iv, t.dst_range) + union_within(src_iv, t.src_range);
        rec_sum += got as f64 / size.max(1) as f64;
        if count > 0 {
            detected_cases += 1;
            gran_sum += count;
        }
    }
    let mut prec_sum = 0.0;
    for (k, v) in &dets {
        for (i, d) in v.iter().enumerate() {
            let size = (d.1[1] - d.1[0]) + (d.3[1] - d.3[0]);
            let Some(cases) = det_useful.get(&(format!("{}|{}", k.0, k.1), i)) else {
                continue;
            };
            let tp = truths_oriented(d, cases);
            prec_sum += tp as f64 / size.max(1) as f64;
        }
    }
    let rec = rec_sum / truths.len().max(1) as f64;
    let prec = prec_sum / all_dets.max(1) as f64;
    let gran = if detected_cases == 0 {
        1.0
    } else {
        gran_sum as f64 / detected_cases as f64
    };
    let f1 = if prec + rec == 0.0 {
        0.0
    } else {
        2.0 * prec * rec / (prec + rec)
    };
    let plagdet = f1 / (1.0 + gran).log2();
    println!(
        "PAN cases={} detections={all_dets} precision={prec:.4} recall={rec:.4} granularity={gran:.4} plagdet={plagdet:.4}",
        truths.len()
    );
    Ok(())
}

/// Orient a detection so the first range is on `dst`'s side.
fn side(
    d: &(String, [usize; 2], String, [usize; 2]),
    dst: &str,
) -> Option<([usize; 2], [usize; 2])> {
    if d.0 == dst {
        Some((d.1, d.3))
    } else if d.2 == dst {
        Some((d.3, d.1))
    } else {
        None
    }
}

fn truths_oriented(
    d: &(String, [usize; 2], String, [usize; 2]),
    cases: &[([usize; 2], [usize; 2])],
) -> usize {
    // The detection's ranges, in either orientation, against the union of its cases.
    let a: Vec<[usize; 2]> = cases.iter().flat_map(|c| [c.0, c.1]).collect();
    union_within(a.clone(), d.1) + union_within(a, d.3)
}

// ---------- index latency ----------

fn index_cmd(corpus: &str, path: &str, n_indexed: &str, n_queries: &str) -> Res<()> {
    let n_indexed: usize = n_indexed.parse()?;
    let n_queries = n_queries.parse::<usize>()?.max(1);
    // Receivers (entries with planted copies, from truth.jsonl next to the entries) are
    // the queries; the other entries are indexed, streaming, and the index is filled up
    // with fresh Markov essays (no overlap rejection: that is the slow part) to n_indexed.
    let dir = Path::new(path).parent().unwrap_or(Path::new("."));
    let receivers: HashSet<String> = BufReader::new(File::open(dir.join("truth.jsonl"))?)
        .lines()
        .filter_map(|l| serde_json::from_str::<Truth>(&l.ok()?).ok())
        .map(|t| t.dst)
        .collect();
    let mut idx = Index::new(Params::default())?;
    let t0 = Instant::now();
    let mut text_bytes = 0usize;
    let mut queries: Vec<String> = Vec::new();
    let mut batch: Vec<Line> = Vec::new();
    let flush = |idx: &mut Index, batch: &mut Vec<Line>, text_bytes: &mut usize| -> Res<()> {
        let docs: Vec<(&str, &str)> = batch
            .iter()
            .map(|d| (d.id.as_str(), d.text.as_str()))
            .collect();
        idx.add_many(&docs)?;
        *text_bytes += batch.iter().map(|d| d.text.len()).sum::<usize>();
        batch.clear();
        Ok(())
    };
    for l in BufReader::new(File::open(path)?).lines() {
        if idx.len() + batch.len() >= n_indexed && queries.len() >= n_queries {
            break;
        }
        let Ok(d) = serde_json::from_str::<Line>(&l?) else {
            continue;
        };
        if receivers.contains(&d.id) {
            if queries.len() < n_queries {
                queries.push(d.text);
            }
        } else if idx.len() + batch.len() < n_indexed {
            batch.push(d);
            if batch.len() >= 4096 {
                flush(&mut idx, &mut batch, &mut text_bytes)?;
                if idx.len() % 65_536 < 4096 {
                    eprintln!(
                        "indexed {} ({:.0} s)",
                        idx.len(),
                        t0.elapsed().as_secs_f64()
                    );
                }
            }
        }
    }
    flush(&mut idx, &mut batch, &mut text_bytes)?;
    if queries.is_empty() {
        return Err("no receivers (entries with planted copies) to query".into());
    }
    let from_corpus = idx.len();
    if idx.len() < n_indexed {
        let model = load_model(Path::new(corpus))?;
        let mut rng = Rng(7);
        let mut i = 0usize;
        while idx.len() < n_indexed {
            let n = (n_indexed - idx.len()).min(4096);
            let texts: Vec<(String, String)> = (0..n)
                .map(|_| {
                    let len = rng.range(1000, 5000);
                    i += 1;
                    (format!("g{i}"), gen_essay_fast(&model, &mut rng, len))
                })
                .collect();
            let docs: Vec<(&str, &str)> = texts
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            idx.add_many(&docs)?;
            text_bytes += texts.iter().map(|t| t.1.len()).sum::<usize>();
        }
    }
    idx.compact();
    let build = t0.elapsed().as_secs_f64();
    let rss_built = rss_mb();
    eprintln!(
        "index: {} documents ({from_corpus} from the corpus), {:.0} MB of text, built in {build:.0} s",
        idx.len(),
        text_bytes as f64 / 1e6
    );
    let mut lat = Vec::new();
    let mut found = 0usize;
    let c0 = cpu_seconds();
    for q in 0..n_queries {
        let text = &queries[q % queries.len()];
        let t = Instant::now();
        let r = idx.check(text);
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
        found += usize::from(!r.matches.is_empty());
    }
    // Per-query CPU time is below the clock tick; report the mean over all queries.
    let cpu_mean_ms = (cpu_seconds() - c0) * 1000.0 / n_queries as f64;
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize];
    // Save to a file and load it back (the index is dropped first: memory stays bounded).
    let file = dir.join("index.bin");
    let t1 = Instant::now();
    idx.write_to(BufWriter::new(File::create(&file)?))?;
    let save = t1.elapsed().as_secs_f64();
    let docs = idx.len();
    drop(idx);
    let t2 = Instant::now();
    let loaded = Index::read_from(File::open(&file)?)?;
    let load = t2.elapsed().as_secs_f64();
    let rss_loaded = rss_mb();
    let file_mb = std::fs::metadata(&file)?.len() as f64 / 1e6;
    std::fs::remove_file(&file)?;
    if loaded.len() != docs {
        return Err("reloaded index differs".into());
    }
    println!(
        "index docs={docs} text_MB={:.0} build_s={build:.1} file_MB={file_mb:.1} save_s={save:.2} load_s={load:.2} queries={n_queries} distinct_queries={} with_matches={found} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} cpu_mean_ms={cpu_mean_ms:.2} rss_built_MB={rss_built:.0} rss_loaded_MB={rss_loaded:.0}",
        text_bytes as f64 / 1e6,
        queries.len(),
        pct(0.5),
        pct(0.99),
        lat.last().copied().unwrap_or(0.0)
    );
    Ok(())
}

/// Resident memory of this process now (VmRSS, Linux), in MB; 0 when unknown. After
/// `compact` it is the index in memory plus the process (the query texts are a few MB).
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb * 1024.0 / 1e6)
}

/// An essay from the chain without overlap rejection (for filling a large index).
fn gen_essay_fast(m: &Model, rng: &mut Rng, target: usize) -> String {
    let mut out = String::with_capacity(target * 6);
    let mut n = 0;
    while n < target {
        let len = rng.range(8, 28);
        let mut w = m.starts[rng.below(m.starts.len())];
        for i in 0..len {
            let word = &m.vocab[w as usize];
            if i == 0 {
                out.push_str(&capitalize(word));
            } else {
                out.push(' ');
                out.push_str(word);
            }
            let nx = &m.next[w as usize];
            w = if nx.is_empty() {
                m.starts[rng.below(m.starts.len())]
            } else {
                nx[rng.below(nx.len())]
            };
        }
        out.push_str(". ");
        n += len;
    }
    out
}

/// Side by side in one process, alternating, best of `rounds` each: the bare tokenizer
/// pass and the full scan (from JSONL bytes in memory, outputs discarded), 2 threads.
/// Less noisy than separate processes on a shared machine.
fn ratio_cmd(dir: &str, rounds: &str) -> Res<()> {
    let dir = Path::new(dir);
    let rounds: usize = rounds.parse()?;
    let entries = std::fs::read(dir.join("entries.jsonl"))?;
    let refs = std::fs::read(dir.join("reference.jsonl")).unwrap_or_default();
    let docs: Vec<Line> = entries
        .split(|&b| b == b'\n')
        .chain(refs.split(|&b| b == b'\n'))
        .filter_map(|l| serde_json::from_slice(l).ok())
        .collect();
    let mb = (entries.len() + refs.len()) as f64 / 1e6;
    let text_mb = docs.iter().map(|d| d.text.len()).sum::<usize>() as f64 / 1e6;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
    let opts = ScanOptions {
        threads: 2,
        ..ScanOptions::default()
    };
    let (mut fw, mut fc, mut sw, mut sc) = (f64::MAX, f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let t0 = Instant::now();
        let c0 = cpu_seconds();
        let n: usize = pool.install(|| {
            docs.par_iter()
                .map(|d| tokenize::syllables(&d.text).len())
                .sum()
        });
        std::hint::black_box(n);
        fw = fw.min(t0.elapsed().as_secs_f64());
        fc = fc.min(cpu_seconds() - c0);
        let t0 = Instant::now();
        let c0 = cpu_seconds();
        scan_jsonl(
            entries.as_slice(),
            Some(refs.as_slice()),
            None::<&[u8]>,
            std::io::sink(),
            std::io::sink(),
            std::io::sink(),
            &opts,
        )?;
        sw = sw.min(t0.elapsed().as_secs_f64());
        sc = sc.min(cpu_seconds() - c0);
    }
    println!(
        "best of {rounds}: floor {:.1} MB/s {:.1} MB/cpu-s (text) | scan {:.1} MB/s {:.1} MB/cpu-s (input) | ratio wall {:.3} cpu {:.3}",
        text_mb / fw,
        text_mb / fc,
        mb / sw,
        mb / sc,
        (mb / sw) / (text_mb / fw),
        (mb / sc) / (text_mb / fc)
    );
    Ok(())
}
