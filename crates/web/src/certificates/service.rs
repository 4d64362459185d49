//! Issuing certificates for a subject and finding them by code. Each kind of subject says what
//! its certificate prints ([`template`]) and what the verification page lists ([`view`]); the
//! renderer and the verification routes are shared.
//!
//! A module that gives certificates calls [`issue`] with its subjects, e.g. the courses module:
//!
//! ```ignore
//! certificates::service::issue(state, vec![Issue {
//!     subject: Subject::CourseCompletion { delegate_id, printed: CourseText { .. } },
//!     position: 0,
//!     recipient: delegate.full_name,
//!     unit: unit_name,
//! }]).await?;
//! ```

use chrono::NaiveDate;
use hoithi_storage::entity::certificate;
use hoithi_storage::repo::certificates::{self, NewCertificate};

use super::render::{Line, Style, Template};
use crate::error::AppResult;
use crate::format::fmt_date;
use crate::i18n::certificates::{EN, Tr, VI};
use crate::state::AppState;

/// The kinds of things a certificate can certify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Award,
    CourseCompletion,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Award, Kind::CourseCompletion];

    /// As stored in `certificates.subject_kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Award => certificates::AWARD,
            Kind::CourseCompletion => certificates::COURSE_COMPLETION,
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind's name in one language's texts.
    pub fn label(self, t: &Tr) -> &'static str {
        match self {
            Kind::Award => t.kind_award,
            Kind::CourseCompletion => t.kind_course_completion,
        }
    }
}

/// What an award certificate prints besides the recipient.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AwardText {
    /// The awarded entry's title; empty for a collective award.
    pub entry_title: String,
    pub contest_title: String,
    /// The award with its genre, e.g. "Giải A — thể loại Bài báo in, báo điện tử".
    pub award_name: String,
}

/// What a course completion certificate prints besides the recipient (stored as `details`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CourseText {
    /// E.g. "Lớp bồi dưỡng nghiệp vụ công tác tuyên giáo năm 2026".
    pub course_title: String,
    /// First and last day (the same for a one-day course).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Where it was held; may be empty.
    pub place: String,
    /// The unit that held it, e.g. "Ban Tuyên giáo Huyện ủy Hàm Yên".
    pub issuer: String,
}

/// What a certificate certifies: the subject and the text printed about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// An award of a contest round: one certificate per author, or one for an awarded unit.
    Award { award_id: i64, printed: AwardText },
    /// A delegate who completed a course (the id of the delegate's place in the course).
    CourseCompletion {
        delegate_id: i64,
        printed: CourseText,
    },
}

impl Subject {
    pub fn kind(&self) -> Kind {
        match self {
            Subject::Award { .. } => Kind::Award,
            Subject::CourseCompletion { .. } => Kind::CourseCompletion,
        }
    }

    pub fn id(&self) -> i64 {
        match self {
            Subject::Award { award_id, .. } => *award_id,
            Subject::CourseCompletion { delegate_id, .. } => *delegate_id,
        }
    }
}

/// One certificate to issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub subject: Subject,
    /// The recipient's number within the subject, from 0 (the authors of one entry).
    pub position: i32,
    pub recipient: String,
    /// The recipient's unit as printed; may be empty.
    pub unit: String,
}

/// A random certificate code, e.g. "GCN-7K3QXRMN4A" (no letters or digits that look alike).
pub fn code() -> String {
    const ALPHABET: &[u8] = b"ACDEFHJKLMNPQRTUVWXY3479";
    let mut s = String::from("GCN-");
    for _ in 0..10 {
        s.push(ALPHABET[rand::random_range(0..ALPHABET.len())] as char);
    }
    s
}

/// Certificate codes are typed by hand: accept lower case and stray spaces.
pub fn normalize_code(code: &str) -> String {
    code.trim().to_uppercase().replace(' ', "")
}

/// The rows to store, for callers that issue inside a transaction of their own (publishing a
/// round's results issues its certificates in the same transaction).
pub fn records(list: Vec<Issue>) -> Vec<NewCertificate> {
    list.into_iter()
        .map(|i| {
            let mut row = NewCertificate {
                subject_kind: i.subject.kind().as_str(),
                subject_id: i.subject.id(),
                position: i.position,
                recipient: i.recipient,
                unit_name: i.unit,
                entry_title: String::new(),
                contest_title: String::new(),
                award_name: String::new(),
                details: serde_json::json!({}),
            };
            match i.subject {
                Subject::Award { printed, .. } => {
                    row.entry_title = printed.entry_title;
                    row.contest_title = printed.contest_title;
                    row.award_name = printed.award_name;
                }
                Subject::CourseCompletion { printed, .. } => {
                    row.details = serde_json::to_value(printed).unwrap_or_default();
                }
            }
            row
        })
        .collect()
}

/// Issues certificates: one per subject and position, those issued before are kept with their
/// codes. Returns the certificates asked for, in order.
pub async fn issue(state: &AppState, list: Vec<Issue>) -> AppResult<Vec<certificate::Model>> {
    Ok(certificates::issue(&state.db, records(list), code).await?)
}

/// The certificate with this code (as typed), if there is one.
pub async fn by_code(state: &AppState, code: &str) -> AppResult<Option<certificate::Model>> {
    Ok(certificates::by_code(&state.db, &normalize_code(code)).await?)
}

/// The certificates issued for some subjects of one kind, by subject then position.
pub async fn of_subjects(
    state: &AppState,
    kind: Kind,
    ids: &[i64],
) -> AppResult<Vec<certificate::Model>> {
    Ok(certificates::of_subjects(&state.db, kind.as_str(), ids).await?)
}

/// The subject a stored certificate names, with its printed text.
pub fn subject(c: &certificate::Model) -> Result<Subject, String> {
    match Kind::parse(&c.subject_kind) {
        Some(Kind::Award) => Ok(Subject::Award {
            award_id: c.subject_id,
            printed: AwardText {
                entry_title: c.entry_title.clone(),
                contest_title: c.contest_title.clone(),
                award_name: c.award_name.clone(),
            },
        }),
        Some(Kind::CourseCompletion) => Ok(Subject::CourseCompletion {
            delegate_id: c.subject_id,
            printed: serde_json::from_str(&c.details)
                .map_err(|e| format!("certificate {}: unreadable details: {e}", c.code))?,
        }),
        None => Err(format!(
            "certificate {}: unknown subject kind {:?}",
            c.code, c.subject_kind
        )),
    }
}

/// "ngày 12/03/2026" or "từ ngày 12/03/2026 đến ngày 13/03/2026", as printed.
fn days(from: NaiveDate, to: NaiveDate) -> String {
    let f = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    if from == to {
        format!("ngày {}", f(from))
    } else {
        format!("từ ngày {} đến ngày {}", f(from), f(to))
    }
}

/// What the certificate prints, for the renderer; `url` is where it can be checked.
pub fn template(c: &certificate::Model, url: &str) -> Result<Template, String> {
    let (lead, achievement) = match subject(c)? {
        Subject::Award { printed, .. } => {
            let mut lines = Vec::new();
            if !printed.entry_title.is_empty() {
                lines.push(Line::new(
                    Style::Text,
                    format!("tác giả tác phẩm «{}»", printed.entry_title),
                ));
            }
            lines.push(Line::new(
                Style::Highlight,
                format!("đạt {}", printed.award_name),
            ));
            lines.push(Line::new(Style::Small, printed.contest_title));
            ("Ban tổ chức chứng nhận".to_string(), lines)
        }
        Subject::CourseCompletion { printed, .. } => {
            let lead = if printed.issuer.is_empty() {
                "Ban tổ chức lớp học chứng nhận".to_string()
            } else {
                format!("{} chứng nhận", printed.issuer)
            };
            let mut lines = vec![
                Line::new(Style::Text, "đã hoàn thành chương trình"),
                Line::new(Style::Highlight, printed.course_title),
                Line::new(Style::Small, days(printed.from, printed.to)),
            ];
            if !printed.place.is_empty() {
                lines.push(Line::new(Style::Small, format!("tại {}", printed.place)));
            }
            (lead, lines)
        }
    };
    Ok(Template {
        title: "GIẤY CHỨNG NHẬN".into(),
        lead,
        recipient: c.recipient.clone(),
        recipient_unit: c.unit_name.clone(),
        achievement,
        issuer: "TM. BAN TỔ CHỨC".into(),
        date: c.issued_at,
        code: c.code.clone(),
        url: url.to_string(),
    })
}

/// One labelled fact on the verification page.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Fact {
    pub label: String,
    pub label_en: String,
    pub value: String,
}

fn fact(label: fn(&Tr) -> &'static str, value: impl Into<String>) -> Fact {
    Fact {
        label: label(&VI).into(),
        label_en: label(&EN).into(),
        value: value.into(),
    }
}

/// A certificate as the verification page and the API show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CertificateView {
    pub code: String,
    /// False once revoked.
    pub valid: bool,
    /// What kind of subject it certifies: "award" or "course_completion".
    pub kind: String,
    pub kind_label: String,
    pub kind_label_en: String,
    pub recipient: String,
    pub unit: String,
    /// What it certifies, as printed (the award, entry and contest; the course and its dates).
    pub facts: Vec<Fact>,
    pub issued_on: String,
    /// Award certificates: the award; empty for other kinds.
    pub award: String,
    /// Award certificates: the entry's title; empty for collective awards and other kinds.
    pub entry_title: String,
    /// Award certificates: the contest; empty for other kinds.
    pub contest: String,
}

pub fn view(c: &certificate::Model) -> CertificateView {
    let kind = Kind::parse(&c.subject_kind);
    let label = |t: &Tr| kind.map_or(t.kind_other, |k| k.label(t));
    let mut facts = Vec::new();
    match subject(c) {
        Ok(Subject::Award { printed, .. }) => {
            facts.push(fact(|t| t.award, printed.award_name));
            if !printed.entry_title.is_empty() {
                facts.push(fact(|t| t.entry, printed.entry_title));
            }
            facts.push(fact(|t| t.contest, printed.contest_title));
        }
        Ok(Subject::CourseCompletion { printed, .. }) => {
            facts.push(fact(|t| t.course, printed.course_title));
            facts.push(fact(|t| t.dates, days(printed.from, printed.to)));
            if !printed.place.is_empty() {
                facts.push(fact(|t| t.place, printed.place));
            }
            if !printed.issuer.is_empty() {
                facts.push(fact(|t| t.held_by, printed.issuer));
            }
        }
        // The names and the code still verify; the rest cannot be read.
        Err(e) => tracing::error!("{e}"),
    }
    let award = kind == Some(Kind::Award);
    CertificateView {
        code: c.code.clone(),
        valid: c.revoked_at.is_none(),
        kind: c.subject_kind.clone(),
        kind_label: label(&VI).into(),
        kind_label_en: label(&EN).into(),
        recipient: c.recipient.clone(),
        unit: c.unit_name.clone(),
        facts,
        issued_on: fmt_date(&c.issued_at),
        award: if award {
            c.award_name.clone()
        } else {
            String::new()
        },
        entry_title: if award {
            c.entry_title.clone()
        } else {
            String::new()
        },
        contest: if award {
            c.contest_title.clone()
        } else {
            String::new()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course_completion() -> certificate::Model {
        let printed = CourseText {
            course_title: "Lớp bồi dưỡng nghiệp vụ công tác tuyên giáo năm 2026".into(),
            from: NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(),
            place: "Hội trường Huyện ủy Hàm Yên".into(),
            issuer: "Ban Tuyên giáo Huyện ủy Hàm Yên".into(),
        };
        let row = records(vec![Issue {
            subject: Subject::CourseCompletion {
                delegate_id: 42,
                printed,
            },
            position: 0,
            recipient: "Hoàng Văn Thụ".into(),
            unit: "Đảng ủy xã Thái Sơn".into(),
        }])
        .remove(0);
        assert_eq!(row.subject_kind, "course_completion");
        assert_eq!(row.subject_id, 42);
        certificate::Model {
            id: 1,
            subject_kind: row.subject_kind.into(),
            subject_id: row.subject_id,
            position: row.position,
            code: "GCN-KM4T7QXRNA".into(),
            recipient: row.recipient,
            unit_name: row.unit_name,
            details: row.details.to_string(),
            award_id: None,
            entry_title: row.entry_title,
            contest_title: row.contest_title,
            award_name: row.award_name,
            issued_at: chrono::Utc::now(),
            revoked_at: None,
        }
    }

    #[test]
    fn a_course_completion_certificate_renders_from_plain_values() {
        let c = course_completion();
        let t = template(&c, "https://hoithi.example/xac-minh/GCN-KM4T7QXRNA").unwrap();
        assert_eq!(t.lead, "Ban Tuyên giáo Huyện ủy Hàm Yên chứng nhận");
        let lines: Vec<&str> = t.achievement.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            lines,
            [
                "đã hoàn thành chương trình",
                "Lớp bồi dưỡng nghiệp vụ công tác tuyên giáo năm 2026",
                "từ ngày 12/03/2026 đến ngày 13/03/2026",
                "tại Hội trường Huyện ủy Hàm Yên",
            ]
        );
        let pdf = super::super::render::render(&t).unwrap();
        assert!(pdf.starts_with(b"%PDF") && pdf.len() > 2000 && pdf.len() < 200_000);

        let v = view(&c);
        assert_eq!(v.kind, "course_completion");
        assert!(v.award.is_empty() && v.contest.is_empty());
        assert_eq!(v.facts[1].value, "từ ngày 12/03/2026 đến ngày 13/03/2026");
    }

    #[test]
    fn an_award_certificate_prints_the_award_and_the_entry() {
        let row = records(vec![Issue {
            subject: Subject::Award {
                award_id: 7,
                printed: AwardText {
                    entry_title: "Giữ vững trận địa tư tưởng ở cơ sở".into(),
                    contest_title: "Cuộc thi viết chính luận năm 2026".into(),
                    award_name: "Giải A — thể loại Bài báo in, báo điện tử".into(),
                },
            },
            position: 1,
            recipient: "Nguyễn Thị Ánh Tuyết".into(),
            unit: "Xã Thái Sơn".into(),
        }])
        .remove(0);
        assert_eq!((row.subject_kind, row.subject_id), ("award", 7));
        let c = certificate::Model {
            id: 1,
            subject_kind: "award".into(),
            subject_id: 7,
            position: 1,
            code: "GCN-ACDEF34779".into(),
            recipient: row.recipient,
            unit_name: row.unit_name,
            details: "{}".into(),
            award_id: Some(7),
            entry_title: row.entry_title,
            contest_title: row.contest_title,
            award_name: row.award_name,
            issued_at: chrono::Utc::now(),
            revoked_at: None,
        };
        let t = template(&c, "u").unwrap();
        assert_eq!(t.lead, "Ban tổ chức chứng nhận");
        assert_eq!(
            t.achievement[1].text,
            "đạt Giải A — thể loại Bài báo in, báo điện tử"
        );
        assert_eq!(view(&c).award, "Giải A — thể loại Bài báo in, báo điện tử");
    }

    #[test]
    fn an_unknown_kind_verifies_its_names_but_does_not_render() {
        let mut c = course_completion();
        c.subject_kind = "membership".into();
        assert!(template(&c, "u").is_err());
        let v = view(&c);
        assert_eq!(v.recipient, "Hoàng Văn Thụ");
        assert!(v.facts.is_empty());
    }

    #[test]
    fn codes_are_typed_by_hand() {
        assert_eq!(normalize_code(" gcn-ab cd "), "GCN-ABCD");
        let c = code();
        assert!(c.starts_with("GCN-") && c.len() == 14);
    }
}
