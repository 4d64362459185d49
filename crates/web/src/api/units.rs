use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;

use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::units::import::{self, RowError};
use crate::units::service::{self, UnitInput, UnitView};

/// Units the caller administers, in tree order.
#[utoipa::path(get, path = "/api/v1/units", tag = "units",
    responses((status = 200, body = [UnitView]), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
) -> AppResult<Json<Vec<UnitView>>> {
    Ok(Json(
        service::visible(&state, me.actor())
            .await?
            .into_iter()
            .map(UnitView::from)
            .collect(),
    ))
}

/// Creates a unit under a parent the caller administers.
#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = UnitInput,
    responses((status = 201, body = UnitView), (status = 422, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<UnitInput>,
) -> AppResult<(StatusCode, Json<UnitView>)> {
    let unit = service::create(&state, me.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(unit.into())))
}

#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)),
    responses((status = 200, body = UnitView), (status = 404, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<UnitView>> {
    Ok(Json(
        service::get_visible(&state, me.actor(), id).await?.into(),
    ))
}

/// Changes name, kind and headcount (code and parent stay).
#[utoipa::path(patch, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)), request_body = UnitInput,
    responses((status = 200, body = UnitView), (status = 422, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<UnitInput>,
) -> AppResult<Json<UnitView>> {
    Ok(Json(
        service::update(&state, me.actor(), id, input).await?.into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state, me.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
    /// Present (and nothing stored) when some rows are wrong.
    pub errors: Vec<RowError>,
}

/// Imports units from a CSV or XLSX file sent as multipart field `file`: all rows or none.
#[utoipa::path(post, path = "/api/v1/units/import", tag = "units", request_body(content_type = "multipart/form-data", content = String),
    responses((status = 200, body = ImportResult), (status = 422, body = ImportResult)))]
pub async fn import(
    State(state): State<AppState>,
    me: CurrentUser,
    mut mp: Multipart,
) -> AppResult<(StatusCode, Json<ImportResult>)> {
    let mut file = None;
    while let Some(field) = mp.next_field().await.map_err(|_| {
        AppError::bad(
            "Dữ liệu tải lên không đọc được.",
            "The upload could not be read.",
        )
    })? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| {
                AppError::bad(
                    "Tệp tải lên bị gián đoạn hoặc quá lớn.",
                    "The upload was interrupted or is too large.",
                )
            })?;
            file = Some((name, bytes));
        }
    }
    let Some((name, bytes)) = file else {
        return Err(AppError::bad(
            "Thiếu tệp (trường «file»).",
            "The file (field «file») is missing.",
        ));
    };
    match import::run(&state, me.actor(), &bytes, &name).await? {
        Ok(o) => Ok((
            StatusCode::OK,
            Json(ImportResult {
                created: o.created,
                updated: o.updated,
                errors: vec![],
            }),
        )),
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(ImportResult {
                created: 0,
                updated: 0,
                errors,
            }),
        )),
    }
}
