//! One helper starts the real server on a random port against a fresh database: SQLite by
//! default, PostgreSQL when HOITHI_TEST_DATABASE=postgres (a new database per test).
#![allow(dead_code)]

pub mod submissions;

use hoithi_web::{Application, Config};
use sea_orm::ConnectionTrait;

pub struct TestApp {
    pub base: String,
    pub state: hoithi_web::state::AppState,
    pub _dir: tempfile::TempDir,
}

pub fn backend_is_postgres() -> bool {
    std::env::var("HOITHI_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

async fn fresh_postgres() -> String {
    let admin = std::env::var("HOITHI_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("hoithi_t_{}", rand_suffix());
    let db = hoithi_storage::Db::connect(&admin)
        .await
        .expect("PostgreSQL for tests is reachable");
    db.conn
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin);
    format!("{base}/{name}")
}

fn rand_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{:x}{:x}", n, std::process::id())
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::for_data_dir(dir.path());
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.demo = true;
    if backend_is_postgres() {
        config.database_url = Some(fresh_postgres().await);
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
        _dir: dir,
    }
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

/// A database for a test that builds its data before the application starts: a fresh
/// PostgreSQL database (HOITHI_TEST_DATABASE=postgres), or `None` for SQLite in the data folder.
pub async fn fresh_database_url() -> Option<String> {
    if backend_is_postgres() {
        Some(fresh_postgres().await)
    } else {
        None
    }
}

/// Starts the application on a data folder and database a test prepared (see
/// [`fresh_database_url`]); the demo loads only into an empty database.
pub async fn spawn_app_in(dir: tempfile::TempDir, database_url: Option<String>) -> TestApp {
    let mut config = Config::for_data_dir(dir.path());
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.demo = true;
    config.database_url = database_url;
    let app = Application::build(config)
        .await
        .expect("application builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        base,
        state,
        _dir: dir,
    }
}

impl TestApp {
    /// Waits until the worker has taken job `id` to `status` (done, failed, pending after a
    /// failed attempt…) and returns the row; fails the test after `within`. Polls the row, so
    /// it returns as soon as the state is reached.
    pub async fn job_reaches(
        &self,
        id: i64,
        status: hoithi_storage::status::JobStatus,
        within: std::time::Duration,
    ) -> hoithi_storage::entity::job::Model {
        let deadline = std::time::Instant::now() + within;
        loop {
            let job = hoithi_storage::repo::jobs::get(&self.state.db, id)
                .await
                .expect("the job exists");
            if job.status == status {
                return job;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "job {id} ({}) is {} after {within:?}, not {status}: {:?}",
                job.kind,
                job.status,
                job.last_error
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}
