//! Repositories: the only place that queries the database. One file per resource; each takes
//! `&Db` (or a transaction) and returns entity models or plain structs.

pub mod api_tokens;
pub mod assignments;
pub mod audit;
pub mod awards;
pub mod certificates;
pub mod checks;
pub mod contests;
pub mod courses;
pub mod entries;
pub mod exports;
pub mod grants;
pub mod integrity_sources;
pub mod jobs;
pub mod news;
pub mod participation;
pub mod rounds;
pub mod scores;
pub mod sessions;
pub mod settings;
pub mod throttle;
pub mod units;
pub mod users;

/// A page of results and the total count of the query.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// Takes the write lock at the start of a transaction that reads before it writes. SQLite in
/// WAL mode cannot turn a reader with an outdated snapshot into a writer (it answers BUSY at
/// once, whatever the timeout); PostgreSQL locks the row, so two changes to it queue instead
/// of the later one overwriting the earlier unseen.
pub(crate) async fn lock_row<C: sea_orm::ConnectionTrait>(
    conn: &C,
    table: &str,
    id: i64,
) -> crate::StorageResult<()> {
    conn.execute_raw(sea_orm::Statement::from_sql_and_values(
        conn.get_database_backend(),
        format!("UPDATE {table} SET id = id WHERE id = $1"),
        [id.into()],
    ))
    .await?;
    Ok(())
}

/// Escapes `%`, `_` and the escape character itself for a LIKE pattern with `ESCAPE '\'`.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
