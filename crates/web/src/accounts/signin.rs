use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

use super::service::{self, SignInError};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::{self, CurrentUser, SESSION_COOKIE};
use crate::error::AppResult;
use crate::forms::Empty;
use crate::pages::{Chrome, html, ok_html, safe_next, see_other};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    c: Chrome,
    next: String,
    login: String,
    error: Option<&'static str>,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
    out: Option<String>,
}

pub async fn form(c: Chrome, Query(q): Query<NextQuery>) -> Response {
    let notice = q.out.as_ref().map(|_| c.t.accounts.signed_out);
    ok_html(&SignInPage {
        next: safe_next(q.next.as_deref()),
        login: String::new(),
        error: None,
        notice,
        c,
    })
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    c: Chrome,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<SignInForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let outcome =
        service::authenticate(&state, &f.login, &f.password, &addr.ip().to_string()).await?;
    match outcome {
        Ok(user) => {
            let ua = headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let token = service::start_session(&state, user.id, ua).await?;
            let mut res = see_other(&next);
            session::append_cookie(
                &mut res,
                &session::session_cookie(
                    token,
                    state.config.secure_cookies,
                    state.config.session_ttl_hours,
                ),
            );
            // The anonymous CSRF seed is no longer needed.
            session::append_cookie(
                &mut res,
                &session::removal(session::ANON_COOKIE, state.config.secure_cookies),
            );
            Ok(res)
        }
        Err(e) => {
            let (status, error) = match e {
                SignInError::Wrong => (StatusCode::UNAUTHORIZED, c.t.accounts.sign_in_failed),
                SignInError::Locked => (StatusCode::TOO_MANY_REQUESTS, c.t.accounts.sign_in_locked),
            };
            Ok(html(
                status,
                &SignInPage {
                    next,
                    login: f.login.chars().take(200).collect(),
                    error: Some(error),
                    notice: None,
                    c,
                },
            ))
        }
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    me: CurrentUser,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    if let Some(sid) = &me.user.session_id {
        hoithi_storage::repo::sessions::delete(&state.db, sid).await?;
    }
    let mut res = see_other("/dang-nhap?out=1");
    session::append_cookie(
        &mut res,
        &session::removal(SESSION_COOKIE, state.config.secure_cookies),
    );
    Ok(res)
}
