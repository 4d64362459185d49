use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "advancements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub from_round_id: i64,
    pub to_round_id: i64,
    pub entry_id: i64,
    pub rank: i32,
    pub score: f64,
    pub rule: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
