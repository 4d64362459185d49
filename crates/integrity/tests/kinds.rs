//! Prose, quotes and citations: what makes a pair and what counts in the share
//! (docs/decisions/0007-prose-quotes-citations.md). Texts written for these tests.

use hoithi_integrity::{
    CheckOptions, Index, Params, PassageKind, ScanOptions, align_texts, scan_jsonl,
};
use serde_json::{Value, json};

/// Distinct filler words per seed, so only the planted text is shared.
fn filler(seed: usize, n: usize) -> String {
    const A: &[&str] = &[
        "sáng",
        "chiều",
        "tối",
        "xuân",
        "hạ",
        "thu",
        "đông",
        "núi",
        "sông",
        "biển",
        "rừng",
        "đồng",
        "làng",
        "phố",
        "chợ",
        "trường",
        "lớp",
        "nhà",
        "cửa",
        "vườn",
        "cây",
        "hoa",
        "lá",
        "quả",
        "mưa",
        "nắng",
        "gió",
        "mây",
        "trăng",
        "sao",
        "đèn",
        "sách",
    ];
    let mut s = (seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|i| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let w = A[(s % A.len() as u64) as usize];
            if i % 11 == 10 {
                format!("{w}.")
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const PROSE: &str = "Tuổi trẻ hôm nay cần rèn luyện bản lĩnh chính trị vững vàng, \
    biết phân biệt đúng sai trước những luận điệu xuyên tạc trên mạng xã hội và \
    chủ động lan tỏa những câu chuyện tốt đẹp về quê hương mình";
const QUOTE: &str = "“Đảng Cộng sản Việt Nam là đội tiên phong của giai cấp công nhân, \
    đồng thời là đội tiên phong của nhân dân lao động và của dân tộc Việt Nam”";
const REFS: &str = "TÀI LIỆU THAM KHẢO\n\
    1. Văn kiện Đại hội đại biểu toàn quốc lần thứ XIII của Đảng, Nxb. Chính trị quốc gia Sự thật, Hà Nội, 2021, tập 1.\n\
    2. Bài viết về bảo vệ nền tảng tư tưởng của Đảng trong tình hình mới, Tạp chí Cộng sản, số 980, tháng 12/2021.\n\
    3. Cổng thông tin điện tử của tỉnh về công tác tuyên giáo, https://tuyengiao.example.vn/tin-tuc/bai-viet-so-1.html, truy cập ngày 15/10/2023.";
const SOURCE_LINE: &str = "Nguồn: Báo Nhân Dân điện tử về xây dựng Đảng và hệ thống chính trị, \
    https://nhandan.example.vn/xay-dung-dang/bai-so-2.html, ngày 12/3/2023";

fn scan(entries: &[(&str, String)], count_quotes: bool) -> (Vec<Value>, Vec<Value>) {
    let input: String = entries
        .iter()
        .map(|(id, t)| json!({"id": id, "text": t}).to_string() + "\n")
        .collect();
    let (mut p, mut s, mut g) = (Vec::new(), Vec::new(), Vec::new());
    let opts = ScanOptions {
        count_quotes,
        ..ScanOptions::default()
    };
    scan_jsonl(
        input.as_bytes(),
        None::<&[u8]>,
        None::<&[u8]>,
        &mut p,
        &mut s,
        &mut g,
        &opts,
    )
    .expect("scan");
    let parse = |b: &[u8]| -> Vec<Value> {
        String::from_utf8_lossy(b)
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect()
    };
    (parse(&p), parse(&s))
}

#[test]
fn shared_citations_links_and_quotes_make_no_pair() {
    let a = format!(
        "{}\n{QUOTE} {}\n{SOURCE_LINE}\n{}\n{REFS}",
        filler(1, 120),
        filler(2, 80),
        filler(3, 60)
    );
    let b = format!(
        "{}\n{SOURCE_LINE}\n{} {QUOTE}\n{}\n{REFS}",
        filler(4, 90),
        filler(5, 70),
        filler(6, 50)
    );
    let (pairs, shares) = scan(&[("a", a), ("b", b)], true);
    assert!(pairs.is_empty(), "{pairs:?}");
    let qa = shares[0]["quoted"].as_f64().unwrap_or(0.0);
    assert!(qa > 0.05, "{shares:?}");
    assert_eq!(shares[0]["prose"].as_f64(), Some(0.0));
    assert!(
        shares[0]["cited"].as_f64().unwrap_or(0.0) > 0.1,
        "{shares:?}"
    );
    // Quotes count by default, and not when the contest says so.
    assert_eq!(shares[0]["share"].as_f64(), Some(qa));
    let (_, shares) = scan(
        &[
            ("a", format!("{}\n{QUOTE}", filler(1, 120))),
            ("b", format!("{QUOTE}\n{}", filler(4, 90))),
        ],
        false,
    );
    assert_eq!(shares[0]["share"].as_f64(), Some(0.0));
}

#[test]
fn copied_prose_is_a_pair_and_keeps_its_quote_and_citations_apart() {
    let a = format!(
        "{} {PROSE}. {QUOTE}. {}\n{REFS}",
        filler(1, 100),
        filler(2, 100)
    );
    let b = format!(
        "{}\n{PROSE}. {QUOTE}. {}\n{REFS}",
        filler(3, 70),
        filler(4, 100)
    );
    let (pairs, shares) = scan(&[("a", a.clone()), ("b", b.clone())], true);
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let ps = pairs[0]["passages"].as_array().cloned().unwrap_or_default();
    let text = |p: &Value, side: &str, t: &str| -> String {
        let r = &p[side];
        let (s, e) = (
            r[0].as_u64().unwrap_or(0) as usize,
            r[1].as_u64().unwrap_or(0) as usize,
        );
        t[s..e].to_string()
    };
    // The quote that follows the copied prose comes with it; the reference lists,
    // shared apart from any prose, are counted in the cited share only (the scan
    // seeds nothing inside quotes and citations; Index::check_exact lists them all).
    let kinds: Vec<&str> = ps.iter().filter_map(|p| p["kind"].as_str()).collect();
    assert!(
        kinds.contains(&"prose") && kinds.contains(&"quote"),
        "{kinds:?}"
    );
    for p in &ps {
        let (ta, tb) = (text(p, "a", &a), text(p, "b", &b));
        match p["kind"].as_str() {
            Some("prose") => assert!(PROSE.contains(&ta) && ta.len() > 100, "{ta}"),
            Some("quote") => assert!(QUOTE.contains(&ta), "{ta}"),
            _ => assert!(REFS.contains(&tb), "{tb}"),
        }
    }
    assert!(
        shares[0]["cited"].as_f64().unwrap_or(0.0) > 0.1,
        "{shares:?}"
    );
    let prose = shares[0]["prose"].as_f64().unwrap_or(0.0);
    let quoted = shares[0]["quoted"].as_f64().unwrap_or(0.0);
    assert!(prose > 0.1 && quoted > 0.05, "{shares:?}");
    assert!((shares[0]["share"].as_f64().unwrap_or(0.0) - (prose + quoted)).abs() < 1e-9);
}

#[test]
fn urls_and_numbers_do_not_make_fifteen_syllables() {
    // Fewer than 15 words of prose around links, paths and version strings.
    let line = "Trang chủ GNU coreutils: <https://www.gnu.org/software/coreutils/> \
                báo lỗi dịch: <https://translationproject.org/team/vi.html> tệp \
                /usr/share/doc/coreutils/README.gz phiên bản 9.1-2+b1";
    let a = format!("{}\n{line}\n{}", filler(1, 80), filler(2, 80));
    let b = format!("{}\n{line}\n{}", filler(3, 80), filler(4, 80));
    assert!(align_texts(&a, &b, &Params::default()).is_empty());
    let (pairs, _) = scan(&[("a", a), ("b", b)], true);
    assert!(pairs.is_empty(), "{pairs:?}");
    // 15 words of prose around a link are still found, with exact offsets.
    let long = format!("{PROSE} https://example.org/a/b.html");
    let a = format!("{} {long}", filler(5, 50));
    let b = format!("{long} {}", filler(6, 50));
    let ps = align_texts(&a, &b, &Params::default());
    assert_eq!(ps.len(), 1, "{ps:?}");
    assert_eq!(&a[ps[0].a[0]..ps[0].a[1]], PROSE);
    assert_eq!(ps[0].kind, PassageKind::Prose);
}

#[test]
fn index_lists_quotes_and_citations_apart() {
    let mut idx = Index::new(Params::default()).expect("index");
    idx.add(
        "copy",
        &format!("{} {PROSE}. {}", filler(1, 60), filler(2, 60)),
    )
    .expect("add");
    idx.add(
        "quote",
        &format!("{}\n{QUOTE}\n{}", filler(3, 60), filler(4, 60)),
    )
    .expect("add");
    idx.add("refs", &format!("{}\n{REFS}", filler(5, 60)))
        .expect("add");
    let q = format!(
        "{}\n{PROSE}. {}\n{QUOTE}\n{}\n{REFS}",
        filler(7, 60),
        filler(8, 40),
        filler(9, 40)
    );
    let r = idx.check(&q);
    let ids = |m: Vec<&hoithi_integrity::Match>| m.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(r.copied().collect()), ["copy"]);
    assert_eq!(ids(r.quote_only().collect()), ["quote"]);
    assert_eq!(ids(r.citation_only().collect()), ["refs"]);
    assert_eq!(
        r.matches.len(),
        3,
        "every document sharing anything stays listed"
    );
    assert!(r.shares.prose > 0.0 && r.shares.quoted > 0.0 && r.shares.cited > 0.0);
    assert!((r.share - r.shares.prose - r.shares.quoted).abs() < 1e-9);
    let strict = idx.check_with(
        &q,
        &CheckOptions {
            count_quotes: false,
        },
    );
    assert!((strict.share - r.shares.prose).abs() < 1e-9);
    let texts = |id: &str| -> Option<String> {
        Some(match id {
            "copy" => format!("{} {PROSE}. {}", filler(1, 60), filler(2, 60)),
            "quote" => format!("{}\n{QUOTE}\n{}", filler(3, 60), filler(4, 60)),
            _ => format!("{}\n{REFS}", filler(5, 60)),
        })
    };
    let e = idx.check_exact(&q, texts);
    assert_eq!(e.copied().count(), 1);
    assert_eq!(e.quote_only().count(), 1);
    assert_eq!(e.citation_only().count(), 1);
    let p = e
        .copied()
        .next()
        .map_or(e.matches[0].passages[0], |m| m.passages[0]);
    // (The random filler may extend it by a chance word.)
    let got = &q[p.a[0]..p.a[1]];
    assert!(got.contains(PROSE) && got.len() < PROSE.len() + 12, "{got}");
    assert!(
        e.citation_only()
            .flat_map(|m| &m.passages)
            .all(|p| p.kind == PassageKind::Citation)
    );
}

/// 20 syllables of prose; with its 11th word changed the longest unbroken run is 10,
/// shorter than the 15 the long fingerprints guarantee (decision 0008).
const COPY20: &str =
    "Mỗi cán bộ đảng viên phải học tập và làm theo tư tưởng đạo đức phong cách Hồ Chí Minh";

fn changed(s: &str, at: usize, to: &str) -> String {
    let mut w: Vec<&str> = s.split(' ').collect();
    w[at] = to;
    w.join(" ")
}

#[test]
fn short_copy_with_one_changed_word_is_found_with_exact_offsets() {
    assert_eq!(COPY20.split(' ').count(), 20);
    let copy = changed(COPY20, 10, "ngay");
    let a = format!("{}. {COPY20}. {}", filler(11, 80), filler(12, 60));
    let b = format!("{}. {copy}. {}", filler(13, 70), filler(14, 50));
    let (pairs, shares) = scan(&[("a", a.clone()), ("b", b.clone())], true);
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let ps = pairs[0]["passages"].as_array().expect("passages");
    assert_eq!(ps.len(), 1, "{ps:?}");
    assert_eq!(ps[0]["kind"], "prose");
    let range = |side: &str| -> (usize, usize) {
        let r = ps[0][side].as_array().expect("range");
        (
            r[0].as_u64().unwrap_or(0) as usize,
            r[1].as_u64().unwrap_or(0) as usize,
        )
    };
    let (a0, a1) = range("a");
    let (b0, b1) = range("b");
    assert_eq!(&a[a0..a1], COPY20);
    assert_eq!(&b[b0..b1], copy);
    assert!(
        shares[0]["prose"].as_f64().unwrap_or(0.0) > 0.05,
        "{shares:?}"
    );
    // The display alignment shows the same passage.
    let shown = align_texts(&a, &b, &Params::default());
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].a, [a0, a1]);
    assert_eq!(shown[0].b, [b0, b1]);
}

#[test]
fn short_changed_copy_inside_quotes_or_too_short_makes_no_pair() {
    let copy = changed(COPY20, 10, "ngay");
    // Quoted on both sides: a quote, never a pair.
    let a = format!("{} “{COPY20}” {}", filler(21, 80), filler(22, 60));
    let b = format!("{} “{copy}” {}", filler(23, 70), filler(24, 50));
    let (pairs, _) = scan(&[("a", a), ("b", b)], true);
    assert!(pairs.is_empty(), "{pairs:?}");
    // Twelve syllables with a changed word: below the 15 of a copied passage.
    let short: String = COPY20.split(' ').take(12).collect::<Vec<_>>().join(" ");
    let a = format!("{}. {short}. {}", filler(31, 80), filler(32, 60));
    let b = format!(
        "{}. {}. {}",
        filler(33, 70),
        changed(&short, 6, "ngay"),
        filler(34, 50)
    );
    let (pairs, _) = scan(&[("a", a), ("b", b)], true);
    assert!(pairs.is_empty(), "{pairs:?}");
    // Runs of 10 and 14 around one changed word: found. The same runs around four
    // changed words in a row (21 of 25 matched) are not one copied passage: no more
    // than one token in seven may be a gap when no run reaches 15.
    let s25 = format!("{COPY20} trong mọi việc hằng ngày");
    let one = changed(&s25, 10, "ngay");
    let mut four = s25.clone();
    for (at, to) in [(10, "ngay"), (11, "vẫn"), (12, "luôn"), (13, "rất")] {
        four = changed(&four, at, to);
    }
    let mk = |t: &str, seed: usize| format!("{}. {t}. {}", filler(seed, 80), filler(seed + 1, 60));
    let (pairs, _) = scan(&[("a", mk(&s25, 41)), ("b", mk(&one, 43))], true);
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let (pairs, _) = scan(&[("a", mk(&s25, 41)), ("b", mk(&four, 43))], true);
    assert!(pairs.is_empty(), "{pairs:?}");
}
