//! The feedback survey. Questions are typed one a line (`rating: …`, `single: … | a; b`,
//! `multiple: … | a; b`, `text: …`); delegates who attended answer once, from the start of
//! the last session until the survey's closing day; results count and average.

use std::collections::BTreeMap;

use hoithi_storage::repo::courses::followup::{self, NewQuestion};
use hoithi_storage::repo::courses::{self, Delegate, Question, checkins};
use hoithi_storage::status::{AttendanceStatus, QuestionKind};

use crate::audit;
use crate::courses::service::{CourseCtx, bad, day_end, is_active, require};
use crate::error::{AppError, AppResult};
use crate::forms::{Fields, field};
use crate::policy::Actor;
use crate::state::AppState;

pub const DEFAULT_QUESTIONS: &str = "rating: Nội dung lớp học thiết thực với công việc của đồng chí\n\
rating: Báo cáo viên trình bày dễ hiểu\n\
single: Thời lượng lớp học | Ngắn | Vừa đủ | Dài\n\
multiple: Nội dung đồng chí muốn được bồi dưỡng thêm | Viết tin bài | Tuyên truyền trên mạng xã hội | Nắm bắt dư luận | Kỹ năng nói trước đông người\n\
text: Góp ý khác";

pub fn kind_code(k: QuestionKind) -> &'static str {
    k.as_str()
}

/// Parses the typed questions.
pub fn parse(text: &str) -> AppResult<Vec<NewQuestion>> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let raw = hoithi_text::normalize::normalize_str(raw.trim());
        if raw.is_empty() {
            continue;
        }
        let n = i + 1;
        let Some((kind, rest)) = raw.split_once(':') else {
            return Err(bad(
                format!(
                    "Dòng {n}: bắt đầu bằng loại câu hỏi (rating, single, multiple hoặc text) và dấu hai chấm."
                ),
                format!(
                    "Line {n}: start with the kind of question (rating, single, multiple or text) and a colon."
                ),
            ));
        };
        let Some(kind) = QuestionKind::parse(kind.trim()) else {
            return Err(bad(
                format!(
                    "Dòng {n}: loại câu hỏi «{}» không có; dùng rating, single, multiple hoặc text.",
                    kind.trim()
                ),
                format!(
                    "Line {n}: there is no kind «{}»; use rating, single, multiple or text.",
                    kind.trim()
                ),
            ));
        };
        let mut parts = rest.split('|').map(str::trim);
        let prompt = parts.next().unwrap_or_default().to_string();
        let choices: Vec<String> = parts.filter(|p| !p.is_empty()).map(String::from).collect();
        if prompt.is_empty() || prompt.chars().count() > 300 {
            return Err(bad(
                format!("Dòng {n}: câu hỏi trống hoặc quá dài (tối đa 300 ký tự)."),
                format!("Line {n}: the question is empty or too long (300 characters at most)."),
            ));
        }
        let needs = matches!(kind, QuestionKind::Single | QuestionKind::Multiple);
        if needs && choices.len() < 2 {
            return Err(bad(
                format!(
                    "Dòng {n}: câu hỏi lựa chọn cần ít nhất hai phương án, cách nhau bằng «|»."
                ),
                format!(
                    "Line {n}: a choice question needs at least two choices, separated by «|»."
                ),
            ));
        }
        out.push(NewQuestion {
            kind,
            prompt,
            choices: if needs {
                choices.join("\n")
            } else {
                String::new()
            },
        });
    }
    if out.len() > 50 {
        return Err(AppError::bad(
            "Phiếu khảo sát có tối đa 50 câu hỏi.",
            "A survey has at most 50 questions.",
        ));
    }
    Ok(out)
}

/// The questions as typed, for the editor.
pub fn unparse(list: &[Question]) -> String {
    list.iter()
        .map(|q| {
            let mut s = format!("{}: {}", kind_code(q.kind), q.prompt);
            for c in q.choices.lines() {
                s.push_str(" | ");
                s.push_str(c);
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub async fn set_questions(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    text: &str,
    closes: &str,
) -> AppResult<usize> {
    require(ctx.can_manage(actor))?;
    let list = parse(text)?;
    let closes_at = if closes.trim().is_empty() {
        None
    } else {
        Some(day_end(closes).ok_or_else(|| {
            AppError::bad(
                "Hạn trả lời khảo sát phải là ngày dạng dd/mm/yyyy.",
                "The survey's closing day must be a date as dd/mm/yyyy.",
            )
        })?)
    };
    let tx = state.db.write().await?;
    if !followup::answers(&tx, ctx.course.id).await?.is_empty() {
        return Err(AppError::bad(
            "Đã có đại biểu trả lời; không sửa được câu hỏi nữa.",
            "Delegates have answered; the questions can no longer change.",
        ));
    }
    let n = list.len();
    followup::set_questions(&tx, ctx.course.id, list).await?;
    courses::set_deadlines(&tx, ctx.course.id, closes_at, ctx.course.followup_deadline).await?;
    audit::record(
        &tx,
        actor,
        "course.survey",
        "course",
        Some(ctx.course.id),
        serde_json::json!({"questions": n}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(n)
}

/// Whether this delegate may answer now: questions set, they attended a session, the last
/// session has begun, the closing day has not passed, and they have not answered.
pub async fn is_open(state: &AppState, ctx: &CourseCtx, d: &Delegate) -> AppResult<bool> {
    Ok(why_closed(state, ctx, d).await?.is_none())
}

async fn why_closed(
    state: &AppState,
    ctx: &CourseCtx,
    d: &Delegate,
) -> AppResult<Option<AppError>> {
    let now = chrono::Utc::now();
    if followup::questions(&state.db, ctx.course.id)
        .await?
        .is_empty()
    {
        return Ok(Some(AppError::bad(
            "Lớp chưa có phiếu khảo sát.",
            "The course has no survey.",
        )));
    }
    let sessions = courses::sessions(&state.db, ctx.course.id).await?;
    if sessions.last().is_none_or(|s| s.starts_at > now) {
        return Ok(Some(AppError::bad(
            "Phiếu khảo sát mở từ buổi học cuối cùng.",
            "The survey opens with the last session.",
        )));
    }
    if ctx.course.survey_closes_at.is_some_and(|c| c < now) {
        return Ok(Some(AppError::bad(
            "Đã hết hạn trả lời phiếu khảo sát.",
            "The survey has closed.",
        )));
    }
    let attended = checkins::of_delegate(&state.db, d.id)
        .await?
        .iter()
        .any(|c| matches!(c.status, AttendanceStatus::Present | AttendanceStatus::Late));
    if !attended || !is_active(d) {
        return Ok(Some(AppError::bad(
            "Phiếu khảo sát dành cho đại biểu đã dự lớp.",
            "The survey is for delegates who attended.",
        )));
    }
    if followup::answered(&state.db, d.id).await? {
        return Ok(Some(AppError::bad(
            "Đồng chí đã trả lời phiếu khảo sát này.",
            "You have already answered this survey.",
        )));
    }
    Ok(None)
}

/// Stores a delegate's answers, once.
pub async fn answer(
    state: &AppState,
    holder: &Actor,
    ctx: &CourseCtx,
    d: &Delegate,
    f: &Fields,
) -> AppResult<()> {
    if let Some(e) = why_closed(state, ctx, d).await? {
        return Err(e);
    }
    let questions = followup::questions(&state.db, ctx.course.id).await?;
    let mut answers = BTreeMap::new();
    for (i, q) in questions.iter().enumerate() {
        let key = format!("q{}", q.id);
        let n = i + 1;
        let value = match q.kind {
            QuestionKind::Rating => {
                let v = field(f, &key).trim();
                let Some(r) = v.parse::<i64>().ok().filter(|r| (1..=5).contains(r)) else {
                    return Err(bad(
                        format!("Câu {n}: vui lòng chấm từ 1 đến 5."),
                        format!("Question {n}: please rate from 1 to 5."),
                    ));
                };
                serde_json::json!(r)
            }
            QuestionKind::Single => {
                let v = field(f, &key).trim();
                if !q.choices.lines().any(|c| c == v) {
                    return Err(bad(
                        format!("Câu {n}: vui lòng chọn một phương án."),
                        format!("Question {n}: please choose one answer."),
                    ));
                }
                serde_json::json!(v)
            }
            QuestionKind::Multiple => {
                let picked: Vec<&str> = f
                    .iter()
                    .filter(|(k, _)| *k == key)
                    .map(|(_, v)| v.as_str())
                    .collect();
                if picked.iter().any(|p| !q.choices.lines().any(|c| c == *p)) {
                    return Err(bad(
                        format!("Câu {n}: phương án không có trong danh sách."),
                        format!("Question {n}: an answer is not among the choices."),
                    ));
                }
                serde_json::json!(picked)
            }
            QuestionKind::Text => {
                let v = hoithi_text::normalize::normalize_str(field(f, &key).trim());
                if v.chars().count() > 2000 {
                    return Err(bad(
                        format!("Câu {n}: tối đa 2.000 ký tự."),
                        format!("Question {n}: 2,000 characters at most."),
                    ));
                }
                serde_json::json!(v)
            }
        };
        answers.insert(q.id.to_string(), value);
    }
    let tx = state.db.write().await?;
    let stored = followup::answer(
        &tx,
        ctx.course.id,
        d.id,
        serde_json::to_string(&answers).unwrap_or_default(),
    )
    .await?;
    if !stored {
        return Err(AppError::bad(
            "Đồng chí đã trả lời phiếu khảo sát này.",
            "You have already answered this survey.",
        ));
    }
    audit::record(
        &tx,
        holder,
        "course.survey_answer",
        "course",
        Some(ctx.course.id),
        serde_json::json!({}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// One question's results.
pub struct QuestionResult {
    pub question: Question,
    /// (choice, count) for choice questions, ("1".."5", count) for ratings.
    pub counts: Vec<(String, usize)>,
    pub average: Option<f64>,
    pub texts: Vec<String>,
}

pub async fn results(state: &AppState, ctx: &CourseCtx) -> AppResult<(usize, Vec<QuestionResult>)> {
    let questions = followup::questions(&state.db, ctx.course.id).await?;
    let answers: Vec<serde_json::Map<String, serde_json::Value>> =
        followup::answers(&state.db, ctx.course.id)
            .await?
            .into_iter()
            .filter_map(|a| serde_json::from_str(&a.answers).ok())
            .collect();
    let out = questions
        .into_iter()
        .map(|q| {
            let key = q.id.to_string();
            let values: Vec<&serde_json::Value> =
                answers.iter().filter_map(|a| a.get(&key)).collect();
            let mut r = QuestionResult {
                counts: Vec::new(),
                average: None,
                texts: Vec::new(),
                question: q.clone(),
            };
            match q.kind {
                QuestionKind::Rating => {
                    let nums: Vec<i64> = values.iter().filter_map(|v| v.as_i64()).collect();
                    r.counts = (1..=5)
                        .map(|k| (k.to_string(), nums.iter().filter(|n| **n == k).count()))
                        .collect();
                    if !nums.is_empty() {
                        r.average = Some(nums.iter().sum::<i64>() as f64 / nums.len() as f64);
                    }
                }
                QuestionKind::Single | QuestionKind::Multiple => {
                    r.counts = q
                        .choices
                        .lines()
                        .map(|c| {
                            let n = values
                                .iter()
                                .filter(|v| match v {
                                    serde_json::Value::String(s) => s == c,
                                    serde_json::Value::Array(a) => a.iter().any(|x| x == c),
                                    _ => false,
                                })
                                .count();
                            (c.to_string(), n)
                        })
                        .collect();
                }
                QuestionKind::Text => {
                    r.texts = values
                        .iter()
                        .filter_map(|v| v.as_str())
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect();
                }
            }
            r
        })
        .collect();
    Ok((answers.len(), out))
}
