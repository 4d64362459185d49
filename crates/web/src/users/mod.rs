//! Users and their roles. Pages here, the JSON API in `api/users.rs`, both on `service`.

mod pages;
pub mod service;

use axum::http::Method;

use crate::routes::{Gate, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .add(Method::GET, "/nguoi-dung", Gate::Admin, pages::index)
        .add(Method::GET, "/nguoi-dung/moi", Gate::Admin, pages::new_form)
        .add(Method::POST, "/nguoi-dung", Gate::Admin, pages::create)
        .add(Method::GET, "/nguoi-dung/{id}", Gate::Admin, pages::show)
        .add(Method::POST, "/nguoi-dung/{id}", Gate::Admin, pages::update)
        .add(
            Method::POST,
            "/nguoi-dung/{id}/vai-tro",
            Gate::Admin,
            pages::add_role,
        )
        .add(
            Method::POST,
            "/nguoi-dung/{id}/vai-tro/{grant}/bo",
            Gate::Admin,
            pages::remove_role,
        )
        .add(
            Method::POST,
            "/nguoi-dung/{id}/mat-khau",
            Gate::Admin,
            pages::reset_password,
        )
}
