//! iCalendar (RFC 5545) files: one for a course (every session) and one per delegate (the
//! sessions they attend). Each session is a VEVENT in local time with
//! `TZID=Asia/Ho_Chi_Minh` and the matching VTIMEZONE (UTC+7, no daylight saving since 1975),
//! so calendars show the hour printed on the invitation. Text is escaped (`\\ ; , \n`) and
//! lines are folded at 75 octets without splitting a Vietnamese letter. UIDs are stable
//! (`course-{course}-session-{session}@{host}`): importing the course file and a delegate's
//! file, or importing again after a change, updates events instead of duplicating them.
//! The text itself (what the summary and description say) is the caller's, in the reader's
//! language. Why written here rather than with the `icalendar` crate:
//! crates/checkin/docs/decisions/0001-hand-written-parts.md (the crate's parser checks these files in the tests).

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

/// The calendar as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub id: i64,
    /// The calendar's name in calendar apps (`X-WR-CALNAME`), e.g. the course title.
    pub name: String,
    /// The course page, given to every event (`URL`); empty for none.
    pub url: String,
}

/// One session (buổi).
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// One line, e.g. "Lớp bồi dưỡng … — Buổi 1: Chủ đề".
    pub summary: String,
    /// Room and venue; empty for none.
    pub location: String,
    /// Any text (speaker, topic, what to bring); new lines allowed; empty for none.
    pub description: String,
}

/// The file's media type.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// The calendar of a course, every session. `host` names the site in UIDs (e.g.
/// "hoithi.example"); `stamp` is when the information last changed (`DTSTAMP`, so the same
/// course gives the same bytes).
pub fn course(host: &str, course: &Course, sessions: &[Session], stamp: DateTime<Utc>) -> String {
    write(host, course, sessions.iter(), stamp)
}

/// The calendar of one delegate: only the sessions whose ids are in `attending`. The events
/// have the same UIDs as in [`course`].
pub fn delegate(
    host: &str,
    course: &Course,
    sessions: &[Session],
    attending: &[i64],
    stamp: DateTime<Utc>,
) -> String {
    write(
        host,
        course,
        sessions.iter().filter(|s| attending.contains(&s.id)),
        stamp,
    )
}

fn write<'a>(
    host: &str,
    course: &Course,
    sessions: impl Iterator<Item = &'a Session>,
    stamp: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    let mut line = |text: &str| fold_into(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//hoithi//courses//VI");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", text(&course.name)));
    line("X-WR-TIMEZONE:Asia/Ho_Chi_Minh");
    for l in [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Ho_Chi_Minh",
        "BEGIN:STANDARD",
        "DTSTART:19750613T000000",
        "TZOFFSETFROM:+0700",
        "TZOFFSETTO:+0700",
        "TZNAME:ICT",
        "END:STANDARD",
        "END:VTIMEZONE",
    ] {
        line(l);
    }
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let host = clean_host(host);
    for s in sessions {
        line("BEGIN:VEVENT");
        line(&format!("UID:course-{}-session-{}@{host}", course.id, s.id));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!(
            "DTSTART;TZID=Asia/Ho_Chi_Minh:{}",
            local(s.starts_at)
        ));
        // A session must not end before it starts.
        line(&format!(
            "DTEND;TZID=Asia/Ho_Chi_Minh:{}",
            local(s.ends_at.max(s.starts_at))
        ));
        line(&format!("SUMMARY:{}", text(&s.summary)));
        if !s.location.trim().is_empty() {
            line(&format!("LOCATION:{}", text(&s.location)));
        }
        if !s.description.trim().is_empty() {
            line(&format!("DESCRIPTION:{}", text(&s.description)));
        }
        if let Some(url) = uri(&course.url) {
            line(&format!("URL:{url}"));
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Ho_Chi_Minh)
        .format("%Y%m%dT%H%M%S")
        .to_string()
}

fn clean_host(host: &str) -> String {
    let h: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        .collect();
    if h.is_empty() { "hoithi".into() } else { h }
}

/// A URI property value: no escaping exists for it, so one with spaces or controls is left
/// out rather than broken.
fn uri(url: &str) -> Option<&str> {
    let url = url.trim();
    (!url.is_empty() && url.chars().all(|c| c.is_ascii_graphic())).then_some(url)
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and new lines escaped; other
/// control characters dropped.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let value = value.replace("\r\n", "\n").replace('\r', "\n");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded (RFC 5545 §3.1): at most 75 octets per physical line,
/// continuation lines start with a space, never inside a UTF-8 character; CRLF endings.
fn fold_into(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use icalendar::parser::{Component, read_calendar, unfold};

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        // 08/12/2026 h:m in Hà Nội is 7 hours earlier in UTC.
        Ho_Chi_Minh
            .with_ymd_and_hms(2026, 12, 8, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn sample() -> (Course, Vec<Session>) {
        let course = Course {
            id: 4,
            name: "Lớp bồi dưỡng nghiệp vụ công tác tuyên giáo, năm 2026".into(),
            url: "https://hoithi.example/khoa-hoc/boi-duong-2026".into(),
        };
        let sessions = vec![
            Session {
                id: 11,
                starts_at: at(7, 30),
                ends_at: at(11, 0),
                summary: "Buổi sáng: Nghị quyết Trung ương; những điểm mới, cần chú ý".into(),
                location: "Hội trường A, Trung tâm Chính trị huyện Hàm Yên".into(),
                description: "Báo cáo viên: đồng chí Nguyễn Thị Hồng Nhung\nMang theo tài liệu \\ sổ ghi chép. Chủ đề: quán triệt, triển khai thực hiện nghị quyết ở cơ sở, xã, thị trấn".into(),
            },
            Session {
                id: 12,
                starts_at: at(13, 30),
                ends_at: at(17, 0),
                summary: "Buổi chiều: Thảo luận tổ".into(),
                location: String::new(),
                description: String::new(),
            },
        ];
        (course, sessions)
    }

    fn events<'a>(cal: &'a icalendar::parser::Calendar<'a>) -> Vec<&'a Component<'a>> {
        cal.components
            .iter()
            .filter(|c| c.name.as_str() == "VEVENT")
            .collect()
    }

    fn prop(c: &Component<'_>, name: &str) -> String {
        c.find_prop(name)
            .map(|p| p.val.clone().unescape_text().as_str().to_string())
            .unwrap_or_default()
    }

    #[test]
    fn a_course_calendar_parses_back_with_vietnamese_text_intact() {
        let (course, sessions) = sample();
        let ics = super::course("hoithi.example", &course, &sessions, at(0, 0));
        for physical in ics.split_terminator("\r\n") {
            assert!(physical.len() <= 75, "{physical:?}");
            assert!(!physical.contains('\n'));
        }
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART;TZID=Asia/Ho_Chi_Minh:20261208T073000\r\n"));
        assert!(ics.contains("DTEND;TZID=Asia/Ho_Chi_Minh:20261208T110000\r\n"));
        assert!(ics.contains("DTSTAMP:20261207T170000Z\r\n"));

        let unfolded = unfold(&ics);
        let cal = read_calendar(&unfolded).unwrap();
        let tz: Vec<_> = cal
            .components
            .iter()
            .filter(|c| c.name.as_str() == "VTIMEZONE")
            .collect();
        assert_eq!(tz.len(), 1);
        assert_eq!(prop(tz[0], "TZID"), "Asia/Ho_Chi_Minh");
        let ev = events(&cal);
        assert_eq!(ev.len(), 2);
        assert_eq!(prop(ev[0], "SUMMARY"), sessions[0].summary);
        assert_eq!(prop(ev[0], "LOCATION"), sessions[0].location);
        assert_eq!(prop(ev[0], "DESCRIPTION"), sessions[0].description);
        assert_eq!(prop(ev[0], "UID"), "course-4-session-11@hoithi.example");
        assert_eq!(prop(ev[0], "URL"), course.url);
        let start = ev[0].find_prop("DTSTART").unwrap();
        assert_eq!(start.val.as_str(), "20261208T073000");
        assert!(start.params.iter().any(|p| p.key.as_str() == "TZID"
            && p.val.as_ref().map(|v| v.as_str()) == Some("Asia/Ho_Chi_Minh")));
        assert!(ev[1].find_prop("LOCATION").is_none());
        // The higher-level model reads it too.
        let model: icalendar::Calendar = unfolded.parse().unwrap();
        let events = model
            .components
            .iter()
            .filter(|c| matches!(c, icalendar::CalendarComponent::Event(_)))
            .count();
        assert_eq!(events, 2);
    }

    #[test]
    fn a_delegate_calendar_holds_their_sessions_with_the_same_uids() {
        let (course, sessions) = sample();
        let all = super::course("hoithi.example", &course, &sessions, at(0, 0));
        let mine = delegate("hoithi.example", &course, &sessions, &[12], at(0, 0));
        let cal = read_calendar(&unfold(&mine)).map(|c| c.components.len());
        assert_eq!(cal, Ok(2));
        assert!(mine.contains("UID:course-4-session-12@hoithi.example"));
        assert!(!mine.contains("session-11"));
        assert!(all.contains("UID:course-4-session-12@hoithi.example"));
        // Stable: the same input gives the same bytes.
        assert_eq!(
            all,
            super::course("hoithi.example", &course, &sessions, at(0, 0))
        );
        let none = delegate("hoithi.example", &course, &sessions, &[], at(0, 0));
        assert!(read_calendar(&unfold(&none)).is_ok());
    }

    #[test]
    fn folding_never_splits_a_letter_and_escaping_is_reversible() {
        let long = "Đồng chí Nguyễn Thị Ánh Tuyết, Phó Trưởng ban; ".repeat(8);
        let mut out = String::new();
        fold_into(&mut out, &format!("SUMMARY:{}", text(&long)));
        for physical in out.split_terminator("\r\n") {
            assert!(physical.len() <= 75);
        }
        assert!(std::str::from_utf8(out.as_bytes()).is_ok());
        assert_eq!(text("a,b;c\\d\r\ne\u{7}"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(uri("https://x.example/a b"), None);
    }
}
