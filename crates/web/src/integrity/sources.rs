//! The texts a contest's entries are checked against, managed by its organizers: references
//! (earlier years' entries, published articles: copying them counts) and allowed sources
//! (resolutions, speeches, the contest's prompt: quoting them does not). Uploaded as a file
//! (DOCX, ODT, PDF, TXT: the same extraction as entries), pasted, or many at once as JSONL
//! (`{"id": …, "text": …}` a line, as the CLI reads). Any change re-checks every entry.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use hoithi_storage::repo::{checks, integrity_sources};
use serde::Deserialize;

use crate::access::ManagedContest;
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::auth::session::CurrentUser;
use crate::contests::service::Loaded;
use crate::error::{AppError, AppResult};
use crate::format::{fmt_datetime, fmt_number};
use crate::forms::Empty;
use crate::i18n::{Lang, Msg};
use crate::pages::{Chrome, html, see_other};
use crate::state::AppState;

/// Lines accepted in one JSONL import.
const MAX_IMPORT_LINES: usize = 20_000;
/// Longest pasted text, in bytes.
const MAX_PASTED_BYTES: usize = 5_000_000;
/// Checks read to list common text (the newest entries with some).
const COMMON_SCAN: u64 = 300;

pub struct SourceRow {
    id: i64,
    kind: &'static str,
    title: String,
    words: String,
    file: String,
    added: String,
}

pub struct CommonRow {
    text: String,
    entries: crate::format::Num,
}

#[derive(Template)]
#[template(path = "integrity/sources.html")]
struct SourcesPage {
    c: Chrome,
    slug: String,
    contest_title: String,
    rows: Vec<SourceRow>,
    common: Vec<CommonRow>,
    common_scanned: usize,
    error: Option<String>,
    saved: Option<String>,
    rechecking: Option<String>,
    removed: bool,
    v_title: String,
    v_kind: String,
    v_text: String,
}

#[derive(Deserialize, Default)]
pub struct Notice {
    #[serde(rename = "da-luu")]
    saved: Option<String>,
    #[serde(rename = "da-xoa")]
    removed: Option<String>,
    #[serde(rename = "kiem-tra")]
    rechecking: Option<String>,
}

fn kind_label(kind: &str, lang: Lang) -> &'static str {
    let t = lang.tr().integrity;
    if kind == integrity_sources::ALLOWED {
        t.source_allowed
    } else {
        t.source_reference
    }
}

/// Text shared by very many entries, which the index does not count: from the newest checks
/// that found some, grouped by passage (folded), most widespread first.
async fn common_text(state: &AppState, contest_id: i64) -> AppResult<(Vec<CommonRow>, usize)> {
    let found = checks::of_contest_containing(
        &state.db,
        contest_id,
        crate::integrity::COMMON_MARKER,
        COMMON_SCAN,
    )
    .await?;
    let mut groups: HashMap<String, (String, HashSet<i64>)> = HashMap::new();
    for ch in &found {
        let matches: Vec<crate::integrity::StoredMatch> =
            serde_json::from_str(&ch.matches).unwrap_or_default();
        for m in matches.into_iter().filter(|m| m.common) {
            for s in m.snippets {
                let key = hoithi_text::fold::fold(&s)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if key.is_empty() {
                    continue;
                }
                groups
                    .entry(key)
                    .or_insert_with(|| (s, HashSet::new()))
                    .1
                    .insert(ch.entry_id);
            }
        }
    }
    let mut rows: Vec<CommonRow> = groups
        .into_values()
        .map(|(text, ids)| CommonRow {
            text,
            entries: ids.len().into(),
        })
        .collect();
    rows.sort_by(|a, b| b.entries.cmp(&a.entries).then(a.text.cmp(&b.text)));
    rows.truncate(30);
    Ok((rows, found.len()))
}

#[derive(Default)]
struct Input {
    title: String,
    kind: String,
    text: String,
    file: Option<(String, Vec<u8>)>,
}

async fn render(
    state: &AppState,
    c: Chrome,
    l: &Loaded,
    status: StatusCode,
    error: Option<String>,
    notice: Notice,
    v: Input,
) -> AppResult<Response> {
    let rows = integrity_sources::list(&state.db, l.contest.id)
        .await?
        .into_iter()
        .map(|s| SourceRow {
            id: s.id,
            kind: kind_label(&s.kind, c.lang),
            title: s.title,
            words: fmt_number(s.word_count as i64),
            file: s.file_name.unwrap_or_default(),
            added: fmt_datetime(&s.created_at),
        })
        .collect();
    let (common, common_scanned) = common_text(state, l.contest.id).await?;
    Ok(html(
        status,
        &SourcesPage {
            slug: l.contest.slug.clone(),
            contest_title: l.contest.title.clone(),
            rows,
            common,
            common_scanned,
            error,
            saved: notice.saved,
            rechecking: notice.rechecking,
            removed: notice.removed.is_some(),
            v_title: v.title,
            v_kind: if v.kind.is_empty() {
                integrity_sources::REFERENCE.into()
            } else {
                v.kind
            },
            v_text: v.text,
            c,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    ManagedContest(l): ManagedContest,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    render(&state, c, &l, StatusCode::OK, None, q, Input::default()).await
}

async fn read_form(mp: Multipart) -> AppResult<Input> {
    let form = crate::upload::read(mp).await?;
    let mut v = Input {
        file: form.file,
        ..Input::default()
    };
    for (name, text) in form.fields {
        match name.as_str() {
            "title" => v.title = text,
            "kind" => v.kind = text,
            "text" => v.text = text,
            _ => {}
        }
    }
    Ok(v)
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default()
}

fn title_of(title: &str) -> AppResult<String> {
    crate::validate::required_text(
        &hoithi_text::normalize::as_written(title),
        300,
        "tên tài liệu",
        "title of the text",
    )
}

fn new_source(
    l: &Loaded,
    me: &CurrentUser,
    kind: &str,
    title: String,
    body: String,
    file_name: Option<String>,
) -> integrity_sources::NewSource {
    integrity_sources::NewSource {
        contest_id: l.contest.id,
        kind: kind.to_string(),
        title,
        word_count: hoithi_text::tokenize::word_count(&body).min(i32::MAX as usize) as i32,
        body,
        file_name,
        created_by: Some(me.user.id),
    }
}

/// One line of a JSONL import: an id (string or number) and a text.
#[derive(Deserialize)]
struct Line {
    id: serde_json::Value,
    text: String,
}

fn jsonl_sources(
    l: &Loaded,
    me: &CurrentUser,
    kind: &str,
    prefix: &str,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<Vec<integrity_sources::NewSource>> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        AppError::bad(
            "Tệp JSONL phải được mã hóa UTF-8.",
            "The JSONL file must be encoded in UTF-8.",
        )
    })?;
    let prefix = crate::validate::clean_line(&hoithi_text::normalize::as_written(prefix));
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        if out.len() >= MAX_IMPORT_LINES {
            return Err(AppError::BadRequest(Msg::owned(
                format!("Mỗi lần nhập tối đa {MAX_IMPORT_LINES} dòng."),
                format!("At most {MAX_IMPORT_LINES} lines per import."),
            )));
        }
        let bad_line = || {
            AppError::BadRequest(Msg::owned(
                format!(
                    "Dòng {n} không đúng dạng {{\"id\": \"…\", \"text\": \"…\"}}; chưa nhập dòng nào."
                ),
                format!(
                    "Line {n} is not of the form {{\"id\": \"…\", \"text\": \"…\"}}; nothing was imported."
                ),
            ))
        };
        let line: Line = serde_json::from_str(raw).map_err(|_| bad_line())?;
        let id = match &line.id {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(x) => x.to_string(),
            _ => return Err(bad_line()),
        };
        let body = hoithi_text::normalize::as_written(&line.text);
        if body.trim().is_empty() || id.trim().is_empty() {
            return Err(AppError::BadRequest(Msg::owned(
                format!("Dòng {n} thiếu mã hoặc nội dung; chưa nhập dòng nào."),
                format!("Line {n} has no id or no text; nothing was imported."),
            )));
        }
        let id = crate::validate::clean_line(&hoithi_text::normalize::as_written(&id));
        let title: String = if prefix.is_empty() {
            id
        } else {
            format!("{prefix}: {id}")
        }
        .chars()
        .take(300)
        .collect();
        out.push(new_source(
            l,
            me,
            kind,
            title,
            body,
            Some(file_name.to_string()),
        ));
    }
    if out.is_empty() {
        return Err(AppError::bad(
            "Tệp JSONL không có dòng nào.",
            "The JSONL file has no lines.",
        ));
    }
    Ok(out)
}

/// Checks an upload and turns it into sources to store (none stored on any problem).
async fn prepare(
    l: &Loaded,
    me: &CurrentUser,
    v: &Input,
    file: Option<(String, Vec<u8>)>,
) -> AppResult<Vec<integrity_sources::NewSource>> {
    let kind = v.kind.trim();
    if kind != integrity_sources::REFERENCE && kind != integrity_sources::ALLOWED {
        return Err(AppError::bad(
            "Vui lòng chọn loại: tài liệu đối chiếu hoặc nguồn được phép trích dẫn.",
            "Please choose the kind: reference text or allowed source.",
        ));
    }
    // An empty file input was already dropped by the multipart reader.
    if let Some((name, bytes)) = file {
        if bytes.is_empty() {
            return Err(AppError::bad(
                "Tệp tải lên rỗng.",
                "The uploaded file is empty.",
            ));
        }
        if bytes.len() > crate::contests::submission::service::MAX_FILE_BYTES {
            return Err(AppError::bad(
                "Tệp quá lớn (tối đa 20 MB).",
                "The file is too large (at most 20 MB).",
            ));
        }
        let ext = extension(&name);
        let file_name: String = crate::validate::clean_line(&name)
            .chars()
            .take(200)
            .collect();
        if ext == "jsonl" {
            return jsonl_sources(l, me, kind, &v.title, &file_name, &bytes);
        }
        if !["docx", "odt", "pdf", "txt"].contains(&ext.as_str()) {
            return Err(AppError::BadRequest(Msg::owned(
                format!(
                    "Định dạng tệp «.{ext}» không được nhận. Chấp nhận: docx, odt, pdf, txt, jsonl."
                ),
                format!("Files «.{ext}» are not accepted. Accepted: docx, odt, pdf, txt, jsonl."),
            )));
        }
        let title = title_of(&v.title)?;
        let (body, _format) =
            crate::contests::submission::service::extract_text(name, bytes).await?;
        if body.trim().is_empty() {
            return Err(AppError::bad(
                "Tệp không có nội dung chữ nào đọc được.",
                "The file has no readable text.",
            ));
        }
        return Ok(vec![new_source(l, me, kind, title, body, Some(file_name))]);
    }
    let title = title_of(&v.title)?;
    let body = hoithi_text::normalize::as_written(&v.text);
    if body.trim().is_empty() {
        return Err(AppError::bad(
            "Vui lòng tải tệp lên hoặc dán nội dung tài liệu.",
            "Please upload a file or paste the text.",
        ));
    }
    if body.len() > MAX_PASTED_BYTES {
        return Err(AppError::bad(
            "Nội dung quá dài; vui lòng tải lên dưới dạng tệp.",
            "The text is too long; please upload it as a file.",
        ));
    }
    Ok(vec![new_source(l, me, kind, title, body, None)])
}

/// After sources changed (committed): the index follows. The entries' re-checks were queued
/// with the change.
async fn after_change(state: &AppState, contest_id: i64) -> AppResult<()> {
    crate::integrity::sync_sources(state, contest_id)
        .await
        .map_err(AppError::Internal)
}

/// Adds a reference or an allowed source (or many, from JSONL).
pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedContest(l): ManagedContest,
    Path(slug): Path<String>,
    req: Request,
) -> AppResult<Response> {
    // Who may manage the contest is settled before the upload is read.
    let CsrfMultipart(mp) = match CsrfMultipart::from_request(req, &state).await {
        Ok(m) => m,
        Err(rejection) => return Ok(rejection),
    };
    let mut v = read_form(mp).await?;
    let file = v.file.take();
    let prepared = match prepare(&l, &me, &v, file).await {
        Ok(p) => p,
        Err(AppError::BadRequest(m)) => {
            let msg = m.get(c.lang).to_string();
            let keep = Input {
                text: if v.text.len() <= MAX_PASTED_BYTES {
                    v.text
                } else {
                    String::new()
                },
                ..v
            };
            return render(
                &state,
                c,
                &l,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(msg),
                Notice::default(),
                keep,
            )
            .await;
        }
        Err(e) => return Err(e),
    };
    let kind = prepared[0].kind.clone();
    let tx = state.db.write().await?;
    let saved = integrity_sources::add(&tx, prepared).await?;
    let n = crate::integrity::queue_checks(&tx, l.contest.id)
        .await
        .map_err(AppError::Internal)?;
    crate::audit::record(
        &tx,
        me.actor(),
        "integrity.source.add",
        "contest",
        Some(l.contest.id),
        serde_json::json!({
            "kind": kind,
            "sources": saved.iter().map(|s| serde_json::json!({"id": s.id, "title": s.title})).collect::<Vec<_>>(),
        }),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    after_change(&state, l.contest.id).await?;
    Ok(see_other(&format!(
        "/cuoc-thi/{slug}/tai-lieu-doi-chieu?da-luu={}&kiem-tra={n}",
        saved.len()
    )))
}

/// Removes a source; entries are checked again without it.
pub async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    ManagedContest(l): ManagedContest,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let tx = state.db.write().await?;
    let gone = integrity_sources::remove(&tx, l.contest.id, id).await?;
    let n = crate::integrity::queue_checks(&tx, l.contest.id)
        .await
        .map_err(AppError::Internal)?;
    crate::audit::record(
        &tx,
        me.actor(),
        "integrity.source.remove",
        "contest",
        Some(l.contest.id),
        serde_json::json!({"id": gone.id, "kind": gone.kind, "title": gone.title}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    after_change(&state, l.contest.id).await?;
    Ok(see_other(&format!(
        "/cuoc-thi/{slug}/tai-lieu-doi-chieu?da-xoa=1&kiem-tra={n}"
    )))
}
