//! The demo's records for tests that walk every route (the authorization matrix, the English
//! render): a value for every path parameter, taken from real rows, and the steps that build
//! the demo up where it has none (a private link with its key, copy checks, published results
//! with a certificate).

use std::collections::{BTreeMap, HashMap};

use super::submissions::{Form, SLUG, base_fields, submit};
use super::*;
use hoithi_storage::repo::{assignments, checks, contests, entries, rounds, users};

pub const ORGANIZER: (&str, &str) = ("bantochuc@hoithi.demo", "demo-bantochuc");
pub const JUDGE: (&str, &str) = ("giamkhao@hoithi.demo", "demo-giamkhao");

// ---- the demo's records, to fill the routes' path parameters ----

/// Real records of the demo (and a few added to it) for every kind of path parameter.
pub struct Ids {
    pub unit: i64,
    pub user: i64,
    pub entry: i64,
    pub other_entry: i64,
    pub source: i64,
    pub own_code: String,
    pub own_key: String,
    pub rounds: Vec<i64>,
    pub batch: HashMap<i64, i64>,
    pub round_entry: HashMap<i64, i64>,
    pub judged_round: i64,
    pub anon_code: String,
    pub other_anon: String,
    pub certificate: String,
    /// The demo course (its address and id), a session of it and a delegate's badge token.
    pub course: String,
    pub course_id: i64,
    pub course_session: i64,
    pub badge: String,
    /// A delegate of the demo course (the badge's holder).
    pub course_delegate: i64,
    /// A public file material of the demo course.
    pub course_material: i64,
    /// The demo's news story.
    pub news: NewsIds,
}

/// The demo's news story: id, address, first category, unit, a photo and a served file.
pub struct NewsIds {
    pub post: i64,
    pub slug: String,
    pub category: String,
    pub unit: i64,
    pub photo: i64,
    pub file: String,
}

/// The demo course's records, for `Ids`.
pub async fn course_ids(app: &TestApp) -> (String, i64, i64, String, i64) {
    use hoithi_storage::repo::courses;
    let slug = hoithi_web::courses::demo::SLUG.to_string();
    let k = courses::by_slug(&app.state.db, &slug)
        .await
        .unwrap()
        .unwrap();
    let session = courses::sessions(&app.state.db, k.id).await.unwrap()[0].id;
    let d = courses::delegates(&app.state.db, k.id)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.user_id.is_some())
        .unwrap();
    let badge = hoithi_web::courses::service::signed_badge(&app.state, &d);
    (slug, k.id, session, badge, d.id)
}

/// The demo course's public file material (its outline).
pub async fn demo_material(app: &TestApp, course_id: i64) -> i64 {
    use hoithi_storage::repo::courses::materials;
    materials::list(&app.state.db, course_id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.kind == materials::FILE && m.visibility == materials::PUBLIC)
        .expect("the demo course has a public file")
        .id
}

pub fn with_lang(path: &str, lang: &str) -> String {
    if path.contains('?') {
        format!("{path}&lang={lang}")
    } else {
        format!("{path}?lang={lang}")
    }
}

/// The addresses a GET route stands for (one per round for a round's pages).
pub fn fill(route: &str, ids: &Ids) -> Vec<String> {
    if route.starts_with("/khoa-hoc")
        || route.starts_with("/dai-bieu/")
        || route.starts_with("/api/v1/courses")
    {
        let path = route
            .replace("{course}", &ids.course)
            .replace("{id}", &ids.course_id.to_string())
            .replace("{session}", &ids.course_session.to_string())
            .replace("{token}", &ids.badge)
            .replace("{delegate}", &ids.course_delegate.to_string())
            .replace("{material}", &ids.course_material.to_string())
            // A room code: the self check-in page opens with any (it is checked on posting).
            .replace("{code}", "AAAAAAAA");
        assert!(
            !path.contains('{'),
            "GET {route}: give its path parameter a demo value in tests/common/demo.rs"
        );
        return vec![path];
    }
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
            let path = route
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
            let mut path = path
                .replace("{news_id}", &ids.news.post.to_string())
                .replace("{post}", &ids.news.slug)
                .replace("{category}", &ids.news.category)
                .replace("{news_unit}", &ids.news.unit.to_string())
                .replace("{photo}", &ids.news.photo.to_string())
                .replace("{file}", &ids.news.file);
            assert!(
                !path.contains('{'),
                "GET {route}: give its path parameter a demo value in tests/common/demo.rs"
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

/// The demo's news story and its records (its photos' copies made).
pub async fn news_ids(app: &TestApp) -> NewsIds {
    use hoithi_storage::repo::news;
    let story = news::for_units(&app.state.db, None, None, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.title.starts_with("Hàm Yên mở lớp bồi dưỡng"))
        .expect("the demo's news story");
    let category = news::categories_of(&app.state.db, &[story.id])
        .await
        .unwrap()
        .remove(0)
        .1
        .slug;
    let photo = news::photos(&app.state.db, &[story.id])
        .await
        .unwrap()
        .remove(0);
    let file = hoithi_web::news::photos::service::variants(&photo)
        .first()
        .map(|v| v.file.clone())
        .unwrap_or_default();
    NewsIds {
        post: story.id,
        slug: story.slug,
        category,
        unit: story.unit_id,
        photo: photo.id,
        file,
    }
}

// ---- building the demo up: an own entry, a reference text, published results ----

pub async fn wait_for_jobs(app: &TestApp) {
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

pub async fn post_form(
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
pub fn selected_awards(html: &str) -> Vec<(String, String)> {
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

/// Scores every entry of the final round the demo left unscored, ends scoring, confirms the suggested awards and
/// publishes them; returns a certificate code.
pub async fn publish_final(app: &TestApp, org: &reqwest::Client, fin: i64) -> String {
    let db = &app.state.db;
    let criteria = rounds::criteria(db, fin).await.unwrap();
    let mut by_judge: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for a in assignments::for_round(db, fin).await.unwrap() {
        if a.status == assignments::PUBLISHED {
            by_judge.entry(a.user_id).or_default().push(a.entry_id);
        }
    }
    for (judge, mut list) in by_judge {
        // The demo judge has submitted some sheets already.
        let done: Vec<i64> = hoithi_storage::repo::scores::for_judge(db, fin, judge)
            .await
            .unwrap()
            .into_iter()
            .filter(|s| s.status == hoithi_storage::repo::scores::SUBMITTED)
            .map(|s| s.entry_id)
            .collect();
        list.retain(|e| !done.contains(e));
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

/// What `build` leaves for the tests: the records, the guest's receipt page, and clients
/// signed in as the guest (with the private link's cookie), the organizer and the judge.
pub struct Demo {
    pub ids: Ids,
    pub receipt: String,
    pub guest: reqwest::Client,
    pub org: reqwest::Client,
    pub judge: reqwest::Client,
}

/// Builds the demo up so that every route has a real record: a guest's own entry with its
/// private key (submitted through the English form), copy checks of a Thái Sơn entry against
/// another entry and a reference text, each round's batch and entry, and two of the demo
/// judge's entries that overlap. Certificates need `publish_final`.
pub async fn build(app: &TestApp) -> Demo {
    let started = std::time::Instant::now();
    let db = &app.state.db;
    let k = contests::by_slug(db, SLUG).await.unwrap();

    // A guest's own entry, through the English form: the receipt and its private link.
    let guest = client();
    guest.get(app.url("/?lang=en")).send().await.unwrap();
    let mut fields = base_fields(app, "Tiếng nói từ thôn bản", "Hoàng Thị Lụa").await;
    fields.push((
        "text",
        "Ở cơ sở, mỗi cán bộ, đảng viên cần nêu gương trong lời nói và việc làm. ".repeat(120),
    ));
    let (status, receipt) = submit(
        app,
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
    let link = super::submissions::link_of(&receipt);
    let link = link.trim_start_matches("/bai-du-thi/");
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
    wait_for_jobs(app).await;
    let course = course_ids(app).await;
    let ids = Ids {
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
        course: course.0,
        course_id: course.1,
        course_session: course.2,
        badge: course.3,
        course_delegate: course.4,
        course_material: demo_material(app, course.1).await,
        news: news_ids(app).await,
    };

    eprintln!(
        "demo records built in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Demo {
        ids,
        receipt,
        guest,
        org,
        judge,
    }
}
