//! Role grants: which user holds which role, scoped to a unit subtree or to one resource
//! (a contest, a course, a judging round). Being a participant needs no grant.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entity::role_grant::{ActiveModel, Column, Entity, Model};
use crate::entity::unit;
use crate::types::UnitPath;
use crate::{Conn, StorageError, StorageResult, time};

/// A grant with the path of its unit, ready for authorization checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedGrant {
    pub id: i64,
    pub role: String,
    pub unit_id: Option<i64>,
    pub unit_path: Option<UnitPath>,
    pub resource_kind: Option<String>,
    pub resource_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewGrant {
    pub user_id: i64,
    pub role: String,
    pub unit_id: Option<i64>,
    pub resource_kind: Option<String>,
    pub resource_id: Option<i64>,
}

pub async fn for_user<C: Conn>(db: &C, user_id: i64) -> StorageResult<Vec<ScopedGrant>> {
    let grants = Entity::find()
        .filter(Column::UserId.eq(user_id))
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    let unit_ids: Vec<i64> = grants.iter().filter_map(|g| g.unit_id).collect();
    let units = if unit_ids.is_empty() {
        Vec::new()
    } else {
        unit::Entity::find()
            .filter(unit::Column::Id.is_in(unit_ids))
            .all(db)
            .await?
    };
    Ok(grants
        .into_iter()
        .map(|g| ScopedGrant {
            id: g.id,
            unit_path: g
                .unit_id
                .and_then(|id| units.iter().find(|u| u.id == id))
                .map(|u| u.path.clone()),
            role: g.role,
            unit_id: g.unit_id,
            resource_kind: g.resource_kind,
            resource_id: g.resource_id,
        })
        .collect())
}

pub async fn add<C: Conn>(db: &C, new: NewGrant) -> StorageResult<Model> {
    let existing = Entity::find()
        .filter(Column::UserId.eq(new.user_id))
        .filter(Column::Role.eq(new.role.as_str()))
        .all(db)
        .await?;
    if let Some(same) = existing.into_iter().find(|g| {
        g.unit_id == new.unit_id
            && g.resource_kind == new.resource_kind
            && g.resource_id == new.resource_id
    }) {
        return Ok(same);
    }
    Ok(ActiveModel {
        user_id: Set(new.user_id),
        role: Set(new.role),
        unit_id: Set(new.unit_id),
        resource_kind: Set(new.resource_kind),
        resource_id: Set(new.resource_id),
        created_at: Set(time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn remove<C: Conn>(db: &C, user_id: i64, grant_id: i64) -> StorageResult<()> {
    let res = Entity::delete_many()
        .filter(Column::Id.eq(grant_id))
        .filter(Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Users holding `role` on one resource (e.g. the judges of a round).
pub async fn holders<C: Conn>(db: &C, role: &str, kind: &str, id: i64) -> StorageResult<Vec<i64>> {
    Ok(Entity::find()
        .filter(Column::Role.eq(role))
        .filter(Column::ResourceKind.eq(kind))
        .filter(Column::ResourceId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.user_id)
        .collect())
}
