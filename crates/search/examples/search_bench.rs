//! Indexing throughput, query latency and index size on documents synthesized
//! from real Vietnamese paragraphs (libreoffice-help-vi).
//!
//! cargo run --release -p hoithi-search --example search_bench -- [docs] [repeats] [threads]
//!
//! A peer runs in the same process for comparison: plain tantivy with one
//! folded body field and one query per search (no exact field, no tiers).

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use hoithi_search::{Doc, Options, Query, SearchIndex};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, TantivyDocument};

/// Small deterministic generator (xorshift64*), so every run indexes the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn synthesize(paragraphs: &[String], n: usize) -> Vec<Doc> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|i| {
            let title_source = &paragraphs[rng.below(paragraphs.len())];
            let title: Vec<&str> = title_source
                .split_whitespace()
                .take(6 + rng.below(7))
                .collect();
            let parts = 10 + rng.below(51);
            let body: Vec<&str> = (0..parts)
                .map(|_| paragraphs[rng.below(paragraphs.len())].as_str())
                .collect();
            let leaf = 100 + i % 60;
            Doc {
                key: i as i64,
                kind: if i % 10 == 0 { "news" } else { "entry" }.to_string(),
                title: title.join(" "),
                body: body.join("\n"),
                tags: vec![
                    format!("contest:{}", i % 20),
                    format!("genre:{}", i % 4),
                    format!("unit:{leaf}"),
                    format!("unit:{}", 10 + (leaf - 100) / 10),
                    "unit:1".to_string(),
                ],
            }
        })
        .collect()
}

fn queries(paragraphs: &[String]) -> Vec<(String, Vec<String>)> {
    let mut rng = Rng(42);
    let mut out = Vec::new();
    while out.len() < 200 {
        let words = common::words(&paragraphs[rng.below(paragraphs.len())]);
        let viet: Vec<&String> = words.iter().filter(|w| !w.is_ascii()).collect();
        if viet.len() < 3 {
            continue;
        }
        let start = rng.below(words.len().saturating_sub(2).max(1));
        let text = match out.len() % 5 {
            // One word as typed, then folded, two words, a phrase, a phrase folded.
            0 => viet[rng.below(viet.len())].clone(),
            1 => common::fold_word(viet[rng.below(viet.len())]),
            2 => format!(
                "{} {}",
                viet[rng.below(viet.len())],
                viet[rng.below(viet.len())]
            ),
            3 => format!(
                "\"{}\"",
                words[start..(start + 2).min(words.len())].join(" ")
            ),
            _ => format!(
                "\"{}\"",
                common::fold_word(&words[start..(start + 3).min(words.len())].join(" "))
            ),
        };
        let tags = if out.len() % 2 == 0 {
            vec![]
        } else {
            vec![format!("unit:{}", 10 + rng.below(6))]
        };
        out.push((text, tags));
    }
    out
}

fn dir_size(path: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten() {
            let p = e.path();
            total += if p.is_dir() {
                dir_size(&p)
            } else {
                e.metadata().map(|m| m.len()).unwrap_or(0)
            };
        }
    }
    total
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn percentile(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1e3
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let repeats: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(3);
    let threads: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1);
    let Some(paragraphs) = common::paragraphs() else {
        return;
    };
    let mut docs = synthesize(&paragraphs, n);
    // BENCH_PRENORMALIZED=1: feed text already normalized, as the platform
    // stores it, so the normalizer takes its fast path.
    let prenormalized = std::env::var_os("BENCH_PRENORMALIZED").is_some();
    if prenormalized {
        let norm = hoithi_text::normalize::Options {
            tone_style: hoithi_text::normalize::ToneStyle::New,
            legacy: hoithi_text::normalize::LegacyMode::Off,
        };
        for d in &mut docs {
            d.title = hoithi_text::normalize::normalize_with(&d.title, &norm);
            d.body = hoithi_text::normalize::normalize_with(&d.body, &norm);
        }
        println!("documents normalized before timing");
    }
    let bytes: usize = docs.iter().map(|d| d.title.len() + d.body.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "{} source paragraphs; {n} docs, {mb:.1} MB of text ({:.1} KB/doc)",
        paragraphs.len(),
        bytes as f64 / 1e3 / n as f64
    );
    let options = Options {
        heap_bytes: 50_000_000 * threads,
        threads,
    };
    println!("options: {options:?}");
    let queries = queries(&paragraphs);
    // Cost of the Vietnamese normalization every document goes through.
    let norm = hoithi_text::normalize::Options {
        tone_style: hoithi_text::normalize::ToneStyle::New,
        legacy: hoithi_text::normalize::LegacyMode::Off,
    };
    let start = Instant::now();
    let normalized: usize = docs
        .iter()
        .map(|d| hoithi_text::normalize::normalize_with(&d.body, &norm).len())
        .sum();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "normalization alone: {:.1} MB/s ({normalized} bytes out)",
        mb / secs
    );

    let mut build_secs = Vec::new();
    let mut p50s = Vec::new();
    let mut p99s = Vec::new();
    let mut sizes = Vec::new();
    let mut peer_build = Vec::new();
    let mut peer_p50 = Vec::new();
    let mut peer_p99 = Vec::new();
    let mut peer_sizes = Vec::new();
    for round in 0..repeats {
        let dir = tempfile::tempdir().expect("tempdir");
        let index = SearchIndex::open(dir.path(), options.clone()).expect("open");
        let start = Instant::now();
        index.rebuild(docs.iter().cloned()).expect("rebuild");
        let secs = start.elapsed().as_secs_f64();
        let mut times = Vec::new();
        let mut total_hits = 0;
        for pass in 0..3 {
            for (text, tags) in &queries {
                let q = Query {
                    text: text.clone(),
                    must_tags: tags.clone(),
                    limit: 20,
                    ..Query::default()
                };
                let t = Instant::now();
                let hits = index.search(&q).expect("search");
                if pass > 0 {
                    times.push(t.elapsed());
                } else {
                    total_hits += hits.total;
                }
            }
        }
        let (p50, p99) = (percentile(&mut times, 0.5), percentile(&mut times, 0.99));
        // The same searches counting only: no stored documents, no snippets.
        let mut count_times = Vec::new();
        for (text, tags) in &queries {
            let q = Query {
                text: text.clone(),
                must_tags: tags.clone(),
                limit: 0,
                ..Query::default()
            };
            let t = Instant::now();
            index.search(&q).expect("search");
            count_times.push(t.elapsed());
        }
        println!(
            "  count-only searches (both tiers, no hits loaded): p50 {:.2} ms p99 {:.2} ms",
            percentile(&mut count_times, 0.5),
            percentile(&mut count_times, 0.99)
        );
        // Measured after the searches, when background merges have had time.
        let size = dir_size(dir.path());
        println!(
            "hoithi-search round {round}: build {secs:.1} s = {:.0} docs/s, {:.2} MB/s; size {:.0} MB; \
             query p50 {p50:.2} ms p99 {p99:.2} ms over {} searches (mean {} hits/query)",
            n as f64 / secs,
            mb / secs,
            size as f64 / 1e6,
            times.len(),
            total_hits / queries.len()
        );
        build_secs.push(secs);
        sizes.push(size as f64);
        p50s.push(p50);
        p99s.push(p99);
        drop(index);

        if prenormalized {
            continue;
        }
        let (secs, size, p50, p99) = peer(&docs, &queries, threads);
        println!(
            "peer (plain tantivy, one folded field) round {round}: build {secs:.1} s = {:.0} docs/s, \
             {:.2} MB/s; size {:.0} MB; query p50 {p50:.2} ms p99 {p99:.2} ms",
            n as f64 / secs,
            mb / secs,
            size as f64 / 1e6
        );
        peer_build.push(secs);
        peer_sizes.push(size as f64);
        peer_p50.push(p50);
        peer_p99.push(p99);
    }
    let b = median(build_secs);
    if prenormalized {
        println!(
            "MEDIANS over {repeats} rounds, {n} docs, {mb:.1} MB, prenormalized: {:.0} docs/s, {:.2} MB/s",
            n as f64 / b,
            mb / b
        );
        return;
    }
    let pb = median(peer_build);
    println!("MEDIANS over {repeats} rounds, {n} docs, {mb:.1} MB:");
    println!(
        "  hoithi-search: {:.0} docs/s, {:.2} MB/s, size {:.0} MB, p50 {:.2} ms, p99 {:.2} ms",
        n as f64 / b,
        mb / b,
        median(sizes) / 1e6,
        median(p50s),
        median(p99s)
    );
    println!(
        "  peer:          {:.0} docs/s, {:.2} MB/s, size {:.0} MB, p50 {:.2} ms, p99 {:.2} ms",
        n as f64 / pb,
        mb / pb,
        median(peer_sizes) / 1e6,
        median(peer_p50),
        median(peer_p99)
    );
}

/// Plain tantivy: body and title in one folded, stored field; one parsed
/// query with AND semantics; top 20 with a count; no snippets.
fn peer(docs: &[Doc], queries: &[(String, Vec<String>)], threads: usize) -> (f64, u64, f64, f64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut b = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer("folded")
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = b.add_text_field(
        "text",
        TextOptions::default()
            .set_indexing_options(indexing)
            .set_stored(),
    );
    let tag = b.add_text_field("tag", tantivy::schema::STRING);
    let index = Index::create_in_dir(dir.path(), b.build()).expect("create");
    index.tokenizers().register(
        "folded",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    let start = Instant::now();
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(threads, 50_000_000 * threads)
        .expect("writer");
    for d in docs {
        let mut doc = TantivyDocument::default();
        doc.add_text(text, &d.title);
        doc.add_text(text, &d.body);
        for t in &d.tags {
            doc.add_text(tag, t);
        }
        writer.add_document(doc).expect("add");
    }
    writer.commit().expect("commit");
    // Timed like hoithi-search's rebuild: up to the commit, merges not awaited.
    let secs = start.elapsed().as_secs_f64();
    writer.wait_merging_threads().expect("merge");
    let size = dir_size(dir.path());
    let reader = index.reader().expect("reader");
    let searcher = reader.searcher();
    let mut parser = QueryParser::for_index(&index, vec![text]);
    parser.set_conjunction_by_default();
    let mut times = Vec::new();
    for pass in 0..3 {
        for (q, tags) in queries {
            let t = Instant::now();
            let (parsed, _) = parser.parse_query_lenient(q);
            let query: Box<dyn tantivy::query::Query> = if tags.is_empty() {
                parsed
            } else {
                let mut clauses = vec![(tantivy::query::Occur::Must, parsed)];
                for t in tags {
                    clauses.push((
                        tantivy::query::Occur::Must,
                        Box::new(tantivy::query::TermQuery::new(
                            tantivy::Term::from_field_text(tag, t),
                            IndexRecordOption::Basic,
                        )),
                    ));
                }
                Box::new(tantivy::query::BooleanQuery::new(clauses))
            };
            let top = TopDocs::with_limit(20).order_by_score();
            let (_count, found) = searcher.search(&*query, &(Count, top)).expect("search");
            for (_, address) in found {
                let _doc: TantivyDocument = searcher.doc(address).expect("doc");
            }
            if pass > 0 {
                times.push(t.elapsed());
            }
        }
    }
    (
        secs,
        size,
        percentile(&mut times, 0.5),
        percentile(&mut times, 0.99),
    )
}
