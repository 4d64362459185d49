//! Server-side sessions, so that several app instances can share one PostgreSQL.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::entity::session::{ActiveModel, Column, Entity, Model};
use crate::entity::user;
use crate::{Conn, StorageResult, time};

pub async fn create<C: Conn>(
    db: &C,
    id_hash: String,
    user_id: i64,
    csrf_secret: String,
    ttl: Duration,
    user_agent: Option<String>,
) -> StorageResult<Model> {
    let now = time::now();
    Ok(ActiveModel {
        id: Set(id_hash),
        user_id: Set(user_id),
        csrf_secret: Set(csrf_secret),
        created_at: Set(now),
        expires_at: Set(now + ttl),
        last_seen_at: Set(now),
        user_agent: Set(user_agent),
    }
    .insert(db)
    .await?)
}

/// The live session and its active user, if any. Sliding expiry: a session used after a
/// tenth of its lifetime is extended (one write per few hours, not per request).
pub async fn lookup<C: Conn>(
    db: &C,
    id_hash: &str,
    ttl: Duration,
) -> StorageResult<Option<(Model, user::Model)>> {
    let now = time::now();
    let Some(session) = Entity::find_by_id(id_hash.to_string()).one(db).await? else {
        return Ok(None);
    };
    if session.expires_at <= now {
        Entity::delete_by_id(session.id.clone()).exec(db).await?;
        return Ok(None);
    }
    let Some(user) = user::Entity::find_by_id(session.user_id).one(db).await? else {
        return Ok(None);
    };
    if !user.is_active {
        return Ok(None);
    }
    let session = if now - session.last_seen_at > ttl / 10 {
        let mut am: ActiveModel = session.into();
        am.last_seen_at = Set(now);
        am.expires_at = Set(now + ttl);
        am.update(db).await?
    } else {
        session
    };
    Ok(Some((session, user)))
}

pub async fn delete<C: Conn>(db: &C, id_hash: &str) -> StorageResult<()> {
    Entity::delete_by_id(id_hash.to_string()).exec(db).await?;
    Ok(())
}

/// Signs a user out everywhere (after a password change or reset), optionally keeping one session.
pub async fn delete_for_user<C: Conn>(
    db: &C,
    user_id: i64,
    keep: Option<&str>,
) -> StorageResult<u64> {
    let mut q = Entity::delete_many().filter(Column::UserId.eq(user_id));
    if let Some(k) = keep {
        q = q.filter(Column::Id.ne(k));
    }
    Ok(q.exec(db).await?.rows_affected)
}

pub async fn purge_expired<C: Conn>(db: &C) -> StorageResult<u64> {
    Ok(Entity::delete_many()
        .filter(Column::ExpiresAt.lte(time::now()))
        .exec(db)
        .await?
        .rows_affected)
}
