#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

// First byte picks where the input goes: styles.xml or document.xml.
fuzz_target!(|data: &[u8]| {
    let Some((&sel, xml)) = data.split_first() else { return };
    let doc = b"<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>";
    let parts: Vec<(&str, &[u8])> = if sel % 4 == 0 {
        vec![("word/styles.xml", xml), ("word/document.xml", doc)]
    } else if sel % 4 == 1 {
        vec![("word/document.xml", doc), ("word/footnotes.xml", xml)]
    } else {
        vec![("word/document.xml", xml)]
    };
    let file = common::zip_with(&parts);
    common::exercise(&file, "a.docx", Some(hoithi_extract::Format::Docx));
});
