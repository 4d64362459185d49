//! Judge assignments, written in batches: an automatic run is stored as a preview batch,
//! published as one step, and can be undone as one step.

use sea_orm::TransactionSession as _;
use std::collections::HashSet;

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::rounds::{CHUNK, DECLARED};
use crate::entity::{assignment, assignment_batch, judge_conflict, score};
use crate::{Conn, StorageError, StorageResult, time};

pub const PREVIEW: crate::status::AssignmentStatus = crate::status::AssignmentStatus::Preview;
pub const PUBLISHED: crate::status::AssignmentStatus = crate::status::AssignmentStatus::Published;
pub const RECUSED: crate::status::AssignmentStatus = crate::status::AssignmentStatus::Recused;
pub const UNDONE: crate::status::AssignmentStatus = crate::status::AssignmentStatus::Undone;

pub const AUTO: &str = "auto";
pub const EXTRA: &str = "extra";
pub const MANUAL: &str = "manual";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPair {
    pub entry_id: i64,
    pub user_id: i64,
    pub extra: bool,
}

#[derive(Debug, Clone)]
pub struct NewBatch {
    pub round_id: i64,
    pub kind: String,
    /// `PREVIEW` or `PUBLISHED`.
    pub status: crate::status::AssignmentStatus,
    pub pairs: Vec<NewPair>,
    pub objective: Option<i64>,
    pub notes: Vec<String>,
    pub created_by: Option<i64>,
}

pub async fn for_round<C: Conn>(db: &C, round_id: i64) -> StorageResult<Vec<assignment::Model>> {
    Ok(assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round_id))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await?)
}

pub async fn for_judge<C: Conn>(
    db: &C,
    round_id: i64,
    user_id: i64,
) -> StorageResult<Vec<assignment::Model>> {
    Ok(assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round_id))
        .filter(assignment::Column::UserId.eq(user_id))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await?)
}

pub async fn find<C: Conn>(
    db: &C,
    round_id: i64,
    entry_id: i64,
    user_id: i64,
) -> StorageResult<Option<assignment::Model>> {
    Ok(assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round_id))
        .filter(assignment::Column::EntryId.eq(entry_id))
        .filter(assignment::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

pub async fn get<C: Conn>(db: &C, round_id: i64, id: i64) -> StorageResult<assignment::Model> {
    assignment::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|a| a.round_id == round_id)
        .ok_or(StorageError::NotFound)
}

pub async fn batches<C: Conn>(
    db: &C,
    round_id: i64,
) -> StorageResult<Vec<assignment_batch::Model>> {
    Ok(assignment_batch::Entity::find()
        .filter(assignment_batch::Column::RoundId.eq(round_id))
        .order_by_desc(assignment_batch::Column::Id)
        .all(db)
        .await?)
}

pub async fn batch<C: Conn>(
    db: &C,
    round_id: i64,
    id: i64,
) -> StorageResult<assignment_batch::Model> {
    assignment_batch::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|b| b.round_id == round_id)
        .ok_or(StorageError::NotFound)
}

pub async fn batch_pairs<C: Conn>(db: &C, batch_id: i64) -> StorageResult<Vec<assignment::Model>> {
    Ok(assignment::Entity::find()
        .filter(assignment::Column::BatchId.eq(batch_id))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await?)
}

/// Stores a batch and its pairs in one transaction. Pairs that already exist in the round
/// are refused as a conflict (nothing is written).
pub async fn create_batch<C: Conn>(db: &C, b: NewBatch) -> StorageResult<assignment_batch::Model> {
    let txn = db.begin().await?;
    let now = time::now();
    let saved = assignment_batch::ActiveModel {
        round_id: Set(b.round_id),
        kind: Set(b.kind),
        status: Set(b.status),
        pairs: Set(b.pairs.len() as i32),
        objective: Set(b.objective),
        notes: Set(serde_json::json!(b.notes).to_string()),
        created_by: Set(b.created_by),
        created_at: Set(now),
        published_at: Set((b.status == PUBLISHED).then_some(now)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for chunk in b.pairs.chunks(CHUNK) {
        let rows = chunk.iter().map(|p| assignment::ActiveModel {
            round_id: Set(b.round_id),
            entry_id: Set(p.entry_id),
            user_id: Set(p.user_id),
            batch_id: Set(Some(saved.id)),
            status: Set(b.status),
            extra: Set(p.extra),
            created_at: Set(now),
            ..Default::default()
        });
        assignment::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .map_err(|e| StorageError::from_db(e, "assignment"))?;
    }
    txn.commit().await?;
    Ok(saved)
}

/// Drops the unpublished previews of a round (they were never shown to judges).
pub async fn discard_previews<C: Conn>(db: &C, round_id: i64) -> StorageResult<()> {
    let txn = db.begin().await?;
    let ids: Vec<i64> = assignment_batch::Entity::find()
        .filter(assignment_batch::Column::RoundId.eq(round_id))
        .filter(assignment_batch::Column::Status.eq(PREVIEW))
        .all(&txn)
        .await?
        .into_iter()
        .map(|b| b.id)
        .collect();
    if !ids.is_empty() {
        assignment::Entity::delete_many()
            .filter(assignment::Column::BatchId.is_in(ids.clone()))
            .exec(&txn)
            .await?;
        assignment_batch::Entity::delete_many()
            .filter(assignment_batch::Column::Id.is_in(ids))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Publishes a preview batch: its pairs become visible to the judges.
pub async fn publish_batch<C: Conn>(
    db: &C,
    round_id: i64,
    batch_id: i64,
) -> StorageResult<assignment_batch::Model> {
    let txn = db.begin().await?;
    let b = assignment_batch::Entity::find_by_id(batch_id)
        .one(&txn)
        .await?
        .filter(|b| b.round_id == round_id)
        .ok_or(StorageError::NotFound)?;
    if b.status != PREVIEW {
        return Err(StorageError::Conflict(b.status.to_string()));
    }
    assignment::Entity::update_many()
        .col_expr(
            assignment::Column::Status,
            sea_orm::sea_query::Expr::value(PUBLISHED),
        )
        .filter(assignment::Column::BatchId.eq(batch_id))
        .filter(assignment::Column::Status.eq(PREVIEW))
        .exec(&txn)
        .await?;
    let mut am: assignment_batch::ActiveModel = b.into();
    am.status = Set(PUBLISHED);
    am.published_at = Set(Some(time::now()));
    let saved = am.update(&txn).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Undoes a whole batch as one step. Refused (`Conflict("scored")`) when a judge has already
/// saved a score for one of its pairs: that work would be lost.
pub async fn undo_batch<C: Conn>(
    db: &C,
    round_id: i64,
    batch_id: i64,
) -> StorageResult<assignment_batch::Model> {
    let txn = db.begin().await?;
    let b = assignment_batch::Entity::find_by_id(batch_id)
        .one(&txn)
        .await?
        .filter(|b| b.round_id == round_id)
        .ok_or(StorageError::NotFound)?;
    if b.status == UNDONE {
        return Err(StorageError::Conflict(UNDONE.to_string()));
    }
    let pairs: HashSet<(i64, i64)> = assignment::Entity::find()
        .filter(assignment::Column::BatchId.eq(batch_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| (a.entry_id, a.user_id))
        .collect();
    let scored = score::Entity::find()
        .filter(score::Column::RoundId.eq(round_id))
        .all(&txn)
        .await?
        .into_iter()
        .any(|s| pairs.contains(&(s.entry_id, s.user_id)));
    if scored {
        return Err(StorageError::Conflict("scored".into()));
    }
    assignment::Entity::delete_many()
        .filter(assignment::Column::BatchId.eq(batch_id))
        .exec(&txn)
        .await?;
    let mut am: assignment_batch::ActiveModel = b.into();
    am.status = Set(UNDONE);
    let saved = am.update(&txn).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Removes one pair. Refused (`Conflict("scored")`) when its judge has saved a score.
pub async fn remove<C: Conn>(db: &C, round_id: i64, id: i64) -> StorageResult<assignment::Model> {
    let txn = db.begin().await?;
    let a = assignment::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .filter(|a| a.round_id == round_id)
        .ok_or(StorageError::NotFound)?;
    let scored = score::Entity::find()
        .filter(score::Column::RoundId.eq(round_id))
        .filter(score::Column::EntryId.eq(a.entry_id))
        .filter(score::Column::UserId.eq(a.user_id))
        .one(&txn)
        .await?
        .is_some();
    if scored {
        return Err(StorageError::Conflict("scored".into()));
    }
    assignment::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(a)
}

/// A judge recuses from an entry: the conflict is recorded with its reason and the pair is
/// marked recused (its sheet will not count), in one transaction.
pub async fn recuse<C: Conn>(
    db: &C,
    round_id: i64,
    entry_id: i64,
    user_id: i64,
    reason: &str,
) -> StorageResult<()> {
    let txn = db.begin().await?;
    let a = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round_id))
        .filter(assignment::Column::EntryId.eq(entry_id))
        .filter(assignment::Column::UserId.eq(user_id))
        .one(&txn)
        .await?
        .ok_or(StorageError::NotFound)?;
    judge_conflict::Entity::delete_many()
        .filter(judge_conflict::Column::RoundId.eq(round_id))
        .filter(judge_conflict::Column::EntryId.eq(entry_id))
        .filter(judge_conflict::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    judge_conflict::ActiveModel {
        round_id: Set(round_id),
        entry_id: Set(entry_id),
        user_id: Set(user_id),
        kind: Set(DECLARED.into()),
        reason: Set(reason.to_string()),
        created_by: Set(Some(user_id)),
        created_at: Set(time::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // A draft the judge had started is dropped with the recusal; a submitted sheet cannot
    // be here (recusal is refused after submission).
    score::Entity::delete_many()
        .filter(score::Column::RoundId.eq(round_id))
        .filter(score::Column::EntryId.eq(entry_id))
        .filter(score::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    let mut am: assignment::ActiveModel = a.into();
    am.status = Set(RECUSED);
    am.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}
