//! The courses issue's "done means", in a real browser on a phone-sized screen, on both
//! databases: the organizer creates a course with two sessions and quotas; the commune's
//! administrator nominates two delegates and is refused a third; a delegate opens the personal
//! link and shows the badge, is checked in by staff, checks in to the second session with the
//! room's rotating code, answers the survey and gets a certificate that the public check page
//! confirms; the commune reports a follow-up session and the organizer's dashboard shows it
//! rolled up to the district.

mod common;

use common::browser::*;
use common::*;
use fantoccini::{Client, Locator};

async fn link(b: &Client, text: &str) {
    b.wait()
        .for_element(Locator::LinkText(text))
        .await
        .unwrap_or_else(|e| panic!("link «{text}»: {e}"))
        .click()
        .await
        .unwrap();
}

/// Waits until the page (after a navigation) shows `needle`.
async fn wait_text(b: &Client, needle: &str) {
    for _ in 0..100 {
        if let Ok(e) = b.find(Locator::Css("body")).await
            && let Ok(t) = e.text().await
            && t.contains(needle)
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the page never showed «{needle}»: {}", body_text(b).await);
}

async fn fill(b: &Client, selector: &str, text: &str) {
    let e = css(b, selector).await;
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

#[tokio::test]
async fn on_a_phone_a_course_goes_from_invitation_to_follow_up() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app().await;
    let profile = tempfile::tempdir().unwrap();
    let b = phone(&driver, profile.path()).await;
    let today = hoithi_web::format::fmt_date(&chrono::Utc::now());
    let thai_son = app.unit_id("HY-THAISON").await;

    // The organizer (the district's administrator) creates the course from the home page.
    sign_in(&b, &app, "tuyengiao.hamyen@hoithi.demo", "demo-hamyen").await;
    b.goto(&app.url("/")).await.unwrap();
    link(&b, "Lớp bồi dưỡng, tập huấn").await;
    link(&b, "Mở lớp mới").await;
    fits_the_screen(&b, "new course").await;
    css(&b, "#organizer_unit_id")
        .await
        .select_by_value(&app.unit_id("HY").await.to_string())
        .await
        .unwrap();
    type_into(&b, "#title", "Tập huấn báo cáo viên cơ sở").await;
    type_into(&b, "#slug", "tap-huan-bcv").await;
    type_into(&b, "#venue", "Hội trường Huyện ủy").await;
    type_into(&b, "#nomination_deadline", "31/12/2099").await;
    fill(&b, "#completion_share", "70").await;
    click(&b, "form[action='/khoa-hoc'] button[type=submit]").await;
    wait_text(&b, "Đã mở lớp").await;
    for (starts, ends, topic) in [
        ("00:00", "00:01", "Buổi sáng"),
        ("00:02", "23:59", "Buổi chiều"),
    ] {
        type_into(&b, "#day", &today).await;
        type_into(&b, "#starts", starts).await;
        type_into(&b, "#ends", ends).await;
        type_into(&b, "#topic", topic).await;
        type_into(&b, "#speaker", "Đồng chí Trần Thị Minh Thu").await;
        click(&b, "#session-form button[type=submit]").await;
        wait_text(&b, &format!("— {topic}")).await;
    }
    fits_the_screen(&b, "course page").await;
    css(&b, "#status")
        .await
        .select_by_value("nominating")
        .await
        .unwrap();
    click(&b, "#status-form button[type=submit]").await;
    wait_text(&b, "Đã đổi trạng thái").await;
    link(&b, "Mời đơn vị cử đại biểu").await;
    fits_the_screen(&b, "invitations").await;
    fill(&b, &format!("#q{thai_son}"), "2").await;
    click(&b, "#invite-form button[type=submit]").await;
    wait_text(&b, "Đã lưu danh sách mời").await;

    // The commune's administrator nominates two and is refused a third.
    sign_in(&b, &app, "thaison@hoithi.demo", "demo-thaison").await;
    b.goto(&app.url("/khoa-hoc/tap-huan-bcv")).await.unwrap();
    link(&b, "Đại biểu").await;
    fits_the_screen(&b, "delegates").await;
    for (name, expect) in [
        ("Nguyễn Văn Học", "Nguyễn Văn Học, Báo cáo viên"),
        ("Hoàng Thị Viên", "Hoàng Thị Viên, Báo cáo viên"),
        ("Lê Văn Thừa", "đã đủ 2 đại biểu"),
    ] {
        type_into(&b, "#full_name", name).await;
        type_into(&b, "#job_title", "Báo cáo viên").await;
        click(&b, "#nominate-form button[type=submit]").await;
        wait_text(&b, expect).await;
    }
    assert_eq!(
        css(&b, "#full_name")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Lê Văn Thừa")
    );
    let badge = css(&b, "ul.delegates li a")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(badge.starts_with("/dai-bieu/"), "{badge}");

    // The delegate opens the personal link (no account) and shows the badge.
    b.delete_all_cookies().await.unwrap();
    b.goto(&app.url(&badge)).await.unwrap();
    fits_the_screen(&b, "badge").await;
    assert!(
        css(&b, "#short-code")
            .await
            .text()
            .await
            .unwrap()
            .starts_with("DB-")
    );

    // The badge shows its QR code, drawn as SVG on the server; it holds the personal link.
    let qr = css(&b, ".badge .qr svg").await;
    assert_eq!(
        qr.attr("aria-label").await.unwrap().as_deref(),
        Some("Mã QR thẻ đại biểu")
    );
    assert!(qr.find(Locator::Css("path")).await.is_ok());
    let qr_link = css(&b, "#badge-link")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let qr_path = format!("/dai-bieu/{}", qr_link.rsplit_once("/dai-bieu/").unwrap().1);
    assert_eq!(qr_path, badge, "the QR holds the personal link");

    // Staff open the QR's link on their phone, signed in, and confirm with one button.
    sign_in(&b, &app, "tuyengiao.hamyen@hoithi.demo", "demo-hamyen").await;
    b.goto(&app.url(&qr_path)).await.unwrap();
    click(&b, "form.staff-confirm button").await;
    wait_text(&b, "Đã điểm danh").await;
    // The room screen of the second session shows its code and the QR code of its self
    // check-in address with that code.
    b.goto(&app.url("/khoa-hoc/tap-huan-bcv")).await.unwrap();
    let rooms = b
        .find_all(Locator::LinkText("Màn hình mã phòng"))
        .await
        .unwrap();
    rooms[1].click().await.unwrap();
    fits_the_screen(&b, "room screen").await;
    let code = css(&b, "#room-code").await.text().await.unwrap();
    assert_eq!(code.trim().chars().count(), 8, "{code}");
    css(&b, ".qr svg").await;
    let entry = css(&b, "#room-link")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        entry.ends_with(&format!("/tu-diem-danh/{}", code.trim())),
        "{entry}"
    );
    let entry_path = format!("/khoa-hoc/{}", entry.rsplit_once("/khoa-hoc/").unwrap().1);

    // The delegate's phone (which opened the personal link) scans the room's QR code and
    // confirms with one button.
    b.delete_all_cookies().await.unwrap();
    b.goto(&app.url(&badge)).await.unwrap();
    b.goto(&app.url(&entry_path)).await.unwrap();
    fits_the_screen(&b, "room check-in").await;
    click(&b, "#room-entry button[type=submit]").await;
    wait_text(&b, "Đã điểm danh").await;
    assert_eq!(
        b.find_all(Locator::Css("ul.sessions strong"))
            .await
            .unwrap()
            .len(),
        2,
        "both sessions checked"
    );

    // The organizer sets the survey (the template's questions).
    sign_in(&b, &app, "tuyengiao.hamyen@hoithi.demo", "demo-hamyen").await;
    b.goto(&app.url("/khoa-hoc/tap-huan-bcv")).await.unwrap();
    link(&b, "Phiếu khảo sát").await;
    click(&b, "#survey-form button[type=submit]").await;
    wait_text(&b, "Đã lưu").await;

    // The delegate answers it and takes the certificate.
    b.delete_all_cookies().await.unwrap();
    b.goto(&app.url(&badge)).await.unwrap();
    click(&b, "#survey-link").await;
    fits_the_screen(&b, "survey").await;
    for fieldset in b
        .find_all(Locator::Css("#answer-form fieldset"))
        .await
        .unwrap()
    {
        if let Ok(first) = fieldset.find(Locator::Css("input")).await {
            first.click().await.unwrap();
        }
    }
    click(&b, "#answer-form button[type=submit]").await;
    wait_text(&b, "Đã gửi phiếu khảo sát").await;
    click(&b, "#certificate-form button").await;
    wait_text(&b, "GCN-").await;
    let text = body_text(&b).await;
    assert!(
        text.contains("Hoàng Thị Viên") || text.contains("Nguyễn Văn Học"),
        "{text}"
    );
    let url = b.current_url().await.unwrap();
    assert!(url.path().starts_with("/xac-minh/GCN-"), "{url}");
    fits_the_screen(&b, "certificate check").await;

    // The commune reports a follow-up session.
    sign_in(&b, &app, "thaison@hoithi.demo", "demo-thaison").await;
    b.goto(&app.url("/khoa-hoc/tap-huan-bcv")).await.unwrap();
    link(&b, "Triển khai sau lớp học").await;
    fits_the_screen(&b, "follow-up").await;
    type_into(&b, &format!("#held{thai_son}"), &today).await;
    type_into(&b, &format!("#place{thai_son}"), "Hội trường UBND xã").await;
    type_into(&b, &format!("#participants{thai_son}"), "57").await;
    click(&b, &format!("#report-{thai_son} button[type=submit]")).await;
    wait_text(&b, "Đã gửi báo cáo triển khai").await;

    // The organizer's dashboard shows it at the district.
    sign_in(&b, &app, "tuyengiao.hamyen@hoithi.demo", "demo-hamyen").await;
    b.goto(&app.url("/khoa-hoc/tap-huan-bcv/trien-khai"))
        .await
        .unwrap();
    fits_the_screen(&b, "dashboard").await;
    let total = css(&b, "#rollup-total").await.text().await.unwrap();
    assert!(total.contains("Huyện Hàm Yên"), "{total}");
    assert!(total.contains("1/1 đơn vị đã báo cáo"), "{total}");
    assert!(total.contains("57 người"), "{total}");
    b.close().await.unwrap();
}
