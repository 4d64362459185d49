//! Copy checks in the platform: the per-contest fingerprint index (`index`), the check of
//! one entry run as a job (`check`), the texts organizers check entries against (`sources`),
//! and the pages that show overlaps side by side (`pages`).

mod check;
mod index;
pub mod pages;
mod sources;

use axum::http::Method;

pub use check::{
    COMMON_MARKER, CheckJob, StoredMatch, check_entry, highlight, queue_checks, recheck_contest,
    reset_index, run_job, runs, shared_label,
};
pub use index::{
    ContestIndex, Indexes, SAVE_INTERVAL, file_of, flush, forget, loaded, spawn_saver, sync_sources,
};

use crate::routes::{Gate, Routes};

pub fn routes() -> Routes {
    use Method as M;
    let s = Gate::SignedIn;
    Routes::new()
        .add(
            M::GET,
            "/cuoc-thi/{slug}/bai/{id}/trung-lap",
            s,
            pages::overlap,
        )
        .add(
            M::GET,
            "/cuoc-thi/{slug}/bai/{id}/trung-lap/{other}",
            s,
            pages::compare,
        )
        .add(
            M::GET,
            "/cuoc-thi/{slug}/bai/{id}/tai-lieu/{other}",
            s,
            pages::compare_source,
        )
        .add(
            M::GET,
            "/cuoc-thi/{slug}/tai-lieu-doi-chieu",
            s,
            sources::show,
        )
        .add(
            M::POST,
            "/cuoc-thi/{slug}/tai-lieu-doi-chieu",
            s,
            sources::create,
        )
        .add(
            M::POST,
            "/cuoc-thi/{slug}/tai-lieu-doi-chieu/{id}/xoa",
            s,
            sources::remove,
        )
        .add(M::POST, "/cuoc-thi/{slug}/kiem-tra-lai", s, pages::recheck)
        .add(
            M::GET,
            "/cuoc-thi/{slug}/kiem-tra-lai/tien-do",
            s,
            pages::progress,
        )
}
