//! Migrations, written once with SeaORM's schema builder and run on SQLite and PostgreSQL.
//! Each module's tables come in their own migration so that a newcomer finds them by name.
//! A landed migration is never edited (decision 0005): `landed.sha256` keeps the SHA-256 of
//! every file here but this one, and a change comes in a new migration, registered below.

use sea_orm_migration::prelude::*;

pub(crate) mod cols;
mod m0001_foundation;
mod m0002_contests;
mod m0003_integrity;
mod m0004_participation;
mod m0005_integrity_sources;
mod m0006_judging;
mod m0007_late_indexes;
mod m0008_certificate_subjects;
mod m0009_courses;
mod m0011_quote_rule_and_form_tokens;
mod m0012_news;
mod m0013_exports;
mod m0014_course_materials;
mod m0015_job_lanes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_contests::Migration),
            Box::new(m0003_integrity::Migration),
            Box::new(m0004_participation::Migration),
            Box::new(m0005_integrity_sources::Migration),
            Box::new(m0006_judging::Migration),
            Box::new(m0007_late_indexes::Migration),
            Box::new(m0008_certificate_subjects::Migration),
            Box::new(m0009_courses::Migration),
            Box::new(m0011_quote_rule_and_form_tokens::Migration),
            Box::new(m0012_news::Migration),
            Box::new(m0013_exports::Migration),
            Box::new(m0014_course_materials::Migration),
            Box::new(m0015_job_lanes::Migration),
        ]
    }
}
