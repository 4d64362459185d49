//! User services shared by pages, the API and the CLI.

use hoithi_storage::entity::user::Model as User;
use hoithi_storage::repo::{Page, grants, sessions, units, users};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::auth::password;
use crate::error::{AppError, AppResult};
use crate::policy::{Action, Actor, Reach, Resource, Role, UnitPath, can, reach};
use crate::state::AppState;
use crate::validate;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UserInput {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// Initial password (creation only).
    #[serde(default)]
    pub password: Option<String>,
    /// `site_admin` or `unit_admin` (scoped to `unit_id`); empty for a participant.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub is_active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GrantView {
    pub id: i64,
    pub role: String,
    pub unit_id: Option<i64>,
    pub resource_kind: Option<String>,
    pub resource_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub unit_id: Option<i64>,
    pub is_active: bool,
    pub roles: Vec<GrantView>,
}

pub async fn view(state: &AppState, u: User) -> AppResult<UserView> {
    let roles = grants::for_user(&state.db, u.id)
        .await?
        .into_iter()
        .map(|g| GrantView {
            id: g.id,
            role: g.role,
            unit_id: g.unit_id,
            resource_kind: g.resource_kind,
            resource_id: g.resource_id,
        })
        .collect();
    Ok(UserView {
        id: u.id,
        full_name: u.full_name,
        email: u.email,
        phone: u.phone,
        unit_id: u.unit_id,
        is_active: u.is_active,
        roles,
    })
}

async fn unit_path(state: &AppState, unit_id: Option<i64>) -> AppResult<Option<UnitPath>> {
    Ok(match unit_id {
        Some(id) => Some(
            units::get(&state.db, id)
                .await
                .map_err(|_| AppError::bad("Đơn vị không tồn tại.", "The unit does not exist."))?
                .path,
        ),
        None => None,
    })
}

/// Users the actor administers (in every subtree they administer), in Vietnamese name order
/// (given name first).
pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: Option<&str>,
    page: u64,
) -> AppResult<Page<User>> {
    match reach(actor, Action::ViewUser) {
        Reach::Everywhere => Ok(users::list(&state.db, None, query, page, 50).await?),
        Reach::Within(roots) => Ok(users::list(&state.db, Some(&roots), query, page, 50).await?),
        Reach::Nowhere => Err(AppError::Forbidden),
    }
}

pub async fn get_visible(state: &AppState, actor: &Actor, id: i64) -> AppResult<User> {
    let user = users::get(&state.db, id).await?;
    let path = unit_path(state, user.unit_id).await.unwrap_or(None);
    if can(
        actor,
        Action::ViewUser,
        Resource::User {
            id,
            unit_path: path.as_ref(),
        },
    ) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Loads a user the actor may manage (not themselves: self-service is the account page).
async fn get_manageable(state: &AppState, actor: &Actor, id: i64) -> AppResult<User> {
    let user = get_visible(state, actor, id).await?;
    let path = unit_path(state, user.unit_id).await?;
    if can(
        actor,
        Action::ManageUser,
        Resource::User {
            id,
            unit_path: path.as_ref(),
        },
    ) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

fn contact(input: &UserInput) -> AppResult<(Option<String>, Option<String>)> {
    let email = validate::email(input.email.as_deref().unwrap_or(""))?;
    let phone = validate::phone(input.phone.as_deref().unwrap_or(""))?;
    if email.is_none() && phone.is_none() {
        return Err(AppError::bad(
            "Cần ít nhất email hoặc số điện thoại để đăng nhập.",
            "An email or a phone number is needed to sign in.",
        ));
    }
    Ok((email, phone))
}

/// The unit a grant of `role` would cover (none for a site administrator), once the policy
/// allows the actor to give it.
async fn check_role(
    state: &AppState,
    actor: &Actor,
    role: Role,
    unit_id: Option<i64>,
) -> AppResult<Option<i64>> {
    match role {
        Role::SiteAdmin => {
            if !can(actor, Action::GrantRole(Role::SiteAdmin), Resource::Site) {
                return Err(AppError::Forbidden);
            }
            Ok(None)
        }
        Role::UnitAdmin | Role::Editor | Role::Approver => {
            let Some(uid) = unit_id else {
                return Err(AppError::bad(
                    "Vai trò này cần chọn đơn vị.",
                    "This role needs a unit.",
                ));
            };
            let Some(path) = unit_path(state, Some(uid)).await? else {
                return Err(AppError::NotFound);
            };
            if !can(
                actor,
                Action::GrantRole(role),
                Resource::Unit { path: &path },
            ) {
                return Err(AppError::Forbidden);
            }
            Ok(Some(uid))
        }
        Role::Organizer | Role::Judge => Err(AppError::bad(
            "Vai trò ban tổ chức và giám khảo được giao trong từng cuộc thi hoặc lớp học.",
            "Organizer and judge roles are given within each contest or course.",
        )),
    }
}

/// The roles the actor may give through the user pages, for the form's choices.
pub fn grantable_roles(actor: &Actor) -> Vec<Role> {
    let mut out = Vec::new();
    if can(actor, Action::GrantRole(Role::SiteAdmin), Resource::Site) {
        out.push(Role::SiteAdmin);
    }
    if reach(actor, Action::ManageUnit) != Reach::Nowhere {
        out.extend([Role::UnitAdmin, Role::Editor, Role::Approver]);
    }
    out
}

fn parse_role(s: Option<&str>) -> AppResult<Option<Role>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(r) => Role::parse(r)
            .map(Some)
            .ok_or_else(|| AppError::bad("Vai trò không hợp lệ.", "Unknown role.")),
    }
}

/// Creates an account (and its role, if one is given) with its audit record, in one
/// transaction. Used by the pages, the API and `hoithi admin create-user`.
pub async fn create(state: &AppState, actor: &Actor, input: UserInput) -> AppResult<User> {
    let full_name = validate::required_text(
        &hoithi_text::normalize::as_written(&input.full_name),
        150,
        "họ và tên",
        "full name",
    )?;
    let (email, phone) = contact(&input)?;
    let path = unit_path(state, input.unit_id).await?;
    let place = match &path {
        Some(p) => Resource::Unit { path: p },
        None => Resource::Site,
    };
    if !can(actor, Action::CreateUser, place) {
        return Err(match input.unit_id {
            None => AppError::bad("Vui lòng chọn đơn vị.", "Please choose a unit."),
            Some(_) => AppError::Forbidden,
        });
    }
    let role = parse_role(input.role.as_deref())?;
    let role_unit = match role {
        Some(r) => Some((r, check_role(state, actor, r, input.unit_id).await?)),
        None => None,
    };
    let pw = input.password.clone().unwrap_or_default();
    password::validate_new(&pw)?;
    // Hashing takes a while: before the transaction, so no lock is held meanwhile.
    let hash = password::hash(pw).await?;
    let tx = state.db.write().await?;
    let user = users::create(
        &tx,
        users::NewUser {
            name_key: hoithi_text::sort::name_sort_key(&full_name),
            full_name,
            email,
            phone,
            password_hash: hash,
            unit_id: input.unit_id,
        },
    )
    .await?;
    if let Some((r, unit_id)) = role_unit {
        grants::add(
            &tx,
            grants::NewGrant {
                user_id: user.id,
                role: r.as_str().into(),
                unit_id,
                resource_kind: None,
                resource_id: None,
            },
        )
        .await?;
    }
    audit::record(
        &tx,
        actor,
        "user.create",
        "user",
        Some(user.id),
        serde_json::json!({"role": role.map(|r| r.as_str())}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(user)
}

pub async fn update(state: &AppState, actor: &Actor, id: i64, input: UserInput) -> AppResult<User> {
    let user = get_manageable(state, actor, id).await?;
    let full_name = validate::required_text(
        &hoithi_text::normalize::as_written(&input.full_name),
        150,
        "họ và tên",
        "full name",
    )?;
    let (email, phone) = contact(&input)?;
    // Moving someone to another unit needs the right to manage them there too.
    let new_path = unit_path(state, input.unit_id).await?;
    if !can(
        actor,
        Action::ManageUser,
        Resource::User {
            id,
            unit_path: new_path.as_ref(),
        },
    ) {
        return Err(AppError::Forbidden);
    }
    let is_active = input.is_active.unwrap_or(user.is_active);
    let tx = state.db.write().await?;
    let saved = users::update(
        &tx,
        id,
        users::UserChanges {
            name_key: hoithi_text::sort::name_sort_key(&full_name),
            full_name,
            email,
            phone,
            unit_id: input.unit_id,
            is_active,
        },
    )
    .await?;
    if !is_active {
        sessions::delete_for_user(&tx, id, None).await?;
    }
    audit::record(
        &tx,
        actor,
        "user.update",
        "user",
        Some(id),
        serde_json::json!({"active": is_active}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}

pub async fn reset_password(state: &AppState, actor: &Actor, id: i64, new: &str) -> AppResult<()> {
    get_manageable(state, actor, id).await?;
    password::validate_new(new)?;
    let hash = password::hash(new.to_string()).await?;
    let tx = state.db.write().await?;
    users::set_password(&tx, id, hash).await?;
    sessions::delete_for_user(&tx, id, None).await?;
    audit::record(
        &tx,
        actor,
        "user.reset_password",
        "user",
        Some(id),
        serde_json::json!({}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

pub async fn add_role(
    state: &AppState,
    actor: &Actor,
    id: i64,
    role: &str,
    unit_id: Option<i64>,
) -> AppResult<()> {
    get_manageable(state, actor, id).await?;
    let Some(role) = parse_role(Some(role))? else {
        return Err(AppError::bad(
            "Vui lòng chọn vai trò.",
            "Please choose a role.",
        ));
    };
    let unit_id = check_role(state, actor, role, unit_id).await?;
    let tx = state.db.write().await?;
    grants::add(
        &tx,
        grants::NewGrant {
            user_id: id,
            role: role.as_str().into(),
            unit_id,
            resource_kind: None,
            resource_id: None,
        },
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "user.grant",
        "user",
        Some(id),
        serde_json::json!({"role": role.as_str(), "unit_id": unit_id}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

pub async fn remove_role(state: &AppState, actor: &Actor, id: i64, grant_id: i64) -> AppResult<()> {
    get_manageable(state, actor, id).await?;
    let g = grants::for_user(&state.db, id)
        .await?
        .into_iter()
        .find(|g| g.id == grant_id)
        .ok_or(AppError::NotFound)?;
    // Taking a role back needs the right to give it over the same scope.
    let allowed = match (Role::parse(&g.role), g.unit_path.as_ref()) {
        (Some(role @ (Role::UnitAdmin | Role::Editor | Role::Approver)), Some(p)) => {
            can(actor, Action::GrantRole(role), Resource::Unit { path: p })
        }
        (Some(role), _) => can(actor, Action::GrantRole(role), Resource::Site),
        (None, _) => can(actor, Action::GrantRole(Role::SiteAdmin), Resource::Site),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let tx = state.db.write().await?;
    grants::remove(&tx, id, grant_id).await?;
    audit::record(
        &tx,
        actor,
        "user.revoke",
        "user",
        Some(id),
        serde_json::json!({"grant": grant_id, "role": g.role}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}
