//! News posts, their revisions, categories, tags, photos and links to what they report.
//! Readers see a post whose status is published, or scheduled for a time already past
//! ([`visible`]); everything else is for its unit's editors.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::Page;
use crate::entity::news::{category, link, photo, post, post_category, post_tag, revision, tag};
use crate::status::{NewsStatus, PhotoStatus};
use crate::time::Timestamp;
use crate::{Conn, StorageError, StorageResult, time};

/// Link kinds, as stored in `subject_kind`.
pub const CONTEST: &str = "contest";
pub const COURSE: &str = "course";

// ---- categories and tags ----

pub async fn create_category<C: Conn>(
    db: &C,
    unit_id: i64,
    slug: &str,
    name: &str,
    position: i32,
) -> StorageResult<category::Model> {
    Ok(category::ActiveModel {
        unit_id: Set(unit_id),
        slug: Set(slug.into()),
        name: Set(name.into()),
        position: Set(position),
        created_at: Set(time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Categories of the given units (`None`: of every unit), in their order.
pub async fn categories<C: Conn>(
    db: &C,
    unit_ids: Option<&[i64]>,
) -> StorageResult<Vec<category::Model>> {
    let mut q = category::Entity::find();
    if let Some(ids) = unit_ids {
        q = q.filter(category::Column::UnitId.is_in(ids.to_vec()));
    }
    Ok(q.order_by_asc(category::Column::UnitId)
        .order_by_asc(category::Column::Position)
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?)
}

pub async fn category_by_slug<C: Conn>(db: &C, slug: &str) -> StorageResult<category::Model> {
    category::Entity::find()
        .filter(category::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn category_slug_taken<C: Conn>(db: &C, slug: &str) -> StorageResult<bool> {
    Ok(category_by_slug(db, slug).await.is_ok())
}

/// The tags named, created where missing; (slug, name) pairs in, ids out.
pub async fn ensure_tags<C: Conn>(db: &C, tags: &[(String, String)]) -> StorageResult<Vec<i64>> {
    let mut ids = Vec::new();
    for (slug, name) in tags {
        let found = tag::Entity::find()
            .filter(tag::Column::Slug.eq(slug.as_str()))
            .one(db)
            .await?;
        let id = match found {
            Some(t) => t.id,
            None => {
                tag::ActiveModel {
                    slug: Set(slug.clone()),
                    name: Set(name.clone()),
                    ..Default::default()
                }
                .insert(db)
                .await?
                .id
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

// ---- posts ----

#[derive(Debug, Clone)]
pub struct PostFields {
    pub title: String,
    pub lead: String,
    pub body: String,
    pub body_html: String,
    pub byline: String,
    pub source_unit: String,
}

pub async fn create_post<C: Conn>(
    db: &C,
    unit_id: i64,
    slug: &str,
    f: PostFields,
    created_by: Option<i64>,
) -> StorageResult<post::Model> {
    let now = time::now();
    Ok(post::ActiveModel {
        unit_id: Set(unit_id),
        slug: Set(slug.into()),
        title: Set(f.title),
        lead: Set(f.lead),
        body: Set(f.body),
        body_html: Set(f.body_html),
        byline: Set(f.byline),
        source_unit: Set(f.source_unit),
        status: Set(NewsStatus::Draft),
        cover_photo_id: Set(None),
        revision: Set(0),
        published_at: Set(None),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn post<C: Conn>(db: &C, id: i64) -> StorageResult<post::Model> {
    post::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn post_by_slug<C: Conn>(db: &C, slug: &str) -> StorageResult<post::Model> {
    post::Entity::find()
        .filter(post::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn post_slug_taken<C: Conn>(db: &C, slug: &str) -> StorageResult<bool> {
    Ok(post_by_slug(db, slug).await.is_ok())
}

/// Saves new text into a post and keeps it as revision number `post.revision + 1`.
pub async fn save_post<C: Conn>(
    db: &C,
    id: i64,
    f: PostFields,
    author: Option<i64>,
) -> StorageResult<post::Model> {
    super::lock_row(db, "news_posts", id).await?;
    let p = post(db, id).await?;
    let number = p.revision + 1;
    revision::ActiveModel {
        post_id: Set(id),
        number: Set(number),
        title: Set(f.title.clone()),
        lead: Set(f.lead.clone()),
        body: Set(f.body.clone()),
        byline: Set(f.byline.clone()),
        author_id: Set(author),
        created_at: Set(time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut am: post::ActiveModel = p.into();
    am.title = Set(f.title);
    am.lead = Set(f.lead);
    am.body = Set(f.body);
    am.body_html = Set(f.body_html);
    am.byline = Set(f.byline);
    am.source_unit = Set(f.source_unit);
    am.revision = Set(number);
    am.updated_at = Set(next_stamp(db).await?);
    Ok(am.update(db).await?)
}

/// Moves a post to `status`; `published_at` is set when given (publishing, scheduling).
pub async fn set_status<C: Conn>(
    db: &C,
    id: i64,
    status: NewsStatus,
    published_at: Option<Timestamp>,
) -> StorageResult<post::Model> {
    super::lock_row(db, "news_posts", id).await?;
    let p = post(db, id).await?;
    let mut am: post::ActiveModel = p.into();
    am.status = Set(status);
    if let Some(at) = published_at {
        am.published_at = Set(Some(at));
    }
    am.updated_at = Set(next_stamp(db).await?);
    Ok(am.update(db).await?)
}

pub async fn set_cover<C: Conn>(db: &C, id: i64, photo_id: Option<i64>) -> StorageResult<()> {
    let p = post(db, id).await?;
    let mut am: post::ActiveModel = p.into();
    am.cover_photo_id = Set(photo_id);
    am.updated_at = Set(next_stamp(db).await?);
    am.update(db).await?;
    Ok(())
}

/// The `updated_at` of a change: now, or one second after the newest change when that is not
/// earlier. Times are kept to the second and the readers' cache is validated by the newest
/// `updated_at`, so two changes within one second must not share a stamp, or the second one
/// would never reach readers (a photo's copies made in the second its post was saved).
async fn next_stamp<C: Conn>(db: &C) -> StorageResult<Timestamp> {
    let top: Option<Option<Timestamp>> = post::Entity::find()
        .select_only()
        .column_as(post::Column::UpdatedAt.max(), "top")
        .into_tuple()
        .one(db)
        .await?;
    let now = time::now();
    Ok(match top.flatten() {
        Some(t) if t >= now => t + chrono::Duration::seconds(1),
        _ => now,
    })
}

/// Marks a post changed (a photo added or captioned) so that cached pages are renewed.
pub async fn touch<C: Conn>(db: &C, id: i64) -> StorageResult<()> {
    let stamp = next_stamp(db).await?;
    post::Entity::update_many()
        .col_expr(post::Column::UpdatedAt, Expr::value(stamp))
        .filter(post::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether readers may see `p` now: the row-by-row form of [`visible`].
pub fn is_readable(p: &post::Model, now: Timestamp) -> bool {
    matches!(p.status, NewsStatus::Published | NewsStatus::Scheduled)
        && p.published_at.is_some_and(|t| t <= now)
}

/// The status a person should be told at `now`: a scheduled post whose time has come is
/// published (nothing rewrites the row; [`visible`] already shows it to readers).
pub fn status_at(p: &post::Model, now: Timestamp) -> NewsStatus {
    if p.status == NewsStatus::Scheduled && is_readable(p, now) {
        NewsStatus::Published
    } else {
        p.status
    }
}

/// Posts readers may see at `now`.
pub fn visible(now: Timestamp) -> Condition {
    Condition::all()
        .add(post::Column::Status.is_in([NewsStatus::Published, NewsStatus::Scheduled]))
        .add(post::Column::PublishedAt.lte(now))
}

/// What a public list is filtered on.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub category_id: Option<i64>,
    pub unit_id: Option<i64>,
    /// Leave this post out ("other news" below a post).
    pub except: Option<i64>,
}

/// Published posts, newest first, one page (from 1).
pub async fn published<C: Conn>(
    db: &C,
    now: Timestamp,
    filter: Filter,
    page: u64,
    per_page: u64,
) -> StorageResult<Page<post::Model>> {
    let mut q = post::Entity::find().filter(visible(now));
    if let Some(c) = filter.category_id {
        q = q.filter(
            post::Column::Id.in_subquery(
                Query::select()
                    .column(post_category::Column::PostId)
                    .from(post_category::Entity)
                    .and_where(post_category::Column::CategoryId.eq(c))
                    .to_owned(),
            ),
        );
    }
    if let Some(u) = filter.unit_id {
        q = q.filter(post::Column::UnitId.eq(u));
    }
    if let Some(x) = filter.except {
        q = q.filter(post::Column::Id.ne(x));
    }
    let paginator = q
        .order_by_desc(post::Column::PublishedAt)
        .order_by_desc(post::Column::Id)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    // A page number from the address is kept within the pages there are (an absurd one would
    // overflow the offset).
    let page = page.clamp(1, total.div_ceil(per_page.max(1)).max(1));
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// Posts of the given units (`None`: every unit), latest change first, for editors.
pub async fn for_units<C: Conn>(
    db: &C,
    unit_ids: Option<&[i64]>,
    status: Option<NewsStatus>,
    limit: u64,
) -> StorageResult<Vec<post::Model>> {
    let mut q = post::Entity::find();
    if let Some(ids) = unit_ids {
        q = q.filter(post::Column::UnitId.is_in(ids.to_vec()));
    }
    if let Some(s) = status {
        q = q.filter(post::Column::Status.eq(s));
    }
    Ok(q.order_by_desc(post::Column::UpdatedAt)
        .order_by_desc(post::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Posts with ids above `after`, in id order (search rebuild).
pub async fn batch_after<C: Conn>(
    db: &C,
    after: i64,
    limit: u64,
) -> StorageResult<Vec<post::Model>> {
    Ok(post::Entity::find()
        .filter(post::Column::Id.gt(after))
        .order_by_asc(post::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

pub async fn count_posts<C: Conn>(db: &C) -> StorageResult<u64> {
    Ok(post::Entity::find().count(db).await?)
}

// ---- categories and tags of posts ----

pub async fn set_categories<C: Conn>(db: &C, post_id: i64, ids: &[i64]) -> StorageResult<()> {
    post_category::Entity::delete_many()
        .filter(post_category::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    for id in ids {
        post_category::ActiveModel {
            post_id: Set(post_id),
            category_id: Set(*id),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The categories of these posts, as (post id, category).
pub async fn categories_of<C: Conn>(
    db: &C,
    post_ids: &[i64],
) -> StorageResult<Vec<(i64, category::Model)>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let links = post_category::Entity::find()
        .filter(post_category::Column::PostId.is_in(post_ids.to_vec()))
        .order_by_asc(post_category::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = links.iter().map(|l| l.category_id).collect();
    let cats = category::Entity::find()
        .filter(category::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(links
        .into_iter()
        .filter_map(|l| {
            cats.iter()
                .find(|c| c.id == l.category_id)
                .map(|c| (l.post_id, c.clone()))
        })
        .collect())
}

pub async fn set_tags<C: Conn>(db: &C, post_id: i64, ids: &[i64]) -> StorageResult<()> {
    post_tag::Entity::delete_many()
        .filter(post_tag::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    for id in ids {
        post_tag::ActiveModel {
            post_id: Set(post_id),
            tag_id: Set(*id),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn tags_of<C: Conn>(db: &C, post_id: i64) -> StorageResult<Vec<tag::Model>> {
    let ids: Vec<i64> = post_tag::Entity::find()
        .filter(post_tag::Column::PostId.eq(post_id))
        .order_by_asc(post_tag::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.tag_id)
        .collect();
    let mut tags = tag::Entity::find()
        .filter(tag::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    tags.sort_by_key(|t| ids.iter().position(|i| *i == t.id));
    Ok(tags)
}

// ---- revisions ----

pub async fn revisions<C: Conn>(db: &C, post_id: i64) -> StorageResult<Vec<revision::Model>> {
    Ok(revision::Entity::find()
        .filter(revision::Column::PostId.eq(post_id))
        .order_by_desc(revision::Column::Number)
        .all(db)
        .await?)
}

// ---- links to contests and courses ----

pub async fn set_links<C: Conn>(
    db: &C,
    post_id: i64,
    kind: &str,
    ids: &[i64],
) -> StorageResult<()> {
    link::Entity::delete_many()
        .filter(link::Column::PostId.eq(post_id))
        .filter(link::Column::SubjectKind.eq(kind))
        .exec(db)
        .await?;
    for id in ids {
        link::ActiveModel {
            post_id: Set(post_id),
            subject_kind: Set(kind.into()),
            subject_id: Set(*id),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn links_of<C: Conn>(db: &C, post_id: i64) -> StorageResult<Vec<link::Model>> {
    Ok(link::Entity::find()
        .filter(link::Column::PostId.eq(post_id))
        .order_by_asc(link::Column::Id)
        .all(db)
        .await?)
}

/// Readable posts that report one contest or course, newest first.
pub async fn posts_about<C: Conn>(
    db: &C,
    now: Timestamp,
    kind: &str,
    subject_id: i64,
    limit: u64,
) -> StorageResult<Vec<post::Model>> {
    Ok(post::Entity::find()
        .filter(visible(now))
        .filter(
            post::Column::Id.in_subquery(
                Query::select()
                    .column(link::Column::PostId)
                    .from(link::Entity)
                    .and_where(link::Column::SubjectKind.eq(kind))
                    .and_where(link::Column::SubjectId.eq(subject_id))
                    .to_owned(),
            ),
        )
        .order_by_desc(post::Column::PublishedAt)
        .limit(limit)
        .all(db)
        .await?)
}

// ---- photos ----

#[derive(Debug, Clone)]
pub struct NewPhoto {
    pub post_id: i64,
    pub sha256: String,
    pub mime: String,
    pub width: i32,
    pub height: i32,
    pub caption: String,
    pub caption_html: String,
    pub alt: String,
}

pub async fn add_photo<C: Conn>(db: &C, p: NewPhoto) -> StorageResult<photo::Model> {
    let position = photo::Entity::find()
        .filter(photo::Column::PostId.eq(p.post_id))
        .count(db)
        .await? as i32;
    Ok(photo::ActiveModel {
        post_id: Set(p.post_id),
        position: Set(position),
        sha256: Set(p.sha256),
        mime: Set(p.mime),
        width: Set(p.width),
        height: Set(p.height),
        caption: Set(p.caption),
        caption_html: Set(p.caption_html),
        alt: Set(p.alt),
        variants: Set("[]".into()),
        status: Set(PhotoStatus::Pending),
        created_at: Set(time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn photo<C: Conn>(db: &C, id: i64) -> StorageResult<photo::Model> {
    photo::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn photos<C: Conn>(db: &C, post_ids: &[i64]) -> StorageResult<Vec<photo::Model>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(photo::Entity::find()
        .filter(photo::Column::PostId.is_in(post_ids.to_vec()))
        .order_by_asc(photo::Column::PostId)
        .order_by_asc(photo::Column::Position)
        .order_by_asc(photo::Column::Id)
        .all(db)
        .await?)
}

pub async fn set_caption<C: Conn>(
    db: &C,
    id: i64,
    caption: String,
    caption_html: String,
    alt: String,
) -> StorageResult<photo::Model> {
    let p = photo(db, id).await?;
    let mut am: photo::ActiveModel = p.into();
    am.caption = Set(caption);
    am.caption_html = Set(caption_html);
    am.alt = Set(alt);
    Ok(am.update(db).await?)
}

/// Stores the resized copies of a photo (JSON) and marks it ready.
pub async fn set_variants<C: Conn>(db: &C, id: i64, variants: String) -> StorageResult<()> {
    let p = photo(db, id).await?;
    let mut am: photo::ActiveModel = p.into();
    am.variants = Set(variants);
    am.status = Set(PhotoStatus::Ready);
    am.update(db).await?;
    Ok(())
}

pub async fn delete_photo<C: Conn>(db: &C, id: i64) -> StorageResult<()> {
    photo::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// What changes when anything a reader sees changes: the number of readable posts, and the
/// latest change and publication among them (cache keys of the public pages).
pub async fn fingerprint<C: Conn>(
    db: &C,
    now: Timestamp,
) -> StorageResult<(u64, Option<Timestamp>, Option<Timestamp>)> {
    // One query, three aggregates: this runs on every public news request.
    let row: Option<(i64, Option<Timestamp>, Option<Timestamp>)> = post::Entity::find()
        .select_only()
        .column_as(post::Column::Id.count(), "n")
        .column_as(post::Column::UpdatedAt.max(), "changed")
        .column_as(post::Column::PublishedAt.max(), "published")
        .filter(visible(now))
        .into_tuple()
        .one(db)
        .await?;
    let (count, changed, published) = row.unwrap_or((0, None, None));
    Ok((count.max(0) as u64, changed, published))
}
