//! The states records move through, as enums stored as text (the same words in the database,
//! the JSON API and the code; pages show them in Vietnamese or English through the catalogue).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize,
            Deserialize, utoipa::ToSchema,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        // The stored words are the variant names in snake case; the test below holds them
        // to the texts given here.
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* #[sea_orm(string_value = $text)] $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// Where an entry stands in screening.
    EntryStatus {
        Submitted = "submitted",
        Eligible = "eligible",
        Disqualified = "disqualified",
        Withdrawn = "withdrawn",
    }
}

text_enum! {
    /// A preliminary round is run by a collecting unit; the final by the organizers.
    RoundKind {
        Preliminary = "preliminary",
        Final = "final",
    }
}

text_enum! {
    /// Draft (rubric and judges being set up), open for scoring, closed.
    RoundStatus {
        Draft = "draft",
        Open = "open",
        Closed = "closed",
    }
}

text_enum! {
    /// One judge–entry pair: previewed, published to the judge, refused by the judge, or taken
    /// back with its batch.
    AssignmentStatus {
        Preview = "preview",
        Published = "published",
        Recused = "recused",
        Undone = "undone",
    }
}

text_enum! {
    /// A judge's score sheet: a draft they may change, or submitted.
    ScoreStatus {
        Draft = "draft",
        Submitted = "submitted",
    }
}

text_enum! {
    /// A background job.
    JobStatus {
        Pending = "pending",
        Running = "running",
        Done = "done",
        Failed = "failed",
    }
}

text_enum! {
    /// What kind of gathering a course is.
    CourseKind {
        /// Lớp bồi dưỡng (nghiệp vụ).
        BoiDuong = "boi_duong",
        /// Tập huấn.
        TapHuan = "tap_huan",
        /// Hội nghị quán triệt.
        QuanTriet = "quan_triet",
    }
}

text_enum! {
    /// A course: being prepared, open for nominations, being held, finished.
    CourseStatus {
        Draft = "draft",
        Nominating = "nominating",
        InProgress = "in_progress",
        Finished = "finished",
    }
}

text_enum! {
    /// A delegate nominated by a unit: waiting, accepted by the organizers, refused (with a
    /// reason) or replaced by another person (a swap).
    DelegateStatus {
        Nominated = "nominated",
        Accepted = "accepted",
        Refused = "refused",
        Replaced = "replaced",
    }
}

text_enum! {
    /// A delegate's attendance at one session.
    AttendanceStatus {
        Present = "present",
        Late = "late",
        Excused = "excused",
        Absent = "absent",
    }
}

text_enum! {
    /// How a check-in was recorded.
    CheckinMethod {
        /// A staff member opened the badge's QR link and confirmed.
        Staff = "staff",
        /// Staff typed the code or found the name.
        Desk = "desk",
        /// The delegate typed or scanned the room's rotating code.
        Room = "room",
        /// An offline scanner's batch.
        Batch = "batch",
        /// Marked afterwards from the paper roster, or corrected by an organizer.
        Correction = "correction",
    }
}

text_enum! {
    /// Where a background export stands.
    ExportStatus {
        Pending = "pending",
        Running = "running",
        Done = "done",
        Failed = "failed",
    }
}

text_enum! {
    /// Where a news post stands: written, sent to an approver, published (or scheduled for a
    /// time, after which it reads as published), taken down again.
    NewsStatus {
        Draft = "draft",
        AwaitingApproval = "awaiting_approval",
        Published = "published",
        Scheduled = "scheduled",
        Unpublished = "unpublished",
    }
}

text_enum! {
    /// A survey question.
    QuestionKind {
        Rating = "rating",
        Single = "single",
        Multiple = "multiple",
        Text = "text",
    }
}

text_enum! {
    /// A news photo: uploaded and waiting for its resized copies, or ready.
    PhotoStatus {
        Pending = "pending",
        Ready = "ready",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_from_its_text() {
        for s in EntryStatus::ALL {
            assert_eq!(EntryStatus::parse(s.as_str()), Some(*s));
            assert_eq!(
                serde_json::to_string(s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        for s in AssignmentStatus::ALL {
            assert_eq!(AssignmentStatus::parse(s.as_str()), Some(*s));
            assert_eq!(
                serde_json::to_string(s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        for s in RoundStatus::ALL {
            assert_eq!(
                serde_json::to_string(s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        for s in RoundKind::ALL {
            assert_eq!(
                serde_json::to_string(s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        for s in ScoreStatus::ALL {
            assert_eq!(
                serde_json::to_string(s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        for s in JobStatus::ALL {
            assert_eq!(
                serde_json::to_string(s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert_eq!(JobStatus::parse("Done"), None);
        assert_eq!(RoundKind::Final.to_string(), "final");
    }
}
