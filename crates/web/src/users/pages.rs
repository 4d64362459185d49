use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::service::{self, UserInput, UserView};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::Empty;
use crate::pages::{Chrome, html, ok_html, see_other};
use crate::policy::Role;
use crate::state::AppState;

pub struct UserRow {
    id: i64,
    name: String,
    login: String,
    unit: String,
    active: bool,
}

pub struct UnitOption {
    id: i64,
    label: String,
    selected: bool,
}

async fn unit_options(
    state: &AppState,
    me: &CurrentUser,
    selected: Option<i64>,
) -> AppResult<Vec<UnitOption>> {
    let list = crate::units::service::visible(state, me.actor()).await?;
    let min = list.iter().map(|u| u.depth).min().unwrap_or(0);
    Ok(list
        .into_iter()
        .map(|u| UnitOption {
            selected: Some(u.id) == selected,
            label: format!(
                "{}{} ({})",
                "— ".repeat((u.depth - min) as usize),
                u.name,
                u.code
            ),
            id: u.id,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "users/index.html")]
struct IndexPage {
    c: Chrome,
    rows: Vec<UserRow>,
    q: String,
    page: u64,
    pages: u64,
    total: crate::format::Num,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<u64>,
    ok: Option<String>,
}

pub async fn index(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let page = service::list(&state, me.actor(), q.q.as_deref(), q.page.unwrap_or(1)).await?;
    let units = crate::units::service::visible(&state, me.actor()).await?;
    let rows = page
        .items
        .iter()
        .map(|u| UserRow {
            id: u.id,
            name: u.full_name.clone(),
            login: u
                .email
                .clone()
                .or_else(|| u.phone.clone())
                .unwrap_or_default(),
            unit: u
                .unit_id
                .and_then(|id| units.iter().find(|x| x.id == id))
                .map(|x| x.name.clone())
                .unwrap_or_default(),
            active: u.is_active,
        })
        .collect();
    let notice = match q.ok.as_deref() {
        Some("created") => Some(c.t.users.created),
        _ => None,
    };
    Ok(ok_html(&IndexPage {
        rows,
        q: q.q.unwrap_or_default(),
        page: page.page,
        pages: page.pages(),
        total: page.total.into(),
        notice,
        c,
    }))
}

#[derive(Template)]
#[template(path = "users/new.html")]
struct NewPage {
    c: Chrome,
    units: Vec<UnitOption>,
    roles: Vec<(&'static str, &'static str, bool)>,
    full_name: String,
    email: String,
    phone: String,
    error: Option<String>,
}

fn role_options(
    c: &Chrome,
    me: &CurrentUser,
    selected: &str,
) -> Vec<(&'static str, &'static str, bool)> {
    let mut out = vec![("", c.t.users.role_none, selected.is_empty())];
    for role in service::grantable_roles(me.actor()) {
        out.push((role.as_str(), role.label(c.t), selected == role.as_str()));
    }
    out
}

pub async fn new_form(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
) -> AppResult<Response> {
    let units = unit_options(&state, &me, me.user.unit_id).await?;
    Ok(ok_html(&NewPage {
        roles: role_options(&c, &me, ""),
        units,
        full_name: String::new(),
        email: String::new(),
        phone: String::new(),
        error: None,
        c,
    }))
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    is_active: Option<String>,
}

impl UserForm {
    fn input(&self) -> UserInput {
        UserInput {
            full_name: self.full_name.clone(),
            email: Some(self.email.clone()),
            phone: Some(self.phone.clone()),
            unit_id: self.unit_id.trim().parse().ok(),
            password: Some(self.password.clone()),
            role: Some(self.role.clone()),
            is_active: Some(self.is_active.is_some()),
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    CsrfForm(f): CsrfForm<UserForm>,
) -> AppResult<Response> {
    match service::create(&state, me.actor(), f.input()).await {
        Ok(u) => Ok(see_other(&format!("/nguoi-dung/{}?ok=created", u.id))),
        Err(AppError::BadRequest(m) | AppError::Conflict(m)) => {
            let units = unit_options(&state, &me, f.unit_id.trim().parse().ok()).await?;
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &NewPage {
                    roles: role_options(&c, &me, &f.role),
                    units,
                    full_name: f.full_name,
                    email: f.email,
                    phone: f.phone,
                    error: Some(m.get(c.lang).to_string()),
                    c,
                },
            ))
        }
        Err(e) => Err(e),
    }
}

pub struct RoleRow {
    id: i64,
    label: String,
}

#[derive(Template)]
#[template(path = "users/show.html")]
struct ShowPage {
    c: Chrome,
    user: UserView,
    units: Vec<UnitOption>,
    role_rows: Vec<RoleRow>,
    roles: Vec<(&'static str, &'static str, bool)>,
    is_self: bool,
    error: Option<String>,
    notice: Option<&'static str>,
}

// The page, its status and notice, and what a refused edit typed.
#[allow(clippy::too_many_arguments)]
async fn show_page(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    id: i64,
    status: StatusCode,
    error: Option<String>,
    ok: Option<&str>,
    kept: Option<&UserForm>,
) -> AppResult<Response> {
    let user = service::get_visible(state, me.actor(), id).await?;
    let mut view = service::view(state, user).await?;
    // A refused edit shows what was typed, not what is stored.
    if let Some(f) = kept {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        view.full_name = f.full_name.clone();
        view.email = opt(&f.email);
        view.phone = opt(&f.phone);
        view.unit_id = f.unit_id.trim().parse().ok();
        view.is_active = f.is_active.is_some();
    }
    let units = unit_options(state, me, view.unit_id).await?;
    let mut role_rows = Vec::new();
    for g in &view.roles {
        let Some(role) = Role::parse(&g.role) else {
            continue;
        };
        let covers = crate::start::service::Covers::of_stored(
            g.unit_id,
            g.resource_kind.as_deref(),
            g.resource_id,
        );
        role_rows.push(RoleRow {
            id: g.id,
            label: crate::start::service::role_name(state, c.lang, role, covers).await,
        });
    }
    let notice = match ok {
        Some("created") => Some(c.t.users.created),
        Some("saved") => Some(c.t.users.saved),
        Some("password") => Some(c.t.users.password_reset_done),
        _ => None,
    };
    Ok(html(
        status,
        &ShowPage {
            roles: role_options(&c, me, ""),
            is_self: me.user.id == id,
            user: view,
            units,
            role_rows,
            error,
            notice,
            c,
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct Notice {
    ok: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    show_page(
        &state,
        c,
        &me,
        id,
        StatusCode::OK,
        None,
        q.ok.as_deref(),
        None,
    )
    .await
}

async fn after(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    id: i64,
    result: AppResult<()>,
    ok: &str,
    kept: Option<&UserForm>,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(see_other(&format!("/nguoi-dung/{id}?ok={ok}"))),
        Err(AppError::BadRequest(m) | AppError::Conflict(m)) => {
            let msg = m.get(c.lang).to_string();
            show_page(
                state,
                c,
                me,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(msg),
                None,
                kept,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn update(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<UserForm>,
) -> AppResult<Response> {
    let r = service::update(&state, me.actor(), id, f.input())
        .await
        .map(|_| ());
    after(&state, c, &me, id, r, "saved", Some(&f)).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_id: String,
}

pub async fn add_role(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<RoleForm>,
) -> AppResult<Response> {
    let r = service::add_role(
        &state,
        me.actor(),
        id,
        &f.role,
        f.unit_id.trim().parse().ok(),
    )
    .await;
    after(&state, c, &me, id, r, "saved", None).await
}

pub async fn remove_role(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path((id, grant)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let r = service::remove_role(&state, me.actor(), id, grant).await;
    after(&state, c, &me, id, r, "saved", None).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> AppResult<Response> {
    let r = service::reset_password(&state, me.actor(), id, &f.password).await;
    after(&state, c, &me, id, r, "password", None).await
}
