use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;

use crate::auth::session::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;
use crate::users::service::{self, UserInput, UserView};

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Part of a name, email or phone number.
    q: Option<String>,
    page: Option<u64>,
}

/// Users the caller administers, in Vietnamese name order (given name first), 50 a page.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(ListParams),
    responses((status = 200, body = [UserView]), (status = 403, body = crate::api::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Json<Vec<UserView>>> {
    let page = service::list(&state, me.actor(), p.q.as_deref(), p.page.unwrap_or(1)).await?;
    let mut out = Vec::with_capacity(page.items.len());
    for u in page.items {
        out.push(service::view(&state, u).await?);
    }
    Ok(Json(out))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserInput,
    responses((status = 201, body = UserView), (status = 422, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<UserInput>,
) -> AppResult<(StatusCode, Json<UserView>)> {
    let u = service::create(&state, me.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(service::view(&state, u).await?)))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = UserView), (status = 404, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<UserView>> {
    let u = service::get_visible(&state, me.actor(), id).await?;
    Ok(Json(service::view(&state, u).await?))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), request_body = UserInput,
    responses((status = 200, body = UserView), (status = 422, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<UserInput>,
) -> AppResult<Json<UserView>> {
    let u = service::update(&state, me.actor(), id, input).await?;
    Ok(Json(service::view(&state, u).await?))
}
