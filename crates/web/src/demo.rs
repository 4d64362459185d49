//! The demo data set, modeled on the story in DESIGN.md: Tuyên Quang province, Hàm Yên
//! district with its communes and agencies, and one account for each role.

use hoithi_storage::repo::{grants, units, users};

use crate::app::anyhow_like::{Error, Result};
use crate::auth::password;
use crate::policy::Role;
use crate::state::AppState;

/// One demo account: who it is, how to sign in.
pub struct DemoAccount {
    pub role: &'static str,
    pub login: &'static str,
    pub password: &'static str,
    pub name: &'static str,
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        role: "Quản trị hệ thống (site administrator)",
        login: "admin@hoithi.demo",
        password: "demo-quantri",
        name: "Nguyễn Văn Quản",
    },
    DemoAccount {
        role: "Quản trị đơn vị huyện Hàm Yên (unit administrator, district)",
        login: "tuyengiao.hamyen@hoithi.demo",
        password: "demo-hamyen",
        name: "Hoàng Thị Thu Hà",
    },
    DemoAccount {
        role: "Quản trị đơn vị xã Thái Sơn (unit administrator, commune)",
        login: "thaison@hoithi.demo",
        password: "demo-thaison",
        name: "Lý Văn Sơn",
    },
    DemoAccount {
        role: "Ban tổ chức cuộc thi chính luận (organizer)",
        login: "bantochuc@hoithi.demo",
        password: "demo-bantochuc",
        name: "Trần Minh Đức",
    },
    DemoAccount {
        role: "Giám khảo vòng chung khảo, có bài cần chấm (judge)",
        login: "giamkhao@hoithi.demo",
        password: "demo-giamkhao",
        name: "Phạm Thị Lan",
    },
    DemoAccount {
        role: "Người dự thi (participant)",
        login: "0912345678",
        password: "demo-duthi",
        name: "Ma Thị Hoa",
    },
];

const COMMUNES: &[(&str, &str, i32)] = &[
    ("HY-TANYEN", "Thị trấn Tân Yên", 2450),
    ("HY-THAISON", "Xã Thái Sơn", 1320),
    ("HY-THAIHOA", "Xã Thái Hòa", 1180),
    ("HY-DUCNINH", "Xã Đức Ninh", 1050),
    ("HY-BANGCOC", "Xã Bằng Cốc", 760),
    ("HY-NHANMUC", "Xã Nhân Mục", 690),
    ("HY-YENTHUAN", "Xã Yên Thuận", 980),
    ("HY-MINHDAN", "Xã Minh Dân", 870),
    ("HY-PHULUU", "Xã Phù Lưu", 1240),
    ("HY-BACHXA", "Xã Bạch Xa", 820),
];

const AGENCIES: &[(&str, &str, &str, i32)] = &[
    ("HY-BTG", "Ban Tuyên giáo Huyện ủy Hàm Yên", "co_quan", 14),
    ("HY-TTCT", "Trung tâm Chính trị huyện Hàm Yên", "co_quan", 9),
    ("HY-VHTT", "Phòng Văn hóa và Thông tin huyện", "co_quan", 11),
    ("HY-HDOAN", "Huyện đoàn Hàm Yên", "to_chuc", 1900),
    ("HY-CCB", "Hội Cựu chiến binh huyện", "to_chuc", 2100),
];

async fn unit(
    state: &AppState,
    code: &str,
    name: &str,
    kind: &str,
    parent: Option<i64>,
    headcount: Option<i32>,
) -> Result<i64> {
    let u = units::create(
        &state.db,
        units::NewUnit {
            code: code.into(),
            name: name.into(),
            name_key: hoithi_text::sort::sort_key(name),
            kind: kind.into(),
            parent_id: parent,
            headcount,
        },
    )
    .await?;
    Ok(u.id)
}

async fn account(state: &AppState, a: &DemoAccount, unit_id: i64) -> Result<i64> {
    let (email, phone) = if a.login.contains('@') {
        (Some(a.login.to_string()), None)
    } else {
        (None, Some(a.login.to_string()))
    };
    let hash = password::hash(a.password.to_string())
        .await
        .map_err(|e| Error(format!("{e:?}")))?;
    let u = users::create(
        &state.db,
        users::NewUser {
            email,
            phone,
            full_name: a.name.into(),
            name_key: hoithi_text::sort::name_sort_key(a.name),
            password_hash: hash,
            unit_id: Some(unit_id),
        },
    )
    .await?;
    Ok(u.id)
}

async fn grant(state: &AppState, user_id: i64, role: Role, unit_id: Option<i64>) -> Result<()> {
    grants::add(
        &state.db,
        grants::NewGrant {
            user_id,
            role: role.as_str().into(),
            unit_id,
            resource_kind: None,
            resource_id: None,
        },
    )
    .await?;
    Ok(())
}

/// Loads the demo into an empty database; returns whether it did.
pub async fn load_if_empty(state: &AppState) -> Result<bool> {
    if units::count(&state.db).await? > 0 || users::count(&state.db).await? > 0 {
        return Ok(false);
    }
    let centre = unit(state, "TW", "Trung ương", "trung_uong", None, None).await?;
    let province = unit(state, "TQ", "Tỉnh Tuyên Quang", "tinh", Some(centre), None).await?;
    let district = unit(state, "HY", "Huyện Hàm Yên", "huyen", Some(province), None).await?;
    let mut thai_son = district;
    for (code, name, head) in COMMUNES {
        let id = unit(state, code, name, "xa", Some(district), Some(*head)).await?;
        if *code == "HY-THAISON" {
            thai_son = id;
        }
    }
    let mut btg = district;
    for (code, name, kind, head) in AGENCIES {
        let id = unit(state, code, name, kind, Some(district), Some(*head)).await?;
        if *code == "HY-BTG" {
            btg = id;
        }
    }
    let admin = account(state, &ACCOUNTS[0], province).await?;
    grant(state, admin, Role::SiteAdmin, None).await?;
    let district_admin = account(state, &ACCOUNTS[1], btg).await?;
    grant(state, district_admin, Role::UnitAdmin, Some(district)).await?;
    let commune_admin = account(state, &ACCOUNTS[2], thai_son).await?;
    grant(state, commune_admin, Role::UnitAdmin, Some(thai_son)).await?;
    let organizer = account(state, &ACCOUNTS[3], btg).await?;
    let judge = account(state, &ACCOUNTS[4], btg).await?;
    account(state, &ACCOUNTS[5], thai_son).await?;
    let contest_id = contest(state, district, organizer, &CURRENT).await?;
    let others = crate::judging::demo::load(state, CURRENT.slug, organizer, judge).await?;
    // Last year's contest: closed, judged, its results published with certificates.
    let finished_id = contest(state, district, organizer, &FINISHED).await?;
    crate::judging::demo::load_finished(state, FINISHED.slug, organizer, &others).await?;
    crate::courses::demo::load(state).await?;
    if state.config.demo_checks {
        // Every overlap page has its figures within a minute of the start.
        for id in [contest_id, finished_id] {
            crate::integrity::queue_checks(&state.db, id)
                .await
                .map_err(|e| Error(e.to_string()))?;
        }
    }
    crate::news::demo::load(state, district, thai_son).await?;
    Ok(true)
}

const SENTENCES: &[&str] = &[
    "Bảo vệ nền tảng tư tưởng của Đảng là nhiệm vụ thường xuyên, lâu dài của cả hệ thống chính trị.",
    "Ở cơ sở, mỗi cán bộ, đảng viên cần nêu gương trong lời nói và việc làm.",
    "Các thế lực thù địch lợi dụng mạng xã hội để xuyên tạc, bóp méo chủ trương, đường lối của Đảng.",
    "Thực tiễn ở huyện Hàm Yên cho thấy khi người dân được thông tin đầy đủ, họ tin tưởng và đồng thuận.",
    "Chi bộ thôn đã tổ chức sinh hoạt chuyên đề, mời đoàn viên thanh niên cùng tham gia thảo luận.",
    "Việc đấu tranh phản bác quan điểm sai trái phải dựa trên lý lẽ sắc bén và dẫn chứng thuyết phục.",
    "Xây dựng đội ngũ cộng tác viên dư luận xã hội ở xã là giải pháp thiết thực và hiệu quả.",
    "Phong trào thi đua yêu nước gắn với học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Những mô hình kinh tế cam sành, chè và rừng trồng đã giúp nhiều hộ đồng bào thoát nghèo bền vững.",
    "Tuyên truyền miệng qua loa truyền thanh thôn bản vẫn giữ vai trò quan trọng ở vùng sâu, vùng xa.",
    "Mỗi bài viết cần có tính chiến đấu, tính thời sự và gắn với thực tiễn của địa phương.",
    "Công tác giáo dục chính trị tư tưởng cho thế hệ trẻ cần đổi mới về nội dung và phương thức.",
    "Người đứng đầu cấp ủy phải trực tiếp đối thoại với nhân dân, kịp thời giải quyết những kiến nghị chính đáng.",
    "Sự gương mẫu của cán bộ là câu trả lời thuyết phục nhất trước những luận điệu xuyên tạc.",
    "Đảng bộ xã đã lãnh đạo hoàn thành xây dựng nông thôn mới trước thời hạn hai năm.",
    "Niềm tin của nhân dân là nền tảng vững chắc nhất để bảo vệ chế độ.",
    "Cần phát huy vai trò của Mặt trận Tổ quốc và các đoàn thể trong việc nắm bắt tâm tư của nhân dân.",
    "Việc ứng dụng chuyển đổi số giúp thông tin chính thống đến với người dân nhanh hơn, chính xác hơn.",
    "Những câu chuyện người tốt, việc tốt ở bản làng là minh chứng sinh động cho sức sống của chủ nghĩa Mác – Lênin.",
    "Chống suy thoái tư tưởng chính trị, đạo đức, lối sống phải được tiến hành kiên quyết, kiên trì.",
];

/// Paragraphs only one demo entry writes, and another copies: the copy check shows a real
/// pair (HT-DEMO-0007 and HT-DEMO-0151) beside the common text every demo entry shares.
const COPIED: &[&str] = &[
    "Sáng thứ bảy nào cũng vậy, chị Hà Thị Liên, bí thư chi bộ thôn Khuổi Hao, dắt chiếc xe máy cũ đi khắp các ngõ để nhắc bà con dự buổi sinh hoạt ở nhà văn hóa. Chị bảo muốn dân tin thì cán bộ phải đến tận nhà, nghe cho hết chuyện rồi mới nói chuyện của mình.",
    "Năm ngoái, khi trên mạng lan truyền tin đồn thu hồi đất làm khu nghỉ dưỡng, cả thôn xôn xao suốt một tuần. Chi bộ mời cán bộ địa chính xã về, trải tấm bản đồ quy hoạch lên chiếu, chỉ từng thửa ruộng cho bà con xem tận mắt, và tin đồn tự tắt trong một buổi tối.",
];

/// A sentence two demo entries quote (HT-DEMO-0033 and HT-DEMO-0088): shown as a shared quote.
const QUOTED: &str = "“Dân tin thì việc khó mấy cũng xong, dân không tin thì việc dễ mấy cũng hỏng, cho nên giữ được lòng dân là giữ được nền tảng vững chắc nhất của chế độ ta.”";

/// A reference list two demo entries end with (HT-DEMO-0060 and HT-DEMO-0061): shared
/// citations, never counted.
const REFERENCES: &str = "Tài liệu tham khảo\n1. Ban Tuyên giáo Huyện ủy Hàm Yên (2025), Tài liệu sinh hoạt chuyên đề về bảo vệ nền tảng tư tưởng của Đảng ở cơ sở, lưu hành nội bộ, tr. 5–32.\n2. Hoàng Minh Đức (2024), \"Tuyên truyền miệng ở thôn bản vùng cao\", Tạp chí Tuyên giáo, số 9, tr. 41–46.\n3. https://hamyen.tuyenquang.gov.vn/tin-tuc/hoi-nghi-bao-cao-vien-2025, truy cập ngày 10/11/2026.";

const TITLES: &[&str] = &[
    "Niềm tin từ bản làng",
    "Giữ vững trận địa tư tưởng ở cơ sở",
    "Khi cán bộ nói đi đôi với làm",
    "Sức mạnh từ lòng dân",
    "Phản bác luận điệu sai trái trên không gian mạng",
    "Ngọn lửa từ chi bộ thôn",
    "Từ đồi chè Hùng Đức nghĩ về niềm tin",
    "Tiếng loa thôn bản",
    "Nêu gương để thuyết phục",
    "Vững một niềm tin",
];

const NAMES: &[&str] = &[
    "Nguyễn Thị Mai",
    "Hoàng Văn Thắng",
    "Lý Thị Hạnh",
    "Ma Văn Tuấn",
    "Trần Quốc Việt",
    "Phạm Thị Ngọc Ánh",
    "Đặng Văn Hùng",
    "Nông Thị Thu",
    "Bùi Minh Châu",
    "Vũ Đức Anh",
    "Triệu Thị Lan",
    "Lê Văn Bình",
];

/// What tells the demo's contests apart.
pub struct ContestSpec {
    pub slug: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Days from now (negative: in the past).
    pub opens: i64,
    pub closes: i64,
    pub entries: usize,
    pub seed: u64,
    /// The receipt codes' prefix, e.g. "HT-DEMO-".
    pub codes: &'static str,
}

/// The contest collecting entries now (its preliminary round done, the final round open).
pub const CURRENT: ContestSpec = ContestSpec {
    slug: "chinh-luan-2026",
    title: "Cuộc thi viết chính luận về bảo vệ nền tảng tư tưởng của Đảng năm 2026",
    description: "Cuộc thi do Ban Tuyên giáo Huyện ủy Hàm Yên phát động, hưởng ứng cuộc thi của Trung ương và tỉnh Tuyên Quang.\n\nĐối tượng: cán bộ, đảng viên, nhân dân và học sinh – sinh viên trên địa bàn huyện.",
    opens: -30,
    closes: 30,
    entries: 240,
    seed: 20_260_611,
    codes: "HT-DEMO-",
};

/// Last year's contest: closed, judged in one round, results published with certificates.
pub const FINISHED: ContestSpec = ContestSpec {
    slug: "chinh-luan-2025",
    title: "Cuộc thi viết chính luận về bảo vệ nền tảng tư tưởng của Đảng năm 2025",
    description: "Cuộc thi năm trước của huyện Hàm Yên đã kết thúc: các bài dự thi được chấm trong một vòng chung khảo, kết quả đã công bố và giấy chứng nhận đã cấp cho người đoạt giải.\n\nMã giấy chứng nhận in trên mỗi giấy có thể tra ở trang Xác minh giấy chứng nhận.",
    opens: -420,
    closes: -340,
    entries: 36,
    seed: 20_250_905,
    codes: "HT-2025-",
};

async fn contest(
    state: &AppState,
    district: i64,
    organizer: i64,
    spec: &ContestSpec,
) -> Result<i64> {
    use hoithi_storage::repo::{contests, entries};
    let now = chrono::Utc::now();
    let mut collecting: Vec<i64> = units::children(&state.db, Some(district))
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    collecting.push(district);
    let c = contests::create(
        &state.db,
        contests::NewContest {
            slug: spec.slug.into(),
            title: spec.title.into(),
            description: spec.description.into(),
            rules: "Mỗi tác giả gửi tối đa một tác phẩm ở mỗi thể loại; mỗi tác phẩm có tối đa hai đồng tác giả.\n\nTác phẩm chưa từng công bố; không ghi tên tác giả trong nội dung (thông tin tác giả khai ở mẫu riêng). Tác phẩm được kiểm tra trùng lặp bằng phần mềm: tối đa 25% với bài báo, 20% với bài tạp chí.\n\nBài được chấm theo các tiêu chí: tính sắc bén, tính thực tế, tính thời sự, hiệu quả, chất lượng, tính chiến đấu.".into(),
            organizer_unit_id: district,
            opens_at: now + chrono::Duration::days(spec.opens),
            closes_at: now + chrono::Duration::days(spec.closes),
            published: true,
            collecting_units: collecting.clone(),
            genres: crate::contests::service::default_genres(),
            groups: crate::contests::service::default_groups(),
        },
    )
    .await?;
    grants::add(
        &state.db,
        grants::NewGrant {
            user_id: organizer,
            role: Role::Organizer.as_str().into(),
            unit_id: None,
            resource_kind: Some(crate::policy::ResourceKind::Contest.as_str().into()),
            resource_id: Some(c.id),
        },
    )
    .await?;
    let genres = contests::genres(&state.db, c.id).await?;
    let groups = contests::groups(&state.db, c.id).await?;
    let units_list: Vec<_> = units::children(&state.db, Some(district)).await?;
    // A small deterministic generator: the same demo every time.
    let mut seed: u64 = spec.seed;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for i in 0..spec.entries {
        let g = &genres[next(2)];
        let u = &units_list[next(units_list.len())];
        let mut paragraphs = Vec::new();
        for _ in 0..(10 + next(6)) {
            let p: Vec<&str> = (0..(6 + next(4)))
                .map(|_| SENTENCES[next(SENTENCES.len())])
                .collect();
            paragraphs.push(p.join(" "));
        }
        match i {
            _ if spec.codes != CURRENT.codes => {}
            6 | 150 => paragraphs
                .splice(2..2, COPIED.iter().map(|p| p.to_string()))
                .for_each(drop),
            32 | 87 => paragraphs.insert(3, format!("Như lời một cán bộ lão thành ở xã: {QUOTED}")),
            59 | 60 => paragraphs.push(REFERENCES.to_string()),
            _ => {}
        }
        let body = paragraphs.join("\n\n");
        let title = format!("{} ({})", TITLES[next(TITLES.len())], i + 1);
        let name = NAMES[next(NAMES.len())];
        let words = hoithi_text::tokenize::word_count(&body) as i32;
        let mut flags = Vec::new();
        if g.min_words.is_some_and(|m| words < m) || g.max_words.is_some_and(|m| words > m) {
            flags.push("word_limits");
        }
        entries::submit(
            &state.db,
            entries::NewEntry {
                form_token: None,
                contest_id: c.id,
                genre_id: g.id,
                unit_id: u.id,
                unit_path: u.path.clone(),
                receipt_code: format!("{}{:04}", spec.codes, i + 1),
                title_key: hoithi_text::sort::sort_key(&title),
                title,
                pen_name: String::new(),
                word_count: words,
                body,
                file_sha256: None,
                file_name: None,
                media_link: None,
                flags: serde_json::json!(flags),
                submitter_user_id: None,
                access_token_hash: None,
                contact: format!("09{:08}", 10_000_000 + i),
                author_key: format!("{}|09{:08}", hoithi_text::fold::fold(name), 10_000_000 + i),
                authors: vec![entries::NewAuthor {
                    full_name: name.into(),
                    name_key: hoithi_text::sort::name_sort_key(name),
                    birth_year: Some(1960 + next(45) as i32),
                    workplace: u.name.clone(),
                    group_id: Some(groups[next(groups.len())].id),
                    phone: format!("09{:08}", 10_000_000 + i),
                    email: String::new(),
                }],
            },
            Vec::new(),
        )
        .await?;
    }
    Ok(c.id)
}
