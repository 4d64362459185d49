//! Extraction speed on the fixtures, per format:
//! `cargo run --release -p hoithi-extract --example extract_bench [-- DIR]`.
//! Each file is extracted repeatedly for about a second; prints the median of
//! five such rounds in MB/s of input and in thousand characters of text per second.

use std::time::{Duration, Instant};

use hoithi_extract::{Limits, extract};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        std::env::var("HOITHI_FIXTURES").unwrap_or_else(|_| {
            format!(
                "{}/../../target-fixtures/extract",
                env!("CARGO_MANIFEST_DIR")
            )
        })
    });
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e} (run scripts/make-fixtures.sh)"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e != "expected"))
        .collect();
    files.sort();
    println!("| file | size KiB | chars | MB/s (median of 5) | k chars/s |");
    println!("|---|---|---|---|---|");
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let limits = Limits::default();
        let Ok(doc) = extract(&bytes, Some(&name), &limits) else {
            println!("| {name} | failed |");
            continue;
        };
        let chars: usize = doc.paragraphs.iter().map(|p| p.chars().count()).sum();
        let mut rounds = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            let mut n = 0u32;
            while start.elapsed() < Duration::from_millis(400) {
                let _ = std::hint::black_box(extract(&bytes, Some(&name), &limits));
                n += 1;
            }
            rounds.push(start.elapsed().as_secs_f64() / f64::from(n));
        }
        rounds.sort_by(f64::total_cmp);
        let secs = rounds[2];
        println!(
            "| {name} | {:.1} | {chars} | {:.1} | {:.0} |",
            bytes.len() as f64 / 1024.0,
            bytes.len() as f64 / 1e6 / secs,
            chars as f64 / 1e3 / secs
        );
    }
}
