//! Index schema and analyzers.

use tantivy::Index;
use tantivy::schema::{
    FAST, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

/// Bumped whenever the schema or an analyzer changes meaning; an index written
/// with another value must be rebuilt.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// Analyzer of the exact fields: syllables, lowercased, marks kept.
pub(crate) const EXACT_ANALYZER: &str = "hoithi_vi_exact";
/// Analyzer of the folded fields: syllables, lowercased, marks removed, đ -> d.
pub(crate) const FOLDED_ANALYZER: &str = "hoithi_vi_folded";

/// Tokens longer than this (in bytes) are noise such as base64 or URLs; the
/// longest Vietnamese syllable is 7 letters, 3 bytes each at most.
const MAX_TOKEN_BYTES: usize = 40;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    /// `kind` + key, unique per document: the delete term of an upsert.
    pub uid: tantivy::schema::Field,
    pub key: tantivy::schema::Field,
    pub kind: tantivy::schema::Field,
    pub tag: tantivy::schema::Field,
    /// Folded, stored: the text shown and highlighted.
    pub title: tantivy::schema::Field,
    pub title_exact: tantivy::schema::Field,
    pub body: tantivy::schema::Field,
    pub body_exact: tantivy::schema::Field,
}

pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |analyzer: &str, stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let opts = TextOptions::default().set_indexing_options(indexing);
        if stored { opts.set_stored() } else { opts }
    };
    let fields = Fields {
        uid: b.add_text_field("uid", STRING),
        key: b.add_i64_field("key", INDEXED | STORED | FAST),
        kind: b.add_text_field("kind", STRING | STORED),
        tag: b.add_text_field("tag", STRING),
        title: b.add_text_field("title", text(FOLDED_ANALYZER, true)),
        title_exact: b.add_text_field("title_exact", text(EXACT_ANALYZER, false)),
        body: b.add_text_field("body", text(FOLDED_ANALYZER, true)),
        body_exact: b.add_text_field("body_exact", text(EXACT_ANALYZER, false)),
    };
    (b.build(), fields)
}

/// Looks the fields up by name in an opened index, so an index written with
/// another layout is refused instead of misread.
pub(crate) fn fields_of(schema: &Schema) -> Option<Fields> {
    Some(Fields {
        uid: schema.get_field("uid").ok()?,
        key: schema.get_field("key").ok()?,
        kind: schema.get_field("kind").ok()?,
        tag: schema.get_field("tag").ok()?,
        title: schema.get_field("title").ok()?,
        title_exact: schema.get_field("title_exact").ok()?,
        body: schema.get_field("body").ok()?,
        body_exact: schema.get_field("body_exact").ok()?,
    })
}

fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Tokenizers are not persisted by tantivy: register them on every open.
pub(crate) fn register_analyzers(index: &Index) {
    let manager = index.tokenizers();
    manager.register(EXACT_ANALYZER, exact_analyzer());
    manager.register(FOLDED_ANALYZER, folded_analyzer());
}

/// The user-facing tokens of a text, as the exact analyzer sees them.
pub(crate) fn exact_tokens(text: &str) -> Vec<String> {
    let mut analyzer = exact_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        let mut analyzer = folded_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn folded_analyzer_removes_all_vietnamese_marks() {
        assert_eq!(
            folded("Đường Dương ĐẢNG ưu ơn Ðð Ấp"),
            ["duong", "duong", "dang", "uu", "on", "dd", "ap"]
        );
    }

    #[test]
    fn exact_analyzer_keeps_marks_and_lowercases() {
        assert_eq!(exact_tokens("ĐƯỜNG Dương, hòa."), ["đường", "dương", "hòa"]);
    }

    #[test]
    fn long_tokens_are_dropped() {
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(exact_tokens(&format!("xin {long} chào")), ["xin", "chào"]);
    }
}
