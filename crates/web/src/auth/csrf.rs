//! CSRF protection for every state-changing request made with a cookie.
//!
//! Signed-in users: the token is the random secret of their session row. Visitors: an HMAC
//! of their anonymous cookie under the instance secret. Forms carry it in a `csrf` field
//! (for multipart uploads, the first field); the JSON API takes it in `X-CSRF-Token` when
//! called with a session cookie. Bearer-token API calls need none: no cookie is involved.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;

use super::session::{Identity, RequestIdentity};
use crate::error::AppError;
use crate::state::AppState;

pub const FIELD: &str = "csrf";
pub const HEADER: &str = "x-csrf-token";

/// The token the current caller must present.
pub fn expected(state: &AppState, id: &RequestIdentity) -> String {
    if let Some(secret) = id.user.as_ref().and_then(|u| u.csrf_secret.clone()) {
        return secret;
    }
    let anon = id.anon.clone().unwrap_or_default();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&state.secret)
        .expect("HMAC accepts keys of any length");
    mac.update(b"csrf-anon:");
    mac.update(anon.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn same(a: &str, b: &str) -> bool {
    // Constant time over the longer length.
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= (*a.get(i).unwrap_or(&0) ^ *b.get(i).unwrap_or(&0)) as usize;
    }
    diff == 0 && !a.is_empty()
}

pub fn check(
    state: &AppState,
    id: &RequestIdentity,
    presented: Option<&str>,
) -> Result<(), AppError> {
    match presented {
        Some(tok) if same(tok, &expected(state, id)) => Ok(()),
        _ => Err(AppError::Csrf),
    }
}

/// A url-encoded form whose CSRF token was checked before the handler runs.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let Identity(id) =
            <Identity as axum::extract::FromRequestParts<AppState>>::from_request_parts(
                &mut parts, state,
            )
            .await
            .map_err(IntoResponse::into_response)?;
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response());
        }
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
            AppError::bad(
                "Dữ liệu biểu mẫu không đọc được.",
                "The form data could not be read.",
            )
            .into_response()
        })?;
        let token = pairs
            .iter()
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.as_str());
        check(state, &id, token).map_err(IntoResponse::into_response)?;
        let value: T = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
            AppError::bad(
                "Dữ liệu biểu mẫu không hợp lệ hoặc thiếu trường bắt buộc.",
                "The form data is malformed or misses a required field.",
            )
            .into_response()
        })?;
        Ok(CsrfForm(value))
    }
}

/// A multipart upload whose first field, `csrf`, was checked.
pub struct CsrfMultipart(pub Multipart);

impl FromRequest<AppState> for CsrfMultipart {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let Identity(id) =
            <Identity as axum::extract::FromRequestParts<AppState>>::from_request_parts(
                &mut parts, state,
            )
            .await
            .map_err(IntoResponse::into_response)?;
        let req = Request::from_parts(parts, body);
        let mut mp = Multipart::from_request(req, state)
            .await
            .map_err(|_| axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response())?;
        let first = mp.next_field().await.map_err(|_| {
            AppError::bad(
                "Dữ liệu tải lên không đọc được.",
                "The upload could not be read.",
            )
            .into_response()
        })?;
        let token = match first {
            Some(f) if f.name() == Some(FIELD) => f.text().await.ok(),
            _ => None,
        };
        check(state, &id, token.as_deref()).map_err(IntoResponse::into_response)?;
        Ok(CsrfMultipart(mp))
    }
}

/// Middleware for the JSON API: a cookie-authenticated unsafe request needs the header.
pub async fn api_guard(
    axum::extract::State(state): axum::extract::State<AppState>,
    Identity(id): Identity,
    req: Request,
    next: Next,
) -> Response {
    let unsafe_method = req.uri().path().starts_with("/api/")
        && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // Anonymous calls carry no credential worth forging; the route gate answers them.
    let by_cookie = id.user.as_ref().is_some_and(|u| !u.via_token);
    if unsafe_method && by_cookie {
        let presented = req.headers().get(HEADER).and_then(|v| v.to_str().ok());
        if let Err(e) = check(&state, &id, presented) {
            return e.into_response();
        }
    }
    next.run(req).await
}
