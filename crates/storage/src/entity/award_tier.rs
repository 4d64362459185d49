use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "award_tiers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub genre_id: i64,
    pub position: i32,
    pub name: String,
    pub count: i32,
}

impl ActiveModelBehavior for ActiveModel {}
