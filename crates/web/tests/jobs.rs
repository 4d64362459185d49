//! The job table worker with typed jobs: rows written as earlier versions wrote them still
//! run, rows that cannot be read (unknown kind, malformed payload) fail once with their reason
//! and are not retried, a search job reaches the index, and rebuilding covers every kind. Runs
//! on SQLite, and on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use std::time::Duration;

use common::*;
use hoithi_storage::entity::job;
use hoithi_storage::repo::{entries, jobs};
use hoithi_storage::status::JobStatus;
use hoithi_web::jobs::Job;
use hoithi_web::search::{DocKind, DocRef};
use sea_orm::{ActiveModelTrait, Set};

const WITHIN: Duration = Duration::from_secs(90);

/// Waits for the worker to take job `id` to `status`; returns the row.
async fn job_reaches(app: &TestApp, id: i64, status: JobStatus) -> job::Model {
    app.wait_until(&format!("job {id} to be {status}"), WITHIN, || async {
        let row = jobs::get(&app.state.db, id).await.unwrap();
        (row.status == status).then_some(row)
    })
    .await
}

/// A row exactly as given, bypassing `Job` (as an older or broken writer might have left it).
async fn raw_row(app: &TestApp, kind: &str, payload: &str) -> i64 {
    let now = chrono::Utc::now();
    job::ActiveModel {
        kind: Set(kind.into()),
        payload: Set(payload.into()),
        status: Set(jobs::PENDING),
        attempts: Set(0),
        max_attempts: Set(8),
        run_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        dedupe_key: Set(None),
        created_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&app.state.db.conn)
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn old_rows_run_and_unreadable_rows_fail_once_with_their_reason() {
    let app = TestApp::with_demo().await;
    app.expect_failed_jobs();
    let entry = entries::batch_after(&app.state.db, None, 0, 1)
        .await
        .unwrap()[0]
        .clone();
    let e = entry.id;

    // Payloads as the version before typed jobs wrote them.
    let old = [
        raw_row(&app, "search_index", &format!(r#"{{"entry_id": {e}}}"#)).await,
        raw_row(
            &app,
            "integrity_check",
            &format!(r#"{{"entry_id": {e}, "requested_at": "2000-01-01T00:00:00.000000Z"}}"#),
        )
        .await,
        raw_row(
            &app,
            "message",
            r#"{"to": "0912345678", "subject": "Biên nhận", "body": "Mã tác phẩm: HT-DEMO-0001"}"#,
        )
        .await,
    ];
    let bad = [
        (
            raw_row(&app, "certificate_pdf", "{}").await,
            "unknown variant `certificate_pdf`",
        ),
        (raw_row(&app, "search_index", "not json{").await, "not JSON"),
        (
            raw_row(&app, "search_index", r#"{"kind": "poem", "id": 1}"#).await,
            "unknown variant `poem`",
        ),
        (
            raw_row(&app, "integrity_check", r#"{"entry_id": "seven"}"#).await,
            "invalid type",
        ),
        (
            raw_row(&app, "integrity_check", r#"{"entry_id": null}"#).await,
            "without an entry id",
        ),
    ];
    for id in old {
        let row = job_reaches(&app, id, jobs::DONE).await;
        assert_eq!(row.attempts, 1, "{row:?}");
    }
    for (id, says) in bad {
        let row = job_reaches(&app, id, jobs::FAILED).await;
        assert_eq!(row.attempts, 1, "failed at once, not retried: {row:?}");
        assert!(row.finished_at.is_some());
        assert!(
            row.last_error.as_deref().is_some_and(|e| e.contains(says)),
            "{row:?}"
        );
    }
    // The worker is still there after all that.
    let id = hoithi_web::jobs::enqueue(
        &app.state.db,
        Job::SearchIndex(DocRef::new(DocKind::Entry, e)),
    )
    .await
    .unwrap()
    .unwrap();
    let row = job_reaches(&app, id, jobs::DONE).await;
    assert_eq!(
        (row.kind.as_str(), row.payload.as_str()),
        ("search_index", format!(r#"{{"entry_id":{e}}}"#).as_str())
    );
}

#[tokio::test]
async fn search_jobs_follow_entries_and_a_rebuild_covers_every_kind() {
    let app = TestApp::with_demo().await;
    let index = app
        .state
        .search
        .clone()
        .expect("this instance owns the index");
    let entry = entries::batch_after(&app.state.db, None, 0, 1)
        .await
        .unwrap()[0]
        .clone();
    // The contest's entries in the index (listing, no words).
    let indexed = || {
        index
            .search(&hoithi_search::Query {
                kind: Some(DocKind::Entry.as_str().into()),
                must_tags: vec![format!("contest:{}", entry.contest_id)],
                limit: 0,
                ..Default::default()
            })
            .unwrap()
            .total
    };
    let live = || async {
        let mut n = 0;
        let mut after = 0;
        loop {
            let batch = entries::batch_after(&app.state.db, Some(entry.contest_id), after, 500)
                .await
                .unwrap();
            let Some(last) = batch.last() else { break };
            after = last.id;
            n += batch
                .iter()
                .filter(|e| e.status != entries::WITHDRAWN)
                .count();
        }
        n
    };
    assert_eq!(indexed(), live().await);

    // Kinds whose tables do not exist yet have nothing to index: their jobs drop the document.
    for kind in [DocKind::NewsPost, DocKind::Course, DocKind::CourseMaterial] {
        let id = hoithi_web::jobs::enqueue(&app.state.db, Job::SearchIndex(DocRef::new(kind, 1)))
            .await
            .unwrap()
            .unwrap();
        job_reaches(&app, id, jobs::DONE).await;
    }

    // A withdrawn entry leaves the index through its job, and a rebuild (every kind) agrees.
    entries::withdraw(&app.state.db, entry.id).await.unwrap();
    let id = hoithi_web::jobs::enqueue(
        &app.state.db,
        Job::SearchIndex(DocRef::new(DocKind::Entry, entry.id)),
    )
    .await
    .unwrap()
    .unwrap();
    job_reaches(&app, id, jobs::DONE).await;
    let n = live().await;
    assert_eq!(indexed(), n);
    let total = hoithi_web::search::rebuild(&app.state).await.unwrap();
    assert_eq!(index.num_docs(), total);
    assert_eq!(indexed(), n);
}

#[tokio::test]
async fn work_people_wait_for_is_claimed_before_a_long_queue_of_checks() {
    use hoithi_storage::repo::jobs as queue;
    use hoithi_web::jobs::{Message, QUICK, enqueue};
    let app = TestApp::start(false, |c| c.run_worker = false).await;
    for id in 1..=30 {
        enqueue(
            &app.state.db,
            Job::IntegrityCheck(hoithi_web::integrity::CheckJob::entry(id)),
        )
        .await
        .unwrap();
    }
    enqueue(
        &app.state.db,
        Job::Message(Message {
            to: "ai@example.vn".into(),
            subject: "Biên nhận".into(),
            body: "Đã nhận bài.".into(),
        }),
    )
    .await
    .unwrap();
    let lease = chrono::Duration::minutes(5);
    let first = queue::claim_of(&app.state.db, lease, Some(QUICK))
        .await
        .unwrap()
        .expect("the message");
    assert_eq!(first.kind, "message");
    // Nothing else quick is waiting; the long queue goes on in order.
    assert!(
        queue::claim_of(&app.state.db, lease, Some(QUICK))
            .await
            .unwrap()
            .is_none()
    );
    let next = queue::claim(&app.state.db, lease).await.unwrap().unwrap();
    assert_eq!(next.kind, "integrity_check");
    assert!(next.payload.contains("\"entry_id\":1"), "{}", next.payload);
    for id in [first.id, next.id] {
        queue::complete(&app.state.db, id).await.unwrap();
    }
}
