//! A submission is made once, however often it is sent: the form carries a random token, the
//! answer is a redirect to the receipt (post/redirect/get), and the same form sent again — a
//! reload, a double click, a phone resending after a timeout, two requests at once — answers
//! with the entry already made. A refused form comes back as typed: declarations still ticked,
//! the file named with a request to attach it again. Runs on SQLite, and on PostgreSQL with
//! HOITHI_TEST_DATABASE=postgres.

mod common;

use common::submissions::*;
use common::*;
use hoithi_storage::repo::contests;

/// The form's token, as the page gives it.
fn form_token(page: &str) -> String {
    page.split("name=\"form_token\" value=\"")
        .nth(1)
        .expect("the form carries a token")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

fn multipart(
    fields: &[(&'static str, String)],
    csrf: &str,
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new().text("csrf", csrf.to_string());
    for (k, v) in fields {
        form = form.text(*k, v.clone());
    }
    if let Some((name, bytes)) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    form
}

async fn entries_titled(app: &TestApp, title: &str) -> u64 {
    use hoithi_storage::entity::entry;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    entry::Entity::find()
        .filter(entry::Column::Title.eq(title))
        .count(&app.state.db.conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_same_form_sent_twice_or_at_once_makes_one_entry_and_one_receipt() {
    let app = spawn_app().await;
    let guest = client();
    let path = format!("/cuoc-thi/{SLUG}/gui-bai");
    let page = app.page(&guest, &path).await;
    let token = form_token(&page);
    assert!(token.len() >= 40, "{token}");
    let csrf = app.csrf(&guest).await;
    let title = "Gửi một lần thôi";
    let mut fields = base_fields(&app, title, "Lò Văn Pầu").await;
    fields.push(("text", essay(900).join("\n\n")));
    fields.push(("form_token", token.clone()));

    // Sent, then sent again (a reload of the post, a phone resending).
    let first = guest
        .post(app.url(&path))
        .multipart(multipart(&fields, &csrf, None))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 303, "post/redirect/get");
    let receipt_at = first.headers()["location"].to_str().unwrap().to_string();
    assert!(receipt_at.contains("/bien-nhan?k="), "{receipt_at}");
    let again = guest
        .post(app.url(&path))
        .multipart(multipart(&fields, &csrf, None))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 303);
    assert_eq!(
        again.headers()["location"].to_str().unwrap(),
        receipt_at,
        "the second answer shows the same receipt"
    );
    assert_eq!(entries_titled(&app, title).await, 1);

    // The receipt reloads as often as one likes, and its private link works.
    let receipt = app.page(&guest, &receipt_at).await;
    let again = app.page(&guest, &receipt_at).await;
    assert_eq!(code_of(&receipt), code_of(&again));
    let link = link_of(&receipt);
    assert!(link.contains("?k="), "{link}");
    let entry_page = app.page(&client(), &link).await;
    assert!(entry_page.contains(title), "{entry_page}");
    // Without the key, the receipt answers as an unknown code.
    let code = code_of(&receipt);
    let res = client()
        .get(app.url(&format!("/bai-du-thi/{code}/bien-nhan")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = client()
        .get(app.url(&format!("/bai-du-thi/{code}/bien-nhan?k=AAAA")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(entries_titled(&app, title).await, 1);

    // A double click: two requests with one new form's token at the same time.
    let page = app.page(&guest, &path).await;
    let token2 = form_token(&page);
    assert_ne!(token, token2, "every form has its own token");
    let title2 = "Bấm gửi hai lần";
    let mut fields2 = base_fields(&app, title2, "Lò Văn Pầu").await;
    fields2.push(("text", essay(900).join("\n\n")));
    fields2.push(("form_token", token2));
    let send = || {
        guest
            .post(app.url(&path))
            .multipart(multipart(&fields2, &csrf, None))
            .send()
    };
    let (a, b) = tokio::join!(send(), send());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (303, 303));
    assert_eq!(a.headers()["location"], b.headers()["location"]);
    assert_eq!(entries_titled(&app, title2).await, 1);

    // A token that is not one (too long, or with characters no form makes) is refused.
    let mut bad = fields.clone();
    bad.retain(|(k, _)| *k != "form_token");
    bad.push(("form_token", "<script>".into()));
    let res = guest
        .post(app.url(&path))
        .multipart(multipart(&bad, &csrf, None))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("tải lại trang gửi bài"));

    // Over the API: the same idempotency key twice gives one entry.
    let body = serde_json::json!({
        "genre_id": contests::genres(&app.state.db, contests::by_slug(&app.state.db, SLUG).await.unwrap().id).await.unwrap()[0].id,
        "unit_id": app.unit_id("HY-THAISON").await,
        "title": "Gửi qua API một lần",
        "authors": [{"full_name": "Lò Thị Dung", "phone": "0987 111 222"}],
        "text": essay(900).join("\n\n"),
        "confirm_unpublished": true,
        "confirm_not_staff": true,
        "idempotency_key": "app-7f3a9c2e-0001",
    });
    let mut links = Vec::new();
    for _ in 0..2 {
        let res = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/contests/{SLUG}/entries")))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let v: serde_json::Value = res.json().await.unwrap();
        links.push(v["private_link"].as_str().unwrap().to_string());
    }
    assert_eq!(links[0], links[1]);
    assert_eq!(entries_titled(&app, "Gửi qua API một lần").await, 1);
}

#[tokio::test]
async fn a_refused_form_comes_back_as_typed_and_names_the_file_to_attach_again() {
    let app = spawn_app().await;
    let guest = client();
    let path = format!("/cuoc-thi/{SLUG}/gui-bai");
    let page = app.page(&guest, &path).await;
    let token = form_token(&page);
    let csrf = app.csrf(&guest).await;
    let title = "Thiếu cách liên hệ";
    let mut fields = base_fields(&app, title, "Hà Văn Khiêm").await;
    // No phone and no e-mail: the organizers could not reach the author.
    fields.retain(|(k, _)| *k != "a0_phone" && *k != "a0_email");
    fields.push(("form_token", token.clone()));
    let paragraphs = essay(900);
    let file = docx(&paragraphs.iter().map(String::as_str).collect::<Vec<_>>());
    let res = guest
        .post(app.url(&path))
        .multipart(multipart(&fields, &csrf, Some(("bai-cua-toi.docx", file))))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("value=\"{title}\"")), "{html}");
    assert!(html.contains("value=\"Hà Văn Khiêm\""), "{html}");
    assert!(
        html.contains("name=\"confirm_unpublished\" value=\"1\" checked")
            && html.contains("name=\"confirm_not_staff\" value=\"1\" checked"),
        "the declarations stay ticked: {html}"
    );
    assert!(
        html.contains("bai-cua-toi.docx") && html.contains("chọn lại tệp"),
        "the dropped file is named: {html}"
    );
    assert!(
        html.contains(&format!("value=\"{token}\"")),
        "the same form token"
    );
    assert_eq!(entries_titled(&app, title).await, 0);
}
