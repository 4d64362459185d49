//! Instance-wide settings shared by every app instance.

use sea_orm::Statement;

use crate::{Conn, StorageResult};

pub async fn get<C: Conn>(db: &C, key: &str) -> StorageResult<Option<String>> {
    let stmt = Statement::from_sql_and_values(
        db.get_database_backend(),
        "SELECT value FROM settings WHERE key = $1",
        [key.into()],
    );
    Ok(match db.query_one_raw(stmt).await? {
        Some(row) => Some(row.try_get::<String>("", "value")?),
        None => None,
    })
}

/// Returns the stored value, storing `candidate` first if the key is absent. Concurrent
/// instances starting together all end up with the same value.
pub async fn get_or_init<C: Conn>(db: &C, key: &str, candidate: &str) -> StorageResult<String> {
    let stmt = Statement::from_sql_and_values(
        db.get_database_backend(),
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        [key.into(), candidate.into()],
    );
    db.execute_raw(stmt).await?;
    Ok(get(db, key).await?.unwrap_or_else(|| candidate.to_string()))
}
