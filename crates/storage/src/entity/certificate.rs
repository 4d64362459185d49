use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub award_id: i64,
    pub position: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub recipient: String,
    pub unit_name: String,
    pub entry_title: String,
    pub contest_title: String,
    pub award_name: String,
    pub issued_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
