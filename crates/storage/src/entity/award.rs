use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "awards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub kind: String,
    pub entry_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub genre_id: Option<i64>,
    pub tier_name: String,
    pub position: i32,
    pub score: Option<f64>,
    pub rank: Option<i32>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
