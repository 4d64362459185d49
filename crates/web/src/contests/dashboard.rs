//! Participation dashboards: entries and authors by genre, participant group, day and unit,
//! with drill-down through the unit tree and participation against headcount.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hoithi_storage::repo::{contests, participation, units};
use serde::Deserialize;

use super::service;
use crate::auth::session::CurrentUser;
use crate::error::AppResult;
use crate::format::Num;
use crate::i18n::Lang;
use crate::pages::{Chrome, ok_html};
use crate::state::AppState;

pub struct Line {
    label: String,
    entries: Num,
    authors: Num,
}

pub struct UnitLine {
    id: i64,
    name: String,
    entries: Num,
    authors: Num,
    headcount: String,
    rate: String,
    /// For the spreadsheet: the headcount, and authors as a share of it (0–1).
    headcount_n: Option<i64>,
    rate_n: Option<f64>,
    has_children: bool,
}

#[derive(Template)]
#[template(path = "contests/dashboard.html")]
struct Page {
    c: Chrome,
    slug: String,
    title: String,
    unit_name: String,
    unit_id: i64,
    total: Num,
    by_genre: Vec<Line>,
    by_group: Vec<Line>,
    by_day: Vec<Line>,
    by_unit: Vec<UnitLine>,
    /// Server-drawn SVG charts (no JavaScript): entries per day, participation by unit.
    day_chart: String,
    unit_chart: String,
}

#[derive(Deserialize, Default)]
pub struct Q {
    unit: Option<i64>,
}

struct Data {
    l: service::Loaded,
    unit: hoithi_storage::entity::unit::Model,
    by_genre: Vec<Line>,
    by_group: Vec<Line>,
    by_day: Vec<Line>,
    by_unit: Vec<UnitLine>,
    total: Num,
    day_chart: String,
    unit_chart: String,
}

async fn load(
    state: &AppState,
    me: &CurrentUser,
    slug: &str,
    unit: Option<i64>,
    lang: Lang,
) -> AppResult<Data> {
    let l = service::load(state, slug).await?;
    // Without a unit: the organizer sees the organizer unit, a coordinator their own subtree.
    let requested = match unit {
        Some(id) => Some(units::get(&state.db, id).await?.path),
        None if service::can_manage(me.actor(), &l) => Some(l.organizer.path.clone()),
        None => None,
    };
    let scope = service::screening_scope(me.actor(), &l, requested.as_ref())?
        .unwrap_or_else(|| l.organizer.path.clone());
    let unit = units::by_path(&state.db, scope.as_str()).await?;
    // Counters kept with every entry change: a few rows whatever the number of entries.
    let cells = participation::at(&state.db, l.contest.id, unit.path.as_str()).await?;
    let genres = contests::genres(&state.db, l.contest.id).await?;
    let groups = contests::groups(&state.db, l.contest.id).await?;
    let lines = |dim: &str, label: &dyn Fn(&str) -> String| -> Vec<Line> {
        cells
            .iter()
            .filter(|c| c.dim == dim)
            .map(|c| Line {
                label: label(&c.k),
                entries: c.entries.into(),
                authors: c.authors.into(),
            })
            .collect()
    };
    let mut by_genre = lines(participation::GENRE, &|k| {
        genres
            .iter()
            .find(|g| g.id.to_string() == k)
            .map(|g| g.name.clone())
            .unwrap_or_default()
    });
    // In the contest's own genre order, not by id text.
    by_genre.sort_by_key(|line| {
        genres
            .iter()
            .position(|g| g.name == line.label)
            .unwrap_or(usize::MAX)
    });
    let by_group = lines(participation::GROUP, &|k| {
        groups
            .iter()
            .find(|g| g.id.to_string() == k)
            .map(|g| g.name.clone())
            .unwrap_or_else(|| "—".into())
    });
    let by_day = lines(participation::DAY, &|k| {
        chrono::NaiveDate::parse_from_str(k, "%Y-%m-%d")
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|_| k.to_string())
    });
    let total_cell = cells.iter().find(|c| c.dim == participation::ALL);
    let total = total_cell.map(|c| c.entries).unwrap_or(0);
    let kids = units::children(&state.db, Some(unit.id)).await?;
    let paths: Vec<String> = kids.iter().map(|k| k.path.to_string()).collect();
    let per_kid = participation::totals(&state.db, l.contest.id, &paths).await?;
    let kid_ids: Vec<i64> = kids.iter().map(|k| k.id).collect();
    let with_children = units::having_children(&state.db, &kid_ids).await?;
    let mut by_unit = Vec::new();
    let mut in_kids = 0;
    for k in &kids {
        let (n, a) = per_kid
            .iter()
            .find(|c| c.unit_path == k.path.as_str())
            .map(|c| (c.entries, c.authors))
            .unwrap_or((0, 0));
        in_kids += n;
        by_unit.push(UnitLine {
            id: k.id,
            name: k.name.clone(),
            entries: n.into(),
            authors: a.into(),
            headcount: k
                .headcount
                .map(|h| Num(i64::from(h)).to_string())
                .unwrap_or_default(),
            rate: k
                .headcount
                .filter(|h| *h > 0)
                .map(|h| {
                    format!(
                        "{}%",
                        crate::format::fmt_decimal(a as f64 * 100.0 / h as f64, 1)
                    )
                })
                .unwrap_or_default(),
            headcount_n: k.headcount.map(i64::from),
            rate_n: k.headcount.filter(|h| *h > 0).map(|h| a as f64 / h as f64),
            has_children: with_children.contains(&k.id),
        });
    }
    // Participation against headcount, for the units that gave theirs.
    let t = lang.tr().contests;
    let options = hoithi_checkin::chart::Options {
        decimal: if lang == Lang::Vi { ',' } else { '.' },
        suffix: "%".into(),
        ..Default::default()
    };
    let rates: Vec<(String, f64)> = kids
        .iter()
        .filter_map(|k| {
            let h = k.headcount.filter(|h| *h > 0)?;
            let a = per_kid
                .iter()
                .find(|c| c.unit_path == k.path.as_str())
                .map(|c| c.authors)
                .unwrap_or(0);
            Some((k.name.clone(), a as f64 * 100.0 / h as f64))
        })
        .collect();
    let unit_chart = if rates.is_empty() {
        String::new()
    } else {
        hoithi_checkin::chart::bars_svg_with(t.chart_units, &rates, &options)
    };
    let day_bars: Vec<(String, f64)> = by_day
        .iter()
        .map(|l| (l.label.clone(), l.entries.0 as f64))
        .collect();
    let day_chart = if day_bars.is_empty() {
        String::new()
    } else {
        hoithi_checkin::chart::bars_svg_with(
            t.chart_days,
            &day_bars,
            &hoithi_checkin::chart::Options {
                suffix: String::new(),
                ..options
            },
        )
    };
    let own = total - in_kids;
    if own > 0 {
        by_unit.push(UnitLine {
            id: unit.id,
            name: lang.tr().contests.directly(&unit.name),
            entries: own.into(),
            authors: Num(0),
            headcount: String::new(),
            rate: String::new(),
            headcount_n: None,
            rate_n: None,
            has_children: false,
        });
    }
    Ok(Data {
        l,
        unit,
        by_genre,
        by_group,
        by_day,
        by_unit,
        total: total.into(),
        day_chart,
        unit_chart,
    })
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<Q>,
) -> AppResult<Response> {
    let d = load(&state, &me, &slug, q.unit, c.lang).await?;
    Ok(ok_html(&Page {
        slug: d.l.contest.slug.clone(),
        title: d.l.contest.title.clone(),
        unit_name: d.unit.name.clone(),
        unit_id: d.unit.id,
        total: d.total,
        by_genre: d.by_genre,
        by_group: d.by_group,
        by_day: d.by_day,
        by_unit: d.by_unit,
        day_chart: d.day_chart,
        unit_chart: d.unit_chart,
        c,
    }))
}

/// The unit table as CSV (UTF-8 with BOM so that Excel shows Vietnamese correctly).
pub async fn csv(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<Q>,
    lang: Lang,
) -> AppResult<Response> {
    let d = load(&state, &me, &slug, q.unit, lang).await?;
    let t = lang.tr().contests;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        t.unit,
        t.entries_count,
        t.authors_count,
        t.headcount,
        t.participation_rate,
    ]);
    // Plain numbers, as spreadsheets read them (the page's thousands dot and decimal comma
    // would be misread).
    for u in &d.by_unit {
        let _ = w.write_record([
            u.name.clone(),
            u.entries.0.to_string(),
            u.authors.0.to_string(),
            u.headcount_n.map(|h| h.to_string()).unwrap_or_default(),
            u.rate_n
                .map(|r| format!("{:.1}%", r * 100.0))
                .unwrap_or_default(),
        ]);
    }
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend(w.into_inner().unwrap_or_default());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"thong-ke-{slug}.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// The dashboard as an Excel workbook: one sheet per breakdown.
pub async fn xlsx(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<Q>,
    lang: Lang,
) -> AppResult<Response> {
    use rust_xlsxwriter::{Format, Workbook};
    let d = load(&state, &me, &slug, q.unit, lang).await?;
    let t = lang.tr().contests;
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        // Numbers stay numbers, shown with the spreadsheet's own separators.
        let whole = Format::new().set_num_format("#,##0");
        let percent = Format::new().set_num_format("0.0%");
        let ws = wb.add_worksheet().set_name(t.by_unit)?;
        for (c, h) in [
            t.unit,
            t.entries_count,
            t.authors_count,
            t.headcount,
            t.participation_rate,
        ]
        .iter()
        .enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (i, u) in d.by_unit.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, &u.name)?;
            ws.write_number_with_format(r, 1, u.entries.0 as f64, &whole)?;
            ws.write_number_with_format(r, 2, u.authors.0 as f64, &whole)?;
            if let Some(h) = u.headcount_n {
                ws.write_number_with_format(r, 3, h as f64, &whole)?;
            }
            if let Some(x) = u.rate_n {
                ws.write_number_with_format(r, 4, x, &percent)?;
            }
        }
        ws.set_column_width(0, 40)?;
        for (name, lines) in [
            (t.by_genre, &d.by_genre),
            (t.by_group, &d.by_group),
            (t.by_day, &d.by_day),
        ] {
            let ws = wb.add_worksheet().set_name(name)?;
            for (c, h) in ["", t.entries_count, t.authors_count].iter().enumerate() {
                ws.write_string_with_format(0, c as u16, *h, &bold)?;
            }
            for (i, l) in lines.iter().enumerate() {
                let r = i as u32 + 1;
                ws.write_string(r, 0, &l.label)?;
                ws.write_number_with_format(r, 1, l.entries.0 as f64, &whole)?;
                ws.write_number_with_format(r, 2, l.authors.0 as f64, &whole)?;
            }
            ws.set_column_width(0, 36)?;
        }
        wb.save_to_buffer()
    };
    let body = build().map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"thong-ke-{slug}.xlsx\""),
            ),
        ],
        body,
    )
        .into_response())
}
