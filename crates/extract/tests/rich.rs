//! Structured reading of DOCX and ODT for news posts: files built here.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use hoithi_extract::rich::{self, MAX_PICTURES};
use hoithi_extract::{ExtractError, Format, Legacy, Limits};
use zip::write::SimpleFileOptions;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

fn timed<T>(f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
    out
}

/// Bytes that stand for a picture (the reader does not decode pictures).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\nnot really pixels";
const JPG: &[u8] = b"\xFF\xD8\xFFalso not pixels";

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;

const STYLES: &str = r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="u2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>"#;

const NUMBERING: &str = r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>"#;

const RELS: &str = r#"<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://hamyen.example.vn/tin-tuc?id=1" TargetMode="External"/>
<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="javascript:alert(1)" TargetMode="External"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>
<Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image2.jpeg"/>
<Relationship Id="rId11" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/missing.png"/>"#;

fn docx_with(body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
    );
    let styles = format!(r#"<?xml version="1.0"?><w:styles {NS}>{STYLES}</w:styles>"#);
    let numbering = format!(r#"<?xml version="1.0"?><w:numbering {NS}>{NUMBERING}</w:numbering>"#);
    let rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{RELS}</Relationships>"#
    );
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("word/document.xml", doc.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/numbering.xml", numbering.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/media/image1.png", PNG),
        ("word/media/image2.jpeg", JPG),
    ];
    entries.extend_from_slice(extra);
    zip_of(&entries)
}

fn r(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

fn r_props(props: &str, text: &str) -> String {
    format!(r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

fn p(style: Option<&str>, runs: &str) -> String {
    match style {
        Some(s) => format!(r#"<w:p><w:pPr><w:pStyle w:val="{s}"/></w:pPr>{runs}</w:p>"#),
        None => format!("<w:p>{runs}</w:p>"),
    }
}

fn list_p(num: u32, level: u32, runs: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{runs}</w:p>"#
    )
}

fn drawing(rid: &str, name: &str, descr: &str) -> String {
    format!(
        r#"<w:r><w:drawing><wp:inline><wp:extent cx="100" cy="100"/><wp:docPr id="1" name="{name}" descr="{descr}"/><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
    )
}

#[test]
fn docx_keeps_structure_pictures_and_repairs_legacy_runs() {
    let body = [
        p(Some("Heading1"), &r("Hàm Yên mở lớp bồi dưỡng")),
        p(
            None,
            &format!(
                "{}{}{}{}{}{}",
                r("Sáng nay, "),
                r_props("<w:b/>", "Huyện ủy Hàm Yên"),
                r(" tổ chức lớp học "),
                r_props("<w:i/>", "bảo vệ nền tảng tư tưởng"),
                r(" tại "),
                r_props(r#"<w:rStyle w:val="Strong"/>"#, "hội trường"),
            ),
        ),
        // A TCVN3 run (.VnTime) inside a Unicode paragraph.
        p(
            None,
            &format!(
                "{}{}{}",
                r("Khẩu hiệu: "),
                r_props(
                    r#"<w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>"#,
                    "C\u{e9}ng ho\u{b5} x\u{b7} h\u{e9}i"
                ),
                r(" — hết.")
            ),
        ),
        p(
            None,
            &format!(
                r#"{}<w:hyperlink r:id="rId5">{}</w:hyperlink>{}<w:hyperlink r:id="rId6">{}</w:hyperlink>"#,
                r("Xem "),
                r("trang huyện"),
                r(" và "),
                r("đừng bấm")
            ),
        ),
        list_p(1, 0, &r("Điểm một")),
        list_p(1, 1, &r("Ý nhỏ")),
        p(Some("ListBullet"), &r("Điểm hai theo kiểu danh sách")),
        list_p(2, 0, &r("Bước đầu")),
        list_p(2, 0, &r("Bước sau")),
        p(Some("Quote"), &r("Học đi đôi với hành.")),
        p(None, &drawing("rId9", "Picture 1", "Toàn cảnh lớp bồi dưỡng")),
        p(None, &r("Các đại biểu dự lớp tập huấn.")),
        p(
            None,
            &format!("{}{}", drawing("rId10", "Ảnh 2", ""), drawing("rId9", "Picture 1", "Toàn cảnh lớp bồi dưỡng")),
        ),
        p(None, &drawing("rId11", "Mất", "ảnh không có trong tệp")),
        p(Some("u2"), &r("Kết quả")),
        p(None, &r("# Không phải tiêu đề, *không* nghiêng, a_b [x](y) 1. ok")),
        p(None, &r("2024. Năm bản lề")),
        p(None, &format!("{}<w:r><w:br/></w:r>{}", r("Dòng một"), r("dòng hai"))),
        // Deleted revision text is not the document.
        p(None, &format!("{}<w:del><w:r><w:delText>xoá</w:delText></w:r></w:del>", r("Còn lại"))),
    ]
    .concat();
    let doc = rich::read(
        &docx_with(&body, &[]),
        Some("bai-viet.docx"),
        &Limits::default(),
    )
    .expect("read");
    assert_eq!(doc.format, Format::Docx);
    let expected = "\
# Hàm Yên mở lớp bồi dưỡng

Sáng nay, **Huyện ủy Hàm Yên** tổ chức lớp học *bảo vệ nền tảng tư tưởng* tại **hội trường**

Khẩu hiệu: Cộng hoà xã hội — hết.

Xem [trang huyện](https://hamyen.example.vn/tin-tuc?id=1) và đừng bấm

- Điểm một
    - Ý nhỏ
- Điểm hai theo kiểu danh sách
1. Bước đầu
2. Bước sau

> Học đi đôi với hành.

![Toàn cảnh lớp bồi dưỡng](picture:0)

Các đại biểu dự lớp tập huấn.

![](picture:1)![Toàn cảnh lớp bồi dưỡng](picture:0)

## Kết quả

\\# Không phải tiêu đề, \\*không\\* nghiêng, a\\_b \\[x\\](y) 1. ok

2024\\. Năm bản lề

Dòng một\\
dòng hai

Còn lại";
    assert_eq!(doc.markdown, expected, "\n{}", doc.markdown);
    assert_eq!(doc.legacy, Some(Legacy::Tcvn3));
    assert_eq!(doc.repaired_runs, 1);
    assert_eq!(doc.pictures.len(), 2);
    assert_eq!(doc.pictures[0].file_name, "image1.png");
    assert_eq!(doc.pictures[0].alt, "Toàn cảnh lớp bồi dưỡng");
    assert_eq!(doc.pictures[0].bytes, PNG);
    assert_eq!(doc.pictures[1].file_name, "image2.jpeg");
    assert_eq!(doc.pictures[1].alt, "");
    assert_eq!(doc.pictures[1].bytes, JPG);
}

const ODT_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0""#;

fn odt(body: &str) -> Vec<u8> {
    let styles = format!(
        r#"<?xml version="1.0"?><office:document-styles {ODT_NS}><office:font-face-decls><style:font-face style:name="VnTime1" svg:font-family="'.VnTime'"/><style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'"/></office:font-face-decls><office:styles><style:default-style style:family="paragraph"><style:text-properties style:font-name="Liberation Serif"/></style:default-style><style:style style:name="Standard" style:family="paragraph"/><style:style style:name="Quotations" style:family="paragraph" style:parent-style-name="Standard"/><style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"><style:text-properties fo:font-weight="bold"/></style:style></office:styles></office:document-styles>"#
    );
    let content = format!(
        r#"<?xml version="1.0"?><office:document-content {ODT_NS}><office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style><style:style style:name="T2" style:family="text"><style:text-properties fo:font-style="italic"/></style:style><style:style style:name="T3" style:family="text"><style:text-properties style:font-name="VnTime1"/></style:style><style:style style:name="P1" style:family="paragraph" style:parent-style-name="Quotations"/><text:list-style style:name="L1"><text:list-level-style-bullet text:level="1"/><text:list-level-style-bullet text:level="2"/></text:list-style><text:list-style style:name="L2"><text:list-level-style-number text:level="1"/></text:list-style></office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("styles.xml", styles.as_bytes()),
        ("content.xml", content.as_bytes()),
        ("Pictures/100000000000.png", PNG),
    ])
}

#[test]
fn odt_keeps_structure_pictures_and_repairs_legacy_runs() {
    let body = r#"<text:h text:style-name="Heading_20_2" text:outline-level="2">Cuộc thi tìm hiểu</text:h>
<text:p text:style-name="Standard">Thể lệ <text:span text:style-name="T1">rất rõ</text:span>, <text:span text:style-name="T2">dễ nhớ</text:span>; xem <text:a xlink:type="simple" xlink:href="https://example.vn/the-le">thể lệ</text:a> hoặc <text:a xlink:href="javascript:alert(1)">mồi nhử</text:a>.</text:p>
<text:p text:style-name="Standard">Khẩu hiệu: <text:span text:style-name="T3">C&#xe9;ng ho&#xb5;</text:span> muôn năm</text:p>
<text:list text:style-name="L1"><text:list-item><text:p>Một</text:p><text:list><text:list-item><text:p>Một rưỡi</text:p></text:list-item></text:list></text:list-item><text:list-item><text:p>Hai</text:p></text:list-item></text:list>
<text:list text:style-name="L2"><text:list-item><text:p>Thứ nhất</text:p></text:list-item><text:list-item><text:p>Thứ nhì</text:p></text:list-item></text:list>
<text:p text:style-name="P1">Trích dẫn   có   khoảng trắng</text:p>
<text:p text:style-name="Standard"><draw:frame draw:name="Ảnh1"><draw:image xlink:href="Pictures/100000000000.png"/><svg:title>Khai mạc</svg:title><svg:desc>Các đại biểu dự lớp tập huấn</svg:desc></draw:frame>Chú thích ảnh<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>chú thích cuối trang</text:p></text:note-body></text:note></text:p>
<text:p>Dòng một<text:line-break/>dòng hai</text:p>"#;
    let doc = rich::read(&odt(body), Some("bai.odt"), &Limits::default()).expect("read");
    assert_eq!(doc.format, Format::Odt);
    let expected = "\
## Cuộc thi tìm hiểu

Thể lệ **rất rõ**, *dễ nhớ*; xem [thể lệ](https://example.vn/the-le) hoặc mồi nhử.

Khẩu hiệu: Cộng hoà muôn năm

- Một
    - Một rưỡi
- Hai
1. Thứ nhất
2. Thứ nhì

> Trích dẫn có khoảng trắng

![Các đại biểu dự lớp tập huấn](picture:0)Chú thích ảnh

Dòng một\\
dòng hai";
    assert_eq!(doc.markdown, expected, "\n{}", doc.markdown);
    assert_eq!(doc.legacy, Some(Legacy::Tcvn3));
    assert_eq!(doc.pictures.len(), 1);
    let pic = &doc.pictures[0];
    assert_eq!(pic.file_name, "100000000000.png");
    assert_eq!(pic.alt, "Các đại biểu dự lớp tập huấn");
    assert_eq!(pic.title.as_deref(), Some("Khai mạc"));
    assert_eq!(pic.bytes, PNG);
}

#[test]
fn other_formats_are_refused_with_a_message() {
    let err = rich::read(b"%PDF-1.4\n%%EOF", Some("a.pdf"), &Limits::default()).unwrap_err();
    assert!(
        matches!(err, ExtractError::NotRichFormat { found: Format::Pdf }),
        "{err:?}"
    );
    assert!(err.to_string().contains("DOCX hoặc ODT"));
    let err = rich::read(b"", None, &Limits::default()).unwrap_err();
    assert!(matches!(err, ExtractError::Empty));
}

#[test]
fn missing_and_empty_parts_are_typed_errors() {
    // A zip that is neither DOCX nor ODT.
    let err = rich::read(
        &zip_of(&[("hello.txt", b"xin chao")]),
        None,
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ExtractError::Unsupported), "{err:?}");
    // ODT mimetype without content.xml.
    let file = zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
    assert!(rich::read(&file, None, &Limits::default()).is_err());
    // A DOCX with no text at all.
    let err = rich::read(&docx_with("", &[]), None, &Limits::default()).unwrap_err();
    assert!(matches!(err, ExtractError::NoText), "{err:?}");
    // Broken XML.
    let broken = zip_of(&[(
        "word/document.xml",
        b"<w:document><w:body><w:p><w:r><w:t>a</w:x",
    )]);
    let _ = rich::read(&broken, None, &Limits::default());
    // Truncated file.
    let file = docx_with(&p(None, &r(&"chữ ".repeat(3000))), &[]);
    for cut in [10, file.len() / 2, file.len() - 10] {
        assert!(rich::read(&file[..cut], Some("a.docx"), &Limits::default()).is_err());
    }
}

#[test]
fn zip_bomb_and_deep_xml_are_refused_quickly() {
    let mut doc = br#"<w:document><w:body><w:p><w:r><w:t>"#.to_vec();
    doc.extend_from_slice(&vec![b' '; 30 * 1024 * 1024]);
    let bomb = zip_of(&[("word/document.xml", &doc)]);
    let err = timed(|| rich::read(&bomb, Some("bom.docx"), &Limits::default())).unwrap_err();
    assert!(matches!(err, ExtractError::CompressionRatio), "{err:?}");

    // A picture part that is a bomb.
    let mut entries_pic = vec![0u8; 40 * 1024 * 1024];
    entries_pic[0] = 0x89;
    let file = docx_with(&p(None, &drawing("rId9", "x", "y")), &[]);
    // (the well-formed picture reads fine)
    assert!(rich::read(&file, None, &Limits::default()).is_ok());
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="image" Target="media/big.png"/></Relationships>"#;
    let doc_xml = format!(
        r#"<w:document {NS}><w:body>{}</w:body></w:document>"#,
        p(None, &format!("{}{}", r("chữ"), drawing("rId9", "x", "y")))
    );
    let bomb = zip_of(&[
        ("word/document.xml", doc_xml.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/media/big.png", &entries_pic),
    ]);
    let err = timed(|| rich::read(&bomb, None, &Limits::default())).unwrap_err();
    assert!(
        matches!(
            err,
            ExtractError::CompressionRatio | ExtractError::DecompressedTooLarge { .. }
        ),
        "{err:?}"
    );

    let depth = 50_000;
    let xml = format!(
        "<w:document {NS}><w:body>{}{}</w:body></w:document>",
        "<w:p>".repeat(depth),
        "</w:p>".repeat(depth)
    );
    let file = zip_of(&[("word/document.xml", xml.as_bytes())]);
    let lenient = Limits {
        max_ratio: 1_000_000,
        ..Limits::default()
    };
    let err = timed(|| rich::read(&file, None, &lenient)).unwrap_err();
    assert!(matches!(err, ExtractError::TooDeep { .. }), "{err:?}");

    let content = format!(
        r#"<office:document-content {ODT_NS}><office:body><office:text>{}</office:text></office:body></office:document-content>"#,
        "<text:list><text:list-item>".repeat(depth)
    );
    let file = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
    ]);
    let err = timed(|| rich::read(&file, None, &lenient)).unwrap_err();
    assert!(matches!(err, ExtractError::TooDeep { .. }), "{err:?}");
}

#[test]
fn text_budget_and_picture_count_are_bounded() {
    let body = p(None, &r(&"chữ ".repeat(5000)));
    let tight = Limits {
        max_output_chars: 1000,
        ..Limits::default()
    };
    let err = rich::read(&docx_with(&body, &[]), None, &tight).unwrap_err();
    assert!(matches!(err, ExtractError::TooMuchText { .. }), "{err:?}");

    let n = MAX_PICTURES + 1;
    let names: Vec<String> = (0..n).map(|i| format!("word/media/p{i}.png")).collect();
    let rels: String = (0..n)
        .map(|i| format!(r#"<Relationship Id="x{i}" Type="image" Target="media/p{i}.png"/>"#))
        .collect();
    let rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
    );
    let drawings: String = (0..n)
        .map(|i| drawing(&format!("x{i}"), "a", "b"))
        .collect();
    let doc_xml = format!(
        r#"<w:document {NS}><w:body>{}</w:body></w:document>"#,
        p(None, &drawings)
    );
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("word/document.xml", doc_xml.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
    ];
    entries.extend(names.iter().map(|n| (n.as_str(), PNG)));
    let err = rich::read(&zip_of(&entries), None, &Limits::default()).unwrap_err();
    assert!(
        matches!(err, ExtractError::TooManyPictures { .. }),
        "{err:?}"
    );
}

fn html_of(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut out = String::new();
    let opts = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    html::push_html(&mut out, Parser::new_ext(markdown, opts));
    out
}

#[test]
fn a_commonmark_parser_reads_the_markdown_as_meant() {
    let body = [
        p(Some("Heading1"), &r("Tiêu đề *thật*")),
        p(
            None,
            &format!(
                "{}{}{}",
                r_props("<w:b/>", "Đậm"),
                r(" rồi "),
                r_props("<w:i/>", "nghiêng")
            ),
        ),
        p(None, &r("# 1. *sao* _gạch_ ~~gạch~~ | ống | `mã` &lt;b&gt;thẻ&lt;/b&gt; &amp;amp; \\ [a](b) ![c](d)")),
        p(None, &r("1) không phải danh sách")),
        p(None, &r("---")),
        p(None, &r("+ cũng không")),
        list_p(1, 0, &r("ý một")),
        list_p(1, 1, &r("ý con")),
        list_p(2, 0, &r("bước *một*")),
        p(Some("Quote"), &r("> trích")),
        p(
            None,
            &format!(
                r#"<w:hyperlink r:id="rId5">{}</w:hyperlink>"#,
                r_props("<w:b/>", "liên kết đậm")
            ),
        ),
        p(None, &drawing("rId9", "x", "Ảnh [có] *dấu* đặc biệt")),
        p(
            None,
            &format!(
                "{}{}{}{}",
                r_props("<w:b/>", "Lưu ý:"),
                r("Nội dung x"),
                r_props("<w:i/>", "(chú)"),
                r("y")
            ),
        ),
    ]
    .concat();
    let doc = rich::read(&docx_with(&body, &[]), None, &Limits::default()).expect("read");
    let html = html_of(&doc.markdown);
    for want in [
        "<h1>Tiêu đề *thật*</h1>",
        "<p><strong>Đậm</strong> rồi <em>nghiêng</em></p>",
        "<p># 1. *sao* _gạch_ ~~gạch~~ | ống | `mã` &lt;b&gt;thẻ&lt;/b&gt; &amp;amp; \\ [a](b) ![c](d)</p>",
        "<p>1) không phải danh sách</p>",
        "<p>---</p>",
        "<p>+ cũng không</p>",
        "<ul>\n<li>ý một\n<ul>\n<li>ý con</li>\n</ul>\n</li>\n</ul>",
        "<ol>\n<li>bước *một*</li>\n</ol>",
        "<blockquote>\n<p>&gt; trích</p>\n</blockquote>",
        r#"<p><a href="https://hamyen.example.vn/tin-tuc?id=1"><strong>liên kết đậm</strong></a></p>"#,
        r#"<p><img src="picture:0" alt="Ảnh [có] *dấu* đặc biệt" /></p>"#,
        "<p><strong>Lưu ý</strong>:Nội dung x(<em>chú</em>)y</p>",
    ] {
        assert!(
            html.contains(want),
            "missing {want}\nin\n{html}\nfrom\n{}",
            doc.markdown
        );
    }
}

#[test]
fn mangled_xml_never_panics() {
    let body = [
        p(Some("Heading1"), &r("Tiêu đề")),
        p(
            None,
            &format!(
                "{}{}",
                r_props("<w:b/>", "đậm"),
                drawing("rId9", "x", "ảnh")
            ),
        ),
        list_p(2, 1, &r("mục")),
        p(
            None,
            &format!(
                r#"<w:hyperlink r:id="rId5">{}</w:hyperlink>"#,
                r("liên kết")
            ),
        ),
    ]
    .concat();
    let doc =
        format!(r#"<?xml version="1.0"?><w:document {NS}><w:body>{body}</w:body></w:document>"#);
    let mut state = 0x1234_5678u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let specials = b"<>/=\"&:;# wpr";
    for round in 0..300 {
        let mut xml = doc.as_bytes().to_vec();
        for _ in 0..1 + round % 5 {
            let at = next() as usize % xml.len();
            xml[at] = specials[next() as usize % specials.len()];
        }
        if round % 7 == 0 {
            xml.truncate(next() as usize % xml.len());
        }
        let file = zip_of(&[
            ("word/document.xml", &xml),
            ("word/media/image1.png", PNG),
            (
                "word/_rels/document.xml.rels",
                format!(r#"<Relationships>{RELS}</Relationships>"#).as_bytes(),
            ),
        ]);
        if let Err(ExtractError::Internal { .. }) = rich::read(&file, None, &Limits::default()) {
            panic!("panic inside the reader, round {round}");
        }
    }
}
