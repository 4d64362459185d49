//! Runs one stage N times over the libreoffice-help-vi pages, as the criterion
//! bench sees them (one normalized page per call), for CPU-time measurements on a
//! loaded machine, where wall-clock figures swing with the other jobs:
//!
//! ```text
//! cargo build --release -p hoithi-text --example pages
//! perf stat -e task-clock target/release/examples/pages STAGE 40
//! ```
//!
//! STAGE is `none` (loading only, to subtract), `split`, `normalize`, `syllables`
//! or `both`; the CPU time of STAGE minus that of `none`, divided by N, is the
//! time of one pass. Needs `scripts/fetch-fixtures.sh`.
use std::hint::black_box;

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let mut args = std::env::args().skip(1);
    let stage = args.next().unwrap_or_default();
    let passes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(40);
    let Some(pages) = common::vietnamese_pages() else {
        eprintln!("libreoffice-help-vi not fetched: run crates/text/scripts/fetch-fixtures.sh");
        return;
    };
    let docs: Vec<String> = pages
        .iter()
        .map(|p| hoithi_text::normalize_str(&p.join("\n\n")))
        .filter(|d| !d.is_empty())
        .collect();
    let run: fn(&str) -> usize = match stage.as_str() {
        "none" => |_| 0,
        "split" => |d| d.split_whitespace().count(),
        "normalize" => |d| hoithi_text::normalize_str(d).len(),
        "syllables" => |d| hoithi_text::tokenize::syllables(d).count(),
        "both" => |d| hoithi_text::tokenize::syllables(&hoithi_text::normalize_str(d)).count(),
        _ => {
            eprintln!("usage: pages none|split|normalize|syllables|both [PASSES]");
            return;
        }
    };
    let mut total = 0;
    for _ in 0..passes {
        total += docs.iter().map(|d| run(black_box(d))).sum::<usize>();
    }
    println!(
        "{stage}: {passes} passes over {} pages, result {total}",
        docs.len()
    );
}
