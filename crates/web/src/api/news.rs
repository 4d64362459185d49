//! News in the JSON API: posts (list, read, create, send for approval, publish), categories,
//! and photo upload, on the same services as the pages.

use axum::Json;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use hoithi_storage::entity::news::{category, photo, post};
use hoithi_storage::repo::news::{self, Filter};
use hoithi_storage::status::{NewsStatus, PhotoStatus};
use serde::{Deserialize, Serialize};

use crate::access::EditablePost;
use crate::auth::session::{CurrentUser, Identity};
use crate::error::{AppError, AppResult};
use crate::news::editor::service::{self as editor, PostInput};
use crate::news::photos::service::{self as photos, Variant};
use crate::state::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct PhotoView {
    pub id: i64,
    pub caption: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
    pub status: PhotoStatus,
    pub cover: bool,
    /// The served copies (empty until the photo job has run).
    pub variants: Vec<Variant>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PostView {
    pub id: i64,
    pub slug: String,
    pub unit_id: i64,
    pub title: String,
    pub lead: String,
    /// As typed (Markdown-like).
    pub body: String,
    /// Sanitized HTML.
    pub body_html: String,
    pub byline: String,
    pub status: NewsStatus,
    pub revision: i32,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    pub url: String,
    pub categories: Vec<i64>,
    pub photos: Vec<PhotoView>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PostPage {
    pub items: Vec<PostView>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CategoryView {
    pub id: i64,
    pub unit_id: i64,
    pub slug: String,
    pub name: String,
}

impl From<category::Model> for CategoryView {
    fn from(c: category::Model) -> Self {
        CategoryView {
            id: c.id,
            unit_id: c.unit_id,
            slug: c.slug,
            name: c.name,
        }
    }
}

fn photo_view(ph: photo::Model, cover: Option<i64>) -> PhotoView {
    PhotoView {
        variants: photos::variants(&ph)
            .into_iter()
            .map(|mut v| {
                v.sha256.clear();
                v
            })
            .collect(),
        cover: cover == Some(ph.id),
        id: ph.id,
        caption: ph.caption,
        alt: ph.alt,
        width: ph.width,
        height: ph.height,
        status: ph.status,
    }
}

async fn views(state: &AppState, posts: Vec<post::Model>) -> AppResult<Vec<PostView>> {
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let cats = news::categories_of(&state.db, &ids).await?;
    let mut pics = news::photos(&state.db, &ids).await?;
    Ok(posts
        .into_iter()
        .map(|p| {
            let mine: Vec<photo::Model> = {
                let (m, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut pics)
                    .into_iter()
                    .partition(|ph| ph.post_id == p.id);
                pics = rest;
                m
            };
            let status = news::status_at(&p, hoithi_storage::time::now());
            PostView {
                url: format!("{}/tin/{}", state.config.public_url, p.slug),
                categories: cats
                    .iter()
                    .filter(|(post, _)| *post == p.id)
                    .map(|(_, c)| c.id)
                    .collect(),
                photos: mine
                    .into_iter()
                    .map(|ph| photo_view(ph, p.cover_photo_id))
                    .collect(),
                id: p.id,
                slug: p.slug,
                unit_id: p.unit_id,
                title: p.title,
                lead: p.lead,
                body: p.body,
                body_html: p.body_html,
                byline: p.byline,
                status,
                revision: p.revision,
                published_at: p.published_at,
            }
        })
        .collect())
}

async fn one(state: &AppState, p: post::Model) -> AppResult<PostView> {
    views(state, vec![p]).await?.pop().ok_or(AppError::NotFound)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Page, from 1.
    page: Option<u64>,
    /// Only this category's posts.
    category_id: Option<i64>,
    /// Only this unit's posts.
    unit_id: Option<i64>,
}

/// Published posts, newest first, 10 a page.
#[utoipa::path(get, path = "/api/v1/news/posts", tag = "news", params(ListParams),
    responses((status = 200, body = PostPage)))]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListParams>,
) -> AppResult<Json<PostPage>> {
    let filter = Filter {
        category_id: q.category_id,
        unit_id: q.unit_id,
        except: None,
    };
    let now = hoithi_storage::time::now();
    let page = news::published(&state.db, now, filter, q.page.unwrap_or(1), 10).await?;
    let pages = page.pages();
    Ok(Json(PostPage {
        total: page.total,
        page: page.page,
        pages,
        items: views(&state, page.items).await?,
    }))
}

/// A post: anyone reads a published one; its unit's editors read it in any state.
#[utoipa::path(get, path = "/api/v1/news/posts/{news_id}", tag = "news", params(("news_id" = i64, Path)),
    responses((status = 200, body = PostView), (status = 404, body = crate::api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Identity(id): Identity,
    axum::extract::Path(post_id): axum::extract::Path<i64>,
) -> AppResult<Json<PostView>> {
    let p = news::post(&state.db, post_id).await?;
    let now = hoithi_storage::time::now();
    if !news::is_readable(&p, now) && editor::editable(&state, &id.actor, post_id).await.is_err() {
        return Err(AppError::NotFound);
    }
    Ok(Json(one(&state, p).await?))
}

/// Writes a new draft in a unit the caller writes for.
#[utoipa::path(post, path = "/api/v1/news/posts", tag = "news", request_body = PostInput,
    responses((status = 201, body = PostView), (status = 422, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<PostInput>,
) -> AppResult<(StatusCode, Json<PostView>)> {
    let p = editor::create(&state, me.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(one(&state, p).await?)))
}

/// Sends a draft for approval.
#[utoipa::path(post, path = "/api/v1/news/posts/{news_id}/submit", tag = "news", params(("news_id" = i64, Path)),
    responses((status = 200, body = PostView), (status = 409, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    me: CurrentUser,
    EditablePost(p): EditablePost,
) -> AppResult<Json<PostView>> {
    let p = editor::submit(&state, me.actor(), p.id).await?;
    Ok(Json(one(&state, p).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct PublishInput {
    /// When to publish; absent or past: now.
    #[serde(default)]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Publishes (or schedules) a post: the unit's approvers only.
#[utoipa::path(post, path = "/api/v1/news/posts/{news_id}/publish", tag = "news", params(("news_id" = i64, Path)), request_body = PublishInput,
    responses((status = 200, body = PostView), (status = 422, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    me: CurrentUser,
    EditablePost(p): EditablePost,
    body: Option<Json<PublishInput>>,
) -> AppResult<Json<PostView>> {
    let at = body.and_then(|Json(b)| b.at);
    let p = editor::publish(&state, me.actor(), p.id, at).await?;
    Ok(Json(one(&state, p).await?))
}

/// Uploads a photo into a post (multipart: `file`, `caption`, `alt`); its copies are made in
/// the background.
#[utoipa::path(post, path = "/api/v1/news/posts/{news_id}/photos", tag = "news", params(("news_id" = i64, Path)),
    request_body(content_type = "multipart/form-data"),
    responses((status = 201, body = PhotoView), (status = 422, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    me: CurrentUser,
    EditablePost(p): EditablePost,
    mp: Multipart,
) -> AppResult<(StatusCode, Json<PhotoView>)> {
    let form = crate::upload::read(mp).await?;
    let bytes = form.file.as_ref().map(|f| f.1.as_slice()).unwrap_or(&[]);
    let ph = photos::upload(
        &state,
        me.actor(),
        p.id,
        bytes,
        crate::forms::field(&form.fields, "caption"),
        crate::forms::field(&form.fields, "alt"),
    )
    .await?;
    let cover = news::post(&state.db, p.id).await?.cover_photo_id;
    Ok((StatusCode::CREATED, Json(photo_view(ph, cover))))
}

/// Every unit's categories.
#[utoipa::path(get, path = "/api/v1/news/categories", tag = "news",
    responses((status = 200, body = [CategoryView])))]
pub async fn categories(State(state): State<AppState>) -> AppResult<Json<Vec<CategoryView>>> {
    Ok(Json(
        news::categories(&state.db, None)
            .await?
            .into_iter()
            .map(CategoryView::from)
            .collect(),
    ))
}
