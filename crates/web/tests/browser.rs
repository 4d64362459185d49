//! The contests issue's "done means", in a real browser on a phone-sized screen: Debian's
//! chromium driven through chromedriver against the real server. A guest submits a DOCX entry
//! and gets a receipt; the commune coordinator sees it on the dashboard and in screening; the
//! organizer disqualifies another entry with a reason, and its submitter sees the reason on
//! the private link. Skips, saying so, when chromium or chromedriver is missing (`.ci/run`
//! installs both).

mod common;

use common::browser::*;
use common::submissions::*;
use common::*;
use fantoccini::{Client, Locator};
use hoithi_storage::repo::{contests, entries};

async fn dashboard_total(b: &Client, app: &TestApp) -> String {
    b.goto(&app.url(&format!("/cuoc-thi/{SLUG}/thong-ke")))
        .await
        .unwrap();
    fits_the_screen(b, "dashboard").await;
    css(b, "p.counter strong").await.text().await.unwrap()
}

#[tokio::test]
async fn on_a_phone_a_guest_submits_the_commune_sees_it_and_a_disqualification_is_explained() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app().await;
    let profile = tempfile::tempdir().unwrap();
    let b = phone(&driver, profile.path()).await;
    let k = contests::by_slug(&app.state.db, SLUG).await.unwrap();
    let genre = contests::genres(&app.state.db, k.id).await.unwrap()[0].id;
    let thai_son = app.unit_id("HY-THAISON").await;

    // The commune coordinator's count before.
    sign_in(&b, &app, "thaison@hoithi.demo", "demo-thaison").await;
    let before: u64 = dashboard_total(&b, &app)
        .await
        .replace('.', "")
        .parse()
        .unwrap();

    // A guest on the phone submits a Word file.
    b.delete_all_cookies().await.unwrap();
    let paragraphs = essay(1200);
    let bytes = docx(&paragraphs.iter().map(String::as_str).collect::<Vec<_>>());
    let file = profile.path().join("bai-du-thi.docx");
    std::fs::write(&file, &bytes).unwrap();
    b.goto(&app.url(&format!("/cuoc-thi/{SLUG}/gui-bai")))
        .await
        .unwrap();
    fits_the_screen(&b, "submission form").await;
    css(&b, "#genre_id")
        .await
        .select_by_value(&genre.to_string())
        .await
        .unwrap();
    css(&b, "#unit_id")
        .await
        .select_by_value(&thai_son.to_string())
        .await
        .unwrap();
    type_into(&b, "#title", "Vững một niềm tin nơi biên cương").await;
    type_into(&b, "#a0_name", "Hoàng Văn Thụ").await;
    type_into(&b, "#a0_birth", "1991").await;
    type_into(&b, "#a0_work", "Thôn Khuổi Pài, xã Thái Sơn").await;
    type_into(&b, "#a0_phone", "0978 123 456").await;
    css(&b, "#file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    css(&b, "input[name=confirm_unpublished]")
        .await
        .click()
        .await
        .unwrap();
    css(&b, "input[name=confirm_not_staff]")
        .await
        .click()
        .await
        .unwrap();
    css(&b, "form.stack button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let code = css(&b, ".code").await.text().await.unwrap();
    fits_the_screen(&b, "receipt").await;
    let receipt = body_text(&b).await;
    let sha = hoithi_storage::blob::sha256_hex(&bytes);
    assert!(receipt.contains(&sha), "receipt shows the file's SHA-256");
    let entry = entries::by_receipt(&app.state.db, &code).await.unwrap();
    assert_eq!(entry.file_sha256.as_deref(), Some(sha.as_str()));
    assert_eq!(entry.unit_id, thai_son);
    assert_eq!(entry.title, "Vững một niềm tin nơi biên cương");

    // The coordinator sees one more entry on the dashboard, and this one in screening.
    sign_in(&b, &app, "thaison@hoithi.demo", "demo-thaison").await;
    let after: u64 = dashboard_total(&b, &app)
        .await
        .replace('.', "")
        .parse()
        .unwrap();
    assert_eq!(after, before + 1);
    b.goto(&app.url(&format!("/cuoc-thi/{SLUG}/bai")))
        .await
        .unwrap();
    fits_the_screen(&b, "screening list").await;
    assert!(
        body_text(&b)
            .await
            .contains("Vững một niềm tin nơi biên cương")
    );
    // The coordinator exports their commune's list: from the screening page, a button, then a
    // page that refreshes itself until the file is ready.
    click(&b, &format!("a[href='/cuoc-thi/{SLUG}/xuat']")).await;
    wait_for_text(&b, "chưa xuất danh sách nào").await;
    fits_the_screen(&b, "export page").await;
    click(&b, &format!("form[action='/cuoc-thi/{SLUG}/xuat'] button")).await;
    wait_for_text(&b, "Tệp đã sẵn sàng").await;
    fits_the_screen(&b, "export ready").await;
    css(&b, &format!("a[href='/cuoc-thi/{SLUG}/xuat/tai-ve']")).await;

    // Another guest's entry (sent by a script), disqualified by the organizer on the phone.
    let mut fields = base_fields(&app, "Bài đã đăng báo", "Ma Thị Hoa").await;
    fields.push(("text", essay(1100).join("\n\n")));
    let (status, html) = submit(
        &app,
        &client(),
        SLUG,
        Form {
            fields,
            file: None,
            csrf: true,
        },
    )
    .await;
    assert_eq!(status, 200);
    let other = entries::by_receipt(&app.state.db, &code_of(&html))
        .await
        .unwrap();
    let private_link = link_of(&html);
    sign_in(&b, &app, "bantochuc@hoithi.demo", "demo-bantochuc").await;
    b.goto(&app.url(&format!("/cuoc-thi/{SLUG}/bai/{}", other.id)))
        .await
        .unwrap();
    fits_the_screen(&b, "screening an entry").await;
    css(&b, "input[name=decision][value=disqualified]")
        .await
        .click()
        .await
        .unwrap();
    let reason = "Tác phẩm đã đăng trên Báo Tuyên Quang ngày 02/3/2026.";
    type_into(&b, "#reason", reason).await;
    css(&b, "form[action$='/so-loai'] button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    // The decision is saved when the page after the form has loaded.
    let mut other = entries::get(&app.state.db, other.id).await.unwrap();
    for _ in 0..100 {
        if other.status == entries::DISQUALIFIED {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        other = entries::get(&app.state.db, other.id).await.unwrap();
    }
    assert_eq!(other.status, entries::DISQUALIFIED);

    // The submitter opens the private link and reads why.
    b.delete_all_cookies().await.unwrap();
    b.goto(&app.url(&private_link)).await.unwrap();
    fits_the_screen(&b, "private entry page").await;
    let page = body_text(&b).await;
    assert!(
        page.contains(reason) && page.contains("Bị loại"),
        "the submitter sees the decision and its reason: {page}"
    );
    b.close().await.unwrap();
}

#[tokio::test]
async fn on_a_phone_a_judge_scores_an_entry_blind() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app().await;
    let profile = tempfile::tempdir().unwrap();
    let b = phone(&driver, profile.path()).await;
    let k = contests::by_slug(&app.state.db, SLUG).await.unwrap();
    let fin = hoithi_storage::repo::rounds::for_contest(&app.state.db, k.id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kind == hoithi_storage::repo::rounds::FINAL)
        .unwrap()
        .id;

    sign_in(&b, &app, "giamkhao@hoithi.demo", "demo-giamkhao").await;
    b.goto(&app.url("/cham-thi")).await.unwrap();
    fits_the_screen(&b, "judge's rounds").await;
    css(&b, &format!("a[href='/cham-thi/{fin}']"))
        .await
        .click()
        .await
        .unwrap();
    // The first entry of the list not scored yet (the demo judge has submitted a few),
    // opened by its anonymous code.
    let link = b
        .wait()
        .for_element(Locator::XPath(
            "//table/tbody/tr[not(contains(., 'Đã nộp'))]//td/a",
        ))
        .await
        .expect("an entry left to score");
    let code = link.text().await.unwrap();
    link.click().await.unwrap();
    css(&b, "article.work").await;
    fits_the_screen(&b, "entry to score").await;
    let page = body_text(&b).await;
    let entry_id = hoithi_storage::repo::rounds::entry_by_code(&app.state.db, k.id, &code)
        .await
        .unwrap();
    let entry = entries::get(&app.state.db, entry_id).await.unwrap();
    for a in entries::authors(&app.state.db, entry_id).await.unwrap() {
        assert!(!page.contains(&a.full_name), "the author's name is hidden");
    }
    if !entry.pen_name.is_empty() {
        assert!(!page.contains(&entry.pen_name), "the pen name is hidden");
    }

    // One point on every criterion, a comment, submitted.
    let points = b
        .find_all(Locator::Css("form.stack input[name^='p']"))
        .await
        .unwrap();
    assert!(points.len() >= 3, "a rubric with criteria");
    for p in &points {
        p.clear().await.unwrap();
        p.send_keys("1").await.unwrap();
    }
    type_into(
        &b,
        "#comment",
        "Lập luận chặt chẽ, dẫn chứng từ thực tế cơ sở.",
    )
    .await;
    css(&b, "button[name=action][value=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait()
        .for_element(Locator::XPath(
            "//p[contains(@class,'notice') and contains(., 'Đã nộp')]",
        ))
        .await
        .expect("the submitted score is confirmed");
    let page = body_text(&b).await;
    assert!(
        page.contains(&format!("tổng {}", points.len())),
        "total of one point per criterion: {page}"
    );
    b.close().await.unwrap();
}

#[tokio::test]
async fn on_a_phone_a_double_click_and_a_reloaded_receipt_make_one_entry() {
    use hoithi_storage::entity::entry;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app().await;
    let profile = tempfile::tempdir().unwrap();
    let b = phone(&driver, profile.path()).await;
    let title = "Một lần bấm gửi, một tác phẩm";
    b.goto(&app.url(&format!("/cuoc-thi/{SLUG}/gui-bai")))
        .await
        .unwrap();
    type_into(&b, "#title", title).await;
    type_into(&b, "#a0_name", "Nông Văn Dền").await;
    type_into(&b, "#a0_birth", "1987").await;
    type_into(&b, "#a0_work", "Xã Bằng Cốc").await;
    type_into(&b, "#a0_phone", "0912 000 111").await;
    // A long text pasted at once (typing it key by key would take minutes).
    b.execute(
        "document.getElementById('text').value = arguments[0];",
        vec![serde_json::json!(essay(1100).join("\n\n"))],
    )
    .await
    .unwrap();
    for name in ["confirm_unpublished", "confirm_not_staff"] {
        css(&b, &format!("input[name={name}]"))
            .await
            .click()
            .await
            .unwrap();
    }
    // "Gửi bài" clicked twice in a row, as an impatient thumb does.
    b.execute(
        "var s = document.querySelector('form.stack button[type=submit]'); s.click(); s.click();",
        vec![],
    )
    .await
    .unwrap();
    let code = css(&b, "strong.code").await.text().await.unwrap();
    fits_the_screen(&b, "receipt").await;
    // Reloading the receipt sends nothing again.
    b.refresh().await.unwrap();
    assert_eq!(css(&b, "strong.code").await.text().await.unwrap(), code);
    let n = entry::Entity::find()
        .filter(entry::Column::Title.eq(title))
        .count(&app.state.db.conn)
        .await
        .unwrap();
    assert_eq!(n, 1, "one entry after a double click and a reload");
    // The receipt shows the whole private link, host included, as selectable text, and a copy
    // button where the browser can copy.
    let link = css(&b, ".private-link a").await.text().await.unwrap();
    assert!(
        link.starts_with(&app.state.config.public_url)
            && link.contains(&format!("/bai-du-thi/{code}?k=")),
        "{link}"
    );
    let can_copy = b
        .execute("return !!navigator.clipboard;", vec![])
        .await
        .unwrap();
    if can_copy.as_bool() == Some(true) {
        let label = css(&b, ".private-link button.copy")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(label, "Sao chép đường dẫn");
    }
}
