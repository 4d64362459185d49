//! Certificates of any subject: an award today, a course completion next. One certificate per
//! subject and recipient (`position`), so issuing again for a subject adds nothing; each has a
//! random code that anyone can check.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::rounds::CHUNK;
use crate::entity::certificate;
use crate::{Conn, StorageError, StorageResult, time};

/// Subject kinds, as stored in `subject_kind`.
pub const AWARD: &str = "award";
pub const COURSE_COMPLETION: &str = "course_completion";

/// Attempts at drawing codes that are not taken yet.
const CODE_ATTEMPTS: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCertificate {
    pub subject_kind: &'static str,
    pub subject_id: i64,
    /// The recipient's number within the subject, from 0.
    pub position: i32,
    pub recipient: String,
    pub unit_name: String,
    /// Award certificates: the award's printed text (empty for other kinds).
    pub entry_title: String,
    pub contest_title: String,
    pub award_name: String,
    /// Other kinds: their printed text.
    pub details: serde_json::Value,
}

type Key = (String, i64, i32);

fn key_of(c: &certificate::Model) -> Key {
    (c.subject_kind.clone(), c.subject_id, c.position)
}

/// The certificates already issued for these (kind, subject) pairs.
async fn issued<C: Conn>(
    conn: &C,
    subjects: &BTreeMap<&'static str, Vec<i64>>,
) -> StorageResult<HashMap<Key, certificate::Model>> {
    let mut out = HashMap::new();
    for (kind, ids) in subjects {
        for chunk in ids.chunks(CHUNK) {
            for c in certificate::Entity::find()
                .filter(certificate::Column::SubjectKind.eq(*kind))
                .filter(certificate::Column::SubjectId.is_in(chunk.to_vec()))
                .all(conn)
                .await?
            {
                out.insert(key_of(&c), c);
            }
        }
    }
    Ok(out)
}

/// Issues certificates in the caller's transaction (or on a connection): those of a subject and
/// position already issued are left as they are, with their code, so that issuing twice adds
/// nothing. Codes come from `code`; one that happens to be taken is drawn again. Returns the
/// certificates asked for, issued now or before, in the order asked.
pub async fn issue<C: Conn>(
    conn: &C,
    list: Vec<NewCertificate>,
    code: impl Fn() -> String,
) -> StorageResult<Vec<certificate::Model>> {
    let mut subjects: BTreeMap<&'static str, Vec<i64>> = BTreeMap::new();
    for c in &list {
        subjects
            .entry(c.subject_kind)
            .or_default()
            .push(c.subject_id);
    }
    for ids in subjects.values_mut() {
        ids.sort_unstable();
        ids.dedup();
    }
    let key = |c: &NewCertificate| (c.subject_kind.to_string(), c.subject_id, c.position);
    let now = time::now();
    for _ in 0..CODE_ATTEMPTS {
        let have = issued(conn, &subjects).await?;
        let mut seen = std::collections::HashSet::new();
        let missing: Vec<&NewCertificate> = list
            .iter()
            .filter(|c| !have.contains_key(&key(c)) && seen.insert(key(c)))
            .collect();
        if missing.is_empty() {
            return Ok(list
                .iter()
                .filter_map(|c| have.get(&key(c)).cloned())
                .collect());
        }
        for chunk in missing.chunks(CHUNK) {
            let rows = chunk.iter().map(|c| certificate::ActiveModel {
                subject_kind: Set(c.subject_kind.to_string()),
                subject_id: Set(c.subject_id),
                position: Set(c.position),
                code: Set(code()),
                recipient: Set(c.recipient.clone()),
                unit_name: Set(c.unit_name.clone()),
                details: Set(c.details.to_string()),
                award_id: Set((c.subject_kind == AWARD).then_some(c.subject_id)),
                entry_title: Set(c.entry_title.clone()),
                contest_title: Set(c.contest_title.clone()),
                award_name: Set(c.award_name.clone()),
                issued_at: Set(now),
                revoked_at: Set(None),
                ..Default::default()
            });
            // A row whose subject was issued meanwhile, or whose code is taken, is skipped
            // here without failing the transaction; the next pass sees which are still missing.
            certificate::Entity::insert_many(rows)
                .on_conflict(OnConflict::new().do_nothing().to_owned())
                .exec_without_returning(conn)
                .await?;
        }
    }
    Err(StorageError::Conflict("certificate".into()))
}

pub async fn by_code<C: Conn>(conn: &C, code: &str) -> StorageResult<Option<certificate::Model>> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::Code.eq(code))
        .one(conn)
        .await?)
}

/// The certificates of some subjects of one kind, by subject then position.
pub async fn of_subjects<C: Conn>(
    conn: &C,
    kind: &str,
    ids: &[i64],
) -> StorageResult<Vec<certificate::Model>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(
            certificate::Entity::find()
                .filter(certificate::Column::SubjectKind.eq(kind))
                .filter(certificate::Column::SubjectId.is_in(chunk.to_vec()))
                .order_by_asc(certificate::Column::SubjectId)
                .order_by_asc(certificate::Column::Position)
                .all(conn)
                .await?,
        );
    }
    Ok(out)
}
