use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scores")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub entry_id: i64,
    pub user_id: i64,
    #[sea_orm(column_type = "Text")]
    pub points: String,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    pub status: crate::status::ScoreStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
