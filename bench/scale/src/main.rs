//! Page latency with many entries. Starts the real server (demo data set, SQLite or a fresh
//! PostgreSQL database), adds a national contest over a tree of 20 provinces × 10 districts ×
//! 10 communes, loads entries in bulk up to each requested size, and times the dashboard and
//! entry-list pages as the organizer, a district and a commune see them. The same pages at
//! two sizes, side by side, show whether a page's cost grows with the number of entries.
//!
//! Usage: hoithi-scale [--entries 50000,500000] [--requests 200] [--postgres] [--smoke]

use std::time::{Duration, Instant};

use hoithi_storage::entity::{entry, entry_author};
use hoithi_storage::repo::{contests, grants, participation, units};
use hoithi_web::{Application, Config};
use sea_orm::{ConnectionTrait, EntityTrait, Set, TransactionTrait};

const SLUG: &str = "quoc-gia-2026";
const ORGANIZER: (&str, &str) = ("bantochuc@hoithi.demo", "demo-bantochuc");
const DISTRICT: (&str, &str) = ("tuyengiao.hamyen@hoithi.demo", "demo-hamyen");
const COMMUNE: (&str, &str) = ("thaison@hoithi.demo", "demo-thaison");

struct Args {
    sizes: Vec<usize>,
    requests: usize,
    postgres: bool,
}

fn args() -> Args {
    let mut a = Args {
        sizes: vec![50_000, 500_000],
        requests: 200,
        postgres: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--entries" => {
                a.sizes = it
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|s| s.trim().replace('_', "").parse().ok())
                    .collect();
            }
            "--requests" => a.requests = it.next().and_then(|s| s.parse().ok()).unwrap_or(200),
            "--postgres" => a.postgres = true,
            "--smoke" => {
                a.sizes = vec![2_000, 10_000];
                a.requests = 20;
            }
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    a.sizes.sort_unstable();
    a
}

async fn fresh_postgres() -> String {
    let admin = std::env::var("HOITHI_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("hoithi_scale_{}", std::process::id());
    let db = hoithi_storage::Db::connect(&admin)
        .await
        .expect("PostgreSQL");
    let _ = db
        .conn
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await;
    db.conn
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create database");
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    format!("{base}/{name}")
}

/// A small deterministic generator, so that every run loads the same entries.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "niềm", "tin", "nhân", "dân", "Đảng", "cơ", "sở", "thôn", "bản", "cán", "bộ", "đảng", "viên",
    "tư", "tưởng", "vững", "chắc", "đấu", "tranh", "phản", "bác", "quan", "điểm", "sai", "trái",
    "xây", "dựng", "chỉnh", "đốn", "thực", "tiễn", "địa", "phương", "thanh", "niên", "chi",
];

struct Setup {
    contest_id: i64,
    genres: Vec<i64>,
    groups: Vec<i64>,
    /// (unit id, path) of every commune-level unit that collects entries.
    communes: Vec<(i64, hoithi_storage::types::UnitPath)>,
    province: i64,
}

async fn setup(state: &hoithi_web::state::AppState) -> Setup {
    let db = &state.db;
    let root = units::children(db, None).await.unwrap().remove(0);
    let mut provinces = Vec::new();
    let mut communes = Vec::new();
    for p in 0..20 {
        let prov = units::create(
            db,
            units::NewUnit {
                code: format!("P{p:02}"),
                name: format!("Tỉnh thử nghiệm {p}"),
                name_key: hoithi_text::sort::sort_key(&format!("Tỉnh thử nghiệm {p}")),
                kind: "province".into(),
                parent_id: Some(root.id),
                headcount: Some(50_000),
            },
        )
        .await
        .unwrap();
        for d in 0..10 {
            let dist = units::create(
                db,
                units::NewUnit {
                    code: format!("P{p:02}D{d:02}"),
                    name: format!("Huyện {p}.{d}"),
                    name_key: hoithi_text::sort::sort_key(&format!("Huyện {p}.{d}")),
                    kind: "district".into(),
                    parent_id: Some(prov.id),
                    headcount: Some(5_000),
                },
            )
            .await
            .unwrap();
            for c in 0..10 {
                let com = units::create(
                    db,
                    units::NewUnit {
                        code: format!("P{p:02}D{d:02}C{c:02}"),
                        name: format!("Xã {p}.{d}.{c}"),
                        name_key: hoithi_text::sort::sort_key(&format!("Xã {p}.{d}.{c}")),
                        kind: "commune".into(),
                        parent_id: Some(dist.id),
                        headcount: Some(500),
                    },
                )
                .await
                .unwrap();
                communes.push((com.id, com.path));
            }
        }
        provinces.push(prov.id);
    }
    // The demo province (Tuyên Quang) takes part too, so that the demo's district and commune
    // coordinators have their share of the entries.
    let tq = units::by_code(db, "TQ")
        .await
        .unwrap()
        .expect("demo province");
    provinces.push(tq.id);
    for u in units::list(db, Some(tq.path.as_str())).await.unwrap() {
        if u.kind == "commune" || u.code.starts_with("HY-") {
            communes.push((u.id, u.path));
        }
    }
    let now = chrono::Utc::now();
    let k = contests::create(
        db,
        contests::NewContest {
            slug: SLUG.into(),
            title: "Cuộc thi chính luận toàn quốc (đo tải)".into(),
            description: String::new(),
            rules: String::new(),
            organizer_unit_id: root.id,
            opens_at: now - chrono::Duration::days(60),
            closes_at: now + chrono::Duration::days(1),
            published: true,
            collecting_units: provinces.clone(),
            genres: hoithi_web::contests::service::default_genres(),
            groups: hoithi_web::contests::service::default_groups(),
        },
    )
    .await
    .unwrap();
    let organizer = hoithi_storage::repo::users::find_by_login(db, ORGANIZER.0)
        .await
        .unwrap()
        .expect("demo organizer");
    grants::add(
        db,
        grants::NewGrant {
            user_id: organizer.id,
            role: "organizer".into(),
            unit_id: None,
            resource_kind: Some("contest".into()),
            resource_id: Some(k.id),
        },
    )
    .await
    .unwrap();
    Setup {
        contest_id: k.id,
        genres: contests::genres(db, k.id)
            .await
            .unwrap()
            .iter()
            .map(|g| g.id)
            .collect(),
        groups: contests::groups(db, k.id)
            .await
            .unwrap()
            .iter()
            .map(|g| g.id)
            .collect(),
        communes,
        province: provinces[0],
    }
}

/// Adds entries `from..to` in batches, each batch one transaction.
async fn load(state: &hoithi_web::state::AppState, s: &Setup, from: usize, to: usize) {
    let db = &state.db;
    let mut rng = Rng(0x5eed ^ from as u64);
    let start = chrono::Utc::now() - chrono::Duration::days(59);
    let id_base = 10_000_000i64;
    let batch = 400;
    let mut i = from;
    while i < to {
        let end = (i + batch).min(to);
        let mut es = Vec::with_capacity(end - i);
        let mut authors = Vec::with_capacity(end - i);
        for n in i..end {
            let (unit_id, path) = &s.communes[rng.next(s.communes.len())];
            let words: Vec<&str> = (0..400).map(|_| WORDS[rng.next(WORDS.len())]).collect();
            let body = words.join(" ");
            let title = format!(
                "{} {} {} số {n}",
                WORDS[rng.next(WORDS.len())],
                WORDS[rng.next(WORDS.len())],
                WORDS[rng.next(WORDS.len())]
            );
            // Most entries arrive in the last days, as in real contests.
            let u = rng.next(10_000) as f64 / 10_000.0;
            let t = start + chrono::Duration::seconds((59.0 * 86_400.0 * u.powf(0.3)) as i64);
            let id = id_base + n as i64;
            let status = match rng.next(20) {
                0 => "disqualified",
                1..=6 => "eligible",
                7 => "withdrawn",
                _ => "submitted",
            };
            let phone = format!("09{:08}", n);
            es.push(entry::ActiveModel {
                id: Set(id),
                contest_id: Set(s.contest_id),
                genre_id: Set(s.genres[rng.next(2)]),
                unit_id: Set(*unit_id),
                unit_path: Set(path.clone()),
                receipt_code: Set(format!("HT-S{n:08}")),
                title_key: Set(hoithi_text::sort::sort_key(&title)),
                title: Set(title),
                pen_name: Set(String::new()),
                status: Set(hoithi_storage::status::EntryStatus::parse(status).expect("a status")),
                status_reason: Set(String::new()),
                word_count: Set(400 + rng.next(2500) as i32),
                body: Set(body),
                file_sha256: Set(None),
                file_name: Set(None),
                media_link: Set(None),
                flags: Set(if rng.next(10) == 0 {
                    "[\"word_limits\"]".into()
                } else {
                    "[]".into()
                }),
                submitter_user_id: Set(None),
                access_token_hash: Set(None),
                contact: Set(phone.clone()),
                author_key: Set(format!("tac gia {n}|{phone}")),
                version: Set(1),
                submitted_at: Set(t),
                updated_at: Set(t),
                withdrawn_at: Set((status == "withdrawn").then_some(t)),
                form_token: Set(None),
            });
            authors.push(entry_author::ActiveModel {
                entry_id: Set(id),
                position: Set(0),
                full_name: Set(format!("Tác giả {n}")),
                name_key: Set(format!("tac gia {n}")),
                birth_year: Set(Some(1960 + rng.next(45) as i32)),
                workplace: Set(String::new()),
                group_id: Set(Some(s.groups[rng.next(s.groups.len())])),
                phone: Set(phone),
                email: Set(String::new()),
                ..Default::default()
            });
        }
        let txn = db.conn.begin().await.unwrap();
        entry::Entity::insert_many(es).exec(&txn).await.unwrap();
        entry_author::Entity::insert_many(authors)
            .exec(&txn)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        i = end;
        if i % 50_000 < batch {
            eprint!("\r  {i} entries loaded");
        }
    }
    eprintln!();
}

async fn sign_in(base: &str, who: (&str, &str)) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = c
        .get(format!("{base}/dang-nhap"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("")
        .to_string();
    let res = c
        .post(format!("{base}/dang-nhap"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", who.0),
            ("password", who.1),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "sign-in of {}", who.0);
    c
}

struct Timing {
    p50: f64,
    p99: f64,
    max: f64,
}

async fn time_page(c: &reqwest::Client, url: &str, n: usize) -> Timing {
    for _ in 0..3 {
        let res = c.get(url).send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        let _ = res.bytes().await;
    }
    let mut ms = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let res = c.get(url).send().await.unwrap();
        let ok = res.status() == 200;
        let _ = res.bytes().await.unwrap();
        assert!(ok, "{url}");
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let q = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    Timing {
        p50: q(0.5),
        p99: q(0.99),
        max: *ms.last().unwrap(),
    }
}

/// The URL of the page after following `n` "next" links.
async fn deep_page(c: &reqwest::Client, base: &str, first: &str, n: usize) -> String {
    let mut url = format!("{base}{first}");
    for _ in 0..n {
        let html = c.get(&url).send().await.unwrap().text().await.unwrap();
        let next = html.split("class=\"pager\">").nth(1).and_then(|p| {
            p.split("href=\"")
                .filter(|h| h.contains("sau="))
                .map(|h| {
                    h.split('"')
                        .next()
                        .unwrap()
                        .replace("&amp;", "&")
                        .replace("&#38;", "&")
                })
                .next()
        });
        match next {
            Some(n) => url = format!("{base}{n}"),
            None => break,
        }
    }
    url
}

#[tokio::main]
async fn main() {
    let a = args();
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_data_dir(dir.path());
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.demo = true;
    config.run_worker = false;
    if a.postgres {
        config.database_url = Some(fresh_postgres().await);
    }
    let backend = if a.postgres { "PostgreSQL" } else { "SQLite" };
    let app = Application::build(config).await.expect("server starts");
    let port = app.port();
    let state = app.state().clone();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stop_rx.await;
    }));
    let base = format!("http://127.0.0.1:{port}");
    let s = setup(&state).await;
    let org = sign_in(&base, ORGANIZER).await;
    let district = sign_in(&base, DISTRICT).await;
    let commune = sign_in(&base, COMMUNE).await;
    println!(
        "backend {backend}; {} requests per page after 3 warm-up; times in ms",
        a.requests
    );
    println!("| entries | page | who | p50 | p99 | max |\n|---:|---|---|---:|---:|---:|");
    let mut loaded = 0;
    for &size in &a.sizes {
        let t = Instant::now();
        load(&state, &s, loaded, size).await;
        let load_s = t.elapsed().as_secs_f64();
        loaded = size;
        let t = Instant::now();
        participation::rebuild(&state.db.conn, Some(s.contest_id))
            .await
            .unwrap();
        let rebuild_s = t.elapsed().as_secs_f64();
        // Planner statistics, as a deployment's maintenance keeps them.
        state.db.conn.execute_unprepared("ANALYZE").await.unwrap();
        eprintln!(
            "  {size} entries: bulk load {load_s:.1} s, counters rebuilt in {rebuild_s:.1} s"
        );
        let deep = deep_page(&org, &base, &format!("/cuoc-thi/{SLUG}/bai"), 20).await;
        let pages: Vec<(&str, &str, &reqwest::Client, String)> = vec![
            (
                "public contest page",
                "anyone",
                &org,
                format!("/cuoc-thi/{SLUG}"),
            ),
            (
                "dashboard, whole contest",
                "organizer",
                &org,
                format!("/cuoc-thi/{SLUG}/thong-ke"),
            ),
            (
                "dashboard, one province",
                "organizer",
                &org,
                format!("/cuoc-thi/{SLUG}/thong-ke?unit={}", s.province),
            ),
            (
                "dashboard, own district",
                "district",
                &district,
                format!("/cuoc-thi/{SLUG}/thong-ke"),
            ),
            (
                "dashboard, own commune",
                "commune",
                &commune,
                format!("/cuoc-thi/{SLUG}/thong-ke"),
            ),
            (
                "entries, newest",
                "organizer",
                &org,
                format!("/cuoc-thi/{SLUG}/bai"),
            ),
            (
                "entries, by title",
                "organizer",
                &org,
                format!("/cuoc-thi/{SLUG}/bai?sort=ten"),
            ),
            (
                "entries, by words",
                "organizer",
                &org,
                format!("/cuoc-thi/{SLUG}/bai?sort=chu"),
            ),
            (
                "entries, disqualified only",
                "organizer",
                &org,
                format!("/cuoc-thi/{SLUG}/bai?status=disqualified"),
            ),
            (
                "entries, flagged only",
                "organizer",
                &org,
                format!("/cuoc-thi/{SLUG}/bai?flagged=1"),
            ),
            (
                "entries, 21st page",
                "organizer",
                &org,
                deep.trim_start_matches(&base).to_string(),
            ),
            (
                "entries, own district",
                "district",
                &district,
                format!("/cuoc-thi/{SLUG}/bai"),
            ),
            (
                "entries, own commune",
                "commune",
                &commune,
                format!("/cuoc-thi/{SLUG}/bai"),
            ),
        ];
        for (name, who, c, path) in pages {
            let t = time_page(c, &format!("{base}{path}"), a.requests).await;
            println!(
                "| {size} | {name} | {who} | {:.1} | {:.1} | {:.1} |",
                t.p50, t.p99, t.max
            );
        }
    }
    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    if a.postgres {
        drop(state);
        let admin = std::env::var("HOITHI_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        if let Ok(db) = hoithi_storage::Db::connect(&admin).await {
            let name = format!("hoithi_scale_{}", std::process::id());
            let _ = db
                .conn
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}
