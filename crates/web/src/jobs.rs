//! The background worker: claims jobs from the database queue and runs them. Every job kind
//! is idempotent, so running one twice after a crash does no harm.

use std::time::Duration;

use hoithi_storage::repo::jobs;
use serde::Deserialize;
use tokio::sync::watch;

use crate::state::AppState;

/// Job kinds handled by this worker.
pub const MESSAGE: &str = "message";

/// An email or text message to deliver. Without a configured mail server it is written to
/// `<data>/outbox/` so that nothing is lost and an operator can see it.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub body: String,
}

async fn deliver(state: &AppState, job_id: i64, msg: Message) -> Result<(), String> {
    // Email goes to the mail server when there is one; anything else (no server, a phone
    // number without an SMS gateway) to the outbox folder.
    if let Some(mailer) = &state.mailer
        && msg.to.contains('@')
    {
        return mailer.send(&msg).await;
    }
    let dir = state.config.data_dir.join("outbox");
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| e.to_string())?;
    // Named by job id: a retried job overwrites its own file instead of sending twice.
    let path = dir.join(format!("{job_id:010}.eml"));
    let text = format!(
        "To: {}\r\nSubject: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
        msg.to, msg.subject, msg.body
    );
    let tmp = dir.join(format!(".{job_id}.tmp"));
    tokio::fs::write(&tmp, text)
        .await
        .map_err(|e| e.to_string())?;
    tokio::fs::rename(&tmp, &path)
        .await
        .map_err(|e| e.to_string())
}

async fn run_one(state: &AppState, job: &hoithi_storage::entity::job::Model) -> Result<(), String> {
    match job.kind.as_str() {
        MESSAGE => {
            let msg: Message = serde_json::from_str(&job.payload).map_err(|e| e.to_string())?;
            deliver(state, job.id, msg).await
        }
        crate::search::JOB => {
            let id = serde_json::from_str::<serde_json::Value>(&job.payload)
                .ok()
                .and_then(|v| v["entry_id"].as_i64())
                .ok_or("search_index job without entry_id")?;
            crate::search::reindex(state, id).await
        }
        crate::integrity::JOB => crate::integrity::run_job(state, &job.payload).await,
        other => Err(format!("unknown job kind {other}")),
    }
}

/// Runs jobs one after another until `stop` turns true. An instance runs several of these, and
/// several instances may run them on one PostgreSQL: claiming a job is atomic. The `first`
/// also refreshes planner statistics.
pub async fn run_worker(state: AppState, mut stop: watch::Receiver<bool>, first: bool) {
    let lease = chrono::Duration::minutes(5);
    // Statistics at start and then every ten minutes, so that plans follow a deadline rush.
    let mut last_stats: Option<std::time::Instant> = None;
    loop {
        if *stop.borrow() {
            return;
        }
        if first && last_stats.is_none_or(|t| t.elapsed() > Duration::from_secs(600)) {
            if let Err(e) = state.db.refresh_statistics().await {
                tracing::warn!("refreshing planner statistics failed: {e}");
            }
            last_stats = Some(std::time::Instant::now());
        }
        match jobs::claim(&state.db, lease).await {
            Ok(Some(job)) => {
                let outcome = run_one(&state, &job).await;
                let recorded = match outcome {
                    Ok(()) => jobs::complete(&state.db, job.id).await,
                    Err(e) => {
                        tracing::warn!(job = job.id, kind = %job.kind, "job failed: {e}");
                        jobs::fail(&state.db, job.id, &e).await
                    }
                };
                if let Err(e) = recorded {
                    tracing::error!("could not record job outcome: {e}");
                }
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::error!("job claim failed: {e}"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            _ = stop.changed() => {}
        }
    }
}
