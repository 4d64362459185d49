//! Full-text search over the platform's documents: contest entries, news posts, courses and
//! their materials, each with a kind and tags that searches filter on.
//!
//! Each text is indexed twice: an exact field (NFC, lowercased, diacritics
//! kept) and a folded field (no tones or letter marks, đ -> d). A query
//! matches either, so "duong" finds "đường"; documents where every word
//! matched as typed form a first tier ranked above the rest, so for
//! "đường" the documents with "đường" come before those with only "Dương".
//!
//! ```
//! use hoithi_search::{Doc, Options, Query, SearchIndex};
//! let index = SearchIndex::in_ram(Options::default())?;
//! index.upsert(&Doc {
//!     key: 1,
//!     kind: "entry".into(),
//!     title: "Con đường đổi mới".into(),
//!     body: "Bài dự thi về con đường phát triển.".into(),
//!     tags: vec!["contest:12".into(), "unit:5".into()],
//! })?;
//! index.commit()?;
//! let hits = index.search(&Query {
//!     text: "duong".into(),
//!     must_tags: vec!["unit:5".into()],
//!     limit: 10,
//!     ..Query::default()
//! })?;
//! assert_eq!(hits.total, 1);
//! assert_eq!(hits.hits[0].title.to_html(), "Con <mark>đường</mark> đổi mới");
//! # Ok::<(), hoithi_search::IndexError>(())
//! ```

mod error;
mod guard;
mod highlight;
mod index;
mod normalize;
mod schema;
mod store;
mod tiers;

pub use error::{EngineError, IndexError};
pub use highlight::Highlighted;
pub use index::{
    Doc, Filter, Hit, Hits, MAX_LIMIT, MAX_RESULT_WINDOW, MIN_HEAP_BYTES_PER_THREAD, OpenState,
    Options, Query, SearchIndex,
};
