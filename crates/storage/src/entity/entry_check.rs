use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "entry_checks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub entry_id: i64,
    pub share: f64,
    #[sea_orm(column_type = "Text")]
    pub matches: String,
    pub checked_at: DateTimeUtc,
    /// The parts of the share (m0011; NULL for checks made before).
    pub prose_share: Option<f64>,
    pub quoted_share: Option<f64>,
    pub cited_share: Option<f64>,
}

impl ActiveModelBehavior for ActiveModel {}
