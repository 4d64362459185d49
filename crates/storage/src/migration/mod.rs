//! Migrations, written once with SeaORM's schema builder and run on SQLite and PostgreSQL.
//! Each module's tables come in their own migration so that a newcomer finds them by name.

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_contests;
mod m0003_integrity;
mod m0004_participation;
mod m0005_integrity_sources;
mod m0006_judging;
mod m0008_certificate_subjects;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_contests::Migration),
            Box::new(m0003_integrity::Migration),
            Box::new(m0004_participation::Migration),
            Box::new(m0005_integrity_sources::Migration),
            Box::new(m0006_judging::Migration),
            Box::new(m0008_certificate_subjects::Migration),
        ]
    }
}

/// Applies the pending migrations that come before the one named `name` (its file name without
/// `.rs`), and none after: upgrade tests build the old schema this way, fill it as the old code
/// did, then let the application migrate the rest.
pub async fn up_to_before(db: &crate::Db, name: &str) -> crate::StorageResult<()> {
    let all = Migrator::migrations();
    let Some(at) = all.iter().position(|m| m.name() == name) else {
        return Err(crate::StorageError::NotFound);
    };
    let applied = Migrator::get_applied_migrations(&db.conn).await?.len();
    if applied < at {
        Migrator::up(&db.conn, Some((at - applied) as u32)).await?;
    }
    Ok(())
}

/// Reverts the applied migrations from the one named `name` on (downgrade tests).
pub async fn down_to_before(db: &crate::Db, name: &str) -> crate::StorageResult<()> {
    let applied = Migrator::get_applied_migrations(&db.conn).await?;
    let Some(at) = applied.iter().position(|m| m.name() == name) else {
        return Err(crate::StorageError::NotFound);
    };
    Migrator::down(&db.conn, Some((applied.len() - at) as u32)).await?;
    Ok(())
}

/// Shared helpers for the migration files.
pub(crate) mod cols {
    use sea_orm_migration::prelude::*;
    use sea_orm_migration::schema;

    pub fn id() -> ColumnDef {
        schema::big_pk_auto("id")
    }
    pub fn ts(name: &'static str) -> ColumnDef {
        schema::timestamp_with_time_zone(name)
    }
    pub fn ts_null(name: &'static str) -> ColumnDef {
        schema::timestamp_with_time_zone_null(name)
    }
    pub fn fk(
        table: &'static str,
        column: &'static str,
        target: &'static str,
        on_delete: ForeignKeyAction,
    ) -> ForeignKeyCreateStatement {
        ForeignKey::create()
            .name(format!("fk_{table}_{column}"))
            .from(table, column)
            .to(target, "id")
            .on_delete(on_delete)
            .to_owned()
    }
    pub fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
        let mut idx = Index::create();
        idx.name(format!("ix_{table}_{}", columns.join("_")))
            .table(table);
        for c in columns {
            idx.col(*c);
        }
        idx.to_owned()
    }
}
