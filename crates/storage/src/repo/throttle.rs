//! Throttling of failed sign-ins, per account name and per client address, kept in the
//! database so that every app instance sees the same counts.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use crate::entity::login_throttle::{ActiveModel, Entity};
use crate::{Conn, StorageResult, time};

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub max_failures: i32,
    pub window: Duration,
    pub lockout: Duration,
}

/// When the key is locked, the time until which it is.
pub async fn locked_until<C: Conn>(db: &C, key: &str) -> StorageResult<Option<time::Timestamp>> {
    let now = time::now();
    Ok(Entity::find_by_id(key.to_string())
        .one(db)
        .await?
        .and_then(|r| r.locked_until)
        .filter(|t| *t > now))
}

/// Counts one failure; locks the key once `max_failures` fall within `window`.
pub async fn record_failure<C: Conn>(db: &C, key: &str, policy: Policy) -> StorageResult<()> {
    let now = time::now();
    match Entity::find_by_id(key.to_string()).one(db).await? {
        Some(row) => {
            let fresh_window = now - row.window_start > policy.window;
            let failures = if fresh_window { 1 } else { row.failures + 1 };
            let mut am: ActiveModel = row.into();
            if fresh_window {
                am.window_start = Set(now);
            }
            am.failures = Set(failures);
            if failures >= policy.max_failures {
                am.locked_until = Set(Some(now + policy.lockout));
                am.failures = Set(0);
                am.window_start = Set(now);
            }
            am.update(db).await?;
        }
        None => {
            let res = ActiveModel {
                key: Set(key.to_string()),
                failures: Set(1),
                window_start: Set(now),
                locked_until: Set(None),
            }
            .insert(db)
            .await;
            // Two concurrent first failures: the other insert won; count is close enough.
            if let Err(e) = res {
                tracing::debug!("throttle insert raced: {e}");
            }
        }
    }
    Ok(())
}

pub async fn reset<C: Conn>(db: &C, key: &str) -> StorageResult<()> {
    Entity::delete_by_id(key.to_string()).exec(db).await?;
    Ok(())
}
