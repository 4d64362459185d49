//! Normalization + tokenization vs a bare split-on-whitespace pass over the same bytes.
//! Uses the libreoffice-help-vi corpus when fetched (scripts/fetch-fixtures.sh),
//! else a repeated built-in paragraph.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "../tests/common/mod.rs"]
mod common;

fn corpus() -> (String, &'static str) {
    if let Some(paras) = common::vietnamese_paragraphs() {
        let text: String = paras
            .iter()
            .map(|p| hoithi_text::normalize_str(p))
            .collect::<Vec<_>>()
            .join("\n\n");
        return (text, "libreoffice-help-vi");
    }
    let para = "Cuộc thi chính luận về bảo vệ nền tảng tư tưởng của Đảng được tổ chức hằng năm. \
                Các đơn vị thu nhận tác phẩm, sơ loại và chấm sơ khảo trước khi gửi lên vòng chung khảo.";
    (vec![para; 4000].join("\n\n"), "built-in paragraph")
}

fn bench(c: &mut Criterion) {
    let (text, name) = corpus();
    eprintln!(
        "corpus: {name}, {} bytes, NFC clean: {}",
        text.len(),
        hoithi_text::normalize_str(&text) == text
    );
    let mut g = c.benchmark_group(format!("nfc-input/{name}"));
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
    g.bench_function("normalize_str", |b| {
        b.iter(|| hoithi_text::normalize_str(black_box(&text)).len())
    });
    g.bench_function("syllables", |b| {
        b.iter(|| hoithi_text::tokenize::syllables(black_box(&text)).count())
    });
    g.bench_function("fold", |b| {
        b.iter(|| hoithi_text::fold::fold(black_box(&text)).len())
    });
    g.finish();

    let nfd: String = {
        use unicode_normalization::UnicodeNormalization;
        text.nfd().collect()
    };
    let mut g = c.benchmark_group(format!("nfd-input/{name}"));
    g.throughput(Throughput::Bytes(nfd.len() as u64));
    g.sample_size(10);
    g.bench_function("normalize_str", |b| {
        b.iter(|| hoithi_text::normalize_str(black_box(&nfd)).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
