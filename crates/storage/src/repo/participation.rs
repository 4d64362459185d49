//! Participation counters behind the dashboards, kept in the same transaction as the entry
//! changes they count. Reading a dashboard touches a few dozen rows whatever the number of
//! entries; `rebuild` recomputes everything from the entries (migration, CLI).
//!
//! What is counted: live entries (not withdrawn) and authors. An author (by identity key) is
//! counted once per unit where they submitted and per cell; a unit's figures include its
//! subtree, so an author who submitted in two communes counts in both and twice at the
//! district above them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::{Conn, StorageResult};

pub const ALL: &str = "all";
pub const GENRE: &str = "genre";
pub const GROUP: &str = "group";
pub const DAY: &str = "day";
/// Screening status (submitted, eligible, disqualified): exact totals for filtered lists.
pub const STATUS: &str = "status";

/// What one entry contributes to: its contest, unit, author and the breakdown cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub contest_id: i64,
    pub unit_path: String,
    pub author_key: String,
    pub cells: Vec<(&'static str, String)>,
}

impl Contribution {
    pub fn new(
        contest_id: i64,
        unit_path: &str,
        author_key: &str,
        genre_id: i64,
        group_id: Option<i64>,
        submitted_at: DateTime<Utc>,
        status: &str,
    ) -> Contribution {
        Contribution {
            contest_id,
            unit_path: unit_path.to_string(),
            author_key: author_key.to_string(),
            cells: vec![
                (ALL, String::new()),
                (GENRE, genre_id.to_string()),
                (GROUP, group_id.map(|g| g.to_string()).unwrap_or_default()),
                (DAY, vietnam_day(submitted_at)),
                (STATUS, status.to_string()),
            ],
        }
    }

    /// Only the status cell: what a screening decision moves from one status to another.
    pub fn status_only(&self) -> Contribution {
        Contribution {
            cells: self
                .cells
                .iter()
                .filter(|(dim, _)| *dim == STATUS)
                .cloned()
                .collect(),
            ..self.clone()
        }
    }
}

/// The calendar day in Vietnam (UTC+7 all year), as YYYY-MM-DD.
pub fn vietnam_day(t: DateTime<Utc>) -> String {
    (t + chrono::Duration::hours(7))
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// "/1/5/12/" → ["/1/", "/1/5/", "/1/5/12/"].
pub fn ancestors(path: &str) -> Vec<String> {
    path.char_indices()
        .filter(|(i, c)| *c == '/' && *i > 0)
        .map(|(i, _)| path[..=i].to_string())
        .collect()
}

fn placeholders(start: usize, n: usize) -> String {
    let v: Vec<String> = (start..start + n).map(|i| format!("${i}")).collect();
    format!("({})", v.join(", "))
}

/// Adds (`delta` = 1) or removes (`delta` = -1) one entry's contribution.
pub async fn apply<C: ConnectionTrait>(
    conn: &C,
    c: &Contribution,
    delta: i64,
) -> StorageResult<()> {
    let backend = conn.get_database_backend();
    // Which cells gained their first entry by this author, or lost their last one.
    let mut author_change: Vec<i64> = vec![0; c.cells.len()];
    if delta > 0 {
        let mut sql = String::from(
            "INSERT INTO participation_authors (contest_id, unit_path, dim, k, author_key, n) VALUES ",
        );
        let mut values: Vec<Value> = Vec::new();
        for (i, (dim, k)) in c.cells.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&placeholders(values.len() + 1, 6));
            values.extend([
                c.contest_id.into(),
                c.unit_path.clone().into(),
                (*dim).into(),
                k.clone().into(),
                c.author_key.clone().into(),
                1i64.into(),
            ]);
        }
        sql.push_str(
            " ON CONFLICT (contest_id, unit_path, dim, k, author_key) \
             DO UPDATE SET n = participation_authors.n + 1 RETURNING dim, k, n",
        );
        let rows = conn
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        for r in rows {
            let dim: String = r.try_get("", "dim")?;
            let k: String = r.try_get("", "k")?;
            let n: i64 = r.try_get("", "n")?;
            if n == 1
                && let Some(i) = c.cells.iter().position(|(d, kk)| *d == dim && *kk == k)
            {
                author_change[i] = 1;
            }
        }
    } else {
        for (i, (dim, k)) in c.cells.iter().enumerate() {
            let row = conn
                .query_one_raw(Statement::from_sql_and_values(
                    backend,
                    "UPDATE participation_authors SET n = n - 1 WHERE contest_id = $1 \
                     AND unit_path = $2 AND dim = $3 AND k = $4 AND author_key = $5 RETURNING n",
                    [
                        c.contest_id.into(),
                        c.unit_path.clone().into(),
                        (*dim).into(),
                        k.clone().into(),
                        c.author_key.clone().into(),
                    ],
                ))
                .await?;
            if let Some(r) = row
                && r.try_get::<i64>("", "n")? <= 0
            {
                author_change[i] = -1;
            }
        }
        conn.execute_raw(Statement::from_sql_and_values(
            backend,
            "DELETE FROM participation_authors WHERE contest_id = $1 AND unit_path = $2 \
             AND author_key = $3 AND n <= 0",
            [
                c.contest_id.into(),
                c.unit_path.clone().into(),
                c.author_key.clone().into(),
            ],
        ))
        .await?;
    }
    let mut sql = String::from(
        "INSERT INTO participation (contest_id, unit_path, dim, k, entries, authors) VALUES ",
    );
    let mut values: Vec<Value> = Vec::new();
    for path in ancestors(&c.unit_path) {
        for (i, (dim, k)) in c.cells.iter().enumerate() {
            if !values.is_empty() {
                sql.push_str(", ");
            }
            sql.push_str(&placeholders(values.len() + 1, 6));
            values.extend([
                c.contest_id.into(),
                path.clone().into(),
                (*dim).into(),
                k.clone().into(),
                delta.into(),
                author_change[i].into(),
            ]);
        }
    }
    if values.is_empty() {
        return Ok(());
    }
    sql.push_str(
        " ON CONFLICT (contest_id, unit_path, dim, k) DO UPDATE SET \
         entries = participation.entries + excluded.entries, \
         authors = participation.authors + excluded.authors",
    );
    conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(())
}

/// One cell of a dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub unit_path: String,
    pub dim: String,
    pub k: String,
    pub entries: i64,
    pub authors: i64,
}

fn cell(r: sea_orm::QueryResult) -> StorageResult<Cell> {
    Ok(Cell {
        unit_path: r.try_get("", "unit_path")?,
        dim: r.try_get("", "dim")?,
        k: r.try_get("", "k")?,
        entries: r.try_get("", "entries")?,
        authors: r.try_get("", "authors")?,
    })
}

/// Every breakdown of one unit (its subtree) in a contest.
pub async fn at<C: Conn>(db: &C, contest_id: i64, unit_path: &str) -> StorageResult<Vec<Cell>> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT unit_path, dim, k, entries, authors FROM participation \
             WHERE contest_id = $1 AND unit_path = $2 AND entries > 0 ORDER BY dim, k",
            [contest_id.into(), unit_path.into()],
        ))
        .await?;
    rows.into_iter().map(cell).collect()
}

/// Totals (dim "all") of the given units.
pub async fn totals<C: Conn>(
    db: &C,
    contest_id: i64,
    paths: &[String],
) -> StorageResult<Vec<Cell>> {
    let mut out = Vec::new();
    for chunk in paths.chunks(500) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT unit_path, dim, k, entries, authors FROM participation \
             WHERE contest_id = $1 AND dim = 'all' AND unit_path IN ({})",
            marks.join(", ")
        );
        let mut values: Vec<Value> = vec![contest_id.into()];
        values.extend(chunk.iter().map(|p| Value::from(p.clone())));
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                sql,
                values,
            ))
            .await?;
        for r in rows {
            out.push(cell(r)?);
        }
    }
    Ok(out)
}

/// Live entries of a contest, over every top-level unit it collects in.
pub async fn contest_total<C: Conn>(db: &C, contest_id: i64) -> StorageResult<i64> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT CAST(COALESCE(SUM(entries), 0) AS BIGINT) AS n FROM participation \
             WHERE contest_id = $1 AND dim = 'all' AND unit_path NOT LIKE '/%/%/'",
            [contest_id.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    })
}

/// One cell summed over the whole contest (every top-level unit it collects in).
pub async fn contest_cell<C: Conn>(
    db: &C,
    contest_id: i64,
    dim: &str,
    k: &str,
) -> StorageResult<i64> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT CAST(COALESCE(SUM(entries), 0) AS BIGINT) AS n FROM participation \
             WHERE contest_id = $1 AND dim = $2 AND k = $3 AND unit_path NOT LIKE '/%/%/'",
            [contest_id.into(), dim.into(), k.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    })
}

/// Recomputes the counters of one contest (or of all) from the entries.
pub async fn rebuild<C: ConnectionTrait>(conn: &C, contest_id: Option<i64>) -> StorageResult<()> {
    let backend = conn.get_database_backend();
    let (where_e, where_p, values): (&str, &str, Vec<Value>) = match contest_id {
        Some(id) => (
            "AND e.contest_id = $1",
            "WHERE contest_id = $1",
            vec![id.into()],
        ),
        None => ("", "", vec![]),
    };
    let run = |sql: String| Statement::from_sql_and_values(backend, sql, values.clone());
    conn.execute_raw(run(format!("DELETE FROM participation_authors {where_p}")))
        .await?;
    conn.execute_raw(run(format!("DELETE FROM participation {where_p}")))
        .await?;
    let day = match backend {
        DbBackend::Postgres => {
            "to_char(e.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')"
        }
        _ => "date(e.submitted_at, '+7 hours')",
    };
    let cells = [
        (ALL, "''".to_string(), ""),
        (GENRE, "CAST(e.genre_id AS TEXT)".to_string(), ""),
        (
            GROUP,
            "COALESCE(CAST(a.group_id AS TEXT), '')".to_string(),
            "LEFT JOIN entry_authors a ON a.entry_id = e.id AND a.position = 0",
        ),
        (DAY, day.to_string(), ""),
        (STATUS, "e.status".to_string(), ""),
    ];
    for (dim, key, join) in cells {
        // PostgreSQL refuses a constant in GROUP BY: the "all" cell has none to group by.
        let group_key = if dim == ALL {
            String::new()
        } else {
            format!("{key}, ")
        };
        conn.execute_raw(run(format!(
            "INSERT INTO participation_authors (contest_id, unit_path, dim, k, author_key, n) \
             SELECT e.contest_id, e.unit_path, '{dim}', {key}, e.author_key, COUNT(*) \
             FROM entries e {join} WHERE e.status <> 'withdrawn' {where_e} \
             GROUP BY e.contest_id, e.unit_path, {group_key}e.author_key"
        )))
        .await?;
    }
    let rows = conn
        .query_all_raw(run(format!(
            "SELECT contest_id, unit_path, dim, k, CAST(SUM(n) AS BIGINT) AS entries, \
             COUNT(*) AS authors \
             FROM participation_authors {where_p} GROUP BY contest_id, unit_path, dim, k"
        )))
        .await?;
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
            sql.push_str(&placeholders(values.len() + 1, 6));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_of_a_path() {
        assert_eq!(ancestors("/1/5/12/"), vec!["/1/", "/1/5/", "/1/5/12/"]);
        assert_eq!(ancestors("/1/"), vec!["/1/"]);
        assert!(ancestors("").is_empty());
    }

    #[test]
    fn days_are_vietnamese_days() {
        let t = DateTime::parse_from_rfc3339("2026-11-25T17:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(vietnam_day(t), "2026-11-26");
    }
}
