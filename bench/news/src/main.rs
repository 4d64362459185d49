//! hoithi-news-bench: the news issue's benchmark. Starts hoithi with its demo (SQLite, a fresh
//! folder), takes the demo story's page as an anonymous reader gets it, serves the very same
//! bytes from a bare axum handler, and loads both in the same run with the same small load
//! generator: `--readers` concurrent keep-alive connections for `--seconds` each. Prints
//! requests per second, p50/p99 latency, the page's weight (HTML + CSS) and the ratio.
//!
//! `cargo run --release -p hoithi-news-bench` (add `-- --smoke` for a few seconds).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

struct Args {
    readers: usize,
    seconds: f64,
}

fn args() -> Args {
    let mut a = Args {
        readers: 200,
        seconds: 10.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--smoke" => a.seconds = 2.0,
            "--readers" => a.readers = it.next().and_then(|v| v.parse().ok()).unwrap_or(200),
            "--seconds" => a.seconds = it.next().and_then(|v| v.parse().ok()).unwrap_or(10.0),
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

struct Run {
    requests: usize,
    errors: usize,
    elapsed: f64,
    latencies: Vec<Duration>,
}

impl Run {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed
    }
    fn pct(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i].as_secs_f64() * 1000.0
    }
}

/// `readers` tasks, each on its own keep-alive connection, requesting `url` back to back.
async fn load(url: &str, readers: usize, seconds: f64) -> Run {
    let uri: hyper::Uri = url.parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..readers {
        let uri = uri.clone();
        tasks.push(tokio::spawn(async move {
            let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new())
                .pool_max_idle_per_host(1)
                .build_http();
            let mut lat = Vec::new();
            let mut errors = 0;
            while Instant::now() < deadline {
                let t = Instant::now();
                match client.get(uri.clone()).await {
                    Ok(res) if res.status().is_success() => {
                        let ok = res.into_body().collect().await.is_ok();
                        if ok {
                            lat.push(t.elapsed());
                        } else {
                            errors += 1;
                        }
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        latencies.extend(l);
        errors += e;
    }
    latencies.sort();
    Run {
        requests: latencies.len(),
        errors,
        elapsed: start.elapsed().as_secs_f64(),
        latencies,
    }
}

async fn get(url: &str) -> (Bytes, String) {
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let res = client.get(url.parse().unwrap()).await.unwrap();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (res.into_body().collect().await.unwrap().to_bytes(), ct)
}

/// The images a 390 px phone (device pixel ratio 2) downloads for the first screen: the
/// pictures not marked `loading="lazy"`, each at the WebP candidate a browser picks from its
/// `srcset` (the narrowest at least 780 px wide, else the widest).
async fn first_screen_images(base: &str, html: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for pic in html.split("<picture>").skip(1) {
        let pic = pic.split("</picture>").next().unwrap_or("");
        if pic.contains("loading=\"lazy\"") {
            continue;
        }
        let Some(set) = pic
            .split("type=\"image/webp\" srcset=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        else {
            continue;
        };
        let mut cands: Vec<(u32, &str)> = set
            .split(',')
            .filter_map(|c| {
                let mut it = c.split_whitespace();
                let u = it.next()?;
                let w = it.next()?.trim_end_matches('w').parse().ok()?;
                Some((w, u))
            })
            .collect();
        cands.sort();
        let pick = cands
            .iter()
            .find(|(w, _)| *w >= 780)
            .or(cands.last())
            .map(|(_, u)| u.to_string());
        if let Some(u) = pick {
            let (bytes, _) = get(&format!("{base}{}", u.replace("&amp;", "&"))).await;
            out.push((u, bytes.len()));
        }
    }
    out
}

fn main() {
    let a = args();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let dir = tempfile::tempdir().unwrap();
        let mut config = hoithi_web::config::Config::for_data_dir(dir.path());
        config.addr = "127.0.0.1:0".parse().unwrap();
        config.demo = true;
        let app = hoithi_web::app::Application::build(config).await.unwrap();
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        let story = hoithi_storage::repo::news::published(
            &state.db,
            hoithi_storage::time::now(),
            Default::default(),
            1,
            50,
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|p| p.title.starts_with("Hàm Yên mở lớp"))
        .expect("the demo story");
        let url = format!("{base}/tin/{}", story.slug);
        // The demo's photos are resized by a job after the start: wait for the story's own
        // first picture (eager), not only the related posts' lazy thumbnails.
        let mut tries = 0;
        let (html, ct) = loop {
            let (html, ct) = get(&url).await;
            if String::from_utf8_lossy(&html).contains("fetchpriority=\"high\"") || tries == 600 {
                break (html, ct);
            }
            tries += 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let first_screen = first_screen_images(&base, &String::from_utf8_lossy(&html)).await;
        let (css, _) = get(&format!("{base}/static/app.css")).await;
        let bytes = html.clone();
        let bare = axum::Router::new().route(
            "/",
            axum::routing::get(move || {
                let b = bytes.clone();
                let ct = ct.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, ct)], b) }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, bare).await.unwrap() });
        let bare_url = format!("http://{addr}/");
        // Warm both.
        load(&url, 8, 0.5).await;
        load(&bare_url, 8, 0.5).await;
        let runs: Vec<(&str, Arc<Run>)> = vec![
            (
                "news post page",
                Arc::new(load(&url, a.readers, a.seconds).await),
            ),
            (
                "bare axum, same bytes",
                Arc::new(load(&bare_url, a.readers, a.seconds).await),
            ),
        ];
        println!(
            "page weight: HTML {} B + CSS {} B = {:.1} KB",
            html.len(),
            css.len(),
            (html.len() + css.len()) as f64 / 1024.0
        );
        println!(
            "first screen at 390 px, device pixel ratio 2: {} image(s), {:.1} KB ({})",
            first_screen.len(),
            first_screen.iter().map(|(_, n)| *n).sum::<usize>() as f64 / 1024.0,
            first_screen
                .iter()
                .map(|(u, n)| format!("{u} {n} B"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!("{} readers, {:.0} s each", a.readers, a.seconds);
        for (name, r) in &runs {
            println!(
                "{name:>24}: {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  errors {}",
                r.rps(),
                r.pct(0.50),
                r.pct(0.99),
                r.errors
            );
        }
        println!(
            "ratio: the post page at {:.0}% of the bare handler's throughput",
            100.0 * runs[0].1.rps() / runs[1].1.rps().max(1.0)
        );
    });
}
