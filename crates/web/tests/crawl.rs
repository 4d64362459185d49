//! Every role's day by clicking only. For each demo role the crawler signs in, starts where the
//! role lands (the home page; a guest also holds the private link of their entry), and follows
//! links only: `<a href>` and GET forms (filled with their own values, or with what a person
//! would type: a certificate's code). It must reach every GET page that the authorization
//! matrix (tests/foundation.rs) allows the role at the demo's records, and no page may answer
//! 5xx. Then every distinct page is opened in chromium at 360 px: nothing scrolls sideways.
//! Runs on SQLite, and on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use common::browser::*;
use common::*;

/// Pages visited per route pattern, role and contest (the demo has a running contest and a
/// finished one): a judge's whole list of entries in the demo, few enough to keep the crawl
/// to a minute or two.
const PER_PATTERN: usize = 25;
/// A crawl that goes on longer than this is following a loop of addresses.
const MAX_PAGES: usize = 2000;

/// The GET route pattern an address belongs to: the pattern with the most literal segments
/// among those that match (`/cuoc-thi/moi` before `/cuoc-thi/{slug}`).
fn pattern_of<'a>(path: &str, patterns: &[&'a str]) -> Option<&'a str> {
    let segs: Vec<&str> = path.split('/').collect();
    patterns
        .iter()
        .filter(|p| {
            let ps: Vec<&str> = p.split('/').collect();
            ps.len() == segs.len()
                && ps
                    .iter()
                    .zip(&segs)
                    .all(|(p, s)| (p.starts_with('{') && !s.is_empty()) || p == s)
        })
        .max_by_key(|p| p.split('/').filter(|s| !s.starts_with('{')).count())
        .copied()
}

/// An attribute's text as the browser reads it (askama writes `&` as `&#38;`).
fn unescape(s: &str) -> String {
    [
        ("&#38;", "&"),
        ("&#x26;", "&"),
        ("&#x2F;", "/"),
        ("&#x3D;", "="),
        ("&#34;", "\""),
        ("&#39;", "'"),
        ("&quot;", "\""),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&#60;", "<"),
        ("&#62;", ">"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(s.to_string(), |acc, (from, to)| acc.replace(from, to))
}

/// The value of attribute `name` in the opening tag `tag`.
fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// The addresses a page offers by clicking: its links, and its GET forms submitted with the
/// values they hold (or `typed` for a field a person fills in), once as they are and once more
/// with every box ticked (a filter such as "flagged entries only").
fn links(html: &str, here: &str, typed: &HashMap<&str, String>) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("<a ").skip(1) {
        let tag = part.split('>').next().unwrap_or("");
        if let Some(href) = attr(&format!(" {tag}"), "href") {
            out.push(href);
        }
    }
    for part in html.split("<form").skip(1) {
        let tag = part.split('>').next().unwrap_or("");
        let method = attr(tag, "method").unwrap_or_else(|| "get".into());
        if !method.eq_ignore_ascii_case("get") {
            continue;
        }
        let action = attr(tag, "action").unwrap_or_else(|| here.split('?').next().unwrap().into());
        let body = part.split("</form>").next().unwrap_or("");
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut ticked: Vec<(String, String)> = Vec::new();
        for input in body.split("<input").skip(1) {
            let tag = input.split('>').next().unwrap_or("");
            let Some(name) = attr(tag, "name") else {
                continue;
            };
            let kind = attr(tag, "type").unwrap_or_else(|| "text".into());
            let value = typed
                .get(name.as_str())
                .cloned()
                .or_else(|| attr(tag, "value"))
                .unwrap_or_default();
            if kind == "checkbox" && !tag.contains(" checked") {
                ticked.push((name, value));
                continue;
            }
            if kind == "radio" && !tag.contains(" checked") {
                continue;
            }
            pairs.push((name, value));
        }
        for select in body.split("<select").skip(1) {
            let tag = select.split('>').next().unwrap_or("");
            let Some(name) = attr(tag, "name") else {
                continue;
            };
            let options = select.split("</select>").next().unwrap_or("");
            let chosen = options
                .split("<option")
                .skip(1)
                .find(|o| o.split('>').next().is_some_and(|t| t.contains(" selected")))
                .or_else(|| options.split("<option").nth(1))
                .and_then(|o| attr(o.split('>').next().unwrap_or(""), "value"))
                .unwrap_or_default();
            pairs.push((name, chosen));
        }
        let with = |pairs: &[(String, String)]| {
            let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
            if query.is_empty() {
                action.clone()
            } else {
                format!("{action}?{query}")
            }
        };
        out.push(with(&pairs));
        if !ticked.is_empty() {
            pairs.extend(ticked);
            out.push(with(&pairs));
        }
    }
    out
}

/// Keeps an address on this site as path and query; `None` for what a crawl does not follow:
/// other sites, the page in the other language (tests/english.rs renders those), anchors.
fn local(href: &str, base: &str) -> Option<String> {
    let href = href.strip_prefix(base).unwrap_or(href);
    if !href.starts_with('/') || href.starts_with("//") {
        return None;
    }
    let href = href.split('#').next().unwrap_or(href);
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    if query.split('&').any(|kv| kv.starts_with("lang=")) || path.starts_with("/static/") {
        return None;
    }
    Some(href.to_string())
}

/// What one role's crawl found.
#[derive(Default)]
struct Crawl {
    /// Each pattern reached, with the addresses visited.
    reached: BTreeMap<&'static str, Vec<String>>,
    /// Addresses that answered HTML (for the width check), by pattern.
    pages: BTreeMap<&'static str, String>,
    errors: Vec<String>,
    refused: Vec<String>,
    visited: usize,
}

async fn crawl(
    app: &TestApp,
    c: &reqwest::Client,
    starts: &[String],
    patterns: &[&'static str],
    typed: &HashMap<&str, String>,
) -> Crawl {
    let mut out = Crawl::default();
    let mut queue: VecDeque<(String, String)> = starts
        .iter()
        .map(|s| (s.clone(), "(start)".to_string()))
        .collect();
    let mut seen: BTreeSet<String> = starts.iter().cloned().collect();
    let mut per_pattern: HashMap<String, usize> = HashMap::new();
    while let Some((url, from)) = queue.pop_front() {
        if out.visited >= MAX_PAGES {
            out.errors.push(format!("stopped after {MAX_PAGES} pages"));
            break;
        }
        out.visited += 1;
        let path = url.split('?').next().unwrap_or(&url).to_string();
        let pattern = pattern_of(&path, patterns);
        let res = c.get(app.url(&url)).send().await.unwrap();
        let status = res.status();
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let is_html = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if status.is_server_error() {
            out.errors
                .push(format!("{url} -> {status} (linked from {from})"));
            continue;
        }
        let Some(pattern) = pattern else {
            out.refused.push(format!(
                "{url} -> {status}: no such route (linked from {from})"
            ));
            continue;
        };
        let mut next = Vec::new();
        if status.is_redirection() {
            let to = location.unwrap_or_default();
            if to.starts_with("/dang-nhap") {
                out.refused
                    .push(format!("{url} -> sign-in (linked from {from})"));
                continue;
            }
            next.push(to);
        } else if !status.is_success() {
            out.refused
                .push(format!("{url} -> {status} (linked from {from})"));
            continue;
        } else if is_html {
            let html = res.text().await.unwrap_or_default();
            out.pages.entry(pattern).or_insert_with(|| url.clone());
            next = links(&html, &url, typed);
        }
        // A download is reached once its status is seen; its body is not read.
        out.reached.entry(pattern).or_default().push(url.clone());
        for href in next {
            let Some(to) = local(&href, &app.base) else {
                continue;
            };
            if seen.contains(&to) {
                continue;
            }
            let to_pattern = pattern_of(to.split('?').next().unwrap_or(&to), patterns);
            // Each contest's pages have their own quota.
            let contest = to
                .strip_prefix("/cuoc-thi/")
                .and_then(|rest| rest.split(['/', '?']).next())
                .unwrap_or("");
            let n = per_pattern
                .entry(format!("{} {contest}", to_pattern.unwrap_or("")))
                .or_default();
            if *n >= PER_PATTERN {
                continue;
            }
            *n += 1;
            seen.insert(to.clone());
            queue.push_back((to, url.clone()));
        }
    }
    out
}

/// A role's name, its signed-in client, where it starts, and its login for the browser.
type Role<'a> = (
    &'a str,
    reqwest::Client,
    Vec<String>,
    Option<(&'a str, &'a str)>,
);

/// Pages that are not for clicking to: machine endpoints, and the few pages the matrix
/// allows a role that its work never leads it to.
fn offered(route: &str, role: &str, holds_entry_link: bool) -> bool {
    if route.starts_with("/api/") || route == "/healthz" || route.starts_with("/static/") {
        return false; // JSON and assets: no page links them
    }
    // For search engines, and the photos' files that pages show as pictures, not links.
    if route == "/sitemap.xml" || route == "/robots.txt" || route.starts_with("/tin-anh/") {
        return false;
    }
    // An export's file is linked from its progress page once one has been asked for (a POST,
    // which the crawler never sends); tests/site.rs follows that link.
    if route.ends_with("/xuat/tai-ve") {
        return false;
    }
    match route {
        // Signed in already: sign-in is not offered.
        "/dang-nhap" => role == "anonymous",
        // For anyone but a judge an empty list, which the navigation offers judges only.
        "/cham-thi" => role == "judge",
        // An entry's private pages open with its link, held by whoever submitted it.
        r if r.starts_with("/bai-du-thi/") => holds_entry_link,
        // A delegate's personal link opens from the message that invites them; visitors and
        // judges are never sent one.
        r if r.starts_with("/dai-bieu/") => !matches!(role, "anonymous" | "judge"),
        // A session's self check-in opens from the QR code on the room screen, which only the
        // course's staff open; delegates reach it with their phone's camera.
        "/khoa-hoc/{course}/buoi/{session}/tu-diem-danh/{code}" => {
            matches!(role, "site_admin" | "district_admin" | "organizer")
        }
        _ => true,
    }
}

#[tokio::test]
async fn every_role_reaches_every_allowed_page_by_clicking() {
    let started = std::time::Instant::now();
    let app = spawn_app().await;
    let demo::Demo {
        mut ids,
        receipt,
        guest,
        org,
        judge,
    } = demo::build(&app).await;
    ids.certificate = demo::publish_final(&app, &org, ids.judged_round).await;
    demo::wait_for_jobs(&app).await;
    let final_round = ids.judged_round.to_string();

    let table = hoithi_web::app::routes_info();
    let rows = matrix::rows();
    let patterns: Vec<&'static str> = table
        .iter()
        .filter(|r| r.method == reqwest::Method::GET)
        .map(|r| r.path)
        .collect();
    for p in &patterns {
        assert!(
            rows.iter().any(|(m, r, _)| m == "GET" && r == p),
            "GET {p} has no row in the matrix of tests/foundation.rs"
        );
    }
    // What a person types: the code printed on their certificate, how many entries go on.
    let typed: HashMap<&str, String> = [("ma", ids.certificate.clone()), ("n", "2".into())].into();

    let private_link = common::submissions::link_of(&receipt);
    let roles: Vec<Role> = vec![
        ("anonymous", guest, vec!["/".into(), private_link], None),
        (
            "participant",
            app.sign_in(PARTICIPANT.0, PARTICIPANT.1).await,
            vec!["/".into()],
            Some(PARTICIPANT),
        ),
        (
            "commune_admin",
            app.sign_in(COMMUNE.0, COMMUNE.1).await,
            vec!["/".into()],
            Some(COMMUNE),
        ),
        (
            "district_admin",
            app.sign_in(DISTRICT.0, DISTRICT.1).await,
            vec!["/".into()],
            Some(DISTRICT),
        ),
        (
            "site_admin",
            app.sign_in(ADMIN.0, ADMIN.1).await,
            vec!["/".into()],
            Some(ADMIN),
        ),
        ("organizer", org, vec!["/".into()], Some(demo::ORGANIZER)),
        ("judge", judge, vec!["/".into()], Some(demo::JUDGE)),
    ];
    assert_eq!(roles.len(), matrix::ROLES.len());

    let mut missing = Vec::new();
    let mut errors = Vec::new();
    let mut first_pages: BTreeMap<&'static str, (&str, String)> = BTreeMap::new();
    let mut figures = Vec::new();
    for (role, c, starts, login) in &roles {
        let holds_entry_link = match login {
            None => true,
            Some((login, _)) => {
                let me = app.user_id(login).await;
                !hoithi_storage::repo::entries::by_submitter(&app.state.db, me)
                    .await
                    .unwrap()
                    .is_empty()
            }
        };
        let found = crawl(&app, c, starts, &patterns, &typed).await;
        figures.push(format!(
            "{role}: {} pages, {} patterns",
            found.visited,
            found.reached.len()
        ));
        errors.extend(found.errors.iter().map(|e| format!("{role}: {e}")));
        for (method, route, rule) in &rows {
            if method != "GET" || !offered(route, role, holds_entry_link) {
                continue;
            }
            let allowed = demo::fill(route, &ids)
                .iter()
                .any(|path| matrix::allowed(rule, role, path, &final_round));
            if allowed && !found.reached.contains_key(route.as_str()) {
                missing.push(format!("{role}: {route}"));
            }
        }
        for (pattern, url) in found.pages {
            first_pages.entry(pattern).or_insert((role, url));
        }
        if !found.refused.is_empty() {
            eprintln!(
                "{role}: links that lead nowhere:\n  {}",
                found.refused.join("\n  ")
            );
        }
    }
    eprintln!("crawl: {}", figures.join("; "));
    assert!(errors.is_empty(), "server errors:\n{}", errors.join("\n"));
    assert!(
        missing.is_empty(),
        "allowed by the matrix but not reached by clicking from the start page:\n{}",
        missing.join("\n")
    );
    let crawled = started.elapsed().as_secs_f64();

    // Every distinct page at 360 px, signed in as the role that reached it first.
    let Some(driver) = start_driver().await else {
        return;
    };
    let mut narrow = Vec::new();
    for (role, _, _, login) in &roles {
        let mine: Vec<(&str, &String)> = first_pages
            .iter()
            .filter(|(_, (r, _))| r == role)
            .map(|(p, (_, url))| (*p, url))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let profile = tempfile::tempdir().unwrap();
        let b = phone(&driver, profile.path()).await;
        match login {
            Some((login, password)) => sign_in(&b, &app, login, password).await,
            None => b.goto(&app.url("/")).await.unwrap(),
        }
        for (pattern, url) in mine {
            b.goto(&app.url(url)).await.unwrap();
            let (content, screen) = widths(&b).await;
            if content > screen + 1.0 {
                narrow.push(format!(
                    "{pattern} ({role}, {url}): {content}px on {screen}px"
                ));
            }
        }
        b.close().await.unwrap();
    }
    eprintln!(
        "crawl: {} patterns checked at 360 px; crawl {:.0} s, total {:.0} s",
        first_pages.len(),
        crawled,
        started.elapsed().as_secs_f64()
    );
    assert!(
        narrow.is_empty(),
        "pages wider than a 360 px phone:\n{}",
        narrow.join("\n")
    );
}

#[test]
fn addresses_find_their_route_pattern() {
    let patterns = [
        "/cuoc-thi/{slug}",
        "/cuoc-thi/moi",
        "/cuoc-thi/{slug}/bai/{id}",
        "/xac-minh/{code}/giay-chung-nhan.pdf",
        "/",
    ];
    assert_eq!(
        pattern_of("/cuoc-thi/moi", &patterns),
        Some("/cuoc-thi/moi")
    );
    assert_eq!(
        pattern_of("/cuoc-thi/abc", &patterns),
        Some("/cuoc-thi/{slug}")
    );
    assert_eq!(
        pattern_of("/cuoc-thi/abc/bai/3", &patterns),
        Some("/cuoc-thi/{slug}/bai/{id}")
    );
    assert_eq!(pattern_of("/", &patterns), Some("/"));
    assert_eq!(pattern_of("/khong-co", &patterns), None);
    let typed: HashMap<&str, String> = [("ma", "GCN-1".to_string())].into();
    let html = r#"<a class="x" href="/a?b=1&#38;c=2">A</a><form method="post" action="/p"><input name="csrf" value="t"></form>
<form method="get" action="/xac-minh"><input id="c" name="ma"><button>Go</button></form>
<form action="/cuoc-thi/x/bai"><input name="q" value=""><select name="s"><option value="a">A</option><option value="b" selected>B</option></select><input type="checkbox" name="f" value="1"></form>"#;
    assert_eq!(
        links(html, "/here", &typed),
        vec![
            "/a?b=1&c=2".to_string(),
            "/xac-minh?ma=GCN-1".to_string(),
            "/cuoc-thi/x/bai?q=&s=b".to_string(),
            "/cuoc-thi/x/bai?q=&s=b&f=1".to_string()
        ]
    );
}
