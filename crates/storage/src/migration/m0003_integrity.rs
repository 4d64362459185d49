//! Copy checks: the latest result for each entry (share of copied text and the passages).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::cols::{fk, ts};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_integrity"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("entry_checks")
                .col(big_integer("entry_id").primary_key())
                .col(double("share"))
                .col(text("matches"))
                .col(ts("checked_at"))
                .foreign_key(&mut fk(
                    "entry_checks",
                    "entry_id",
                    "entries",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("entry_checks").to_owned())
            .await
    }
}
