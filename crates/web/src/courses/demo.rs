//! The demo's course, from the story: the Hàm Yên district's board for political education
//! holds a one-afternoon training course a week ago; a speaker; the district's communes and
//! agencies invited with quotas; most nominated, several checked in, a few absent or excused;
//! survey answers; three units' follow-up plans, two reported, one overdue.

use chrono::{Duration, NaiveTime};
use chrono_tz::Asia::Ho_Chi_Minh;
use hoithi_storage::repo::courses::checkins::{self, NewCheckin};
use hoithi_storage::repo::courses::followup::{self, NewPlan, NewReport};
use hoithi_storage::repo::courses::{self, NewCourse, NewDelegate, NewSession};
use hoithi_storage::repo::{grants, units, users};
use hoithi_storage::status::{
    AttendanceStatus, CheckinMethod, CourseKind, CourseStatus, DelegateStatus,
};

use crate::app::anyhow_like::Result;
use crate::courses::service::{at, fold, new_badge};
use crate::policy::{ResourceKind, Role};
use crate::state::AppState;

pub const SLUG: &str = "ham-yen-boi-duong-tuyen-giao-2026";

const PEOPLE: &[(&str, &str)] = &[
    ("Nguyễn Văn Khánh", "Phó Bí thư Đảng ủy"),
    ("Hoàng Thị Duyên", "Chủ tịch Ủy ban MTTQ xã"),
    ("Lương Văn Tiến", "Bí thư Đoàn xã"),
    ("Bàn Thị Huế", "Chủ tịch Hội Phụ nữ"),
    ("Chu Văn Lực", "Công chức Văn hóa – Xã hội"),
    ("Đỗ Thị Hằng", "Phó Chủ tịch HĐND xã"),
    ("Hà Văn Quyết", "Bí thư chi bộ thôn"),
    ("Mông Thị Nhung", "Trưởng ban Tuyên giáo"),
    ("Phùng Văn Sáng", "Chủ tịch Hội Nông dân"),
    ("Quan Thị Liên", "Báo cáo viên cơ sở"),
    ("Sầm Văn Đạt", "Phó Bí thư Đảng ủy"),
    ("Tạ Thị Mến", "Cán bộ Văn phòng Đảng ủy"),
    ("Vi Văn Hải", "Chủ tịch Hội Cựu chiến binh"),
    ("Xa Thị Phượng", "Bí thư Đoàn xã"),
    ("Âu Văn Thành", "Phó Chủ tịch UBND xã"),
    ("La Thị Quỳnh", "Chủ tịch Hội Phụ nữ"),
    ("Giàng Văn Pao", "Bí thư chi bộ thôn"),
    ("Nịnh Thị Thảo", "Công chức Văn hóa – Xã hội"),
    ("Ngô Văn Toàn", "Chuyên viên"),
    ("Lục Thị Vân", "Chuyên viên"),
    ("Dương Văn Hưng", "Giảng viên"),
    ("Trịnh Thị Hoa", "Phó Bí thư Huyện đoàn"),
    ("Kiều Văn Nam", "Phó Chủ tịch Hội"),
];

/// Loads the demo course (after the demo's units and accounts).
pub async fn load(state: &AppState) -> Result<()> {
    let db = &state.db;
    let district = units::by_code(db, "HY").await?.ok_or_else(missing)?;
    let district_admin = users::find_by_login(db, "tuyengiao.hamyen@hoithi.demo")
        .await?
        .ok_or_else(missing)?;
    let organizer = users::find_by_login(db, "bantochuc@hoithi.demo")
        .await?
        .ok_or_else(missing)?;
    let participant = users::find_by_login(db, "0912345678")
        .await?
        .ok_or_else(missing)?;
    let today = chrono::Utc::now().with_timezone(&Ho_Chi_Minh).date_naive();
    let day = today - Duration::days(7);
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
    let when = |h, m| at(day, hm(h, m)).ok_or_else(missing);
    let course = courses::create(
        db,
        NewCourse {
            slug: SLUG.into(),
            title: "Lớp bồi dưỡng nghiệp vụ công tác tuyên giáo năm 2026".into(),
            description: "Ban Tuyên giáo Huyện ủy Hàm Yên bồi dưỡng cho cán bộ làm công tác tuyên giáo, báo cáo viên của các xã, thị trấn và cơ quan, đoàn thể huyện. Sau lớp học, mỗi đơn vị xây dựng kế hoạch và tổ chức triển khai đến cán bộ, đảng viên của đơn vị mình.".into(),
            venue: "Hội trường Trung tâm Chính trị huyện Hàm Yên".into(),
            kind: CourseKind::BoiDuong,
            organizer_unit_id: district.id,
            organizer_path: district.path.clone(),
            nomination_deadline: when(17, 0)? - Duration::days(5),
            completion_share: 80,
            completion_needs_survey: false,
            parent_course_id: None,
        },
    )
    .await?;
    courses::set_status(db, course.id, CourseStatus::Finished).await?;
    courses::set_deadlines(
        db,
        course.id,
        at(today + Duration::days(7), hm(23, 59)),
        at(today + Duration::days(21), hm(23, 59)),
    )
    .await?;
    grants::add(
        db,
        grants::NewGrant {
            user_id: organizer.id,
            role: Role::Organizer.as_str().into(),
            unit_id: None,
            resource_kind: Some(ResourceKind::Course.as_str().into()),
            resource_id: Some(course.id),
        },
    )
    .await?;
    let mut sessions = Vec::new();
    for (starts, ends, topic) in [
        (
            when(13, 30)?,
            when(15, 0)?,
            "Những điểm mới trong công tác tuyên truyền, bảo vệ nền tảng tư tưởng của Đảng",
        ),
        (
            when(15, 15)?,
            when(16, 45)?,
            "Kỹ năng nắm bắt dư luận xã hội và tuyên truyền miệng ở cơ sở",
        ),
    ] {
        sessions.push(
            courses::add_session(
                db,
                course.id,
                NewSession {
                    starts_at: starts,
                    ends_at: ends,
                    room: "Hội trường tầng 2".into(),
                    speaker: "Đồng chí Trần Thị Minh Thu, Phó Trưởng Ban Tuyên giáo Huyện ủy"
                        .into(),
                    topic: topic.into(),
                    late_after_minutes: 15,
                    room_secret: crate::auth::random_token(),
                },
            )
            .await?,
        );
    }
    // Quotas: 2 for each commune, 3 for each agency.
    let invited: Vec<_> = units::children(db, Some(district.id)).await?;
    let mut people = PEOPLE.iter().cycle();
    let mut delegates = Vec::new();
    for (i, u) in invited.iter().enumerate() {
        let quota = if u.kind == "xa" { 2 } else { 3 };
        let cu = courses::invite(db, course.id, u.id, &u.path, quota).await?;
        // Two units have not filled their places.
        let send = match i {
            3 => 0,
            7 => 1,
            _ if u.kind == "xa" => 2,
            _ => 1,
        };
        for k in 0..send {
            let (name, title) = if u.code == "HY-THAISON" && k == 0 {
                (participant.full_name.as_str(), "Bí thư Đoàn xã")
            } else {
                let p = people.next().ok_or_else(missing)?;
                (p.0, p.1)
            };
            courses::take_place(db, cu.id).await?;
            let (salt, hash) = new_badge(state);
            let d = courses::add_delegate(
                db,
                NewDelegate {
                    course_id: course.id,
                    course_unit_id: cu.id,
                    unit_id: u.id,
                    user_id: (u.code == "HY-THAISON" && k == 0).then_some(participant.id),
                    full_name: name.into(),
                    name_key: hoithi_text::sort::name_sort_key(name),
                    name_fold: fold(name),
                    job_title: title.into(),
                    phone: String::new(),
                    email: String::new(),
                    badge_salt: salt,
                    badge_hash: hash,
                    nominated_by: Some(district_admin.id),
                },
            )
            .await?;
            let d = courses::decide(db, d.id, DelegateStatus::Accepted, "").await?;
            delegates.push(d);
        }
    }
    // Attendance: most present, some late, two excused, a few absent.
    for (i, d) in delegates.iter().enumerate() {
        for (j, s) in sessions.iter().enumerate() {
            let (status, minutes, reason) = match (i % 9, j) {
                (4, _) => (AttendanceStatus::Absent, 0, ""),
                (7, 0) => (AttendanceStatus::Excused, 0, "Dự họp Đảng ủy xã"),
                (7, 1) => (AttendanceStatus::Present, 5, ""),
                (2, 0) => (AttendanceStatus::Late, 25, ""),
                _ => (AttendanceStatus::Present, (i % 10) as i64, ""),
            };
            if status == AttendanceStatus::Absent {
                continue;
            }
            checkins::record(
                db,
                NewCheckin {
                    course_id: course.id,
                    session_id: s.id,
                    delegate_id: d.id,
                    status,
                    method: if i % 3 == 0 {
                        CheckinMethod::Room
                    } else {
                        CheckinMethod::Staff
                    },
                    reason: reason.into(),
                    client_id: None,
                    recorded_by: Some(organizer.id),
                    scanned_at: s.starts_at + Duration::minutes(minutes - 8),
                },
            )
            .await?;
        }
    }
    // The survey and a dozen answers.
    followup::set_questions(
        db,
        course.id,
        crate::courses::survey::service::parse(crate::courses::survey::service::DEFAULT_QUESTIONS)
            .map_err(|_| missing())?,
    )
    .await?;
    let questions = followup::questions(db, course.id).await?;
    let comments = [
        "Đề nghị tổ chức thêm lớp về kỹ năng viết tin bài cho cơ sở.",
        "Tài liệu rất thiết thực, mong được gửi bản điện tử.",
        "",
        "Nên có thêm thời gian trao đổi, thảo luận.",
    ];
    for (i, d) in delegates
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 9 != 4)
        .take(12)
    {
        let mut a = serde_json::Map::new();
        for q in &questions {
            let v = match q.kind {
                hoithi_storage::status::QuestionKind::Rating => {
                    serde_json::json!(3 + (i % 3) as i64)
                }
                hoithi_storage::status::QuestionKind::Single => {
                    serde_json::json!(
                        q.choices
                            .lines()
                            .nth(if i % 4 == 0 { 0 } else { 1 })
                            .unwrap_or_default()
                    )
                }
                hoithi_storage::status::QuestionKind::Multiple => {
                    let c: Vec<&str> = q
                        .choices
                        .lines()
                        .enumerate()
                        .filter(|(k, _)| (k + i) % 3 == 0)
                        .map(|(_, c)| c)
                        .collect();
                    serde_json::json!(c)
                }
                hoithi_storage::status::QuestionKind::Text => {
                    serde_json::json!(comments[i % comments.len()])
                }
            };
            a.insert(q.id.to_string(), v);
        }
        followup::answer(
            db,
            course.id,
            d.id,
            serde_json::Value::Object(a).to_string(),
        )
        .await?;
    }
    // Follow-up: three units' plans; Thái Sơn and Tân Yên reported, Phù Lưu's plan ended
    // without a report (overdue).
    for (code, ended, reported) in [
        (
            "HY-THAISON",
            false,
            Some(("Hội trường UBND xã Thái Sơn", 86)),
        ),
        (
            "HY-TANYEN",
            false,
            Some(("Nhà văn hóa tổ dân phố Tân Bình", 140)),
        ),
        ("HY-PHULUU", true, None),
    ] {
        let u = units::by_code(db, code).await?.ok_or_else(missing)?;
        let (starts, ends) = if ended {
            (today - Duration::days(6), today - Duration::days(1))
        } else {
            (today - Duration::days(5), today + Duration::days(14))
        };
        followup::set_plan(
            db,
            course.id,
            u.id,
            &u.path,
            NewPlan {
                starts_on: at(starts, NaiveTime::MIN).ok_or_else(missing)?,
                ends_on: at(ends, hm(23, 59)).ok_or_else(missing)?,
                audience: "Cán bộ, đảng viên các chi bộ".into(),
                expected_people: u.headcount.unwrap_or(500) / 4,
            },
            Some(district_admin.id),
        )
        .await?;
        if let Some((place, n)) = reported {
            followup::add_report(
                db,
                course.id,
                u.id,
                &u.path,
                NewReport {
                    held_on: at(today - Duration::days(2), hm(8, 0)).ok_or_else(missing)?,
                    place: place.into(),
                    participants: n,
                    notes: "Quán triệt nội dung lớp bồi dưỡng; các chi bộ thảo luận cách tuyên truyền ở thôn.".into(),
                },
                Some(district_admin.id),
            )
            .await?;
        }
    }
    materials(state, course.id, &sessions, organizer.id).await?;
    Ok(())
}

/// A small Word document of headings and paragraphs (`#` starts a heading), for the demo's
/// handouts: the parts a word processor needs and nothing more.
pub fn outline_docx(lines: &[&str]) -> Vec<u8> {
    use std::io::Write;
    fn esc(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    let mut body = String::new();
    for l in lines {
        match l.strip_prefix("# ") {
            Some(h) => body.push_str(&format!(
                r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                esc(h)
            )),
            None => body.push_str(&format!(
                r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                esc(l)
            )),
        }
    }
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        // Writing to memory cannot fail but for a bug; an empty file is then refused on load.
        if zip.start_file(name, opts).is_err() || zip.write_all(text.as_bytes()).is_err() {
            return Vec::new();
        }
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// The demo course's materials, in our own words: the speaker's outline for everyone, a
/// question-and-answer handout for the delegates, and a link to the district's own page.
async fn materials(
    state: &AppState,
    course_id: i64,
    sessions: &[courses::Session],
    organizer: i64,
) -> Result<()> {
    use hoithi_storage::repo::courses::materials::{self, NewMaterial};
    let outline = outline_docx(&[
        "# Đề cương bài giảng: Tuyên truyền miệng ở cơ sở",
        "1. Vì sao tuyên truyền miệng vẫn cần ở thôn, bản: người dân tin lời cán bộ gần gũi, nói bằng tiếng nói và ví dụ của chính địa phương.",
        "2. Chuẩn bị một buổi nói chuyện: chọn ba ý chính, một câu chuyện thật ở xã, một con số dễ nhớ; dự kiến những câu hỏi người nghe hay đặt.",
        "3. Nắm bắt dư luận: ghi lại ý kiến sau mỗi buổi họp thôn, chuyển những điều người dân băn khoăn lên Đảng ủy xã trong tuần.",
        "4. Sau lớp học: mỗi đơn vị lập kế hoạch triển khai, tổ chức ít nhất một buổi cho cán bộ, đảng viên và báo cáo kết quả trên hoithi.",
    ]);
    let handout = outline_docx(&[
        "# Hỏi – đáp dành cho đại biểu lớp bồi dưỡng",
        "Hỏi: Khi gặp thông tin sai lệch lan truyền trên nhóm mạng xã hội của thôn, cán bộ cơ sở nên làm gì trước tiên?",
        "Đáp: Kiểm tra nguồn tin với cơ quan có trách nhiệm, báo cáo Ban Tuyên giáo, rồi đưa thông tin chính thống lên chính nhóm đó bằng lời lẽ ôn hòa, dễ hiểu.",
        "Hỏi: Buổi triển khai ở chi bộ thôn nên kéo dài bao lâu?",
        "Đáp: Khoảng chín mươi phút: bốn mươi lăm phút truyền đạt, phần còn lại để thảo luận và ghi nhận kiến nghị.",
    ]);
    let session = |i: usize| sessions.get(i).map(|s| s.id);
    let mut rows = Vec::new();
    for (title, note, bytes, file_name, visibility, at) in [
        (
            "Đề cương bài giảng: Tuyên truyền miệng ở cơ sở",
            "Tóm tắt bài giảng của buổi chiều, để các đơn vị dùng khi triển khai.",
            outline,
            "de-cuong-tuyen-truyen-mieng.docx",
            materials::PUBLIC,
            session(1),
        ),
        (
            "Hỏi – đáp dành cho đại biểu",
            "Tài liệu nội bộ của lớp, chỉ đại biểu được xem.",
            handout,
            "hoi-dap-dai-bieu.docx",
            materials::DELEGATES,
            session(0),
        ),
    ] {
        let read = super::materials::read::read(file_name, &bytes)
            .map_err(|m| crate::app::anyhow_like::Error(m.vi.into_owned()))?;
        let sha = state.blobs.put(&bytes).await?;
        rows.push(NewMaterial {
            course_id,
            session_id: at,
            title: title.into(),
            note: note.into(),
            kind: materials::FILE,
            visibility,
            url: String::new(),
            file_sha256: sha,
            file_name: file_name.into(),
            format: read.kind.label().into(),
            size_bytes: bytes.len() as i64,
            body: read.text,
            created_by: Some(organizer),
        });
    }
    rows.push(NewMaterial {
        course_id,
        session_id: None,
        title: "Trang thông tin của Ban Tuyên giáo và Dân vận Trung ương".into(),
        note: "Văn bản, hướng dẫn chính thức để đối chiếu khi chuẩn bị bài nói chuyện.".into(),
        kind: materials::LINK,
        visibility: materials::PUBLIC,
        url: "https://tuyengiao.vn/".into(),
        file_sha256: String::new(),
        file_name: String::new(),
        format: String::new(),
        size_bytes: 0,
        body: String::new(),
        created_by: Some(organizer),
    });
    for n in rows {
        materials::add(&state.db, n).await?;
    }
    Ok(())
}

fn missing() -> crate::app::anyhow_like::Error {
    crate::app::anyhow_like::Error("the demo's units and accounts come first".into())
}
