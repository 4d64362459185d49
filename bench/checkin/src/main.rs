//! hoithi-checkin-bench: the check-in load of the courses issue. A provincial conference:
//! 2,000 delegates check in within 10 minutes, 200 phones at once, mixing staff scans, self
//! check-ins with the room code and offline batches of 100 (each replayed twice), on SQLite and
//! PostgreSQL, optionally with the server killed (SIGKILL) and restarted in the middle; then the
//! database says whether every delegate was checked in exactly once.

// The server harness of the deadline rush: the same start, kill, restart and CPU figures.
#[path = "../../rush/src/server.rs"]
#[allow(dead_code)]
mod server;

mod load;
mod plan;
mod seed;
mod verify;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use sea_orm::ConnectionTrait;
use tokio::sync::{Mutex, RwLock};

use crate::server::{Server, ServerSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BackendArg {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ScenarioArg {
    Plain,
    Kill,
    Both,
}

#[derive(Parser, Debug)]
#[command(
    name = "hoithi-checkin-bench",
    about = "Check-in rush: thousands of delegates through staff scans, self check-ins and offline batches against a real hoithi server, with and without SIGKILL, then every check-in verified"
)]
struct Args {
    #[arg(long, default_value_t = 2_000)]
    delegates: usize,
    /// Seconds over which the delegates arrive (most of them in the middle).
    #[arg(long, default_value_t = 600.0)]
    seconds: f64,
    /// Phones at once: at most this many requests in flight.
    #[arg(long, default_value_t = 200)]
    phones: usize,
    /// Share of delegates scanned by staff phones (one API call each).
    #[arg(long, default_value_t = 0.5)]
    staff: f64,
    /// Share of delegates checking themselves in with the room code.
    #[arg(long, default_value_t = 0.25)]
    self_code: f64,
    /// Share of staff-scanned delegates scanned again by another phone.
    #[arg(long, default_value_t = 0.05)]
    rescan: f64,
    #[arg(long, default_value_t = 100)]
    batch_size: usize,
    #[arg(long, default_value_t = 40)]
    staff_phones: usize,
    /// Offline scanners (few, so that their batches fill up to --batch-size).
    #[arg(long, default_value_t = 2)]
    offline_phones: usize,
    #[arg(long, value_enum, default_value_t = BackendArg::Both)]
    backend: BackendArg,
    #[arg(long, value_enum, default_value_t = ScenarioArg::Both)]
    scenario: ScenarioArg,
    /// When to kill the server, in seconds from the start (default: half way).
    #[arg(long)]
    kill_at: Option<f64>,
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    #[arg(long, default_value_t = 20_261_207)]
    seed: u64,
    /// The hoithi binary (default: `hoithi` beside this program).
    #[arg(long)]
    server: Option<PathBuf>,
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    pg_admin_url: String,
    #[arg(long)]
    work_dir: Option<PathBuf>,
    #[arg(long)]
    keep: bool,
    /// How long a step keeps retrying while the server is down, in seconds.
    #[arg(long, default_value_t = 120.0)]
    retry_for: f64,
    #[arg(long)]
    json: Option<PathBuf>,
    /// Small and quick, for CI: 300 delegates over 12 s, 50 phones, batches of 25, SQLite,
    /// with SIGKILL.
    #[arg(long)]
    smoke: bool,
    /// Print what the schedule holds (steps by kind, busiest second) and exit; no server.
    #[arg(long)]
    plan_only: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
struct Latency {
    n: usize,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

#[derive(Debug, Clone, serde::Serialize)]
struct RunReport {
    backend: &'static str,
    scenario: &'static str,
    round: usize,
    delegates: usize,
    seconds: f64,
    phones: usize,
    seed_s: f64,
    duration_s: f64,
    /// Single check-ins: staff scans (first and repeated) and self check-ins.
    checkin: Latency,
    scan: Latency,
    self_code: Latency,
    batch: Latency,
    errors: std::collections::BTreeMap<String, usize>,
    killed_at_s: Option<f64>,
    restart_s: Option<f64>,
    server_cpu_s: f64,
    machine_busy_pct: f64,
    server_peak_rss_mb: f64,
    verdict: verify::Verdict,
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn latency<'a>(records: impl Iterator<Item = &'a load::Record>) -> Latency {
    let mut v: Vec<f64> = records.filter_map(|r| r.latency_ms).collect();
    v.sort_by(|a, b| a.total_cmp(b));
    Latency {
        n: v.len(),
        p50_ms: pct(&v, 0.50),
        p99_ms: pct(&v, 0.99),
        max_ms: v.last().copied().unwrap_or(f64::NAN),
    }
}

async fn pg_admin(url: &str, sql: &str) -> Result<()> {
    let conn = sea_orm::Database::connect(url)
        .await
        .with_context(|| format!("connecting to {url}"))?;
    conn.execute_unprepared(sql).await?;
    conn.close().await.ok();
    Ok(())
}

fn pg_url_for(admin: &str, db: &str) -> String {
    match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{db}"),
        None => format!("{admin}/{db}"),
    }
}

/// Today and a week later in Hà Nội, dd/mm/yyyy.
fn local_days() -> (String, String) {
    let now = chrono::Utc::now() + chrono::Duration::hours(7);
    let f = |d: chrono::DateTime<chrono::Utc>| d.format("%d/%m/%Y").to_string();
    (f(now), f(now + chrono::Duration::days(7)))
}

async fn one_run(
    args: &Args,
    backend: &'static str,
    kill: bool,
    round: usize,
    binary: &std::path::Path,
    work: &std::path::Path,
) -> Result<RunReport> {
    let scenario = if kill { "SIGKILL" } else { "plain" };
    let dir = work.join(format!("{backend}-{scenario}-{round}"));
    std::fs::create_dir_all(&dir)?;
    let data_dir = dir.join("data");
    let pg_db = (backend == "PostgreSQL").then(|| {
        format!(
            "hoithi_checkin_{}_{}_{}",
            std::process::id(),
            scenario.to_lowercase(),
            round
        )
    });
    let database_url = match &pg_db {
        Some(name) => {
            pg_admin(
                &args.pg_admin_url,
                &format!("DROP DATABASE IF EXISTS \"{name}\""),
            )
            .await?;
            pg_admin(&args.pg_admin_url, &format!("CREATE DATABASE \"{name}\"")).await?;
            Some(pg_url_for(&args.pg_admin_url, name))
        }
        None => None,
    };
    let verify_url = database_url
        .clone()
        .unwrap_or_else(|| hoithi_storage::db::default_url(&data_dir));
    eprintln!(
        "\n== {backend} · {scenario} · round {round} · {} delegates over {} s, {} phones · data {}",
        args.delegates,
        args.seconds,
        args.phones,
        data_dir.display()
    );
    let server = Server::start(ServerSpec {
        binary: binary.to_path_buf(),
        data_dir: data_dir.clone(),
        database_url,
        port: server::free_port()?,
        worker: true,
    })
    .await?;
    let base = server.base_url();

    let t_seed = Instant::now();
    let people = plan::people(args.delegates, args.seed);
    let (today, deadline) = local_days();
    let tag = format!(
        "{}-{}-{round}",
        backend.to_lowercase(),
        scenario.to_lowercase()
    );
    let seeded = seed::seed(&base, &people, &today, &deadline, &tag).await?;
    let seed_s = t_seed.elapsed().as_secs_f64();
    eprintln!(
        "   seeded through the app in {seed_s:.1} s: course {}, session {}, {} badges",
        seeded.course_id,
        seeded.session_id,
        seeded.badges.len()
    );
    let mix = mix_of(args);
    let (steps, _ways) = plan::schedule(args.delegates, args.seconds, &mix, args.seed);

    let code = Arc::new(RwLock::new(String::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let screen = tokio::spawn(load::room_screen(
        base.clone(),
        seeded.slug.clone(),
        seeded.session_id,
        code.clone(),
        stop.clone(),
    ));
    for _ in 0..100 {
        if !code.read().await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if code.read().await.is_empty() {
        bail!("the room screen shows no code");
    }

    let server = Arc::new(Mutex::new(server));
    let cpu0 = server.lock().await.cpu_seconds();
    let (busy0, total0) = server::machine_jiffies();
    let start = Instant::now();
    let killer = kill.then(|| {
        let server = server.clone();
        let at = Duration::from_secs_f64(args.kill_at.unwrap_or(args.seconds / 2.0));
        tokio::spawn(async move {
            tokio::time::sleep_until((start + at).into()).await;
            let mut s = server.lock().await;
            let killed = start.elapsed();
            s.kill9().await?;
            eprintln!("   SIGKILL at {:.2} s; restarting", killed.as_secs_f64());
            let took = s.restart().await?;
            eprintln!("   answering again after {:.2} s", took.as_secs_f64());
            anyhow::Ok((killed, took))
        })
    });
    let ctx = Arc::new(load::Ctx {
        base: base.clone(),
        seeded: seeded.clone(),
        api: load::api_client(args.phones)?,
        code,
        retry_for: Duration::from_secs_f64(args.retry_for),
        start,
        start_wall: chrono::Utc::now(),
    });
    let records = load::rush(ctx, steps, args.phones).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    screen.abort();
    let kill_info = match killer {
        Some(k) => Some(k.await??),
        None => None,
    };
    let duration = records.iter().map(|r| r.done_s).fold(0.0, f64::max);
    let server_cpu = server.lock().await.cpu_seconds() - cpu0;
    let (busy1, total1) = server::machine_jiffies();
    let busy_pct = 100.0 * (busy1 - busy0) as f64 / (total1 - total0).max(1) as f64;
    let peak_rss = {
        let mut s = server.lock().await;
        let rss = s.peak_rss();
        s.stop(Duration::from_secs(30)).await?;
        rss
    };
    let verdict = verify::verify(&verify_url, seeded.session_id, args.delegates, &records).await?;
    if let Some(name) = &pg_db
        && !args.keep
    {
        pg_admin(
            &args.pg_admin_url,
            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        )
        .await?;
    }
    if !args.keep && verdict.ok() {
        std::fs::remove_dir_all(&dir).ok();
    }
    let mut errors = std::collections::BTreeMap::new();
    for r in &records {
        for e in &r.errors {
            *errors.entry(e.clone()).or_insert(0) += 1;
        }
        if let Some(f) = &r.failed {
            *errors.entry(format!("failed: {f}")).or_insert(0) += 1;
        }
    }
    Ok(RunReport {
        backend,
        scenario,
        round,
        delegates: args.delegates,
        seconds: args.seconds,
        phones: args.phones,
        seed_s,
        duration_s: duration,
        checkin: latency(
            records
                .iter()
                .filter(|r| matches!(r.kind, "scan" | "rescan" | "self")),
        ),
        scan: latency(
            records
                .iter()
                .filter(|r| matches!(r.kind, "scan" | "rescan")),
        ),
        self_code: latency(records.iter().filter(|r| r.kind == "self")),
        batch: latency(
            records
                .iter()
                .filter(|r| matches!(r.kind, "batch" | "replay")),
        ),
        errors,
        killed_at_s: kill_info.map(|k| k.0.as_secs_f64()),
        restart_s: kill_info.map(|k| k.1.as_secs_f64()),
        server_cpu_s: server_cpu,
        machine_busy_pct: busy_pct,
        server_peak_rss_mb: peak_rss as f64 / 1_048_576.0,
        verdict,
    })
}

fn mix_of(args: &Args) -> plan::Mix {
    plan::Mix {
        staff: args.staff,
        self_code: args.self_code,
        rescan: args.rescan,
        batch_size: args.batch_size,
        staff_phones: args.staff_phones,
        offline_phones: args.offline_phones,
        replay_gap: (args.seconds / 60.0).clamp(1.0, 10.0),
    }
}

fn print_plan(args: &Args) {
    let (steps, ways) = plan::schedule(args.delegates, args.seconds, &mix_of(args), args.seed);
    let mut kinds = std::collections::BTreeMap::new();
    let mut per_second = std::collections::BTreeMap::new();
    let mut checkins = 0;
    for s in &steps {
        let (kind, n) = match &s.action {
            plan::Action::Scan { again: false, .. } => ("scan", 1),
            plan::Action::Scan { again: true, .. } => ("rescan", 1),
            plan::Action::SelfCode { .. } => ("self", 1),
            plan::Action::Batch {
                upload: 0, items, ..
            } => ("batch", items.len()),
            plan::Action::Batch { items, .. } => ("replay", items.len()),
        };
        let e = kinds.entry(kind).or_insert((0usize, 0usize));
        e.0 += 1;
        e.1 += n;
        checkins += n;
        *per_second.entry(s.due as u64).or_insert(0) += 1;
    }
    let count = |w: plan::Way| ways.iter().filter(|x| **x == w).count();
    println!(
        "{} delegates over {} s: {} by staff, {} self, {} offline",
        args.delegates,
        args.seconds,
        count(plan::Way::Staff),
        count(plan::Way::SelfCode),
        count(plan::Way::Offline)
    );
    for (k, (steps, items)) in &kinds {
        println!("  {k}: {steps} requests, {items} check-ins");
    }
    let busiest = per_second.iter().max_by_key(|(_, n)| **n);
    println!(
        "  {} requests carrying {checkins} check-ins; busiest second: {:?}",
        steps.len(),
        busiest
    );
}

fn print_table(reports: &[RunReport]) {
    println!(
        "\n| backend | scenario | round | check-in p50 / p99 / max (ms) | scan p99 | self p99 | batch of 100 p50 / p99 (ms) | rows | missing | doubled | unanswered | refused | errors (retried) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in reports {
        let retried: usize = r
            .errors
            .iter()
            .filter(|(k, _)| !k.starts_with("failed"))
            .map(|(_, v)| v)
            .sum();
        println!(
            "| {} | {} | {} | {:.1} / {:.1} / {:.1} | {:.1} | {:.1} | {:.1} / {:.1} | {} | {} | {} | {} | {} | {} |",
            r.backend,
            r.scenario,
            r.round,
            r.checkin.p50_ms,
            r.checkin.p99_ms,
            r.checkin.max_ms,
            r.scan.p99_ms,
            r.self_code.p99_ms,
            r.batch.p50_ms,
            r.batch.p99_ms,
            r.verdict.rows,
            r.verdict.missing,
            r.verdict.doubled,
            r.verdict.unanswered,
            r.verdict.refused,
            retried
        );
    }
    for r in reports {
        println!(
            "  {} {} #{}: seeded in {:.1} s; last answer at {:.1} s; server CPU {:.1} s; machine busy {:.0} %; peak RSS {:.0} MB{}; errors {:?}",
            r.backend,
            r.scenario,
            r.round,
            r.seed_s,
            r.duration_s,
            r.server_cpu_s,
            r.machine_busy_pct,
            r.server_peak_rss_mb,
            match (r.killed_at_s, r.restart_s) {
                (Some(k), Some(s)) =>
                    format!("; killed at {k:.1} s, answering again after {s:.1} s"),
                _ => String::new(),
            },
            r.errors
        );
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = Args::parse();
    if args.smoke {
        args.delegates = 300;
        args.seconds = 12.0;
        args.phones = 50;
        args.staff_phones = 10;
        args.offline_phones = 2;
        args.batch_size = 25;
        args.backend = BackendArg::Sqlite;
        args.scenario = ScenarioArg::Kill;
    }
    if args.plan_only {
        print_plan(&args);
        return Ok(());
    }
    let binary = match &args.server {
        Some(p) => p.clone(),
        None => std::env::current_exe()?
            .parent()
            .context("no folder for this program")?
            .join("hoithi"),
    };
    if !binary.exists() {
        bail!(
            "{} not found (build it: cargo build -p hoithi)",
            binary.display()
        );
    }
    let work = match &args.work_dir {
        Some(w) => w.clone(),
        None => std::env::temp_dir().join(format!("hoithi-checkin-{}", std::process::id())),
    };
    std::fs::create_dir_all(&work)?;
    let backends: Vec<&'static str> = match args.backend {
        BackendArg::Sqlite => vec!["SQLite"],
        BackendArg::Postgres => vec!["PostgreSQL"],
        BackendArg::Both => vec!["SQLite", "PostgreSQL"],
    };
    let kills: Vec<bool> = match args.scenario {
        ScenarioArg::Plain => vec![false],
        ScenarioArg::Kill => vec![true],
        ScenarioArg::Both => vec![false, true],
    };
    let mut reports = Vec::new();
    for round in 1..=args.repeat {
        for backend in &backends {
            for kill in &kills {
                let r = one_run(&args, backend, *kill, round, &binary, &work).await?;
                print_table(std::slice::from_ref(&r));
                reports.push(r);
            }
        }
    }
    print_table(&reports);
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&reports)?)?;
    }
    let bad: Vec<_> = reports.iter().filter(|r| !r.verdict.ok()).collect();
    if !bad.is_empty() {
        bail!(
            "{} run(s) lost, doubled or left check-ins unanswered",
            bad.len()
        );
    }
    Ok(())
}
