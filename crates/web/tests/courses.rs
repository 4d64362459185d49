//! Courses, on both databases: nominations within quotas (also under concurrent nominations),
//! check-in by badge, desk, room code and the API (one scan, batches replayed), completion and
//! certificates, the survey, follow-up roll-up, and the bad input the issue lists — each
//! refused with a clear Vietnamese message and nothing written.

mod common;

use common::*;
use hoithi_storage::repo::courses::{self, checkins};
use hoithi_web::courses::course::service::{self as course_service, CourseInput, SessionInput};
use hoithi_web::courses::delegates::service::{self as delegates, NominationInput};
use hoithi_web::courses::service::{self as shared, CourseCtx};
use hoithi_web::policy::Actor;

const COMMUNE: (&str, &str) = ("thaison@hoithi.demo", "demo-thaison");
const DISTRICT: (&str, &str) = ("tuyengiao.hamyen@hoithi.demo", "demo-hamyen");

fn today() -> String {
    hoithi_web::format::fmt_date(&chrono::Utc::now())
}

/// A fresh course of the district, taking nominations, with two sessions today (both begun)
/// and Thái Sơn invited with 2 places, Thái Hòa with 1.
async fn course(app: &TestApp, slug: &str) -> CourseCtx {
    let op = Actor::operator("test");
    let k = course_service::create(
        &app.state,
        &op,
        CourseInput {
            organizer_unit_id: app.unit_id("HY").await.to_string(),
            title: format!("Tập huấn thử {slug}"),
            slug: slug.into(),
            kind: "tap_huan".into(),
            nomination_deadline: "31/12/2099".into(),
            completion_share: "70".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let ctx = shared::load_id(&app.state, k.id).await.unwrap();
    for (s, e) in [("00:00", "00:01"), ("00:02", "23:59")] {
        course_service::add_session(
            &app.state,
            &op,
            &ctx,
            SessionInput {
                day: today(),
                starts: s.into(),
                ends: e.into(),
                topic: "Quán triệt nghị quyết".into(),
                late_after: "600".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    course_service::set_status(&app.state, &op, &ctx, "nominating")
        .await
        .unwrap();
    delegates::invite(
        &app.state,
        &op,
        &ctx,
        vec![
            (app.unit_id("HY-THAISON").await, 2),
            (app.unit_id("HY-THAIHOA").await, 1),
        ],
    )
    .await
    .unwrap();
    shared::load_id(&app.state, k.id).await.unwrap()
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
    (status, location, res.text().await.unwrap_or_default())
}

async fn active(app: &TestApp, ctx: &CourseCtx) -> usize {
    courses::delegates(&app.state.db, ctx.course.id)
        .await
        .unwrap()
        .iter()
        .filter(|d| shared::is_active(d))
        .count()
}

#[tokio::test]
async fn nominations_hold_the_quota_the_deadline_and_the_subtree() {
    let app = spawn_app().await;
    let ctx = course(&app, "thu-de-cu").await;
    let thai_son = app.unit_id("HY-THAISON").await.to_string();
    let thai_hoa = app.unit_id("HY-THAIHOA").await.to_string();
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let path = "/khoa-hoc/thu-de-cu/dai-bieu";
    for name in ["Nguyễn Văn Một", "Trần Thị Hai"] {
        let (status, location, _) = post_form(
            &app,
            &commune,
            path,
            &[("unit_id", &thai_son), ("full_name", name)],
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/khoa-hoc/thu-de-cu/dai-bieu?ok=de-cu")
        );
    }
    // Over the quota.
    let (status, _, body) = post_form(
        &app,
        &commune,
        path,
        &[("unit_id", &thai_son), ("full_name", "Lê Văn Ba")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("đã đủ 2 đại biểu"), "{body}");
    assert!(body.contains("Lê Văn Ba"), "what was typed stays: {body}");
    // Another unit's place.
    let (status, _, body) = post_form(
        &app,
        &commune,
        path,
        &[("unit_id", &thai_hoa), ("full_name", "Lê Văn Ba")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("đơn vị mình quản lý"), "{body}");
    // A unit not invited.
    let (status, _, body) = post_form(
        &app,
        &commune,
        path,
        &[("unit_id", "999999"), ("full_name", "Lê Văn Ba")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("không được mời"), "{body}");
    assert_eq!(active(&app, &ctx).await, 2);

    // A duplicate person (same name in the unit, typed without tone marks differently cased).
    let district = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    delegates::invite(
        &app.state,
        &Actor::operator("t"),
        &ctx,
        vec![(app.unit_id("HY-THAISON").await, 3)],
    )
    .await
    .unwrap();
    let (status, _, body) = post_form(
        &app,
        &district,
        path,
        &[("unit_id", &thai_son), ("full_name", "Nguyễn Văn Một")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("đã được đề cử"), "{body}");
    // An existing account twice.
    for expect in [303, 422] {
        let (status, _, _) = post_form(
            &app,
            &district,
            path,
            &[("unit_id", &thai_hoa), ("account", "0912345678")],
        )
        .await;
        assert_eq!(status, expect);
    }
    assert_eq!(active(&app, &ctx).await, 3);
    // Lowering a quota below the places taken is refused.
    let err = delegates::invite(
        &app.state,
        &Actor::operator("t"),
        &ctx,
        vec![(app.unit_id("HY-THAISON").await, 1)],
    )
    .await
    .unwrap_err();
    assert!(format!("{err:?}").contains("không thể giảm"));

    // After the deadline, a unit cannot nominate.
    {
        use sea_orm::{ActiveModelTrait, Set};
        let mut a: hoithi_storage::entity::courses::course::ActiveModel = ctx.course.clone().into();
        a.nomination_deadline = Set(chrono::Utc::now() - chrono::Duration::days(1));
        a.update(&app.state.db.conn).await.unwrap();
    }
    let (status, _, body) = post_form(
        &app,
        &commune,
        path,
        &[("unit_id", &thai_son), ("full_name", "Đỗ Văn Muộn")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("hết hạn"), "{body}");
    assert_eq!(active(&app, &ctx).await, 3);

    // The organizer refuses with a reason; the place goes back.
    let d = courses::delegates(&app.state.db, ctx.course.id)
        .await
        .unwrap()[0]
        .clone();
    let (status, _, body) = post_form(
        &app,
        &district,
        &format!("/khoa-hoc/thu-de-cu/dai-bieu/{}", d.id),
        &[("decision", "refuse")],
    )
    .await;
    assert_eq!(status, 422, "a refusal needs its reason: {body}");
    let (status, _, _) = post_form(
        &app,
        &district,
        &format!("/khoa-hoc/thu-de-cu/dai-bieu/{}", d.id),
        &[("decision", "refuse"), ("reason", "Không đúng đối tượng")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(active(&app, &ctx).await, 2);
    let page = app.page(&commune, path).await;
    assert!(page.contains("Không đúng đối tượng"), "{page}");
}

#[tokio::test]
async fn concurrent_nominations_never_exceed_the_quota() {
    let app = spawn_app().await;
    let ctx = course(&app, "thu-dong-thoi").await;
    let thai_son = app.unit_id("HY-THAISON").await.to_string();
    let op = Actor::operator("test");
    let mut tasks = Vec::new();
    for i in 0..12 {
        let state = app.state.clone();
        let (op, ctx, unit) = (op.clone(), ctx.clone(), thai_son.clone());
        tasks.push(tokio::spawn(async move {
            delegates::nominate(
                &state,
                &op,
                &ctx,
                NominationInput {
                    unit_id: unit,
                    full_name: format!("Đại biểu số {i}"),
                    ..Default::default()
                },
            )
            .await
            .is_ok()
        }));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap() {
            ok += 1;
        }
    }
    assert_eq!(ok, 2);
    assert_eq!(active(&app, &ctx).await, 2);
    let cu = courses::course_unit(&app.state.db, ctx.course.id, thai_son.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cu.nominated, 2);
}

async fn nominee(
    app: &TestApp,
    ctx: &CourseCtx,
    name: &str,
) -> (hoithi_storage::repo::courses::Delegate, String) {
    let d = delegates::nominate(
        &app.state,
        &Actor::operator("test"),
        ctx,
        NominationInput {
            unit_id: app.unit_id("HY-THAISON").await.to_string(),
            full_name: name.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let token = shared::badge_of(&app.state, &d);
    (d, token)
}

#[tokio::test]
async fn check_in_is_recorded_once_and_bad_badges_are_refused() {
    let app = spawn_app().await;
    let ctx = course(&app, "thu-diem-danh").await;
    delegates::invite(
        &app.state,
        &Actor::operator("t"),
        &ctx,
        vec![(app.unit_id("HY-THAISON").await, 10)],
    )
    .await
    .unwrap();
    let other = course(&app, "thu-lop-khac").await;
    let sessions = courses::sessions(&app.state.db, ctx.course.id)
        .await
        .unwrap();
    let other_session = courses::sessions(&app.state.db, other.course.id)
        .await
        .unwrap()[0]
        .id;
    let (d, token) = nominee(&app, &ctx, "Hoàng Văn Quét").await;
    let (_, foreign) = nominee(&app, &other, "Lý Thị Khác").await;
    let staff = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let csrf = app.session_csrf(&staff).await;
    let api = format!("/api/v1/courses/{}/checkins", ctx.course.id);
    let scan = |body: serde_json::Value| {
        staff
            .post(app.url(&api))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
    };
    let res = scan(
        serde_json::json!({"session_id": sessions[0].id, "badge": token, "client_id": "p1:1"}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["recorded"], true);
    assert_eq!(v["delegate_id"], d.id);
    assert_eq!(v["unit"], "Xã Thái Sơn");
    // Again (and the same client_id again): recorded once.
    for body in [
        serde_json::json!({"session_id": sessions[0].id, "badge": token}),
        serde_json::json!({"session_id": sessions[0].id, "badge": token, "client_id": "p1:1"}),
        serde_json::json!({"session_id": sessions[0].id, "badge": format!("{}/dai-bieu/{token}", app.base)}),
    ] {
        let v: serde_json::Value = scan(body).await.unwrap().json().await.unwrap();
        assert_eq!(v["recorded"], false, "{v}");
    }
    // Forged, of another course, for a session of another course, malformed.
    for (body, needle) in [
        (
            serde_json::json!({"session_id": sessions[0].id, "badge": "AAAAAAAAAAAAAAAAAAAAAA"}),
            "không hợp lệ",
        ),
        (
            serde_json::json!({"session_id": sessions[0].id, "badge": foreign}),
            "lớp khác",
        ),
        (
            serde_json::json!({"session_id": other_session, "badge": token}),
            "không thuộc lớp",
        ),
        (
            serde_json::json!({"session_id": sessions[1].id, "badge": token, "scanned_at": "hôm qua"}),
            "RFC 3339",
        ),
    ] {
        let res = scan(body).await.unwrap();
        assert_eq!(res.status(), 422);
        let v: serde_json::Value = res.json().await.unwrap();
        assert!(
            v["error"]["message"].as_str().unwrap().contains(needle),
            "{v}"
        );
        assert!(!v["error"]["message_en"].as_str().unwrap().is_empty());
    }
    let res = staff
        .post(app.url(&api))
        .header("x-csrf-token", &csrf)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_eq!(
        checkins::of_course(&app.state.db, ctx.course.id)
            .await
            .unwrap()
            .len(),
        1
    );

    // A replaced badge (refused delegate) no longer works.
    let (d2, token2) = nominee(&app, &ctx, "Trần Văn Thay").await;
    delegates::decide(
        &app.state,
        &Actor::operator("t"),
        &ctx,
        d2.id,
        false,
        "Thay người khác",
    )
    .await
    .unwrap();
    let res = scan(serde_json::json!({"session_id": sessions[0].id, "badge": token2}))
        .await
        .unwrap();
    assert_eq!(res.status(), 422);

    // A commune administrator is not the course's staff.
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let t = app.session_csrf(&commune).await;
    let res = commune
        .post(app.url(&api))
        .header("x-csrf-token", &t)
        .json(&serde_json::json!({"session_id": sessions[1].id, "badge": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    // A batch, sent twice: recorded once; bad items listed.
    let (_, token3) = nominee(&app, &ctx, "Vi Văn Lô").await;
    let batch = serde_json::json!({"checkins": [
        {"session_id": sessions[1].id, "badge": token, "client_id": "off:1", "scanned_at": "2026-12-07T13:35:00+07:00"},
        {"session_id": sessions[1].id, "badge": token3, "client_id": "off:2"},
        {"session_id": sessions[1].id, "badge": "giả mạo", "client_id": "off:3"},
        {"session_id": sessions[1].id, "badge": token3}
    ]});
    let url = format!("/api/v1/courses/{}/checkins/batch", ctx.course.id);
    let first: serde_json::Value = staff
        .post(app.url(&url))
        .header("x-csrf-token", &csrf)
        .json(&batch)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["recorded"], 2, "{first}");
    assert_eq!(first["refused"].as_array().unwrap().len(), 2, "{first}");
    let again: serde_json::Value = staff
        .post(app.url(&url))
        .header("x-csrf-token", &csrf)
        .json(&batch)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["recorded"], 0, "{again}");
    assert_eq!(again["duplicates"], 2, "{again}");
    assert_eq!(
        checkins::of_course(&app.state.db, ctx.course.id)
            .await
            .unwrap()
            .len(),
        3
    );
    let big = serde_json::json!({"checkins": (0..501).map(|i| serde_json::json!({"session_id": sessions[1].id, "badge": token, "client_id": format!("b{i}")})).collect::<Vec<_>>()});
    let res = staff
        .post(app.url(&url))
        .header("x-csrf-token", &csrf)
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);

    // Staff confirm on the badge page with one button; the desk finds names without marks.
    let (d4, token4) = nominee(&app, &ctx, "Nguyễn Thị Điểm").await;
    let (status, location, _) = post_form(
        &app,
        &staff,
        &format!("/dai-bieu/{token4}/diem-danh"),
        &[("session_id", &sessions[0].id.to_string())],
    )
    .await;
    assert_eq!(
        (status, location),
        (303, format!("/dai-bieu/{token4}?ok=co-mat"))
    );
    let page = app
        .page(
            &staff,
            &format!(
                "/khoa-hoc/thu-diem-danh/diem-danh?session={}&q=nguyen+thi+diem",
                sessions[1].id
            ),
        )
        .await;
    assert!(page.contains("Nguyễn Thị Điểm"), "{page}");
    let page = app
        .page(
            &staff,
            &format!(
                "/khoa-hoc/thu-diem-danh/diem-danh?session={}&q=DB-{}",
                sessions[1].id, d4.id
            ),
        )
        .await;
    assert!(page.contains("Nguyễn Thị Điểm"), "{page}");
    // A correction is audited with the status before.
    let (status, _, _) = post_form(
        &app,
        &staff,
        "/khoa-hoc/thu-diem-danh/diem-danh/sua",
        &[
            ("session_id", &sessions[0].id.to_string()),
            ("delegate_id", &d4.id.to_string()),
            ("status", "excused"),
        ],
    )
    .await;
    assert_eq!(status, 422, "excused needs a reason");
    let (status, _, _) = post_form(
        &app,
        &staff,
        "/khoa-hoc/thu-diem-danh/diem-danh/sua",
        &[
            ("session_id", &sessions[0].id.to_string()),
            ("delegate_id", &d4.id.to_string()),
            ("status", "excused"),
            ("reason", "Ốm"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let c = checkins::of(&app.state.db, sessions[0].id, d4.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status, hoithi_storage::status::AttendanceStatus::Excused);
}

#[tokio::test]
async fn room_codes_are_fresh_only_and_completion_gives_a_certificate() {
    let app = spawn_app().await;
    let ctx = course(&app, "thu-ma-phong").await;
    let sessions = courses::sessions(&app.state.db, ctx.course.id)
        .await
        .unwrap();
    let (d, token) = nominee(&app, &ctx, "Ma Văn Phòng").await;
    let guest = client();
    let page = app.page(&guest, &format!("/dai-bieu/{token}")).await;
    assert!(page.contains("Ma Văn Phòng"));
    let csrf = csrf_from(&page);
    let now = chrono::Utc::now();
    let s = &sessions[1];
    let post = |code: String| {
        guest
            .post(app.url(&format!("/dai-bieu/{token}/tu-diem-danh")))
            .form(&[
                ("csrf", csrf.clone()),
                ("session_id", s.id.to_string()),
                ("code", code),
            ])
            .send()
    };
    // A photo of an old code (two minutes back): refused as old; nothing recorded.
    let old =
        hoithi_checkin::room_code::code_at(s.room_secret.as_bytes(), s.id, now.timestamp() - 120);
    let res = post(old).await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("đã cũ"));
    // A wrong or made-up one.
    for code in ["12345".to_string(), "abcdefgh".into()] {
        let res = post(code).await.unwrap();
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("hết hạn"));
    }
    // Another session's code does not open this one.
    let res = post(shared::room_code_now(
        &sessions[0].room_secret,
        sessions[0].id,
        now,
    ))
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    assert!(
        checkins::of_delegate(&app.state.db, d.id)
            .await
            .unwrap()
            .is_empty()
    );
    // The room screen shows the code now and its QR code, which leads to this session's self
    // check-in with that code; the phone that opened the personal link confirms there.
    let staff = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let room = app
        .page(
            &staff,
            &format!("/khoa-hoc/thu-ma-phong/buoi/{}/ma-phong", s.id),
        )
        .await;
    assert!(room.contains("<svg"), "{room}");
    let shown = room
        .split("id=\"room-code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_string();
    let entry = shared::room_path("thu-ma-phong", s.id, &shown);
    assert!(room.contains(&entry), "{room}");
    let page = app.page(&guest, &entry).await;
    assert!(page.contains("Ma Văn Phòng"), "{page}");
    assert!(page.contains("id=\"room-entry\""), "{page}");
    let stranger = app.page(&client(), &entry).await;
    assert!(stranger.contains("open-link-first"), "{stranger}");
    let res = post(shared::room_code_now(
        &s.room_secret,
        s.id,
        chrono::Utc::now(),
    ))
    .await
    .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        checkins::of_delegate(&app.state.db, d.id)
            .await
            .unwrap()
            .len(),
        1
    );
    // One session of two is 50% (< 70%): no certificate yet.
    let res = guest
        .post(app.url(&format!("/dai-bieu/{token}/chung-nhan")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Chưa đủ điều kiện"));
    // The staff checks the first session; now complete.
    let (status, _, _) = post_form(
        &app,
        &staff,
        &format!("/dai-bieu/{token}/diem-danh"),
        &[("session_id", &sessions[0].id.to_string())],
    )
    .await;
    assert_eq!(status, 303);
    let res = guest
        .post(app.url(&format!("/dai-bieu/{token}/chung-nhan")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/xac-minh/GCN-"), "{location}");
    let page = app.page(&guest, &location).await;
    assert!(page.contains("Ma Văn Phòng"), "{page}");
    // A forged personal link is just not found.
    let res = guest
        .get(app.url("/dai-bieu/AAAAAAAAAAAAAAAAAAAAAA"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn survey_once_and_follow_up_rolls_up_to_the_district() {
    let app = spawn_app().await;
    let ctx = course(&app, "thu-khao-sat").await;
    let sessions = courses::sessions(&app.state.db, ctx.course.id)
        .await
        .unwrap();
    let (d, token) = nominee(&app, &ctx, "Bế Văn Phiếu").await;
    let staff = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let (status, _, body) = post_form(
        &app,
        &staff,
        "/khoa-hoc/thu-khao-sat/khao-sat",
        &[("questions", "rating Thiếu dấu hai chấm")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, _, _) = post_form(
        &app,
        &staff,
        "/khoa-hoc/thu-khao-sat/khao-sat",
        &[(
            "questions",
            "rating: Lớp học bổ ích\nsingle: Thời lượng | Ngắn | Vừa\ntext: Góp ý",
        )],
    )
    .await;
    assert_eq!(status, 303);
    let qs = courses::followup::questions(&app.state.db, ctx.course.id)
        .await
        .unwrap();
    // Not attended yet: closed.
    let guest = client();
    let csrf = csrf_from(&app.page(&guest, &format!("/dai-bieu/{token}")).await);
    let answer = |rating: &str| {
        vec![
            ("csrf".to_string(), csrf.clone()),
            (format!("q{}", qs[0].id), rating.to_string()),
            (format!("q{}", qs[1].id), "Vừa".to_string()),
            (format!("q{}", qs[2].id), "Tốt".to_string()),
        ]
    };
    let url = app.url(&format!("/dai-bieu/{token}/khao-sat"));
    let res = guest.post(&url).form(&answer("5")).send().await.unwrap();
    assert_eq!(res.status(), 422);
    post_form(
        &app,
        &staff,
        &format!("/dai-bieu/{token}/diem-danh"),
        &[("session_id", &sessions[0].id.to_string())],
    )
    .await;
    let res = guest.post(&url).form(&answer("9")).send().await.unwrap();
    assert_eq!(res.status(), 422, "a rating is 1 to 5");
    let res = guest.post(&url).form(&answer("5")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let res = guest.post(&url).form(&answer("4")).send().await.unwrap();
    assert_eq!(res.status(), 422, "once");
    assert_eq!(
        courses::followup::answers(&app.state.db, ctx.course.id)
            .await
            .unwrap()
            .len(),
        1
    );
    let page = app.page(&staff, "/khoa-hoc/thu-khao-sat/khao-sat").await;
    assert!(page.contains("1 phiếu trả lời"), "{page}");
    // A bar chart drawn on the server for the rating and the choice, none for free text.
    assert_eq!(page.matches("<svg").count(), 2, "{page}");
    assert!(page.contains("role=\"img\""), "{page}");
    assert!(page.contains("Lớp học bổ ích"));
    let _ = d;
    // The answers as a workbook.
    let res = staff
        .get(app.url("/khoa-hoc/thu-khao-sat/khao-sat.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut shared_strings = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
        &mut shared_strings,
    )
    .unwrap();
    for text in ["Lớp học bổ ích", "Vừa", "Tốt"] {
        assert!(shared_strings.contains(text), "{shared_strings}");
    }
    let commune_admin = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let res = commune_admin
        .get(app.url("/khoa-hoc/thu-khao-sat/khao-sat.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    // The commune reports; the district's dashboard counts it.
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let thai_son = app.unit_id("HY-THAISON").await.to_string();
    let (status, _, _) = post_form(
        &app,
        &commune,
        "/khoa-hoc/thu-khao-sat/trien-khai/bao-cao",
        &[
            ("unit_id", &thai_son),
            ("held_on", "31/12/2099"),
            ("place", "Hội trường xã"),
            ("participants", "40"),
        ],
    )
    .await;
    assert_eq!(status, 422, "no future dates");
    let (status, _, _) = post_form(
        &app,
        &commune,
        "/khoa-hoc/thu-khao-sat/trien-khai/bao-cao",
        &[
            ("unit_id", &app.unit_id("HY-THAIHOA").await.to_string()),
            ("held_on", &today()),
            ("place", "Hội trường xã"),
            ("participants", "40"),
        ],
    )
    .await;
    assert_eq!(status, 422, "another unit");
    let (status, _, _) = post_form(
        &app,
        &commune,
        "/khoa-hoc/thu-khao-sat/trien-khai/bao-cao",
        &[
            ("unit_id", &thai_son),
            ("held_on", &today()),
            ("place", "Hội trường xã"),
            ("participants", "40"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let page = app.page(&staff, "/khoa-hoc/thu-khao-sat/trien-khai").await;
    assert!(page.contains("1/2 đơn vị đã báo cáo"), "{page}");
    assert!(page.contains("40 người được truyền đạt"), "{page}");
}

#[tokio::test]
async fn signed_badges_are_checked_and_revoked_ones_refused() {
    use hoithi_checkin::badge;
    let app = spawn_app().await;
    let ctx = course(&app, "thu-the-ky").await;
    let sessions = courses::sessions(&app.state.db, ctx.course.id)
        .await
        .unwrap();
    let (d, token) = nominee(&app, &ctx, "Đặng Văn Ký").await;
    let signed = shared::signed_badge(&app.state, &d);
    assert!(signed.starts_with(&format!("{token}.{}.{}.", ctx.course.id, d.id)));
    let staff = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let csrf = app.session_csrf(&staff).await;

    // The key is published on a page and in the API, the same.
    let text = app
        .page(&client(), "/khoa-hoc/thu-the-ky/khoa-cong-khai")
        .await;
    let key: serde_json::Value = client()
        .get(app.url(&format!("/api/v1/courses/{}/badge-key", ctx.course.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let published = key["public_key"].as_str().unwrap().to_string();
    assert_eq!(text.lines().next().unwrap(), published);
    assert_eq!(key["algorithm"], "Ed25519");
    // The badge verifies offline with it; another course's key does not verify it.
    let pk = badge::PublicKey::parse(&published).unwrap();
    assert_eq!(
        badge::verify_offline(&pk, ctx.course.id, &signed)
            .unwrap()
            .delegate_id,
        d.id
    );
    let other = shared::course_key(&app.state, ctx.course.id + 1000).public_key();
    assert_eq!(
        badge::verify_offline(&other, ctx.course.id, &signed),
        Err(badge::BadgeError::Forged)
    );

    // The personal link carries the signed badge and shows its QR code.
    let page = app.page(&client(), &format!("/dai-bieu/{signed}")).await;
    assert!(page.contains("Đặng Văn Ký"));
    assert!(page.contains("<svg"), "{page}");
    assert!(page.contains(&format!("/dai-bieu/{signed}")), "{page}");
    assert!(
        page.contains(&format!("/dai-bieu/{signed}/lich.ics")),
        "{page}"
    );

    // The API takes the signed badge (or its URL) and refuses a forged one.
    let api = format!("/api/v1/courses/{}/checkins", ctx.course.id);
    let scan = |body: serde_json::Value| {
        staff
            .post(app.url(&api))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
    };
    let forged_key = badge::sign(&badge::CourseKey::generate(), ctx.course.id, d.id, &token);
    let (d2, _) = nominee(&app, &ctx, "Lò Thị Khác").await;
    let swapped = signed.replacen(&format!(".{}.", d.id), &format!(".{}.", d2.id), 1);
    let mut flipped = signed.clone().into_bytes();
    let last = flipped.len() - 2;
    flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    for bad in [&forged_key, &swapped, &flipped] {
        let res = scan(serde_json::json!({"session_id": sessions[0].id, "badge": bad}))
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let v: serde_json::Value = res.json().await.unwrap();
        assert!(
            v["error"]["message"].as_str().unwrap().contains("Thẻ giả"),
            "{v}"
        );
        assert!(
            v["error"]["message_en"]
                .as_str()
                .unwrap()
                .contains("forged")
        );
        // A forged personal link is not found.
        let res = client()
            .get(app.url(&format!("/dai-bieu/{bad}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
    assert!(
        checkins::of_course(&app.state.db, ctx.course.id)
            .await
            .unwrap()
            .is_empty()
    );
    let url = format!("{}/dai-bieu/{signed}", app.base);
    let v: serde_json::Value =
        scan(serde_json::json!({"session_id": sessions[0].id, "badge": url}))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(v["recorded"], true, "{v}");
    assert_eq!(v["delegate_id"], d.id);

    // A batch of signed badges, sent twice: each recorded once; a forged one listed.
    let batch = serde_json::json!({"checkins": [
        {"session_id": sessions[1].id, "badge": signed, "client_id": "ky:1"},
        {"session_id": sessions[1].id, "badge": shared::signed_badge(&app.state, &d2), "client_id": "ky:2"},
        {"session_id": sessions[1].id, "badge": forged_key, "client_id": "ky:3"}
    ]});
    let burl = format!("/api/v1/courses/{}/checkins/batch", ctx.course.id);
    for (recorded, duplicates) in [(2, 0), (0, 2)] {
        let v: serde_json::Value = staff
            .post(app.url(&burl))
            .header("x-csrf-token", &csrf)
            .json(&batch)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["recorded"], recorded, "{v}");
        assert_eq!(v["duplicates"], duplicates, "{v}");
        assert_eq!(v["refused"][0]["index"], 2, "{v}");
        assert!(
            v["refused"][0]["message"]
                .as_str()
                .unwrap()
                .contains("Thẻ giả"),
            "{v}"
        );
    }
    assert_eq!(
        checkins::of_course(&app.state.db, ctx.course.id)
            .await
            .unwrap()
            .len(),
        3
    );

    // A refused delegate's badge is on the signed revocation list, which a scanner reads.
    delegates::decide(
        &app.state,
        &Actor::operator("t"),
        &ctx,
        d2.id,
        false,
        "Cử người khác",
    )
    .await
    .unwrap();
    let rurl = app.url(&format!("/api/v1/courses/{}/revocations", ctx.course.id));
    let list = staff.get(&rurl).send().await.unwrap().text().await.unwrap();
    let scanner = badge::Scanner::new(ctx.course.id, &published, &list).unwrap();
    let d2 = courses::delegate(&app.state.db, d2.id).await.unwrap();
    assert_eq!(
        scanner.scan(&shared::signed_badge(&app.state, &d2)),
        Err(badge::BadgeError::Revoked)
    );
    assert_eq!(scanner.scan(&signed).unwrap().delegate_id, d.id);
    let res = scan(serde_json::json!({"session_id": sessions[0].id, "badge": shared::signed_badge(&app.state, &d2)}))
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let v: serde_json::Value = res.json().await.unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("không còn giá trị"),
        "{v}"
    );
    // The list is for the course's staff only.
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    assert_eq!(commune.get(&rurl).send().await.unwrap().status(), 403);
    assert_eq!(client().get(&rurl).send().await.unwrap().status(), 401);
}

fn pdf_text(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    hoithi_extract::extract(bytes, Some("x.pdf"), &hoithi_extract::Limits::default())
        .unwrap()
        .text()
}

#[tokio::test]
async fn calendars_printed_badges_rosters_and_marking_from_paper() {
    use icalendar::parser::{read_calendar, unfold};
    let app = spawn_app().await;
    let ctx = course(&app, "thu-giay").await;
    let sessions = courses::sessions(&app.state.db, ctx.course.id)
        .await
        .unwrap();
    let (a, _) = nominee(&app, &ctx, "Trần Văn Bình").await;
    let (b, _) = nominee(&app, &ctx, "Nguyễn Thị An").await;
    let op = Actor::operator("t");
    delegates::decide(&app.state, &op, &ctx, a.id, true, "")
        .await
        .unwrap();
    delegates::decide(&app.state, &op, &ctx, b.id, true, "")
        .await
        .unwrap();
    let staff = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let get = |c: &reqwest::Client, path: String| c.get(app.url(&path)).send();

    // The course's calendar: every session, readable by a calendar parser.
    let res = get(&client(), "/khoa-hoc/thu-giay/lich.ics".into())
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let body = res.text().await.unwrap();
    let unfolded = unfold(&body);
    let cal = read_calendar(&unfolded).unwrap();
    let events: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(events.len(), 2, "{body}");
    for (e, s) in events.iter().zip(&sessions) {
        let summary = e.find_prop("SUMMARY").unwrap().val.clone().unescape_text();
        assert!(summary.as_str().contains("Quán triệt nghị quyết"), "{body}");
        let uid = e.find_prop("UID").unwrap().val.as_str().to_string();
        assert!(uid.contains(&format!("session-{}", s.id)), "{uid}");
    }
    // A delegate's, from the personal link.
    let signed = shared::signed_badge(&app.state, &a);
    let body = get(&client(), format!("/dai-bieu/{signed}/lich.ics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let unfolded = unfold(&body);
    let cal = read_calendar(&unfolded).unwrap();
    assert_eq!(
        cal.components
            .iter()
            .filter(|c| c.name.as_str() == "VEVENT")
            .count(),
        2
    );
    let course_page = app.page(&staff, "/khoa-hoc/thu-giay").await;
    for link in [
        "/khoa-hoc/thu-giay/lich.ics",
        "/khoa-hoc/thu-giay/the-dai-bieu.pdf",
        &format!("/khoa-hoc/thu-giay/buoi/{}/danh-sach.pdf", sessions[0].id),
        &format!("/khoa-hoc/thu-giay/buoi/{}/danh-sach", sessions[0].id),
    ] {
        assert!(course_page.contains(link), "{link}");
    }

    // The badge sheet: the accepted delegates with their names and codes.
    let res = get(&staff, "/khoa-hoc/thu-giay/the-dai-bieu.pdf".into())
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = pdf_text(&res.bytes().await.unwrap());
    for needle in ["Trần Văn Bình", "Nguyễn Thị An", &format!("DB-{}", a.id)] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
    // The paper roster of a session: by unit, in Vietnamese order (An before Bình).
    let res = get(
        &staff,
        format!("/khoa-hoc/thu-giay/buoi/{}/danh-sach.pdf", sessions[0].id),
    )
    .await
    .unwrap();
    let text = pdf_text(&res.bytes().await.unwrap());
    assert!(text.contains("Xã Thái Sơn"), "{text}");
    let (an, binh) = (
        text.find("Nguyễn Thị An").unwrap(),
        text.find("Trần Văn Bình").unwrap(),
    );
    assert!(an < binh, "{text}");
    // Not for a commune administrator.
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    for path in [
        "/khoa-hoc/thu-giay/the-dai-bieu.pdf".to_string(),
        format!("/khoa-hoc/thu-giay/buoi/{}/danh-sach.pdf", sessions[0].id),
        format!("/khoa-hoc/thu-giay/buoi/{}/danh-sach", sessions[0].id),
    ] {
        assert_eq!(get(&commune, path).await.unwrap().status(), 403);
    }

    // Marking from the paper list: a box per delegate; one post marks the ticked present.
    let path = format!("/khoa-hoc/thu-giay/buoi/{}/danh-sach", sessions[0].id);
    let page = app.page(&staff, &path).await;
    assert!(page.contains(&format!("id=\"present-{}\"", a.id)), "{page}");
    let csrf = app.session_csrf(&staff).await;
    let post = |ids: Vec<String>| {
        let mut form = vec![("csrf".to_string(), csrf.clone())];
        form.extend(ids.into_iter().map(|i| ("present".to_string(), i)));
        staff.post(app.url(&path)).form(&form).send()
    };
    // Nothing ticked, a delegate of another course, a malformed id: refused, nothing written.
    let other = course(&app, "thu-giay-khac").await;
    let (x, _) = nominee(&app, &other, "Hà Văn Ngoài").await;
    for (ids, needle) in [
        (vec![], "Chưa đánh dấu"),
        (vec![a.id.to_string(), x.id.to_string()], "không thuộc lớp"),
        (vec!["abc".to_string()], "không hợp lệ"),
    ] {
        let res = post(ids).await.unwrap();
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains(needle), "{needle}: {body}");
    }
    assert!(
        checkins::of_course(&app.state.db, ctx.course.id)
            .await
            .unwrap()
            .is_empty()
    );
    let res = post(vec![a.id.to_string(), b.id.to_string()])
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        format!("{path}?ok=giay")
    );
    let marked = checkins::of_course(&app.state.db, ctx.course.id)
        .await
        .unwrap();
    assert_eq!(marked.len(), 2);
    for c in &marked {
        assert_eq!(c.status, hoithi_storage::status::AttendanceStatus::Present);
        assert_eq!(c.method, hoithi_storage::status::CheckinMethod::Correction);
    }
    let log =
        hoithi_storage::repo::audit::for_resource(&app.state.db.conn, "course_delegate", a.id)
            .await
            .unwrap();
    let marks: Vec<_> = log
        .iter()
        .filter(|l| l.action == "course.attendance")
        .collect();
    assert_eq!(marks.len(), 1);
    let detail: serde_json::Value = serde_json::from_str(&marks[0].detail).unwrap();
    assert_eq!(detail["source"], "paper_roster");
    assert_eq!(detail["to"], "present");
    // Again: nothing new.
    let res = post(vec![a.id.to_string()]).await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        checkins::of_course(&app.state.db, ctx.course.id)
            .await
            .unwrap()
            .len(),
        2
    );
    let page = app.page(&staff, &format!("{path}?ok=giay")).await;
    assert!(
        page.contains("Đã ghi điểm danh theo danh sách giấy"),
        "{page}"
    );
}

#[tokio::test]
async fn a_delegate_is_swapped_keeping_the_place_and_revoking_the_old_badge() {
    let app = spawn_app().await;
    let ctx = course(&app, "thu-thay").await;
    let (old, _) = nominee(&app, &ctx, "Lương Văn Cũ").await;
    let (other, _) = nominee(&app, &ctx, "Hà Thị Khác").await;
    let before = courses::course_unit(&app.state.db, ctx.course.id, old.unit_id)
        .await
        .unwrap()
        .unwrap();
    let path = format!("/khoa-hoc/thu-thay/dai-bieu/{}/thay", old.id);
    let district = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    // Reached from the list by a link on the delegate's row.
    let list = app.page(&district, "/khoa-hoc/thu-thay/dai-bieu").await;
    assert!(list.contains(&format!("href=\"{path}\"")), "{list}");
    let form = app.page(&district, &path).await;
    assert!(form.contains("Lương Văn Cũ"), "{form}");

    // Without a reason: refused, what was typed is kept, nothing changes.
    let (status, _, body) = post_form(
        &app,
        &district,
        &path,
        &[("full_name", "Trịnh Văn Mới"), ("phone", "0912345678")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("lý do thay"), "{body}");
    assert!(body.contains("value=\"Trịnh Văn Mới\""), "{body}");
    assert!(body.contains("value=\"0912345678\""), "{body}");
    // The replacement must not be someone already taking part.
    let (status, _, body) = post_form(
        &app,
        &district,
        &path,
        &[("reason", "Bận công tác"), ("full_name", "Hà Thị Khác")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("đã được đề cử"), "{body}");
    assert_eq!(active(&app, &ctx).await, 2);
    // A commune's administrator may not swap; an unknown delegate is not found.
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let (status, _, _) = post_form(
        &app,
        &commune,
        &path,
        &[("reason", "x"), ("full_name", "Ai Đó")],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = post_form(
        &app,
        &district,
        "/khoa-hoc/thu-thay/dai-bieu/999999/thay",
        &[("reason", "x"), ("full_name", "Ai Đó")],
    )
    .await;
    assert_eq!(status, 404);

    // The swap: the old one replaced with the reason, the new one accepted in the same place.
    let (status, location, _) = post_form(
        &app,
        &district,
        &path,
        &[
            ("reason", "Bận công tác"),
            ("full_name", "Trịnh Văn Mới"),
            ("job_title", "Phó Bí thư Đoàn xã"),
            ("email", "moi@example.vn"),
        ],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/khoa-hoc/thu-thay/dai-bieu?ok=thay")
    );
    let all = courses::delegates(&app.state.db, ctx.course.id)
        .await
        .unwrap();
    let gone = all.iter().find(|d| d.id == old.id).unwrap();
    assert_eq!(
        gone.status,
        hoithi_storage::status::DelegateStatus::Replaced
    );
    assert_eq!(gone.reason, "Bận công tác");
    let new = all.iter().find(|d| d.full_name == "Trịnh Văn Mới").unwrap();
    assert_eq!(new.status, hoithi_storage::status::DelegateStatus::Accepted);
    assert_eq!(
        (new.unit_id, new.course_unit_id),
        (old.unit_id, old.course_unit_id)
    );
    assert_eq!(active(&app, &ctx).await, 2);
    let after = courses::course_unit(&app.state.db, ctx.course.id, old.unit_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        after.nominated, before.nominated,
        "the unit keeps its place"
    );
    // The old badge is on the revocation list and its page no longer works for check-in.
    let staff_list = district
        .get(app.url(&format!("/api/v1/courses/{}/revocations", ctx.course.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let key = shared::course_key(&app.state, ctx.course.id)
        .public_key()
        .to_base64();
    let scanner = hoithi_checkin::badge::Scanner::new(ctx.course.id, &key, &staff_list).unwrap();
    let gone = courses::delegate(&app.state.db, old.id).await.unwrap();
    assert_eq!(
        scanner.scan(&shared::signed_badge(&app.state, &gone)),
        Err(hoithi_checkin::badge::BadgeError::Revoked)
    );
    assert!(scanner.scan(&shared::signed_badge(&app.state, new)).is_ok());
    // The new delegate is told, with their personal link; the list shows both, with the reason.
    app.wait_for_jobs(Some("message")).await;
    let outbox: Vec<String> = std::fs::read_dir(app.state.config.data_dir.join("outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(
        outbox
            .iter()
            .any(|m| m.contains("To: moi@example.vn") && m.contains("/dai-bieu/")),
        "{outbox:?}"
    );
    let list = app.page(&district, "/khoa-hoc/thu-thay/dai-bieu").await;
    assert!(
        list.contains("Trịnh Văn Mới") && list.contains("Bận công tác"),
        "{list}"
    );
    // Swapping the replaced one again is refused.
    let (status, _, _) = post_form(
        &app,
        &district,
        &path,
        &[("reason", "Lần nữa"), ("full_name", "Ai Đó")],
    )
    .await;
    assert!(status == 404 || status == 422, "{status}");
    let _ = other;
}

async fn post_file(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, String, String) {
    let token = app.session_csrf(c).await;
    let form = reqwest::multipart::Form::new().text("csrf", token).part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    let res = c.post(app.url(path)).multipart(form).send().await.unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, location, res.text().await.unwrap_or_default())
}

async fn quotas(app: &TestApp, ctx: &CourseCtx) -> std::collections::BTreeMap<i64, i32> {
    courses::course_units(&app.state.db, ctx.course.id)
        .await
        .unwrap()
        .into_iter()
        .map(|cu| (cu.unit_id, cu.quota))
        .collect()
}

#[tokio::test]
async fn units_are_invited_from_a_csv_or_excel_list_or_all_at_once() {
    let app = spawn_app().await;
    let ctx = course(&app, "thu-moi").await;
    let district = app.sign_in(DISTRICT.0, DISTRICT.1).await;
    let path = "/khoa-hoc/thu-moi/don-vi/nhap";
    let page = app.page(&district, "/khoa-hoc/thu-moi/don-vi").await;
    assert!(page.contains(&format!("action=\"{path}\"")), "{page}");
    let before = quotas(&app, &ctx).await;
    let (thai_son, bach_xa, phu_luu) = (
        app.unit_id("HY-THAISON").await,
        app.unit_id("HY-BACHXA").await,
        app.unit_id("HY-PHULUU").await,
    );
    let phu_luu_name = hoithi_storage::repo::units::get(&app.state.db, phu_luu)
        .await
        .unwrap()
        .name;

    // A list with problems: each faulty row named, nothing invited.
    let bad = format!(
        "Mã đơn vị,Số đại biểu\nHY-THAISON,3\nHY-KHONGCO,2\nHY-BACHXA,hai\nhy-thaison,1\n{phu_luu_name},5000\n"
    );
    let (status, _, body) = post_file(&app, &district, path, "moi.csv", bad.into_bytes()).await;
    assert_eq!(status, 422, "{body}");
    for needle in [
        "Dòng 3",
        "HY-KHONGCO",
        "Dòng 4",
        "Dòng 5",
        "Dòng 6",
        "Chưa mời đơn vị nào",
    ] {
        assert!(body.contains(needle), "{needle}: {body}");
    }
    assert_eq!(quotas(&app, &ctx).await, before);
    // Not a spreadsheet at all.
    let (status, _, body) = post_file(
        &app,
        &district,
        path,
        "moi.xlsx",
        b"%PDF-1.4 not excel".to_vec(),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Excel"), "{body}");

    // CSV: codes in any case, or the unit's name; a heading row skipped.
    let good = format!("Mã,Số lượng\nhy-thaison,3\n{phu_luu_name},2\n");
    let (status, location, _) =
        post_file(&app, &district, path, "moi.csv", good.into_bytes()).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/khoa-hoc/thu-moi/don-vi?ok=moi")
    );
    let q = quotas(&app, &ctx).await;
    assert_eq!((q[&thai_son], q[&phu_luu]), (3, 2));
    // Excel, with numbers stored as numbers.
    let xlsx = {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Mã đơn vị").unwrap();
        ws.write_string(0, 1, "Số đại biểu").unwrap();
        ws.write_string(1, 0, "HY-BACHXA").unwrap();
        ws.write_number(1, 1, 4.0).unwrap();
        wb.save_to_buffer().unwrap()
    };
    let (status, _, body) = post_file(&app, &district, path, "moi.xlsx", xlsx).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(quotas(&app, &ctx).await[&bach_xa], 4);

    // A quota that is not a number: refused, and the form keeps what was typed.
    let (status, _, body) = post_form(
        &app,
        &district,
        "/khoa-hoc/thu-moi/don-vi/tat-ca",
        &[("quota", "hai"), ("levels", "all")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("value=\"hai\""), "{body}");
    assert!(body.contains("value=\"all\" checked"), "{body}");
    // Every direct unit with one quota; units already invited get it too.
    let (status, _, _) = post_form(
        &app,
        &district,
        "/khoa-hoc/thu-moi/don-vi/tat-ca",
        &[("quota", "2"), ("levels", "direct")],
    )
    .await;
    assert_eq!(status, 303);
    let q = quotas(&app, &ctx).await;
    let direct = hoithi_storage::repo::units::list(&app.state.db, None)
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.parent_id == Some(ctx.organizer.id))
        .count();
    assert_eq!(q.len(), direct, "{q:?}");
    assert!(q.values().all(|n| *n == 2), "{q:?}");
    // A commune's administrator may not invite.
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    let (status, _, _) =
        post_file(&app, &commune, path, "moi.csv", b"HY-THAISON,9\n".to_vec()).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_commune_passes_a_district_course_on_in_a_course_linked_to_it() {
    let app = spawn_app().await;
    let parent = course(&app, "thu-cap-tren").await;
    let commune = app.sign_in(COMMUNE.0, COMMUNE.1).await;
    // From the district's course page, the commune's administrator opens the new-course form
    // with the parent chosen and its title to start from.
    let page = app.page(&commune, "/khoa-hoc/thu-cap-tren").await;
    let link = format!("/khoa-hoc/moi?cap-tren={}", parent.course.id);
    assert!(page.contains(&format!("href=\"{link}\"")), "{page}");
    let form = app.page(&commune, &link).await;
    assert!(
        form.contains(&format!("<option value=\"{}\" selected>", parent.course.id)),
        "{form}"
    );
    let thai_son = app.unit_id("HY-THAISON").await.to_string();
    let fields = |parent_id: String| {
        vec![
            ("organizer_unit_id", thai_son.clone()),
            (
                "title",
                "Triển khai lớp tập huấn tại xã Thái Sơn".to_string(),
            ),
            ("kind", "tap_huan".to_string()),
            ("nomination_deadline", "31/12/2099".to_string()),
            ("parent_course_id", parent_id),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| {
        let commune = commune.clone();
        let app = &app;
        async move {
            let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(app, &commune, "/khoa-hoc", &refs).await
        }
    };
    // A parent that is not above the commune, or unknown: refused, the form keeps its values.
    let sibling = course(&app, "thu-ngang-hang").await;
    {
        use sea_orm::{ActiveModelTrait, Set};
        let mut a: hoithi_storage::entity::courses::course::ActiveModel =
            sibling.course.clone().into();
        a.organizer_unit_id = Set(app.unit_id("HY-THAISON").await);
        a.organizer_path = Set(hoithi_storage::repo::units::get(
            &app.state.db,
            app.unit_id("HY-THAISON").await,
        )
        .await
        .unwrap()
        .path);
        a.update(&app.state.db.conn).await.unwrap();
    }
    for bad in [sibling.course.id.to_string(), "999999".into(), "abc".into()] {
        let (status, _, body) = send(fields(bad.clone())).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(body.contains("Lớp cấp trên phải là"), "{body}");
        assert!(
            body.contains("Triển khai lớp tập huấn tại xã Thái Sơn"),
            "{body}"
        );
    }
    let (status, location, _) = send(fields(parent.course.id.to_string())).await;
    assert_eq!(status, 303, "{location}");
    let child = courses::list(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.title == "Triển khai lớp tập huấn tại xã Thái Sơn")
        .unwrap();
    assert_eq!(child.parent_course_id, Some(parent.course.id));
    // Each page links the other (the child is a draft: its own organizers see it listed).
    let page = app
        .page(&commune, &format!("/khoa-hoc/{}", child.slug))
        .await;
    assert!(page.contains("href=\"/khoa-hoc/thu-cap-tren\""), "{page}");
    let page = app.page(&commune, "/khoa-hoc/thu-cap-tren").await;
    assert!(
        page.contains(&format!("href=\"/khoa-hoc/{}\"", child.slug)),
        "{page}"
    );
}
