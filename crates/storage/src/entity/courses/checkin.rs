use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_checkins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub session_id: i64,
    pub delegate_id: i64,
    pub status: crate::status::AttendanceStatus,
    pub method: crate::status::CheckinMethod,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub client_id: Option<String>,
    pub recorded_by: Option<i64>,
    pub scanned_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
