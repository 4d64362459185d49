//! Submitting an entry: the checks, the text extraction (one interface: hoithi-extract and
//! hoithi-text), the automatic screening flags and the receipt.

use hoithi_storage::entity::{entry, genre, unit};
use hoithi_storage::repo::{contests, entries, jobs, units};

use crate::audit;
use crate::contests::service::{Loaded, is_open};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::integrity::CheckJob;
use crate::jobs::{Job, Message};
use crate::policy::{Action, Actor, Capability, CapabilityKind, Resource, can};
use crate::search::{DocKind, DocRef};
use crate::state::AppState;
use crate::validate;

/// Largest uploaded work.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct AuthorInput {
    pub full_name: String,
    pub birth_year: String,
    pub workplace: String,
    pub group_id: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, Default)]
pub struct SubmissionInput {
    pub genre_id: String,
    pub unit_id: String,
    pub title: String,
    pub pen_name: String,
    pub authors: Vec<AuthorInput>,
    pub text: String,
    pub media_link: String,
    pub file: Option<(String, Vec<u8>)>,
    pub confirm_unpublished: bool,
    pub confirm_not_staff: bool,
    pub submitter_user_id: Option<i64>,
    /// The private link's key, when a guest edits through it.
    pub access_key: String,
    /// The random token of the form the entry is sent from (or an API client's idempotency
    /// key): sending the same form again answers with the entry it made.
    pub form_token: String,
}

pub struct Receipt {
    pub entry: entry::Model,
    /// The private link's key (only shown once, and sent by message).
    pub access_key: String,
    pub warnings: Vec<Msg>,
}

fn bad(vi: String, en: String) -> AppError {
    AppError::BadRequest(Msg::owned(vi, en))
}

/// The units that may collect an entry: the roll-out units and everything below them.
pub async fn collecting_choices(state: &AppState, contest_id: i64) -> AppResult<Vec<unit::Model>> {
    let roots = contests::collecting_units(&state.db, contest_id).await?;
    let mut out: Vec<unit::Model> = Vec::new();
    for r in roots {
        for u in units::list(&state.db, Some(r.path.as_str())).await? {
            if !out.iter().any(|o| o.id == u.id) {
                out.push(u);
            }
        }
    }
    out.sort_by(|a, b| (a.depth, &a.name_key).cmp(&(b.depth, &b.name_key)));
    Ok(out)
}

fn receipt_code() -> String {
    // Crockford base32 without look-alikes; 40 bits of randomness.
    const ALPHA: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes: [u8; 8] = rand::random();
    let s: String = bytes
        .iter()
        .map(|b| ALPHA[(*b as usize) % 32] as char)
        .collect();
    format!("HT-{}-{}", &s[0..4], &s[4..8])
}

fn author_key(a: &AuthorInput) -> String {
    // Same person across entries: folded name plus phone or email.
    let name = hoithi_text::fold::fold(&a.full_name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let contact = validate::phone(&a.phone)
        .ok()
        .flatten()
        .or_else(|| validate::email(&a.email).ok().flatten())
        .unwrap_or_default();
    format!("{name}|{contact}")
}

/// Extracts and normalizes the text of an uploaded work off the async threads.
pub(crate) async fn extract_text(name: String, bytes: Vec<u8>) -> AppResult<(String, String)> {
    tokio::task::spawn_blocking(move || {
        let limits = hoithi_extract::Limits::default();
        match hoithi_extract::extract(&bytes, Some(&name), &limits) {
            Ok(doc) => Ok((doc.text(), doc.format.to_string())),
            Err(e) => {
                let why = crate::upload::extract_error(&e);
                Err(bad(
                    format!("Không đọc được tệp: {}", why.vi),
                    format!("The file could not be read: {}", why.en),
                ))
            }
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default()
}

/// Automatic screening flags (codes), stored with the entry.
/// What the automatic screening flags look at.
struct FlagInput<'a> {
    genre: &'a genre::Model,
    words: i32,
    body: &'a str,
    pen_name: &'a str,
    authors: &'a [AuthorInput],
    sha: Option<&'a str>,
    author_key: &'a str,
    /// The entry being replaced, which must not count against itself.
    replacing: Option<&'a entry::Model>,
}

async fn flags(state: &AppState, contest_id: i64, f: FlagInput<'_>) -> AppResult<Vec<String>> {
    let FlagInput {
        genre: g,
        words,
        body,
        pen_name,
        authors,
        sha,
        author_key: key,
        replacing,
    } = f;
    let own = replacing.map(|e| e.id);
    let mut out = Vec::new();
    if g.min_words.is_some_and(|m| words < m) || g.max_words.is_some_and(|m| words > m) {
        out.push("word_limits".to_string());
    }
    let folded_body = format!(
        " {} ",
        hoithi_text::fold::fold(body)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut names: Vec<String> = authors.iter().map(|a| a.full_name.clone()).collect();
    if !pen_name.trim().is_empty() {
        names.push(pen_name.to_string());
    }
    let identifies = names.iter().any(|n| {
        let f = hoithi_text::fold::fold(n)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        f.split(' ').count() >= 2 && folded_body.contains(&format!(" {f} "))
    });
    if identifies {
        out.push("name_in_text".to_string());
    }
    if let Some(sha) = sha
        && entries::same_file(&state.db, contest_id, sha)
            .await?
            .iter()
            .any(|e| Some(e.id) != own)
    {
        out.push("duplicate_file".to_string());
    }
    let counted_self = replacing.is_some_and(|e| {
        e.genre_id == g.id && e.author_key == key && e.status != entries::WITHDRAWN
    });
    let others =
        entries::count_by_author(&state.db, contest_id, g.id, key).await? - u64::from(counted_self);
    if others >= g.max_entries_per_author as u64 {
        out.push("too_many_by_author".to_string());
    }
    if !body.is_empty() {
        let hints = hoithi_text::spell::check(body).len();
        if hints >= 5 && hints * 100 >= words.max(1) as usize {
            out.push("spelling".to_string());
        }
    }
    Ok(out)
}

/// A checked submission, ready to be stored as a new entry or as a new version.
struct Prepared {
    entry: entries::NewEntry,
    warnings: Vec<Msg>,
    email: String,
}

/// Checks and normalizes a submission. With `replacing`, a work left out (no file, no text)
/// keeps the entry's current one.
async fn prepare(
    state: &AppState,
    l: &Loaded,
    input: SubmissionInput,
    replacing: Option<&entry::Model>,
) -> AppResult<Prepared> {
    let c = &l.contest;
    let now = chrono::Utc::now();
    if !c.published {
        return Err(AppError::NotFound);
    }
    if now < c.opens_at {
        return Err(bad(
            format!(
                "Cuộc thi chưa mở nhận bài (mở từ {}).",
                crate::format::fmt_datetime(&c.opens_at)
            ),
            format!(
                "The contest is not open yet (opens {}).",
                crate::format::fmt_datetime(&c.opens_at)
            ),
        ));
    }
    if !is_open(c, now) {
        return Err(bad(
            format!(
                "Đã hết hạn nhận bài lúc {} (giờ Việt Nam). Bài gửi sau thời hạn không được chấp nhận.",
                crate::format::fmt_datetime(&c.closes_at)
            ),
            format!(
                "The deadline passed at {} (Vietnam time). Late entries are not accepted.",
                crate::format::fmt_datetime(&c.closes_at)
            ),
        ));
    }
    let genres = contests::genres(&state.db, c.id).await?;
    let g = input
        .genre_id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| genres.into_iter().find(|g| g.id == id))
        .ok_or_else(|| AppError::bad("Vui lòng chọn thể loại.", "Please choose a genre."))?;
    let unit_id = input.unit_id.trim().parse::<i64>().ok();
    let unit = match unit_id {
        Some(id) => collecting_choices(state, c.id)
            .await?
            .into_iter()
            .find(|u| u.id == id),
        None => None,
    }
    .ok_or_else(|| {
        AppError::bad(
            "Vui lòng chọn đơn vị nhận bài.",
            "Please choose the collecting unit.",
        )
    })?;
    let title = validate::required_text(
        &hoithi_text::normalize::as_written(&input.title),
        300,
        "tên tác phẩm",
        "title",
    )?;
    let pen_name = validate::clean_line(&hoithi_text::normalize::as_written(&input.pen_name))
        .chars()
        .take(100)
        .collect::<String>();
    let authors: Vec<AuthorInput> = input
        .authors
        .iter()
        .filter(|a| !a.full_name.trim().is_empty())
        .cloned()
        .collect();
    if authors.is_empty() {
        return Err(AppError::bad(
            "Vui lòng nhập họ tên tác giả.",
            "Please enter the author's name.",
        ));
    }
    if authors.len() > g.max_authors as usize {
        return Err(bad(
            format!("Thể loại này cho phép tối đa {} tác giả.", g.max_authors),
            format!("This genre allows at most {} authors.", g.max_authors),
        ));
    }
    let mut stored_authors = Vec::new();
    for a in &authors {
        let full_name = validate::required_text(
            &hoithi_text::normalize::as_written(&a.full_name),
            150,
            "họ và tên tác giả",
            "author's name",
        )?;
        let birth_year = match a.birth_year.trim() {
            "" => None,
            y => match y.parse::<i32>() {
                Ok(y) if (1900..=2025).contains(&y) => Some(y),
                _ => {
                    return Err(AppError::bad(
                        "Năm sinh không hợp lệ.",
                        "The birth year is not valid.",
                    ));
                }
            },
        };
        let phone = validate::phone(&a.phone)?.unwrap_or_default();
        let email = validate::email(&a.email)?.unwrap_or_default();
        stored_authors.push(entries::NewAuthor {
            name_key: hoithi_text::sort::name_sort_key(&full_name),
            full_name,
            birth_year,
            workplace: validate::clean_line(&a.workplace)
                .chars()
                .take(200)
                .collect(),
            group_id: a.group_id.trim().parse().ok(),
            phone,
            email,
        });
    }
    let first = &stored_authors[0];
    if first.phone.is_empty() && first.email.is_empty() {
        return Err(AppError::bad(
            "Vui lòng nhập số điện thoại hoặc email của tác giả để nhận biên nhận.",
            "Please give the author's phone number or email to receive the receipt.",
        ));
    }
    if !input.confirm_unpublished || !input.confirm_not_staff {
        return Err(AppError::bad(
            "Vui lòng xác nhận tác phẩm chưa từng công bố và bạn không thuộc ban tổ chức, ban giám khảo.",
            "Please confirm the work is unpublished and that you are not an organizer or judge.",
        ));
    }
    let accepted: Vec<String> = g
        .accepted_types
        .split(',')
        .map(|s| s.trim().to_lowercase())
        .collect();
    let (body, file_sha, file_name, media_link) = if g.medium == "media" {
        let link = input.media_link.trim();
        let ok = (link.starts_with("https://") || link.starts_with("http://"))
            && link.len() <= 500
            && !link.contains(char::is_whitespace);
        if !ok {
            return Err(AppError::bad(
                "Vui lòng nhập đường dẫn (https://…) đến tác phẩm.",
                "Please give a link (https://…) to the work.",
            ));
        }
        (String::new(), None, None, Some(link.to_string()))
    } else if let Some((name, bytes)) = input.file.filter(|(n, b)| !n.is_empty() || !b.is_empty()) {
        if bytes.is_empty() {
            return Err(AppError::bad(
                "Tệp tải lên rỗng.",
                "The uploaded file is empty.",
            ));
        }
        if bytes.len() > MAX_FILE_BYTES {
            return Err(AppError::bad(
                "Tệp quá lớn (tối đa 20 MB).",
                "The file is too large (at most 20 MB).",
            ));
        }
        let ext = extension(&name);
        if !accepted.contains(&ext) {
            return Err(bad(
                format!(
                    "Định dạng tệp «.{ext}» không được nhận. Chấp nhận: {}.",
                    g.accepted_types
                ),
                format!(
                    "Files «.{ext}» are not accepted. Accepted: {}.",
                    g.accepted_types
                ),
            ));
        }
        let (text, _format) = extract_text(name.clone(), bytes.clone()).await?;
        let sha = state
            .blobs
            .put(&bytes)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        (
            text,
            Some(sha),
            Some(
                validate::clean_line(&name)
                    .chars()
                    .take(200)
                    .collect::<String>(),
            ),
            None,
        )
    } else if let Some(old) = replacing.filter(|_| input.text.trim().is_empty()) {
        (
            old.body.clone(),
            old.file_sha256.clone(),
            old.file_name.clone(),
            None,
        )
    } else {
        let text = hoithi_text::normalize::as_written(&input.text);
        if text.trim().is_empty() {
            return Err(AppError::bad(
                "Vui lòng tải tệp tác phẩm lên hoặc dán nội dung.",
                "Please upload the work or paste its text.",
            ));
        }
        if text.len() > 2_000_000 {
            return Err(AppError::bad("Nội dung quá dài.", "The text is too long."));
        }
        (text, None, None, None)
    };
    let words = hoithi_text::tokenize::word_count(&body) as i32;
    let key = author_key(&authors[0]);
    let flag_codes = flags(
        state,
        c.id,
        FlagInput {
            genre: &g,
            words,
            body: &body,
            pen_name: &pen_name,
            authors: &authors,
            sha: file_sha.as_deref(),
            author_key: &key,
            replacing,
        },
    )
    .await?;
    let contact = if !first.email.is_empty() {
        first.email.clone()
    } else {
        first.phone.clone()
    };
    let warnings = warnings(&flag_codes, words, &g);
    let email = first.email.clone();
    Ok(Prepared {
        entry: entries::NewEntry {
            form_token: None,
            contest_id: c.id,
            genre_id: g.id,
            unit_id: unit.id,
            unit_path: unit.path.clone(),
            receipt_code: String::new(),
            title_key: hoithi_text::sort::sort_key(&title),
            title,
            pen_name,
            word_count: words,
            body,
            file_sha256: file_sha,
            file_name,
            media_link,
            flags: serde_json::json!(flag_codes),
            submitter_user_id: input.submitter_user_id,
            access_token_hash: None,
            contact,
            author_key: key,
            authors: stored_authors,
        },
        warnings,
        email,
    })
}

/// The receipt message: code, time, the file's SHA-256 and, for a new entry, the private link.
fn receipt_message(
    state: &AppState,
    contest_title: &str,
    e: &entries::NewEntry,
    code: &str,
    to: &str,
    access_key: Option<&str>,
    version: i32,
) -> jobs::NewJob {
    let base = &state.config.public_url;
    let (subject, opening) = if version > 1 {
        (
            format!("Biên nhận bài sửa đổi {code} (lần {version})"),
            format!(
                "Ban tổ chức cuộc thi «{contest_title}» đã nhận bản sửa đổi lần {version} của tác phẩm «{}»; bản trước được lưu trong lịch sử.",
                e.title
            ),
        )
    } else {
        (
            format!("Biên nhận tác phẩm dự thi {code}"),
            format!(
                "Ban tổ chức cuộc thi «{contest_title}» đã nhận tác phẩm «{}».",
                e.title
            ),
        )
    };
    let link = access_key
        .map(|k| format!("Xem, sửa hoặc rút bài trước hạn: {base}/bai-du-thi/{code}?k={k}\n"))
        .unwrap_or_default();
    let mut job: jobs::NewJob = Job::Message(Message {
        to: to.to_string(),
        subject,
        body: format!(
            "{opening}\nMã tác phẩm: {code}\nThời gian nhận: {} (giờ Việt Nam)\n{}\n{link}",
            crate::format::fmt_datetime(&chrono::Utc::now()),
            e.file_sha256
                .as_deref()
                .map(|s| format!("SHA-256 của tệp: {s}"))
                .unwrap_or_default()
        ),
    })
    .into();
    job.dedupe_key = Some(format!("receipt:{code}:{version}"));
    job
}

/// An entry through its private link (`key`) or its submitter's account, with the actor that
/// now holds the link. Anything else answers as an unknown code, so codes cannot be probed.
pub async fn followed(
    state: &AppState,
    actor: &Actor,
    code: &str,
    key: Option<&str>,
) -> AppResult<(entry::Model, Actor)> {
    let e = entries::by_receipt(&state.db, code).await?;
    let mut actor = actor.clone();
    if let (Some(k), Some(stored)) = (key, e.access_token_hash.as_deref())
        && crate::auth::token_hash(k) == stored
    {
        actor = actor.with_capability(Capability {
            kind: CapabilityKind::EntryLink,
            id: e.id,
        });
    }
    let resource = Resource::Entry {
        id: e.id,
        submitter: e.submitter_user_id,
    };
    if can(&actor, Action::FollowEntry, resource) {
        Ok((e, actor))
    } else {
        Err(AppError::NotFound)
    }
}

/// Withdraws an entry before the deadline; it leaves the search and copy-check indexes.
pub async fn withdraw(state: &AppState, actor: &Actor, e: &entry::Model) -> AppResult<()> {
    let k = contests::get(&state.db, e.contest_id).await?;
    if !crate::contests::service::is_open(&k, chrono::Utc::now()) {
        return Err(AppError::bad(
            "Đã hết hạn; không thể rút bài.",
            "The deadline has passed; the entry can no longer be withdrawn.",
        ));
    }
    let tx = state.db.write().await?;
    entries::withdraw(&tx, e.id).await?;
    crate::jobs::enqueue(&tx, Job::SearchIndex(DocRef::new(DocKind::Entry, e.id))).await?;
    crate::jobs::enqueue(&tx, Job::IntegrityCheck(CheckJob::entry(e.id))).await?;
    audit::record(
        &tx,
        actor,
        "entry.withdraw",
        "entry",
        Some(e.id),
        serde_json::json!({"code": e.receipt_code}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(())
}

/// What the receipt warns about, from the entry's flags: a word count outside the genre's
/// limits, the author's name in the work.
pub fn warnings(flags: &[String], words: i32, g: &genre::Model) -> Vec<Msg> {
    let mut out = Vec::new();
    if flags.iter().any(|f| f == "word_limits") {
        let min = g.min_words.unwrap_or(0);
        let max = g
            .max_words
            .map(|m| m.to_string())
            .unwrap_or_else(|| "∞".into());
        out.push(Msg::owned(
            format!(
                "Tác phẩm có {words} chữ, ngoài giới hạn {min}–{max} chữ của thể loại; ban tổ chức sẽ xem xét khi sơ loại."
            ),
            format!(
                "The work has {words} words, outside the genre's limits of {min}–{max} words; the organizers will consider it at screening."
            ),
        ));
    }
    if flags.iter().any(|f| f == "name_in_text") {
        out.push(Msg::new(
            "Tên tác giả hoặc bút danh xuất hiện trong bài; bài có dấu hiệu nhận biết có thể bị loại.",
            "The author's name or pen name appears in the work; an entry that identifies its author may be disqualified.",
        ));
    }
    out
}

/// The private link's key of an entry sent from a form: derived from the form's token, so
/// that sending the same form again can answer with the same link without storing the key.
fn form_access_key(state: &AppState, contest_id: i64, form_token: &str) -> String {
    crate::auth::derived_token(
        &state.secret,
        "entry-link",
        &format!("{contest_id}:{form_token}"),
    )
}

/// The entry already made from this form, if it was sent before.
async fn sent_before(
    state: &AppState,
    contest_id: i64,
    form_token: &str,
) -> AppResult<Option<Receipt>> {
    let Some(entry) =
        entries::by_form_token(&state.db, contest_id, &crate::auth::token_hash(form_token)).await?
    else {
        return Ok(None);
    };
    Ok(Some(Receipt {
        access_key: form_access_key(state, contest_id, form_token),
        entry,
        warnings: Vec::new(),
    }))
}

pub async fn submit(
    state: &AppState,
    actor: &Actor,
    l: &Loaded,
    input: SubmissionInput,
) -> AppResult<Receipt> {
    let form_token = input.form_token.trim().to_string();
    if form_token.len() > 200
        || !form_token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(AppError::bad(
            "Biểu mẫu không hợp lệ; vui lòng tải lại trang gửi bài.",
            "Invalid form; please reload the submission page.",
        ));
    }
    if !form_token.is_empty()
        && let Some(r) = sent_before(state, l.contest.id, &form_token).await?
    {
        return Ok(r);
    }
    let p = prepare(state, l, input, None).await?;
    let access_key = if form_token.is_empty() {
        crate::auth::random_token()
    } else {
        form_access_key(state, l.contest.id, &form_token)
    };
    let mut last_err = None;
    for _ in 0..5 {
        let code = receipt_code();
        let message = (!p.email.is_empty()).then(|| {
            receipt_message(
                state,
                &l.contest.title,
                &p.entry,
                &code,
                &p.email,
                Some(&access_key),
                1,
            )
        });
        let new = entries::NewEntry {
            receipt_code: code,
            access_token_hash: Some(crate::auth::token_hash(&access_key)),
            form_token: (!form_token.is_empty()).then(|| crate::auth::token_hash(&form_token)),
            ..p.entry.clone()
        };
        let mut follow_up: Vec<jobs::NewJob> = message.into_iter().collect();
        // Storage fills in the new entry's id.
        follow_up.push(Job::SearchIndex(DocRef::new_entry()).into());
        follow_up.push(Job::IntegrityCheck(CheckJob::new_entry()).into());
        let tx = state.db.write().await?;
        match entries::submit(&tx, new, follow_up).await {
            Ok(entry) => {
                audit::record(
                    &tx,
                    actor,
                    "entry.submit",
                    "entry",
                    Some(entry.id),
                    serde_json::json!({"code": entry.receipt_code, "sha256": entry.file_sha256}),
                )
                .await?;
                hoithi_storage::commit(tx).await?;
                return Ok(Receipt {
                    entry,
                    access_key,
                    warnings: p.warnings,
                });
            }
            Err(hoithi_storage::StorageError::Conflict(c)) => {
                drop(tx);
                // The same form sent twice at once: the other request made the entry.
                if !form_token.is_empty()
                    && let Some(r) = sent_before(state, l.contest.id, &form_token).await?
                {
                    return Ok(r);
                }
                last_err = Some(c)
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal(format!(
        "no free receipt code: {last_err:?}"
    )))
}

/// A resubmission before the deadline: the entry takes the new work and details, its earlier
/// version stays in the history, and screening starts again.
pub async fn resubmit(
    state: &AppState,
    actor: &Actor,
    l: &Loaded,
    old: &entry::Model,
    input: SubmissionInput,
) -> AppResult<(entry::Model, Vec<Msg>)> {
    if old.status == entries::WITHDRAWN {
        return Err(AppError::bad(
            "Bài đã rút không thể sửa.",
            "A withdrawn entry cannot be changed.",
        ));
    }
    let p = prepare(state, l, input, Some(old)).await?;
    let message = (!p.email.is_empty()).then(|| {
        receipt_message(
            state,
            &l.contest.title,
            &p.entry,
            &old.receipt_code,
            &p.email,
            None,
            old.version + 1,
        )
    });
    let mut follow_up: Vec<jobs::NewJob> = message.into_iter().collect();
    follow_up.push(Job::SearchIndex(DocRef::new(DocKind::Entry, old.id)).into());
    follow_up.push(Job::IntegrityCheck(CheckJob::entry(old.id)).into());
    let tx = state.db.write().await?;
    match entries::replace(&tx, old.id, old.version, p.entry, follow_up).await {
        Ok(saved) => {
            audit::record(
                &tx,
                actor,
                "entry.resubmit",
                "entry",
                Some(saved.id),
                serde_json::json!({"version": saved.version, "sha256": saved.file_sha256}),
            )
            .await?;
            hoithi_storage::commit(tx).await?;
            Ok((saved, p.warnings))
        }
        Err(hoithi_storage::StorageError::Conflict(_)) => {
            Err(AppError::Conflict(crate::i18n::Msg::new(
                "Bài vừa được thay đổi ở nơi khác; vui lòng tải lại trang và thử lại.",
                "The entry was just changed elsewhere; please reload and try again.",
            )))
        }
        Err(e) => Err(e.into()),
    }
}
