//! Account services shared by the pages, the API and the CLI.

use hoithi_storage::entity::user;
use hoithi_storage::repo::{api_tokens, sessions, throttle, users};

use crate::auth::{password, random_token, token_hash};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Per account: 5 failures in 15 minutes lock it for 15 minutes.
const PER_LOGIN: throttle::Policy = throttle::Policy {
    max_failures: 5,
    window: chrono::Duration::minutes(15),
    lockout: chrono::Duration::minutes(15),
};

/// Per client address: much higher, since a whole office often shares one address.
const PER_ADDRESS: throttle::Policy = throttle::Policy {
    max_failures: 100,
    window: chrono::Duration::minutes(15),
    lockout: chrono::Duration::minutes(15),
};

#[derive(Debug, PartialEq, Eq)]
pub enum SignInError {
    Wrong,
    Locked,
}

/// Checks a login and password, with throttling per login and per client address.
pub async fn authenticate(
    state: &AppState,
    login_input: &str,
    pw: &str,
    client: &str,
) -> AppResult<Result<user::Model, SignInError>> {
    let login =
        crate::validate::login(login_input).unwrap_or_else(|| login_input.trim().to_lowercase());
    let keys = [format!("login:{login}"), format!("ip:{client}")];
    for k in &keys {
        if throttle::locked_until(&state.db, k).await?.is_some() {
            return Ok(Err(SignInError::Locked));
        }
    }
    let found = users::find_by_login(&state.db, &login).await?;
    let stored = found
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let ok = password::verify(pw.to_string(), stored).await;
    match found {
        Some(u) if ok && u.is_active => {
            throttle::reset(&state.db, &keys[0]).await?;
            Ok(Ok(u))
        }
        _ => {
            throttle::record_failure(&state.db, &keys[0], PER_LOGIN).await?;
            throttle::record_failure(&state.db, &keys[1], PER_ADDRESS).await?;
            Ok(Err(SignInError::Wrong))
        }
    }
}

/// Starts a session; returns the cookie token (only its hash is stored).
pub async fn start_session(
    state: &AppState,
    user_id: i64,
    user_agent: Option<String>,
) -> AppResult<String> {
    let token = random_token();
    sessions::create(
        &state.db,
        token_hash(&token),
        user_id,
        random_token(),
        chrono::Duration::hours(state.config.session_ttl_hours),
        user_agent.map(|s| s.chars().take(300).collect()),
    )
    .await?;
    Ok(token)
}

/// Changes one's own password after checking the current one; other sessions end.
pub async fn change_password(
    state: &AppState,
    user_id: i64,
    current: &str,
    new: &str,
    keep_session: Option<&str>,
) -> AppResult<()> {
    let user = users::get(&state.db, user_id).await?;
    if !password::verify(current.to_string(), user.password_hash).await {
        return Err(AppError::bad(
            "Mật khẩu hiện tại không đúng.",
            "The current password is wrong.",
        ));
    }
    password::validate_new(new)?;
    let hash = password::hash(new.to_string()).await?;
    let tx = state.db.write().await?;
    users::set_password(&tx, user_id, hash).await?;
    sessions::delete_for_user(&tx, user_id, keep_session).await?;
    hoithi_storage::repo::audit::record(
        &tx,
        Some(user_id),
        "account.password",
        "user",
        Some(user_id),
        serde_json::json!({}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// Creates an API token; the clear value is returned once and never stored.
pub async fn create_token(state: &AppState, user_id: i64, name: &str) -> AppResult<(i64, String)> {
    let name = crate::validate::required_text(name, 100, "tên khóa", "token name")?;
    let token = format!("hoithi_{}", random_token());
    let tx = state.db.write().await?;
    let row = api_tokens::create(&tx, user_id, name, token_hash(&token)).await?;
    hoithi_storage::repo::audit::record(
        &tx,
        Some(user_id),
        "account.token_create",
        "api_token",
        Some(row.id),
        serde_json::json!({"name": row.name}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok((row.id, token))
}

/// Revokes one of one's own API tokens.
pub async fn revoke_token(state: &AppState, user_id: i64, id: i64) -> AppResult<()> {
    let tx = state.db.write().await?;
    api_tokens::revoke(&tx, user_id, id).await?;
    hoithi_storage::repo::audit::record(
        &tx,
        Some(user_id),
        "account.token_revoke",
        "api_token",
        Some(id),
        serde_json::json!({}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}
