//! Participation counters, so that a dashboard costs the same with 500 or 500,000 entries,
//! and index shapes for entry lists that page by key instead of by offset.
//!
//! `participation` holds, for every unit on the path of an entry (its own unit and each
//! ancestor), the number of live entries and of authors per breakdown (`dim` = all, genre,
//! group, day). `participation_authors` knows, at the entry's own unit, how many live entries
//! each author has in each cell, so that an author is counted once per unit and cell.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
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
        count_entries_already_there(conn).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("participation_authors").to_owned())
            .await?;
        m.drop_table(Table::drop().table("participation").to_owned())
            .await
    }
}

// Until decision 0005 this migration called `repo::participation::rebuild`, live code that may
// change after the migration has run on databases in use. What follows is a frozen copy of what
// that call did (status included), written out here so the migration does the same thing
// forever. The two tables were created empty above, so there is nothing to delete first.

/// Counts the entries that exist when the migration runs: live entries (not withdrawn) and
/// authors per unit on each entry's path and per cell (all, genre, group of the first author,
/// Vietnamese calendar day, screening status).
async fn count_entries_already_there<C: ConnectionTrait>(conn: &C) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    let day = match backend {
        DbBackend::Postgres => {
            "to_char(e.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')"
        }
        _ => "date(e.submitted_at, '+7 hours')",
    };
    let cells = [
        ("all", "''", ""),
        ("genre", "CAST(e.genre_id AS TEXT)", ""),
        (
            "group",
            "COALESCE(CAST(a.group_id AS TEXT), '')",
            "LEFT JOIN entry_authors a ON a.entry_id = e.id AND a.position = 0",
        ),
        ("day", day, ""),
        ("status", "e.status", ""),
    ];
    for (dim, key, join) in cells {
        // PostgreSQL refuses a constant in GROUP BY: the "all" cell has none to group by.
        let group_key = if dim == "all" {
            String::new()
        } else {
            format!("{key}, ")
        };
        conn.execute_unprepared(&format!(
            "INSERT INTO participation_authors (contest_id, unit_path, dim, k, author_key, n) \
             SELECT e.contest_id, e.unit_path, '{dim}', {key}, e.author_key, COUNT(*) \
             FROM entries e {join} WHERE e.status <> 'withdrawn' \
             GROUP BY e.contest_id, e.unit_path, {group_key}e.author_key"
        ))
        .await?;
    }
    let rows = conn
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT contest_id, unit_path, dim, k, CAST(SUM(n) AS BIGINT) AS entries, \
             COUNT(*) AS authors \
             FROM participation_authors GROUP BY contest_id, unit_path, dim, k",
        ))
        .await?;
    // Each unit's figures include its subtree: add every cell to each ancestor of its unit.
    let mut sums: BTreeMap<(i64, String, String, String), (i64, i64)> = BTreeMap::new();
    for r in rows {
        let contest: i64 = r.try_get("", "contest_id")?;
        let path: String = r.try_get("", "unit_path")?;
        let dim: String = r.try_get("", "dim")?;
        let k: String = r.try_get("", "k")?;
        let entries: i64 = r.try_get("", "entries")?;
        let authors: i64 = r.try_get("", "authors")?;
        for a in ancestors(&path) {
            let s = sums
                .entry((contest, a, dim.clone(), k.clone()))
                .or_default();
            s.0 += entries;
            s.1 += authors;
        }
    }
    let all: Vec<_> = sums.into_iter().collect();
    for chunk in all.chunks(400) {
        let mut sql = String::from(
            "INSERT INTO participation (contest_id, unit_path, dim, k, entries, authors) VALUES ",
        );
        let mut values: Vec<Value> = Vec::new();
        for (i, ((contest, path, dim, k), (e, a))) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let marks: Vec<String> = (values.len() + 1..values.len() + 7)
                .map(|n| format!("${n}"))
                .collect();
            sql.push_str(&format!("({})", marks.join(", ")));
            values.extend([
                (*contest).into(),
                path.clone().into(),
                dim.clone().into(),
                k.clone().into(),
                (*e).into(),
                (*a).into(),
            ]);
        }
        conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// "/1/5/12/" → ["/1/", "/1/5/", "/1/5/12/"].
fn ancestors(path: &str) -> Vec<String> {
    path.char_indices()
        .filter(|(i, c)| *c == '/' && *i > 0)
        .map(|(i, _)| path[..=i].to_string())
        .collect()
}
