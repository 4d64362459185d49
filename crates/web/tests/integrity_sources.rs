//! Copy checks against the texts organizers upload (references and allowed sources), the
//! common text the index finds by itself, and the index file catching up after a crash.
//! Runs on SQLite, and on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use common::submissions::*;
use common::*;
use hoithi_storage::repo::{checks, contests, entries, integrity_sources};
use hoithi_web::integrity::StoredMatch;

const ORGANIZER: (&str, &str) = ("bantochuc@hoithi.demo", "demo-bantochuc");
/// A file to upload: its name and bytes.
type Upload = (&'static str, Vec<u8>);
/// A bad upload: what it is, its fields, its file, and the message expected.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Option<Upload>, &'a str);

const PAGE: &str = "/cuoc-thi/chinh-luan-2026/tai-lieu-doi-chieu";

/// Text that shares no run of syllables with any other seed's (a small LCG over a list of
/// Vietnamese syllables), so that only what a test plants is copied.
fn prose(seed: u64, syllables: usize) -> String {
    const WORDS: &[&str] = &[
        "làng",
        "sông",
        "núi",
        "đồng",
        "lúa",
        "mùa",
        "nước",
        "người",
        "dân",
        "bản",
        "chợ",
        "đường",
        "học",
        "trường",
        "thầy",
        "cô",
        "em",
        "nhà",
        "mới",
        "cũ",
        "xanh",
        "vàng",
        "đỏ",
        "trắng",
        "gió",
        "mưa",
        "nắng",
        "sương",
        "chiều",
        "sáng",
        "đêm",
        "ngày",
        "tháng",
        "năm",
        "cây",
        "rừng",
        "suối",
        "đá",
        "đất",
        "trời",
        "mây",
        "trăng",
        "sao",
        "hoa",
        "quả",
        "bếp",
        "lửa",
        "khói",
        "chè",
        "cam",
        "ngô",
        "khoai",
        "sắn",
        "trâu",
        "bò",
        "gà",
        "vịt",
        "cá",
        "thuyền",
        "cầu",
        "bến",
        "phố",
        "hội",
        "cờ",
        "trống",
        "chiêng",
        "khèn",
        "sáo",
        "áo",
        "nón",
        "khăn",
        "vải",
        "lụa",
        "tay",
        "chân",
        "mắt",
        "lòng",
        "tình",
        "nghĩa",
    ];
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut out = Vec::with_capacity(syllables);
    for i in 0..syllables {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.push(WORDS[((x >> 33) % WORDS.len() as u64) as usize]);
        if i % 17 == 16 {
            out.push("và");
        }
    }
    let mut s = out.join(" ");
    s.push('.');
    s
}

/// Words `from..to` of a text (syllables are space-separated here).
fn words(text: &str, from: usize, to: usize) -> String {
    text.split(' ')
        .skip(from)
        .take(to - from)
        .collect::<Vec<_>>()
        .join(" ")
}

async fn multipart(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> (u16, String, String) {
    let token = app.session_csrf(c).await;
    let mut form = reqwest::multipart::Form::new().text("csrf", token);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    let res = c.post(app.url(path)).multipart(form).send().await.unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, location, res.text().await.unwrap())
}

/// Submits a pasted entry as a guest; returns (receipt code, private key).
async fn submit_text(app: &TestApp, title: &str, email: &str, text: &str) -> (String, String) {
    submit_text_to(app, SLUG, title, email, text).await
}

/// A contest of the district with no entries yet (the demo one has 240, which every change
/// of sources re-checks before a test's own entries would be reached).
const FRESH: &str = "doi-chieu-2026";

async fn fresh_contest(app: &TestApp) -> i64 {
    let now = chrono::Utc::now();
    contests::create(
        &app.state.db,
        contests::NewContest {
            slug: FRESH.into(),
            title: "Cuộc thi thử đối chiếu".into(),
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

async fn submit_text_to(
    app: &TestApp,
    slug: &str,
    title: &str,
    email: &str,
    text: &str,
) -> (String, String) {
    let k = contests::by_slug(&app.state.db, slug).await.unwrap();
    let genre = contests::genres(&app.state.db, k.id).await.unwrap()[0].id;
    let group = contests::groups(&app.state.db, k.id).await.unwrap()[2].id;
    let mut fields = base_fields(app, title, "Hà Thị Mai").await;
    for f in fields.iter_mut() {
        match f.0 {
            "a0_email" => f.1 = email.to_string(),
            "genre_id" => f.1 = genre.to_string(),
            "a0_group" => f.1 = group.to_string(),
            _ => {}
        }
    }
    fields.push(("text", text.to_string()));
    let (status, html) = submit(
        app,
        &client(),
        slug,
        Form {
            fields,
            file: None,
            csrf: true,
        },
    )
    .await;
    assert_eq!(status, 200, "{html}");
    let link = link_of(&html);
    (code_of(&html), link.split("k=").nth(1).unwrap().to_string())
}

/// Waits until the entry has a check at or after `after` and no check of it is still queued
/// (the worker runs them). Check times have second precision, so "newer" alone could wait
/// forever when a re-check lands in the same second as the first check.
async fn checked_after(
    app: &TestApp,
    entry_id: i64,
    after: Option<chrono::DateTime<chrono::Utc>>,
) -> hoithi_storage::entity::entry_check::Model {
    use hoithi_storage::entity::job;
    use hoithi_storage::repo::jobs::{DONE, FAILED};
    use sea_orm::EntityTrait;
    let mine = |p: &str| {
        serde_json::from_str::<serde_json::Value>(p).is_ok_and(|v| v["entry_id"] == entry_id)
    };
    for _ in 0..300 {
        let queued = job::Entity::find()
            .all(&app.state.db.conn)
            .await
            .unwrap()
            .into_iter()
            .any(|j| {
                j.kind == "integrity_check"
                    && j.status != DONE
                    && j.status != FAILED
                    && mine(&j.payload)
            });
        if !queued
            && let Some(ch) = checks::get(&app.state.db, entry_id).await.unwrap()
            && after.is_none_or(|t| ch.checked_at >= t)
        {
            return ch;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("entry {entry_id} was not checked within 30 seconds (after {after:?})");
}

fn matches_of(ch: &hoithi_storage::entity::entry_check::Model) -> Vec<StoredMatch> {
    serde_json::from_str(&ch.matches).unwrap()
}

async fn contest_id(app: &TestApp) -> i64 {
    contests::by_slug(&app.state.db, SLUG).await.unwrap().id
}

#[tokio::test]
async fn only_managers_reach_the_sources_and_bad_uploads_store_nothing() {
    let app = spawn_app().await;
    let k = contest_id(&app).await;
    let org = app.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let page = app.page(&org, PAGE).await;
    assert!(
        page.contains("Tài liệu đối chiếu và nguồn được phép trích dẫn"),
        "{page}"
    );
    for (who, login) in [("participant", PARTICIPANT), ("commune admin", COMMUNE)] {
        let c = app.sign_in(login.0, login.1).await;
        assert_eq!(
            c.get(app.url(PAGE)).send().await.unwrap().status(),
            403,
            "{who} reads"
        );
        let (status, _, _) = multipart(
            &app,
            &c,
            PAGE,
            &[
                ("kind", "reference"),
                ("title", "Lén"),
                ("text", "một hai ba"),
            ],
            None,
        )
        .await;
        assert_eq!(status, 403, "{who} uploads");
    }
    let text = prose(1, 120);
    let cases: Vec<Case> = vec![
        (
            "empty file",
            vec![("kind", "reference"), ("title", "Rỗng")],
            Some(("rong.txt", Vec::new())),
            "Tệp tải lên rỗng",
        ),
        (
            "not a PDF",
            vec![("kind", "reference"), ("title", "Giả")],
            Some(("gia.pdf", b"day khong phai PDF".to_vec())),
            "Không đọc được tệp",
        ),
        (
            "wrong extension",
            vec![("kind", "allowed"), ("title", "Lạ")],
            Some(("virus.exe", b"MZ\x90\x00".to_vec())),
            "không được nhận",
        ),
        (
            "missing title",
            vec![("kind", "reference"), ("text", text.as_str())],
            None,
            "Vui lòng nhập tên tài liệu",
        ),
        (
            "missing kind",
            vec![("title", "Không loại"), ("text", text.as_str())],
            None,
            "Vui lòng chọn loại",
        ),
        (
            "no text",
            vec![("kind", "reference"), ("title", "Trống")],
            None,
            "Vui lòng tải tệp lên hoặc dán nội dung",
        ),
        (
            "bad JSONL line",
            vec![("kind", "reference")],
            Some((
                "cu.jsonl",
                b"{\"id\": \"a\", \"text\": \"m\xe1\xbb\x99t hai ba\"}\n{\"id\": 1\n".to_vec(),
            )),
            "Dòng 2 không đúng dạng",
        ),
    ];
    for (what, fields, file, needle) in cases {
        let (status, _, html) = multipart(&app, &org, PAGE, &fields, file).await;
        assert_eq!(status, 422, "{what}");
        assert!(html.contains(needle), "{what}: expected «{needle}»");
    }
    assert!(
        integrity_sources::list(&app.state.db, k)
            .await
            .unwrap()
            .is_empty(),
        "no bad upload left a record"
    );
    // Messages come in English to those who chose it.
    let res = org
        .get(app.url(&format!("{PAGE}?lang=en")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (status, _, html) = multipart(
        &app,
        &org,
        PAGE,
        &[("kind", "reference"), ("text", text.as_str())],
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Please enter the title of the text"),
        "{html}"
    );
    app.page(&org, &format!("{PAGE}?lang=vi")).await;
    // A JSONL import adds one text a line, titled by its id.
    let jsonl = format!(
        "{}\n\n{}\n",
        serde_json::json!({"id": "2024-001", "text": prose(2, 80)}),
        serde_json::json!({"id": 2024002, "text": prose(3, 80)}),
    );
    let (status, location, body) = multipart(
        &app,
        &org,
        PAGE,
        &[("kind", "reference"), ("title", "Bài năm 2024")],
        Some(("nam-2024.jsonl", jsonl.into_bytes())),
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.contains("da-luu=2"), "{location}");
    let page = app.page(&org, &location).await;
    assert!(page.contains("Đã thêm 2 văn bản"), "{page}");
    assert!(
        page.contains("Bài năm 2024: 2024-001") && page.contains("Bài năm 2024: 2024002"),
        "{page}"
    );
    // Removing belongs to managers of this contest only.
    let id = integrity_sources::list(&app.state.db, k).await.unwrap()[0].id;
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let token = app.session_csrf(&commune).await;
    let res = commune
        .post(app.url(&format!("{PAGE}/{id}/xoa")))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let token = app.session_csrf(&org).await;
    let res = org
        .post(app.url(&format!("{PAGE}/999999/xoa")))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(
        integrity_sources::list(&app.state.db, k)
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn copying_a_reference_counts_quoting_an_allowed_source_does_not() {
    let app = spawn_app().await;
    let k = fresh_contest(&app).await;
    let page_path = format!("/cuoc-thi/{FRESH}/tai-lieu-doi-chieu");
    // The district organizes the contest: its administrator manages it.
    let org = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    // A resolution everyone may quote, pasted; an earlier year's entry, as a DOCX file.
    let resolution = prose(10, 160);
    let (status, _, body) = multipart(
        &app,
        &org,
        &page_path,
        &[
            ("kind", "allowed"),
            ("title", "Nghị quyết Đại hội tỉnh"),
            ("text", resolution.as_str()),
        ],
        None,
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let earlier = [prose(11, 120), prose(12, 120)];
    let paras: Vec<&str> = earlier.iter().map(String::as_str).collect();
    let (status, _, body) = multipart(
        &app,
        &org,
        &page_path,
        &[("kind", "reference"), ("title", "Bài đoạt giải năm 2024")],
        Some(("giai-2024.docx", docx(&paras))),
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let sources = integrity_sources::list(&app.state.db, k).await.unwrap();
    let reference = sources.iter().find(|s| s.kind == "reference").unwrap().id;
    let allowed = sources.iter().find(|s| s.kind == "allowed").unwrap().id;

    // Entry A copies 80 syllables of the reference between its own 600.
    let copied = words(&earlier[1], 20, 100);
    let text_a = format!("{}\n\n{}\n\n{}", prose(20, 300), copied, prose(21, 300));
    let (code_a, _) =
        submit_text_to(&app, FRESH, "Bài chép tài liệu", "a@example.vn", &text_a).await;
    // Entry B quotes 80 syllables of the resolution, and nothing else.
    let quoted = words(&resolution, 30, 110);
    let text_b = format!("{}\n\n«{}»\n\n{}", prose(30, 300), quoted, prose(31, 300));
    let (code_b, _) =
        submit_text_to(&app, FRESH, "Bài trích nghị quyết", "b@example.vn", &text_b).await;
    let a = entries::by_receipt(&app.state.db, &code_a).await.unwrap();
    let b = entries::by_receipt(&app.state.db, &code_b).await.unwrap();

    let check_a = checked_after(&app, a.id, None).await;
    let share = check_a.share;
    assert!(share > 0.09 && share < 0.16, "share of A {share}");
    let ms = matches_of(&check_a);
    let m = ms
        .iter()
        .find(|m| m.source_id == Some(reference))
        .unwrap_or_else(|| panic!("{ms:?}"));
    assert!(!m.allowed);
    let [s, e] = m.passages[0][0];
    assert!(
        a.body[s..e].contains(&words(&copied, 5, 70)),
        "{}",
        &a.body[s..e]
    );
    let overlap = app
        .page(&org, &format!("/cuoc-thi/{FRESH}/bai/{}/trung-lap", a.id))
        .await;
    assert!(
        overlap.contains("Bài đoạt giải năm 2024") && overlap.contains("Tài liệu đối chiếu"),
        "{overlap}"
    );
    let compare_path = format!("/cuoc-thi/{FRESH}/bai/{}/tai-lieu/{reference}", a.id);
    assert!(overlap.contains(&compare_path), "{overlap}");
    let cmp = app.page(&org, &compare_path).await;
    assert!(cmp.contains("Bài đoạt giải năm 2024"), "{cmp}");
    assert_eq!(
        cmp.matches("<mark class=\"prose\">").count(),
        2,
        "one passage, marked on both sides"
    );
    let marked: Vec<&str> = cmp
        .split("<mark class=\"prose\">")
        .skip(1)
        .map(|s| s.split("</mark>").next().unwrap())
        .collect();
    assert!(marked.iter().all(|t| t.contains(&words(&copied, 5, 70))));
    // A judge-free side: the participant cannot see it.
    let participant = app.sign_in(PARTICIPANT.0, PARTICIPANT.1).await;
    assert_eq!(
        participant
            .get(app.url(&compare_path))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    let check_b = checked_after(&app, b.id, None).await;
    assert_eq!(
        check_b.share, 0.0,
        "quoting an allowed source is not counted"
    );
    let ms = matches_of(&check_b);
    let m = ms
        .iter()
        .find(|m| m.source_id == Some(allowed))
        .unwrap_or_else(|| panic!("{ms:?}"));
    assert!(m.allowed);
    let overlap = app
        .page(&org, &format!("/cuoc-thi/{FRESH}/bai/{}/trung-lap", b.id))
        .await;
    assert!(
        overlap.contains("Nghị quyết Đại hội tỉnh")
            && overlap.contains("Nguồn được phép trích dẫn (không tính)")
            && overlap.contains("Tỷ lệ trùng lặp: <strong>0,0%</strong>"),
        "{overlap}"
    );
    let cmp = app
        .page(
            &org,
            &format!("/cuoc-thi/{FRESH}/bai/{}/tai-lieu/{allowed}", b.id),
        )
        .await;
    assert_eq!(cmp.matches("<mark class=\"quote\">").count(), 2, "{cmp}");
    // Another contest's or an unknown text is not found.
    assert_eq!(
        org.get(app.url(&format!("/cuoc-thi/{FRESH}/bai/{}/tai-lieu/999999", a.id)))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // The reference is removed: every entry is checked again, and A no longer copies anything.
    let token = app.session_csrf(&org).await;
    let res = org
        .post(app.url(&format!("{page_path}/{reference}/xoa")))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("da-xoa=1"), "{location}");
    let again = checked_after(&app, a.id, Some(check_a.checked_at)).await;
    assert_eq!(again.share, 0.0);
    assert!(
        matches_of(&again)
            .iter()
            .all(|m| m.source_id != Some(reference))
    );
    let overlap = app
        .page(&org, &format!("/cuoc-thi/{FRESH}/bai/{}/trung-lap", a.id))
        .await;
    assert!(!overlap.contains("Bài đoạt giải năm 2024"), "{overlap}");
    assert_eq!(
        org.get(app.url(&compare_path))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let page = app.page(&org, &location).await;
    assert!(page.contains("Đã xóa văn bản") && !page.contains("Bài đoạt giải năm 2024"));
}

#[tokio::test]
async fn text_in_very_many_entries_is_listed_as_common() {
    let app = spawn_app().await;
    // The same slogan in 53 entries: more than the index's threshold (50 texts).
    let slogan = prose(99, 40);
    let mut last = 0;
    for i in 0..53u64 {
        let text = format!(
            "{}\n\n{slogan}\n\n{}",
            prose(1000 + i, 150),
            prose(2000 + i, 150)
        );
        let (code, _) = submit_text(
            &app,
            &format!("Bài số {i}"),
            &format!("t{i}@example.vn"),
            &text,
        )
        .await;
        last = entries::by_receipt(&app.state.db, &code).await.unwrap().id;
    }
    let ch = checked_after(&app, last, None).await;
    let ms = matches_of(&ch);
    let common = ms
        .iter()
        .find(|m| m.common)
        .unwrap_or_else(|| panic!("{ms:?}"));
    assert!(slogan.contains(common.snippets[0].trim_end_matches('…')));
    assert_eq!(ch.share, 0.0, "common text is not counted");
    let org = app.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let page = app.page(&org, PAGE).await;
    let shown = words(&slogan, 10, 25);
    assert!(
        page.contains("Văn bản chung") && page.contains(&shown),
        "{page}"
    );
}

#[tokio::test]
async fn a_stale_index_file_catches_up_with_the_database_on_load() {
    // No worker: the test runs the checks itself, in a known order.
    let app = spawn_app_with(|c| c.run_worker = false).await;
    let state = &app.state;
    let k = contest_id(&app).await;
    let check = |id| hoithi_web::integrity::check_entry(state, id);
    let text1 = prose(501, 300);
    let text2 = prose(502, 300);
    let (code1, key1) = submit_text(&app, "Bài một", "m1@example.vn", &text1).await;
    let (code2, key2) = submit_text(&app, "Bài hai", "m2@example.vn", &text2).await;
    let e1 = entries::by_receipt(&state.db, &code1).await.unwrap();
    let e2 = entries::by_receipt(&state.db, &code2).await.unwrap();
    check(e1.id).await.unwrap();
    check(e2.id).await.unwrap();
    let reference = integrity_sources::add(
        &state.db,
        vec![integrity_sources::NewSource {
            contest_id: k,
            kind: "reference".into(),
            title: "Bài cũ".into(),
            body: prose(503, 200),
            word_count: 200,
            file_name: None,
            created_by: None,
        }],
    )
    .await
    .unwrap()[0]
        .id;
    hoithi_web::integrity::sync_sources(state, k).await.unwrap();
    let written = hoithi_web::integrity::flush(state, true, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert!(written >= 1);
    let file = hoithi_web::integrity::file_of(state, k);
    let old = std::fs::read(&file).unwrap();

    // After the save: two new entries, entry 1 resubmitted with other text, entry 2
    // withdrawn, the reference removed and an allowed source added — then a crash.
    let text3 = prose(504, 300);
    let text4 = prose(505, 300);
    let (code3, _) = submit_text(&app, "Bài ba", "m3@example.vn", &text3).await;
    let (code4, _) = submit_text(&app, "Bài bốn", "m4@example.vn", &text4).await;
    let e3 = entries::by_receipt(&state.db, &code3).await.unwrap();
    let e4 = entries::by_receipt(&state.db, &code4).await.unwrap();
    check(e3.id).await.unwrap();
    check(e4.id).await.unwrap();
    let new_text1 = prose(506, 300);
    let guest = client();
    let mut fields = base_fields(&app, "Bài một, sửa", "Hà Thị Mai").await;
    fields.push(("text", new_text1.clone()));
    fields.push(("k", key1.clone()));
    let token = app.csrf(&guest).await;
    let mut form = reqwest::multipart::Form::new().text("csrf", token.clone());
    for (k, v) in fields {
        form = form.text(k, v);
    }
    let res = guest
        .post(app.url(&format!("/bai-du-thi/{code1}/sua")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    check(e1.id).await.unwrap();
    let res = guest
        .post(app.url(&format!("/bai-du-thi/{code2}/rut")))
        .form(&[("csrf", token.as_str()), ("k", key2.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    check(e2.id).await.unwrap();
    integrity_sources::remove(&state.db, k, reference)
        .await
        .unwrap();
    let allowed = integrity_sources::add(
        &state.db,
        vec![integrity_sources::NewSource {
            contest_id: k,
            kind: "allowed".into(),
            title: "Đề bài".into(),
            body: prose(507, 100),
            word_count: 100,
            file_name: None,
            created_by: None,
        }],
    )
    .await
    .unwrap()[0]
        .id;

    // The process dies: memory is gone and the file on disk is the older save.
    hoithi_web::integrity::forget(state, k);
    std::fs::write(&file, &old).unwrap();

    let guard = hoithi_web::integrity::loaded(state, k).await.unwrap();
    let ci = guard.as_ref().unwrap();
    for e in [&e1, &e3, &e4] {
        assert!(
            ci.contains(&format!("entry:{}", e.id)),
            "entry {} indexed",
            e.id
        );
    }
    assert!(
        !ci.contains(&format!("entry:{}", e2.id)),
        "withdrawn entry left"
    );
    assert!(
        !ci.contains(&format!("ref:{reference}")),
        "removed reference left"
    );
    assert!(
        ci.contains(&format!("allowed:{allowed}")),
        "new allowed source indexed"
    );
    // Entry 1 is indexed with its new text, not the old one.
    let hits = |t: &str| {
        ci.index
            .check(t)
            .matches
            .iter()
            .any(|m| m.id == format!("entry:{}", e1.id))
    };
    assert!(hits(&new_text1));
    assert!(!hits(&text1));
    // Every other live entry with a text is there too (demo entries included).
    let all = entries::batch_after(&state.db, Some(k), 0, 10_000)
        .await
        .unwrap();
    let mut with_text = 0;
    for e in all
        .iter()
        .filter(|e| e.status != entries::WITHDRAWN && !e.body.is_empty())
    {
        assert!(
            ci.contains(&format!("entry:{}", e.id)),
            "entry {} indexed",
            e.id
        );
        with_text += 1;
    }
    assert_eq!(
        ci.index.len(),
        with_text + 1,
        "entries and the allowed source"
    );
    drop(guard);

    // A corrupt file is not trusted: the index is rebuilt from the database.
    hoithi_web::integrity::forget(state, k);
    let mut bad = old.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0xFF;
    std::fs::write(&file, &bad).unwrap();
    let guard = hoithi_web::integrity::loaded(state, k).await.unwrap();
    let ci = guard.as_ref().unwrap();
    assert!(ci.contains(&format!("entry:{}", e4.id)));
    assert!(!ci.contains(&format!("entry:{}", e2.id)));
}

/// A reference list as entries end with: authors, titles, publishers, links and dates.
fn references() -> String {
    [
        "Tài liệu tham khảo",
        "1. Ban Tuyên giáo Huyện ủy Hàm Yên (2025), Tài liệu bồi dưỡng lý luận chính trị cho cán bộ cơ sở năm 2025, lưu hành nội bộ, tr. 12–48.",
        "2. Nguyễn Thị Hồng Vân (2023), \"Mấy vấn đề về công tác tuyên truyền ở vùng đồng bào dân tộc thiểu số\", Tạp chí Lý luận chính trị, số 7, tr. 33–41.",
        "3. Trần Đức Lương (2021), Đấu tranh phản bác các quan điểm sai trái trên không gian mạng, Nxb. Chính trị quốc gia Sự thật, Hà Nội.",
        "4. https://www.tuyenquang.gov.vn/tin-tuc/hoi-nghi-quan-triet-nghi-quyet-2025.html, truy cập ngày 12/3/2026.",
        "5. Lê Minh Khôi (2024), Kỹ năng viết bài chính luận cho cán bộ đoàn thể, Nxb. Thanh niên, tr. 101–130.",
    ]
    .join("\n")
}

#[tokio::test]
async fn quotes_and_citations_are_shown_apart_and_the_contest_decides_on_quotes() {
    let app = spawn_app().await;
    let k = fresh_contest(&app).await;
    let org = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let quote = prose(900, 40);
    // A quotes a passage and ends with a reference list; B quotes the same passage in its own
    // prose; C ends with the same reference list and nothing else in common.
    let text_a = format!(
        "{}\n\n“{quote}”\n\n{}\n\n{}",
        prose(901, 300),
        prose(902, 200),
        references()
    );
    let text_b = format!(
        "{}\n\nNhư lời dạy: “{quote}”\n\n{}",
        prose(903, 300),
        prose(904, 200)
    );
    let text_c = format!("{}\n\n{}", prose(905, 400), references());
    let mut ids = Vec::new();
    for (title, email, text) in [
        ("Bài có trích dẫn", "qa@example.vn", &text_a),
        ("Bài trích cùng câu", "qb@example.vn", &text_b),
        ("Bài cùng tài liệu", "qc@example.vn", &text_c),
    ] {
        let (code, _) = submit_text_to(&app, FRESH, title, email, text).await;
        let e = entries::by_receipt(&app.state.db, &code).await.unwrap();
        checked_after(&app, e.id, None).await;
        ids.push(e.id);
    }
    let (a, b, c) = (ids[0], ids[1], ids[2]);

    // B shares only a quote with A: shown as such, counted under the default rule.
    let check_b = checked_after(&app, b, None).await;
    let ms = matches_of(&check_b);
    let m = ms
        .iter()
        .find(|m| m.entry_id == Some(a))
        .unwrap_or_else(|| panic!("B shares its quote with A: {ms:?}"));
    assert_eq!(m.kind(), hoithi_integrity::PassageKind::Quote, "{ms:?}");
    assert_eq!(check_b.prose_share, Some(0.0));
    let quoted = check_b.quoted_share.unwrap();
    assert!(quoted > 0.04, "quoted share {quoted}");
    assert!(
        (check_b.share - quoted).abs() < 1e-9,
        "quotes count by default"
    );
    let page = app
        .page(&org, &format!("/cuoc-thi/{FRESH}/bai/{b}/trung-lap"))
        .await;
    assert!(page.contains("Chỉ đoạn trích trong ngoặc kép"), "{page}");
    let cmp = app
        .page(&org, &format!("/cuoc-thi/{FRESH}/bai/{b}/trung-lap/{a}"))
        .await;
    assert_eq!(cmp.matches("<mark class=\"quote\">").count(), 2, "{cmp}");

    // C shares only citations with A: listed apart as "cùng trích dẫn", never counted.
    let check_c = checked_after(&app, c, None).await;
    assert_eq!(check_c.share, 0.0, "citations are not copying");
    assert!(check_c.cited_share.unwrap() > 0.0, "{check_c:?}");
    let ms = matches_of(&check_c);
    assert!(
        ms.iter()
            .all(|m| m.entry_id != Some(a) || m.kind() == hoithi_integrity::PassageKind::Citation),
        "{ms:?}"
    );
    let page = app
        .page(&org, &format!("/cuoc-thi/{FRESH}/bai/{c}/trung-lap"))
        .await;
    assert!(page.contains("Cùng trích dẫn (không tính)"), "{page}");
    assert!(
        page.contains("Tỷ lệ trùng lặp: <strong>0,0%</strong>"),
        "{page}"
    );
    let e = entries::get(&app.state.db, c).await.unwrap();
    assert!(!e.flags.contains("over_overlap"), "{}", e.flags);

    // The public rules say how quotes are treated.
    let public = app.page(&client(), &format!("/cuoc-thi/{FRESH}")).await;
    assert!(public.contains("đoạn trích trong ngoặc kép trùng với văn bản khác được tính"));

    // A date typed wrong: the settings come back as typed, the message beside the date.
    let settings = format!("/cuoc-thi/{FRESH}/cai-dat");
    let thai_son = app.unit_id("HY-THAISON").await.to_string();
    let token = app.session_csrf(&org).await;
    let mut form = vec![
        ("csrf", token.clone()),
        ("title", "Tên mới gõ dở".to_string()),
        ("opens", "01/12/2026".to_string()),
        ("closes", "31/13/2026".to_string()),
        ("published", "1".to_string()),
        ("description", "Mô tả vừa gõ".to_string()),
        ("rules", String::new()),
        ("unit", thai_son.clone()),
    ];
    let res = org
        .post(app.url(&settings))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("value=\"Tên mới gõ dở\""), "{html}");
    assert!(html.contains("value=\"31/13/2026\""), "{html}");
    assert!(html.contains("Mô tả vừa gõ"), "{html}");
    assert!(html.contains("id=\"closes-error\""), "{html}");
    assert!(
        !html.contains("name=\"count_quotes\" value=\"1\" checked"),
        "{html}"
    );
    assert_eq!(
        contests::get(&app.state.db, k).await.unwrap().title,
        "Cuộc thi thử đối chiếu",
        "nothing saved"
    );

    // The organizer stops counting quotes: every entry is checked again and B's share is 0.
    form[1].1 = "Cuộc thi thử đối chiếu".into();
    form[3].1 = "31/12/2026".into();
    let res = org
        .post(app.url(&settings))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    assert!(!contests::get(&app.state.db, k).await.unwrap().count_quotes);
    let again = checked_after(&app, b, Some(check_b.checked_at)).await;
    app.wait_until(
        "B checked under the new rule",
        std::time::Duration::from_secs(30),
        || async {
            let ch = checks::get(&app.state.db, b).await.unwrap()?;
            (ch.share == 0.0).then_some(())
        },
    )
    .await;
    assert!(again.quoted_share.unwrap() > 0.04);
    let page = app
        .page(&org, &format!("/cuoc-thi/{FRESH}/bai/{b}/trung-lap"))
        .await;
    assert!(page.contains("được chỉ ra nhưng không tính"), "{page}");
    let public = app.page(&client(), &format!("/cuoc-thi/{FRESH}")).await;
    assert!(public.contains("được chỉ ra nhưng không tính"));
    let settings_page = app.page(&org, &settings).await;
    assert!(!settings_page.contains("name=\"count_quotes\" value=\"1\" checked"));
}
