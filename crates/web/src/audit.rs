//! The audit record of a service action, written with the action's own transaction so that a
//! change and the record of who made it commit together or not at all.

use hoithi_storage::Conn;
use hoithi_storage::StorageResult;
use hoithi_storage::repo::audit;

use crate::policy::Actor;

pub async fn record<C: Conn>(
    conn: &C,
    actor: &Actor,
    action: &str,
    resource_kind: &str,
    resource_id: Option<i64>,
    mut detail: serde_json::Value,
) -> StorageResult<()> {
    // Without an account behind it (the operator, a private link), the actor is named in
    // the detail.
    if let (Some(label), Some(map)) = (actor.audit_label(), detail.as_object_mut()) {
        map.insert("by".into(), serde_json::Value::String(label));
    }
    audit::record(
        conn,
        actor.user_id(),
        action,
        resource_kind,
        resource_id,
        detail,
    )
    .await
}
