//! Where a submission's CPU time goes: the steps the server runs for one DOCX entry, timed one
//! by one in this process on the same generated files (the same library calls the submission
//! handler makes), plus the background copy check's cost as its index grows.

use std::collections::HashMap;
use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::Result;
use sha2::{Digest, Sha256};

use crate::material::Submission;

#[derive(Default)]
struct Timer {
    per: Vec<(&'static str, Duration)>,
}

impl Timer {
    fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let t0 = Instant::now();
        let v = f();
        let d = t0.elapsed();
        match self.per.iter_mut().find(|(n, _)| *n == name) {
            Some((_, acc)) => *acc += d,
            None => self.per.push((name, d)),
        }
        v
    }
}

fn ms(d: Duration, n: usize) -> f64 {
    d.as_secs_f64() * 1000.0 / n.max(1) as f64
}

/// Times the request path's steps on `subs`, writing files under `dir` (use the filesystem
/// the server's data folder is on), then the copy check as its index grows to `integrity_docs`.
pub fn run(subs: &[Submission], dir: &std::path::Path, integrity_docs: usize) -> Result<()> {
    if let Some(dict) = hoithi_text::spell::Dictionary::load_system() {
        hoithi_text::spell::install_dictionary(dict);
        println!("spelling dictionary: system hunspell-vi loaded (as the server does)");
    } else {
        println!("spelling dictionary: none installed (syllable rules only, as the server)");
    }
    std::fs::create_dir_all(dir)?;
    let mut t = Timer::default();
    let mut bodies = Vec::with_capacity(subs.len());
    for s in subs {
        let sha = t.time("SHA-256 of the file", || {
            hex::encode(Sha256::digest(s.file.as_slice()))
        });
        let copy = t.time("copies of the upload (multipart, clone)", || {
            let a = s.file.as_ref().clone();
            a.clone()
        });
        let body = t.time("DOCX text extraction (hoithi-extract)", || {
            hoithi_extract::extract(&copy, Some(s.file_name.as_str()), &Default::default())
                .map(|d| d.text())
        })?;
        t.time("title and names: normalize, sort keys", || {
            let title = hoithi_text::normalize::normalize_str(&s.title);
            let _ = hoithi_text::sort::sort_key(&title);
            for a in &s.authors {
                let n = hoithi_text::normalize::normalize_str(&a.full_name);
                let _ = hoithi_text::sort::name_sort_key(&n);
            }
        });
        let words = t.time("word count", || hoithi_text::tokenize::word_count(&body));
        t.time("name-in-text check (fold the body)", || {
            hoithi_text::fold::fold(&body)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .len()
        });
        let hints = t.time("spelling hints", || hoithi_text::spell::check(&body).len());
        t.time(
            "blob write: create, write, fsync, rename",
            || -> Result<()> {
                let tmp = dir.join(format!(".{sha}.tmp"));
                let mut f = std::fs::File::create(&tmp)?;
                f.write_all(&copy)?;
                f.sync_all()?;
                drop(f);
                std::fs::rename(&tmp, dir.join(&sha))?;
                Ok(())
            },
        )?;
        let _ = (words, hints);
        bodies.push(body);
    }
    let n = subs.len();
    let total: Duration = t.per.iter().map(|(_, d)| *d).sum();
    println!("\nRequest-path steps, {n} generated DOCX files, one thread, ms per submission:");
    println!("| step | ms | share |");
    println!("|---|---:|---:|");
    for (name, d) in &t.per {
        println!(
            "| {name} | {:.2} | {:.0}% |",
            ms(*d, n),
            100.0 * d.as_secs_f64() / total.as_secs_f64().max(1e-9)
        );
    }
    println!("| total | {:.2} | |", ms(total, n));
    std::fs::remove_dir_all(dir).ok();

    if integrity_docs == 0 {
        return Ok(());
    }
    // The worker's copy check for each new entry: fingerprint check, exact alignment with the
    // candidates, add to the index, and save the whole index file (as crates/web does).
    println!(
        "\nBackground copy check per entry as the contest's index grows (worker, one thread):"
    );
    println!("| entries in index | check + align + add, ms | save index, ms | index file, MB |");
    println!("|---:|---:|---:|---:|");
    let mut idx = hoithi_integrity::Index::new(hoithi_integrity::Params::default())
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut texts: HashMap<String, String> = HashMap::new();
    let mut acc = Duration::ZERO;
    let mut count = 0usize;
    let report_at = [100usize, 500, 1_000, 2_000, 5_000, 10_000];
    for i in 0..integrity_docs {
        let body = bodies[i % bodies.len()].clone();
        // Reused bodies would be 100% copies; give each reuse its own tail so the check does
        // not degenerate.
        let body = if i >= bodies.len() {
            format!("{body}\n\nPhần bổ sung số {i}.")
        } else {
            body
        };
        let id = format!("entry:{i}");
        let t0 = Instant::now();
        let _ = idx.check(&body);
        let _ = idx.check_exact(&body, |k| texts.get(k).cloned());
        idx.add(&id, &body).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        acc += t0.elapsed();
        count += 1;
        texts.insert(id, body);
        if report_at.contains(&(i + 1)) || i + 1 == integrity_docs {
            let t1 = Instant::now();
            let mut buf = Vec::new();
            idx.write_to(&mut buf)
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let save = t1.elapsed();
            println!(
                "| {} | {:.1} | {:.1} | {:.1} |",
                i + 1,
                ms(acc, count),
                save.as_secs_f64() * 1000.0,
                buf.len() as f64 / 1e6
            );
            acc = Duration::ZERO;
            count = 0;
        }
    }
    Ok(())
}
