use sea_orm::entity::prelude::*;

/// A certificate of any subject (m0008): an award today, a course completion next. The names
/// are kept as printed, so a later rename of a unit or a course does not change an issued one.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What kind of thing it certifies (`repo::certificates::AWARD`, `COURSE_COMPLETION`).
    pub subject_kind: String,
    /// That thing's id (an award's, a course delegate's).
    pub subject_id: i64,
    /// The recipient's number within the subject (several authors share one award).
    pub position: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub recipient: String,
    pub unit_name: String,
    /// Printed text of kinds other than awards, as JSON.
    #[sea_orm(column_type = "Text")]
    pub details: String,
    /// Award certificates: their award (the row goes with it), and its printed text.
    pub award_id: Option<i64>,
    pub entry_title: String,
    pub contest_title: String,
    pub award_name: String,
    pub issued_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
