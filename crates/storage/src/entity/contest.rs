use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub rules: String,
    pub organizer_unit_id: i64,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub published: bool,
    /// Whether shared quotes count in an entry's copied share (m0011).
    pub count_quotes: bool,
    /// How entries' text is shown: "" as written, "new" or "old" tone style (m0011).
    pub display_tone: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
