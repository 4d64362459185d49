//! The judge's side, blind by construction: every value handed to a judge's page, API answer
//! or download is built here from the work itself (anonymous code, title, genre, text) and
//! never from the author's record, the unit, the receipt code or the original file.

use std::collections::HashMap;

use hoithi_storage::entity::{assignment, entry, round_criterion, score};
use hoithi_storage::repo::{assignments, contests, entries, rounds, scores};

use crate::audit;
use crate::contests::service::shown_text;
use crate::error::{AppError, AppResult};
use crate::format::{fmt_num, parse_number};
use crate::judging::rounds::service::{RoundCtx, bad};
use crate::policy::Actor;
use crate::state::AppState;

/// One assigned entry in a judge's list.
pub struct MyEntry {
    pub code: String,
    pub title: String,
    pub genre: String,
    pub words: i32,
    pub state: SheetState,
    pub total: Option<f64>,
}

/// Where a judge stands with one assigned entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SheetState {
    NotScored,
    Draft,
    Submitted,
    Recused,
}

pub fn state_label(s: SheetState, lang: crate::i18n::Lang) -> &'static str {
    let t = lang.tr().judging;
    match s {
        SheetState::Draft => t.state_draft,
        SheetState::Submitted => t.state_submitted,
        SheetState::Recused => t.state_recused,
        SheetState::NotScored => t.state_unscored,
    }
}

/// A sheet's weighted total, if every criterion has points.
pub fn total_of(points: &[Option<f64>], criteria: &[round_criterion::Model]) -> Option<f64> {
    if points.len() != criteria.len() {
        return None;
    }
    points
        .iter()
        .zip(criteria)
        .map(|(p, c)| p.map(|x| x * c.weight))
        .sum()
}

/// The judge's entries (published or recused pairs only; previews are never shown).
pub async fn my_entries(state: &AppState, ctx: &RoundCtx, user_id: i64) -> AppResult<Vec<MyEntry>> {
    let mine: Vec<assignment::Model> = assignments::for_judge(&state.db, ctx.round.id, user_id)
        .await?
        .into_iter()
        .filter(|a| a.status != assignments::PREVIEW)
        .collect();
    let ids: Vec<i64> = mine.iter().map(|a| a.entry_id).collect();
    let codes = rounds::codes_for(&state.db, &ids).await?;
    let briefs: HashMap<i64, rounds::EntryBrief> = rounds::entries(&state.db, ctx.round.id)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let genres: HashMap<i64, String> = contests::genres(&state.db, ctx.contest.id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let criteria = rounds::criteria(&state.db, ctx.round.id).await?;
    let sheets: HashMap<i64, score::Model> = scores::for_judge(&state.db, ctx.round.id, user_id)
        .await?
        .into_iter()
        .map(|s| (s.entry_id, s))
        .collect();
    let mut out: Vec<MyEntry> = mine
        .iter()
        .filter_map(|a| {
            let e = briefs.get(&a.entry_id)?;
            let sheet = sheets.get(&a.entry_id);
            let st = if a.status == assignments::RECUSED {
                SheetState::Recused
            } else {
                match sheet.map(|s| s.status) {
                    Some(scores::SUBMITTED) => SheetState::Submitted,
                    Some(_) => SheetState::Draft,
                    None => SheetState::NotScored,
                }
            };
            Some(MyEntry {
                code: codes.get(&a.entry_id)?.clone(),
                title: e.title.clone(),
                genre: genres.get(&e.genre_id).cloned().unwrap_or_default(),
                words: e.word_count,
                state: st,
                total: sheet.and_then(|s| total_of(&scores::points_of(s), &criteria)),
            })
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}

/// An entry as a judge may see it.
pub struct Assigned {
    pub entry: entry::Model,
    pub code: String,
    pub genre: String,
    pub assignment: assignment::Model,
    pub score: Option<score::Model>,
    pub criteria: Vec<round_criterion::Model>,
}

fn not_assigned() -> AppError {
    AppError::bad(
        "Tác phẩm này không được phân công cho bạn trong vòng chấm này. Không có gì được lưu.",
        "This entry is not assigned to you in this round. Nothing was saved.",
    )
}

/// The entry behind an anonymous code, if it is assigned (and published) to this judge.
pub async fn assigned(
    state: &AppState,
    ctx: &RoundCtx,
    user_id: i64,
    code: &str,
) -> AppResult<Assigned> {
    let code = code.trim().to_uppercase();
    let entry_id = rounds::entry_by_code(&state.db, ctx.contest.id, &code)
        .await
        .map_err(|_| not_assigned())?;
    let a = assignments::find(&state.db, ctx.round.id, entry_id, user_id)
        .await?
        .filter(|a| a.status != assignments::PREVIEW)
        .ok_or_else(not_assigned)?;
    let entry = entries::get(&state.db, entry_id).await?;
    let genre = contests::genres(&state.db, ctx.contest.id)
        .await?
        .into_iter()
        .find(|g| g.id == entry.genre_id)
        .map(|g| g.name)
        .unwrap_or_default();
    Ok(Assigned {
        entry,
        code,
        genre,
        assignment: a,
        score: scores::find(&state.db, ctx.round.id, entry_id, user_id).await?,
        criteria: rounds::criteria(&state.db, ctx.round.id).await?,
    })
}

/// What a judge typed: one field per criterion (may be empty in a draft), a comment, and
/// whether to submit.
#[derive(Debug, Clone, Default)]
pub struct ScoreInput {
    pub points: Vec<String>,
    pub comment: String,
    pub submit: bool,
}

fn check_can_score(ctx: &RoundCtx, a: &Assigned) -> AppResult<()> {
    if !ctx.is_open() {
        return Err(AppError::bad(
            "Vòng chấm không mở (chưa bắt đầu hoặc đã kết thúc); không thể lưu điểm. Không có gì thay đổi.",
            "The round is not open (not started or already ended); scores cannot be saved. Nothing was changed.",
        ));
    }
    if a.assignment.status == assignments::RECUSED {
        return Err(AppError::bad(
            "Bạn đã từ chối chấm tác phẩm này.",
            "You recused from this entry.",
        ));
    }
    if a.score
        .as_ref()
        .is_some_and(|s| s.status == scores::SUBMITTED)
    {
        return Err(AppError::bad(
            "Phiếu chấm đã nộp; chỉ ban tổ chức mới mở lại được để sửa. Không có gì thay đổi.",
            "The sheet was submitted; only the organizers can reopen it. Nothing was changed.",
        ));
    }
    Ok(())
}

/// Parses the points against the rubric: numbers from 0 to each criterion's maximum; all of
/// them for a submission.
pub fn parse_points(
    input: &ScoreInput,
    criteria: &[round_criterion::Model],
) -> AppResult<Vec<Option<f64>>> {
    let mut out = Vec::with_capacity(criteria.len());
    for (i, c) in criteria.iter().enumerate() {
        let raw = input.points.get(i).map(String::as_str).unwrap_or("").trim();
        if raw.is_empty() {
            if input.submit {
                return Err(bad(
                    format!("Vui lòng chấm tiêu chí «{}» trước khi nộp.", c.name),
                    format!("Please score «{}» before submitting.", c.name),
                ));
            }
            out.push(None);
            continue;
        }
        let Some(x) = parse_number(raw) else {
            return Err(bad(
                format!("Điểm tiêu chí «{}» phải là một số.", c.name),
                format!("The points for «{}» must be a number.", c.name),
            ));
        };
        if x < 0.0 || x > c.max_points {
            return Err(bad(
                format!(
                    "Điểm tiêu chí «{}» phải từ 0 đến {} (đã nhập {}). Không có gì được lưu.",
                    c.name,
                    fmt_num(c.max_points),
                    raw
                ),
                format!(
                    "The points for «{}» must be from 0 to {} (you entered {}). Nothing was saved.",
                    c.name,
                    fmt_num(c.max_points),
                    raw
                ),
            ));
        }
        out.push(Some(x));
    }
    Ok(out)
}

/// Saves a draft or submits a sheet; audit-logged with before and after.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    user_id: i64,
    code: &str,
    input: &ScoreInput,
) -> AppResult<score::Model> {
    let a = assigned(state, ctx, user_id, code).await?;
    check_can_score(ctx, &a)?;
    let points = parse_points(input, &a.criteria)?;
    let comment: String = input.comment.trim().chars().take(5000).collect();
    scores::save(
        &state.db,
        scores::ScoreWrite {
            round_id: ctx.round.id,
            entry_id: a.entry.id,
            user_id,
            points,
            comment,
            status: if input.submit {
                scores::SUBMITTED
            } else {
                scores::DRAFT
            },
        },
        actor.user_id(),
    )
    .await
    .map_err(|e| match e {
        hoithi_storage::StorageError::Conflict(_) => AppError::bad(
            "Phiếu chấm đã nộp; chỉ ban tổ chức mới mở lại được để sửa. Không có gì thay đổi.",
            "The sheet was submitted; only the organizers can reopen it. Nothing was changed.",
        ),
        other => other.into(),
    })
}

/// A judge declares a conflict of interest with an entry and stops judging it.
pub async fn recuse(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    user_id: i64,
    code: &str,
    reason: &str,
) -> AppResult<()> {
    let a = assigned(state, ctx, user_id, code).await?;
    check_can_score(ctx, &a)?;
    let reason: String = crate::validate::clean_line(reason)
        .chars()
        .take(500)
        .collect();
    if reason.is_empty() {
        return Err(AppError::bad(
            "Vui lòng ghi lý do từ chối chấm (ví dụ: biết tác giả).",
            "Please give the reason (e.g. you know the author).",
        ));
    }
    let tx = state.db.write().await?;
    assignments::recuse(&tx, ctx.round.id, a.entry.id, user_id, &reason).await?;
    audit::record(
        &tx,
        actor,
        "assignment.recuse",
        "round",
        Some(ctx.round.id),
        serde_json::json!({
            "entry_id": a.entry.id,
            "judge_id": user_id,
            "reason": reason,
            "dropped_draft": a.score.as_ref().map(|s| s.points.clone()),
        }),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// The work's file with the author's traces removed, named by the anonymous code. The
/// original file is never served to a judge: if it cannot be cleaned, there is no download.
pub async fn stripped_file(state: &AppState, a: &Assigned) -> AppResult<(Vec<u8>, String, String)> {
    let (Some(sha), Some(name)) = (&a.entry.file_sha256, &a.entry.file_name) else {
        // A work pasted into the form has no file: its text is the judge's copy, and holds
        // nothing but the work.
        return Ok((
            a.entry.body.clone().into_bytes(),
            format!("{}.txt", a.code),
            "text/plain; charset=utf-8".into(),
        ));
    };
    let bytes = state
        .blobs
        .get(sha)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .ok_or(AppError::NotFound)?;
    let name = name.clone();
    let cleaned = tokio::task::spawn_blocking(move || {
        let limits = hoithi_extract::Limits::default();
        let format = hoithi_extract::detect_format(&bytes, Some(&name), &limits)?;
        hoithi_extract::metadata_stripped_copy(&bytes, format).map(|b| (b, format))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|_| {
        AppError::bad(
            "Không tạo được bản ẩn danh của tệp này; hãy đọc nội dung trên trang.",
            "An anonymous copy of this file could not be made; read the text on the page.",
        )
    })?;
    let (bytes, format) = cleaned;
    let (ext, mime) = match format {
        hoithi_extract::Format::Docx => (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        hoithi_extract::Format::Odt => ("odt", "application/vnd.oasis.opendocument.text"),
        hoithi_extract::Format::Pdf => ("pdf", "application/pdf"),
        hoithi_extract::Format::Rtf => ("rtf", "application/rtf"),
        hoithi_extract::Format::Html => ("html", "text/html; charset=utf-8"),
        hoithi_extract::Format::Txt => ("txt", "text/plain; charset=utf-8"),
    };
    Ok((bytes, format!("{}.{ext}", a.code), mime.to_string()))
}

/// Entries that share passages with this one, by anonymous code only.
pub struct Overlap {
    pub share: Option<f64>,
    pub limit: i32,
    /// (anonymous code, passages, entry id, what is shared)
    pub matches: Vec<(String, usize, i64, hoithi_integrity::PassageKind)>,
}

pub async fn overlap(state: &AppState, ctx: &RoundCtx, a: &Assigned) -> AppResult<Overlap> {
    let limit = contests::genres(&state.db, ctx.contest.id)
        .await?
        .into_iter()
        .find(|g| g.id == a.entry.genre_id)
        .map(|g| g.allowed_overlap_percent)
        .unwrap_or(100);
    let check = hoithi_storage::repo::checks::get(&state.db, a.entry.id).await?;
    let stored: Vec<crate::integrity::StoredMatch> = check
        .as_ref()
        .map(|c| serde_json::from_str(&c.matches).unwrap_or_default())
        .unwrap_or_default();
    // Judges see other entries under their anonymous codes only; references and allowed
    // sources are organizers' documents whose titles may name people, so they stay out.
    let ids: Vec<i64> = stored.iter().filter_map(|m| m.entry_id).collect();
    let codes = rounds::ensure_codes(
        &state.db,
        ctx.contest.id,
        &ids,
        crate::judging::rounds::service::random_code,
    )
    .await?;
    Ok(Overlap {
        share: check.as_ref().map(|c| c.share * 100.0),
        limit,
        matches: stored
            .iter()
            .filter_map(|m| {
                let id = m.entry_id?;
                Some((
                    codes.get(&id)?.clone(),
                    m.own_stretches().len(),
                    id,
                    m.kind(),
                ))
            })
            .collect(),
    })
}

/// Text in runs, shared passages marked with their kind's CSS class.
pub type Marked = Vec<(String, Option<&'static str>)>;

/// Side by side with another entry (named by its anonymous code): the passages they share.
pub async fn compare(
    state: &AppState,
    ctx: &RoundCtx,
    a: &Assigned,
    other_code: &str,
) -> AppResult<(Marked, Marked, String)> {
    let other_code = other_code.trim().to_uppercase();
    let other_id = rounds::entry_by_code(&state.db, ctx.contest.id, &other_code).await?;
    let check = hoithi_storage::repo::checks::get(&state.db, a.entry.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let stored: Vec<crate::integrity::StoredMatch> =
        serde_json::from_str(&check.matches).unwrap_or_default();
    let m = stored
        .into_iter()
        .find(|m| m.entry_id == Some(other_id))
        .ok_or(AppError::NotFound)?;
    let other = entries::get(&state.db, other_id).await?;
    Ok((
        m.marked(&shown_text(&ctx.contest, &a.entry.body), 0),
        m.marked(&shown_text(&ctx.contest, &other.body), 1),
        other_code,
    ))
}
