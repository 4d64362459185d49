//! Helpers for tests that submit contest entries: a DOCX maker, the submission form, and
//! readers for receipts.

use super::TestApp;
use hoithi_storage::repo::contests;

pub const SLUG: &str = "chinh-luan-2026";

pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o).unwrap();
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
        z.start_file("_rels/.rels", o).unwrap();
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#).unwrap();
        z.start_file("word/document.xml", o).unwrap();
        let body: String = paragraphs
            .iter()
            .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
            .collect();
        z.write_all(format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#).as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

pub struct Form {
    pub fields: Vec<(&'static str, String)>,
    pub file: Option<(String, Vec<u8>)>,
    pub csrf: bool,
}

pub async fn submit(app: &TestApp, c: &reqwest::Client, slug: &str, f: Form) -> (u16, String) {
    let token = app.csrf(c).await;
    let mut form = reqwest::multipart::Form::new();
    if f.csrf {
        form = form.text("csrf", token);
    }
    for (k, v) in f.fields {
        form = form.text(k, v);
    }
    if let Some((name, bytes)) = f.file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        );
    }
    let res = c
        .post(app.url(&format!("/cuoc-thi/{slug}/gui-bai")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    receipt_after(app, c, res).await
}

/// A sent form answers with a redirect to the receipt (post/redirect/get): follows it, so a
/// test reads the receipt page as the browser shows it. Anything else is returned as it is.
pub async fn receipt_after(
    app: &TestApp,
    c: &reqwest::Client,
    res: reqwest::Response,
) -> (u16, String) {
    if res.status().as_u16() == 303 {
        let to = res.headers()["location"].to_str().unwrap().to_string();
        assert!(to.contains("/bien-nhan?k="), "redirected to {to}");
        let page = c.get(app.url(&to)).send().await.unwrap();
        return (page.status().as_u16(), page.text().await.unwrap());
    }
    (res.status().as_u16(), res.text().await.unwrap())
}

pub async fn base_fields(app: &TestApp, title: &str, name: &str) -> Vec<(&'static str, String)> {
    let k = contests::by_slug(&app.state.db, SLUG).await.unwrap();
    let genre = contests::genres(&app.state.db, k.id).await.unwrap()[0].id;
    let group = contests::groups(&app.state.db, k.id).await.unwrap()[2].id;
    vec![
        ("genre_id", genre.to_string()),
        ("unit_id", app.unit_id("HY-THAISON").await.to_string()),
        ("title", title.to_string()),
        ("pen_name", "Sơn Khê".into()),
        ("a0_name", name.to_string()),
        ("a0_birth", "1988".into()),
        ("a0_work", "Trường THCS Thái Sơn".into()),
        ("a0_group", group.to_string()),
        ("a0_phone", "0987 654 321".into()),
        ("a0_email", "hoa.ma@example.vn".into()),
        ("confirm_unpublished", "1".into()),
        ("confirm_not_staff", "1".into()),
    ]
}

pub fn essay(words: usize) -> Vec<String> {
    let sentence =
        "Niềm tin của nhân dân vào Đảng được vun đắp từ những việc làm cụ thể ở thôn bản";
    let per = sentence.split(' ').count();
    (0..words.div_ceil(per * 5))
        .map(|_| [sentence; 5].join(". "))
        .collect()
}

/// The receipt code shown on a receipt page.
pub fn code_of(html: &str) -> String {
    html.split("class=\"code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string()
}

pub fn link_of(html: &str) -> String {
    let start = html.find("/bai-du-thi/").unwrap();
    html[start..]
        .split(['"', '<'])
        .next()
        .unwrap()
        .replace("&amp;", "&")
}
