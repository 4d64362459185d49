//! Contests, part 2: blind judging in rounds. Organizers (and each collecting unit for its
//! preliminary round) set the rubric, invite judges, record conflicts, assign automatically
//! (`hoithi_judging::assign`, previewed, published and undone as one step), follow progress,
//! aggregate and rank with the published tie-break, advance entries, confirm awards and
//! publish results with verifiable certificates. Judges see entries only by anonymous code.

pub mod assign;
mod certificate;
pub mod demo;
mod export;
mod judge_pages;
mod pages;
pub mod public;
pub mod results;
pub mod results_pages;
pub mod scoring;
pub mod service;

use axum::http::Method;

use crate::routes::{Gate, Routes};

pub fn routes() -> Routes {
    use Method as M;
    let s = Gate::SignedIn;
    Routes::new()
        // Organizers and the collecting units' administrators.
        .add(M::GET, "/cuoc-thi/{slug}/vong", s, pages::index)
        .add(M::GET, "/cuoc-thi/{slug}/vong/moi", s, pages::new_form)
        .add(M::POST, "/cuoc-thi/{slug}/vong", s, pages::create)
        .add(M::GET, "/vong/{id}", s, pages::show)
        .add(M::POST, "/vong/{id}", s, pages::update)
        .add(M::POST, "/vong/{id}/tieu-chi", s, pages::rubric)
        .add(M::POST, "/vong/{id}/trang-thai", s, pages::status)
        .add(M::POST, "/vong/{id}/tac-pham", s, pages::take_in)
        .add(M::POST, "/vong/{id}/giam-khao", s, pages::invite)
        .add(
            M::POST,
            "/vong/{id}/giam-khao/{user}/xoa",
            s,
            pages::remove_judge,
        )
        .add(M::GET, "/vong/{id}/xung-dot", s, pages::conflicts)
        .add(M::POST, "/vong/{id}/xung-dot", s, pages::add_rule)
        .add(
            M::POST,
            "/vong/{id}/xung-dot/{rule}/xoa",
            s,
            pages::remove_rule,
        )
        .add(M::GET, "/vong/{id}/phan-cong", s, pages::assignments)
        .add(M::POST, "/vong/{id}/phan-cong/tu-dong", s, pages::auto)
        .add(M::POST, "/vong/{id}/phan-cong/cham-them", s, pages::extra)
        .add(M::POST, "/vong/{id}/phan-cong/them", s, pages::add_pair)
        .add(M::POST, "/vong/{id}/cap/{pair}/xoa", s, pages::remove_pair)
        .add(M::GET, "/vong/{id}/phan-cong/dot/{batch}", s, pages::batch)
        .add(
            M::POST,
            "/vong/{id}/phan-cong/dot/{batch}/cong-bo",
            s,
            pages::publish_batch,
        )
        .add(
            M::POST,
            "/vong/{id}/phan-cong/dot/{batch}/hoan-tac",
            s,
            pages::undo_batch,
        )
        .add(M::GET, "/vong/{id}/ket-qua", s, results_pages::results)
        .add(M::GET, "/vong/{id}/ket-qua.xlsx", s, export::xlsx)
        .add(M::GET, "/vong/{id}/bai/{entry}", s, results_pages::sheets)
        .add(
            M::POST,
            "/vong/{id}/phieu/{score}/mo-lai",
            s,
            results_pages::reopen,
        )
        .add(M::GET, "/vong/{id}/chuyen-vong", s, results_pages::advance)
        .add(
            M::POST,
            "/vong/{id}/chuyen-vong",
            s,
            results_pages::apply_advance,
        )
        .add(M::GET, "/vong/{id}/giai", s, results_pages::awards)
        .add(M::POST, "/vong/{id}/giai/hang", s, results_pages::tiers)
        .add(M::POST, "/vong/{id}/giai", s, results_pages::confirm)
        .add(M::POST, "/vong/{id}/cong-bo", s, results_pages::publish)
        // Judges: their own assignments, blind.
        .add(M::GET, "/cham-thi", s, judge_pages::rounds)
        .add(M::GET, "/cham-thi/{round}", s, judge_pages::entries)
        .add(M::GET, "/cham-thi/{round}/{code}", s, judge_pages::entry)
        .add(M::POST, "/cham-thi/{round}/{code}", s, judge_pages::save)
        .add(
            M::POST,
            "/cham-thi/{round}/{code}/tu-choi",
            s,
            judge_pages::recuse,
        )
        .add(
            M::GET,
            "/cham-thi/{round}/{code}/tep",
            s,
            judge_pages::download,
        )
        .add(
            M::GET,
            "/cham-thi/{round}/{code}/trung-lap",
            s,
            judge_pages::overlap,
        )
        .add(
            M::GET,
            "/cham-thi/{round}/{code}/trung-lap/{other}",
            s,
            judge_pages::compare,
        )
        // Everyone: published results and certificate checks.
        .add(
            M::GET,
            "/cuoc-thi/{slug}/ket-qua",
            Gate::Public,
            public::results,
        )
        .add(M::GET, "/xac-minh/{code}", Gate::Public, public::verify)
        .add(
            M::GET,
            "/xac-minh/{code}/giay-chung-nhan.pdf",
            Gate::Public,
            public::pdf,
        )
}
