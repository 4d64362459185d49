//! News: posts of a unit with their revisions, categories (each unit has its own), tags,
//! photos with caption, alt text and resized variants, and links from a post to the records it
//! reports (contests today, courses next: `subject_kind` + `subject_id`, no foreign key, so a
//! module that lands later needs no change here).
//!
//! A post's body is kept twice: the text its editor typed (Markdown-like) and the sanitized
//! HTML made from it when it was saved, so that readers are served the stored HTML as is.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::cols::{fk, id, index, ts, ts_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_news"
    }
}

fn unique(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(format!("ux_{table}_{}", columns.join("_")))
        .table(table)
        .unique();
    for c in columns {
        idx.col(*c);
    }
    idx.to_owned()
}

const TABLES: &[&str] = &[
    "news_links",
    "news_photos",
    "news_revisions",
    "news_post_tags",
    "news_post_categories",
    "news_posts",
    "news_tags",
    "news_categories",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("news_categories")
                .col(id())
                .col(big_integer("unit_id"))
                .col(string_uniq("slug"))
                .col(string("name"))
                .col(integer("position").default(0))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "news_categories",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("news_categories", &["unit_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("news_tags")
                .col(id())
                .col(string_uniq("slug"))
                .col(string("name"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("news_posts")
                .col(id())
                .col(big_integer("unit_id"))
                .col(string_uniq("slug"))
                .col(string("title"))
                .col(text("lead"))
                .col(text("body"))
                .col(text("body_html"))
                .col(string("byline"))
                .col(string("source_unit").default(""))
                .col(string("status"))
                .col(big_integer_null("cover_photo_id"))
                .col(integer("revision").default(0))
                .col(ts_null("published_at"))
                .col(big_integer_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "news_posts",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "news_posts",
                    "created_by",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("news_posts", &["unit_id"])).await?;
        m.create_index(index("news_posts", &["status", "published_at"]))
            .await?;
        for (table, other, target) in [
            ("news_post_categories", "category_id", "news_categories"),
            ("news_post_tags", "tag_id", "news_tags"),
        ] {
            m.create_table(
                Table::create()
                    .table(table)
                    .col(id())
                    .col(big_integer("post_id"))
                    .col(big_integer(other))
                    .foreign_key(&mut fk(
                        table,
                        "post_id",
                        "news_posts",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(table, other, target, ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
            m.create_index(unique(table, &["post_id", other])).await?;
            m.create_index(index(table, &[other])).await?;
        }
        m.create_table(
            Table::create()
                .table("news_revisions")
                .col(id())
                .col(big_integer("post_id"))
                .col(integer("number"))
                .col(string("title"))
                .col(text("lead"))
                .col(text("body"))
                .col(string("byline"))
                .col(big_integer_null("author_id"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "news_revisions",
                    "post_id",
                    "news_posts",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "news_revisions",
                    "author_id",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("news_revisions", &["post_id", "number"]))
            .await?;
        m.create_table(
            Table::create()
                .table("news_photos")
                .col(id())
                .col(big_integer("post_id"))
                .col(integer("position"))
                .col(string("sha256"))
                .col(string("mime"))
                .col(integer("width"))
                .col(integer("height"))
                .col(text("caption"))
                .col(text("caption_html"))
                .col(string("alt"))
                .col(text("variants").default("[]"))
                .col(string("status"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "news_photos",
                    "post_id",
                    "news_posts",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("news_photos", &["post_id"])).await?;
        m.create_table(
            Table::create()
                .table("news_links")
                .col(id())
                .col(big_integer("post_id"))
                .col(string("subject_kind"))
                .col(big_integer("subject_id"))
                .foreign_key(&mut fk(
                    "news_links",
                    "post_id",
                    "news_posts",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique(
            "news_links",
            &["post_id", "subject_kind", "subject_id"],
        ))
        .await?;
        m.create_index(index("news_links", &["subject_kind", "subject_id"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            m.drop_table(Table::drop().table(*t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
