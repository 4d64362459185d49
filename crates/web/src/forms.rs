//! Helpers shared by every module's form pages: forms read as (name, value) pairs, the
//! status of a re-rendered form, the `?ok=` notice of a redirect after a successful post, and
//! `or_page!`, which shows a refused form's message on the page it came from.

use axum::http::StatusCode;
use serde::Deserialize;

/// A form as (name, value) pairs, for forms with a field per row.
pub type Fields = Vec<(String, String)>;

pub fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// 422 when the page shows a refused form's message, 200 otherwise.
pub fn form_status(error: &Option<String>) -> StatusCode {
    if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

#[derive(Deserialize, Default)]
pub struct Notice {
    pub ok: Option<String>,
}

/// Renders a refused form's message (`$err`, in the page's language) on the page it came
/// from; other errors pass on.
macro_rules! or_page {
    ($result:expr, $c:ident, $err:ident => $page:expr) => {
        match $result {
            Ok(v) => v,
            Err($crate::error::AppError::BadRequest(m) | $crate::error::AppError::Conflict(m)) => {
                let $err = Some(m.get($c.lang).to_string());
                return $page;
            }
            Err(e) => return Err(e),
        }
    };
}
pub(crate) use or_page;

/// The body of a form that carries nothing but its CSRF token (a button).
#[derive(serde::Deserialize)]
pub struct Empty {}
