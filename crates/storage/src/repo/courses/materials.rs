//! Course materials: files and links in the course's order, each for its delegates or for
//! everyone (migration m0014).

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entity::courses::material;
use crate::{Conn, StorageError, StorageResult, time};

pub use crate::entity::courses::material::Model as Material;

/// A file material.
pub const FILE: &str = "file";
/// A link material.
pub const LINK: &str = "link";
/// Seen by the course's delegates, organizers and staff.
pub const DELEGATES: &str = "delegates";
/// Seen by everyone who may see the course.
pub const PUBLIC: &str = "public";

/// What a new material holds (the file already in the blob store).
pub struct NewMaterial {
    pub course_id: i64,
    pub session_id: Option<i64>,
    pub title: String,
    pub note: String,
    pub kind: &'static str,
    pub visibility: &'static str,
    pub url: String,
    pub file_sha256: String,
    pub file_name: String,
    pub format: String,
    pub size_bytes: i64,
    pub body: String,
    pub created_by: Option<i64>,
}

/// Adds a material at the end of the course's list.
pub async fn add<C: Conn>(db: &C, n: NewMaterial) -> StorageResult<Material> {
    let last = list(db, n.course_id)
        .await?
        .iter()
        .map(|m| m.position)
        .max()
        .unwrap_or(0);
    let now = time::now();
    Ok(material::ActiveModel {
        course_id: Set(n.course_id),
        session_id: Set(n.session_id),
        position: Set(last + 1),
        title: Set(n.title),
        note: Set(n.note),
        kind: Set(n.kind.to_string()),
        visibility: Set(n.visibility.to_string()),
        url: Set(n.url),
        file_sha256: Set(n.file_sha256),
        file_name: Set(n.file_name),
        format: Set(n.format),
        size_bytes: Set(n.size_bytes),
        body: Set(n.body),
        created_by: Set(n.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The materials of a course in their order.
pub async fn list<C: Conn>(db: &C, course_id: i64) -> StorageResult<Vec<Material>> {
    Ok(material::Entity::find()
        .filter(material::Column::CourseId.eq(course_id))
        .order_by_asc(material::Column::Position)
        .order_by_asc(material::Column::Id)
        .all(db)
        .await?)
}

pub async fn get<C: Conn>(db: &C, id: i64) -> StorageResult<Material> {
    material::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

/// The fields an organizer edits (the file or link itself stays).
pub struct MaterialEdit {
    pub title: String,
    pub note: String,
    pub session_id: Option<i64>,
    pub visibility: &'static str,
    /// A link's new address (ignored for a file).
    pub url: Option<String>,
}

pub async fn update<C: Conn>(db: &C, id: i64, e: MaterialEdit) -> StorageResult<Material> {
    let mut a: material::ActiveModel = get(db, id).await?.into();
    a.title = Set(e.title);
    a.note = Set(e.note);
    a.session_id = Set(e.session_id);
    a.visibility = Set(e.visibility.to_string());
    if let Some(url) = e.url {
        a.url = Set(url);
    }
    a.updated_at = Set(time::now());
    Ok(a.update(db).await?)
}

/// Writes the course's order: `ids` first to last (ids of other courses are ignored).
pub async fn reorder<C: Conn>(db: &C, course_id: i64, ids: &[i64]) -> StorageResult<()> {
    let current = list(db, course_id).await?;
    for (i, id) in ids.iter().enumerate() {
        let Some(m) = current.iter().find(|m| m.id == *id) else {
            continue;
        };
        let position = i as i32 + 1;
        if m.position != position {
            let mut a: material::ActiveModel = m.clone().into();
            a.position = Set(position);
            a.update(db).await?;
        }
    }
    Ok(())
}

pub async fn delete<C: Conn>(db: &C, id: i64) -> StorageResult<()> {
    material::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Materials with ids above `after`, in id order (the search rebuild).
pub async fn batch_after<C: Conn>(db: &C, after: i64, limit: u64) -> StorageResult<Vec<Material>> {
    use sea_orm::QuerySelect;
    Ok(material::Entity::find()
        .filter(material::Column::Id.gt(after))
        .order_by_asc(material::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// How many materials use a stored file (a removed one's bytes may be shared).
pub async fn uses_of_file<C: Conn>(db: &C, sha256: &str) -> StorageResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(material::Entity::find()
        .filter(material::Column::FileSha256.eq(sha256))
        .count(db)
        .await?)
}
