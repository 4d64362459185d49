//! Course materials: organizers add files or links (with a title, a note, the session they
//! belong to, and who may see them), edit, reorder and remove them, each change audited in its
//! transaction and followed by the search index; viewers get the materials they may see.

use hoithi_storage::repo::courses::materials::{self, Material, MaterialEdit, NewMaterial};
use hoithi_storage::repo::courses::{self, Delegate};

use super::read::{self, Kind};
use crate::audit;
use crate::courses::service::{CourseCtx, bad, is_active, line, require};
use crate::error::{AppError, AppResult};
use crate::policy::Actor;
use crate::state::AppState;

/// What an organizer types for a material (the file, if any, comes beside it).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct MaterialInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub note: String,
    /// A link (http or https) instead of a file.
    #[serde(default)]
    pub url: String,
    /// The session it belongs to (empty: the whole course).
    #[serde(default)]
    pub session_id: String,
    /// "delegates" (the course's delegates, organizers and staff; the default) or "public".
    #[serde(default)]
    pub visibility: String,
}

impl MaterialInput {
    pub fn from_fields(f: &crate::forms::Fields) -> MaterialInput {
        let get = |k| crate::forms::field(f, k).to_string();
        MaterialInput {
            title: get("title"),
            note: get("note"),
            url: get("url"),
            session_id: get("session_id"),
            visibility: get("visibility"),
        }
    }

    pub fn of(m: &Material) -> MaterialInput {
        MaterialInput {
            title: m.title.clone(),
            note: m.note.clone(),
            url: m.url.clone(),
            session_id: m.session_id.map(|s| s.to_string()).unwrap_or_default(),
            visibility: m.visibility.clone(),
        }
    }
}

fn visibility(s: &str) -> AppResult<&'static str> {
    match s.trim() {
        "" | materials::DELEGATES => Ok(materials::DELEGATES),
        materials::PUBLIC => Ok(materials::PUBLIC),
        _ => Err(AppError::bad(
            "Phạm vi xem phải là «đại biểu của lớp» hoặc «công khai».",
            "Visibility is either «the course's delegates» or «public».",
        )),
    }
}

/// A link a delegate can open: http or https, with a host, no spaces or control characters.
pub fn check_url(s: &str) -> AppResult<String> {
    let url = s.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host = rest
        .map(|r| r.split(['/', '?', '#']).next().unwrap_or(""))
        .unwrap_or("");
    let host_ok = !host.is_empty()
        && !host.starts_with('@')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '@' | '_'));
    if rest.is_none()
        || !host_ok
        || url.len() > 2000
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(AppError::bad(
            "Đường dẫn phải bắt đầu bằng http:// hoặc https:// và có tên miền, ví dụ https://tuyengiao.vn/tai-lieu.",
            "A link starts with http:// or https:// and names a host, e.g. https://tuyengiao.vn/tai-lieu.",
        ));
    }
    Ok(url.to_string())
}

async fn session_of(state: &AppState, ctx: &CourseCtx, s: &str) -> AppResult<Option<i64>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let id: Option<i64> = s.parse().ok();
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    match id.filter(|id| sessions.iter().any(|x| x.id == *id)) {
        Some(id) => Ok(Some(id)),
        None => Err(AppError::bad(
            "Buổi học đã chọn không thuộc lớp này.",
            "The chosen session is not one of this course's.",
        )),
    }
}

fn title_and_note(input: &MaterialInput, fallback: &str) -> AppResult<(String, String)> {
    let mut title = line(&input.title, 300, "tên tài liệu", "material title")?;
    if title.is_empty() {
        title = line(fallback, 300, "tên tài liệu", "material title")?;
    }
    if title.is_empty() {
        return Err(AppError::bad(
            "Vui lòng nhập tên tài liệu.",
            "Please enter the material's title.",
        ));
    }
    let note = hoithi_text::normalize::normalize_str(input.note.trim());
    if note.chars().count() > 2000 {
        return Err(AppError::bad(
            "Ghi chú quá dài (tối đa 2.000 ký tự).",
            "The note is too long (2,000 characters at most).",
        ));
    }
    Ok((title, note))
}

/// The search document of a material follows its changes.
pub async fn reindex<C: hoithi_storage::Conn>(tx: &C, id: i64) -> AppResult<()> {
    use crate::search::{DocKind, DocRef};
    crate::jobs::enqueue(
        tx,
        crate::jobs::Job::SearchIndex(DocRef::new(DocKind::CourseMaterial, id)),
    )
    .await?;
    Ok(())
}

/// After the course's delegates change: their delegate-only materials' search documents name
/// who may find them.
pub async fn reindex_private<C: hoithi_storage::Conn>(tx: &C, course_id: i64) -> AppResult<()> {
    for m in materials::list(tx, course_id).await? {
        if m.visibility == materials::DELEGATES {
            reindex(tx, m.id).await?;
        }
    }
    Ok(())
}

/// After the course's status changes (a draft is found by nobody): every material's document.
pub async fn reindex_all<C: hoithi_storage::Conn>(tx: &C, course_id: i64) -> AppResult<()> {
    for m in materials::list(tx, course_id).await? {
        reindex(tx, m.id).await?;
    }
    Ok(())
}

/// Adds a file (`file`: its name and bytes) or a link (`input.url`).
pub async fn add(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    input: MaterialInput,
    file: Option<(String, Vec<u8>)>,
) -> AppResult<Material> {
    require(ctx.can_manage(actor))?;
    let vis = visibility(&input.visibility)?;
    let session_id = session_of(state, ctx, &input.session_id).await?;
    let has_url = !input.url.trim().is_empty();
    let new = match (file, has_url) {
        (Some(_), true) => {
            return Err(AppError::bad(
                "Mỗi tài liệu là một tệp hoặc một đường dẫn, không phải cả hai.",
                "A material is a file or a link, not both.",
            ));
        }
        (None, false) => {
            return Err(AppError::bad(
                "Vui lòng chọn tệp (DOCX, ODT, PDF, PPTX, XLSX) hoặc nhập đường dẫn.",
                "Please choose a file (DOCX, ODT, PDF, PPTX, XLSX) or enter a link.",
            ));
        }
        (None, true) => {
            let url = check_url(&input.url)?;
            let (title, note) = title_and_note(&input, &url)?;
            NewMaterial {
                course_id: ctx.course.id,
                session_id,
                title,
                note,
                kind: materials::LINK,
                visibility: vis,
                url,
                file_sha256: String::new(),
                file_name: String::new(),
                format: String::new(),
                size_bytes: 0,
                body: String::new(),
                created_by: actor.user_id(),
            }
        }
        (Some((name, bytes)), false) => {
            let file_name = name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect::<String>();
            let (n, b) = (file_name.clone(), bytes);
            let (read, b) = tokio::task::spawn_blocking(move || (read::read(&n, &b), b))
                .await
                .map_err(|_| {
                    AppError::bad(
                        "Tệp bị hỏng hoặc không đọc được.",
                        "The file is damaged or unreadable.",
                    )
                })?;
            let read = read.map_err(|why| {
                bad(
                    format!("Không nhận được tệp: {}", why.vi),
                    format!("The file was not accepted: {}", why.en),
                )
            })?;
            let stem = file_name
                .rsplit_once('.')
                .map(|(s, _)| s)
                .unwrap_or(&file_name)
                .to_string();
            let (title, note) = title_and_note(&input, &stem)?;
            let sha = state
                .blobs
                .put(&b)
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            NewMaterial {
                course_id: ctx.course.id,
                session_id,
                title,
                note,
                kind: materials::FILE,
                visibility: vis,
                url: String::new(),
                file_sha256: sha,
                file_name,
                format: read.kind.label().into(),
                size_bytes: b.len() as i64,
                body: read.text,
                created_by: actor.user_id(),
            }
        }
    };
    let tx = state.db.write().await?;
    let saved = materials::add(&tx, new).await?;
    audit::record(
        &tx,
        actor,
        "course.material.add",
        "course",
        Some(ctx.course.id),
        serde_json::json!({
            "material_id": saved.id,
            "title": saved.title,
            "kind": saved.kind,
            "visibility": saved.visibility,
            "file_sha256": saved.file_sha256,
            "url": saved.url,
        }),
    )
    .await?;
    reindex(&tx, saved.id).await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}

/// A material of this course (another course's, or none: 404).
pub async fn of_course(state: &AppState, ctx: &CourseCtx, id: i64) -> AppResult<Material> {
    match materials::get(&state.db, id).await {
        Ok(m) if m.course_id == ctx.course.id => Ok(m),
        Ok(_) | Err(hoithi_storage::StorageError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    id: i64,
    input: MaterialInput,
) -> AppResult<Material> {
    require(ctx.can_manage(actor))?;
    let m = of_course(state, ctx, id).await?;
    let vis = visibility(&input.visibility)?;
    let session_id = session_of(state, ctx, &input.session_id).await?;
    let url = if m.kind == materials::LINK {
        Some(check_url(&input.url)?)
    } else {
        None
    };
    let (title, note) = title_and_note(&input, "")?;
    let tx = state.db.write().await?;
    let saved = materials::update(
        &tx,
        m.id,
        MaterialEdit {
            title,
            note,
            session_id,
            visibility: vis,
            url,
        },
    )
    .await?;
    audit::record(
        &tx,
        actor,
        "course.material.edit",
        "course",
        Some(ctx.course.id),
        serde_json::json!({
            "material_id": m.id,
            "from": {"title": m.title, "visibility": m.visibility, "session_id": m.session_id, "url": m.url},
            "to": {"title": saved.title, "visibility": saved.visibility, "session_id": saved.session_id, "url": saved.url},
        }),
    )
    .await?;
    reindex(&tx, m.id).await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}

pub async fn remove(state: &AppState, actor: &Actor, ctx: &CourseCtx, id: i64) -> AppResult<()> {
    require(ctx.can_manage(actor))?;
    let m = of_course(state, ctx, id).await?;
    let tx = state.db.write().await?;
    materials::delete(&tx, m.id).await?;
    audit::record(
        &tx,
        actor,
        "course.material.remove",
        "course",
        Some(ctx.course.id),
        serde_json::json!({
            "material_id": m.id,
            "title": m.title,
            "kind": m.kind,
            "file_sha256": m.file_sha256,
            "url": m.url,
        }),
    )
    .await?;
    reindex(&tx, m.id).await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// Moves a material one place up (`up`) or down in the course's list.
pub async fn shift(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    id: i64,
    up: bool,
) -> AppResult<()> {
    require(ctx.can_manage(actor))?;
    let m = of_course(state, ctx, id).await?;
    let tx = state.db.write().await?;
    let mut ids: Vec<i64> = materials::list(&tx, ctx.course.id)
        .await?
        .iter()
        .map(|x| x.id)
        .collect();
    let Some(at) = ids.iter().position(|x| *x == m.id) else {
        return Err(AppError::NotFound);
    };
    let to = if up {
        at.checked_sub(1)
    } else {
        Some(at + 1).filter(|t| *t < ids.len())
    };
    let Some(to) = to else {
        return Ok(()); // already first (or last): nothing to change
    };
    ids.swap(at, to);
    materials::reorder(&tx, ctx.course.id, &ids).await?;
    audit::record(
        &tx,
        actor,
        "course.material.order",
        "course",
        Some(ctx.course.id),
        serde_json::json!({"material_id": m.id, "order": ids}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// Whether the actor sees a course's delegate-only materials: its organizers and check-in
/// staff, and its active delegates (signed in to their account, or holding their personal
/// link: `delegate` is the one the link opened, already checked by `by_badge`).
pub async fn sees_private(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    delegate: Option<&Delegate>,
) -> AppResult<bool> {
    if ctx.can_manage(actor) || ctx.can_check_in(actor) {
        return Ok(true);
    }
    if delegate.is_some_and(|d| d.course_id == ctx.course.id && is_active(d)) {
        return Ok(true);
    }
    let Some(uid) = actor.user_id() else {
        return Ok(false);
    };
    Ok(courses::delegates_of_user(&state.db, uid)
        .await?
        .iter()
        .any(|d| d.course_id == ctx.course.id && is_active(d)))
}

/// Whether one material is for this viewer (`private`: from [`sees_private`]).
pub fn may_see(m: &Material, private: bool) -> bool {
    m.visibility == materials::PUBLIC || private
}

/// A material as lists show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MaterialView {
    pub id: i64,
    pub title: String,
    pub note: String,
    /// "file" or "link".
    pub kind: String,
    /// "delegates" or "public".
    pub visibility: String,
    /// DOCX, ODT, PDF, PPTX or XLSX (files only).
    pub format: String,
    pub size_bytes: i64,
    /// The address of a link.
    pub url: String,
    pub session_id: Option<i64>,
    /// The session's label (day, time, topic), empty for the whole course.
    #[serde(skip)]
    pub session: String,
    /// Where the material opens: the download, or the link through the site.
    pub href: String,
    #[serde(skip)]
    pub size: String,
    pub position: i32,
}

/// "1,2 MB", "35 KB".
pub fn human_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        let tenths = bytes * 10 / (1024 * 1024);
        format!("{},{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// The materials the viewer may see, in order; `base` is where they open (the course page's
/// `/khoa-hoc/{slug}/tai-lieu` or a personal link's `/dai-bieu/{token}/tai-lieu`).
pub async fn visible_list(
    state: &AppState,
    ctx: &CourseCtx,
    private: bool,
    base: &str,
) -> AppResult<Vec<MaterialView>> {
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    Ok(materials::list(&state.db, ctx.course.id)
        .await?
        .into_iter()
        .filter(|m| may_see(m, private))
        .map(|m| view(m, &sessions, base))
        .collect())
}

pub fn view(m: Material, sessions: &[courses::Session], base: &str) -> MaterialView {
    let session = m
        .session_id
        .and_then(|id| sessions.iter().find(|s| s.id == id))
        .map(|s| {
            format!(
                "{} {} — {}",
                crate::format::fmt_date(&s.starts_at),
                crate::courses::service::fmt_time(&s.starts_at),
                s.topic
            )
        })
        .unwrap_or_default();
    MaterialView {
        href: format!("{base}/{}", m.id),
        size: if m.kind == materials::FILE {
            human_size(m.size_bytes)
        } else {
            String::new()
        },
        id: m.id,
        title: m.title,
        note: m.note,
        kind: m.kind,
        visibility: m.visibility,
        format: m.format,
        size_bytes: m.size_bytes,
        url: m.url,
        session_id: m.session_id,
        session,
        position: m.position,
    }
}

/// What a material opens to: a file's bytes with its headers, or the link to go to.
pub enum Opened {
    File {
        bytes: Vec<u8>,
        mime: &'static str,
        disposition: String,
    },
    Link(String),
}

pub async fn open(state: &AppState, m: &Material) -> AppResult<Opened> {
    if m.kind == materials::LINK {
        return Ok(Opened::Link(m.url.clone()));
    }
    let kind = Kind::parse(&m.format).ok_or(AppError::NotFound)?;
    let bytes = state
        .blobs
        .get(&m.file_sha256)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .ok_or(AppError::NotFound)?;
    Ok(Opened::File {
        bytes,
        mime: kind.mime(),
        disposition: read::disposition(&read::download_name(&m.file_name, &m.title, kind)),
    })
}
