use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_delegates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
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
    pub status: crate::status::DelegateStatus,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub badge_salt: String,
    #[sea_orm(unique)]
    pub badge_hash: String,
    pub nominated_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
