//! Units: the tree of centre, provinces, districts, communes and agencies. Pages here, the
//! JSON API in `api/units.rs`, both on `service`.

pub mod import;
mod pages;
pub mod service;

use axum::http::Method;

use crate::routes::{Gate, Routes};

/// The kinds of unit, by code; their names are in the catalogue (`i18n/units.rs`).
pub const KINDS: &[&str] = &[
    "trung_uong",
    "tinh",
    "huyen",
    "xa",
    "co_quan",
    "to_chuc",
    "chi_bo",
    "khac",
];

pub fn kind_label(kind: &str, lang: crate::i18n::Lang) -> &'static str {
    let t = lang.tr().units;
    match kind {
        "trung_uong" => t.kind_trung_uong,
        "tinh" => t.kind_tinh,
        "huyen" => t.kind_huyen,
        "xa" => t.kind_xa,
        "co_quan" => t.kind_co_quan,
        "to_chuc" => t.kind_to_chuc,
        "chi_bo" => t.kind_chi_bo,
        "khac" => t.kind_khac,
        _ => "",
    }
}

pub fn routes() -> Routes {
    Routes::new()
        .add(Method::GET, "/don-vi", Gate::Admin, pages::index)
        .add(Method::GET, "/don-vi/moi", Gate::Admin, pages::new_form)
        .add(Method::POST, "/don-vi", Gate::Admin, pages::create)
        .add(Method::GET, "/don-vi/nhap", Gate::Admin, pages::import_form)
        .add(
            Method::POST,
            "/don-vi/nhap",
            Gate::Admin,
            pages::import_submit,
        )
        .add(Method::GET, "/don-vi/{id}", Gate::Admin, pages::show)
        .add(Method::POST, "/don-vi/{id}", Gate::Admin, pages::update)
        .add(Method::POST, "/don-vi/{id}/xoa", Gate::Admin, pages::delete)
}
