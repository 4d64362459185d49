//! Copy checks, part 2: the texts organizers upload for a contest, against which entries are
//! checked: references (earlier years' entries, published articles: copying them counts) and
//! allowed sources (resolutions, speeches, the contest's prompt: quoting them does not).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::cols::{fk, id, index, ts};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_integrity_sources"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("integrity_sources")
                .col(id())
                .col(big_integer("contest_id"))
                // "reference" or "allowed".
                .col(string("kind"))
                .col(string("title"))
                .col(text("body"))
                .col(integer("word_count"))
                .col(string_null("file_name"))
                .col(big_integer_null("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "integrity_sources",
                    "contest_id",
                    "contests",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "integrity_sources",
                    "created_by",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("integrity_sources", &["contest_id", "id"]))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("integrity_sources").to_owned())
            .await
    }
}
