//! Participation counters, so that a dashboard costs the same with 500 or 500,000 entries,
//! and index shapes for entry lists that page by key instead of by offset.
//!
//! `participation` holds, for every unit on the path of an entry (its own unit and each
//! ancestor), the number of live entries and of authors per breakdown (`dim` = all, genre,
//! group, day, status). `participation_authors` knows, at the entry's own unit, how many live entries
//! each author has in each cell, so that an author is counted once per unit and cell.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::cols::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_participation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("participation")
                .col(big_integer("contest_id"))
                .col(string("unit_path"))
                .col(string("dim"))
                .col(string("k"))
                .col(big_integer("entries"))
                .col(big_integer("authors"))
                .primary_key(
                    Index::create()
                        .col("contest_id")
                        .col("unit_path")
                        .col("dim")
                        .col("k"),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("participation_authors")
                .col(big_integer("contest_id"))
                .col(string("unit_path"))
                .col(string("dim"))
                .col(string("k"))
                .col(string("author_key"))
                .col(big_integer("n"))
                .primary_key(
                    Index::create()
                        .col("contest_id")
                        .col("unit_path")
                        .col("dim")
                        .col("k")
                        .col("author_key"),
                )
                .to_owned(),
        )
        .await?;
        // Whole-contest totals read one cell over the top-level units only.
        m.create_index(index(
            "participation",
            &["contest_id", "dim", "k", "unit_path"],
        ))
        .await?;
        // Entry lists page by (sort key, id) within a contest.
        for cols in [
            &["contest_id", "status", "submitted_at"][..],
            &["contest_id", "genre_id", "submitted_at"],
            &["contest_id", "title_key", "id"],
            &["contest_id", "word_count", "id"],
            &["contest_id", "unit_path", "submitted_at"],
        ] {
            m.create_index(index("entries", cols)).await?;
        }
        let conn = m.get_connection();
        // Flagged entries are few; a partial index finds them without reading the others.
        conn.execute_unprepared(
            "CREATE INDEX ix_entries_flagged ON entries (contest_id, submitted_at) \
             WHERE flags <> '[]'",
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            // Paths and sort keys are compared byte by byte (prefix ranges, Vietnamese sort
            // keys); a database created with a language collation would compare them
            // differently, so these columns say so themselves.
            for (table, col) in [
                ("units", "path"),
                ("units", "name_key"),
                ("users", "name_key"),
                ("entries", "unit_path"),
                ("entries", "title_key"),
                ("entry_authors", "name_key"),
                ("participation", "unit_path"),
                ("participation_authors", "unit_path"),
            ] {
                conn.execute_unprepared(&format!(
                    "ALTER TABLE {table} ALTER COLUMN {col} TYPE varchar COLLATE \"C\""
                ))
                .await?;
            }
        }
        crate::repo::participation::rebuild(conn, None)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("participation_authors").to_owned())
            .await?;
        m.drop_table(Table::drop().table("participation").to_owned())
            .await
    }
}
