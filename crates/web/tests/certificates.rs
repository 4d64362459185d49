//! Certificates of any subject: award certificates issued before migration m0008 (rows in the
//! old shape) still verify after it, issuing again for a subject adds nothing, and a course
//! completion certificate (the next kind) is issued, verified and rendered beside them. Runs on
//! SQLite, and on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use std::sync::Arc;

use common::*;
use hoithi_storage::repo::{awards, certificates, contests, rounds};
use hoithi_web::certificates::service::{self, CourseText, Issue, Subject};
use sea_orm::{ConnectionTrait, Statement};

/// Builds the demo on the schema as it was before m0008, confirms awards in the final round and
/// publishes them the way the code before m0008 did: certificate rows with an award id and no
/// subject. Returns the codes, with the award and recipient of each.
async fn demo_with_old_certificates(
    dir: &std::path::Path,
    url: Option<&str>,
) -> Vec<(String, i64, String)> {
    let db = hoithi_storage::Db::open(dir, url).await.unwrap();
    hoithi_storage::migration::up_to_before(&db, "m0008_certificate_subjects")
        .await
        .unwrap();
    let state = hoithi_web::state::AppState {
        db: db.clone(),
        blobs: Arc::new(hoithi_storage::blob::FsBlobStore::new(dir.join("files"))),
        config: Arc::new(hoithi_web::Config::for_data_dir(dir)),
        secret: b"old-schema-test".to_vec().into(),
        search: None,
        search_updates: Default::default(),
        integrity: Default::default(),
        mailer: None,
    };
    assert!(hoithi_web::demo::load_if_empty(&state).await.unwrap());

    let contest = contests::by_slug(&db, "chinh-luan-2026").await.unwrap();
    let fin = rounds::for_contest(&db, contest.id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kind == rounds::FINAL)
        .unwrap();
    let entries = rounds::entries(&db, fin.id).await.unwrap();
    let picked: Vec<&rounds::EntryBrief> = entries.iter().take(2).collect();
    let individual = picked
        .iter()
        .enumerate()
        .map(|(i, e)| awards::NewAward {
            kind: awards::INDIVIDUAL.into(),
            entry_id: Some(e.id),
            unit_id: None,
            genre_id: Some(e.genre_id),
            tier_name: ["Giải A", "Giải B"][i].into(),
            position: i as i32 + 1,
            score: Some(80.0 - i as f64),
            rank: Some(i as i32 + 1),
        })
        .collect();
    awards::replace_awards(&db, fin.id, awards::INDIVIDUAL, individual, None)
        .await
        .unwrap();
    let collective = vec![awards::NewAward {
        kind: awards::COLLECTIVE.into(),
        entry_id: None,
        unit_id: Some(picked[0].unit_id),
        genre_id: None,
        tier_name: "Đơn vị có nhiều tác phẩm dự thi nhất".into(),
        position: 0,
        score: None,
        rank: None,
    }];
    awards::replace_awards(&db, fin.id, awards::COLLECTIVE, collective, None)
        .await
        .unwrap();

    let authors = rounds::authors_of(&db, &picked.iter().map(|e| e.id).collect::<Vec<_>>())
        .await
        .unwrap();
    let now = chrono::Utc::now();
    let mut issued = Vec::new();
    for (n, a) in awards::awards(&db, fin.id)
        .await
        .unwrap()
        .iter()
        .enumerate()
    {
        let recipients: Vec<(String, String)> = match a.entry_id {
            Some(e) => authors[&e]
                .iter()
                .map(|au| {
                    let title = entries.iter().find(|x| x.id == e).unwrap().title.clone();
                    (au.full_name.clone(), title)
                })
                .collect(),
            None => vec![("Xã Thái Sơn".into(), String::new())],
        };
        for (position, (recipient, title)) in recipients.into_iter().enumerate() {
            let code = format!("GCN-OLD{n}{position}ACDEF");
            db.conn
                .execute_raw(Statement::from_sql_and_values(
                    db.db_backend(),
                    "INSERT INTO certificates (award_id, position, code, recipient, unit_name, \
                     entry_title, contest_title, award_name, issued_at, revoked_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)",
                    [
                        a.id.into(),
                        (position as i32).into(),
                        code.clone().into(),
                        recipient.clone().into(),
                        "Xã Thái Sơn".into(),
                        title.into(),
                        contest.title.clone().into(),
                        a.tier_name.clone().into(),
                        now.into(),
                    ],
                ))
                .await
                .unwrap();
            issued.push((code, a.id, recipient));
        }
    }
    db.conn
        .execute_raw(Statement::from_sql_and_values(
            db.db_backend(),
            "UPDATE rounds SET results_published_at = $1 WHERE id = $2",
            [now.into(), fin.id.into()],
        ))
        .await
        .unwrap();
    db.conn.close().await.unwrap();
    issued
}

#[tokio::test]
async fn award_certificates_from_before_m0008_verify_and_subjects_are_unique() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url().await;
    let old = demo_with_old_certificates(dir.path(), url.as_deref()).await;
    assert!(old.len() >= 3, "{old:?}");

    // The application starts on that database: m0008 runs, every old code verifies.
    let app = spawn_app_in(dir, url).await;
    let visitor = client();
    for (code, award_id, recipient) in &old {
        let res = visitor
            .get(app.url(&format!("/xac-minh/{}", code.to_lowercase())))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{code}");
        let page = res.text().await.unwrap();
        assert!(
            page.contains("hợp lệ") && page.contains(code.as_str()) && page.contains(recipient),
            "{page}"
        );
        let api: serde_json::Value = visitor
            .get(app.url(&format!("/api/v1/certificates/{code}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(api["valid"], true);
        assert_eq!(api["kind"], "award");
        let stored = certificates::by_code(&app.state.db.conn, code)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (stored.subject_kind.as_str(), stored.subject_id),
            ("award", *award_id)
        );
        assert_eq!(stored.award_id, Some(*award_id));
    }
    let pdf = visitor
        .get(app.url(&format!("/xac-minh/{}/giay-chung-nhan.pdf", old[0].0)))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

    // Issuing again for the same award and position keeps the certificate and its code.
    let award_ids: Vec<i64> = old.iter().map(|o| o.1).collect();
    let before = service::of_subjects(&app.state, service::Kind::Award, &award_ids)
        .await
        .unwrap();
    let again = service::issue(
        &app.state,
        vec![Issue {
            subject: Subject::Award {
                award_id: old[0].1,
                printed: Default::default(),
            },
            position: 0,
            recipient: "Tên khác".into(),
            unit: String::new(),
        }],
    )
    .await
    .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].code, old[0].0);
    assert_eq!(again[0].recipient, old[0].2, "the issued text stays");
    let after = service::of_subjects(&app.state, service::Kind::Award, &award_ids)
        .await
        .unwrap();
    assert_eq!(before, after);

    // The next kind: a course completion, which has no award.
    let course = CourseText {
        course_title: "Lớp bồi dưỡng nghiệp vụ công tác tuyên giáo năm 2026".into(),
        from: chrono::NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(),
        place: "Hội trường Huyện ủy".into(),
        issuer: "Ban Tuyên giáo Huyện ủy Hàm Yên".into(),
    };
    let issue = |position: i32, name: &str| Issue {
        subject: Subject::CourseCompletion {
            delegate_id: 7,
            printed: course.clone(),
        },
        position,
        recipient: name.into(),
        unit: "Xã Thái Sơn".into(),
    };
    let first = service::issue(&app.state, vec![issue(0, "Hoàng Thị Lan")])
        .await
        .unwrap();
    let twice = service::issue(
        &app.state,
        vec![issue(0, "Hoàng Thị Lan"), issue(0, "Hoàng Thị Lan")],
    )
    .await
    .unwrap();
    assert_eq!(first[0].code, twice[0].code);
    assert_eq!(twice[0].code, twice[1].code);
    assert_eq!(first[0].award_id, None);
    assert_eq!(
        service::of_subjects(&app.state, service::Kind::CourseCompletion, &[7])
            .await
            .unwrap()
            .len(),
        1
    );
    let code = &first[0].code;
    let page = app.page(&visitor, &format!("/xac-minh/{code}")).await;
    assert!(
        page.contains("hoàn thành lớp bồi dưỡng")
            && page.contains("Lớp bồi dưỡng nghiệp vụ công tác tuyên giáo năm 2026")
            && page.contains("ngày 12/03/2026"),
        "{page}"
    );
    let pdf = visitor
        .get(app.url(&format!("/xac-minh/{code}/giay-chung-nhan.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);

    // An unknown code says so, in both languages, and is never a server error.
    let res = visitor
        .get(app.url("/xac-minh/GCN-KHONGCO%20%22%3E"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Mã không tồn tại") && !page.contains("GCN-KHONGCO\">"),
        "{page}"
    );
    let res = visitor
        .get(app.url("/xac-minh/GCN-KHONGCO?lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("This code does not exist")
    );
    let res = visitor
        .get(app.url("/xac-minh/GCN-KHONGCO/giay-chung-nhan.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // m0008 reverts to award certificates alone (the course certificate goes) and applies
    // again: the old codes still verify.
    hoithi_storage::migration::down_to_before(&app.state.db, "m0008_certificate_subjects")
        .await
        .unwrap();
    let row = app
        .state
        .db
        .conn
        .query_one_raw(Statement::from_string(
            app.state.db.db_backend(),
            "SELECT COUNT(*) AS n FROM certificates",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), old.len() as i64);
    app.state.db.migrate().await.unwrap();
    for (code, _, _) in &old {
        let res = visitor
            .get(app.url(&format!("/xac-minh/{code}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{code}");
    }
}
