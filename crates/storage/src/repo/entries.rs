//! Contest entries: submission (entry, authors, first version and receipt message in one
//! transaction), scoped lists for screening, decisions, and the counts behind dashboards.

use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, Statement, TransactionTrait,
};

use super::{Page, jobs};
use crate::entity::{entry, entry_author, entry_version};
use crate::{Backend, Db, StorageError, StorageResult, time};

pub const SUBMITTED: &str = "submitted";
pub const ELIGIBLE: &str = "eligible";
pub const DISQUALIFIED: &str = "disqualified";
pub const WITHDRAWN: &str = "withdrawn";

#[derive(Debug, Clone)]
pub struct NewAuthor {
    pub full_name: String,
    pub name_key: String,
    pub birth_year: Option<i32>,
    pub workplace: String,
    pub group_id: Option<i64>,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct NewEntry {
    pub contest_id: i64,
    pub genre_id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub receipt_code: String,
    pub title: String,
    pub title_key: String,
    pub pen_name: String,
    pub word_count: i32,
    pub body: String,
    pub file_sha256: Option<String>,
    pub file_name: Option<String>,
    pub media_link: Option<String>,
    pub flags: serde_json::Value,
    pub submitter_user_id: Option<i64>,
    pub access_token_hash: Option<String>,
    pub contact: String,
    pub author_key: String,
    pub authors: Vec<NewAuthor>,
}

/// Stores a new entry with its authors and first version, and queues its receipt message,
/// in one transaction: a receipt is never issued for a half-written entry.
pub async fn submit(
    db: &Db,
    e: NewEntry,
    follow_up: Vec<jobs::NewJob>,
) -> StorageResult<entry::Model> {
    let txn = db.conn.begin().await?;
    let now = time::now();
    let code = e.receipt_code.clone();
    let saved = entry::ActiveModel {
        contest_id: Set(e.contest_id),
        genre_id: Set(e.genre_id),
        unit_id: Set(e.unit_id),
        unit_path: Set(e.unit_path),
        receipt_code: Set(e.receipt_code),
        title: Set(e.title.clone()),
        title_key: Set(e.title_key),
        pen_name: Set(e.pen_name.clone()),
        status: Set(SUBMITTED.into()),
        status_reason: Set(String::new()),
        word_count: Set(e.word_count),
        body: Set(e.body.clone()),
        file_sha256: Set(e.file_sha256.clone()),
        file_name: Set(e.file_name.clone()),
        media_link: Set(e.media_link),
        flags: Set(e.flags.to_string()),
        submitter_user_id: Set(e.submitter_user_id),
        access_token_hash: Set(e.access_token_hash),
        contact: Set(e.contact),
        author_key: Set(e.author_key),
        version: Set(1),
        submitted_at: Set(now),
        updated_at: Set(now),
        withdrawn_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| StorageError::from_db(err, &code))?;
    for (i, a) in e.authors.into_iter().enumerate() {
        entry_author::ActiveModel {
            entry_id: Set(saved.id),
            position: Set(i as i32),
            full_name: Set(a.full_name),
            name_key: Set(a.name_key),
            birth_year: Set(a.birth_year),
            workplace: Set(a.workplace),
            group_id: Set(a.group_id),
            phone: Set(a.phone),
            email: Set(a.email),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    entry_version::ActiveModel {
        entry_id: Set(saved.id),
        version: Set(1),
        genre_id: Set(e.genre_id),
        title: Set(e.title),
        pen_name: Set(e.pen_name),
        body: Set(e.body),
        file_sha256: Set(e.file_sha256),
        file_name: Set(e.file_name),
        word_count: Set(e.word_count),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for mut job in follow_up {
        // Jobs that need the new id get it here, inside the same transaction.
        if let Some(obj) = job.payload.as_object_mut()
            && obj.get("entry_id").is_some_and(|v| v.is_null())
        {
            obj.insert("entry_id".into(), saved.id.into());
        }
        jobs::enqueue(&txn, job).await?;
    }
    txn.commit().await?;
    Ok(saved)
}

pub async fn get(db: &Db, id: i64) -> StorageResult<entry::Model> {
    entry::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn by_receipt(db: &Db, code: &str) -> StorageResult<entry::Model> {
    entry::Entity::find()
        .filter(entry::Column::ReceiptCode.eq(code))
        .one(&db.conn)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn authors(db: &Db, entry_id: i64) -> StorageResult<Vec<entry_author::Model>> {
    Ok(entry_author::Entity::find()
        .filter(entry_author::Column::EntryId.eq(entry_id))
        .order_by_asc(entry_author::Column::Position)
        .all(&db.conn)
        .await?)
}

pub async fn versions(db: &Db, entry_id: i64) -> StorageResult<Vec<entry_version::Model>> {
    Ok(entry_version::Entity::find()
        .filter(entry_version::Column::EntryId.eq(entry_id))
        .order_by_asc(entry_version::Column::Version)
        .all(&db.conn)
        .await?)
}

/// Live entries (not withdrawn) of a contest with the same file.
pub async fn same_file(db: &Db, contest_id: i64, sha256: &str) -> StorageResult<Vec<entry::Model>> {
    Ok(entry::Entity::find()
        .filter(entry::Column::ContestId.eq(contest_id))
        .filter(entry::Column::FileSha256.eq(sha256))
        .filter(entry::Column::Status.ne(WITHDRAWN))
        .all(&db.conn)
        .await?)
}

/// Live entries of one author (by normalized identity key) in a genre.
pub async fn count_by_author(
    db: &Db,
    contest_id: i64,
    genre_id: i64,
    author_key: &str,
) -> StorageResult<u64> {
    Ok(entry::Entity::find()
        .filter(entry::Column::ContestId.eq(contest_id))
        .filter(entry::Column::GenreId.eq(genre_id))
        .filter(entry::Column::AuthorKey.eq(author_key))
        .filter(entry::Column::Status.ne(WITHDRAWN))
        .count(&db.conn)
        .await?)
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only entries collected in this unit subtree.
    pub unit_path: Option<String>,
    pub genre_id: Option<i64>,
    pub status: Option<String>,
    /// Part of the title, pen name or receipt code.
    pub text: Option<String>,
    pub submitter_user_id: Option<i64>,
    pub flagged_only: bool,
    /// Only these entries (e.g. the hits of a full-text search).
    pub ids: Option<Vec<i64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    Title,
    Words,
}

fn apply(contest_id: i64, f: &Filter) -> sea_orm::Select<entry::Entity> {
    let mut q = entry::Entity::find().filter(entry::Column::ContestId.eq(contest_id));
    if let Some(p) = &f.unit_path {
        q = q.filter(
            Expr::col(entry::Column::UnitPath)
                .like(LikeExpr::new(format!("{}%", super::like_escape(p))).escape('\\')),
        );
    }
    if let Some(g) = f.genre_id {
        q = q.filter(entry::Column::GenreId.eq(g));
    }
    if let Some(s) = &f.status {
        q = q.filter(entry::Column::Status.eq(s.as_str()));
    }
    if let Some(u) = f.submitter_user_id {
        q = q.filter(entry::Column::SubmitterUserId.eq(u));
    }
    if let Some(ids) = &f.ids {
        q = q.filter(entry::Column::Id.is_in(ids.clone()));
    }
    if f.flagged_only {
        q = q.filter(entry::Column::Flags.ne("[]"));
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pat = LikeExpr::new(format!("%{}%", super::like_escape(t))).escape('\\');
        q = q.filter(
            Condition::any()
                .add(Expr::col(entry::Column::Title).like(pat.clone()))
                .add(Expr::col(entry::Column::PenName).like(pat.clone()))
                .add(Expr::col(entry::Column::ReceiptCode).like(pat)),
        );
    }
    q
}

pub async fn list(
    db: &Db,
    contest_id: i64,
    f: &Filter,
    sort: Sort,
    page: u64,
    per_page: u64,
) -> StorageResult<Page<entry::Model>> {
    let q = apply(contest_id, f);
    let q = match sort {
        Sort::Newest => q
            .order_by_desc(entry::Column::SubmittedAt)
            .order_by_desc(entry::Column::Id),
        Sort::Oldest => q
            .order_by_asc(entry::Column::SubmittedAt)
            .order_by_asc(entry::Column::Id),
        Sort::Title => q
            .order_by_asc(entry::Column::TitleKey)
            .order_by_asc(entry::Column::Id),
        Sort::Words => q
            .order_by_desc(entry::Column::WordCount)
            .order_by_asc(entry::Column::Id),
    };
    let per_page = per_page.clamp(1, 200);
    let pager = q.paginate(&db.conn, per_page);
    let total = pager.num_items().await?;
    let items = pager.fetch_page(Ord::max(page, 1) - 1).await?;
    Ok(Page {
        items,
        total,
        page: Ord::max(page, 1),
        per_page,
    })
}

/// Sets the screening decision; the reason is shown to the submitter.
pub async fn decide(db: &Db, id: i64, status: &str, reason: &str) -> StorageResult<entry::Model> {
    let e = get(db, id).await?;
    if e.status == WITHDRAWN {
        return Err(StorageError::Conflict("withdrawn".into()));
    }
    let mut am: entry::ActiveModel = e.into();
    am.status = Set(status.to_string());
    am.status_reason = Set(reason.to_string());
    am.updated_at = Set(time::now());
    Ok(am.update(&db.conn).await?)
}

pub async fn withdraw(db: &Db, id: i64) -> StorageResult<entry::Model> {
    let e = get(db, id).await?;
    let mut am: entry::ActiveModel = e.into();
    am.status = Set(WITHDRAWN.into());
    am.withdrawn_at = Set(Some(time::now()));
    am.updated_at = Set(time::now());
    Ok(am.update(&db.conn).await?)
}

/// (key, entries, distinct authors) rows for a dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub key: String,
    pub entries: i64,
    pub authors: i64,
}

async fn grouped(
    db: &Db,
    key_sql: &str,
    contest_id: i64,
    unit_path: &str,
    join_authors: bool,
) -> StorageResult<Vec<Count>> {
    let pattern = format!("{}%", super::like_escape(unit_path));
    let from = if join_authors {
        "entries e JOIN entry_authors a ON a.entry_id = e.id AND a.position = 0"
    } else {
        "entries e"
    };
    let sql = format!(
        "SELECT {key_sql} AS k, COUNT(*) AS n, COUNT(DISTINCT e.author_key) AS m FROM {from} \
         WHERE e.contest_id = $1 AND e.status <> 'withdrawn' AND e.unit_path LIKE $2 ESCAPE '\\' \
         GROUP BY {key_sql} ORDER BY k"
    );
    let stmt =
        Statement::from_sql_and_values(db.db_backend(), sql, [contest_id.into(), pattern.into()]);
    let rows = db.conn.query_all_raw(stmt).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let key: Option<String> = r.try_get("", "k").ok().flatten();
        let key = match key {
            Some(k) => k,
            None => r
                .try_get::<Option<i64>>("", "k")
                .ok()
                .flatten()
                .map(|v| v.to_string())
                .unwrap_or_default(),
        };
        out.push(Count {
            key,
            entries: r.try_get("", "n")?,
            authors: r.try_get("", "m")?,
        });
    }
    Ok(out)
}

pub async fn counts_by_genre(
    db: &Db,
    contest_id: i64,
    unit_path: &str,
) -> StorageResult<Vec<Count>> {
    grouped(db, "CAST(e.genre_id AS TEXT)", contest_id, unit_path, false).await
}

pub async fn counts_by_group(
    db: &Db,
    contest_id: i64,
    unit_path: &str,
) -> StorageResult<Vec<Count>> {
    grouped(db, "CAST(a.group_id AS TEXT)", contest_id, unit_path, true).await
}

pub async fn counts_by_unit_path(
    db: &Db,
    contest_id: i64,
    unit_path: &str,
) -> StorageResult<Vec<Count>> {
    grouped(db, "e.unit_path", contest_id, unit_path, false).await
}

/// By calendar day in Vietnam (UTC+7, no daylight saving).
pub async fn counts_by_day(db: &Db, contest_id: i64, unit_path: &str) -> StorageResult<Vec<Count>> {
    let key = match db.backend {
        Backend::Sqlite => "date(e.submitted_at, '+7 hours')",
        Backend::Postgres => {
            "to_char(e.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')"
        }
    };
    grouped(db, key, contest_id, unit_path, false).await
}

/// Entries a signed-in person submitted, newest first (at most 200).
pub async fn by_submitter(db: &Db, user_id: i64) -> StorageResult<Vec<entry::Model>> {
    use sea_orm::QuerySelect;
    Ok(entry::Entity::find()
        .filter(entry::Column::SubmitterUserId.eq(user_id))
        .order_by_desc(entry::Column::SubmittedAt)
        .limit(200)
        .all(&db.conn)
        .await?)
}

/// Entries with ids above `after`, in id order, of one contest or of all: for rebuilding
/// indexes in batches.
pub async fn batch_after(
    db: &Db,
    contest_id: Option<i64>,
    after: i64,
    limit: u64,
) -> StorageResult<Vec<entry::Model>> {
    use sea_orm::QuerySelect;
    let mut q = entry::Entity::find().filter(entry::Column::Id.gt(after));
    if let Some(c) = contest_id {
        q = q.filter(entry::Column::ContestId.eq(c));
    }
    Ok(q.order_by_asc(entry::Column::Id)
        .limit(limit)
        .all(&db.conn)
        .await?)
}

pub async fn count_live(db: &Db, contest_id: i64) -> StorageResult<u64> {
    Ok(entry::Entity::find()
        .filter(entry::Column::ContestId.eq(contest_id))
        .filter(entry::Column::Status.ne(WITHDRAWN))
        .count(&db.conn)
        .await?)
}
