//! hoithi-rush: the deadline-rush benchmark of the contests issue.
//!
//! Starts the real `hoithi serve --demo` on a fresh data folder (SQLite, or a fresh PostgreSQL
//! database), submits thousands of distinct ~200 KB DOCX entries as guests through the public
//! form on an open-loop schedule, optionally kills the server with SIGKILL halfway and restarts
//! it, then checks in the database and the file store that every receipt issued is a complete
//! entry with the file that was sent and that nothing is half-written.

mod load;
mod material;
mod server;
mod stages;
mod verify;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use sea_orm::ConnectionTrait;
use tokio::sync::Mutex;

use crate::load::Outcome;
use crate::server::{Server, ServerSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BackendArg {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ScenarioArg {
    /// The rush alone.
    Plain,
    /// The rush with the server killed (SIGKILL) and restarted in the middle.
    Kill,
    Both,
}

#[derive(Parser, Debug)]
#[command(
    name = "hoithi-rush",
    about = "Deadline rush: thousands of DOCX submissions against a real hoithi server, with and without SIGKILL, then every receipt checked"
)]
struct Args {
    /// Submissions per run.
    #[arg(long, default_value_t = 10_000)]
    submissions: usize,
    /// Seconds over which the submissions are due (open loop: one every seconds/submissions).
    #[arg(long, default_value_t = 60.0)]
    seconds: f64,
    /// Concurrent clients: at most this many submissions in flight; later ones wait their turn.
    #[arg(long, default_value_t = 200)]
    clients: usize,
    /// Size of each DOCX, in KB.
    #[arg(long, default_value_t = 200)]
    file_kb: usize,
    #[arg(long, value_enum, default_value_t = BackendArg::Both)]
    backend: BackendArg,
    #[arg(long, value_enum, default_value_t = ScenarioArg::Both)]
    scenario: ScenarioArg,
    /// When to kill the server, in seconds from the start of the rush.
    #[arg(long, default_value_t = 30.0)]
    kill_at: f64,
    /// Runs of each (backend, scenario).
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Seed of the generated entries.
    #[arg(long, default_value_t = 20_261_126)]
    seed: u64,
    /// The hoithi binary (default: `hoithi` beside this program).
    #[arg(long)]
    server: Option<PathBuf>,
    /// Where fresh PostgreSQL databases are created (and dropped after).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    pg_admin_url: String,
    /// Folder for the data folders and server logs (default: a new folder under /tmp).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Keep data folders and databases after the run.
    #[arg(long)]
    keep: bool,
    /// Run the server without its background worker (to see what the worker costs).
    #[arg(long)]
    no_worker: bool,
    /// How long a submission keeps retrying connection errors, in seconds.
    #[arg(long, default_value_t = 180.0)]
    retry_for: f64,
    /// Receipts whose private page is also opened over HTTP after the rush (a sample).
    #[arg(long, default_value_t = 200)]
    receipt_pages: usize,
    /// Write every run's figures as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Small and quick, for CI: 200 submissions over 10 s, SQLite, no kill (flags given after
    /// --smoke still apply).
    #[arg(long)]
    smoke: bool,
    /// Instead of a rush: time the server's per-submission steps on N generated files.
    #[arg(long, value_name = "N")]
    stages: Option<usize>,
    /// With --stages: also time the background copy check as its index grows to this many.
    #[arg(long, default_value_t = 2_000)]
    integrity_docs: usize,
}

const SLUG: &str = "chinh-luan-2026";

#[derive(Debug, Clone, serde::Serialize)]
struct RunReport {
    backend: &'static str,
    scenario: &'static str,
    round: usize,
    submissions: usize,
    offered_per_s: f64,
    /// From time zero to the last answer.
    duration_s: f64,
    receipts: usize,
    throughput_per_s: f64,
    post_p50_ms: f64,
    post_p99_ms: f64,
    post_max_ms: f64,
    e2e_p50_ms: f64,
    e2e_p99_ms: f64,
    e2e_max_ms: f64,
    form_p50_ms: f64,
    errors: BTreeMap<String, usize>,
    gave_up: usize,
    retried_submissions: usize,
    killed_at_s: Option<f64>,
    restart_s: Option<f64>,
    startup_s: f64,
    server_cpu_s: f64,
    client_cpu_s: f64,
    postgres_cpu_s: Option<f64>,
    machine_busy_pct: f64,
    server_peak_rss_mb: f64,
    receipt_pages_checked: usize,
    receipt_pages_bad: Vec<String>,
    verdict: verify::Verdict,
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn sorted_ms(it: impl Iterator<Item = Duration>) -> Vec<f64> {
    let mut v: Vec<f64> = it.map(|d| d.as_secs_f64() * 1000.0).collect();
    v.sort_by(|a, b| a.total_cmp(b));
    v
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

struct RunSpec<'a> {
    args: &'a Args,
    backend: &'static str,
    kill: bool,
    round: usize,
    binary: PathBuf,
    work: PathBuf,
}

async fn one_run(spec: RunSpec<'_>, subs: &[Arc<material::Submission>]) -> Result<RunReport> {
    let args = spec.args;
    let scenario = if spec.kill { "SIGKILL" } else { "plain" };
    let dir = spec
        .work
        .join(format!("{}-{}-{}", spec.backend, scenario, spec.round));
    std::fs::create_dir_all(&dir)?;
    let data_dir = dir.join("data");
    let pg_db = (spec.backend == "PostgreSQL").then(|| {
        format!(
            "hoithi_rush_{}_{}_{}",
            std::process::id(),
            scenario.to_lowercase(),
            spec.round
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
        "\n== {} · {} · round {} · {} submissions over {} s, {} clients · data {}",
        spec.backend,
        scenario,
        spec.round,
        subs.len(),
        args.seconds,
        args.clients,
        data_dir.display()
    );
    let t_start = Instant::now();
    let server = Server::start(ServerSpec {
        binary: spec.binary.clone(),
        data_dir: data_dir.clone(),
        database_url: database_url.clone(),
        port: server::free_port()?,
        worker: !args.no_worker,
    })
    .await?;
    let startup = t_start.elapsed();
    let base = server.base_url();
    let http = load::client(args.clients)?;
    let choices = load::learn_form(&http, &format!("{base}/cuoc-thi/{SLUG}/gui-bai")).await?;
    eprintln!(
        "   server up in {:.1} s; form: {} text genres, {} units, {} groups",
        startup.as_secs_f64(),
        choices.genres.len(),
        choices.units.len(),
        choices.groups.len()
    );
    let server = Arc::new(Mutex::new(server));
    let cpu0 = server.lock().await.cpu_seconds();
    let self0 = server::self_cpu_seconds();
    let pg0 = pg_db.as_ref().map(|_| server::postgres_cpu_seconds());
    let (busy0, total0) = server::machine_jiffies();

    let start = Instant::now();
    let killer = spec.kill.then(|| {
        let server = server.clone();
        let at = Duration::from_secs_f64(args.kill_at);
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
    let plan = load::Plan {
        base_url: base.clone(),
        slug: SLUG.into(),
        clients: args.clients,
        interval: Duration::from_secs_f64(args.seconds / subs.len().max(1) as f64),
        retry_for: Duration::from_secs_f64(args.retry_for),
    };
    let outcomes = load::rush(&http, plan, choices, subs, start).await;
    let kill_info = match killer {
        Some(k) => Some(k.await??),
        None => None,
    };
    let duration = outcomes.iter().map(|o| o.done).max().unwrap_or_default();
    let server_cpu = server.lock().await.cpu_seconds() - cpu0;
    let client_cpu = server::self_cpu_seconds() - self0;
    let pg_cpu = pg0.map(|p0| server::postgres_cpu_seconds() - p0);
    let (busy1, total1) = server::machine_jiffies();
    let busy_pct = 100.0 * (busy1 - busy0) as f64 / (total1 - total0).max(1) as f64;

    // A sample of private receipt pages over HTTP, while the server still runs.
    let sample: Vec<(String, String, String)> = outcomes
        .iter()
        .filter_map(|o| o.receipt.as_ref())
        .step_by((outcomes.len() / args.receipt_pages.max(1)).max(1))
        .take(args.receipt_pages)
        .map(|r| (r.code.clone(), r.key.clone(), r.sha256.clone()))
        .collect();
    let bad_pages = load::check_receipt_pages(&http, &base, &sample).await;
    let peak_rss = {
        let mut s = server.lock().await;
        let rss = s.peak_rss();
        s.stop(Duration::from_secs(30)).await?;
        rss
    };
    let verdict = verify::verify(&verify_url, &data_dir, SLUG, subs, &outcomes).await?;
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
        std::fs::remove_dir_all(&data_dir).ok();
    }
    Ok(summarize(
        &spec,
        scenario,
        subs.len(),
        &outcomes,
        Summary {
            duration,
            kill_info,
            startup,
            server_cpu,
            client_cpu,
            pg_cpu,
            busy_pct,
            peak_rss,
            sample: sample.len(),
            bad_pages,
            verdict,
        },
    ))
}

struct Summary {
    duration: Duration,
    kill_info: Option<(Duration, Duration)>,
    startup: Duration,
    server_cpu: f64,
    client_cpu: f64,
    pg_cpu: Option<f64>,
    busy_pct: f64,
    peak_rss: u64,
    sample: usize,
    bad_pages: Vec<String>,
    verdict: verify::Verdict,
}

fn summarize(
    spec: &RunSpec<'_>,
    scenario: &'static str,
    n: usize,
    outcomes: &[Outcome],
    s: Summary,
) -> RunReport {
    let ok: Vec<&Outcome> = outcomes.iter().filter(|o| o.receipt.is_some()).collect();
    let post = sorted_ms(ok.iter().filter_map(|o| o.post_latency));
    let e2e = sorted_ms(ok.iter().map(|o| o.end_to_end()));
    let form = sorted_ms(ok.iter().filter_map(|o| o.form_latency));
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for o in outcomes {
        for f in &o.failures {
            *errors.entry(f.to_string()).or_default() += 1;
        }
    }
    let duration_s = s.duration.as_secs_f64();
    RunReport {
        backend: spec.backend,
        scenario,
        round: spec.round,
        submissions: n,
        offered_per_s: n as f64 / spec.args.seconds,
        duration_s,
        receipts: ok.len(),
        throughput_per_s: ok.len() as f64 / duration_s.max(1e-9),
        post_p50_ms: pct(&post, 0.50),
        post_p99_ms: pct(&post, 0.99),
        post_max_ms: post.last().copied().unwrap_or(f64::NAN),
        e2e_p50_ms: pct(&e2e, 0.50),
        e2e_p99_ms: pct(&e2e, 0.99),
        e2e_max_ms: e2e.last().copied().unwrap_or(f64::NAN),
        form_p50_ms: pct(&form, 0.50),
        errors,
        gave_up: outcomes.iter().filter(|o| o.receipt.is_none()).count(),
        retried_submissions: outcomes.iter().filter(|o| o.attempts > 1).count(),
        killed_at_s: s.kill_info.map(|k| k.0.as_secs_f64()),
        restart_s: s.kill_info.map(|k| k.1.as_secs_f64()),
        startup_s: s.startup.as_secs_f64(),
        server_cpu_s: s.server_cpu,
        client_cpu_s: s.client_cpu,
        postgres_cpu_s: s.pg_cpu,
        machine_busy_pct: s.busy_pct,
        server_peak_rss_mb: s.peak_rss as f64 / 1_048_576.0,
        receipt_pages_checked: s.sample,
        receipt_pages_bad: s.bad_pages,
        verdict: s.verdict,
    }
}

fn errors_text(r: &RunReport) -> String {
    if r.errors.is_empty() {
        return "none".into();
    }
    r.errors
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_table(reports: &[RunReport]) {
    println!();
    println!(
        "| backend | scenario | submissions | duration s | receipts | throughput /s | POST p50 ms | POST p99 ms | POST max ms | due→receipt p50 / p99 ms | failed attempts by kind | gave up | receipts verified | missing | mismatched | half-written |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|");
    for r in reports {
        println!(
            "| {} | {}{} | {} | {:.1} | {} | {:.1} | {:.0} | {:.0} | {:.0} | {:.0} / {:.0} | {} | {} | {} / {} | {} | {} | {} |",
            r.backend,
            r.scenario,
            if r.round > 1 {
                format!(" #{}", r.round)
            } else {
                String::new()
            },
            r.submissions,
            r.duration_s,
            r.receipts,
            r.throughput_per_s,
            r.post_p50_ms,
            r.post_p99_ms,
            r.post_max_ms,
            r.e2e_p50_ms,
            r.e2e_p99_ms,
            errors_text(r),
            r.gave_up,
            r.verdict.verified,
            r.verdict.issued,
            r.verdict.missing.len(),
            r.verdict.mismatched.len(),
            r.verdict.half_written.len(),
        );
    }
    println!();
    for r in reports {
        let jobs: Vec<String> = r
            .verdict
            .jobs
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        println!(
            "- {} {} #{}: offered {:.0}/s; server up in {:.1} s{}; CPU s: server {:.1}, load tool {:.1}{}; machine busy {:.0}% of 2 cores·s; server peak RSS {:.0} MB; form GET p50 {:.0} ms; entries {} ({} without a receipt: answer cut by the kill); files not referenced {}, temp files {}; jobs after the rush: {}; receipt pages opened {} ({} wrong).",
            r.backend,
            r.scenario,
            r.round,
            r.offered_per_s,
            r.startup_s,
            match (r.killed_at_s, r.restart_s) {
                (Some(k), Some(s)) =>
                    format!("; killed at {k:.1} s, answering again {s:.2} s later"),
                _ => String::new(),
            },
            r.server_cpu_s,
            r.client_cpu_s,
            r.postgres_cpu_s
                .map(|p| format!(", all postgres processes {p:.1}"))
                .unwrap_or_default(),
            r.machine_busy_pct,
            r.server_peak_rss_mb,
            r.form_p50_ms,
            r.verdict.entries,
            r.verdict.without_receipt,
            r.verdict.unreferenced_files,
            r.verdict.temp_files,
            jobs.join(", "),
            r.receipt_pages_checked,
            r.receipt_pages_bad.len(),
        );
        for (what, list) in [
            ("missing", &r.verdict.missing),
            ("mismatched", &r.verdict.mismatched),
            ("half-written", &r.verdict.half_written),
        ] {
            for item in list.iter().take(10) {
                println!("    {what}: {item}");
            }
        }
    }
}

fn default_server() -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let p = exe.parent().context("the program's folder")?.join("hoithi");
    if !p.exists() {
        bail!(
            "{} not found: build it (cargo build --release -p hoithi) or pass --server",
            p.display()
        );
    }
    Ok(p)
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = Args::parse();
    if args.smoke {
        // Explicit flags keep their values only when they differ from the defaults.
        if args.submissions == 10_000 {
            args.submissions = 200;
        }
        if args.seconds == 60.0 {
            args.seconds = 10.0;
        }
        if args.clients == 200 {
            args.clients = 32;
        }
        if args.backend == BackendArg::Both {
            args.backend = BackendArg::Sqlite;
        }
        if args.scenario == ScenarioArg::Both {
            args.scenario = ScenarioArg::Plain;
        }
        if args.receipt_pages == 200 {
            args.receipt_pages = 50;
        }
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    if let Some(n) = args.stages {
        let t0 = Instant::now();
        let subs = material::all(args.seed, n, args.file_kb * 1024, threads);
        eprintln!(
            "generated {n} DOCX files in {:.1} s",
            t0.elapsed().as_secs_f64()
        );
        let dir = args
            .work_dir
            .clone()
            .unwrap_or_else(std::env::temp_dir)
            .join(format!("hoithi-rush-stages-{}", std::process::id()));
        return stages::run(&subs, &dir, args.integrity_docs);
    }
    let binary = match &args.server {
        Some(p) => p.clone(),
        None => default_server()?,
    };
    let work = match &args.work_dir {
        Some(w) => w.clone(),
        None => std::env::temp_dir().join(format!("hoithi-rush-{}", std::process::id())),
    };
    std::fs::create_dir_all(&work)?;

    let t0 = Instant::now();
    let subs: Vec<Arc<material::Submission>> =
        material::all(args.seed, args.submissions, args.file_kb * 1024, threads)
            .into_iter()
            .map(Arc::new)
            .collect();
    let bytes: usize = subs.iter().map(|s| s.file.len()).sum();
    let words: Vec<usize> = subs.iter().map(|s| s.words).collect();
    eprintln!(
        "generated {} DOCX files ({:.1} MB, {:.0}–{:.0} KB each; {}–{} words) in {:.1} s",
        subs.len(),
        bytes as f64 / 1e6,
        subs.iter().map(|s| s.file.len()).min().unwrap_or(0) as f64 / 1024.0,
        subs.iter().map(|s| s.file.len()).max().unwrap_or(0) as f64 / 1024.0,
        words.iter().min().unwrap_or(&0),
        words.iter().max().unwrap_or(&0),
        t0.elapsed().as_secs_f64()
    );

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
                let r = one_run(
                    RunSpec {
                        args: &args,
                        backend,
                        kill: *kill,
                        round,
                        binary: binary.clone(),
                        work: work.clone(),
                    },
                    &subs,
                )
                .await
                .with_context(|| format!("{backend} run, round {round}"))?;
                eprintln!(
                    "   {} receipts of {} in {:.1} s ({:.1}/s); POST p50 {:.0} ms p99 {:.0} ms; verified {}/{}, missing {}, half-written {}",
                    r.receipts,
                    r.submissions,
                    r.duration_s,
                    r.throughput_per_s,
                    r.post_p50_ms,
                    r.post_p99_ms,
                    r.verdict.verified,
                    r.verdict.issued,
                    r.verdict.missing.len(),
                    r.verdict.half_written.len()
                );
                reports.push(r);
            }
        }
    }
    print_table(&reports);
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_vec_pretty(&reports)?)?;
    }
    if !args.keep && reports.iter().all(|r| r.verdict.ok()) && args.work_dir.is_none() {
        std::fs::remove_dir_all(&work).ok();
    }
    let lost = reports
        .iter()
        .any(|r| !r.verdict.ok() || !r.receipt_pages_bad.is_empty());
    let failed = reports.iter().any(|r| r.gave_up > 0);
    if lost {
        eprintln!("FAILED: a receipt issued is missing, differs, or an entry is half-written");
        std::process::exit(1);
    }
    if failed {
        eprintln!("FAILED: some submissions got no receipt");
        std::process::exit(2);
    }
    Ok(())
}
