use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hoithi_storage::entity::unit::Model as Unit;
use hoithi_storage::repo::units;
use serde::Deserialize;

use super::import::{self, RowError};
use super::service::{self, UnitInput};
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::Empty;
use crate::i18n::Lang;
use crate::pages::{Chrome, html, ok_html, see_other};
use crate::policy::{Action, Resource, can};
use crate::state::AppState;

pub struct Row {
    id: i64,
    code: String,
    name: String,
    kind: &'static str,
    indent: i32,
    headcount: String,
}

pub struct KindOption {
    code: &'static str,
    label: &'static str,
    selected: bool,
}

pub struct ParentOption {
    id: i64,
    label: String,
    selected: bool,
}

fn rows(list: &[Unit], lang: Lang) -> Vec<Row> {
    // Depth-first order under each root, siblings in Vietnamese name order.
    let min_depth = list.iter().map(|u| u.depth).min().unwrap_or(0);
    let mut out = Vec::with_capacity(list.len());
    fn walk(
        list: &[Unit],
        parent: Option<i64>,
        roots: bool,
        min: i32,
        lang: Lang,
        out: &mut Vec<Row>,
    ) {
        let mut kids: Vec<&Unit> = list
            .iter()
            .filter(|u| {
                if roots {
                    !list.iter().any(|p| Some(p.id) == u.parent_id)
                } else {
                    u.parent_id == parent
                }
            })
            .collect();
        kids.sort_by(|a, b| a.name_key.cmp(&b.name_key));
        for u in kids {
            out.push(Row {
                id: u.id,
                code: u.code.clone(),
                name: u.name.clone(),
                kind: super::kind_label(&u.kind, lang),
                indent: u.depth - min,
                headcount: u.headcount.map(|h| h.to_string()).unwrap_or_default(),
            });
            walk(list, Some(u.id), false, min, lang, out);
        }
    }
    walk(list, None, true, min_depth, lang, &mut out);
    out
}

fn kind_options(lang: Lang, selected: &str) -> Vec<KindOption> {
    super::KINDS
        .iter()
        .map(|code| KindOption {
            code,
            label: super::kind_label(code, lang),
            selected: *code == selected,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "units/index.html")]
struct IndexPage {
    c: Chrome,
    rows: Vec<Row>,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct Notice {
    ok: Option<String>,
    parent: Option<i64>,
}

fn notice(c: &Chrome, ok: Option<&str>) -> Option<&'static str> {
    match ok {
        Some("created") => Some(c.t.units.created),
        Some("saved") => Some(c.t.units.saved),
        Some("deleted") => Some(c.t.units.deleted),
        _ => None,
    }
}

pub async fn index(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    let list = service::visible(&state, me.actor()).await?;
    Ok(ok_html(&IndexPage {
        rows: rows(&list, c.lang),
        notice: notice(&c, q.ok.as_deref()),
        c,
    }))
}

#[derive(Template)]
#[template(path = "units/new.html")]
struct NewPage {
    c: Chrome,
    kinds: Vec<KindOption>,
    parents: Vec<ParentOption>,
    code: String,
    name: String,
    headcount: String,
    error: Option<String>,
}

async fn parent_options(
    state: &AppState,
    me: &CurrentUser,
    selected: Option<i64>,
) -> AppResult<Vec<ParentOption>> {
    let list = service::visible(state, me.actor()).await?;
    Ok(rows(&list, Lang::Vi)
        .into_iter()
        .map(|r| ParentOption {
            selected: Some(r.id) == selected,
            label: format!("{}{} ({})", "— ".repeat(r.indent as usize), r.name, r.code),
            id: r.id,
        })
        .collect())
}

pub async fn new_form(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    let parents = parent_options(&state, &me, q.parent).await?;
    Ok(ok_html(&NewPage {
        kinds: kind_options(c.lang, "xa"),
        parents,
        code: String::new(),
        name: String::new(),
        headcount: String::new(),
        error: None,
        c,
    }))
}

#[derive(Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    headcount: String,
}

pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    CsrfForm(f): CsrfForm<UnitForm>,
) -> AppResult<Response> {
    let parent_id = f.parent_id.trim().parse::<i64>().ok();
    let result = async {
        let headcount = crate::validate::optional_count(&f.headcount)?;
        service::create(
            &state,
            me.actor(),
            UnitInput {
                code: f.code.clone(),
                name: f.name.clone(),
                kind: f.kind.clone(),
                parent_id,
                headcount,
            },
        )
        .await
    }
    .await;
    match result {
        Ok(unit) => Ok(see_other(&format!("/don-vi/{}?ok=created", unit.id))),
        Err(AppError::BadRequest(m) | AppError::Conflict(m)) => {
            let parents = parent_options(&state, &me, parent_id).await?;
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &NewPage {
                    kinds: kind_options(c.lang, &f.kind),
                    parents,
                    code: f.code,
                    name: f.name,
                    headcount: f.headcount,
                    error: Some(m.get(c.lang).to_string()),
                    c,
                },
            ))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "units/show.html")]
struct ShowPage {
    c: Chrome,
    unit: Unit,
    kinds: Vec<KindOption>,
    ancestors: Vec<(i64, String)>,
    children: Vec<Row>,
    can_delete: bool,
    error: Option<String>,
    notice: Option<&'static str>,
    /// The headcount field's text (as typed after a refused edit).
    headcount: String,
}

// The page, its status and notice, and what a refused edit typed.
#[allow(clippy::too_many_arguments)]
async fn show_page(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    unit: Unit,
    status: StatusCode,
    error: Option<String>,
    ok: Option<&str>,
    kept: Option<&UnitForm>,
) -> AppResult<Response> {
    let mut unit = unit;
    let headcount = match kept {
        // A refused edit shows what was typed, not what is stored.
        Some(f) => {
            unit.name = f.name.clone();
            unit.kind = f.kind.clone();
            f.headcount.clone()
        }
        None => unit.headcount.map(|h| h.to_string()).unwrap_or_default(),
    };
    let ancestors = units::ancestors(&state.db, &unit)
        .await?
        .into_iter()
        .filter(|a| {
            a.id != unit.id
                && can(
                    me.actor(),
                    Action::ViewUnit,
                    Resource::Unit { path: &a.path },
                )
        })
        .map(|a| (a.id, a.name))
        .collect();
    let kids = units::children(&state.db, Some(unit.id)).await?;
    let children = rows(&kids, c.lang);
    let can_delete = kids.is_empty()
        && can(
            me.actor(),
            Action::DeleteUnit,
            Resource::Unit { path: &unit.path },
        );
    Ok(html(
        status,
        &ShowPage {
            kinds: kind_options(c.lang, &unit.kind),
            notice: notice(&c, ok),
            unit,
            ancestors,
            children,
            can_delete,
            error,
            headcount,
            c,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    let unit = service::get_visible(&state, me.actor(), id).await?;
    show_page(
        &state,
        c,
        &me,
        unit,
        StatusCode::OK,
        None,
        q.ok.as_deref(),
        None,
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<UnitForm>,
) -> AppResult<Response> {
    let result = async {
        let headcount = crate::validate::optional_count(&f.headcount)?;
        service::update(
            &state,
            me.actor(),
            id,
            UnitInput {
                code: String::new(),
                name: f.name.clone(),
                kind: f.kind.clone(),
                parent_id: None,
                headcount,
            },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/don-vi/{id}?ok=saved"))),
        Err(AppError::BadRequest(m) | AppError::Conflict(m)) => {
            let unit = service::get_visible(&state, me.actor(), id).await?;
            show_page(
                &state,
                c.clone(),
                &me,
                unit,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(m.get(c.lang).to_string()),
                None,
                Some(&f),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    match service::delete(&state, me.actor(), id).await {
        Ok(()) => Ok(see_other("/don-vi?ok=deleted")),
        Err(AppError::Conflict(m)) => {
            let unit = service::get_visible(&state, me.actor(), id).await?;
            show_page(
                &state,
                c.clone(),
                &me,
                unit,
                StatusCode::CONFLICT,
                Some(m.get(c.lang).to_string()),
                None,
                None,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "units/import.html")]
struct ImportPage {
    c: Chrome,
    error: Option<String>,
    row_errors: Vec<RowError>,
    done: Option<(usize, usize)>,
}

pub async fn import_form(c: Chrome) -> Response {
    ok_html(&ImportPage {
        c,
        error: None,
        row_errors: Vec::new(),
        done: None,
    })
}

pub async fn import_submit(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    CsrfMultipart(mp): CsrfMultipart,
) -> AppResult<Response> {
    let file = crate::upload::read(mp).await?.file;
    let render = |c: Chrome, status, error, row_errors, done| {
        html(
            status,
            &ImportPage {
                c,
                error,
                row_errors,
                done,
            },
        )
    };
    let Some((name, bytes)) = file else {
        let msg = c.t.units.import_no_file;
        return Ok(render(
            c,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(msg.to_string()),
            Vec::new(),
            None,
        ));
    };
    match import::run(&state, me.actor(), &bytes, &name).await {
        Ok(Ok(outcome)) => Ok(render(
            c,
            StatusCode::OK,
            None,
            Vec::new(),
            Some((outcome.created, outcome.updated)),
        )),
        Ok(Err(errors)) => Ok(render(
            c,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            errors,
            None,
        )),
        Err(AppError::BadRequest(m)) => {
            let msg = m.get(c.lang).to_string();
            Ok(render(
                c,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(msg),
                Vec::new(),
                None,
            ))
        }
        Err(e) => Err(e),
    }
}
