//! The readers' pages. Each renders through `cache::serve`, so a repeated request from an
//! anonymous reader costs three indexed queries and a copy from memory, or a 304.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hoithi_storage::entity::news::category;
use hoithi_storage::repo::news::{self, Filter};
use hoithi_storage::repo::units;
use serde::Deserialize;

use super::cache;
use super::service::{self, Item, PostView};
use crate::auth::session::Identity;
use crate::error::{AppError, AppResult};
use crate::pages::Chrome;
use crate::state::AppState;

const HTML: &str = "text/html; charset=utf-8";
const ATOM: &str = "application/atom+xml; charset=utf-8";
const XML: &str = "application/xml; charset=utf-8";

#[derive(Deserialize, Default)]
pub struct ListQuery {
    trang: Option<u64>,
}

fn render<T: Template>(page: &T) -> AppResult<String> {
    page.render()
        .map_err(|e| AppError::Internal(format!("template: {e}")))
}

/// The address and query that key the cache (the language is keyed apart).
fn key(uri: &axum::http::Uri) -> String {
    let query: Vec<&str> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
        .collect();
    format!("{}?{}", uri.path(), query.join("&"))
}

pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub base: String,
}

impl Pager {
    pub fn prev(&self) -> Option<String> {
        (self.page > 1).then(|| format!("{}?trang={}", self.base, self.page - 1))
    }
    pub fn next(&self) -> Option<String> {
        (self.page < self.pages).then(|| format!("{}?trang={}", self.base, self.page + 1))
    }
}

#[derive(Template)]
#[template(path = "news/list.html")]
struct ListPage {
    c: Chrome,
    heading: String,
    feed: Option<String>,
    items: Vec<Item>,
    pager: Pager,
    categories: Vec<category::Model>,
}

async fn list_page(
    state: &AppState,
    c: Chrome,
    heading: String,
    base: String,
    feed: Option<String>,
    filter: Filter,
    page: u64,
) -> AppResult<String> {
    let (p, items) = service::list(state, filter, page).await?;
    let categories = news::categories(&state.db, None).await?;
    render(&ListPage {
        c,
        heading,
        feed,
        items,
        pager: Pager {
            page: p.page,
            pages: p.pages(),
            base,
        },
        categories,
    })
}

pub async fn index(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let lang = c.lang.code();
    cache::serve(
        &state,
        &headers,
        &key(&uri),
        lang,
        id.user.is_none(),
        HTML,
        || async {
            let heading = c.t.news.news.to_string();
            list_page(
                &state,
                c,
                heading,
                "/tin-tuc".into(),
                Some("/tin-tuc/feed.xml".into()),
                Filter::default(),
                q.trang.unwrap_or(1),
            )
            .await
        },
    )
    .await
}

/// A filtered list (a category's or a unit's posts), through the public pages' cache.
#[allow(clippy::too_many_arguments)]
async fn filtered_list(
    state: &AppState,
    c: Chrome,
    anonymous: bool,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
    heading: String,
    base: String,
    filter: Filter,
    page: u64,
) -> AppResult<Response> {
    let lang = c.lang.code();
    cache::serve(state, headers, &key(uri), lang, anonymous, HTML, || async {
        let feed = Some(format!("{base}/feed.xml"));
        list_page(state, c, heading, base, feed, filter, page).await
    })
    .await
}

pub async fn category(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let k = news::category_by_slug(&state.db, &slug).await?;
    let filter = Filter {
        category_id: Some(k.id),
        ..Default::default()
    };
    let base = format!("/tin-tuc/chuyen-muc/{}", k.slug);
    let page = q.trang.unwrap_or(1);
    let anonymous = id.user.is_none();
    filtered_list(
        &state, c, anonymous, &headers, &uri, k.name, base, filter, page,
    )
    .await
}

pub async fn unit(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Path(unit_id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let u = units::get(&state.db, unit_id).await?;
    let filter = Filter {
        unit_id: Some(u.id),
        ..Default::default()
    };
    let base = format!("/tin-tuc/don-vi/{}", u.id);
    let page = q.trang.unwrap_or(1);
    let anonymous = id.user.is_none();
    filtered_list(
        &state, c, anonymous, &headers, &uri, u.name, base, filter, page,
    )
    .await
}

#[derive(Template)]
#[template(path = "news/post.html")]
struct PostPage {
    c: Chrome,
    v: PostView,
    url: String,
}

pub async fn post(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let lang = c.lang.code();
    // Rendered only when the cache has no copy for the current posts: a copy exists only for a
    // post that was readable under the same fingerprint, and an unknown or unpublished post is
    // a 404 that is never stored.
    cache::serve(
        &state,
        &headers,
        &key(&uri),
        lang,
        id.user.is_none(),
        HTML,
        || async {
            let p = service::readable_post(&state, &slug).await?;
            let url = format!("{}/tin/{}", state.config.public_url, p.slug);
            let v = service::post_view(&state, p).await?;
            render(&PostPage { c, v, url })
        },
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "news/search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    items: Vec<Item>,
    searched: bool,
}

/// Search among readable posts (diacritics optional, exact matches first).
pub async fn search(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let text =
        q.q.unwrap_or_default()
            .trim()
            .chars()
            .take(200)
            .collect::<String>();
    let mut posts = Vec::new();
    if !text.is_empty()
        && let Some(index) = &state.search
    {
        let hits = crate::search::search_visible(index, &id.actor, &text, 50, 0)
            .map_err(AppError::Internal)?;
        let now = hoithi_storage::time::now();
        for h in hits.hits {
            if h.kind != crate::search::kinds::DocKind::NewsPost.as_str() {
                continue;
            }
            if let Ok(p) = news::post(&state.db, h.key).await
                && matches!(
                    p.status,
                    hoithi_storage::status::NewsStatus::Published
                        | hoithi_storage::status::NewsStatus::Scheduled
                )
                && p.published_at.is_some_and(|t| t <= now)
            {
                posts.push(p);
            }
        }
    }
    let items = service::items(&state, &posts, true).await?;
    Ok(crate::pages::ok_html(&SearchPage {
        c,
        searched: !text.is_empty(),
        q: text,
        items,
    }))
}

pub async fn feed_all(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    lang: crate::i18n::Lang,
) -> AppResult<Response> {
    cache::serve(
        &state,
        &headers,
        &key(&uri),
        lang.code(),
        true,
        ATOM,
        || async {
            service::atom(&state, lang.tr().news.news, "/tin-tuc", Filter::default()).await
        },
    )
    .await
}

/// One Atom feed (a category's or a unit's), served through the public pages' cache.
async fn feed(
    state: &AppState,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
    title: &str,
    path: &str,
    filter: Filter,
) -> AppResult<Response> {
    cache::serve(state, headers, &key(uri), "xml", true, ATOM, || async {
        service::atom(state, title, path, filter).await
    })
    .await
}

pub async fn category_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let k = news::category_by_slug(&state.db, &slug).await?;
    let filter = Filter {
        category_id: Some(k.id),
        ..Default::default()
    };
    let path = format!("/tin-tuc/chuyen-muc/{}", k.slug);
    feed(&state, &headers, &uri, &k.name, &path, filter).await
}

pub async fn unit_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Path(unit_id): Path<i64>,
) -> AppResult<Response> {
    let u = units::get(&state.db, unit_id).await?;
    let filter = Filter {
        unit_id: Some(u.id),
        ..Default::default()
    };
    let path = format!("/tin-tuc/don-vi/{}", u.id);
    feed(&state, &headers, &uri, &u.name, &path, filter).await
}

pub async fn sitemap(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> AppResult<Response> {
    cache::serve(&state, &headers, &key(&uri), "xml", true, XML, || async {
        service::sitemap(&state).await
    })
    .await
}

/// What crawlers may read: the public pages and the sitemap; never the desks, the API, the
/// pages behind a personal link or an account, nor endless search result pages.
pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\n\
         Disallow: /api/\n\
         Disallow: /bien-tap\n\
         Disallow: /cham-thi\n\
         Disallow: /bai-cua-toi\n\
         Disallow: /dai-bieu\n\
         Disallow: /tai-khoan\n\
         Disallow: /nguoi-dung\n\
         Disallow: /don-vi\n\
         Disallow: /dang-nhap\n\
         Disallow: /tim-kiem\n\
         Disallow: /tin-tuc/tim-kiem\n\
         Disallow: /xac-minh\n\
         Sitemap: {}/sitemap.xml\n",
        state.config.public_url.trim_end_matches('/')
    );
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// The home page's news block: the newest posts.
pub async fn latest(state: &AppState, n: u64) -> AppResult<Vec<Item>> {
    let now = hoithi_storage::time::now();
    let page = news::published(&state.db, now, Filter::default(), 1, n).await?;
    service::items(state, &page.items, true).await
}

/// The published posts that report one contest or course (`news::CONTEST`/`news::COURSE`),
/// newest first, for that record's page.
pub async fn about(state: &AppState, kind: &str, id: i64) -> AppResult<Vec<Item>> {
    let now = hoithi_storage::time::now();
    let posts = news::posts_about(&state.db, now, kind, id, 10).await?;
    service::items(state, &posts, false).await
}
