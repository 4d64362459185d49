use sea_orm::entity::prelude::*;

/// A photo of a post (m0012): the uploaded file (by content address), its caption (as typed
/// and sanitized), alt text, and the resized copies as JSON (`[{"width","height","mime",
/// "sha256","bytes"}]`), made by a job.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "news_photos")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub post_id: i64,
    pub position: i32,
    pub sha256: String,
    pub mime: String,
    pub width: i32,
    pub height: i32,
    #[sea_orm(column_type = "Text")]
    pub caption: String,
    #[sea_orm(column_type = "Text")]
    pub caption_html: String,
    pub alt: String,
    #[sea_orm(column_type = "Text")]
    pub variants: String,
    pub status: crate::status::PhotoStatus,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
