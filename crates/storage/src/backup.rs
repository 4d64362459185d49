//! A consistent copy of the SQLite database while the server runs. `VACUUM INTO` reads inside
//! one transaction, so the copy is a snapshot even with writers active (WAL mode).

use std::path::Path;

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::{Backend, Db, StorageError, StorageResult};

pub async fn backup_sqlite(db: &Db, out: &Path) -> StorageResult<u64> {
    if db.backend != Backend::Sqlite {
        return Err(StorageError::Invalid(
            "backup writes SQLite files; for PostgreSQL use pg_dump".into(),
        ));
    }
    if out.exists() {
        return Err(StorageError::Invalid(format!(
            "{} already exists; choose a new file name",
            out.display()
        )));
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let target = out.to_string_lossy().to_string();
    db.conn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [target.into()],
        ))
        .await?;
    Ok(std::fs::metadata(out)?.len())
}
