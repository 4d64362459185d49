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
use crate::policy::{Action, Resource, can, may_somewhere};
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

/// Extractor for handlers that answer in the caller's language without a page around it
/// (exports): the same choice as pages make.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(lang_from(&parts.uri, &parts.headers))
    }
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
    /// Invited to judge some round: the judging pages are offered.
    pub judges: bool,
    /// The current path with the other language selected.
    pub other_lang_href: String,
}

impl Nav {
    fn build(identity: Option<&RequestIdentity>, uri: &axum::http::Uri, lang: Lang) -> Nav {
        Nav {
            user_name: identity.and_then(|i| i.user.as_ref().map(|u| u.full_name.clone())),
            is_admin: identity.is_some_and(|i| can(&i.actor, Action::Administer, Resource::Site)),
            judges: identity.is_some_and(|i| may_somewhere(&i.actor, Action::JudgeRound)),
            other_lang_href: other_lang_href(uri, lang),
        }
    }

    pub fn from_request(req: &Request) -> Nav {
        let id = req.extensions().get::<Arc<RequestIdentity>>();
        Nav::build(id.map(|a| a.as_ref()), req.uri(), lang_of(req))
    }
}

/// The current address in the other language: the same path and query (a private entry
/// link keeps its key), with `lang=` replaced.
fn other_lang_href(uri: &axum::http::Uri, lang: Lang) -> String {
    let other = match lang {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    };
    let lang_pair = format!("lang={}", other.code());
    let mut pairs: Vec<&str> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty() && *kv != "lang" && !kv.starts_with("lang="))
        .collect();
    pairs.push(&lang_pair);
    format!("{}?{}", uri.path(), pairs.join("&"))
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
            nav: Nav::build(Some(&id), &parts.uri, lang),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_link_keeps_the_address_and_its_query() {
        let href = |u: &str, lang| other_lang_href(&u.parse().unwrap(), lang);
        assert_eq!(href("/cuoc-thi", Lang::Vi), "/cuoc-thi?lang=en");
        assert_eq!(
            href("/bai-du-thi/HT-1?k=abc%2B1&lang=vi", Lang::Vi),
            "/bai-du-thi/HT-1?k=abc%2B1&lang=en"
        );
        assert_eq!(
            href("/cuoc-thi/x/bai?lang=en&q=a&page=2", Lang::En),
            "/cuoc-thi/x/bai?q=a&page=2&lang=vi"
        );
    }
}
