//! Writes the fixture of the storage upgrade test (crates/storage/tests/migrations.rs): the demo
//! loaded on a fresh SQLite database at today's newest schema, a few rows added through the
//! repositories where the demo leaves a table empty, long texts shortened, then every table
//! written out as INSERT statements that SQLite and PostgreSQL both accept.
//!
//! Run it before adding a migration, on the commit before it (docs/CONVENTIONS.md):
//!     cargo test -p hoithi-web --test migration_fixture -- --ignored

use std::collections::BTreeMap;

use hoithi_storage::Db;
use hoithi_storage::repo::{
    api_tokens, awards, certificates, checks, contests, entries, integrity_sources, jobs,
    participation, rounds, sessions, throttle, users,
};
use hoithi_web::jobs::Job;
use hoithi_web::search::{DocKind, DocRef};
use hoithi_web::{Application, Config};
use sea_orm::{ConnectionTrait, Statement};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../storage/tests/fixtures/demo.sql"
);

/// Rows per INSERT statement.
const ROWS_PER_INSERT: usize = 50;
/// The demo's first entries kept (of 240), with what refers to them: enough for every table to
/// keep rows, a quarter of the size.
const ENTRIES_KEPT: u32 = 60;
/// Entry texts are cut to this many characters: the demo's run to kilobytes each, and no
/// migration so far reads them.
const TEXT_CHARS: usize = 120;

#[tokio::test]
#[ignore = "writes crates/storage/tests/fixtures/demo.sql: run it before adding a migration"]
async fn write_demo_fixture() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::for_data_dir(dir.path());
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.database_url = None;
    config.demo = true;
    config.run_worker = false;
    let app = Application::build(config).await.expect("the demo loads");
    let db = app.state().db.clone();
    keep_the_first_entries(&db).await;
    fill_tables_the_demo_leaves_empty(&db).await;
    shorten_texts(&db).await;
    let sql = dump(&db).await;
    std::fs::write(FIXTURE, &sql).expect("write the fixture");
    eprintln!("wrote {FIXTURE}: {} bytes", sql.len());
}

/// Deletes the entries after the first ones (rows that refer to them go with them) and
/// recomputes the participation counters.
async fn keep_the_first_entries(db: &Db) {
    db.conn
        .execute_unprepared(&format!(
            "DELETE FROM entries WHERE receipt_code > 'HT-DEMO-{ENTRIES_KEPT:04}'"
        ))
        .await
        .unwrap();
    participation::rebuild(&db.conn, None).await.unwrap();
}

/// Rows for the tables the demo leaves empty, and a few other states, written through the
/// repositories (the pages' rules, e.g. that preliminary results wait for the final round's,
/// are not the point here). `blobs` stays empty: no code writes it yet.
async fn fill_tables_the_demo_leaves_empty(db: &Db) {
    let contest = contests::by_slug(db, "chinh-luan-2026").await.unwrap();
    let admin = users::find_by_login(db, "admin@hoithi.demo")
        .await
        .unwrap()
        .unwrap();
    let organizer = users::find_by_login(db, "bantochuc@hoithi.demo")
        .await
        .unwrap()
        .unwrap();
    let entry = |n: u32| async move {
        entries::by_receipt(db, &format!("HT-DEMO-{n:04}"))
            .await
            .unwrap()
    };

    // Accounts: a session, an API token, a throttled login.
    sessions::create(
        db,
        "0".repeat(64),
        admin.id,
        "fixture-csrf-secret".into(),
        chrono::Duration::days(30),
        Some("Mozilla/5.0 (fixture)".into()),
    )
    .await
    .unwrap();
    api_tokens::create(db, organizer.id, "Xuất dữ liệu".into(), "1".repeat(64))
        .await
        .unwrap();
    throttle::record_failure(
        db,
        "login:khach@example.vn",
        throttle::Policy {
            max_failures: 5,
            window: chrono::Duration::minutes(15),
            lockout: chrono::Duration::minutes(15),
        },
    )
    .await
    .unwrap();

    // Screening: one entry withdrawn, one disqualified.
    entries::withdraw(db, entry(ENTRIES_KEPT).await.id)
        .await
        .unwrap();
    entries::decide(
        db,
        entry(ENTRIES_KEPT - 1).await.id,
        entries::DISQUALIFIED,
        "Tác phẩm đã đăng báo trước khi dự thi.",
    )
    .await
    .unwrap();

    // Background jobs: a copy check waiting, a search update done.
    let e3 = entry(3).await.id;
    hoithi_web::jobs::enqueue(
        db,
        Job::IntegrityCheck(hoithi_web::integrity::CheckJob::entry(e3)),
    )
    .await
    .unwrap();
    let done = hoithi_web::jobs::enqueue(db, Job::SearchIndex(DocRef::new(DocKind::Entry, e3)))
        .await
        .unwrap()
        .unwrap();
    jobs::complete(db, done).await.unwrap();

    // Copy checks: two results and the contest's reference texts.
    for (n, share) in [(1, 0.04), (2, 0.31)] {
        let e = entry(n).await;
        let mut flags: Vec<String> = serde_json::from_str(&e.flags).unwrap();
        if share > 0.25 {
            flags.push("over_overlap".into());
        }
        checks::record(
            db,
            e.id,
            share,
            Default::default(),
            serde_json::json!([]),
            flags,
        )
        .await
        .unwrap();
    }
    let source = |kind: &str, title: &str, body: &str| integrity_sources::NewSource {
        contest_id: contest.id,
        kind: kind.into(),
        title: title.into(),
        body: body.into(),
        word_count: body.split_whitespace().count() as i32,
        file_name: None,
        created_by: Some(organizer.id),
    };
    integrity_sources::add(
        db,
        vec![
            source(
                integrity_sources::REFERENCE,
                "Bài đoạt giải năm 2025",
                "Niềm tin của nhân dân là nền tảng vững chắc nhất để bảo vệ chế độ.",
            ),
            source(
                integrity_sources::ALLOWED,
                "Nghị quyết số 35-NQ/TW",
                "Tăng cường bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch.",
            ),
        ],
    )
    .await
    .unwrap();

    // Judging: a declared conflict, and two awards of the preliminary round with their
    // certificates (the demo publishes no results).
    let list = rounds::for_contest(db, contest.id).await.unwrap();
    let prelim = list.iter().find(|r| r.kind == rounds::PRELIMINARY).unwrap();
    let judge = users::find_by_login(db, "giamkhao2@hoithi.demo")
        .await
        .unwrap()
        .unwrap();
    // Leave out the two entries whose status changed above.
    let judged: Vec<_> = rounds::entries(db, prelim.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.status == entries::ELIGIBLE)
        .collect();
    rounds::put_conflict(
        db,
        rounds::NewConflict {
            round_id: prelim.id,
            entry_id: judged[0].id,
            user_id: judge.id,
            kind: rounds::DECLARED.into(),
            reason: "Người thân của tác giả.".into(),
            created_by: Some(organizer.id),
        },
    )
    .await
    .unwrap();
    let genre = contests::genres(db, contest.id).await.unwrap()[0].id;
    awards::replace_tiers(
        db,
        prelim.id,
        vec![
            awards::NewTier {
                genre_id: genre,
                name: "Giải A".into(),
                count: 1,
            },
            awards::NewTier {
                genre_id: genre,
                name: "Giải B".into(),
                count: 2,
            },
        ],
    )
    .await
    .unwrap();
    let winners: Vec<_> = judged
        .iter()
        .filter(|e| e.genre_id == genre)
        .take(2)
        .collect();
    let chosen = winners
        .iter()
        .enumerate()
        .map(|(i, e)| awards::NewAward {
            kind: awards::INDIVIDUAL.into(),
            entry_id: Some(e.id),
            unit_id: None,
            genre_id: Some(genre),
            tier_name: ["Giải A", "Giải B"][i].into(),
            position: i as i32,
            score: Some(90.0 - i as f64 * 2.5),
            rank: Some(i as i32 + 1),
        })
        .collect();
    awards::replace_awards(
        db,
        prelim.id,
        awards::INDIVIDUAL,
        chosen,
        Some(organizer.id),
    )
    .await
    .unwrap();
    let mut list = Vec::new();
    for a in awards::awards(db, prelim.id).await.unwrap() {
        let e = entries::get(db, a.entry_id.unwrap()).await.unwrap();
        let author = entries::authors(db, e.id).await.unwrap().remove(0);
        list.push(certificates::NewCertificate {
            subject_kind: certificates::AWARD,
            subject_id: a.id,
            position: 0,
            recipient: author.full_name,
            unit_name: author.workplace,
            entry_title: e.title,
            contest_title: contest.title.clone(),
            award_name: a.tier_name.clone(),
            details: serde_json::json!({}),
        });
    }
    // Codes that stay the same from one fixture to the next.
    let n = std::cell::Cell::new(0);
    let code = || {
        n.set(n.get() + 1);
        format!("GCN-DEMO{:06}", n.get())
    };
    awards::publish(db, prelim.id, list, code).await.unwrap();
}

/// Cuts the long texts (entries, their versions, reference texts) to their first characters.
async fn shorten_texts(db: &Db) {
    for table in ["entries", "entry_versions", "integrity_sources"] {
        db.conn
            .execute_unprepared(&format!(
                "UPDATE {table} SET body = substr(body, 1, {TEXT_CHARS})"
            ))
            .await
            .unwrap();
    }
}

struct Column {
    name: String,
    boolean: bool,
}

/// Tables in an order that inserts every row after the rows it refers to.
async fn tables_in_insert_order(db: &Db) -> Vec<String> {
    let names = strings(
        db,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> 'seaql_migrations' ORDER BY rowid",
    )
    .await;
    let mut refers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in &names {
        let targets = strings(
            db,
            &format!("SELECT \"table\" FROM pragma_foreign_key_list('{t}')"),
        )
        .await;
        refers.insert(t.clone(), targets.into_iter().filter(|x| x != t).collect());
    }
    let mut order: Vec<String> = Vec::new();
    while order.len() < names.len() {
        let before = order.len();
        for t in &names {
            if !order.contains(t) && refers[t].iter().all(|x| order.contains(x)) {
                order.push(t.clone());
            }
        }
        assert!(order.len() > before, "foreign keys form a cycle: {names:?}");
    }
    order
}

async fn strings(db: &Db, sql: &str) -> Vec<String> {
    db.conn
        .query_all_raw(Statement::from_string(db.db_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

async fn dump(db: &Db) -> String {
    let schema = strings(
        db,
        "SELECT version FROM seaql_migrations ORDER BY version DESC LIMIT 1",
    )
    .await
    .remove(0);
    let mut out = format!(
        "-- The demo at the schema of the migration below, for the upgrade test in\n\
         -- crates/storage/tests/migrations.rs. Written by\n\
         --     cargo test -p hoithi-web --test migration_fixture -- --ignored\n\
         -- do not edit by hand.\n\
         -- schema: {schema}\n"
    );
    for table in tables_in_insert_order(db).await {
        let columns: Vec<Column> = db
            .conn
            .query_all_raw(Statement::from_string(
                db.db_backend(),
                format!("SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid"),
            ))
            .await
            .unwrap()
            .into_iter()
            .map(|r| {
                let name: String = r.try_get_by_index(0).unwrap();
                let ty: String = r.try_get_by_index(1).unwrap();
                Column {
                    name,
                    boolean: ty.to_ascii_lowercase().contains("bool"),
                }
            })
            .collect();
        // SQLite writes each value as an SQL literal (text quoted with '' doubled).
        let literals = columns
            .iter()
            .map(|c| format!("quote(\"{}\")", c.name))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = db
            .conn
            .query_all_raw(Statement::from_string(
                db.db_backend(),
                format!("SELECT {literals} FROM \"{table}\" ORDER BY rowid"),
            ))
            .await
            .unwrap();
        eprintln!("{table}: {} rows", rows.len());
        out.push_str(&format!("-- table {table}\n"));
        let names = columns
            .iter()
            .map(|c| format!("\"{}\"", c.name))
            .collect::<Vec<_>>()
            .join(", ");
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            out.push_str(&format!("INSERT INTO \"{table}\" ({names}) VALUES\n"));
            let lines: Vec<String> = chunk
                .iter()
                .map(|row| {
                    let values: Vec<String> = columns
                        .iter()
                        .enumerate()
                        .map(|(i, c)| portable(row.try_get_by_index(i).unwrap(), c))
                        .collect();
                    format!("({})", values.join(", "))
                })
                .collect();
            out.push_str(&lines.join(",\n"));
            out.push_str(";\n");
        }
    }
    out
}

/// SQLite's literal, with a boolean written as TRUE or FALSE (PostgreSQL takes no 0 or 1 for
/// a boolean). Blobs have no literal that both databases read: none is expected.
fn portable(literal: String, column: &Column) -> String {
    assert!(
        !literal.starts_with("X'"),
        "{}: a blob has no portable literal",
        column.name
    );
    match (column.boolean, literal.as_str()) {
        (true, "0") => "FALSE".into(),
        (true, "1") => "TRUE".into(),
        _ => literal,
    }
}
