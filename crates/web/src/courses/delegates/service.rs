//! Units invited with a quota, delegates nominated within it, the organizers' decisions.
//! The quota holds under concurrent nominations: a place is taken by one conditional UPDATE
//! (`courses::take_place`) inside the nomination's transaction.

use hoithi_storage::entity::unit;
use hoithi_storage::repo::courses::{self, CourseUnit, Delegate, NewDelegate};
use hoithi_storage::repo::{units, users};
use hoithi_storage::status::{CourseStatus, DelegateStatus};

use crate::audit;
use crate::courses::service::{CourseCtx, bad, fold, is_active, line, new_badge, require};
use crate::error::{AppError, AppResult};
use crate::jobs::{Job, Message};
use crate::policy::{Action, Actor, Resource, can};
use crate::state::AppState;

fn unit_resource<'a>(ctx: &'a CourseCtx, cu: &'a CourseUnit) -> Resource<'a> {
    Resource::CourseUnit {
        course_id: ctx.course.id,
        organizer_path: &ctx.course.organizer_path,
        unit_path: &cu.unit_path,
    }
}

/// The invited units (with their unit) in which the actor may nominate.
pub async fn nominable_units(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
) -> AppResult<Vec<(CourseUnit, unit::Model)>> {
    let mut out = Vec::new();
    for cu in courses::course_units(&state.db, ctx.course.id).await? {
        if can(actor, Action::NominateDelegates, unit_resource(ctx, &cu)) {
            let u = units::get(&state.db, cu.unit_id).await?;
            out.push((cu, u));
        }
    }
    Ok(out)
}

/// The units the organizer may invite: everything under the organizing unit.
pub async fn invitable_units(state: &AppState, ctx: &CourseCtx) -> AppResult<Vec<unit::Model>> {
    Ok(
        units::list(&state.db, Some(ctx.course.organizer_path.as_str()))
            .await?
            .into_iter()
            .filter(|u| u.id != ctx.organizer.id)
            .collect(),
    )
}

/// Invites units or changes their quotas: (unit id, quota) pairs. A quota of 0 for a unit not
/// yet invited is skipped; a quota below the delegates already nominated is refused.
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    list: Vec<(i64, i32)>,
) -> AppResult<usize> {
    require(ctx.can_manage(actor))?;
    let allowed = invitable_units(state, ctx).await?;
    let tx = state.db.write().await?;
    let mut n = 0;
    for (unit_id, quota) in &list {
        if !(0..=1000).contains(quota) {
            return Err(AppError::bad(
                "Số lượng đại biểu của một đơn vị là số từ 0 đến 1000.",
                "A unit's quota of delegates is a number from 0 to 1000.",
            ));
        }
        let Some(u) = allowed.iter().find(|u| u.id == *unit_id) else {
            return Err(AppError::bad(
                "Chỉ mời được các đơn vị trực thuộc đơn vị tổ chức.",
                "Only units under the organizing unit can be invited.",
            ));
        };
        let existing = courses::course_unit(&tx, ctx.course.id, u.id).await?;
        match &existing {
            None if *quota == 0 => continue,
            Some(cu) if cu.quota == *quota => continue,
            Some(cu) if cu.nominated > *quota => {
                return Err(bad(
                    format!(
                        "{} đã đề cử {} đại biểu; không thể giảm số lượng xuống {}.",
                        u.name, cu.nominated, quota
                    ),
                    format!(
                        "{} has already nominated {} delegates; the quota cannot go down to {}.",
                        u.name, cu.nominated, quota
                    ),
                ));
            }
            _ => {}
        }
        courses::invite(&tx, ctx.course.id, u.id, &u.path, *quota).await?;
        n += 1;
    }
    audit::record(
        &tx,
        actor,
        "course.invite",
        "course",
        Some(ctx.course.id),
        serde_json::json!({"units": list}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(n)
}

/// Invites every unit under the organizing unit with the same quota: its direct units only,
/// or every level below it.
pub async fn invite_all(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    quota: &str,
    direct_only: bool,
) -> AppResult<usize> {
    let quota: i32 = quota.trim().parse().map_err(|_| {
        AppError::bad(
            "Số lượng đại biểu của một đơn vị là số từ 0 đến 1000.",
            "A unit's quota of delegates is a number from 0 to 1000.",
        )
    })?;
    let list = invitable_units(state, ctx)
        .await?
        .into_iter()
        .filter(|u| !direct_only || u.parent_id == Some(ctx.organizer.id))
        .map(|u| (u.id, quota))
        .collect();
    invite(state, actor, ctx, list).await
}

/// Invites units from a CSV or Excel list: a unit's code (or its exact name) in the first
/// column, its quota in the second; a heading row is skipped. Every row is checked first and
/// every problem reported by its row number; nothing is saved while one remains.
pub async fn import_invitations(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<usize> {
    require(ctx.can_manage(actor))?;
    let rows = crate::units::import::read_table(bytes, file_name)?;
    let allowed = invitable_units(state, ctx).await?;
    let by_code = |code: &str| {
        allowed
            .iter()
            .find(|u| u.code.trim().eq_ignore_ascii_case(code))
    };
    // Names folded once, not once per row.
    let folded: Vec<String> = allowed.iter().map(|u| fold(&u.name)).collect();
    let by_name = |name: &str| {
        let key = fold(name);
        let mut found = allowed
            .iter()
            .zip(&folded)
            .filter(|(_, f)| **f == key)
            .map(|(u, _)| u);
        match (found.next(), found.next()) {
            (Some(u), None) => Some(u),
            _ => None,
        }
    };
    let mut list: Vec<(i64, i32)> = Vec::new();
    let mut problems: Vec<(usize, String, String)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let n = i + 1;
        let cell = |c: usize| row.get(c).map(|s| s.trim()).unwrap_or("");
        let (who, quota) = (cell(0), cell(1));
        if who.is_empty() && quota.is_empty() {
            continue;
        }
        // A spreadsheet may store 3 as 3.0; 2.5, NaN or "hai" are not a number of people.
        let whole = quota
            .parse::<f64>()
            .ok()
            .filter(|q| q.is_finite() && q.fract() == 0.0)
            .map(|q| q as i64);
        let Some(quota) = whole else {
            // A heading row: the first row whose second cell is not a number.
            if i == 0 {
                continue;
            }
            problems.push((
                n,
                format!("số lượng «{quota}» không phải là số"),
                format!("the quota «{quota}» is not a number"),
            ));
            continue;
        };
        if !(0..=1000).contains(&quota) {
            problems.push((
                n,
                "số lượng phải từ 0 đến 1000".into(),
                "the quota must be from 0 to 1000".into(),
            ));
            continue;
        }
        let Some(u) = by_code(who).or_else(|| by_name(who)) else {
            problems.push((
                n,
                format!("không có đơn vị «{who}» trực thuộc {}", ctx.organizer.name),
                format!("no unit «{who}» under {}", ctx.organizer.name),
            ));
            continue;
        };
        if list.iter().any(|(id, _)| *id == u.id) {
            problems.push((
                n,
                format!("{} có ở hai dòng", u.name),
                format!("{} is on two rows", u.name),
            ));
            continue;
        }
        list.push((u.id, quota as i32));
    }
    if !problems.is_empty() {
        let shown = |vi: bool| {
            let mut lines: Vec<String> = problems
                .iter()
                .take(20)
                .map(|(n, a, b)| {
                    if vi {
                        format!("Dòng {n}: {a}.")
                    } else {
                        format!("Row {n}: {b}.")
                    }
                })
                .collect();
            if problems.len() > 20 {
                lines.push(if vi {
                    format!("… và {} dòng khác.", problems.len() - 20)
                } else {
                    format!("… and {} more rows.", problems.len() - 20)
                });
            }
            lines.join(" ")
        };
        return Err(bad(
            format!("Chưa mời đơn vị nào; tệp có lỗi. {}", shown(true)),
            format!(
                "No unit was invited; the file has problems. {}",
                shown(false)
            ),
        ));
    }
    if list.is_empty() {
        return Err(AppError::bad(
            "Tệp không có dòng nào (cột 1: mã hoặc tên đơn vị, cột 2: số đại biểu).",
            "The file has no rows (column 1: the unit's code or name, column 2: its quota).",
        ));
    }
    invite(state, actor, ctx, list).await
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct NominationInput {
    #[serde(default)]
    pub unit_id: String,
    /// An existing account's email or phone number; or leave empty and give the person below.
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub job_title: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

/// Nominates one delegate for an invited unit: before the deadline, within the quota, a
/// person not already nominated for the course.
pub async fn nominate(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    input: NominationInput,
) -> AppResult<Delegate> {
    let unit_id: i64 = input.unit_id.trim().parse().map_err(|_| {
        AppError::bad(
            "Vui lòng chọn đơn vị đề cử.",
            "Please choose the nominating unit.",
        )
    })?;
    let Some(cu) = courses::course_unit(&state.db, ctx.course.id, unit_id).await? else {
        return Err(AppError::bad(
            "Đơn vị này không được mời cử đại biểu dự lớp.",
            "This unit is not invited to send delegates to the course.",
        ));
    };
    if !can(actor, Action::NominateDelegates, unit_resource(ctx, &cu)) {
        return Err(AppError::bad(
            "Bạn chỉ đề cử được đại biểu của đơn vị mình quản lý.",
            "You can nominate delegates only for the units you administer.",
        ));
    }
    let manager = ctx.can_manage(actor);
    if ctx.course.status != CourseStatus::Nominating && !manager {
        return Err(AppError::bad(
            "Lớp không trong thời gian đề cử đại biểu.",
            "The course is not taking nominations.",
        ));
    }
    if chrono::Utc::now() > ctx.course.nomination_deadline && !manager {
        return Err(bad(
            format!(
                "Đã hết hạn đề cử đại biểu ({}).",
                crate::format::fmt_datetime(&ctx.course.nomination_deadline)
            ),
            format!(
                "The nomination deadline has passed ({}).",
                crate::format::fmt_datetime(&ctx.course.nomination_deadline)
            ),
        ));
    }
    let u = units::get(&state.db, cu.unit_id).await?;
    let p = person(state, &input).await?;
    let badge = new_badge(state);
    let tx = state.db.write().await?;
    refuse_duplicate(&tx, ctx, u.id, &p, None).await?;
    if !courses::take_place(&tx, cu.id).await? {
        return Err(bad(
            format!(
                "{} đã đủ {} đại biểu được phân bổ; không thể đề cử thêm.",
                u.name, cu.quota
            ),
            format!(
                "{} has filled its quota of {} delegates; no more can be nominated.",
                u.name, cu.quota
            ),
        ));
    }
    let d = courses::add_delegate(&tx, p.into_delegate(ctx, cu.id, u.id, badge, actor)).await?;
    tell_nominated(state, &tx, ctx, &u, &d).await?;
    audit::record(
        &tx,
        actor,
        "course.nominate",
        "course_delegate",
        Some(d.id),
        serde_json::json!({"course_id": ctx.course.id, "unit_id": u.id, "name": d.full_name}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(d)
}

/// A person to nominate, read from the form: an existing account, or a name with optional
/// contacts.
struct Person {
    user_id: Option<i64>,
    full_name: String,
    name_fold: String,
    job_title: String,
    phone: String,
    email: String,
}

impl Person {
    /// The delegate row for this person in an invited unit's place.
    fn into_delegate(
        self,
        ctx: &CourseCtx,
        course_unit_id: i64,
        unit_id: i64,
        (badge_salt, badge_hash): (String, String),
        actor: &Actor,
    ) -> NewDelegate {
        NewDelegate {
            course_id: ctx.course.id,
            course_unit_id,
            unit_id,
            user_id: self.user_id,
            name_key: hoithi_text::sort::name_sort_key(&self.full_name),
            name_fold: self.name_fold,
            full_name: self.full_name,
            job_title: self.job_title,
            phone: self.phone,
            email: self.email,
            badge_salt,
            badge_hash,
            nominated_by: actor.user_id(),
        }
    }
}

async fn person(state: &AppState, input: &NominationInput) -> AppResult<Person> {
    let (user_id, full_name, phone, email) = if !input.account.trim().is_empty() {
        let login = crate::validate::login(&input.account).ok_or_else(|| {
            AppError::bad(
                "Tài khoản là email hoặc số điện thoại.",
                "The account is an email or a phone number.",
            )
        })?;
        let user = users::find_by_login(&state.db, &login)
            .await?
            .ok_or_else(|| {
                AppError::bad(
                    "Không có tài khoản với email hoặc số điện thoại này.",
                    "There is no account with this email or phone number.",
                )
            })?;
        (
            Some(user.id),
            user.full_name.clone(),
            user.phone.clone().unwrap_or_default(),
            user.email.clone().unwrap_or_default(),
        )
    } else {
        let name = line(&input.full_name, 200, "họ và tên", "full name")?;
        if name.is_empty() {
            return Err(AppError::bad(
                "Vui lòng nhập họ và tên đại biểu (hoặc tài khoản của đại biểu).",
                "Please enter the delegate's full name (or their account).",
            ));
        }
        let phone = crate::validate::phone(&input.phone)?.unwrap_or_default();
        let email = crate::validate::email(&input.email)?.unwrap_or_default();
        (None, name, phone, email)
    };
    let job_title = line(&input.job_title, 200, "chức vụ", "position")?;
    Ok(Person {
        user_id,
        name_fold: fold(&full_name),
        full_name,
        job_title,
        phone,
        email,
    })
}

/// Refuses a person already taking part: the same account, phone or email, or the same name in
/// the unit (`except`: the delegate being replaced).
async fn refuse_duplicate<C: hoithi_storage::Conn>(
    tx: &C,
    ctx: &CourseCtx,
    unit_id: i64,
    p: &Person,
    except: Option<i64>,
) -> AppResult<()> {
    let same = courses::delegates(tx, ctx.course.id)
        .await?
        .into_iter()
        .filter(is_active)
        .filter(|d| Some(d.id) != except)
        .find(|d| {
            (p.user_id.is_some() && d.user_id == p.user_id)
                || (!p.phone.is_empty() && d.phone == p.phone)
                || (!p.email.is_empty() && d.email == p.email)
                || (d.unit_id == unit_id && d.name_fold == p.name_fold)
        });
    match same {
        Some(d) => Err(bad(
            format!("{} đã được đề cử dự lớp này.", d.full_name),
            format!("{} is already nominated for this course.", d.full_name),
        )),
        None => Ok(()),
    }
}

/// The nominated delegate's message: their personal page and QR code.
async fn tell_nominated<C: hoithi_storage::Conn>(
    state: &AppState,
    tx: &C,
    ctx: &CourseCtx,
    u: &unit::Model,
    d: &Delegate,
) -> AppResult<()> {
    if d.email.is_empty() {
        return Ok(());
    }
    let link = format!(
        "{}{}",
        state.config.public_url.trim_end_matches('/'),
        crate::courses::service::personal_path(state, d)
    );
    crate::jobs::enqueue(
        tx,
        Job::Message(Message {
            to: d.email.clone(),
            subject: format!("Đề cử dự {}", ctx.course.title),
            body: format!(
                "{} được {} đề cử dự {}.\nTrang cá nhân và mã QR điểm danh: {link}\n",
                d.full_name, u.name, ctx.course.title
            ),
        }),
    )
    .await?;
    Ok(())
}

/// The organizers replace a delegate by another person of the same unit, with a reason: the
/// unit keeps its place, the old badge is revoked (it joins the revocation list), both people
/// are told, and the new delegate is accepted at once.
pub async fn swap(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    delegate_id: i64,
    reason: &str,
    input: NominationInput,
) -> AppResult<Delegate> {
    require(ctx.can_manage(actor))?;
    let old = courses::delegate(&state.db, delegate_id)
        .await
        .ok()
        .filter(|d| d.course_id == ctx.course.id)
        .ok_or(AppError::NotFound)?;
    if !is_active(&old) {
        return Err(AppError::bad(
            "Đại biểu này đã bị từ chối hoặc thay thế.",
            "This delegate has already been refused or replaced.",
        ));
    }
    let reason = line(reason, 500, "lý do", "reason")?;
    if reason.is_empty() {
        return Err(AppError::bad(
            "Vui lòng ghi lý do thay đại biểu.",
            "Please give the reason for replacing the delegate.",
        ));
    }
    let u = units::get(&state.db, old.unit_id).await?;
    let p = person(state, &input).await?;
    let badge = new_badge(state);
    let tx = state.db.write().await?;
    refuse_duplicate(&tx, ctx, u.id, &p, Some(old.id)).await?;
    if (old.user_id.is_some() && old.user_id == p.user_id)
        || (!p.phone.is_empty() && old.phone == p.phone)
        || (!p.email.is_empty() && old.email == p.email)
    {
        return Err(AppError::bad(
            "Người thay phải là một người khác.",
            "The replacement must be another person.",
        ));
    }
    let gone = courses::decide(&tx, old.id, DelegateStatus::Replaced, &reason).await?;
    let new = courses::add_delegate(
        &tx,
        p.into_delegate(ctx, old.course_unit_id, u.id, badge, actor),
    )
    .await?;
    let new = courses::decide(&tx, new.id, DelegateStatus::Accepted, "").await?;
    tell_nominated(state, &tx, ctx, &u, &new).await?;
    if !gone.email.is_empty() {
        crate::jobs::enqueue(
            &tx,
            Job::Message(Message {
                to: gone.email.clone(),
                subject: format!("Thay đại biểu dự {}", ctx.course.title),
                body: format!(
                    "Ban tổ chức đã thay {} bằng {} trong danh sách dự {}. Lý do: {reason}\nMã QR cũ không còn dùng được.\n",
                    gone.full_name, new.full_name, ctx.course.title
                ),
            }),
        )
        .await?;
    }
    audit::record(
        &tx,
        actor,
        "course.swap",
        "course_delegate",
        Some(old.id),
        serde_json::json!({"replaced_by": new.id, "reason": reason, "unit_id": u.id}),
    )
    .await?;
    // Who may find the course's delegate-only materials has changed.
    crate::courses::materials::service::reindex_private(&tx, ctx.course.id).await?;
    hoithi_storage::commit(tx).await?;
    Ok(new)
}

/// The organizers accept or refuse (with a reason) a delegate; a refused delegate's place goes
/// back to the unit.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    ctx: &CourseCtx,
    delegate_id: i64,
    accept: bool,
    reason: &str,
) -> AppResult<Delegate> {
    require(ctx.can_manage(actor))?;
    let d = courses::delegate(&state.db, delegate_id)
        .await
        .ok()
        .filter(|d| d.course_id == ctx.course.id)
        .ok_or(AppError::NotFound)?;
    let reason = line(reason, 500, "lý do", "reason")?;
    if !accept && reason.is_empty() {
        return Err(AppError::bad(
            "Vui lòng ghi lý do không nhận đại biểu.",
            "Please give the reason for refusing the delegate.",
        ));
    }
    if !is_active(&d) {
        return Err(AppError::bad(
            "Đại biểu này đã bị từ chối hoặc thay thế.",
            "This delegate has already been refused or replaced.",
        ));
    }
    let status = if accept {
        DelegateStatus::Accepted
    } else {
        DelegateStatus::Refused
    };
    let tx = state.db.write().await?;
    let saved = courses::decide(&tx, d.id, status, &reason).await?;
    if !accept {
        courses::free_place(&tx, d.course_unit_id).await?;
    }
    if !saved.email.is_empty() {
        let (subject, body) = if accept {
            (
                format!("Xác nhận dự {}", ctx.course.title),
                format!(
                    "Ban tổ chức đã xác nhận {} dự {}.\n",
                    saved.full_name, ctx.course.title
                ),
            )
        } else {
            (
                format!("Không nhận đại biểu dự {}", ctx.course.title),
                format!(
                    "Ban tổ chức không nhận {} dự {}. Lý do: {reason}\n",
                    saved.full_name, ctx.course.title
                ),
            )
        };
        crate::jobs::enqueue(
            &tx,
            Job::Message(Message {
                to: saved.email.clone(),
                subject,
                body,
            }),
        )
        .await?;
    }
    audit::record(
        &tx,
        actor,
        "course.delegate",
        "course_delegate",
        Some(d.id),
        serde_json::json!({"status": status, "reason": reason}),
    )
    .await?;
    crate::courses::materials::service::reindex_private(&tx, ctx.course.id).await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}

/// One invited unit in the lists: quota, delegates, who is missing.
pub struct UnitList {
    pub cu: CourseUnit,
    pub unit: unit::Model,
    pub delegates: Vec<Delegate>,
    pub may_nominate: bool,
}

impl UnitList {
    pub fn active(&self) -> usize {
        self.delegates.iter().filter(|d| is_active(d)).count()
    }

    pub fn missing(&self) -> usize {
        (self.cu.quota.max(0) as usize).saturating_sub(self.active())
    }
}

/// The invited units the actor may see (all for organizers, their own for unit
/// administrators), each with its delegates, in unit-tree order.
pub async fn lists(state: &AppState, actor: &Actor, ctx: &CourseCtx) -> AppResult<Vec<UnitList>> {
    let manage = ctx.can_manage(actor);
    let all = courses::delegates(&state.db, ctx.course.id).await?;
    let mut out = Vec::new();
    for cu in courses::course_units(&state.db, ctx.course.id).await? {
        let may = can(actor, Action::NominateDelegates, unit_resource(ctx, &cu));
        if !manage && !may {
            continue;
        }
        let unit = units::get(&state.db, cu.unit_id).await?;
        let delegates = all
            .iter()
            .filter(|d| d.unit_id == cu.unit_id)
            .cloned()
            .collect();
        out.push(UnitList {
            cu,
            unit,
            delegates,
            may_nominate: may,
        });
    }
    out.sort_by(|a, b| (a.unit.depth, &a.unit.name_key).cmp(&(b.unit.depth, &b.unit.name_key)));
    Ok(out)
}
