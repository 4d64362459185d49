use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "entry_authors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entry_id: i64,
    pub position: i32,
    pub full_name: String,
    pub name_key: String,
    pub birth_year: Option<i32>,
    pub workplace: String,
    pub group_id: Option<i64>,
    pub phone: String,
    pub email: String,
}

impl ActiveModelBehavior for ActiveModel {}
