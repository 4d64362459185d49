//! Checks on real Vietnamese text (libreoffice-help-vi paragraphs). Every
//! expected count is computed here by an independent reference (NFD, strip
//! marks, split at non-alphanumerics), not by the crate under test.

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use common::{contains_run, fold_word, folded_words, paragraphs, words};
use hoithi_search::{Doc, Hits, Options, Query, SearchIndex};
use unicode_normalization::{UnicodeNormalization, is_nfc};

struct Corpus {
    paragraphs: Vec<String>,
    index: SearchIndex,
}

/// Tags: each paragraph belongs to unit 100 + i % 7, whose parent is unit
/// 10 + (i % 7) / 3, whose parent is unit 1 (tags list every ancestor).
fn unit_tags(i: usize) -> Vec<String> {
    let leaf = 100 + i % 7;
    let mid = 10 + (i % 7) / 3;
    vec![
        format!("unit:{leaf}"),
        format!("unit:{mid}"),
        "unit:1".to_string(),
    ]
}

fn corpus() -> Option<&'static Corpus> {
    static CORPUS: OnceLock<Option<Corpus>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let paragraphs = paragraphs()?;
            let index = SearchIndex::in_ram(Options::default()).expect("index");
            for (i, p) in paragraphs.iter().enumerate() {
                index
                    .upsert(&Doc {
                        key: i as i64,
                        kind: "entry".to_string(),
                        title: String::new(),
                        body: p.clone(),
                        tags: unit_tags(i),
                    })
                    .expect("upsert");
            }
            index.commit().expect("commit");
            Some(Corpus { paragraphs, index })
        })
        .as_ref()
}

/// Every hit of a query, all pages.
fn all_hits(index: &SearchIndex, mut query: Query) -> Hits {
    query.limit = 500;
    query.offset = 0;
    let mut out = index.search(&query).expect("search");
    while out.hits.len() < out.total {
        query.offset = out.hits.len();
        let page = index.search(&query).expect("search");
        assert!(
            !page.hits.is_empty(),
            "pagination stalled at {}",
            query.offset
        );
        out.hits.extend(page.hits);
    }
    out
}

fn text_query(text: &str) -> Query {
    Query {
        text: text.to_string(),
        ..Query::default()
    }
}

fn keys(hits: &Hits) -> BTreeSet<i64> {
    hits.hits.iter().map(|h| h.key).collect()
}

/// Paragraphs whose folded words contain all of `query`'s folded words.
fn reference_all_words(paragraphs: &[String], query: &str) -> BTreeSet<i64> {
    let wanted = folded_words(query);
    paragraphs
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            let have: BTreeSet<String> = folded_words(p).into_iter().collect();
            wanted.iter().all(|w| have.contains(w))
        })
        .map(|(i, _)| i as i64)
        .collect()
}

#[test]
fn corpus_is_big_enough() {
    let Some(c) = corpus() else { return };
    assert!(c.paragraphs.len() > 5_000, "{}", c.paragraphs.len());
    assert_eq!(c.index.num_docs(), c.paragraphs.len() as u64);
}

#[test]
fn diacritic_insensitive_recall_is_complete() {
    let Some(c) = corpus() else { return };
    for query in [
        "đường",
        "duong",
        "văn bản",
        "van ban",
        "định dạng ô",
        "người dùng",
        "nguoi dung",
        "bảng tính",
        "THƯ MỤC",
        "hộp thoại",
        "trang",
    ] {
        let expected = reference_all_words(&c.paragraphs, query);
        assert!(
            !expected.is_empty(),
            "{query}: the corpus should contain it"
        );
        let hits = all_hits(&c.index, text_query(query));
        assert_eq!(hits.total, expected.len(), "{query}");
        assert_eq!(keys(&hits), expected, "{query}");
    }
}

#[test]
fn exact_matches_rank_before_folded_ones() {
    let Some(c) = corpus() else { return };
    for query in ["đường", "dương", "bản", "bán", "đá", "da"] {
        let hits = all_hits(&c.index, text_query(query));
        let exact_word = words(query).remove(0);
        let has_exact = |key: i64| words(&c.paragraphs[key as usize]).contains(&exact_word);
        let flags: Vec<bool> = hits.hits.iter().map(|h| has_exact(h.key)).collect();
        let first_non_exact = flags.iter().position(|f| !f).unwrap_or(flags.len());
        assert!(first_non_exact > 0, "{query}: no exact match in the corpus");
        assert!(
            first_non_exact < flags.len(),
            "{query}: no diacritic variant in the corpus"
        );
        assert!(
            flags[first_non_exact..].iter().all(|f| !f),
            "{query}: an exact match ranks after a variant"
        );
        for (hit, flag) in hits.hits.iter().zip(&flags) {
            assert_eq!(hit.exact, *flag, "{query}: key {}", hit.key);
        }
    }
}

#[test]
fn phrase_queries_match_adjacent_words_only() {
    let Some(c) = corpus() else { return };
    for phrase in ["văn bản", "thanh công cụ", "hộp thoại", "nhấn vào"] {
        let folded = folded_words(phrase);
        let expected: BTreeSet<i64> = c
            .paragraphs
            .iter()
            .enumerate()
            .filter(|(_, p)| contains_run(&folded_words(p), &folded))
            .map(|(i, _)| i as i64)
            .collect();
        let hits = all_hits(&c.index, text_query(&format!("\"{phrase}\"")));
        assert_eq!(keys(&hits), expected, "{phrase}");
        // The words anywhere, not adjacent, give more.
        let loose = reference_all_words(&c.paragraphs, phrase);
        assert!(loose.len() >= expected.len());
        // Exact phrase matches first.
        let exact = words(phrase);
        let flags: Vec<bool> = hits
            .hits
            .iter()
            .map(|h| contains_run(&words(&c.paragraphs[h.key as usize]), &exact))
            .collect();
        let first_non_exact = flags.iter().position(|f| !f).unwrap_or(flags.len());
        assert!(flags[first_non_exact..].iter().all(|f| !f), "{phrase}");
    }
}

#[test]
fn nfd_text_in_the_corpus_is_found_by_nfc_queries() {
    let Some(c) = corpus() else { return };
    // The corpus itself has paragraphs that are not NFC.
    let (key, paragraph) = c
        .paragraphs
        .iter()
        .enumerate()
        .find(|(_, p)| {
            !is_nfc(p)
                && words(p)
                    .iter()
                    .any(|w| w.chars().count() > 3 && !w.is_ascii())
        })
        .expect("a non-NFC paragraph in libreoffice-help-vi");
    let word = words(paragraph)
        .into_iter()
        .find(|w| w.chars().count() > 3 && !w.is_ascii())
        .expect("a Vietnamese word");
    let nfc_query: String = word.nfc().collect();
    let hits = all_hits(&c.index, text_query(&nfc_query));
    let hit = hits
        .hits
        .iter()
        .find(|h| h.key == key as i64)
        .expect("found");
    assert!(
        hit.exact,
        "{word}: NFD paragraph should count as an exact match"
    );
    // And an NFD query finds NFC paragraphs as exact matches.
    let nfd_query: String = "định dạng".nfd().collect();
    let hits = all_hits(&c.index, text_query(&nfd_query));
    assert_eq!(keys(&hits), reference_all_words(&c.paragraphs, "định dạng"));
    assert!(hits.hits[0].exact);
}

#[test]
fn nfd_copies_of_real_paragraphs_are_found() {
    let Some(c) = corpus() else { return };
    let index = SearchIndex::in_ram(Options::default()).expect("index");
    for (i, p) in c.paragraphs.iter().take(300).enumerate() {
        index
            .upsert(&Doc {
                key: i as i64,
                kind: "entry".to_string(),
                title: String::new(),
                body: p.nfd().collect(),
                tags: vec![],
            })
            .expect("upsert");
    }
    index.commit().expect("commit");
    let mut checked = 0;
    for (i, p) in c.paragraphs.iter().take(300).enumerate() {
        // Query with the paragraph's first five words, NFC, as a phrase.
        let phrase: Vec<String> = words(p).into_iter().take(5).collect();
        if phrase.len() < 5 || phrase.iter().all(|w| w.is_ascii()) {
            continue;
        }
        let hits = all_hits(&index, text_query(&format!("\"{}\"", phrase.join(" "))));
        assert!(
            hits.hits.iter().any(|h| h.key == i as i64 && h.exact),
            "{phrase:?}"
        );
        checked += 1;
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn both_tone_styles_are_found_either_way() {
    let Some(c) = corpus() else { return };
    // Old style tùy/hóa and new style tuỳ/hoá, pairs the corpus has in both styles.
    let pairs = [
        ("tùy", "tuỳ"),
        ("hóa", "hoá"),
        ("họa", "hoạ"),
        ("xóa", "xoá"),
        ("hủy", "huỷ"),
        ("thỏa", "thoả"),
    ];
    for (old, new) in pairs {
        let with = |style: &str| -> BTreeSet<i64> {
            c.paragraphs
                .iter()
                .enumerate()
                .filter(|(_, p)| words(p).iter().any(|w| w == style))
                .map(|(i, _)| i as i64)
                .collect()
        };
        let (old_docs, new_docs) = (with(old), with(new));
        let old_hits = keys(&all_hits(&c.index, text_query(old)));
        let new_hits = keys(&all_hits(&c.index, text_query(new)));
        assert_eq!(old_hits, new_hits, "{old}/{new}");
        assert!(!old_docs.is_empty() && !new_docs.is_empty(), "{old}/{new}");
        assert!(old_docs.is_subset(&old_hits) && new_docs.is_subset(&old_hits));
        assert_eq!(old_hits, reference_all_words(&c.paragraphs, old));
        // Either style counts as typed: both land in the first tier.
        for query in [old, new] {
            for hit in all_hits(&c.index, text_query(query)).hits {
                let styled = old_docs.contains(&hit.key) || new_docs.contains(&hit.key);
                assert_eq!(hit.exact, styled, "{query}: key {}", hit.key);
            }
        }
    }
}

#[test]
fn unit_subtree_filters() {
    let Some(c) = corpus() else { return };
    let query = "bảng tính";
    let all = reference_all_words(&c.paragraphs, query);
    for unit in ["unit:1", "unit:10", "unit:11", "unit:12", "unit:103"] {
        let expected: BTreeSet<i64> = all
            .iter()
            .copied()
            .filter(|k| unit_tags(*k as usize).iter().any(|t| t == unit))
            .collect();
        let hits = all_hits(
            &c.index,
            Query {
                text: query.to_string(),
                must_tags: vec![unit.to_string()],
                ..Query::default()
            },
        );
        assert_eq!(keys(&hits), expected, "{unit}");
    }
    // Subtree of 10 = leaves 100..=102.
    let mid = all_hits(
        &c.index,
        Query {
            must_tags: vec!["unit:10".to_string()],
            ..Query::default()
        },
    );
    let leaves: usize = (100..=102)
        .map(|leaf| {
            c.index
                .search(&Query {
                    must_tags: vec![format!("unit:{leaf}")],
                    ..Query::default()
                })
                .expect("search")
                .total
        })
        .sum();
    assert_eq!(mid.total, leaves);
}

#[test]
fn delete_upsert_reopen_and_rebuild_on_disk() {
    let Some(c) = corpus() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = |range: std::ops::Range<usize>| {
        range.map(|i| Doc {
            key: i as i64,
            kind: "entry".to_string(),
            title: c.paragraphs[i]
                .split_whitespace()
                .take(8)
                .collect::<Vec<_>>()
                .join(" "),
            body: c.paragraphs[i].clone(),
            tags: unit_tags(i),
        })
    };
    let n = c.paragraphs.len().min(3_000);
    let query = "văn bản";
    let expected = reference_all_words(&c.paragraphs[..n], query);
    {
        let (index, state) =
            hoithi_search::SearchIndex::open_or_reset(dir.path(), Options::default())
                .expect("open");
        assert!(state.needs_fill());
        assert_eq!(index.rebuild(docs(0..n)).expect("rebuild"), n as u64);
        assert_eq!(keys(&all_hits(&index, text_query(query))), expected);
        // Delete half of the matches, re-add one with other text.
        let victims: Vec<i64> = expected.iter().copied().step_by(2).collect();
        for k in &victims {
            index.delete(*k, "entry").expect("delete");
        }
        let replaced = *expected.iter().nth(1).expect("two matches");
        index
            .upsert(&Doc {
                key: replaced,
                kind: "entry".to_string(),
                title: "Thay thế".to_string(),
                body: "Nội dung khác hẳn".to_string(),
                tags: vec![],
            })
            .expect("upsert");
        index.commit().expect("commit");
        let after = keys(&all_hits(&index, text_query(query)));
        let mut want = expected.clone();
        for k in &victims {
            want.remove(k);
        }
        want.remove(&replaced);
        assert_eq!(after, want);
    }
    // Restart: same state.
    let (index, state) =
        hoithi_search::SearchIndex::open_or_reset(dir.path(), Options::default()).expect("reopen");
    assert!(!state.needs_fill());
    let after_restart = keys(&all_hits(&index, text_query(query)));
    assert!(after_restart.len() < expected.len());
    // Rebuild from the "database" restores everything.
    index.rebuild(docs(0..n)).expect("rebuild");
    assert_eq!(keys(&all_hits(&index, text_query(query))), expected);
    assert_eq!(index.num_docs(), n as u64);
}

#[test]
fn snippets_highlight_real_text() {
    let Some(c) = corpus() else { return };
    let hits = c
        .index
        .search(&Query {
            text: "duong".to_string(),
            limit: 50,
            ..Query::default()
        })
        .expect("search");
    for hit in &hits.hits {
        assert!(!hit.snippet.ranges.is_empty(), "key {}", hit.key);
        for r in &hit.snippet.ranges {
            let marked = hit.snippet.text.get(r.clone()).expect("char boundaries");
            assert_eq!(fold_word(marked), "duong", "{marked}");
        }
        let html = hit.snippet.to_html();
        assert!(html.contains("<mark>") && !html.contains("<b>"));
    }
}
