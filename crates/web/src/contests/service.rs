//! Contest services: who may do what with a contest, and its creation.

use hoithi_storage::entity::entry;
use hoithi_storage::entity::{contest, unit};
use hoithi_storage::repo::{contests, entries, units};

use crate::audit;
use crate::error::{AppError, AppResult};
use crate::jobs::Job;
use crate::policy::{Action, Actor, Reach, Resource, UnitPath, can, reach};
use crate::search::{DocKind, DocRef};
use crate::state::AppState;

/// A contest with what every page about it needs.
pub struct Loaded {
    pub contest: contest::Model,
    pub organizer: unit::Model,
}

pub async fn load(state: &AppState, slug: &str) -> AppResult<Loaded> {
    with_organizer(state, contests::by_slug(&state.db, slug).await?).await
}

pub async fn with_organizer(state: &AppState, contest: contest::Model) -> AppResult<Loaded> {
    let organizer = units::get(&state.db, contest.organizer_unit_id).await?;
    Ok(Loaded { contest, organizer })
}

/// A contest that is not published is visible only to those who manage it.
pub fn check_visible(actor: &Actor, l: &Loaded) -> AppResult<()> {
    if l.contest.published || can_manage(actor, l) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The contest, for one of those who manage it (403 for anyone else).
pub async fn load_managed(state: &AppState, actor: &Actor, slug: &str) -> AppResult<Loaded> {
    let l = load(state, slug).await?;
    if !can_manage(actor, &l) {
        return Err(AppError::Forbidden);
    }
    Ok(l)
}

pub fn can_manage(actor: &Actor, l: &Loaded) -> bool {
    can(
        actor,
        Action::ManageContest,
        Resource::Contest {
            id: l.contest.id,
            organizer_path: &l.organizer.path,
        },
    )
}

/// The entries the actor may screen: `None` for the whole contest (its organizers), or a unit
/// subtree (`requested`, when allowed; otherwise the first subtree a coordinator administers
/// that the policy lets them screen).
pub fn screening_scope(
    actor: &Actor,
    l: &Loaded,
    requested: Option<&UnitPath>,
) -> AppResult<Option<UnitPath>> {
    let allowed = |unit_path: Option<&UnitPath>| {
        can(
            actor,
            Action::ScreenEntries,
            Resource::Entries {
                contest_id: l.contest.id,
                organizer_path: &l.organizer.path,
                unit_path,
            },
        )
    };
    if allowed(requested) {
        return Ok(requested.cloned());
    }
    if requested.is_none()
        && let Reach::Within(roots) = reach(actor, Action::ScreenEntries)
        && let Some(own) = roots.into_iter().find(|r| allowed(Some(r)))
    {
        return Ok(Some(own));
    }
    Err(AppError::Forbidden)
}

/// The tone-mark style a contest shows its entries' text in (as written unless it chose one).
pub fn display_tone(k: &hoithi_storage::entity::contest::Model) -> hoithi_text::ToneStyle {
    match k.display_tone.as_str() {
        "new" => hoithi_text::ToneStyle::New,
        "old" => hoithi_text::ToneStyle::Old,
        _ => hoithi_text::ToneStyle::Keep,
    }
}

/// An entry's text as the contest shows it: as written, or in the contest's tone style.
/// Byte offsets at syllable boundaries stay valid (see `hoithi_text::retone`).
pub fn shown_text(k: &hoithi_storage::entity::contest::Model, text: &str) -> String {
    hoithi_text::retone(text, display_tone(k))
}

pub fn is_open(c: &contest::Model, now: chrono::DateTime<chrono::Utc>) -> bool {
    c.opens_at <= now && now < c.closes_at
}

pub fn slugify(title: &str) -> String {
    let folded = hoithi_text::fold::fold(title);
    let mut out = String::new();
    for ch in folded.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(80).collect()
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    c: contests::NewContest,
) -> AppResult<contest::Model> {
    let organizer = units::get(&state.db, c.organizer_unit_id)
        .await
        .map_err(|_| {
            AppError::bad(
                "Đơn vị tổ chức không tồn tại.",
                "The organizing unit does not exist.",
            )
        })?;
    if !can(
        actor,
        Action::CreateContest,
        Resource::Unit {
            path: &organizer.path,
        },
    ) {
        return Err(AppError::Forbidden);
    }
    if c.closes_at <= c.opens_at {
        return Err(AppError::bad(
            "Thời hạn nhận bài phải sau ngày mở.",
            "The deadline must come after the opening.",
        ));
    }
    if c.genres.is_empty() {
        return Err(AppError::bad(
            "Cần ít nhất một thể loại.",
            "At least one genre is needed.",
        ));
    }
    for uid in &c.collecting_units {
        let u = units::get(&state.db, *uid).await.map_err(|_| {
            AppError::bad(
                "Đơn vị thu bài không tồn tại.",
                "A collecting unit does not exist.",
            )
        })?;
        if !organizer.path.contains(&u.path) {
            return Err(AppError::bad(
                "Đơn vị thu bài phải thuộc đơn vị tổ chức.",
                "Collecting units must lie within the organizing unit.",
            ));
        }
    }
    let tx = state.db.write().await?;
    let saved = contests::create(&tx, c).await?;
    audit::record(
        &tx,
        actor,
        "contest.create",
        "contest",
        Some(saved.id),
        serde_json::json!({"slug": saved.slug}),
    )
    .await?;
    crate::jobs::enqueue(
        &tx,
        crate::jobs::Job::SearchIndex(crate::search::DocRef::new(
            crate::search::DocKind::Contest,
            saved.id,
        )),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}

/// Default genres of a political-essay contest (2025 plan), editable per contest.
pub fn default_genres() -> Vec<contests::NewGenre> {
    let text = |name: &str, overlap| contests::NewGenre {
        name: name.into(),
        medium: "text".into(),
        min_words: Some(1000),
        max_words: Some(2500),
        max_authors: 2,
        max_entries_per_author: 1,
        accepted_types: "docx,odt,pdf,txt".into(),
        allowed_overlap_percent: overlap,
    };
    vec![
        text("Bài báo in, báo điện tử", 25),
        text("Bài tạp chí in, tạp chí điện tử", 20),
        contests::NewGenre {
            name: "Video clip".into(),
            medium: "media".into(),
            min_words: None,
            max_words: None,
            max_authors: 3,
            max_entries_per_author: 1,
            accepted_types: "link".into(),
            allowed_overlap_percent: 100,
        },
    ]
}

pub fn default_groups() -> Vec<String> {
    ["Cán bộ", "Đảng viên", "Nhân dân", "Học sinh – sinh viên"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// An entry of this contest that the actor may screen; others answer not found or forbidden.
pub async fn entry_in_scope(
    state: &AppState,
    actor: &Actor,
    l: &Loaded,
    id: i64,
) -> AppResult<entry::Model> {
    let e = entries::get(&state.db, id).await?;
    if e.contest_id != l.contest.id {
        return Err(AppError::NotFound);
    }
    screening_scope(actor, l, Some(&e.unit_path))?;
    Ok(e)
}

/// The screening decision, for the page and the API alike: eligible, or disqualified with a
/// reason the submitter will see. Reindexes the entry and writes the audit log.
pub async fn screen(
    state: &AppState,
    actor: &Actor,
    l: &Loaded,
    id: i64,
    decision: &str,
    reason: &str,
) -> AppResult<entry::Model> {
    let e = entry_in_scope(state, actor, l, id).await?;
    let reason = crate::validate::clean_line(reason)
        .chars()
        .take(1000)
        .collect::<String>();
    let status = match decision {
        "eligible" => entries::ELIGIBLE,
        "disqualified" if !reason.is_empty() => entries::DISQUALIFIED,
        "disqualified" => {
            return Err(AppError::bad(
                "Vui lòng ghi lý do loại bài (người gửi sẽ thấy lý do này).",
                "Please give the reason (the submitter will see it).",
            ));
        }
        _ => {
            return Err(AppError::bad(
                "Vui lòng chọn kết quả sơ loại.",
                "Please choose a screening decision.",
            ));
        }
    };
    if e.status == entries::WITHDRAWN {
        return Err(AppError::bad(
            "Bài đã được người gửi rút.",
            "The submitter withdrew this entry.",
        ));
    }
    let tx = state.db.write().await?;
    let saved = entries::decide(&tx, e.id, status, &reason).await?;
    crate::jobs::enqueue(&tx, Job::SearchIndex(DocRef::new(DocKind::Entry, e.id))).await?;
    audit::record(
        &tx,
        actor,
        "entry.screen",
        "entry",
        Some(e.id),
        serde_json::json!({"before": e.status, "after": status, "reason": reason}),
    )
    .await?;
    hoithi_storage::commit(tx).await?;
    Ok(saved)
}
