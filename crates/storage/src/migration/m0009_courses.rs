//! Courses: a training course held by a unit, its sessions (buổi), the units invited with a
//! quota of delegates, the delegates they nominate (each with a badge token stored as a hash),
//! check-ins per session (unique per delegate and session: "exactly once" is the database's
//! guarantee; an offline scanner's `client_id` is unique per course, so a replayed batch adds
//! nothing), the feedback survey and its answers (one per delegate), and the units' follow-up
//! plans and cascade reports.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::cols::{fk, id, index, ts, ts_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_courses"
    }
}

fn unique(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut idx = index(table, columns);
    idx.name(format!("ux_{table}_{}", columns.join("_")))
        .unique();
    idx
}

fn cascade(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    fk(table, column, target, ForeignKeyAction::Cascade)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("courses")
                .col(id())
                .col(string_uniq("slug"))
                .col(string("title"))
                .col(text("description"))
                .col(string("venue"))
                // "boi_duong", "tap_huan" or "quan_triet".
                .col(string("kind"))
                // "draft", "nominating", "in_progress" or "finished".
                .col(string("status"))
                .col(big_integer("organizer_unit_id"))
                // The organizer's path, copied for scoping without a join.
                .col(string("organizer_path"))
                .col(ts("nomination_deadline"))
                // Share of sessions (percent) a delegate attends to complete the course.
                .col(integer("completion_share"))
                .col(boolean("completion_needs_survey"))
                .col(ts_null("survey_closes_at"))
                .col(ts_null("followup_deadline"))
                // A unit's own cascade course names the course it passes on.
                .col(big_integer_null("parent_course_id"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "courses",
                    "organizer_unit_id",
                    "units",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "courses",
                    "parent_course_id",
                    "courses",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("course_sessions")
                .col(id())
                .col(big_integer("course_id"))
                .col(ts("starts_at"))
                .col(ts("ends_at"))
                .col(string("room"))
                .col(string("speaker"))
                .col(string("topic"))
                // Minutes after the start from which a check-in counts as late.
                .col(integer("late_after_minutes"))
                // The secret the room's rotating code is derived from.
                .col(string("room_secret"))
                .foreign_key(&mut cascade("course_sessions", "course_id", "courses"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("course_sessions", &["course_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("course_units")
                .col(id())
                .col(big_integer("course_id"))
                .col(big_integer("unit_id"))
                .col(string("unit_path"))
                .col(integer("quota"))
                // Places taken; raised only by `UPDATE … WHERE nominated < quota`, so the
                // quota holds under concurrent nominations on both databases.
                .col(integer("nominated"))
                .col(ts("created_at"))
                .foreign_key(&mut cascade("course_units", "course_id", "courses"))
                .foreign_key(&mut cascade("course_units", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("course_units", &["course_id", "unit_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("course_delegates")
                .col(id())
                .col(big_integer("course_id"))
                .col(big_integer("course_unit_id"))
                .col(big_integer("unit_id"))
                .col(big_integer_null("user_id"))
                .col(string("full_name"))
                .col(string("name_key"))
                // The name folded (no diacritics, lower case) for staff search.
                .col(string("name_fold"))
                .col(string("job_title"))
                .col(string("phone"))
                .col(string("email"))
                // "nominated", "accepted", "refused" or "replaced".
                .col(string("status"))
                .col(text("reason"))
                // The badge token of the personal link and QR code is derived from this salt
                // and the instance secret (so badges can be printed again); only its SHA-256
                // is looked up.
                .col(string("badge_salt"))
                .col(string_uniq("badge_hash"))
                .col(big_integer_null("nominated_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut cascade("course_delegates", "course_id", "courses"))
                .foreign_key(&mut cascade(
                    "course_delegates",
                    "course_unit_id",
                    "course_units",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("course_delegates", &["course_id", "unit_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("course_checkins")
                .col(id())
                .col(big_integer("course_id"))
                .col(big_integer("session_id"))
                .col(big_integer("delegate_id"))
                // "present", "late", "excused" or "absent".
                .col(string("status"))
                // "staff", "code", "room", "batch", "paper" or "correction".
                .col(string("method"))
                .col(text("reason"))
                .col(string_null("client_id"))
                .col(big_integer_null("recorded_by"))
                .col(ts("scanned_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut cascade("course_checkins", "course_id", "courses"))
                .foreign_key(&mut cascade(
                    "course_checkins",
                    "session_id",
                    "course_sessions",
                ))
                .foreign_key(&mut cascade(
                    "course_checkins",
                    "delegate_id",
                    "course_delegates",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("course_checkins", &["session_id", "delegate_id"]))
            .await?;
        m.create_index(unique("course_checkins", &["course_id", "client_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("course_questions")
                .col(id())
                .col(big_integer("course_id"))
                .col(integer("position"))
                // "rating", "single", "multiple" or "text".
                .col(string("kind"))
                .col(string("prompt"))
                // The choices, one a line.
                .col(text("choices"))
                .foreign_key(&mut cascade("course_questions", "course_id", "courses"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("course_questions", &["course_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("course_answers")
                .col(id())
                .col(big_integer("course_id"))
                .col(big_integer("delegate_id"))
                // JSON object: question id → answer.
                .col(text("answers"))
                .col(ts("created_at"))
                .foreign_key(&mut cascade("course_answers", "course_id", "courses"))
                .foreign_key(&mut cascade(
                    "course_answers",
                    "delegate_id",
                    "course_delegates",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("course_answers", &["delegate_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("course_plans")
                .col(id())
                .col(big_integer("course_id"))
                .col(big_integer("unit_id"))
                .col(string("unit_path"))
                .col(ts("starts_on"))
                .col(ts("ends_on"))
                .col(string("audience"))
                .col(integer("expected_people"))
                .col(big_integer_null("recorded_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut cascade("course_plans", "course_id", "courses"))
                .foreign_key(&mut cascade("course_plans", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("course_plans", &["course_id", "unit_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("course_reports")
                .col(id())
                .col(big_integer("course_id"))
                .col(big_integer("unit_id"))
                .col(string("unit_path"))
                .col(ts("held_on"))
                .col(string("place"))
                .col(integer("participants"))
                .col(text("notes"))
                .col(big_integer_null("recorded_by"))
                .col(ts("created_at"))
                .foreign_key(&mut cascade("course_reports", "course_id", "courses"))
                .foreign_key(&mut cascade("course_reports", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("course_reports", &["course_id", "unit_id"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "course_reports",
            "course_plans",
            "course_answers",
            "course_questions",
            "course_checkins",
            "course_delegates",
            "course_units",
            "course_sessions",
            "courses",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
