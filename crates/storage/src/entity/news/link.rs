use sea_orm::entity::prelude::*;

/// A record a post reports: `subject_kind` "contest" (or "course") and its id (m0012).
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "news_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub post_id: i64,
    pub subject_kind: String,
    pub subject_id: i64,
}

impl ActiveModelBehavior for ActiveModel {}
