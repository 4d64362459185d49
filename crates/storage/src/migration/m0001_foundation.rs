//! Units, accounts, roles, sessions, API tokens, sign-in throttling, the job queue, stored
//! files and the audit log: what every module stands on.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::cols::{fk, id, index, ts, ts_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("units")
                .col(id())
                .col(string_uniq("code"))
                .col(string("name"))
                .col(string("kind"))
                .col(big_integer_null("parent_id"))
                // Materialized path "/1/5/12/": a subtree is one indexed prefix match.
                .col(string("path"))
                .col(integer("depth"))
                .col(integer_null("headcount"))
                .col(string("name_key"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "units",
                    "parent_id",
                    "units",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("units", &["path"])).await?;
        m.create_index(index("units", &["parent_id"])).await?;

        m.create_table(
            Table::create()
                .table("users")
                .col(id())
                .col(string_null("email").unique_key())
                .col(string_null("phone").unique_key())
                .col(string("full_name"))
                .col(string("name_key"))
                .col(string("password_hash"))
                .col(big_integer_null("unit_id"))
                .col(boolean("is_active"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "users",
                    "unit_id",
                    "units",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("users", &["unit_id"])).await?;

        m.create_table(
            Table::create()
                .table("role_grants")
                .col(id())
                .col(big_integer("user_id"))
                .col(string("role"))
                .col(big_integer_null("unit_id"))
                .col(string_null("resource_kind"))
                .col(big_integer_null("resource_id"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "role_grants",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "role_grants",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("role_grants", &["user_id"])).await?;
        m.create_index(index("role_grants", &["resource_kind", "resource_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("sessions")
                // SHA-256 of the cookie token: a leaked table does not leak sessions.
                .col(string("id").primary_key())
                .col(big_integer("user_id"))
                .col(string("csrf_secret"))
                .col(ts("created_at"))
                .col(ts("expires_at"))
                .col(ts("last_seen_at"))
                .col(string_null("user_agent"))
                .foreign_key(&mut fk(
                    "sessions",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sessions", &["user_id"])).await?;
        m.create_index(index("sessions", &["expires_at"])).await?;

        m.create_table(
            Table::create()
                .table("api_tokens")
                .col(id())
                .col(big_integer("user_id"))
                .col(string("name"))
                .col(string_uniq("token_hash"))
                .col(ts("created_at"))
                .col(ts_null("last_used_at"))
                .col(ts_null("revoked_at"))
                .foreign_key(&mut fk(
                    "api_tokens",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("login_throttle")
                .col(string("key").primary_key())
                .col(integer("failures"))
                .col(ts("window_start"))
                .col(ts_null("locked_until"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("jobs")
                .col(id())
                .col(string("kind"))
                .col(text("payload"))
                .col(string("status"))
                .col(integer("attempts"))
                .col(integer("max_attempts"))
                .col(ts("run_at"))
                .col(ts_null("locked_until"))
                .col(text_null("last_error"))
                // Enqueueing the same work twice (a retried form post) makes one job.
                .col(string_null("dedupe_key").unique_key())
                .col(ts("created_at"))
                .col(ts_null("finished_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("jobs", &["status", "run_at"])).await?;

        m.create_table(
            Table::create()
                .table("blobs")
                .col(string("sha256").primary_key())
                .col(big_integer("size"))
                .col(string("media_type"))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("audit_log")
                .col(id())
                .col(ts("at"))
                .col(big_integer_null("actor_id"))
                .col(string("action"))
                .col(string("resource_kind"))
                .col(big_integer_null("resource_id"))
                .col(text("detail"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("audit_log", &["resource_kind", "resource_id"]))
            .await?;

        // Instance-wide values every app instance must share (e.g. the signing secret).
        m.create_table(
            Table::create()
                .table("settings")
                .col(string("key").primary_key())
                .col(text("value"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "settings",
            "audit_log",
            "blobs",
            "jobs",
            "login_throttle",
            "api_tokens",
            "sessions",
            "role_grants",
            "users",
            "units",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
