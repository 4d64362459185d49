//! Score sheets: one per judge and entry in a round, saved as a draft or submitted. Every
//! change is written to the audit log in the same transaction, with before and after.

use sea_orm::TransactionSession as _;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::audit;
use super::rounds::CHUNK;
use crate::entity::score;
use crate::{Conn, StorageError, StorageResult, time};

pub const DRAFT: crate::status::ScoreStatus = crate::status::ScoreStatus::Draft;
pub const SUBMITTED: crate::status::ScoreStatus = crate::status::ScoreStatus::Submitted;

#[derive(Debug, Clone, PartialEq)]
pub struct ScoreWrite {
    pub round_id: i64,
    pub entry_id: i64,
    pub user_id: i64,
    /// Points per criterion, `None` where not given yet (drafts only).
    pub points: Vec<Option<f64>>,
    pub comment: String,
    /// `DRAFT` or `SUBMITTED`.
    pub status: crate::status::ScoreStatus,
}

fn snapshot(s: &score::Model) -> serde_json::Value {
    serde_json::json!({
        "points": serde_json::from_str::<serde_json::Value>(&s.points).unwrap_or_default(),
        "comment": s.comment,
        "status": s.status,
    })
}

/// The audit entry of a sheet change: who (the actor), when, before and after.
async fn record<C: sea_orm::ConnectionTrait>(
    conn: &C,
    actor_id: Option<i64>,
    action: &str,
    before: Option<&score::Model>,
    after: &score::Model,
    reason: Option<&str>,
) -> StorageResult<()> {
    audit::record(
        conn,
        actor_id,
        action,
        "score",
        Some(after.id),
        serde_json::json!({
            "round_id": after.round_id,
            "entry_id": after.entry_id,
            "judge_id": after.user_id,
            "reason": reason,
            "before": before.map(snapshot),
            "after": snapshot(after),
        }),
    )
    .await
}

pub async fn for_round<C: Conn>(db: &C, round_id: i64) -> StorageResult<Vec<score::Model>> {
    Ok(score::Entity::find()
        .filter(score::Column::RoundId.eq(round_id))
        .order_by_asc(score::Column::Id)
        .all(db)
        .await?)
}

pub async fn for_judge<C: Conn>(
    db: &C,
    round_id: i64,
    user_id: i64,
) -> StorageResult<Vec<score::Model>> {
    Ok(score::Entity::find()
        .filter(score::Column::RoundId.eq(round_id))
        .filter(score::Column::UserId.eq(user_id))
        .all(db)
        .await?)
}

pub async fn find<C: Conn>(
    db: &C,
    round_id: i64,
    entry_id: i64,
    user_id: i64,
) -> StorageResult<Option<score::Model>> {
    Ok(score::Entity::find()
        .filter(score::Column::RoundId.eq(round_id))
        .filter(score::Column::EntryId.eq(entry_id))
        .filter(score::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

pub async fn get<C: Conn>(db: &C, round_id: i64, id: i64) -> StorageResult<score::Model> {
    score::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| s.round_id == round_id)
        .ok_or(StorageError::NotFound)
}

/// Saves a sheet. A submitted sheet is never overwritten here (`Conflict("submitted")`):
/// it must be reopened first.
pub async fn save<C: Conn>(
    db: &C,
    w: ScoreWrite,
    actor_id: Option<i64>,
) -> StorageResult<score::Model> {
    let txn = db.begin().await?;
    let now = time::now();
    let before = score::Entity::find()
        .filter(score::Column::RoundId.eq(w.round_id))
        .filter(score::Column::EntryId.eq(w.entry_id))
        .filter(score::Column::UserId.eq(w.user_id))
        .one(&txn)
        .await?;
    let points = serde_json::json!(w.points).to_string();
    let submitted_at = (w.status == SUBMITTED).then_some(now);
    let saved = match &before {
        Some(b) if b.status == SUBMITTED => {
            return Err(StorageError::Conflict(SUBMITTED.to_string()));
        }
        Some(b) => {
            let mut am: score::ActiveModel = b.clone().into();
            am.points = Set(points);
            am.comment = Set(w.comment);
            am.status = Set(w.status);
            am.updated_at = Set(now);
            am.submitted_at = Set(submitted_at);
            am.update(&txn).await?
        }
        None => {
            score::ActiveModel {
                round_id: Set(w.round_id),
                entry_id: Set(w.entry_id),
                user_id: Set(w.user_id),
                points: Set(points),
                comment: Set(w.comment),
                status: Set(w.status),
                created_at: Set(now),
                updated_at: Set(now),
                submitted_at: Set(submitted_at),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    let action = if saved.status == SUBMITTED {
        "score.submit"
    } else {
        "score.save"
    };
    record(&txn, actor_id, action, before.as_ref(), &saved, None).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Reopens a submitted sheet (organizers) so its judge can change it; audit-logged.
pub async fn reopen<C: Conn>(
    db: &C,
    round_id: i64,
    id: i64,
    actor_id: Option<i64>,
    reason: &str,
) -> StorageResult<score::Model> {
    let txn = db.begin().await?;
    let before = score::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .filter(|s| s.round_id == round_id)
        .ok_or(StorageError::NotFound)?;
    if before.status != SUBMITTED {
        return Err(StorageError::Conflict(before.status.to_string()));
    }
    let mut am: score::ActiveModel = before.clone().into();
    am.status = Set(DRAFT);
    am.submitted_at = Set(None);
    am.updated_at = Set(time::now());
    let saved = am.update(&txn).await?;
    record(
        &txn,
        actor_id,
        "score.reopen",
        Some(&before),
        &saved,
        Some(reason),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Stores many submitted sheets at once (demo data), without audit entries.
pub async fn insert_submitted<C: Conn>(db: &C, sheets: Vec<ScoreWrite>) -> StorageResult<()> {
    let txn = db.begin().await?;
    let now = time::now();
    for chunk in sheets.chunks(CHUNK) {
        let rows = chunk.iter().map(|w| score::ActiveModel {
            round_id: Set(w.round_id),
            entry_id: Set(w.entry_id),
            user_id: Set(w.user_id),
            points: Set(serde_json::json!(w.points).to_string()),
            comment: Set(w.comment.clone()),
            status: Set(w.status),
            created_at: Set(now),
            updated_at: Set(now),
            submitted_at: Set((w.status == SUBMITTED).then_some(now)),
            ..Default::default()
        });
        score::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Points of a stored sheet.
pub fn points_of(s: &score::Model) -> Vec<Option<f64>> {
    serde_json::from_str(&s.points).unwrap_or_default()
}
