//! Migrations are frozen once landed, and the newest one upgrades a database filled with the
//! demo (decision 0005, docs/CONVENTIONS.md). The database tests run on SQLite by default and
//! on PostgreSQL when HOITHI_TEST_DATABASE=postgres, each in a fresh database (the pattern of
//! crates/web/tests/common).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use hoithi_storage::Db;
use hoithi_storage::migration::Migrator;
use hoithi_storage::repo::{
    assignments, awards, certificates, contests, entries, participation, rounds, scores, units,
    users,
};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use sea_orm_migration::prelude::*;
use sha2::{Digest, Sha256};

// ---- frozen files ----

/// The list of landed migration files and their SHA-256, beside the migrations.
const LIST: &str = "landed.sha256";

fn migration_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/migration")
}

/// Every file of the migration folder that landed migrations depend on: the migrations and
/// their helpers, all but `mod.rs` (which grows with every migration) and the list itself.
fn frozen_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(migration_dir())
        .expect("migration folder")
        .map(|e| {
            e.expect("folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".rs") && name != "mod.rs")
        .collect();
    files.sort();
    files
}

fn listed() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(migration_dir().join(LIST)).expect("the hash list");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (hash, name) = l
                .split_once("  ")
                .unwrap_or_else(|| panic!("{LIST}: a line is `<sha256>  <file>`, not {l:?}"));
            (name.trim().to_string(), hash.trim().to_string())
        })
        .collect()
}

#[test]
fn landed_migrations_are_never_edited() {
    let listed = listed();
    let files = frozen_files();
    let mut problems = Vec::new();
    for name in &files {
        let bytes = std::fs::read(migration_dir().join(name)).expect("migration file");
        let hash = hex::encode(Sha256::digest(&bytes));
        match listed.get(name) {
            None => problems.push(format!(
                "{name} has no line in crates/storage/src/migration/{LIST}. A new migration \
                 gets its line in the same change:\n    {hash}  {name}"
            )),
            Some(h) if *h != hash => problems.push(format!(
                "{name} has changed since it landed (listed {h}, now {hash}). A landed \
                 migration is never edited: restore it (`git log -p -- \
                 crates/storage/src/migration/{name}` shows what landed) and put the change in \
                 a new migration. Only a migration that has not reached main yet may still \
                 change, with its line updated in the same commit:\n    {hash}  {name}"
            )),
            Some(_) => {}
        }
    }
    for name in listed.keys().filter(|n| !files.contains(n)) {
        problems.push(format!(
            "{name} is listed in {LIST} but is gone: a landed migration is never removed"
        ));
    }
    assert!(
        problems.is_empty(),
        "landed migrations are frozen (docs/decisions/0005-frozen-migrations.md):\n\n{}\n",
        problems.join("\n\n")
    );
}

fn migration_names() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect()
}

#[test]
fn every_migration_file_is_registered_in_order() {
    let files: Vec<String> = frozen_files()
        .into_iter()
        .filter(|f| f.starts_with('m') && f[1..].starts_with(|c: char| c.is_ascii_digit()))
        .map(|f| f.trim_end_matches(".rs").to_string())
        .collect();
    assert_eq!(
        migration_names(),
        files,
        "Migrator::migrations() in crates/storage/src/migration/mod.rs lists every migration \
         file once, in the order of their numbers, each named after its file"
    );
}

// ---- databases ----

fn backend_is_postgres() -> bool {
    std::env::var("HOITHI_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// A fresh empty database; the SQLite file lives as long as the returned folder.
async fn fresh_db() -> (Db, Option<tempfile::TempDir>) {
    if backend_is_postgres() {
        let admin = std::env::var("HOITHI_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let name = format!("hoithi_t_{}", unique_suffix());
        let db = Db::connect(&admin)
            .await
            .expect("PostgreSQL for tests is reachable");
        db.conn
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        db.conn.close().await.expect("close the admin connection");
        let base = admin
            .rsplit_once('/')
            .map(|(b, _)| b.to_string())
            .unwrap_or(admin);
        (Db::connect(&format!("{base}/{name}")).await.unwrap(), None)
    } else {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = hoithi_storage::db::default_url(dir.path());
        (Db::connect(&url).await.unwrap(), Some(dir))
    }
}

fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};
    static N: AtomicU32 = AtomicU32::new(0);
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{t:x}{:x}{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

async fn query_i64(db: &Db, sql: &str) -> i64 {
    let row = db
        .conn
        .query_one_raw(Statement::from_string(db.db_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn query_strings(db: &Db, sql: &str) -> Vec<String> {
    let rows = db
        .conn
        .query_all_raw(Statement::from_string(db.db_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

/// The participation counters, one line per row, sorted: comparable across backends.
async fn counters(db: &Db) -> Vec<String> {
    let mut rows = query_strings(
        db,
        "SELECT CAST(contest_id AS TEXT) || ' ' || unit_path || ' ' || dim || ' ' || k || ' ' \
         || CAST(entries AS TEXT) || ' ' || CAST(authors AS TEXT) FROM participation \
         WHERE entries <> 0 OR authors <> 0",
    )
    .await;
    rows.extend(
        query_strings(
            db,
            "SELECT 'author ' || CAST(contest_id AS TEXT) || ' ' || unit_path || ' ' || dim \
             || ' ' || k || ' ' || author_key || ' ' || CAST(n AS TEXT) \
             FROM participation_authors WHERE n <> 0",
        )
        .await,
    );
    rows.sort();
    rows
}

/// What `repo::participation::rebuild` computes from the entries as they are now.
async fn counters_recomputed(db: &Db) -> Vec<String> {
    let txn = db.conn.begin().await.unwrap();
    participation::rebuild(&txn, None).await.unwrap();
    txn.commit().await.unwrap();
    counters(db).await
}

// ---- the upgrade test ----

/// The demo at the schema before the newest migration, written by
/// `cargo test -p hoithi-web --test migration_fixture -- --ignored`.
const FIXTURE: &str = include_str!("fixtures/demo.sql");

fn fixture_schema() -> &'static str {
    FIXTURE
        .lines()
        .find_map(|l| l.strip_prefix("-- schema: "))
        .expect("the fixture names its schema on a `-- schema: ` line")
        .trim()
}

fn fixture_tables() -> Vec<&'static str> {
    FIXTURE
        .lines()
        .filter_map(|l| l.strip_prefix("-- table "))
        .map(str::trim)
        .collect()
}

/// Loads the fixture's rows; on PostgreSQL, moves each id sequence past the loaded ids.
async fn load_fixture(db: &Db) {
    let txn = db.conn.begin().await.unwrap();
    txn.execute_unprepared(FIXTURE)
        .await
        .expect("the fixture loads on the schema it was written at");
    txn.commit().await.unwrap();
    if backend_is_postgres() {
        let sequenced = query_strings(
            db,
            "SELECT table_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name = 'id' \
             AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')",
        )
        .await;
        for table in fixture_tables()
            .into_iter()
            .filter(|t| sequenced.iter().any(|s| s == t))
        {
            db.conn
                .execute_unprepared(&format!(
                    "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id')::regclass, MAX(id)) \
                     FROM \"{table}\" HAVING MAX(id) IS NOT NULL"
                ))
                .await
                .unwrap();
        }
    }
}

async fn row_counts(db: &Db) -> BTreeMap<&'static str, i64> {
    let mut out = BTreeMap::new();
    for table in fixture_tables() {
        out.insert(
            table,
            query_i64(db, &format!("SELECT COUNT(*) FROM \"{table}\"")).await,
        );
    }
    out
}

#[tokio::test]
async fn newest_migration_upgrades_a_database_filled_with_the_demo() {
    let names = migration_names();
    let newest = names.len();
    // The fixture holds the demo at an earlier schema (the one before the newest migration
    // when it was written); every migration after it runs over it, as an upgrade from an
    // older release does.
    let at = names
        .iter()
        .position(|n| *n == fixture_schema())
        .expect("crates/storage/tests/fixtures/demo.sql names a known schema");
    assert!(
        at + 1 < newest,
        "crates/storage/tests/fixtures/demo.sql must hold the demo at a schema before the \
         newest migration ({}): on the commit before your new migration (stash it, or use a git \
         worktree), run `cargo test -p hoithi-web --test migration_fixture -- --ignored` and \
         keep the file it writes (docs/CONVENTIONS.md)",
        names[newest - 1]
    );
    let (db, _dir) = fresh_db().await;
    let started = Instant::now();
    Migrator::up(&db.conn, Some((at + 1) as u32)).await.unwrap();
    load_fixture(&db).await;
    let loaded = started.elapsed();

    // What the data says before the upgrade, read with plain SQL.
    let counts = row_counts(&db).await;
    for table in [
        "units",
        "users",
        "contests",
        "entries",
        "rounds",
        "certificates",
    ] {
        assert!(counts[table] > 0, "the fixture has rows in {table}");
    }
    let kept = counters(&db).await;
    assert!(!kept.is_empty());
    let contest_id = query_i64(
        &db,
        "SELECT id FROM contests WHERE slug = 'chinh-luan-2026'",
    )
    .await;
    let entry_title = query_strings(
        &db,
        "SELECT title FROM entries WHERE receipt_code = 'HT-DEMO-0001'",
    )
    .await;
    let author = query_strings(
        &db,
        "SELECT a.full_name FROM entry_authors a JOIN entries e ON e.id = a.entry_id \
         WHERE e.receipt_code = 'HT-DEMO-0001'",
    )
    .await;
    let genres = query_i64(
        &db,
        &format!("SELECT COUNT(*) FROM genres WHERE contest_id = {contest_id}"),
    )
    .await;
    let live = query_i64(
        &db,
        &format!(
            "SELECT COUNT(*) FROM entries WHERE contest_id = {contest_id} AND status <> 'withdrawn'"
        ),
    )
    .await;
    let certificate = query_strings(&db, "SELECT code FROM certificates ORDER BY id").await;
    let recipient = query_strings(&db, "SELECT recipient FROM certificates ORDER BY id").await;

    let started = Instant::now();
    Migrator::up(&db.conn, None)
        .await
        .expect("the newest migration runs on the demo");
    let upgraded = started.elapsed();
    eprintln!(
        "{}: schema {} and demo fixture in {loaded:?}, {} in {upgraded:?}",
        if backend_is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        fixture_schema(),
        names[newest - 1]
    );

    // Every row is still there and the counters did not move.
    assert_eq!(row_counts(&db).await, counts, "row counts per table");
    assert_eq!(counters(&db).await, kept, "participation counters");

    // A few rows read through today's repositories.
    let contest = contests::by_slug(&db, "chinh-luan-2026").await.unwrap();
    assert_eq!(contest.id, contest_id);
    assert!(contest.title.contains("chính luận"), "{}", contest.title);
    assert_eq!(
        contests::genres(&db, contest.id).await.unwrap().len() as i64,
        genres
    );
    let entry = entries::by_receipt(&db, "HT-DEMO-0001").await.unwrap();
    assert_eq!(vec![entry.title.clone()], entry_title);
    let names_read: Vec<String> = entries::authors(&db, entry.id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.full_name)
        .collect();
    assert_eq!(names_read, author);
    assert!(!entries::versions(&db, entry.id).await.unwrap().is_empty());
    assert_eq!(
        entries::count_live(&db, contest.id).await.unwrap() as i64,
        live
    );
    assert_eq!(
        participation::contest_total(&db, contest.id).await.unwrap(),
        live,
        "the whole-contest total from the counters"
    );
    let commune = units::by_code(&db, "HY-THAISON").await.unwrap().unwrap();
    assert!(commune.path.depth() == 4 && commune.depth == 3);
    assert!(
        users::find_by_login(&db, "admin@hoithi.demo")
            .await
            .unwrap()
            .is_some()
    );
    let rounds = rounds::for_contest(&db, contest.id).await.unwrap();
    let kinds: Vec<&str> = rounds.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    for r in &rounds {
        assert!(!rounds::criteria(&db, r.id).await.unwrap().is_empty());
        assert!(!assignments::for_round(&db, r.id).await.unwrap().is_empty());
    }
    let prelim = rounds
        .iter()
        .find(|r| r.kind == rounds::PRELIMINARY)
        .expect("a preliminary round");
    assert!(!scores::for_round(&db, prelim.id).await.unwrap().is_empty());
    assert!(
        !awards::advancements_from(&db, prelim.id)
            .await
            .unwrap()
            .is_empty()
    );
    let cert = certificates::by_code(&db, &certificate[0])
        .await
        .unwrap()
        .expect("a certificate of the fixture");
    assert_eq!(vec![cert.recipient.clone()], recipient[..1].to_vec());
    // m0008: every certificate of the fixture is an award's, named as its subject.
    for code in &certificate {
        let c = certificates::by_code(&db, code).await.unwrap().unwrap();
        assert_eq!(c.subject_kind, certificates::AWARD);
        assert_eq!(Some(c.subject_id), c.award_id);
        assert_eq!(c.details, "{}");
    }
    // Issuing again for a subject keeps its certificate; another kind needs no award.
    let again = certificates::issue(
        &db,
        vec![certificates::NewCertificate {
            subject_kind: certificates::AWARD,
            subject_id: cert.subject_id,
            position: cert.position,
            recipient: "Tên khác".into(),
            unit_name: String::new(),
            entry_title: String::new(),
            contest_title: String::new(),
            award_name: String::new(),
            details: serde_json::json!({}),
        }],
        || "GCN-MOI0000001".into(),
    )
    .await
    .unwrap();
    assert_eq!(
        (&again[0].code, &again[0].recipient),
        (&cert.code, &cert.recipient)
    );
    let course = certificates::issue(
        &db,
        vec![certificates::NewCertificate {
            subject_kind: certificates::COURSE_COMPLETION,
            subject_id: 1,
            position: 0,
            recipient: "Hoàng Thị Lan".into(),
            unit_name: "Xã Thái Sơn".into(),
            entry_title: String::new(),
            contest_title: String::new(),
            award_name: String::new(),
            details: serde_json::json!({"course_title": "Lớp bồi dưỡng"}),
        }],
        || "GCN-MOI0000002".into(),
    )
    .await
    .unwrap();
    assert_eq!(course[0].award_id, None);
    assert!(
        course[0].id
            > query_i64(
                &db,
                "SELECT MAX(id) FROM certificates WHERE award_id IS NOT NULL"
            )
            .await
    );

    // The counters kept are what a recomputation gives, and stay so through a change.
    assert_eq!(counters_recomputed(&db).await, kept);
    entries::decide(&db, entry.id, entries::DISQUALIFIED, "kiểm tra nâng cấp")
        .await
        .unwrap();
    let after_decision = counters(&db).await;
    assert_ne!(after_decision, kept);
    assert_eq!(counters_recomputed(&db).await, after_decision);
    // New rows get fresh ids after the loaded ones.
    let u = units::create(
        &db,
        units::NewUnit {
            code: "HY-MOI".into(),
            name: "Xã mới".into(),
            name_key: "xa moi".into(),
            kind: "xa".into(),
            parent_id: Some(commune.parent_id.unwrap()),
            headcount: None,
        },
    )
    .await
    .expect("a new unit after the upgrade");
    assert!(u.id > commune.id);
}

// ---- single migrations ----

/// m0004 counts the entries that were there before it, with its own frozen SQL: a small data
/// set written at the m0003 schema, migrated to the newest, gives the counters a
/// recomputation gives, and the figures worked out by hand.
#[tokio::test]
async fn m0004_counts_the_entries_already_there() {
    let (db, _dir) = fresh_db().await;
    Migrator::up(&db.conn, Some(3)).await.unwrap();
    let t = "'2026-06-10T02:00:00+00:00'";
    // 17:30 UTC is already the next day in Vietnam.
    let late = "'2026-06-10T17:30:00+00:00'";
    let mut sql = format!(
        "INSERT INTO units (id, code, name, kind, parent_id, path, depth, headcount, name_key, \
         created_at, updated_at) VALUES \
         (1, 'H', 'Huyện', 'huyen', NULL, '/1/', 0, NULL, 'huyen', {t}, {t}), \
         (2, 'X1', 'Xã 1', 'xa', 1, '/1/2/', 1, 10, 'xa 1', {t}, {t}), \
         (3, 'X2', 'Xã 2', 'xa', 1, '/1/3/', 1, 10, 'xa 2', {t}, {t});\n\
         INSERT INTO contests (id, slug, title, description, rules, organizer_unit_id, opens_at, \
         closes_at, published, created_at, updated_at) VALUES \
         (1, 'c', 'Cuộc thi', '', '', 1, {t}, {t}, TRUE, {t}, {t});\n\
         INSERT INTO genres (id, contest_id, name, medium, min_words, max_words, max_authors, \
         max_entries_per_author, accepted_types, allowed_overlap_percent, position) VALUES \
         (1, 1, 'Báo', 'text', NULL, NULL, 2, 1, '', 25, 0), \
         (2, 1, 'Tạp chí', 'text', NULL, NULL, 2, 1, '', 20, 1);\n\
         INSERT INTO participant_groups (id, contest_id, name, position) VALUES \
         (1, 1, 'Đảng viên', 0), (2, 1, 'Nhân dân', 1);\n"
    );
    // (id, genre, unit, status, author, submitted at, group of the first author)
    let list = [
        (1, 1, 2, "submitted", "a", t, "1"),
        (2, 2, 2, "eligible", "a", late, "1"),
        (3, 1, 2, "withdrawn", "b", t, "2"),
        (4, 1, 3, "disqualified", "b", t, "2"),
        (5, 2, 3, "submitted", "a", t, "NULL"),
        (6, 2, 1, "submitted", "d", late, "2"),
    ];
    for (id, genre, unit, status, author, at, group) in list {
        let path = match unit {
            1 => "/1/",
            2 => "/1/2/",
            _ => "/1/3/",
        };
        sql.push_str(&format!(
            "INSERT INTO entries (id, contest_id, genre_id, unit_id, unit_path, receipt_code, \
             title, title_key, pen_name, status, status_reason, word_count, body, file_sha256, \
             file_name, media_link, flags, submitter_user_id, access_token_hash, contact, \
             author_key, version, submitted_at, updated_at, withdrawn_at) VALUES \
             ({id}, 1, {genre}, {unit}, '{path}', 'R{id}', 'Bài {id}', 'bai {id}', '', \
             '{status}', '', 100, 'Nội dung', NULL, NULL, NULL, '[]', NULL, NULL, '', \
             '{author}', 1, {at}, {at}, NULL);\n\
             INSERT INTO entry_authors (id, entry_id, position, full_name, name_key, \
             birth_year, workplace, group_id, phone, email) VALUES \
             ({id}, {id}, 0, 'Tác giả {author}', '{author}', NULL, '', {group}, '', '');\n"
        ));
    }
    let txn = db.conn.begin().await.unwrap();
    txn.execute_unprepared(&sql).await.unwrap();
    txn.commit().await.unwrap();
    Migrator::up(&db.conn, None).await.unwrap();

    let kept = counters(&db).await;
    let cell = |path: &str, dim: &str, k: &str| {
        let prefix = format!("1 {path} {dim} {k} ");
        kept.iter()
            .find_map(|l| l.strip_prefix(&prefix))
            .unwrap_or("none")
            .to_string()
    };
    // Five live entries by three authors; author a, who submitted in two communes, counts
    // in both, so the district sees four.
    assert_eq!(cell("/1/", "all", ""), "5 4");
    assert_eq!(cell("/1/2/", "all", ""), "2 1");
    assert_eq!(cell("/1/3/", "all", ""), "2 2");
    assert_eq!(cell("/1/", "genre", "2"), "3 3");
    assert_eq!(cell("/1/", "group", ""), "1 1");
    assert_eq!(cell("/1/", "group", "1"), "2 1");
    assert_eq!(cell("/1/", "day", "2026-06-10"), "3 3");
    assert_eq!(cell("/1/", "day", "2026-06-11"), "2 2");
    assert_eq!(cell("/1/", "status", "submitted"), "3 3");
    assert_eq!(cell("/1/", "status", "disqualified"), "1 1");
    assert_eq!(cell("/1/", "status", "withdrawn"), "none");
    assert_eq!(counters_recomputed(&db).await, kept);
}

/// m0007 gives every database the two indexes m0004 gained after it landed, whether the
/// database ran the released m0004 or an edited one.
#[tokio::test]
async fn m0007_brings_both_kinds_of_database_to_the_same_indexes() {
    const PARTICIPATION: &str = "ix_participation_contest_id_dim_k_unit_path";
    const FLAGGED: &str = "ix_entries_flagged";
    async fn has(db: &Db, table: &str, index: &str) -> bool {
        SchemaManager::new(&db.conn)
            .has_index(table, index)
            .await
            .unwrap()
    }
    // A database that ran the released m0004 (its flagged index, not the participation one).
    let (released, _d1) = fresh_db().await;
    Migrator::up(&released.conn, Some(6)).await.unwrap();
    assert!(!has(&released, "participation", PARTICIPATION).await);
    assert!(has(&released, "entries", FLAGGED).await);
    Migrator::up(&released.conn, None).await.unwrap();
    assert!(has(&released, "participation", PARTICIPATION).await);
    assert!(has(&released, "entries", FLAGGED).await);

    // One that ran m0004 as edited in f17dfec, and one that ran it before e433886.
    for (create, drop) in [(true, false), (false, true)] {
        let (db, _d) = fresh_db().await;
        Migrator::up(&db.conn, Some(6)).await.unwrap();
        if create {
            db.conn
                .execute_unprepared(&format!(
                    "CREATE INDEX {PARTICIPATION} ON participation (contest_id, dim, k, unit_path)"
                ))
                .await
                .unwrap();
        }
        if drop {
            db.conn
                .execute_unprepared(&format!("DROP INDEX {FLAGGED}"))
                .await
                .unwrap();
        }
        Migrator::up(&db.conn, None).await.unwrap();
        assert!(has(&db, "participation", PARTICIPATION).await);
        assert!(has(&db, "entries", FLAGGED).await);
    }
    // Down goes back to the released m0004 (through the migrations after m0007, if any).
    let after_m0006 = (Migrator::migrations().len() - 6) as u32;
    Migrator::down(&released.conn, Some(after_m0006))
        .await
        .unwrap();
    assert!(!has(&released, "participation", PARTICIPATION).await);
    assert!(has(&released, "entries", FLAGGED).await);
}
