//! The demo's news: categories of a district portal, the story's post (the Hàm Yên district's
//! training course on defending the Party's ideological foundation and the contest it rolled
//! out) with two pictures drawn here, about ten more posts across categories and units, one
//! draft awaiting approval, and an editor and an approver of the district.
//!
//! Everything goes through the services (as the command line's operator), so the demo's posts
//! have their revisions, audit records, photo jobs and search documents like any other.

use hoithi_storage::repo::{grants, news, units, users};
use hoithi_storage::status::NewsStatus;

use crate::app::anyhow_like::{Error, Result};
use crate::demo::DemoAccount;
use crate::news::editor::service::{self as editor, PostInput};
use crate::news::photos::service as photos;
use crate::policy::{Actor, Role};
use crate::state::AppState;

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        role: "Biên tập viên tin tức huyện Hàm Yên (news editor)",
        login: "bientap.hamyen@hoithi.demo",
        password: "demo-bientap",
        name: "Đỗ Thị Thanh Huyền",
    },
    DemoAccount {
        role: "Duyệt tin tức huyện Hàm Yên (news approver)",
        login: "duyet.hamyen@hoithi.demo",
        password: "demo-duyet",
        name: "Nguyễn Quang Vinh",
    },
];

const DISTRICT_CATEGORIES: &[&str] = &[
    "Tin tức – Sự kiện",
    "Xây dựng Đảng",
    "Giáo dục chính trị",
    "Văn hóa – Xã hội",
];

fn err(e: impl std::fmt::Debug) -> Error {
    Error(format!("{e:?}"))
}

async fn account(state: &AppState, a: &DemoAccount, unit_id: i64, role: Role) -> Result<i64> {
    let hash = crate::auth::password::hash(a.password.to_string())
        .await
        .map_err(err)?;
    let u = users::create(
        &state.db,
        users::NewUser {
            email: Some(a.login.to_string()),
            phone: None,
            full_name: a.name.into(),
            name_key: hoithi_text::sort::name_sort_key(a.name),
            password_hash: hash,
            unit_id: Some(unit_id),
        },
    )
    .await?;
    grants::add(
        &state.db,
        grants::NewGrant {
            user_id: u.id,
            role: role.as_str().into(),
            unit_id: Some(unit_id),
            resource_kind: None,
            resource_id: None,
        },
    )
    .await?;
    Ok(u.id)
}

/// A post written, photographed and published (or left awaiting approval) at `days_ago`.
struct Story {
    unit: i64,
    category: usize,
    title: &'static str,
    lead: &'static str,
    body: &'static str,
    byline: &'static str,
    days_ago: i64,
    status: NewsStatus,
}

const MAIN_TITLE: &str = "Hàm Yên mở lớp bồi dưỡng kỹ năng bảo vệ nền tảng tư tưởng của Đảng và phát động cuộc thi viết chính luận năm 2026";

const MAIN_LEAD: &str = "Trong hai ngày, hơn 120 cán bộ làm công tác tuyên giáo, báo cáo viên và đoàn viên nòng cốt của huyện Hàm Yên được trang bị kiến thức và kỹ năng nhận diện, phản bác các quan điểm sai trái trên không gian mạng; ngay sau lớp học, Ban Tuyên giáo Huyện ủy phát động cuộc thi viết chính luận về bảo vệ nền tảng tư tưởng của Đảng.";

const MAIN_BODY: &str = "Lớp bồi dưỡng do Ban Tuyên giáo Huyện ủy phối hợp với Trung tâm Chính trị huyện tổ chức tại hội trường Huyện ủy. Học viên là cán bộ phụ trách tuyên giáo của các xã, thị trấn, báo cáo viên cấp huyện, cộng tác viên dư luận xã hội và đoàn viên thanh niên tiêu biểu.

[[anh 1]]

Các báo cáo viên đã trao đổi những chuyên đề thiết thực: **nhận diện thủ đoạn** lợi dụng mạng xã hội để xuyên tạc chủ trương, đường lối; kỹ năng viết bài phản bác ngắn gọn, có lý lẽ và dẫn chứng từ chính thực tiễn địa phương; cách kiểm chứng một thông tin trước khi chia sẻ.

Nhiều học viên chia sẻ kinh nghiệm từ cơ sở. Một cán bộ xã vùng cao kể lại cách chi bộ thôn dùng buổi sinh hoạt định kỳ để giải thích chính sách hỗ trợ trồng rừng, nhờ đó những tin đồn thất thiệt trên nhóm mạng xã hội của thôn nhanh chóng bị bác bỏ.

> Mỗi cán bộ, đảng viên phải là một \"tuyên truyền viên\" trên không gian mạng: nói đúng, nói đủ và nói kịp thời.

[[anh 2]]

Bế mạc lớp học, Ban Tuyên giáo Huyện ủy phát động *Cuộc thi viết chính luận về bảo vệ nền tảng tư tưởng của Đảng năm 2026* trên địa bàn huyện. Cuộc thi dành cho cán bộ, đảng viên, nhân dân và học sinh – sinh viên; mỗi tác giả gửi tối đa một tác phẩm ở mỗi thể loại. Bài dự thi được nhận trực tuyến và qua các đơn vị cơ sở.

Ban tổ chức mong muốn cuộc thi sẽ lan tỏa những câu chuyện thật, người thật ở cơ sở, góp phần củng cố niềm tin của nhân dân.";

const STORIES: &[(usize, &str, &str, &str, &str)] = &[
    (
        0,
        "Huyện ủy Hàm Yên sơ kết công tác tuyên giáo 9 tháng",
        "Công tác nắm bắt dư luận xã hội được thực hiện thường xuyên, kịp thời định hướng thông tin ở cơ sở.",
        "Hội nghị đánh giá các cấp ủy đã bám sát nhiệm vụ chính trị của địa phương.\n\nTrong thời gian tới, huyện tiếp tục đổi mới hình thức tuyên truyền, tăng cường ứng dụng chuyển đổi số.",
        "Minh Khuê",
    ),
    (
        1,
        "Chi bộ thôn nâng cao chất lượng sinh hoạt chuyên đề",
        "Nhiều chi bộ đã chọn chuyên đề gắn với vấn đề người dân quan tâm.",
        "Sinh hoạt chuyên đề giúp đảng viên thảo luận cởi mở hơn.\n\nCác ý kiến được tổng hợp, báo cáo cấp ủy cấp trên.",
        "Hoàng Nam",
    ),
    (
        2,
        "Bồi dưỡng lý luận chính trị cho đảng viên mới",
        "Trung tâm Chính trị huyện khai giảng lớp bồi dưỡng cho 85 đảng viên mới.",
        "Học viên được học các chuyên đề về lịch sử Đảng bộ địa phương.\n\nKết thúc khóa học, học viên viết bài thu hoạch.",
        "Lan Anh",
    ),
    (
        3,
        "Ngày hội văn hóa các dân tộc huyện Hàm Yên",
        "Ngày hội thu hút đông đảo đồng bào các dân tộc tham gia.",
        "Nhiều hoạt động văn hóa truyền thống được tái hiện.\n\nNgày hội góp phần giữ gìn bản sắc văn hóa dân tộc.",
        "Quang Huy",
    ),
    (
        0,
        "Triển khai cuộc thi viết chính luận đến các xã, thị trấn",
        "Các đơn vị cơ sở được hướng dẫn cách nhận và gửi bài dự thi.",
        "Mỗi xã cử cán bộ đầu mối tiếp nhận bài dự thi.\n\nBan tổ chức khuyến khích gửi bài trực tuyến.",
        "Minh Khuê",
    ),
    (
        1,
        "Kết nạp đảng viên trong đoàn viên thanh niên",
        "Năm nay huyện kết nạp hơn 200 đảng viên mới, phần lớn là đoàn viên.",
        "Công tác tạo nguồn được quan tâm từ chi đoàn.\n\nCác chi bộ phân công đảng viên giúp đỡ quần chúng ưu tú.",
        "Hoàng Nam",
    ),
    (
        2,
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Nhiều mô hình hay được biểu dương tại hội nghị.",
        "Các điển hình đến từ nhiều lĩnh vực khác nhau.\n\nHuyện sẽ nhân rộng các mô hình hiệu quả.",
        "Lan Anh",
    ),
    (
        3,
        "Câu lạc bộ hát Then, đàn Tính xã Thái Sơn ra mắt",
        "Câu lạc bộ có 30 thành viên thuộc nhiều lứa tuổi.",
        "Các nghệ nhân truyền dạy làn điệu cho thế hệ trẻ.\n\nCâu lạc bộ sinh hoạt mỗi tháng hai lần.",
        "Lý Văn Sơn",
    ),
    (
        0,
        "Xã Thái Sơn đối thoại với nhân dân về xây dựng nông thôn mới",
        "Người dân nêu nhiều ý kiến về đường giao thông nội đồng.",
        "Lãnh đạo xã trả lời trực tiếp các kiến nghị.\n\nNhững việc chưa giải quyết ngay được hẹn thời gian cụ thể.",
        "Lý Văn Sơn",
    ),
    (
        3,
        "Thanh niên Hàm Yên tình nguyện vì cộng đồng",
        "Các đội hình tình nguyện sửa đường, làm nhà văn hóa thôn.",
        "Hoạt động diễn ra tại nhiều xã vùng sâu.\n\nĐoàn viên còn hướng dẫn người dân sử dụng dịch vụ công trực tuyến.",
        "Quang Huy",
    ),
];

/// Loads the news demo: the district's and the commune's categories, the editor and the
/// approver, and the posts.
pub async fn load(state: &AppState, district: i64, commune: i64) -> Result<()> {
    account(state, &ACCOUNTS[0], district, Role::Editor).await?;
    account(state, &ACCOUNTS[1], district, Role::Approver).await?;
    let op = Actor::operator("demo");
    let mut district_cats = Vec::new();
    for name in DISTRICT_CATEGORIES {
        district_cats.push(
            editor::create_category(state, &op, district, name)
                .await
                .map_err(err)?
                .id,
        );
    }
    let commune_cat = editor::create_category(state, &op, commune, "Tin xã Thái Sơn")
        .await
        .map_err(err)?
        .id;
    let contest = hoithi_storage::repo::contests::by_slug(&state.db, "chinh-luan-2026")
        .await
        .ok()
        .map(|c| c.id);
    // The story reports the demo course (loaded before the news).
    let course = hoithi_storage::repo::courses::by_slug(&state.db, crate::courses::demo::SLUG)
        .await?
        .map(|k| k.id);
    let youth = units::by_code(&state.db, "HY-HDOAN")
        .await?
        .map(|u| u.id)
        .unwrap_or(district);
    let mut stories = vec![Story {
        unit: district,
        category: 0,
        title: MAIN_TITLE,
        lead: MAIN_LEAD,
        body: MAIN_BODY,
        byline: "Minh Khuê",
        days_ago: 1,
        status: NewsStatus::Published,
    }];
    for (i, (cat, title, lead, body, byline)) in STORIES.iter().enumerate() {
        let unit = match i {
            7 | 8 => commune,
            9 => youth,
            _ => district,
        };
        stories.push(Story {
            unit,
            category: *cat,
            title,
            lead,
            body,
            byline,
            days_ago: 2 + i as i64 * 3,
            status: NewsStatus::Published,
        });
    }
    stories.push(Story {
        unit: district,
        category: 1,
        title: "Hội nghị học tập, quán triệt nghị quyết chuyên đề của Huyện ủy",
        lead: "Bài đang chờ duyệt: cán bộ chủ chốt của huyện dự hội nghị.",
        body: "Hội nghị được tổ chức trực tiếp kết hợp trực tuyến đến các điểm cầu xã, thị trấn.\n\nCác đại biểu thảo luận giải pháp đưa nghị quyết vào cuộc sống.",
        byline: "Minh Khuê",
        days_ago: 0,
        status: NewsStatus::AwaitingApproval,
    });
    let now = hoithi_storage::time::now();
    for (n, s) in stories.iter().enumerate() {
        let categories = if s.unit == commune {
            vec![commune_cat, district_cats[s.category]]
        } else {
            vec![district_cats[s.category]]
        };
        let p = editor::create(
            state,
            &op,
            PostInput {
                unit_id: s.unit,
                title: s.title.into(),
                lead: s.lead.into(),
                body: s.body.into(),
                byline: s.byline.into(),
                source_unit: String::new(),
                categories,
                tags: if n == 0 {
                    "Hàm Yên, bồi dưỡng, chính luận".into()
                } else {
                    String::new()
                },
                contests: if n == 0 || n == 5 {
                    contest.into_iter().collect()
                } else {
                    Vec::new()
                },
                courses: if n == 0 {
                    course.into_iter().collect()
                } else {
                    Vec::new()
                },
            },
        )
        .await
        .map_err(err)?;
        if n == 0 {
            for (kind, caption, alt) in [
                (
                    Picture::Overview,
                    "Toàn cảnh lớp bồi dưỡng tại hội trường Huyện ủy Hàm Yên.",
                    "Hội trường với sân khấu treo băng rôn đỏ và các hàng ghế học viên",
                ),
                (
                    Picture::Delegates,
                    "Các đại biểu dự lớp bồi dưỡng.",
                    "Hàng đại biểu ngồi dự lớp, trước mặt là bàn phủ khăn",
                ),
            ] {
                photos::upload(state, &op, p.id, &draw(kind), caption, alt)
                    .await
                    .map_err(err)?;
            }
        }
        match s.status {
            NewsStatus::AwaitingApproval => {
                editor::submit(state, &op, p.id).await.map_err(err)?;
            }
            _ => {
                editor::publish(state, &op, p.id, None).await.map_err(err)?;
                // Backdated, so that the lists read like a portal's.
                let when =
                    now - chrono::Duration::days(s.days_ago) - chrono::Duration::hours(n as i64);
                news::set_status(&state.db, p.id, NewsStatus::Published, Some(when)).await?;
            }
        }
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Picture {
    Overview,
    Delegates,
}

/// A picture drawn in code (never fetched): a hall with a red banner and rows of people.
fn draw(kind: Picture) -> Vec<u8> {
    const W: usize = 960;
    const H: usize = 640;
    let mut px = vec![0u8; W * H * 3];
    let mut put = |x: usize, y: usize, c: [u8; 3]| {
        if x < W && y < H {
            let i = (y * W + x) * 3;
            px[i..i + 3].copy_from_slice(&c);
        }
    };
    // Wall and floor.
    for y in 0..H {
        for x in 0..W {
            let c = if y < H * 2 / 5 {
                let t = (y * 40 / H) as u8;
                [228 - t, 214 - t, 190 - t]
            } else {
                let t = ((y - H * 2 / 5) * 60 / H) as u8;
                [150 - t, 110 - t, 80 - t]
            };
            put(x, y, c);
        }
    }
    // The red banner with a yellow stripe, and the stage.
    let (bx0, bx1, by0, by1) = (W / 8, W * 7 / 8, H / 14, H / 5);
    for y in by0..by1 {
        for x in bx0..bx1 {
            let stripe = y > (by0 + by1) / 2 - 3 && y < (by0 + by1) / 2 + 3 && x % 24 < 16;
            put(
                x,
                y,
                if stripe {
                    [245, 200, 40]
                } else {
                    [178, 24, 30]
                },
            );
        }
    }
    for y in H * 2 / 5 - 30..H * 2 / 5 {
        for x in W / 10..W * 9 / 10 {
            put(x, y, [120, 70, 40]);
        }
    }
    // People: heads and shoulders in rows, nearer rows larger.
    let (rows, per_row, top) = match kind {
        Picture::Overview => (6, 14, H / 2),
        Picture::Delegates => (3, 7, H / 2 + 20),
    };
    let shirts = [
        [235, 235, 235],
        [40, 60, 110],
        [200, 200, 210],
        [60, 90, 60],
    ];
    for r in 0..rows {
        let scale = 1.0 + r as f64 * if rows > 3 { 0.25 } else { 0.6 };
        let head = (9.0 * scale) as i64;
        let y = top as i64 + (r as i64) * (H as i64 - top as i64) / rows as i64;
        for k in 0..per_row {
            let x = (W as i64 * (2 * k as i64 + 1 + (r as i64 % 2))) / (2 * per_row as i64 + 1);
            let shirt = shirts[(k + r) % shirts.len()];
            for dy in -head..=head * 4 {
                for dx in -head * 2..=head * 2 {
                    let (px_, py_) = (x + dx, y + dy);
                    if px_ < 0 || py_ < 0 {
                        continue;
                    }
                    let in_head = dx * dx + dy * dy <= head * head;
                    let in_body = dy > head && dx.abs() <= head * 2 - (dy - head) / 6;
                    if in_head {
                        put(px_ as usize, py_ as usize, [40, 30, 25]);
                    } else if in_body {
                        put(px_ as usize, py_ as usize, shirt);
                    }
                }
            }
        }
        if let Picture::Delegates = kind {
            // The table in front of each row of delegates, covered with a cloth.
            let ty = y + head * 3;
            for yy in ty..ty + head * 2 {
                for x in 0..W as i64 {
                    put(x as usize, yy as usize, [30, 110, 60]);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, W as u32, H as u32);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        if let Ok(mut w) = enc.write_header() {
            let _ = w.write_image_data(&px);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pictures_are_pngs_of_their_size() {
        for kind in [super::Picture::Overview, super::Picture::Delegates] {
            let png = super::draw(kind);
            assert!(png.starts_with(b"\x89PNG"));
            assert_eq!(&png[16..24], &[0, 0, 3, 192, 0, 0, 2, 128]);
        }
    }
}
