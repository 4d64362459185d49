//! The start block of the home page, rendered on its own so that the home page only places it.

use askama::Template;

use super::service::{self, Start};
use crate::auth::session::RequestIdentity;
use crate::error::{AppError, AppResult};
use crate::pages::Chrome;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "start/block.html")]
struct Block<'a> {
    c: &'a Chrome,
    s: Start,
}

/// The signed-in person's own work as HTML (empty for a visitor).
pub async fn block(state: &AppState, c: &Chrome, id: &RequestIdentity) -> AppResult<String> {
    let Some(user) = &id.user else {
        return Ok(String::new());
    };
    let s = service::start(state, &id.actor, user.id, c.lang).await?;
    Block { c, s }
        .render()
        .map_err(|e| AppError::Internal(format!("template: {e}")))
}
