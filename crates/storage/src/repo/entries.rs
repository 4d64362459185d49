//! Contest entries: submission (entry, authors, first version and receipt message in one
//! transaction), scoped lists for screening, decisions, and the counts behind dashboards.

use sea_orm::TransactionSession as _;
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::jobs;
use super::participation::{self, Contribution};
use crate::entity::{entry, entry_author, entry_version};
use crate::types::UnitPath;
use crate::{Conn, StorageError, StorageResult, time};

pub const SUBMITTED: crate::status::EntryStatus = crate::status::EntryStatus::Submitted;
pub const ELIGIBLE: crate::status::EntryStatus = crate::status::EntryStatus::Eligible;
pub const DISQUALIFIED: crate::status::EntryStatus = crate::status::EntryStatus::Disqualified;
pub const WITHDRAWN: crate::status::EntryStatus = crate::status::EntryStatus::Withdrawn;

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
    pub unit_path: UnitPath,
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
    /// The hash of the token of the form it was sent from: one entry per form.
    pub form_token: Option<String>,
}

/// Stores a new entry with its authors and first version, and queues its receipt message,
/// in one transaction: a receipt is never issued for a half-written entry.
pub async fn submit<C: Conn>(
    db: &C,
    e: NewEntry,
    follow_up: Vec<jobs::NewJob>,
) -> StorageResult<entry::Model> {
    let parts = e.version_parts();
    let txn = db.begin().await?;
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
        status: Set(SUBMITTED),
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
        form_token: Set(e.form_token.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| StorageError::from_db(err, &code))?;
    let group_id = e.authors.first().and_then(|a| a.group_id);
    participation::apply(&txn, &contribution(&saved, group_id), 1).await?;
    insert_authors(&txn, saved.id, e.authors).await?;
    insert_version(&txn, saved.id, 1, parts, now).await?;
    enqueue_follow_up(&txn, saved.id, follow_up).await?;
    txn.commit().await?;
    Ok(saved)
}

/// The entry sent from a form (by the hash of the form's token), if one was.
pub async fn by_form_token<C: Conn>(
    db: &C,
    contest_id: i64,
    form_token: &str,
) -> StorageResult<Option<entry::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(entry::Entity::find()
        .filter(entry::Column::ContestId.eq(contest_id))
        .filter(entry::Column::FormToken.eq(form_token))
        .one(db)
        .await?)
}

/// Replaces an entry's work and details by a resubmission: the new text becomes version
/// `expected_version + 1`, the earlier versions stay, and the counts move with it, all in one
/// transaction. A concurrent change (another tab, a screening decision) is refused.
pub async fn replace<C: Conn>(
    db: &C,
    id: i64,
    expected_version: i32,
    e: NewEntry,
    follow_up: Vec<jobs::NewJob>,
) -> StorageResult<entry::Model> {
    let parts = e.version_parts();
    let txn = db.begin().await?;
    super::lock_row(&txn, "entries", id).await?;
    let old = entry::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(StorageError::NotFound)?;
    if old.status == WITHDRAWN {
        return Err(StorageError::Conflict("withdrawn".into()));
    }
    if old.version != expected_version {
        return Err(StorageError::Conflict("version".into()));
    }
    let old_group = first_group(&txn, id).await?;
    participation::apply(&txn, &contribution(&old, old_group), -1).await?;
    let now = time::now();
    let version = old.version + 1;
    let mut am: entry::ActiveModel = old.into();
    am.genre_id = Set(e.genre_id);
    am.unit_id = Set(e.unit_id);
    am.unit_path = Set(e.unit_path);
    am.title = Set(e.title.clone());
    am.title_key = Set(e.title_key);
    am.pen_name = Set(e.pen_name.clone());
    am.status = Set(SUBMITTED);
    am.status_reason = Set(String::new());
    am.word_count = Set(e.word_count);
    am.body = Set(e.body.clone());
    am.file_sha256 = Set(e.file_sha256.clone());
    am.file_name = Set(e.file_name.clone());
    am.media_link = Set(e.media_link);
    am.flags = Set(e.flags.to_string());
    am.contact = Set(e.contact);
    am.author_key = Set(e.author_key);
    am.version = Set(version);
    am.updated_at = Set(now);
    let saved = am.update(&txn).await?;
    entry_author::Entity::delete_many()
        .filter(entry_author::Column::EntryId.eq(id))
        .exec(&txn)
        .await?;
    let group_id = e.authors.first().and_then(|a| a.group_id);
    insert_authors(&txn, id, e.authors).await?;
    insert_version(&txn, id, version, parts, now).await?;
    participation::apply(&txn, &contribution(&saved, group_id), 1).await?;
    enqueue_follow_up(&txn, id, follow_up).await?;
    txn.commit().await?;
    Ok(saved)
}

/// What a version keeps of an entry: the work and its title, as submitted.
pub struct VersionParts {
    genre_id: i64,
    title: String,
    pen_name: String,
    body: String,
    file_sha256: Option<String>,
    file_name: Option<String>,
    word_count: i32,
}

impl NewEntry {
    fn version_parts(&self) -> VersionParts {
        VersionParts {
            genre_id: self.genre_id,
            title: self.title.clone(),
            pen_name: self.pen_name.clone(),
            body: self.body.clone(),
            file_sha256: self.file_sha256.clone(),
            file_name: self.file_name.clone(),
            word_count: self.word_count,
        }
    }
}

async fn insert_version<C: ConnectionTrait>(
    conn: &C,
    entry_id: i64,
    version: i32,
    v: VersionParts,
    now: time::Timestamp,
) -> StorageResult<()> {
    entry_version::ActiveModel {
        entry_id: Set(entry_id),
        version: Set(version),
        genre_id: Set(v.genre_id),
        title: Set(v.title),
        pen_name: Set(v.pen_name),
        body: Set(v.body),
        file_sha256: Set(v.file_sha256),
        file_name: Set(v.file_name),
        word_count: Set(v.word_count),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

async fn insert_authors<C: ConnectionTrait>(
    conn: &C,
    entry_id: i64,
    authors: Vec<NewAuthor>,
) -> StorageResult<()> {
    for (i, a) in authors.into_iter().enumerate() {
        entry_author::ActiveModel {
            entry_id: Set(entry_id),
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
        .insert(conn)
        .await?;
    }
    Ok(())
}

async fn enqueue_follow_up<C: ConnectionTrait>(
    conn: &C,
    entry_id: i64,
    follow_up: Vec<jobs::NewJob>,
) -> StorageResult<()> {
    for mut job in follow_up {
        // Jobs that need the entry's id get it here, inside the same transaction.
        if let Some(obj) = job.payload.as_object_mut()
            && obj.get("entry_id").is_some_and(|v| v.is_null())
        {
            obj.insert("entry_id".into(), entry_id.into());
        }
        jobs::enqueue(conn, job).await?;
    }
    Ok(())
}

pub async fn get<C: Conn>(db: &C, id: i64) -> StorageResult<entry::Model> {
    entry::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn by_receipt<C: Conn>(db: &C, code: &str) -> StorageResult<entry::Model> {
    entry::Entity::find()
        .filter(entry::Column::ReceiptCode.eq(code))
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn authors<C: Conn>(db: &C, entry_id: i64) -> StorageResult<Vec<entry_author::Model>> {
    Ok(entry_author::Entity::find()
        .filter(entry_author::Column::EntryId.eq(entry_id))
        .order_by_asc(entry_author::Column::Position)
        .all(db)
        .await?)
}

pub async fn versions<C: Conn>(db: &C, entry_id: i64) -> StorageResult<Vec<entry_version::Model>> {
    Ok(entry_version::Entity::find()
        .filter(entry_version::Column::EntryId.eq(entry_id))
        .order_by_asc(entry_version::Column::Version)
        .all(db)
        .await?)
}

/// Live entries (not withdrawn) of a contest with the same file.
pub async fn same_file<C: Conn>(
    db: &C,
    contest_id: i64,
    sha256: &str,
) -> StorageResult<Vec<entry::Model>> {
    Ok(entry::Entity::find()
        .filter(entry::Column::ContestId.eq(contest_id))
        .filter(entry::Column::FileSha256.eq(sha256))
        .filter(entry::Column::Status.ne(WITHDRAWN))
        .all(db)
        .await?)
}

/// Live entries of one author (by normalized identity key) in a genre.
pub async fn count_by_author<C: Conn>(
    db: &C,
    contest_id: i64,
    genre_id: i64,
    author_key: &str,
) -> StorageResult<u64> {
    Ok(entry::Entity::find()
        .filter(entry::Column::ContestId.eq(contest_id))
        .filter(entry::Column::GenreId.eq(genre_id))
        .filter(entry::Column::AuthorKey.eq(author_key))
        .filter(entry::Column::Status.ne(WITHDRAWN))
        .count(db)
        .await?)
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only entries collected in this unit subtree.
    pub unit_path: Option<UnitPath>,
    pub genre_id: Option<i64>,
    pub status: Option<crate::status::EntryStatus>,
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

/// The half-open range of materialized paths in a subtree: "/1/5/" → ["/1/5/", "/1/50").
/// Paths are digits and slashes, and '0' follows '/' in byte order; a range, unlike LIKE,
/// uses the index on both databases.
fn subtree_range(path: &str) -> (String, String) {
    let end = match path.strip_suffix('/') {
        Some(stem) => format!("{stem}0"),
        None => format!("{path}\u{10FFFF}"),
    };
    (path.to_string(), end)
}

fn apply(contest_id: i64, f: &Filter) -> sea_orm::Select<entry::Entity> {
    let mut q = entry::Entity::find().filter(entry::Column::ContestId.eq(contest_id));
    // No unit: the whole contest, with no condition, so the sort's own index serves the page.
    if let Some(p) = f.unit_path.as_ref().map(UnitPath::as_str) {
        let (start, end) = subtree_range(p);
        q = q
            .filter(entry::Column::UnitPath.gte(start))
            .filter(entry::Column::UnitPath.lt(end));
    }
    if let Some(g) = f.genre_id {
        q = q.filter(entry::Column::GenreId.eq(g));
    }
    // Withdrawn entries are listed only when asked for.
    q = match &f.status {
        Some(s) => q.filter(entry::Column::Status.eq(*s)),
        None => q.filter(entry::Column::Status.ne(WITHDRAWN)),
    };
    if let Some(u) = f.submitter_user_id {
        q = q.filter(entry::Column::SubmitterUserId.eq(u));
    }
    if let Some(ids) = &f.ids {
        q = q.filter(entry::Column::Id.is_in(ids.clone()));
    }
    if f.flagged_only {
        // Written as the partial index's own condition, so that the planner can use it.
        q = q.filter(Expr::cust("flags <> '[]'"));
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

/// Where the next page starts: the last row's sort value and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub value: String,
    pub id: i64,
}

impl Cursor {
    /// A URL-safe text form: "<id>.<value>".
    pub fn encode(&self) -> String {
        format!("{}.{}", self.id, self.value)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let (id, value) = s.split_once('.')?;
        Some(Cursor {
            id: id.parse().ok()?,
            value: value.to_string(),
        })
    }

    fn of(e: &entry::Model, sort: Sort) -> Cursor {
        let value = match sort {
            Sort::Newest | Sort::Oldest => e.submitted_at.timestamp_micros().to_string(),
            Sort::Title => e.title_key.clone(),
            Sort::Words => e.word_count.to_string(),
        };
        Cursor { value, id: e.id }
    }
}

/// One page of a list in sort order, starting after `after`; the cost depends on the page
/// size, not on how many entries come before it. Returns the rows and the next page's cursor.
pub async fn list_page<C: Conn>(
    db: &C,
    contest_id: i64,
    f: &Filter,
    sort: Sort,
    after: Option<&Cursor>,
    limit: u64,
) -> StorageResult<(Vec<entry::Model>, Option<Cursor>)> {
    use entry::Column as C;
    use sea_orm::QuerySelect;
    let mut q = apply(contest_id, f);
    if let Some(c) = after {
        let bad = || StorageError::Invalid("cursor".into());
        let cond = match sort {
            Sort::Newest | Sort::Oldest => {
                let micros: i64 = c.value.parse().map_err(|_| bad())?;
                let t = chrono::DateTime::from_timestamp_micros(micros).ok_or_else(bad)?;
                if sort == Sort::Newest {
                    Condition::any()
                        .add(C::SubmittedAt.lt(t))
                        .add(C::SubmittedAt.eq(t).and(C::Id.lt(c.id)))
                } else {
                    Condition::any()
                        .add(C::SubmittedAt.gt(t))
                        .add(C::SubmittedAt.eq(t).and(C::Id.gt(c.id)))
                }
            }
            Sort::Title => Condition::any()
                .add(C::TitleKey.gt(c.value.as_str()))
                .add(C::TitleKey.eq(c.value.as_str()).and(C::Id.gt(c.id))),
            Sort::Words => {
                let w: i32 = c.value.parse().map_err(|_| bad())?;
                Condition::any()
                    .add(C::WordCount.lt(w))
                    .add(C::WordCount.eq(w).and(C::Id.gt(c.id)))
            }
        };
        q = q.filter(cond);
    }
    let q = match sort {
        Sort::Newest => q.order_by_desc(C::SubmittedAt).order_by_desc(C::Id),
        Sort::Oldest => q.order_by_asc(C::SubmittedAt).order_by_asc(C::Id),
        Sort::Title => q.order_by_asc(C::TitleKey).order_by_asc(C::Id),
        Sort::Words => q.order_by_desc(C::WordCount).order_by_asc(C::Id),
    };
    let limit = limit.clamp(1, 200);
    let mut rows = q.limit(limit + 1).all(db).await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|e| Cursor::of(e, sort))
    } else {
        None
    };
    Ok((rows, next))
}

/// How many entries match, counting at most `cap` (then the answer is "more than cap"):
/// a filter that matches most of 500,000 entries must not cost a full count on every page.
pub async fn count_capped<C: Conn>(
    db: &C,
    contest_id: i64,
    f: &Filter,
    cap: u64,
) -> StorageResult<u64> {
    use sea_orm::QuerySelect;
    let ids: Vec<i64> = apply(contest_id, f)
        .select_only()
        .column(entry::Column::Id)
        .limit(cap + 1)
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.len() as u64)
}

/// What a row of an exported entry list holds: everything but the text.
#[derive(Debug, Clone, PartialEq, sea_orm::FromQueryResult)]
pub struct ExportRow {
    pub id: i64,
    pub receipt_code: String,
    pub title: String,
    pub pen_name: String,
    pub genre_id: i64,
    pub unit_id: i64,
    pub status: crate::status::EntryStatus,
    pub word_count: i32,
    pub flags: String,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
}

/// How many entries match, all counted (a background export reads them all anyway).
pub async fn count_matching<C: Conn>(db: &C, contest_id: i64, f: &Filter) -> StorageResult<u64> {
    Ok(apply(contest_id, f).count(db).await?)
}

/// The matching entries with ids above `after`, in id order, without their text.
pub async fn export_page<C: Conn>(
    db: &C,
    contest_id: i64,
    f: &Filter,
    after: i64,
    limit: u64,
) -> StorageResult<Vec<ExportRow>> {
    use entry::Column as C;
    use sea_orm::QuerySelect;
    Ok(apply(contest_id, f)
        .filter(C::Id.gt(after))
        .select_only()
        .columns([
            C::Id,
            C::ReceiptCode,
            C::Title,
            C::PenName,
            C::GenreId,
            C::UnitId,
            C::Status,
            C::WordCount,
            C::Flags,
            C::SubmittedAt,
        ])
        .order_by_asc(C::Id)
        .limit(limit)
        .into_model::<ExportRow>()
        .all(db)
        .await?)
}

/// The authors of these entries, by entry and position.
pub async fn authors_of<C: Conn>(
    db: &C,
    entry_ids: &[i64],
) -> StorageResult<Vec<entry_author::Model>> {
    if entry_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(entry_author::Entity::find()
        .filter(entry_author::Column::EntryId.is_in(entry_ids.to_vec()))
        .order_by_asc(entry_author::Column::EntryId)
        .order_by_asc(entry_author::Column::Position)
        .all(db)
        .await?)
}

/// Sets the screening decision; the reason is shown to the submitter.
/// The entry moves from one status cell of the counters to the other in the same transaction.
pub async fn decide<C: Conn>(
    db: &C,
    id: i64,
    status: crate::status::EntryStatus,
    reason: &str,
) -> StorageResult<entry::Model> {
    let txn = db.begin().await?;
    super::lock_row(&txn, "entries", id).await?;
    let e = entry::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(StorageError::NotFound)?;
    if e.status == WITHDRAWN {
        return Err(StorageError::Conflict("withdrawn".into()));
    }
    let before = contribution(&e, None).status_only();
    let moved = e.status != status;
    let mut am: entry::ActiveModel = e.into();
    am.status = Set(status);
    am.status_reason = Set(reason.to_string());
    am.updated_at = Set(time::now());
    let saved = am.update(&txn).await?;
    if moved {
        participation::apply(&txn, &before, -1).await?;
        participation::apply(&txn, &contribution(&saved, None).status_only(), 1).await?;
    }
    txn.commit().await?;
    Ok(saved)
}

/// Withdraws an entry; it leaves the participation counts in the same transaction.
pub async fn withdraw<C: Conn>(db: &C, id: i64) -> StorageResult<entry::Model> {
    let txn = db.begin().await?;
    super::lock_row(&txn, "entries", id).await?;
    let e = entry::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(StorageError::NotFound)?;
    if e.status == WITHDRAWN {
        return Ok(e);
    }
    let group_id = first_group(&txn, e.id).await?;
    participation::apply(&txn, &contribution(&e, group_id), -1).await?;
    let mut am: entry::ActiveModel = e.into();
    am.status = Set(WITHDRAWN);
    am.withdrawn_at = Set(Some(time::now()));
    am.updated_at = Set(time::now());
    let saved = am.update(&txn).await?;
    txn.commit().await?;
    Ok(saved)
}

fn contribution(e: &entry::Model, group_id: Option<i64>) -> Contribution {
    Contribution::new(
        e.contest_id,
        e.unit_path.as_str(),
        &e.author_key,
        e.genre_id,
        group_id,
        e.submitted_at,
        e.status.as_str(),
    )
}

async fn first_group<C: ConnectionTrait>(conn: &C, entry_id: i64) -> StorageResult<Option<i64>> {
    Ok(entry_author::Entity::find()
        .filter(entry_author::Column::EntryId.eq(entry_id))
        .filter(entry_author::Column::Position.eq(0))
        .one(conn)
        .await?
        .and_then(|a| a.group_id))
}

/// Entries a signed-in person submitted, newest first (at most 200).
pub async fn by_submitter<C: Conn>(db: &C, user_id: i64) -> StorageResult<Vec<entry::Model>> {
    use sea_orm::QuerySelect;
    Ok(entry::Entity::find()
        .filter(entry::Column::SubmitterUserId.eq(user_id))
        .order_by_desc(entry::Column::SubmittedAt)
        .limit(200)
        .all(db)
        .await?)
}

/// Entries with ids above `after`, in id order, of one contest or of all: for rebuilding
/// indexes in batches.
pub async fn batch_after<C: Conn>(
    db: &C,
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
        .all(db)
        .await?)
}

/// Live entries of a contest, counted row by row (dashboards read the counters instead).
pub async fn count_live<C: Conn>(db: &C, contest_id: i64) -> StorageResult<u64> {
    Ok(entry::Entity::find()
        .filter(entry::Column::ContestId.eq(contest_id))
        .filter(entry::Column::Status.ne(WITHDRAWN))
        .count(db)
        .await?)
}

/// What a copy-check index needs to know of an entry without reading its text: its id,
/// version (a new one on every resubmission) and status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexState {
    pub id: i64,
    pub version: i32,
    pub status: crate::status::EntryStatus,
}

/// Index states of a contest's entries with ids above `after`, in id order.
pub async fn index_states_after<C: Conn>(
    db: &C,
    contest_id: i64,
    after: i64,
    limit: u64,
) -> StorageResult<Vec<IndexState>> {
    use sea_orm::QuerySelect;
    let rows: Vec<(i64, i32, crate::status::EntryStatus)> = entry::Entity::find()
        .select_only()
        .columns([
            entry::Column::Id,
            entry::Column::Version,
            entry::Column::Status,
        ])
        .filter(entry::Column::ContestId.eq(contest_id))
        .filter(entry::Column::Id.gt(after))
        .order_by_asc(entry::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, version, status)| IndexState {
            id,
            version,
            status,
        })
        .collect())
}

/// The contest an entry belongs to, without reading its text.
pub async fn contest_of<C: Conn>(db: &C, id: i64) -> StorageResult<Option<i64>> {
    use sea_orm::QuerySelect;
    Ok(entry::Entity::find_by_id(id)
        .select_only()
        .column(entry::Column::ContestId)
        .into_tuple()
        .one(db)
        .await?)
}

/// Entries with the given ids (any contest), in id order.
pub async fn by_ids<C: Conn>(db: &C, ids: &[i64]) -> StorageResult<Vec<entry::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(entry::Entity::find()
        .filter(entry::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(entry::Column::Id)
        .all(db)
        .await?)
}
