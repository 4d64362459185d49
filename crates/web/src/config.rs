use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the web application needs to start. Built by the CLI from flags and
/// environment variables, or by tests.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// `None` means the SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// Load the demo data set into an empty database.
    pub demo: bool,
    /// With the demo, check its entries for copied text at once (off in tests that do not
    /// look at copy checks: 240 checks would only slow them down).
    pub demo_checks: bool,
    /// Mark cookies `Secure` (set when served over HTTPS, e.g. behind a TLS proxy).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes (uploads included).
    pub max_body_bytes: usize,
    pub session_ttl_hours: i64,
    /// Run the background job worker in this instance.
    pub run_worker: bool,
    /// Jobs run at the same time by this instance's worker: receipts and search updates keep
    /// flowing while copy checks of a rush take their turn.
    pub workers: usize,
    /// The address people reach this site at (for links in messages), without a trailing slash.
    pub public_url: String,
    /// Mail server, e.g. `smtps://user:password@mail.example.vn` or
    /// `smtp://127.0.0.1:25`; without one, messages are written to `<data>/outbox/`.
    pub smtp_url: Option<String>,
    /// The sender of messages, e.g. `Ban tổ chức <no-reply@example.vn>`.
    pub mail_from: String,
}

impl Config {
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: data_dir.into(),
            database_url: None,
            demo: false,
            demo_checks: true,
            secure_cookies: false,
            max_body_bytes: 25 * 1024 * 1024,
            session_ttl_hours: 24 * 14,
            run_worker: true,
            workers: 2,
            public_url: "http://127.0.0.1:8080".into(),
            smtp_url: None,
            mail_from: "hoithi <no-reply@localhost>".into(),
        }
    }
}
