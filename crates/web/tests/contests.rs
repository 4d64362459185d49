//! Contests part 1 over HTTP: guest submission with a receipt and private link, screening
//! with reasons the submitter sees, dashboards by unit, scoping, and bad uploads.

mod common;

use common::submissions::*;
use common::*;
use hoithi_storage::repo::{contests, entries};

#[tokio::test]
async fn guest_submits_docx_gets_receipt_coordinator_sees_it_organizer_screens() {
    let app = spawn_app().await;
    let k = contests::by_slug(&app.state.db, SLUG).await.unwrap();
    let before = entries::count_live(&app.state.db, k.id).await.unwrap();
    let guest = client();
    let text = essay(1200);
    let paras: Vec<&str> = text.iter().map(String::as_str).collect();
    let bytes = docx(&paras);
    let sha = hoithi_storage::blob::sha256_hex(&bytes);
    let (status, html) = submit(
        &app,
        &guest,
        SLUG,
        Form {
            fields: base_fields(&app, "Niềm tin từ bản làng", "Ma Thị Hoa").await,
            file: Some(("bai-du-thi.docx".into(), bytes)),
            csrf: true,
        },
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Đã nhận tác phẩm") && html.contains(&sha),
        "receipt shows the file's SHA-256"
    );
    let code = code_of(&html);
    assert!(code.starts_with("HT-"));
    let e = entries::by_receipt(&app.state.db, &code).await.unwrap();
    assert_eq!(e.file_sha256.as_deref(), Some(sha.as_str()));
    assert!(e.word_count >= 1000, "{}", e.word_count);
    assert!(e.body.contains("Niềm tin của nhân dân"));
    assert!(
        app.state.blobs.get(&sha).await.unwrap().is_some(),
        "file stored under its hash"
    );
    assert_eq!(
        entries::count_live(&app.state.db, k.id).await.unwrap(),
        before + 1
    );
    // Identity kept apart from the work.
    assert!(!e.body.contains("Ma Thị Hoa"));
    assert_eq!(
        entries::authors(&app.state.db, e.id).await.unwrap()[0].full_name,
        "Ma Thị Hoa"
    );
    // The receipt message goes through the outbox.
    let outbox = app.state.config.data_dir.join("outbox");
    let mut found = false;
    for _ in 0..50 {
        if let Ok(dir) = std::fs::read_dir(&outbox) {
            found = dir.filter_map(|f| f.ok()).any(|f| {
                std::fs::read_to_string(f.path())
                    .unwrap_or_default()
                    .contains(&code)
            });
        }
        if found {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(found, "receipt message written to the outbox");
    // The private link works; the code alone does not.
    let link = link_of(&html);
    let page = app.page(&guest, &link).await;
    assert!(page.contains("Đã nhận, chờ sơ loại"));
    assert_eq!(
        client()
            .get(app.url(&format!("/bai-du-thi/{code}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        client()
            .get(app.url(&format!("/bai-du-thi/{code}?k=sai")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // The commune coordinator sees it in screening and on the dashboard; the participant does not.
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let list = app
        .page(&commune, &format!("/cuoc-thi/{SLUG}/bai?q={code}"))
        .await;
    assert!(list.contains("Niềm tin từ bản làng"));
    let dash = app
        .page(&commune, &format!("/cuoc-thi/{SLUG}/thong-ke"))
        .await;
    assert!(dash.contains("Thống kê tham gia: Xã Thái Sơn"), "{dash}");
    let participant = app.sign_in(PARTICIPANT.0, PARTICIPANT.1).await;
    assert_eq!(
        participant
            .get(app.url(&format!("/cuoc-thi/{SLUG}/bai")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // A commune coordinator cannot open an entry of another commune.
    let (other, _) = entries::list_page(
        &app.state.db,
        k.id,
        &entries::Filter {
            unit_path: Some(
                hoithi_storage::repo::units::get(&app.state.db, app.unit_id("HY-DUCNINH").await)
                    .await
                    .unwrap()
                    .path,
            ),
            ..Default::default()
        },
        Default::default(),
        None,
        1,
    )
    .await
    .unwrap();
    if let Some(o) = other.first() {
        assert_eq!(
            commune
                .get(app.url(&format!("/cuoc-thi/{SLUG}/bai/{}", o.id)))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
    }

    // The organizer disqualifies it with a reason; the submitter sees the reason.
    let org = app.sign_in("bantochuc@hoithi.demo", "demo-bantochuc").await;
    let token = app.session_csrf(&org).await;
    let res = org
        .post(app.url(&format!("/cuoc-thi/{SLUG}/bai/{}/so-loai", e.id)))
        .form(&[
            ("csrf", token.as_str()),
            ("decision", "disqualified"),
            ("reason", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "a reason is required");
    let res = org
        .post(app.url(&format!("/cuoc-thi/{SLUG}/bai/{}/so-loai", e.id)))
        .form(&[
            ("csrf", token.as_str()),
            ("decision", "disqualified"),
            ("reason", "Bài có ghi tên tác giả ở cuối"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = app.page(&guest, &link).await;
    assert!(page.contains("Bị loại") && page.contains("Bài có ghi tên tác giả ở cuối"));
    let csv = app
        .page(&org, &format!("/cuoc-thi/{SLUG}/thong-ke.csv"))
        .await;
    assert!(csv.contains("Xã Thái Sơn"));
    let xlsx = org
        .get(app.url(&format!("/cuoc-thi/{SLUG}/thong-ke.xlsx")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    use calamine::Reader;
    let sheet = wb.worksheet_range("Theo đơn vị").unwrap();
    assert!(
        sheet.rows().any(|r| r[0] == "Xã Thái Sơn"),
        "the workbook opens and lists the communes"
    );
}

#[tokio::test]
async fn flags_withdrawal_and_pasted_text() {
    let app = spawn_app().await;
    let guest = client();
    let mut fields = base_fields(&app, "Vững một niềm tin", "Ma Thị Hoa").await;
    let mut text = essay(300).join("\n\n");
    text.push_str("\n\nTác giả: Ma Thị Hoa");
    fields.push(("text", text));
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
    assert!(html.contains("ngoài giới hạn") && html.contains("xuất hiện trong bài"));
    let code = code_of(&html);
    let e = entries::by_receipt(&app.state.db, &code).await.unwrap();
    assert!(
        e.flags.contains("word_limits") && e.flags.contains("name_in_text"),
        "{}",
        e.flags
    );
    // Same author again in the same genre: flagged.
    let mut fields = base_fields(&app, "Bài thứ hai", "Ma Thị Hoa").await;
    fields.push(("text", essay(1200).join("\n\n")));
    let (_, html2) = submit(
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
    let code2 = code_of(&html2);
    assert!(
        entries::by_receipt(&app.state.db, &code2)
            .await
            .unwrap()
            .flags
            .contains("too_many_by_author")
    );
    // Full-text search in screening: without diacritics, scoped to the coordinator's commune.
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let mut found = false;
    for _ in 0..50 {
        let list = app
            .page(
                &commune,
                &format!("/cuoc-thi/{SLUG}/bai?q=vung+mot+niem+tin"),
            )
            .await;
        if list.contains("Vững một niềm tin") {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(found, "the new entry is searchable within seconds");
    // Withdraw with the private key.
    let link = link_of(&html);
    let key = link.split("k=").nth(1).unwrap().to_string();
    let token = app.csrf(&guest).await;
    let res = guest
        .post(app.url(&format!("/bai-du-thi/{code}/rut")))
        .form(&[("csrf", token.as_str()), ("k", key.as_str())])
        .send()
        .await
        .unwrap();
    let st = res.status();
    assert_eq!(st, 303, "{}", res.text().await.unwrap());
    assert_eq!(
        entries::by_receipt(&app.state.db, &code)
            .await
            .unwrap()
            .status,
        entries::WITHDRAWN
    );
}

#[tokio::test]
async fn bad_uploads_and_late_entries_store_nothing() {
    let app = spawn_app().await;
    let k = contests::by_slug(&app.state.db, SLUG).await.unwrap();
    let count = || async { entries::count_live(&app.state.db, k.id).await.unwrap() };
    let before = count().await;
    let guest = client();
    // A zip bomb disguised as DOCX.
    let mut bomb = std::io::Cursor::new(Vec::new());
    {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(&mut bomb);
        z.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..300 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap();
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bom.docx", bomb.into_inner(), "Không đọc được tệp"),
        (
            "gia.pdf",
            b"day khong phai PDF".to_vec(),
            "Không đọc được tệp",
        ),
        ("rong.docx", Vec::new(), "rỗng"),
        ("virus.exe", b"MZ\x90\x00".to_vec(), "không được nhận"),
        ("lon.txt", vec![b'a'; 21 * 1024 * 1024], "quá lớn"),
    ];
    for (name, bytes, needle) in cases {
        let (status, html) = submit(
            &app,
            &guest,
            SLUG,
            Form {
                fields: base_fields(&app, "Bài lỗi", "Lê Văn Bình").await,
                file: Some((name.into(), bytes)),
                csrf: true,
            },
        )
        .await;
        assert!(status == 422 || status == 413, "{name}: {status}");
        assert!(html.contains(needle), "{name}: expected «{needle}»");
    }
    // Missing CSRF token.
    let (status, _) = submit(
        &app,
        &guest,
        SLUG,
        Form {
            fields: base_fields(&app, "Bài", "Lê Văn Bình").await,
            file: None,
            csrf: false,
        },
    )
    .await;
    assert_eq!(status, 403);
    // One second after the deadline.
    let closes = chrono::Utc::now() - chrono::Duration::seconds(1);
    let hy = app.unit_id("HY").await;
    contests::create(
        &app.state.db,
        contests::NewContest {
            slug: "da-dong".into(),
            title: "Cuộc thi đã đóng".into(),
            description: String::new(),
            rules: String::new(),
            organizer_unit_id: hy,
            opens_at: closes - chrono::Duration::days(10),
            closes_at: closes,
            published: true,
            collecting_units: vec![app.unit_id("HY-THAISON").await],
            genres: hoithi_web::contests::service::default_genres(),
            groups: hoithi_web::contests::service::default_groups(),
        },
    )
    .await
    .unwrap();
    let late = contests::by_slug(&app.state.db, "da-dong").await.unwrap();
    let genre = contests::genres(&app.state.db, late.id).await.unwrap()[0].id;
    let mut fields = base_fields(&app, "Muộn", "Lê Văn Bình").await;
    fields[0] = ("genre_id", genre.to_string());
    fields.push(("text", essay(1200).join("\n\n")));
    let (status, html) = submit(
        &app,
        &guest,
        "da-dong",
        Form {
            fields,
            file: None,
            csrf: true,
        },
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Đã hết hạn nhận bài"), "{html}");
    assert_eq!(
        entries::count_live(&app.state.db, late.id).await.unwrap(),
        0
    );
    assert_eq!(count().await, before, "no bad upload left a record");
}

#[tokio::test]
async fn copied_entry_is_checked_within_seconds_and_shown_side_by_side() {
    let app = spawn_app().await;
    let guest = client();
    let original: Vec<String> = (0..12)
        .map(|i| format!("Đoạn {i}: cán bộ xã đã về từng thôn, lắng nghe ý kiến của bà con về con đường mới, về giá cam sành và về lớp học xóa mù chữ cho phụ nữ người Dao, rồi cùng chi bộ bàn cách tháo gỡ từng việc cụ thể trong mùa mưa năm nay"))
        .collect();
    let mut fields = base_fields(&app, "Bài gốc về con đường mới", "Nông Thị Thu").await;
    fields.push(("text", original.join("\n\n")));
    let (status, _) = submit(
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
    assert_eq!(status, 200);
    // A second entry copies half of it, in NFD and with the old tone style.
    use unicode_normalization::UnicodeNormalization;
    let copied: String = original[..6]
        .join("\n\n")
        .replace("xóa", "xoá")
        .nfd()
        .collect();
    let mut fields = base_fields(&app, "Bài chép lại", "Lê Văn Bình").await;
    fields[9] = ("a0_email", "binh@example.vn".into());
    fields.push((
        "text",
        format!("Mở đầu riêng của tác giả thứ hai.\n\n{copied}"),
    ));
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
    let e = entries::by_receipt(&app.state.db, &code).await.unwrap();
    let mut check = None;
    for _ in 0..100 {
        check = hoithi_storage::repo::checks::get(&app.state.db, e.id)
            .await
            .unwrap();
        if check.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let check = check.expect("checked within 10 seconds");
    assert!(check.share > 0.8, "share {}", check.share);
    let flags = entries::get(&app.state.db, e.id).await.unwrap().flags;
    assert!(flags.contains("over_overlap"), "{flags}");
    let org = app.sign_in("bantochuc@hoithi.demo", "demo-bantochuc").await;
    let page = app
        .page(&org, &format!("/cuoc-thi/{SLUG}/bai/{}/trung-lap", e.id))
        .await;
    assert!(
        page.contains("Bài gốc về con đường mới")
            && page.contains("mức cho phép của thể loại: 25%"),
        "{page}"
    );
    assert!(
        !page.contains("Nông Thị Thu"),
        "authors are not shown on copy-check pages"
    );
    let matches: Vec<hoithi_web::integrity::StoredMatch> =
        serde_json::from_str(&check.matches).unwrap();
    let other = matches[0].entry_id.expect("an entry");
    let cmp = app
        .page(
            &org,
            &format!("/cuoc-thi/{SLUG}/bai/{}/trung-lap/{other}", e.id),
        )
        .await;
    assert!(
        cmp.matches("<mark class=\"prose\">").count() >= 2,
        "passages highlighted in both texts"
    );
    // Offsets point into the original (NFD) text as submitted.
    let p = matches[0].passages[0][0];
    assert!(e.body[p[0]..p[1]].contains("cán bộ xã"));
}

#[tokio::test]
async fn api_submission_listing_and_decision() {
    let app = spawn_app().await;
    let k = contests::by_slug(&app.state.db, SLUG).await.unwrap();
    let genre = contests::genres(&app.state.db, k.id).await.unwrap()[0].id;
    let bare = reqwest::Client::new();
    let doc: serde_json::Value = bare
        .get(app.url(&format!("/api/v1/contests/{SLUG}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["genres"][0]["allowed_overlap_percent"], 25);
    let body = serde_json::json!({
        "genre_id": genre, "unit_id": app.unit_id("HY-THAISON").await, "title": "Gửi qua API",
        "authors": [{"full_name": "Triệu Thị Lan", "phone": "0977 000 111"}],
        "text": essay(1100).join("\n\n"), "confirm_unpublished": true, "confirm_not_staff": true
    });
    let res = bare
        .post(app.url(&format!("/api/v1/contests/{SLUG}/entries")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let receipt: serde_json::Value = res.json().await.unwrap();
    assert!(
        receipt["private_link"]
            .as_str()
            .unwrap()
            .contains("/bai-du-thi/HT-")
    );
    let id = receipt["entry"]["id"].as_i64().unwrap();
    let mut late = body.clone();
    late["confirm_not_staff"] = false.into();
    let res = bare
        .post(app.url(&format!("/api/v1/contests/{SLUG}/entries")))
        .json(&late)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("xác nhận")
    );
    // The organizer screens through the API with a session and the CSRF header.
    let org = app.sign_in("bantochuc@hoithi.demo", "demo-bantochuc").await;
    let token = app.session_csrf(&org).await;
    let list: serde_json::Value = org
        .get(app.url(&format!("/api/v1/contests/{SLUG}/entries?q=API")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["entries"].as_array().unwrap().len(), 1);
    assert!(list["next"].is_null());
    let res = org
        .post(app.url(&format!("/api/v1/contests/{SLUG}/entries/{id}/decision")))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"decision": "eligible"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        entries::get(&app.state.db, id).await.unwrap().status,
        entries::ELIGIBLE
    );
    // A signed-in participant submits and sees only their own entries on /bai-cua-toi.
    let p = app.sign_in(PARTICIPANT.0, PARTICIPANT.1).await;
    let mut fields = base_fields(&app, "Bài của người dự thi", "Ma Thị Hoa").await;
    fields.push(("text", essay(1100).join("\n\n")));
    let (status, _) = submit(
        &app,
        &p,
        SLUG,
        Form {
            fields,
            file: None,
            csrf: true,
        },
    )
    .await;
    assert_eq!(status, 200);
    let mine = app.page(&p, "/bai-cua-toi").await;
    assert!(mine.contains("Bài của người dự thi") && !mine.contains("Gửi qua API"));
    // A participant cannot list entries.
    assert_eq!(
        p.get(app.url(&format!("/api/v1/contests/{SLUG}/entries")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}
