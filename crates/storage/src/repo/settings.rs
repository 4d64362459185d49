//! Instance-wide settings shared by every app instance.

use sea_orm::{ConnectionTrait, Statement};

use crate::{Db, StorageResult};

pub async fn get(db: &Db, key: &str) -> StorageResult<Option<String>> {
    let stmt = Statement::from_sql_and_values(
        db.db_backend(),
        "SELECT value FROM settings WHERE key = $1",
        [key.into()],
    );
    Ok(match db.conn.query_one_raw(stmt).await? {
        Some(row) => Some(row.try_get::<String>("", "value")?),
        None => None,
    })
}

/// Returns the stored value, storing `candidate` first if the key is absent. Concurrent
/// instances starting together all end up with the same value.
pub async fn get_or_init(db: &Db, key: &str, candidate: &str) -> StorageResult<String> {
    let stmt = Statement::from_sql_and_values(
        db.db_backend(),
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        [key.into(), candidate.into()],
    );
    db.conn.execute_raw(stmt).await?;
    Ok(get(db, key).await?.unwrap_or_else(|| candidate.to_string()))
}
