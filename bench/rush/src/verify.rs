//! After the rush, straight from the database and the file store: every receipt issued is an
//! entry with the file that was sent, and no entry of the run is half-written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use hoithi_storage::entity::{contest, entry, entry_author, entry_version, job};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};
use sha2::{Digest, Sha256};

use crate::load::Outcome;
use crate::material::Submission;

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Verdict {
    /// Receipts the guests got.
    pub issued: usize,
    /// Receipts found as complete entries with the same file, title and first author.
    pub verified: usize,
    /// Receipts with no entry.
    pub missing: Vec<String>,
    /// Receipts whose entry differs from what was sent (file hash, title, author).
    pub mismatched: Vec<String>,
    /// Entries of the run (demo entries aside) found in the database.
    pub entries: usize,
    /// Entries that exist without a receipt having reached the guest (the answer was cut):
    /// complete, counted apart.
    pub without_receipt: usize,
    /// Entries missing a part, with the reason.
    pub half_written: Vec<String>,
    /// Stored files that no entry refers to (written before a transaction that did not
    /// commit), and temporary files left by a kill.
    pub unreferenced_files: usize,
    pub temp_files: usize,
    /// Background jobs by status at the time of the check.
    pub jobs: HashMap<String, u64>,
}

impl Verdict {
    pub fn ok(&self) -> bool {
        self.missing.is_empty() && self.mismatched.is_empty() && self.half_written.is_empty()
    }
}

#[derive(Debug, FromQueryResult)]
struct EntryRow {
    id: i64,
    receipt_code: String,
    title: String,
    file_sha256: Option<String>,
    word_count: i32,
    version: i32,
    status: String,
    body_len: i64,
}

fn blob_path(files: &Path, sha: &str) -> PathBuf {
    files.join(&sha[0..2]).join(&sha[2..4]).join(sha)
}

fn file_ok(files: &Path, sha: &str) -> Result<(), String> {
    if sha.len() != 64 {
        return Err(format!("bad file address {sha}"));
    }
    match std::fs::read(blob_path(files, sha)) {
        Ok(bytes) if hex::encode(Sha256::digest(&bytes)) == sha => Ok(()),
        Ok(_) => Err(format!("stored file {sha} has another hash")),
        Err(e) => Err(format!("stored file {sha}: {e}")),
    }
}

/// Files under `files/` (content-addressed) and temporary leftovers.
fn stored_files(files: &Path) -> (HashSet<String>, usize) {
    let mut found = HashSet::new();
    let mut temps = 0;
    let mut stack = vec![files.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Some(name) = p.file_name().and_then(|n| n.to_str()) {
                if name.ends_with(".tmp") {
                    temps += 1;
                } else {
                    found.insert(name.to_string());
                }
            }
        }
    }
    (found, temps)
}

pub async fn verify(
    db_url: &str,
    data_dir: &Path,
    slug: &str,
    subs: &[std::sync::Arc<Submission>],
    outcomes: &[Outcome],
) -> Result<Verdict> {
    let db = hoithi_storage::Db::connect(db_url)
        .await
        .context("opening the database to verify")?;
    let conn = &db.conn;
    let files = data_dir.join("files");
    let c = contest::Entity::find()
        .filter(contest::Column::Slug.eq(slug))
        .one(conn)
        .await?
        .context("the demo contest is missing")?;
    let rows: Vec<EntryRow> = entry::Entity::find()
        .select_only()
        .columns([
            entry::Column::Id,
            entry::Column::ReceiptCode,
            entry::Column::Title,
            entry::Column::FileSha256,
            entry::Column::WordCount,
            entry::Column::Version,
            entry::Column::Status,
        ])
        .column_as(Expr::cust("CAST(LENGTH(body) AS BIGINT)"), "body_len")
        .filter(entry::Column::ContestId.eq(c.id))
        .filter(entry::Column::ReceiptCode.not_like("HT-DEMO-%"))
        .into_model::<EntryRow>()
        .all(conn)
        .await?;
    let ids: HashSet<i64> = rows.iter().map(|r| r.id).collect();
    let mut authors: HashMap<i64, Vec<entry_author::Model>> = HashMap::new();
    for a in entry_author::Entity::find().all(conn).await? {
        if ids.contains(&a.entry_id) {
            authors.entry(a.entry_id).or_default().push(a);
        }
    }
    let mut versions: HashMap<i64, Vec<(i32, Option<String>)>> = HashMap::new();
    for (entry_id, version, sha) in entry_version::Entity::find()
        .select_only()
        .columns([
            entry_version::Column::EntryId,
            entry_version::Column::Version,
            entry_version::Column::FileSha256,
        ])
        .into_tuple::<(i64, i32, Option<String>)>()
        .all(conn)
        .await?
    {
        if ids.contains(&entry_id) {
            versions.entry(entry_id).or_default().push((version, sha));
        }
    }
    let mut v = Verdict::default();
    let mut job_entries: HashMap<&'static str, HashSet<i64>> = HashMap::new();
    let mut message_keys: HashSet<String> = HashSet::new();
    for (kind, payload, key, status) in job::Entity::find()
        .select_only()
        .columns([
            job::Column::Kind,
            job::Column::Payload,
            job::Column::DedupeKey,
            job::Column::Status,
        ])
        .into_tuple::<(String, String, Option<String>, String)>()
        .all(conn)
        .await?
    {
        *v.jobs.entry(status).or_default() += 1;
        if let Some(k) = key {
            message_keys.insert(k);
        }
        let id = serde_json::from_str::<serde_json::Value>(&payload)
            .ok()
            .and_then(|p| p["entry_id"].as_i64());
        let kind: &'static str = match kind.as_str() {
            "integrity_check" => "integrity_check",
            "search_index" => "search_index",
            _ => continue,
        };
        if let Some(id) = id {
            job_entries.entry(kind).or_default().insert(id);
        }
    }
    db.conn.close().await.ok();

    // Every entry of the run: complete or not.
    let (stored, temps) = stored_files(&files);
    v.temp_files = temps;
    let mut referenced = HashSet::new();
    let mut by_code: HashMap<&str, &EntryRow> = HashMap::new();
    for r in &rows {
        by_code.insert(r.receipt_code.as_str(), r);
        let mut problems = Vec::new();
        let au = authors.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
        if au.is_empty() {
            problems.push("no author".to_string());
        }
        let mut pos: Vec<i32> = au.iter().map(|a| a.position).collect();
        pos.sort_unstable();
        if pos.iter().enumerate().any(|(i, p)| *p != i as i32) {
            problems.push(format!("author positions {pos:?}"));
        }
        match versions
            .get(&r.id)
            .and_then(|vs| vs.iter().find(|(n, _)| *n == r.version))
        {
            None => problems.push(format!("no version {}", r.version)),
            Some((_, sha)) if *sha != r.file_sha256 => {
                problems.push("version file differs from entry file".into())
            }
            _ => {}
        }
        match &r.file_sha256 {
            None => problems.push("no file".into()),
            Some(sha) => {
                referenced.insert(sha.clone());
                if let Err(e) = file_ok(&files, sha) {
                    problems.push(e);
                }
            }
        }
        if r.body_len <= 0 || r.word_count <= 0 {
            problems.push("no text".into());
        }
        if r.status != "submitted" {
            problems.push(format!("status {}", r.status));
        }
        for kind in ["integrity_check", "search_index"] {
            if !job_entries.get(kind).is_some_and(|s| s.contains(&r.id)) {
                problems.push(format!("no {kind} job"));
            }
        }
        // The key names the version in newer servers (`receipt:<code>:<version>`).
        if !message_keys.contains(&format!("receipt:{}", r.receipt_code))
            && !message_keys.contains(&format!("receipt:{}:{}", r.receipt_code, r.version))
        {
            problems.push("no receipt message".into());
        }
        if !problems.is_empty() {
            v.half_written.push(format!(
                "{} (id {}): {}",
                r.receipt_code,
                r.id,
                problems.join("; ")
            ));
        }
    }
    v.entries = rows.len();
    v.unreferenced_files = stored.iter().filter(|s| !referenced.contains(*s)).count();

    // Every receipt issued: present, same file, same title and first author.
    let mut receipted = HashSet::new();
    for o in outcomes {
        let Some(rc) = &o.receipt else { continue };
        v.issued += 1;
        receipted.insert(rc.code.as_str());
        let s = &subs[o.idx];
        let Some(r) = by_code.get(rc.code.as_str()) else {
            v.missing.push(rc.code.clone());
            continue;
        };
        let mut diffs = Vec::new();
        if r.file_sha256.as_deref() != Some(s.sha256.as_str()) {
            diffs.push("stored file hash differs from the file sent");
        }
        if rc.sha256 != s.sha256 {
            diffs.push("receipt shows another hash");
        }
        if r.title != hoithi_text::normalize::normalize_str(&s.title) {
            diffs.push("title differs");
        }
        let first = authors
            .get(&r.id)
            .and_then(|a| a.iter().find(|a| a.position == 0));
        match first {
            Some(a)
                if a.full_name
                    == hoithi_text::normalize::normalize_str(&s.authors[0].full_name)
                    && a.email == s.authors[0].email.to_lowercase() => {}
            _ => diffs.push("first author differs"),
        }
        if !diffs.is_empty() {
            v.mismatched
                .push(format!("{}: {}", rc.code, diffs.join(", ")));
        }
        if diffs.is_empty() && !v.half_written.iter().any(|h| h.starts_with(&rc.code)) {
            v.verified += 1;
        }
    }
    v.without_receipt = rows
        .iter()
        .filter(|r| !receipted.contains(r.receipt_code.as_str()))
        .count();
    Ok(v)
}
