//! The test kit: the real server on a random port against a fresh database, SQLite by default
//! and PostgreSQL when HOITHI_TEST_DATABASE=postgres. Each test says what it starts:
//! `TestApp::empty()` (migrated, no data) or `TestApp::with_demo()` (the demo data set);
//! `spawn_app()` is the demo. PostgreSQL databases are copied from a migrated template (made
//! once per migration set) and dropped when the `TestApp` is dropped. Background jobs are
//! waited for by their state (`wait_for_jobs`, `wait_until`), and a test that leaves a job
//! failed fails at its end unless it says it expects one (`expect_failed_jobs`).
#![allow(dead_code)]

pub mod browser;
pub mod demo;
pub mod matrix;
pub mod submissions;

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hoithi_storage::status::JobStatus;
use hoithi_web::{Application, Config};
use sea_orm::ConnectionTrait;

pub struct TestApp {
    pub base: String,
    pub state: hoithi_web::state::AppState,
    /// The PostgreSQL database of this test (admin URL, name), dropped with it.
    pg: Option<(String, String)>,
    failed_jobs_expected: AtomicBool,
    pub _dir: tempfile::TempDir,
}

pub fn backend_is_postgres() -> bool {
    std::env::var("HOITHI_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

fn pg_admin_url() -> String {
    std::env::var("HOITHI_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn pg_url_for(admin: &str, name: &str) -> String {
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or_else(|| admin.to_string());
    format!("{base}/{name}")
}

/// The template's name follows the migration files, so that a changed migration gets a new
/// template and an unchanged one is reused across test runs.
fn template_name() -> String {
    use sha2::Digest;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../storage/src/migration");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("migration folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut h = sha2::Sha256::new();
    for f in files {
        h.update(std::fs::read(&f).unwrap_or_default());
    }
    let hex: String = h.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("hoithi_tpl_{hex}")
}

static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

/// A migrated template database, made once (an advisory lock keeps concurrent test processes
/// from making it twice).
async fn template(admin: &str) -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = template_name();
            let db = hoithi_storage::Db::connect(admin)
                .await
                .expect("PostgreSQL for tests is reachable");
            db.conn
                .execute_unprepared("SELECT pg_advisory_lock(7320099)")
                .await
                .unwrap();
            let exists = db
                .conn
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
                ))
                .await
                .unwrap()
                .is_some();
            if !exists {
                let building = format!("{name}_wip");
                db.conn
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                    .await
                    .unwrap();
                db.conn
                    .execute_unprepared(&format!("CREATE DATABASE {building}"))
                    .await
                    .unwrap();
                let tpl = hoithi_storage::Db::connect(&pg_url_for(admin, &building))
                    .await
                    .unwrap();
                tpl.migrate().await.expect("template migrates");
                tpl.conn.close().await.unwrap();
                db.conn
                    .execute_unprepared(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                    .await
                    .unwrap();
            }
            db.conn
                .execute_unprepared("SELECT pg_advisory_unlock(7320099)")
                .await
                .unwrap();
            db.conn.close().await.unwrap();
            name
        })
        .await
        .clone()
}

/// A fresh database copied from the migrated template.
async fn fresh_postgres() -> (String, String, String) {
    let admin = pg_admin_url();
    let tpl = template(&admin).await;
    let name = format!("hoithi_t_{}", rand_suffix());
    let db = hoithi_storage::Db::connect(&admin)
        .await
        .expect("PostgreSQL for tests is reachable");
    // Copying a template needs it idle; a concurrent copy may hold it for a moment.
    let mut tries = 0;
    loop {
        match db
            .conn
            .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {tpl}"))
            .await
        {
            Ok(_) => break,
            Err(e) if tries < 50 && e.to_string().contains("being accessed") => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(50 + 20 * tries)).await;
            }
            Err(e) => panic!("create test database: {e}"),
        }
    }
    db.conn.close().await.unwrap();
    (pg_url_for(&admin, &name), admin, name)
}

fn rand_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{:x}{:x}", n, std::process::id())
}

/// The demo data set on a fresh database.
pub async fn spawn_app() -> TestApp {
    TestApp::with_demo().await
}

/// The demo, with a change to the configuration.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    TestApp::start(true, tweak).await
}

impl TestApp {
    /// A migrated database with nothing in it.
    pub async fn empty() -> TestApp {
        TestApp::start(false, |_| {}).await
    }

    /// The demo data set (units, accounts, the demo contest and its rounds).
    pub async fn with_demo() -> TestApp {
        TestApp::start(true, |_| {}).await
    }

    pub async fn start(demo: bool, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::for_data_dir(dir.path());
        config.addr = "127.0.0.1:0".parse().unwrap();
        config.demo = demo;
        // The demo's 240 copy checks run only for tests that ask (`spawn_app_with`).
        config.demo_checks = false;
        let mut pg = None;
        if backend_is_postgres() {
            let (url, admin, name) = fresh_postgres().await;
            config.database_url = Some(url);
            pg = Some((admin, name));
        }
        tweak(&mut config);
        let app = Application::build(config)
            .await
            .expect("application builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        TestApp {
            base,
            state,
            pg,
            failed_jobs_expected: AtomicBool::new(false),
            _dir: dir,
        }
    }

    /// This test leaves failed jobs on purpose (a malformed payload, a mail server that
    /// refuses): the check at its end is skipped.
    pub fn expect_failed_jobs(&self) {
        self.failed_jobs_expected.store(true, Ordering::SeqCst);
    }

    /// Polls `check` until it answers `Some`, or fails the test after `limit` naming `what`.
    pub async fn wait_until<T, F, Fut>(&self, what: &str, limit: Duration, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let start = Instant::now();
        loop {
            if let Some(v) = check().await {
                return v;
            }
            if start.elapsed() > limit {
                panic!("waited {limit:?} for {what}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until no job of `kind` (or of any kind) is pending or running.
    pub async fn wait_for_jobs(&self, kind: Option<&str>) {
        let db = self.state.db.clone();
        let kind = kind.map(str::to_string);
        self.wait_until(
            "background jobs to finish",
            Duration::from_secs(120),
            || {
                let db = db.clone();
                let kind = kind.clone();
                async move {
                    let open = open_jobs(&db, kind.as_deref()).await;
                    (open == 0).then_some(())
                }
            },
        )
        .await
    }
}

/// Jobs still pending or running.
async fn open_jobs(db: &hoithi_storage::Db, kind: Option<&str>) -> u64 {
    use hoithi_storage::entity::job;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let mut q = job::Entity::find()
        .filter(job::Column::Status.is_in([JobStatus::Pending, JobStatus::Running]));
    if let Some(k) = kind {
        q = q.filter(job::Column::Kind.eq(k));
    }
    q.count(&db.conn).await.unwrap_or(0)
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let failing = std::thread::panicking();
        let check_jobs = !failing && !self.failed_jobs_expected.load(Ordering::SeqCst);
        let db = self.state.db.clone();
        let pg = self.pg.take();
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread of its own
        // with its own runtime does the last checks and the cleanup.
        let failed = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let failed = if check_jobs {
                    failed_jobs(&db).await
                } else {
                    Vec::new()
                };
                if let Some((admin, name)) = pg
                    && let Ok(a) = hoithi_storage::Db::connect(&admin).await
                {
                    let _ = a
                        .conn
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = a.conn.close().await;
                }
                failed
            })
        })
        .join()
        .unwrap_or_default();
        if !failed.is_empty() {
            panic!(
                "the test left {} failed job(s) behind (call expect_failed_jobs if that is its point): {failed:?}",
                failed.len()
            );
        }
    }
}

async fn failed_jobs(db: &hoithi_storage::Db) -> Vec<String> {
    use hoithi_storage::entity::job;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    // A fresh connection: the test's runtime (and the pool's tasks in it) may be gone.
    let Ok(conn) = hoithi_storage::Db::connect(db.url()).await else {
        return Vec::new();
    };
    let found = job::Entity::find()
        .filter(job::Column::Status.eq(JobStatus::Failed))
        .all(&conn.conn)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|j| format!("{} #{}: {}", j.kind, j.id, j.last_error.unwrap_or_default()))
        .collect();
    let _ = conn.conn.close().await;
    found
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("page has a csrf field");
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_string()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The body of a page fetched with a client's cookies.
    pub async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        c.get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The CSRF token a client holds for its current cookies (read off a page).
    pub async fn csrf(&self, c: &reqwest::Client) -> String {
        csrf_from(&self.page(c, "/dang-nhap").await)
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> reqwest::Client {
        let c = client();
        let token = self.csrf(&c).await;
        let res = c
            .post(self.url("/dang-nhap"))
            .form(&[
                ("csrf", token.as_str()),
                ("login", login),
                ("password", password),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "sign-in of {login} should redirect");
        c
    }

    /// A signed-in client's CSRF token, from its account page.
    pub async fn session_csrf(&self, c: &reqwest::Client) -> String {
        csrf_from(&self.page(c, "/tai-khoan").await)
    }

    pub async fn unit_id(&self, code: &str) -> i64 {
        hoithi_storage::repo::units::by_code(&self.state.db, code)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    pub async fn user_id(&self, login: &str) -> i64 {
        hoithi_storage::repo::users::find_by_login(&self.state.db, login)
            .await
            .unwrap()
            .unwrap()
            .id
    }
}

pub const ADMIN: (&str, &str) = ("admin@hoithi.demo", "demo-quantri");
pub const DISTRICT: (&str, &str) = ("tuyengiao.hamyen@hoithi.demo", "demo-hamyen");
pub const COMMUNE: (&str, &str) = ("thaison@hoithi.demo", "demo-thaison");
pub const PARTICIPANT: (&str, &str) = ("0912345678", "demo-duthi");

/// A database with nothing in it, not even migrated, for upgrade tests that build an older
/// schema and its rows before the application starts: a new PostgreSQL database
/// (HOITHI_TEST_DATABASE=postgres; not copied from the migrated template), or SQLite in the
/// data folder (`url` is `None`).
pub struct Unmigrated {
    pub url: Option<String>,
    pg: Option<(String, String)>,
}

pub async fn unmigrated_database() -> Unmigrated {
    if !backend_is_postgres() {
        return Unmigrated {
            url: None,
            pg: None,
        };
    }
    let admin = pg_admin_url();
    let name = format!("hoithi_t_{}", rand_suffix());
    let db = hoithi_storage::Db::connect(&admin)
        .await
        .expect("PostgreSQL for tests is reachable");
    db.conn
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    db.conn.close().await.unwrap();
    Unmigrated {
        url: Some(pg_url_for(&admin, &name)),
        pg: Some((admin, name)),
    }
}

/// Starts the application (which migrates) on a data folder and database a test prepared
/// (see [`unmigrated_database`]); the demo loads only into an empty database. The database is
/// dropped with the `TestApp`.
pub async fn spawn_app_in(dir: tempfile::TempDir, db: Unmigrated) -> TestApp {
    let mut config = Config::for_data_dir(dir.path());
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.demo = true;
    config.database_url = db.url;
    let app = Application::build(config)
        .await
        .expect("application builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        base,
        state,
        pg: db.pg,
        failed_jobs_expected: AtomicBool::new(false),
        _dir: dir,
    }
}
