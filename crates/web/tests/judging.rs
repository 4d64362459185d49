//! Judging over HTTP: the whole flow with the demo (automatic assignment of the final round,
//! blind scoring, normalization, a tie broken by the published rule, awards, publication, a
//! certificate that verifies), blindness on every route a judge can reach, and bad input that
//! changes nothing. Runs on SQLite, and on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use std::collections::{BTreeSet, HashMap};

use common::submissions::receipt_after;
use common::*;
use hoithi_storage::repo::{assignments, entries, rounds, scores};

const SLUG: &str = "chinh-luan-2026";
const ORGANIZER: (&str, &str) = ("bantochuc@hoithi.demo", "demo-bantochuc");
const JUDGE: (&str, &str) = ("giamkhao@hoithi.demo", "demo-giamkhao");
const JUDGE_PASSWORD: &str = "demo-giamkhao";

async fn round_ids(app: &TestApp) -> (i64, i64) {
    let k = hoithi_storage::repo::contests::by_slug(&app.state.db, SLUG)
        .await
        .unwrap();
    let list = rounds::for_contest(&app.state.db, k.id).await.unwrap();
    let prelim = list.iter().find(|r| r.kind == rounds::PRELIMINARY).unwrap();
    let fin = list.iter().find(|r| r.kind == rounds::FINAL).unwrap();
    (prelim.id, fin.id)
}

/// Published (not recused) pairs of a round: entry id → judges.
async fn judges_by_entry(app: &TestApp, round: i64) -> HashMap<i64, BTreeSet<i64>> {
    let mut out: HashMap<i64, BTreeSet<i64>> = HashMap::new();
    for a in assignments::for_round(&app.state.db, round).await.unwrap() {
        if a.status == assignments::PUBLISHED {
            out.entry(a.entry_id).or_default().insert(a.user_id);
        }
    }
    out
}

async fn post_form(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let token = app.session_csrf(c).await;
    let mut form: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    let res = c.post(app.url(path)).form(&form).send().await.unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, location, res.text().await.unwrap())
}

/// The criteria maxima of the default rubric.
const MAX: [f64; 6] = [20.0, 15.0, 15.0, 15.0, 20.0, 15.0];

/// Points for the `i`-th entry: totals 30 + 1.5·i, all distinct, exact in binary, and room
/// below every maximum for the tie pair's shift and the lenient judge's extra point.
fn base_points(i: usize) -> [f64; 6] {
    let mut p = [0.0; 6];
    for (c, m) in MAX.iter().enumerate() {
        p[c] = m * 0.3 + i as f64 * 0.25;
    }
    p
}

fn fmt(p: f64) -> String {
    // The Vietnamese decimal comma, as judges type it.
    format!("{p}").replace('.', ",")
}

async fn score(
    app: &TestApp,
    judge: &reqwest::Client,
    round: i64,
    code: &str,
    points: &[f64],
    action: &str,
) -> (u16, String, String) {
    let values: Vec<String> = points.iter().map(|p| fmt(*p)).collect();
    let mut fields: Vec<(String, String)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("p{i}"), v.clone()))
        .collect();
    fields.push(("comment".into(), "Bài viết có lập luận chặt chẽ.".into()));
    fields.push(("action".into(), action.into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post_form(app, judge, &format!("/cham-thi/{round}/{code}"), &refs).await
}

/// The selected option of each `award_<id>` select on the awards page.
fn selected_awards(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in html.split("<select name=\"award_").skip(1) {
        let id = part.split('"').next().unwrap().to_string();
        let select = part.split("</select>").next().unwrap();
        if let Some(opt) = select.split("<option value=\"").skip(1).find(|o| {
            o.split('>')
                .next()
                .is_some_and(|head| head.contains("selected"))
        }) {
            let v = opt.split('"').next().unwrap().to_string();
            if !v.is_empty() {
                out.push((format!("award_{id}"), v));
            }
        }
    }
    out
}

/// The demo's judge has already submitted a few sheets of the final round (the demo shows
/// judging under way); these tests start from a final round nobody has scored yet.
async fn without_demo_sheets(app: &TestApp, round: i64) {
    use hoithi_storage::entity::score;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    score::Entity::delete_many()
        .filter(score::Column::RoundId.eq(round))
        .exec(&app.state.db.conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn done_means_flow_assign_score_blind_normalize_tie_award_publish_verify() {
    let app = spawn_app().await;
    let (_, fin) = round_ids(&app).await;
    without_demo_sheets(&app, fin).await;
    let org = app.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let judge = app.sign_in(JUDGE.0, JUDGE.1).await;

    // The demo's final round is open with a published assignment nobody has scored yet:
    // the organizer undoes it as one step and assigns again automatically.
    let page = app.page(&org, &format!("/vong/{fin}")).await;
    assert!(
        page.contains("Vòng chung khảo") && page.contains("Đang chấm"),
        "{page}"
    );
    let batches = assignments::batches(&app.state.db, fin).await.unwrap();
    let published = batches
        .iter()
        .find(|b| b.status == assignments::PUBLISHED)
        .unwrap();
    let (status, location, _) = post_form(
        &app,
        &org,
        &format!("/vong/{fin}/phan-cong/dot/{}/hoan-tac", published.id),
        &[],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/vong/{fin}/phan-cong?ok=hoan-tac").as_str())
    );
    assert!(
        judges_by_entry(&app, fin).await.is_empty(),
        "the whole batch is gone"
    );
    let (status, location, body) =
        post_form(&app, &org, &format!("/vong/{fin}/phan-cong/tu-dong"), &[]).await;
    assert_eq!(status, 303, "{body}");
    assert!(location.starts_with(&format!("/vong/{fin}/phan-cong/dot/")));
    let preview = app.page(&org, &location).await;
    assert!(preview.contains("Xem trước") && preview.contains("Công bố phân công"));
    // A preview is invisible to judges.
    let mine = app.page(&judge, &format!("/cham-thi/{fin}")).await;
    assert!(mine.contains("Chưa có bài nào được giao"), "{mine}");
    let (status, _, _) = post_form(&app, &org, &format!("{location}/cong-bo"), &[]).await;
    assert_eq!(status, 303);

    // Every entry has 3 judges, within caps, never from the entry's unit.
    let pairs = judges_by_entry(&app, fin).await;
    let final_entries = rounds::entries(&app.state.db, fin).await.unwrap();
    assert!(
        final_entries.len() >= 10,
        "advanced entries: {}",
        final_entries.len()
    );
    assert_eq!(pairs.len(), final_entries.len());
    let judges_list = rounds::judges(&app.state.db, fin).await.unwrap();
    let mut load: HashMap<i64, usize> = HashMap::new();
    for e in &final_entries {
        let set = &pairs[&e.id];
        assert_eq!(set.len(), 3, "entry {}", e.receipt_code);
        for j in set {
            *load.entry(*j).or_default() += 1;
            let u = hoithi_storage::repo::users::get(&app.state.db, *j)
                .await
                .unwrap();
            assert_ne!(
                u.unit_id,
                Some(e.unit_id),
                "same-unit conflict for {}",
                e.receipt_code
            );
        }
    }
    for j in &judges_list {
        assert!(load.get(&j.user_id).copied().unwrap_or(0) <= j.capacity as usize);
    }
    let (lo, hi) = (
        load.values().min().copied().unwrap(),
        load.values().max().copied().unwrap(),
    );
    assert!(hi - lo <= 2, "loads balanced: {load:?}");

    // Entries in a fixed order; the tie pair A, B share their judges.
    let mut order: Vec<&rounds::EntryBrief> = final_entries.iter().collect();
    order.sort_by_key(|e| e.id);
    let index: HashMap<i64, usize> = order.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let (a, b) = {
        let mut found = None;
        'outer: for (x, ex) in order.iter().enumerate() {
            for ey in order.iter().skip(x + 1) {
                if pairs[&ex.id] == pairs[&ey.id] {
                    found = Some((ex.id, ey.id));
                    break 'outer;
                }
            }
        }
        found.expect("two entries with the same three judges")
    };
    let codes = rounds::codes_for(
        &app.state.db,
        &order.iter().map(|e| e.id).collect::<Vec<_>>(),
    )
    .await
    .unwrap();
    let points_for = |entry: i64, lenient: bool| -> [f64; 6] {
        let mut p = base_points(index[&if entry == b { a } else { entry }]);
        if entry == b {
            // Same total as A, less on the first criterion (sharpness).
            p[0] -= 1.0;
            p[1] += 1.0;
        }
        if lenient {
            for (c, m) in MAX.iter().enumerate() {
                p[c] = (p[c] + 1.0).min(*m);
            }
        }
        p
    };
    // The lenient judge: the first of the others (Đỗ Văn Nam).
    let lenient_id = app.user_id("giamkhao2@hoithi.demo").await;
    let mut logins: HashMap<i64, String> = HashMap::new();
    for j in &judges_list {
        let u = hoithi_storage::repo::users::get(&app.state.db, j.user_id)
            .await
            .unwrap();
        logins.insert(j.user_id, u.email.unwrap());
    }
    let mut clients: HashMap<i64, reqwest::Client> = HashMap::new();
    for (id, login) in &logins {
        clients.insert(*id, app.sign_in(login, JUDGE_PASSWORD).await);
    }
    // The demo judge sees their entries by anonymous code only.
    let demo_judge = app.user_id(JUDGE.0).await;
    let list = app.page(&judge, &format!("/cham-thi/{fin}")).await;
    for (e, set) in &pairs {
        if set.contains(&demo_judge) {
            assert!(list.contains(&codes[e]), "judge sees {}", codes[e]);
        }
    }
    assert!(!list.contains("HT-"), "no receipt code on the judge's list");
    // A draft first, then everything submitted.
    let first = pairs
        .iter()
        .find(|(_, s)| s.contains(&demo_judge))
        .unwrap()
        .0;
    let (status, location, _) = score(
        &app,
        &judge,
        fin,
        &codes[first],
        &points_for(*first, false)[..3],
        "draft",
    )
    .await;
    assert_eq!(status, 303);
    assert!(location.ends_with("ok=nhap"));
    let s = scores::find(&app.state.db, fin, *first, demo_judge)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.status, scores::DRAFT);
    for (e, set) in &pairs {
        for j in set {
            let p = points_for(*e, *j == lenient_id);
            let (status, location, body) =
                score(&app, &clients[j], fin, &codes[e], &p, "submit").await;
            assert_eq!(status, 303, "{body}");
            assert!(location.ends_with("ok=nop"));
        }
    }
    // One judge changes their mind about an entry: the organizer reopens the sheet; every
    // change is in the audit log with before and after.
    let sheet = scores::find(&app.state.db, fin, *first, demo_judge)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sheet.status, scores::SUBMITTED);
    let (status, _, _) = score(
        &app,
        &judge,
        fin,
        &codes[first],
        &points_for(*first, false),
        "submit",
    )
    .await;
    assert_eq!(
        status, 422,
        "a submitted sheet changes only after reopening"
    );
    let (status, _, body) = post_form(
        &app,
        &org,
        &format!("/vong/{fin}/phieu/{}/mo-lai", sheet.id),
        &[("reason", "Giám khảo đề nghị sửa")],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, _) = score(
        &app,
        &judge,
        fin,
        &codes[first],
        &points_for(*first, false),
        "submit",
    )
    .await;
    assert_eq!(status, 303);
    let log = hoithi_storage::repo::audit::for_resource(&app.state.db.conn, "score", sheet.id)
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|l| l.action.as_str()).collect();
    assert_eq!(
        actions,
        ["score.save", "score.submit", "score.reopen", "score.submit"]
    );
    let reopen: serde_json::Value = serde_json::from_str(&log[2].detail).unwrap();
    assert_eq!(reopen["before"]["status"], "submitted");
    assert_eq!(reopen["after"]["status"], "draft");
    assert_eq!(log[2].actor_id, Some(app.user_id(ORGANIZER.0).await));
    let history = app.page(&org, &format!("/vong/{fin}/bai/{first}")).await;
    assert!(
        history.contains("mở lại") && history.contains("nộp"),
        "{history}"
    );

    // Close, then look at the results: A and B tie on the mean; sharpness decides.
    let (status, _, _) = post_form(
        &app,
        &org,
        &format!("/vong/{fin}/trang-thai"),
        &[("status", "closed")],
    )
    .await;
    assert_eq!(status, 303);
    let results = |normalized: bool| {
        let org = org.clone();
        let url = app.url(&format!("/api/v1/rounds/{fin}/results"));
        async move {
            let v: serde_json::Value = org.get(url).send().await.unwrap().json().await.unwrap();
            assert_eq!(v["normalized"], normalized);
            v
        }
    };
    let raw = results(false).await;
    let rank_of = |v: &serde_json::Value, id: i64| -> (u64, f64, String) {
        let r = v["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["entry_id"] == id)
            .unwrap();
        (
            r["rank"].as_u64().unwrap(),
            r["score"].as_f64().unwrap(),
            r["decided"].as_str().unwrap().to_string(),
        )
    };
    let (ra, sa, da) = rank_of(&raw, a);
    let (rb, sb, _) = rank_of(&raw, b);
    assert!((sa - sb).abs() < 1e-9, "A and B tie on the mean: {sa} {sb}");
    assert_eq!(rb, ra + 1, "A first by the published rule");
    assert!(da.contains("Tính sắc bén"), "{da}");
    assert!(
        raw["tie_break_text"]
            .as_str()
            .unwrap()
            .contains("«Tính sắc bén»")
    );
    // The organizer normalizes: the lenient judge's extra points no longer count.
    let (status, _, body) = post_form(
        &app,
        &org,
        &format!("/vong/{fin}"),
        &[
            ("name", "Vòng chung khảo"),
            ("judges_per_entry", "3"),
            ("dispute_margin", "15"),
            ("normalize", "1"),
            ("tie1", "criterion:0"),
            ("tie2", "median"),
            ("tie3", "earlier"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let norm = results(true).await;
    let (ra, sa, da) = rank_of(&norm, a);
    let (rb, sb, _) = rank_of(&norm, b);
    assert!((sa - sb).abs() < 1e-6 && rb == ra + 1 && da.contains("Tính sắc bén"));
    let changed = norm["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| (r["score"].as_f64().unwrap() - r["raw_mean"].as_f64().unwrap()).abs() > 1e-6)
        .count();
    assert!(changed > 0, "normalization changes scores");
    let page = app.page(&org, &format!("/vong/{fin}/ket-qua")).await;
    assert!(page.contains("đã chuẩn hóa") && page.contains("đồng điểm, tách bằng"));

    // Awards: the suggestion from the ranking, confirmed, plus a collective award.
    let awards_page = app.page(&org, &format!("/vong/{fin}/giai")).await;
    let chosen = selected_awards(&awards_page);
    assert!(!chosen.is_empty(), "suggested awards are preselected");
    let unit = awards_page
        .split("name=\"most\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let mut fields: Vec<(&str, &str)> = chosen
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("most", unit.as_str()));
    let (status, _, body) = post_form(&app, &org, &format!("/vong/{fin}/giai"), &fields).await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = post_form(&app, &org, &format!("/vong/{fin}/cong-bo"), &[]).await;
    assert_eq!(status, 303, "{body}");
    let awards_page = app.page(&org, &format!("/vong/{fin}/giai")).await;
    let code = awards_page
        .split("/xac-minh/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    assert!(code.starts_with("GCN-"), "{code}");
    // The Excel export has the three sheets.
    let bytes = org
        .get(app.url(&format!("/vong/{fin}/ket-qua.xlsx")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    {
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let ranking = wb.worksheet_range("Xếp hạng").unwrap();
        assert!(ranking.rows().count() > final_entries.len());
        let sheets = wb.worksheet_range("Phiếu chấm").unwrap();
        assert!(sheets.rows().count() > pairs.len() * 3);
        assert!(wb.worksheet_range("Giải").unwrap().rows().count() > 1);
    }

    // Anyone: the public results page and the certificate.
    let visitor = client();
    let public = app
        .page(&visitor, &format!("/cuoc-thi/{SLUG}/ket-qua"))
        .await;
    assert!(public.contains("Vòng chung khảo") && public.contains("Tính sắc bén"));
    assert!(public.contains("Giải Đặc biệt"), "{public}");
    let res = visitor
        .get(app.url(&format!("/xac-minh/{}", code.to_lowercase())))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let verify = res.text().await.unwrap();
    assert!(
        verify.contains("hợp lệ") && verify.contains(&code),
        "{verify}"
    );
    let pdf = visitor
        .get(app.url(&format!("/xac-minh/{code}/giay-chung-nhan.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let api: serde_json::Value = visitor
        .get(app.url(&format!("/api/v1/certificates/{code}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api["valid"], true);
    let unknown = visitor
        .get(app.url("/xac-minh/GCN-KHONGCO"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.text().await.unwrap().contains("Mã không tồn tại"));
    let unknown_en = visitor
        .get(app.url("/xac-minh/gcn-khongco?lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown_en.status(), 404);
    assert!(
        unknown_en
            .text()
            .await
            .unwrap()
            .contains("This code does not exist")
    );
}

/// Every string that would identify the author of an entry.
async fn identity_strings(app: &TestApp, entry_ids: &[i64]) -> Vec<String> {
    let mut out = Vec::new();
    for id in entry_ids {
        let e = entries::get(&app.state.db, *id).await.unwrap();
        out.push(e.receipt_code.clone());
        if !e.pen_name.is_empty() {
            out.push(e.pen_name.clone());
        }
        if let Some(f) = &e.file_name {
            out.push(f.clone());
        }
        out.push(e.contact.clone());
        for a in entries::authors(&app.state.db, e.id).await.unwrap() {
            out.push(a.full_name.clone());
            if !a.phone.is_empty() {
                out.push(a.phone.clone());
            }
            if !a.email.is_empty() {
                out.push(a.email.clone());
            }
            out.push(a.workplace.clone());
        }
        let u = hoithi_storage::repo::units::get(&app.state.db, e.unit_id)
            .await
            .unwrap();
        out.push(u.name);
    }
    out.sort();
    out.dedup();
    out.retain(|s| s.chars().count() >= 4);
    out
}

fn assert_blind(what: &str, body: &str, secrets: &[String]) {
    for s in secrets {
        assert!(!body.contains(s.as_str()), "{what} shows «{s}» to a judge");
    }
}

fn docx_with_author(paragraphs: &[String], author: &str) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o).unwrap();
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#).unwrap();
        z.start_file("_rels/.rels", o).unwrap();
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#).unwrap();
        z.start_file("docProps/core.xml", o).unwrap();
        z.write_all(format!(r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy></cp:coreProperties>"#).as_bytes()).unwrap();
        z.start_file("word/document.xml", o).unwrap();
        let body: String = paragraphs
            .iter()
            .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
            .collect();
        z.write_all(format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#).as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn essay() -> Vec<String> {
    let sentence = "Người đứng đầu cấp ủy trực tiếp đối thoại với nhân dân ở thôn bản vùng cao";
    (0..30).map(|_| [sentence; 5].join(". ")).collect()
}

#[tokio::test]
async fn a_judge_never_sees_who_wrote_an_entry_on_any_route() {
    let app = spawn_app().await;
    let (prelim, fin) = round_ids(&app).await;
    let org = app.sign_in(ORGANIZER.0, ORGANIZER.1).await;

    // An entry with a file whose properties name the author, in a preliminary round at its
    // commune, assigned to the demo judge.
    let guest = client();
    let k = hoithi_storage::repo::contests::by_slug(&app.state.db, SLUG)
        .await
        .unwrap();
    let genre = hoithi_storage::repo::contests::genres(&app.state.db, k.id)
        .await
        .unwrap()[0]
        .id;
    let group = hoithi_storage::repo::contests::groups(&app.state.db, k.id)
        .await
        .unwrap()[0]
        .id;
    let thai_son = app.unit_id("HY-THAISON").await;
    let token = app.csrf(&guest).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", token)
        .text("genre_id", genre.to_string())
        .text("unit_id", thai_son.to_string())
        .text("title", "Tiếng nói từ bản Khuổi Phầy")
        .text("pen_name", "Suối Ngàn")
        .text("a0_name", "Ma Thị Hoa")
        .text("a0_birth", "1988")
        .text("a0_work", "Trường THCS Thái Sơn")
        .text("a0_group", group.to_string())
        .text("a0_phone", "0987 654 321")
        .text("a0_email", "hoa.ma@example.vn")
        .text("confirm_unpublished", "1")
        .text("confirm_not_staff", "1")
        .part(
            "file",
            reqwest::multipart::Part::bytes(docx_with_author(&essay(), "Ma Thị Hoa"))
                .file_name("bai-cua-Ma-Thi-Hoa.docx"),
        );
    let res = guest
        .post(app.url(&format!("/cuoc-thi/{SLUG}/gui-bai")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (_, html) = receipt_after(&app, &guest, res).await;
    let receipt = html
        .split("class=\"code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let entry = entries::by_receipt(&app.state.db, &receipt).await.unwrap();
    let (status, _, _) = post_form(
        &app,
        &org,
        &format!("/cuoc-thi/{SLUG}/bai/{}/so-loai", entry.id),
        &[("decision", "eligible")],
    )
    .await;
    assert_eq!(status, 303);
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let (status, location, body) = post_form(
        &app,
        &commune,
        &format!("/cuoc-thi/{SLUG}/vong"),
        &[
            ("kind", "preliminary"),
            ("unit_id", &thai_son.to_string()),
            ("name", "Sơ khảo xã Thái Sơn (bổ sung)"),
            ("judges_per_entry", "1"),
            ("dispute_margin", "10"),
            ("tie1", "criterion:0"),
        ],
    )
    .await;
    assert_eq!(
        status, 303,
        "the commune runs its own preliminary round: {body}"
    );
    let local: i64 = location
        .trim_start_matches("/vong/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let local_entries = rounds::entries(&app.state.db, local).await.unwrap();
    assert_eq!(
        local_entries.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![entry.id],
        "only the commune's entries not already in a preliminary round"
    );
    for (path, fields) in [
        (
            format!("/vong/{local}/giam-khao"),
            vec![("login", JUDGE.0), ("capacity", "5")],
        ),
        (
            format!("/vong/{local}/trang-thai"),
            vec![("status", "open")],
        ),
        (format!("/vong/{local}/phan-cong/tu-dong"), vec![]),
    ] {
        let (status, _, body) = post_form(&app, &commune, &path, &fields).await;
        assert_eq!(status, 303, "{path}: {body}");
    }
    let batch = assignments::batches(&app.state.db, local).await.unwrap()[0].id;
    let (status, _, _) = post_form(
        &app,
        &commune,
        &format!("/vong/{local}/phan-cong/dot/{batch}/cong-bo"),
        &[],
    )
    .await;
    assert_eq!(status, 303);

    // Copy checks exist for the demo judge's final-round entries.
    let demo_judge = app.user_id(JUDGE.0).await;
    let mine: Vec<i64> = assignments::for_round(&app.state.db, fin)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.user_id == demo_judge)
        .map(|a| a.entry_id)
        .collect();
    assert!(!mine.is_empty());
    for id in mine.iter().take(3) {
        hoithi_web::integrity::check_entry(&app.state, *id)
            .await
            .unwrap();
    }
    // The secrets: authors, contacts, receipt codes, units of every entry the judge can reach,
    // and of every other demo entry (e.g. ones that share passages).
    let mut all: Vec<i64> = mine.clone();
    all.push(entry.id);
    let everyone: Vec<i64> = rounds::entries(&app.state.db, prelim)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    let units_too = identity_strings(&app, &all).await;
    let mut names_only = identity_strings(&app, &everyone).await;
    let unit_names: Vec<String> = hoithi_storage::repo::units::list(&app.state.db, None)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    // Unit names appear on public pages (the submission form lists them): checked only on
    // judging routes.
    names_only.retain(|s| !unit_names.contains(s));

    let judge = app.sign_in(JUDGE.0, JUDGE.1).await;
    let codes = rounds::codes_for(&app.state.db, &all).await.unwrap();
    let mut pages: Vec<String> = vec![
        "/cham-thi".into(),
        format!("/cham-thi/{fin}"),
        format!("/cham-thi/{local}"),
        format!("/api/v1/rounds/{fin}"),
        format!("/api/v1/rounds/{fin}/my-entries"),
        format!("/api/v1/rounds/{local}/my-entries"),
        format!("/api/v1/contests/{SLUG}/rounds"),
    ];
    for id in &all {
        let round = if *id == entry.id { local } else { fin };
        let code = &codes[id];
        pages.push(format!("/cham-thi/{round}/{code}"));
        pages.push(format!("/cham-thi/{round}/{code}/trung-lap"));
        pages.push(format!("/api/v1/rounds/{round}/my-entries/{code}"));
    }
    let mut compared = 0;
    let mut seen = 0;
    while seen < pages.len() {
        let path = pages[seen].clone();
        seen += 1;
        let res = judge.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let body = res.text().await.unwrap();
        assert_blind(&path, &body, &units_too);
        assert_blind(&path, &body, &names_only);
        assert!(!body.contains("HT-"), "{path} shows a receipt code");
        // Follow the side-by-side views: other entries appear by anonymous code too.
        if path.ends_with("/trung-lap") {
            for part in body.split("/trung-lap/").skip(1).take(4) {
                let other = part.split('"').next().unwrap();
                assert!(other.starts_with("MS-"), "{other}");
                pages.push(format!("{path}/{other}"));
                compared += 1;
            }
        }
    }
    assert!(
        compared > 0,
        "the copy check compared the judge's entries with others"
    );
    // The file: cleaned of its author properties, named by the anonymous code.
    let code = &codes[&entry.id];
    let res = judge
        .get(app.url(&format!("/cham-thi/{local}/{code}/tep")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains(&format!("{code}.docx")),
        "{disposition}"
    );
    let bytes = res.bytes().await.unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut all_xml = String::new();
    for i in 0..z.len() {
        use std::io::Read;
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        let _ = f.read_to_string(&mut s);
        all_xml.push_str(&s);
    }
    assert!(
        all_xml.contains("Người đứng đầu cấp ủy"),
        "the work is in the copy"
    );
    assert!(!all_xml.contains("Ma Thị Hoa"), "the author is not");
    // Every other route: public pages, the judge's own account, organizer pages (refused).
    let table = hoithi_web::app::routes_info();
    let user = demo_judge.to_string();
    for r in table.iter().filter(|r| r.method == reqwest::Method::GET) {
        let path = r
            .path
            .replace("{slug}", SLUG)
            .replace("{id}", &fin.to_string())
            .replace("{round}", &fin.to_string())
            .replace("{entry}", &mine[0].to_string())
            .replace("{code}", &codes[&mine[0]])
            .replace("{other}", "MS-KHONGCO")
            .replace("{batch}", "1")
            .replace("{user}", &user);
        let res = judge.get(app.url(&path)).send().await.unwrap();
        let status = res.status();
        let body = res.text().await.unwrap_or_default();
        assert!(status != 500, "{path}");
        if !body.is_empty() && !path.ends_with(".pdf") && !path.ends_with(".xlsx") {
            assert_blind(&path, &body, &names_only);
            if !path.contains("/gui-bai") && !path.starts_with("/don-vi") {
                assert!(!body.contains(&entry.receipt_code), "{path}");
            }
        }
        if path.starts_with("/vong/")
            || path.contains("/assignments")
            || path.contains("/scores")
            || path.ends_with("/results") && path.contains("/rounds/")
        {
            assert_eq!(status, 403, "{path} is for organizers");
        }
    }
    // Error messages: an unknown code and an entry of someone else say nothing about it.
    let other = assignments::for_round(&app.state.db, fin)
        .await
        .unwrap()
        .into_iter()
        .find(|a| !mine.contains(&a.entry_id))
        .map(|a| a.entry_id);
    if let Some(o) = other {
        let oc = rounds::codes_for(&app.state.db, &[o]).await.unwrap()[&o].clone();
        let res = judge
            .get(app.url(&format!("/cham-thi/{fin}/{oc}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("không được phân công cho bạn"));
        assert_blind("error page", &body, &identity_strings(&app, &[o]).await);
    }
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let app = spawn_app().await;
    let (prelim, fin) = round_ids(&app).await;
    without_demo_sheets(&app, fin).await;
    let org = app.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let judge = app.sign_in(JUDGE.0, JUDGE.1).await;
    let demo_judge = app.user_id(JUDGE.0).await;
    let pairs = judges_by_entry(&app, fin).await;
    let mine: Vec<i64> = pairs
        .iter()
        .filter(|(_, s)| s.contains(&demo_judge))
        .map(|(e, _)| *e)
        .collect();
    let ids: Vec<i64> = pairs.keys().copied().collect();
    let codes = rounds::codes_for(&app.state.db, &ids).await.unwrap();
    // An entry of the demo judge's whose fourth judge could take it after a recusal.
    let final_entries = rounds::entries(&app.state.db, fin).await.unwrap();
    let unit_of: HashMap<i64, i64> = final_entries.iter().map(|e| (e.id, e.unit_id)).collect();
    let mut unit_of_judge: HashMap<i64, Option<i64>> = HashMap::new();
    for j in rounds::judges(&app.state.db, fin).await.unwrap() {
        let u = hoithi_storage::repo::users::get(&app.state.db, j.user_id)
            .await
            .unwrap();
        unit_of_judge.insert(j.user_id, u.unit_id);
    }
    let target = *mine
        .iter()
        .find(|e| {
            unit_of_judge
                .iter()
                .any(|(j, u)| !pairs[e].contains(j) && *u != Some(unit_of[e]))
        })
        .unwrap();
    let nothing_saved = || async {
        assert!(
            scores::for_round(&app.state.db, fin)
                .await
                .unwrap()
                .is_empty(),
            "nothing was saved"
        );
    };
    // A score above a criterion's maximum.
    let (status, _, body) = score(
        &app,
        &judge,
        fin,
        &codes[&target],
        &[25.0, 10.0, 10.0, 10.0, 10.0, 10.0],
        "submit",
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Tính sắc bén") && body.contains("phải từ 0 đến 20"),
        "{body}"
    );
    assert!(body.contains("25"), "what the judge typed is kept");
    nothing_saved().await;
    // Not a number; a submission with a criterion missing.
    let (status, _, body) = post_form(
        &app,
        &judge,
        &format!("/cham-thi/{fin}/{}", codes[&target]),
        &[("p0", "mười"), ("action", "draft")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("phải là một số"));
    let (status, _, body) = post_form(
        &app,
        &judge,
        &format!("/cham-thi/{fin}/{}", codes[&target]),
        &[("p0", "10"), ("action", "submit")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("trước khi nộp"));
    nothing_saved().await;
    // An entry not assigned to this judge, and a code that does not exist.
    if let Some(other) = pairs
        .iter()
        .find(|(_, s)| !s.contains(&demo_judge))
        .map(|(e, _)| *e)
    {
        let (status, _, body) =
            score(&app, &judge, fin, &codes[&other], &base_points(1), "submit").await;
        assert_eq!(status, 422);
        assert!(body.contains("không được phân công cho bạn"));
    }
    let (status, _, body) = score(&app, &judge, fin, "MS-KHONGCO", &base_points(1), "submit").await;
    assert_eq!(status, 422);
    assert!(body.contains("không được phân công cho bạn"));
    // Through the API too.
    let token = app.session_csrf(&judge).await;
    let res = judge
        .put(app.url(&format!(
            "/api/v1/rounds/{fin}/my-entries/{}/score",
            codes[&target]
        )))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"points": [30, 1, 1, 1, 1, 1], "submit": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let v: serde_json::Value = res.json().await.unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("phải từ 0 đến 20")
    );
    nothing_saved().await;
    // A judge of the final round is no judge of the preliminary round.
    let res = judge
        .get(app.url(&format!("/cham-thi/{prelim}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // After the round closes.
    let (status, _, _) = post_form(
        &app,
        &org,
        &format!("/vong/{fin}/trang-thai"),
        &[("status", "closed")],
    )
    .await;
    assert_eq!(status, 303);
    let (status, _, body) = score(
        &app,
        &judge,
        fin,
        &codes[&target],
        &base_points(1),
        "submit",
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Vòng chấm không mở"), "{body}");
    nothing_saved().await;
    let (status, _, _) = post_form(
        &app,
        &org,
        &format!("/vong/{fin}/trang-thai"),
        &[("status", "open")],
    )
    .await;
    assert_eq!(status, 303);
    // A hand assignment that breaks a conflict of interest (same unit, then forbidden).
    let before = assignments::for_round(&app.state.db, fin)
        .await
        .unwrap()
        .len();
    let judge_unit = unit_of_judge[&demo_judge];
    if let Some(same) = final_entries.iter().find(|e| Some(e.unit_id) == judge_unit) {
        let (status, _, body) = post_form(
            &app,
            &org,
            &format!("/vong/{fin}/phan-cong/them"),
            &[
                ("judge", &demo_judge.to_string()),
                ("entry", &same.receipt_code),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body.contains("cùng đơn vị với tác giả") && body.contains("Phân công không thay đổi"),
            "{body}"
        );
    }
    let free = final_entries
        .iter()
        .find(|e| Some(e.unit_id) != judge_unit && !pairs[&e.id].contains(&demo_judge))
        .unwrap();
    let (status, _, body) = post_form(
        &app,
        &org,
        &format!("/vong/{fin}/xung-dot"),
        &[
            ("judge", &demo_judge.to_string()),
            ("entry", &free.receipt_code),
            ("kind", "forbidden"),
            ("reason", "Người thân của tác giả"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = post_form(
        &app,
        &org,
        &format!("/vong/{fin}/phan-cong/them"),
        &[
            ("judge", &demo_judge.to_string()),
            ("entry", &codes[&free.id]),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Người thân của tác giả"), "{body}");
    assert_eq!(
        assignments::for_round(&app.state.db, fin)
            .await
            .unwrap()
            .len(),
        before
    );
    // Once a sheet exists, the rubric and the batch that holds it are fixed.
    let (status, _, body) =
        score(&app, &judge, fin, &codes[&target], &base_points(2), "draft").await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = post_form(
        &app,
        &org,
        &format!("/vong/{fin}/tieu-chi"),
        &[("cn0", "Một tiêu chí"), ("cm0", "10")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("không thể sửa tiêu chí"));
    assert_eq!(rounds::criteria(&app.state.db, fin).await.unwrap().len(), 6);
    let batch = assignments::batches(&app.state.db, fin)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.status == assignments::PUBLISHED && b.kind == assignments::AUTO)
        .unwrap();
    let (status, _, body) = post_form(
        &app,
        &org,
        &format!("/vong/{fin}/phan-cong/dot/{}/hoan-tac", batch.id),
        &[],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Không thể hoàn tác"));
    assert_eq!(
        assignments::for_round(&app.state.db, fin)
            .await
            .unwrap()
            .len(),
        before
    );
    // The tie-break rule was published before judging: it cannot change now.
    let (status, _, body) = post_form(
        &app,
        &org,
        &format!("/vong/{fin}"),
        &[
            ("name", "Vòng chung khảo"),
            ("judges_per_entry", "3"),
            ("dispute_margin", "15"),
            ("tie1", "earlier"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Quy tắc xử lý đồng điểm đã công bố"));
    // Recusal needs a reason; with one, the pair stops counting.
    let (status, _, body) = post_form(
        &app,
        &judge,
        &format!("/cham-thi/{fin}/{}/tu-choi", codes[&target]),
        &[("reason", "")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, _, _) = post_form(
        &app,
        &judge,
        &format!("/cham-thi/{fin}/{}/tu-choi", codes[&target]),
        &[("reason", "Tôi nhận ra văn phong của đồng nghiệp")],
    )
    .await;
    assert_eq!(status, 303);
    let a = assignments::find(&app.state.db, fin, target, demo_judge)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.status, assignments::RECUSED);
    let conflicts = app.page(&org, &format!("/vong/{fin}/xung-dot")).await;
    assert!(conflicts.contains("Tôi nhận ra văn phong của đồng nghiệp"));
    // The automatic run now gives that entry another judge, never the one who recused.
    let (status, location, body) =
        post_form(&app, &org, &format!("/vong/{fin}/phan-cong/tu-dong"), &[]).await;
    assert_eq!(status, 303, "{body}");
    let preview = assignments::batches(&app.state.db, fin).await.unwrap()[0].clone();
    assert_eq!(preview.status, assignments::PREVIEW);
    let added = assignments::batch_pairs(&app.state.db, preview.id)
        .await
        .unwrap();
    assert!(added.iter().any(|p| p.entry_id == target), "{location}");
    assert!(
        added
            .iter()
            .all(|p| !(p.entry_id == target && p.user_id == demo_judge))
    );
}

#[tokio::test]
async fn preliminary_results_advance_by_the_previewed_rule() {
    let app = spawn_app().await;
    let (prelim, fin) = round_ids(&app).await;
    let org = app.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    // The demo: the preliminary round is finished and its best two per unit are in the final.
    let advanced = hoithi_storage::repo::awards::advancements_from(&app.state.db, prelim)
        .await
        .unwrap();
    let final_entries = rounds::entries(&app.state.db, fin).await.unwrap();
    assert_eq!(advanced.len(), final_entries.len());
    let mut per_unit: HashMap<i64, usize> = HashMap::new();
    for e in &final_entries {
        *per_unit.entry(e.unit_id).or_default() += 1;
    }
    assert!(per_unit.values().all(|n| *n <= 2), "{per_unit:?}");
    let page = app
        .page(
            &org,
            &format!("/vong/{prelim}/chuyen-vong?rule=overall&n=5"),
        )
        .await;
    assert!(
        page.contains("Xem trước: 5 tác phẩm điểm cao nhất toàn vòng (5 tác phẩm)"),
        "{page}"
    );
    let page = app
        .page(
            &org,
            &format!("/vong/{prelim}/chuyen-vong?rule=threshold&threshold=abc"),
        )
        .await;
    assert!(page.contains("Ngưỡng điểm phải là một số"));
    // The preliminary results: every entry scored by two judges, spreads shown.
    let results = app.page(&org, &format!("/vong/{prelim}/ket-qua")).await;
    assert!(results.contains("Độ lệch chuẩn") && results.contains("Cao − thấp"));
    // Applying a rule that takes in more: the top 50 overall.
    let (status, _, body) = post_form(
        &app,
        &org,
        &format!("/vong/{prelim}/chuyen-vong"),
        &[("rule", "overall"), ("n", "50"), ("threshold", "")],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let after = rounds::entries(&app.state.db, fin).await.unwrap().len();
    assert!(after >= 50 && after > final_entries.len(), "{after}");
    // Preliminary results wait for the final round's before they are published.
    let (status, _, body) = post_form(&app, &org, &format!("/vong/{prelim}/cong-bo"), &[]).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("sau khi vòng chung khảo đã công bố"),
        "{body}"
    );
    // A unit administrator elsewhere does not run this round.
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let res = commune
        .get(app.url(&format!("/vong/{prelim}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}
