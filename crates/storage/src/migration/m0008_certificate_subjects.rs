//! Certificates for any subject. A certificate names the kind of thing it certifies
//! (`subject_kind`: "award" today, "course_completion" next) and that thing's id (`subject_id`);
//! `(subject_kind, subject_id, position)` is unique, so issuing twice for one subject adds
//! nothing. Kinds other than awards keep their printed text in `details` (JSON).
//!
//! Existing rows are award certificates: they get kind "award" and their award as subject, and
//! keep everything else — id, code, printed names, the award columns and the foreign key that
//! removes them with their award. `award_id` becomes nullable (other kinds have no award). The
//! award columns (`award_id`, `entry_title`, `contest_title`, `award_name`) stay: they are the
//! award kind's printed text, and dropping them would gain nothing but risk.
//!
//! SQLite cannot drop a NOT NULL constraint, so there the table is rebuilt (new table, rows
//! copied with their ids, old table dropped, new one renamed) inside one transaction;
//! PostgreSQL alters the table in place. Both end with the same columns and indexes.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::cols::{id, ts, ts_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_certificate_subjects"
    }
}

const TABLE: &str = "certificates";
/// The rebuilt table's name until it replaces the old one (SQLite only).
const NEW_TABLE: &str = "certificates_m0008";

fn unique(name: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(TABLE).unique();
    for c in columns {
        idx.col(*c);
    }
    idx.to_owned()
}

fn subject_index() -> IndexCreateStatement {
    unique(
        "ux_certificates_subject_kind_subject_id_position",
        &["subject_kind", "subject_id", "position"],
    )
}

/// The index m0006 made, kept for the award kind (NULL award ids never collide).
fn award_index() -> IndexCreateStatement {
    unique(
        "ux_certificates_award_id_position",
        &["award_id", "position"],
    )
}

/// The table as this migration leaves it, under `name`.
fn new_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(id())
        .col(string("subject_kind"))
        .col(big_integer("subject_id"))
        .col(integer("position"))
        .col(string_uniq("code"))
        .col(string("recipient"))
        .col(string("unit_name"))
        .col(text("details").default("{}"))
        .col(big_integer_null("award_id"))
        .col(string("entry_title").default(""))
        .col(string("contest_title").default(""))
        .col(string("award_name").default(""))
        .col(ts("issued_at"))
        .col(ts_null("revoked_at"))
        .foreign_key(&mut award_fk(name))
        .to_owned()
}

/// The award's foreign key, named as m0006 named it whatever the table is called meanwhile.
fn award_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name("fk_certificates_award_id")
        .from(table, "award_id")
        .to("awards", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// The columns both shapes share, in the order the copies below list them.
const SHARED: &str = "id, position, code, recipient, unit_name, award_id, entry_title, \
                      contest_title, award_name, issued_at, revoked_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// The SQLite rebuild must be all or nothing.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            sea_orm::DbBackend::Sqlite => {
                m.create_table(new_table(NEW_TABLE)).await?;
                db.execute_unprepared(&format!(
                    "INSERT INTO {NEW_TABLE} (subject_kind, subject_id, details, {SHARED}) \
                     SELECT 'award', award_id, '{{}}', {SHARED} FROM {TABLE}"
                ))
                .await?;
                m.drop_table(Table::drop().table(TABLE).to_owned()).await?;
                m.rename_table(Table::rename().table(NEW_TABLE, TABLE).to_owned())
                    .await?;
                m.create_index(award_index()).await?;
            }
            _ => {
                m.alter_table(
                    Table::alter()
                        .table(TABLE)
                        .add_column(string("subject_kind").default("award"))
                        .add_column(big_integer_null("subject_id"))
                        .add_column(text("details").default("{}"))
                        .to_owned(),
                )
                .await?;
                db.execute_unprepared(&format!("UPDATE {TABLE} SET subject_id = award_id"))
                    .await?;
                for sql in [
                    "ALTER COLUMN subject_kind DROP DEFAULT",
                    "ALTER COLUMN subject_id SET NOT NULL",
                    "ALTER COLUMN award_id DROP NOT NULL",
                    "ALTER COLUMN entry_title SET DEFAULT ''",
                    "ALTER COLUMN contest_title SET DEFAULT ''",
                    "ALTER COLUMN award_name SET DEFAULT ''",
                ] {
                    db.execute_unprepared(&format!("ALTER TABLE {TABLE} {sql}"))
                        .await?;
                }
            }
        }
        m.create_index(subject_index()).await?;
        Ok(())
    }

    /// Back to award certificates only: certificates of other kinds are deleted.
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "DELETE FROM {TABLE} WHERE subject_kind <> 'award' OR award_id IS NULL"
        ))
        .await?;
        m.drop_index(
            Index::drop()
                .name("ux_certificates_subject_kind_subject_id_position")
                .table(TABLE)
                .to_owned(),
        )
        .await?;
        match db.get_database_backend() {
            sea_orm::DbBackend::Sqlite => {
                m.create_table(
                    Table::create()
                        .table(NEW_TABLE)
                        .col(id())
                        .col(big_integer("award_id"))
                        .col(integer("position"))
                        .col(string_uniq("code"))
                        .col(string("recipient"))
                        .col(string("unit_name"))
                        .col(string("entry_title"))
                        .col(string("contest_title"))
                        .col(string("award_name"))
                        .col(ts("issued_at"))
                        .col(ts_null("revoked_at"))
                        .foreign_key(&mut award_fk(NEW_TABLE))
                        .to_owned(),
                )
                .await?;
                db.execute_unprepared(&format!(
                    "INSERT INTO {NEW_TABLE} ({SHARED}) SELECT {SHARED} FROM {TABLE}"
                ))
                .await?;
                m.drop_table(Table::drop().table(TABLE).to_owned()).await?;
                m.rename_table(Table::rename().table(NEW_TABLE, TABLE).to_owned())
                    .await?;
                m.create_index(award_index()).await?;
            }
            _ => {
                for sql in [
                    "DROP COLUMN subject_kind",
                    "DROP COLUMN subject_id",
                    "DROP COLUMN details",
                    "ALTER COLUMN award_id SET NOT NULL",
                    "ALTER COLUMN entry_title DROP DEFAULT",
                    "ALTER COLUMN contest_title DROP DEFAULT",
                    "ALTER COLUMN award_name DROP DEFAULT",
                ] {
                    db.execute_unprepared(&format!("ALTER TABLE {TABLE} {sql}"))
                        .await?;
                }
            }
        }
        Ok(())
    }
}
