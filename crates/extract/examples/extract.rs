//! Prints the text of documents: `cargo run -p hoithi-extract --example extract -- FILE...`
//! With `--strip OUT`, also writes a metadata-stripped copy of the (single) FILE to OUT.

use hoithi_extract::{Limits, detect_format, extract, metadata_stripped_copy};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, out, path] = args.as_slice()
        && flag == "--strip"
    {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let format = detect_format(&bytes, Some(path), &Limits::default())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let copy = metadata_stripped_copy(&bytes, format).unwrap_or_else(|e| panic!("{path}: {e}"));
        std::fs::write(out, copy).unwrap_or_else(|e| panic!("{out}: {e}"));
        return;
    }
    for path in &args {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        match extract(&bytes, Some(path), &Limits::default()) {
            Ok(doc) => {
                eprintln!(
                    "== {path}: {:?}, {} paragraphs, legacy {:?} ({} runs), fonts {:?}",
                    doc.format,
                    doc.paragraphs.len(),
                    doc.legacy,
                    doc.repaired_runs,
                    doc.fonts
                );
                println!("{}", doc.text());
            }
            Err(e) => eprintln!("== {path}: ERROR {e} ({e:?})"),
        }
    }
}
