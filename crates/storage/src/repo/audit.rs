//! The audit log: who changed what, when, with before and after where it matters.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entity::audit::{ActiveModel, Column, Entity, Model};
use crate::{StorageResult, time};

pub async fn record<C: ConnectionTrait>(
    conn: &C,
    actor_id: Option<i64>,
    action: &str,
    resource_kind: &str,
    resource_id: Option<i64>,
    detail: serde_json::Value,
) -> StorageResult<()> {
    ActiveModel {
        at: Set(time::now()),
        actor_id: Set(actor_id),
        action: Set(action.to_string()),
        resource_kind: Set(resource_kind.to_string()),
        resource_id: Set(resource_id),
        detail: Set(detail.to_string()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub async fn for_resource<C: ConnectionTrait>(
    conn: &C,
    resource_kind: &str,
    resource_id: i64,
) -> StorageResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::ResourceKind.eq(resource_kind))
        .filter(Column::ResourceId.eq(resource_id))
        .order_by_asc(Column::Id)
        .all(conn)
        .await?)
}
