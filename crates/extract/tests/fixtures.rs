//! Documents made by LibreOffice and pandoc from real Vietnamese text
//! (scripts/make-fixtures.sh). Skips, saying so, when the fixtures are absent.

use std::path::PathBuf;

use hoithi_extract::{Format, Legacy, Limits, extract, metadata_stripped_copy};

fn fixture_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("HOITHI_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target-fixtures/extract")
        });
    if dir.join("unicode-lo.docx").is_file() {
        Some(dir)
    } else {
        println!(
            "SKIPPED: no fixtures in {} (run crates/extract/scripts/make-fixtures.sh)",
            dir.display()
        );
        None
    }
}

// Extraction keeps text as written (tone marks where the writer put them), so the
// expectation gets only the invisible repairs.
fn normalized(p: &str) -> String {
    let n = hoithi_text::normalize::as_written(p);
    n.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn expected_for(dir: &std::path::Path, name: &str) -> Vec<String> {
    let base = name.rsplit_once('.').map_or(name, |(b, _)| b);
    let path = dir.join(format!("{base}.expected"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(normalized)
        .collect()
}

fn check(name: &str, format: Format, legacy: Option<Legacy>) {
    let Some(dir) = fixture_dir() else { return };
    let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let doc = extract(&bytes, Some(name), &Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e} ({e:?})"));
    assert_eq!(doc.format, format, "{name}");
    let expected = expected_for(&dir, name);
    if format == Format::Pdf {
        // PDF keeps no paragraphs: compare the running text.
        assert_eq!(doc.paragraphs.join(" "), expected.join(" "), "{name}");
        // Paragraphs come from layout; page breaks may split a few of them.
        let (got, want) = (doc.paragraphs.len(), expected.len());
        assert!(
            got >= want && got <= want + want / 20 + 1,
            "{name}: {got} paragraphs, expected about {want}"
        );
    } else {
        for (i, (got, want)) in doc.paragraphs.iter().zip(&expected).enumerate() {
            assert_eq!(got, want, "{name}: paragraph {i}");
        }
        assert_eq!(
            doc.paragraphs.len(),
            expected.len(),
            "{name}: paragraph count"
        );
    }
    assert_eq!(doc.legacy, legacy, "{name}: legacy");
}

macro_rules! fixture_tests {
    ($($test:ident: $file:literal, $format:ident, $legacy:expr;)*) => {$(
        #[test]
        fn $test() {
            check($file, Format::$format, $legacy);
        }
    )*};
}

fixture_tests! {
    unicode_docx_libreoffice: "unicode-lo.docx", Docx, None;
    unicode_odt_libreoffice: "unicode-lo.odt", Odt, None;
    unicode_pdf_libreoffice: "unicode-lo.pdf", Pdf, None;
    unicode_rtf_libreoffice: "unicode-lo.rtf", Rtf, None;
    unicode_pdf_owner_password_only: "unicode-ownerpw.pdf", Pdf, None;
    unicode_html_libreoffice: "unicode-lo.html", Html, None;
    unicode_docx_pandoc: "unicode-pandoc.docx", Docx, None;
    unicode_odt_pandoc: "unicode-pandoc.odt", Odt, None;
    unicode_html_pandoc: "unicode-pandoc.html", Html, None;
    unicode_rtf_pandoc: "unicode-pandoc.rtf", Rtf, None;
    tcvn3_docx: "tcvn3-lo.docx", Docx, Some(Legacy::Tcvn3);
    tcvn3_odt: "tcvn3-lo.odt", Odt, Some(Legacy::Tcvn3);
    tcvn3_rtf: "tcvn3-lo.rtf", Rtf, Some(Legacy::Tcvn3);
    tcvn3_html: "tcvn3-lo.html", Html, Some(Legacy::Tcvn3);
    tcvn3_pdf_with_fonts: "tcvn3-font.pdf", Pdf, Some(Legacy::Tcvn3);
    tcvn3_pdf_substituted_font: "tcvn3-sub.pdf", Pdf, Some(Legacy::Tcvn3);
    vni_pdf_with_fonts: "vni-font.pdf", Pdf, Some(Legacy::Vni);
    vni_docx: "vni-lo.docx", Docx, Some(Legacy::Vni);
    vni_odt: "vni-lo.odt", Odt, Some(Legacy::Vni);
    vni_rtf: "vni-lo.rtf", Rtf, Some(Legacy::Vni);
    vni_html: "vni-lo.html", Html, Some(Legacy::Vni);
    vni_pdf: "vni-lo.pdf", Pdf, Some(Legacy::Vni);
    text_utf8: "text-utf8.txt", Txt, None;
    text_utf16le: "text-utf16le.txt", Txt, None;
    text_utf16be: "text-utf16be.txt", Txt, None;
    text_cp1258: "text-cp1258.txt", Txt, None;
    text_tcvn3: "text-tcvn3.txt", Txt, Some(Legacy::Tcvn3);
    large_docx: "large-lo.docx", Docx, None;
    large_odt: "large-lo.odt", Odt, None;
    large_pdf: "large-lo.pdf", Pdf, None;
    large_rtf: "large-lo.rtf", Rtf, None;
    large_html: "large-lo.html", Html, None;
    large_text_wrapped_by_pandoc: "large.txt", Txt, None;
}

#[test]
fn pdf_with_user_password_is_refused() {
    let Some(dir) = fixture_dir() else { return };
    let bytes = std::fs::read(dir.join("locked-userpw.pdf")).expect("read");
    let err = extract(&bytes, Some("locked-userpw.pdf"), &Limits::default()).expect_err("locked");
    assert!(
        matches!(err, hoithi_extract::ExtractError::Encrypted),
        "{err:?}"
    );
}

/// The stripped copy keeps the text and loses the author.
#[test]
fn stripped_copies_keep_text_and_drop_author() {
    let Some(dir) = fixture_dir() else { return };
    for (name, format, marker) in [
        ("unicode-lo.docx", Format::Docx, "Tác Giả"),
        ("unicode-lo.odt", Format::Odt, "Tác Giả"),
        ("unicode-lo.pdf", Format::Pdf, "/Author"),
        ("unicode-ownerpw.pdf", Format::Pdf, "/Encrypt"),
        ("unicode-lo.rtf", Format::Rtf, "\\author"),
        ("unicode-lo.html", Format::Html, "Tác Giả"),
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let before = extract(&bytes, Some(name), &Limits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let copy = metadata_stripped_copy(&bytes, format).unwrap_or_else(|e| panic!("{name}: {e}"));
        let after = extract(&copy, Some(name), &Limits::default())
            .unwrap_or_else(|e| panic!("{name} copy: {e}"));
        assert_eq!(before.paragraphs, after.paragraphs, "{name}");
        assert!(
            contains(&unpacked(&bytes), marker),
            "{name}: fixture lacks an author"
        );
        assert!(
            !contains(&unpacked(&copy), marker),
            "{name}: author left in the copy"
        );
    }
}

/// All entries of a zip, decompressed and concatenated; other files as they are.
fn unpacked(bytes: &[u8]) -> Vec<u8> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return bytes.to_vec();
    };
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("zip entry");
        std::io::Read::read_to_end(&mut entry, &mut out).expect("zip read");
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack.windows(needle.len()).any(|w| w == needle)
}
