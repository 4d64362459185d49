//! Small hand-written cases for each promise of the crate.

use std::sync::Arc;

use hoithi_search::{Doc, Filter, Hits, IndexError, OpenState, Options, Query, SearchIndex};
use unicode_normalization::UnicodeNormalization;

fn doc(key: i64, kind: &str, title: &str, body: &str, tags: &[&str]) -> Doc {
    Doc {
        key,
        kind: kind.to_string(),
        title: title.to_string(),
        body: body.to_string(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

fn query(text: &str) -> Query {
    Query {
        text: text.to_string(),
        limit: 100,
        ..Query::default()
    }
}

fn keys(hits: &Hits) -> Vec<i64> {
    hits.hits.iter().map(|h| h.key).collect()
}

fn sample() -> SearchIndex {
    let index = SearchIndex::in_ram(Options::default()).expect("index");
    let docs = [
        doc(
            1,
            "entry",
            "Bài một",
            "Con đường đổi mới của đất nước.",
            &["contest:1", "unit:1", "unit:2"],
        ),
        // Many weak matches in a short text: without tiers BM25 would rank it high.
        doc(
            2,
            "entry",
            "Dương Dương",
            "Dương dương duong Dương.",
            &["contest:1", "unit:1", "unit:3"],
        ),
        doc(
            3,
            "entry",
            "Bài ba",
            "Nói về duong lối và con đường.",
            &["contest:2", "unit:1", "unit:3"],
        ),
        doc(
            4,
            "news",
            "Tin hòa bình",
            "Hội nghị bàn về hòa bình và hợp tác.",
            &["category:1"],
        ),
        doc(
            5,
            "news",
            "Tin hoà giải",
            "Công tác hoà giải ở cơ sở.",
            &["category:1"],
        ),
        doc(
            6,
            "entry",
            "Đảng viên",
            "Học tập và làm theo tấm gương đạo đức.",
            &["contest:1", "unit:1", "unit:2"],
        ),
    ];
    for d in &docs {
        index.upsert(d).expect("upsert");
    }
    index.commit().expect("commit");
    index
}

#[test]
fn exact_diacritics_rank_first_and_folded_matches_follow() {
    let index = sample();
    let hits = index.search(&query("đường")).expect("search");
    assert_eq!(hits.total, 3);
    let order = keys(&hits);
    // 1 and 3 contain "đường"; 2 only "Dương"/"duong" but many times.
    assert_eq!(order.len(), 3);
    assert_eq!(order[2], 2, "{order:?}");
    assert!(hits.hits[0].exact && hits.hits[1].exact && !hits.hits[2].exact);
}

#[test]
fn any_of_filters_let_through_what_one_of_them_allows() {
    let index = sample();
    let filter = |kind: Option<&str>, tags: &[&str]| Filter {
        kind: kind.map(str::to_string),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    };
    let with = |text: &str, any_of: Vec<Filter>| {
        let mut sorted = keys(
            &index
                .search(&Query {
                    any_of,
                    ..query(text)
                })
                .expect("search"),
        );
        sorted.sort();
        sorted
    };
    // News of category 1, and entries of contest 1 in unit 3 only.
    let visible = vec![
        filter(Some("news"), &["category:1"]),
        filter(Some("entry"), &["contest:1", "unit:3"]),
    ];
    assert_eq!(with("hòa", visible.clone()), vec![4, 5]);
    assert_eq!(with("duong", visible.clone()), vec![2]);
    // Listing (no words) honours the filters too.
    assert_eq!(with("", visible), vec![2, 4, 5]);
    // A tag alone, for any kind; an empty filter lets everything through.
    assert_eq!(with("", vec![filter(None, &["unit:2"])]), vec![1, 6]);
    assert_eq!(with("", vec![Filter::default()]).len(), 6);
    // Combined with the other filters, all must hold.
    let hits = index
        .search(&Query {
            kind: Some("entry".into()),
            any_of: vec![filter(None, &["category:1"])],
            ..query("")
        })
        .expect("search");
    assert_eq!(hits.total, 0);
}

#[test]
fn unaccented_query_finds_every_variant() {
    let index = sample();
    let hits = index.search(&query("duong")).expect("search");
    assert_eq!(hits.total, 3);
    // Only doc 2 and 3 contain the bare form "duong" literally.
    let exact: Vec<i64> = hits
        .hits
        .iter()
        .filter(|h| h.exact)
        .map(|h| h.key)
        .collect();
    let mut exact_sorted = exact.clone();
    exact_sorted.sort();
    assert_eq!(exact_sorted, vec![2, 3]);
}

#[test]
fn d_with_stroke_folds_to_d() {
    let index = sample();
    assert_eq!(
        keys(&index.search(&query("dang vien")).expect("search")),
        vec![6]
    );
    assert_eq!(
        keys(&index.search(&query("DAO DUC")).expect("search")),
        vec![6]
    );
}

#[test]
fn words_are_anded() {
    let index = sample();
    assert_eq!(
        keys(&index.search(&query("con đường đất nước")).expect("search")),
        vec![1]
    );
    assert_eq!(index.search(&query("đường hòa")).expect("search").total, 0);
}

#[test]
fn phrases_need_adjacent_words() {
    let index = sample();
    assert_eq!(
        keys(&index.search(&query("\"con đường\"")).expect("search")).len(),
        2
    );
    assert_eq!(
        keys(&index.search(&query("\"đổi mới\"")).expect("search")),
        vec![1]
    );
    assert_eq!(
        index.search(&query("\"mới đổi\"")).expect("search").total,
        0
    );
    // Phrase without diacritics still matches.
    assert_eq!(
        keys(&index.search(&query("\"doi moi\"")).expect("search")),
        vec![1]
    );
}

#[test]
fn syntax_errors_fall_back_to_plain_words() {
    let index = sample();
    for text in [
        "\"con đường",
        "đường:",
        "con: đường",
        "title:(đường",
        "đường)",
        "AND đường",
        "đường OR",
        "[đường",
        "đường^",
        "đường~~",
        "{{{",
        "\\",
        "*:*",
        "đường AND AND",
    ] {
        let hits = index.search(&query(text));
        assert!(hits.is_ok(), "{text:?}: {hits:?}");
    }
    let hits = index.search(&query("\"con đường")).expect("search");
    assert_eq!(hits.total, 2);
    let hits = index.search(&query("con: đường")).expect("search");
    assert_eq!(hits.total, 2);
}

#[test]
fn nfd_documents_and_queries_meet_nfc_ones() {
    let index = SearchIndex::in_ram(Options::default()).expect("index");
    let nfd: String = "Quyết định về hòa giải".nfd().collect();
    index
        .upsert(&doc(1, "entry", "", &nfd, &[]))
        .expect("upsert");
    index
        .upsert(&doc(2, "entry", "", "Quyết định số 72", &[]))
        .expect("upsert");
    index.commit().expect("commit");
    let hits = index.search(&query("quyết định hòa giải")).expect("search");
    assert_eq!(keys(&hits), vec![1]);
    assert!(hits.hits[0].exact);
    let nfd_query: String = "Quyết định".nfd().collect();
    let hits = index.search(&query(&nfd_query)).expect("search");
    assert_eq!(hits.total, 2);
    assert!(hits.hits.iter().all(|h| h.exact));
}

#[test]
fn both_tone_styles_are_found() {
    let index = sample();
    for text in ["hòa", "hoà", "hoa"] {
        let hits = index.search(&query(text)).expect("search");
        let mut found = keys(&hits);
        found.sort();
        assert_eq!(found, vec![4, 5], "{text}");
        // Either tone placement counts as typed; the bare form does not.
        let exact = text != "hoa";
        assert!(hits.hits.iter().all(|h| h.exact == exact), "{text}");
    }
}

#[test]
fn filters_by_kind_and_tags() {
    let index = sample();
    let mut q = query("");
    q.kind = Some("news".to_string());
    assert_eq!(keys(&index.search(&q).expect("search")), vec![5, 4]);
    let mut q = query("");
    q.must_tags = vec!["unit:1".to_string()];
    assert_eq!(keys(&index.search(&q).expect("search")), vec![6, 3, 2, 1]);
    let mut q = query("đường");
    q.must_tags = vec!["unit:2".to_string()];
    assert_eq!(keys(&index.search(&q).expect("search")), vec![1]);
    let mut q = query("đường");
    q.must_tags = vec!["unit:1".to_string(), "contest:2".to_string()];
    assert_eq!(keys(&index.search(&q).expect("search")), vec![3]);
    let mut q = query("đường");
    q.kind = Some("news".to_string());
    assert_eq!(index.search(&q).expect("search").total, 0);
}

#[test]
fn pages_follow_the_ranking_across_tiers() {
    let index = sample();
    let all = keys(&index.search(&query("duong")).expect("search"));
    let mut paged = Vec::new();
    for offset in 0..3 {
        let mut q = query("duong");
        q.offset = offset;
        q.limit = 1;
        let hits = index.search(&q).expect("search");
        assert_eq!(hits.total, 3);
        paged.extend(keys(&hits));
    }
    assert_eq!(paged, all);
    let mut q = query("duong");
    q.offset = usize::MAX;
    q.limit = usize::MAX;
    let hits = index.search(&q).expect("search");
    assert_eq!((hits.total, hits.hits.len()), (3, 0));
    q.offset = 0;
    q.limit = 0;
    assert_eq!(index.search(&q).expect("search").total, 3);
}

#[test]
fn snippets_mark_variants_and_escape_html() {
    let index = SearchIndex::in_ram(Options::default()).expect("index");
    index
        .upsert(&doc(
            1,
            "entry",
            "<script>Đường</script>",
            "Dương & <b>đường</b> \"x\"",
            &[],
        ))
        .expect("upsert");
    index.commit().expect("commit");
    let hits = index.search(&query("đường")).expect("search");
    let hit = &hits.hits[0];
    assert_eq!(
        hit.title.to_html(),
        "&lt;script&gt;<mark>Đường</mark>&lt;/script&gt;"
    );
    assert_eq!(
        hit.snippet.to_html(),
        "<mark>Dương</mark> &amp; &lt;b&gt;<mark>đường</mark>&lt;/b&gt; &quot;x&quot;"
    );
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let index = sample();
    index
        .upsert(&doc(
            1,
            "entry",
            "Bài một",
            "Nội dung mới hoàn toàn.",
            &["unit:9"],
        ))
        .expect("upsert");
    // Not visible before commit.
    assert_eq!(index.search(&query("hoàn toàn")).expect("search").total, 0);
    index.commit().expect("commit");
    assert_eq!(
        keys(&index.search(&query("hoàn toàn")).expect("search")),
        vec![1]
    );
    assert!(!keys(&index.search(&query("đổi mới")).expect("search")).contains(&1));
    // Same key, other kind: a different document.
    index.delete(1, "news").expect("delete");
    index.commit().expect("commit");
    assert_eq!(index.num_docs(), 6);
    index.delete(1, "entry").expect("delete");
    index.commit().expect("commit");
    assert_eq!(index.num_docs(), 5);
    assert_eq!(index.search(&query("hoàn toàn")).expect("search").total, 0);
    assert!(matches!(
        index.upsert(&doc(7, "", "x", "y", &[])),
        Err(IndexError::InvalidDoc(_))
    ));
}

#[test]
fn options_are_checked() {
    for (heap_bytes, threads) in [
        (14_000_000, 1),
        (50_000_000, 0),
        (50_000_000, 4),
        (60_000_000, 9),
    ] {
        let r = SearchIndex::in_ram(Options {
            heap_bytes,
            threads,
        });
        assert!(
            matches!(r, Err(IndexError::InvalidOptions(_))),
            "{heap_bytes} {threads}"
        );
    }
    assert!(
        SearchIndex::in_ram(Options {
            heap_bytes: 30_000_000,
            threads: 2
        })
        .is_ok()
    );
}

#[test]
fn survives_restart_and_locks_the_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let (index, state) =
            SearchIndex::open_or_reset(dir.path(), Options::default()).expect("open");
        assert_eq!(state, OpenState::Created);
        index
            .upsert(&doc(1, "entry", "Con đường", "Nội dung", &[]))
            .expect("upsert");
        index.commit().expect("commit");
        index
            .upsert(&doc(2, "entry", "Chưa lưu", "Nội dung", &[]))
            .expect("upsert");
        assert!(matches!(
            SearchIndex::open(dir.path(), Options::default()),
            Err(IndexError::Locked)
        ));
    }
    let (index, state) =
        SearchIndex::open_or_reset(dir.path(), Options::default()).expect("reopen");
    assert_eq!(state, OpenState::Existing);
    assert_eq!(
        keys(&index.search(&query("duong")).expect("search")),
        vec![1]
    );
    assert_eq!(index.num_docs(), 1, "uncommitted changes are dropped");
}

#[test]
fn corrupt_index_needs_rebuild() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let index = SearchIndex::open(dir.path(), Options::default()).expect("open");
        index
            .upsert(&doc(1, "entry", "Con đường", "Nội dung", &[]))
            .expect("upsert");
        index.commit().expect("commit");
    }
    let gen_dir = std::fs::read_dir(dir.path())
        .expect("read_dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .expect("generation folder");
    std::fs::write(gen_dir.join("meta.json"), b"{ not json").expect("corrupt");
    let err = SearchIndex::open(dir.path(), Options::default()).expect_err("corrupt");
    assert!(err.needs_rebuild(), "{err:?}");
    assert!(err.to_string().contains("xây dựng lại"));
    let (index, state) = SearchIndex::open_or_reset(dir.path(), Options::default()).expect("reset");
    assert!(matches!(state, OpenState::Reset { .. }), "{state:?}");
    assert!(state.needs_fill());
    assert_eq!(index.num_docs(), 0);
    index
        .rebuild([doc(1, "entry", "Con đường", "Nội dung", &[])])
        .expect("rebuild");
    drop(index);
    let (index, state) =
        SearchIndex::open_or_reset(dir.path(), Options::default()).expect("reopen");
    assert_eq!(state, OpenState::Existing);
    assert_eq!(index.num_docs(), 1);
}

#[test]
fn truncated_segment_file_needs_rebuild() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let index = SearchIndex::open(dir.path(), Options::default()).expect("open");
        index
            .upsert(&doc(1, "entry", "Con đường", "Nội dung", &[]))
            .expect("upsert");
        index.commit().expect("commit");
    }
    let mut truncated = 0;
    for entry in std::fs::read_dir(dir.path()).expect("read_dir").flatten() {
        if !entry.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(entry.path()).expect("read_dir").flatten() {
            let name = file.file_name().to_string_lossy().to_string();
            if name.ends_with(".term") || name.ends_with(".idx") || name.ends_with(".store") {
                std::fs::write(file.path(), b"xx").expect("truncate");
                truncated += 1;
            }
        }
    }
    assert!(truncated > 0);
    let err = SearchIndex::open(dir.path(), Options::default()).expect_err("truncated");
    assert!(err.needs_rebuild(), "{err:?}");
}

#[test]
fn format_from_another_version_needs_rebuild() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(SearchIndex::open(dir.path(), Options::default()).expect("open"));
    std::fs::write(dir.path().join("CURRENT"), "hoithi-search 0 gen-00000001\n").expect("write");
    let err = SearchIndex::open(dir.path(), Options::default()).expect_err("old format");
    assert!(err.needs_rebuild(), "{err:?}");
    std::fs::remove_file(dir.path().join("CURRENT")).expect("remove");
    let err = SearchIndex::open(dir.path(), Options::default()).expect_err("no CURRENT");
    assert!(err.needs_rebuild(), "{err:?}");
}

#[test]
fn rebuild_swaps_in_a_fresh_index_and_keeps_concurrent_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = Arc::new(SearchIndex::open(dir.path(), Options::default()).expect("open"));
    index
        .upsert(&doc(1, "entry", "Cũ", "Tài liệu cũ sẽ mất", &[]))
        .expect("upsert");
    index.commit().expect("commit");

    // The source writes a change through the index while it is being read,
    // as a web request would during `hoithi search rebuild`.
    let writer = Arc::clone(&index);
    let source = (10..20).map(move |key| {
        if key == 15 {
            writer
                .upsert(&doc(
                    99,
                    "news",
                    "Tin mới",
                    "Đăng trong lúc xây dựng lại",
                    &[],
                ))
                .expect("upsert");
            writer.delete(10, "entry").expect("delete");
            writer.commit().expect("commit");
        }
        doc(key, "entry", "Bài", &format!("Nội dung số {key}"), &[])
    });
    // Searches during the rebuild still see the old generation.
    let count = index.rebuild(source).expect("rebuild");
    assert_eq!(count, 10);
    // 10 read from the source, minus 10 (deleted meanwhile), plus 99, minus old 1.
    assert_eq!(index.num_docs(), 10);
    assert_eq!(
        index.search(&query("tài liệu cũ")).expect("search").total,
        0
    );
    assert_eq!(
        keys(&index.search(&query("xây dựng lại")).expect("search")),
        vec![99]
    );
    assert_eq!(index.search(&query("\"số 10\"")).expect("search").total, 0);

    // Exactly one generation folder stays.
    let gens = std::fs::read_dir(dir.path())
        .expect("read_dir")
        .flatten()
        .filter(|e| e.path().is_dir())
        .count();
    assert_eq!(gens, 1);
    drop(index);
    let index = SearchIndex::open(dir.path(), Options::default()).expect("reopen");
    assert_eq!(index.num_docs(), 10);
}

#[test]
fn failed_rebuild_keeps_the_old_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = SearchIndex::open(dir.path(), Options::default()).expect("open");
    index
        .upsert(&doc(1, "entry", "Cũ", "Tài liệu cũ", &[]))
        .expect("upsert");
    index.commit().expect("commit");
    let source = (0..5).map(|i| {
        if i == 3 {
            Err("mất kết nối cơ sở dữ liệu")
        } else {
            Ok(doc(i, "entry", "Mới", "Tài liệu mới", &[]))
        }
    });
    let err = index.try_rebuild(source).expect_err("source fails");
    assert!(matches!(err, IndexError::Source(_)), "{err:?}");
    assert_eq!(index.num_docs(), 1);
    assert_eq!(
        index.search(&query("tài liệu cũ")).expect("search").total,
        1
    );
    // Writes still work and no stray folder is left.
    index
        .upsert(&doc(2, "entry", "Cũ", "Tài liệu cũ", &[]))
        .expect("upsert");
    index.commit().expect("commit");
    assert_eq!(index.num_docs(), 2);
    let gens = std::fs::read_dir(dir.path())
        .expect("read_dir")
        .flatten()
        .filter(|e| e.path().is_dir())
        .count();
    assert_eq!(gens, 1);
}

#[test]
fn searches_run_while_another_thread_writes() {
    let index = Arc::new(sample());
    let writer = Arc::clone(&index);
    let handle = std::thread::spawn(move || {
        for key in 100..150 {
            writer
                .upsert(&doc(key, "entry", "Bài", "con đường mới", &["unit:1"]))
                .expect("upsert");
            if key % 10 == 0 {
                writer.commit().expect("commit");
            }
        }
        writer.commit().expect("commit");
    });
    for _ in 0..50 {
        let hits = index.search(&query("con đường")).expect("search");
        assert!(hits.total >= 2);
    }
    handle.join().expect("writer thread");
    assert_eq!(index.search(&query("con đường")).expect("search").total, 52);
}

#[test]
fn phrase_tiers_interleave_correctly() {
    // Exact phrase matches interleaved with folded-only ones.
    let index = SearchIndex::in_ram(Options::default()).expect("index");
    for key in 0..40 {
        let body = if key % 3 == 0 {
            "có văn bản này"
        } else {
            "có vân bán này"
        };
        index
            .upsert(&doc(key, "entry", "", body, &[]))
            .expect("upsert");
    }
    index.commit().expect("commit");
    let hits = index.search(&query("\"văn bản\"")).expect("search");
    assert_eq!(hits.total, 40);
    let exact = hits.hits.iter().filter(|h| h.exact).count();
    assert_eq!(exact, 14);
    assert!(hits.hits[..exact].iter().all(|h| h.key % 3 == 0));
}

#[test]
fn hostile_queries_never_fail() {
    let index = sample();
    // Every tantivy grammar character, Vietnamese letters, bare combining
    // marks, control and wide characters, in pseudo-random strings.
    let alphabet: Vec<char> = "\"':()[]{}^~*?+-!&|\\/<>=@#.,; \tAaĐđườngDươnghòaOR AND NOT IN TO\u{301}\u{323}\u{0}\u{200b}\u{feff}𝔸中"
        .chars()
        .collect();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    // Hostile document text too: indexed, then searched, then highlighted.
    for key in 0..200 {
        let mut text = String::new();
        for _ in 0..(key % 50) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        let long = "đ".repeat((key % 7) as usize * 20);
        index
            .upsert(&doc(
                key + 1_000,
                "entry",
                &text,
                &format!("{text} {long} {text}"),
                &[&text],
            ))
            .expect("upsert");
    }
    index.commit().expect("commit");
    for _ in 0..2_000 {
        let len = (state % 24) as usize;
        let mut text = String::new();
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        let mut q = query(&text);
        q.must_tags = vec![text.clone()];
        let hits = index.search(&query(&text));
        assert!(hits.is_ok(), "{text:?}");
        for hit in hits.iter().flat_map(|h| &h.hits) {
            let _ = (hit.title.to_html(), hit.snippet.to_html());
        }
        assert!(index.search(&q).is_ok(), "{text:?}");
    }
}

#[test]
fn rebuild_source_repeating_a_key_keeps_the_last_copy() {
    let index = SearchIndex::in_ram(Options::default()).expect("index");
    let source = [
        doc(1, "entry", "Bản đầu", "nội dung cũ", &[]),
        doc(1, "news", "Tin", "khác loại, giữ lại", &[]),
        doc(1, "entry", "Bản sau", "nội dung mới", &[]),
    ];
    assert_eq!(index.rebuild(source).expect("rebuild"), 3);
    assert_eq!(index.num_docs(), 2);
    assert_eq!(index.search(&query("cũ")).expect("search").total, 0);
    assert_eq!(
        keys(&index.search(&query("nội dung mới")).expect("search")),
        vec![1]
    );
}

#[test]
fn a_crashed_rebuild_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let index = SearchIndex::open(dir.path(), Options::default()).expect("open");
        index
            .upsert(&doc(1, "entry", "Con đường", "Nội dung", &[]))
            .expect("upsert");
        index.commit().expect("commit");
    }
    // What a rebuild killed half-way leaves: a newer generation nobody points at.
    let stray = dir.path().join("gen-00000007");
    std::fs::create_dir(&stray).expect("mkdir");
    std::fs::write(stray.join("meta.json"), b"half written").expect("write");
    std::fs::write(
        dir.path().join("CURRENT.tmp"),
        b"hoithi-search 1 gen-00000007",
    )
    .expect("write");
    let (index, state) = SearchIndex::open_or_reset(dir.path(), Options::default()).expect("open");
    assert_eq!(state, OpenState::Existing);
    assert_eq!(index.num_docs(), 1);
    assert!(!stray.exists());
    assert!(!dir.path().join("CURRENT.tmp").exists());
    // The next rebuild still gets a fresh folder and works.
    index
        .rebuild([doc(2, "entry", "Mới", "Nội dung mới", &[])])
        .expect("rebuild");
    assert_eq!(keys(&index.search(&query("mới")).expect("search")), vec![2]);
}

#[test]
fn negated_phrases_typed_by_the_user_work() {
    // Gaps between the phrase's documents make tantivy's exclusion seek the
    // phrase scorer past the next candidate: the case behind guard.rs.
    let index = SearchIndex::in_ram(Options::default()).expect("index");
    let bodies = [
        "có văn bản này",
        "có gì này",
        "có gì khác",
        "có vân bán này",
    ];
    for key in 0..60 {
        index
            .upsert(&doc(key, "entry", "", bodies[key as usize % 4], &[]))
            .expect("upsert");
    }
    index.commit().expect("commit");
    for text in [
        "có -\"van ban\"",
        "có -\"văn bản\" -\"vân bán\"",
        "(có -\"van ban\")",
    ] {
        let hits = index.search(&query(text)).expect("search");
        assert_eq!(hits.total, 30, "{text}");
        assert!(
            hits.hits.iter().all(|h| h.key % 4 == 1 || h.key % 4 == 2),
            "{text}"
        );
    }
    let hits = index
        .search(&query("\"gì khác\" OR \"van ban\""))
        .expect("search");
    assert_eq!(hits.total, 45);
}

#[test]
fn the_index_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<SearchIndex>();
    shareable::<IndexError>();
    shareable::<Hits>();
}
