//! Results of a round: advancement to the next round, prize tiers, confirmed awards, and the
//! certificates issued when results are published.

use sea_orm::TransactionSession as _;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::rounds::{CHUNK, add_entries_in};
use crate::entity::{advancement, award, award_tier, certificate, round};
use crate::{Conn, StorageError, StorageResult, time};

pub const INDIVIDUAL: &str = "individual";
pub const COLLECTIVE: &str = "collective";

#[derive(Debug, Clone, PartialEq)]
pub struct Advancing {
    pub entry_id: i64,
    pub rank: i32,
    pub score: f64,
}

/// Moves entries up: records the advancement and adds them to the next round, in one
/// transaction. Entries that already advanced from this round are left alone.
pub async fn advance<C: Conn>(
    db: &C,
    from_round: i64,
    to_round: i64,
    list: Vec<Advancing>,
    rule: &str,
    created_by: Option<i64>,
) -> StorageResult<usize> {
    let txn = db.begin().await?;
    let done: std::collections::HashSet<i64> = advancement::Entity::find()
        .filter(advancement::Column::FromRoundId.eq(from_round))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| a.entry_id)
        .collect();
    let now = time::now();
    let fresh: Vec<Advancing> = list
        .into_iter()
        .filter(|a| !done.contains(&a.entry_id))
        .collect();
    for chunk in fresh.chunks(CHUNK) {
        let rows = chunk.iter().map(|a| advancement::ActiveModel {
            from_round_id: Set(from_round),
            to_round_id: Set(to_round),
            entry_id: Set(a.entry_id),
            rank: Set(a.rank),
            score: Set(a.score),
            rule: Set(rule.to_string()),
            created_by: Set(created_by),
            created_at: Set(now),
            ..Default::default()
        });
        advancement::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
    }
    let ids: Vec<i64> = fresh.iter().map(|a| a.entry_id).collect();
    add_entries_in(&txn, to_round, &ids, Some(from_round)).await?;
    txn.commit().await?;
    Ok(fresh.len())
}

pub async fn advancements_from<C: Conn>(
    db: &C,
    round_id: i64,
) -> StorageResult<Vec<advancement::Model>> {
    Ok(advancement::Entity::find()
        .filter(advancement::Column::FromRoundId.eq(round_id))
        .order_by_asc(advancement::Column::Rank)
        .all(db)
        .await?)
}

// ---- tiers ----

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTier {
    pub genre_id: i64,
    pub name: String,
    pub count: i32,
}

pub async fn tiers<C: Conn>(db: &C, round_id: i64) -> StorageResult<Vec<award_tier::Model>> {
    Ok(award_tier::Entity::find()
        .filter(award_tier::Column::RoundId.eq(round_id))
        .order_by_asc(award_tier::Column::GenreId)
        .order_by_asc(award_tier::Column::Position)
        .all(db)
        .await?)
}

/// Replaces the prize tiers of a round (all genres), in the given order per genre.
pub async fn replace_tiers<C: Conn>(
    db: &C,
    round_id: i64,
    list: Vec<NewTier>,
) -> StorageResult<()> {
    let txn = db.begin().await?;
    award_tier::Entity::delete_many()
        .filter(award_tier::Column::RoundId.eq(round_id))
        .exec(&txn)
        .await?;
    let mut position: std::collections::HashMap<i64, i32> = Default::default();
    let rows: Vec<award_tier::ActiveModel> = list
        .into_iter()
        .map(|t| {
            let p = position.entry(t.genre_id).or_default();
            *p += 1;
            award_tier::ActiveModel {
                round_id: Set(round_id),
                genre_id: Set(t.genre_id),
                position: Set(*p - 1),
                name: Set(t.name),
                count: Set(t.count),
                ..Default::default()
            }
        })
        .collect();
    award_tier::Entity::insert_many(rows)
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

// ---- awards ----

#[derive(Debug, Clone, PartialEq)]
pub struct NewAward {
    pub kind: String,
    pub entry_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub genre_id: Option<i64>,
    pub tier_name: String,
    pub position: i32,
    pub score: Option<f64>,
    pub rank: Option<i32>,
}

pub async fn awards<C: Conn>(db: &C, round_id: i64) -> StorageResult<Vec<award::Model>> {
    Ok(award::Entity::find()
        .filter(award::Column::RoundId.eq(round_id))
        .order_by_asc(award::Column::Kind)
        .order_by_asc(award::Column::GenreId)
        .order_by_asc(award::Column::Position)
        .order_by_asc(award::Column::Rank)
        .order_by_asc(award::Column::Id)
        .all(db)
        .await?)
}

/// Replaces the confirmed awards of one kind for a round (refused once results are published).
pub async fn replace_awards<C: Conn>(
    db: &C,
    round_id: i64,
    kind: &str,
    list: Vec<NewAward>,
    created_by: Option<i64>,
) -> StorageResult<()> {
    let txn = db.begin().await?;
    let r = round::Entity::find_by_id(round_id)
        .one(&txn)
        .await?
        .ok_or(StorageError::NotFound)?;
    if r.results_published_at.is_some() {
        return Err(StorageError::Conflict("published".into()));
    }
    award::Entity::delete_many()
        .filter(award::Column::RoundId.eq(round_id))
        .filter(award::Column::Kind.eq(kind))
        .exec(&txn)
        .await?;
    let now = time::now();
    for chunk in list.chunks(CHUNK) {
        let rows = chunk.iter().map(|a| award::ActiveModel {
            round_id: Set(round_id),
            kind: Set(a.kind.clone()),
            entry_id: Set(a.entry_id),
            unit_id: Set(a.unit_id),
            genre_id: Set(a.genre_id),
            tier_name: Set(a.tier_name.clone()),
            position: Set(a.position),
            score: Set(a.score),
            rank: Set(a.rank),
            created_by: Set(created_by),
            created_at: Set(now),
            ..Default::default()
        });
        award::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

// ---- publication and certificates ----

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCertificate {
    pub award_id: i64,
    pub position: i32,
    pub code: String,
    pub recipient: String,
    pub unit_name: String,
    pub entry_title: String,
    pub contest_title: String,
    pub award_name: String,
}

/// Publishes a round's results and issues its certificates, in one transaction.
pub async fn publish<C: Conn>(
    db: &C,
    round_id: i64,
    certificates: Vec<NewCertificate>,
) -> StorageResult<round::Model> {
    let txn = db.begin().await?;
    let r = round::Entity::find_by_id(round_id)
        .one(&txn)
        .await?
        .ok_or(StorageError::NotFound)?;
    if r.results_published_at.is_some() {
        return Err(StorageError::Conflict("published".into()));
    }
    let now = time::now();
    for chunk in certificates.chunks(CHUNK) {
        let rows = chunk.iter().map(|c| certificate::ActiveModel {
            award_id: Set(c.award_id),
            position: Set(c.position),
            code: Set(c.code.clone()),
            recipient: Set(c.recipient.clone()),
            unit_name: Set(c.unit_name.clone()),
            entry_title: Set(c.entry_title.clone()),
            contest_title: Set(c.contest_title.clone()),
            award_name: Set(c.award_name.clone()),
            issued_at: Set(now),
            revoked_at: Set(None),
            ..Default::default()
        });
        certificate::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .map_err(|e| StorageError::from_db(e, "certificate"))?;
    }
    let mut am: round::ActiveModel = r.into();
    am.results_published_at = Set(Some(now));
    am.updated_at = Set(now);
    let saved = am.update(&txn).await?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn certificate_by_code<C: Conn>(db: &C, code: &str) -> StorageResult<certificate::Model> {
    certificate::Entity::find()
        .filter(certificate::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn certificates_of<C: Conn>(
    db: &C,
    award_ids: &[i64],
) -> StorageResult<Vec<certificate::Model>> {
    let mut out = Vec::new();
    for chunk in award_ids.chunks(CHUNK) {
        out.extend(
            certificate::Entity::find()
                .filter(certificate::Column::AwardId.is_in(chunk.to_vec()))
                .order_by_asc(certificate::Column::AwardId)
                .order_by_asc(certificate::Column::Position)
                .all(db)
                .await?,
        );
    }
    Ok(out)
}
