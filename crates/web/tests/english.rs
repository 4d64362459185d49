//! Every page in both languages: signed in as each demo role, every GET route of the route
//! table is rendered with `?lang=en` (path parameters from the demo's real records), and the
//! visible text — attribute values people see included, CSV and Excel exports too — must hold
//! no Vietnamese word that is not data. Data is every text stored in the database, read
//! through SQL from every text column of every table; it is cut out of a page before the
//! check, so names, titles and texts stay as written while a label left in Vietnamese fails.
//! A few pages are also read the other way: a Vietnamese page shows no English interface
//! text. Runs on SQLite, and on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use std::collections::BTreeSet;

use common::demo::{self, Ids, fill, publish_final, wait_for_jobs, with_lang};
use common::submissions::SLUG;
use common::*;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

// ---- what a person sees on a page ----

/// Elements whose content flows into the text around them; any other tag separates text.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "code", "em", "i", "mark", "small", "span", "strong", "sub", "sup",
];
/// Attributes whose values are shown to people (or read out by screen readers).
const SHOWN_ATTRS: &[&str] = &[
    "title",
    "placeholder",
    "aria-label",
    "alt",
    "value",
    "label",
];
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr",
];

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e < 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// (name, value) pairs of a start tag's attributes.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = tag.as_bytes();
    let mut i = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    while i < b.len() {
        while i < b.len() && (b[i] as char).is_whitespace() {
            i += 1;
        }
        let start = i;
        while i < b.len() && !(b[i] as char).is_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let name = tag[start..i].to_ascii_lowercase();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            let (value, next) = if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let end = tag[i + 1..]
                    .find(q as char)
                    .map(|e| i + 1 + e)
                    .unwrap_or(b.len());
                (tag[i + 1..end].to_string(), end + 1)
            } else {
                let end = tag[i..]
                    .find(|c: char| c.is_whitespace())
                    .map(|e| i + e)
                    .unwrap_or(b.len());
                (tag[i..end].to_string(), end)
            };
            out.push((name, decode_entities(&value)));
            i = next;
        } else {
            if !name.is_empty() {
                out.push((name, String::new()));
            }
            i += 1;
        }
    }
    out
}

/// The text a person sees on a page (the title included), a line per block, then the shown
/// attribute values, one a line. Script and style are not text; an element marked
/// `lang="vi"` (the link to the Vietnamese page) is Vietnamese on purpose and left out.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut attrs = String::new();
    let mut rest = html;
    // (tag name, depth) of an open element whose content is skipped.
    let mut skipping: Option<(String, usize)> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skipping.is_none() {
                text.push_str(&decode_entities(rest));
            }
            break;
        };
        if skipping.is_none() {
            text.push_str(&decode_entities(&rest[..lt]));
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map(|e| &after[e + 3..]).unwrap_or("");
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        if !closing && (name == "script" || name == "style") {
            let end = format!("</{name}");
            rest = rest.find(&end).map(|e| &rest[e..]).unwrap_or("");
            continue;
        }
        if let Some((skip_name, depth)) = skipping.as_mut() {
            if *skip_name == name {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skipping = None;
                    }
                } else if !VOID.contains(&name.as_str()) {
                    *depth += 1;
                }
            }
            continue;
        }
        if !INLINE.contains(&name.as_str()) {
            text.push('\n');
        }
        if closing || name.starts_with('!') {
            continue;
        }
        let list = attributes(tag);
        if name != "html" && list.iter().any(|(k, v)| k == "lang" && v == "vi") {
            if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
                skipping = Some((name, 1));
            }
            continue;
        }
        let hidden = list.iter().any(|(k, v)| k == "type" && v == "hidden");
        for (k, v) in list {
            if SHOWN_ATTRS.contains(&k.as_str()) && !hidden && !v.is_empty() {
                attrs.push_str(&v);
                attrs.push('\n');
            }
        }
    }
    text.push('\n');
    text.push_str(&attrs);
    text
}

/// The strings of an Excel workbook (cells and sheet names).
fn xlsx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut out = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if !f.name().is_ok_and(|n| n.ends_with(".xml")) {
            continue;
        }
        let mut xml = String::new();
        f.read_to_string(&mut xml).unwrap();
        for part in xml.split("<t").skip(1) {
            if let Some(body) = part
                .split_once('>')
                .filter(|(head, _)| head.is_empty() || head.starts_with(' '))
                .and_then(|(_, b)| b.split("</t>").next())
            {
                out.push_str(&decode_entities(body));
                out.push('\n');
            }
        }
        for part in xml.split("<sheet ").skip(1) {
            if let Some((_, v)) = attributes(&format!("sheet {part}"))
                .into_iter()
                .find(|(k, _)| k == "name")
            {
                out.push_str(&v);
                out.push('\n');
            }
        }
    }
    out
}

// ---- data: every text stored in the database ----

fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => {
            out.push(s.clone());
            if let Ok(inner) = serde_json::from_str::<serde_json::Value>(s)
                && (inner.is_object() || inner.is_array())
            {
                json_strings(&inner, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

fn has_foreign_letter(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic() && !c.is_ascii())
}

/// Every text value of every text column of every table, read through SQL, with the lines
/// of multi-line values and the strings inside JSON values (pages show both apart).
async fn stored_texts(app: &TestApp) -> Vec<String> {
    let conn = &app.state.db.conn;
    let backend = conn.get_database_backend();
    let mut columns: Vec<(String, String)> = Vec::new();
    match backend {
        DbBackend::Postgres => {
            for row in conn
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
                     WHERE table_schema = current_schema() \
                     AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')",
                ))
                .await
                .unwrap()
            {
                columns.push((row.try_get("", "t").unwrap(), row.try_get("", "c").unwrap()));
            }
        }
        _ => {
            let tables: Vec<String> = conn
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                ))
                .await
                .unwrap()
                .iter()
                .map(|r| r.try_get("", "name").unwrap())
                .collect();
            for t in tables {
                for row in conn
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT name, type FROM pragma_table_info('{t}')"),
                    ))
                    .await
                    .unwrap()
                {
                    let name: String = row.try_get("", "name").unwrap();
                    let ty: String = row.try_get("", "type").unwrap();
                    let ty = ty.to_ascii_lowercase();
                    if ty.contains("char") || ty.contains("text") || ty.contains("clob") || ty.contains("json") {
                        columns.push((t.clone(), name));
                    }
                }
            }
        }
    }
    assert!(columns.len() > 30, "text columns found: {columns:?}");
    let mut values = Vec::new();
    for (t, c) in &columns {
        let rows = conn
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT CAST(\"{c}\" AS TEXT) AS v FROM \"{t}\""),
            ))
            .await
            .unwrap();
        for row in rows {
            let v: Option<String> = row.try_get("", "v").unwrap();
            let Some(v) = v else { continue };
            if !has_foreign_letter(&v) {
                continue;
            }
            let mut parts = vec![v.clone()];
            if let Ok(j) = serde_json::from_str::<serde_json::Value>(&v)
                && (j.is_object() || j.is_array())
            {
                json_strings(&j, &mut parts);
            }
            for p in parts {
                for line in p.lines() {
                    values.push(line.trim().to_string());
                }
                // Stored HTML (a news post's sanitized body, a caption) is data as a reader
                // sees it.
                if p.contains('<') {
                    for line in visible_text(&p).lines() {
                        values.push(line.trim().to_string());
                    }
                }
                values.push(p.trim().to_string());
            }
        }
    }
    let mut set: Vec<String> = values
        .into_iter()
        .filter(|v| has_foreign_letter(v))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    set.sort_by_key(|s| std::cmp::Reverse(s.len()));
    set
}

/// Cuts the stored texts out of a page's text, whole words only, longest first.
struct Data {
    ac: aho_corasick::AhoCorasick,
}

impl Data {
    fn new(texts: &[String]) -> Data {
        Data {
            ac: aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(texts)
                .unwrap(),
        }
    }

    fn remove(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in self.ac.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            out.push_str(&text[last..m.start()]);
            out.push('\u{2016}');
            last = m.end();
        }
        out.push_str(&text[last..]);
        out
    }
}

/// Words with a letter outside ASCII (a Vietnamese word) left after the data is cut out.
fn vietnamese_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| has_foreign_letter(w))
        .map(str::to_string)
        .collect()
}

/// A line around the first of the words, to show where it is.
fn context(text: &str, word: &str) -> String {
    text.lines()
        .find(|l| l.contains(word))
        .map(|l| l.trim().chars().take(160).collect())
        .unwrap_or_default()
}

// ---- the check ----

struct Finding {
    what: String,
    words: BTreeSet<String>,
    context: String,
}

/// Renders every GET route for every role in English; returns what is left in Vietnamese.
async fn english_everywhere(
    app: &TestApp,
    roles: &[(&str, reqwest::Client)],
    ids: &Ids,
    data: &Data,
) -> (Vec<Finding>, usize) {
    let mut findings = Vec::new();
    let mut checked = 0;
    for r in hoithi_web::app::routes_info() {
        if r.method != reqwest::Method::GET
            || r.path.starts_with("/api/")
            || r.path.starts_with("/static/")
            || r.path == "/healthz"
        {
            continue;
        }
        for path in fill(r.path, ids) {
            for (role, c) in roles {
                let url = with_lang(&path, "en");
                let res = c.get(app.url(&url)).send().await.unwrap();
                let status = res.status();
                let kind = res
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                let bytes = res.bytes().await.unwrap();
                assert!(status.as_u16() != 500, "{role} GET {url} -> 500");
                let text = if kind.starts_with("text/html") {
                    visible_text(&String::from_utf8_lossy(&bytes))
                } else if kind.starts_with("text/csv") {
                    String::from_utf8_lossy(&bytes).into_owned()
                } else if kind.contains("spreadsheetml") {
                    xlsx_text(&bytes)
                } else {
                    // Redirects, the certificate PDF (an official Vietnamese document) and the
                    // anonymized file of an entry (data) have no interface text to check.
                    continue;
                };
                checked += 1;
                let left = data.remove(&text);
                let words = vietnamese_words(&left);
                if !words.is_empty() {
                    let first = words.iter().next().unwrap().clone();
                    findings.push(Finding {
                        what: format!("{role} GET {} ({url} -> {status})", r.path),
                        context: context(&left, &first),
                        words,
                    });
                }
            }
        }
    }
    (findings, checked)
}

fn report(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{}\n    words: {}\n    in: {}",
                f.what,
                f.words.iter().cloned().collect::<Vec<_>>().join(", "),
                f.context
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn every_route_in_english_shows_no_vietnamese_but_data() {
    let started = std::time::Instant::now();
    let app = spawn_app().await;
    let _ = &app.state.db;
    let demo::Demo {
        ids,
        receipt,
        guest,
        org,
        judge,
    } = demo::build(&app).await;
    let mut ids = ids;
    let fin = ids.judged_round;
    let roles: Vec<(&str, reqwest::Client)> = vec![
        ("anonymous", guest),
        (
            "participant",
            app.sign_in(PARTICIPANT.0, PARTICIPANT.1).await,
        ),
        ("commune_admin", app.sign_in(COMMUNE.0, COMMUNE.1).await),
        ("district_admin", app.sign_in(DISTRICT.0, DISTRICT.1).await),
        ("site_admin", app.sign_in(ADMIN.0, ADMIN.1).await),
        ("organizer", org.clone()),
        ("judge", judge),
    ];

    // The receipt page, reached by a post.
    let mut findings = Vec::new();
    let data = Data::new(&stored_texts(&app).await);
    let left = data.remove(&visible_text(&receipt));
    if !vietnamese_words(&left).is_empty() {
        findings.push(Finding {
            what: "anonymous POST /cuoc-thi/{slug}/gui-bai (the receipt)".into(),
            context: context(&left, vietnamese_words(&left).iter().next().unwrap()),
            words: vietnamese_words(&left),
        });
    }
    // Every route, with the demo as loaded (the final round open for scoring).
    let (mut found, first) = english_everywhere(&app, &roles, &ids, &data).await;
    findings.append(&mut found);

    // Every route again once the final round is scored and published, with a certificate.
    ids.certificate = publish_final(&app, &org, fin).await;
    wait_for_jobs(&app).await;
    let data = Data::new(&stored_texts(&app).await);
    let (mut found, second) = english_everywhere(&app, &roles, &ids, &data).await;
    findings.append(&mut found);
    assert!(
        findings.is_empty(),
        "{} of {} English pages hold Vietnamese words that are not data:\n{}",
        findings.len(),
        first + second + 1,
        report(&findings)
    );
    assert!(
        first > 300 && second > 300,
        "pages checked: {first} and {second}"
    );

    // The other way, on a few pages: Vietnamese pages show no English interface text.
    let english_ui: Vec<&str> = hoithi_web::i18n::all_lines()
        .into_iter()
        .filter(|(_, vi, en)| vi != en && en.split_whitespace().count() >= 2)
        .map(|(_, _, en)| en)
        .collect();
    let mut wrong = Vec::new();
    for path in [
        "/".to_string(),
        format!("/cuoc-thi/{SLUG}"),
        format!("/cuoc-thi/{SLUG}/bai"),
        format!("/cuoc-thi/{SLUG}/bai/{}/trung-lap", ids.entry),
        format!("/cuoc-thi/{SLUG}/cai-dat"),
        format!("/cuoc-thi/{SLUG}/ket-qua"),
        format!("/vong/{fin}"),
        format!("/vong/{fin}/ket-qua"),
        format!("/vong/{fin}/giai"),
        format!("/xac-minh/{}", ids.certificate),
        "/tai-khoan".to_string(),
    ] {
        let text = data.remove(&visible_text(
            &app.page(&org, &with_lang(&path, "vi")).await,
        ));
        for en in &english_ui {
            if text.contains(en) {
                wrong.push(format!("{path}: «{en}»"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "English interface text on Vietnamese pages:\n{}",
        wrong.join("\n")
    );
    eprintln!(
        "english: {} pages checked in {:.0} s",
        first + second + 1,
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn the_checker_sees_labels_attributes_and_exports_and_skips_data_and_marked_vietnamese() {
    let html = r#"<html lang="en"><head><title>Rounds · Hoithi</title><style>p{}</style></head>
<body><a href="/?lang=vi" lang="vi">Tiếng Việt</a><script>var x = "Chào";</script>
<p>Entry <strong>Niềm tin từ bản làng (3)</strong>&nbsp;scored</p>
<input name="q" placeholder="Tìm kiếm" value="x"><input type="hidden" name="k" value="Ẩn">
<button aria-label="Xóa">x</button><p>Mark<mark>ed</mark> &amp; Đơn vị</p></body></html>"#;
    let text = visible_text(html);
    let data = Data::new(&["Niềm tin từ bản làng (3)".to_string()]);
    let words = vietnamese_words(&data.remove(&text));
    let want: BTreeSet<String> = ["Tìm", "kiếm", "Xóa", "Đơn", "vị"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(words, want, "{text}");
    assert!(
        text.contains("Marked"),
        "inline tags join their text: {text}"
    );
    // A data string inside a longer word is not data.
    let data = Data::new(&["Anh".to_string()]);
    assert_eq!(data.remove("Anh Anhxyz"), "\u{2016} Anhxyz");
}
