//! Contests: roll-out through units, genres, participant groups, entries with their authors
//! kept apart from the work (blind judging), and each entry's version history.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::cols::{fk, id, index, ts, ts_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_contests"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("contests")
                .col(id())
                .col(string_uniq("slug"))
                .col(string("title"))
                .col(text("description"))
                .col(text("rules"))
                .col(big_integer("organizer_unit_id"))
                .col(ts("opens_at"))
                .col(ts("closes_at"))
                .col(boolean("published"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "contests",
                    "organizer_unit_id",
                    "units",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;

        // The units that collect entries; each collects from its own subtree.
        m.create_table(
            Table::create()
                .table("contest_units")
                .col(big_integer("contest_id"))
                .col(big_integer("unit_id"))
                .primary_key(Index::create().col("contest_id").col("unit_id"))
                .foreign_key(&mut fk(
                    "contest_units",
                    "contest_id",
                    "contests",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "contest_units",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("genres")
                .col(id())
                .col(big_integer("contest_id"))
                .col(string("name"))
                // "text": an uploaded document or pasted text; "media": a file or a link.
                .col(string("medium"))
                .col(integer_null("min_words"))
                .col(integer_null("max_words"))
                .col(integer("max_authors"))
                .col(integer("max_entries_per_author"))
                .col(string("accepted_types"))
                .col(integer("allowed_overlap_percent"))
                .col(integer("position"))
                .foreign_key(&mut fk(
                    "genres",
                    "contest_id",
                    "contests",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("genres", &["contest_id"])).await?;

        m.create_table(
            Table::create()
                .table("participant_groups")
                .col(id())
                .col(big_integer("contest_id"))
                .col(string("name"))
                .col(integer("position"))
                .foreign_key(&mut fk(
                    "participant_groups",
                    "contest_id",
                    "contests",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("entries")
                .col(id())
                .col(big_integer("contest_id"))
                .col(big_integer("genre_id"))
                .col(big_integer("unit_id"))
                // Copied from the unit at submission: dashboards and scoping by subtree
                // need no join through units.
                .col(string("unit_path"))
                .col(string_uniq("receipt_code"))
                .col(string("title"))
                .col(string("title_key"))
                .col(string("pen_name"))
                .col(string("status"))
                .col(text("status_reason"))
                .col(integer("word_count"))
                .col(text("body"))
                .col(string_null("file_sha256"))
                .col(string_null("file_name"))
                .col(string_null("media_link"))
                .col(text("flags"))
                .col(big_integer_null("submitter_user_id"))
                .col(string_null("access_token_hash"))
                .col(string("contact"))
                .col(string("author_key"))
                .col(integer("version"))
                .col(ts("submitted_at"))
                .col(ts("updated_at"))
                .col(ts_null("withdrawn_at"))
                .foreign_key(&mut fk(
                    "entries",
                    "contest_id",
                    "contests",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "entries",
                    "genre_id",
                    "genres",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "entries",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "entries",
                    "submitter_user_id",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("entries", &["contest_id", "unit_path"]))
            .await?;
        m.create_index(index("entries", &["contest_id", "submitted_at"]))
            .await?;
        m.create_index(index("entries", &["contest_id", "file_sha256"]))
            .await?;
        m.create_index(index("entries", &["contest_id", "author_key"]))
            .await?;
        m.create_index(index("entries", &["submitter_user_id"]))
            .await?;

        // Who wrote it: kept apart from the work so judging can read entries without it.
        m.create_table(
            Table::create()
                .table("entry_authors")
                .col(id())
                .col(big_integer("entry_id"))
                .col(integer("position"))
                .col(string("full_name"))
                .col(string("name_key"))
                .col(integer_null("birth_year"))
                .col(string("workplace"))
                .col(big_integer_null("group_id"))
                .col(string("phone"))
                .col(string("email"))
                .foreign_key(&mut fk(
                    "entry_authors",
                    "entry_id",
                    "entries",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "entry_authors",
                    "group_id",
                    "participant_groups",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("entry_authors", &["entry_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("entry_versions")
                .col(id())
                .col(big_integer("entry_id"))
                .col(integer("version"))
                .col(big_integer("genre_id"))
                .col(string("title"))
                .col(string("pen_name"))
                .col(text("body"))
                .col(string_null("file_sha256"))
                .col(string_null("file_name"))
                .col(integer("word_count"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "entry_versions",
                    "entry_id",
                    "entries",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("entry_versions", &["entry_id"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "entry_versions",
            "entry_authors",
            "entries",
            "participant_groups",
            "genres",
            "contest_units",
            "contests",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
