//! The background worker: claims jobs from the database queue and runs them. Every job kind
//! is idempotent, so running one twice after a crash does no harm.
//!
//! A job is a [`Job`]: one serde enum whose variant names are the `kind` column (`message`,
//! `search_index`, `integrity_check`, as rows queued by earlier versions have them) and whose
//! contents are the `payload` column. Code queues jobs only through it (`Job::…` `.into()` a
//! `NewJob`, or [`enqueue`]). A new kind of background work is a variant with its payload type
//! and its arm in [`run`]. A row that does not read as a `Job` (unknown kind, malformed payload)
//! is failed at once with the reason logged and kept in `last_error`; it is not retried.

use std::time::Duration;

use hoithi_storage::entity::job as job_row;
use hoithi_storage::repo::jobs::{self, NewJob};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::integrity::CheckJob;
use crate::search::DocRef;
use crate::state::AppState;

/// Background work, as queued in the `jobs` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Job {
    /// Deliver an email or text message.
    Message(Message),
    /// Bring one document of the search index up to date.
    SearchIndex(DocRef),
    /// Check one entry for copied passages.
    IntegrityCheck(CheckJob),
    /// Make the resized copies of one news photo.
    NewsPhoto(crate::news::photos::service::PhotoJob),
    /// Write a contest's entry list to a spreadsheet, counting rows as it goes.
    EntryExport(crate::contests::export::ExportJob),
}

/// The `kind` column of [`Job::IntegrityCheck`] (progress pages count such rows).
pub const INTEGRITY_CHECK: &str = "integrity_check";

/// Kinds of work someone is waiting for (a receipt, a news photo's copies, an export asked for
/// on a page): claimed before the long queues of copy checks and index updates.
pub const QUICK: &[&str] = &["message", "news_photo", "entry_export"];

impl Job {
    /// Reads a queued row; the error says what is wrong with it.
    pub fn from_row(kind: &str, payload: &str) -> Result<Job, String> {
        let payload: serde_json::Value = serde_json::from_str(payload)
            .map_err(|e| format!("{kind} job: the payload is not JSON: {e}"))?;
        serde_json::from_value(serde_json::json!({ "kind": kind, "payload": payload }))
            .map_err(|e| format!("{kind} job: {e}"))
    }

    /// The `kind` column and the `payload` column of this job.
    pub fn to_row(&self) -> (String, serde_json::Value) {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut m)) => (
                m.get("kind")
                    .and_then(|k| k.as_str())
                    .unwrap_or_default()
                    .to_string(),
                m.remove("payload").unwrap_or_default(),
            ),
            // Not reached (every payload is a plain struct); such a row would fail visibly.
            _ => (String::new(), serde_json::Value::Null),
        }
    }
}

impl From<Job> for NewJob {
    fn from(job: Job) -> NewJob {
        let (kind, payload) = job.to_row();
        NewJob::new(&kind, payload)
    }
}

/// Queues a job on a connection or inside the caller's transaction, so that a change and the
/// work it causes are committed together.
pub async fn enqueue<C: hoithi_storage::Conn>(
    conn: &C,
    job: Job,
) -> hoithi_storage::StorageResult<Option<i64>> {
    jobs::enqueue(conn, job.into()).await
}

/// An email or text message to deliver. Without a configured mail server it is written to
/// `<data>/outbox/` so that nothing is lost and an operator can see it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Why a job did not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Worth another attempt (a mail server down, a file locked): retried with backoff until
    /// the job's maximum of attempts.
    Retry(String),
    /// Can never succeed (unknown kind, malformed payload): failed at once.
    GiveUp(String),
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

/// Runs one claimed row.
pub async fn run(state: &AppState, row: &job_row::Model) -> Result<(), Failure> {
    let job = Job::from_row(&row.kind, &row.payload).map_err(Failure::GiveUp)?;
    let retry = Failure::Retry;
    match job {
        Job::Message(msg) => deliver(state, row.id, msg).await.map_err(retry),
        Job::SearchIndex(DocRef { kind, id: Some(id) }) => {
            crate::search::reindex(state, kind, id).await.map_err(retry)
        }
        Job::IntegrityCheck(CheckJob {
            entry_id: Some(id),
            requested_at,
        }) => crate::integrity::run_job(state, id, requested_at)
            .await
            .map_err(retry),
        Job::NewsPhoto(job) => crate::news::photos::service::run_job(state, job).await,
        Job::EntryExport(job) => crate::contests::export::run_job(state, job).await,
        Job::SearchIndex(_) | Job::IntegrityCheck(_) => Err(Failure::GiveUp(format!(
            "{} job without an entry id",
            row.kind
        ))),
    }
}

/// Runs a row on a task of its own, so that a panic fails the attempt instead of the worker.
async fn run_guarded(state: &AppState, row: &job_row::Model) -> Result<(), Failure> {
    if row.attempts > row.max_attempts {
        // Claimed again after its lease ran out each time: the worker died running it.
        return Err(Failure::GiveUp(format!(
            "gave up after {} attempts that did not finish",
            row.max_attempts
        )));
    }
    let (state, row) = (state.clone(), row.clone());
    match tokio::spawn(async move { run(&state, &row).await }).await {
        Ok(outcome) => outcome,
        Err(e) => Err(Failure::Retry(format!("the job stopped: {e}"))),
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
        // The quick lane first: what people wait for on a page or in their inbox.
        let claimed = match jobs::claim_of(&state.db, lease, Some(QUICK)).await {
            Ok(None) => jobs::claim(&state.db, lease).await,
            other => other,
        };
        match claimed {
            Ok(Some(job)) => {
                let recorded = match run_guarded(&state, &job).await {
                    Ok(()) => jobs::complete(&state.db, job.id).await,
                    Err(Failure::Retry(e)) => {
                        tracing::warn!(job = job.id, kind = %job.kind, "job failed: {e}");
                        jobs::fail(&state.db, job.id, &e).await
                    }
                    Err(Failure::GiveUp(e)) => {
                        tracing::error!(
                            job = job.id,
                            kind = %job.kind,
                            "job cannot run, failed without retry: {e}"
                        );
                        jobs::give_up(&state.db, job.id, &e).await
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::DocKind;

    #[test]
    fn the_integrity_check_kind_is_the_one_written() {
        let (kind, _) = Job::IntegrityCheck(CheckJob::entry(1)).to_row();
        assert_eq!(kind, INTEGRITY_CHECK);
    }

    #[test]
    fn the_quick_lane_names_kinds_that_exist() {
        let quick = [
            Job::Message(Message {
                to: "a@b.vn".into(),
                subject: String::new(),
                body: String::new(),
            }),
            Job::NewsPhoto(crate::news::photos::service::PhotoJob { photo_id: 1 }),
            Job::EntryExport(crate::contests::export::ExportJob {
                export_id: 1,
                lang: "vi".into(),
            }),
        ];
        let kinds: Vec<String> = quick.iter().map(|j| j.to_row().0).collect();
        assert_eq!(kinds, QUICK);
    }

    #[test]
    fn jobs_keep_the_kinds_and_payloads_of_earlier_versions() {
        let cases = [
            (
                Job::Message(Message {
                    to: "a@b.vn".into(),
                    subject: "Biên nhận".into(),
                    body: "Mã tác phẩm: HY-0001".into(),
                }),
                "message",
                serde_json::json!({"to": "a@b.vn", "subject": "Biên nhận", "body": "Mã tác phẩm: HY-0001"}),
            ),
            (
                Job::SearchIndex(DocRef::new(DocKind::Entry, 5)),
                "search_index",
                serde_json::json!({"entry_id": 5}),
            ),
            (
                Job::SearchIndex(DocRef::new_entry()),
                "search_index",
                serde_json::json!({"entry_id": null}),
            ),
            (
                Job::SearchIndex(DocRef::new(DocKind::CourseMaterial, 3)),
                "search_index",
                serde_json::json!({"kind": "course_material", "id": 3}),
            ),
            (
                Job::IntegrityCheck(CheckJob::entry(5)),
                "integrity_check",
                serde_json::json!({"entry_id": 5}),
            ),
            (
                Job::IntegrityCheck(CheckJob::new_entry()),
                "integrity_check",
                serde_json::json!({"entry_id": null}),
            ),
        ];
        for (job, kind, payload) in cases {
            let row: NewJob = job.clone().into();
            assert_eq!((row.kind.as_str(), &row.payload), (kind, &payload));
            assert_eq!(Job::from_row(kind, &payload.to_string()), Ok(job));
        }
        // A re-check as `queue_checks` wrote it before.
        let old = r#"{"entry_id": 7, "requested_at": "2026-03-01T08:30:00.123456Z"}"#;
        let Ok(Job::IntegrityCheck(c)) = Job::from_row("integrity_check", old) else {
            panic!("an old re-check reads");
        };
        assert_eq!(c.entry_id, Some(7));
        assert_eq!(
            c.requested_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-03-01T08:30:00.123456+00:00")
        );
    }

    #[test]
    fn unknown_kinds_and_malformed_payloads_give_a_reason() {
        for (kind, payload, says) in [
            ("certificate_pdf", "{}", "unknown variant `certificate_pdf`"),
            ("search_index", "not json{", "not JSON"),
            (
                "search_index",
                r#"{"kind": "poem", "id": 1}"#,
                "unknown variant `poem`",
            ),
            (
                "integrity_check",
                r#"{"entry_id": "seven"}"#,
                "invalid type",
            ),
            ("integrity_check", "{}", "missing field `entry_id`"),
            ("message", r#"{"to": "a@b.vn"}"#, "missing field"),
            ("", "{}", "unknown variant"),
        ] {
            let e = Job::from_row(kind, payload).unwrap_err();
            assert!(e.contains(says), "{kind} {payload}: {e}");
        }
    }
}
