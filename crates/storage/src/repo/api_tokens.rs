use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entity::api_token::{ActiveModel, Column, Entity, Model};
use crate::entity::user;
use crate::{Conn, StorageError, StorageResult, time};

pub async fn create<C: Conn>(
    db: &C,
    user_id: i64,
    name: String,
    token_hash: String,
) -> StorageResult<Model> {
    Ok(ActiveModel {
        user_id: Set(user_id),
        name: Set(name),
        token_hash: Set(token_hash),
        created_at: Set(time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The active user owning a live (unrevoked) token.
pub async fn lookup<C: Conn>(
    db: &C,
    token_hash: &str,
) -> StorageResult<Option<(Model, user::Model)>> {
    let Some(token) = Entity::find()
        .filter(Column::TokenHash.eq(token_hash))
        .filter(Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(owner) = user::Entity::find_by_id(token.user_id).one(db).await? else {
        return Ok(None);
    };
    if !owner.is_active {
        return Ok(None);
    }
    let now = time::now();
    // Record use at most once a minute to keep API reads read-only in the common case.
    let stale = token
        .last_used_at
        .is_none_or(|t| now - t > chrono::Duration::minutes(1));
    let token = if stale {
        let mut am: ActiveModel = token.into();
        am.last_used_at = Set(Some(now));
        am.update(db).await?
    } else {
        token
    };
    Ok(Some((token, owner)))
}

pub async fn list_for_user<C: Conn>(db: &C, user_id: i64) -> StorageResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::UserId.eq(user_id))
        .order_by_desc(Column::Id)
        .all(db)
        .await?)
}

pub async fn revoke<C: Conn>(db: &C, user_id: i64, id: i64) -> StorageResult<()> {
    let token = Entity::find_by_id(id)
        .filter(Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?;
    let mut am: ActiveModel = token.into();
    am.revoked_at = Set(Some(time::now()));
    am.update(db).await?;
    Ok(())
}
