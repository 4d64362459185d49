//! Shared helpers of the migration files. Landed migrations call them, so they are frozen like
//! the migrations (their hash is in `landed.sha256`): a helper that a new migration needs goes
//! into that migration's own file, or into a new helpers file, never into this one.

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
