use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub unit_id: i64,
    pub unit_path: crate::types::UnitPath,
    pub starts_on: DateTimeUtc,
    pub ends_on: DateTimeUtc,
    pub audience: String,
    pub expected_people: i32,
    pub recorded_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
