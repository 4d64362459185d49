//! Courses: the course and its sessions, invited units and their quotas, delegates. Check-ins
//! are in `checkins.rs`, the survey and the follow-up in `followup.rs`.

pub mod checkins;
pub mod followup;
pub mod materials;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, Statement,
};

use crate::entity::courses::{course, course_unit, delegate, session};
use crate::status::{CourseKind, CourseStatus, DelegateStatus};
use crate::types::UnitPath;
use crate::{Conn, StorageError, StorageResult, time};

pub use crate::entity::courses::{
    answer::Model as Answer, checkin::Model as Checkin, course::Model as Course,
    course_unit::Model as CourseUnit, delegate::Model as Delegate, plan::Model as Plan,
    question::Model as Question, report::Model as Report, session::Model as Session,
};

pub struct NewCourse {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub venue: String,
    pub kind: CourseKind,
    pub organizer_unit_id: i64,
    pub organizer_path: UnitPath,
    pub nomination_deadline: time::Timestamp,
    pub completion_share: i32,
    pub completion_needs_survey: bool,
    pub parent_course_id: Option<i64>,
}

pub async fn create<C: Conn>(db: &C, n: NewCourse) -> StorageResult<Course> {
    let now = time::now();
    Ok(course::ActiveModel {
        slug: Set(n.slug),
        title: Set(n.title),
        description: Set(n.description),
        venue: Set(n.venue),
        kind: Set(n.kind),
        status: Set(CourseStatus::Draft),
        organizer_unit_id: Set(n.organizer_unit_id),
        organizer_path: Set(n.organizer_path),
        nomination_deadline: Set(n.nomination_deadline),
        completion_share: Set(n.completion_share),
        completion_needs_survey: Set(n.completion_needs_survey),
        survey_closes_at: Set(None),
        followup_deadline: Set(None),
        parent_course_id: Set(n.parent_course_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn get<C: Conn>(db: &C, id: i64) -> StorageResult<Course> {
    course::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn by_slug<C: Conn>(db: &C, slug: &str) -> StorageResult<Option<Course>> {
    Ok(course::Entity::find()
        .filter(course::Column::Slug.eq(slug))
        .one(db)
        .await?)
}

/// Every course, newest first.
pub async fn list<C: Conn>(db: &C) -> StorageResult<Vec<Course>> {
    Ok(course::Entity::find()
        .order_by_desc(course::Column::CreatedAt)
        .order_by_desc(course::Column::Id)
        .all(db)
        .await?)
}

/// The courses that pass this one on, one level down, oldest first.
pub async fn children<C: Conn>(db: &C, parent_id: i64) -> StorageResult<Vec<Course>> {
    Ok(course::Entity::find()
        .filter(course::Column::ParentCourseId.eq(parent_id))
        .order_by_asc(course::Column::Id)
        .all(db)
        .await?)
}

pub async fn set_status<C: Conn>(db: &C, id: i64, status: CourseStatus) -> StorageResult<()> {
    let mut a: course::ActiveModel = get(db, id).await?.into();
    a.status = Set(status);
    a.updated_at = Set(time::now());
    a.update(db).await?;
    Ok(())
}

/// Deadlines set after the course: the survey's and the follow-up reports'.
pub async fn set_deadlines<C: Conn>(
    db: &C,
    id: i64,
    survey_closes_at: Option<time::Timestamp>,
    followup_deadline: Option<time::Timestamp>,
) -> StorageResult<()> {
    let mut a: course::ActiveModel = get(db, id).await?.into();
    a.survey_closes_at = Set(survey_closes_at);
    a.followup_deadline = Set(followup_deadline);
    a.updated_at = Set(time::now());
    a.update(db).await?;
    Ok(())
}

// ---- sessions ----

pub struct NewSession {
    pub starts_at: time::Timestamp,
    pub ends_at: time::Timestamp,
    pub room: String,
    pub speaker: String,
    pub topic: String,
    pub late_after_minutes: i32,
    pub room_secret: String,
}

pub async fn add_session<C: Conn>(db: &C, course_id: i64, n: NewSession) -> StorageResult<Session> {
    Ok(session::ActiveModel {
        course_id: Set(course_id),
        starts_at: Set(n.starts_at),
        ends_at: Set(n.ends_at),
        room: Set(n.room),
        speaker: Set(n.speaker),
        topic: Set(n.topic),
        late_after_minutes: Set(n.late_after_minutes),
        room_secret: Set(n.room_secret),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The sessions of a course in time order.
pub async fn sessions<C: Conn>(db: &C, course_id: i64) -> StorageResult<Vec<Session>> {
    Ok(session::Entity::find()
        .filter(session::Column::CourseId.eq(course_id))
        .order_by_asc(session::Column::StartsAt)
        .order_by_asc(session::Column::Id)
        .all(db)
        .await?)
}

pub async fn session<C: Conn>(db: &C, id: i64) -> StorageResult<Session> {
    session::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn delete_session<C: Conn>(db: &C, id: i64) -> StorageResult<()> {
    session::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

// ---- invited units ----

/// Invites a unit with a quota, or sets the quota of one already invited (never below the
/// places already taken: the caller checks).
pub async fn invite<C: Conn>(
    db: &C,
    course_id: i64,
    unit_id: i64,
    unit_path: &UnitPath,
    quota: i32,
) -> StorageResult<CourseUnit> {
    if let Some(cu) = course_unit(db, course_id, unit_id).await? {
        let mut a: course_unit::ActiveModel = cu.into();
        a.quota = Set(quota);
        return Ok(a.update(db).await?);
    }
    Ok(course_unit::ActiveModel {
        course_id: Set(course_id),
        unit_id: Set(unit_id),
        unit_path: Set(unit_path.clone()),
        quota: Set(quota),
        nominated: Set(0),
        created_at: Set(time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn course_unit<C: Conn>(
    db: &C,
    course_id: i64,
    unit_id: i64,
) -> StorageResult<Option<CourseUnit>> {
    Ok(course_unit::Entity::find()
        .filter(course_unit::Column::CourseId.eq(course_id))
        .filter(course_unit::Column::UnitId.eq(unit_id))
        .one(db)
        .await?)
}

pub async fn course_units<C: Conn>(db: &C, course_id: i64) -> StorageResult<Vec<CourseUnit>> {
    Ok(course_unit::Entity::find()
        .filter(course_unit::Column::CourseId.eq(course_id))
        .order_by_asc(course_unit::Column::UnitPath)
        .all(db)
        .await?)
}

/// Takes one place of a unit's quota if one is left: a single conditional UPDATE, so two
/// nominations at once can never both take the last place. False when the quota is full.
pub async fn take_place<C: Conn>(db: &C, course_unit_id: i64) -> StorageResult<bool> {
    let r = db
        .execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "UPDATE course_units SET nominated = nominated + 1 WHERE id = $1 AND nominated < quota",
            [course_unit_id.into()],
        ))
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Gives a place back (a refused or replaced delegate).
pub async fn free_place<C: Conn>(db: &C, course_unit_id: i64) -> StorageResult<()> {
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        "UPDATE course_units SET nominated = nominated - 1 WHERE id = $1 AND nominated > 0",
        [course_unit_id.into()],
    ))
    .await?;
    Ok(())
}

// ---- delegates ----

pub struct NewDelegate {
    pub course_id: i64,
    pub course_unit_id: i64,
    pub unit_id: i64,
    pub user_id: Option<i64>,
    pub full_name: String,
    pub name_key: String,
    pub name_fold: String,
    pub job_title: String,
    pub phone: String,
    pub email: String,
    pub badge_salt: String,
    pub badge_hash: String,
    pub nominated_by: Option<i64>,
}

pub async fn add_delegate<C: Conn>(db: &C, n: NewDelegate) -> StorageResult<Delegate> {
    let now = time::now();
    Ok(delegate::ActiveModel {
        course_id: Set(n.course_id),
        course_unit_id: Set(n.course_unit_id),
        unit_id: Set(n.unit_id),
        user_id: Set(n.user_id),
        full_name: Set(n.full_name),
        name_key: Set(n.name_key),
        name_fold: Set(n.name_fold),
        job_title: Set(n.job_title),
        phone: Set(n.phone),
        email: Set(n.email),
        status: Set(DelegateStatus::Nominated),
        reason: Set(String::new()),
        badge_salt: Set(n.badge_salt),
        badge_hash: Set(n.badge_hash),
        nominated_by: Set(n.nominated_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn delegate<C: Conn>(db: &C, id: i64) -> StorageResult<Delegate> {
    delegate::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn delegate_by_badge<C: Conn>(
    db: &C,
    badge_hash: &str,
) -> StorageResult<Option<Delegate>> {
    Ok(delegate::Entity::find()
        .filter(delegate::Column::BadgeHash.eq(badge_hash))
        .one(db)
        .await?)
}

/// The delegates of a course (every status), in Vietnamese name order.
pub async fn delegates<C: Conn>(db: &C, course_id: i64) -> StorageResult<Vec<Delegate>> {
    Ok(delegate::Entity::find()
        .filter(delegate::Column::CourseId.eq(course_id))
        .order_by_asc(delegate::Column::NameKey)
        .order_by_asc(delegate::Column::Id)
        .all(db)
        .await?)
}

/// A delegate's account's places in courses.
pub async fn delegates_of_user<C: Conn>(db: &C, user_id: i64) -> StorageResult<Vec<Delegate>> {
    Ok(delegate::Entity::find()
        .filter(delegate::Column::UserId.eq(user_id))
        .order_by_desc(delegate::Column::Id)
        .all(db)
        .await?)
}

pub async fn decide<C: Conn>(
    db: &C,
    id: i64,
    status: DelegateStatus,
    reason: &str,
) -> StorageResult<Delegate> {
    let mut a: delegate::ActiveModel = delegate(db, id).await?.into();
    a.status = Set(status);
    a.reason = Set(reason.to_string());
    a.updated_at = Set(time::now());
    Ok(a.update(db).await?)
}

/// A new badge (the old QR stops working).
pub async fn set_badge<C: Conn>(
    db: &C,
    id: i64,
    badge_salt: &str,
    badge_hash: &str,
) -> StorageResult<()> {
    let mut a: delegate::ActiveModel = delegate(db, id).await?.into();
    a.badge_salt = Set(badge_salt.to_string());
    a.badge_hash = Set(badge_hash.to_string());
    a.updated_at = Set(time::now());
    a.update(db).await?;
    Ok(())
}

/// The accounts administering exactly this unit (to remind them).
pub async fn unit_admins<C: Conn>(db: &C, unit_id: i64) -> StorageResult<Vec<i64>> {
    use crate::entity::role_grant;
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq("unit_admin"))
        .filter(role_grant::Column::UnitId.eq(unit_id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.user_id)
        .collect())
}

/// Courses by id after `after`, for rebuilding the search index.
pub async fn batch_after<C: Conn>(db: &C, after: i64, limit: u64) -> StorageResult<Vec<Course>> {
    use sea_orm::QuerySelect;
    Ok(course::Entity::find()
        .filter(course::Column::Id.gt(after))
        .order_by_asc(course::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
