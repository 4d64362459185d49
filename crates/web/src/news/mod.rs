//! News: posts that report a unit's courses and contests, with photos, categories per unit,
//! editing with revisions and approval, and fast public pages.
//!
//! - `editor/`: writing, editing, revisions and their diff, sending for approval, publishing,
//!   scheduling and taking down; categories; DOCX import.
//! - `photos/`: photos uploaded into a post, captions and alt text, the cover, and the job that
//!   makes the resized copies.
//! - `public/`: what readers see — the home page block, lists per category and per unit, the
//!   post page, search, feeds, the sitemap — with HTTP caching for anonymous readers.
//! - `body`: the text format and its sanitizing; `demo`: the demo's news.
//!
//! The JSON API is `api/news.rs`, on the same services.

pub mod body;
pub mod demo;
pub mod editor;
pub mod photos;
pub mod public;

use axum::http::Method;
use hoithi_storage::entity::unit;
use hoithi_storage::repo::units;
use hoithi_storage::status::NewsStatus;

use crate::error::AppResult;
use crate::i18n::Lang;
use crate::policy::{Action, Actor, Reach, reach};
use crate::routes::{Gate, Routes};
use crate::state::AppState;

pub fn routes() -> Routes {
    use editor::pages as e;
    use photos::pages as ph;
    use public::pages as p;
    Routes::new()
        .add(Method::GET, "/tin-tuc", Gate::Public, p::index)
        .add(Method::GET, "/tin-tuc/tim-kiem", Gate::Public, p::search)
        .add(Method::GET, "/tin-tuc/feed.xml", Gate::Public, p::feed_all)
        .add(
            Method::GET,
            "/tin-tuc/chuyen-muc/{category}",
            Gate::Public,
            p::category,
        )
        .add(
            Method::GET,
            "/tin-tuc/chuyen-muc/{category}/feed.xml",
            Gate::Public,
            p::category_feed,
        )
        .add(
            Method::GET,
            "/tin-tuc/don-vi/{news_unit}",
            Gate::Public,
            p::unit,
        )
        .add(
            Method::GET,
            "/tin-tuc/don-vi/{news_unit}/feed.xml",
            Gate::Public,
            p::unit_feed,
        )
        .add(Method::GET, "/tin/{post}", Gate::Public, p::post)
        .add(Method::GET, "/sitemap.xml", Gate::Public, p::sitemap)
        .add(Method::GET, "/robots.txt", Gate::Public, p::robots)
        .add(
            Method::GET,
            "/tin-anh/{photo}/{file}",
            Gate::Public,
            ph::serve,
        )
        .add(Method::GET, "/bien-tap", Gate::SignedIn, e::dashboard)
        .add(Method::GET, "/bien-tap/moi", Gate::SignedIn, e::new_form)
        .add(Method::POST, "/bien-tap/moi", Gate::SignedIn, e::create)
        .add(
            Method::GET,
            "/bien-tap/nhap-docx",
            Gate::SignedIn,
            e::import_form,
        )
        .add(
            Method::POST,
            "/bien-tap/nhap-docx",
            Gate::SignedIn,
            e::import,
        )
        .add(
            Method::GET,
            "/bien-tap/chuyen-muc",
            Gate::SignedIn,
            e::categories,
        )
        .add(
            Method::POST,
            "/bien-tap/chuyen-muc",
            Gate::SignedIn,
            e::create_category,
        )
        .add(
            Method::GET,
            "/bien-tap/{news_id}",
            Gate::SignedIn,
            e::edit_form,
        )
        .add(
            Method::POST,
            "/bien-tap/{news_id}",
            Gate::SignedIn,
            e::update,
        )
        .add(
            Method::GET,
            "/bien-tap/{news_id}/phien-ban",
            Gate::SignedIn,
            e::revisions,
        )
        .add(
            Method::POST,
            "/bien-tap/{news_id}/trang-thai",
            Gate::SignedIn,
            e::transition,
        )
        .add(
            Method::POST,
            "/bien-tap/{news_id}/anh",
            Gate::SignedIn,
            ph::upload,
        )
        .add(
            Method::POST,
            "/bien-tap/{news_id}/anh/{photo}",
            Gate::SignedIn,
            ph::caption,
        )
}

/// A status as shown to editors.
pub fn status_label(lang: Lang, s: NewsStatus) -> &'static str {
    let t = lang.tr().news;
    match s {
        NewsStatus::Draft => t.status_draft,
        NewsStatus::AwaitingApproval => t.status_awaiting,
        NewsStatus::Published => t.status_published,
        NewsStatus::Scheduled => t.status_scheduled,
        NewsStatus::Unpublished => t.status_unpublished,
    }
}

/// The units where `actor` may do `action` (`None`: every unit).
pub async fn units_in_reach(
    state: &AppState,
    actor: &Actor,
    action: Action,
) -> AppResult<Vec<unit::Model>> {
    let roots = match reach(actor, action) {
        Reach::Everywhere => return Ok(units::list(&state.db, None).await?),
        Reach::Within(roots) => roots,
        Reach::Nowhere => return Ok(Vec::new()),
    };
    let mut out: Vec<unit::Model> = Vec::new();
    for root in &roots {
        for u in units::list(&state.db, Some(root.as_str())).await? {
            if !out.iter().any(|o| o.id == u.id) {
                out.push(u);
            }
        }
    }
    Ok(out)
}
