use sea_orm::entity::prelude::*;

/// One saved state of a post (m0012): every save keeps one.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "news_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub post_id: i64,
    pub number: i32,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub lead: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub byline: String,
    pub author_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
