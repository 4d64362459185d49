//! Unit services: every check and change the pages and the API make, in one place.

use hoithi_storage::entity::unit::Model as Unit;
use hoithi_storage::repo::units;
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::error::{AppError, AppResult};
use crate::policy::{Action, Actor, Reach, Resource, can, reach};
use crate::state::AppState;
use crate::validate;

/// What a person fills in to create or change a unit.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UnitInput {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    /// Parent unit id (required except for site administrators creating a root).
    #[serde(default)]
    pub parent_id: Option<i64>,
    #[serde(default)]
    pub headcount: Option<i32>,
}

/// A unit as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub depth: i32,
    pub headcount: Option<i32>,
}

impl From<Unit> for UnitView {
    fn from(u: Unit) -> Self {
        UnitView {
            id: u.id,
            code: u.code,
            name: u.name,
            kind: u.kind,
            parent_id: u.parent_id,
            depth: u.depth,
            headcount: u.headcount,
        }
    }
}

pub fn check_kind(kind: &str) -> AppResult<String> {
    let k = kind.trim();
    if super::KINDS.contains(&k) {
        Ok(k.to_string())
    } else {
        Err(AppError::bad(
            "Loại đơn vị không hợp lệ.",
            "Unknown kind of unit.",
        ))
    }
}

pub fn clean_name(name: &str) -> AppResult<String> {
    let name = hoithi_text::normalize::as_written(name);
    validate::required_text(&name, 200, "tên đơn vị", "unit name")
}

/// Units the actor may see: whole subtrees they administer, in tree order.
pub async fn visible(state: &AppState, actor: &Actor) -> AppResult<Vec<Unit>> {
    let roots = match reach(actor, Action::ViewUnit) {
        Reach::Everywhere => return Ok(units::list(&state.db, None).await?),
        Reach::Within(roots) => roots,
        Reach::Nowhere => return Ok(Vec::new()),
    };
    let mut out: Vec<Unit> = Vec::new();
    for root in &roots {
        for u in units::list(&state.db, Some(root.as_str())).await? {
            if !out.iter().any(|o| o.id == u.id) {
                out.push(u);
            }
        }
    }
    Ok(out)
}

/// Loads a unit the actor may see; others are reported as not found, so ids do not leak.
pub async fn get_visible(state: &AppState, actor: &Actor, id: i64) -> AppResult<Unit> {
    let unit = units::get(&state.db, id).await?;
    if can(actor, Action::ViewUnit, Resource::Unit { path: &unit.path }) {
        Ok(unit)
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn create(state: &AppState, actor: &Actor, input: UnitInput) -> AppResult<Unit> {
    let code = validate::unit_code(&input.code)?;
    let name = clean_name(&input.name)?;
    let kind = check_kind(&input.kind)?;
    let parent = match input.parent_id {
        Some(pid) => Some(units::get(&state.db, pid).await.map_err(|_| {
            AppError::bad(
                "Đơn vị cấp trên không tồn tại.",
                "The parent unit does not exist.",
            )
        })?),
        None => None,
    };
    let place = match &parent {
        Some(p) => Resource::Unit { path: &p.path },
        None => Resource::Site,
    };
    if !can(actor, Action::CreateUnit, place) {
        return Err(match parent {
            Some(_) => AppError::Forbidden,
            None => AppError::bad(
                "Vui lòng chọn đơn vị cấp trên.",
                "Please choose the parent unit.",
            ),
        });
    }
    if input.headcount.is_some_and(|h| h < 0) {
        return Err(AppError::bad(
            "Số người không được âm.",
            "The headcount cannot be negative.",
        ));
    }
    let tx = state.db.write().await?;
    let unit = units::create(
        &tx,
        units::NewUnit {
            code,
            name_key: hoithi_text::sort::sort_key(&name),
            name,
            kind,
            parent_id: input.parent_id,
            headcount: input.headcount,
        },
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "unit.create",
        "unit",
        Some(unit.id),
        serde_json::json!({"code": unit.code, "name": unit.name}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(unit)
}

pub async fn update(state: &AppState, actor: &Actor, id: i64, input: UnitInput) -> AppResult<Unit> {
    let unit = get_visible(state, actor, id).await?;
    if !can(
        actor,
        Action::ManageUnit,
        Resource::Unit { path: &unit.path },
    ) {
        return Err(AppError::Forbidden);
    }
    let name = clean_name(&input.name)?;
    let kind = check_kind(&input.kind)?;
    if input.headcount.is_some_and(|h| h < 0) {
        return Err(AppError::bad(
            "Số người không được âm.",
            "The headcount cannot be negative.",
        ));
    }
    let before =
        serde_json::json!({"name": unit.name, "kind": unit.kind, "headcount": unit.headcount});
    let tx = state.db.write().await?;
    let saved = units::update(
        &tx,
        id,
        units::UnitChanges {
            name_key: hoithi_text::sort::sort_key(&name),
            name,
            kind,
            headcount: input.headcount,
        },
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "unit.update",
        "unit",
        Some(id),
        serde_json::json!({"before": before, "after": {"name": saved.name, "kind": saved.kind, "headcount": saved.headcount}}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}

pub async fn delete(state: &AppState, actor: &Actor, id: i64) -> AppResult<()> {
    let unit = get_visible(state, actor, id).await?;
    if !can(
        actor,
        Action::DeleteUnit,
        Resource::Unit { path: &unit.path },
    ) {
        return Err(AppError::Forbidden);
    }
    let tx = state.db.write().await?;
    match units::delete(&tx, id).await {
        Err(hoithi_storage::StorageError::Conflict(_)) => {
            Err(AppError::Conflict(crate::i18n::Msg::new(
                "Không thể xóa đơn vị còn đơn vị trực thuộc.",
                "A unit with sub-units cannot be deleted.",
            )))
        }
        Err(hoithi_storage::StorageError::Db(e))
            if e.to_string().to_lowercase().contains("foreign key") =>
        {
            Err(AppError::Conflict(crate::i18n::Msg::new(
                "Không thể xóa đơn vị đang được sử dụng.",
                "The unit is in use and cannot be deleted.",
            )))
        }
        other => {
            other?;
            audit::record(
                &tx,
                actor,
                "unit.delete",
                "unit",
                Some(id),
                serde_json::json!({"code": unit.code}),
            )
            .await?;
            hoithi_storage::commit(tx).await?;
            Ok(())
        }
    }
}
