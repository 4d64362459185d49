use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
};

use super::Page;
use crate::entity::unit;
use crate::entity::user::{ActiveModel, Column, Entity, Model};
use crate::types::UnitPath;
use crate::{Conn, StorageError, StorageResult, time};

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub full_name: String,
    pub name_key: String,
    pub password_hash: String,
    pub unit_id: Option<i64>,
}

pub async fn create<C: Conn>(db: &C, new: NewUser) -> StorageResult<Model> {
    let now = time::now();
    let what = new
        .email
        .clone()
        .or_else(|| new.phone.clone())
        .unwrap_or_default();
    ActiveModel {
        email: Set(new.email),
        phone: Set(new.phone),
        full_name: Set(new.full_name),
        name_key: Set(new.name_key),
        password_hash: Set(new.password_hash),
        unit_id: Set(new.unit_id),
        is_active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| StorageError::from_db(e, &what))
}

pub async fn get<C: Conn>(db: &C, id: i64) -> StorageResult<Model> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)
}

/// Finds an account by its normalized email or phone number.
pub async fn find_by_login<C: Conn>(db: &C, login: &str) -> StorageResult<Option<Model>> {
    Ok(Entity::find()
        .filter(
            Condition::any()
                .add(Column::Email.eq(login))
                .add(Column::Phone.eq(login)),
        )
        .one(db)
        .await?)
}

/// Users whose unit lies in one of the subtrees `within` (all users when `None`), in
/// Vietnamese name order, optionally filtered by a fragment of name, email or phone.
pub async fn list<C: Conn>(
    db: &C,
    within: Option<&[UnitPath]>,
    query: Option<&str>,
    page: u64,
    per_page: u64,
) -> StorageResult<Page<Model>> {
    let mut q = Entity::find();
    if let Some(roots) = within {
        let mut any = Condition::any();
        for p in roots {
            any =
                any.add(Expr::col(unit::Column::Path).like(
                    LikeExpr::new(format!("{}%", super::like_escape(p.as_str()))).escape('\\'),
                ));
        }
        let units = unit::Entity::find()
            .select_only()
            .column(unit::Column::Id)
            .filter(any)
            .as_query()
            .to_owned();
        q = q.filter(Column::UnitId.in_subquery(units));
    }
    if let Some(text) = query.map(str::trim).filter(|t| !t.is_empty()) {
        let pat = LikeExpr::new(format!("%{}%", super::like_escape(text))).escape('\\');
        q = q.filter(
            Condition::any()
                .add(Expr::col(Column::FullName).like(pat.clone()))
                .add(Expr::col(Column::Email).like(pat.clone()))
                .add(Expr::col(Column::Phone).like(pat)),
        );
    }
    let per_page = per_page.clamp(1, 200);
    let paginator = q
        .order_by_asc(Column::NameKey)
        .order_by_asc(Column::Id)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page.saturating_sub(1)).await?;
    Ok(Page {
        items,
        total,
        page: Ord::max(page, 1),
        per_page,
    })
}

pub async fn set_password<C: Conn>(db: &C, id: i64, password_hash: String) -> StorageResult<()> {
    let user = get(db, id).await?;
    let mut am: ActiveModel = user.into();
    am.password_hash = Set(password_hash);
    am.updated_at = Set(time::now());
    am.update(db).await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct UserChanges {
    pub full_name: String,
    pub name_key: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub unit_id: Option<i64>,
    pub is_active: bool,
}

pub async fn update<C: Conn>(db: &C, id: i64, c: UserChanges) -> StorageResult<Model> {
    let user = get(db, id).await?;
    let what = c
        .email
        .clone()
        .or_else(|| c.phone.clone())
        .unwrap_or_default();
    let mut am: ActiveModel = user.into();
    am.full_name = Set(c.full_name);
    am.name_key = Set(c.name_key);
    am.email = Set(c.email);
    am.phone = Set(c.phone);
    am.unit_id = Set(c.unit_id);
    am.is_active = Set(c.is_active);
    am.updated_at = Set(time::now());
    am.update(db)
        .await
        .map_err(|e| StorageError::from_db(e, &what))
}

pub async fn count<C: Conn>(db: &C) -> StorageResult<u64> {
    Ok(Entity::find().count(db).await?)
}
