use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub unit_id: i64,
    pub unit_path: crate::types::UnitPath,
    pub held_on: DateTimeUtc,
    pub place: String,
    pub participants: i32,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub recorded_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
