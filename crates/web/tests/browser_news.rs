//! The news issue's "done means", in a real browser on a 360 px phone: the Hàm Yên district's
//! editor imports a post from a DOCX with two pictures, captions them and gives their alt text,
//! sends it for approval; the approver publishes it; an anonymous reader finds it on the home
//! page, in its category, by a search without diacritics and in the category's feed; the photos
//! served carry no EXIF; "Tin cùng chuyên mục" lists the category's other posts. (The course's
//! page, reached from the post's "Bài viết về" link, lists the post too.) Skips, saying so, when chromium or
//! chromedriver is missing.

mod common;

use std::io::Write;

use common::browser::*;
use common::*;
use fantoccini::{Client, Locator};
use hoithi_storage::repo::news;

const TITLE: &str = "Hàm Yên tập huấn cộng tác viên dư luận xã hội năm 2026";

fn png(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        let data: Vec<u8> = (0..w * h * 3)
            .map(|i| ((i / 3 % w) as u8).wrapping_mul(seed))
            .collect();
        wr.write_image_data(&data).unwrap();
    }
    out
}

fn drawing(rid: &str, n: u32, descr: &str) -> String {
    format!(
        r#"<w:r><w:drawing><wp:inline><wp:extent cx="3000000" cy="2000000"/><wp:docPr id="{n}" name="Picture {n}" descr="{descr}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
    )
}

/// A DOCX written by hand: a title, paragraphs with bold and italic, a list, and two pictures.
fn docx() -> Vec<u8> {
    let para = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    let body = [
        para(TITLE),
        "<w:p><w:r><w:t xml:space=\"preserve\">Sáng nay, huyện Hàm Yên tổ chức lớp </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>tập huấn</w:t></w:r><w:r><w:t xml:space=\"preserve\"> cho cộng tác viên.</w:t></w:r></w:p>".to_string(),
        format!("<w:p>{}</w:p>", drawing("rIdImg1", 1, "Hội trường lớp tập huấn")),
        para("Học viên thảo luận về cách kiểm chứng thông tin trên mạng xã hội."),
        format!("<w:p>{}</w:p>", drawing("rIdImg2", 2, "Học viên phát biểu")),
        para("Lớp học kết thúc với bài kiểm tra cuối khóa."),
    ]
    .join("");
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>{body}</w:body></w:document>"#
    );
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdImg1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/><Relationship Id="rIdImg2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image2.png"/></Relationships>"#;
    let types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let root_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        for (name, bytes) in [
            ("[Content_Types].xml", types.as_bytes().to_vec()),
            ("_rels/.rels", root_rels.as_bytes().to_vec()),
            ("word/document.xml", document.into_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes().to_vec()),
            ("word/media/image1.png", png(640, 420, 3)),
            ("word/media/image2.png", png(600, 400, 7)),
        ] {
            z.start_file(name, o).unwrap();
            z.write_all(&bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

async fn click_link(b: &Client, text: &str) {
    b.wait()
        .for_element(Locator::LinkText(text))
        .await
        .unwrap_or_else(|e| panic!("link {text}: {e}"))
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn on_a_phone_an_editor_imports_a_docx_the_approver_publishes_and_readers_find_it() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app().await;
    app.wait_for_jobs(None).await;
    let profile = tempfile::tempdir().unwrap();
    let b = phone(&driver, profile.path()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bai-tap-huan.docx");
    std::fs::write(&file, docx()).unwrap();

    // The editor: from the home page to the import, then captions and alt text.
    sign_in(&b, &app, "bientap.hamyen@hoithi.demo", "demo-bientap").await;
    b.goto(&app.url("/")).await.unwrap();
    click_link(&b, "Biên tập tin tức").await;
    fits_the_screen(&b, "the editors' list").await;
    click_link(&b, "Nhập bài từ tệp DOCX/ODT").await;
    css(&b, "input[type=file]")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    type_into(&b, "#byline", "Thu Trang").await;
    click(&b, "form[action='/bien-tap/nhap-docx'] button[type=submit]").await;
    css(&b, "#status").await;
    fits_the_screen(&b, "the writing form").await;
    let post = news::for_units(&app.state.db, None, None, 500)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.title == TITLE)
        .expect("the imported post");
    assert!(post.body.contains("**tập huấn**"), "{}", post.body);
    // Pictures of the DOCX became the post's photos (or, before they do, are uploaded here).
    let mut photos = news::photos(&app.state.db, &[post.id]).await.unwrap();
    if photos.is_empty() {
        for (n, seed) in [(1, 3u8), (2, 7)] {
            let f = dir.path().join(format!("anh{n}.png"));
            std::fs::write(&f, png(640, 420, seed)).unwrap();
            css(&b, "form[enctype='multipart/form-data'] input[type=file]")
                .await
                .send_keys(f.to_str().unwrap())
                .await
                .unwrap();
            click(
                &b,
                "form[enctype='multipart/form-data'] button[type=submit]",
            )
            .await;
            css(&b, "#status").await;
        }
        photos = news::photos(&app.state.db, &[post.id]).await.unwrap();
    }
    assert_eq!(photos.len(), 2);
    app.wait_for_jobs(None).await;
    for (ph, (caption, alt)) in photos.iter().zip([
        (
            "Toàn cảnh lớp tập huấn.",
            "Hội trường với các hàng ghế học viên",
        ),
        ("Các đại biểu dự lớp tập huấn.", "Đại biểu ngồi dự lớp"),
    ]) {
        b.goto(&app.url(&format!("/bien-tap/{}", post.id)))
            .await
            .unwrap();
        let cap = css(&b, &format!("#caption{}", ph.id)).await;
        cap.clear().await.unwrap();
        cap.send_keys(caption).await.unwrap();
        let a = css(&b, &format!("#alt{}", ph.id)).await;
        a.clear().await.unwrap();
        a.send_keys(alt).await.unwrap();
        click(
            &b,
            &format!("form[action='/bien-tap/{}/anh/{}'] button", post.id, ph.id),
        )
        .await;
        css(&b, "#status").await;
    }
    // Into a category, then off to the approver.
    b.goto(&app.url(&format!("/bien-tap/{}", post.id)))
        .await
        .unwrap();
    click(&b, "input[name=category]").await;
    let course =
        hoithi_storage::repo::courses::by_slug(&app.state.db, hoithi_web::courses::demo::SLUG)
            .await
            .unwrap()
            .unwrap();
    click(&b, &format!("input[name=course][value='{}']", course.id)).await;
    click(
        &b,
        &format!("form[action='/bien-tap/{}'] button[type=submit]", post.id),
    )
    .await;
    css(&b, "#status").await;
    click(&b, "input[name=to][value=gui] + button").await;
    wait_for_text(&b, "Chờ duyệt").await;

    // The approver publishes it.
    sign_in(&b, &app, "duyet.hamyen@hoithi.demo", "demo-duyet").await;
    b.goto(&app.url("/bien-tap")).await.unwrap();
    click_link(&b, TITLE).await;
    click(&b, "input[name=to][value=dang] ~ button").await;
    css(&b, "#status").await;
    wait_for_text(&b, "Đã đăng").await;

    // An anonymous reader.
    b.delete_all_cookies().await.unwrap();
    b.goto(&app.url("/")).await.unwrap();
    fits_the_screen(&b, "the home page").await;
    click_link(&b, TITLE).await;
    fits_the_screen(&b, "the post page").await;
    let post_url = b.current_url().await.unwrap().to_string();
    let text = body_text(&b).await;
    assert!(text.contains("Toàn cảnh lớp tập huấn."));
    assert!(text.contains("Các đại biểu dự lớp tập huấn."));
    assert!(text.contains("Thu Trang"));
    assert!(text.contains("Tin cùng chuyên mục"));
    let srcs: Vec<String> = {
        let imgs = b
            .find_all(Locator::Css("article figure img"))
            .await
            .unwrap();
        let mut v = Vec::new();
        for i in imgs {
            v.push(i.attr("src").await.unwrap().unwrap_or_default());
        }
        v
    };
    assert_eq!(srcs.len(), 2, "both photos are shown");
    for src in &srcs {
        let bytes = client()
            .get(app.url(src))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif"),
            "{src} carries no EXIF"
        );
    }
    // The category, the search without diacritics, the feed.
    click(&b, "p.crumbs a:nth-of-type(2)").await;
    fits_the_screen(&b, "the category").await;
    assert!(body_text(&b).await.contains(TITLE));
    let category_url = b.current_url().await.unwrap().to_string();
    type_into(&b, "#q", "cong tac vien du luan ham yen").await;
    click(&b, "form[role=search] button").await;
    let found = app
        .wait_until(
            "the search finds the post",
            std::time::Duration::from_secs(30),
            || {
                let b = b.clone();
                async move {
                    let t = body_text(&b).await;
                    if t.contains(TITLE) {
                        Some(())
                    } else {
                        b.refresh().await.unwrap();
                        None
                    }
                }
            },
        )
        .await;
    let () = found;
    fits_the_screen(&b, "the search").await;
    let feed = client()
        .get(format!("{category_url}/feed.xml"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(feed.contains(TITLE), "the category's feed lists it");
    // The course the post reports lists it.
    b.goto(&post_url).await.unwrap();
    click_link(&b, &course.title).await;
    fits_the_screen(&b, "the course").await;
    assert!(
        body_text(&b).await.contains(TITLE),
        "the course's page lists the post"
    );
    b.close().await.unwrap();
}
