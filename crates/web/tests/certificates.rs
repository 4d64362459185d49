//! Certificates of any subject: award certificates issued before migration m0008 (the demo
//! fixture of the upgrade test, written by the code of the day before) still verify once the
//! application has migrated the database, issuing again for a subject adds nothing, and a
//! course completion certificate (the next kind) is issued, verified and rendered beside them.
//! Runs on SQLite, and on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use common::*;
use hoithi_storage::migration::Migrator;
use hoithi_storage::repo::certificates;
use hoithi_web::certificates::service::{self, CourseText, Issue, Subject};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use sea_orm_migration::MigratorTrait;

/// The demo at the schema before the newest migration (see crates/storage/tests/migrations.rs
/// and docs/CONVENTIONS.md), certificates included.
const FIXTURE: &str = include_str!("../../storage/tests/fixtures/demo.sql");

async fn strings(db: &hoithi_storage::Db, sql: &str) -> Vec<String> {
    db.conn
        .query_all_raw(Statement::from_string(db.db_backend(), sql))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

/// Builds the fixture's schema and loads it; returns the certificates as (code, award id,
/// recipient), read with plain SQL.
async fn old_database(dir: &std::path::Path, url: Option<&str>) -> Vec<(String, i64, String)> {
    let schema = FIXTURE
        .lines()
        .find_map(|l| l.strip_prefix("-- schema: "))
        .unwrap()
        .trim();
    let at = Migrator::migrations()
        .iter()
        .position(|m| m.name() == schema)
        .unwrap();
    let db = hoithi_storage::Db::open(dir, url).await.unwrap();
    Migrator::up(&db.conn, Some(at as u32 + 1)).await.unwrap();
    let txn = db.conn.begin().await.unwrap();
    txn.execute_unprepared(FIXTURE).await.unwrap();
    txn.commit().await.unwrap();
    if backend_is_postgres() {
        for table in FIXTURE.lines().filter_map(|l| l.strip_prefix("-- table ")) {
            let has_id = strings(
                &db,
                &format!(
                    "SELECT column_name::text FROM information_schema.columns \
                     WHERE table_name = '{}' AND column_name = 'id' \
                     AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')",
                    table.trim()
                ),
            )
            .await;
            if !has_id.is_empty() {
                db.conn
                    .execute_unprepared(&format!(
                        "SELECT setval(pg_get_serial_sequence('\"{0}\"', 'id')::regclass, MAX(id)) \
                         FROM \"{0}\" HAVING MAX(id) IS NOT NULL",
                        table.trim()
                    ))
                    .await
                    .unwrap();
            }
        }
    }
    let rows = db
        .conn
        .query_all_raw(Statement::from_string(
            db.db_backend(),
            "SELECT code, award_id, recipient FROM certificates ORDER BY id",
        ))
        .await
        .unwrap();
    let out = rows
        .into_iter()
        .map(|r| {
            (
                r.try_get::<String>("", "code").unwrap(),
                r.try_get::<i64>("", "award_id").unwrap(),
                r.try_get::<String>("", "recipient").unwrap(),
            )
        })
        .collect();
    db.conn.close().await.unwrap();
    out
}

#[tokio::test]
async fn award_certificates_from_before_m0008_verify_and_subjects_are_unique() {
    let dir = tempfile::tempdir().unwrap();
    let db = unmigrated_database().await;
    let old = old_database(dir.path(), db.url.as_deref()).await;
    assert!(old.len() >= 2, "{old:?}");

    // The application starts on that database: m0008 runs, every old code verifies.
    let app = spawn_app_in(dir, db).await;
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
    let applied = Migrator::get_applied_migrations(&app.state.db.conn)
        .await
        .unwrap();
    let m0008 = applied
        .iter()
        .position(|m| m.name() == "m0008_certificate_subjects")
        .unwrap();
    Migrator::down(&app.state.db.conn, Some((applied.len() - m0008) as u32))
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
