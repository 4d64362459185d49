use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contest_id: i64,
    pub genre_id: i64,
    pub unit_id: i64,
    pub unit_path: crate::types::UnitPath,
    #[sea_orm(unique)]
    pub receipt_code: String,
    pub title: String,
    pub title_key: String,
    pub pen_name: String,
    pub status: crate::status::EntryStatus,
    #[sea_orm(column_type = "Text")]
    pub status_reason: String,
    pub word_count: i32,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub file_sha256: Option<String>,
    pub file_name: Option<String>,
    pub media_link: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub flags: String,
    pub submitter_user_id: Option<i64>,
    pub access_token_hash: Option<String>,
    pub contact: String,
    pub author_key: String,
    pub version: i32,
    pub submitted_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub withdrawn_at: Option<DateTimeUtc>,
    /// The token of the form the entry was sent from (m0011): one entry per form.
    pub form_token: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
