//! Every page in both languages: signed in as each demo role, every GET route of the route
//! table is rendered with `?lang=en` (path parameters from the demo's real records), and the
//! visible text — attribute values people see included, CSV and Excel exports too — must hold
//! no Vietnamese word that is not data. Data is every text stored in the database, read
//! through SQL from every text column of every table; it is cut out of a page before the
//! check, so names, titles and texts stay as written while a label left in Vietnamese fails.
//! A few pages are also read the other way: a Vietnamese page shows no English interface
//! text. Runs on SQLite, and on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use common::submissions::{Form, SLUG, base_fields, submit};
use common::*;
use hoithi_storage::repo::{assignments, checks, contests, entries, rounds, users};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

const ORGANIZER: (&str, &str) = ("bantochuc@hoithi.demo", "demo-bantochuc");
const JUDGE: (&str, &str) = ("giamkhao@hoithi.demo", "demo-giamkhao");

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

// ---- the demo's records, to fill the routes' path parameters ----

struct Ids {
    unit: i64,
    user: i64,
    entry: i64,
    other_entry: i64,
    source: i64,
    own_code: String,
    own_key: String,
    rounds: Vec<i64>,
    batch: HashMap<i64, i64>,
    round_entry: HashMap<i64, i64>,
    judged_round: i64,
    anon_code: String,
    other_anon: String,
    certificate: String,
}

fn with_lang(path: &str, lang: &str) -> String {
    if path.contains('?') {
        format!("{path}&lang={lang}")
    } else {
        format!("{path}?lang={lang}")
    }
}

/// The addresses a GET route stands for (one per round for a round's pages).
fn fill(route: &str, ids: &Ids) -> Vec<String> {
    let rounds: Vec<i64> = if route.starts_with("/vong/") || route.starts_with("/api/v1/rounds/") {
        ids.rounds.clone()
    } else {
        vec![ids.judged_round]
    };
    rounds
        .iter()
        .map(|round| {
            let id = if route.starts_with("/vong/") || route.starts_with("/api/v1/rounds/") {
                round.to_string()
            } else if route.contains("/don-vi/") || route.contains("/units/") {
                ids.unit.to_string()
            } else if route.contains("/nguoi-dung/") || route.contains("/users/") {
                ids.user.to_string()
            } else {
                ids.entry.to_string()
            };
            let other = if route.starts_with("/cham-thi/") {
                ids.other_anon.clone()
            } else if route.contains("/tai-lieu/") {
                ids.source.to_string()
            } else {
                ids.other_entry.to_string()
            };
            let code = if route.starts_with("/cham-thi/") || route.starts_with("/api/v1/rounds/") {
                ids.anon_code.clone()
            } else if route.starts_with("/xac-minh/") || route.starts_with("/api/v1/certificates/")
            {
                ids.certificate.clone()
            } else {
                ids.own_code.clone()
            };
            let mut path = route
                .replace("{slug}", SLUG)
                .replace("{id}", &id)
                .replace("{other}", &other)
                .replace("{code}", &code)
                .replace("{round}", &ids.judged_round.to_string())
                .replace(
                    "{batch}",
                    &ids.batch.get(round).copied().unwrap_or(0).to_string(),
                )
                .replace(
                    "{entry}",
                    &ids.round_entry.get(round).copied().unwrap_or(0).to_string(),
                );
            assert!(
                !path.contains('{'),
                "GET {route}: give its path parameter a demo value in tests/english.rs"
            );
            // Pages say more with their notices and forms filled in.
            if route.starts_with("/bai-du-thi/") {
                path = format!("{path}?k={}&da-luu=1", ids.own_key);
            } else if route == "/vong/{id}/chuyen-vong" {
                path = format!("{path}?rule=per_unit&n=2");
            } else if (route.starts_with("/vong/") || route.starts_with("/cham-thi/"))
                && !route.ends_with(".xlsx")
            {
                path = format!("{path}?ok=luu");
            }
            path
        })
        .collect()
}

// ---- building the demo up: an own entry, a reference text, published results ----

async fn wait_for_jobs(app: &TestApp) {
    use hoithi_storage::entity::job;
    use hoithi_storage::repo::jobs::{DONE, FAILED};
    use sea_orm::EntityTrait;
    let mut left = Vec::new();
    for _ in 0..1800 {
        left = job::Entity::find()
            .all(&app.state.db.conn)
            .await
            .unwrap()
            .into_iter()
            .filter(|j| j.status != DONE && j.status != FAILED && j.kind != "message")
            .map(|j| format!("{} {} {}", j.kind, j.status, j.payload))
            .collect::<Vec<_>>();
        if left.is_empty() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("background jobs did not finish within 3 minutes: {left:?}");
}

async fn post_form(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let token = app.session_csrf(c).await;
    let mut form: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    let res = c.post(app.url(path)).form(&form).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// The selected option of each `award_<id>` select on the awards page.
fn selected_awards(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in html.split("<select name=\"award_").skip(1) {
        let id = part.split('"').next().unwrap().to_string();
        let select = part.split("</select>").next().unwrap();
        if let Some(opt) = select
            .split("<option value=\"")
            .skip(1)
            .find(|o| o.split('>').next().is_some_and(|h| h.contains("selected")))
        {
            let v = opt.split('"').next().unwrap().to_string();
            if !v.is_empty() {
                out.push((format!("award_{id}"), v));
            }
        }
    }
    out
}

/// Scores every entry of the final round, ends scoring, confirms the suggested awards and
/// publishes them; returns a certificate code.
async fn publish_final(app: &TestApp, org: &reqwest::Client, fin: i64) -> String {
    let db = &app.state.db;
    let criteria = rounds::criteria(db, fin).await.unwrap();
    let mut by_judge: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for a in assignments::for_round(db, fin).await.unwrap() {
        if a.status == assignments::PUBLISHED {
            by_judge.entry(a.user_id).or_default().push(a.entry_id);
        }
    }
    for (judge, list) in by_judge {
        let login = users::get(db, judge).await.unwrap().email.unwrap();
        let c = app.sign_in(&login, JUDGE.1).await;
        let codes = rounds::codes_for(db, &list).await.unwrap();
        for (i, e) in list.iter().enumerate() {
            let points: Vec<String> = criteria
                .iter()
                .map(|cr| format!("{}", cr.max_points * 0.5 + (i % 4) as f64).replace('.', ","))
                .collect();
            let mut fields: Vec<(String, String)> = points
                .iter()
                .enumerate()
                .map(|(k, p)| (format!("p{k}"), p.clone()))
                .collect();
            fields.push((
                "comment".into(),
                "Lập luận chặt chẽ, dẫn chứng thuyết phục.".into(),
            ));
            fields.push(("action".into(), "submit".into()));
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let (status, body) =
                post_form(app, &c, &format!("/cham-thi/{fin}/{}", codes[e]), &refs).await;
            assert_eq!(status, 303, "scoring {}: {body}", codes[e]);
        }
    }
    let (status, body) = post_form(
        app,
        org,
        &format!("/vong/{fin}/trang-thai"),
        &[("status", "closed")],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let page = app.page(org, &format!("/vong/{fin}/giai")).await;
    let chosen = selected_awards(&page);
    assert!(!chosen.is_empty(), "suggested awards");
    let unit = page
        .split("name=\"most\" value=\"")
        .nth(1)
        .and_then(|p| p.split('"').next())
        .unwrap()
        .to_string();
    let mut fields: Vec<(&str, &str)> = chosen
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("most", unit.as_str()));
    let (status, body) = post_form(app, org, &format!("/vong/{fin}/giai"), &fields).await;
    assert_eq!(status, 303, "{body}");
    let (status, body) = post_form(app, org, &format!("/vong/{fin}/cong-bo"), &[]).await;
    assert_eq!(status, 303, "{body}");
    let page = app.page(org, &format!("/vong/{fin}/giai")).await;
    page.split("/xac-minh/")
        .nth(1)
        .and_then(|p| p.split('/').next())
        .expect("a certificate link")
        .to_string()
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
    let db = &app.state.db;
    let k = contests::by_slug(db, SLUG).await.unwrap();

    // A guest's own entry, through the English form: the receipt and its private link.
    let guest = client();
    guest.get(app.url("/?lang=en")).send().await.unwrap();
    let mut fields = base_fields(&app, "Tiếng nói từ thôn bản", "Hoàng Thị Lụa").await;
    fields.push((
        "text",
        "Ở cơ sở, mỗi cán bộ, đảng viên cần nêu gương trong lời nói và việc làm. ".repeat(120),
    ));
    let (status, receipt) = submit(
        &app,
        &guest,
        SLUG,
        Form {
            fields,
            file: None,
            csrf: true,
        },
    )
    .await;
    assert_eq!(status, 200, "{receipt}");
    let link = receipt
        .split("href=\"/bai-du-thi/")
        .nth(1)
        .and_then(|p| p.split('"').next())
        .expect("a private link")
        .replace("&amp;", "&");
    let (own_code, own_key) = link.split_once("?k=").unwrap();
    let (own_code, own_key) = (own_code.to_string(), own_key.to_string());

    // Copy checks (the demo loads none): an entry of Thái Sơn commune against another entry
    // and a reference text taken from it, run in place of the worker's jobs (checking every
    // entry after a new reference would take minutes).
    let thai_son = app.unit_id("HY-THAISON").await;
    let org = app.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let commune_entries: Vec<_> = entries::list_page(
        db,
        k.id,
        &entries::Filter {
            unit_path: Some(
                hoithi_storage::repo::units::get(db, thai_son)
                    .await
                    .unwrap()
                    .path,
            ),
            ..Default::default()
        },
        Default::default(),
        None,
        50,
    )
    .await
    .unwrap()
    .0
    .into_iter()
    .filter(|e| e.receipt_code.starts_with("HT-DEMO-"))
    .collect();
    let target = entries::get(db, commune_entries[0].id).await.unwrap();
    let reference: String = target
        .body
        .split("\n\n")
        .take(3)
        .collect::<Vec<_>>()
        .join("\n\n");
    hoithi_storage::repo::integrity_sources::add(
        db,
        vec![hoithi_storage::repo::integrity_sources::NewSource {
            contest_id: k.id,
            kind: hoithi_storage::repo::integrity_sources::REFERENCE.into(),
            title: "Bài đăng báo Tuyên Quang năm 2025".into(),
            word_count: reference.split_whitespace().count() as i32,
            body: reference,
            file_name: None,
            created_by: None,
        }],
    )
    .await
    .unwrap();
    hoithi_web::integrity::sync_sources(&app.state, k.id)
        .await
        .unwrap();
    hoithi_web::integrity::check_entry(&app.state, commune_entries[1].id)
        .await
        .unwrap();
    hoithi_web::integrity::check_entry(&app.state, target.id)
        .await
        .unwrap();
    let check = checks::get(db, target.id)
        .await
        .unwrap()
        .expect("the entry is checked");
    let matches: serde_json::Value = serde_json::from_str(&check.matches).unwrap();
    let find = |key: &str| {
        matches
            .as_array()
            .unwrap()
            .iter()
            .find_map(|m| m[key].as_i64())
            .unwrap_or_else(|| panic!("entry {} has a match with a {key}: {matches}", target.id))
    };
    let (other_entry, source) = (find("entry_id"), find("source_id"));

    // Rounds: a batch and an entry of each; the demo judge's entry and one it overlaps.
    let list = rounds::for_contest(db, k.id).await.unwrap();
    let fin = list.iter().find(|r| r.kind == rounds::FINAL).unwrap().id;
    let mut batch = HashMap::new();
    let mut round_entry = HashMap::new();
    for r in &list {
        if let Some(b) = assignments::batches(db, r.id).await.unwrap().first() {
            batch.insert(r.id, b.id);
        }
        if let Some(a) = assignments::for_round(db, r.id).await.unwrap().first() {
            round_entry.insert(r.id, a.entry_id);
        }
    }
    let judge_id = app.user_id(JUDGE.0).await;
    let judge = app.sign_in(JUDGE.0, JUDGE.1).await;
    let mine: Vec<i64> = assignments::for_judge(db, fin, judge_id)
        .await
        .unwrap()
        .iter()
        .map(|a| a.entry_id)
        .collect();
    let codes = rounds::codes_for(db, &mine).await.unwrap();
    hoithi_web::integrity::check_entry(&app.state, mine[0])
        .await
        .unwrap();
    hoithi_web::integrity::check_entry(&app.state, mine[1])
        .await
        .unwrap();
    let (anon_code, other_anon) = (codes[&mine[1]].clone(), codes[&mine[0]].clone());
    let page = app
        .page(&judge, &format!("/cham-thi/{fin}/{anon_code}/trung-lap"))
        .await;
    assert!(
        page.contains(&format!("/trung-lap/{other_anon}\"")),
        "the demo judge's entry {anon_code} overlaps {other_anon}: {page}"
    );
    wait_for_jobs(&app).await;
    let mut ids = Ids {
        unit: thai_son,
        user: app.user_id(PARTICIPANT.0).await,
        entry: target.id,
        other_entry,
        source,
        own_code,
        own_key,
        rounds: list.iter().map(|r| r.id).collect(),
        batch,
        round_entry,
        judged_round: fin,
        anon_code,
        other_anon,
        certificate: "GCN-KHONGCO".into(),
    };

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
