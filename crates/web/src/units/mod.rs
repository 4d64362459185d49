//! Units: the tree of centre, provinces, districts, communes and agencies. Pages here, the
//! JSON API in `api/units.rs`, both on `service`.

pub mod import;
mod pages;
pub mod service;

use axum::http::Method;

use crate::routes::{Gate, Routes};

/// The kinds of unit, with their Vietnamese and English names.
pub const KINDS: &[(&str, &str, &str)] = &[
    ("trung_uong", "Trung ương", "Centre"),
    ("tinh", "Tỉnh, thành phố", "Province"),
    ("huyen", "Huyện, quận, thị xã", "District"),
    ("xa", "Xã, phường, thị trấn", "Commune"),
    ("co_quan", "Cơ quan", "Agency"),
    ("to_chuc", "Tổ chức, đoàn thể", "Organization"),
    ("chi_bo", "Chi bộ, chi đoàn", "Cell"),
    ("khac", "Khác", "Other"),
];

pub fn kind_label(kind: &str, lang: crate::i18n::Lang) -> &'static str {
    KINDS
        .iter()
        .find(|k| k.0 == kind)
        .map(|k| match lang {
            crate::i18n::Lang::Vi => k.1,
            crate::i18n::Lang::En => k.2,
        })
        .unwrap_or("")
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
