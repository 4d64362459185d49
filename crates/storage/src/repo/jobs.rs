//! The job queue: background work (messages, copy checks, certificate files) as rows in the
//! same database, so a crash loses nothing. A claimed job carries a lease; a worker that dies
//! lets the lease run out and another worker picks the job up again.

use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, Set,
    Statement,
};

use crate::entity::job::{ActiveModel, Column, Entity, Model};
use crate::{Backend, Conn, StorageError, StorageResult, time};

pub const PENDING: crate::status::JobStatus = crate::status::JobStatus::Pending;
pub const RUNNING: crate::status::JobStatus = crate::status::JobStatus::Running;
pub const DONE: crate::status::JobStatus = crate::status::JobStatus::Done;
pub const FAILED: crate::status::JobStatus = crate::status::JobStatus::Failed;

#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub dedupe_key: Option<String>,
    pub max_attempts: i32,
}

impl NewJob {
    pub fn new(kind: &str, payload: serde_json::Value) -> Self {
        NewJob {
            kind: kind.to_string(),
            payload,
            dedupe_key: None,
            max_attempts: 8,
        }
    }
}

/// Enqueues a job inside the caller's transaction or connection, so that a record and the
/// work it causes are committed together. With a dedupe key already present, nothing is added.
pub async fn enqueue<C: ConnectionTrait>(conn: &C, job: NewJob) -> StorageResult<Option<i64>> {
    if let Some(key) = &job.dedupe_key
        && Entity::find()
            .filter(Column::DedupeKey.eq(key.as_str()))
            .one(conn)
            .await?
            .is_some()
    {
        return Ok(None);
    }
    let now = time::now();
    let inserted = ActiveModel {
        kind: Set(job.kind),
        payload: Set(job.payload.to_string()),
        status: Set(PENDING),
        attempts: Set(0),
        max_attempts: Set(job.max_attempts),
        run_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        dedupe_key: Set(job.dedupe_key),
        created_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map_err(|e| StorageError::from_db(e, "job"))?;
    Ok(Some(inserted.id))
}

/// Claims the oldest due job (pending, or running with an expired lease).
pub async fn claim<C: Conn>(db: &C, lease: Duration) -> StorageResult<Option<Model>> {
    claim_of(db, lease, None).await
}

/// Claims the oldest due job of one of these kinds (`None`: of any kind). The quick lane of
/// the worker asks for the kinds people wait for first (`ix_jobs_kind_status_run_at`).
pub async fn claim_of<C: Conn>(
    db: &C,
    lease: Duration,
    kinds: Option<&[&str]>,
) -> StorageResult<Option<Model>> {
    let now = time::now();
    let until = now + lease;
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = vec![until.into(), now.into()];
    // Kinds are bound as parameters ($3, $4, …), never pasted into the text.
    let of_kind = match kinds {
        Some(list) if !list.is_empty() => {
            let marks: Vec<String> = (0..list.len()).map(|i| format!("${}", i + 3)).collect();
            values.extend(list.iter().map(|k| sea_orm::Value::from(k.to_string())));
            format!("kind IN ({}) AND ", marks.join(", "))
        }
        _ => String::new(),
    };
    let lock = match crate::backend_of(db) {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        // One writer at a time in SQLite: the UPDATE itself is the lock.
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $1 \
         WHERE id = (SELECT id FROM jobs \
            WHERE {of_kind}((status = 'pending' AND run_at <= $2) OR (status = 'running' AND locked_until < $2)) \
            ORDER BY run_at, id LIMIT 1{lock}) \
         RETURNING *"
    );
    let stmt = Statement::from_sql_and_values(backend, sql, values);
    let row = db.query_one_raw(stmt).await?;
    Ok(match row {
        Some(r) => Some(Model::from_query_result(&r, "")?),
        None => None,
    })
}

pub async fn complete<C: Conn>(db: &C, id: i64) -> StorageResult<()> {
    let Some(job) = Entity::find_by_id(id).one(db).await? else {
        return Err(StorageError::NotFound);
    };
    let mut am: ActiveModel = job.into();
    am.status = Set(DONE);
    am.locked_until = Set(None);
    am.finished_at = Set(Some(time::now()));
    am.update(db).await?;
    Ok(())
}

/// Records a failure; retries later with exponential backoff until `max_attempts`.
pub async fn fail<C: Conn>(db: &C, id: i64, error: &str) -> StorageResult<()> {
    let Some(job) = Entity::find_by_id(id).one(db).await? else {
        return Err(StorageError::NotFound);
    };
    let now = time::now();
    let attempts = job.attempts;
    let give_up = attempts >= job.max_attempts;
    let mut am: ActiveModel = job.into();
    am.last_error = Set(Some(error.chars().take(2000).collect()));
    am.locked_until = Set(None);
    if give_up {
        am.status = Set(FAILED);
        am.finished_at = Set(Some(now));
    } else {
        am.status = Set(PENDING);
        let backoff = 2i64.saturating_pow(attempts.clamp(0, 12) as u32).min(3600);
        am.run_at = Set(now + Duration::seconds(backoff));
    }
    am.update(db).await?;
    Ok(())
}

/// Fails a job for good, without further attempts (it can never succeed: an unknown kind, a
/// malformed payload).
pub async fn give_up<C: Conn>(db: &C, id: i64, error: &str) -> StorageResult<()> {
    let Some(job) = Entity::find_by_id(id).one(db).await? else {
        return Err(StorageError::NotFound);
    };
    let mut am: ActiveModel = job.into();
    am.last_error = Set(Some(error.chars().take(2000).collect()));
    am.locked_until = Set(None);
    am.status = Set(FAILED);
    am.finished_at = Set(Some(time::now()));
    am.update(db).await?;
    Ok(())
}

pub async fn get<C: Conn>(db: &C, id: i64) -> StorageResult<Model> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn count_by_status<C: Conn>(
    db: &C,
    status: crate::status::JobStatus,
) -> StorageResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(Column::Status.eq(status))
        .count(db)
        .await?)
}

/// Jobs of one kind made at or after `since` that are still waiting or running (a failed
/// attempt that will be retried waits again).
pub async fn open_of_kind_since<C: Conn>(
    db: &C,
    kind: &str,
    since: crate::time::Timestamp,
) -> StorageResult<u64> {
    use crate::status::JobStatus;
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(Column::Kind.eq(kind))
        .filter(Column::CreatedAt.gte(since))
        .filter(Column::Status.is_in([JobStatus::Pending, JobStatus::Running]))
        .count(db)
        .await?)
}
