//! Course materials in a real browser on a phone-sized screen, on both databases: the
//! organizer adds a handout from the course page by clicking (for delegates only, for one
//! session); a delegate sees it on the personal page and it opens through the personal link;
//! a visitor of the course page does not see it.

mod common;

use common::browser::*;
use common::*;
use fantoccini::Locator;
use hoithi_web::courses::demo::{SLUG, outline_docx};

#[tokio::test]
async fn on_a_phone_the_organizer_adds_a_handout_and_a_delegate_finds_it() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app().await;
    let profile = tempfile::tempdir().unwrap();
    let b = phone(&driver, profile.path()).await;
    let files = tempfile::tempdir().unwrap();
    let handout = files.path().join("Huong dan thao luan to.docx");
    std::fs::write(
        &handout,
        outline_docx(&[
            "# Hướng dẫn thảo luận tổ",
            "Mỗi tổ cử thư ký ghi ý kiến, báo cáo lại trong mười phút.",
        ]),
    )
    .unwrap();

    // The organizer opens the course, then its materials, and adds the handout.
    sign_in(&b, &app, "bantochuc@hoithi.demo", "demo-bantochuc").await;
    b.goto(&app.url("/khoa-hoc")).await.unwrap();
    b.wait()
        .for_element(Locator::LinkText(
            "Lớp bồi dưỡng nghiệp vụ công tác tuyên giáo năm 2026",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&b, "Tài liệu").await;
    fits_the_screen(&b, "course page").await;
    click(&b, "#manage-materials").await;
    wait_for_text(&b, "Thêm tài liệu").await;
    fits_the_screen(&b, "materials page").await;
    type_into(&b, "#title", "Hướng dẫn thảo luận tổ").await;
    css(&b, "#file")
        .await
        .send_keys(&handout.display().to_string())
        .await
        .unwrap();
    let sessions = hoithi_storage::repo::courses::sessions(
        &app.state.db,
        hoithi_storage::repo::courses::by_slug(&app.state.db, SLUG)
            .await
            .unwrap()
            .unwrap()
            .id,
    )
    .await
    .unwrap();
    css(&b, "#session_id")
        .await
        .select_by_value(&sessions[1].id.to_string())
        .await
        .unwrap();
    type_into(&b, "#note", "Dùng trong buổi chiều.").await;
    click(&b, "#material-form button[type=submit]").await;
    let page = wait_for_text(&b, "Đã thêm tài liệu.").await;
    assert!(page.contains("Hướng dẫn thảo luận tổ"), "{page}");
    assert!(page.contains("DOCX"), "{page}");
    fits_the_screen(&b, "materials page after adding").await;

    // A visitor of the course page does not see it.
    b.delete_all_cookies().await.unwrap();
    b.goto(&app.url(&format!("/khoa-hoc/{SLUG}")))
        .await
        .unwrap();
    let seen = wait_for_text(&b, "Tài liệu").await;
    assert!(
        seen.contains("Đề cương bài giảng"),
        "the public outline: {seen}"
    );
    assert!(!seen.contains("Hướng dẫn thảo luận tổ"), "{seen}");

    // A delegate opens the personal link and finds it there.
    let k = hoithi_storage::repo::courses::by_slug(&app.state.db, SLUG)
        .await
        .unwrap()
        .unwrap();
    let d = hoithi_storage::repo::courses::delegates(&app.state.db, k.id)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.user_id.is_none() && hoithi_web::courses::service::is_active(d))
        .unwrap();
    let personal = hoithi_web::courses::service::personal_path(&app.state, &d);
    b.goto(&app.url(&personal)).await.unwrap();
    let page = wait_for_text(&b, "Hướng dẫn thảo luận tổ").await;
    assert!(page.contains("Dùng trong buổi chiều."), "{page}");
    fits_the_screen(&b, "personal page").await;
    let href = b
        .find(Locator::LinkText("Hướng dẫn thảo luận tổ"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(href.starts_with(&format!("{personal}/tai-lieu/")), "{href}");
    // The link opens the file for whoever holds it (the download itself, outside the browser).
    let res = client().get(app.url(&href)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("Huong-dan-thao-luan-to.docx")
            || res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("huong-dan-thao-luan-to.docx")
    );
    b.close().await.unwrap();
}
