//! The entry list as a spreadsheet, made in the background: a national contest has hundreds of
//! thousands of entries, too many to write while a browser waits. The organizer (or a unit's
//! coordinator, for their subtree) asks for it, watches done / total and the time left on a
//! page that refreshes itself, and downloads the file when it is ready.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hoithi_storage::entity::export;
use hoithi_storage::repo::{contests, entries, exports, units};
use hoithi_storage::status::ExportStatus;
use hoithi_storage::types::UnitPath;
use serde::{Deserialize, Serialize};

use super::screening::flag_label;
use super::service;
use super::submission::pages::status_label;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::format::{Num, fmt_datetime};
use crate::forms::Empty;
use crate::i18n::Lang;
use crate::jobs::{self, Failure, Job};
use crate::pages::{Chrome, ok_html, see_other};
use crate::state::AppState;

/// The job that writes one export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportJob {
    pub export_id: i64,
    /// The language of the column headings and labels (`vi`, `en`): the requester's.
    #[serde(default)]
    pub lang: String,
}

/// Rows read and written at a time; the progress is saved after each batch.
const BATCH: u64 = 1000;

/// Who may export: those who may screen the contest, each for their own scope.
async fn scope(
    state: &AppState,
    me: &CurrentUser,
    slug: &str,
) -> AppResult<(service::Loaded, String)> {
    let l = service::load(state, slug).await?;
    let scope = service::screening_scope(me.actor(), &l, None)?;
    let path = scope.map(|p| p.as_str().to_string()).unwrap_or_default();
    Ok((l, path))
}

/// `POST /cuoc-thi/{slug}/xuat`: starts an export, or leads to the one already running.
pub async fn start(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let (l, path) = scope(&state, &me, &slug).await?;
    let page = format!("/cuoc-thi/{slug}/xuat");
    let user = me.actor().user_id().ok_or(AppError::Forbidden)?;
    // A second click, or a reload of the form, does not start a second export.
    if let Some(x) =
        exports::latest(&state.db, user, exports::CONTEST_ENTRIES, l.contest.id).await?
        && matches!(x.status, ExportStatus::Pending | ExportStatus::Running)
        && x.unit_path == path
    {
        return Ok(see_other(&page));
    }
    let tx = state.db.write().await?;
    let x = exports::create(&tx, exports::CONTEST_ENTRIES, l.contest.id, &path, user).await?;
    jobs::enqueue(
        &tx,
        Job::EntryExport(ExportJob {
            export_id: x.id,
            lang: c.lang.code().to_string(),
        }),
    )
    .await?;
    crate::audit::record(
        &tx,
        me.actor(),
        "contest.export",
        "contest",
        Some(l.contest.id),
        serde_json::json!({ "export": x.id, "unit_path": path }),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(see_other(&page))
}

#[derive(Template)]
#[template(path = "contests/export.html")]
struct ProgressPage {
    c: Chrome,
    slug: String,
    title: String,
    export: Option<Shown>,
}

struct Shown {
    started: String,
    done: Num,
    total: Num,
    percent: i64,
    running: bool,
    ready: bool,
    failed: bool,
    left: String,
    size: String,
}

fn shown(lang: Lang, x: &export::Model) -> Shown {
    let running = matches!(x.status, ExportStatus::Pending | ExportStatus::Running);
    let elapsed = (hoithi_storage::time::now() - x.created_at).num_seconds();
    let (done, total) = (x.done.max(0) as u64, x.total.max(0) as u64);
    Shown {
        started: fmt_datetime(&x.created_at),
        done: Num(x.done),
        total: Num(x.total),
        percent: if x.status == ExportStatus::Done {
            100
        } else {
            (done * 100).checked_div(total).unwrap_or(0) as i64
        },
        running,
        ready: x.status == ExportStatus::Done,
        failed: x.status == ExportStatus::Failed,
        left: if running {
            crate::format::time_left(lang, elapsed, done, total)
        } else {
            String::new()
        },
        size: format!("{:.1} MB", x.file_bytes as f64 / 1_000_000.0).replace('.', ","),
    }
}

/// `GET /cuoc-thi/{slug}/xuat`: the requester's latest export — its progress, then its file.
pub async fn progress(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let (l, _) = scope(&state, &me, &slug).await?;
    let user = me.actor().user_id().ok_or(AppError::Forbidden)?;
    let x = exports::latest(&state.db, user, exports::CONTEST_ENTRIES, l.contest.id).await?;
    let mut page = ok_html(&ProgressPage {
        export: x.as_ref().map(|x| shown(c.lang, x)),
        slug: l.contest.slug.clone(),
        title: l.contest.title.clone(),
        c,
    });
    // Each refresh shows the figures of the moment.
    page.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(page)
}

/// `GET /cuoc-thi/{slug}/xuat/tai-ve`: the file of the requester's latest export once ready;
/// before that, its progress page.
pub async fn download(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let (l, _) = scope(&state, &me, &slug).await?;
    let user = me.actor().user_id().ok_or(AppError::Forbidden)?;
    let x = exports::latest(&state.db, user, exports::CONTEST_ENTRIES, l.contest.id).await?;
    let Some((x, sha)) = x.and_then(|x| x.file_sha256.clone().map(|s| (x, s))) else {
        return Ok(see_other(&format!("/cuoc-thi/{slug}/xuat")));
    };
    let bytes = state.blobs.get(&sha).await?.ok_or(AppError::NotFound)?;
    let day = x
        .finished_at
        .map(|t| crate::format::fmt_date(&t).replace('/', "-"))
        .unwrap_or_default();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"bai-du-thi-{}-{day}.xlsx\"",
                    l.contest.slug
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Runs an export job. A failure is written on the export (the page says so and offers to try
/// again) rather than retried: the next attempt would start over anyway.
pub async fn run_job(state: &AppState, job: ExportJob) -> Result<(), Failure> {
    let x = exports::get(&state.db, job.export_id)
        .await
        .map_err(|e| Failure::GiveUp(format!("export {}: {e}", job.export_id)))?;
    if x.status == ExportStatus::Done {
        return Ok(());
    }
    let lang = Lang::parse(&job.lang).unwrap_or_default();
    match write(state, &x, lang).await {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = exports::fail(&state.db, x.id, &e).await;
            Err(Failure::GiveUp(e))
        }
    }
}

/// Days since 30/12/1899 with the time of day as a fraction: how a spreadsheet keeps a date.
fn spreadsheet_time(t: &chrono::DateTime<chrono::Utc>) -> f64 {
    let local = t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).naive_local();
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    (local - epoch).num_seconds() as f64 / 86_400.0
}

async fn write(state: &AppState, x: &export::Model, lang: Lang) -> Result<(), String> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let contest = contests::get(&state.db, x.subject_id)
        .await
        .map_err(|e| err(&e))?;
    let filter = entries::Filter {
        unit_path: (!x.unit_path.is_empty())
            .then(|| UnitPath::parse(&x.unit_path))
            .flatten(),
        ..Default::default()
    };
    let total = entries::count_matching(&state.db, contest.id, &filter)
        .await
        .map_err(|e| err(&e))? as i64;
    exports::progress(&state.db, x.id, 0, total)
        .await
        .map_err(|e| err(&e))?;
    let genres: std::collections::HashMap<i64, String> = contests::genres(&state.db, contest.id)
        .await
        .map_err(|e| err(&e))?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let mut unit_names: std::collections::HashMap<i64, String> = Default::default();
    let t = lang.tr().contests;

    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let whole = Format::new().set_num_format("#,##0");
    let when = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let heads = [
        t.export_col_no,
        t.export_col_code,
        t.export_col_title,
        t.export_col_pen_name,
        t.export_col_authors,
        t.unit,
        t.export_col_genre,
        t.export_col_words,
        t.export_col_submitted,
        t.export_col_status,
        t.export_col_flags,
    ];
    // Rows go to a temporary file as they are written, so memory stays flat however many.
    let ws = wb
        .add_worksheet_with_constant_memory()
        .map_err(|e| err(&e))?;
    ws.set_name(t.export_sheet).map_err(|e| err(&e))?;
    for (i, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &bold)
            .map_err(|e| err(&e))?;
    }
    for (col, width) in [(2u16, 48.0), (3, 18.0), (4, 32.0), (5, 32.0), (6, 18.0)] {
        ws.set_column_width(col, width).map_err(|e| err(&e))?;
    }
    ws.set_column_width(8, 16.0).map_err(|e| err(&e))?;
    ws.set_column_width(9, 22.0).map_err(|e| err(&e))?;
    ws.set_freeze_panes(1, 0).map_err(|e| err(&e))?;

    let mut after = 0;
    let mut row: u32 = 0;
    loop {
        let page = entries::export_page(&state.db, contest.id, &filter, after, BATCH)
            .await
            .map_err(|e| err(&e))?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let ids: Vec<i64> = page.iter().map(|e| e.id).collect();
        let mut authors: std::collections::HashMap<i64, Vec<String>> = Default::default();
        for a in entries::authors_of(&state.db, &ids)
            .await
            .map_err(|e| err(&e))?
        {
            authors.entry(a.entry_id).or_default().push(a.full_name);
        }
        for e in &page {
            if let std::collections::hash_map::Entry::Vacant(slot) = unit_names.entry(e.unit_id) {
                let name = units::get(&state.db, e.unit_id)
                    .await
                    .map(|u| u.name)
                    .unwrap_or_default();
                slot.insert(name);
            }
            row += 1;
            let flags: Vec<&str> = serde_json::from_str::<Vec<String>>(&e.flags)
                .unwrap_or_default()
                .iter()
                .map(|f| flag_label(f, lang))
                .filter(|s| !s.is_empty())
                .collect();
            let mut cells = || -> Result<(), rust_xlsxwriter::XlsxError> {
                ws.write_number(row, 0, row as f64)?;
                ws.write_string(row, 1, &e.receipt_code)?;
                ws.write_string(row, 2, &e.title)?;
                ws.write_string(row, 3, &e.pen_name)?;
                ws.write_string(
                    row,
                    4,
                    authors.get(&e.id).map(|a| a.join("; ")).unwrap_or_default(),
                )?;
                ws.write_string(row, 5, &unit_names[&e.unit_id])?;
                ws.write_string(row, 6, genres.get(&e.genre_id).map_or("", String::as_str))?;
                ws.write_number_with_format(row, 7, e.word_count as f64, &whole)?;
                ws.write_number_with_format(row, 8, spreadsheet_time(&e.submitted_at), &when)?;
                ws.write_string(row, 9, status_label(e.status, lang))?;
                ws.write_string(row, 10, flags.join("; "))?;
                Ok(())
            };
            cells().map_err(|e| err(&e))?;
        }
        exports::progress(&state.db, x.id, row as i64, total.max(row as i64))
            .await
            .map_err(|e| err(&e))?;
    }
    // Compressing the file takes a while for a large list: off the request threads.
    let bytes = tokio::task::spawn_blocking(move || wb.save_to_buffer())
        .await
        .map_err(|e| err(&e))?
        .map_err(|e| err(&e))?;
    let sha = state.blobs.put(&bytes).await.map_err(|e| err(&e))?;
    exports::finish(&state.db, x.id, &sha, bytes.len() as i64)
        .await
        .map_err(|e| err(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_time_counts_days_from_the_end_of_1899_in_vietnam_time() {
        // 01/01/2026 00:00 in Hà Nội is 31/12/2025 17:00 UTC; its serial is 46023.
        let t = chrono::DateTime::parse_from_rfc3339("2025-12-31T17:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(spreadsheet_time(&t), 46023.0);
        let t = chrono::DateTime::parse_from_rfc3339("2026-01-01T05:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(spreadsheet_time(&t), 46023.5);
    }
}
