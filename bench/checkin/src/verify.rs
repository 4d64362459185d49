//! After the rush, with the server stopped: the database itself says whether every delegate of
//! the session was checked in exactly once, and whether what the scanners were told matches.

use anyhow::{Context, Result};
use sea_orm::{ConnectionTrait, Database, Statement};

use crate::load::Record;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Verdict {
    pub delegates: usize,
    /// Check-in rows of the session in the database.
    pub rows: i64,
    /// Delegates with at least one row.
    pub distinct: i64,
    /// Delegates of the plan without a check-in (lost).
    pub missing: i64,
    /// Rows beyond one per delegate (counted twice).
    pub doubled: i64,
    /// Answers that said "recorded" (first scans, self check-ins, first uploads).
    pub said_recorded: usize,
    /// Steps that ended without an answer.
    pub unanswered: usize,
    /// Check-ins the server refused (4xx or in a batch's `refused`).
    pub refused: usize,
    /// Rows whose answer was lost in the kill (committed, then the retry was told "already").
    pub committed_answer_lost: i64,
}

impl Verdict {
    pub fn ok(&self) -> bool {
        self.missing == 0 && self.doubled == 0 && self.unanswered == 0 && self.refused == 0
    }
}

pub async fn verify(
    url: &str,
    session_id: i64,
    delegates: usize,
    records: &[Record],
) -> Result<Verdict> {
    let db = Database::connect(url)
        .await
        .with_context(|| format!("connecting to {url}"))?;
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            format!(
                "SELECT COUNT(*) AS n, COUNT(DISTINCT delegate_id) AS d FROM course_checkins WHERE session_id = {session_id}"
            ),
        ))
        .await?
        .context("no answer to the count")?;
    let rows: i64 = row.try_get("", "n")?;
    let distinct: i64 = row.try_get("", "d")?;
    db.close().await.ok();
    let said_recorded: usize = records
        .iter()
        .filter(|r| matches!(r.kind, "scan" | "self" | "batch" | "replay" | "rescan"))
        .map(|r| r.recorded)
        .sum();
    let unanswered = records.iter().filter(|r| r.latency_ms.is_none()).count();
    let refused = records
        .iter()
        .map(|r| {
            r.refused + usize::from(r.failed.as_deref().is_some_and(|m| m.starts_with("HTTP 4")))
        })
        .sum();
    Ok(Verdict {
        delegates,
        rows,
        distinct,
        missing: delegates as i64 - distinct,
        doubled: rows - distinct,
        said_recorded,
        unanswered,
        refused,
        committed_answer_lost: rows - said_recorded as i64,
    })
}
