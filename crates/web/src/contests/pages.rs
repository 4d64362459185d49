use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Asia::Ho_Chi_Minh;
use hoithi_storage::repo::{contests, participation};
use serde::Deserialize;

use super::service;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::{CurrentUser, Identity};
use crate::error::{AppError, AppResult};
use crate::format::fmt_datetime;
use crate::pages::{Chrome, html, ok_html, see_other};
use crate::policy::{Action, Resource, can};
use crate::state::AppState;

pub struct ContestRow {
    slug: String,
    title: String,
    closes: String,
    open: bool,
}

#[derive(Template)]
#[template(path = "contests/index.html")]
struct IndexPage {
    c: Chrome,
    rows: Vec<ContestRow>,
    can_create: bool,
}

pub async fn index(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
) -> AppResult<Response> {
    let now = chrono::Utc::now();
    let rows = contests::published(&state.db)
        .await?
        .into_iter()
        .map(|k| ContestRow {
            open: service::is_open(&k, now),
            closes: fmt_datetime(&k.closes_at),
            slug: k.slug,
            title: k.title,
        })
        .collect();
    let can_create = can(&id.actor, Action::Administer, Resource::Site);
    Ok(ok_html(&IndexPage {
        c,
        rows,
        can_create,
    }))
}

#[derive(Template)]
#[template(path = "contests/new.html")]
struct NewPage {
    c: Chrome,
    units: Vec<(i64, String)>,
    /// What was typed, shown again after an error.
    f: ContestForm,
    error: Option<String>,
}

async fn unit_choices(state: &AppState, me: &CurrentUser) -> AppResult<Vec<(i64, String)>> {
    let list = crate::units::service::visible(state, me.actor()).await?;
    let min = list.iter().map(|u| u.depth).min().unwrap_or(0);
    Ok(list
        .into_iter()
        .map(|u| {
            (
                u.id,
                format!("{}{}", "— ".repeat((u.depth - min) as usize), u.name),
            )
        })
        .collect())
}

pub async fn new_form(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
) -> AppResult<Response> {
    let units = unit_choices(&state, &me).await?;
    Ok(ok_html(&NewPage {
        c,
        units,
        f: ContestForm::default(),
        error: None,
    }))
}

#[derive(Deserialize, Default)]
pub struct ContestForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    rules: String,
    #[serde(default)]
    organizer_unit_id: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
    /// Comma-separated unit ids, or empty for "every unit directly under the organizer".
    #[serde(default)]
    collecting: String,
}

/// Parses dd/mm/yyyy (or yyyy-mm-dd from a date picker) as a Vietnam-time instant.
pub fn parse_date(s: &str, end_of_day: bool) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.trim();
    let d = NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .ok()?;
    let t = if end_of_day {
        NaiveTime::from_hms_opt(23, 59, 59)?
    } else {
        NaiveTime::from_hms_opt(0, 0, 0)?
    };
    Ho_Chi_Minh
        .from_local_datetime(&d.and_time(t))
        .single()
        .map(|x| x.with_timezone(&chrono::Utc))
}

pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    CsrfForm(f): CsrfForm<ContestForm>,
) -> AppResult<Response> {
    let result = async {
        let title = crate::validate::required_text(
            &hoithi_text::normalize::as_written(&f.title),
            300,
            "tên cuộc thi",
            "contest title",
        )?;
        let organizer: i64 = f.organizer_unit_id.trim().parse().map_err(|_| {
            AppError::bad(
                "Vui lòng chọn đơn vị tổ chức.",
                "Please choose the organizing unit.",
            )
        })?;
        let opens = parse_date(&f.opens, false).ok_or_else(|| {
            AppError::bad(
                "Ngày mở nhận bài không hợp lệ (dd/mm/yyyy).",
                "Invalid opening date (dd/mm/yyyy).",
            )
        })?;
        let closes = parse_date(&f.closes, true).ok_or_else(|| {
            AppError::bad(
                "Hạn nhận bài không hợp lệ (dd/mm/yyyy).",
                "Invalid deadline (dd/mm/yyyy).",
            )
        })?;
        let mut collecting: Vec<i64> = f
            .collecting
            .split([',', ' '])
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        if collecting.is_empty() {
            collecting = hoithi_storage::repo::units::children(&state.db, Some(organizer))
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect();
            collecting.push(organizer);
        }
        let mut slug = service::slugify(&title);
        if slug.is_empty() {
            slug = "cuoc-thi".into();
        }
        if contests::by_slug(&state.db, &slug).await.is_ok() {
            slug = format!("{slug}-{}", chrono::Utc::now().format("%Y%m%d%H%M%S"));
        }
        service::create(
            &state,
            me.actor(),
            contests::NewContest {
                slug,
                title,
                description: hoithi_text::normalize::as_written(&f.description),
                rules: hoithi_text::normalize::as_written(&f.rules),
                organizer_unit_id: organizer,
                opens_at: opens,
                closes_at: closes,
                published: true,
                collecting_units: collecting,
                genres: service::default_genres(),
                groups: service::default_groups(),
            },
        )
        .await
    }
    .await;
    match result {
        Ok(k) => Ok(see_other(&format!("/cuoc-thi/{}", k.slug))),
        Err(AppError::BadRequest(m) | AppError::Conflict(m)) => {
            let units = unit_choices(&state, &me).await?;
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &NewPage {
                    error: Some(m.get(c.lang).to_string()),
                    c,
                    units,
                    f,
                },
            ))
        }
        Err(e) => Err(e),
    }
}

pub struct GenreRow {
    name: String,
    words: String,
    types: String,
    overlap: i32,
}

#[derive(Template)]
#[template(path = "contests/show.html")]
struct ShowPage {
    c: Chrome,
    slug: String,
    title: String,
    organizer: String,
    description: Vec<String>,
    rules: Vec<String>,
    opens: String,
    closes: String,
    open: bool,
    count: crate::format::Num,
    genres: Vec<GenreRow>,
    count_quotes: bool,
    can_screen: bool,
    can_manage: bool,
    /// The rounds page has something for the viewer (rounds they run or may create).
    rounds_page: bool,
    results_published: bool,
    time_left: Option<String>,
    /// Published posts that report the contest.
    news: Vec<crate::news::public::service::Item>,
}

fn paragraphs(s: &str) -> Vec<String> {
    s.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = service::load(&state, &slug).await?;
    service::check_visible(&id.actor, &l)?;
    let genres = contests::genres(&state.db, l.contest.id)
        .await?
        .into_iter()
        .map(|g| GenreRow {
            words: match (g.min_words, g.max_words) {
                (Some(a), Some(b)) => format!("{a}–{b}"),
                (None, Some(b)) => format!("≤ {b}"),
                (Some(a), None) => format!("≥ {a}"),
                _ => String::new(),
            },
            types: g.accepted_types.clone(),
            overlap: g.allowed_overlap_percent,
            name: g.name,
        })
        .collect();
    let can_manage = service::can_manage(&id.actor, &l);
    let can_screen = can_manage || service::screening_scope(&id.actor, &l, None).is_ok();
    let rounds_page = id.actor.is_signed_in()
        && (!crate::judging::rounds::service::managed_rounds(&state, &id.actor, &l)
            .await?
            .is_empty()
            || {
                let (units, fin) =
                    crate::judging::rounds::service::creatable(&state, &id.actor, &l).await?;
                fin || !units.is_empty()
            });
    let results_published = hoithi_storage::repo::rounds::for_contest(&state.db, l.contest.id)
        .await?
        .iter()
        .any(|r| r.results_published_at.is_some());
    let news = crate::news::public::pages::about(
        &state,
        hoithi_storage::repo::news::CONTEST,
        l.contest.id,
    )
    .await?;
    Ok(ok_html(&ShowPage {
        news,
        slug: l.contest.slug.clone(),
        title: l.contest.title.clone(),
        organizer: l.organizer.name.clone(),
        description: paragraphs(&l.contest.description),
        rules: paragraphs(&l.contest.rules),
        opens: fmt_datetime(&l.contest.opens_at),
        closes: fmt_datetime(&l.contest.closes_at),
        open: service::is_open(&l.contest, chrono::Utc::now()),
        count: (participation::contest_total(&state.db, l.contest.id).await? as u64).into(),
        genres,
        count_quotes: l.contest.count_quotes,
        can_screen,
        can_manage,
        rounds_page,
        results_published,
        time_left: crate::start::service::time_left(
            l.contest.closes_at,
            chrono::Utc::now(),
            c.lang,
        )
        .filter(|_| service::is_open(&l.contest, chrono::Utc::now())),
        c,
    }))
}
