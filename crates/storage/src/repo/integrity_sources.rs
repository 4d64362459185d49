//! Texts a contest's entries are checked against: references and allowed sources.

use sea_orm::TransactionSession as _;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::integrity_source::{self, Column, Entity, Model};
use crate::{Conn, StorageError, StorageResult, time};

/// Copying it counts against the entry.
pub const REFERENCE: &str = "reference";
/// Everyone may quote it: not counted.
pub const ALLOWED: &str = "allowed";

#[derive(Debug, Clone)]
pub struct NewSource {
    pub contest_id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub word_count: i32,
    pub file_name: Option<String>,
    pub created_by: Option<i64>,
}

/// A source without its text, for lists.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub word_count: i32,
    pub file_name: Option<String>,
    pub created_at: time::Timestamp,
}

/// Stores sources, all or none (one upload, or every line of an import).
pub async fn add<C: Conn>(db: &C, sources: Vec<NewSource>) -> StorageResult<Vec<Model>> {
    if sources
        .iter()
        .any(|s| s.kind != REFERENCE && s.kind != ALLOWED)
    {
        return Err(StorageError::Invalid("kind".into()));
    }
    let txn = db.begin().await?;
    let now = time::now();
    let mut out = Vec::with_capacity(sources.len());
    for s in sources {
        out.push(
            integrity_source::ActiveModel {
                contest_id: Set(s.contest_id),
                kind: Set(s.kind),
                title: Set(s.title),
                body: Set(s.body),
                word_count: Set(s.word_count),
                file_name: Set(s.file_name),
                created_by: Set(s.created_by),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?,
        );
    }
    txn.commit().await?;
    Ok(out)
}

/// The contest's sources, newest first, without their texts.
pub async fn list<C: Conn>(db: &C, contest_id: i64) -> StorageResult<Vec<SourceInfo>> {
    let rows: Vec<(i64, String, String, i32, Option<String>, time::Timestamp)> = Entity::find()
        .select_only()
        .columns([
            Column::Id,
            Column::Kind,
            Column::Title,
            Column::WordCount,
            Column::FileName,
            Column::CreatedAt,
        ])
        .filter(Column::ContestId.eq(contest_id))
        .order_by_desc(Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, kind, title, word_count, file_name, created_at)| SourceInfo {
                id,
                kind,
                title,
                word_count,
                file_name,
                created_at,
            },
        )
        .collect())
}

/// Ids and kinds of the contest's sources (what its copy-check index must hold).
pub async fn kinds<C: Conn>(db: &C, contest_id: i64) -> StorageResult<Vec<(i64, String)>> {
    Ok(Entity::find()
        .select_only()
        .columns([Column::Id, Column::Kind])
        .filter(Column::ContestId.eq(contest_id))
        .order_by_asc(Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn get<C: Conn>(db: &C, id: i64) -> StorageResult<Model> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

/// Sources of a contest with the given ids (texts included).
pub async fn by_ids<C: Conn>(db: &C, contest_id: i64, ids: &[i64]) -> StorageResult<Vec<Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .filter(Column::ContestId.eq(contest_id))
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// Removes one of the contest's sources; another contest's id is not found.
pub async fn remove<C: Conn>(db: &C, contest_id: i64, id: i64) -> StorageResult<Model> {
    let s = get(db, id).await?;
    if s.contest_id != contest_id {
        return Err(StorageError::NotFound);
    }
    Entity::delete_by_id(id).exec(db).await?;
    Ok(s)
}
