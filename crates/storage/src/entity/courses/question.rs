use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub position: i32,
    pub kind: crate::status::QuestionKind,
    pub prompt: String,
    #[sea_orm(column_type = "Text")]
    pub choices: String,
}

impl ActiveModelBehavior for ActiveModel {}
