//! Assignment benchmark: a seeded random contest, solved by `hoithi_judging::assign`,
//! checked independently, and written out for the OR-Tools peer
//! (bench/judging/ortools_assign.py).
//!
//! cargo run --release -p hoithi-judging --example assign_bench -- \
//!     --entries 100000 --judges 3000 --seed 1 --out /tmp/judging-bench
//! `--smoke` runs a small instance (for CI). Adversarial shapes (issue 15):
//! `--magnets 3 --magnet-capacity 50000 --non-expert-cost 10000` (few expert judges of
//! huge capacity, high cost), `--load-step 0 --non-expert-cost 0` (zero costs),
//! `--unit-skew 0.5` (half the entries and half the judges from one unit),
//! `--capacity-scale 0.7` (tight).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use hoithi_judging::{
    AssignmentRequest, CostModel, EntrySpec, JudgeSpec, Pair, assign, request_extra_judges,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

struct Options {
    entries: usize,
    judges: usize,
    per_entry: u32,
    seed: u64,
    genres: u32,
    units: u32,
    personal_share: f64,
    disputed_share: f64,
    capacity_scale: f64,
    /// Expert judges (genre 0) of very large capacity, like the "magnets".
    magnets: usize,
    magnet_capacity: u32,
    non_expert_cost: u32,
    load_step: u32,
    /// Share of entries, and of judges, from unit 0 (0: units uniform): most pairs clash.
    unit_skew: f64,
    out: Option<PathBuf>,
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        entries: 100_000,
        judges: 3_000,
        per_entry: 2,
        seed: 1,
        genres: 5,
        units: 63,
        personal_share: 0.01,
        disputed_share: 0.05,
        capacity_scale: 1.0,
        magnets: 0,
        magnet_capacity: 50_000,
        non_expert_cost: 10,
        load_step: 1,
        unit_skew: 0.0,
        out: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("missing value for {a}"));
        match a.as_str() {
            "--entries" => o.entries = val()?.parse().map_err(|e| format!("{e}"))?,
            "--judges" => o.judges = val()?.parse().map_err(|e| format!("{e}"))?,
            "--per-entry" => o.per_entry = val()?.parse().map_err(|e| format!("{e}"))?,
            "--seed" => o.seed = val()?.parse().map_err(|e| format!("{e}"))?,
            "--genres" => o.genres = val()?.parse().map_err(|e| format!("{e}"))?,
            "--units" => o.units = val()?.parse().map_err(|e| format!("{e}"))?,
            "--personal-conflicts" => {
                o.personal_share = val()?.parse().map_err(|e| format!("{e}"))?
            }
            "--disputed" => o.disputed_share = val()?.parse().map_err(|e| format!("{e}"))?,
            "--capacity-scale" => o.capacity_scale = val()?.parse().map_err(|e| format!("{e}"))?,
            "--magnets" => o.magnets = val()?.parse().map_err(|e| format!("{e}"))?,
            "--magnet-capacity" => {
                o.magnet_capacity = val()?.parse().map_err(|e| format!("{e}"))?
            }
            "--non-expert-cost" => {
                o.non_expert_cost = val()?.parse().map_err(|e| format!("{e}"))?
            }
            "--load-step" => o.load_step = val()?.parse().map_err(|e| format!("{e}"))?,
            "--unit-skew" => o.unit_skew = val()?.parse().map_err(|e| format!("{e}"))?,
            "--out" => o.out = Some(PathBuf::from(val()?)),
            "--smoke" => {
                o.entries = 2_000;
                o.judges = 120;
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if o.genres == 0
        || o.units == 0
        || o.judges == 0
        || o.capacity_scale.is_nan()
        || o.capacity_scale < 0.0
    {
        return Err("genres, units, judges and capacity scale must be positive".into());
    }
    Ok(o)
}

fn instance(o: &Options) -> AssignmentRequest {
    let mut rng = ChaCha8Rng::seed_from_u64(o.seed);
    // Genre popularity falls off (magazine, newspaper, radio, TV, video...).
    let weights: Vec<u32> = (0..o.genres).map(|g| 2 * o.genres - g).collect();
    let total: u32 = weights.iter().sum();
    let pick_genre = |rng: &mut ChaCha8Rng| {
        let mut x = rng.random_range(0..total);
        for (g, w) in weights.iter().enumerate() {
            if x < *w {
                return g as u32;
            }
            x -= w;
        }
        0
    };
    // Capacity: 1.25 to 1.75 times the average load, so the instance is feasible.
    let avg = (o.entries as f64 * f64::from(o.per_entry) / o.judges as f64).ceil() as u32;
    let judges: Vec<JudgeSpec> = (0..o.judges)
        .map(|_| {
            // Experts are spread evenly over genres while entries are not, so
            // expertise and load balance pull against each other.
            let mut expertise = vec![rng.random_range(0..o.genres)];
            if rng.random_bool(0.3) {
                let g = rng.random_range(0..o.genres);
                if !expertise.contains(&g) {
                    expertise.push(g);
                }
            }
            JudgeSpec {
                capacity: (f64::from(rng.random_range(avg + avg / 4..=avg + 3 * avg / 4))
                    * o.capacity_scale) as u32,
                expertise,
                unit: Some(
                    if o.unit_skew > 0.0 && rng.random_bool(o.unit_skew.min(1.0)) {
                        0
                    } else {
                        rng.random_range(0..o.units)
                    },
                ),
            }
        })
        .collect();
    let mut judges = judges;
    if o.magnets > 0 {
        // The magnets are the only experts of the most popular genre: each takes
        // entries until its rising load cost meets the non-expert cost.
        for (j, spec) in judges.iter_mut().enumerate() {
            if j < o.magnets {
                spec.capacity = o.magnet_capacity;
                spec.expertise = vec![0];
            } else {
                spec.expertise.retain(|&g| g != 0);
                if spec.expertise.is_empty() {
                    spec.expertise.push(1 % o.genres);
                }
            }
        }
    }
    let entries: Vec<EntrySpec> = (0..o.entries)
        .map(|_| EntrySpec {
            genre: pick_genre(&mut rng),
            unit: Some(
                if o.unit_skew > 0.0 && rng.random_bool(o.unit_skew.min(1.0)) {
                    0
                } else {
                    rng.random_range(0..o.units)
                },
            ),
            judges_wanted: None,
        })
        .collect();
    let mut conflicts = Vec::new();
    for e in 0..o.entries as u32 {
        if rng.random_bool(o.personal_share) {
            for _ in 0..rng.random_range(1..=3) {
                conflicts.push(Pair {
                    entry: e,
                    judge: rng.random_range(0..o.judges as u32),
                });
            }
        }
    }
    AssignmentRequest {
        entries,
        judges,
        judges_per_entry: o.per_entry,
        conflicts,
        forced: Vec::new(),
        existing: Vec::new(),
        same_unit_is_conflict: true,
        costs: CostModel {
            non_expert_cost: o.non_expert_cost,
            load_step: o.load_step,
        },
    }
}

/// Independent check of the result against the raw instance.
fn verify(req: &AssignmentRequest, judges_of_entry: &[Vec<u32>]) -> Result<(), String> {
    let mut load = vec![0u32; req.judges.len()];
    let conflicts: std::collections::HashSet<(u32, u32)> =
        req.conflicts.iter().map(|p| (p.entry, p.judge)).collect();
    for (e, js) in judges_of_entry.iter().enumerate() {
        let mut sorted = js.clone();
        sorted.dedup();
        if sorted.len() != js.len() {
            return Err(format!("entry {e} has a judge twice"));
        }
        for &j in js {
            let same_unit = req.entries[e].unit == req.judges[j as usize].unit;
            if same_unit || conflicts.contains(&(e as u32, j)) {
                return Err(format!("entry {e} given to conflicted judge {j}"));
            }
            load[j as usize] += 1;
        }
    }
    for (j, l) in load.iter().enumerate() {
        if *l > req.judges[j].capacity {
            return Err(format!("judge {j} over capacity"));
        }
    }
    Ok(())
}

fn write_instance(req: &AssignmentRequest, path: &PathBuf) -> std::io::Result<()> {
    let mut w = BufWriter::new(File::create(path)?);
    writeln!(w, "hoithi-assign-instance 1")?;
    writeln!(
        w,
        "{} {} {} {} {}",
        req.entries.len(),
        req.judges.len(),
        req.judges_per_entry,
        req.costs.non_expert_cost,
        req.costs.load_step
    )?;
    for j in &req.judges {
        write!(
            w,
            "{} {} {}",
            j.capacity,
            j.unit.unwrap_or(u32::MAX),
            j.expertise.len()
        )?;
        for g in &j.expertise {
            write!(w, " {g}")?;
        }
        writeln!(w)?;
    }
    for e in &req.entries {
        writeln!(w, "{} {}", e.genre, e.unit.unwrap_or(u32::MAX))?;
    }
    writeln!(w, "{}", req.conflicts.len())?;
    for p in &req.conflicts {
        writeln!(w, "{} {}", p.entry, p.judge)?;
    }
    w.flush()
}

fn main() {
    let o = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let t0 = Instant::now();
    let req = instance(&o);
    let gen_time = t0.elapsed();
    let t1 = Instant::now();
    let result = match assign(&req) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("assignment failed: {e}");
            std::process::exit(1);
        }
    };
    let solve_time = t1.elapsed();
    if let Err(e) = verify(&req, &result.judges_of_entry) {
        eprintln!("INVALID assignment: {e}");
        std::process::exit(1);
    }
    let pairs: usize = result.judges_of_entry.iter().map(Vec::len).sum();
    let (lo, hi) = (
        result.load.iter().min().copied().unwrap_or(0),
        result.load.iter().max().copied().unwrap_or(0),
    );
    println!(
        "entries={} judges={} k={} seed={} personal_conflicts={}",
        o.entries,
        o.judges,
        o.per_entry,
        o.seed,
        req.conflicts.len()
    );
    println!(
        "model: classes={} nodes={} arcs={} phases={} rounds={} promoted={}",
        result.stats.classes,
        result.stats.nodes,
        result.stats.arcs,
        result.stats.phases,
        result.stats.rounds,
        result.stats.promoted
    );
    println!(
        "pairs={pairs} shortfalls={} load_min={lo} load_max={hi}",
        result.shortfalls.len()
    );
    println!("generate_s={:.3}", gen_time.as_secs_f64());
    println!("solve_s={:.3}", solve_time.as_secs_f64());
    println!("objective={}", result.objective);
    // Incremental run: a share of entries had diverging first scores and get one
    // more judge; every existing pair is kept.
    let mut rng = ChaCha8Rng::seed_from_u64(o.seed ^ 0x5eed);
    let disputed: Vec<u32> = (0..o.entries as u32)
        .filter(|_| rng.random_bool(o.disputed_share))
        .collect();
    let current: Vec<Pair> = result
        .judges_of_entry
        .iter()
        .enumerate()
        .flat_map(|(e, js)| {
            js.iter().map(move |&judge| Pair {
                entry: e as u32,
                judge,
            })
        })
        .collect();
    let mut second = req.clone();
    request_extra_judges(&mut second, &current, &disputed);
    let t2 = Instant::now();
    match assign(&second) {
        Ok(r) => {
            let took = t2.elapsed();
            if let Err(e) = verify(&second, &r.judges_of_entry) {
                eprintln!("INVALID incremental assignment: {e}");
                std::process::exit(1);
            }
            println!(
                "incremental: disputed={} new_pairs={} shortfalls={} classes={} rounds={} promoted={} solve_s={:.3}",
                disputed.len(),
                r.new_pairs.len(),
                r.shortfalls.len(),
                r.stats.classes,
                r.stats.rounds,
                r.stats.promoted,
                took.as_secs_f64()
            );
        }
        Err(e) => {
            eprintln!("incremental assignment failed: {e}");
            std::process::exit(1);
        }
    }
    if let Some(dir) = &o.out {
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(dir)?;
            write_instance(&req, &dir.join("instance.txt"))?;
            let mut w = BufWriter::new(File::create(dir.join("rust-result.txt"))?);
            writeln!(w, "objective {}", result.objective)?;
            writeln!(w, "solve_s {:.3}", solve_time.as_secs_f64())?;
            for js in &result.judges_of_entry {
                let line: Vec<String> = js.iter().map(u32::to_string).collect();
                writeln!(w, "{}", line.join(" "))?;
            }
            w.flush()
        };
        if let Err(e) = write() {
            eprintln!("cannot write to {}: {e}", dir.display());
            std::process::exit(1);
        }
        println!("wrote {}", dir.display());
    }
}
