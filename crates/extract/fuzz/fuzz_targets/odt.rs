#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, xml)) = data.split_first() else { return };
    let mime: &[u8] = b"application/vnd.oasis.opendocument.text";
    let content = b"<office:document-content><office:body><office:text><text:p>x</text:p></office:text></office:body></office:document-content>";
    let parts: Vec<(&str, &[u8])> = if sel % 2 == 0 {
        vec![("mimetype", mime), ("styles.xml", xml), ("content.xml", content)]
    } else {
        vec![("mimetype", mime), ("content.xml", xml)]
    };
    let file = common::zip_with(&parts);
    common::exercise(&file, "a.odt", Some(hoithi_extract::Format::Odt));
});
