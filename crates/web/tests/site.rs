//! What the demo shows on a fresh database beyond the running contest (last year's finished
//! contest with published results and certificates that verify, sheets the demo judge has
//! submitted in the final round), the site-wide search, and the dashboard's charts.
//! Runs on SQLite, and on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use common::*;
use hoithi_storage::repo::{awards, certificates, contests, rounds, scores};

fn qs(key: &str, value: &str) -> String {
    serde_urlencoded::to_string([(key, value)]).unwrap()
}

#[tokio::test]
async fn the_demo_has_a_finished_contest_with_certificates_that_verify() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let guest = client();

    // Last year's contest: closed, its one round closed and published.
    let k = contests::by_slug(db, hoithi_web::demo::FINISHED.slug)
        .await
        .unwrap();
    assert!(k.published && k.closes_at < chrono::Utc::now());
    let list = rounds::for_contest(db, k.id).await.unwrap();
    assert_eq!(list.len(), 1);
    let round = &list[0];
    assert_eq!(round.status, rounds::CLOSED);
    assert!(round.results_published_at.is_some());

    // Its public results list awards; the contest page links them.
    let page = app.page(&guest, &format!("/cuoc-thi/{}", k.slug)).await;
    assert!(
        page.contains(&format!("/cuoc-thi/{}/ket-qua", k.slug)),
        "{page}"
    );
    let results = app
        .page(&guest, &format!("/cuoc-thi/{}/ket-qua", k.slug))
        .await;
    let list = awards::awards(db, round.id).await.unwrap();
    assert!(list.len() >= 3, "awards: {}", list.len());
    assert!(list.iter().any(|a| a.kind == awards::COLLECTIVE));
    assert!(results.contains(&list[0].tier_name), "{results}");

    // Every winner has a certificate; the public verification page confirms its code, typed
    // in lower case with spaces, and says an unknown code does not exist.
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
    let certs = certificates::of_subjects(db, certificates::AWARD, &ids)
        .await
        .unwrap();
    assert!(certs.len() >= list.len(), "{} certificates", certs.len());
    let c = &certs[0];
    let typed = format!(" {} ", c.code.to_lowercase());
    let res = guest
        .get(app.url(&format!("/xac-minh?{}", qs("ma", &typed))))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("/xac-minh/{}", c.code));
    let res = guest.get(app.url(&to)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let verified = res.text().await.unwrap();
    assert!(verified.contains(&c.recipient), "{verified}");
    assert!(verified.contains(&k.title), "{verified}");
    let res = guest
        .get(app.url("/xac-minh/GCN-KHONGCO"))
        .send()
        .await
        .unwrap();
    let body = res.text().await.unwrap();
    assert!(body.contains("Mã không tồn tại"), "{body}");

    // The running contest's final round is open, with some sheets the demo judge submitted.
    let running = contests::by_slug(db, hoithi_web::demo::CURRENT.slug)
        .await
        .unwrap();
    let fin = rounds::for_contest(db, running.id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kind == rounds::FINAL)
        .unwrap();
    assert_eq!(fin.status, rounds::OPEN);
    let judge = app.user_id("giamkhao@hoithi.demo").await;
    let sheets = scores::for_judge(db, fin.id, judge).await.unwrap();
    let submitted = sheets
        .iter()
        .filter(|s| s.status == scores::SUBMITTED)
        .count();
    assert_eq!(submitted, hoithi_web::judging::demo::SUBMITTED_BY_JUDGE);
    let mine = app.sign_in("giamkhao@hoithi.demo", "demo-giamkhao").await;
    let page = app.page(&mine, &format!("/cham-thi/{}", fin.id)).await;
    assert!(
        page.matches("Đã nộp").count() >= submitted,
        "the judge's list shows the submitted sheets: {page}"
    );
}

#[tokio::test]
async fn site_search_finds_what_the_viewer_may_see_with_or_without_diacritics() {
    let app = spawn_app().await;
    let guest = client();
    // The header of every page links the search page.
    for path in ["/", "/cuoc-thi", "/tin-tuc", "/xac-minh"] {
        let page = app.page(&guest, path).await;
        assert!(page.contains("href=\"/tim-kiem\""), "{path}");
    }
    let search = |q: &'static str| {
        let app = &app;
        let guest = guest.clone();
        async move {
            let res = guest
                .get(app.url(&format!("/tim-kiem?{}", qs("q", q))))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    // Contests and published results, typed with or without diacritics.
    for q in ["chính luận", "chinh luan"] {
        let page = search(q).await;
        assert!(
            page.contains("href=\"/cuoc-thi/chinh-luan-2026\""),
            "{q}: {page}"
        );
        assert!(
            page.contains("href=\"/cuoc-thi/chinh-luan-2025\""),
            "{q}: {page}"
        );
        assert!(
            page.contains("href=\"/cuoc-thi/chinh-luan-2025/ket-qua\""),
            "{q}: {page}"
        );
        // The running contest has no published results.
        assert!(!page.contains("chinh-luan-2026/ket-qua"), "{q}: {page}");
    }
    // A winner's name finds the published results.
    let k = contests::by_slug(&app.state.db, hoithi_web::demo::FINISHED.slug)
        .await
        .unwrap();
    let round = rounds::for_contest(&app.state.db, k.id).await.unwrap()[0].id;
    let a = awards::awards(&app.state.db, round)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.entry_id.is_some())
        .unwrap();
    let title = rounds::entry_brief(&app.state.db, a.entry_id.unwrap())
        .await
        .unwrap()
        .title;
    let res = guest
        .get(app.url(&format!("/tim-kiem?{}", qs("q", &title))))
        .send()
        .await
        .unwrap();
    let page = res.text().await.unwrap();
    assert!(page.contains("chinh-luan-2025/ket-qua"), "{title}: {page}");
    // Courses and news posts.
    let page = search("lop boi duong").await;
    assert!(page.contains("href=\"/khoa-hoc/"), "{page}");
    assert!(page.contains("href=\"/tin/"), "{page}");
    // An exact title comes first, typed with or without its diacritics, though other posts,
    // courses and contests share its words ("Huyện ủy", "Hàm Yên", "tuyên giáo").
    let title = "Huyện ủy Hàm Yên sơ kết công tác tuyên giáo 9 tháng";
    let post = {
        use hoithi_storage::entity::news::post;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        post::Entity::find()
            .filter(post::Column::Title.eq(title))
            .one(&app.state.db.conn)
            .await
            .unwrap()
            .expect("the demo post")
    };
    for q in [title, "huyen uy ham yen so ket cong tac tuyen giao 9 thang"] {
        let page = search(q).await;
        let hits = page
            .split("<ol class=\"hits\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{q}: no hits: {page}"));
        let first = hits.split("</li>").next().unwrap();
        assert!(
            first.contains(&format!("href=\"/tin/{}\"", post.slug)),
            "{q}: {hits}"
        );
    }
    // Entries are never found here, not even their receipt codes.
    let page = search("HT-DEMO-0001").await;
    assert!(page.contains("Không tìm thấy"), "{page}");
    // An empty query shows the form only.
    let page = search("").await;
    assert!(page.contains("role=\"search\"") && !page.contains("Không tìm thấy"));
}

#[tokio::test]
async fn the_dashboard_draws_its_charts_on_the_server() {
    let app = spawn_app().await;
    let org = app.sign_in("bantochuc@hoithi.demo", "demo-bantochuc").await;
    let page = app.page(&org, "/cuoc-thi/chinh-luan-2026/thong-ke").await;
    let svgs = page.matches("<svg").count();
    assert_eq!(svgs, 2, "{page}");
    assert!(page.contains("Số bài nhận theo ngày"), "{page}");
    assert!(page.contains("Tỷ lệ tham gia theo đơn vị"), "{page}");
    // Participation by unit against headcount, with a decimal comma and a percent sign.
    assert!(page.contains("Xã Thái Sơn"), "{page}");
    assert!(page.contains('%'));
    // Drawn in the page's HTML, no script in or for them.
    for fig in page.split("<figure class=\"chart\">").skip(1) {
        let fig = fig.split("</figure>").next().unwrap();
        assert!(fig.starts_with("<svg") && !fig.contains("<script"), "{fig}");
    }
    let en = app
        .page(&org, "/cuoc-thi/chinh-luan-2026/thong-ke?lang=en")
        .await;
    assert!(en.contains("Entries received per day"), "{en}");
}

/// A workbook's sheet and its styles (the number formats it declares).
async fn workbook(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
) -> (calamine::Xlsx<std::io::Cursor<Vec<u8>>>, String) {
    let res = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut z.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    (
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap(),
        styles,
    )
}

fn float(d: &calamine::Data) -> Option<f64> {
    match d {
        calamine::Data::Float(x) => Some(*x),
        calamine::Data::Int(x) => Some(*x as f64),
        _ => None,
    }
}

#[tokio::test]
async fn xlsx_exports_store_numbers_as_numbers_with_a_number_format() {
    use calamine::Reader;
    let app = spawn_app().await;
    let db = &app.state.db;
    let org = app.sign_in("bantochuc@hoithi.demo", "demo-bantochuc").await;

    // The dashboard: counts, headcount and the participation rate are numbers.
    let (mut wb, styles) = workbook(&app, &org, "/cuoc-thi/chinh-luan-2026/thong-ke.xlsx").await;
    let sheet = wb.worksheet_range("Theo đơn vị").unwrap();
    let row = sheet
        .rows()
        .find(|r| r[0] == "Xã Thái Sơn")
        .expect("Thái Sơn's row");
    assert_eq!(float(&row[3]), Some(1320.0), "headcount: {row:?}");
    let rate = float(&row[4]).expect("the rate is a number");
    assert!(
        (0.0..=1.0).contains(&rate),
        "a share shown as a percentage: {rate}"
    );
    assert!(
        float(&row[1]).is_some() && float(&row[2]).is_some(),
        "{row:?}"
    );
    assert!(styles.contains("0.0%"), "{styles}");
    assert!(
        styles.contains("numFmtId=\"3\"") || styles.contains("#,##0"),
        "{styles}"
    );

    // The results of last year's round: ranks, scores and points are numbers.
    let k = contests::by_slug(db, hoithi_web::demo::FINISHED.slug)
        .await
        .unwrap();
    let round = rounds::for_contest(db, k.id).await.unwrap()[0].id;
    let (mut wb, styles) = workbook(&app, &org, &format!("/vong/{round}/ket-qua.xlsx")).await;
    let ranking = wb.worksheet_range("Xếp hạng").unwrap();
    let first = ranking.rows().nth(1).expect("a ranked entry");
    assert_eq!(float(&first[0]), Some(1.0), "{first:?}");
    assert!(float(&first[6]).is_some_and(|s| s > 0.0), "{first:?}");
    let sheets = wb.worksheet_range("Phiếu chấm").unwrap();
    assert!(sheets.rows().skip(1).all(|r| float(&r[3]).is_some()));
    assert!(
        styles.contains("numFmtId=\"4\"") || styles.contains("#,##0.00"),
        "{styles}"
    );

    // The course's attendance: the share attended is a number shown as a percentage.
    let slug = hoithi_web::courses::demo::SLUG;
    let (mut wb, styles) = workbook(&app, &org, &format!("/khoa-hoc/{slug}/chuyen-can.xlsx")).await;
    let name = wb.sheet_names()[0].clone();
    let sheet = wb.worksheet_range(&name).unwrap();
    let width = sheet.rows().next().unwrap().len();
    for r in sheet.rows().skip(1) {
        let share = float(&r[width - 2]).expect("the share is a number");
        assert!((0.0..=1.0).contains(&share), "{r:?}");
    }
    assert!(styles.contains("0.0%"), "{styles}");
}

#[tokio::test]
async fn a_full_recheck_shows_its_progress_on_a_page_that_refreshes_itself() {
    let app = spawn_app().await;
    let org = app.sign_in("bantochuc@hoithi.demo", "demo-bantochuc").await;
    let progress = "/cuoc-thi/chinh-luan-2026/kiem-tra-lai/tien-do";
    // Before any re-check: nothing runs, nothing refreshes.
    let page = app.page(&org, progress).await;
    assert!(page.contains("Chưa có lần kiểm tra lại"), "{page}");
    assert!(!page.contains("http-equiv=\"refresh\""), "{page}");
    // The screening page, where the re-check starts, links the progress page.
    let screening = app.page(&org, "/cuoc-thi/chinh-luan-2026/bai").await;
    assert!(
        screening.contains(&format!("href=\"{progress}\"")),
        "{screening}"
    );
    // Starting a re-check leads to its progress: done / total, a bar, a refresh without
    // JavaScript while it runs.
    let csrf = app.session_csrf(&org).await;
    let res = org
        .post(app.url("/cuoc-thi/chinh-luan-2026/kiem-tra-lai"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], progress);
    let page = app.page(&org, progress).await;
    assert!(page.contains("/ 240</strong>"), "{page}");
    assert!(page.contains("<progress"), "{page}");
    let done: u32 = page
        .split("<strong>")
        .nth(1)
        .and_then(|p| p.split(" / ").next())
        .and_then(|n| n.replace('.', "").parse().ok())
        .expect("done / total");
    if done < 240 {
        assert!(page.contains("http-equiv=\"refresh\""), "{page}");
    }
    // Checks that gave up leave entries unchecked: with nothing left queued the page stops
    // refreshing and says how many, with the button to try again. (The queue's waiting
    // checks are failed here, as if each had used up its attempts.)
    app.expect_failed_jobs();
    {
        use hoithi_storage::entity::job;
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        job::Entity::update_many()
            .col_expr(job::Column::Status, Expr::value("failed"))
            .filter(job::Column::Kind.eq("integrity_check"))
            .filter(job::Column::Status.eq("pending"))
            .exec(&app.state.db.conn)
            .await
            .unwrap();
    }
    app.wait_for_jobs(Some("integrity_check")).await;
    let page = app.page(&org, progress).await;
    let done: i64 = page
        .split("<strong>")
        .nth(1)
        .and_then(|p| p.split(" / ").next())
        .and_then(|n| n.replace('.', "").parse().ok())
        .expect("done / total");
    if done < 240 {
        assert!(
            page.contains(&format!("{} bài chưa kiểm tra được", 240 - done)),
            "{page}"
        );
    } else {
        assert!(page.contains("Đã kiểm tra xong"), "{page}");
    }
    assert!(!page.contains("http-equiv=\"refresh\""), "{page}");
    assert!(
        page.contains("action=\"/cuoc-thi/chinh-luan-2026/kiem-tra-lai\""),
        "{page}"
    );
    // Only those who manage the contest see it.
    let judge = app.sign_in("giamkhao@hoithi.demo", "demo-giamkhao").await;
    let res = judge.get(app.url(progress)).send().await.unwrap();
    assert_eq!(res.status(), 403);
    // The time left comes from the pace so far.
    use hoithi_web::i18n::Lang;
    use hoithi_web::integrity::pages::time_left;
    assert_eq!(time_left(Lang::Vi, 60, 10, 40), "Còn khoảng 3 phút");
    assert_eq!(time_left(Lang::En, 30, 10, 20), "About 1 min left");
    assert_eq!(time_left(Lang::Vi, 60, 0, 40), "");
    assert_eq!(time_left(Lang::Vi, 60, 40, 40), "");
}

#[tokio::test]
async fn the_entry_list_is_exported_in_the_background_with_its_progress_and_scope() {
    let app = spawn_app().await;
    let org = app.sign_in("bantochuc@hoithi.demo", "demo-bantochuc").await;
    let page_path = "/cuoc-thi/chinh-luan-2026/xuat";
    // Reached from the screening list; nothing exported yet.
    let screening = app.page(&org, "/cuoc-thi/chinh-luan-2026/bai").await;
    assert!(screening.contains(&format!("href=\"{page_path}\"")));
    let page = app.page(&org, page_path).await;
    assert!(page.contains("chưa xuất danh sách nào"), "{page}");
    // Asking for it leads to its progress (a reload of that page starts nothing).
    let csrf = app.session_csrf(&org).await;
    let start = |c: reqwest::Client, csrf: String| {
        let url = app.url(page_path);
        async move {
            c.post(url)
                .form(&[("csrf", csrf.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let res = start(org.clone(), csrf.clone()).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], page_path);
    let count = || async {
        use hoithi_storage::entity::export;
        use sea_orm::{EntityTrait, PaginatorTrait};
        export::Entity::find()
            .count(&app.state.db.conn)
            .await
            .unwrap()
    };
    let first = {
        use hoithi_storage::entity::export;
        use sea_orm::EntityTrait;
        export::Entity::find()
            .one(&app.state.db.conn)
            .await
            .unwrap()
            .expect("the export asked for")
    };
    if first.status != hoithi_storage::status::ExportStatus::Done {
        // While it runs, a second click leads to the same export.
        start(org.clone(), csrf.clone()).await;
        assert_eq!(count().await, 1);
    }
    app.wait_for_jobs(Some("entry_export")).await;
    let page = app.page(&org, page_path).await;
    assert!(page.contains("240 / 240</strong>"), "{page}");
    assert!(page.contains("Tệp đã sẵn sàng"), "{page}");
    assert!(!page.contains("http-equiv=\"refresh\""), "{page}");
    // The file: a row per live entry, as Excel reads it — dates and words are numbers.
    use calamine::Reader;
    let (mut wb, styles) = workbook(&app, &org, &format!("{page_path}/tai-ve")).await;
    let sheet = wb.worksheet_range("Bài dự thi").unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows.len(), 241);
    assert_eq!(rows[0][1].to_string(), "Mã bài");
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[1].to_string().starts_with("HT-"))
    );
    assert!(
        rows[1..]
            .iter()
            .all(|r| float(&r[7]).is_some_and(|w| w > 0.0))
    );
    // A date with its number format reads back as a date: a day count since 1899, not text.
    assert!(rows[1..].iter().all(|r| match &r[8] {
        calamine::Data::DateTime(d) => d.as_f64() > 45_000.0,
        other => float(other).is_some_and(|d| d > 45_000.0),
    }));
    assert!(styles.contains("dd/mm/yyyy hh:mm"), "{styles}");
    let own_units: std::collections::HashSet<String> =
        rows[1..].iter().map(|r| r[5].to_string()).collect();
    assert!(own_units.len() > 1, "{own_units:?}");

    // A commune's coordinator exports their own commune's entries only.
    let commune = app.sign_in("thaison@hoithi.demo", "demo-thaison").await;
    let csrf = app.session_csrf(&commune).await;
    assert_eq!(start(commune.clone(), csrf).await.status(), 303);
    app.wait_for_jobs(Some("entry_export")).await;
    let (mut wb, _) = workbook(&app, &commune, &format!("{page_path}/tai-ve")).await;
    let sheet = wb.worksheet_range("Bài dự thi").unwrap();
    let theirs: Vec<_> = sheet.rows().skip(1).collect();
    assert!(!theirs.is_empty() && theirs.len() < 240, "{}", theirs.len());
    assert!(
        theirs.iter().all(|r| r[5].to_string().contains("Thái Sơn")),
        "{theirs:?}"
    );
    // Each one sees only their own exports: the organizer's file is still the organizer's.
    let (mut wb, _) = workbook(&app, &org, &format!("{page_path}/tai-ve")).await;
    assert_eq!(
        wb.worksheet_range("Bài dự thi").unwrap().rows().count(),
        241
    );

    // A judge may not export; a signed-out visitor is sent to sign in.
    let judge = app.sign_in("giamkhao@hoithi.demo", "demo-giamkhao").await;
    assert_eq!(
        judge.get(app.url(page_path)).send().await.unwrap().status(),
        403
    );
    let res = client()
        .get(app.url(&format!("{page_path}/tai-ve")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}
