//! Certificates in the JSON API: the public check of a code, for every kind of certificate.

use axum::Json;
use axum::extract::{Path, State};

use crate::certificates::service::{self, CertificateView};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Checks a certificate by its code (an award's or a course completion's).
#[utoipa::path(get, path = "/api/v1/certificates/{code}", tag = "certificates", params(("code" = String, Path)),
    responses((status = 200, body = CertificateView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn certificate(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Json<CertificateView>> {
    let c = service::by_code(&state, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(service::view(&c)))
}
