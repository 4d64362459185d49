//! Loads the actor of every request from the session cookie or an API token.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use hoithi_storage::repo::{api_tokens, grants, sessions, units};

use super::token_hash;
use crate::error::AppError;
use crate::policy::{Actor, Grant, ResourceKind, Role, Scope};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "hoithi_sid";
pub const ANON_COOKIE: &str = "hoithi_anon";

/// The signed-in user, as seen by one request.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub unit_id: Option<i64>,
    /// The session row id (hash), when signed in by cookie.
    pub session_id: Option<String>,
    pub csrf_secret: Option<String>,
    pub via_token: bool,
}

/// What `load_actor` leaves in the request for everything after it.
#[derive(Debug, Clone, Default)]
pub struct RequestIdentity {
    pub actor: Actor,
    pub user: Option<SessionUser>,
    /// The anonymous visitor's CSRF seed (cookie), when there is no session.
    pub anon: Option<String>,
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

async fn actor_for(
    state: &AppState,
    user_id: i64,
    unit_id: Option<i64>,
) -> Result<Actor, AppError> {
    let unit_path = match unit_id {
        Some(id) => units::get(&state.db, id).await.ok().map(|u| u.path),
        None => None,
    };
    let grants = grants::for_user(&state.db, user_id)
        .await?
        .into_iter()
        .filter_map(|g| {
            let role = Role::parse(&g.role)?;
            let scope = match (role, g.unit_path, g.resource_kind, g.resource_id) {
                (Role::SiteAdmin, ..) => Scope::Site,
                (_, _, Some(kind), Some(id)) => Scope::Resource {
                    kind: ResourceKind::parse(&kind)?,
                    id,
                },
                (_, Some(path), _, _) => Scope::Subtree(path),
                _ => return None,
            };
            Some(Grant {
                id: g.id,
                role,
                scope,
            })
        })
        .collect();
    Ok(Actor::user(user_id, unit_path, grants))
}

/// Middleware: resolves the caller once per request. Anonymous visitors get a random cookie
/// that seeds their CSRF token.
pub async fn load_actor(
    State(state): State<AppState>,
    jar: CookieJar,
    mut req: Request,
    next: Next,
) -> Response {
    let ttl = chrono::Duration::hours(state.config.session_ttl_hours);
    let mut identity = RequestIdentity::default();
    let mut set_anon: Option<String> = None;
    let mut clear_session = false;

    if let Some(token) = bearer(req.headers()) {
        match api_tokens::lookup(&state.db, &token_hash(token)).await {
            Ok(Some((_, user))) => {
                if let Ok(actor) = actor_for(&state, user.id, user.unit_id).await {
                    identity.actor = actor;
                    identity.user = Some(SessionUser {
                        id: user.id,
                        full_name: user.full_name,
                        email: user.email,
                        phone: user.phone,
                        unit_id: user.unit_id,
                        session_id: None,
                        csrf_secret: None,
                        via_token: true,
                    });
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!("token lookup failed: {e}"),
        }
    } else if let Some(c) = jar.get(SESSION_COOKIE) {
        let sid = token_hash(c.value());
        match sessions::lookup(&state.db, &sid, ttl).await {
            Ok(Some((session, user))) => {
                if let Ok(actor) = actor_for(&state, user.id, user.unit_id).await {
                    identity.actor = actor;
                    identity.user = Some(SessionUser {
                        id: user.id,
                        full_name: user.full_name,
                        email: user.email,
                        phone: user.phone,
                        unit_id: user.unit_id,
                        session_id: Some(session.id),
                        csrf_secret: Some(session.csrf_secret),
                        via_token: false,
                    });
                }
            }
            Ok(None) => clear_session = true,
            Err(e) => tracing::error!("session lookup failed: {e}"),
        }
    }
    if identity.user.is_none() {
        match jar.get(ANON_COOKIE) {
            Some(c) if c.value().len() >= 20 && c.value().len() <= 64 => {
                identity.anon = Some(c.value().to_string())
            }
            _ => {
                let fresh = super::random_token();
                identity.anon = Some(fresh.clone());
                set_anon = Some(fresh);
            }
        }
    }
    req.extensions_mut().insert(Arc::new(identity));
    let mut res = next.run(req).await;
    let secure = state.config.secure_cookies;
    if let Some(anon) = set_anon {
        let cookie = Cookie::build((ANON_COOKIE, anon))
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .path("/")
            .build();
        append_cookie(&mut res, &cookie);
    }
    if clear_session
        && !res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().is_ok_and(|s| s.starts_with(SESSION_COOKIE)))
    {
        append_cookie(&mut res, &removal(SESSION_COOKIE, secure));
    }
    res
}

pub fn append_cookie(res: &mut Response, cookie: &Cookie<'_>) {
    if let Ok(v) = cookie.to_string().parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

pub fn session_cookie(token: String, secure: bool, ttl_hours: i64) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(time_duration_hours(ttl_hours))
        .build()
}

fn time_duration_hours(h: i64) -> time::Duration {
    time::Duration::hours(h)
}

pub fn removal(name: &'static str, secure: bool) -> Cookie<'static> {
    Cookie::build((name, ""))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(time_duration_hours(0))
        .build()
}

/// Extractor: the request's identity (possibly anonymous).
#[derive(Debug, Clone)]
pub struct Identity(pub Arc<RequestIdentity>);

impl<S: Send + Sync> FromRequestParts<S> for Identity {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Identity(
            parts
                .extensions
                .get::<Arc<RequestIdentity>>()
                .cloned()
                .unwrap_or_default(),
        ))
    }
}

/// Extractor: a signed-in user; otherwise sign-in is required.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: SessionUser,
    pub identity: Arc<RequestIdentity>,
}

impl CurrentUser {
    pub fn actor(&self) -> &Actor {
        &self.identity.actor
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let Identity(identity) = Identity::from_request_parts(parts, s).await?;
        match identity.user.clone() {
            Some(user) => Ok(CurrentUser { user, identity }),
            None => Err(AppError::SignInRequired),
        }
    }
}
