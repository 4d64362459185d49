//! What every page shares: the language, the navigation, the CSRF token for its forms, and
//! Vietnamese date formatting.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::auth::session::RequestIdentity;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::policy::{Action, Resource, can};
use crate::state::AppState;

pub const LANG_COOKIE: &str = "lang";

fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?
        .split('&')
        .find_map(|kv| kv.strip_prefix("lang="))
        .and_then(Lang::parse)
}

fn cookie_lang(headers: &axum::http::HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix("lang="))
        .and_then(Lang::parse)
}

fn lang_from(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> Lang {
    query_lang(uri.query())
        .or_else(|| cookie_lang(headers))
        .unwrap_or_default()
}

pub fn lang_of(req: &Request) -> Lang {
    lang_from(req.uri(), req.headers())
}

/// Middleware: `?lang=en` (or `vi`) is remembered in a cookie.
pub async fn remember_lang(req: Request, next: Next) -> Response {
    let chosen = query_lang(req.uri().query());
    let mut res = next.run(req).await;
    if let Some(lang) = chosen
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        ))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The navigation bar's view of the caller.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub user_name: Option<String>,
    pub is_admin: bool,
    /// The current path with the other language selected.
    pub other_lang_href: String,
}

impl Nav {
    fn build(identity: Option<&RequestIdentity>, path: &str, lang: Lang) -> Nav {
        let other = match lang {
            Lang::Vi => "en",
            Lang::En => "vi",
        };
        Nav {
            user_name: identity.and_then(|i| i.user.as_ref().map(|u| u.full_name.clone())),
            is_admin: identity.is_some_and(|i| can(&i.actor, Action::Administer, Resource::Site)),
            other_lang_href: format!("{path}?lang={other}"),
        }
    }

    pub fn from_request(req: &Request) -> Nav {
        let id = req.extensions().get::<Arc<RequestIdentity>>();
        Nav::build(id.map(|a| a.as_ref()), req.uri().path(), lang_of(req))
    }
}

/// Extractor for page handlers: language, texts, navigation and the CSRF token.
#[derive(Clone)]
pub struct Chrome {
    pub t: &'static Tr,
    pub lang: Lang,
    pub nav: Nav,
    pub csrf: String,
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = lang_from(&parts.uri, &parts.headers);
        let id = parts
            .extensions
            .get::<Arc<RequestIdentity>>()
            .cloned()
            .unwrap_or_default();
        Ok(Chrome {
            t: lang.tr(),
            lang,
            nav: Nav::build(Some(&id), parts.uri.path(), lang),
            csrf: crate::auth::csrf::expected(state, &id),
        })
    }
}

/// Renders an askama template as an HTML response; 4xx statuses keep the page as rendered.
pub fn html<T: askama::Template>(status: axum::http::StatusCode, page: &T) -> Response {
    use axum::response::IntoResponse;
    match page.render() {
        Ok(body) => {
            let mut res = (status, axum::response::Html(body)).into_response();
            res.headers_mut()
                .insert("x-hoithi-rendered", HeaderValue::from_static("1"));
            res
        }
        Err(e) => AppError::Internal(format!("template: {e}")).into_response(),
    }
}

pub fn ok_html<T: askama::Template>(page: &T) -> Response {
    html(axum::http::StatusCode::OK, page)
}

/// A 303 redirect after a successful form post (post/redirect/get).
pub fn see_other(to: &str) -> Response {
    use axum::response::IntoResponse;
    axum::response::Redirect::to(to).into_response()
}

/// Keeps `next=` redirects on this site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}
