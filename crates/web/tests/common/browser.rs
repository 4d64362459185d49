//! The browser kit shared by every browser test: Debian's chromium driven through chromedriver
//! on a phone-sized screen, and the few steps every flow takes (find, type, read, sign in,
//! check the page fits the screen). A test skips, saying so, when chromium is missing.

use super::TestApp;
use fantoccini::{Client, ClientBuilder, Locator};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver on a free port, stopped when dropped.
pub struct Driver {
    child: std::process::Child,
    pub port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn start_driver() -> Option<Driver> {
    if !std::path::Path::new(CHROMIUM).exists() || !std::path::Path::new(CHROMEDRIVER).exists() {
        eprintln!(
            "SKIPPED: the browser test needs {CHROMIUM} and {CHROMEDRIVER} \
             (apt-get install chromium chromium-driver)"
        );
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, port };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(driver);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not listen on port {port} within 10 seconds");
}

/// A headless chromium the size of a cheap phone (360 × 740 CSS pixels).
pub async fn phone(driver: &Driver, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                format!("--user-data-dir={}", profile.display()),
            ],
            "mobileEmulation": {
                "deviceMetrics": { "width": 360, "height": 740, "pixelRatio": 2.0, "touch": true },
                "userAgent": "Mozilla/5.0 (Linux; Android 12; SM-A035F) AppleWebKit/537.36 \
                              (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36"
            }
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a chromium session")
}

pub async fn css(b: &Client, selector: &str) -> fantoccini::elements::Element {
    b.wait()
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("{selector}: {e}"))
}

/// Clicks `selector`, finding it again if a page that a previous click loads replaced it.
pub async fn click(b: &Client, selector: &str) {
    for _ in 0..50 {
        if css(b, selector).await.click().await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{selector} could not be clicked")
}

pub async fn type_into(b: &Client, selector: &str, text: &str) {
    css(b, selector).await.send_keys(text).await.unwrap();
}

/// The page's text; a page still being replaced after a click is read again.
pub async fn body_text(b: &Client) -> String {
    for _ in 0..50 {
        match css(b, "body").await.text().await {
            Ok(t) => return t,
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    panic!("the page's text could not be read")
}

/// Waits (up to 20 s) for the page to show `text`, as after a click that loads a new page.
pub async fn wait_for_text(b: &Client, text: &str) -> String {
    let mut last = String::new();
    for _ in 0..200 {
        last = body_text(b).await;
        if last.contains(text) {
            return last;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the page never showed {text:?}: {last}")
}

/// The page's content width and the screen's, in CSS pixels.
pub async fn widths(b: &Client) -> (f64, f64) {
    let v = b
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth]",
            vec![],
        )
        .await
        .unwrap();
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

/// The page fits the phone's width: nothing to scroll sideways.
pub async fn fits_the_screen(b: &Client, what: &str) {
    let (content, screen) = widths(b).await;
    assert!(
        content <= screen + 1.0,
        "{what}: content {content}px wide on a {screen}px screen"
    );
}

pub async fn sign_in(b: &Client, app: &TestApp, login: &str, password: &str) {
    b.delete_all_cookies().await.unwrap();
    b.goto(&app.url("/dang-nhap")).await.unwrap();
    type_into(b, "#login", login).await;
    type_into(b, "#password", password).await;
    css(b, "form[action='/dang-nhap'] button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    // Signed in: the page now offers to sign out.
    b.wait()
        .for_element(Locator::Css("form[action='/dang-xuat']"))
        .await
        .unwrap_or_else(|e| panic!("{login} signed in: {e}"));
}
