//! Check-ins: one row per delegate and session (a unique index), written with
//! `ON CONFLICT DO NOTHING` so that a second scan, a replayed batch or a race between two
//! phones records nothing new and fails nothing.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::Checkin;
use crate::entity::courses::checkin;
use crate::status::{AttendanceStatus, CheckinMethod};
use crate::{Conn, StorageError, StorageResult, time};

pub struct NewCheckin {
    pub course_id: i64,
    pub session_id: i64,
    pub delegate_id: i64,
    pub status: AttendanceStatus,
    pub method: CheckinMethod,
    pub reason: String,
    pub client_id: Option<String>,
    pub recorded_by: Option<i64>,
    pub scanned_at: time::Timestamp,
}

/// Records a check-in unless that delegate already has one for that session (or the same
/// `client_id` was recorded before). True when this call recorded it.
pub async fn record<C: Conn>(db: &C, n: NewCheckin) -> StorageResult<bool> {
    let now = time::now();
    let row = checkin::ActiveModel {
        course_id: Set(n.course_id),
        session_id: Set(n.session_id),
        delegate_id: Set(n.delegate_id),
        status: Set(n.status),
        method: Set(n.method),
        reason: Set(n.reason),
        client_id: Set(n.client_id),
        recorded_by: Set(n.recorded_by),
        scanned_at: Set(n.scanned_at),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let n = checkin::Entity::insert_many([row])
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(n == 1)
}

/// Sets a delegate's status for a session (a correction or a mark from the paper roster),
/// adding the row if there is none. Returns the status before, if any.
pub async fn set<C: Conn>(db: &C, n: NewCheckin) -> StorageResult<Option<AttendanceStatus>> {
    let existing = match of(db, n.session_id, n.delegate_id).await? {
        Some(old) => old,
        None => {
            let (session_id, delegate_id) = (n.session_id, n.delegate_id);
            let again = NewCheckin {
                reason: n.reason.clone(),
                client_id: None,
                ..n
            };
            if record(db, n).await? {
                return Ok(None);
            }
            // A scan landed in between (PostgreSQL does not lock the row it did not find):
            // the correction still wins, over that scan.
            return update(db, of(db, session_id, delegate_id).await?, again).await;
        }
    };
    update(db, Some(existing), n).await
}

async fn update<C: Conn>(
    db: &C,
    old: Option<Checkin>,
    n: NewCheckin,
) -> StorageResult<Option<AttendanceStatus>> {
    let Some(old) = old else {
        return Err(StorageError::NotFound);
    };
    let before = old.status;
    let mut a: checkin::ActiveModel = old.into();
    a.status = Set(n.status);
    a.method = Set(n.method);
    a.reason = Set(n.reason);
    a.recorded_by = Set(n.recorded_by);
    a.updated_at = Set(time::now());
    a.update(db).await?;
    Ok(Some(before))
}

pub async fn of<C: Conn>(
    db: &C,
    session_id: i64,
    delegate_id: i64,
) -> StorageResult<Option<Checkin>> {
    Ok(checkin::Entity::find()
        .filter(checkin::Column::SessionId.eq(session_id))
        .filter(checkin::Column::DelegateId.eq(delegate_id))
        .one(db)
        .await?)
}

pub async fn by_client_id<C: Conn>(
    db: &C,
    course_id: i64,
    client_id: &str,
) -> StorageResult<Option<Checkin>> {
    Ok(checkin::Entity::find()
        .filter(checkin::Column::CourseId.eq(course_id))
        .filter(checkin::Column::ClientId.eq(client_id))
        .one(db)
        .await?)
}

/// Every check-in of a course.
pub async fn of_course<C: Conn>(db: &C, course_id: i64) -> StorageResult<Vec<Checkin>> {
    Ok(checkin::Entity::find()
        .filter(checkin::Column::CourseId.eq(course_id))
        .order_by_asc(checkin::Column::Id)
        .all(db)
        .await?)
}

/// A delegate's check-ins.
pub async fn of_delegate<C: Conn>(db: &C, delegate_id: i64) -> StorageResult<Vec<Checkin>> {
    Ok(checkin::Entity::find()
        .filter(checkin::Column::DelegateId.eq(delegate_id))
        .all(db)
        .await?)
}

pub async fn get<C: Conn>(db: &C, id: i64) -> StorageResult<Checkin> {
    checkin::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}
