//! Contest settings after creation: details, timeline, publication and roll-out, then genres
//! and participant groups. Only those who manage the contest reach these pages.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hoithi_storage::repo::{contests, units};
use serde::Deserialize;

use super::pages::parse_date;
use super::service::Loaded;
use crate::access::ManagedContest;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::format::fmt_date;
use crate::i18n::Msg;
use crate::pages::{Chrome, html, see_other};
use crate::state::AppState;

pub struct UnitChoice {
    id: i64,
    label: String,
    checked: bool,
}

pub struct GenreRow {
    /// Empty for the blank row that adds a genre.
    id: String,
    name: String,
    medium: String,
    min_words: String,
    max_words: String,
    max_authors: String,
    max_entries: String,
    types: String,
    overlap: String,
}

pub struct GroupRow {
    id: String,
    name: String,
}

#[derive(Template)]
#[template(path = "contests/settings.html")]
struct SettingsPage {
    c: Chrome,
    slug: String,
    title: String,
    description: String,
    rules: String,
    opens: String,
    closes: String,
    published: bool,
    count_quotes: bool,
    /// "" (as written), "new" or "old".
    display_tone: String,
    units: Vec<UnitChoice>,
    genres: Vec<GenreRow>,
    groups: Vec<GroupRow>,
    /// A refused save: which field (or form) and why.
    error: Option<FieldError>,
    saved: bool,
}

pub struct FieldError {
    field: &'static str,
    message: String,
}

impl SettingsPage {
    /// The message to show beside `field`, if the refused save was about it.
    fn err(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// What a refused form sent, shown again as typed.
enum Typed<'a> {
    Nothing,
    General(&'a [(String, String)]),
    Categories(&'a [(String, String)]),
}

/// A validation error named with the field it is about.
fn on(field: &'static str, e: AppError) -> (&'static str, AppError) {
    (field, e)
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(rename = "da-luu")]
    saved: Option<String>,
}

/// Units that may collect entries: the organizer and up to two levels below it (a province
/// and its districts, or a district and its communes and agencies).
async fn unit_choices(state: &AppState, l: &Loaded, chosen: &[i64]) -> AppResult<Vec<UnitChoice>> {
    let mut out = vec![UnitChoice {
        id: l.organizer.id,
        label: l.organizer.name.clone(),
        checked: chosen.contains(&l.organizer.id),
    }];
    for child in units::children(&state.db, Some(l.organizer.id)).await? {
        let grandchildren = units::children(&state.db, Some(child.id)).await?;
        out.push(UnitChoice {
            id: child.id,
            label: format!("— {}", child.name),
            checked: chosen.contains(&child.id),
        });
        for g in grandchildren {
            out.push(UnitChoice {
                id: g.id,
                label: format!("— — {}", g.name),
                checked: chosen.contains(&g.id),
            });
        }
    }
    Ok(out)
}

fn opt(v: Option<i32>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Genre and group rows as the refused form sent them (with one blank row to add more).
fn typed_categories(pairs: &[(String, String)]) -> (Vec<GenreRow>, Vec<GroupRow>) {
    let mut genres = Vec::new();
    let mut groups = Vec::new();
    for i in 0..100 {
        let f = |name: &str| field(pairs, &format!("g{i}_{name}")).to_string();
        if pairs.iter().any(|(k, _)| k.starts_with(&format!("g{i}_"))) {
            genres.push(GenreRow {
                id: f("id"),
                name: f("name"),
                medium: f("medium"),
                min_words: f("min_words"),
                max_words: f("max_words"),
                max_authors: f("max_authors"),
                max_entries: f("max_entries"),
                types: f("types"),
                overlap: f("overlap"),
            });
        }
        let p = |name: &str| field(pairs, &format!("p{i}_{name}")).to_string();
        if pairs.iter().any(|(k, _)| k.starts_with(&format!("p{i}_"))) {
            groups.push(GroupRow {
                id: p("id"),
                name: p("name"),
            });
        }
    }
    (genres, groups)
}

async fn render(
    state: &AppState,
    c: Chrome,
    l: &Loaded,
    status: StatusCode,
    error: Option<FieldError>,
    saved: bool,
    typed: Typed<'_>,
) -> AppResult<Response> {
    let k = &l.contest;
    let chosen: Vec<i64> = match typed {
        Typed::General(pairs) => pairs
            .iter()
            .filter(|(k, _)| k == "unit")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
        _ => contests::collecting_units(&state.db, k.id)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect(),
    };
    let mut genres: Vec<GenreRow> = contests::genres(&state.db, k.id)
        .await?
        .into_iter()
        .map(|g| GenreRow {
            id: g.id.to_string(),
            name: g.name,
            medium: g.medium,
            min_words: opt(g.min_words),
            max_words: opt(g.max_words),
            max_authors: g.max_authors.to_string(),
            max_entries: g.max_entries_per_author.to_string(),
            types: g.accepted_types,
            overlap: g.allowed_overlap_percent.to_string(),
        })
        .collect();
    let mut groups: Vec<GroupRow> = contests::groups(&state.db, k.id)
        .await?
        .into_iter()
        .map(|g| GroupRow {
            id: g.id.to_string(),
            name: g.name,
        })
        .collect();
    if let Typed::Categories(pairs) = typed {
        (genres, groups) = typed_categories(pairs);
        genres.retain(|g| !(g.id.is_empty() && g.name.trim().is_empty()));
        groups.retain(|g| !(g.id.is_empty() && g.name.trim().is_empty()));
    }
    genres.push(GenreRow {
        id: String::new(),
        name: String::new(),
        medium: "text".into(),
        min_words: String::new(),
        max_words: String::new(),
        max_authors: "1".into(),
        max_entries: "1".into(),
        types: "docx,odt,pdf,txt".into(),
        overlap: "25".into(),
    });
    groups.push(GroupRow {
        id: String::new(),
        name: String::new(),
    });
    let general = match typed {
        Typed::General(pairs) => Some(pairs),
        _ => None,
    };
    let text = |name: &str, stored: String| match general {
        Some(pairs) => field(pairs, name).to_string(),
        None => stored,
    };
    let ticked = |name: &str, stored: bool| match general {
        Some(pairs) => field(pairs, name) == "1",
        None => stored,
    };
    Ok(html(
        status,
        &SettingsPage {
            slug: k.slug.clone(),
            title: text("title", k.title.clone()),
            description: text("description", k.description.clone()),
            rules: text("rules", k.rules.clone()),
            opens: text("opens", fmt_date(&k.opens_at)),
            closes: text("closes", fmt_date(&k.closes_at)),
            published: ticked("published", k.published),
            count_quotes: ticked("count_quotes", k.count_quotes),
            display_tone: text("display_tone", k.display_tone.clone()),
            units: unit_choices(state, l, &chosen).await?,
            genres,
            groups,
            error,
            saved,
            c,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    ManagedContest(l): ManagedContest,
    Query(q): Query<Saved>,
) -> AppResult<Response> {
    render(
        &state,
        c,
        &l,
        StatusCode::OK,
        None,
        q.saved.is_some(),
        Typed::Nothing,
    )
    .await
}

/// Back to the settings with "saved", or the form again as typed with the problem named
/// beside its field.
async fn after_save(
    state: &AppState,
    c: Chrome,
    l: &Loaded,
    result: Result<(), (&'static str, AppError)>,
    typed: Typed<'_>,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/cuoc-thi/{}/cai-dat?da-luu=1",
            l.contest.slug
        ))),
        Err((field, AppError::BadRequest(m))) => {
            let message = m.get(c.lang).to_string();
            render(
                state,
                c,
                l,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(FieldError { field, message }),
                false,
                typed,
            )
            .await
        }
        Err((_, e)) => Err(e),
    }
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Saves details, timeline, publication and roll-out.
pub async fn save(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedContest(l): ManagedContest,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let result = async {
        let title = crate::validate::required_text(
            &hoithi_text::normalize::as_written(field(&pairs, "title")),
            300,
            "tên cuộc thi",
            "contest title",
        )
        .map_err(|e| on("title", e))?;
        let opens = parse_date(field(&pairs, "opens"), false).ok_or_else(|| {
            on(
                "opens",
                AppError::bad(
                    "Ngày mở nhận bài không hợp lệ (dd/mm/yyyy).",
                    "Invalid opening date (dd/mm/yyyy).",
                ),
            )
        })?;
        let closes = parse_date(field(&pairs, "closes"), true).ok_or_else(|| {
            on(
                "closes",
                AppError::bad(
                    "Hạn nhận bài không hợp lệ (dd/mm/yyyy).",
                    "Invalid deadline (dd/mm/yyyy).",
                ),
            )
        })?;
        if closes <= opens {
            return Err(on(
                "closes",
                AppError::bad(
                    "Thời hạn nhận bài phải sau ngày mở.",
                    "The deadline must come after the opening.",
                ),
            ));
        }
        let collecting = collecting_units(&state, &l, &pairs)
            .await
            .map_err(|e| on("units", e))?;
        let before = &l.contest;
        let count_quotes = field(&pairs, "count_quotes") == "1";
        let display_tone = match field(&pairs, "display_tone") {
            t @ ("" | "new" | "old") => t.to_string(),
            _ => {
                return Err(on(
                    "display_tone",
                    AppError::bad("Kiểu dấu thanh không hợp lệ.", "Invalid tone-mark style."),
                ));
            }
        };
        let tx = state.db.write().await.map_err(|e| on("", e.into()))?;
        let saved = contests::update(
            &tx,
            before.id,
            contests::ContestChanges {
                title,
                description: hoithi_text::normalize::as_written(field(&pairs, "description")),
                rules: hoithi_text::normalize::as_written(field(&pairs, "rules")),
                opens_at: opens,
                closes_at: closes,
                published: field(&pairs, "published") == "1",
                count_quotes,
                display_tone,
                collecting_units: collecting.clone(),
            },
        )
        .await
        .map_err(|e| on("", e.into()))?;
        // A new quote rule changes every entry's share: check them again.
        let rechecks = if saved.count_quotes != before.count_quotes {
            crate::integrity::queue_checks(&tx, saved.id)
                .await
                .map_err(|e| on("", AppError::Internal(e)))?
        } else {
            0
        };
        crate::audit::record(
            &tx,
            me.actor(),
            "contest.update",
            "contest",
            Some(saved.id),
            serde_json::json!({
                "before": {"title": before.title, "opens_at": before.opens_at, "closes_at": before.closes_at, "published": before.published, "count_quotes": before.count_quotes},
                "after": {"title": saved.title, "opens_at": saved.opens_at, "closes_at": saved.closes_at, "published": saved.published, "count_quotes": saved.count_quotes, "collecting_units": collecting},
                "rechecks": rechecks,
            }),
        )
        .await
        .map_err(|e| on("", e.into()))?;
        for kind in [
            crate::search::DocKind::Contest,
            crate::search::DocKind::ContestResults,
        ] {
            crate::jobs::enqueue(
                &tx,
                crate::jobs::Job::SearchIndex(crate::search::DocRef::new(kind, saved.id)),
            )
            .await
            .map_err(|e| on("", e.into()))?;
        }
        hoithi_storage::commit(tx)
            .await
            .map_err(|e| on("", e.into()))?;
        Ok(())
    }
    .await;
    after_save(&state, c, &l, result, Typed::General(&pairs)).await
}

/// The collecting units ticked on the form: each must exist and lie within the organizer.
async fn collecting_units(
    state: &AppState,
    l: &Loaded,
    pairs: &[(String, String)],
) -> AppResult<Vec<i64>> {
    {
        let mut collecting = Vec::new();
        for (k, v) in pairs {
            if k == "unit" {
                let id: i64 = v.parse().map_err(|_| {
                    AppError::bad("Đơn vị thu bài không hợp lệ.", "Invalid collecting unit.")
                })?;
                let u = units::get(&state.db, id).await.map_err(|_| {
                    AppError::bad(
                        "Đơn vị thu bài không tồn tại.",
                        "A collecting unit does not exist.",
                    )
                })?;
                if !l.organizer.path.contains(&u.path) {
                    return Err(AppError::bad(
                        "Đơn vị thu bài phải thuộc đơn vị tổ chức.",
                        "Collecting units must lie within the organizing unit.",
                    ));
                }
                collecting.push(id);
            }
        }
        if collecting.is_empty() {
            return Err(AppError::bad(
                "Chọn ít nhất một đơn vị thu bài.",
                "Choose at least one collecting unit.",
            ));
        }
        Ok(collecting)
    }
}

fn number(s: &str, what: &str, what_en: &str, min: i32, max: i32) -> AppResult<Option<i32>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::BadRequest(Msg::owned(
            format!("{what}: «{s}» không hợp lệ (từ {min} đến {max})."),
            format!("{what_en}: «{s}» is not valid ({min} to {max})."),
        ))),
    }
}

const MEDIA: [&str; 2] = ["text", "media"];
const FILE_TYPES: [&str; 5] = ["docx", "odt", "pdf", "txt", "link"];

/// Reads the genre rows (g{i}_* fields) and group rows (p{i}_* fields) of the form.
fn read_categories(
    pairs: &[(String, String)],
) -> AppResult<(Vec<contests::GenreEdit>, Vec<contests::GroupEdit>)> {
    let mut genres = Vec::new();
    for i in 0..100 {
        let f = |name: &str| field(pairs, &format!("g{i}_{name}"));
        if !pairs.iter().any(|(k, _)| k.starts_with(&format!("g{i}_"))) {
            continue;
        }
        let id = match f("id").trim() {
            "" => None,
            s => Some(s.parse::<i64>().map_err(|_| AppError::NotFound)?),
        };
        let name = crate::validate::clean_line(&hoithi_text::normalize::as_written(f("name")));
        let remove = f("remove") == "1";
        if id.is_none() && name.is_empty() {
            continue; // the blank row left blank
        }
        if name.is_empty() && !remove {
            return Err(AppError::bad(
                "Mỗi thể loại cần có tên.",
                "Every genre needs a name.",
            ));
        }
        let medium = f("medium").trim().to_string();
        if !MEDIA.contains(&medium.as_str()) {
            return Err(AppError::bad(
                "Loại hình của thể loại không hợp lệ.",
                "Invalid kind of genre.",
            ));
        }
        let mut types: Vec<String> = f("types")
            .split([',', ' ', ';'])
            .map(|t| t.trim().trim_start_matches('.').to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        types.dedup();
        if let Some(t) = types.iter().find(|t| !FILE_TYPES.contains(&t.as_str())) {
            return Err(AppError::BadRequest(Msg::owned(
                format!(
                    "Định dạng «{t}» không được hỗ trợ (chọn trong: docx, odt, pdf, txt, link)."
                ),
                format!("Format «{t}» is not supported (choose from docx, odt, pdf, txt, link)."),
            )));
        }
        if types.is_empty() {
            types = if medium == "media" {
                vec!["link".into()]
            } else {
                vec!["docx".into(), "odt".into(), "pdf".into(), "txt".into()]
            };
        }
        let min_words = number(
            f("min_words"),
            "Số chữ tối thiểu",
            "Minimum words",
            0,
            1_000_000,
        )?;
        let max_words = number(
            f("max_words"),
            "Số chữ tối đa",
            "Maximum words",
            1,
            1_000_000,
        )?;
        if let (Some(a), Some(b)) = (min_words, max_words)
            && a > b
        {
            return Err(AppError::BadRequest(Msg::owned(
                format!("Thể loại «{name}»: số chữ tối thiểu lớn hơn tối đa."),
                format!("Genre «{name}»: the minimum is above the maximum."),
            )));
        }
        genres.push(contests::GenreEdit {
            id,
            remove,
            genre: contests::NewGenre {
                name,
                medium,
                min_words,
                max_words,
                max_authors: number(
                    f("max_authors"),
                    "Số tác giả tối đa",
                    "Maximum authors",
                    1,
                    20,
                )?
                .unwrap_or(1),
                max_entries_per_author: number(
                    f("max_entries"),
                    "Số bài tối đa của một tác giả",
                    "Maximum entries per author",
                    1,
                    100,
                )?
                .unwrap_or(1),
                accepted_types: types.join(","),
                allowed_overlap_percent: number(
                    f("overlap"),
                    "Tỷ lệ trùng lặp cho phép",
                    "Allowed copied share",
                    0,
                    100,
                )?
                .unwrap_or(25),
            },
        });
    }
    let mut groups = Vec::new();
    for i in 0..100 {
        if !pairs.iter().any(|(k, _)| k.starts_with(&format!("p{i}_"))) {
            continue;
        }
        let f = |name: &str| field(pairs, &format!("p{i}_{name}"));
        let id = match f("id").trim() {
            "" => None,
            s => Some(s.parse::<i64>().map_err(|_| AppError::NotFound)?),
        };
        let name = crate::validate::clean_line(&hoithi_text::normalize::as_written(f("name")));
        let remove = f("remove") == "1" || (id.is_some() && name.is_empty());
        if id.is_none() && name.is_empty() {
            continue;
        }
        groups.push(contests::GroupEdit { id, remove, name });
    }
    Ok((genres, groups))
}

/// Saves genres and participant groups.
pub async fn save_categories(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedContest(l): ManagedContest,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let result = async {
        let (genres, groups) = read_categories(&pairs)?;
        let summary = serde_json::json!({
            "genres": genres.iter().map(|g| serde_json::json!({"id": g.id, "remove": g.remove, "name": g.genre.name, "min_words": g.genre.min_words, "max_words": g.genre.max_words, "overlap": g.genre.allowed_overlap_percent})).collect::<Vec<_>>(),
            "groups": groups.iter().map(|g| serde_json::json!({"id": g.id, "remove": g.remove, "name": g.name})).collect::<Vec<_>>(),
        });
        let tx = state.db.write().await?;
        contests::save_categories(&tx, l.contest.id, genres, groups)
            .await
            .map_err(|e| match e {
                hoithi_storage::StorageError::Conflict(what) => {
                    let name = what.split_once(':').map(|(_, n)| n).unwrap_or("");
                    AppError::BadRequest(Msg::owned(
                        format!("Không thể xóa «{name}» vì đã có bài dự thi dùng mục này."),
                        format!("«{name}» cannot be removed: entries already use it."),
                    ))
                }
                hoithi_storage::StorageError::Invalid(_) => AppError::bad(
                    "Cuộc thi cần ít nhất một thể loại.",
                    "A contest needs at least one genre.",
                ),
                other => other.into(),
            })?;
        crate::audit::record(
            &tx,
            me.actor(),
            "contest.categories",
            "contest",
            Some(l.contest.id),
            summary,
        )
        .await?;
        hoithi_storage::commit(tx).await?;
        Ok(())
    }
    .await;
    after_save(
        &state,
        c,
        &l,
        result.map_err(|e| ("genres", e)),
        Typed::Categories(&pairs),
    )
    .await
}
