//! Organizer pages of a round: list and creation, settings and rubric, status, judges,
//! conflicts, and assignment (automatic preview, publish, undo, hand edits).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hoithi_storage::repo::{assignments, contests, rounds};
use serde::Deserialize;

use super::assign::{self, Pool};
use super::service::{self, RoundCtx, fmt_num};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::contests::service as contest_service;
use crate::error::{AppError, AppResult};
use crate::pages::{Chrome, fmt_datetime, html, ok_html, see_other};
use crate::state::AppState;

/// A form as (name, value) pairs, for forms with a field per row.
pub type Fields = Vec<(String, String)>;

pub fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The message for a notice code in a redirect (`?ok=…`).
pub fn notice_text(code: Option<&str>) -> Option<String> {
    let s = match code? {
        "luu" => "Đã lưu.",
        "tao" => "Đã tạo vòng chấm.",
        "mo" => "Vòng chấm đã mở: giám khảo thấy các bài đã công bố phân công.",
        "dong" => "Vòng chấm đã kết thúc chấm.",
        "gk" => "Đã cập nhật giám khảo.",
        "xoa" => "Đã xóa.",
        "tp" => "Đã cập nhật danh sách tác phẩm của vòng.",
        "cong-bo" => "Đã công bố phân công: giám khảo đã thấy các bài được giao.",
        "hoan-tac" => "Đã hoàn tác cả đợt phân công.",
        "them" => "Đã thêm phân công.",
        "mo-lai" => "Đã mở lại phiếu chấm; giám khảo có thể sửa và nộp lại.",
        "chuyen" => "Đã chuyển các tác phẩm được chọn vào vòng chung khảo.",
        "giai" => "Đã xác nhận giải.",
        "hang" => "Đã lưu hạng giải.",
        "kq" => "Đã công bố kết quả và cấp giấy chứng nhận.",
        _ => return None,
    };
    Some(s.to_string())
}

/// 422 when the page shows a refused form's message, 200 otherwise.
pub fn form_status(error: &Option<String>) -> StatusCode {
    if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

#[derive(Deserialize, Default)]
pub struct Notice {
    pub ok: Option<String>,
}

/// Renders a refused form's message (`$err`, in the page's language) on the page it came
/// from; other errors pass on.
macro_rules! or_page {
    ($result:expr, $c:ident, $err:ident => $page:expr) => {
        match $result {
            Ok(v) => v,
            Err($crate::error::AppError::BadRequest(m) | $crate::error::AppError::Conflict(m)) => {
                let $err = Some(m.get($c.lang).to_string());
                return $page;
            }
            Err(e) => return Err(e),
        }
    };
}
pub(crate) use or_page;

// ---- list and creation ----

pub struct RoundRow {
    id: i64,
    name: String,
    kind: &'static str,
    status: &'static str,
    entries: usize,
    published: bool,
}

#[derive(Template)]
#[template(path = "judging/index.html")]
struct IndexPage {
    c: Chrome,
    slug: String,
    title: String,
    rows: Vec<RoundRow>,
    can_create: bool,
}

pub async fn index(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = contest_service::load(&state, &slug).await?;
    let list = service::managed_rounds(&state, me.actor(), &l).await?;
    let (units, final_ok) = service::creatable(&state, me.actor(), &l).await?;
    if list.is_empty() && units.is_empty() && !final_ok {
        return Err(AppError::Forbidden);
    }
    let mut rows = Vec::new();
    for r in list {
        rows.push(RoundRow {
            entries: rounds::entries(&state.db, r.id).await?.len(),
            kind: service::kind_label(&r.kind),
            status: service::status_label(&r.status),
            published: r.results_published_at.is_some(),
            id: r.id,
            name: r.name,
        });
    }
    Ok(ok_html(&IndexPage {
        slug: l.contest.slug.clone(),
        title: l.contest.title.clone(),
        rows,
        can_create: !units.is_empty() || final_ok,
        c,
    }))
}

#[derive(Template)]
#[template(path = "judging/new.html")]
struct NewPage {
    c: Chrome,
    slug: String,
    title: String,
    units: Vec<(i64, String)>,
    final_ok: bool,
    choices: Vec<(String, String)>,
    error: Option<String>,
}

async fn new_page(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    slug: &str,
    error: Option<String>,
) -> AppResult<Response> {
    let l = contest_service::load(state, slug).await?;
    let (units, final_ok) = service::creatable(state, me.actor(), &l).await?;
    if units.is_empty() && !final_ok {
        return Err(AppError::Forbidden);
    }
    let criteria: Vec<hoithi_storage::entity::round_criterion::Model> = service::default_criteria()
        .into_iter()
        .enumerate()
        .map(|(i, c)| hoithi_storage::entity::round_criterion::Model {
            id: 0,
            round_id: 0,
            position: i as i32,
            name: c.name,
            max_points: c.max_points,
            weight: c.weight,
        })
        .collect();
    let status = form_status(&error);
    Ok(html(
        status,
        &NewPage {
            slug: l.contest.slug.clone(),
            title: l.contest.title.clone(),
            units: units.into_iter().map(|u| (u.id, u.name)).collect(),
            final_ok,
            choices: service::tie_break_choices(&criteria),
            error,
            c,
        },
    ))
}

pub async fn new_form(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    new_page(&state, c, &me, &slug, None).await
}

fn settings_input(f: &Fields) -> service::SettingsInput {
    service::SettingsInput {
        name: field(f, "name").to_string(),
        judges_per_entry: field(f, "judges_per_entry").to_string(),
        dispute_margin: field(f, "dispute_margin").to_string(),
        normalize: !field(f, "normalize").is_empty(),
        tie_break: ["tie1", "tie2", "tie3"]
            .iter()
            .map(|k| field(f, k).to_string())
            .collect(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(slug): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let l = contest_service::load(&state, &slug).await?;
    let input = service::NewRoundInput {
        kind: field(&f, "kind").to_string(),
        unit_id: field(&f, "unit_id").trim().parse().ok(),
        settings: settings_input(&f),
    };
    let r = or_page!(service::create(&state, me.actor(), &l, input).await, c, error =>
        new_page(&state, c, &me, &slug, error).await);
    Ok(see_other(&format!("/vong/{}?ok=tao", r.id)))
}

// ---- the round page ----

pub struct JudgeRow {
    user_id: i64,
    name: String,
    login: String,
    unit: String,
    capacity: i32,
    expertise: String,
    assigned: usize,
    submitted: usize,
    drafts: usize,
    recused: usize,
}

pub type TieRow = (usize, String, Vec<(String, String, bool)>);

pub struct CriterionRow {
    name: String,
    max: String,
    weight: String,
}

#[derive(Template)]
#[template(path = "judging/round.html")]
struct RoundPage {
    c: Chrome,
    id: i64,
    slug: String,
    contest: String,
    name: String,
    kind: &'static str,
    unit: String,
    status: String,
    status_label: &'static str,
    published: bool,
    judges_per_entry: i32,
    dispute_margin: String,
    normalize: bool,
    /// Tie-break steps: (number, current code, choices with the current one selected).
    tie_rows: Vec<TieRow>,
    rule_text: String,
    rule_locked: bool,
    criteria: Vec<CriterionRow>,
    rubric_locked: bool,
    max_total: String,
    entries: usize,
    judges: Vec<JudgeRow>,
    genres: Vec<(i64, String)>,
    default_capacity: usize,
    notice: Option<String>,
    error: Option<String>,
}

async fn round_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let criteria = rounds::criteria(&state.db, ctx.round.id).await?;
    let pool = Pool::load(state, ctx).await?;
    let progress = assign::progress(state, ctx, &pool).await?;
    let genres = contests::genres(&state.db, ctx.contest.id).await?;
    let unit_ids: Vec<i64> = pool
        .judges
        .iter()
        .filter_map(|j| j.user.unit_id)
        .chain([ctx.round.unit_id])
        .collect();
    let unit_names = assign::unit_names(state, &unit_ids).await?;
    let judges = pool
        .judges
        .iter()
        .zip(progress)
        .map(|(j, p)| {
            let exp: Vec<i64> = serde_json::from_str(&j.rj.expertise).unwrap_or_default();
            JudgeRow {
                user_id: j.user.id,
                name: j.user.full_name.clone(),
                login: j
                    .user
                    .email
                    .clone()
                    .or_else(|| j.user.phone.clone())
                    .unwrap_or_default(),
                unit: j
                    .user
                    .unit_id
                    .and_then(|u| unit_names.get(&u).cloned())
                    .unwrap_or_default(),
                capacity: j.rj.capacity,
                expertise: genres
                    .iter()
                    .filter(|g| exp.contains(&g.id))
                    .map(|g| g.name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
                assigned: p.assigned,
                submitted: p.submitted,
                drafts: p.drafts,
                recused: p.recused,
            }
        })
        .collect();
    let rule = service::tie_break_of(&ctx.round);
    let k = ctx.round.judges_per_entry.max(1) as usize;
    let n_judges = pool.judges.len().max(1);
    let status = form_status(&error);
    let rubric = service::rubric_of(&criteria);
    Ok(html(
        status,
        &RoundPage {
            id: ctx.round.id,
            slug: ctx.contest.slug.clone(),
            contest: ctx.contest.title.clone(),
            name: ctx.round.name.clone(),
            kind: service::kind_label(&ctx.round.kind),
            unit: unit_names
                .get(&ctx.round.unit_id)
                .cloned()
                .unwrap_or_default(),
            status: ctx.round.status.clone(),
            status_label: service::status_label(&ctx.round.status),
            published: ctx.is_published(),
            judges_per_entry: ctx.round.judges_per_entry,
            dispute_margin: fmt_num(ctx.round.dispute_margin),
            normalize: ctx.round.normalize,
            tie_rows: (0..3)
                .map(|i| {
                    let current = rule
                        .get(i)
                        .map(|t| service::tie_break_code(*t))
                        .unwrap_or_default();
                    let choices = service::tie_break_choices(&criteria)
                        .into_iter()
                        .map(|(code, label)| {
                            let selected = code == current;
                            (code, label, selected)
                        })
                        .collect();
                    (i + 1, current, choices)
                })
                .collect(),
            rule_text: service::rule_text(&rule, &criteria),
            rule_locked: ctx.round.status != rounds::DRAFT,
            rubric_locked: service::has_scores(state, ctx.round.id).await?,
            max_total: fmt_num(rubric.max_total()),
            criteria: criteria
                .iter()
                .map(|c| CriterionRow {
                    name: c.name.clone(),
                    max: fmt_num(c.max_points),
                    weight: fmt_num(c.weight),
                })
                .chain((0..2).map(|_| CriterionRow {
                    name: String::new(),
                    max: String::new(),
                    weight: String::new(),
                }))
                .collect(),
            entries: pool.entries.len(),
            judges,
            genres: genres.into_iter().map(|g| (g.id, g.name)).collect(),
            default_capacity: (pool.entries.len() * k).div_ceil(n_judges).max(10),
            notice,
            error,
            c,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    round_page(&state, c, &ctx, notice_text(n.ok.as_deref()), None).await
}

pub async fn update(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    or_page!(service::update_settings(&state, me.actor(), &ctx, &settings_input(&f)).await, c, error =>
        round_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}?ok=luu")))
}

pub async fn rubric(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    let rows: Vec<(String, String, String)> = (0..22)
        .map(|i| {
            (
                field(&f, &format!("cn{i}")).to_string(),
                field(&f, &format!("cm{i}")).to_string(),
                field(&f, &format!("cw{i}")).to_string(),
            )
        })
        .collect();
    or_page!(service::update_rubric(&state, me.actor(), &ctx, &rows).await, c, error =>
        round_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}?ok=luu")))
}

pub async fn status(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    let to = field(&f, "status");
    let saved = or_page!(service::set_status(&state, me.actor(), &ctx, to).await, c, error =>
        round_page(&state, c, &ctx, None, error).await);
    let ok = if saved.status == rounds::OPEN {
        "mo"
    } else {
        "dong"
    };
    Ok(see_other(&format!("/vong/{id}?ok={ok}")))
}

pub async fn take_in(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    if ctx.round.status == rounds::CLOSED || ctx.is_published() {
        return round_page(
            &state,
            c,
            &ctx,
            None,
            Some("Vòng chấm đã kết thúc; không nhận thêm tác phẩm.".into()),
        )
        .await;
    }
    let n = service::take_in_entries(&state, &ctx).await?;
    hoithi_storage::repo::audit::record(
        &state.db.conn,
        me.actor().user_id,
        "round.take_in",
        "round",
        Some(id),
        serde_json::json!({"added": n}),
    )
    .await?;
    Ok(see_other(&format!("/vong/{id}?ok=tp")))
}

pub async fn invite(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    let expertise: Vec<i64> = f
        .iter()
        .filter(|(k, _)| k == "expertise")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    or_page!(service::invite_judge(&state, me.actor(), &ctx, field(&f, "login"), field(&f, "capacity"), expertise).await, c, error =>
        round_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}?ok=gk")))
}

pub async fn remove_judge(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path((id, user)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    or_page!(service::remove_judge(&state, me.actor(), &ctx, user).await, c, error =>
        round_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}?ok=xoa")))
}

// ---- conflicts ----

pub struct RuleRow {
    id: i64,
    judge: String,
    entry: String,
    kind: &'static str,
    reason: String,
    removable: bool,
}

pub struct AutoRow {
    judge: String,
    same_unit: usize,
    others: Vec<String>,
}

#[derive(Template)]
#[template(path = "judging/conflicts.html")]
struct ConflictsPage {
    c: Chrome,
    id: i64,
    name: String,
    rules: Vec<RuleRow>,
    auto: Vec<AutoRow>,
    judges: Vec<(i64, String)>,
    error: Option<String>,
    notice: Option<String>,
}

async fn conflicts_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let pool = Pool::load(state, ctx).await?;
    let by_entry: HashMap<i64, &rounds::EntryBrief> =
        pool.entries.iter().map(|e| (e.id, e)).collect();
    let names: HashMap<i64, String> = pool
        .judges
        .iter()
        .map(|j| (j.user.id, j.user.full_name.clone()))
        .collect();
    let rules = pool
        .recorded
        .iter()
        .map(|r| RuleRow {
            id: r.id,
            judge: names.get(&r.user_id).cloned().unwrap_or_default(),
            entry: by_entry
                .get(&r.entry_id)
                .map(|e| format!("{} — {}", e.receipt_code, e.title))
                .unwrap_or_default(),
            kind: match r.kind.as_str() {
                rounds::DECLARED => "Giám khảo tự khai báo",
                rounds::FORBIDDEN => "Không cho phép",
                _ => "Bắt buộc phân công",
            },
            reason: r.reason.clone(),
            removable: r.kind != rounds::DECLARED,
        })
        .collect();
    let auto = pool
        .judges
        .iter()
        .map(|j| {
            let mut same_unit = 0;
            let mut others = Vec::new();
            for e in &pool.entries {
                match pool.automatic(j, e) {
                    Some(assign::Conflict::SameUnit) => same_unit += 1,
                    Some(other) => others.push(format!("{}: {}", e.receipt_code, other.label())),
                    None => {}
                }
            }
            AutoRow {
                judge: j.user.full_name.clone(),
                same_unit,
                others,
            }
        })
        .collect();
    let status = form_status(&error);
    Ok(html(
        status,
        &ConflictsPage {
            id: ctx.round.id,
            name: ctx.round.name.clone(),
            rules,
            auto,
            judges: pool
                .judges
                .iter()
                .map(|j| (j.user.id, j.user.full_name.clone()))
                .collect(),
            error,
            notice,
            c,
        },
    ))
}

pub async fn conflicts(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    conflicts_page(&state, c, &ctx, notice_text(n.ok.as_deref()), None).await
}

pub async fn add_rule(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    let judge = field(&f, "judge").trim().parse().unwrap_or(0);
    or_page!(assign::set_pair_rule(&state, me.actor(), &ctx, judge, field(&f, "entry"), field(&f, "kind"), field(&f, "reason")).await, c, error =>
        conflicts_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/xung-dot?ok=luu")))
}

pub async fn remove_rule(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path((id, rule)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    let recorded = rounds::conflicts(&state.db, id).await?;
    match recorded.iter().find(|r| r.id == rule) {
        None => return Err(AppError::NotFound),
        Some(r) if r.kind == rounds::DECLARED => {
            return conflicts_page(
                &state,
                c,
                &ctx,
                None,
                Some("Xung đột do giám khảo tự khai báo không thể xóa.".into()),
            )
            .await;
        }
        Some(_) => {}
    }
    assign::remove_pair_rule(&state, me.actor(), &ctx, rule).await?;
    Ok(see_other(&format!("/vong/{id}/xung-dot?ok=xoa")))
}

// ---- assignments ----

pub struct PairCell {
    id: i64,
    judge: String,
    state: &'static str,
    extra: bool,
}

pub struct EntryRow {
    receipt: String,
    code: String,
    title: String,
    genre: String,
    unit: String,
    judges: Vec<PairCell>,
}

pub struct BatchRow {
    id: i64,
    kind: &'static str,
    status_label: &'static str,
    pairs: i32,
    created: String,
}

#[derive(Template)]
#[template(path = "judging/assignments.html")]
struct AssignmentsPage {
    c: Chrome,
    id: i64,
    name: String,
    editable: bool,
    k: i32,
    margin: String,
    batches: Vec<BatchRow>,
    rows: Vec<EntryRow>,
    short: usize,
    judges: Vec<(i64, String, usize, i32)>,
    error: Option<String>,
    notice: Option<String>,
}

fn batch_kind(k: &str) -> &'static str {
    match k {
        assignments::AUTO => "Tự động",
        assignments::EXTRA => "Chấm thêm (chênh lệch điểm)",
        _ => "Thủ công",
    }
}

fn batch_status(s: &str) -> &'static str {
    match s {
        assignments::PREVIEW => "Xem trước (giám khảo chưa thấy)",
        assignments::PUBLISHED => "Đã công bố",
        _ => "Đã hoàn tác",
    }
}

async fn assignments_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let pool = Pool::load(state, ctx).await?;
    let ids: Vec<i64> = pool.entries.iter().map(|e| e.id).collect();
    let codes = rounds::codes_for(&state.db, &ids).await?;
    let genres: HashMap<i64, String> = contests::genres(&state.db, ctx.contest.id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let unit_names = assign::unit_names(
        state,
        &pool.entries.iter().map(|e| e.unit_id).collect::<Vec<_>>(),
    )
    .await?;
    let names: HashMap<i64, String> = pool
        .judges
        .iter()
        .map(|j| (j.user.id, j.user.full_name.clone()))
        .collect();
    let mut by_entry: HashMap<i64, Vec<PairCell>> = HashMap::new();
    let mut load: HashMap<i64, usize> = HashMap::new();
    for a in pool
        .assignments
        .iter()
        .filter(|a| a.status != assignments::PREVIEW)
    {
        if a.status == assignments::PUBLISHED {
            *load.entry(a.user_id).or_default() += 1;
        }
        by_entry.entry(a.entry_id).or_default().push(PairCell {
            id: a.id,
            judge: names.get(&a.user_id).cloned().unwrap_or_default(),
            state: if a.status == assignments::RECUSED {
                "đã từ chối"
            } else {
                ""
            },
            extra: a.extra,
        });
    }
    let k = ctx.round.judges_per_entry.max(1) as usize;
    let mut short = 0;
    let rows = pool
        .entries
        .iter()
        .map(|e| {
            let judges = by_entry.remove(&e.id).unwrap_or_default();
            if judges.iter().filter(|p| p.state.is_empty()).count() < k {
                short += 1;
            }
            EntryRow {
                receipt: e.receipt_code.clone(),
                code: codes.get(&e.id).cloned().unwrap_or_default(),
                title: e.title.clone(),
                genre: genres.get(&e.genre_id).cloned().unwrap_or_default(),
                unit: unit_names.get(&e.unit_id).cloned().unwrap_or_default(),
                judges,
            }
        })
        .collect();
    let batches = assignments::batches(&state.db, ctx.round.id)
        .await?
        .into_iter()
        .map(|b| BatchRow {
            id: b.id,
            kind: batch_kind(&b.kind),
            status_label: batch_status(&b.status),
            pairs: b.pairs,
            created: fmt_datetime(&b.created_at),
        })
        .collect();
    let status = form_status(&error);
    Ok(html(
        status,
        &AssignmentsPage {
            id: ctx.round.id,
            name: ctx.round.name.clone(),
            editable: ctx.round.status != rounds::CLOSED && !ctx.is_published(),
            k: ctx.round.judges_per_entry,
            margin: fmt_num(ctx.round.dispute_margin),
            batches,
            rows,
            short,
            judges: pool
                .judges
                .iter()
                .map(|j| {
                    (
                        j.user.id,
                        j.user.full_name.clone(),
                        load.get(&j.user.id).copied().unwrap_or(0),
                        j.rj.capacity,
                    )
                })
                .collect(),
            error,
            notice,
            c,
        },
    ))
}

pub async fn assignments(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    assignments_page(&state, c, &ctx, notice_text(n.ok.as_deref()), None).await
}

pub async fn auto(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    let b = or_page!(assign::auto(&state, me.actor(), &ctx).await, c, error =>
        assignments_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong/dot/{}", b.id)))
}

pub async fn extra(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    let b = or_page!(assign::extra(&state, me.actor(), &ctx).await, c, error =>
        assignments_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong/dot/{}", b.id)))
}

pub async fn add_pair(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    let judge = field(&f, "judge").trim().parse().unwrap_or(0);
    or_page!(assign::add_pair(&state, me.actor(), &ctx, judge, field(&f, "entry")).await, c, error =>
        assignments_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong?ok=them")))
}

pub async fn remove_pair(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path((id, pair)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    or_page!(assign::remove_pair(&state, me.actor(), &ctx, pair).await, c, error =>
        assignments_page(&state, c, &ctx, None, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong?ok=xoa")))
}

pub struct BatchPair {
    receipt: String,
    code: String,
    title: String,
    judge: String,
    extra: bool,
}

#[derive(Template)]
#[template(path = "judging/batch.html")]
struct BatchPage {
    c: Chrome,
    id: i64,
    name: String,
    batch: i64,
    kind: &'static str,
    status: String,
    status_label: &'static str,
    objective: String,
    notes: Vec<String>,
    pairs: Vec<BatchPair>,
    loads: Vec<(String, usize, i32)>,
    editable: bool,
    error: Option<String>,
}

async fn batch_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    batch_id: i64,
    error: Option<String>,
) -> AppResult<Response> {
    let b = assignments::batch(&state.db, ctx.round.id, batch_id).await?;
    let pairs = assignments::batch_pairs(&state.db, b.id).await?;
    let pool = Pool::load(state, ctx).await?;
    let by_entry: HashMap<i64, &rounds::EntryBrief> =
        pool.entries.iter().map(|e| (e.id, e)).collect();
    let codes = rounds::codes_for(
        &state.db,
        &pairs.iter().map(|p| p.entry_id).collect::<Vec<_>>(),
    )
    .await?;
    let names: HashMap<i64, String> = pool
        .judges
        .iter()
        .map(|j| (j.user.id, j.user.full_name.clone()))
        .collect();
    let mut loads: Vec<(String, usize, i32)> = pool
        .judges
        .iter()
        .map(|j| {
            let n = pairs.iter().filter(|p| p.user_id == j.user.id).count();
            (j.user.full_name.clone(), n, j.rj.capacity)
        })
        .collect();
    loads.retain(|l| l.1 > 0);
    let status = form_status(&error);
    Ok(html(
        status,
        &BatchPage {
            id: ctx.round.id,
            name: ctx.round.name.clone(),
            batch: b.id,
            kind: batch_kind(&b.kind),
            status_label: batch_status(&b.status),
            status: b.status.clone(),
            objective: b.objective.map(|o| o.to_string()).unwrap_or_default(),
            notes: serde_json::from_str(&b.notes).unwrap_or_default(),
            pairs: pairs
                .iter()
                .map(|p| BatchPair {
                    receipt: by_entry
                        .get(&p.entry_id)
                        .map(|e| e.receipt_code.clone())
                        .unwrap_or_default(),
                    code: codes.get(&p.entry_id).cloned().unwrap_or_default(),
                    title: by_entry
                        .get(&p.entry_id)
                        .map(|e| e.title.clone())
                        .unwrap_or_default(),
                    judge: names.get(&p.user_id).cloned().unwrap_or_default(),
                    extra: p.extra,
                })
                .collect(),
            loads,
            editable: ctx.round.status != rounds::CLOSED && !ctx.is_published(),
            error,
            c,
        },
    ))
}

pub async fn batch(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path((id, batch)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    batch_page(&state, c, &ctx, batch, None).await
}

pub async fn publish_batch(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path((id, batch)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    or_page!(assign::publish(&state, me.actor(), &ctx, batch).await, c, error =>
        batch_page(&state, c, &ctx, batch, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong?ok=cong-bo")))
}

pub async fn undo_batch(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    Path((id, batch)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let ctx = service::managed(&state, me.actor(), id).await?;
    or_page!(assign::undo(&state, me.actor(), &ctx, batch).await, c, error =>
        batch_page(&state, c, &ctx, batch, error).await);
    Ok(see_other(&format!("/vong/{id}/phan-cong?ok=hoan-tac")))
}
