//! Course materials (tài liệu): a file (DOCX, ODT, PDF, PPTX, XLSX) kept in the blob store, or a
//! link, with a title, a note, the session it belongs to (if any), its place in the course's
//! list, who may see it (the course's delegates, or everyone), and the text extracted from the
//! file for the site search.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::cols::{fk, id, index, ts};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_course_materials"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("course_materials")
                .col(id())
                .col(big_integer("course_id"))
                .col(big_integer_null("session_id"))
                .col(integer("position").default(0))
                .col(string("title"))
                .col(text("note").default(""))
                .col(string("kind"))
                .col(string("visibility"))
                .col(text("url").default(""))
                .col(string("file_sha256").default(""))
                .col(string("file_name").default(""))
                .col(string("format").default(""))
                .col(big_integer("size_bytes").default(0))
                .col(text("body").default(""))
                .col(big_integer_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "course_materials",
                    "course_id",
                    "courses",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "course_materials",
                    "session_id",
                    "course_sessions",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "course_materials",
                    "created_by",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("course_materials", &["course_id", "position"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table("course_materials")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
