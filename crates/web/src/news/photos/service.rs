//! Photos: the upload is checked cheaply in the request (format and size from its header), kept
//! by content address, and a job makes the resized copies, each re-encoded from pixels. The
//! copies are what is served.

use hoithi_storage::entity::news::{photo, post};
use hoithi_storage::repo::news::{self, NewPhoto};
use hoithi_storage::status::PhotoStatus;
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::jobs::{self, Failure, Job};
use crate::news::body;
use crate::news::editor::pages::PhotoRow;
use crate::news::editor::service as editor;
use crate::policy::Actor;
use crate::state::AppState;
use crate::upload::UploadForm;
use hoithi_extract::rich;

/// The job that makes a photo's copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoJob {
    pub photo_id: i64,
}

/// One served copy, as kept in `news_photos.variants`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub mime: String,
    /// The file name it is served under: `<width>.<ext>`.
    pub file: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub sha256: String,
    pub bytes: usize,
}

pub fn variants(p: &photo::Model) -> Vec<Variant> {
    serde_json::from_str(&p.variants).unwrap_or_default()
}

/// The photo's address for a served file.
pub fn url(p: &photo::Model, v: &Variant) -> String {
    format!("/tin-anh/{}/{}", p.id, v.file)
}

/// `srcset` of one encoding (by MIME type), smallest first.
pub fn srcset(p: &photo::Model, vs: &[Variant], mime: &str) -> String {
    vs.iter()
        .filter(|v| v.mime == mime)
        .map(|v| format!("{} {}w", url(p, v), v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fallback copy closest to `width` (the `src` of an `img`).
pub fn fallback(vs: &[Variant], width: u32) -> Option<&Variant> {
    let plain: Vec<&Variant> = vs.iter().filter(|v| v.mime != "image/webp").collect();
    plain
        .iter()
        .copied()
        .filter(|v| v.width >= width)
        .min_by_key(|v| v.width)
        .or_else(|| plain.iter().copied().max_by_key(|v| v.width))
}

pub async fn rows(state: &AppState, p: &post::Model) -> AppResult<Vec<PhotoRow>> {
    Ok(news::photos(&state.db, &[p.id])
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, ph)| {
            let vs = variants(&ph);
            PhotoRow {
                id: ph.id,
                n: i + 1,
                thumb: fallback(&vs, 160).map(|v| url(&ph, v)),
                ready: ph.status == PhotoStatus::Ready,
                cover: p.cover_photo_id == Some(ph.id),
                caption: ph.caption,
                alt: ph.alt,
            }
        })
        .collect())
}

fn media_error(e: &hoithi_media::MediaError) -> AppError {
    AppError::BadRequest(Msg::new(e.vi(), e.en()))
}

/// The limits of an upload (hoithi-media's: 20 MB, 50 megapixels; copies 360, 720 and 1280
/// pixels wide).
pub fn limits() -> hoithi_media::Limits {
    hoithi_media::Limits::default()
}

fn caption_fields(caption: &str, alt: &str) -> AppResult<(String, String, String)> {
    let caption = hoithi_text::normalize::as_written(caption)
        .trim()
        .to_string();
    let alt = hoithi_text::normalize::as_written(alt).trim().to_string();
    if caption.chars().count() > 1000 || alt.chars().count() > 300 {
        return Err(AppError::bad(
            "Chú thích (tối đa 1.000 ký tự) hoặc mô tả ảnh (tối đa 300 ký tự) quá dài.",
            "The caption (at most 1,000 characters) or the alt text (at most 300) is too long.",
        ));
    }
    let html = body::render_inline(&caption);
    Ok((caption, html, alt))
}

/// Adds one photo to a post in the caller's transaction: checked, kept, its job queued.
async fn add<C: hoithi_storage::Conn>(
    state: &AppState,
    tx: &C,
    post_id: i64,
    bytes: &[u8],
    caption: &str,
    alt: &str,
) -> AppResult<photo::Model> {
    let probe = hoithi_media::probe_with(bytes, &limits()).map_err(|e| media_error(&e))?;
    let (caption, caption_html, alt) = caption_fields(caption, alt)?;
    let sha256 = state.blobs.put(bytes).await?;
    let ph = news::add_photo(
        tx,
        NewPhoto {
            post_id,
            sha256,
            mime: probe.format.mime().into(),
            width: probe.width as i32,
            height: probe.height as i32,
            caption,
            caption_html,
            alt,
        },
    )
    .await?;
    jobs::enqueue(tx, Job::NewsPhoto(PhotoJob { photo_id: ph.id })).await?;
    Ok(ph)
}

/// Uploads a photo into a post the caller may write; the first one becomes the cover.
pub async fn upload(
    state: &AppState,
    actor: &Actor,
    post_id: i64,
    bytes: &[u8],
    caption: &str,
    alt: &str,
) -> AppResult<photo::Model> {
    let p = editor::editable(state, actor, post_id).await?;
    if bytes.is_empty() {
        return Err(AppError::bad(
            "Vui lòng chọn ảnh.",
            "Please choose a photo.",
        ));
    }
    let tx = state.db.write().await?;
    let ph = add(state, &tx, post_id, bytes, caption, alt).await?;
    if p.cover_photo_id.is_none() {
        news::set_cover(&tx, post_id, Some(ph.id)).await?;
    } else {
        news::touch(&tx, post_id).await?;
    }
    audit::record(
        &tx,
        actor,
        "news.photo",
        "news_post",
        Some(post_id),
        serde_json::json!({ "photo_id": ph.id }),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(ph)
}

/// Changes a photo's caption and alt text, and makes it the cover when asked.
pub async fn caption(
    state: &AppState,
    actor: &Actor,
    post_id: i64,
    photo_id: i64,
    caption: &str,
    alt: &str,
    cover: bool,
) -> AppResult<photo::Model> {
    editor::editable(state, actor, post_id).await?;
    let ph = news::photo(&state.db, photo_id).await?;
    if ph.post_id != post_id {
        return Err(AppError::NotFound);
    }
    let (caption, caption_html, alt) = caption_fields(caption, alt)?;
    let tx = state.db.write().await?;
    let ph = news::set_caption(&tx, photo_id, caption, caption_html, alt).await?;
    if cover {
        news::set_cover(&tx, post_id, Some(photo_id)).await?;
    } else {
        news::touch(&tx, post_id).await?;
    }
    audit::record(
        &tx,
        actor,
        "news.photo_caption",
        "news_post",
        Some(post_id),
        serde_json::json!({ "photo_id": photo_id, "cover": cover }),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(ph)
}

/// The job: decode, orient, resize and re-encode; keep the copies; mark the photo ready.
pub async fn run_job(state: &AppState, job: PhotoJob) -> Result<(), Failure> {
    let ph = match news::photo(&state.db, job.photo_id).await {
        Ok(p) => p,
        // Removed with its post meanwhile: nothing to do.
        Err(hoithi_storage::StorageError::NotFound) => return Ok(()),
        Err(e) => return Err(Failure::Retry(e.to_string())),
    };
    let bytes = state
        .blobs
        .get(&ph.sha256)
        .await
        .map_err(|e| Failure::Retry(e.to_string()))?
        .ok_or_else(|| Failure::GiveUp(format!("photo {}: its file is missing", ph.id)))?;
    let processed = tokio::task::spawn_blocking(move || hoithi_media::process(&bytes, &limits()))
        .await
        .map_err(|e| Failure::Retry(e.to_string()))?
        .map_err(|e| Failure::GiveUp(format!("photo {}: {e}", ph.id)))?;
    let mut out = Vec::new();
    for v in &processed.variants {
        let sha256 = state
            .blobs
            .put(&v.bytes)
            .await
            .map_err(|e| Failure::Retry(e.to_string()))?;
        out.push(Variant {
            width: v.width,
            height: v.height,
            mime: v.mime.to_string(),
            file: format!("{}.{}", v.width, v.encoding.extension()),
            sha256,
            bytes: v.bytes.len(),
        });
    }
    let json = serde_json::to_string(&out).map_err(|e| Failure::GiveUp(e.to_string()))?;
    let tx = state
        .db
        .write()
        .await
        .map_err(|e| Failure::Retry(e.to_string()))?;
    news::set_variants(&tx, ph.id, json)
        .await
        .map_err(|e| Failure::Retry(e.to_string()))?;
    news::touch(&tx, ph.post_id)
        .await
        .map_err(|e| Failure::Retry(e.to_string()))?;
    hoithi_storage::commit(tx)
        .await
        .map_err(|e| Failure::Retry(e.to_string()))
}

/// A DOCX or ODT as a new draft: its text (Markdown) as the body, its pictures as photos placed
/// where they were.
pub async fn import_document(
    state: &AppState,
    actor: &Actor,
    form: &UploadForm,
) -> AppResult<post::Model> {
    let unit_id: i64 = crate::forms::field(&form.fields, "unit_id")
        .trim()
        .parse()
        .unwrap_or(0);
    let Some((name, bytes)) = &form.file else {
        return Err(AppError::bad(
            "Vui lòng chọn tệp DOCX hoặc ODT.",
            "Please choose a DOCX or ODT file.",
        ));
    };
    let doc = rich::read(bytes, Some(name), &hoithi_extract::Limits::default())
        .map_err(|e| AppError::BadRequest(crate::upload::extract_error(&e)))?;
    // Pictures become photos 1, 2, …; `![alt](picture:N)` becomes the marker of its photo.
    let mut text = doc.markdown.clone();
    for i in 0..doc.pictures.len() {
        let marker = format!("\n\n{}\n\n", body::photo_marker(i + 1));
        let needle = format!("(picture:{i})");
        while let Some(at) = text.find(&needle) {
            let start = text[..at].rfind("![").unwrap_or(at);
            text.replace_range(start..at + needle.len(), &marker);
        }
    }
    let title = crate::forms::field(&form.fields, "title")
        .trim()
        .to_string();
    let title = if title.is_empty() {
        text.lines()
            .map(|l| l.trim_start_matches('#').trim())
            .find(|l| !l.is_empty() && !l.starts_with("[["))
            .unwrap_or("")
            .chars()
            .take(300)
            .collect()
    } else {
        title
    };
    let input = editor::PostInput {
        unit_id,
        title,
        body: text,
        byline: crate::forms::field(&form.fields, "byline").to_string(),
        ..Default::default()
    };
    // The post and its pictures commit together: a picture refused leaves no draft behind,
    // and trying again does not make a second one.
    let new = editor::prepare(state, actor, &input).await?;
    let tx = state.db.write().await?;
    let p = editor::write_new(&tx, actor, &input, new).await?;
    let mut first = None;
    for pic in &doc.pictures {
        let ph = add(state, &tx, p.id, &pic.bytes, "", &pic.alt).await?;
        first.get_or_insert(ph.id);
    }
    if first.is_some() {
        news::set_cover(&tx, p.id, first).await?;
    }
    hoithi_storage::commit(tx).await?;
    Ok(p)
}
