use sea_orm::TransactionSession as _;
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

use crate::entity::unit::{self, ActiveModel, Column, Entity, Model};
use crate::types::UnitPath;
use crate::{Conn, StorageError, StorageResult, time};

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub name_key: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub headcount: Option<i32>,
}

/// One row of a unit import, already validated by the caller.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub code: String,
    pub name: String,
    pub name_key: String,
    pub kind: String,
    pub parent_code: Option<String>,
    pub headcount: Option<i32>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    pub created: usize,
    pub updated: usize,
}

async fn insert_in<C: ConnectionTrait>(conn: &C, new: NewUnit) -> StorageResult<Model> {
    let (parent_path, depth) = match new.parent_id {
        Some(pid) => {
            let parent = Entity::find_by_id(pid)
                .one(conn)
                .await?
                .ok_or(StorageError::NotFound)?;
            (Some(parent.path), parent.depth + 1)
        }
        None => (None, 0),
    };
    let now = time::now();
    let inserted = ActiveModel {
        code: Set(new.code.clone()),
        name: Set(new.name),
        kind: Set(new.kind),
        parent_id: Set(new.parent_id),
        path: Set(UnitPath::pending()),
        depth: Set(depth),
        headcount: Set(new.headcount),
        name_key: Set(new.name_key),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map_err(|e| StorageError::from_db(e, &new.code))?;
    // The path needs the new id, known only after the insert.
    let mut am: ActiveModel = inserted.clone().into();
    am.path = Set(match &parent_path {
        Some(p) => p.child(inserted.id),
        None => UnitPath::root(inserted.id),
    });
    Ok(am.update(conn).await?)
}

pub async fn create<C: Conn>(db: &C, new: NewUnit) -> StorageResult<Model> {
    let txn = db.begin().await?;
    let unit = insert_in(&txn, new).await?;
    txn.commit().await?;
    Ok(unit)
}

pub async fn get<C: Conn>(db: &C, id: i64) -> StorageResult<Model> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

pub async fn by_code<C: Conn>(db: &C, code: &str) -> StorageResult<Option<Model>> {
    Ok(Entity::find().filter(Column::Code.eq(code)).one(db).await?)
}

fn in_subtree(path: &str) -> sea_orm::sea_query::SimpleExpr {
    Expr::col(Column::Path)
        .like(LikeExpr::new(format!("{}%", super::like_escape(path))).escape('\\'))
}

/// Every unit whose path starts with `path` (the unit itself and its descendants), or all
/// units when `path` is `None`; in tree order (depth, then Vietnamese name order).
pub async fn list<C: Conn>(db: &C, path: Option<&str>) -> StorageResult<Vec<Model>> {
    let mut q = Entity::find();
    if let Some(p) = path {
        q = q.filter(in_subtree(p));
    }
    Ok(q.order_by_asc(Column::Depth)
        .order_by_asc(Column::NameKey)
        .all(db)
        .await?)
}

pub async fn children<C: Conn>(db: &C, parent_id: Option<i64>) -> StorageResult<Vec<Model>> {
    let q = match parent_id {
        Some(id) => Entity::find().filter(Column::ParentId.eq(id)),
        None => Entity::find().filter(Column::ParentId.is_null()),
    };
    Ok(q.order_by_asc(Column::NameKey).all(db).await?)
}

pub async fn by_path<C: Conn>(db: &C, path: &str) -> StorageResult<Model> {
    Entity::find()
        .filter(Column::Path.eq(path))
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

/// Which of these units have children of their own (for drill-down links).
pub async fn having_children<C: Conn>(db: &C, ids: &[i64]) -> StorageResult<Vec<i64>> {
    use sea_orm::QuerySelect;
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let parents: Vec<Option<i64>> = Entity::find()
            .select_only()
            .column(Column::ParentId)
            .filter(Column::ParentId.is_in(chunk.to_vec()))
            .distinct()
            .into_tuple()
            .all(db)
            .await?;
        out.extend(parents.into_iter().flatten());
    }
    Ok(out)
}

pub async fn count<C: Conn>(db: &C) -> StorageResult<u64> {
    Ok(Entity::find().count(db).await?)
}

/// The unit and its ancestors, root first.
pub async fn ancestors<C: Conn>(db: &C, unit: &Model) -> StorageResult<Vec<Model>> {
    let ids: Vec<i64> = unit.path.ids().collect();
    let mut found = Entity::find()
        .filter(Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    found.sort_by_key(|u| ids.iter().position(|i| *i == u.id));
    Ok(found)
}

#[derive(Debug, Clone)]
pub struct UnitChanges {
    pub name: String,
    pub name_key: String,
    pub kind: String,
    pub headcount: Option<i32>,
}

pub async fn update<C: Conn>(db: &C, id: i64, changes: UnitChanges) -> StorageResult<Model> {
    let unit = get(db, id).await?;
    let mut am: ActiveModel = unit.into();
    am.name = Set(changes.name);
    am.name_key = Set(changes.name_key);
    am.kind = Set(changes.kind);
    am.headcount = Set(changes.headcount);
    am.updated_at = Set(time::now());
    Ok(am.update(db).await?)
}

/// Deletes a unit that has no child units.
pub async fn delete<C: Conn>(db: &C, id: i64) -> StorageResult<()> {
    let kids = Entity::find()
        .filter(Column::ParentId.eq(id))
        .count(db)
        .await?;
    if kids > 0 {
        return Err(StorageError::Conflict("has children".into()));
    }
    let res = Entity::delete_by_id(id).exec(db).await?;
    if res.rows_affected == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Creates or updates units by code in one transaction: all rows or none. Rows may name a
/// parent that appears later in the file or already exists. A parent must be given for
/// new units unless `allow_roots`; a code whose parent differs from the stored one is refused
/// (moving units is a separate, deliberate action).
pub async fn import<C: Conn>(
    db: &C,
    rows: Vec<ImportRow>,
    allow_roots: bool,
) -> StorageResult<ImportOutcome> {
    let txn = db.begin().await?;
    let mut outcome = ImportOutcome::default();
    let mut pending: Vec<ImportRow> = rows;
    loop {
        let before = pending.len();
        let mut still = Vec::new();
        for row in pending {
            let parent = match &row.parent_code {
                Some(pc) => match Entity::find()
                    .filter(Column::Code.eq(pc.as_str()))
                    .one(&txn)
                    .await?
                {
                    Some(p) => Some(p),
                    None => {
                        still.push(row);
                        continue;
                    }
                },
                None => None,
            };
            let existing = Entity::find()
                .filter(Column::Code.eq(row.code.as_str()))
                .one(&txn)
                .await?;
            match existing {
                Some(u) => {
                    if u.parent_id != parent.as_ref().map(|p| p.id) {
                        return Err(StorageError::Invalid(format!("parent:{}", row.code)));
                    }
                    let mut am: unit::ActiveModel = u.into();
                    am.name = Set(row.name);
                    am.name_key = Set(row.name_key);
                    am.kind = Set(row.kind);
                    if row.headcount.is_some() {
                        am.headcount = Set(row.headcount);
                    }
                    am.updated_at = Set(time::now());
                    am.update(&txn).await?;
                    outcome.updated += 1;
                }
                None => {
                    if parent.is_none() && !allow_roots {
                        return Err(StorageError::Invalid(format!("root:{}", row.code)));
                    }
                    insert_in(
                        &txn,
                        NewUnit {
                            code: row.code,
                            name: row.name,
                            name_key: row.name_key,
                            kind: row.kind,
                            parent_id: parent.map(|p| p.id),
                            headcount: row.headcount,
                        },
                    )
                    .await?;
                    outcome.created += 1;
                }
            }
        }
        if still.is_empty() {
            break;
        }
        if still.len() == before {
            let codes: Vec<String> = still.iter().map(|r| r.code.clone()).collect();
            return Err(StorageError::Invalid(format!(
                "missing-parent:{}",
                codes.join(",")
            )));
        }
        pending = still;
    }
    txn.commit().await?;
    Ok(outcome)
}
