//! The index handle: open, write, search, rebuild.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query as TantivyQuery,
    QueryParser, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use crate::error::IndexError;
use crate::guard;
use crate::highlight::Highlighted;
use crate::normalize::prepare;
use crate::schema::{Fields, build_schema, exact_tokens, fields_of, register_analyzers};
use crate::store::{self, Current, DirLock};
use crate::tiers::TieredTop;

/// tantivy refuses less than this per indexing thread.
pub const MIN_HEAP_BYTES_PER_THREAD: usize = 15_000_000;
/// tantivy refuses this much or more per indexing thread.
const MAX_HEAP_BYTES_PER_THREAD: usize = u32::MAX as usize - 1_000_000;
/// Deepest result a page may reach; deeper pages return no hits (but the
/// total), which keeps a crafted `offset` from allocating without bound.
pub const MAX_RESULT_WINDOW: usize = 10_000;
/// Largest page size honoured; bigger requests are clamped.
pub const MAX_LIMIT: usize = 1_000;

/// Weight of a match in the exact (diacritic-preserving) fields relative to
/// the folded ones, within a ranking tier.
const EXACT_BOOST: f32 = 1.5;
/// Weight of a title match relative to a body match.
const TITLE_BOOST: f32 = 2.0;
/// Characters of body text shown around the matches.
const SNIPPET_CHARS: usize = 200;
/// Titles up to this long are highlighted whole.
const MAX_TITLE_CHARS: usize = 1_000;

/// Writer settings.
#[derive(Clone, Debug)]
pub struct Options {
    /// Memory the writer may fill before it flushes a segment, shared by all
    /// threads; at least 15 MB per thread.
    pub heap_bytes: usize,
    /// Indexing threads (1 or 2 on the platform's small servers).
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            heap_bytes: 50_000_000,
            threads: 1,
        }
    }
}

impl Options {
    fn validate(&self) -> Result<(), IndexError> {
        if self.threads == 0 || self.threads > 8 {
            return Err(IndexError::InvalidOptions(format!(
                "số luồng ghi phải từ 1 đến 8 (đang là {})",
                self.threads
            )));
        }
        let per_thread = self.heap_bytes / self.threads;
        if per_thread < MIN_HEAP_BYTES_PER_THREAD {
            return Err(IndexError::InvalidOptions(format!(
                "bộ nhớ ghi tối thiểu {} byte mỗi luồng (đang là {per_thread})",
                MIN_HEAP_BYTES_PER_THREAD
            )));
        }
        if per_thread >= MAX_HEAP_BYTES_PER_THREAD {
            return Err(IndexError::InvalidOptions(format!(
                "bộ nhớ ghi tối đa {MAX_HEAP_BYTES_PER_THREAD} byte mỗi luồng"
            )));
        }
        Ok(())
    }
}

/// A document to index. `tags` are exact filter terms chosen by the caller,
/// e.g. `contest:12`, `unit:5` for every ancestor unit, `genre:3`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    pub key: i64,
    /// What kind of document it is, chosen by the caller (`"entry"`, `"news_post"`,
    /// `"course"`…); (kind, key) identifies a document.
    pub kind: String,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
}

/// A search request. Empty `text` lists the matching documents, newest key first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// What the user typed: words (all required), `"quoted phrases"`,
    /// `-excluded` words, `OR`. Syntax errors fall back to plain words.
    pub text: String,
    /// Only documents of this kind, when given.
    pub kind: Option<String>,
    /// Only documents carrying every one of these tags.
    pub must_tags: Vec<String>,
    /// When not empty, only documents that pass at least one of these filters: what one
    /// person may see of each kind, say (published news, public courses, courses they attend).
    /// Empty means no such restriction, not "nothing".
    pub any_of: Vec<Filter>,
    pub limit: usize,
    pub offset: usize,
}

/// Documents of one kind (of any kind when `None`) that carry every one of `tags`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub kind: Option<String>,
    pub tags: Vec<String>,
}

/// One page of results.
#[derive(Clone, Debug, PartialEq)]
pub struct Hits {
    /// Number of matching documents, all pages together.
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub key: i64,
    pub kind: String,
    /// Relevance within its tier; only the order is meaningful.
    pub score: f32,
    /// True when every query word matched with its diacritics as typed
    /// (these hits come before the others).
    pub exact: bool,
    /// The whole title, matches marked.
    pub title: Highlighted,
    /// A passage of the body around the matches (its start when none).
    pub snippet: Highlighted,
}

/// How [`SearchIndex::open_or_reset`] found the folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenState {
    /// An index was there and opened.
    Existing,
    /// The folder was empty: a new empty index was made.
    Created,
    /// The index was unusable and was replaced by an empty one.
    Reset { reason: String },
}

impl OpenState {
    /// True when the caller should feed [`SearchIndex::rebuild`] from the database.
    pub fn needs_fill(&self) -> bool {
        !matches!(self, OpenState::Existing)
    }
}

/// A change recorded while a rebuild runs, replayed onto the new generation.
enum Op {
    Upsert(Term, TantivyDocument),
    Delete(Term),
}

/// What searches use; replaced as a whole when a rebuild swaps generations.
struct ReadSide {
    reader: IndexReader,
    fields: Fields,
    /// All four text fields, exact ones boosted.
    main_parser: QueryParser,
    /// The exact fields only: decides the first ranking tier.
    exact_parser: QueryParser,
}

struct WriteSide {
    writer: IndexWriter,
    generation: u64,
    /// `Some` while a rebuild runs.
    log: Option<Vec<Op>>,
}

enum Location {
    Dir { path: PathBuf, _lock: DirLock },
    Ram,
}

/// A full-text index over entries and news posts. Share it behind an `Arc`:
/// every method takes `&self`; searches run concurrently with writes and see
/// the state of the last [`SearchIndex::commit`].
pub struct SearchIndex {
    location: Location,
    options: Options,
    read: RwLock<Arc<ReadSide>>,
    write: Mutex<WriteSide>,
    rebuilding: Mutex<()>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let location = match &self.location {
            Location::Dir { path, .. } => path.display().to_string(),
            Location::Ram => "RAM".to_string(),
        };
        f.debug_struct("SearchIndex")
            .field("location", &location)
            .field("options", &self.options)
            .finish()
    }
}

/// Poisoning only tells that another thread panicked; the guarded data is
/// still consistent enough for tantivy, so go on rather than panic too.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn prepare_index(index: Index, options: &Options) -> Result<(ReadSide, IndexWriter), IndexError> {
    let (expected, _) = build_schema();
    if index.schema() != expected {
        return Err(IndexError::rebuild("schema differs from this build's"));
    }
    let fields = fields_of(&index.schema())
        .ok_or_else(|| IndexError::rebuild("schema lacks a field this build needs"))?;
    register_analyzers(&index);
    let writer = index.writer_with_num_threads(options.threads, options.heap_bytes)?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let mut main_parser = QueryParser::for_index(
        &index,
        vec![
            fields.title_exact,
            fields.title,
            fields.body_exact,
            fields.body,
        ],
    );
    // Field boosts are applied by guard::rewrite, not by the parser.
    main_parser.set_conjunction_by_default();
    let mut exact_parser =
        QueryParser::for_index(&index, vec![fields.title_exact, fields.body_exact]);
    exact_parser.set_conjunction_by_default();
    let read = ReadSide {
        reader,
        fields,
        main_parser,
        exact_parser,
    };
    Ok((read, writer))
}

fn uid(kind: &str, key: i64) -> String {
    // Unambiguous: the key after the last '/' is always an integer.
    format!("{kind}/{key}")
}

impl SearchIndex {
    /// Opens the index in `dir`, creating an empty one if the folder is empty
    /// or missing. An unusable index gives [`IndexError::NeedsRebuild`]; a
    /// folder another process holds gives [`IndexError::Locked`].
    pub fn open(dir: impl AsRef<Path>, options: Options) -> Result<SearchIndex, IndexError> {
        Self::open_dir(dir.as_ref(), options, false).map(|(index, _)| index)
    }

    /// Like [`SearchIndex::open`], but an unusable index is replaced by an
    /// empty one. When the returned state says [`OpenState::needs_fill`], feed
    /// [`SearchIndex::rebuild`] from the database.
    pub fn open_or_reset(
        dir: impl AsRef<Path>,
        options: Options,
    ) -> Result<(SearchIndex, OpenState), IndexError> {
        Self::open_dir(dir.as_ref(), options, true)
    }

    /// An index that lives in memory only, for tests.
    pub fn in_ram(options: Options) -> Result<SearchIndex, IndexError> {
        options.validate()?;
        let (schema, _) = build_schema();
        let (read, writer) = prepare_index(Index::create_in_ram(schema), &options)?;
        Ok(Self::assemble(Location::Ram, options, read, writer, 0))
    }

    fn assemble(
        location: Location,
        options: Options,
        read: ReadSide,
        writer: IndexWriter,
        generation: u64,
    ) -> SearchIndex {
        SearchIndex {
            location,
            options,
            read: RwLock::new(Arc::new(read)),
            write: Mutex::new(WriteSide {
                writer,
                generation,
                log: None,
            }),
            rebuilding: Mutex::new(()),
        }
    }

    fn open_dir(
        dir: &Path,
        options: Options,
        reset: bool,
    ) -> Result<(SearchIndex, OpenState), IndexError> {
        options.validate()?;
        let dir_lock = store::lock_dir(dir)?;
        let opened = Self::open_generation(dir, &options);
        let (read, writer, generation, state) = match opened {
            Ok((read, writer, generation, state)) => (read, writer, generation, state),
            Err(IndexError::NeedsRebuild { reason }) if reset => {
                let generation = store::next_generation(dir)?;
                let (read, writer) = Self::create_generation(dir, generation, &options)?;
                store::write_current(dir, generation)?;
                (read, writer, generation, OpenState::Reset { reason })
            }
            Err(e) => return Err(e),
        };
        store::remove_other_generations(dir, generation);
        let location = Location::Dir {
            path: dir.to_path_buf(),
            _lock: dir_lock,
        };
        let index = Self::assemble(location, options, read, writer, generation);
        Ok((index, state))
    }

    fn open_generation(
        dir: &Path,
        options: &Options,
    ) -> Result<(ReadSide, IndexWriter, u64, OpenState), IndexError> {
        match store::read_current(dir)? {
            Current::Generation(generation) => {
                let path = store::gen_path(dir, generation);
                if !path.is_dir() {
                    return Err(IndexError::rebuild(format!(
                        "{} is missing",
                        path.display()
                    )));
                }
                let index = Index::open_in_dir(&path)?;
                let (read, writer) = prepare_index(index, options)?;
                Ok((read, writer, generation, OpenState::Existing))
            }
            Current::Missing => {
                if !store::list_generations(dir)?.is_empty() {
                    return Err(IndexError::rebuild("CURRENT is missing"));
                }
                let generation = 1;
                let (read, writer) = Self::create_generation(dir, generation, options)?;
                store::write_current(dir, generation)?;
                Ok((read, writer, generation, OpenState::Created))
            }
        }
    }

    fn create_generation(
        dir: &Path,
        generation: u64,
        options: &Options,
    ) -> Result<(ReadSide, IndexWriter), IndexError> {
        let path = store::gen_path(dir, generation);
        // A leftover from a crashed rebuild is garbage: start clean.
        if path.exists() {
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir_all(&path)?;
        let (schema, _) = build_schema();
        let index = Index::create_in_dir(&path, schema)?;
        prepare_index(index, options)
    }

    fn read_side(&self) -> Arc<ReadSide> {
        self.read.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn to_document(fields: &Fields, doc: &Doc) -> Result<(Term, TantivyDocument), IndexError> {
        if doc.kind.is_empty() {
            return Err(IndexError::InvalidDoc("thiếu loại tài liệu".to_string()));
        }
        let id = uid(&doc.kind, doc.key);
        let title = prepare(&doc.title);
        let body = prepare(&doc.body);
        let mut out = TantivyDocument::default();
        out.add_text(fields.uid, &id);
        out.add_i64(fields.key, doc.key);
        out.add_text(fields.kind, &doc.kind);
        for tag in &doc.tags {
            out.add_text(fields.tag, tag);
        }
        out.add_text(fields.title_exact, &title);
        out.add_text(fields.title, title);
        out.add_text(fields.body_exact, &body);
        out.add_text(fields.body, body);
        Ok((Term::from_field_text(fields.uid, &id), out))
    }

    fn apply(writer: &IndexWriter, op: &Op) -> Result<(), IndexError> {
        match op {
            Op::Upsert(id, doc) => {
                writer.delete_term(id.clone());
                writer.add_document(doc.clone())?;
            }
            Op::Delete(id) => {
                writer.delete_term(id.clone());
            }
        }
        Ok(())
    }

    fn record(&self, op: Op) -> Result<(), IndexError> {
        let mut write = lock(&self.write);
        Self::apply(&write.writer, &op)?;
        if let Some(log) = write.log.as_mut() {
            log.push(op);
        }
        Ok(())
    }

    /// Adds the document or replaces the one with the same (kind, key).
    /// Visible to searches after the next [`SearchIndex::commit`].
    pub fn upsert(&self, doc: &Doc) -> Result<(), IndexError> {
        let fields = self.read_side().fields;
        let (id, document) = Self::to_document(&fields, doc)?;
        self.record(Op::Upsert(id, document))
    }

    /// Removes the document (kind, key), if present, at the next commit.
    pub fn delete(&self, key: i64, kind: &str) -> Result<(), IndexError> {
        let fields = self.read_side().fields;
        let id = Term::from_field_text(fields.uid, &uid(kind, key));
        self.record(Op::Delete(id))
    }

    /// Makes all changes so far durable and visible to searches. Costs a
    /// segment flush: call it per batch, not per document.
    pub fn commit(&self) -> Result<(), IndexError> {
        let mut write = lock(&self.write);
        write.writer.commit()?;
        // Reload while still holding the writer, so a concurrent rebuild
        // cannot swap generations in between.
        self.read_side().reader.reload()?;
        Ok(())
    }

    /// Number of documents visible to searches.
    pub fn num_docs(&self) -> u64 {
        self.read_side().reader.searcher().num_docs()
    }

    /// Replaces the whole index by one built from `docs`; see
    /// [`SearchIndex::try_rebuild`].
    pub fn rebuild(&self, docs: impl IntoIterator<Item = Doc>) -> Result<u64, IndexError> {
        self.try_rebuild(docs.into_iter().map(Ok::<Doc, std::convert::Infallible>))
    }

    /// Builds a fresh index from `docs` in a new folder while searches and
    /// writes go on against the old one, then swaps it in atomically. Changes
    /// made during the rebuild are replayed onto the new index, so none is
    /// lost. On error (including an `Err` from `docs`) the old index stays.
    /// Returns the number of documents read from `docs`.
    pub fn try_rebuild<E>(
        &self,
        docs: impl IntoIterator<Item = Result<Doc, E>>,
    ) -> Result<u64, IndexError>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let _one_at_a_time = lock(&self.rebuilding);
        lock(&self.write).log = Some(Vec::new());
        let built = self.build_generation(docs);
        let (read, mut writer, generation, count) = match built {
            Ok(built) => built,
            Err(e) => {
                lock(&self.write).log = None;
                return Err(e);
            }
        };
        let old = {
            let mut write = lock(&self.write);
            let replayed = (|| {
                for op in write.log.as_deref().unwrap_or_default() {
                    Self::apply(&writer, op)?;
                }
                writer.commit()?;
                read.reader.reload()?;
                if let Location::Dir { path, .. } = &self.location {
                    store::write_current(path, generation)?;
                }
                Ok::<(), IndexError>(())
            })();
            if let Err(e) = replayed {
                write.log = None;
                drop(write);
                self.discard_generation(writer, generation);
                return Err(e);
            }
            *self.read.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(read);
            write.log = None;
            let old_generation = std::mem::replace(&mut write.generation, generation);
            let old_writer = std::mem::replace(&mut write.writer, writer);
            (old_writer, old_generation)
        };
        let (old_writer, old_generation) = old;
        self.discard_generation(old_writer, old_generation);
        Ok(count)
    }

    fn build_generation<E>(
        &self,
        docs: impl IntoIterator<Item = Result<Doc, E>>,
    ) -> Result<(ReadSide, IndexWriter, u64, u64), IndexError>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let (generation, (read, mut writer)) = match &self.location {
            Location::Dir { path, .. } => {
                let generation = store::next_generation(path)?;
                (
                    generation,
                    Self::create_generation(path, generation, &self.options)?,
                )
            }
            Location::Ram => {
                let (schema, _) = build_schema();
                (
                    lock(&self.write).generation + 1,
                    prepare_index(Index::create_in_ram(schema), &self.options)?,
                )
            }
        };
        let filled = (|| {
            let mut count = 0u64;
            let mut seen = HashSet::new();
            for doc in docs {
                let doc = doc.map_err(|e| IndexError::Source(e.into()))?;
                let (id, document) = Self::to_document(&read.fields, &doc)?;
                // A fresh index needs no delete unless the source repeats a
                // (kind, key); then the last copy wins, as with upserts.
                if !seen.insert((doc.kind.clone(), doc.key)) {
                    writer.delete_term(id);
                }
                writer.add_document(document)?;
                count += 1;
            }
            writer.commit()?;
            Ok::<u64, IndexError>(count)
        })();
        match filled {
            Ok(count) => Ok((read, writer, generation, count)),
            Err(e) => {
                self.discard_generation(writer, generation);
                Err(e)
            }
        }
    }

    /// Stops a writer and removes its folder (best effort: leftovers are
    /// removed at the next open).
    fn discard_generation(&self, writer: IndexWriter, generation: u64) {
        let _ = writer.wait_merging_threads();
        if let Location::Dir { path, .. } = &self.location {
            let _ = std::fs::remove_dir_all(store::gen_path(path, generation));
        }
    }

    /// Runs a search. Documents where every word matched with the diacritics
    /// the user typed come first; then the rest, each group by relevance.
    pub fn search(&self, query: &Query) -> Result<Hits, IndexError> {
        let side = self.read_side();
        let searcher = side.reader.searcher();
        let fields = side.fields;
        let limit = query.limit.min(MAX_LIMIT);
        let window_ok = query.offset.saturating_add(limit) <= MAX_RESULT_WINDOW;
        let limit = if window_ok { limit } else { 0 };

        let mut filters: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        let mut filter_term = |term: Term| {
            let q = TermQuery::new(term, IndexRecordOption::Basic);
            filters.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(q), 0.0)),
            ));
        };
        if let Some(kind) = &query.kind {
            filter_term(Term::from_field_text(fields.kind, kind));
        }
        for tag in &query.must_tags {
            filter_term(Term::from_field_text(fields.tag, tag));
        }
        if !query.any_of.is_empty() {
            let any: Vec<(Occur, Box<dyn TantivyQuery>)> = query
                .any_of
                .iter()
                .map(|f| (Occur::Should, filter_query(&fields, f)))
                .collect();
            filters.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
            ));
        }

        let text = prepare(&query.text);
        if !text.chars().any(char::is_alphanumeric) {
            return self.list(&side, &searcher, filters, query.offset, limit);
        }
        let (main, exact) = parse(&side, &text);

        let exact_weight = exact.weight(EnableScoring::disabled_from_searcher(&searcher))?;
        let collector = TieredTop {
            exact: Arc::from(exact_weight),
            keep: query.offset.saturating_add(limit).min(MAX_RESULT_WINDOW),
        };
        let fruit = if filters.is_empty() {
            searcher.search(&*main, &collector)?
        } else {
            let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> =
                vec![(Occur::Must, main.box_clone())];
            clauses.extend(filters);
            searcher.search(&BooleanQuery::new(clauses), &collector)?
        };
        let [first_total, rest_total] = fruit.counts;
        let [first_top, rest_top] = fruit.top;
        // The requested window over "tier 0, then tier 1".
        let window = query.offset..query.offset.saturating_add(limit);
        let first_docs: Vec<_> = first_top
            .into_iter()
            .skip(window.start)
            .take(window.len())
            .collect();
        let rest_docs: Vec<_> = rest_top
            .into_iter()
            .skip(window.start.saturating_sub(first_total))
            .take(window.len() - first_docs.len())
            .collect();

        let mut body_snippets = SnippetGenerator::create(&searcher, &*main, fields.body)?;
        body_snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut title_snippets = SnippetGenerator::create(&searcher, &*main, fields.title)?;
        title_snippets.set_max_num_chars(MAX_TITLE_CHARS);
        let mut hits = Vec::with_capacity(first_docs.len() + rest_docs.len());
        let tiers = [(true, first_docs), (false, rest_docs)];
        for (exact, docs) in tiers {
            for (score, address) in docs {
                let doc: TantivyDocument = searcher.doc(address)?;
                let title = stored_text(&doc, fields.title);
                let body = stored_text(&doc, fields.body);
                hits.push(Hit {
                    title: Highlighted::whole(title, &title_snippets.snippet(title)),
                    snippet: body_snippet(&body_snippets, body),
                    ..bare_hit(&doc, &fields, score, exact)?
                });
            }
        }
        Ok(Hits {
            total: first_total + rest_total,
            hits,
        })
    }

    /// No words to match: list what the filters allow, newest key first.
    fn list(
        &self,
        side: &ReadSide,
        searcher: &Searcher,
        filters: Vec<(Occur, Box<dyn TantivyQuery>)>,
        offset: usize,
        limit: usize,
    ) -> Result<Hits, IndexError> {
        let fields = side.fields;
        let query: Box<dyn TantivyQuery> = if filters.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(filters))
        };
        let total = searcher.search(&*query, &Count)?;
        let mut hits = Vec::new();
        if limit > 0 {
            let top = TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_fast_field::<i64>("key", Order::Desc);
            for (_, address) in searcher.search(&*query, &top)? {
                let doc: TantivyDocument = searcher.doc(address)?;
                hits.push(Hit {
                    title: Highlighted::plain(stored_text(&doc, fields.title)),
                    snippet: Highlighted::lead(stored_text(&doc, fields.body), SNIPPET_CHARS),
                    ..bare_hit(&doc, &fields, 0.0, false)?
                });
            }
        }
        Ok(Hits { total, hits })
    }
}

/// The documents one [`Filter`] lets through: its kind and all its tags.
fn filter_query(fields: &Fields, f: &Filter) -> Box<dyn TantivyQuery> {
    let terms: Vec<Term> = f
        .kind
        .iter()
        .map(|k| Term::from_field_text(fields.kind, k))
        .chain(f.tags.iter().map(|t| Term::from_field_text(fields.tag, t)))
        .collect();
    if terms.is_empty() {
        return Box::new(AllQuery);
    }
    Box::new(BooleanQuery::new(
        terms
            .into_iter()
            .map(|t| {
                let q: Box<dyn TantivyQuery> =
                    Box::new(TermQuery::new(t, IndexRecordOption::Basic));
                (Occur::Must, q)
            })
            .collect(),
    ))
}

/// Parses the user's text for all fields and for the exact fields only. Text
/// tantivy's grammar rejects (a stray quote, `a:b`, `C++`) is retried as plain
/// words, so the user never sees a syntax error.
fn parse(side: &ReadSide, text: &str) -> (Box<dyn TantivyQuery>, Box<dyn TantivyQuery>) {
    // `^` (user boosts) would build queries guard::rewrite cannot look into.
    let text = text.replace('^', " ");
    let fields = side.fields;
    let main_boost = move |field: Field| -> f32 {
        let title = if field == fields.title || field == fields.title_exact {
            TITLE_BOOST
        } else {
            1.0
        };
        let exact = if field == fields.title_exact || field == fields.body_exact {
            EXACT_BOOST
        } else {
            1.0
        };
        title * exact
    };
    let finish = |main: Box<dyn TantivyQuery>, exact: Box<dyn TantivyQuery>| {
        (
            guard::rewrite(main.as_ref(), &main_boost),
            guard::rewrite(exact.as_ref(), &|_| 1.0),
        )
    };
    if let (Ok(main), Ok(exact)) = (
        side.main_parser.parse_query(&text),
        side.exact_parser.parse_query(&text),
    ) {
        return finish(main, exact);
    }
    // Lowercase so that words such as AND/OR/NOT are no longer operators.
    let plain = exact_tokens(&text).join(" ");
    let (main, _) = side.main_parser.parse_query_lenient(&plain);
    let (exact, _) = side.exact_parser.parse_query_lenient(&plain);
    finish(main, exact)
}

fn stored_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> &str {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("")
}

/// The passage of the body around the matches, or all of it when short.
fn body_snippet(generator: &SnippetGenerator, body: &str) -> Highlighted {
    let snippet = generator.snippet(body);
    if body.chars().count() <= SNIPPET_CHARS {
        return Highlighted::whole(body, &snippet);
    }
    Highlighted::from_snippet(&snippet).unwrap_or_else(|| Highlighted::lead(body, SNIPPET_CHARS))
}

fn bare_hit(
    doc: &TantivyDocument,
    fields: &Fields,
    score: f32,
    exact: bool,
) -> Result<Hit, IndexError> {
    let key = doc
        .get_first(fields.key)
        .and_then(|v| v.as_i64())
        .ok_or_else(|| IndexError::rebuild("stored document lacks its key"))?;
    Ok(Hit {
        key,
        kind: stored_text(doc, fields.kind).to_string(),
        score,
        exact,
        title: Highlighted::default(),
        snippet: Highlighted::default(),
    })
}
