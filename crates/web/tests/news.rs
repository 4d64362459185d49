//! News end to end through the real server, on SQLite and (HOITHI_TEST_DATABASE=postgres)
//! PostgreSQL: an editor writes and sends a post for approval, an editor cannot publish, the
//! approver publishes, readers find it (home, category, search without diacritics, feed) with
//! 304 answers to a repeated request; hostile text never reaches a reader; hostile files are
//! refused with a message and leave nothing stored; a unit's editors see only their unit's
//! posts.

mod common;

use common::demo::post_form;
use common::*;
use hoithi_storage::repo::news;
use hoithi_storage::status::NewsStatus;

const EDITOR: (&str, &str) = ("bientap.hamyen@hoithi.demo", "demo-bientap");
const APPROVER: (&str, &str) = ("duyet.hamyen@hoithi.demo", "demo-duyet");

const XSS: &[&str] = &[
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">bấm</a>",
    "[bấm vào đây](javascript:alert(1))",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<style>body{display:none}</style>",
    "<p style=\"background:url(javascript:alert(1))\">nền</p>",
    "<svg onload=alert(1)><circle r=5 /></svg>",
    "<div onmouseover=\"alert(1)\">rê chuột</div>",
    "<a href=\"JaVaScRiPt:alert(1)\">hoa thường</a>",
    "<a href=\"&#106;avascript:alert(1)\">thực thể</a>",
    "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
    "<form action=\"https://evil.example\"><input name=p></form>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
];

const FORBIDDEN_IN_OUTPUT: &[&str] = &[
    "<script",
    "onerror",
    "onload",
    "onmouseover",
    "javascript:",
    "<iframe",
    "<style",
    "style=",
    "<svg",
    "<object",
    "<embed",
    "<form action=\"https://evil",
    "<base",
    "http-equiv",
    "xlink:href",
];

fn assert_clean(html: &str, what: &str) {
    let lower = html.to_lowercase();
    for bad in FORBIDDEN_IN_OUTPUT {
        assert!(!lower.contains(bad), "{what} lets {bad} through");
    }
}

async fn district_category(app: &TestApp) -> i64 {
    let unit = app.unit_id("HY").await;
    news::categories(&app.state.db, Some(&[unit]))
        .await
        .unwrap()[0]
        .id
}

/// Writes a post through the form; returns its id.
async fn write(app: &TestApp, c: &reqwest::Client, title: &str, body: &str) -> i64 {
    let unit = app.unit_id("HY").await.to_string();
    let cat = district_category(app).await.to_string();
    let (status, page) = post_form(
        app,
        c,
        "/bien-tap/moi",
        &[
            ("unit_id", &unit),
            ("title", title),
            ("lead", "Sapo của bài."),
            ("body", body),
            ("byline", "Minh Khuê"),
            ("category", &cat),
            ("tags", "Hàm Yên"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{page}");
    let p = news::for_units(&app.state.db, None, None, 500)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.title == title)
        .expect("the post is stored");
    p.id
}

async fn status_of(app: &TestApp, id: i64) -> NewsStatus {
    news::post(&app.state.db, id).await.unwrap().status
}

/// A small real PNG.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        let data: Vec<u8> = (0..w * h * 3).map(|i| (i % 251) as u8).collect();
        wr.write_image_data(&data).unwrap();
    }
    out
}

/// A real JPEG (hoithi-media's copy of a PNG).
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let out = hoithi_media::process(&png(w, h), &hoithi_media::Limits::default()).unwrap();
    out.variants
        .into_iter()
        .find(|v| v.mime == "image/jpeg")
        .expect("a JPEG copy")
        .bytes
}

/// A JPEG carrying an EXIF block (a camera's, with its "GPS" marker) right after its start.
fn jpeg_with_exif() -> Vec<u8> {
    let plain = jpeg(400, 300);
    let mut tiff = b"Exif\0\0MM\0*\0\0\0\x08\0\0\0\0\0\0".to_vec();
    tiff.extend_from_slice(b"GPSLatitude 21.8N GPSLongitude 105.0E");
    let len = (tiff.len() + 2) as u16;
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&plain[2..]);
    out
}

/// A PNG whose header claims 30,000 × 30,000 pixels (a decompression bomb's header).
fn png_bomb_header() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 30_000, 30_000);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        // A few rows only: the header is what must be refused.
        let mut stream = wr.stream_writer().unwrap();
        use std::io::Write;
        let _ = stream.write_all(&vec![0u8; 30_001 * 4]);
        std::mem::forget(stream);
    }
    out
}

async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    id: i64,
    name: &str,
    bytes: Vec<u8>,
    caption: &str,
    alt: &str,
) -> (u16, String) {
    let token = app.session_csrf(c).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", token)
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        )
        .text("caption", caption.to_string())
        .text("alt", alt.to_string());
    let res = c
        .post(app.url(&format!("/bien-tap/{id}/anh")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

#[tokio::test]
async fn an_editor_writes_the_approver_publishes_and_readers_find_it() {
    let app = spawn_app().await;
    let editor = app.sign_in(EDITOR.0, EDITOR.1).await;
    let title = "Hàm Yên tổng kết lớp bồi dưỡng báo cáo viên cơ sở";
    let id = write(
        &app,
        &editor,
        title,
        "Đoạn một về **lớp học**.\n\nĐoạn hai về cuộc thi.",
    )
    .await;
    assert_eq!(status_of(&app, id).await, NewsStatus::Draft);
    let slug = news::post(&app.state.db, id).await.unwrap().slug;
    assert_eq!(slug, "ham-yen-tong-ket-lop-boi-duong-bao-cao-vien-co-so");
    // A draft is not public.
    let anon = client();
    let res = anon
        .get(app.url(&format!("/tin/{slug}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // An edit keeps a revision, and the diff shows it.
    let unit = app.unit_id("HY").await.to_string();
    let (status, _) = post_form(
        &app,
        &editor,
        &format!("/bien-tap/{id}"),
        &[
            ("unit_id", &unit),
            ("title", title),
            ("lead", "Sapo của bài."),
            ("body", "Đoạn một về **lớp học**.\n\nĐoạn ba, viết lại."),
            ("byline", "Minh Khuê"),
            ("category", &district_category(&app).await.to_string()),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(news::revisions(&app.state.db, id).await.unwrap().len(), 2);
    let diff = app
        .page(&editor, &format!("/bien-tap/{id}/phien-ban"))
        .await;
    assert!(diff.contains("<del>Đoạn hai về cuộc thi.</del>"), "{diff}");
    assert!(diff.contains("<ins>Đoạn ba, viết lại.</ins>"), "{diff}");

    // The editor sends it for approval but cannot publish.
    let (status, _) = post_form(
        &app,
        &editor,
        &format!("/bien-tap/{id}/trang-thai"),
        &[("to", "gui")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(status_of(&app, id).await, NewsStatus::AwaitingApproval);
    let (status, _) = post_form(
        &app,
        &editor,
        &format!("/bien-tap/{id}/trang-thai"),
        &[("to", "dang")],
    )
    .await;
    assert_eq!(status, 403, "an editor without the approver role publishes");
    assert_eq!(status_of(&app, id).await, NewsStatus::AwaitingApproval);
    // Nor does the district's unit administrator, without the role.
    let admin = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let (status, _) = post_form(
        &app,
        &admin,
        &format!("/bien-tap/{id}/trang-thai"),
        &[("to", "dang")],
    )
    .await;
    assert_eq!(status, 403);

    // The approver sees it waiting and publishes it.
    let approver = app.sign_in(APPROVER.0, APPROVER.1).await;
    let dash = app.page(&approver, "/bien-tap").await;
    assert!(dash.contains(title));
    let (status, _) = post_form(
        &app,
        &approver,
        &format!("/bien-tap/{id}/trang-thai"),
        &[("to", "dang")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(status_of(&app, id).await, NewsStatus::Published);

    // Readers: the post page, the home page, the category, the feed, the search.
    let page = app.page(&anon, &format!("/tin/{slug}")).await;
    assert!(page.contains(title));
    assert!(page.contains("<strong>lớp học</strong>"));
    assert!(page.contains("property=\"og:title\""));
    assert!(page.contains("name=\"twitter:card\""));
    assert!(
        page.contains("Tin cùng chuyên mục"),
        "the category's other posts are listed"
    );
    assert!(app.page(&anon, "/").await.contains(title));
    let cat = news::category_by_slug(&app.state.db, "tin-tuc-su-kien")
        .await
        .unwrap();
    assert!(
        app.page(&anon, "/tin-tuc/chuyen-muc/tin-tuc-su-kien")
            .await
            .contains(title)
    );
    let feed = app
        .page(&anon, &format!("/tin-tuc/chuyen-muc/{}/feed.xml", cat.slug))
        .await;
    let doc = roxmltree::Document::parse(&feed).expect("the feed is XML");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|c| c.has_tag_name("title")))
        .filter_map(|t| t.text())
        .collect();
    assert!(titles.contains(&title), "{titles:?}");
    let unit_feed = app
        .page(&anon, &format!("/tin-tuc/don-vi/{unit}/feed.xml"))
        .await;
    roxmltree::Document::parse(&unit_feed).expect("the unit's feed is XML");
    let sitemap = app.page(&anon, "/sitemap.xml").await;
    roxmltree::Document::parse(&sitemap).expect("the sitemap is XML");
    assert!(sitemap.contains(&format!("/tin/{slug}")));
    let robots = app.page(&anon, "/robots.txt").await;
    assert!(robots.contains("Disallow: /bien-tap") && robots.contains("/sitemap.xml"));
    assert!(
        !robots.contains("Disallow: /tin\n"),
        "the posts stay open to crawlers"
    );
    app.wait_for_jobs(None).await;
    let found = app
        .page(&anon, "/tin-tuc/tim-kiem?q=tong+ket+lop+boi+duong")
        .await;
    assert!(found.contains(title), "search without diacritics finds it");

    // A repeated request is answered 304 by its ETag; a change renews it.
    let res = anon
        .get(app.url(&format!("/tin/{slug}")))
        .send()
        .await
        .unwrap();
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    assert!(res.headers().contains_key("last-modified"));
    let res = anon
        .get(app.url(&format!("/tin/{slug}")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    let (status, _) = post_form(
        &app,
        &approver,
        &format!("/bien-tap/{id}/trang-thai"),
        &[("to", "go")],
    )
    .await;
    assert_eq!(status, 303);
    let res = anon
        .get(app.url(&format!("/tin/{slug}")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404, "a post taken down is gone at once");
}

#[tokio::test]
async fn hostile_text_in_bodies_and_captions_never_reaches_a_reader() {
    let app = spawn_app().await;
    let approver = app.sign_in(APPROVER.0, APPROVER.1).await;
    let body = XSS.join("\n\n");
    let id = write(&app, &approver, "Bài thử mã độc", &body).await;
    let p = news::post(&app.state.db, id).await.unwrap();
    assert_clean(&p.body_html, "the stored body");
    for (i, payload) in XSS.iter().enumerate() {
        let (status, page) = upload(
            &app,
            &approver,
            id,
            &format!("anh{i}.png"),
            png(8, 8),
            payload,
            "Ảnh thử",
        )
        .await;
        assert_eq!(status, 303, "{page}");
    }
    for ph in news::photos(&app.state.db, &[id]).await.unwrap() {
        assert_clean(&ph.caption_html, "a stored caption");
    }
    app.wait_for_jobs(None).await;
    let (status, _) = post_form(
        &app,
        &approver,
        &format!("/bien-tap/{id}/trang-thai"),
        &[("to", "dang")],
    )
    .await;
    assert_eq!(status, 303);
    let page = app.page(&client(), &format!("/tin/{}", p.slug)).await;
    let article = page.split("<article").nth(1).unwrap();
    assert_clean(article, "the post page");
    let editor_page = app.page(&approver, &format!("/bien-tap/{id}")).await;
    let form = editor_page.split("<main").nth(1).unwrap();
    assert!(
        !form.contains("<script>alert"),
        "the editor's form escapes what was typed"
    );
}

#[tokio::test]
async fn hostile_files_are_refused_with_a_message_and_nothing_is_stored() {
    let app = spawn_app().await;
    let editor = app.sign_in(EDITOR.0, EDITOR.1).await;
    let id = write(&app, &editor, "Bài thử ảnh xấu", "Nội dung.").await;
    let whole = jpeg(640, 480);
    let truncated_jpeg = whole[..whole.len() / 2].to_vec();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("gia.jpg", "đây không phải là ảnh".as_bytes().to_vec()),
        ("bom.png", png_bomb_header()),
        ("cut.jpg", truncated_jpeg),
        ("lon.png", {
            let mut b = png(4, 4);
            b.resize(25 * 1024 * 1024 + 10, 0);
            b
        }),
    ];
    for (name, bytes) in cases {
        let (status, page) = upload(&app, &editor, id, name, bytes, "Chú thích", "Mô tả").await;
        assert!(status == 422 || status == 413, "{name}: status {status}");
        if status == 422 {
            assert!(page.contains("class=\"error\""), "{name}: {page}");
        }
        assert!(
            news::photos(&app.state.db, &[id]).await.unwrap().is_empty(),
            "{name}: nothing is stored"
        );
    }
}

#[tokio::test]
async fn a_units_editors_see_only_its_posts_and_bad_input_is_explained() {
    let app = spawn_app().await;
    let district_post = news::for_units(&app.state.db, Some(&[app.unit_id("HY").await]), None, 1)
        .await
        .unwrap()[0]
        .id;
    // The commune's administrator writes for the commune only.
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let res = commune
        .get(app.url(&format!("/bien-tap/{district_post}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let list = app.page(&commune, "/bien-tap").await;
    assert!(
        !list.contains("Hàm Yên mở lớp bồi dưỡng"),
        "the district's posts are not listed"
    );
    // A participant has no editing pages at all.
    let participant = app.sign_in(PARTICIPANT.0, PARTICIPANT.1).await;
    let res = participant.get(app.url("/bien-tap")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    // A post without a title is refused beside the form, with what was typed kept.
    let editor = app.sign_in(EDITOR.0, EDITOR.1).await;
    let unit = app.unit_id("HY").await.to_string();
    let (status, page) = post_form(
        &app,
        &editor,
        "/bien-tap/moi",
        &[
            ("unit_id", &unit),
            ("title", "  "),
            ("body", "Nội dung đã gõ."),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("Vui lòng nhập tiêu đề."));
    assert!(page.contains("Nội dung đã gõ."));
    // A category of another unit, an unknown post, an unknown action.
    let other_cat = news::categories(&app.state.db, Some(&[app.unit_id("HY-THAISON").await]))
        .await
        .unwrap()[0]
        .id
        .to_string();
    let (status, page) = post_form(
        &app,
        &editor,
        "/bien-tap/moi",
        &[
            ("unit_id", &unit),
            ("title", "Tiêu đề"),
            ("body", "Nội dung."),
            ("category", &other_cat),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Chuyên mục không thuộc đơn vị của bài."),
        "{page}"
    );
    let res = editor
        .get(app.url("/bien-tap/999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let (status, _) = post_form(
        &app,
        &editor,
        &format!("/bien-tap/{district_post}/trang-thai"),
        &[("to", "xoa")],
    )
    .await;
    assert_eq!(status, 422);
    // Publishing through the API without the role is refused too.
    let token = app.session_csrf(&editor).await;
    let res = editor
        .post(app.url(&format!("/api/v1/news/posts/{district_post}/publish")))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn the_demo_story_is_published_with_its_two_captioned_photos() {
    let app = spawn_app().await;
    app.wait_for_jobs(None).await;
    let anon = client();
    let home = app.page(&anon, "/").await;
    assert!(home.contains("Hàm Yên mở lớp bồi dưỡng"));
    let list = news::published(
        &app.state.db,
        hoithi_storage::time::now(),
        Default::default(),
        1,
        50,
    )
    .await
    .unwrap();
    assert!(list.total >= 10, "about ten posts: {}", list.total);
    let story = list
        .items
        .iter()
        .find(|p| p.title.starts_with("Hàm Yên mở lớp"))
        .unwrap();
    let page = app.page(&anon, &format!("/tin/{}", story.slug)).await;
    assert!(page.contains("Toàn cảnh lớp bồi dưỡng"));
    assert!(page.contains("Các đại biểu dự lớp bồi dưỡng."));
    assert!(page.contains("Minh Khuê"));
    assert!(page.contains("/cuoc-thi/chinh-luan-2026"));
    let course = format!("/khoa-hoc/{}", hoithi_web::courses::demo::SLUG);
    assert!(
        page.contains(&format!("href=\"{course}\"")),
        "the story links its course"
    );
    // The contest and the course list the story on their pages.
    for linked in ["/cuoc-thi/chinh-luan-2026".to_string(), course] {
        let p = app.page(&anon, &linked).await;
        assert!(
            p.contains(&format!("/tin/{}", story.slug)),
            "{linked} lists the story"
        );
    }
    let awaiting = news::for_units(&app.state.db, None, Some(NewsStatus::AwaitingApproval), 10)
        .await
        .unwrap();
    assert_eq!(awaiting.len(), 1);
}

#[tokio::test]
async fn served_photos_carry_no_exif_and_come_in_several_widths() {
    let app = spawn_app().await;
    let editor = app.sign_in(EDITOR.0, EDITOR.1).await;
    let id = write(
        &app,
        &editor,
        "Bài thử ảnh có EXIF",
        "Nội dung.\n\n[[anh 1]]",
    )
    .await;
    let with_exif = jpeg_with_exif();
    assert!(with_exif.windows(4).any(|w| w == b"Exif"));
    let (status, page) = upload(
        &app,
        &editor,
        id,
        "may-anh.jpg",
        with_exif,
        "Ảnh chụp",
        "Mô tả",
    )
    .await;
    assert_eq!(status, 303, "{page}");
    app.wait_for_jobs(None).await;
    let ph = news::photos(&app.state.db, &[id]).await.unwrap().remove(0);
    let variants = hoithi_web::news::photos::service::variants(&ph);
    assert!(
        variants.iter().any(|v| v.mime == "image/webp"),
        "{variants:?}"
    );
    assert!(
        variants.iter().any(|v| v.mime == "image/jpeg"),
        "{variants:?}"
    );
    // A draft's photos are for its editors only.
    let anon = client();
    let first = format!("/tin-anh/{}/{}", ph.id, variants[0].file);
    assert_eq!(
        anon.get(app.url(&first)).send().await.unwrap().status(),
        404
    );
    assert_eq!(
        editor.get(app.url(&first)).send().await.unwrap().status(),
        200
    );
    for v in &variants {
        let bytes = editor
            .get(app.url(&format!("/tin-anh/{}/{}", ph.id, v.file)))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(!bytes.is_empty());
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif"),
            "{} carries EXIF",
            v.file
        );
        assert!(
            !bytes.windows(3).any(|w| w == b"GPS"),
            "{} carries GPS",
            v.file
        );
    }
    // The editor's page shows the photo placed by its marker.
    let page = app.page(&editor, &format!("/bien-tap/{id}")).await;
    assert!(page.contains(&format!("/tin-anh/{}/", ph.id)));
}
