//! Crafted and broken inputs, generated here: each must give a clear error
//! (or text) quickly, never a panic, a hang or a huge allocation.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use hoithi_extract::{ExtractError, Format, Legacy, Limits, extract, metadata_stripped_copy};
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

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn docx(body: &str, styles: Option<&str>) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    );
    let mut entries: Vec<(&str, &[u8])> = vec![("word/document.xml", doc.as_bytes())];
    let styles_xml =
        styles.map(|s| format!(r#"<?xml version="1.0"?><w:styles {W}>{s}</w:styles>"#));
    if let Some(s) = &styles_xml {
        entries.push(("word/styles.xml", s.as_bytes()));
    }
    zip_of(&entries)
}

fn run(font: &str, text: &str) -> String {
    format!(
        r#"<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#
    )
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

#[test]
fn docx_runs_are_repaired_by_their_own_font() {
    // "Cộng hoà" in TCVN3 look-alikes, then Unicode text in Times New Roman,
    // then "Việt Nam" in VNI look-alikes.
    let body = format!(
        "<w:p>{}{}{}</w:p>",
        run(".VnTime", "C\u{e9}ng ho\u{b5} "),
        run("Times New Roman", "xã hội "),
        run("VNI-Times", "Vie\u{e4}t Nam")
    );
    let doc = extract(&docx(&body, None), Some("bai.docx"), &Limits::default()).expect("extract");
    assert_eq!(doc.paragraphs, vec!["Cộng hoà xã hội Việt Nam"]);
    assert_eq!(doc.repaired_runs, 2);
    assert!(doc.legacy.is_some());
    assert_eq!(doc.fonts, vec![".VnTime", "Times New Roman", "VNI-Times"]);
    assert_eq!(doc.word_count(), 6);
    assert_eq!(doc.text(), "Cộng hoà xã hội Việt Nam");
}

#[test]
fn docx_font_comes_from_paragraph_style_and_defaults() {
    let styles = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr></w:rPrDefault></w:docDefaults>
        <w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Base"/></w:style>
        <w:style w:type="paragraph" w:styleId="Base"><w:rPr><w:rFonts w:ascii=".VnTimeH" w:hAnsi=".VnTimeH"/></w:rPr></w:style>"#;
    let body = r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>C\u{c9}NG</w:t></w:r></w:p>
        <w:p><w:r><w:t>ho&#xb5; b&#xb8;o</w:t></w:r></w:p>
        <w:tbl><w:tr><w:tc><w:p><w:r><w:t>b&#xb8;o c&#xb8;o</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#
        .replace("\\u{c9}", "\u{e9}");
    let doc = extract(&docx(&body, Some(styles)), None, &Limits::default()).expect("extract");
    assert_eq!(doc.paragraphs, vec!["CỘNG", "hoà báo", "báo cáo"]);
}

#[test]
fn unicode_runs_are_left_alone() {
    // Latin-1 letters in a Unicode font are French, not TCVN3.
    let body = format!(
        "<w:p>{}</w:p>",
        run("Arial", "Le café est très bon à Paris")
    );
    let doc = extract(&docx(&body, None), None, &Limits::default()).expect("extract");
    assert_eq!(doc.paragraphs, vec!["Le café est très bon à Paris"]);
    assert_eq!(doc.legacy, None);
}

#[test]
fn rtf_fonts_charsets_and_unicode_escapes() {
    let rtf = br"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fnil\fcharset0 .VnTime;}{\f2\fnil VNI-Times;}}
{\info{\author X}}\pard C\u7897?ng h\u242\'f2a\par
\f1 C\'e9ng ho\'b5 x\'b7 h\'e9i\par
{\f2 Vie\'e4t Nam}\par
{\*\unknown skipped}{\pict 0102}\f0 h\'e9t\line d\'f2ng\par}";
    let doc = extract(rtf, Some("a.rtf"), &Limits::default()).expect("extract");
    assert_eq!(
        doc.paragraphs,
        // Tone marks stay where each writer put them (hòa, hoà): text is kept as written.
        vec!["Cộng hòa", "Cộng hoà xã hội", "Việt Nam", "hét dòng"]
    );
    assert_eq!(doc.format, Format::Rtf);
    let stripped = metadata_stripped_copy(rtf, Format::Rtf).expect("strip");
    assert!(!String::from_utf8_lossy(&stripped).contains("author"));
}

#[test]
fn html_drops_scripts_and_reads_font_faces() {
    let html = r#"<!DOCTYPE html><html><head><title>t</title><style>p{}</style><script>var x="<p>no</p>";</script></head>
<body><p>Xin   chào
 các bạn</p><div><font face=".VnTime, serif">ho&#xb5; b&#xb8;o</font></div><p style="font-family: 'VNI-Times'">Vie&#xe4;t Nam</p></body></html>"#;
    let doc = extract(html.as_bytes(), Some("a.html"), &Limits::default()).expect("extract");
    assert_eq!(
        doc.paragraphs,
        vec!["Xin chào các bạn", "hoà báo", "Việt Nam"]
    );
}

#[test]
fn tcvn3_plain_text_is_detected_by_content() {
    // "Cộng hoà xã hội chủ nghĩa Việt Nam" as TCVN3 bytes.
    let bytes = b"C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam\r\n";
    let doc = extract(bytes, Some("a.txt"), &Limits::default()).expect("extract");
    assert_eq!(doc.paragraphs, vec!["Cộng hoà xã hội chủ nghĩa Việt Nam"]);
    assert_eq!(doc.legacy, Some(Legacy::Tcvn3));
}

#[test]
fn zip_bomb_disguised_as_docx() {
    let zeros = vec![b' '; 30 * 1024 * 1024];
    let mut doc = br#"<w:document><w:body><w:p><w:r><w:t>"#.to_vec();
    doc.extend_from_slice(&zeros);
    let bomb = zip_of(&[("word/document.xml", &doc)]);
    assert!(bomb.len() < 200 * 1024, "bomb is {} bytes", bomb.len());
    let err = timed(|| extract(&bomb, Some("bai.docx"), &Limits::default())).expect_err("bomb");
    assert!(matches!(err, ExtractError::CompressionRatio), "{err:?}");
    assert_eq!(
        err.to_string(),
        "Tệp nén bất thường (tỷ lệ giải nén quá cao)"
    );
    assert!(metadata_stripped_copy(&bomb, Format::Docx).is_err());
}

#[test]
fn total_decompressed_size_is_bounded() {
    // Incompressible-ish text in many entries: ratio is fine, total is not.
    let mut state = 12345u32;
    let noise: Vec<u8> = (0..600_000)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            b'a' + (state >> 16) as u8 % 26
        })
        .collect();
    let doc =
        format!("<w:document {W}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>");
    let file = zip_of(&[
        ("word/styles.xml", &noise),
        ("word/document.xml", doc.as_bytes()),
    ]);
    let limits = Limits {
        max_decompressed_bytes: 500_000,
        ..Limits::default()
    };
    let err = extract(&file, None, &limits).expect_err("too large");
    assert!(
        matches!(err, ExtractError::DecompressedTooLarge { .. }),
        "{err:?}"
    );
}

#[test]
fn too_many_zip_entries() {
    let names: Vec<String> = (0..50).map(|i| format!("f{i}")).collect();
    let mut entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    entries.push(("word/document.xml", b"<w:document/>"));
    let limits = Limits {
        max_zip_entries: 20,
        ..Limits::default()
    };
    let err = extract(&zip_of(&entries), None, &limits).expect_err("entries");
    assert!(
        matches!(err, ExtractError::TooManyEntries { max: 20 }),
        "{err:?}"
    );
}

#[test]
fn truncated_zip() {
    let body = format!("<w:p>{}</w:p>", run("Arial", &"chữ ".repeat(2000)));
    let file = docx(&body, None);
    for cut in [10, file.len() / 2, file.len() - 10] {
        let err =
            extract(&file[..cut], Some("bai.docx"), &Limits::default()).expect_err("truncated");
        assert!(
            matches!(
                err,
                ExtractError::NotExpectedFormat {
                    expected: Format::Docx
                } | ExtractError::Corrupt { .. }
            ),
            "{cut}: {err:?}"
        );
    }
}

#[test]
fn pdf_that_is_not_a_pdf() {
    let err =
        extract(b"Day khong phai PDF", Some("bai.pdf"), &Limits::default()).expect_err("not pdf");
    assert_eq!(err.to_string(), "Tệp không phải là PDF hợp lệ");
    let err = extract(b"%PDF-1.4\n garbage", Some("bai.pdf"), &Limits::default())
        .expect_err("broken pdf");
    assert!(
        matches!(
            err,
            ExtractError::Corrupt {
                format: Format::Pdf,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn wrong_extension() {
    let body = format!("<w:p>{}</w:p>", run("Arial", "chữ"));
    let err =
        extract(&docx(&body, None), Some("bai.pdf"), &Limits::default()).expect_err("mismatch");
    assert!(
        matches!(
            err,
            ExtractError::ExtensionMismatch {
                expected: Format::Pdf,
                found: Format::Docx
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "Tệp không phải là PDF hợp lệ (nội dung thực là DOCX)"
    );
    // A .doc holding RTF is common on office PCs and is read.
    let doc =
        extract(br"{\rtf1 ch\'e0o\par}", Some("cu.doc"), &Limits::default()).expect("rtf as doc");
    assert_eq!(doc.paragraphs, vec!["chào"]);
}

#[test]
fn empty_and_oversized_and_old_word() {
    assert!(matches!(
        extract(b"", None, &Limits::default()),
        Err(ExtractError::Empty)
    ));
    let limits = Limits {
        max_input_bytes: 10,
        ..Limits::default()
    };
    let err = extract(b"0123456789ABCDEF", None, &limits).expect_err("large");
    assert_eq!(err.to_string(), "Tệp quá lớn (tối đa 1 MB)");
    let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
    assert!(matches!(
        extract(ole, Some("a.doc"), &Limits::default()),
        Err(ExtractError::LegacyWord)
    ));
    assert!(matches!(
        extract(b"  \n\n ", Some("a.txt"), &Limits::default()),
        Err(ExtractError::NoText)
    ));
}

#[test]
fn deeply_nested_inputs() {
    let depth = 100_000;
    let xml = format!(
        "<w:document {W}><w:body>{}{}</w:body></w:document>",
        "<w:p>".repeat(depth),
        "</w:p>".repeat(depth)
    );
    let file = zip_of(&[("word/document.xml", xml.as_bytes())]);
    // Repeated tags compress beyond the ratio limit; lift it to reach the parser.
    let lenient = Limits {
        max_ratio: 1_000_000,
        ..Limits::default()
    };
    let err = timed(|| extract(&file, None, &lenient)).expect_err("deep xml");
    assert!(matches!(err, ExtractError::TooDeep { max: 256 }), "{err:?}");

    let mut rtf = b"{\\rtf1 ".to_vec();
    rtf.extend(std::iter::repeat_n(b'{', depth));
    let err = timed(|| extract(&rtf, None, &Limits::default())).expect_err("deep rtf");
    assert!(matches!(err, ExtractError::TooDeep { .. }), "{err:?}");

    let html = format!("<html><body>{}x", "<div>".repeat(20_000));
    let err = timed(|| extract(html.as_bytes(), Some("a.html"), &Limits::default()))
        .expect_err("deep html");
    assert!(matches!(err, ExtractError::TooDeep { .. }), "{err:?}");
}

#[test]
fn billion_laughs_is_not_expanded() {
    let mut dtd = String::from(r#"<!DOCTYPE w:document [<!ENTITY a0 "ha">"#);
    for i in 1..30 {
        let p = i - 1;
        dtd.push_str(&format!(
            r#"<!ENTITY a{i} "&a{p};&a{p};&a{p};&a{p};&a{p};&a{p};&a{p};&a{p};">"#
        ));
    }
    dtd.push_str("]>");
    let xml = format!(
        r#"<?xml version="1.0"?>{dtd}<w:document {W}><w:body><w:p><w:r><w:t>x &a29; y</w:t></w:r></w:p></w:body></w:document>"#
    );
    let file = zip_of(&[("word/document.xml", xml.as_bytes())]);
    let doc = timed(|| extract(&file, None, &Limits::default())).expect("extract");
    assert_eq!(doc.paragraphs, vec!["x y"]);
}

#[test]
fn garbage_text_is_refused() {
    let mut state = 7u32;
    let garbage: Vec<u8> = (0..10_000)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            ((state >> 16) as u8).max(1)
        })
        .collect();
    let err = extract(&garbage, Some("bai.txt"), &Limits::default()).expect_err("garbage");
    assert!(
        matches!(err, ExtractError::Binary | ExtractError::Unsupported),
        "{err:?}"
    );
}

#[test]
fn time_budget_is_enforced() {
    let body: String = (0..3000)
        .map(|i| format!("<w:p>{}</w:p>", run("Arial", &format!("đoạn {i}"))))
        .collect();
    let limits = Limits {
        time_budget: Duration::ZERO,
        ..Limits::default()
    };
    let err = extract(&docx(&body, None), None, &limits).expect_err("timeout");
    assert!(matches!(err, ExtractError::Timeout { .. }), "{err:?}");
}

/// A minimal PDF around one content stream, written by hand.
fn pdf_with_content(content: &[u8], compress: bool) -> Vec<u8> {
    let (data, filter) = if compress {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(content).expect("deflate");
        (e.finish().expect("deflate"), "/Filter /FlateDecode ")
    } else {
        (content.to_vec(), "")
    };
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        [format!("<< {filter}/Length {} >>\nstream\n", data.len()).into_bytes(), data, b"\nendstream".to_vec()].concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+VnTime /Encoding /WinAnsiEncoding >>".to_vec(),
        b"<< /Author (Nguyen Van A) /Producer (test) >>".to_vec(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn pdf_runs_keep_their_font_and_metadata_goes() {
    // "Cộng hoà" in TCVN3 bytes under a font named VnTime (subset tag stripped).
    let pdf = pdf_with_content(b"BT /F1 12 Tf 72 700 Td (C\xe9ng ho\xb5) Tj ET", true);
    let doc = extract(&pdf, Some("a.pdf"), &Limits::default()).expect("extract");
    assert_eq!(doc.paragraphs, vec!["Cộng hoà"]);
    assert_eq!(doc.fonts, vec!["VnTime"]);
    assert_eq!(doc.legacy, Some(Legacy::Tcvn3));
    let copy = metadata_stripped_copy(&pdf, Format::Pdf).expect("strip");
    assert!(!String::from_utf8_lossy(&copy).contains("Nguyen Van A"));
    let again = extract(&copy, Some("a.pdf"), &Limits::default()).expect("extract copy");
    assert_eq!(again.paragraphs, doc.paragraphs);
}

#[test]
fn pdf_flate_bomb() {
    let mut content = b"BT /F1 12 Tf (a) Tj ET\n".to_vec();
    content.extend(std::iter::repeat_n(b' ', 40 * 1024 * 1024));
    let pdf = pdf_with_content(&content, true);
    let limits = Limits {
        max_decompressed_bytes: 4 * 1024 * 1024,
        ..Limits::default()
    };
    let err = timed(|| extract(&pdf, Some("a.pdf"), &limits)).expect_err("bomb");
    assert!(
        matches!(err, ExtractError::DecompressedTooLarge { .. }),
        "{err:?}"
    );
}

#[test]
fn error_messages_are_vietnamese() {
    let msgs = [
        ExtractError::Encrypted.to_string(),
        ExtractError::TooDeep { max: 256 }.to_string(),
        ExtractError::Unsupported.to_string(),
        ExtractError::NoText.to_string(),
    ];
    assert_eq!(
        msgs[0],
        "Tệp PDF được bảo vệ bằng mật khẩu, không đọc được nội dung"
    );
    assert_eq!(
        msgs[1],
        "Cấu trúc tài liệu lồng nhau quá sâu (tối đa 256 cấp)"
    );
    assert!(msgs[2].starts_with("Định dạng tệp không được hỗ trợ"));
    assert!(msgs[3].starts_with("Không tìm thấy chữ nào"));
}

#[test]
fn html_nesting_stays_linear() {
    // A full tree builder takes minutes on this (scope checks walk the stack).
    let html = format!("<html><body>{}x", "<div>".repeat(200_000));
    let err =
        timed(|| extract(html.as_bytes(), Some("a.html"), &Limits::default())).expect_err("deep");
    assert!(matches!(err, ExtractError::TooDeep { .. }), "{err:?}");
    // Unclosed <p> and <li> are siblings, not nesting.
    let html = format!(
        "<ul>{}</ul>{}",
        "<li>mục".repeat(5000),
        "<p>đoạn".repeat(5000)
    );
    let doc =
        timed(|| extract(html.as_bytes(), Some("a.html"), &Limits::default())).expect("siblings");
    assert_eq!(doc.paragraphs.len(), 10_000);
}
