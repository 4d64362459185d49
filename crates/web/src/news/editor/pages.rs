//! The editors' pages: the list of a unit's posts, the writing form (new and edit, with the
//! post's photos and its status actions), the revisions with their diff, categories, and the
//! DOCX import.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use hoithi_storage::entity::news::{category, post};
use hoithi_storage::repo::news;
use hoithi_storage::status::NewsStatus;
use serde::Deserialize;

use super::service::{self, PostInput};
use crate::access::{EditablePost, NewsDesk};
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::format::fmt_datetime;
use crate::forms::{Fields, Notice, field, form_status, or_page};
use crate::news::{status_label, units_in_reach};
use crate::pages::{Chrome, html, ok_html, see_other};
use crate::policy::Action;
use crate::state::AppState;

pub struct Row {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub awaiting: bool,
    pub unit: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "news/dashboard.html")]
struct DashboardPage {
    c: Chrome,
    rows: Vec<Row>,
    awaiting: Vec<Row>,
    can_publish: bool,
    can_categories: bool,
}

pub async fn dashboard(
    State(state): State<AppState>,
    c: Chrome,
    NewsDesk(me): NewsDesk,
) -> AppResult<Response> {
    let units = units_in_reach(&state, me.actor(), Action::WriteNews).await?;
    if units.is_empty() {
        return Err(AppError::Forbidden);
    }
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let name = |id: i64| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let now = hoithi_storage::time::now();
    let to_row = |p: post::Model| Row {
        id: p.id,
        status: status_label(c.lang, news::status_at(&p, now)).to_string(),
        awaiting: p.status == NewsStatus::AwaitingApproval,
        unit: name(p.unit_id),
        updated: fmt_datetime(&p.updated_at),
        title: p.title,
    };
    let publish_units = units_in_reach(&state, me.actor(), Action::PublishNews).await?;
    let publish_ids: Vec<i64> = publish_units.iter().map(|u| u.id).collect();
    let awaiting = if publish_ids.is_empty() {
        Vec::new()
    } else {
        news::for_units(
            &state.db,
            Some(&publish_ids),
            Some(NewsStatus::AwaitingApproval),
            200,
        )
        .await?
        .into_iter()
        .map(to_row)
        .collect()
    };
    let rows = news::for_units(&state.db, Some(&ids), None, 300)
        .await?
        .into_iter()
        .map(to_row)
        .collect();
    let can_categories = !units_in_reach(&state, me.actor(), Action::ManageNewsCategories)
        .await?
        .is_empty();
    Ok(ok_html(&DashboardPage {
        can_publish: !publish_ids.is_empty(),
        c,
        rows,
        awaiting,
        can_categories,
    }))
}

/// A choice in the form: value, label, chosen.
pub struct Choice {
    pub id: i64,
    pub label: String,
    pub checked: bool,
}

/// What the writing form shows for a post (and after a refused save, what was typed).
pub struct Draft {
    pub unit_id: i64,
    pub title: String,
    pub lead: String,
    pub body: String,
    pub byline: String,
    pub source_unit: String,
    pub tags: String,
}

pub struct PhotoRow {
    pub id: i64,
    pub n: usize,
    pub thumb: Option<String>,
    pub caption: String,
    pub alt: String,
    pub cover: bool,
    pub ready: bool,
}

#[derive(Template)]
#[template(path = "news/edit.html")]
struct EditPage {
    c: Chrome,
    /// `None` for a new post.
    post_id: Option<i64>,
    /// Where the form posts.
    action: String,
    slug: String,
    status: String,
    status_key: &'static str,
    revision: i32,
    published_at: String,
    d: Draft,
    units: Vec<Choice>,
    categories: Vec<Choice>,
    contests: Vec<Choice>,
    courses: Vec<Choice>,
    photos: Vec<PhotoRow>,
    can_publish: bool,
    error: Option<String>,
    notice: Option<&'static str>,
}

async fn choices(
    state: &AppState,
    me: &CurrentUser,
    unit_id: i64,
    cats: &[i64],
    linked: &Linked,
    fixed_unit: bool,
) -> AppResult<(Vec<Choice>, Vec<Choice>, Vec<Choice>, Vec<Choice>)> {
    let units = units_in_reach(state, me.actor(), Action::WriteNews).await?;
    let min = units.iter().map(|u| u.depth).min().unwrap_or(0);
    let units = units
        .into_iter()
        .filter(|u| !fixed_unit || u.id == unit_id)
        .map(|u| Choice {
            checked: u.id == unit_id,
            label: format!("{}{}", "— ".repeat((u.depth - min) as usize), u.name),
            id: u.id,
        })
        .collect();
    let categories = service::allowed_categories(state, unit_id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|k: category::Model| Choice {
            checked: cats.contains(&k.id),
            id: k.id,
            label: k.name,
        })
        .collect();
    let pick = |id: i64, label: String, ids: &[i64]| Choice {
        checked: ids.contains(&id),
        id,
        label,
    };
    // What a post may report: records readers can open (or already linked).
    let contests = hoithi_storage::repo::contests::all(&state.db)
        .await?
        .into_iter()
        .filter(|k| k.published || linked.contests.contains(&k.id))
        .map(|k| pick(k.id, k.title, &linked.contests))
        .collect();
    let courses = hoithi_storage::repo::courses::list(&state.db)
        .await?
        .into_iter()
        .filter(|k| {
            k.status != hoithi_storage::status::CourseStatus::Draft
                || linked.courses.contains(&k.id)
        })
        .map(|k| pick(k.id, k.title, &linked.courses))
        .collect();
    Ok((units, categories, contests, courses))
}

/// The contests and courses a post reports, by id.
#[derive(Default)]
struct Linked {
    contests: Vec<i64>,
    courses: Vec<i64>,
}

impl Linked {
    fn of(i: &PostInput) -> Self {
        Linked {
            contests: i.contests.clone(),
            courses: i.courses.clone(),
        }
    }
}

#[derive(Deserialize)]
pub struct NewQuery {
    unit: Option<i64>,
}

pub async fn new_form(
    State(state): State<AppState>,
    c: Chrome,
    NewsDesk(me): NewsDesk,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let units = units_in_reach(&state, me.actor(), Action::WriteNews).await?;
    let Some(first) = units.first() else {
        return Err(AppError::Forbidden);
    };
    let unit_id = q
        .unit
        .filter(|u| units.iter().any(|x| x.id == *u))
        .or_else(|| {
            me.actor()
                .unit_path()
                .and_then(|p| units.iter().find(|u| &u.path == p))
                .map(|u| u.id)
        })
        .unwrap_or(first.id);
    let d = Draft {
        unit_id,
        title: String::new(),
        lead: String::new(),
        body: String::new(),
        byline: me.user.full_name.clone(),
        source_unit: String::new(),
        tags: String::new(),
    };
    render_new(&state, c, &me, d, &[], &Linked::default(), None).await
}

async fn render_new(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    d: Draft,
    cats: &[i64],
    linked: &Linked,
    error: Option<String>,
) -> AppResult<Response> {
    let (units, categories, contests, courses) =
        choices(state, me, d.unit_id, cats, linked, false).await?;
    let page = EditPage {
        c,
        post_id: None,
        action: "/bien-tap/moi".into(),
        slug: String::new(),
        status: String::new(),
        status_key: "",
        revision: 0,
        published_at: String::new(),
        d,
        units,
        categories,
        contests,
        courses,
        photos: Vec::new(),
        can_publish: false,
        notice: None,
        error,
    };
    Ok(html(form_status(&page.error), &page))
}

/// The form's fields as the service's input (checkboxes repeat their name).
pub fn input_of(f: &Fields) -> PostInput {
    let ids = |name: &str| -> Vec<i64> {
        f.iter()
            .filter(|(k, _)| k == name)
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect()
    };
    PostInput {
        unit_id: field(f, "unit_id").trim().parse().unwrap_or(0),
        title: field(f, "title").into(),
        lead: field(f, "lead").into(),
        body: field(f, "body").into(),
        byline: field(f, "byline").into(),
        source_unit: field(f, "source_unit").into(),
        categories: ids("category"),
        tags: field(f, "tags").into(),
        contests: ids("contest"),
        courses: ids("course"),
    }
}

fn draft_of(i: &PostInput) -> Draft {
    Draft {
        unit_id: i.unit_id,
        title: i.title.clone(),
        lead: i.lead.clone(),
        body: i.body.clone(),
        byline: i.byline.clone(),
        source_unit: i.source_unit.clone(),
        tags: i.tags.clone(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    NewsDesk(me): NewsDesk,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let input = input_of(&f);
    let p = or_page!(
        service::create(&state, me.actor(), input.clone()).await,
        c,
        error => render_new(&state, c, &me, draft_of(&input), &input.categories, &Linked::of(&input), error).await
    );
    Ok(see_other(&format!("/bien-tap/{}?ok=luu", p.id)))
}

pub async fn render_edit(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    p: post::Model,
    typed: Option<PostInput>,
    error: Option<String>,
    notice: Option<&'static str>,
) -> AppResult<Response> {
    let (cats, linked): (Vec<i64>, Linked) = match &typed {
        Some(i) => (i.categories.clone(), Linked::of(i)),
        None => {
            let links = news::links_of(&state.db, p.id).await?;
            let of = |kind: &str| {
                links
                    .iter()
                    .filter(|l| l.subject_kind == kind)
                    .map(|l| l.subject_id)
                    .collect()
            };
            (
                news::categories_of(&state.db, &[p.id])
                    .await?
                    .into_iter()
                    .map(|(_, k)| k.id)
                    .collect(),
                Linked {
                    contests: of(news::CONTEST),
                    courses: of(news::COURSE),
                },
            )
        }
    };
    let d = match &typed {
        Some(i) => Draft {
            unit_id: p.unit_id,
            ..draft_of(i)
        },
        None => Draft {
            unit_id: p.unit_id,
            title: p.title.clone(),
            lead: p.lead.clone(),
            body: p.body.clone(),
            byline: p.byline.clone(),
            source_unit: p.source_unit.clone(),
            tags: news::tags_of(&state.db, p.id)
                .await?
                .into_iter()
                .map(|t| t.name)
                .collect::<Vec<_>>()
                .join(", "),
        },
    };
    let (units, categories, contests, courses) =
        choices(state, me, p.unit_id, &cats, &linked, true).await?;
    let photos = crate::news::photos::service::rows(state, &p).await?;
    let can_publish = service::may_publish(state, me.actor(), &p).await?;
    let status = status_label(c.lang, news::status_at(&p, hoithi_storage::time::now())).to_string();
    let page = EditPage {
        c,
        post_id: Some(p.id),
        action: format!("/bien-tap/{}", p.id),
        slug: p.slug.clone(),
        status,
        status_key: p.status.as_str(),
        revision: p.revision,
        published_at: p
            .published_at
            .as_ref()
            .map(fmt_datetime)
            .unwrap_or_default(),
        d,
        units,
        categories,
        contests,
        courses,
        photos,
        can_publish,
        error,
        notice,
    };
    Ok(html(form_status(&page.error), &page))
}

/// The notice after a redirect (`?ok=`), in the page's language.
fn notice_of(c: &Chrome, ok: Option<&str>) -> Option<&'static str> {
    let t = c.t.news;
    Some(match ok? {
        "luu" => t.saved,
        "gui" => t.sent,
        "dang" => t.published_notice,
        "hen" => t.scheduled_notice,
        "go" => t.unpublished_notice,
        "tra" => t.sent_back_notice,
        "anh" => t.photo_saved,
        _ => return None,
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    EditablePost(p): EditablePost,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_of(&c, n.ok.as_deref());
    render_edit(&state, c, &me, p, None, None, notice).await
}

pub async fn update(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    EditablePost(p): EditablePost,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let input = input_of(&f);
    let id = p.id;
    or_page!(
        service::update(&state, me.actor(), id, input.clone()).await,
        c,
        error => render_edit(&state, c, &me, p, Some(input), error, None).await
    );
    Ok(see_other(&format!("/bien-tap/{id}?ok=luu")))
}

/// Parses "dd/mm/yyyy hh:mm" (or a datetime-local value) as Vietnam time.
pub fn parse_when(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    let s = s.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%d/%m/%Y %H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .ok()?;
    chrono_tz::Asia::Ho_Chi_Minh
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// The status buttons: send for approval, publish (now or at a time), take down, send back.
pub async fn transition(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    EditablePost(p): EditablePost,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let id = p.id;
    let actor = me.actor();
    let result = match field(&f, "to") {
        "gui" => service::submit(&state, actor, id).await.map(|_| "gui"),
        "dang" => {
            let when = field(&f, "at");
            if when.trim().is_empty() {
                service::publish(&state, actor, id, None)
                    .await
                    .map(|_| "dang")
            } else {
                match parse_when(when) {
                    Some(at) => service::publish(&state, actor, id, Some(at))
                        .await
                        .map(|p| {
                            if p.status == NewsStatus::Scheduled {
                                "hen"
                            } else {
                                "dang"
                            }
                        }),
                    None => Err(AppError::bad(
                        "Thời điểm đăng không hợp lệ (dd/mm/yyyy hh:mm).",
                        "Invalid publication time (dd/mm/yyyy hh:mm).",
                    )),
                }
            }
        }
        "go" => service::unpublish(&state, actor, id).await.map(|_| "go"),
        "tra" => service::send_back(&state, actor, id).await.map(|_| "tra"),
        _ => Err(AppError::bad("Thao tác không hợp lệ.", "Unknown action.")),
    };
    let ok = or_page!(
        result,
        c,
        error => render_edit(&state, c, &me, p, None, error, None).await
    );
    Ok(see_other(&format!("/bien-tap/{id}?ok={ok}")))
}

pub struct RevisionRow {
    pub number: i32,
    pub when: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "news/revisions.html")]
struct RevisionsPage {
    c: Chrome,
    id: i64,
    title: String,
    rows: Vec<RevisionRow>,
    from: i32,
    to: i32,
    lines: Vec<service::DiffLine>,
}

#[derive(Deserialize)]
pub struct DiffQuery {
    tu: Option<i32>,
    den: Option<i32>,
}

pub async fn revisions(
    State(state): State<AppState>,
    c: Chrome,
    EditablePost(p): EditablePost,
    Query(q): Query<DiffQuery>,
) -> AppResult<Response> {
    let id = p.id;
    let revs = news::revisions(&state.db, id).await?;
    let to = q.den.unwrap_or(p.revision);
    let from = q.tu.unwrap_or(to.saturating_sub(1)).max(0);
    let text = |n: i32| {
        revs.iter()
            .find(|r| r.number == n)
            .map(|r| format!("{}\n\n{}\n\n{}\n\n{}\n", r.title, r.lead, r.body, r.byline))
            .unwrap_or_default()
    };
    let lines = service::diff(&text(from), &text(to));
    let rows = revs
        .iter()
        .map(|r| RevisionRow {
            number: r.number,
            when: fmt_datetime(&r.created_at),
            title: r.title.clone(),
        })
        .collect();
    Ok(ok_html(&RevisionsPage {
        c,
        id,
        title: p.title,
        rows,
        from,
        to,
        lines,
    }))
}

pub struct CategoryRow {
    pub slug: String,
    pub name: String,
    pub unit: String,
}

#[derive(Template)]
#[template(path = "news/categories.html")]
struct CategoriesPage {
    c: Chrome,
    rows: Vec<CategoryRow>,
    units: Vec<Choice>,
    name: String,
    error: Option<String>,
}

async fn render_categories(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    name: String,
    error: Option<String>,
) -> AppResult<Response> {
    let units = units_in_reach(state, me.actor(), Action::ManageNewsCategories).await?;
    if units.is_empty() {
        return Err(AppError::Forbidden);
    }
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let rows = news::categories(&state.db, Some(&ids))
        .await?
        .into_iter()
        .map(|k| CategoryRow {
            unit: units
                .iter()
                .find(|u| u.id == k.unit_id)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            slug: k.slug,
            name: k.name,
        })
        .collect();
    let me_path = me.actor().unit_path().cloned();
    let units = units
        .into_iter()
        .map(|u| Choice {
            checked: me_path.as_ref() == Some(&u.path),
            id: u.id,
            label: u.name,
        })
        .collect();
    let page = CategoriesPage {
        c,
        rows,
        units,
        name,
        error,
    };
    Ok(html(form_status(&page.error), &page))
}

pub async fn categories(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
) -> AppResult<Response> {
    render_categories(&state, c, &me, String::new(), None).await
}

pub async fn create_category(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let unit_id: i64 = field(&f, "unit_id").trim().parse().unwrap_or(0);
    let name = field(&f, "name").to_string();
    or_page!(
        service::create_category(&state, me.actor(), unit_id, &name).await,
        c,
        error => render_categories(&state, c, &me, name, error).await
    );
    Ok(see_other("/bien-tap/chuyen-muc"))
}

#[derive(Template)]
#[template(path = "news/import.html")]
struct ImportPage {
    c: Chrome,
    units: Vec<Choice>,
    error: Option<String>,
}

async fn render_import(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    error: Option<String>,
) -> AppResult<Response> {
    let units = units_in_reach(state, me.actor(), Action::WriteNews).await?;
    if units.is_empty() {
        return Err(AppError::Forbidden);
    }
    let me_path = me.actor().unit_path().cloned();
    let units = units
        .into_iter()
        .map(|u| Choice {
            checked: me_path.as_ref() == Some(&u.path),
            id: u.id,
            label: u.name,
        })
        .collect();
    let page = ImportPage { c, units, error };
    Ok(html(form_status(&page.error), &page))
}

pub async fn import_form(
    State(state): State<AppState>,
    c: Chrome,
    NewsDesk(me): NewsDesk,
) -> AppResult<Response> {
    render_import(&state, c, &me, None).await
}

/// A DOCX or ODT becomes a draft: its text as the body, its pictures as the post's photos.
pub async fn import(
    State(state): State<AppState>,
    c: Chrome,
    NewsDesk(me): NewsDesk,
    CsrfMultipart(mp): CsrfMultipart,
) -> AppResult<Response> {
    let form = or_page!(crate::upload::read(mp).await, c, error => render_import(&state, c, &me, error).await);
    let p = or_page!(
        crate::news::photos::service::import_document(&state, me.actor(), &form).await,
        c,
        error => render_import(&state, c, &me, error).await
    );
    Ok(see_other(&format!("/bien-tap/{}?ok=luu", p.id)))
}
