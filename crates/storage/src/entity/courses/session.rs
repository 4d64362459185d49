use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub room: String,
    pub speaker: String,
    pub topic: String,
    pub late_after_minutes: i32,
    pub room_secret: String,
}

impl ActiveModelBehavior for ActiveModel {}
