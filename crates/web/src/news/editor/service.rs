//! Writing and approving posts. Every save keeps a revision; a post moves draft → awaiting
//! approval → published (or scheduled) → unpublished, and only an approver of its unit
//! publishes (`policy::Action::PublishNews`). Each action is one transaction with its audit
//! record and the search update queued in it.

use chrono::{DateTime, Utc};
use hoithi_storage::entity::news::post;
use hoithi_storage::repo::news::{self, PostFields};
use hoithi_storage::repo::units;
use hoithi_storage::status::NewsStatus;
use serde::Deserialize;

use crate::audit;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::jobs::{self, Job};
use crate::news::body;
use crate::policy::{Action, Actor, Reach, Resource, can, reach};
use crate::search::DocRef;
use crate::search::kinds::DocKind;
use crate::state::AppState;

/// What an editor types, from a form or the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PostInput {
    #[serde(default)]
    pub unit_id: i64,
    #[serde(default)]
    pub title: String,
    /// The lead (sapo), plain text.
    #[serde(default)]
    pub lead: String,
    /// Markdown-like text; `[[anh N]]` on its own line places photo N.
    #[serde(default)]
    pub body: String,
    /// The author's name as printed.
    #[serde(default)]
    pub byline: String,
    #[serde(default)]
    pub source_unit: String,
    #[serde(default)]
    pub categories: Vec<i64>,
    /// Tags, separated by commas.
    #[serde(default)]
    pub tags: String,
    /// Contests the post reports, by id.
    #[serde(default)]
    pub contests: Vec<i64>,
    /// Courses the post reports, by id.
    #[serde(default)]
    pub courses: Vec<i64>,
}

fn bad(vi: &'static str, en: &'static str) -> AppError {
    AppError::bad(vi, en)
}

/// An optional line as its writer typed it (only invisible repairs), within `max` characters.
fn clean_line(s: &str, max: usize, vi: &'static str, en: &'static str) -> AppResult<String> {
    let s = crate::validate::clean_line(&hoithi_text::normalize::as_written(s));
    if s.chars().count() > max {
        return Err(AppError::BadRequest(Msg::owned(
            format!("{vi} quá dài (tối đa {max} ký tự)."),
            format!("The {en} is too long (at most {max} characters)."),
        )));
    }
    Ok(s)
}

/// Checks and cleans what was typed; the HTML is made here, before anything is stored.
fn fields(input: &PostInput) -> AppResult<PostFields> {
    let title = clean_line(&input.title, 300, "Tiêu đề", "title")?;
    if title.is_empty() {
        return Err(bad("Vui lòng nhập tiêu đề.", "Please enter a title."));
    }
    let lead = clean_line(&input.lead, 1000, "Sapo", "lead")?;
    let text = hoithi_text::normalize::as_written(&input.body);
    if text.chars().count() > 200_000 {
        return Err(bad(
            "Nội dung quá dài (tối đa 200.000 ký tự).",
            "The text is too long (at most 200,000 characters).",
        ));
    }
    if text.trim().is_empty() {
        return Err(bad("Vui lòng nhập nội dung bài.", "Please enter the text."));
    }
    Ok(PostFields {
        title,
        lead,
        body_html: body::render(&text),
        body: text,
        byline: clean_line(&input.byline, 150, "Tên tác giả", "byline")?,
        source_unit: clean_line(&input.source_unit, 200, "Đơn vị nguồn", "source unit")?,
    })
}

fn tags(input: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for t in input.split([',', ';']) {
        let name = hoithi_text::normalize::as_written(t).trim().to_string();
        let slug = crate::contests::service::slugify(&name);
        if !slug.is_empty() && name.chars().count() <= 60 && !out.iter().any(|(s, _)| *s == slug) {
            out.push((slug, name));
        }
    }
    out.truncate(12);
    out
}

/// The categories a post of `unit_id` may be filed under: those of its unit and the units
/// above it.
pub async fn allowed_categories(
    state: &AppState,
    unit_id: i64,
) -> AppResult<Vec<hoithi_storage::entity::news::category::Model>> {
    let unit = units::get(&state.db, unit_id).await?;
    let ids: Vec<i64> = unit.path.ids().collect();
    Ok(news::categories(&state.db, Some(&ids)).await?)
}

async fn unit_path(state: &AppState, unit_id: i64) -> AppResult<hoithi_storage::types::UnitPath> {
    match units::get(&state.db, unit_id).await {
        Ok(u) => Ok(u.path),
        Err(hoithi_storage::StorageError::NotFound) => Err(bad(
            "Vui lòng chọn đơn vị của bài.",
            "Please choose the post's unit.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// A post its caller may write (edit, send for approval, add photos to); others are refused.
pub async fn editable(state: &AppState, actor: &Actor, id: i64) -> AppResult<post::Model> {
    let p = news::post(&state.db, id).await?;
    let path = units::get(&state.db, p.unit_id).await?.path;
    if !can(actor, Action::WriteNews, Resource::Unit { path: &path }) {
        return Err(AppError::Forbidden);
    }
    Ok(p)
}

/// Whether `actor` may publish posts of this post's unit.
pub async fn may_publish(state: &AppState, actor: &Actor, p: &post::Model) -> AppResult<bool> {
    let path = units::get(&state.db, p.unit_id).await?.path;
    Ok(can(
        actor,
        Action::PublishNews,
        Resource::Unit { path: &path },
    ))
}

async fn check_links<C: hoithi_storage::Conn>(
    conn: &C,
    state: &AppState,
    input: &PostInput,
) -> AppResult<()> {
    let allowed: Vec<i64> = allowed_categories(state, input.unit_id)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if input.categories.iter().any(|c| !allowed.contains(c)) {
        return Err(bad(
            "Chuyên mục không thuộc đơn vị của bài.",
            "A category does not belong to the post's unit.",
        ));
    }
    for c in &input.contests {
        if hoithi_storage::repo::contests::get(conn, *c).await.is_err() {
            return Err(bad("Không tìm thấy cuộc thi.", "Contest not found."));
        }
    }
    for c in &input.courses {
        if hoithi_storage::repo::courses::get(conn, *c).await.is_err() {
            return Err(bad("Không tìm thấy lớp học.", "Course not found."));
        }
    }
    Ok(())
}

async fn save_relations<C: hoithi_storage::Conn>(
    tx: &C,
    post_id: i64,
    input: &PostInput,
) -> AppResult<()> {
    // Each category once, in the order given (a repeated id would break the unique index).
    let mut cats: Vec<i64> = Vec::new();
    for c in &input.categories {
        if !cats.contains(c) {
            cats.push(*c);
        }
    }
    news::set_categories(tx, post_id, &cats).await?;
    let tag_ids = news::ensure_tags(tx, &tags(&input.tags)).await?;
    news::set_tags(tx, post_id, &tag_ids).await?;
    let mut contests = input.contests.clone();
    contests.sort_unstable();
    contests.dedup();
    news::set_links(tx, post_id, news::CONTEST, &contests).await?;
    let mut courses = input.courses.clone();
    courses.sort_unstable();
    courses.dedup();
    news::set_links(tx, post_id, news::COURSE, &courses).await?;
    Ok(())
}

async fn free_slug(state: &AppState, title: &str) -> AppResult<String> {
    let mut base = crate::contests::service::slugify(title);
    if base.is_empty() {
        base = "tin".into();
    }
    let mut slug = base.clone();
    let mut n = 2;
    while news::post_slug_taken(&state.db, &slug).await? {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

/// Writes a new draft (revision 1).
pub async fn create(state: &AppState, actor: &Actor, input: PostInput) -> AppResult<post::Model> {
    let new = prepare(state, actor, &input).await?;
    let tx = state.db.write().await?;
    let p = write_new(&tx, actor, &input, new).await?;
    hoithi_storage::commit(tx).await?;
    Ok(p)
}

/// A new post checked and given its slug, not yet written.
pub struct NewPost {
    fields: news::PostFields,
    slug: String,
}

/// Everything `create` checks before it writes: rights, fields, links, a free slug.
pub async fn prepare(state: &AppState, actor: &Actor, input: &PostInput) -> AppResult<NewPost> {
    if reach(actor, Action::WriteNews) == Reach::Nowhere {
        return Err(AppError::Forbidden);
    }
    let path = unit_path(state, input.unit_id).await?;
    if !can(actor, Action::WriteNews, Resource::Unit { path: &path }) {
        return Err(AppError::Forbidden);
    }
    let fields = fields(input)?;
    check_links(&state.db, state, input).await?;
    let slug = free_slug(state, &fields.title).await?;
    Ok(NewPost { fields, slug })
}

/// Writes a prepared post and its audit record inside `tx`; the caller commits (an import adds
/// its pictures in the same transaction).
pub async fn write_new<C: hoithi_storage::Conn>(
    tx: &C,
    actor: &Actor,
    input: &PostInput,
    new: NewPost,
) -> AppResult<post::Model> {
    let mut empty = new.fields.clone();
    empty.body.clear();
    empty.body_html.clear();
    let p = news::create_post(tx, input.unit_id, &new.slug, empty, actor.user_id()).await?;
    let p = news::save_post(tx, p.id, new.fields, actor.user_id()).await?;
    save_relations(tx, p.id, input).await?;
    audit::record(
        tx,
        actor,
        "news.create",
        "news_post",
        Some(p.id),
        serde_json::json!({ "title": p.title, "unit_id": p.unit_id }),
    )
    .await?;
    Ok(p)
}

/// Saves an edit as a new revision; a published post stays published with the new text.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: i64,
    mut input: PostInput,
) -> AppResult<post::Model> {
    let old = editable(state, actor, id).await?;
    // The unit of a post does not change by editing it.
    input.unit_id = old.unit_id;
    let f = fields(&input)?;
    check_links(&state.db, state, &input).await?;
    let tx = state.db.write().await?;
    let p = news::save_post(&tx, id, f, actor.user_id()).await?;
    save_relations(&tx, id, &input).await?;
    audit::record(
        &tx,
        actor,
        "news.edit",
        "news_post",
        Some(id),
        serde_json::json!({ "revision": p.revision }),
    )
    .await?;
    jobs::enqueue(&tx, Job::SearchIndex(DocRef::new(DocKind::NewsPost, id))).await?;
    hoithi_storage::commit(tx).await?;
    Ok(p)
}

async fn move_to(
    state: &AppState,
    actor: &Actor,
    p: &post::Model,
    to: NewsStatus,
    at: Option<DateTime<Utc>>,
    action: &str,
) -> AppResult<post::Model> {
    let tx = state.db.write().await?;
    let moved = news::set_status(&tx, p.id, to, at).await?;
    audit::record(
        &tx,
        actor,
        action,
        "news_post",
        Some(p.id),
        serde_json::json!({ "from": p.status.as_str(), "to": to.as_str() }),
    )
    .await?;
    jobs::enqueue(&tx, Job::SearchIndex(DocRef::new(DocKind::NewsPost, p.id))).await?;
    hoithi_storage::commit(tx).await?;
    Ok(moved)
}

/// Sends a draft (or a post taken down) to the unit's approvers.
pub async fn submit(state: &AppState, actor: &Actor, id: i64) -> AppResult<post::Model> {
    let p = editable(state, actor, id).await?;
    if !matches!(p.status, NewsStatus::Draft | NewsStatus::Unpublished) {
        return Err(AppError::Conflict(Msg::new(
            "Bài không ở trạng thái nháp.",
            "The post is not a draft.",
        )));
    }
    move_to(
        state,
        actor,
        &p,
        NewsStatus::AwaitingApproval,
        None,
        "news.submit",
    )
    .await
}

/// Publishes now, or schedules for `at` when it is in the future. Every photo needs its alt
/// text first.
pub async fn publish(
    state: &AppState,
    actor: &Actor,
    id: i64,
    at: Option<DateTime<Utc>>,
) -> AppResult<post::Model> {
    let p = news::post(&state.db, id).await?;
    if !may_publish(state, actor, &p).await? {
        return Err(AppError::Forbidden);
    }
    let photos = news::photos(&state.db, &[id]).await?;
    if photos.iter().any(|ph| ph.alt.trim().is_empty()) {
        return Err(bad(
            "Mỗi ảnh cần có mô tả thay thế (alt) trước khi đăng.",
            "Every photo needs its alt text before publishing.",
        ));
    }
    let now = hoithi_storage::time::now();
    let (to, when) = match at {
        Some(t) if t > now => (NewsStatus::Scheduled, t),
        _ => (NewsStatus::Published, now),
    };
    move_to(state, actor, &p, to, Some(when), "news.publish").await
}

/// Takes a published or scheduled post down.
pub async fn unpublish(state: &AppState, actor: &Actor, id: i64) -> AppResult<post::Model> {
    let p = news::post(&state.db, id).await?;
    if !may_publish(state, actor, &p).await? {
        return Err(AppError::Forbidden);
    }
    move_to(
        state,
        actor,
        &p,
        NewsStatus::Unpublished,
        None,
        "news.unpublish",
    )
    .await
}

/// Sends a post awaiting approval back to its editors.
pub async fn send_back(state: &AppState, actor: &Actor, id: i64) -> AppResult<post::Model> {
    let p = news::post(&state.db, id).await?;
    if !may_publish(state, actor, &p).await? {
        return Err(AppError::Forbidden);
    }
    move_to(state, actor, &p, NewsStatus::Draft, None, "news.send_back").await
}

/// A line of a diff between two revisions: kept, removed or added.
pub struct DiffLine {
    pub tag: &'static str,
    pub text: String,
}

/// A readable diff between two texts, by line (a paragraph of a post is one line).
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .filter(|c| !c.value().trim().is_empty())
        .map(|c| DiffLine {
            tag: match c.tag() {
                ChangeTag::Equal => "same",
                ChangeTag::Delete => "del",
                ChangeTag::Insert => "ins",
            },
            text: c.value().trim_end().to_string(),
        })
        .collect()
}

/// Adds a category to a unit.
pub async fn create_category(
    state: &AppState,
    actor: &Actor,
    unit_id: i64,
    name: &str,
) -> AppResult<hoithi_storage::entity::news::category::Model> {
    if reach(actor, Action::ManageNewsCategories) == Reach::Nowhere {
        return Err(AppError::Forbidden);
    }
    let unit = units::get(&state.db, unit_id)
        .await
        .map_err(|_| bad("Vui lòng chọn đơn vị.", "Please choose a unit."))?;
    if !can(
        actor,
        Action::ManageNewsCategories,
        Resource::Unit { path: &unit.path },
    ) {
        return Err(AppError::Forbidden);
    }
    let name = clean_line(name, 120, "Tên chuyên mục", "category name")?;
    if name.is_empty() {
        return Err(bad(
            "Vui lòng nhập tên chuyên mục.",
            "Please enter the category's name.",
        ));
    }
    let base = crate::contests::service::slugify(&name);
    let mut slug = base.clone();
    if news::category_slug_taken(&state.db, &slug).await? {
        slug = format!("{base}-{}", crate::contests::service::slugify(&unit.code));
    }
    let mut n = 2;
    while news::category_slug_taken(&state.db, &slug).await? {
        slug = format!("{base}-{n}");
        n += 1;
    }
    let position = news::categories(&state.db, Some(&[unit_id])).await?.len() as i32;
    let tx = state.db.write().await?;
    let c = news::create_category(&tx, unit_id, &slug, &name, position).await?;
    audit::record(
        &tx,
        actor,
        "news.category",
        "news_category",
        Some(c.id),
        serde_json::json!({ "name": c.name, "unit_id": unit_id }),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_split_folded_and_deduplicated() {
        let t = tags("Hàm Yên, hàm yên; Bồi dưỡng ,  ");
        assert_eq!(
            t,
            vec![
                ("ham-yen".to_string(), "Hàm Yên".to_string()),
                ("boi-duong".to_string(), "Bồi dưỡng".to_string())
            ]
        );
    }

    #[test]
    fn a_diff_marks_removed_and_added_paragraphs() {
        let d = diff("Một.\n\nHai.\n", "Một.\n\nBa.\n");
        let tags: Vec<_> = d.iter().map(|l| (l.tag, l.text.as_str())).collect();
        assert_eq!(
            tags,
            vec![("same", "Một."), ("del", "Hai."), ("ins", "Ba.")]
        );
    }
}
