//! Extractors that load a record and ask the policy about it before a handler runs: a handler
//! that takes a `ManagedRound` only ever sees rounds its caller may run. Each answers 401 to a
//! visitor who is not signed in, 404 to an unknown record and 403 to anyone else, the same for
//! pages and the API.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use crate::auth::session::CurrentUser;
use crate::contests::service::{self as contests, Loaded};
use crate::error::AppError;
use crate::judging::rounds::service::{self as rounds, RoundCtx};
use crate::state::AppState;

/// A path parameter by name, parsed; a malformed one is the same as an unknown record.
async fn param<T: std::str::FromStr>(parts: &mut Parts, name: &str) -> Result<T, AppError> {
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, &())
        .await
        .map_err(|_| AppError::NotFound)?;
    params
        .get(name)
        .and_then(|v| v.parse().ok())
        .ok_or(AppError::NotFound)
}

/// A contest (`{slug}`) its caller manages.
pub struct ManagedContest(pub Loaded);

impl FromRequestParts<AppState> for ManagedContest {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let me = CurrentUser::from_request_parts(parts, state).await?;
        let slug: String = param(parts, "slug").await?;
        Ok(ManagedContest(
            contests::load_managed(state, me.actor(), &slug).await?,
        ))
    }
}

/// An entry (`{slug}`, `{id}`) its caller may screen, with its contest.
pub struct ScreenableEntry {
    pub contest: Loaded,
    pub entry: hoithi_storage::entity::entry::Model,
}

impl FromRequestParts<AppState> for ScreenableEntry {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let me = CurrentUser::from_request_parts(parts, state).await?;
        let slug: String = param(parts, "slug").await?;
        let id: i64 = param(parts, "id").await?;
        let contest = contests::load(state, &slug).await?;
        let entry = contests::entry_in_scope(state, me.actor(), &contest, id).await?;
        Ok(ScreenableEntry { contest, entry })
    }
}

/// A judging round (`{id}`) its caller runs.
pub struct ManagedRound(pub RoundCtx);

impl FromRequestParts<AppState> for ManagedRound {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let me = CurrentUser::from_request_parts(parts, state).await?;
        let id: i64 = param(parts, "id").await?;
        Ok(ManagedRound(rounds::managed(state, me.actor(), id).await?))
    }
}

/// A judging round (`{round}`) its caller judges.
pub struct JudgedRound(pub RoundCtx);

impl FromRequestParts<AppState> for JudgedRound {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let me = CurrentUser::from_request_parts(parts, state).await?;
        // `/cham-thi/{round}/…` on pages, `/api/v1/rounds/{id}/…` in the API.
        let id: i64 = match param(parts, "round").await {
            Ok(id) => id,
            Err(_) => param(parts, "id").await?,
        };
        Ok(JudgedRound(rounds::judged(state, me.actor(), id).await?))
    }
}

/// The course of a request: `{course}` (its address) on pages, `{id}` in the API.
async fn course_of(
    parts: &mut Parts,
    state: &AppState,
) -> Result<crate::courses::service::CourseCtx, AppError> {
    use crate::courses::service as courses;
    match param::<String>(parts, "course").await {
        Ok(slug) => courses::load(state, &slug).await,
        Err(_) => courses::load_id(state, param(parts, "id").await?).await,
    }
}

/// A course its caller manages.
pub struct ManagedCourse(pub crate::courses::service::CourseCtx);

impl FromRequestParts<AppState> for ManagedCourse {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let me = CurrentUser::from_request_parts(parts, state).await?;
        let ctx = course_of(parts, state).await?;
        crate::courses::service::require(ctx.can_manage(me.actor()))?;
        Ok(ManagedCourse(ctx))
    }
}

/// A course whose delegates its caller checks in.
pub struct StaffedCourse(pub crate::courses::service::CourseCtx);

impl FromRequestParts<AppState> for StaffedCourse {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let me = CurrentUser::from_request_parts(parts, state).await?;
        let ctx = course_of(parts, state).await?;
        crate::courses::service::require(ctx.can_check_in(me.actor()))?;
        Ok(StaffedCourse(ctx))
    }
}

/// A course in which its caller nominates delegates (an administrator of an invited unit) or
/// which they manage.
pub struct NominatingCourse(pub crate::courses::service::CourseCtx);

impl FromRequestParts<AppState> for NominatingCourse {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let me = CurrentUser::from_request_parts(parts, state).await?;
        let ctx = course_of(parts, state).await?;
        let ok = ctx.can_manage(me.actor())
            || !crate::courses::delegates::service::nominable_units(state, me.actor(), &ctx)
                .await?
                .is_empty();
        crate::courses::service::require(ok)?;
        Ok(NominatingCourse(ctx))
    }
}

/// A news post (`{news_id}`) its caller may write: an editor, approver or administrator of its
/// unit.
pub struct EditablePost(pub hoithi_storage::entity::news::post::Model);

impl FromRequestParts<AppState> for EditablePost {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let me = CurrentUser::from_request_parts(parts, state).await?;
        let id: i64 = param(parts, "news_id").await?;
        Ok(EditablePost(
            crate::news::editor::service::editable(state, me.actor(), id).await?,
        ))
    }
}

/// A caller who writes news somewhere (an editor, approver or administrator of some unit): the
/// editors' pages answer anyone else 403 before reading a form.
pub struct NewsDesk(pub CurrentUser);

impl FromRequestParts<AppState> for NewsDesk {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        use crate::policy::{Action, Reach, reach};
        let me = CurrentUser::from_request_parts(parts, state).await?;
        if reach(me.actor(), Action::WriteNews) == Reach::Nowhere {
            return Err(AppError::Forbidden);
        }
        Ok(NewsDesk(me))
    }
}
