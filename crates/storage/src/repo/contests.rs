use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use crate::entity::{contest, contest_unit, genre, participant_group, unit};
use crate::{Db, StorageError, StorageResult, time};

#[derive(Debug, Clone)]
pub struct NewGenre {
    pub name: String,
    pub medium: String,
    pub min_words: Option<i32>,
    pub max_words: Option<i32>,
    pub max_authors: i32,
    pub max_entries_per_author: i32,
    pub accepted_types: String,
    pub allowed_overlap_percent: i32,
}

#[derive(Debug, Clone)]
pub struct NewContest {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub rules: String,
    pub organizer_unit_id: i64,
    pub opens_at: time::Timestamp,
    pub closes_at: time::Timestamp,
    pub published: bool,
    pub collecting_units: Vec<i64>,
    pub genres: Vec<NewGenre>,
    pub groups: Vec<String>,
}

/// Creates a contest with its roll-out, genres and participant groups, all or nothing.
pub async fn create(db: &Db, c: NewContest) -> StorageResult<contest::Model> {
    let txn = db.conn.begin().await?;
    let now = time::now();
    let slug = c.slug.clone();
    let contest = contest::ActiveModel {
        slug: Set(c.slug),
        title: Set(c.title),
        description: Set(c.description),
        rules: Set(c.rules),
        organizer_unit_id: Set(c.organizer_unit_id),
        opens_at: Set(c.opens_at),
        closes_at: Set(c.closes_at),
        published: Set(c.published),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| StorageError::from_db(e, &slug))?;
    for unit_id in c.collecting_units {
        contest_unit::ActiveModel {
            contest_id: Set(contest.id),
            unit_id: Set(unit_id),
        }
        .insert(&txn)
        .await?;
    }
    for (i, g) in c.genres.into_iter().enumerate() {
        genre::ActiveModel {
            contest_id: Set(contest.id),
            name: Set(g.name),
            medium: Set(g.medium),
            min_words: Set(g.min_words),
            max_words: Set(g.max_words),
            max_authors: Set(g.max_authors),
            max_entries_per_author: Set(g.max_entries_per_author),
            accepted_types: Set(g.accepted_types),
            allowed_overlap_percent: Set(g.allowed_overlap_percent),
            position: Set(i as i32),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    for (i, name) in c.groups.into_iter().enumerate() {
        participant_group::ActiveModel {
            contest_id: Set(contest.id),
            name: Set(name),
            position: Set(i as i32),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(contest)
}

pub async fn by_slug(db: &Db, slug: &str) -> StorageResult<contest::Model> {
    contest::Entity::find()
        .filter(contest::Column::Slug.eq(slug))
        .one(&db.conn)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn get(db: &Db, id: i64) -> StorageResult<contest::Model> {
    contest::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn published(db: &Db) -> StorageResult<Vec<contest::Model>> {
    Ok(contest::Entity::find()
        .filter(contest::Column::Published.eq(true))
        .order_by_desc(contest::Column::ClosesAt)
        .all(&db.conn)
        .await?)
}

pub async fn all(db: &Db) -> StorageResult<Vec<contest::Model>> {
    Ok(contest::Entity::find()
        .order_by_desc(contest::Column::Id)
        .all(&db.conn)
        .await?)
}

pub async fn genres(db: &Db, contest_id: i64) -> StorageResult<Vec<genre::Model>> {
    Ok(genre::Entity::find()
        .filter(genre::Column::ContestId.eq(contest_id))
        .order_by_asc(genre::Column::Position)
        .all(&db.conn)
        .await?)
}

pub async fn groups(db: &Db, contest_id: i64) -> StorageResult<Vec<participant_group::Model>> {
    Ok(participant_group::Entity::find()
        .filter(participant_group::Column::ContestId.eq(contest_id))
        .order_by_asc(participant_group::Column::Position)
        .all(&db.conn)
        .await?)
}

/// The collecting units of a contest, in Vietnamese name order.
pub async fn collecting_units(db: &Db, contest_id: i64) -> StorageResult<Vec<unit::Model>> {
    let ids: Vec<i64> = contest_unit::Entity::find()
        .filter(contest_unit::Column::ContestId.eq(contest_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|r| r.unit_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(unit::Entity::find()
        .filter(unit::Column::Id.is_in(ids))
        .order_by_asc(unit::Column::NameKey)
        .all(&db.conn)
        .await?)
}
