//! Results of copy checks, one row per entry (the latest check).

use sea_orm::TransactionSession as _;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use crate::entity::{entry, entry_check};
use crate::{Conn, StorageError, StorageResult, time};

/// The parts of a check's share: copied prose, shared quotes, shared citations.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ShareParts {
    pub prose: f64,
    pub quoted: f64,
    pub cited: f64,
}

/// Stores the check result and updates the entry's flags, in one transaction.
pub async fn record<C: Conn>(
    db: &C,
    entry_id: i64,
    share: f64,
    parts: ShareParts,
    matches: serde_json::Value,
    flags: Vec<String>,
) -> StorageResult<()> {
    let txn = db.begin().await?;
    entry_check::Entity::delete_by_id(entry_id)
        .exec(&txn)
        .await?;
    entry_check::ActiveModel {
        entry_id: Set(entry_id),
        share: Set(share),
        matches: Set(matches.to_string()),
        checked_at: Set(time::now()),
        prose_share: Set(Some(parts.prose)),
        quoted_share: Set(Some(parts.quoted)),
        cited_share: Set(Some(parts.cited)),
    }
    .insert(&txn)
    .await?;
    let e = entry::Entity::find_by_id(entry_id)
        .one(&txn)
        .await?
        .ok_or(StorageError::NotFound)?;
    let mut am: entry::ActiveModel = e.into();
    am.flags = Set(serde_json::json!(flags).to_string());
    am.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn get<C: Conn>(db: &C, entry_id: i64) -> StorageResult<Option<entry_check::Model>> {
    Ok(entry_check::Entity::find_by_id(entry_id).one(db).await?)
}

/// The latest checks of a contest's entries whose stored matches contain `needle` (for
/// example the marker of common text), newest entries first, at most `limit`.
pub async fn of_contest_containing<C: Conn>(
    db: &C,
    contest_id: i64,
    needle: &str,
    limit: u64,
) -> StorageResult<Vec<entry_check::Model>> {
    use sea_orm::sea_query::{LikeExpr, Query};
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    let pattern = format!("%{}%", super::like_escape(needle));
    Ok(entry_check::Entity::find()
        .filter(
            entry_check::Column::EntryId.in_subquery(
                Query::select()
                    .column(entry::Column::Id)
                    .from(entry::Entity)
                    .and_where(entry::Column::ContestId.eq(contest_id))
                    .to_owned(),
            ),
        )
        .filter(entry_check::Column::Matches.like(LikeExpr::new(pattern).escape('\\')))
        .order_by_desc(entry_check::Column::EntryId)
        .limit(limit)
        .all(db)
        .await?)
}

/// How far a re-check of a contest started at `since` has come: live (not withdrawn) entries,
/// and how many of them have a check made at or after `since`.
pub async fn progress<C: Conn>(
    db: &C,
    contest_id: i64,
    since: time::Timestamp,
) -> StorageResult<(u64, u64)> {
    use sea_orm::sea_query::Query;
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    let live = || {
        Query::select()
            .column(entry::Column::Id)
            .from(entry::Entity)
            .and_where(entry::Column::ContestId.eq(contest_id))
            .and_where(entry::Column::Status.ne(super::entries::WITHDRAWN))
            .to_owned()
    };
    let total = entry::Entity::find()
        .filter(entry::Column::ContestId.eq(contest_id))
        .filter(entry::Column::Status.ne(super::entries::WITHDRAWN))
        .count(db)
        .await?;
    let done = entry_check::Entity::find()
        .filter(entry_check::Column::EntryId.in_subquery(live()))
        .filter(entry_check::Column::CheckedAt.gte(since))
        .count(db)
        .await?;
    Ok((total, done))
}
