//! Public pages: published results of a contest (their certificates are checked in
//! `crate::certificates`).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use hoithi_storage::entity::award;
use hoithi_storage::repo::{awards, contests, rounds};

use crate::auth::session::Identity;
use crate::contests::service as contest_service;
use crate::error::AppResult;
use crate::format::{fmt_date, fmt_num};
use crate::i18n::Lang;
use crate::judging::rounds::service::{self};
use crate::pages::{Chrome, ok_html};
use crate::state::AppState;

/// One published award as the public sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PublicAward {
    pub tier: String,
    /// Genre name; empty for collective awards.
    pub genre: String,
    /// The entry's title; empty for collective awards.
    pub title: String,
    /// Authors' names (individual awards) or the unit's name (collective awards).
    pub recipients: Vec<String>,
    pub unit: String,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PublicRound {
    pub name: String,
    pub kind: String,
    pub published_at: String,
    /// The tie-break rule published before judging.
    pub tie_break: String,
    pub awards: Vec<PublicAward>,
}

/// The published rounds of a contest with their confirmed awards (final round first).
pub async fn published(
    state: &AppState,
    contest_id: i64,
    lang: Lang,
) -> AppResult<Vec<PublicRound>> {
    let mut list: Vec<_> = rounds::for_contest(&state.db, contest_id)
        .await?
        .into_iter()
        .filter(|r| r.results_published_at.is_some())
        .collect();
    list.sort_by_key(|r| (r.kind != rounds::FINAL, r.id));
    let genres: HashMap<i64, String> = contests::genres(&state.db, contest_id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let mut out = Vec::new();
    for r in list {
        let criteria = rounds::criteria(&state.db, r.id).await?;
        let awards: Vec<award::Model> = awards::awards(&state.db, r.id).await?;
        let entry_ids: Vec<i64> = awards.iter().filter_map(|a| a.entry_id).collect();
        let authors = rounds::authors_of(&state.db, &entry_ids).await?;
        let mut briefs = HashMap::new();
        for id in &entry_ids {
            briefs.insert(*id, rounds::entry_brief(&state.db, *id).await?);
        }
        let unit_ids: Vec<i64> = awards
            .iter()
            .filter_map(|a| a.unit_id)
            .chain(briefs.values().map(|b| b.unit_id))
            .collect();
        let units = crate::judging::assignment::service::unit_names(state, &unit_ids).await?;
        let lines = awards
            .iter()
            .map(|a| match a.entry_id {
                Some(e) => {
                    let b = briefs.get(&e);
                    PublicAward {
                        tier: a.tier_name.clone(),
                        genre: a
                            .genre_id
                            .and_then(|g| genres.get(&g).cloned())
                            .unwrap_or_default(),
                        title: b.map(|b| b.title.clone()).unwrap_or_default(),
                        recipients: authors
                            .get(&e)
                            .map(|l| l.iter().map(|x| x.full_name.clone()).collect())
                            .unwrap_or_default(),
                        unit: b
                            .and_then(|b| units.get(&b.unit_id).cloned())
                            .unwrap_or_default(),
                        score: a.score,
                    }
                }
                None => {
                    let unit = a
                        .unit_id
                        .and_then(|u| units.get(&u).cloned())
                        .unwrap_or_default();
                    PublicAward {
                        tier: a.tier_name.clone(),
                        genre: String::new(),
                        title: String::new(),
                        recipients: vec![unit.clone()],
                        unit,
                        score: None,
                    }
                }
            })
            .collect();
        out.push(PublicRound {
            tie_break: service::rule_text(&service::tie_break_of(&r), &criteria, lang),
            published_at: r
                .results_published_at
                .as_ref()
                .map(fmt_date)
                .unwrap_or_default(),
            kind: service::kind_label(r.kind, lang).into(),
            name: r.name,
            awards: lines,
        });
    }
    Ok(out)
}

pub struct Line {
    tier: String,
    genre: String,
    title: String,
    recipients: String,
    unit: String,
    score: String,
}

pub struct RoundBlock {
    name: String,
    published_at: String,
    tie_break: String,
    lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "judging/public_results.html")]
struct ResultsPage {
    c: Chrome,
    slug: String,
    title: String,
    rounds: Vec<RoundBlock>,
}

pub async fn results(
    State(state): State<AppState>,
    c: Chrome,
    Identity(id): Identity,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let l = contest_service::load(&state, &slug).await?;
    contest_service::check_visible(&id.actor, &l)?;
    let rounds = published(&state, l.contest.id, c.lang)
        .await?
        .into_iter()
        .map(|r| RoundBlock {
            name: r.name,
            published_at: r.published_at,
            tie_break: r.tie_break,
            lines: r
                .awards
                .into_iter()
                .map(|a| Line {
                    tier: a.tier,
                    genre: a.genre,
                    title: a.title,
                    recipients: a.recipients.join(", "),
                    unit: a.unit,
                    score: a.score.map(fmt_num).unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    Ok(ok_html(&ResultsPage {
        slug: l.contest.slug.clone(),
        title: l.contest.title.clone(),
        rounds,
        c,
    }))
}
