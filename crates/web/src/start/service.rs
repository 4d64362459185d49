//! What a signed-in person has to do, gathered from every module and filtered by the policy
//! alone (`can` through each module's own checks): no role is looked at here.

use hoithi_storage::repo::{contests, entries, rounds, units};

use crate::contests::service as contest_service;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::judging::judge::service::{SheetState, my_entries};
use crate::judging::rounds::service as round_service;
use crate::policy::{Action, Actor, Resource, ResourceKind, Role, Scope, can};
use crate::state::AppState;

/// A round the person judges, with how far they are.
pub struct JudgedRound {
    pub id: i64,
    pub name: String,
    pub contest: String,
    pub status: &'static str,
    pub assigned: usize,
    pub submitted: usize,
}

/// The rounds `user_id` judges and may judge now (what the policy allows), in the order the
/// invitations came.
pub async fn judged_rounds(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
    lang: Lang,
) -> AppResult<Vec<JudgedRound>> {
    let mut rows = Vec::new();
    for rj in rounds::rounds_judged_by(&state.db, user_id).await? {
        let Ok(ctx) = round_service::load(state, rj.round_id).await else {
            continue;
        };
        if !round_service::can_judge(actor, &ctx) {
            continue;
        }
        let mine = my_entries(state, &ctx, user_id).await?;
        rows.push(JudgedRound {
            id: ctx.round.id,
            name: ctx.round.name.clone(),
            contest: ctx.contest.title.clone(),
            status: round_service::status_label(ctx.round.status, lang),
            assigned: mine
                .iter()
                .filter(|e| e.state != SheetState::Recused)
                .count(),
            submitted: mine
                .iter()
                .filter(|e| e.state == SheetState::Submitted)
                .count(),
        });
    }
    Ok(rows)
}

/// A round the person runs.
pub struct RunRound {
    pub id: i64,
    pub name: String,
}

/// A contest the person works on: as one who manages it (every page), or as the
/// administrator of a collecting unit (its entries and dashboard, its own rounds).
pub struct ContestWork {
    pub slug: String,
    pub title: String,
    pub manage: bool,
    /// The unit whose entries and dashboard they see (`None`: the whole contest).
    pub unit: Option<(i64, String)>,
    pub rounds: Vec<RunRound>,
    /// Rounds may be created or run from the contest's rounds page.
    pub rounds_page: bool,
    pub results_published: bool,
}

/// Every contest the actor manages or screens entries of.
pub async fn contest_work(state: &AppState, actor: &Actor) -> AppResult<Vec<ContestWork>> {
    let mut out = Vec::new();
    for k in contests::all(&state.db).await? {
        let l = contest_service::with_organizer(state, k).await?;
        let manage = contest_service::can_manage(actor, &l);
        let scope = match contest_service::screening_scope(actor, &l, None) {
            Ok(scope) => scope,
            Err(_) if manage => None,
            Err(_) => continue,
        };
        let unit = match scope {
            Some(path) => {
                let u = units::get(&state.db, path.id()).await?;
                Some((u.id, u.name))
            }
            None => None,
        };
        let run = round_service::managed_rounds(state, actor, &l).await?;
        let (creatable_units, final_creatable) = round_service::creatable(state, actor, &l).await?;
        let results_published = rounds::for_contest(&state.db, l.contest.id)
            .await?
            .iter()
            .any(|r| r.results_published_at.is_some());
        out.push(ContestWork {
            slug: l.contest.slug.clone(),
            title: l.contest.title.clone(),
            manage,
            unit,
            rounds_page: !run.is_empty() || !creatable_units.is_empty() || final_creatable,
            rounds: run
                .into_iter()
                .map(|r| RunRound {
                    id: r.id,
                    name: r.name,
                })
                .collect(),
            results_published,
        });
    }
    Ok(out)
}

/// Everything the start block shows.
pub struct Start {
    pub judging: Vec<JudgedRound>,
    pub contests: Vec<ContestWork>,
    /// The unit and user pages (an administrator of some subtree or of the site).
    pub administers: bool,
    pub own_entries: usize,
}

pub async fn start(state: &AppState, actor: &Actor, user_id: i64, lang: Lang) -> AppResult<Start> {
    Ok(Start {
        judging: judged_rounds(state, actor, user_id, lang).await?,
        contests: contest_work(state, actor).await?,
        administers: can(actor, Action::Administer, Resource::Site),
        own_entries: entries::by_submitter(&state.db, user_id).await?.len(),
    })
}

/// What a role is given on, as a person reads it.
pub enum Covers {
    Everything,
    Unit(i64),
    Contest(i64),
    Round(i64),
    Course(i64),
}

impl Covers {
    pub fn of_scope(scope: &Scope) -> Covers {
        match scope {
            Scope::Site => Covers::Everything,
            Scope::Subtree(path) => Covers::Unit(path.id()),
            Scope::Resource {
                kind: ResourceKind::Contest,
                id,
            } => Covers::Contest(*id),
            Scope::Resource {
                kind: ResourceKind::Round,
                id,
            } => Covers::Round(*id),
            Scope::Resource {
                kind: ResourceKind::Course,
                id,
            } => Covers::Course(*id),
        }
    }

    /// A stored grant: a unit, or a record of a kind.
    pub fn of_stored(unit_id: Option<i64>, kind: Option<&str>, id: Option<i64>) -> Covers {
        match (unit_id, kind.and_then(ResourceKind::parse), id) {
            (Some(u), ..) => Covers::Unit(u),
            (None, Some(ResourceKind::Contest), Some(i)) => Covers::Contest(i),
            (None, Some(ResourceKind::Round), Some(i)) => Covers::Round(i),
            (None, Some(ResourceKind::Course), Some(i)) => Covers::Course(i),
            _ => Covers::Everything,
        }
    }
}

/// A role by name and what it covers: "Ban tổ chức — <contest title>", "Giám khảo — <round
/// name> — <contest title>"; never an internal id.
pub async fn role_name(state: &AppState, lang: Lang, role: Role, covers: Covers) -> String {
    let scope = match covers {
        Covers::Everything => String::new(),
        Covers::Unit(id) => units::get(&state.db, id)
            .await
            .map(|u| u.name)
            .unwrap_or_default(),
        Covers::Contest(id) => contests::get(&state.db, id)
            .await
            .map(|k| k.title)
            .unwrap_or_default(),
        Covers::Round(id) => match rounds::get(&state.db, id).await {
            Ok(r) => {
                let contest = contests::get(&state.db, r.contest_id)
                    .await
                    .map(|k| k.title)
                    .unwrap_or_default();
                format!("{} — {contest}", r.name)
            }
            Err(_) => String::new(),
        },
        Covers::Course(id) => hoithi_storage::repo::courses::get(&state.db, id)
            .await
            .map(|k| k.title)
            .unwrap_or_default(),
    };
    let label = role.label(lang.tr());
    if scope.is_empty() {
        label.to_string()
    } else {
        format!("{label} — {scope}")
    }
}

/// The time left before a deadline, as a person counts it (days and hours, or hours and
/// minutes on the last day); `None` once it has passed.
pub fn time_left(
    closes: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    lang: Lang,
) -> Option<String> {
    let left = closes - now;
    if left <= chrono::TimeDelta::zero() {
        return None;
    }
    let t = lang.tr().start;
    let (days, hours, minutes) = (
        left.num_days(),
        left.num_hours() % 24,
        left.num_minutes() % 60,
    );
    Some(if days >= 1 {
        t.left_days(days, hours)
    } else {
        t.left_hours(hours, minutes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_counts_days_then_hours() {
        let now = chrono::Utc::now();
        let in_ = |m: i64| time_left(now + chrono::TimeDelta::minutes(m), now, Lang::Vi);
        assert_eq!(
            in_(3 * 1440 + 5 * 60 + 7).unwrap(),
            "Còn 3 ngày 5 giờ để gửi bài."
        );
        assert_eq!(in_(125).unwrap(), "Còn 2 giờ 5 phút để gửi bài.");
        assert_eq!(in_(0), None);
        assert_eq!(
            time_left(now + chrono::TimeDelta::minutes(61), now, Lang::En).unwrap(),
            "Time left to submit: 1 h 1 min."
        );
    }
}
