use sea_orm::entity::prelude::*;

/// A tag shared by posts of every unit (m0012).
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "news_tags")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
}

impl ActiveModelBehavior for ActiveModel {}
