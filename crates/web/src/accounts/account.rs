use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use hoithi_storage::repo::{api_tokens, units};
use serde::Deserialize;

use super::service;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::format::fmt_datetime;
use crate::forms::Empty;
use crate::pages::{Chrome, html, see_other};
use crate::state::AppState;

pub struct TokenRow {
    id: i64,
    name: String,
    created: String,
    last_used: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    name: String,
    email: String,
    phone: String,
    unit: String,
    roles: Vec<String>,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    error: Option<String>,
    notice: Option<&'static str>,
}

async fn render(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    status: StatusCode,
    new_token: Option<String>,
    error: Option<String>,
    notice: Option<&'static str>,
) -> AppResult<Response> {
    let unit = match me.user.unit_id {
        Some(id) => units::get(&state.db, id)
            .await
            .map(|u| u.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let mut roles = Vec::new();
    for g in me.actor().grants() {
        // Roles by the name of what they cover, never by internal ids.
        roles.push(
            crate::start::service::role_name(
                state,
                c.lang,
                g.role,
                crate::start::service::Covers::of_scope(&g.scope),
            )
            .await,
        );
    }
    let tokens = api_tokens::list_for_user(&state.db, me.user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: fmt_datetime(&t.created_at),
            last_used: t
                .last_used_at
                .as_ref()
                .map(fmt_datetime)
                .unwrap_or_default(),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    Ok(html(
        status,
        &AccountPage {
            name: me.user.full_name.clone(),
            email: me.user.email.clone().unwrap_or_default(),
            phone: me.user.phone.clone().unwrap_or_default(),
            unit,
            roles,
            tokens,
            new_token,
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
    axum::extract::Query(q): axum::extract::Query<Notice>,
) -> AppResult<Response> {
    let notice = match q.ok.as_deref() {
        Some("password") => Some(c.t.accounts.password_changed),
        _ => None,
    };
    render(&state, c, &me, StatusCode::OK, None, None, notice).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn password(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> AppResult<Response> {
    let outcome = if f.new != f.confirm {
        Err(AppError::bad(
            "Hai lần nhập mật khẩu mới không khớp nhau.",
            "The two new passwords do not match.",
        ))
    } else {
        service::change_password(
            &state,
            me.user.id,
            &f.current,
            &f.new,
            me.user.session_id.as_deref(),
        )
        .await
    };
    match outcome {
        Ok(()) => Ok(see_other("/tai-khoan?ok=password")),
        Err(AppError::BadRequest(m)) => {
            let msg = m.get(c.lang).to_string();
            render(
                &state,
                c,
                &me,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(msg),
                None,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn new_token(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> AppResult<Response> {
    match service::create_token(&state, me.user.id, &f.name).await {
        Ok((_, token)) => render(&state, c, &me, StatusCode::OK, Some(token), None, None).await,
        Err(AppError::BadRequest(m)) => {
            let msg = m.get(c.lang).to_string();
            render(
                &state,
                c,
                &me,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(msg),
                None,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    service::revoke_token(&state, me.user.id, id).await?;
    Ok(see_other("/tai-khoan"))
}
