//! Rough timing of the pipeline stages on a file (best of 5, MB/s):
//! `cargo run --release -p hoithi-text --example timing -- FILE`.
//! `TIMING_ONE=split|normalize|normalize-off|syllables|census` runs one stage 10 times (for `time` or `perf`).
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: timing FILE");
        return;
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        return;
    };
    let mb = text.len() as f64 / 1e6;
    let time = |name: &str, f: &dyn Fn() -> usize| {
        let mut best = f64::MAX;
        let mut r = 0;
        for _ in 0..5 {
            let t = Instant::now();
            r = f();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{name:>28}: {:8.1} MB/s (result {r})", mb / best);
    };
    let clean = hoithi_text::normalize::normalize_str(&text);
    println!(
        "is_clean(normalized) = {}",
        hoithi_text::normalize::normalize_str(&clean) == clean
    );
    if let Ok(one) = std::env::var("TIMING_ONE") {
        let mut r = 0;
        for _ in 0..10 {
            r += match one.as_str() {
                "split" => clean.split_whitespace().count(),
                "normalize" => hoithi_text::normalize::normalize_str(&clean).len(),
                "syllables" => hoithi_text::tokenize::syllables(&clean).count(),
                "normalize-off" => {
                    let o = hoithi_text::Options {
                        legacy: hoithi_text::LegacyMode::Off,
                        ..Default::default()
                    };
                    hoithi_text::normalize::normalize_with(&clean, &o).len()
                }
                "census" => usize::from(hoithi_text::legacy::detect(&clean).is_some()),
                _ => 0,
            };
        }
        println!("{one}: {r}");
        return;
    }
    if std::env::var_os("TIMING_FAST_ONLY").is_some() {
        for _ in 0..10 {
            time("normalize_str (clean NFC)", &|| {
                hoithi_text::normalize::normalize_str(&clean).len()
            });
            time("syllables", &|| {
                hoithi_text::tokenize::syllables(&clean).count()
            });
        }
        return;
    }
    time("split_whitespace", &|| text.split_whitespace().count());
    time("legacy::detect", &|| {
        usize::from(hoithi_text::legacy::detect(&text).is_some())
    });
    time("normalize_str (raw)", &|| {
        hoithi_text::normalize::normalize_str(&text).len()
    });
    time("normalize_str (clean NFC)", &|| {
        hoithi_text::normalize::normalize_str(&clean).len()
    });
    time("normalize_str+syllables", &|| {
        hoithi_text::tokenize::syllables(&hoithi_text::normalize::normalize_str(&clean)).count()
    });
    time("syllables", &|| {
        hoithi_text::tokenize::syllables(&text).count()
    });
    time("word_count", &|| hoithi_text::tokenize::word_count(&text));
    time("fold", &|| hoithi_text::fold::fold(&text).len());
    time("sort_key", &|| hoithi_text::sort::sort_key(&text).len());
}
