//! Photo upload and caption forms (on the writing page), and the served copies.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::service;
use crate::access::EditablePost;
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::auth::session::{CurrentUser, Identity};
use crate::error::{AppError, AppResult};
use crate::forms::{Fields, field, or_page};
use crate::news::editor::pages::render_edit;
use crate::news::editor::service as editor;
use crate::pages::Chrome;
use crate::pages::see_other;
use crate::state::AppState;

pub async fn upload(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    EditablePost(p): EditablePost,
    CsrfMultipart(mp): CsrfMultipart,
) -> AppResult<Response> {
    let id = p.id;
    let result = async {
        let form = crate::upload::read(mp).await?;
        let bytes = form.file.as_ref().map(|f| f.1.as_slice()).unwrap_or(&[]);
        service::upload(
            &state,
            me.actor(),
            id,
            bytes,
            field(&form.fields, "caption"),
            field(&form.fields, "alt"),
        )
        .await
    }
    .await;
    or_page!(
        result,
        c,
        error => render_edit(&state, c, &me, p, None, error, None).await
    );
    Ok(see_other(&format!("/bien-tap/{id}?ok=anh#anh")))
}

pub async fn caption(
    State(state): State<AppState>,
    me: CurrentUser,
    EditablePost(p): EditablePost,
    Path((_, photo)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let id = p.id;
    service::caption(
        &state,
        me.actor(),
        id,
        photo,
        field(&f, "caption"),
        field(&f, "alt"),
        field(&f, "cover") == "1",
    )
    .await?;
    Ok(see_other(&format!("/bien-tap/{id}?ok=anh#anh")))
}

/// A resized copy. Readers get those of posts they can read; editors those of their drafts.
/// Copies never change once made (a new upload is a new photo), so they are cached for long.
pub async fn serve(
    State(state): State<AppState>,
    Identity(id): Identity,
    Path((photo, file)): Path<(i64, String)>,
) -> AppResult<Response> {
    use hoithi_storage::repo::news;
    let ph = news::photo(&state.db, photo).await?;
    let p = news::post(&state.db, ph.post_id).await?;
    let readable = p
        .published_at
        .is_some_and(|t| t <= hoithi_storage::time::now())
        && matches!(
            p.status,
            hoithi_storage::status::NewsStatus::Published
                | hoithi_storage::status::NewsStatus::Scheduled
        );
    if !readable && editor::editable(&state, &id.actor, p.id).await.is_err() {
        return Err(AppError::NotFound);
    }
    let vs = service::variants(&ph);
    let v = vs
        .iter()
        .find(|v| v.file == file)
        .ok_or(AppError::NotFound)?;
    let bytes = state
        .blobs
        .get(&v.sha256)
        .await?
        .ok_or(AppError::NotFound)?;
    let cache = if readable {
        "public, max-age=31536000, immutable"
    } else {
        "private, no-store"
    };
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, v.mime.clone()),
            (header::CACHE_CONTROL, cache.to_string()),
        ],
        bytes,
    )
        .into_response())
}
