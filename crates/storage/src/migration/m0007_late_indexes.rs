//! Indexes that were added to m0004 after it had landed, moved into a migration of their own
//! (decision 0005). A database that ran the edited m0004 already has them and one that ran the
//! released version does not, so each is created only if missing: both kinds end up alike.
//!
//! - `ix_participation_contest_id_dim_k_unit_path`: whole-contest totals read one cell over the
//!   top-level units only (added to m0004 in f17dfec).
//! - `ix_entries_flagged`: flagged entries are few; a partial index finds them without reading
//!   the others. The released m0004 creates it; a database that ran m0004 before e433886 had
//!   added it there does not have it.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

use super::cols::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_late_indexes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            index("participation", &["contest_id", "dim", "k", "unit_path"])
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX IF NOT EXISTS ix_entries_flagged ON entries (contest_id, submitted_at) \
                 WHERE flags <> '[]'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Back to the released m0004, which has the flagged-entries index but not this one.
        m.drop_index(
            Index::drop()
                .name("ix_participation_contest_id_dim_k_unit_path")
                .table("participation")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
