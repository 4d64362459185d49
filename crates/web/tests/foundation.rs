//! The foundation over HTTP: sign-in, units, users, roles, the API, the authorization matrix
//! and bad input. Runs on SQLite, and on PostgreSQL with HOITHI_TEST_DATABASE=postgres.

mod common;

use common::*;
use reqwest::StatusCode;

#[tokio::test]
async fn admin_creates_unit_and_user_who_signs_in_with_the_role() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN.0, ADMIN.1).await;
    let token = app.session_csrf(&admin).await;
    let district = app.unit_id("HY").await.to_string();
    let res = admin
        .post(app.url("/don-vi"))
        .form(&[
            ("csrf", token.as_str()),
            ("parent_id", district.as_str()),
            ("code", "HY-YENLAM"),
            ("name", "Xã Yên Lâm"),
            ("kind", "xa"),
            ("headcount", "640"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let unit_page = res.headers()["location"].to_str().unwrap().to_string();
    let html = app.page(&admin, &unit_page).await;
    assert!(html.contains("Xã Yên Lâm") && html.contains("Đã thêm đơn vị."));
    let yen_lam = app.unit_id("HY-YENLAM").await.to_string();
    let res = admin
        .post(app.url("/nguoi-dung"))
        .form(&[
            ("csrf", token.as_str()),
            ("full_name", "Nông Văn Lâm"),
            ("email", "lam@yenlam.vn"),
            ("phone", ""),
            ("unit_id", yen_lam.as_str()),
            ("role", "unit_admin"),
            ("password", "mat-khau-lam"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let lam = app.sign_in("LAM@yenlam.vn", "mat-khau-lam").await;
    let units: serde_json::Value = lam
        .get(app.url("/api/v1/units"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec!["HY-YENLAM"],
        "a commune administrator sees only their commune"
    );
    let page = lam.get(app.url("/don-vi")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("lang=\"vi\""));
}

#[tokio::test]
async fn unit_admins_are_confined_to_their_subtree() {
    let app = spawn_app().await;
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let district = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let province = app.unit_id("TQ").await;
    let other_commune = app.unit_id("HY-DUCNINH").await;
    assert_eq!(
        commune
            .get(app.url(&format!("/don-vi/{other_commune}")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        district
            .get(app.url(&format!("/don-vi/{other_commune}")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        district
            .get(app.url(&format!("/don-vi/{province}")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // A district admin cannot create a unit outside the district, nor make a site admin.
    let token = app.session_csrf(&district).await;
    let res = district
        .post(app.url("/api/v1/units"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"code": "TQ-X", "name": "Huyện Khác", "kind": "huyen", "parent_id": province}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "forbidden");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("không có quyền")
    );
    let hy = app.unit_id("HY").await;
    let res = district
        .post(app.url("/api/v1/users"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"full_name": "Kẻ Leo Thang", "email": "x@y.vn", "unit_id": hy, "role": "site_admin", "password": "12345678abc"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(
        hoithi_storage::repo::users::find_by_login(&app.state.db, "x@y.vn")
            .await
            .unwrap()
            .is_none(),
        "nothing half-written"
    );
    // Users list is scoped too.
    let users: serde_json::Value = commune
        .get(app.url("/api/v1/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for u in users.as_array().unwrap() {
        assert_eq!(u["unit_id"].as_i64(), Some(app.unit_id("HY-THAISON").await));
    }
}

/// Expected gate of every route. A route missing here fails this test: every new route needs a rule.
const EXPECTED: &[(&str, &str, &str)] = &[
    ("GET", "/", "public"),
    ("GET", "/healthz", "public"),
    ("GET", "/static/app.css", "public"),
    ("GET", "/static/app.js", "public"),
    ("GET", "/tim-kiem", "public"),
    ("GET", "/dang-nhap", "public"),
    ("POST", "/dang-nhap", "public"),
    ("POST", "/dang-xuat", "signed_in"),
    ("GET", "/tai-khoan", "signed_in"),
    ("POST", "/tai-khoan/mat-khau", "signed_in"),
    ("POST", "/tai-khoan/khoa-api", "signed_in"),
    ("POST", "/tai-khoan/khoa-api/{id}/thu-hoi", "signed_in"),
    ("GET", "/don-vi", "admin"),
    ("GET", "/don-vi/moi", "admin"),
    ("POST", "/don-vi", "admin"),
    ("GET", "/don-vi/nhap", "admin"),
    ("POST", "/don-vi/nhap", "admin"),
    ("GET", "/don-vi/{id}", "admin"),
    ("POST", "/don-vi/{id}", "admin"),
    ("POST", "/don-vi/{id}/xoa", "admin"),
    ("GET", "/nguoi-dung", "admin"),
    ("GET", "/nguoi-dung/moi", "admin"),
    ("POST", "/nguoi-dung", "admin"),
    ("GET", "/nguoi-dung/{id}", "admin"),
    ("POST", "/nguoi-dung/{id}", "admin"),
    ("POST", "/nguoi-dung/{id}/vai-tro", "admin"),
    ("POST", "/nguoi-dung/{id}/vai-tro/{grant}/bo", "admin"),
    ("POST", "/nguoi-dung/{id}/mat-khau", "admin"),
    ("GET", "/cuoc-thi", "public"),
    ("GET", "/bai-cua-toi", "signed_in"),
    ("GET", "/cuoc-thi/moi", "admin"),
    ("POST", "/cuoc-thi", "admin"),
    ("GET", "/cuoc-thi/{slug}", "public"),
    ("GET", "/cuoc-thi/{slug}/gui-bai", "public"),
    ("POST", "/cuoc-thi/{slug}/gui-bai", "public"),
    ("GET", "/bai-du-thi/{code}", "public"),
    ("GET", "/bai-du-thi/{code}/bien-nhan", "public"),
    ("GET", "/bai-du-thi/{code}/sua", "public"),
    ("POST", "/bai-du-thi/{code}/sua", "public"),
    ("POST", "/bai-du-thi/{code}/rut", "public"),
    ("GET", "/cuoc-thi/{slug}/bai", "screen"),
    ("GET", "/cuoc-thi/{slug}/bai/{id}", "screen"),
    ("POST", "/cuoc-thi/{slug}/bai/{id}/so-loai", "screen"),
    ("GET", "/cuoc-thi/{slug}/bai/{id}/trung-lap", "screen"),
    (
        "GET",
        "/cuoc-thi/{slug}/bai/{id}/trung-lap/{other}",
        "screen",
    ),
    (
        "GET",
        "/cuoc-thi/{slug}/bai/{id}/tai-lieu/{other}",
        "screen",
    ),
    ("GET", "/cuoc-thi/{slug}/tai-lieu-doi-chieu", "manage"),
    ("POST", "/cuoc-thi/{slug}/tai-lieu-doi-chieu", "manage"),
    (
        "POST",
        "/cuoc-thi/{slug}/tai-lieu-doi-chieu/{id}/xoa",
        "manage",
    ),
    ("POST", "/cuoc-thi/{slug}/kiem-tra-lai", "manage"),
    ("GET", "/cuoc-thi/{slug}/kiem-tra-lai/tien-do", "manage"),
    ("GET", "/cuoc-thi/{slug}/cai-dat", "manage"),
    ("POST", "/cuoc-thi/{slug}/cai-dat", "manage"),
    ("POST", "/cuoc-thi/{slug}/the-loai", "manage"),
    ("GET", "/cuoc-thi/{slug}/thong-ke", "screen"),
    ("GET", "/cuoc-thi/{slug}/thong-ke.csv", "screen"),
    ("GET", "/cuoc-thi/{slug}/thong-ke.xlsx", "screen"),
    ("POST", "/cuoc-thi/{slug}/xuat", "screen"),
    ("GET", "/cuoc-thi/{slug}/xuat", "screen"),
    ("GET", "/cuoc-thi/{slug}/xuat/tai-ve", "screen"),
    ("GET", "/api/v1/openapi.json", "public"),
    ("GET", "/api/v1/me", "signed_in"),
    ("GET", "/api/v1/contests", "public"),
    ("GET", "/api/v1/contests/{slug}", "public"),
    ("GET", "/api/v1/contests/{slug}/entries", "screen"),
    ("POST", "/api/v1/contests/{slug}/entries", "public"),
    (
        "POST",
        "/api/v1/contests/{slug}/entries/{id}/decision",
        "screen",
    ),
    ("GET", "/cuoc-thi/{slug}/vong", "rounds"),
    ("GET", "/cuoc-thi/{slug}/vong/moi", "rounds"),
    ("POST", "/cuoc-thi/{slug}/vong", "rounds"),
    ("GET", "/vong/{id}", "round"),
    ("POST", "/vong/{id}", "round"),
    ("POST", "/vong/{id}/tieu-chi", "round"),
    ("POST", "/vong/{id}/trang-thai", "round"),
    ("POST", "/vong/{id}/tac-pham", "round"),
    ("POST", "/vong/{id}/giam-khao", "round"),
    ("POST", "/vong/{id}/giam-khao/{user}/xoa", "round"),
    ("GET", "/vong/{id}/xung-dot", "round"),
    ("POST", "/vong/{id}/xung-dot", "round"),
    ("POST", "/vong/{id}/xung-dot/{rule}/xoa", "round"),
    ("GET", "/vong/{id}/phan-cong", "round"),
    ("POST", "/vong/{id}/phan-cong/tu-dong", "round"),
    ("POST", "/vong/{id}/phan-cong/cham-them", "round"),
    ("POST", "/vong/{id}/phan-cong/them", "round"),
    ("POST", "/vong/{id}/cap/{pair}/xoa", "round"),
    ("GET", "/vong/{id}/phan-cong/dot/{batch}", "round"),
    ("POST", "/vong/{id}/phan-cong/dot/{batch}/cong-bo", "round"),
    ("POST", "/vong/{id}/phan-cong/dot/{batch}/hoan-tac", "round"),
    ("GET", "/vong/{id}/ket-qua", "round"),
    ("GET", "/vong/{id}/ket-qua.xlsx", "round"),
    ("GET", "/vong/{id}/bai/{entry}", "round"),
    ("POST", "/vong/{id}/phieu/{score}/mo-lai", "round"),
    ("GET", "/vong/{id}/chuyen-vong", "round"),
    ("POST", "/vong/{id}/chuyen-vong", "round"),
    ("GET", "/vong/{id}/giai", "round"),
    ("POST", "/vong/{id}/giai/hang", "round"),
    ("POST", "/vong/{id}/giai", "round"),
    ("POST", "/vong/{id}/cong-bo", "round"),
    ("GET", "/cham-thi", "signed_in"),
    ("GET", "/cham-thi/{round}", "judge"),
    ("GET", "/cham-thi/{round}/{code}", "judge"),
    ("POST", "/cham-thi/{round}/{code}", "judge"),
    ("POST", "/cham-thi/{round}/{code}/tu-choi", "judge"),
    ("GET", "/cham-thi/{round}/{code}/tep", "judge"),
    ("GET", "/cham-thi/{round}/{code}/trung-lap", "judge"),
    ("GET", "/cham-thi/{round}/{code}/trung-lap/{other}", "judge"),
    ("GET", "/cuoc-thi/{slug}/ket-qua", "public"),
    ("GET", "/xac-minh", "public"),
    ("GET", "/xac-minh/{code}", "public"),
    ("GET", "/xac-minh/{code}/giay-chung-nhan.pdf", "public"),
    ("GET", "/api/v1/contests/{slug}/rounds", "signed_in"),
    ("POST", "/api/v1/contests/{slug}/rounds", "rounds"),
    ("GET", "/api/v1/rounds/{id}", "round_or_judge"),
    ("GET", "/api/v1/rounds/{id}/assignments", "round"),
    ("POST", "/api/v1/rounds/{id}/assignments", "round"),
    ("POST", "/api/v1/rounds/{id}/assignments/auto", "round"),
    (
        "POST",
        "/api/v1/rounds/{id}/batches/{batch}/publish",
        "round",
    ),
    ("POST", "/api/v1/rounds/{id}/batches/{batch}/undo", "round"),
    ("GET", "/api/v1/rounds/{id}/my-entries", "judge"),
    ("GET", "/api/v1/rounds/{id}/my-entries/{code}", "judge"),
    (
        "PUT",
        "/api/v1/rounds/{id}/my-entries/{code}/score",
        "judge",
    ),
    ("GET", "/api/v1/rounds/{id}/scores", "round"),
    ("GET", "/api/v1/rounds/{id}/results", "round"),
    ("GET", "/api/v1/contests/{slug}/results", "public"),
    ("GET", "/api/v1/certificates/{code}", "public"),
    ("GET", "/api/v1/units", "admin"),
    ("POST", "/api/v1/units", "admin"),
    ("POST", "/api/v1/units/import", "admin"),
    ("GET", "/api/v1/units/{id}", "admin"),
    ("PATCH", "/api/v1/units/{id}", "admin"),
    ("DELETE", "/api/v1/units/{id}", "admin"),
    ("GET", "/api/v1/users", "admin"),
    ("POST", "/api/v1/users", "admin"),
    ("GET", "/api/v1/users/{id}", "admin"),
    ("PATCH", "/api/v1/users/{id}", "admin"),
    // Courses: "manage" is the course's organizers (the demo course is the district's, and
    // the demo organizer holds the organizer role on it); "screen" adds the administrators of
    // the invited units (the commune); the delegate's personal link is public (a capability).
    ("GET", "/khoa-hoc", "public"),
    ("GET", "/khoa-hoc/moi", "admin"),
    ("POST", "/khoa-hoc", "admin"),
    ("GET", "/khoa-hoc/{course}", "public"),
    ("GET", "/khoa-hoc/{course}/lich.ics", "public"),
    ("GET", "/khoa-hoc/{course}/khoa-cong-khai", "public"),
    (
        "GET",
        "/khoa-hoc/{course}/buoi/{session}/tu-diem-danh/{code}",
        "public",
    ),
    ("GET", "/khoa-hoc/{course}/the-dai-bieu.pdf", "manage"),
    (
        "GET",
        "/khoa-hoc/{course}/buoi/{session}/danh-sach.pdf",
        "manage",
    ),
    (
        "GET",
        "/khoa-hoc/{course}/buoi/{session}/danh-sach",
        "manage",
    ),
    (
        "POST",
        "/khoa-hoc/{course}/buoi/{session}/danh-sach",
        "manage",
    ),
    ("GET", "/khoa-hoc/{course}/khao-sat.xlsx", "manage"),
    ("POST", "/khoa-hoc/{course}/buoi", "manage"),
    ("POST", "/khoa-hoc/{course}/trang-thai", "manage"),
    ("GET", "/khoa-hoc/{course}/don-vi", "manage"),
    ("POST", "/khoa-hoc/{course}/don-vi", "manage"),
    ("POST", "/khoa-hoc/{course}/don-vi/tat-ca", "manage"),
    ("POST", "/khoa-hoc/{course}/don-vi/nhap", "manage"),
    ("GET", "/khoa-hoc/{course}/dai-bieu", "screen"),
    ("POST", "/khoa-hoc/{course}/dai-bieu", "screen"),
    ("GET", "/khoa-hoc/{course}/dai-bieu.csv", "screen"),
    ("POST", "/khoa-hoc/{course}/dai-bieu/{delegate}", "manage"),
    (
        "GET",
        "/khoa-hoc/{course}/dai-bieu/{delegate}/thay",
        "manage",
    ),
    (
        "POST",
        "/khoa-hoc/{course}/dai-bieu/{delegate}/thay",
        "manage",
    ),
    ("GET", "/khoa-hoc/{course}/diem-danh", "manage"),
    ("POST", "/khoa-hoc/{course}/diem-danh", "manage"),
    ("POST", "/khoa-hoc/{course}/diem-danh/sua", "manage"),
    (
        "GET",
        "/khoa-hoc/{course}/buoi/{session}/ma-phong",
        "manage",
    ),
    ("GET", "/khoa-hoc/{course}/chuyen-can", "manage"),
    ("GET", "/khoa-hoc/{course}/chuyen-can.xlsx", "manage"),
    ("POST", "/khoa-hoc/{course}/chung-nhan", "manage"),
    ("GET", "/khoa-hoc/{course}/khao-sat", "manage"),
    ("POST", "/khoa-hoc/{course}/khao-sat", "manage"),
    ("GET", "/khoa-hoc/{course}/trien-khai", "screen"),
    ("POST", "/khoa-hoc/{course}/trien-khai/ke-hoach", "screen"),
    ("POST", "/khoa-hoc/{course}/trien-khai/bao-cao", "screen"),
    ("POST", "/khoa-hoc/{course}/trien-khai/han", "manage"),
    ("POST", "/khoa-hoc/{course}/trien-khai/nhac", "manage"),
    // Materials: the demo's public file opens for everyone; the rest is its organizers'.
    ("GET", "/khoa-hoc/{course}/tai-lieu", "manage"),
    ("POST", "/khoa-hoc/{course}/tai-lieu", "manage"),
    ("GET", "/khoa-hoc/{course}/tai-lieu/{material}", "public"),
    (
        "GET",
        "/khoa-hoc/{course}/tai-lieu/{material}/sua",
        "manage",
    ),
    (
        "POST",
        "/khoa-hoc/{course}/tai-lieu/{material}/sua",
        "manage",
    ),
    (
        "POST",
        "/khoa-hoc/{course}/tai-lieu/{material}/xoa",
        "manage",
    ),
    (
        "POST",
        "/khoa-hoc/{course}/tai-lieu/{material}/thu-tu",
        "manage",
    ),
    ("GET", "/dai-bieu/{token}/tai-lieu/{material}", "public"),
    ("GET", "/dai-bieu/{token}", "public"),
    ("GET", "/dai-bieu/{token}/lich.ics", "public"),
    ("POST", "/dai-bieu/{token}/diem-danh", "manage"),
    ("POST", "/dai-bieu/{token}/tu-diem-danh", "public"),
    ("GET", "/dai-bieu/{token}/khao-sat", "public"),
    ("POST", "/dai-bieu/{token}/khao-sat", "public"),
    ("POST", "/dai-bieu/{token}/chung-nhan", "public"),
    ("GET", "/api/v1/courses", "public"),
    ("GET", "/api/v1/courses/{id}", "public"),
    ("GET", "/api/v1/courses/{id}/badge-key", "public"),
    ("GET", "/api/v1/courses/{id}/revocations", "manage"),
    ("GET", "/api/v1/courses/{id}/delegates", "screen"),
    ("GET", "/api/v1/courses/{id}/attendance", "manage"),
    ("POST", "/api/v1/courses/{id}/checkins", "manage"),
    ("POST", "/api/v1/courses/{id}/checkins/batch", "manage"),
    ("GET", "/api/v1/courses/{id}/materials", "public"),
    ("POST", "/api/v1/courses/{id}/materials", "manage"),
    (
        "DELETE",
        "/api/v1/courses/{id}/materials/{material}",
        "manage",
    ),
    // News: readers' pages are public; "news_desk" is anyone who writes news somewhere (the
    // demo's unit and site administrators), "news" a writer of the demo story's unit (the
    // district), "news_publish" its approvers (the site administrator in this matrix).
    ("GET", "/tin-tuc", "public"),
    ("GET", "/tin-tuc/tim-kiem", "public"),
    ("GET", "/tin-tuc/feed.xml", "public"),
    ("GET", "/tin-tuc/chuyen-muc/{category}", "public"),
    ("GET", "/tin-tuc/chuyen-muc/{category}/feed.xml", "public"),
    ("GET", "/tin-tuc/don-vi/{news_unit}", "public"),
    ("GET", "/tin-tuc/don-vi/{news_unit}/feed.xml", "public"),
    ("GET", "/tin/{post}", "public"),
    ("GET", "/sitemap.xml", "public"),
    ("GET", "/robots.txt", "public"),
    ("GET", "/tin-anh/{photo}/{file}", "public"),
    ("GET", "/bien-tap", "news_desk"),
    ("GET", "/bien-tap/moi", "news_desk"),
    ("POST", "/bien-tap/moi", "news_desk"),
    ("GET", "/bien-tap/nhap-docx", "news_desk"),
    ("POST", "/bien-tap/nhap-docx", "news_desk"),
    ("GET", "/bien-tap/chuyen-muc", "news_desk"),
    ("POST", "/bien-tap/chuyen-muc", "news_desk"),
    ("GET", "/bien-tap/{news_id}", "news"),
    ("POST", "/bien-tap/{news_id}", "news"),
    ("GET", "/bien-tap/{news_id}/phien-ban", "news"),
    ("POST", "/bien-tap/{news_id}/trang-thai", "news"),
    ("POST", "/bien-tap/{news_id}/anh", "news"),
    ("POST", "/bien-tap/{news_id}/anh/{photo}", "news"),
    ("GET", "/api/v1/news/posts", "public"),
    ("POST", "/api/v1/news/posts", "news_desk"),
    ("GET", "/api/v1/news/posts/{news_id}", "public"),
    ("POST", "/api/v1/news/posts/{news_id}/submit", "news"),
    ("POST", "/api/v1/news/posts/{news_id}/publish", "news"),
    ("POST", "/api/v1/news/posts/{news_id}/photos", "news"),
    ("GET", "/api/v1/news/categories", "public"),
];

#[tokio::test]
async fn authorization_matrix_covers_every_route_and_role() {
    use hoithi_web::routes::Gate;
    let table = hoithi_web::app::routes_info();
    for r in &table {
        let want = EXPECTED
            .iter()
            .find(|e| e.0 == r.method.as_str() && e.1 == r.path);
        let Some(want) = want else {
            panic!(
                "route {} {} has no row in the authorization matrix",
                r.method, r.path
            )
        };
        let gate = match r.gate {
            Gate::Public => "public",
            Gate::SignedIn => "signed_in",
            Gate::Admin => "admin",
        };
        // "screen", "rounds", "round", "judge", "round_or_judge": signed-in gate, then `can`
        // decides (screening the entry's unit, running a round, judging in it).
        let want_gate = match want.2 {
            "public" | "admin" | "signed_in" => want.2,
            _ => "signed_in",
        };
        assert_eq!(want_gate, gate, "{} {}", r.method, r.path);
    }
    assert_eq!(
        table.len(),
        EXPECTED.len(),
        "the matrix lists a route that does not exist"
    );

    let app = spawn_app().await;
    // Real records for every path parameter: the guest's own entry with its key, a screened
    // entry with copy-check matches, each round's batch and entry, the judge's anonymous codes,
    // and (after the final round is published) a certificate.
    let demo::Demo {
        mut ids,
        guest,
        org,
        judge,
        ..
    } = demo::build(&app).await;
    ids.certificate = demo::publish_final(&app, &org, ids.judged_round).await;
    demo::wait_for_jobs(&app).await;
    let unit = ids.unit.to_string();
    let final_round = ids.judged_round.to_string();
    let judge_id = app.user_id(demo::JUDGE.0).await.to_string();
    let roles: Vec<(&str, reqwest::Client)> = vec![
        ("anonymous", guest),
        (
            "participant",
            app.sign_in(PARTICIPANT.0, PARTICIPANT.1).await,
        ),
        ("commune_admin", app.sign_in(COMMUNE.0, COMMUNE.1).await),
        ("district_admin", app.sign_in(DISTRICT.0, DISTRICT.1).await),
        ("site_admin", app.sign_in(ADMIN.0, ADMIN.1).await),
        ("organizer", org),
        ("judge", judge),
    ];
    for (role, c) in &roles {
        let token = if *role == "anonymous" {
            app.csrf(c).await
        } else {
            app.session_csrf(c).await
        };
        for r in &table {
            let safe = r.method == reqwest::Method::GET;
            // A page is asked for at real records (one per round for a round's pages); an unsafe
            // request needs only the gate and the CSRF check, so unknown ids do.
            let paths = if safe {
                demo::fill(r.path, &ids)
            } else {
                let judging = r.path.starts_with("/vong/")
                    || r.path.starts_with("/api/v1/rounds/")
                    || r.path.starts_with("/cham-thi/");
                let id_for = if judging {
                    final_round.clone()
                } else if r.path.starts_with("/api/v1/courses/") {
                    ids.course_id.to_string()
                } else if r.path.contains("nguoi-dung") || r.path.contains("users") {
                    ids.user.to_string()
                } else if r.path.contains("/bai/") || r.path.contains("/entries/") {
                    ids.entry.to_string()
                } else if r.path.contains("khoa-api") {
                    "999999".into()
                } else {
                    unit.clone()
                };
                vec![
                    r.path
                        .replace("{id}", &id_for)
                        .replace("{slug}", "chinh-luan-2026")
                        .replace(
                            "{code}",
                            if judging {
                                ids.anon_code.as_str()
                            } else {
                                ids.own_code.as_str()
                            },
                        )
                        .replace("{round}", &final_round)
                        .replace("{user}", &judge_id)
                        .replace("{other}", "999999")
                        .replace("{grant}", "999999")
                        .replace("{entry}", "999999")
                        .replace("{rule}", "999999")
                        .replace("{pair}", "999999")
                        .replace("{batch}", "999999")
                        .replace("{score}", "999999")
                        .replace("{course}", &ids.course)
                        .replace("{delegate}", &ids.course_delegate.to_string())
                        .replace("{material}", "999999")
                        .replace("{session}", &ids.course_session.to_string())
                        .replace("{token}", &ids.badge)
                        .replace("{news_id}", &ids.news.post.to_string())
                        .replace("{photo}", "999999"),
                ]
            };
            for path in paths {
                let rule = EXPECTED
                    .iter()
                    .find(|e| e.0 == r.method.as_str() && e.1 == r.path)
                    .map(|e| e.2)
                    .unwrap_or("");
                let allowed = matrix::allowed(rule, role, &path, &final_round);
                let is_api = path.starts_with("/api/");
                let safe = r.method == reqwest::Method::GET;
                // Denied callers get the gate's answer even with a valid CSRF token; allowed ones
                // send none and must be stopped by CSRF protection on every unsafe route.
                let builder = c.request(r.method.clone(), app.url(&path));
                let builder = match (safe, allowed, is_api) {
                    (true, _, _) => builder,
                    (false, false, true) => builder
                        .header("x-csrf-token", &token)
                        .json(&serde_json::json!({})),
                    (false, false, false) => builder.form(&[("csrf", token.as_str())]),
                    (false, true, true) => builder.json(&serde_json::json!({})),
                    (false, true, false)
                        if path.ends_with("/nhap")
                            || path.ends_with("/gui-bai")
                            || path.ends_with("/tai-lieu-doi-chieu")
                            || path.ends_with("/nhap-docx")
                            || path.ends_with("/anh")
                            || path.ends_with("/photos")
                            || (path.starts_with("/khoa-hoc/") && path.ends_with("/tai-lieu"))
                            || (path.starts_with("/bai-du-thi/") && path.ends_with("/sua")) =>
                    {
                        builder.multipart(
                            reqwest::multipart::Form::new().part(
                                "file",
                                reqwest::multipart::Part::bytes(b"ma,ten\n".to_vec())
                                    .file_name("a.csv"),
                            ),
                        )
                    }
                    (false, true, false) => builder.form(&[("x", "1")]),
                };
                let res = builder.send().await.unwrap();
                let status = res.status();
                let location = res
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                let body = res.text().await.unwrap_or_default();
                let what = format!("{role} {} {path} -> {status} {location}", r.method);
                assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "{what}");
                if r.path == "/dang-nhap" && !safe {
                    continue; // sign-in itself is exercised in its own tests
                }
                if !allowed {
                    if *role == "anonymous" {
                        if is_api {
                            assert_eq!(status, 401, "{what}");
                        } else {
                            assert!(
                                status == 303 && location.starts_with("/dang-nhap?next="),
                                "{what}"
                            );
                        }
                    } else {
                        assert_eq!(status, 403, "{what}");
                        assert!(
                            !body.contains("Biểu mẫu đã hết hạn") && !body.contains("has expired"),
                            "denied by the gate, not CSRF: {what}"
                        );
                    }
                } else if safe {
                    // Allowed, at a real record: the page itself or a redirect, never an error.
                    assert!(
                        (status.is_success() || status.is_redirection())
                            && !location.starts_with("/dang-nhap"),
                        "allowed but not served: {what}"
                    );
                } else if *role == "anonymous" && is_api {
                    // No credential to forge: the request reaches validation and is refused there.
                    assert!(status != 401 && status != 403, "{what}");
                } else {
                    assert_eq!(
                        status, 403,
                        "unsafe request without CSRF token must be refused: {what}"
                    );
                    assert!(
                        body.contains("hết hạn")
                            || body.contains("has expired")
                            || body.contains("\"csrf\""),
                        "{what}: {body}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn bad_input_gets_clear_vietnamese_errors_never_500() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN.0, ADMIN.1).await;
    let token = app.session_csrf(&admin).await;
    // Malformed form: missing fields re-render the form with a message.
    let res = admin
        .post(app.url("/don-vi"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Mã đơn vị chỉ gồm"));
    // Malformed JSON.
    let res = admin
        .post(app.url("/api/v1/units"))
        .header("x-csrf-token", &token)
        .header("content-type", "application/json")
        .body("{\"code\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("không hợp lệ")
    );
    // Wrong content type.
    let res = admin
        .post(app.url("/api/v1/units"))
        .header("x-csrf-token", &token)
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let res = admin
        .post(app.url("/don-vi"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    // Oversized body.
    let big = "a".repeat(30 * 1024 * 1024);
    let res = admin
        .post(app.url("/don-vi"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={token}&name={big}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("quá lớn"));
    // Unknown and malformed ids.
    assert_eq!(
        admin
            .get(app.url("/don-vi/987654"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let res = admin.get(app.url("/don-vi/abc")).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Yêu cầu không hợp lệ"));
    assert_eq!(
        admin
            .get(app.url("/api/v1/users/987654"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        admin
            .get(app.url("/khong-co"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // Duplicate code: conflict, not 500.
    let hy = app.unit_id("HY").await;
    let res = admin.post(app.url("/api/v1/units")).header("x-csrf-token", &token).json(&serde_json::json!({"code": "HY-THAISON", "name": "Trùng", "kind": "xa", "parent_id": hy})).send().await.unwrap();
    assert_eq!(res.status(), 409);
    // Missing CSRF token.
    let res = admin
        .post(app.url("/api/v1/units"))
        .json(&serde_json::json!({"code": "A1", "name": "A", "kind": "xa", "parent_id": hy}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(
        hoithi_storage::repo::units::by_code(&app.state.db, "A1")
            .await
            .unwrap()
            .is_none()
    );
    // Expired session: the next page asks to sign in again.
    hoithi_storage::repo::sessions::purge_expired(&app.state.db)
        .await
        .unwrap();
    let admin_id = app.user_id(ADMIN.0).await;
    hoithi_storage::repo::sessions::delete_for_user(&app.state.db, admin_id, None)
        .await
        .unwrap();
    let res = admin.get(app.url("/don-vi")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/dang-nhap")
    );
    // English as second language.
    let res = client()
        .get(app.url("/khong-co?lang=en"))
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("does not exist"));
}

#[tokio::test]
async fn sign_in_is_throttled_and_passwords_change() {
    let app = spawn_app().await;
    let c = client();
    for _ in 0..5 {
        let token = app.csrf(&c).await;
        let res = c
            .post(app.url("/dang-nhap"))
            .form(&[
                ("csrf", token.as_str()),
                ("login", COMMUNE.0),
                ("password", "sai-mat-khau"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        assert!(res.text().await.unwrap().contains("không đúng"));
    }
    let token = app.csrf(&c).await;
    let res = c
        .post(app.url("/dang-nhap"))
        .form(&[
            ("csrf", token.as_str()),
            ("login", COMMUNE.0),
            ("password", COMMUNE.1),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429, "locked even with the right password");
    assert!(res.text().await.unwrap().contains("15 phút"));

    let p = app.sign_in(PARTICIPANT.0, PARTICIPANT.1).await;
    let other = app.sign_in(PARTICIPANT.0, PARTICIPANT.1).await;
    let token = app.session_csrf(&p).await;
    let res = p
        .post(app.url("/tai-khoan/mat-khau"))
        .form(&[
            ("csrf", token.as_str()),
            ("current", PARTICIPANT.1),
            ("new", "mat-khau-moi-1"),
            ("confirm", "mat-khau-moi-1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        p.get(app.url("/tai-khoan")).send().await.unwrap().status(),
        200,
        "this session stays"
    );
    assert_eq!(
        other
            .get(app.url("/tai-khoan"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "other sessions end"
    );
    app.sign_in(PARTICIPANT.0, "mat-khau-moi-1").await;
    // Sign out.
    let res = p
        .post(app.url("/dang-xuat"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        p.get(app.url("/tai-khoan")).send().await.unwrap().status(),
        303
    );
}

#[tokio::test]
async fn units_import_from_csv_and_xlsx_all_or_nothing() {
    let app = spawn_app().await;
    let district = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let token = app.session_csrf(&district).await;
    let post = |name: &'static str, bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", token.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
        district
            .post(app.url("/don-vi/nhap"))
            .multipart(form)
            .send()
    };
    let bad = "ma,ten,loai,ma_cap_tren\nHY-TT1,Thôn Một,chi_bo,HY-THAISON\nHY-TT1,Trùng,xa,HY\n,Không mã,xa,HY\nHY-TT3,Thôn Ba,loai-la,HY\nHY-TT4,Ngoài phạm vi,xa,TQ\n";
    let res = post("don-vi.csv", bad.as_bytes().to_vec()).await.unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    for needle in [
        "bị lặp lại",
        "không hợp lệ",
        "Loại đơn vị «loai-la»",
        "không có quyền",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    assert!(
        hoithi_storage::repo::units::by_code(&app.state.db, "HY-TT1")
            .await
            .unwrap()
            .is_none(),
        "nothing stored"
    );
    // Children before parents, semicolons, Excel's UTF-8 BOM.
    let good = "\u{feff}ma;ten;loai;ma_cap_tren;so_nguoi\nHY-TS-C1;Chi bộ thôn Khuôn Khoai;chi_bo;HY-TS-T;35\nHY-TS-T;Thôn Làng Chẽ;khac;HY-THAISON;\n";
    let res = post("don-vi.csv", good.as_bytes().to_vec()).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("2 thêm mới"));
    let c1 = hoithi_storage::repo::units::by_code(&app.state.db, "HY-TS-C1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c1.headcount, Some(35));
    assert_eq!(c1.depth, 5);
    // XLSX made by a real spreadsheet writer.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (col, h) in ["ma", "ten", "loai", "ma_cap_tren", "so_nguoi"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, col as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "HY-XLSX").unwrap();
    ws.write_string(1, 1, "Xã Minh Hương").unwrap();
    ws.write_string(1, 2, "Xã").unwrap();
    ws.write_string(1, 3, "HY").unwrap();
    ws.write_number(1, 4, 910.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let res = post("don-vi.xlsx", bytes).await.unwrap();
    assert_eq!(res.status(), 200);
    let u = hoithi_storage::repo::units::by_code(&app.state.db, "HY-XLSX")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((u.kind.as_str(), u.headcount), ("xa", Some(910)));
    // A zip bomb posing as XLSX, a non-spreadsheet, an empty file.
    let mut zipped = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut zipped);
        z.start_file(
            "xl/worksheets/sheet1.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..100 {
            std::io::Write::write_all(&mut z, &zeros).unwrap();
        }
        z.finish().unwrap();
    }
    let res = post("bom.xlsx", zipped.into_inner()).await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("quá lớn sau khi giải nén")
    );
    let res = post("gia.xlsx", b"not a spreadsheet".to_vec())
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = post("rong.csv", Vec::new()).await.unwrap();
    assert!(res.text().await.unwrap().contains("Tệp rỗng"));
}

#[tokio::test]
async fn api_tokens_authenticate_and_openapi_matches_snapshot() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN.0, ADMIN.1).await;
    let token = app.session_csrf(&admin).await;
    let html = admin
        .post(app.url("/tai-khoan/khoa-api"))
        .form(&[("csrf", token.as_str()), ("name", "bảng tính")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = html.find("hoithi_").unwrap();
    let key: String = html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let bare = reqwest::Client::new();
    let me: serde_json::Value = bare
        .get(app.url("/api/v1/me"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["roles"][0], "site_admin");
    // Bearer calls need no CSRF header.
    let hy = app.unit_id("HY").await;
    let res = bare.post(app.url("/api/v1/units")).bearer_auth(&key).json(&serde_json::json!({"code": "HY-API", "name": "Xã Tân Thành", "kind": "xa", "parent_id": hy})).send().await.unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(
        bare.get(app.url("/api/v1/me"))
            .bearer_auth("hoithi_wrong")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let doc: serde_json::Value = bare
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for r in hoithi_web::app::routes_info()
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/") && r.path != "/api/v1/openapi.json")
    {
        let ops = paths
            .get(r.path)
            .unwrap_or_else(|| panic!("{} missing from OpenAPI", r.path));
        assert!(
            ops.get(r.method.as_str().to_lowercase()).is_some(),
            "{} {} missing from OpenAPI",
            r.method,
            r.path
        );
    }
    let pretty = serde_json::to_string_pretty(&doc).unwrap() + "\n";
    let snap =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() || !snap.exists() {
        std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
        std::fs::write(&snap, &pretty).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&snap).unwrap(),
        pretty,
        "OpenAPI changed: review, then run with UPDATE_SNAPSHOTS=1"
    );
}

#[tokio::test]
async fn jobs_deliver_messages_and_backup_copies_a_live_database() {
    let app = spawn_app().await;
    let job = hoithi_storage::repo::jobs::NewJob::new(
        "message",
        serde_json::json!({"to": "a@b.vn", "subject": "Biên nhận", "body": "Mã tác phẩm: HY-0001"}),
    );
    let id = hoithi_storage::repo::jobs::enqueue(&app.state.db.conn, job)
        .await
        .unwrap()
        .unwrap();
    let outbox = app
        .state
        .config
        .data_dir
        .join("outbox")
        .join(format!("{id:010}.eml"));
    // The worker writes the file, then marks the job done in a second step: wait for the state.
    let db = app.state.db.clone();
    app.wait_until(
        "the message job to be done",
        std::time::Duration::from_secs(10),
        || {
            let db = db.clone();
            async move {
                let j = hoithi_storage::repo::jobs::get(&db, id).await.ok()?;
                (j.status == hoithi_storage::status::JobStatus::Done).then_some(())
            }
        },
    )
    .await;
    assert!(
        std::fs::read_to_string(&outbox)
            .unwrap()
            .contains("Mã tác phẩm: HY-0001")
    );
    if !backend_is_postgres() {
        let out = app.state.config.data_dir.join("backup/copy.sqlite3");
        let size = hoithi_storage::backup::backup_sqlite(&app.state.db, &out)
            .await
            .unwrap();
        assert!(size > 0);
        let copy = hoithi_storage::Db::connect(&format!("sqlite://{}", out.display()))
            .await
            .unwrap();
        assert!(hoithi_storage::repo::units::count(&copy).await.unwrap() >= 18);
        assert!(
            hoithi_storage::backup::backup_sqlite(&app.state.db, &out)
                .await
                .is_err(),
            "never overwrites"
        );
    }
    let health: serde_json::Value = client()
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["database"], "ok");
}
