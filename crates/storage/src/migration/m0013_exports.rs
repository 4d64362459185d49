//! Exports made in the background. An organizer asks for a large list (a contest's entries
//! today), a job writes it and counts its rows as it goes, and a page shows done / total and
//! the time left until the file can be downloaded. The file is kept in the blob store by its
//! SHA-256, so any instance can serve it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::cols::{fk, id, index, ts, ts_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0013_exports"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("exports")
                .col(id())
                // What is exported (`contest_entries`) and of which record.
                .col(string("kind"))
                .col(big_integer("subject_id"))
                // The requester's scope when it was asked for: empty for the whole subject.
                .col(string("unit_path").default(""))
                .col(big_integer("requested_by"))
                .col(string("status"))
                .col(big_integer("done").default(0))
                .col(big_integer("total").default(0))
                .col(string_null("file_sha256"))
                .col(big_integer("file_bytes").default(0))
                .col(text_null("error"))
                .col(ts("created_at"))
                .col(ts_null("finished_at"))
                .foreign_key(&mut fk(
                    "exports",
                    "requested_by",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exports", &["requested_by", "kind", "subject_id"]))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("exports").to_owned())
            .await
    }
}
