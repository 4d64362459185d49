//! Changes after the first submission: resubmission with history through the private link,
//! contest settings (details, timeline, roll-out, genres, groups), file upload through the
//! API, lists paged by cursor, participation counters that always agree with the entries,
//! and receipt messages through a real SMTP conversation.

mod common;

use common::submissions::*;
use common::*;
use hoithi_storage::repo::{contests, entries, participation};

/// Every counter of a contest, in a comparable form.
async fn counters(app: &TestApp, contest_id: i64) -> Vec<(String, String, String, i64, i64)> {
    use sea_orm::ConnectionTrait;
    let rows = app
        .state
        .db
        .conn
        .query_all_raw(sea_orm::Statement::from_sql_and_values(
            app.state.db.db_backend(),
            "SELECT unit_path, dim, k, entries, authors FROM participation \
             WHERE contest_id = $1 AND entries <> 0 ORDER BY unit_path, dim, k",
            [contest_id.into()],
        ))
        .await
        .unwrap();
    rows.into_iter()
        .map(|r| {
            (
                r.try_get("", "unit_path").unwrap(),
                r.try_get("", "dim").unwrap(),
                r.try_get("", "k").unwrap(),
                r.try_get("", "entries").unwrap(),
                r.try_get("", "authors").unwrap(),
            )
        })
        .collect()
}

/// The counters kept on every change equal those recomputed from the entries.
async fn assert_counters_consistent(app: &TestApp, contest_id: i64) {
    let kept = counters(app, contest_id).await;
    participation::rebuild(&app.state.db.conn, Some(contest_id))
        .await
        .unwrap();
    let rebuilt = counters(app, contest_id).await;
    assert_eq!(
        kept, rebuilt,
        "incremental counters drifted from the entries"
    );
    let total = participation::contest_total(&app.state.db, contest_id)
        .await
        .unwrap();
    assert_eq!(
        total as u64,
        entries::count_live(&app.state.db, contest_id)
            .await
            .unwrap()
    );
}

async fn multipart_post(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    fields: Vec<(&'static str, String)>,
    file: Option<(String, Vec<u8>)>,
) -> (u16, String, String) {
    let token = app.csrf(c).await;
    let mut form = reqwest::multipart::Form::new().text("csrf", token);
    for (k, v) in fields {
        form = form.text(k, v);
    }
    if let Some((name, bytes)) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name),
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

#[tokio::test]
async fn resubmission_replaces_the_entry_keeps_history_and_moves_the_counts() {
    let app = spawn_app().await;
    let k = contests::by_slug(&app.state.db, SLUG).await.unwrap();
    let guest = client();
    let mut fields = base_fields(&app, "Bản nháp đầu tiên", "Lò Văn Khánh").await;
    fields.push(("text", essay(1100).join("\n\n")));
    let (status, html) = submit(
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
    assert_eq!(status, 200, "{html}");
    let code = code_of(&html);
    let link = link_of(&html);
    let key = link.split("k=").nth(1).unwrap().to_string();
    let before = entries::by_receipt(&app.state.db, &code).await.unwrap();
    assert_eq!(before.version, 1);

    // The edit form comes filled in, through the private link only.
    let form = app
        .page(&guest, &format!("/bai-du-thi/{code}/sua?k={key}"))
        .await;
    assert!(form.contains("Sửa bài dự thi") && form.contains("Bản nháp đầu tiên"));
    assert_eq!(
        client()
            .get(app.url(&format!("/bai-du-thi/{code}/sua")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // A resubmission: new title, another genre, another commune, a file instead of text.
    let genres = contests::genres(&app.state.db, k.id).await.unwrap();
    let mut fields = base_fields(&app, "Bản hoàn chỉnh", "Lò Văn Khánh").await;
    for f in fields.iter_mut() {
        match f.0 {
            "genre_id" => f.1 = genres[1].id.to_string(),
            "unit_id" => f.1 = app.unit_id("HY-DUCNINH").await.to_string(),
            _ => {}
        }
    }
    fields.push(("k", key.clone()));
    let text = essay(1300);
    let paras: Vec<&str> = text.iter().map(String::as_str).collect();
    let bytes = docx(&paras);
    let sha = hoithi_storage::blob::sha256_hex(&bytes);
    let (status, location, body) = multipart_post(
        &app,
        &guest,
        &format!("/bai-du-thi/{code}/sua"),
        fields.clone(),
        Some(("ban-hoan-chinh.docx".into(), bytes)),
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.contains("da-luu=1"), "{location}");
    let after = entries::by_receipt(&app.state.db, &code).await.unwrap();
    assert_eq!(after.id, before.id, "the same entry, replaced");
    assert_eq!(after.version, 2);
    assert_eq!(after.title, "Bản hoàn chỉnh");
    assert_eq!(after.genre_id, genres[1].id);
    assert_eq!(after.file_sha256.as_deref(), Some(sha.as_str()));
    assert_eq!(
        after.submitted_at, before.submitted_at,
        "first receipt time kept"
    );
    let versions = entries::versions(&app.state.db, after.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].title, "Bản nháp đầu tiên");
    assert!(versions[0].file_sha256.is_none() && versions[0].body.contains("Niềm tin"));
    let page = app.page(&guest, &location).await;
    assert!(page.contains("Đã lưu bản sửa") && page.contains("Lịch sử các lần gửi"));
    assert!(page.contains(&sha));
    // Screening sees it in the new commune, not the old one.
    let dn = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let list = app
        .page(&dn, &format!("/cuoc-thi/{SLUG}/bai?q={code}"))
        .await;
    assert!(list.contains("Bản hoàn chỉnh"));
    assert_counters_consistent(&app, k.id).await;

    // Screening decisions move entries between the status counters; filtered totals are exact.
    let org = app.sign_in("bantochuc@hoithi.demo", "demo-bantochuc").await;
    let token = app.session_csrf(&org).await;
    let count = |html: &str| -> String {
        html.split("Tổng số: ")
            .nth(1)
            .unwrap_or_else(|| panic!("{html}"))
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    let path = format!("/cuoc-thi/{SLUG}/bai?status=disqualified");
    let before_n: u64 = count(&app.page(&org, &path).await)
        .replace('.', "")
        .parse()
        .unwrap();
    for (decision, reason) in [
        ("disqualified", "Sai thể loại"),
        ("eligible", ""),
        ("disqualified", "Quá số chữ"),
    ] {
        let res = org
            .post(app.url(&format!("/cuoc-thi/{SLUG}/bai/{}/so-loai", after.id)))
            .form(&[
                ("csrf", token.as_str()),
                ("decision", decision),
                ("reason", reason),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{decision}");
        assert_counters_consistent(&app, k.id).await;
    }
    let after_n: u64 = count(&app.page(&org, &path).await)
        .replace('.', "")
        .parse()
        .unwrap();
    assert_eq!(after_n, before_n + 1);
    assert_eq!(
        after_n,
        entries::count_capped(
            &app.state.db,
            k.id,
            &entries::Filter {
                unit_path: None,
                status: Some(hoithi_storage::status::EntryStatus::Disqualified),
                ..Default::default()
            },
            1_000_000
        )
        .await
        .unwrap()
    );

    // Bad resubmissions change nothing: a wrong key, an empty file, a late one.
    let mut wrong = fields.clone();
    wrong.retain(|f| f.0 != "k");
    wrong.push(("k", "sai-khoa".into()));
    let (status, _, _) = multipart_post(
        &app,
        &guest,
        &format!("/bai-du-thi/{code}/sua"),
        wrong,
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, body) = multipart_post(
        &app,
        &guest,
        &format!("/bai-du-thi/{code}/sua"),
        fields.clone(),
        Some(("rong.docx".into(), Vec::new())),
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Tệp tải lên rỗng"), "{body}");
    assert_eq!(
        entries::by_receipt(&app.state.db, &code)
            .await
            .unwrap()
            .version,
        2
    );
    // A stale version is refused by the store itself (two tabs, one saved first).
    let stale = entries::replace(
        &app.state.db,
        after.id,
        1,
        entries::NewEntry {
            form_token: None,
            contest_id: k.id,
            genre_id: after.genre_id,
            unit_id: after.unit_id,
            unit_path: after.unit_path.clone(),
            receipt_code: String::new(),
            title: "Cũ".into(),
            title_key: "cu".into(),
            pen_name: String::new(),
            word_count: 1,
            body: "Cũ".into(),
            file_sha256: None,
            file_name: None,
            media_link: None,
            flags: serde_json::json!([]),
            submitter_user_id: None,
            access_token_hash: None,
            contact: String::new(),
            author_key: after.author_key.clone(),
            authors: vec![],
        },
        vec![],
    )
    .await;
    assert!(matches!(
        stale,
        Err(hoithi_storage::StorageError::Conflict(_))
    ));
    // Withdrawn: no more edits, and the counts drop.
    let token = app.csrf(&guest).await;
    let res = guest
        .post(app.url(&format!("/bai-du-thi/{code}/rut")))
        .form(&[("csrf", token.as_str()), ("k", key.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let res = guest
        .get(app.url(&format!("/bai-du-thi/{code}/sua?k={key}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Bài đã rút không thể sửa")
    );
    assert_counters_consistent(&app, k.id).await;
}

#[tokio::test]
async fn organizer_changes_timeline_roll_out_genres_and_groups() {
    let app = spawn_app().await;
    let k = contests::by_slug(&app.state.db, SLUG).await.unwrap();
    let org = app.sign_in("bantochuc@hoithi.demo", "demo-bantochuc").await;
    let page = app.page(&org, &format!("/cuoc-thi/{SLUG}/cai-dat")).await;
    assert!(page.contains("Cài đặt cuộc thi") && page.contains(&k.title));
    // Coordinators and participants may not.
    for (login, pass) in [COMMUNE, PARTICIPANT] {
        let c = app.sign_in(login, pass).await;
        let res = c
            .get(app.url(&format!("/cuoc-thi/{SLUG}/cai-dat")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{login}");
    }
    let token = app.session_csrf(&org).await;
    let thai_son = app.unit_id("HY-THAISON").await.to_string();
    let post = |fields: Vec<(&'static str, String)>, path: &'static str| {
        let org = org.clone();
        let url = app.url(&format!("/cuoc-thi/{SLUG}/{path}"));
        let token = token.clone();
        async move {
            let mut f = vec![("csrf", token)];
            f.extend(fields);
            let res = org.post(url).form(&f).send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.text().await.unwrap())
        }
    };
    // A deadline before the opening is refused and nothing changes.
    let (status, body) = post(
        vec![
            ("title", "Tên mới".into()),
            ("opens", "10/12/2026".into()),
            ("closes", "01/12/2026".into()),
            ("unit", thai_son.clone()),
        ],
        "cai-dat",
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Thời hạn nhận bài phải sau ngày mở"),
        "{body}"
    );
    assert_eq!(
        contests::get(&app.state.db, k.id).await.unwrap().title,
        k.title
    );
    // A valid change: title, timeline (dd/mm/yyyy), roll-out to one commune.
    let (status, body) = post(
        vec![
            ("title", "Cuộc thi chính luận năm 2026 (gia hạn)".into()),
            ("opens", "01/11/2026".into()),
            ("closes", "31/12/2026".into()),
            ("published", "1".into()),
            ("rules", "Thể lệ mới.".into()),
            ("unit", thai_son.clone()),
        ],
        "cai-dat",
    )
    .await;
    assert!(status == 200 || status == 303, "{status} {body}");
    let saved = contests::get(&app.state.db, k.id).await.unwrap();
    assert_eq!(saved.title, "Cuộc thi chính luận năm 2026 (gia hạn)");
    assert_eq!(
        hoithi_web::format::fmt_datetime(&saved.closes_at),
        "31/12/2026 23:59"
    );
    let units = contests::collecting_units(&app.state.db, k.id)
        .await
        .unwrap();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].code, "HY-THAISON");
    // The submission form now offers only that commune.
    let form = app
        .page(&client(), &format!("/cuoc-thi/{SLUG}/gui-bai"))
        .await;
    assert!(form.contains("Xã Thái Sơn") && !form.contains("Xã Đức Ninh"));

    // Genres and groups: edit one, add one; all or nothing with a removal that is refused.
    let genres = contests::genres(&app.state.db, k.id).await.unwrap();
    let groups = contests::groups(&app.state.db, k.id).await.unwrap();
    let genre_fields = |i: usize, g: &hoithi_storage::entity::genre::Model, max: &str| {
        let n = |s: &str| -> &'static str { Box::leak(format!("g{i}_{s}").into_boxed_str()) };
        vec![
            (n("id"), g.id.to_string()),
            (n("name"), g.name.clone()),
            (n("medium"), g.medium.clone()),
            (n("min_words"), "800".to_string()),
            (n("max_words"), max.to_string()),
            (n("max_authors"), g.max_authors.to_string()),
            (n("max_entries"), "2".to_string()),
            (n("types"), g.accepted_types.clone()),
            (n("overlap"), g.allowed_overlap_percent.to_string()),
        ]
    };
    let mut f = Vec::new();
    for (i, g) in genres.iter().enumerate() {
        f.extend(genre_fields(i, g, "3000"));
    }
    let n = genres.len();
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    f.extend([
        (leak(format!("g{n}_id")), String::new()),
        (leak(format!("g{n}_name")), "Phóng sự truyền hình".into()),
        (leak(format!("g{n}_medium")), "media".into()),
        (leak(format!("g{n}_types")), "link".into()),
        (leak(format!("g{n}_max_authors")), "4".into()),
    ]);
    for (i, g) in groups.iter().enumerate() {
        f.push((leak(format!("p{i}_id")), g.id.to_string()));
        f.push((
            leak(format!("p{i}_name")),
            if i == 0 {
                "Cán bộ, công chức".into()
            } else {
                g.name.clone()
            },
        ));
    }
    let m = groups.len();
    f.push((leak(format!("p{m}_id")), String::new()));
    f.push((leak(format!("p{m}_name")), "Lực lượng vũ trang".into()));
    // First with the removal of a genre that has entries: refused, nothing saved.
    let mut with_removal = f.clone();
    with_removal.push(("g0_remove", "1".into()));
    let (status, body) = post(with_removal, "the-loai").await;
    assert_eq!(status, 422);
    assert!(body.contains("Không thể xóa"), "{body}");
    assert_eq!(
        contests::genres(&app.state.db, k.id).await.unwrap(),
        genres,
        "nothing saved"
    );
    // A bad number is refused with its field named.
    let mut bad = f.clone();
    bad.retain(|x| x.0 != "g0_max_words");
    bad.push(("g0_max_words", "nhiều".into()));
    let (status, body) = post(bad, "the-loai").await;
    assert_eq!(status, 422);
    assert!(body.contains("Số chữ tối đa"), "{body}");
    let (status, body) = post(f, "the-loai").await;
    assert!(status == 200 || status == 303, "{status} {body}");
    let after = contests::genres(&app.state.db, k.id).await.unwrap();
    assert_eq!(after.len(), genres.len() + 1);
    assert_eq!(after[0].max_words, Some(3000));
    assert_eq!(after[0].max_entries_per_author, 2);
    assert_eq!(after.last().unwrap().name, "Phóng sự truyền hình");
    assert_eq!(after.last().unwrap().medium, "media");
    let groups_after = contests::groups(&app.state.db, k.id).await.unwrap();
    assert_eq!(groups_after[0].name, "Cán bộ, công chức");
    assert_eq!(groups_after.last().unwrap().name, "Lực lượng vũ trang");
    // The public page shows the new genre.
    let show = app.page(&client(), &format!("/cuoc-thi/{SLUG}")).await;
    assert!(show.contains("Phóng sự truyền hình"));
}

#[tokio::test]
async fn the_api_takes_a_file_upload_and_refuses_bad_ones() {
    let app = spawn_app().await;
    let k = contests::by_slug(&app.state.db, SLUG).await.unwrap();
    let genre = contests::genres(&app.state.db, k.id).await.unwrap()[0].id;
    let entry = serde_json::json!({
        "genre_id": genre,
        "unit_id": app.unit_id("HY-THAISON").await,
        "title": "Gửi tệp qua API",
        "authors": [{"full_name": "Hoàng Thị Lan", "email": "lan.hoang@example.vn"}],
        "confirm_unpublished": true,
        "confirm_not_staff": true,
    });
    let text = essay(1200);
    let paras: Vec<&str> = text.iter().map(String::as_str).collect();
    let bytes = docx(&paras);
    let sha = hoithi_storage::blob::sha256_hex(&bytes);
    let url = app.url(&format!("/api/v1/contests/{SLUG}/entries"));
    let form = reqwest::multipart::Form::new()
        .text("entry", entry.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("bai.docx"),
        );
    let res = client().post(&url).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["entry"]["file_sha256"], sha.as_str());
    let code = body["entry"]["receipt_code"].as_str().unwrap();
    let e = entries::by_receipt(&app.state.db, code).await.unwrap();
    assert!(e.body.contains("Niềm tin") && e.word_count >= 1000);
    // Bad ones: no entry part, a PDF that is not a PDF, an unsupported body type.
    let res = client()
        .post(&url)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.txt"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(err["error"]["message"].as_str().unwrap().contains("entry"));
    let before = entries::count_live(&app.state.db, k.id).await.unwrap();
    let res = client()
        .post(&url)
        .multipart(
            reqwest::multipart::Form::new()
                .text("entry", entry.to_string())
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(b"<html>not a pdf</html>".to_vec())
                        .file_name("gia.pdf"),
                ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(
        entries::count_live(&app.state.db, k.id).await.unwrap(),
        before,
        "nothing stored"
    );
    let res = client()
        .post(&url)
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let res = client()
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"genre_id\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn screening_lists_page_by_cursor_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let k = contests::by_slug(&app.state.db, SLUG).await.unwrap();
    let org = app.sign_in("bantochuc@hoithi.demo", "demo-bantochuc").await;
    let live = entries::count_live(&app.state.db, k.id).await.unwrap() as usize;
    assert!(live > 100, "the demo has several pages");
    for sort in ["", "cu", "ten", "chu"] {
        let mut seen: Vec<String> = Vec::new();
        let mut path = format!("/cuoc-thi/{SLUG}/bai?sort={sort}");
        let mut pages = 0;
        loop {
            let html = app.page(&org, &path).await;
            pages += 1;
            assert!(
                html.contains(&format!("Tổng số: {live}")) || live >= 1000,
                "{sort}"
            );
            for row in html.split("<tr><td>").skip(1) {
                seen.push(row.split('<').next().unwrap().to_string());
            }
            match html.split("class=\"pager\">").nth(1).and_then(|p| {
                p.split("href=\"")
                    .filter(|h| h.contains("sau="))
                    .map(|h| {
                        h.split('"')
                            .next()
                            .unwrap()
                            .replace("&amp;", "&")
                            .replace("&#38;", "&")
                    })
                    .next()
            }) {
                Some(next) => path = next,
                None => break,
            }
            assert!(pages < 100, "pager loops: {path}");
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "no entry twice ({sort})");
        assert_eq!(seen.len(), live, "every entry once ({sort})");
    }
    // A mangled cursor gets a Vietnamese message, not a 500.
    let res = org
        .get(app.url(&format!("/cuoc-thi/{SLUG}/bai?sort=chu&sau=12.abc")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("không hợp lệ"));
    let res = org
        .get(app.url(&format!("/api/v1/contests/{SLUG}/entries?after=zzz")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
}

/// A minimal SMTP server: enough of RFC 5321 for one client, keeping each message's data.
async fn smtp_sink() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let cmd = line.to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if cmd.starts_with("DATA") {
                        let _ = w.write_all(b"354 go ahead\r\n").await;
                        let mut data = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push_str(&l);
                            data.push('\n');
                        }
                        let _ = tx.send(data);
                        b"250 queued\r\n"
                    } else if cmd.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (port, rx)
}

#[tokio::test]
async fn receipts_go_to_the_mail_server_and_wait_while_it_is_down() {
    let (port, mut rx) = smtp_sink().await;
    let app = spawn_app_with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_from = "Ban tổ chức <bantochuc@example.vn>".into();
    })
    .await;
    let mut fields = base_fields(&app, "Thư biên nhận", "Ma Thị Hoa").await;
    fields.push(("text", essay(1100).join("\n\n")));
    let (status, html) = submit(
        &app,
        &client(),
        SLUG,
        Form {
            fields,
            file: None,
            csrf: true,
        },
    )
    .await;
    assert_eq!(status, 200);
    let code = code_of(&html);
    let data = tokio::time::timeout(std::time::Duration::from_secs(20), rx.recv())
        .await
        .expect("a message within 20 s")
        .unwrap();
    assert!(data.contains("hoa.ma@example.vn"), "{data}");
    assert!(data.contains("bantochuc@example.vn"), "{data}");
    // The subject is encoded for mail; the code is in it either way.
    assert!(data.contains(&code), "{data}");

    // A mail server that does not answer: the message stays queued, with the error noted.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let app = spawn_app_with(|c| c.smtp_url = Some(format!("smtp://127.0.0.1:{closed}"))).await;
    let mut fields = base_fields(&app, "Thư chờ gửi", "Ma Thị Hoa").await;
    fields.push(("text", essay(1100).join("\n\n")));
    let (status, _) = submit(
        &app,
        &client(),
        SLUG,
        Form {
            fields,
            file: None,
            csrf: true,
        },
    )
    .await;
    assert_eq!(status, 200);
    let mut pending = None;
    for _ in 0..100 {
        use hoithi_storage::entity::job;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let jobs = job::Entity::find()
            .filter(job::Column::Kind.eq("message"))
            .all(&app.state.db.conn)
            .await
            .unwrap();
        if let Some(j) = jobs
            .into_iter()
            .find(|j| j.payload.contains("Thư chờ gửi") && j.last_error.is_some())
        {
            pending = Some(j);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Claiming a job counts the attempt; the error is written when the attempt fails.
    let j = pending.expect("the message job was tried");
    assert_ne!(j.status, hoithi_storage::status::JobStatus::Done);
    assert!(j.last_error.unwrap_or_default().contains("smtp"));
}
