//! Judging in the demo contest: a finished preliminary round at the district (every eligible
//! entry, two judges each, all sheets submitted, best two of each unit advanced) and a final
//! round in progress (open, assignment published), in which the demo judge account has
//! submitted a few sheets and has more entries to score. Last year's contest is finished: one
//! final round, every sheet in, awards confirmed and published with their certificates.
//! Everything goes through the same services as the pages, so the demo shows real
//! assignments, results, advancement and verifiable certificates.

use hoithi_storage::repo::{entries, rounds, scores, users};

use crate::app::anyhow_like::{Error, Result};
use crate::auth::password;
use crate::judging::rounds::service::{self, RoundCtx};
use crate::policy::Actor;
use crate::state::AppState;

/// Further judge accounts of the demo (same password as the demo judge).
pub const JUDGES: &[(&str, &str, &str)] = &[
    ("giamkhao2@hoithi.demo", "Đỗ Văn Nam", "HY-TTCT"),
    ("giamkhao3@hoithi.demo", "Vương Thị Hằng", "HY-VHTT"),
    ("giamkhao4@hoithi.demo", "Hà Quang Minh", "HY-HDOAN"),
    ("giamkhao5@hoithi.demo", "Lò Thị Thanh", "HY-CCB"),
    ("giamkhao6@hoithi.demo", "Quan Văn Phúc", "HY-TANYEN"),
];
pub const JUDGE_PASSWORD: &str = "demo-giamkhao";

fn err(e: crate::error::AppError) -> Error {
    Error(format!("{e:?}"))
}

async fn judge_account(
    state: &AppState,
    login: &str,
    name: &str,
    unit: &str,
    hash: String,
) -> Result<i64> {
    let unit_id = hoithi_storage::repo::units::by_code(&state.db, unit)
        .await?
        .map(|u| u.id);
    Ok(users::create(
        &state.db,
        users::NewUser {
            email: Some(login.into()),
            phone: None,
            full_name: name.into(),
            name_key: hoithi_text::sort::name_sort_key(name),
            password_hash: hash,
            unit_id,
        },
    )
    .await?
    .id)
}

fn settings(name: &str, k: i32) -> service::SettingsInput {
    service::SettingsInput {
        name: name.into(),
        judges_per_entry: k.to_string(),
        dispute_margin: "15".into(),
        normalize: false,
        tie_break: service::default_tie_break()
            .into_iter()
            .map(service::tie_break_code)
            .collect(),
    }
}

/// Loads the demo's judging data for the contest `slug` organized by `organizer`; returns the
/// further judges' accounts.
pub async fn load(state: &AppState, slug: &str, organizer: i64, judge: i64) -> Result<Vec<i64>> {
    let l = crate::contests::service::load(state, slug)
        .await
        .map_err(err)?;
    // Screening is done: every demo entry is eligible.
    let all = rounds::contest_entries(&state.db, l.contest.id, None, entries::SUBMITTED).await?;
    rounds::set_entry_status(
        &state.db,
        &all.iter().map(|e| e.id).collect::<Vec<_>>(),
        entries::ELIGIBLE,
    )
    .await?;
    let actor = Actor::user(organizer, None, Vec::new());
    // One hash for the demo judges' shared password keeps loading the demo quick.
    let hash = password::hash(JUDGE_PASSWORD.to_string())
        .await
        .map_err(|e| Error(format!("{e:?}")))?;
    let mut others = Vec::new();
    for (login, name, unit) in JUDGES {
        others.push(judge_account(state, login, name, unit, hash.clone()).await?);
    }
    let district_id = l.organizer.id;
    let prelim = service::create(
        state,
        &actor_for_create(&actor, &l),
        &l,
        service::NewRoundInput {
            kind: rounds::PRELIMINARY.to_string(),
            unit_id: Some(district_id),
            settings: settings("Vòng sơ khảo", 2),
        },
    )
    .await
    .map_err(err)?;
    let final_round = service::create(
        state,
        &actor_for_create(&actor, &l),
        &l,
        service::NewRoundInput {
            kind: rounds::FINAL.to_string(),
            unit_id: None,
            settings: settings("Vòng chung khảo", 3),
        },
    )
    .await
    .map_err(err)?;

    // The preliminary round: five judges, assigned automatically, all sheets in.
    let ctx = service::load(state, prelim.id).await.map_err(err)?;
    for id in &others {
        invite(state, &actor, &ctx, *id, 110).await?;
    }
    let batch = crate::judging::assignment::service::auto(state, &actor, &ctx)
        .await
        .map_err(err)?;
    crate::judging::assignment::service::publish(state, &actor, &ctx, batch.id)
        .await
        .map_err(err)?;
    let ctx = status(state, &actor, ctx, rounds::OPEN).await?;
    every_sheet(state, prelim.id, &others, 0x5eed_2026).await?;
    let ctx = status(state, &actor, ctx, rounds::CLOSED).await?;
    crate::judging::results::service::apply_advance(
        state,
        &actor,
        &ctx,
        hoithi_judging::AdvanceRule::TopPerUnit(2),
        &[],
    )
    .await
    .map_err(err)?;

    // The final round: the demo judge and three others, assigned and open, nothing scored.
    let ctx = service::load(state, final_round.id).await.map_err(err)?;
    for id in [judge, others[0], others[1], others[2]] {
        invite(state, &actor, &ctx, id, 40).await?;
    }
    let batch = crate::judging::assignment::service::auto(state, &actor, &ctx)
        .await
        .map_err(err)?;
    crate::judging::assignment::service::publish(state, &actor, &ctx, batch.id)
        .await
        .map_err(err)?;
    let ctx = status(state, &actor, ctx, rounds::OPEN).await?;
    // The demo judge has submitted the first few sheets, as they would from the score form.
    let judge_actor = Actor::user(judge, None, Vec::new());
    let criteria = rounds::criteria(&state.db, ctx.round.id).await?;
    let mine = crate::judging::judge::service::my_entries(state, &ctx, judge)
        .await
        .map_err(err)?;
    for (i, e) in mine.iter().take(SUBMITTED_BY_JUDGE).enumerate() {
        let points = criteria
            .iter()
            .map(|c| {
                let x = c.max_points * (0.6 + 0.05 * (i % 5) as f64);
                crate::format::fmt_num((x * 2.0).round() / 2.0)
            })
            .collect();
        crate::judging::judge::service::save(
            state,
            &judge_actor,
            &ctx,
            judge,
            &e.code,
            &crate::judging::judge::service::ScoreInput {
                points,
                comment: JUDGE_COMMENTS[i % JUDGE_COMMENTS.len()].into(),
                submit: true,
            },
        )
        .await
        .map_err(err)?;
    }
    Ok(others)
}

/// How many of the final round's sheets the demo judge has submitted.
pub const SUBMITTED_BY_JUDGE: usize = 4;

const JUDGE_COMMENTS: &[&str] = &[
    "Bài viết có dẫn chứng cụ thể ở cơ sở, lập luận chặt chẽ.",
    "Tính thời sự tốt; phần kết còn ngắn, chưa nêu rõ giải pháp.",
    "Giọng văn sắc, phản bác có lý lẽ; nên bớt trích dẫn dài.",
];

/// Scores every published pair of a round with submitted sheets: each entry has a quality,
/// the second judge of `others` is lenient, the fourth strict.
async fn every_sheet(state: &AppState, round_id: i64, others: &[i64], seed: u64) -> Result<()> {
    let criteria = rounds::criteria(&state.db, round_id).await?;
    let pairs = hoithi_storage::repo::assignments::for_round(&state.db, round_id).await?;
    let mut seed = seed;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 1000) as f64 / 1000.0
    };
    let mut sheets = Vec::new();
    for a in &pairs {
        let quality = 0.45 + 0.45 * (((a.entry_id * 7919) % 97) as f64 / 96.0);
        let bias = match others.iter().position(|u| *u == a.user_id) {
            Some(1) => 0.08,
            Some(3) => -0.08,
            _ => 0.0,
        };
        let points = criteria
            .iter()
            .map(|c| {
                let x = (quality + bias + (next() - 0.5) * 0.12).clamp(0.0, 1.0);
                Some(((x * c.max_points) * 2.0).round() / 2.0)
            })
            .collect();
        sheets.push(scores::ScoreWrite {
            round_id,
            entry_id: a.entry_id,
            user_id: a.user_id,
            points,
            comment: String::new(),
            status: scores::SUBMITTED,
        });
    }
    scores::insert_submitted(&state.db, sheets).await?;
    Ok(())
}

/// Last year's contest `slug`: screened, judged in one final round by four of `others`,
/// the suggested awards confirmed (with the collective award for the most entries) and
/// published, which issues the certificates.
pub async fn load_finished(
    state: &AppState,
    slug: &str,
    organizer: i64,
    others: &[i64],
) -> Result<()> {
    let l = crate::contests::service::load(state, slug)
        .await
        .map_err(err)?;
    let all = rounds::contest_entries(&state.db, l.contest.id, None, entries::SUBMITTED).await?;
    rounds::set_entry_status(
        &state.db,
        &all.iter().map(|e| e.id).collect::<Vec<_>>(),
        entries::ELIGIBLE,
    )
    .await?;
    let actor = Actor::user(organizer, None, Vec::new());
    let round = service::create(
        state,
        &actor_for_create(&actor, &l),
        &l,
        service::NewRoundInput {
            kind: rounds::FINAL.to_string(),
            unit_id: None,
            settings: settings("Vòng chung khảo", 2),
        },
    )
    .await
    .map_err(err)?;
    let ctx = service::load(state, round.id).await.map_err(err)?;
    for id in others.iter().take(4) {
        invite(state, &actor, &ctx, *id, 40).await?;
    }
    let batch = crate::judging::assignment::service::auto(state, &actor, &ctx)
        .await
        .map_err(err)?;
    crate::judging::assignment::service::publish(state, &actor, &ctx, batch.id)
        .await
        .map_err(err)?;
    let ctx = status(state, &actor, ctx, rounds::OPEN).await?;
    every_sheet(state, round.id, others, 0x2025_0905).await?;
    let ctx = status(state, &actor, ctx, rounds::CLOSED).await?;
    use crate::judging::results::service as results;
    let computed = results::compute(state, &ctx).await.map_err(err)?;
    let chosen: Vec<(i64, usize)> = results::suggestions(state, &ctx, &computed)
        .await
        .map_err(err)?
        .iter()
        .flat_map(|g| g.suggestion.awards.iter())
        .filter_map(|a| {
            let e = computed.entries.get(a.entry as usize)?;
            Some((e.id, a.tier))
        })
        .collect();
    results::confirm(state, &actor, &ctx, &chosen, &[], &[])
        .await
        .map_err(err)?;
    // The collective award for the most entries, to the first unit the awards page suggests.
    let stored = hoithi_storage::repo::awards::awards(&state.db, ctx.round.id).await?;
    if let Some((unit, _)) = results::collective(&computed, &stored, &ctx)
        .most_entries
        .first()
    {
        results::confirm(state, &actor, &ctx, &chosen, &[*unit], &[])
            .await
            .map_err(err)?;
    }
    results::publish(state, &actor, &ctx).await.map_err(err)?;
    Ok(())
}

/// Moves a round to `to` and returns it as it is now.
async fn status(
    state: &AppState,
    actor: &Actor,
    ctx: RoundCtx,
    to: hoithi_storage::status::RoundStatus,
) -> Result<RoundCtx> {
    let round = service::set_status(state, actor, &ctx, to)
        .await
        .map_err(err)?;
    Ok(RoundCtx { round, ..ctx })
}

/// The organizer as the round services check them (their grant on the contest).
fn actor_for_create(actor: &Actor, l: &crate::contests::service::Loaded) -> Actor {
    actor.clone().with_grant(crate::policy::Grant {
        id: 0,
        role: crate::policy::Role::Organizer,
        scope: crate::policy::Scope::Resource {
            kind: crate::policy::ResourceKind::Contest,
            id: l.contest.id,
        },
    })
}

async fn invite(
    state: &AppState,
    actor: &Actor,
    ctx: &RoundCtx,
    user_id: i64,
    capacity: i32,
) -> Result<()> {
    let u = users::get(&state.db, user_id).await?;
    let login = u.email.or(u.phone).unwrap_or_default();
    service::invite_judge(state, actor, ctx, &login, &capacity.to_string(), Vec::new())
        .await
        .map_err(err)?;
    Ok(())
}
