//! The kinds of documents in the search index. Each kind says how to build the document of one
//! of its records, how to list all of them for a rebuild, and who may see its hits in a
//! site-wide search.
//!
//! Adding a kind, or filling one declared here once its table exists (news posts, courses,
//! course materials): implement [`SearchKind`] (a new kind also gets its [`DocKind`] variant and
//! the arms the compiler then asks for), and queue `Job::SearchIndex(DocRef::new(kind, id))`
//! in the transaction that changes a record. `hoithi search rebuild` and the fill at start-up
//! go through [`DocKind::ALL`], so they cover it from then on.

use std::future::Future;

use hoithi_search::Doc;
use hoithi_storage::entity::entry;
use hoithi_storage::repo::entries;

use crate::policy::Actor;
use crate::state::AppState;

/// The tag of documents anyone may find (published news, courses open to all).
pub const PUBLIC: &str = "public";

/// The tag that lets one account find a document (a delegate of a closed course).
pub fn user_tag(user_id: i64) -> String {
    format!("user:{user_id}")
}

/// A kind of document, stored in the index's `kind` field and in search jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// A contest entry: found by screeners within their scope only.
    Entry,
    /// A news post: anyone finds it once published.
    NewsPost,
    /// A training course: anyone when open to all, else its delegates.
    Course,
    /// A course's material: whoever may find its course.
    CourseMaterial,
    /// A contest: anyone finds it once published.
    Contest,
    /// A contest's published results (its awards, winners and units), keyed by the contest.
    ContestResults,
}

/// Documents read for a rebuild, and the last record id read (`None`: there are no more).
pub struct Batch {
    pub docs: Vec<Doc>,
    pub last: Option<i64>,
}

impl Batch {
    pub fn done() -> Batch {
        Batch {
            docs: Vec::new(),
            last: None,
        }
    }
}

/// What the index needs to know about one kind of document.
pub trait SearchKind {
    /// The document of record `id`, or `None` when it must not be found (deleted, withdrawn,
    /// not published): the index then drops it.
    fn load(state: &AppState, id: i64) -> impl Future<Output = Result<Option<Doc>, String>> + Send;

    /// The documents of up to `limit` records with ids above `after`, in id order.
    fn batch(
        state: &AppState,
        after: i64,
        limit: u64,
    ) -> impl Future<Output = Result<Batch, String>> + Send;

    /// Who may see this kind's hits in a site-wide search: a hit must carry every tag of one of
    /// these sets. None: this kind never shows there.
    fn visible(actor: &Actor) -> Vec<Vec<String>>;
}

impl DocKind {
    pub const ALL: [DocKind; 6] = [
        DocKind::Entry,
        DocKind::NewsPost,
        DocKind::Course,
        DocKind::CourseMaterial,
        DocKind::Contest,
        DocKind::ContestResults,
    ];

    /// As stored in the index.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Entry => "entry",
            DocKind::NewsPost => "news_post",
            DocKind::Course => "course",
            DocKind::CourseMaterial => "course_material",
            DocKind::Contest => "contest",
            DocKind::ContestResults => "contest_results",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub async fn load(self, state: &AppState, id: i64) -> Result<Option<Doc>, String> {
        match self {
            DocKind::Entry => Entries::load(state, id).await,
            DocKind::NewsPost => NewsPosts::load(state, id).await,
            DocKind::Course => Courses::load(state, id).await,
            DocKind::CourseMaterial => CourseMaterials::load(state, id).await,
            DocKind::Contest => Contests::load(state, id).await,
            DocKind::ContestResults => ContestResults::load(state, id).await,
        }
    }

    pub async fn batch(self, state: &AppState, after: i64, limit: u64) -> Result<Batch, String> {
        match self {
            DocKind::Entry => Entries::batch(state, after, limit).await,
            DocKind::NewsPost => NewsPosts::batch(state, after, limit).await,
            DocKind::Course => Courses::batch(state, after, limit).await,
            DocKind::CourseMaterial => CourseMaterials::batch(state, after, limit).await,
            DocKind::Contest => Contests::batch(state, after, limit).await,
            DocKind::ContestResults => ContestResults::batch(state, after, limit).await,
        }
    }

    pub fn visible(self, actor: &Actor) -> Vec<Vec<String>> {
        match self {
            DocKind::Entry => Entries::visible(actor),
            DocKind::NewsPost => NewsPosts::visible(actor),
            DocKind::Course => Courses::visible(actor),
            DocKind::CourseMaterial => CourseMaterials::visible(actor),
            DocKind::Contest => Contests::visible(actor),
            DocKind::ContestResults => ContestResults::visible(actor),
        }
    }
}

// ---- contest entries ----

pub struct Entries;

/// Tags: the contest, the genre, the status, and every unit on the entry's path, so that a
/// filter on a unit finds its whole subtree. Title, pen name and receipt code are searched as
/// the title.
pub fn entry_doc(e: &entry::Model) -> Doc {
    let mut tags = vec![
        format!("contest:{}", e.contest_id),
        format!("genre:{}", e.genre_id),
        format!("status:{}", e.status),
    ];
    tags.extend(e.unit_path.ids().map(|id| format!("unit:{id}")));
    Doc {
        key: e.id,
        kind: DocKind::Entry.as_str().into(),
        title: format!("{} {} {}", e.title, e.pen_name, e.receipt_code),
        body: e.body.clone(),
        tags,
    }
}

impl SearchKind for Entries {
    async fn load(state: &AppState, id: i64) -> Result<Option<Doc>, String> {
        match entries::get(&state.db, id).await {
            Ok(e) if e.status != entries::WITHDRAWN => Ok(Some(entry_doc(&e))),
            Ok(_) | Err(hoithi_storage::StorageError::NotFound) => Ok(None),
            Err(err) => Err(err.to_string()),
        }
    }

    async fn batch(state: &AppState, after: i64, limit: u64) -> Result<Batch, String> {
        let rows = entries::batch_after(&state.db, None, after, limit)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Batch {
            last: rows.last().map(|e| e.id),
            docs: rows
                .iter()
                .filter(|e| e.status != entries::WITHDRAWN)
                .map(entry_doc)
                .collect(),
        })
    }

    /// Entries are searched only through screening (`search::entry_ids`), within a scope the
    /// caller has checked with `policy::can`; a site-wide search never shows them.
    fn visible(_: &Actor) -> Vec<Vec<String>> {
        Vec::new()
    }
}

// ---- news posts ----

/// News posts. Documents: title, lead, text and byline, tagged [`PUBLIC`], `unit:N` and
/// `category:N`; only published (or scheduled) posts are in the index (`load` gives `None` for
/// a draft).
pub struct NewsPosts;

/// A post scheduled for later is indexed already; the search page shows only posts readable
/// at the time of the search.
fn news_doc(p: &hoithi_storage::entity::news::post::Model, categories: &[i64]) -> Option<Doc> {
    use hoithi_storage::status::NewsStatus;
    if !matches!(p.status, NewsStatus::Published | NewsStatus::Scheduled) {
        return None;
    }
    let mut tags = vec![PUBLIC.to_string(), format!("unit:{}", p.unit_id)];
    tags.extend(categories.iter().map(|c| format!("category:{c}")));
    Some(Doc {
        key: p.id,
        kind: DocKind::NewsPost.as_str().into(),
        title: p.title.clone(),
        body: format!(
            "{}\n\n{}\n\n{}",
            p.lead,
            crate::news::body::plain(&p.body_html),
            p.byline
        ),
        tags,
    })
}

async fn news_categories(state: &AppState, ids: &[i64]) -> Result<Vec<(i64, i64)>, String> {
    Ok(hoithi_storage::repo::news::categories_of(&state.db, ids)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(post, c)| (post, c.id))
        .collect())
}

impl SearchKind for NewsPosts {
    async fn load(state: &AppState, id: i64) -> Result<Option<Doc>, String> {
        match hoithi_storage::repo::news::post(&state.db, id).await {
            Ok(p) => {
                let cats: Vec<i64> = news_categories(state, &[id])
                    .await?
                    .into_iter()
                    .map(|(_, c)| c)
                    .collect();
                Ok(news_doc(&p, &cats))
            }
            Err(hoithi_storage::StorageError::NotFound) => Ok(None),
            Err(err) => Err(err.to_string()),
        }
    }

    async fn batch(state: &AppState, after: i64, limit: u64) -> Result<Batch, String> {
        let rows = hoithi_storage::repo::news::batch_after(&state.db, after, limit)
            .await
            .map_err(|e| e.to_string())?;
        let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
        let cats = news_categories(state, &ids).await?;
        Ok(Batch {
            last: rows.last().map(|p| p.id),
            docs: rows
                .iter()
                .filter_map(|p| {
                    let mine: Vec<i64> = cats
                        .iter()
                        .filter(|(post, _)| *post == p.id)
                        .map(|(_, c)| *c)
                        .collect();
                    news_doc(p, &mine)
                })
                .collect(),
        })
    }

    fn visible(_: &Actor) -> Vec<Vec<String>> {
        vec![vec![PUBLIC.into()]]
    }
}

// ---- courses and their materials ----

/// Everyone finds courses (and their materials) tagged [`PUBLIC`]; a signed-in person also
/// those tagged with their account ([`user_tag`], one per delegate of a closed course).
fn course_audience(actor: &Actor) -> Vec<Vec<String>> {
    let mut sets = vec![vec![PUBLIC.to_string()]];
    if let Some(id) = actor.user_id() {
        sets.push(vec![user_tag(id)]);
    }
    sets
}

/// Training courses. Documents: title, description and programme, tagged [`PUBLIC`] when open
/// to all, else [`user_tag`] for each delegate.
pub struct Courses;

/// A course past its draft, with its sessions' topics and speakers.
async fn course_doc(
    state: &AppState,
    k: &hoithi_storage::repo::courses::Course,
) -> Result<Option<Doc>, String> {
    use hoithi_storage::repo::courses;
    if k.status == hoithi_storage::status::CourseStatus::Draft {
        return Ok(None);
    }
    let mut body = vec![k.description.clone(), k.venue.clone()];
    for s in courses::sessions(&state.db, k.id)
        .await
        .map_err(|e| e.to_string())?
    {
        body.push(s.topic);
        body.push(s.speaker);
    }
    Ok(Some(Doc {
        key: k.id,
        kind: DocKind::Course.as_str().into(),
        title: k.title.clone(),
        body: body.join("\n"),
        tags: vec![PUBLIC.into(), format!("course:{}", k.id)],
    }))
}

impl SearchKind for Courses {
    async fn load(state: &AppState, id: i64) -> Result<Option<Doc>, String> {
        match hoithi_storage::repo::courses::get(&state.db, id).await {
            Ok(k) => course_doc(state, &k).await,
            Err(hoithi_storage::StorageError::NotFound) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    async fn batch(state: &AppState, after: i64, limit: u64) -> Result<Batch, String> {
        let rows = hoithi_storage::repo::courses::batch_after(&state.db, after, limit)
            .await
            .map_err(|e| e.to_string())?;
        let mut docs = Vec::new();
        for k in &rows {
            docs.extend(course_doc(state, k).await?);
        }
        Ok(Batch {
            last: rows.last().map(|k| k.id),
            docs,
        })
    }

    fn visible(actor: &Actor) -> Vec<Vec<String>> {
        course_audience(actor)
    }
}

/// A course's materials (slides, texts). Documents: title, note and extracted text. A public
/// material of a course past its draft is tagged [`PUBLIC`]; a delegate-only one is tagged for
/// whoever may open it: each active delegate's account ([`user_tag`]), the course's organizers
/// ([`course_organizer_tag`]), the administrators of the units above it ([`unit_admin_tag`])
/// and site administrators ([`SITE_ADMIN`]). The search page checks each hit again with
/// `courses::materials::service` before it shows it, so a tag left behind by a change of
/// delegates never opens anything.
pub struct CourseMaterials;

/// The tag of documents site administrators find.
pub const SITE_ADMIN: &str = "site-admin";

/// The tag that lets the organizers of one course find a document.
pub fn course_organizer_tag(course_id: i64) -> String {
    format!("course-organizer:{course_id}")
}

/// The tag that lets the administrators of a unit subtree find a document.
pub fn unit_admin_tag(unit_id: i64) -> String {
    format!("unit-admin:{unit_id}")
}

async fn material_doc(
    state: &AppState,
    m: &hoithi_storage::repo::courses::materials::Material,
) -> Result<Option<Doc>, String> {
    use hoithi_storage::repo::courses::{self, materials};
    let k = courses::get(&state.db, m.course_id)
        .await
        .map_err(|e| e.to_string())?;
    if k.status == hoithi_storage::status::CourseStatus::Draft {
        return Ok(None);
    }
    let mut tags = vec![format!("course:{}", k.id)];
    if m.visibility == materials::PUBLIC {
        tags.push(PUBLIC.into());
    } else {
        for d in courses::delegates(&state.db, k.id)
            .await
            .map_err(|e| e.to_string())?
        {
            if let Some(uid) = d.user_id
                && crate::courses::service::is_active(&d)
            {
                let tag = user_tag(uid);
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
        }
        tags.push(course_organizer_tag(k.id));
        tags.extend(k.organizer_path.ids().map(unit_admin_tag));
        tags.push(SITE_ADMIN.into());
    }
    Ok(Some(Doc {
        key: m.id,
        kind: DocKind::CourseMaterial.as_str().into(),
        title: m.title.clone(),
        body: format!("{}\n\n{}\n\n{}", m.note, m.file_name, m.body),
        tags,
    }))
}

impl SearchKind for CourseMaterials {
    async fn load(state: &AppState, id: i64) -> Result<Option<Doc>, String> {
        match hoithi_storage::repo::courses::materials::get(&state.db, id).await {
            Ok(m) => material_doc(state, &m).await,
            Err(hoithi_storage::StorageError::NotFound) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    async fn batch(state: &AppState, after: i64, limit: u64) -> Result<Batch, String> {
        let rows = hoithi_storage::repo::courses::materials::batch_after(&state.db, after, limit)
            .await
            .map_err(|e| e.to_string())?;
        let mut docs = Vec::new();
        for m in &rows {
            docs.extend(material_doc(state, m).await?);
        }
        Ok(Batch {
            last: rows.last().map(|m| m.id),
            docs,
        })
    }

    fn visible(actor: &Actor) -> Vec<Vec<String>> {
        use crate::policy::{ResourceKind, Role, Scope};
        let mut sets = course_audience(actor);
        if !actor.is_signed_in() {
            return sets;
        }
        for g in actor.grants() {
            match (&g.role, &g.scope) {
                (Role::SiteAdmin, _) => sets.push(vec![SITE_ADMIN.into()]),
                (Role::UnitAdmin, Scope::Subtree(p)) => sets.push(vec![unit_admin_tag(p.id())]),
                (
                    Role::Organizer,
                    Scope::Resource {
                        kind: ResourceKind::Course,
                        id,
                    },
                ) => sets.push(vec![course_organizer_tag(*id)]),
                _ => {}
            }
        }
        sets
    }
}

// ---- contests and their published results ----

/// Contests. Documents: title, description and rules, tagged [`PUBLIC`]; only published
/// contests are in the index.
pub struct Contests;

fn contest_doc(k: &hoithi_storage::entity::contest::Model) -> Option<Doc> {
    k.published.then(|| Doc {
        key: k.id,
        kind: DocKind::Contest.as_str().into(),
        title: k.title.clone(),
        body: format!("{}\n\n{}", k.description, k.rules),
        tags: vec![PUBLIC.into(), format!("contest:{}", k.id)],
    })
}

/// Contests with ids above `after`, in id order (a district holds a handful a year).
async fn contests_after(
    state: &AppState,
    after: i64,
    limit: u64,
) -> Result<Vec<hoithi_storage::entity::contest::Model>, String> {
    let mut rows = hoithi_storage::repo::contests::all(&state.db)
        .await
        .map_err(|e| e.to_string())?;
    rows.retain(|k| k.id > after);
    rows.sort_by_key(|k| k.id);
    rows.truncate(limit as usize);
    Ok(rows)
}

impl SearchKind for Contests {
    async fn load(state: &AppState, id: i64) -> Result<Option<Doc>, String> {
        match hoithi_storage::repo::contests::get(&state.db, id).await {
            Ok(k) => Ok(contest_doc(&k)),
            Err(hoithi_storage::StorageError::NotFound) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    async fn batch(state: &AppState, after: i64, limit: u64) -> Result<Batch, String> {
        let rows = contests_after(state, after, limit).await?;
        Ok(Batch {
            last: rows.last().map(|k| k.id),
            docs: rows.iter().filter_map(contest_doc).collect(),
        })
    }

    fn visible(_: &Actor) -> Vec<Vec<String>> {
        vec![vec![PUBLIC.into()]]
    }
}

/// A published contest's results, as its public results page shows them: the awards, the
/// awarded entries' titles, their authors and units. Tagged [`PUBLIC`]; a contest with no
/// published round has no document.
pub struct ContestResults;

async fn results_doc(
    state: &AppState,
    k: &hoithi_storage::entity::contest::Model,
) -> Result<Option<Doc>, String> {
    if !k.published {
        return Ok(None);
    }
    let rounds = crate::judging::public::published(state, k.id, crate::i18n::Lang::Vi)
        .await
        .map_err(|e| format!("{e:?}"))?;
    if rounds.is_empty() {
        return Ok(None);
    }
    let mut body = Vec::new();
    for r in &rounds {
        body.push(r.name.clone());
        for a in &r.awards {
            body.push(format!(
                "{} {} {} {} {}",
                a.tier,
                a.genre,
                a.title,
                a.recipients.join(", "),
                a.unit
            ));
        }
    }
    Ok(Some(Doc {
        key: k.id,
        kind: DocKind::ContestResults.as_str().into(),
        title: format!("Kết quả {}", k.title),
        body: body.join("\n"),
        tags: vec![PUBLIC.into(), format!("contest:{}", k.id)],
    }))
}

impl SearchKind for ContestResults {
    async fn load(state: &AppState, id: i64) -> Result<Option<Doc>, String> {
        match hoithi_storage::repo::contests::get(&state.db, id).await {
            Ok(k) => results_doc(state, &k).await,
            Err(hoithi_storage::StorageError::NotFound) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    async fn batch(state: &AppState, after: i64, limit: u64) -> Result<Batch, String> {
        let rows = contests_after(state, after, limit).await?;
        let mut docs = Vec::new();
        for k in &rows {
            docs.extend(results_doc(state, k).await?);
        }
        Ok(Batch {
            last: rows.last().map(|k| k.id),
            docs,
        })
    }

    fn visible(_: &Actor) -> Vec<Vec<String>> {
        vec![vec![PUBLIC.into()]]
    }
}
