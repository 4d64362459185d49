//! Course materials, on both databases: organizers add files and links, reorder, edit and
//! remove them (audited); the course page and the personal page list what the viewer may see;
//! a delegate-only file is refused to others; the site search finds a public material without
//! diacritics and never shows a delegate-only one to a guest; bad input is refused with a
//! Vietnamese message and nothing stored.

mod common;

use std::io::Write;

use common::*;
use hoithi_storage::repo::courses::{self, materials};
use hoithi_web::courses::demo::{SLUG, outline_docx};

const ORGANIZER: (&str, &str) = ("bantochuc@hoithi.demo", "demo-bantochuc");

/// A PPTX of one slide per text (only the parts its reader needs).
fn pptx(slides: &[&str]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("ppt/presentation.xml", opts).unwrap();
    w.write_all(b"<p:presentation xmlns:p=\"p\"/>").unwrap();
    for (i, t) in slides.iter().enumerate() {
        w.start_file(format!("ppt/slides/slide{}.xml", i + 1), opts)
            .unwrap();
        write!(
            w,
            r#"<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{t}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
        )
        .unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An XLSX with one sheet of the given rows.
fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn course_id(app: &TestApp) -> i64 {
    courses::by_slug(&app.state.db, SLUG)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn count(app: &TestApp) -> usize {
    materials::list(&app.state.db, course_id(app).await)
        .await
        .unwrap()
        .len()
}

/// Posts the add form; returns the status, the location and the body.
async fn add(
    app: &TestApp,
    c: &reqwest::Client,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> (u16, String, String) {
    let token = app.session_csrf(c).await;
    let mut form = reqwest::multipart::Form::new().text("csrf", token);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    let res = c
        .post(app.url(&format!("/khoa-hoc/{SLUG}/tai-lieu")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, location, res.text().await.unwrap_or_default())
}

async fn by_title(app: &TestApp, title: &str) -> materials::Material {
    materials::list(&app.state.db, course_id(app).await)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.title == title)
        .unwrap_or_else(|| panic!("a material named {title}"))
}

async fn search(app: &TestApp, c: &reqwest::Client, q: &str) -> String {
    app.page(c, &format!("/tim-kiem?q={}", q.replace(' ', "+")))
        .await
}

#[tokio::test]
async fn organizers_add_reorder_edit_and_remove_materials_each_seen_by_whom_it_is_for() {
    let app = spawn_app().await;
    let org = app.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let guest = client();
    let before = count(&app).await;

    // A public outline (DOCX), slides for the delegates (PPTX), a table (XLSX) and a link.
    let outline = outline_docx(&[
        "# Phương pháp khảo sát sinh kế bền vững",
        "Ghi chép tại thôn, đối chiếu với số liệu của xã.",
    ]);
    let (status, location, body) = add(
        &app,
        &org,
        &[
            ("title", "Đề cương khảo sát sinh kế"),
            ("visibility", "public"),
            ("note", "Dùng khi triển khai ở chi bộ."),
        ],
        Some(("De cương khảo sát.docx", outline)),
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.ends_with("/tai-lieu?ok=tai-lieu"), "{location}");
    let page = app.page(&org, &location).await;
    assert!(page.contains("Đã thêm tài liệu."), "{page}");
    let slides = pptx(&["Bí quyết thuyết trình hùng biện", "Câu hỏi thảo luận"]);
    let (status, _, body) = add(
        &app,
        &org,
        &[("title", "Bài giảng nội bộ"), ("visibility", "delegates")],
        Some(("bai-giang.pptx", slides)),
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let table = xlsx(&[&["Đơn vị", "Số người"], &["Xã Thái Sơn", "120"]]);
    let (status, _, body) = add(
        &app,
        &org,
        &[("visibility", "public")],
        Some(("Bang so lieu.xlsx", table)),
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = add(
        &app,
        &org,
        &[
            ("title", "Văn bản hướng dẫn"),
            ("url", "https://tuyengiao.vn/van-ban"),
            ("visibility", "public"),
        ],
        None,
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(count(&app).await, before + 4);
    let outline = by_title(&app, "Đề cương khảo sát sinh kế").await;
    let private = by_title(&app, "Bài giảng nội bộ").await;
    assert_eq!(private.format, "PPTX");
    assert!(
        private.body.contains("thuyết trình hùng biện"),
        "{}",
        private.body
    );
    // The spreadsheet took its file's name and its cells are its text.
    let sheet = by_title(&app, "Bang so lieu").await;
    assert!(sheet.body.contains("Xã Thái Sơn"), "{}", sheet.body);
    let link = by_title(&app, "Văn bản hướng dẫn").await;

    // Every change is in the audit log, in its transaction.
    let audit =
        hoithi_storage::repo::audit::for_resource(&app.state.db, "course", course_id(&app).await)
            .await
            .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == "course.material.add")
            .count(),
        4
    );

    // The course page: a guest sees the public ones only; the file downloads with a clean name.
    let course_page = format!("/khoa-hoc/{SLUG}");
    let seen = app.page(&guest, &course_page).await;
    assert!(seen.contains("Đề cương khảo sát sinh kế") && seen.contains("Văn bản hướng dẫn"));
    assert!(
        !seen.contains("Bài giảng nội bộ"),
        "a guest sees no delegate-only material"
    );
    let res = guest
        .get(app.url(&format!("/khoa-hoc/{SLUG}/tai-lieu/{}", outline.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"de-cuong-khao-sat.docx\""),
        "{disposition}"
    );
    assert!(
        disposition
            .contains("filename*=UTF-8''De%20c%C6%B0%C6%A1ng%20kh%E1%BA%A3o%20s%C3%A1t.docx"),
        "{disposition}"
    );
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("wordprocessingml")
    );
    let res = guest
        .get(app.url(&format!("/khoa-hoc/{SLUG}/tai-lieu/{}", link.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "https://tuyengiao.vn/van-ban");

    // A delegate-only file: a guest is sent to sign in, another account refused.
    let private_path = format!("/khoa-hoc/{SLUG}/tai-lieu/{}", private.id);
    let res = guest.get(app.url(&private_path)).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/dang-nhap?next=")
    );
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let res = commune.get(app.url(&private_path)).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(
        !app.page(&commune, &course_page)
            .await
            .contains("Bài giảng nội bộ")
    );
    // The delegate with an account sees and opens it from the course page.
    let delegate = app.sign_in(PARTICIPANT.0, PARTICIPANT.1).await;
    assert!(
        app.page(&delegate, &course_page)
            .await
            .contains("Bài giảng nội bộ")
    );
    let res = delegate.get(app.url(&private_path)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    // A delegate without an account, through the personal link (and its cookie afterwards).
    let k = course_id(&app).await;
    let d = courses::delegates(&app.state.db, k)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.user_id.is_none() && hoithi_web::courses::service::is_active(d))
        .unwrap();
    let badge = hoithi_web::courses::service::signed_badge(&app.state, &d);
    let phone = client();
    let personal = app.page(&phone, &format!("/dai-bieu/{badge}")).await;
    assert!(
        personal.contains("Bài giảng nội bộ") && personal.contains("Đề cương khảo sát sinh kế")
    );
    let res = phone
        .get(app.url(&format!("/dai-bieu/{badge}/tai-lieu/{}", private.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    let res = phone.get(app.url(&private_path)).send().await.unwrap();
    assert_eq!(
        res.status(),
        200,
        "the phone holding the badge cookie opens it too"
    );
    // Another course's material is not this badge's.
    let res = phone
        .get(app.url(&format!("/dai-bieu/{badge}/tai-lieu/999999")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // The site search: a public material's words without diacritics find it; a guest never
    // finds the delegate-only one, its delegate does.
    app.wait_for_jobs(Some("search_index")).await;
    let found = search(&app, &guest, "phuong phap khao sat sinh ke").await;
    assert!(found.contains("Đề cương khảo sát sinh kế"), "{found}");
    assert!(found.contains(&format!("/khoa-hoc/{SLUG}/tai-lieu/{}", outline.id)));
    let hidden = search(&app, &guest, "bi quyet thuyet trinh hung bien").await;
    assert!(!hidden.contains("Bài giảng nội bộ"), "{hidden}");
    assert!(
        !search(&app, &commune, "thuyet trinh hung bien")
            .await
            .contains("Bài giảng nội bộ")
    );
    let mine = search(&app, &delegate, "thuyet trinh hung bien").await;
    assert!(mine.contains("Bài giảng nội bộ"), "{mine}");
    let staff = search(&app, &org, "thuyet trinh hung bien").await;
    assert!(
        staff.contains("Bài giảng nội bộ"),
        "its organizers find it: {staff}"
    );

    // Reorder: the link moves up one place.
    let token = app.session_csrf(&org).await;
    let res = org
        .post(app.url(&format!("/khoa-hoc/{SLUG}/tai-lieu/{}/thu-tu", link.id)))
        .form(&[("csrf", token.as_str()), ("dir", "len")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let order: Vec<i64> = materials::list(&app.state.db, k)
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    let at = |id| order.iter().position(|x| *x == id).unwrap();
    assert_eq!(at(link.id) + 1, at(sheet.id), "{order:?}");

    // Edit: an empty title is refused and what was typed stays; then it becomes public.
    let edit = format!("/khoa-hoc/{SLUG}/tai-lieu/{}/sua", private.id);
    let res = org
        .post(app.url(&edit))
        .form(&[
            ("csrf", token.as_str()),
            ("title", ""),
            ("note", "Ghi chú vừa gõ"),
            ("visibility", "public"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Vui lòng nhập tên tài liệu.") && body.contains("Ghi chú vừa gõ"));
    let res = org
        .post(app.url(&edit))
        .form(&[
            ("csrf", token.as_str()),
            ("title", "Bài giảng (công khai)"),
            ("visibility", "public"),
            ("session_id", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let res = guest.get(app.url(&private_path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "now public");
    app.wait_for_jobs(Some("search_index")).await;
    assert!(
        search(&app, &guest, "bi quyet thuyet trinh")
            .await
            .contains("Bài giảng (công khai)")
    );

    // Remove: gone from the lists, the download and the search.
    let res = org
        .post(app.url(&format!("/khoa-hoc/{SLUG}/tai-lieu/{}/xoa", outline.id)))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let res = guest
        .get(app.url(&format!("/khoa-hoc/{SLUG}/tai-lieu/{}", outline.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    app.wait_for_jobs(Some("search_index")).await;
    assert!(
        !search(&app, &guest, "phuong phap khao sat sinh ke")
            .await
            .contains("Đề cương khảo sát")
    );
    let audit = hoithi_storage::repo::audit::for_resource(&app.state.db, "course", k)
        .await
        .unwrap();
    for action in [
        "course.material.order",
        "course.material.edit",
        "course.material.remove",
    ] {
        assert!(audit.iter().any(|a| a.action == action), "{action}");
    }
}

/// A refused upload: what it is, its fields, its file, the message expected.
type Case = (
    &'static str,
    Vec<(&'static str, &'static str)>,
    Option<(&'static str, Vec<u8>)>,
    &'static str,
);

#[tokio::test]
async fn bad_materials_are_refused_in_vietnamese_and_nothing_is_stored() {
    let app = spawn_app().await;
    let org = app.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let before = count(&app).await;
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.extend(std::iter::repeat_n(0u8, 4096));
    let cases: Vec<Case> = vec![
        (
            "empty file",
            vec![],
            Some(("rong.pdf", Vec::new())),
            "Tệp rỗng.",
        ),
        (
            "fake PDF",
            vec![],
            Some((
                "gia.pdf",
                "Đây chỉ là chữ, không phải PDF.".as_bytes().to_vec(),
            )),
            "không phải là PDF hợp lệ",
        ),
        (
            "program renamed",
            vec![],
            Some(("bai-giang.pdf", exe.clone())),
            "Không nhận được tệp",
        ),
        (
            "program",
            vec![],
            Some(("cai-dat.exe", exe)),
            "Chỉ nhận tài liệu dạng DOCX, ODT, PDF, PPTX hoặc XLSX.",
        ),
        (
            "Word file renamed .pptx",
            vec![],
            Some(("slides.pptx", outline_docx(&["Một đoạn"]))),
            "không phải là PPTX hợp lệ",
        ),
        (
            "oversized",
            vec![],
            Some(("lon.pdf", vec![b'%'; 21 * 1024 * 1024])),
            "Tệp quá lớn (tối đa 20 MB).",
        ),
        (
            "javascript link",
            vec![("url", "javascript:alert(1)")],
            None,
            "Đường dẫn phải bắt đầu bằng http:// hoặc https://",
        ),
        (
            "data link",
            vec![("url", "data:text/html,<b>x</b>")],
            None,
            "Đường dẫn phải bắt đầu bằng http:// hoặc https://",
        ),
        (
            "link without host",
            vec![("url", "https:///duong-dan")],
            None,
            "Đường dẫn phải bắt đầu bằng http:// hoặc https://",
        ),
        (
            "nothing",
            vec![],
            None,
            "Vui lòng chọn tệp (DOCX, ODT, PDF, PPTX, XLSX) hoặc nhập đường dẫn.",
        ),
        (
            "file and link",
            vec![("url", "https://tuyengiao.vn")],
            Some(("a.docx", outline_docx(&["Một đoạn"]))),
            "Mỗi tài liệu là một tệp hoặc một đường dẫn",
        ),
        (
            "another course's session",
            vec![("url", "https://tuyengiao.vn"), ("session_id", "999999")],
            None,
            "Buổi học đã chọn không thuộc lớp này.",
        ),
        (
            "unknown visibility",
            vec![
                ("url", "https://tuyengiao.vn"),
                ("visibility", "moi-nguoi-tru-toi"),
            ],
            None,
            "Phạm vi xem phải là",
        ),
    ];
    for (what, mut fields, file, message) in cases {
        fields.push(("title", "Tên vừa gõ"));
        let (status, _, body) = add(&app, &org, &fields, file).await;
        assert_eq!(status, 422, "{what}: {body}");
        assert!(body.contains(message), "{what}: {message} in {body}");
        assert!(
            body.contains("value=\"Tên vừa gõ\""),
            "{what}: the title typed stays"
        );
        assert_eq!(count(&app).await, before, "{what}: nothing stored");
    }

    // Unknown ids and wrong roles.
    let guest = client();
    for path in [
        format!("/khoa-hoc/{SLUG}/tai-lieu/999999"),
        format!("/khoa-hoc/{SLUG}/tai-lieu/khong-co"),
        "/khoa-hoc/khong-co-lop/tai-lieu/1".to_string(),
        format!("/khoa-hoc/{SLUG}/tai-lieu/999999/sua"),
        "/dai-bieu/khong-phai-the/tai-lieu/1".to_string(),
    ] {
        let c = if path.ends_with("/sua") { &org } else { &guest };
        let status = c.get(app.url(&path)).send().await.unwrap().status();
        assert_eq!(status, 404, "{path}");
    }
    let token = app.session_csrf(&org).await;
    for path in ["999999/xoa", "999999/thu-tu", "abc/sua"] {
        let res = org
            .post(app.url(&format!("/khoa-hoc/{SLUG}/tai-lieu/{path}")))
            .form(&[("csrf", token.as_str()), ("dir", "len"), ("title", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let (status, _, _) = add(
        &app,
        &commune,
        &[("url", "https://tuyengiao.vn"), ("title", "Không được")],
        None,
    )
    .await;
    assert_eq!(status, 403);
    let delegate = app.sign_in(PARTICIPANT.0, PARTICIPANT.1).await;
    let (status, _, _) = add(
        &app,
        &delegate,
        &[("url", "https://tuyengiao.vn"), ("title", "Không được")],
        None,
    )
    .await;
    assert_eq!(status, 403);
    let some = materials::list(&app.state.db, course_id(&app).await)
        .await
        .unwrap()[0]
        .id;
    let token = app.session_csrf(&commune).await;
    let res = commune
        .post(app.url(&format!("/khoa-hoc/{SLUG}/tai-lieu/{some}/xoa")))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(count(&app).await, before);
}

#[tokio::test]
async fn the_api_lists_adds_and_removes_materials() {
    let app = spawn_app().await;
    let k = course_id(&app).await;
    let guest = client();
    let listed: serde_json::Value = guest
        .get(app.url(&format!("/api/v1/courses/{k}/materials")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let public = listed.as_array().unwrap();
    assert!(!public.is_empty());
    assert!(
        public.iter().all(|m| m["visibility"] == "public"),
        "{listed}"
    );
    let org = app.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let token = app.session_csrf(&org).await;
    let all: serde_json::Value = org
        .get(app.url(&format!("/api/v1/courses/{k}/materials")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(all.as_array().unwrap().len() > public.len());
    let form = reqwest::multipart::Form::new()
        .text("title", "Lịch học chi tiết")
        .text("visibility", "delegates")
        .part(
            "file",
            reqwest::multipart::Part::bytes(outline_docx(&["Buổi chiều: thảo luận tổ."]))
                .file_name("lich.docx"),
        );
    let res = org
        .post(app.url(&format!("/api/v1/courses/{k}/materials")))
        .header("x-csrf-token", &token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let made: serde_json::Value = res.json().await.unwrap();
    assert_eq!(made["format"], "DOCX");
    assert_eq!(made["visibility"], "delegates");
    let id = made["id"].as_i64().unwrap();
    // Bad input through the API: the same Vietnamese message, as JSON.
    let res = org
        .post(app.url(&format!("/api/v1/courses/{k}/materials")))
        .header("x-csrf-token", &token)
        .multipart(reqwest::multipart::Form::new().text("url", "javascript:alert(1)"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("http://")
    );
    // Others may not remove it; its organizer may, once.
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let ctoken = app.session_csrf(&commune).await;
    let res = commune
        .delete(app.url(&format!("/api/v1/courses/{k}/materials/{id}")))
        .header("x-csrf-token", &ctoken)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = org
        .delete(app.url(&format!("/api/v1/courses/{k}/materials/{id}")))
        .header("x-csrf-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = org
        .delete(app.url(&format!("/api/v1/courses/{k}/materials/{id}")))
        .header("x-csrf-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
