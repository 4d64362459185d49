//! Where each role starts, on a phone: the judge signs in, finds "Chấm thi" with their
//! progress on the home page, opens a round and an entry by clicking, and jumps from the top of
//! the long text to the score sheet; the organizer finds every page of their contest from the
//! start block; the account page names roles by what they cover. Skips, saying so, when
//! chromium is missing.

mod common;

use common::browser::*;
use common::*;
use fantoccini::Locator;

#[tokio::test]
async fn on_a_phone_each_role_finds_its_work_from_the_home_page() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app().await;
    let profile = tempfile::tempdir().unwrap();
    let b = phone(&driver, profile.path()).await;

    // The judge: "Chấm thi" with progress, then a round, an entry and the jump to the sheet.
    sign_in(&b, &app, demo::JUDGE.0, demo::JUDGE.1).await;
    b.goto(&app.url("/")).await.unwrap();
    let start = css(&b, "section.start").await.text().await.unwrap();
    assert!(start.contains("Chấm thi"), "{start}");
    assert!(start.contains("đã nộp"), "progress shown: {start}");
    fits_the_screen(&b, "judge's home page").await;
    css(&b, "section.start a[href^='/cham-thi/']")
        .await
        .click()
        .await
        .unwrap();
    let entry = css(&b, "main table a[href^='/cham-thi/']").await;
    entry.click().await.unwrap();
    fits_the_screen(&b, "judge's entry").await;
    let before = b
        .execute("return window.scrollY", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    css(&b, "a.jump").await.click().await.unwrap();
    let (after, sheet_top) = {
        let v = b
            .execute(
                "return [window.scrollY, document.getElementById('sheet').getBoundingClientRect().top]",
                vec![],
            )
            .await
            .unwrap();
        (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
    };
    assert!(
        after > before && (0.0..200.0).contains(&sheet_top),
        "the jump link brings the sheet up: scrolled {before} -> {after}, sheet at {sheet_top}"
    );
    b.wait()
        .for_element(Locator::Css("input#p0"))
        .await
        .expect("the score form under the sheet heading");

    // The judge's account names the role by its round, never by an id.
    b.goto(&app.url("/tai-khoan")).await.unwrap();
    let account = body_text(&b).await;
    assert!(account.contains("Giám khảo — "), "{account}");
    assert!(!account.contains('#'), "no internal ids: {account}");

    // The organizer: every page of the contest from the start block.
    sign_in(&b, &app, demo::ORGANIZER.0, demo::ORGANIZER.1).await;
    b.goto(&app.url("/")).await.unwrap();
    fits_the_screen(&b, "organizer's home page").await;
    let links: Vec<String> = {
        let mut out = Vec::new();
        for a in b.find_all(Locator::Css("section.start a")).await.unwrap() {
            out.push(a.attr("href").await.unwrap().unwrap_or_default());
        }
        out
    };
    for want in [
        "/bai",
        "/vong",
        "/cai-dat",
        "/tai-lieu-doi-chieu",
        "/thong-ke",
    ] {
        assert!(
            links.iter().any(|l| l.ends_with(want)),
            "the organizer's start links {want}: {links:?}"
        );
    }
    css(&b, "section.start a[href$='/tai-lieu-doi-chieu']")
        .await
        .click()
        .await
        .unwrap();
    let page = body_text(&b).await;
    assert!(
        page.contains("Văn bản mẫu"),
        "help text on the page: {page}"
    );
    fits_the_screen(&b, "reference texts").await;

    // A participant: "Bài của tôi" in the navigation, and the submission form starts from
    // their account (name, phone, unit).
    sign_in(&b, &app, PARTICIPANT.0, PARTICIPANT.1).await;
    b.goto(&app.url("/")).await.unwrap();
    css(&b, "header.top a[href='/bai-cua-toi']").await;
    css(&b, "header.top a[href='/cuoc-thi']")
        .await
        .click()
        .await
        .unwrap();
    css(&b, "main a[href^='/cuoc-thi/']")
        .await
        .click()
        .await
        .unwrap();
    css(&b, "a[href$='/gui-bai']").await.click().await.unwrap();
    let value = |sel: &'static str| {
        let b = b.clone();
        async move {
            css(&b, sel)
                .await
                .prop("value")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    assert_eq!(value("#a0_name").await, "Ma Thị Hoa");
    assert_eq!(value("#a0_phone").await, PARTICIPANT.0);
    let unit = hoithi_storage::repo::users::find_by_login(&app.state.db, PARTICIPANT.0)
        .await
        .unwrap()
        .unwrap()
        .unit_id
        .unwrap();
    assert_eq!(value("#unit_id").await, unit.to_string());
    fits_the_screen(&b, "submission form").await;
    b.close().await.unwrap();
}
