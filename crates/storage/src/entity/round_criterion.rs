use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "round_criteria")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub position: i32,
    pub name: String,
    pub max_points: f64,
    pub weight: f64,
}

impl ActiveModelBehavior for ActiveModel {}
