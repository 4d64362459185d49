//! A quick lane for background work people wait for. A deadline rush queues hundreds of
//! thousands of copy checks; a receipt message, a news photo's copies or an export asked for
//! on a page must not wait behind them. The worker first claims the oldest due job of those
//! kinds, which this index finds without walking the long queue of the others.

use sea_orm_migration::prelude::*;

use super::cols::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0015_job_lanes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("jobs", &["kind", "status", "run_at"]))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_jobs_kind_status_run_at")
                .table("jobs")
                .to_owned(),
        )
        .await
    }
}
