//! Judging rounds: the round with its rubric, its judges, its entries, the anonymous codes
//! judges see, and conflicts of interest.

use sea_orm::TransactionSession as _;
use std::collections::{HashMap, HashSet};

use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::{
    anon_code, entry, entry_author, judge_conflict, round, round_criterion, round_entry,
    round_judge,
};
use crate::types::UnitPath;
use crate::{Conn, StorageError, StorageResult, time};

pub const PRELIMINARY: crate::status::RoundKind = crate::status::RoundKind::Preliminary;
pub const FINAL: crate::status::RoundKind = crate::status::RoundKind::Final;
pub const DRAFT: crate::status::RoundStatus = crate::status::RoundStatus::Draft;
pub const OPEN: crate::status::RoundStatus = crate::status::RoundStatus::Open;
pub const CLOSED: crate::status::RoundStatus = crate::status::RoundStatus::Closed;

/// Rows per multi-row INSERT or `IN (…)` list: well under every backend's parameter limit.
pub(crate) const CHUNK: usize = 500;

#[derive(Debug, Clone, PartialEq)]
pub struct NewCriterion {
    pub name: String,
    pub max_points: f64,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub name: String,
    pub judges_per_entry: i32,
    pub dispute_margin: f64,
    pub normalize: bool,
    pub tie_break: String,
}

#[derive(Debug, Clone)]
pub struct NewRound {
    pub contest_id: i64,
    pub unit_id: i64,
    pub unit_path: UnitPath,
    pub kind: crate::status::RoundKind,
    pub settings: Settings,
    pub criteria: Vec<NewCriterion>,
}

async fn insert_criteria<C: sea_orm::ConnectionTrait>(
    conn: &C,
    round_id: i64,
    criteria: Vec<NewCriterion>,
) -> StorageResult<()> {
    let rows = criteria
        .into_iter()
        .enumerate()
        .map(|(i, c)| round_criterion::ActiveModel {
            round_id: Set(round_id),
            position: Set(i as i32),
            name: Set(c.name),
            max_points: Set(c.max_points),
            weight: Set(c.weight),
            ..Default::default()
        });
    round_criterion::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// Creates a round with its rubric, all or nothing.
pub async fn create<C: Conn>(db: &C, r: NewRound) -> StorageResult<round::Model> {
    let txn = db.begin().await?;
    let now = time::now();
    let saved = round::ActiveModel {
        contest_id: Set(r.contest_id),
        unit_id: Set(r.unit_id),
        unit_path: Set(r.unit_path),
        kind: Set(r.kind),
        name: Set(r.settings.name),
        status: Set(DRAFT),
        judges_per_entry: Set(r.settings.judges_per_entry),
        dispute_margin: Set(r.settings.dispute_margin),
        normalize: Set(r.settings.normalize),
        tie_break: Set(r.settings.tie_break),
        results_published_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_criteria(&txn, saved.id, r.criteria).await?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn get<C: Conn>(db: &C, id: i64) -> StorageResult<round::Model> {
    round::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn for_contest<C: Conn>(db: &C, contest_id: i64) -> StorageResult<Vec<round::Model>> {
    Ok(round::Entity::find()
        .filter(round::Column::ContestId.eq(contest_id))
        .order_by_asc(round::Column::Id)
        .all(db)
        .await?)
}

pub async fn by_ids<C: Conn>(db: &C, ids: Vec<i64>) -> StorageResult<Vec<round::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(round::Entity::find()
        .filter(round::Column::Id.is_in(ids))
        .order_by_asc(round::Column::Id)
        .all(db)
        .await?)
}

pub async fn update_settings<C: Conn>(db: &C, id: i64, s: Settings) -> StorageResult<round::Model> {
    let r = get(db, id).await?;
    let mut am: round::ActiveModel = r.into();
    am.name = Set(s.name);
    am.judges_per_entry = Set(s.judges_per_entry);
    am.dispute_margin = Set(s.dispute_margin);
    am.normalize = Set(s.normalize);
    am.tie_break = Set(s.tie_break);
    am.updated_at = Set(time::now());
    Ok(am.update(db).await?)
}

pub async fn set_status<C: Conn>(
    db: &C,
    id: i64,
    status: crate::status::RoundStatus,
) -> StorageResult<round::Model> {
    let r = get(db, id).await?;
    let mut am: round::ActiveModel = r.into();
    am.status = Set(status);
    am.updated_at = Set(time::now());
    Ok(am.update(db).await?)
}

pub async fn criteria<C: Conn>(
    db: &C,
    round_id: i64,
) -> StorageResult<Vec<round_criterion::Model>> {
    Ok(round_criterion::Entity::find()
        .filter(round_criterion::Column::RoundId.eq(round_id))
        .order_by_asc(round_criterion::Column::Position)
        .all(db)
        .await?)
}

pub async fn replace_criteria<C: Conn>(
    db: &C,
    round_id: i64,
    criteria: Vec<NewCriterion>,
) -> StorageResult<()> {
    let txn = db.begin().await?;
    round_criterion::Entity::delete_many()
        .filter(round_criterion::Column::RoundId.eq(round_id))
        .exec(&txn)
        .await?;
    insert_criteria(&txn, round_id, criteria).await?;
    txn.commit().await?;
    Ok(())
}

// ---- judges ----

#[derive(Debug, Clone)]
pub struct NewJudge {
    pub round_id: i64,
    pub user_id: i64,
    pub capacity: i32,
    pub expertise: Vec<i64>,
    pub unit_id: Option<i64>,
}

pub async fn judges<C: Conn>(db: &C, round_id: i64) -> StorageResult<Vec<round_judge::Model>> {
    Ok(round_judge::Entity::find()
        .filter(round_judge::Column::RoundId.eq(round_id))
        .order_by_asc(round_judge::Column::Id)
        .all(db)
        .await?)
}

/// Adds a judge to a round, or updates their capacity and expertise.
pub async fn put_judge<C: Conn>(db: &C, j: NewJudge) -> StorageResult<round_judge::Model> {
    let expertise = serde_json::json!(j.expertise).to_string();
    let existing = round_judge::Entity::find()
        .filter(round_judge::Column::RoundId.eq(j.round_id))
        .filter(round_judge::Column::UserId.eq(j.user_id))
        .one(db)
        .await?;
    if let Some(e) = existing {
        let mut am: round_judge::ActiveModel = e.into();
        am.capacity = Set(j.capacity);
        am.expertise = Set(expertise);
        return Ok(am.update(db).await?);
    }
    Ok(round_judge::ActiveModel {
        round_id: Set(j.round_id),
        user_id: Set(j.user_id),
        capacity: Set(j.capacity),
        expertise: Set(expertise),
        unit_id: Set(j.unit_id),
        created_at: Set(time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn remove_judge<C: Conn>(db: &C, round_id: i64, user_id: i64) -> StorageResult<()> {
    round_judge::Entity::delete_many()
        .filter(round_judge::Column::RoundId.eq(round_id))
        .filter(round_judge::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The rounds a user judges.
pub async fn rounds_judged_by<C: Conn>(
    db: &C,
    user_id: i64,
) -> StorageResult<Vec<round_judge::Model>> {
    Ok(round_judge::Entity::find()
        .filter(round_judge::Column::UserId.eq(user_id))
        .order_by_desc(round_judge::Column::RoundId)
        .all(db)
        .await?)
}

// ---- entries ----

/// What judging needs of an entry, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryBrief {
    pub id: i64,
    pub genre_id: i64,
    pub unit_id: i64,
    pub unit_path: UnitPath,
    pub status: crate::status::EntryStatus,
    pub receipt_code: String,
    pub title: String,
    pub submitter_user_id: Option<i64>,
    pub submitted_at: time::Timestamp,
    pub word_count: i32,
}

type BriefRow = (
    i64,
    i64,
    i64,
    crate::types::UnitPath,
    crate::status::EntryStatus,
    String,
    String,
    Option<i64>,
    time::Timestamp,
    i32,
);

fn brief_select() -> sea_orm::Select<entry::Entity> {
    entry::Entity::find().select_only().columns([
        entry::Column::Id,
        entry::Column::GenreId,
        entry::Column::UnitId,
        entry::Column::UnitPath,
        entry::Column::Status,
        entry::Column::ReceiptCode,
        entry::Column::Title,
        entry::Column::SubmitterUserId,
        entry::Column::SubmittedAt,
        entry::Column::WordCount,
    ])
}

fn brief(r: BriefRow) -> EntryBrief {
    EntryBrief {
        id: r.0,
        genre_id: r.1,
        unit_id: r.2,
        unit_path: r.3,
        status: r.4,
        receipt_code: r.5,
        title: r.6,
        submitter_user_id: r.7,
        submitted_at: r.8,
        word_count: r.9,
    }
}

/// The entries of a round, in entry order.
pub async fn entries<C: Conn>(db: &C, round_id: i64) -> StorageResult<Vec<EntryBrief>> {
    let sub = Query::select()
        .column(round_entry::Column::EntryId)
        .from(round_entry::Entity)
        .and_where(round_entry::Column::RoundId.eq(round_id))
        .to_owned();
    Ok(brief_select()
        .filter(entry::Column::Id.in_subquery(sub))
        .order_by_asc(entry::Column::Id)
        .into_tuple::<BriefRow>()
        .all(db)
        .await?
        .into_iter()
        .map(brief)
        .collect())
}

/// Entries of a contest with a given status in a unit subtree, in entry order.
/// Entries of a contest with this status, in the subtree at `unit_path` (`None`: all).
pub async fn contest_entries<C: Conn>(
    db: &C,
    contest_id: i64,
    unit_path: Option<&UnitPath>,
    status: crate::status::EntryStatus,
) -> StorageResult<Vec<EntryBrief>> {
    use sea_orm::ExprTrait;
    use sea_orm::sea_query::{Expr, LikeExpr};
    let mut q = brief_select()
        .filter(entry::Column::ContestId.eq(contest_id))
        .filter(entry::Column::Status.eq(status));
    if let Some(p) = unit_path {
        q = q.filter(
            Expr::col(entry::Column::UnitPath)
                .like(LikeExpr::new(format!("{}%", super::like_escape(p.as_str()))).escape('\\')),
        );
    }
    Ok(q.order_by_asc(entry::Column::Id)
        .into_tuple::<BriefRow>()
        .all(db)
        .await?
        .into_iter()
        .map(brief)
        .collect())
}

pub async fn entry_brief<C: Conn>(db: &C, id: i64) -> StorageResult<EntryBrief> {
    brief_select()
        .filter(entry::Column::Id.eq(id))
        .into_tuple::<BriefRow>()
        .one(db)
        .await?
        .map(brief)
        .ok_or(StorageError::NotFound)
}

pub async fn has_entry<C: Conn>(db: &C, round_id: i64, entry_id: i64) -> StorageResult<bool> {
    Ok(round_entry::Entity::find_by_id((round_id, entry_id))
        .one(db)
        .await?
        .is_some())
}

/// Adds entries to a round (those already in it are left alone); returns how many were new.
pub async fn add_entries<C: Conn>(
    db: &C,
    round_id: i64,
    entry_ids: &[i64],
    source_round_id: Option<i64>,
) -> StorageResult<usize> {
    let txn = db.begin().await?;
    let n = add_entries_in(&txn, round_id, entry_ids, source_round_id).await?;
    txn.commit().await?;
    Ok(n)
}

pub(crate) async fn add_entries_in<C: sea_orm::ConnectionTrait>(
    conn: &C,
    round_id: i64,
    entry_ids: &[i64],
    source_round_id: Option<i64>,
) -> StorageResult<usize> {
    let present: HashSet<i64> = round_entry::Entity::find()
        .filter(round_entry::Column::RoundId.eq(round_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.entry_id)
        .collect();
    let now = time::now();
    let mut seen = HashSet::new();
    let fresh: Vec<i64> = entry_ids
        .iter()
        .copied()
        .filter(|id| !present.contains(id) && seen.insert(*id))
        .collect();
    for chunk in fresh.chunks(CHUNK) {
        let rows = chunk.iter().map(|&id| round_entry::ActiveModel {
            round_id: Set(round_id),
            entry_id: Set(id),
            source_round_id: Set(source_round_id),
            added_at: Set(now),
        });
        round_entry::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(fresh.len())
}

/// Entry ids in any round of the given kind of a contest.
pub async fn entries_in_rounds_of_kind<C: Conn>(
    db: &C,
    contest_id: i64,
    kind: crate::status::RoundKind,
) -> StorageResult<HashSet<i64>> {
    let rounds = Query::select()
        .column(round::Column::Id)
        .from(round::Entity)
        .and_where(round::Column::ContestId.eq(contest_id))
        .and_where(round::Column::Kind.eq(kind))
        .to_owned();
    Ok(round_entry::Entity::find()
        .filter(round_entry::Column::RoundId.in_subquery(rounds))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.entry_id)
        .collect())
}

/// Authors of many entries, by entry.
pub async fn authors_of<C: Conn>(
    db: &C,
    entry_ids: &[i64],
) -> StorageResult<HashMap<i64, Vec<entry_author::Model>>> {
    let mut out: HashMap<i64, Vec<entry_author::Model>> = HashMap::new();
    for chunk in entry_ids.chunks(CHUNK) {
        for a in entry_author::Entity::find()
            .filter(entry_author::Column::EntryId.is_in(chunk.to_vec()))
            .order_by_asc(entry_author::Column::Position)
            .all(db)
            .await?
        {
            out.entry(a.entry_id).or_default().push(a);
        }
    }
    Ok(out)
}

// ---- anonymous codes ----

/// Gives every listed entry an anonymous code (unique in its contest) if it has none;
/// `generate` makes candidate codes. Returns the codes of all listed entries.
pub async fn ensure_codes<C: Conn>(
    db: &C,
    contest_id: i64,
    entry_ids: &[i64],
    mut generate: impl FnMut() -> String,
) -> StorageResult<HashMap<i64, String>> {
    let mut have = codes_for(db, entry_ids).await?;
    let taken: HashSet<String> = anon_code::Entity::find()
        .filter(anon_code::Column::ContestId.eq(contest_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let mut taken = taken;
    let mut fresh = Vec::new();
    for &id in entry_ids {
        if have.contains_key(&id) {
            continue;
        }
        let mut code = generate();
        while taken.contains(&code) {
            code = generate();
        }
        taken.insert(code.clone());
        have.insert(id, code.clone());
        fresh.push((id, code));
    }
    if !fresh.is_empty() {
        let txn = db.begin().await?;
        for chunk in fresh.chunks(CHUNK) {
            let rows = chunk.iter().map(|(id, code)| anon_code::ActiveModel {
                entry_id: Set(*id),
                contest_id: Set(contest_id),
                code: Set(code.clone()),
            });
            anon_code::Entity::insert_many(rows)
                .exec_without_returning(&txn)
                .await
                .map_err(|e| StorageError::from_db(e, "anon_code"))?;
        }
        txn.commit().await?;
    }
    Ok(have)
}

pub async fn codes_for<C: Conn>(db: &C, entry_ids: &[i64]) -> StorageResult<HashMap<i64, String>> {
    let mut out = HashMap::new();
    for chunk in entry_ids.chunks(CHUNK) {
        for c in anon_code::Entity::find()
            .filter(anon_code::Column::EntryId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            out.insert(c.entry_id, c.code);
        }
    }
    Ok(out)
}

/// The entry behind an anonymous code of a contest.
pub async fn entry_by_code<C: Conn>(db: &C, contest_id: i64, code: &str) -> StorageResult<i64> {
    anon_code::Entity::find()
        .filter(anon_code::Column::ContestId.eq(contest_id))
        .filter(anon_code::Column::Code.eq(code))
        .one(db)
        .await?
        .map(|c| c.entry_id)
        .ok_or(StorageError::NotFound)
}

// ---- conflicts ----

pub const DECLARED: &str = "declared";
pub const FORBIDDEN: &str = "forbidden";
pub const FORCED: &str = "forced";

#[derive(Debug, Clone)]
pub struct NewConflict {
    pub round_id: i64,
    pub entry_id: i64,
    pub user_id: i64,
    pub kind: String,
    pub reason: String,
    pub created_by: Option<i64>,
}

pub async fn conflicts<C: Conn>(
    db: &C,
    round_id: i64,
) -> StorageResult<Vec<judge_conflict::Model>> {
    Ok(judge_conflict::Entity::find()
        .filter(judge_conflict::Column::RoundId.eq(round_id))
        .order_by_asc(judge_conflict::Column::Id)
        .all(db)
        .await?)
}

/// Records a conflict (or a forced pair), replacing any earlier record for the same pair.
pub async fn put_conflict<C: Conn>(db: &C, c: NewConflict) -> StorageResult<judge_conflict::Model> {
    let txn = db.begin().await?;
    judge_conflict::Entity::delete_many()
        .filter(judge_conflict::Column::RoundId.eq(c.round_id))
        .filter(judge_conflict::Column::EntryId.eq(c.entry_id))
        .filter(judge_conflict::Column::UserId.eq(c.user_id))
        .exec(&txn)
        .await?;
    let saved = judge_conflict::ActiveModel {
        round_id: Set(c.round_id),
        entry_id: Set(c.entry_id),
        user_id: Set(c.user_id),
        kind: Set(c.kind),
        reason: Set(c.reason),
        created_by: Set(c.created_by),
        created_at: Set(time::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn remove_conflict<C: Conn>(
    db: &C,
    round_id: i64,
    id: i64,
) -> StorageResult<judge_conflict::Model> {
    let c = judge_conflict::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.round_id == round_id)
        .ok_or(StorageError::NotFound)?;
    judge_conflict::Entity::delete_by_id(id).exec(db).await?;
    Ok(c)
}

/// Accounts by id (judges of a round, for names and units).
pub async fn users_of<C: Conn>(
    db: &C,
    ids: &[i64],
) -> StorageResult<HashMap<i64, crate::entity::user::Model>> {
    use crate::entity::user;
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for u in user::Entity::find()
            .filter(user::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            out.insert(u.id, u);
        }
    }
    Ok(out)
}

/// Units by id (for names on results and certificates).
pub async fn units_of<C: Conn>(
    db: &C,
    ids: &[i64],
) -> StorageResult<HashMap<i64, crate::entity::unit::Model>> {
    use crate::entity::unit;
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for u in unit::Entity::find()
            .filter(unit::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            out.insert(u.id, u);
        }
    }
    Ok(out)
}

/// Sets the status of many entries at once (the demo's finished screening), and recomputes
/// the participation counters of their contests, which count entries by status.
pub async fn set_entry_status<C: Conn>(
    db: &C,
    ids: &[i64],
    status: crate::status::EntryStatus,
) -> StorageResult<()> {
    use sea_orm::QuerySelect;
    let txn = db.begin().await?;
    let mut contests: Vec<i64> = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let found: Vec<i64> = entry::Entity::find()
            .select_only()
            .column(entry::Column::ContestId)
            .distinct()
            .filter(entry::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(&txn)
            .await?;
        contests.extend(found);
    }
    contests.sort_unstable();
    contests.dedup();
    for chunk in ids.chunks(CHUNK) {
        entry::Entity::update_many()
            .col_expr(
                entry::Column::Status,
                sea_orm::sea_query::Expr::value(status),
            )
            .col_expr(
                entry::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(time::now()),
            )
            .filter(entry::Column::Id.is_in(chunk.to_vec()))
            .exec(&txn)
            .await?;
    }
    for c in contests {
        super::participation::rebuild(&txn, Some(c)).await?;
    }
    txn.commit().await?;
    Ok(())
}
