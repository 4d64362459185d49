//! The doors open: every step of the schedule starts at its due time (open loop), at most
//! `phones` at once. A step whose connection fails or whose answer is cut (the server was
//! killed) tries again with the same `client_id`, so a retry can never count twice.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use reqwest::{Client, StatusCode};
use serde_json::json;
use tokio::sync::{RwLock, Semaphore};

use crate::plan::{Action, Step};
use crate::seed::{self, Seeded};

pub struct Ctx {
    pub base: String,
    pub seeded: Seeded,
    pub api: Client,
    /// The room screen's code, kept fresh by [`room_screen`].
    pub code: Arc<RwLock<String>>,
    pub retry_for: Duration,
    pub start: Instant,
    /// The wall clock at `start`, for `scanned_at`.
    pub start_wall: chrono::DateTime<chrono::Utc>,
}

/// What happened to one step.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Record {
    pub kind: &'static str,
    pub due_s: f64,
    pub done_s: f64,
    /// The answered attempt's time, in ms.
    pub latency_ms: Option<f64>,
    pub attempts: u32,
    /// Failed attempts, by kind.
    pub errors: Vec<String>,
    /// Check-ins the server said it recorded / already had.
    pub recorded: usize,
    pub duplicates: usize,
    pub refused: usize,
    /// Why it ended without an answer (gave up or refused outright).
    pub failed: Option<String>,
}

enum Fail {
    /// Worth trying again: the server is down or restarting.
    Again(String),
    /// An answer that will not change.
    Final(String),
}

fn kind_of(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connect".into()
    } else {
        "cut mid-request".into()
    }
}

pub fn api_client(phones: usize) -> Result<Client> {
    Ok(Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(phones)
        .timeout(Duration::from_secs(30))
        .build()?)
}

struct Answer {
    recorded: usize,
    duplicates: usize,
    refused: usize,
}

async fn scan(ctx: &Ctx, badge: &str, client_id: &str) -> Result<Answer, Fail> {
    let s = &ctx.seeded;
    let r = ctx
        .api
        .post(format!(
            "{}/api/v1/courses/{}/checkins",
            ctx.base, s.course_id
        ))
        .bearer_auth(&s.api_token)
        .json(&json!({
            "session_id": s.session_id,
            "badge": badge,
            "client_id": client_id,
            "scanned_at": chrono::Utc::now().to_rfc3339(),
        }))
        .send()
        .await
        .map_err(|e| Fail::Again(kind_of(&e)))?;
    let status = r.status();
    let body: serde_json::Value = r.json().await.map_err(|e| Fail::Again(kind_of(&e)))?;
    if status.is_server_error() {
        return Err(Fail::Again(format!("HTTP {status}")));
    }
    if !status.is_success() {
        return Err(Fail::Final(format!(
            "HTTP {status} {}",
            body["error"]["message"]
        )));
    }
    let recorded = body["recorded"].as_bool().unwrap_or(false);
    Ok(Answer {
        recorded: usize::from(recorded),
        duplicates: usize::from(!recorded),
        refused: 0,
    })
}

async fn batch(ctx: &Ctx, items: &[(usize, String, f64)]) -> Result<Answer, Fail> {
    let s = &ctx.seeded;
    let checkins: Vec<serde_json::Value> = items
        .iter()
        .map(|(d, client_id, t)| {
            let at = ctx.start_wall + chrono::Duration::milliseconds((t * 1000.0) as i64);
            json!({
                "session_id": s.session_id,
                "badge": s.badges[*d],
                "client_id": client_id,
                "scanned_at": at.to_rfc3339(),
            })
        })
        .collect();
    let r = ctx
        .api
        .post(format!(
            "{}/api/v1/courses/{}/checkins/batch",
            ctx.base, s.course_id
        ))
        .bearer_auth(&s.api_token)
        .json(&json!({ "checkins": checkins }))
        .send()
        .await
        .map_err(|e| Fail::Again(kind_of(&e)))?;
    let status = r.status();
    let body: serde_json::Value = r.json().await.map_err(|e| Fail::Again(kind_of(&e)))?;
    if status.is_server_error() {
        return Err(Fail::Again(format!("HTTP {status}")));
    }
    if !status.is_success() {
        return Err(Fail::Final(format!(
            "HTTP {status} {}",
            body["error"]["message"]
        )));
    }
    Ok(Answer {
        recorded: body["recorded"].as_u64().unwrap_or(0) as usize,
        duplicates: body["duplicates"].as_u64().unwrap_or(0) as usize,
        refused: body["refused"].as_array().map(Vec::len).unwrap_or(0),
    })
}

/// A delegate's phone: opens the personal link, types (scans) the room code, presses the
/// button. Only the POST is timed. A refused code (it rotated meanwhile) is read again.
async fn self_code(ctx: &Ctx, badge: &str, phone: &Client) -> Result<Answer, Fail> {
    let url = format!("{}/dai-bieu/{badge}", ctx.base);
    let page = phone
        .get(&url)
        .send()
        .await
        .map_err(|e| Fail::Again(kind_of(&e)))?;
    if page.status().is_server_error() {
        return Err(Fail::Again(format!("HTTP {}", page.status())));
    }
    let text = page.text().await.map_err(|e| Fail::Again(kind_of(&e)))?;
    let csrf = seed::csrf_of(&text).ok_or(Fail::Final("no CSRF on the badge page".into()))?;
    let code = ctx.code.read().await.clone();
    let r = phone
        .post(format!("{url}/tu-diem-danh"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("session_id", &ctx.seeded.session_id.to_string()),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .map_err(|e| Fail::Again(kind_of(&e)))?;
    let status = r.status();
    if status.is_server_error() {
        return Err(Fail::Again(format!("HTTP {status}")));
    }
    if status == StatusCode::SEE_OTHER {
        return Ok(Answer {
            recorded: 1,
            duplicates: 0,
            refused: 0,
        });
    }
    // The code was refused (rotated): a real phone scans the screen again.
    Err(Fail::Again(format!("code refused (HTTP {status})")))
}

async fn run_step(ctx: Arc<Ctx>, step: Step) -> Record {
    let kind = match &step.action {
        Action::Scan { again: false, .. } => "scan",
        Action::Scan { again: true, .. } => "rescan",
        Action::SelfCode { .. } => "self",
        Action::Batch { upload: 0, .. } => "batch",
        Action::Batch { .. } => "replay",
    };
    let mut record = Record {
        kind,
        due_s: step.due,
        done_s: 0.0,
        latency_ms: None,
        attempts: 0,
        errors: Vec::new(),
        recorded: 0,
        duplicates: 0,
        refused: 0,
        failed: None,
    };
    let phone = match step.action {
        Action::SelfCode { .. } => seed::browser().ok(),
        _ => None,
    };
    let first = Instant::now();
    loop {
        record.attempts += 1;
        let t = Instant::now();
        let result = match &step.action {
            Action::Scan {
                delegate,
                client_id,
                ..
            } => scan(&ctx, &ctx.seeded.badges[*delegate], client_id).await,
            Action::Batch { items, .. } => batch(&ctx, items).await,
            Action::SelfCode { delegate } => match &phone {
                Some(p) => self_code(&ctx, &ctx.seeded.badges[*delegate], p).await,
                None => Err(Fail::Final("no client".into())),
            },
        };
        match result {
            Ok(a) => {
                record.latency_ms = Some(t.elapsed().as_secs_f64() * 1000.0);
                record.recorded = a.recorded;
                record.duplicates = a.duplicates;
                record.refused = a.refused;
                break;
            }
            Err(Fail::Final(m)) => {
                record.failed = Some(m);
                break;
            }
            Err(Fail::Again(m)) => {
                record.errors.push(m.clone());
                if first.elapsed() > ctx.retry_for {
                    record.failed = Some(format!("gave up: {m}"));
                    break;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    record.done_s = ctx.start.elapsed().as_secs_f64();
    record
}

/// Runs the schedule; one record per step, in schedule order.
pub async fn rush(ctx: Arc<Ctx>, steps: Vec<Step>, phones: usize) -> Vec<Record> {
    let gate = Arc::new(Semaphore::new(phones.max(1)));
    let mut tasks = Vec::with_capacity(steps.len());
    for step in steps {
        let due = ctx.start + Duration::from_secs_f64(step.due);
        tokio::time::sleep_until(due.into()).await;
        let Ok(permit) = gate.clone().acquire_owned().await else {
            break;
        };
        let ctx = ctx.clone();
        tasks.push(tokio::spawn(async move {
            let r = run_step(ctx, step).await;
            drop(permit);
            r
        }));
    }
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        if let Ok(r) = t.await {
            out.push(r);
        }
    }
    out
}

/// The projector: reads the room screen every two seconds (it changes every 30) and keeps the
/// code for the delegates' phones. Ends when `stop` is set.
pub async fn room_screen(
    base: String,
    slug: String,
    session: i64,
    code: Arc<RwLock<String>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) {
    let mut http = seed::browser().ok();
    let mut signed_in = false;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        if let Some(h) = &http {
            if !signed_in {
                signed_in = seed::sign_in(h, &base).await.is_ok();
            }
            match seed::room_code(h, &base, &slug, session).await {
                Ok(c) => *code.write().await = c,
                // After a restart the session survives (it is in the database); sign in again
                // only if the page is refused.
                Err(_) => {
                    signed_in = false;
                    http = seed::browser().ok();
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
