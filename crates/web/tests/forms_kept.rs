//! Every organizer form that can refuse what was typed shows the page again (422) with the
//! message and every other field as it was typed: one invalid value per form, the others
//! checked to come back. Runs on SQLite, and on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use common::demo::post_form;
use common::*;
use hoithi_storage::repo::{contests, rounds};

/// Whether `html` has an input (or textarea) named `name` holding `value` as typed.
fn holds(html: &str, name: &str, value: &str) -> bool {
    let escaped = value.replace('&', "&#38;").replace('"', "&#34;");
    html.split(&format!("name=\"{name}\"")).skip(1).any(|rest| {
        let tag = rest.split('>').next().unwrap_or("");
        tag.contains(&format!("value=\"{escaped}\""))
            || rest
                .split("</textarea>")
                .next()
                .is_some_and(|t| t.ends_with(&escaped) && rest.starts_with(' '))
    })
}

/// Whether the option `value` of the select or radio group `name` is chosen.
fn chosen(html: &str, name: &str, value: &str) -> bool {
    html.split(&format!("name=\"{name}\"")).skip(1).any(|rest| {
        let tag = rest.split('>').next().unwrap_or("");
        (tag.contains(&format!("value=\"{value}\"")) && tag.contains("checked"))
            || rest
                .split("</select>")
                .next()
                .unwrap_or("")
                .contains(&format!("<option value=\"{value}\" selected"))
    })
}

#[tokio::test]
async fn refused_organizer_forms_come_back_with_what_was_typed() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let org = app.sign_in("bantochuc@hoithi.demo", "demo-bantochuc").await;
    let k = contests::by_slug(db, "chinh-luan-2026").await.unwrap();

    // Disqualification without a reason: the decision stays chosen, the message is there.
    let entry = hoithi_storage::repo::entries::by_receipt(db, "HT-DEMO-0002")
        .await
        .unwrap();
    let (status, page) = post_form(
        &app,
        &org,
        &format!("/cuoc-thi/chinh-luan-2026/bai/{}/so-loai", entry.id),
        &[("decision", "disqualified"), ("reason", "   ")],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Vui lòng ghi lý do loại bài"), "{page}");
    assert!(chosen(&page, "decision", "disqualified"), "{page}");

    // Contest settings with a date that does not exist: title, text and boxes stay.
    let (status, page) = post_form(
        &app,
        &org,
        "/cuoc-thi/chinh-luan-2026/cai-dat",
        &[
            ("title", "Cuộc thi viết chính luận — tên mới"),
            ("opens", "31/02/2026"),
            ("closes", "30/12/2026"),
            ("description", "Mô tả vừa sửa"),
            ("rules", "Thể lệ vừa sửa"),
            ("count_quotes", "1"),
            ("display_tone", "new"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(
        holds(&page, "title", "Cuộc thi viết chính luận — tên mới"),
        "{page}"
    );
    assert!(holds(&page, "opens", "31/02/2026"), "{page}");
    assert!(holds(&page, "closes", "30/12/2026"), "{page}");
    assert!(page.contains("Mô tả vừa sửa") && page.contains("Thể lệ vừa sửa"));
    assert!(chosen(&page, "display_tone", "new"), "{page}");

    // A new round with judges per entry out of range: kind, unit, name, margin, rule stay.
    let commune = app.unit_id("HY-THAISON").await.to_string();
    let round_fields = [
        ("kind", "preliminary"),
        ("unit_id", commune.as_str()),
        ("name", "Vòng sơ khảo xã Thái Sơn"),
        ("judges_per_entry", "40"),
        ("dispute_margin", "12,5"),
        ("normalize", "1"),
        ("tie1", "median"),
        ("tie2", "earlier"),
        ("tie3", ""),
    ];
    let (status, page) =
        post_form(&app, &org, "/cuoc-thi/chinh-luan-2026/vong", &round_fields).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("từ 1 đến 15"), "{page}");
    assert!(chosen(&page, "kind", "preliminary"), "{page}");
    assert!(chosen(&page, "unit_id", &commune), "{page}");
    assert!(holds(&page, "name", "Vòng sơ khảo xã Thái Sơn"), "{page}");
    assert!(holds(&page, "judges_per_entry", "40"), "{page}");
    assert!(holds(&page, "dispute_margin", "12,5"), "{page}");
    assert!(chosen(&page, "normalize", "1"), "{page}");
    assert!(chosen(&page, "tie1", "median") && chosen(&page, "tie2", "earlier"));

    // The same round created, then its settings, rubric and an invitation refused in turn.
    let mut ok_fields = round_fields.to_vec();
    ok_fields[3] = ("judges_per_entry", "2");
    let (status, page) = post_form(&app, &org, "/cuoc-thi/chinh-luan-2026/vong", &ok_fields).await;
    assert_eq!(status, 303, "{page}");
    let round = rounds::for_contest(db, k.id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == "Vòng sơ khảo xã Thái Sơn")
        .unwrap()
        .id;
    let (status, page) = post_form(
        &app,
        &org,
        &format!("/vong/{round}"),
        &[
            ("name", "Sơ khảo Thái Sơn (đổi tên)"),
            ("judges_per_entry", "3"),
            ("dispute_margin", "không rõ"),
            ("tie1", "earlier"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Mức chênh lệch"), "{page}");
    assert!(holds(&page, "name", "Sơ khảo Thái Sơn (đổi tên)"), "{page}");
    assert!(holds(&page, "judges_per_entry", "3"), "{page}");
    assert!(holds(&page, "dispute_margin", "không rõ"), "{page}");
    assert!(chosen(&page, "tie1", "earlier"), "{page}");
    assert!(!chosen(&page, "normalize", "1"), "unticked as sent: {page}");

    let (status, page) = post_form(
        &app,
        &org,
        &format!("/vong/{round}/tieu-chi"),
        &[
            ("cn0", "Tính sắc bén"),
            ("cm0", "30"),
            ("cw0", "1"),
            ("cn1", "Tính thực tiễn"),
            ("cm1", "ba mươi"),
            ("cw1", "1"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(holds(&page, "cn0", "Tính sắc bén") && holds(&page, "cm0", "30"));
    assert!(holds(&page, "cn1", "Tính thực tiễn") && holds(&page, "cm1", "ba mươi"));

    let (status, page) = post_form(
        &app,
        &org,
        &format!("/vong/{round}/giam-khao"),
        &[("login", "khongco@hoithi.demo"), ("capacity", "7")],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(holds(&page, "login", "khongco@hoithi.demo"), "{page}");
    assert!(holds(&page, "capacity", "7"), "{page}");

    // Units and users, as the district's administrator.
    let admin = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let district = app.unit_id("HY").await.to_string();
    let (status, page) = post_form(
        &app,
        &admin,
        "/don-vi",
        &[
            ("parent_id", district.as_str()),
            ("code", "HY-XANHMOI"),
            ("name", "Xã Thành Mới"),
            ("kind", "xa"),
            ("headcount", "một nghìn"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(holds(&page, "code", "HY-XANHMOI") && holds(&page, "name", "Xã Thành Mới"));
    assert!(holds(&page, "headcount", "một nghìn"), "{page}");
    assert!(chosen(&page, "kind", "xa") && chosen(&page, "parent_id", &district));

    let thai_son = app.unit_id("HY-THAISON").await;
    let (status, page) = post_form(
        &app,
        &admin,
        &format!("/don-vi/{thai_son}"),
        &[
            ("name", "Xã Thái Sơn (mới)"),
            ("kind", "xa"),
            ("headcount", "-5"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(holds(&page, "name", "Xã Thái Sơn (mới)"), "{page}");
    assert!(holds(&page, "headcount", "-5"), "{page}");

    let thai_son = thai_son.to_string();
    let (status, page) = post_form(
        &app,
        &admin,
        "/nguoi-dung",
        &[
            ("full_name", "Đinh Thị Mới"),
            ("email", "khong-phai-email"),
            ("phone", "0988 777 666"),
            ("unit_id", thai_son.as_str()),
            ("role", "unit_admin"),
            ("password", "mat-khau-dai-du"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(holds(&page, "full_name", "Đinh Thị Mới"), "{page}");
    assert!(holds(&page, "email", "khong-phai-email"), "{page}");
    assert!(holds(&page, "phone", "0988 777 666"), "{page}");
    assert!(chosen(&page, "unit_id", &thai_son), "{page}");

    let user = app.user_id(COMMUNE.0).await;
    let (status, page) = post_form(
        &app,
        &admin,
        &format!("/nguoi-dung/{user}"),
        &[
            ("full_name", "Lý Văn Sơn (sửa)"),
            ("email", "sai@@dia-chi"),
            ("phone", "0912 111 222"),
            ("unit_id", thai_son.as_str()),
            ("is_active", "1"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(holds(&page, "full_name", "Lý Văn Sơn (sửa)"), "{page}");
    assert!(holds(&page, "email", "sai@@dia-chi"), "{page}");
    assert!(holds(&page, "phone", "0912 111 222"), "{page}");

    // A new contest with a date that does not exist: every field stays, the unit stays chosen.
    let admin = app
        .sign_in("tuyengiao.hamyen@hoithi.demo", "demo-hamyen")
        .await;
    let district = hoithi_storage::repo::units::by_code(db, "HY")
        .await
        .unwrap()
        .unwrap();
    let unit = district.id.to_string();
    let (status, page) = post_form(
        &app,
        &admin,
        "/cuoc-thi",
        &[
            ("title", "Cuộc thi viết về Hàm Yên 2027"),
            ("organizer_unit_id", unit.as_str()),
            ("opens", "30/02/2027"),
            ("closes", "30/06/2027"),
            ("description", "Mô tả cuộc thi mới"),
            ("rules", "Thể lệ cuộc thi mới"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Ngày mở nhận bài không hợp lệ"), "{page}");
    assert!(
        holds(&page, "title", "Cuộc thi viết về Hàm Yên 2027"),
        "{page}"
    );
    assert!(holds(&page, "opens", "30/02/2027"), "{page}");
    assert!(holds(&page, "closes", "30/06/2027"), "{page}");
    assert!(holds(&page, "description", "Mô tả cuộc thi mới"), "{page}");
    assert!(holds(&page, "rules", "Thể lệ cuộc thi mới"), "{page}");
    assert!(chosen(&page, "organizer_unit_id", &unit), "{page}");
}
