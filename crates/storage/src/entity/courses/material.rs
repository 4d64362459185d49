use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_materials")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub session_id: Option<i64>,
    pub position: i32,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    /// "file" or "link".
    pub kind: String,
    /// "delegates" or "public".
    pub visibility: String,
    #[sea_orm(column_type = "Text")]
    pub url: String,
    pub file_sha256: String,
    pub file_name: String,
    pub format: String,
    pub size_bytes: i64,
    /// The text extracted from the file, for the search.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
