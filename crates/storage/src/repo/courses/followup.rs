//! After the course: the feedback survey (questions, one set of answers per delegate) and
//! the units' follow-up plans and cascade reports.

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TryIntoModel,
};

use super::{Answer, Plan, Question, Report};
use crate::entity::courses::{answer, plan, question, report};
use crate::status::QuestionKind;
use crate::types::UnitPath;
use crate::{Conn, StorageResult, time};

pub struct NewQuestion {
    pub kind: QuestionKind,
    pub prompt: String,
    pub choices: String,
}

/// Replaces the survey's questions (refused by the caller once answers exist).
pub async fn set_questions<C: Conn>(
    db: &C,
    course_id: i64,
    list: Vec<NewQuestion>,
) -> StorageResult<()> {
    question::Entity::delete_many()
        .filter(question::Column::CourseId.eq(course_id))
        .exec(db)
        .await?;
    for (i, q) in list.into_iter().enumerate() {
        question::ActiveModel {
            course_id: Set(course_id),
            position: Set(i as i32),
            kind: Set(q.kind),
            prompt: Set(q.prompt),
            choices: Set(q.choices),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn questions<C: Conn>(db: &C, course_id: i64) -> StorageResult<Vec<Question>> {
    Ok(question::Entity::find()
        .filter(question::Column::CourseId.eq(course_id))
        .order_by_asc(question::Column::Position)
        .all(db)
        .await?)
}

/// Stores a delegate's answers unless they answered before. True when stored.
pub async fn answer<C: Conn>(
    db: &C,
    course_id: i64,
    delegate_id: i64,
    answers: String,
) -> StorageResult<bool> {
    let row = answer::ActiveModel {
        course_id: Set(course_id),
        delegate_id: Set(delegate_id),
        answers: Set(answers),
        created_at: Set(time::now()),
        ..Default::default()
    };
    let n = answer::Entity::insert_many([row])
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(n == 1)
}

pub async fn answers<C: Conn>(db: &C, course_id: i64) -> StorageResult<Vec<Answer>> {
    Ok(answer::Entity::find()
        .filter(answer::Column::CourseId.eq(course_id))
        .order_by_asc(answer::Column::Id)
        .all(db)
        .await?)
}

pub async fn answered<C: Conn>(db: &C, delegate_id: i64) -> StorageResult<bool> {
    Ok(answer::Entity::find()
        .filter(answer::Column::DelegateId.eq(delegate_id))
        .one(db)
        .await?
        .is_some())
}

// ---- follow-up ----

pub struct NewPlan {
    pub starts_on: time::Timestamp,
    pub ends_on: time::Timestamp,
    pub audience: String,
    pub expected_people: i32,
}

/// Records or replaces a unit's plan.
pub async fn set_plan<C: Conn>(
    db: &C,
    course_id: i64,
    unit_id: i64,
    unit_path: &UnitPath,
    n: NewPlan,
    by: Option<i64>,
) -> StorageResult<Plan> {
    let now = time::now();
    let existing = plan::Entity::find()
        .filter(plan::Column::CourseId.eq(course_id))
        .filter(plan::Column::UnitId.eq(unit_id))
        .one(db)
        .await?;
    let mut a = match existing {
        Some(p) => p.into(),
        None => plan::ActiveModel {
            course_id: Set(course_id),
            unit_id: Set(unit_id),
            unit_path: Set(unit_path.clone()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    a.starts_on = Set(n.starts_on);
    a.ends_on = Set(n.ends_on);
    a.audience = Set(n.audience);
    a.expected_people = Set(n.expected_people);
    a.recorded_by = Set(by);
    a.updated_at = Set(now);
    Ok(a.save(db).await?.try_into_model()?)
}

pub async fn plans<C: Conn>(db: &C, course_id: i64) -> StorageResult<Vec<Plan>> {
    Ok(plan::Entity::find()
        .filter(plan::Column::CourseId.eq(course_id))
        .order_by_asc(plan::Column::UnitPath)
        .all(db)
        .await?)
}

pub struct NewReport {
    pub held_on: time::Timestamp,
    pub place: String,
    pub participants: i32,
    pub notes: String,
}

pub async fn add_report<C: Conn>(
    db: &C,
    course_id: i64,
    unit_id: i64,
    unit_path: &UnitPath,
    n: NewReport,
    by: Option<i64>,
) -> StorageResult<Report> {
    Ok(report::ActiveModel {
        course_id: Set(course_id),
        unit_id: Set(unit_id),
        unit_path: Set(unit_path.clone()),
        held_on: Set(n.held_on),
        place: Set(n.place),
        participants: Set(n.participants),
        notes: Set(n.notes),
        recorded_by: Set(by),
        created_at: Set(time::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn reports<C: Conn>(db: &C, course_id: i64) -> StorageResult<Vec<Report>> {
    Ok(report::Entity::find()
        .filter(report::Column::CourseId.eq(course_id))
        .order_by_asc(report::Column::HeldOn)
        .order_by_asc(report::Column::Id)
        .all(db)
        .await?)
}
