use sea_orm::entity::prelude::*;

/// A news post of a unit (m0012). `body` is what the editor typed; `body_html` the sanitized
/// HTML made from it, served as is.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "news_posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub lead: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    pub byline: String,
    pub source_unit: String,
    pub status: crate::status::NewsStatus,
    pub cover_photo_id: Option<i64>,
    /// The number of the latest revision.
    pub revision: i32,
    pub published_at: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
