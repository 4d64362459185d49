use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "round_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub entry_id: i64,
    pub source_round_id: Option<i64>,
    pub added_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
