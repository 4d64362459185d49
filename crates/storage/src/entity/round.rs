use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contest_id: i64,
    pub unit_id: i64,
    pub unit_path: crate::types::UnitPath,
    pub kind: crate::status::RoundKind,
    pub name: String,
    pub status: crate::status::RoundStatus,
    pub judges_per_entry: i32,
    pub dispute_margin: f64,
    pub normalize: bool,
    #[sea_orm(column_type = "Text")]
    pub tie_break: String,
    pub results_published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
