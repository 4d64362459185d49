//! Normalization + tokenization vs a bare split-on-whitespace pass over the same bytes.
//! Uses the libreoffice-help-vi corpus when fetched (scripts/fetch-fixtures.sh),
//! else a repeated built-in paragraph.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "../tests/common/mod.rs"]
mod common;

/// Documents as callers see them: one libreoffice-help-vi page each (paragraphs
/// joined by blank lines), already normalized so the input is clean NFC.
fn documents() -> (Vec<String>, &'static str) {
    if let Some(pages) = common::vietnamese_pages() {
        let docs = pages
            .iter()
            .map(|p| hoithi_text::normalize_str(&p.join("\n\n")))
            .filter(|d| !d.is_empty())
            .collect();
        return (docs, "libreoffice-help-vi");
    }
    let para = "Cuộc thi chính luận về bảo vệ nền tảng tư tưởng của Đảng được tổ chức hằng năm. \
                Các đơn vị thu nhận tác phẩm, sơ loại và chấm sơ khảo trước khi gửi lên vòng chung khảo.";
    (vec![vec![para; 20].join("\n\n"); 200], "built-in paragraph")
}

fn bench(c: &mut Criterion) {
    let (docs, name) = documents();
    let bytes: usize = docs.iter().map(String::len).sum();
    eprintln!("corpus: {name}, {} documents, {bytes} bytes", docs.len());

    let mut g = c.benchmark_group(format!("per-document/{name}"));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("split_whitespace", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| black_box(d.as_str()).split_whitespace().count())
                .sum::<usize>()
        })
    });
    g.bench_function("normalize_str+syllables", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| {
                    let n = hoithi_text::normalize_str(black_box(d));
                    hoithi_text::tokenize::syllables(&n).count()
                })
                .sum::<usize>()
        })
    });
    g.bench_function("normalize_str", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| hoithi_text::normalize_str(black_box(d)).len())
                .sum::<usize>()
        })
    });
    g.bench_function("syllables", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| hoithi_text::tokenize::syllables(black_box(d)).count())
                .sum::<usize>()
        })
    });
    g.bench_function("fold", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| hoithi_text::fold::fold(black_box(d)).len())
                .sum::<usize>()
        })
    });
    g.finish();

    // The whole corpus as one string: a legacy-suspect character (©, ×, «) anywhere
    // makes the detector take its census of the entire text.
    let text = docs.join("\n\n");
    let mut g = c.benchmark_group(format!("one-string/{name}"));
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("split_whitespace", |b| {
        b.iter(|| black_box(&text).split_whitespace().count())
    });
    g.bench_function("normalize_str+syllables", |b| {
        b.iter(|| {
            let n = hoithi_text::normalize_str(black_box(&text));
            hoithi_text::tokenize::syllables(&n).count()
        })
    });
    g.finish();

    let nfd: Vec<String> = {
        use unicode_normalization::UnicodeNormalization;
        docs.iter().map(|d| d.nfd().collect()).collect()
    };
    let nfd_bytes: usize = nfd.iter().map(String::len).sum();
    let mut g = c.benchmark_group(format!("nfd-input/{name}"));
    g.throughput(Throughput::Bytes(nfd_bytes as u64));
    g.sample_size(10);
    g.bench_function("normalize_str", |b| {
        b.iter(|| {
            nfd.iter()
                .map(|d| hoithi_text::normalize_str(black_box(d)).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
