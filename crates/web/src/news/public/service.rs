//! The readers' views of posts: list items, the post page with its photos placed, related
//! posts, feeds and the sitemap.

use hoithi_storage::entity::news::{category, photo, post};
use hoithi_storage::repo::news::{self, Filter};
use hoithi_storage::repo::{Page, contests, courses, units};

use crate::error::{AppError, AppResult};
use crate::format::{fmt_date, fmt_datetime};
use crate::news::body;
use crate::news::photos::service::{self as photos, Variant};
use crate::state::AppState;

pub const PER_PAGE: u64 = 10;

/// Escapes text for HTML and XML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A picture as readers get it: WebP beside JPEG/PNG, widths for `srcset`, the size of the
/// box, and lazy loading below the first screen.
pub fn picture_html(ph: &photo::Model, vs: &[Variant], eager: bool, sizes: &str) -> String {
    let Some(src) = photos::fallback(vs, 720) else {
        return String::new();
    };
    let webp = photos::srcset(ph, vs, "image/webp");
    let plain = photos::srcset(ph, vs, &src.mime);
    let loading = if eager {
        "fetchpriority=\"high\""
    } else {
        "loading=\"lazy\""
    };
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{sizes}\"><img src=\"{}\" srcset=\"{plain}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\" {loading} decoding=\"async\"></picture>",
        photos::url(ph, src),
        src.width,
        src.height,
        esc(&ph.alt),
    )
}

fn figure_html(ph: &photo::Model, eager: bool) -> String {
    let vs = photos::variants(ph);
    let pic = picture_html(ph, &vs, eager, "(max-width: 760px) 100vw, 720px");
    if pic.is_empty() {
        return String::new();
    }
    // The caption was sanitized when it was saved.
    let cap = if ph.caption_html.is_empty() {
        String::new()
    } else {
        format!("<figcaption>{}</figcaption>", ph.caption_html)
    };
    format!("<figure>{pic}{cap}</figure>")
}

/// The body with each placed photo where its marker is, and the others after the text.
pub fn body_with_photos(p: &post::Model, list: &[photo::Model]) -> String {
    let mut html = p.body_html.clone();
    let mut rest = String::new();
    for (i, ph) in list.iter().enumerate() {
        let marker = body::rendered_marker(i + 1);
        let fig = figure_html(ph, i == 0);
        if html.contains(&marker) {
            html = html.replacen(&marker, &fig, 1);
        } else {
            rest.push_str(&fig);
        }
    }
    html.push_str(&rest);
    html
}

/// A post in a list.
pub struct Item {
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub date: String,
    /// The cover's picture, ready to place.
    pub thumb: String,
}

pub async fn items(state: &AppState, posts: &[post::Model], thumbs: bool) -> AppResult<Vec<Item>> {
    let covers: Vec<i64> = posts.iter().filter_map(|p| p.cover_photo_id).collect();
    let pics = if thumbs && !covers.is_empty() {
        news::photos(&state.db, &posts.iter().map(|p| p.id).collect::<Vec<_>>()).await?
    } else {
        Vec::new()
    };
    Ok(posts
        .iter()
        .map(|p| Item {
            slug: p.slug.clone(),
            title: p.title.clone(),
            // Whole: a lead is short, and readers see it as written.
            lead: p.lead.clone(),
            date: p.published_at.as_ref().map(fmt_date).unwrap_or_default(),
            thumb: p
                .cover_photo_id
                .and_then(|c| pics.iter().find(|ph| ph.id == c))
                .map(|ph| picture_html(ph, &photos::variants(ph), false, "120px"))
                .unwrap_or_default(),
        })
        .collect())
}

pub async fn list(
    state: &AppState,
    filter: Filter,
    page: u64,
) -> AppResult<(Page<post::Model>, Vec<Item>)> {
    let now = hoithi_storage::time::now();
    let page = news::published(&state.db, now, filter, page, PER_PAGE).await?;
    let items = items(state, &page.items, true).await?;
    Ok((page, items))
}

/// A readable post and everything its page shows.
pub struct PostView {
    pub p: post::Model,
    pub body: String,
    pub date: String,
    pub updated: String,
    pub unit_id: i64,
    pub unit: String,
    pub categories: Vec<category::Model>,
    pub tags: Vec<String>,
    /// The contests and courses it reports: their page's address and title.
    pub reports: Vec<(String, String)>,
    /// Open Graph picture: absolute address, width, height.
    pub image: Option<(String, u32, u32)>,
    pub description: String,
    pub same_category: Vec<Item>,
    pub others: Vec<Item>,
}

/// The post at `slug` if a reader may see it (published, or scheduled and due), else 404.
pub async fn readable_post(state: &AppState, slug: &str) -> AppResult<post::Model> {
    let now = hoithi_storage::time::now();
    let p = news::post_by_slug(&state.db, slug).await?;
    if !news::is_readable(&p, now) {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

/// Everything the post page shows of a readable post (photos, categories, tags, links,
/// related posts): several queries, so built only when the page is rendered.
pub async fn post_view(state: &AppState, p: post::Model) -> AppResult<PostView> {
    let now = hoithi_storage::time::now();
    let list = news::photos(&state.db, &[p.id]).await?;
    let categories: Vec<category::Model> = news::categories_of(&state.db, &[p.id])
        .await?
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    let tags = news::tags_of(&state.db, p.id)
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect();
    let mut linked = Vec::new();
    for l in news::links_of(&state.db, p.id).await? {
        // Only what readers may open: a published contest, a course past its draft.
        if l.subject_kind == news::CONTEST
            && let Ok(k) = contests::get(&state.db, l.subject_id).await
            && k.published
        {
            linked.push((format!("/cuoc-thi/{}", k.slug), k.title));
        } else if l.subject_kind == news::COURSE
            && let Ok(k) = courses::get(&state.db, l.subject_id).await
            && k.status != hoithi_storage::status::CourseStatus::Draft
        {
            linked.push((format!("/khoa-hoc/{}", k.slug), k.title));
        }
    }
    let unit = units::get(&state.db, p.unit_id).await?;
    let image = p
        .cover_photo_id
        .and_then(|c| list.iter().find(|ph| ph.id == c))
        .and_then(|ph| {
            let vs = photos::variants(ph);
            photos::fallback(&vs, 1200).map(|v| {
                (
                    format!("{}{}", state.config.public_url, photos::url(ph, v)),
                    v.width,
                    v.height,
                )
            })
        });
    let same_category = match categories.first() {
        Some(c) => {
            let f = Filter {
                category_id: Some(c.id),
                except: Some(p.id),
                ..Default::default()
            };
            let page = news::published(&state.db, now, f, 1, 5).await?;
            items(state, &page.items, false).await?
        }
        None => Vec::new(),
    };
    let taken: Vec<String> = same_category.iter().map(|i| i.slug.clone()).collect();
    let f = Filter {
        except: Some(p.id),
        ..Default::default()
    };
    let others = items(
        state,
        &news::published(&state.db, now, f, 1, 10)
            .await?
            .items
            .into_iter()
            .filter(|o| !taken.contains(&o.slug))
            .take(5)
            .collect::<Vec<_>>(),
        false,
    )
    .await?;
    let description = if p.lead.is_empty() {
        body::excerpt(&body::plain(&p.body_html), 200)
    } else {
        body::excerpt(&p.lead, 200)
    };
    Ok(PostView {
        body: body_with_photos(&p, &list),
        date: p
            .published_at
            .as_ref()
            .map(fmt_datetime)
            .unwrap_or_default(),
        updated: fmt_datetime(&p.updated_at),
        unit_id: unit.id,
        unit: unit.name,
        categories,
        tags,
        reports: linked,
        image,
        description,
        same_category,
        others,
        p,
    })
}

/// An Atom feed of the newest posts (of a category or a unit).
pub async fn atom(
    state: &AppState,
    title: &str,
    page_path: &str,
    filter: Filter,
) -> AppResult<String> {
    let now = hoithi_storage::time::now();
    let posts = news::published(&state.db, now, filter, 1, 20).await?.items;
    let base = &state.config.public_url;
    let updated = posts
        .iter()
        .map(|p| p.updated_at)
        .max()
        .unwrap_or(now)
        .to_rfc3339();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>{base}{page_path}</id>\n<link rel=\"self\" href=\"{base}{page_path}/feed.xml\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{base}{page_path}\"/>\n<updated>{updated}</updated>\n",
        esc(title)
    );
    for p in &posts {
        let url = format!("{base}/tin/{}", p.slug);
        let published = p.published_at.unwrap_or(p.created_at).to_rfc3339();
        let author = if p.byline.is_empty() {
            "—"
        } else {
            &p.byline
        };
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{url}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n<published>{published}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<summary>{}</summary>\n<content type=\"html\">{}</content>\n</entry>\n",
            esc(&p.title),
            p.updated_at.to_rfc3339(),
            esc(author),
            esc(&p.lead),
            esc(&p.body_html),
        ));
    }
    out.push_str("</feed>\n");
    Ok(out)
}

/// `sitemap.xml`: the news pages, every category and every readable post.
pub async fn sitemap(state: &AppState) -> AppResult<String> {
    let now = hoithi_storage::time::now();
    let base = &state.config.public_url;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in ["/", "/tin-tuc", "/cuoc-thi"] {
        out.push_str(&format!("<url><loc>{base}{path}</loc></url>\n"));
    }
    for c in news::categories(&state.db, None).await? {
        out.push_str(&format!(
            "<url><loc>{base}/tin-tuc/chuyen-muc/{}</loc></url>\n",
            esc(&c.slug)
        ));
    }
    let mut page = 1;
    loop {
        let list = news::published(&state.db, now, Filter::default(), page, 500).await?;
        for p in &list.items {
            out.push_str(&format!(
                "<url><loc>{base}/tin/{}</loc><lastmod>{}</lastmod></url>\n",
                esc(&p.slug),
                p.updated_at.format("%Y-%m-%d")
            ));
        }
        if page >= list.pages() {
            break;
        }
        page += 1;
    }
    out.push_str("</urlset>\n");
    Ok(out)
}
