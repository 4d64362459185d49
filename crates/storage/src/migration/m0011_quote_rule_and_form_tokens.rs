//! Small changes to existing tables, all additive:
//!
//! - **The quote rule of a contest.** `contests.count_quotes` (default true, as every contest
//!   counted quotes before): whether passages inside quotation marks that other texts share
//!   count in an entry's copied share. A check stores the parts of its share beside the counted
//!   figure (`entry_checks.prose_share`, `quoted_share`, `cited_share`), so the overlap page can
//!   show copied prose, quotes and shared citations apart; checks made before have NULL there.
//! - **How a contest shows its entries' text.** `contests.display_tone`: empty (the default:
//!   as each author wrote it), `new` (hoà, thuý) or `old` (hòa, thúy), for organizers who want
//!   one tone-mark style on their judges' pages. Stored text is never changed.
//! - **Submissions that cannot be sent twice.** `entries.form_token`: the random token of the
//!   form an entry was sent from. `(contest_id, form_token)` is unique, so a reload, a double
//!   click or a phone resending after a timeout finds the entry already made instead of making
//!   a second one. Entries made before have NULL, which never collides.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_quote_rule_and_form_tokens"
    }
}

const FORM_TOKEN_INDEX: &str = "ux_entries_contest_id_form_token";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("contests")
                .add_column(boolean("count_quotes").default(true))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("contests")
                .add_column(string("display_tone").default(""))
                .to_owned(),
        )
        .await?;
        // SQLite adds one column per ALTER TABLE.
        for col in ["prose_share", "quoted_share", "cited_share"] {
            m.alter_table(
                Table::alter()
                    .table("entry_checks")
                    .add_column(double_null(col))
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table("entries")
                .add_column(string_null("form_token"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name(FORM_TOKEN_INDEX)
                .table("entries")
                .col("contest_id")
                .col("form_token")
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name(FORM_TOKEN_INDEX)
                .table("entries")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("entries")
                .drop_column("form_token")
                .to_owned(),
        )
        .await?;
        for col in ["prose_share", "quoted_share", "cited_share"] {
            m.alter_table(
                Table::alter()
                    .table("entry_checks")
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        for col in ["display_tone", "count_quotes"] {
            m.alter_table(Table::alter().table("contests").drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
