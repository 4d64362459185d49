//! Contests, part 1: a contest rolled out through the unit tree, public submission with a
//! receipt and a private link, screening, and participation dashboards.

mod dashboard;
mod pages;
mod screening;
pub mod service;
mod settings;
mod sources;
pub mod submission;
mod submit;

use axum::http::Method;

use crate::routes::{Gate, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .add(Method::GET, "/cuoc-thi", Gate::Public, pages::index)
        .add(Method::GET, "/bai-cua-toi", Gate::SignedIn, submit::mine)
        .add(Method::GET, "/cuoc-thi/moi", Gate::Admin, pages::new_form)
        .add(Method::POST, "/cuoc-thi", Gate::Admin, pages::create)
        .add(Method::GET, "/cuoc-thi/{slug}", Gate::Public, pages::show)
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/gui-bai",
            Gate::Public,
            submit::form,
        )
        .add(
            Method::POST,
            "/cuoc-thi/{slug}/gui-bai",
            Gate::Public,
            submit::create,
        )
        .add(
            Method::GET,
            "/bai-du-thi/{code}",
            Gate::Public,
            submit::view,
        )
        .add(
            Method::GET,
            "/bai-du-thi/{code}/sua",
            Gate::Public,
            submit::edit_form,
        )
        .add(
            Method::POST,
            "/bai-du-thi/{code}/sua",
            Gate::Public,
            submit::edit,
        )
        .add(
            Method::POST,
            "/bai-du-thi/{code}/rut",
            Gate::Public,
            submit::withdraw,
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
            "/cuoc-thi/{slug}/bai/{id}/trung-lap",
            Gate::SignedIn,
            screening::overlap,
        )
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/bai/{id}/trung-lap/{other}",
            Gate::SignedIn,
            screening::compare,
        )
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/bai/{id}/tai-lieu/{other}",
            Gate::SignedIn,
            screening::compare_source,
        )
        .add(
            Method::GET,
            "/cuoc-thi/{slug}/tai-lieu-doi-chieu",
            Gate::SignedIn,
            sources::show,
        )
        .add(
            Method::POST,
            "/cuoc-thi/{slug}/tai-lieu-doi-chieu",
            Gate::SignedIn,
            sources::create,
        )
        .add(
            Method::POST,
            "/cuoc-thi/{slug}/tai-lieu-doi-chieu/{id}/xoa",
            Gate::SignedIn,
            sources::remove,
        )
        .add(
            Method::POST,
            "/cuoc-thi/{slug}/kiem-tra-lai",
            Gate::SignedIn,
            screening::recheck,
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
}
