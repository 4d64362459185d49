//! The guests: each submission opens the public form as a new visitor (its own anonymous cookie
//! and CSRF token), then posts the multipart form with the DOCX, and reads the receipt page.
//! Submissions start on an open-loop schedule; at most `clients` are in flight at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use reqwest::header;
use reqwest::multipart::{Form, Part};
use tokio::sync::Semaphore;

use crate::material::Submission;

const DOCX_MIME: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// What the form offers, learned once from the page.
#[derive(Debug, Clone)]
pub struct FormChoices {
    /// Text genres (those that take a file), by id.
    pub genres: Vec<String>,
    pub units: Vec<String>,
    pub groups: Vec<String>,
}

/// Why an attempt got no receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum ErrKind {
    /// The connection was refused or could not be made (server down).
    Connect,
    /// The request went out but the answer was cut (server died mid-request).
    InFlight,
    /// No answer within the client's time limit.
    Timeout,
    /// The server answered with an error status.
    Status(u16),
    /// A 200 page without a receipt code.
    NoReceipt,
    /// The form page had no CSRF token or cookie.
    BadForm,
}

impl std::fmt::Display for ErrKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ErrKind::Connect => f.write_str("connect"),
            ErrKind::InFlight => f.write_str("cut mid-request"),
            ErrKind::Timeout => f.write_str("timeout"),
            ErrKind::Status(s) => write!(f, "HTTP {s}"),
            ErrKind::NoReceipt => f.write_str("no receipt"),
            ErrKind::BadForm => f.write_str("bad form page"),
        }
    }
}

fn kind_of(e: &reqwest::Error) -> ErrKind {
    if e.is_timeout() {
        ErrKind::Timeout
    } else if e.is_connect() {
        ErrKind::Connect
    } else {
        ErrKind::InFlight
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Receipt {
    pub code: String,
    /// The SHA-256 the receipt page shows.
    pub sha256: String,
    pub key: String,
}

/// What happened to one submission.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    pub idx: usize,
    /// When it was due, from the start of the rush.
    pub due: Duration,
    /// When the receipt arrived (or the last attempt ended), from the start of the rush.
    pub done: Duration,
    /// The POST of the attempt that got the receipt, from sending to the full page.
    pub post_latency: Option<Duration>,
    /// The GET of the form of that attempt.
    pub form_latency: Option<Duration>,
    pub status: Option<u16>,
    pub receipt: Option<Receipt>,
    pub attempts: u32,
    /// Failed attempts, in order.
    pub failures: Vec<ErrKind>,
}

impl Outcome {
    /// From when it was due to the receipt: what the guest waited, queueing included.
    pub fn end_to_end(&self) -> Duration {
        self.done.saturating_sub(self.due)
    }
}

pub fn client(clients: usize) -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(clients)
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(300))
        .build()?)
}

/// Text between `start` (after it) and `end`.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// The option values of `<select name="…">`, with their labels.
fn options(page: &str, name: &str) -> Vec<(String, String)> {
    let Some(sel) = between(page, &format!("name=\"{name}\">"), "</select>") else {
        return Vec::new();
    };
    sel.split("<option value=\"")
        .skip(1)
        .filter_map(|o| {
            let (v, rest) = o.split_once('"')?;
            let label = between(rest, ">", "</option>").unwrap_or("");
            Some((v.to_string(), label.to_string()))
        })
        .collect()
}

pub fn csrf_of(page: &str) -> Option<String> {
    between(page, "name=\"csrf\" value=\"", "\"").map(str::to_string)
}

pub async fn learn_form(http: &reqwest::Client, form_url: &str) -> Result<FormChoices> {
    let page = http
        .get(form_url)
        .send()
        .await?
        .error_for_status()
        .context("the submission form")?
        .text()
        .await?;
    let genres: Vec<String> = options(&page, "genre_id")
        .into_iter()
        // The demo's media genre takes a link, not a file.
        .filter(|(_, label)| !label.to_lowercase().contains("video"))
        .map(|(v, _)| v)
        .collect();
    let units: Vec<String> = options(&page, "unit_id")
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    let groups: Vec<String> = options(&page, "a0_group")
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    if genres.is_empty() || units.is_empty() || csrf_of(&page).is_none() {
        bail!("the form at {form_url} has no genres, units or CSRF token");
    }
    Ok(FormChoices {
        genres,
        units,
        groups,
    })
}

fn anon_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("hoithi_anon="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

fn parse_receipt(page: &str) -> Option<Receipt> {
    let code = between(page, "<strong class=\"code\">", "</strong>")?
        .trim()
        .to_string();
    let sha = between(page, "SHA-256 của tệp</dt><dd><code>", "</code>")
        .unwrap_or("")
        .trim()
        .to_string();
    let key = between(page, &format!("/bai-du-thi/{code}?k="), "\"")
        .unwrap_or("")
        .to_string();
    code.starts_with("HT-").then_some(Receipt {
        code,
        sha256: sha,
        key,
    })
}

fn form_for(s: &Submission, csrf: &str, form_token: &str, choices: &FormChoices) -> Form {
    let mut f = Form::new()
        .text("csrf", csrf.to_string())
        .text("form_token", form_token.to_string())
        .text(
            "genre_id",
            choices.genres[s.genre_pick as usize % choices.genres.len()].clone(),
        )
        .text(
            "unit_id",
            choices.units[s.unit_pick as usize % choices.units.len()].clone(),
        )
        .text("title", s.title.clone())
        .text("pen_name", s.pen_name.clone());
    for (i, a) in s.authors.iter().enumerate() {
        let group = if choices.groups.is_empty() {
            String::new()
        } else {
            choices.groups[a.group_pick as usize % choices.groups.len()].clone()
        };
        f = f
            .text(format!("a{i}_name"), a.full_name.clone())
            .text(format!("a{i}_birth"), a.birth_year.to_string())
            .text(format!("a{i}_work"), a.workplace.clone())
            .text(format!("a{i}_group"), group)
            .text(format!("a{i}_phone"), a.phone.clone())
            .text(format!("a{i}_email"), a.email.clone());
    }
    let part = Part::bytes(s.file.as_ref().clone())
        .file_name(s.file_name.clone())
        .mime_str(DOCX_MIME)
        .expect("a valid MIME type");
    f.part("file", part)
        .text("text", "")
        .text("media_link", "")
        .text("confirm_unpublished", "1")
        .text("confirm_not_staff", "1")
}

struct Attempt {
    form_latency: Duration,
    post_latency: Duration,
    status: u16,
    receipt: Option<Receipt>,
}

async fn attempt(
    http: &reqwest::Client,
    base: &str,
    slug: &str,
    s: &Submission,
    choices: &FormChoices,
) -> Result<Attempt, ErrKind> {
    let url = format!("{base}/cuoc-thi/{slug}/gui-bai");
    let t0 = Instant::now();
    let res = http.get(&url).send().await.map_err(|e| kind_of(&e))?;
    if !res.status().is_success() {
        return Err(ErrKind::Status(res.status().as_u16()));
    }
    let cookie = anon_cookie(&res).ok_or(ErrKind::BadForm)?;
    let page = res.text().await.map_err(|e| kind_of(&e))?;
    let csrf = csrf_of(&page).ok_or(ErrKind::BadForm)?;
    // The form's token makes the post idempotent; it is what a browser sends back.
    let form_token = between(&page, "name=\"form_token\" value=\"", "\"")
        .unwrap_or("")
        .to_string();
    let form_latency = t0.elapsed();
    let t1 = Instant::now();
    let res = http
        .post(&url)
        .header(header::COOKIE, cookie.clone())
        .multipart(form_for(s, &csrf, &form_token, choices))
        .send()
        .await
        .map_err(|e| kind_of(&e))?;
    // Post/redirect/get: the receipt is the page the redirect names.
    let res = match res.headers().get(header::LOCATION) {
        Some(to) if res.status().as_u16() == 303 => {
            let to = to.to_str().map_err(|_| ErrKind::BadForm)?;
            http.get(format!("{base}{to}"))
                .header(header::COOKIE, cookie)
                .send()
                .await
                .map_err(|e| kind_of(&e))?
        }
        _ => res,
    };
    let status = res.status().as_u16();
    let body = res.text().await.map_err(|e| kind_of(&e))?;
    let post_latency = t1.elapsed();
    if status != 200 {
        return Err(ErrKind::Status(status));
    }
    Ok(Attempt {
        form_latency,
        post_latency,
        status,
        receipt: parse_receipt(&body),
    })
}

pub struct Plan {
    pub base_url: String,
    pub slug: String,
    pub clients: usize,
    pub interval: Duration,
    /// How long a submission keeps retrying after connection errors.
    pub retry_for: Duration,
}

/// Runs one submission until it has a receipt, gets an answer that is not worth retrying,
/// or runs out of retry time. Transport errors (server down or killed) are retried with a
/// fresh visit to the form, as a person would.
async fn one(
    http: reqwest::Client,
    plan: Arc<Plan>,
    choices: Arc<FormChoices>,
    s: Arc<Submission>,
    start: Instant,
    due: Duration,
    slots: Arc<Semaphore>,
) -> Outcome {
    tokio::time::sleep_until((start + due).into()).await;
    let _slot = slots.acquire_owned().await.expect("semaphore open");
    let mut out = Outcome {
        idx: s.idx,
        due,
        done: due,
        post_latency: None,
        form_latency: None,
        status: None,
        receipt: None,
        attempts: 0,
        failures: Vec::new(),
    };
    let mut first_failure: Option<Instant> = None;
    let mut backoff = Duration::from_millis(50);
    loop {
        out.attempts += 1;
        match attempt(&http, &plan.base_url, &plan.slug, &s, &choices).await {
            Ok(a) => {
                out.status = Some(a.status);
                out.form_latency = Some(a.form_latency);
                out.post_latency = Some(a.post_latency);
                if a.receipt.is_none() {
                    out.failures.push(ErrKind::NoReceipt);
                }
                out.receipt = a.receipt;
                break;
            }
            Err(k) => {
                out.failures.push(k);
                let retry = matches!(k, ErrKind::Connect | ErrKind::InFlight | ErrKind::BadForm);
                let since = *first_failure.get_or_insert_with(Instant::now);
                if !retry || since.elapsed() > plan.retry_for {
                    if let ErrKind::Status(s) = k {
                        out.status = Some(s);
                    }
                    break;
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_millis(500));
            }
        }
    }
    out.done = start.elapsed();
    out
}

/// Starts every submission on its schedule and waits for all of them. `start` is the
/// rush's time zero (the kill is timed from it too).
pub async fn rush(
    http: &reqwest::Client,
    plan: Plan,
    choices: FormChoices,
    subs: &[Arc<Submission>],
    start: Instant,
) -> Vec<Outcome> {
    let plan = Arc::new(plan);
    let choices = Arc::new(choices);
    let slots = Arc::new(Semaphore::new(plan.clients));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, s) in subs.iter().enumerate() {
        let due = plan.interval * i as u32;
        tasks.spawn(one(
            http.clone(),
            plan.clone(),
            choices.clone(),
            s.clone(),
            start,
            due,
            slots.clone(),
        ));
    }
    let mut out = Vec::with_capacity(subs.len());
    while let Some(r) = tasks.join_next().await {
        out.push(r.expect("submission task"));
    }
    out.sort_by_key(|o| o.idx);
    out
}

/// Opens the private link of each receipt and checks the page shows the same code and hash.
/// Returns the receipts whose page did not match.
pub async fn check_receipt_pages(
    http: &reqwest::Client,
    base: &str,
    sample: &[(String, String, String)],
) -> Vec<String> {
    let mut bad = Vec::new();
    for (code, key, sha) in sample {
        let url = format!("{base}/bai-du-thi/{code}?k={key}");
        let ok = match http.get(&url).send().await {
            Ok(r) if r.status().is_success() => r
                .text()
                .await
                .map(|p| p.contains(code.as_str()) && p.contains(sha.as_str()))
                .unwrap_or(false),
            _ => false,
        };
        if !ok {
            bad.push(code.clone());
        }
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_selects_csrf_and_receipts() {
        let page = r#"<input type="hidden" name="csrf" value="abc123">
<select id="genre_id" name="genre_id"><option value="4">Bài báo</option><option value="6">Video clip</option></select>"#;
        assert_eq!(csrf_of(page).as_deref(), Some("abc123"));
        assert_eq!(
            options(page, "genre_id"),
            vec![
                ("4".to_string(), "Bài báo".to_string()),
                ("6".to_string(), "Video clip".to_string())
            ]
        );
        let receipt = r#"<dt>Mã tác phẩm</dt><dd><strong class="code">HT-AB12-CD34</strong></dd>
<dt>SHA-256 của tệp</dt><dd><code>00ff</code></dd>
<a href="/bai-du-thi/HT-AB12-CD34?k=secret">"#;
        let r = parse_receipt(receipt).unwrap();
        assert_eq!(
            (r.code.as_str(), r.sha256.as_str(), r.key.as_str()),
            ("HT-AB12-CD34", "00ff", "secret")
        );
        assert!(parse_receipt("<p>Lỗi</p>").is_none());
    }
}
