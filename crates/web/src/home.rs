//! The home page: a signed-in person's own work first, then open contests, courses under way
//! and the latest news.

use askama::Template;
use axum::extract::State;
use axum::http::Method;
use axum::response::Response;

use crate::auth::session::Identity;
use crate::error::AppResult;
use crate::format::fmt_datetime;
use crate::pages::{Chrome, ok_html};
use crate::routes::{Gate, Routes};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    contests: Vec<(String, String, String)>,
    start: String,
    courses: Vec<(String, String)>,
    news: Vec<crate::news::public::service::Item>,
    /// Writes news somewhere: the editors' pages are linked.
    news_editor: bool,
}

async fn home(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
) -> AppResult<Response> {
    let now = chrono::Utc::now();
    let contests = hoithi_storage::repo::contests::published(&state.db)
        .await?
        .into_iter()
        .filter(|k| crate::contests::service::is_open(k, now))
        .map(|k| (k.slug, k.title, fmt_datetime(&k.closes_at)))
        .collect();
    // A signed-in person's own work comes first (`start`).
    let start = crate::start::pages::block(&state, &c, &id).await?;
    let courses = hoithi_storage::repo::courses::list(&state.db)
        .await?
        .into_iter()
        .filter(|k| {
            matches!(
                k.status,
                hoithi_storage::status::CourseStatus::Nominating
                    | hoithi_storage::status::CourseStatus::InProgress
            )
        })
        .take(5)
        .map(|k| (k.slug, k.title))
        .collect();
    let news = crate::news::public::pages::latest(&state, 5).await?;
    let news_editor = crate::policy::reach(&id.actor, crate::policy::Action::WriteNews)
        != crate::policy::Reach::Nowhere;
    Ok(ok_html(&HomePage {
        c,
        contests,
        start,
        courses,
        news,
        news_editor,
    }))
}

pub fn routes() -> Routes {
    Routes::new().add(Method::GET, "/", Gate::Public, home)
}
