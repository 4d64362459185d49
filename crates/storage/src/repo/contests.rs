use sea_orm::TransactionSession as _;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entity::{contest, contest_unit, genre, participant_group, unit};
use crate::{Conn, StorageError, StorageResult, time};

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
pub async fn create<C: Conn>(db: &C, c: NewContest) -> StorageResult<contest::Model> {
    let txn = db.begin().await?;
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

pub async fn by_slug<C: Conn>(db: &C, slug: &str) -> StorageResult<contest::Model> {
    contest::Entity::find()
        .filter(contest::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn get<C: Conn>(db: &C, id: i64) -> StorageResult<contest::Model> {
    contest::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn published<C: Conn>(db: &C) -> StorageResult<Vec<contest::Model>> {
    Ok(contest::Entity::find()
        .filter(contest::Column::Published.eq(true))
        .order_by_desc(contest::Column::ClosesAt)
        .all(db)
        .await?)
}

pub async fn all<C: Conn>(db: &C) -> StorageResult<Vec<contest::Model>> {
    Ok(contest::Entity::find()
        .order_by_desc(contest::Column::Id)
        .all(db)
        .await?)
}

pub async fn genres<C: Conn>(db: &C, contest_id: i64) -> StorageResult<Vec<genre::Model>> {
    Ok(genre::Entity::find()
        .filter(genre::Column::ContestId.eq(contest_id))
        .order_by_asc(genre::Column::Position)
        .all(db)
        .await?)
}

pub async fn groups<C: Conn>(
    db: &C,
    contest_id: i64,
) -> StorageResult<Vec<participant_group::Model>> {
    Ok(participant_group::Entity::find()
        .filter(participant_group::Column::ContestId.eq(contest_id))
        .order_by_asc(participant_group::Column::Position)
        .all(db)
        .await?)
}

/// The collecting units of a contest, in Vietnamese name order.
pub async fn collecting_units<C: Conn>(db: &C, contest_id: i64) -> StorageResult<Vec<unit::Model>> {
    let ids: Vec<i64> = contest_unit::Entity::find()
        .filter(contest_unit::Column::ContestId.eq(contest_id))
        .all(db)
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
        .all(db)
        .await?)
}

#[derive(Debug, Clone)]
pub struct ContestChanges {
    pub title: String,
    pub description: String,
    pub rules: String,
    pub opens_at: time::Timestamp,
    pub closes_at: time::Timestamp,
    pub published: bool,
    /// Whether shared quotes count in the copied share.
    pub count_quotes: bool,
    /// "" (as written), "new" or "old".
    pub display_tone: String,
    pub collecting_units: Vec<i64>,
}

/// Changes a contest's details, timeline and roll-out together. Entries already collected by a
/// unit taken out of the roll-out stay where they are.
pub async fn update<C: Conn>(db: &C, id: i64, ch: ContestChanges) -> StorageResult<contest::Model> {
    let txn = db.begin().await?;
    super::lock_row(&txn, "contests", id).await?;
    let k = contest::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(StorageError::NotFound)?;
    let mut am: contest::ActiveModel = k.into();
    am.title = Set(ch.title);
    am.description = Set(ch.description);
    am.rules = Set(ch.rules);
    am.opens_at = Set(ch.opens_at);
    am.closes_at = Set(ch.closes_at);
    am.published = Set(ch.published);
    am.count_quotes = Set(ch.count_quotes);
    am.display_tone = Set(ch.display_tone);
    am.updated_at = Set(time::now());
    let saved = am.update(&txn).await?;
    contest_unit::Entity::delete_many()
        .filter(contest_unit::Column::ContestId.eq(id))
        .exec(&txn)
        .await?;
    let mut seen = std::collections::HashSet::new();
    for unit_id in ch.collecting_units {
        if seen.insert(unit_id) {
            contest_unit::ActiveModel {
                contest_id: Set(id),
                unit_id: Set(unit_id),
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(saved)
}

/// A genre row from the settings form: `id` None adds one; `remove` deletes one.
#[derive(Debug, Clone)]
pub struct GenreEdit {
    pub id: Option<i64>,
    pub remove: bool,
    pub genre: NewGenre,
}

#[derive(Debug, Clone)]
pub struct GroupEdit {
    pub id: Option<i64>,
    pub remove: bool,
    pub name: String,
}

/// Saves a contest's genres and participant groups, all or nothing. A genre or group that
/// entries already use cannot be removed (`Conflict` names it).
pub async fn save_categories<C: Conn>(
    db: &C,
    contest_id: i64,
    genres_in: Vec<GenreEdit>,
    groups_in: Vec<GroupEdit>,
) -> StorageResult<()> {
    use crate::entity::{entry, entry_author};
    use sea_orm::{PaginatorTrait, QuerySelect};
    let txn = db.begin().await?;
    super::lock_row(&txn, "contests", contest_id).await?;
    let existing = genre::Entity::find()
        .filter(genre::Column::ContestId.eq(contest_id))
        .all(&txn)
        .await?;
    let mut position = 0;
    for g in genres_in {
        match g.id {
            Some(id) => {
                let Some(old) = existing.iter().find(|x| x.id == id) else {
                    return Err(StorageError::NotFound);
                };
                if g.remove {
                    let used = entry::Entity::find()
                        .filter(entry::Column::GenreId.eq(id))
                        .count(&txn)
                        .await?;
                    if used > 0 {
                        return Err(StorageError::Conflict(format!("genre:{}", old.name)));
                    }
                    genre::Entity::delete_by_id(id).exec(&txn).await?;
                    continue;
                }
                let mut am: genre::ActiveModel = old.clone().into();
                am.name = Set(g.genre.name);
                am.medium = Set(g.genre.medium);
                am.min_words = Set(g.genre.min_words);
                am.max_words = Set(g.genre.max_words);
                am.max_authors = Set(g.genre.max_authors);
                am.max_entries_per_author = Set(g.genre.max_entries_per_author);
                am.accepted_types = Set(g.genre.accepted_types);
                am.allowed_overlap_percent = Set(g.genre.allowed_overlap_percent);
                am.position = Set(position);
                am.update(&txn).await?;
            }
            None if g.remove => continue,
            None => {
                genre::ActiveModel {
                    contest_id: Set(contest_id),
                    name: Set(g.genre.name),
                    medium: Set(g.genre.medium),
                    min_words: Set(g.genre.min_words),
                    max_words: Set(g.genre.max_words),
                    max_authors: Set(g.genre.max_authors),
                    max_entries_per_author: Set(g.genre.max_entries_per_author),
                    accepted_types: Set(g.genre.accepted_types),
                    allowed_overlap_percent: Set(g.genre.allowed_overlap_percent),
                    position: Set(position),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        position += 1;
    }
    if position == 0 {
        return Err(StorageError::Invalid("no genre".into()));
    }
    let existing = participant_group::Entity::find()
        .filter(participant_group::Column::ContestId.eq(contest_id))
        .all(&txn)
        .await?;
    let mut position = 0;
    for g in groups_in {
        match g.id {
            Some(id) => {
                let Some(old) = existing.iter().find(|x| x.id == id) else {
                    return Err(StorageError::NotFound);
                };
                if g.remove {
                    let used = entry_author::Entity::find()
                        .select_only()
                        .column(entry_author::Column::Id)
                        .filter(entry_author::Column::GroupId.eq(id))
                        .count(&txn)
                        .await?;
                    if used > 0 {
                        return Err(StorageError::Conflict(format!("group:{}", old.name)));
                    }
                    participant_group::Entity::delete_by_id(id)
                        .exec(&txn)
                        .await?;
                    continue;
                }
                let mut am: participant_group::ActiveModel = old.clone().into();
                am.name = Set(g.name);
                am.position = Set(position);
                am.update(&txn).await?;
            }
            None if g.remove => continue,
            None => {
                participant_group::ActiveModel {
                    contest_id: Set(contest_id),
                    name: Set(g.name),
                    position: Set(position),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        position += 1;
    }
    txn.commit().await?;
    Ok(())
}
