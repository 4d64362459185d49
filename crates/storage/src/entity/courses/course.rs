use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub venue: String,
    pub kind: crate::status::CourseKind,
    pub status: crate::status::CourseStatus,
    pub organizer_unit_id: i64,
    pub organizer_path: crate::types::UnitPath,
    pub nomination_deadline: DateTimeUtc,
    pub completion_share: i32,
    pub completion_needs_survey: bool,
    pub survey_closes_at: Option<DateTimeUtc>,
    pub followup_deadline: Option<DateTimeUtc>,
    pub parent_course_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
