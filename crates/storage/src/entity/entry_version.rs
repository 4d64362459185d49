use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "entry_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entry_id: i64,
    pub version: i32,
    pub genre_id: i64,
    pub title: String,
    pub pen_name: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub file_sha256: Option<String>,
    pub file_name: Option<String>,
    pub word_count: i32,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
