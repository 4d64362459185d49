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
    let w = shared::room_window(now);
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
    // A photo of an old code (two windows back), a wrong one: refused, nothing recorded.
    for code in [
        shared::room_code(&s.room_secret, w - 2),
        "12345".into(),
        "abcdef".into(),
    ] {
        let res = post(code).await.unwrap();
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("hết hạn"));
    }
    // Another session's code does not open this one.
    let res = post(shared::room_code(&sessions[0].room_secret, w))
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(
        checkins::of_delegate(&app.state.db, d.id)
            .await
            .unwrap()
            .is_empty()
    );
    let res = post(shared::room_code(
        &s.room_secret,
        shared::room_window(chrono::Utc::now()),
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
    let staff = app.sign_in(DISTRICT.0, DISTRICT.1).await;
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
    let _ = d;

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
