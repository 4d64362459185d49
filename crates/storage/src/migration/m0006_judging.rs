//! Judging: rounds per contest (preliminary at a collecting unit, final at the organizer),
//! their rubric, judges, entries, anonymous codes, conflicts of interest, assignments in
//! batches (so a bulk assignment can be undone as one step), scores, advancement between
//! rounds, awards and certificates. Score changes are written to `audit_log`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::cols::{fk, id, index, ts, ts_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_judging"
    }
}

fn unique(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut idx = index(table, columns);
    idx.name(format!("ux_{table}_{}", columns.join("_")))
        .unique();
    idx
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("rounds")
                .col(id())
                .col(big_integer("contest_id"))
                // The unit that runs the round: a collecting unit (preliminary) or the
                // organizer (final). Its path is copied for scoping without a join.
                .col(big_integer("unit_id"))
                .col(string("unit_path"))
                // "preliminary" or "final".
                .col(string("kind"))
                .col(string("name"))
                // "draft", "open" (judges score) or "closed".
                .col(string("status"))
                .col(integer("judges_per_entry"))
                // Totals differing by more than this (max - min) mark a disputed entry.
                .col(double("dispute_margin"))
                .col(boolean("normalize"))
                // JSON list of tie-break steps, fixed before judging starts.
                .col(text("tie_break"))
                .col(ts_null("results_published_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "rounds",
                    "contest_id",
                    "contests",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "rounds",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("rounds", &["contest_id"])).await?;

        m.create_table(
            Table::create()
                .table("round_criteria")
                .col(id())
                .col(big_integer("round_id"))
                .col(integer("position"))
                .col(string("name"))
                .col(double("max_points"))
                .col(double("weight"))
                .foreign_key(&mut fk(
                    "round_criteria",
                    "round_id",
                    "rounds",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("round_criteria", &["round_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("round_judges")
                .col(id())
                .col(big_integer("round_id"))
                .col(big_integer("user_id"))
                .col(integer("capacity"))
                // JSON list of genre ids the judge is expert in.
                .col(text("expertise"))
                .col(big_integer_null("unit_id"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "round_judges",
                    "round_id",
                    "rounds",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "round_judges",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("round_judges", &["round_id", "user_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("round_entries")
                .col(big_integer("round_id"))
                .col(big_integer("entry_id"))
                // The round it advanced from, for a final round.
                .col(big_integer_null("source_round_id"))
                .col(ts("added_at"))
                .primary_key(Index::create().col("round_id").col("entry_id"))
                .foreign_key(&mut fk(
                    "round_entries",
                    "round_id",
                    "rounds",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "round_entries",
                    "entry_id",
                    "entries",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("round_entries", &["entry_id"]))
            .await?;

        // The code judges see instead of anything that identifies the entry.
        m.create_table(
            Table::create()
                .table("anon_codes")
                .col(big_integer("entry_id").primary_key())
                .col(big_integer("contest_id"))
                .col(string("code"))
                .foreign_key(&mut fk(
                    "anon_codes",
                    "entry_id",
                    "entries",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "anon_codes",
                    "contest_id",
                    "contests",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("anon_codes", &["contest_id", "code"]))
            .await?;

        // Declared conflicts (a judge recused, with a reason) and the organizer's forbidden
        // and forced pairs. Automatic conflicts (same unit, co-author) are computed.
        m.create_table(
            Table::create()
                .table("judge_conflicts")
                .col(id())
                .col(big_integer("round_id"))
                .col(big_integer("entry_id"))
                .col(big_integer("user_id"))
                // "declared", "forbidden" or "forced".
                .col(string("kind"))
                .col(text("reason"))
                .col(big_integer_null("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "judge_conflicts",
                    "round_id",
                    "rounds",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "judge_conflicts",
                    "entry_id",
                    "entries",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "judge_conflicts",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique(
            "judge_conflicts",
            &["round_id", "entry_id", "user_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("assignment_batches")
                .col(id())
                .col(big_integer("round_id"))
                // "auto", "extra" (one more judge for disputed entries) or "manual".
                .col(string("kind"))
                // "preview", "published" or "undone".
                .col(string("status"))
                .col(integer("pairs"))
                .col(big_integer_null("objective"))
                // JSON list of messages (entries short of judges, and why).
                .col(text("notes"))
                .col(big_integer_null("created_by"))
                .col(ts("created_at"))
                .col(ts_null("published_at"))
                .foreign_key(&mut fk(
                    "assignment_batches",
                    "round_id",
                    "rounds",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("assignment_batches", &["round_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("assignments")
                .col(id())
                .col(big_integer("round_id"))
                .col(big_integer("entry_id"))
                .col(big_integer("user_id"))
                .col(big_integer_null("batch_id"))
                // "preview", "published" or "recused".
                .col(string("status"))
                .col(boolean("extra"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "assignments",
                    "round_id",
                    "rounds",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "assignments",
                    "entry_id",
                    "entries",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "assignments",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "assignments",
                    "batch_id",
                    "assignment_batches",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("assignments", &["round_id", "entry_id", "user_id"]))
            .await?;
        m.create_index(index("assignments", &["round_id", "user_id"]))
            .await?;
        m.create_index(index("assignments", &["batch_id"])).await?;

        m.create_table(
            Table::create()
                .table("scores")
                .col(id())
                .col(big_integer("round_id"))
                .col(big_integer("entry_id"))
                .col(big_integer("user_id"))
                // JSON list of points per criterion (null where not yet given).
                .col(text("points"))
                .col(text("comment"))
                // "draft" or "submitted".
                .col(string("status"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .col(ts_null("submitted_at"))
                .foreign_key(&mut fk(
                    "scores",
                    "round_id",
                    "rounds",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "scores",
                    "entry_id",
                    "entries",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "scores",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("scores", &["round_id", "entry_id", "user_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("advancements")
                .col(id())
                .col(big_integer("from_round_id"))
                .col(big_integer("to_round_id"))
                .col(big_integer("entry_id"))
                .col(integer("rank"))
                .col(double("score"))
                .col(string("rule"))
                .col(big_integer_null("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "advancements",
                    "from_round_id",
                    "rounds",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "advancements",
                    "to_round_id",
                    "rounds",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "advancements",
                    "entry_id",
                    "entries",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("advancements", &["from_round_id", "entry_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("award_tiers")
                .col(id())
                .col(big_integer("round_id"))
                .col(big_integer("genre_id"))
                .col(integer("position"))
                .col(string("name"))
                .col(integer("count"))
                .foreign_key(&mut fk(
                    "award_tiers",
                    "round_id",
                    "rounds",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "award_tiers",
                    "genre_id",
                    "genres",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("award_tiers", &["round_id"])).await?;

        // Confirmed awards: to an entry (by genre and tier) or to a unit (collective).
        m.create_table(
            Table::create()
                .table("awards")
                .col(id())
                .col(big_integer("round_id"))
                // "individual" or "collective".
                .col(string("kind"))
                .col(big_integer_null("entry_id"))
                .col(big_integer_null("unit_id"))
                .col(big_integer_null("genre_id"))
                .col(string("tier_name"))
                .col(integer("position"))
                .col(double_null("score"))
                .col(integer_null("rank"))
                .col(big_integer_null("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "awards",
                    "round_id",
                    "rounds",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "awards",
                    "entry_id",
                    "entries",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "awards",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("awards", &["round_id"])).await?;

        // One certificate per author of an awarded entry (or per awarded unit), with the
        // names as printed, and a code anyone can check on the public verification page.
        m.create_table(
            Table::create()
                .table("certificates")
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
                .foreign_key(&mut fk(
                    "certificates",
                    "award_id",
                    "awards",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("certificates", &["award_id", "position"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "certificates",
            "awards",
            "award_tiers",
            "advancements",
            "scores",
            "assignments",
            "assignment_batches",
            "judge_conflicts",
            "anon_codes",
            "round_entries",
            "round_judges",
            "round_criteria",
            "rounds",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
