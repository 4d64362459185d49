//! Certificates for any subject: an award of a contest today, a course completion next. A
//! certificate names its subject's kind and id; `service` issues them (once per subject and
//! recipient) and finds them by code, `render` writes the one PDF layout from a template each
//! kind fills, and `pages` serves the public verification page and the PDF. The JSON check is
//! `api/certificates.rs`.

pub mod pages;
pub mod render;
pub mod service;

use axum::http::Method;

use crate::routes::{Gate, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .add(Method::GET, "/xac-minh", Gate::Public, pages::lookup)
        .add(Method::GET, "/xac-minh/{code}", Gate::Public, pages::verify)
        .add(
            Method::GET,
            "/xac-minh/{code}/giay-chung-nhan.pdf",
            Gate::Public,
            pages::pdf,
        )
}
