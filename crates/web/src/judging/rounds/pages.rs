//! Organizer pages of a round: list and creation, settings and rubric, status, judges.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hoithi_storage::repo::{contests, rounds};

use crate::access::ManagedRound;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::contests::service as contest_service;
use crate::error::{AppError, AppResult};
use crate::format::fmt_num;
use crate::forms::{Fields, Notice, field, form_status, or_page};
use crate::judging::assignment::service::{self as assign, Pool};
use crate::judging::notice_text;
use crate::judging::rounds::service::{self, RoundCtx};
use crate::pages::{Chrome, html, ok_html, see_other};
use crate::state::AppState;

pub struct RoundRow {
    id: i64,
    name: String,
    kind: &'static str,
    status: &'static str,
    entries: crate::format::Num,
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
            entries: rounds::entries(&state.db, r.id).await?.len().into(),
            kind: service::kind_label(r.kind, c.lang),
            status: service::status_label(r.status, c.lang),
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
    /// What was typed (the defaults on a fresh form), shown again after a refusal.
    v: NewValues,
}

pub struct NewValues {
    kind: String,
    unit_id: String,
    name: String,
    judges_per_entry: String,
    dispute_margin: String,
    normalize: bool,
    tie: Vec<String>,
}

impl NewValues {
    fn from(kept: Option<&Fields>) -> NewValues {
        match kept {
            Some(f) => NewValues {
                kind: field(f, "kind").into(),
                unit_id: field(f, "unit_id").into(),
                name: field(f, "name").into(),
                judges_per_entry: field(f, "judges_per_entry").into(),
                dispute_margin: field(f, "dispute_margin").into(),
                normalize: !field(f, "normalize").is_empty(),
                tie: ["tie1", "tie2", "tie3"]
                    .iter()
                    .map(|k| field(f, k).to_string())
                    .collect(),
            },
            None => NewValues {
                kind: String::new(),
                unit_id: String::new(),
                name: String::new(),
                judges_per_entry: "2".into(),
                dispute_margin: "15".into(),
                normalize: false,
                // The rule most contests publish: the first criterion, the median, the earlier.
                tie: vec!["criterion:0".into(), "median".into(), "earlier".into()],
            },
        }
    }

    /// The choice of the tie-break step with this index (from 0).
    fn tie_at(&self, index: &&usize) -> &str {
        self.tie.get(**index).map(String::as_str).unwrap_or("")
    }
}

async fn new_page(
    state: &AppState,
    c: Chrome,
    me: &CurrentUser,
    slug: &str,
    error: Option<String>,
    kept: Option<&Fields>,
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
            choices: service::tie_break_choices(&criteria, c.lang),
            error,
            v: NewValues::from(kept),
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
    new_page(&state, c, &me, &slug, None, None).await
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
        new_page(&state, c, &me, &slug, error, Some(&f)).await);
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
    judges_per_entry: String,
    dispute_margin: String,
    normalize: bool,
    /// Tie-break steps: (number, current code, choices with the current one selected).
    tie_rows: Vec<TieRow>,
    rule_text: String,
    rule_locked: bool,
    criteria: Vec<CriterionRow>,
    rubric_locked: bool,
    max_total: String,
    entries: crate::format::Num,
    judges: Vec<JudgeRow>,
    genres: Vec<(i64, String)>,
    default_capacity: String,
    /// What was typed in the invitation form, shown again after a refusal.
    invite_login: String,
    notice: Option<String>,
    error: Option<String>,
}

/// The round's page; after a refused form, `kept` holds what was typed in it, shown again in
/// place of the stored values.
async fn round_page(
    state: &AppState,
    c: Chrome,
    ctx: &RoundCtx,
    notice: Option<String>,
    error: Option<String>,
    kept: Option<&Fields>,
) -> AppResult<Response> {
    let typed = |name: &str| kept.map(|f| field(f, name).to_string());
    let settings_kept = kept.is_some_and(|f| f.iter().any(|(k, _)| k == "judges_per_entry"));
    let rubric_kept = kept.is_some_and(|f| f.iter().any(|(k, _)| k == "cn0"));
    let invite_kept = kept.is_some_and(|f| f.iter().any(|(k, _)| k == "login"));
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
            name: typed("name")
                .filter(|_| settings_kept)
                .unwrap_or_else(|| ctx.round.name.clone()),
            kind: service::kind_label(ctx.round.kind, c.lang),
            unit: unit_names
                .get(&ctx.round.unit_id)
                .cloned()
                .unwrap_or_default(),
            status: ctx.round.status.to_string(),
            status_label: service::status_label(ctx.round.status, c.lang),
            published: ctx.is_published(),
            judges_per_entry: typed("judges_per_entry")
                .filter(|_| settings_kept)
                .unwrap_or_else(|| ctx.round.judges_per_entry.to_string()),
            dispute_margin: typed("dispute_margin")
                .filter(|_| settings_kept)
                .unwrap_or_else(|| fmt_num(ctx.round.dispute_margin)),
            normalize: if settings_kept {
                typed("normalize").is_some_and(|v| !v.is_empty())
            } else {
                ctx.round.normalize
            },
            tie_rows: (0..3)
                .map(|i| {
                    let current = match typed(&format!("tie{}", i + 1)) {
                        Some(v) if settings_kept && ctx.round.status == rounds::DRAFT => v,
                        _ => rule
                            .get(i)
                            .map(|t| service::tie_break_code(*t))
                            .unwrap_or_default(),
                    };
                    let choices = service::tie_break_choices(&criteria, c.lang)
                        .into_iter()
                        .map(|(code, label)| {
                            let selected = code == current;
                            (code, label, selected)
                        })
                        .collect();
                    (i + 1, current, choices)
                })
                .collect(),
            rule_text: service::rule_text(&rule, &criteria, c.lang),
            rule_locked: ctx.round.status != rounds::DRAFT,
            rubric_locked: service::has_scores(state, ctx.round.id).await?,
            max_total: fmt_num(rubric.max_total()),
            criteria: match kept.filter(|_| rubric_kept) {
                // The rows as typed, up to the last one with anything in it, and two blank.
                Some(f) => {
                    let rows: Vec<CriterionRow> = (0..22)
                        .map(|i| CriterionRow {
                            name: field(f, &format!("cn{i}")).to_string(),
                            max: field(f, &format!("cm{i}")).to_string(),
                            weight: field(f, &format!("cw{i}")).to_string(),
                        })
                        .collect();
                    let used = rows
                        .iter()
                        .rposition(|r| {
                            !(r.name.is_empty() && r.max.is_empty() && r.weight.is_empty())
                        })
                        .map_or(0, |i| i + 1);
                    rows.into_iter().take((used + 2).min(22)).collect()
                }
                None => criteria
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
            },
            entries: pool.entries.len().into(),
            judges,
            genres: genres.into_iter().map(|g| (g.id, g.name)).collect(),
            default_capacity: typed("capacity")
                .filter(|_| invite_kept)
                .unwrap_or_else(|| {
                    (pool.entries.len() * k)
                        .div_ceil(n_judges)
                        .max(10)
                        .to_string()
                }),
            invite_login: typed("login").filter(|_| invite_kept).unwrap_or_default(),
            notice,
            error,
            c,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    ManagedRound(ctx): ManagedRound,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let notice = notice_text(n.ok.as_deref(), c.lang);
    round_page(&state, c, &ctx, notice, None, None).await
}

pub async fn update(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    or_page!(service::update_settings(&state, me.actor(), &ctx, &settings_input(&f)).await, c, error =>
        round_page(&state, c, &ctx, None, error, Some(&f)).await);
    Ok(see_other(&format!("/vong/{id}?ok=luu")))
}

pub async fn rubric(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
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
        round_page(&state, c, &ctx, None, error, Some(&f)).await);
    Ok(see_other(&format!("/vong/{id}?ok=luu")))
}

pub async fn status(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let Some(to) = hoithi_storage::status::RoundStatus::parse(field(&f, "status")) else {
        let error = crate::i18n::Msg::new(
            "Không thể chuyển vòng chấm sang trạng thái này.",
            "The round cannot move to that status.",
        )
        .get(c.lang)
        .to_string();
        return round_page(&state, c, &ctx, None, Some(error), None).await;
    };
    let saved = or_page!(service::set_status(&state, me.actor(), &ctx, to).await, c, error =>
        round_page(&state, c, &ctx, None, error, None).await);
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
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    let t = c.t.judging;
    if ctx.round.status == rounds::CLOSED || ctx.is_published() {
        return round_page(
            &state,
            c,
            &ctx,
            None,
            Some(t.round_closed_no_entries.into()),
            None,
        )
        .await;
    }
    let tx = state.db.write().await?;
    let n = service::take_in_entries(&tx, &ctx).await?;
    crate::audit::record(
        &tx,
        me.actor(),
        "round.take_in",
        "round",
        Some(id),
        serde_json::json!({"added": n}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(see_other(&format!("/vong/{id}?ok=tp")))
}

pub async fn invite(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let expertise: Vec<i64> = f
        .iter()
        .filter(|(k, _)| k == "expertise")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    or_page!(service::invite_judge(&state, me.actor(), &ctx, field(&f, "login"), field(&f, "capacity"), expertise).await, c, error =>
        round_page(&state, c, &ctx, None, error, Some(&f)).await);
    Ok(see_other(&format!("/vong/{id}?ok=gk")))
}

pub async fn remove_judge(
    State(state): State<AppState>,
    c: Chrome,
    me: CurrentUser,
    ManagedRound(ctx): ManagedRound,
    Path((id, user)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Fields>,
) -> AppResult<Response> {
    or_page!(service::remove_judge(&state, me.actor(), &ctx, user).await, c, error =>
        round_page(&state, c, &ctx, None, error, None).await);
    Ok(see_other(&format!("/vong/{id}?ok=xoa")))
}

// ---- conflicts ----
