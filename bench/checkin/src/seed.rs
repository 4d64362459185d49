//! The data set goes in through the application itself, as its users would: the demo district
//! administrator signs in, makes an API token on the account page, creates the course and its
//! session, opens nominations, invites every unit below the district with a quota, nominates
//! the generated delegates, and reads the delegates' personal links (the badge tokens) from
//! the delegates page. The scanners then use the token and the check-in API
//! (docs/checkin-api.md).

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::{Client, StatusCode, redirect};
use tokio::sync::Semaphore;

use crate::plan::Person;

pub const LOGIN: &str = "tuyengiao.hamyen@hoithi.demo";
pub const PASSWORD: &str = "demo-hamyen";

/// What the load needs.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub slug: String,
    pub course_id: i64,
    pub session_id: i64,
    /// The staff member's API token.
    pub api_token: String,
    /// Badge tokens, one per delegate (in the page's order).
    pub badges: Vec<String>,
}

/// A browser-like client: its own cookies, redirects not followed (a 303 is the answer).
pub fn browser() -> Result<Client> {
    Ok(Client::builder()
        .no_proxy()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()?)
}

pub fn between<'a>(s: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let i = s.find(a)? + a.len();
    let j = s[i..].find(b)? + i;
    Some(&s[i..j])
}

pub fn csrf_of(page: &str) -> Option<String> {
    between(page, "name=\"csrf\" value=\"", "\"").map(str::to_string)
}

async fn page(http: &Client, url: &str) -> Result<String> {
    let r = http.get(url).send().await?;
    let status = r.status();
    let text = r.text().await?;
    if !status.is_success() {
        bail!("GET {url}: {status}");
    }
    Ok(text)
}

/// Posts a form with the page's CSRF token; expects a redirect (PRG), returns its target.
async fn post_form(
    http: &Client,
    url: &str,
    csrf: &str,
    fields: &[(&str, String)],
) -> Result<String> {
    let mut form: Vec<(&str, String)> = vec![("csrf", csrf.to_string())];
    form.extend(fields.iter().cloned());
    let r = http.post(url).form(&form).send().await?;
    let status = r.status();
    let location = r
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if status != StatusCode::SEE_OTHER && status != StatusCode::FOUND {
        let body = r.text().await.unwrap_or_default();
        let msg = between(&body, "class=\"error\"", "</").unwrap_or("");
        bail!("POST {url}: {status} {msg}");
    }
    Ok(location)
}

/// Signs in as the demo district administrator.
pub async fn sign_in(http: &Client, base: &str) -> Result<()> {
    let p = page(http, &format!("{base}/dang-nhap")).await?;
    let csrf = csrf_of(&p).context("sign-in form without CSRF")?;
    post_form(
        http,
        &format!("{base}/dang-nhap"),
        &csrf,
        &[("login", LOGIN.into()), ("password", PASSWORD.into())],
    )
    .await
    .context("signing in")?;
    Ok(())
}

fn options(page: &str, name: &str) -> Vec<String> {
    let Some(sel) = between(page, &format!("name=\"{name}\""), "</select>") else {
        return Vec::new();
    };
    sel.split("<option value=\"")
        .skip(1)
        .filter_map(|o| o.split_once('"').map(|(v, _)| v.to_string()))
        .collect()
}

pub async fn seed(
    base: &str,
    people: &[Person],
    today: &str,
    deadline: &str,
    tag: &str,
) -> Result<Seeded> {
    let http = browser()?;
    sign_in(&http, base).await?;

    // An API token for the scanners, from the account page.
    let p = page(&http, &format!("{base}/tai-khoan")).await?;
    let csrf = csrf_of(&p).context("account page without CSRF")?;
    let r = http
        .post(format!("{base}/tai-khoan/khoa-api"))
        .form(&[("csrf", csrf.as_str()), ("name", "bench-checkin")])
        .send()
        .await?;
    let body = r.text().await?;
    let api_token = between(&body, "<code>", "</code>")
        .context("no API token on the account page")?
        .trim()
        .to_string();

    // The course.
    let p = page(&http, &format!("{base}/khoa-hoc/moi")).await?;
    let csrf = csrf_of(&p).context("course form without CSRF")?;
    let unit = options(&p, "organizer_unit_id")
        .into_iter()
        .find(|v| !v.is_empty())
        .context("no organizing unit offered")?;
    let slug = format!("hoi-nghi-diem-danh-{tag}");
    post_form(
        &http,
        &format!("{base}/khoa-hoc"),
        &csrf,
        &[
            ("organizer_unit_id", unit),
            (
                "title",
                format!("Hội nghị quán triệt nghị quyết toàn tỉnh ({tag})"),
            ),
            ("slug", slug.clone()),
            ("kind", "quan_triet".into()),
            ("venue", "Hội trường Trung tâm Hội nghị tỉnh".into()),
            (
                "description",
                "Hội nghị trực tuyến và trực tiếp cho cán bộ chủ chốt.".into(),
            ),
            ("nomination_deadline", deadline.into()),
            ("completion_share", "100".into()),
        ],
    )
    .await
    .context("creating the course")?;
    let course_url = format!("{base}/khoa-hoc/{slug}");
    let p = page(&http, &course_url).await?;
    let csrf = csrf_of(&p).context("course page without CSRF")?;
    post_form(
        &http,
        &format!("{course_url}/buoi"),
        &csrf,
        &[
            ("day", today.into()),
            ("starts", "00:00".into()),
            ("ends", "23:59".into()),
            ("topic", "Khai mạc và báo cáo đề dẫn".into()),
            ("speaker", "Đồng chí Trưởng ban Tuyên giáo".into()),
            ("room", "Hội trường lớn".into()),
            ("late_after", "600".into()),
        ],
    )
    .await
    .context("adding the session")?;
    set_status(&http, &course_url, "nominating").await?;

    // Every unit offered, with an even quota.
    let p = page(&http, &format!("{course_url}/don-vi")).await?;
    let csrf = csrf_of(&p).context("invite form without CSRF")?;
    let units: Vec<String> = p
        .split("name=\"q")
        .skip(1)
        .filter_map(|s| s.split_once('"').map(|(id, _)| id.to_string()))
        .filter(|id| id.parse::<i64>().is_ok())
        .collect();
    if units.is_empty() {
        bail!("no unit to invite");
    }
    let quota = people.len().div_ceil(units.len());
    let fields: Vec<(String, String)> = units
        .iter()
        .map(|u| (format!("q{u}"), quota.to_string()))
        .collect();
    let fields_ref: Vec<(&str, String)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    post_form(&http, &format!("{course_url}/don-vi"), &csrf, &fields_ref)
        .await
        .context("inviting units")?;

    // Nominations, eight at a time (as many unit administrators would).
    let p = page(&http, &format!("{course_url}/dai-bieu")).await?;
    let csrf = csrf_of(&p).context("delegates page without CSRF")?;
    let gate = std::sync::Arc::new(Semaphore::new(8));
    let mut tasks = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let (http, gate, csrf) = (http.clone(), gate.clone(), csrf.clone());
        let url = format!("{course_url}/dai-bieu");
        let unit = units[i % units.len()].clone();
        let person = person.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await?;
            post_form(
                &http,
                &url,
                &csrf,
                &[
                    ("unit_id", unit),
                    ("account", String::new()),
                    ("full_name", person.full_name),
                    ("job_title", person.job_title),
                    ("phone", person.phone),
                    ("email", person.email),
                ],
            )
            .await
            .with_context(|| format!("nominating delegate {i}"))
        }));
    }
    for t in tasks {
        t.await??;
    }
    set_status(&http, &course_url, "in_progress").await?;

    // The personal links.
    let p = page(&http, &format!("{course_url}/dai-bieu")).await?;
    let badges = personal_links(&p);
    if badges.len() != people.len() {
        bail!(
            "{} personal links on the delegates page for {} delegates",
            badges.len(),
            people.len()
        );
    }

    // Ids through the API, as a scanner app learns them.
    let api = Client::builder().no_proxy().build()?;
    let list: serde_json::Value = api
        .get(format!("{base}/api/v1/courses"))
        .bearer_auth(&api_token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let course_id = list
        .as_array()
        .into_iter()
        .flatten()
        .chain(
            list.get("items")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten(),
        )
        .find(|c| c.get("slug").and_then(|s| s.as_str()) == Some(slug.as_str()))
        .and_then(|c| c.get("id")?.as_i64())
        .context("the course is not in GET /api/v1/courses")?;
    let course: serde_json::Value = api
        .get(format!("{base}/api/v1/courses/{course_id}"))
        .bearer_auth(&api_token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let session_id = course["sessions"][0]["id"]
        .as_i64()
        .context("the course has no session in the API")?;
    Ok(Seeded {
        slug,
        course_id,
        session_id,
        api_token,
        badges,
    })
}

/// The badges in the `/dai-bieu/{badge}` links of a page (signed badge strings, or bare
/// tokens), each once, in page order.
pub fn personal_links(page: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    page.split("/dai-bieu/")
        .skip(1)
        .filter_map(|s| {
            let t: String = s
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            (t.len() >= 22).then_some(t)
        })
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

async fn set_status(http: &Client, course_url: &str, status: &str) -> Result<()> {
    let p = page(http, course_url).await?;
    let csrf = csrf_of(&p).context("course page without CSRF")?;
    post_form(
        http,
        &format!("{course_url}/trang-thai"),
        &csrf,
        &[("status", status.into())],
    )
    .await
    .with_context(|| format!("setting the status to {status}"))?;
    Ok(())
}

/// The code on the room screen now (the staff member's page, as the projector shows it).
pub async fn room_code(http: &Client, base: &str, slug: &str, session: i64) -> Result<String> {
    let p = page(
        http,
        &format!("{base}/khoa-hoc/{slug}/buoi/{session}/ma-phong"),
    )
    .await?;
    between(&p, "id=\"room-code\">", "<")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .context("no code on the room screen")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_forms_and_links_from_pages() {
        let page = r#"<form><input type="hidden" name="csrf" value="c5rf">
<select id="u" name="organizer_unit_id"><option value="">—</option><option value="3">Huyện</option></select>
<a href="/dai-bieu/AAAAAAAAAAAAAAAAAAAAAA">/dai-bieu/AAAAAAAAAAAAAAAAAAAAAA</a>
<a href="/dai-bieu/BBBBBBBBBBBBBBBBBBBB-_">x</a><a href="/dai-bieu/short">y</a>"#;
        assert_eq!(csrf_of(page).as_deref(), Some("c5rf"));
        assert_eq!(options(page, "organizer_unit_id"), vec!["", "3"]);
        assert_eq!(
            personal_links(page),
            vec!["AAAAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBB-_"]
        );
    }
}
