//! HTTP caching of the public news pages. Every page and feed depends on the readable posts
//! only, so one fingerprint of them (their number, latest change, latest publication: three
//! aggregates in one query) is the validator of all of them: its ETag answers `If-None-Match` with a
//! 304, and anonymous readers get the bytes rendered once for that fingerprint from memory.
//! Signed-in people see their own navigation, so their pages are rendered each time and
//! never stored.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::error::AppResult;
use crate::state::AppState;

struct Entry {
    etag: String,
    body: Arc<[u8]>,
}

/// Rendered pages by (instance, address, language); emptied when it grows past its bound.
static PAGES: OnceLock<Mutex<HashMap<String, Entry>>> = OnceLock::new();
const MAX_ENTRIES: usize = 2000;

fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The validators of the readable posts now: ETag and Last-Modified.
pub async fn validators(state: &AppState, lang: &str) -> AppResult<(String, DateTime<Utc>)> {
    let now = hoithi_storage::time::now();
    let (n, changed, published) = hoithi_storage::repo::news::fingerprint(&state.db, now).await?;
    let last = changed.max(published).unwrap_or(DateTime::UNIX_EPOCH);
    let etag = format!(
        "\"n{n}-{}-{}-{lang}\"",
        changed.map(|t| t.timestamp_micros()).unwrap_or(0),
        published.map(|t| t.timestamp_micros()).unwrap_or(0)
    );
    Ok((etag, last))
}

fn not_modified(headers: &HeaderMap, etag: &str, last: DateTime<Utc>) -> bool {
    if let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return inm.split(',').any(|t| t.trim() == etag || t.trim() == "*");
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
        .is_some_and(|since| last.timestamp() <= since.timestamp())
}

/// Serves a public page or feed: 304 when the reader's copy is current, the stored bytes for
/// an anonymous reader when rendered before, else `render()` (stored for anonymous readers).
#[allow(clippy::too_many_arguments)]
pub async fn serve<F, Fut>(
    state: &AppState,
    headers: &HeaderMap,
    key: &str,
    lang: &str,
    anonymous: bool,
    content_type: &'static str,
    render: F,
) -> AppResult<Response>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<String>>,
{
    if !anonymous {
        let body = render().await?;
        return Ok((
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "private, no-cache"),
            ],
            body,
        )
            .into_response());
    }
    let (etag, last) = validators(state, lang).await?;
    let mut out_headers = HeaderMap::new();
    out_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    out_headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        out_headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&http_date(last)) {
        out_headers.insert(header::LAST_MODIFIED, v);
    }
    out_headers.insert(header::VARY, HeaderValue::from_static("Cookie"));
    if not_modified(headers, &etag, last) {
        return Ok((StatusCode::NOT_MODIFIED, out_headers).into_response());
    }
    let full_key = format!("{}|{key}|{lang}", state.config.data_dir.display());
    let pages = PAGES.get_or_init(Default::default);
    let hit = pages.lock().ok().and_then(|m| {
        m.get(&full_key)
            .filter(|e| e.etag == etag)
            .map(|e| e.body.clone())
    });
    let body: Arc<[u8]> = match hit {
        Some(b) => b,
        None => {
            let fresh: Arc<[u8]> = render().await?.into_bytes().into();
            if let Ok(mut m) = pages.lock() {
                if m.len() >= MAX_ENTRIES {
                    m.clear();
                }
                m.insert(
                    full_key,
                    Entry {
                        etag,
                        body: fresh.clone(),
                    },
                );
            }
            fresh
        }
    };
    Ok((out_headers, axum::body::Bytes::from_owner(body)).into_response())
}
