//! The site-wide search page: contests, published results, courses and news posts the viewer
//! may see, from the one index (diacritics optional; hits that match as typed come first).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::DocKind;
use crate::auth::session::Identity;
use crate::error::{AppError, AppResult};
use crate::pages::{Chrome, ok_html};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    q: Option<String>,
}

/// One hit as the page lists it.
pub struct Hit {
    pub kind: &'static str,
    pub title: String,
    pub href: String,
    /// True when every word matched with its diacritics as typed.
    pub exact: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    hits: Vec<Hit>,
    searched: bool,
}

/// The record behind an index hit, if the viewer may open it now.
async fn resolve(
    state: &AppState,
    actor: &crate::policy::Actor,
    kind: DocKind,
    key: i64,
    c: &Chrome,
) -> AppResult<Option<Hit>> {
    let t = c.t.start;
    let hit = |kind, title, href| Hit {
        kind,
        title,
        href,
        exact: false,
    };
    Ok(match kind {
        DocKind::Contest | DocKind::ContestResults => {
            let Ok(k) = hoithi_storage::repo::contests::get(&state.db, key).await else {
                return Ok(None);
            };
            let l = crate::contests::service::with_organizer(state, k).await?;
            if crate::contests::service::check_visible(actor, &l).is_err() {
                return Ok(None);
            }
            if kind == DocKind::Contest {
                Some(hit(
                    t.search_kind_contest,
                    l.contest.title.clone(),
                    format!("/cuoc-thi/{}", l.contest.slug),
                ))
            } else {
                Some(hit(
                    t.search_kind_results,
                    l.contest.title.clone(),
                    format!("/cuoc-thi/{}/ket-qua", l.contest.slug),
                ))
            }
        }
        DocKind::Course => match hoithi_storage::repo::courses::get(&state.db, key).await {
            Ok(k) if k.status != hoithi_storage::status::CourseStatus::Draft => Some(hit(
                t.search_kind_course,
                k.title,
                format!("/khoa-hoc/{}", k.slug),
            )),
            _ => None,
        },
        DocKind::NewsPost => match hoithi_storage::repo::news::post(&state.db, key).await {
            Ok(p) if hoithi_storage::repo::news::is_readable(&p, hoithi_storage::time::now()) => {
                Some(hit(t.search_kind_news, p.title, format!("/tin/{}", p.slug)))
            }
            _ => None,
        },
        DocKind::CourseMaterial => {
            use crate::courses::materials::service as materials;
            let Ok(m) = hoithi_storage::repo::courses::materials::get(&state.db, key).await else {
                return Ok(None);
            };
            let Ok(k) = hoithi_storage::repo::courses::get(&state.db, m.course_id).await else {
                return Ok(None);
            };
            if k.status == hoithi_storage::status::CourseStatus::Draft {
                return Ok(None);
            }
            let ctx = crate::courses::service::load_id(state, k.id).await?;
            let private = m.visibility != hoithi_storage::repo::courses::materials::PUBLIC
                && materials::sees_private(state, actor, &ctx, None).await?;
            if !materials::may_see(&m, private) {
                return Ok(None);
            }
            Some(hit(
                t.search_kind_material,
                format!("{} — {}", m.title, k.title),
                format!("/khoa-hoc/{}/tai-lieu/{}", k.slug, m.id),
            ))
        }
        DocKind::Entry => None,
    })
}

/// `GET /tim-kiem?q=…`: what the viewer may see, best first.
pub async fn search(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let text: String = q.q.unwrap_or_default().trim().chars().take(200).collect();
    let mut hits = Vec::new();
    if !text.is_empty()
        && let Some(index) = &state.search
    {
        let found =
            super::search_visible(index, &id.actor, &text, 50, 0).map_err(AppError::Internal)?;
        for h in found.hits {
            let Some(kind) = DocKind::parse(&h.kind) else {
                continue;
            };
            if let Some(mut hit) = resolve(&state, &id.actor, kind, h.key, &c).await? {
                hit.exact = h.exact;
                hits.push(hit);
            }
        }
    }
    Ok(ok_html(&SearchPage {
        c,
        searched: !text.is_empty(),
        q: text,
        hits,
    }))
}
