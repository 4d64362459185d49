use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "genres")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contest_id: i64,
    pub name: String,
    pub medium: String,
    pub min_words: Option<i32>,
    pub max_words: Option<i32>,
    pub max_authors: i32,
    pub max_entries_per_author: i32,
    pub accepted_types: String,
    pub allowed_overlap_percent: i32,
    pub position: i32,
}

impl ActiveModelBehavior for ActiveModel {}
