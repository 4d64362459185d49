//! Background exports: asked for on a page, written by a job that counts its rows as it goes.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entity::export::{ActiveModel, Column, Entity, Model};
use crate::status::ExportStatus;
use crate::{Conn, StorageError, StorageResult, time};

/// The entries of one contest (`subject_id` is the contest).
pub const CONTEST_ENTRIES: &str = "contest_entries";

pub async fn create<C: Conn>(
    db: &C,
    kind: &str,
    subject_id: i64,
    unit_path: &str,
    requested_by: i64,
) -> StorageResult<Model> {
    Ok(ActiveModel {
        kind: Set(kind.to_string()),
        subject_id: Set(subject_id),
        unit_path: Set(unit_path.to_string()),
        requested_by: Set(requested_by),
        status: Set(ExportStatus::Pending),
        done: Set(0),
        total: Set(0),
        file_sha256: Set(None),
        file_bytes: Set(0),
        error: Set(None),
        created_at: Set(time::now()),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn get<C: Conn>(db: &C, id: i64) -> StorageResult<Model> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

/// The newest export of this kind and subject that this user asked for.
pub async fn latest<C: Conn>(
    db: &C,
    user_id: i64,
    kind: &str,
    subject_id: i64,
) -> StorageResult<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::RequestedBy.eq(user_id))
        .filter(Column::Kind.eq(kind))
        .filter(Column::SubjectId.eq(subject_id))
        .order_by_desc(Column::Id)
        .one(db)
        .await?)
}

/// Running, with this many rows done of `total`.
pub async fn progress<C: Conn>(db: &C, id: i64, done: i64, total: i64) -> StorageResult<()> {
    Entity::update_many()
        .col_expr(Column::Status, Expr::value(ExportStatus::Running.as_str()))
        .col_expr(Column::Done, Expr::value(done))
        .col_expr(Column::Total, Expr::value(total))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn finish<C: Conn>(db: &C, id: i64, sha256: &str, bytes: i64) -> StorageResult<()> {
    Entity::update_many()
        .col_expr(Column::Status, Expr::value(ExportStatus::Done.as_str()))
        .col_expr(Column::FileSha256, Expr::value(Some(sha256.to_string())))
        .col_expr(Column::FileBytes, Expr::value(bytes))
        .col_expr(Column::FinishedAt, Expr::value(Some(time::now())))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn fail<C: Conn>(db: &C, id: i64, error: &str) -> StorageResult<()> {
    Entity::update_many()
        .col_expr(Column::Status, Expr::value(ExportStatus::Failed.as_str()))
        .col_expr(Column::Error, Expr::value(Some(error.to_string())))
        .col_expr(Column::FinishedAt, Expr::value(Some(time::now())))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
