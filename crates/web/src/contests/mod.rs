//! Contests, part 1: a contest rolled out through the unit tree, public submission with a
//! receipt and a private link, screening, and participation dashboards.

mod dashboard;
pub mod export;
mod pages;
mod screening;
pub mod service;
mod settings;
pub mod submission;

use axum::http::Method;

use crate::routes::{Gate, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .add(Method::GET, "/cuoc-thi", Gate::Public, pages::index)
        .add(
            Method::GET,
            "/bai-cua-toi",
            Gate::SignedIn,
            submission::pages::mine,
        )
        .add(Method::GET, "/cuoc-thi/moi", Gate::Admin, pages::new_form)
        .add(Method::POST, "/cuoc-thi", Gate::Admin, pages::create)
        .add(Method::GET, "/cuoc-thi/{slug}", Gate::Public, pages::show)
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/gui-bai",
            Gate::Public,
            submission::pages::form,
        )
        .add(
            Method::POST,
            "/cuoc-thi/{slug}/gui-bai",
            Gate::Public,
            submission::pages::create,
        )
        .add(
            Method::GET,
            "/bai-du-thi/{code}",
            Gate::Public,
            submission::pages::view,
        )
        .add(
            Method::GET,
            "/bai-du-thi/{code}/bien-nhan",
            Gate::Public,
            submission::pages::receipt,
        )
        .add(
            Method::GET,
            "/bai-du-thi/{code}/sua",
            Gate::Public,
            submission::pages::edit_form,
        )
        .add(
            Method::POST,
            "/bai-du-thi/{code}/sua",
            Gate::Public,
            submission::pages::edit,
        )
        .add(
            Method::POST,
            "/bai-du-thi/{code}/rut",
            Gate::Public,
            submission::pages::withdraw,
        )
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/bai",
            Gate::SignedIn,
            screening::index,
        )
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/bai/{id}",
            Gate::SignedIn,
            screening::show,
        )
        .add(
            Method::POST,
            "/cuoc-thi/{slug}/bai/{id}/so-loai",
            Gate::SignedIn,
            screening::decide,
        )
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/cai-dat",
            Gate::SignedIn,
            settings::show,
        )
        .add(
            Method::POST,
            "/cuoc-thi/{slug}/cai-dat",
            Gate::SignedIn,
            settings::save,
        )
        .add(
            Method::POST,
            "/cuoc-thi/{slug}/the-loai",
            Gate::SignedIn,
            settings::save_categories,
        )
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/thong-ke",
            Gate::SignedIn,
            dashboard::show,
        )
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/thong-ke.xlsx",
            Gate::SignedIn,
            dashboard::xlsx,
        )
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/thong-ke.csv",
            Gate::SignedIn,
            dashboard::csv,
        )
        .add(
            Method::POST,
            "/cuoc-thi/{slug}/xuat",
            Gate::SignedIn,
            export::start,
        )
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/xuat",
            Gate::SignedIn,
            export::progress,
        )
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/xuat/tai-ve",
            Gate::SignedIn,
            export::download,
        )
}
