//! The public verification page and the certificate PDF, for every kind of certificate.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::service::{self, CertificateView};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::pages::{Chrome, html, ok_html};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "certificates/verify.html")]
struct VerifyPage {
    c: Chrome,
    /// The code as looked up (normalized).
    code: String,
    en: bool,
    /// `None`: no certificate has this code.
    v: Option<CertificateView>,
}

pub async fn verify(
    State(state): State<AppState>,
    c: Chrome,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let found = service::by_code(&state, &code).await?;
    let mut code = service::normalize_code(&code);
    // Whatever was typed is echoed back: keep it short.
    if code.chars().count() > 40 {
        code = code.chars().take(40).collect();
    }
    let page = VerifyPage {
        code,
        en: c.lang == Lang::En,
        v: found.as_ref().map(service::view),
        c,
    };
    Ok(if page.v.is_some() {
        ok_html(&page)
    } else {
        html(StatusCode::NOT_FOUND, &page)
    })
}

#[derive(Template)]
#[template(path = "certificates/lookup.html")]
struct LookupPage {
    c: Chrome,
}

#[derive(serde::Deserialize)]
pub struct LookupQuery {
    #[serde(default)]
    ma: String,
}

/// The lookup form (linked from contest and results pages); a typed code goes to its
/// verification page.
pub async fn lookup(
    c: Chrome,
    axum::extract::Query(q): axum::extract::Query<LookupQuery>,
) -> Response {
    // A code has letters, digits and dashes; anything else cannot match and is dropped so the
    // address stays plain.
    let code: String = service::normalize_code(&q.ma)
        .chars()
        .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '-')
        .take(40)
        .collect();
    if code.is_empty() {
        ok_html(&LookupPage { c })
    } else {
        crate::pages::see_other(&format!("/xac-minh/{code}"))
    }
}

pub async fn pdf(State(state): State<AppState>, Path(code): Path<String>) -> AppResult<Response> {
    let cert = service::by_code(&state, &code)
        .await?
        .filter(|c| c.revoked_at.is_none())
        .ok_or(AppError::NotFound)?;
    let url = format!("{}/xac-minh/{}", state.config.public_url, cert.code);
    let template = service::template(&cert, &url).map_err(AppError::Internal)?;
    let bytes = tokio::task::spawn_blocking(move || super::render::render(&template))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"giay-chung-nhan-{}.pdf\"", cert.code),
            ),
        ],
        bytes,
    )
        .into_response())
}
