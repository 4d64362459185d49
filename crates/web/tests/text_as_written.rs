//! An entry's text is kept and shown as its author wrote it: tone marks where the author put
//! them (hòa and hoà, thúy and thuý side by side), only invisible repairs (NFC, whitespace,
//! legacy encodings). A contest may choose one tone style for its pages; what was sent stays
//! unchanged, and search still finds the text typed without diacritics. Runs on SQLite, and
//! on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use common::submissions::*;
use common::*;
use hoithi_storage::repo::{contests, entries};

const FRESH: &str = "viet-nhu-tac-gia";

async fn fresh_contest(app: &TestApp) -> i64 {
    let now = chrono::Utc::now();
    contests::create(
        &app.state.db,
        contests::NewContest {
            slug: FRESH.into(),
            title: "Cuộc thi thử chữ viết".into(),
            description: String::new(),
            rules: String::new(),
            organizer_unit_id: app.unit_id("HY").await,
            opens_at: now - chrono::Duration::days(1),
            closes_at: now + chrono::Duration::days(10),
            published: true,
            collecting_units: vec![app.unit_id("HY-THAISON").await],
            genres: hoithi_web::contests::service::default_genres(),
            groups: hoithi_web::contests::service::default_groups(),
        },
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn the_authors_tone_marks_stay_as_written_unless_the_contest_chooses_a_style() {
    let app = spawn_app().await;
    let k = fresh_contest(&app).await;
    let genre = contests::genres(&app.state.db, k).await.unwrap()[0].id;
    let group = contests::groups(&app.state.db, k).await.unwrap()[2].id;
    // Old and new tone places mixed, as people type them; decomposed marks and doubled spaces
    // are the invisible part that is repaired.
    let mut text = String::from(
        "Hòa bình là khát vọng của muôn dân, hoà hợp là con đường của cả dân tộc.\n\n\
         Chị Thúy ở ủy ban xã và anh Thuý ở uỷ ban huyện cùng ho\u{300}a giọng  hát.\n\n",
    );
    text.push_str(&essay(800).join("\n\n"));
    let mut fields = base_fields(&app, "Hòa khúc quê hương", "Lương Thị Thúy").await;
    for f in fields.iter_mut() {
        match f.0 {
            "genre_id" => f.1 = genre.to_string(),
            "a0_group" => f.1 = group.to_string(),
            _ => {}
        }
    }
    fields.push(("text", text.clone()));
    let (status, html) = submit(
        &app,
        &client(),
        FRESH,
        Form {
            fields,
            file: None,
            csrf: true,
        },
    )
    .await;
    assert_eq!(status, 200, "{html}");
    let e = entries::by_receipt(&app.state.db, &code_of(&html))
        .await
        .unwrap();
    assert_eq!(e.title, "Hòa khúc quê hương", "the title as typed");
    assert!(
        e.body.starts_with(
            "Hòa bình là khát vọng của muôn dân, hoà hợp là con đường của cả dân tộc.\n\n\
             Chị Thúy ở ủy ban xã và anh Thuý ở uỷ ban huyện cùng hòa giọng hát."
        ),
        "stored as written, after NFC and whitespace: {}",
        &e.body[..300.min(e.body.len())]
    );

    // The organizer's page shows it as written.
    let org = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let page_path = format!("/cuoc-thi/{FRESH}/bai/{}", e.id);
    let page = app.page(&org, &page_path).await;
    assert!(
        page.contains("Hòa bình là khát vọng") && page.contains("hoà hợp là con đường"),
        "{page}"
    );
    assert!(page.contains("Chị Thúy ở ủy ban xã và anh Thuý ở uỷ ban huyện"));

    // The contest chooses the new style for its pages: shown so, stored unchanged.
    let settings = format!("/cuoc-thi/{FRESH}/cai-dat");
    let token = app.session_csrf(&org).await;
    let form = vec![
        ("csrf", token),
        ("title", "Cuộc thi thử chữ viết".to_string()),
        ("opens", "01/12/2026".to_string()),
        ("closes", "31/12/2027".to_string()),
        ("published", "1".to_string()),
        ("count_quotes", "1".to_string()),
        ("display_tone", "new".to_string()),
        ("unit", app.unit_id("HY-THAISON").await.to_string()),
    ];
    let res = org
        .post(app.url(&settings))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let page = app.page(&org, &page_path).await;
    assert!(
        page.contains("Hoà bình là khát vọng") && page.contains("Chị Thuý ở uỷ ban xã"),
        "{page}"
    );
    let again = entries::get(&app.state.db, e.id).await.unwrap();
    assert_eq!(again.body, e.body, "what was sent stays unchanged");

    // A style that does not exist is refused beside its field, the rest kept as typed.
    let mut bad = form.clone();
    bad[0].1 = app.session_csrf(&org).await;
    bad[6].1 = "fancy".into();
    let res = org
        .post(app.url(&settings))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Kiểu dấu thanh không hợp lệ"), "{html}");
}
