//! Contests, part 2: blind judging in rounds. Organizers (and each collecting unit for its
//! preliminary round) set the rubric, invite judges, record conflicts, assign automatically
//! (`hoithi_judging::assign`, previewed, published and undone as one step), follow progress,
//! aggregate and rank with the published tie-break, advance entries, confirm awards and
//! publish results with verifiable certificates. Judges see entries only by anonymous code.

pub mod assignment;
pub mod demo;
pub mod judge;
pub mod public;
pub mod results;
pub mod rounds;

use axum::http::Method;

use crate::routes::{Gate, Routes};

pub fn routes() -> Routes {
    use Method as M;
    let s = Gate::SignedIn;
    Routes::new()
        // Organizers and the collecting units' administrators.
        .add(M::GET, "/cuoc-thi/{slug}/vong", s, rounds::pages::index)
        .add(
            M::GET,
            "/cuoc-thi/{slug}/vong/moi",
            s,
            rounds::pages::new_form,
        )
        .add(M::POST, "/cuoc-thi/{slug}/vong", s, rounds::pages::create)
        .add(M::GET, "/vong/{id}", s, rounds::pages::show)
        .add(M::POST, "/vong/{id}", s, rounds::pages::update)
        .add(M::POST, "/vong/{id}/tieu-chi", s, rounds::pages::rubric)
        .add(M::POST, "/vong/{id}/trang-thai", s, rounds::pages::status)
        .add(M::POST, "/vong/{id}/tac-pham", s, rounds::pages::take_in)
        .add(M::POST, "/vong/{id}/giam-khao", s, rounds::pages::invite)
        .add(
            M::POST,
            "/vong/{id}/giam-khao/{user}/xoa",
            s,
            rounds::pages::remove_judge,
        )
        .add(
            M::GET,
            "/vong/{id}/xung-dot",
            s,
            assignment::pages::conflicts,
        )
        .add(
            M::POST,
            "/vong/{id}/xung-dot",
            s,
            assignment::pages::add_rule,
        )
        .add(
            M::POST,
            "/vong/{id}/xung-dot/{rule}/xoa",
            s,
            assignment::pages::remove_rule,
        )
        .add(
            M::GET,
            "/vong/{id}/phan-cong",
            s,
            assignment::pages::assignments,
        )
        .add(
            M::POST,
            "/vong/{id}/phan-cong/tu-dong",
            s,
            assignment::pages::auto,
        )
        .add(
            M::POST,
            "/vong/{id}/phan-cong/cham-them",
            s,
            assignment::pages::extra,
        )
        .add(
            M::POST,
            "/vong/{id}/phan-cong/them",
            s,
            assignment::pages::add_pair,
        )
        .add(
            M::POST,
            "/vong/{id}/cap/{pair}/xoa",
            s,
            assignment::pages::remove_pair,
        )
        .add(
            M::GET,
            "/vong/{id}/phan-cong/dot/{batch}",
            s,
            assignment::pages::batch,
        )
        .add(
            M::POST,
            "/vong/{id}/phan-cong/dot/{batch}/cong-bo",
            s,
            assignment::pages::publish_batch,
        )
        .add(
            M::POST,
            "/vong/{id}/phan-cong/dot/{batch}/hoan-tac",
            s,
            assignment::pages::undo_batch,
        )
        .add(M::GET, "/vong/{id}/ket-qua", s, results::pages::results)
        .add(M::GET, "/vong/{id}/ket-qua.xlsx", s, results::export::xlsx)
        .add(M::GET, "/vong/{id}/bai/{entry}", s, results::pages::sheets)
        .add(
            M::POST,
            "/vong/{id}/phieu/{score}/mo-lai",
            s,
            results::pages::reopen,
        )
        .add(M::GET, "/vong/{id}/chuyen-vong", s, results::pages::advance)
        .add(
            M::POST,
            "/vong/{id}/chuyen-vong",
            s,
            results::pages::apply_advance,
        )
        .add(M::GET, "/vong/{id}/giai", s, results::pages::awards)
        .add(M::POST, "/vong/{id}/giai/hang", s, results::pages::tiers)
        .add(M::POST, "/vong/{id}/giai", s, results::pages::confirm)
        .add(M::POST, "/vong/{id}/cong-bo", s, results::pages::publish)
        // Judges: their own assignments, blind.
        .add(M::GET, "/cham-thi", s, judge::pages::rounds)
        .add(M::GET, "/cham-thi/{round}", s, judge::pages::entries)
        .add(M::GET, "/cham-thi/{round}/{code}", s, judge::pages::entry)
        .add(M::POST, "/cham-thi/{round}/{code}", s, judge::pages::save)
        .add(
            M::POST,
            "/cham-thi/{round}/{code}/tu-choi",
            s,
            judge::pages::recuse,
        )
        .add(
            M::GET,
            "/cham-thi/{round}/{code}/tep",
            s,
            judge::pages::download,
        )
        .add(
            M::GET,
            "/cham-thi/{round}/{code}/trung-lap",
            s,
            judge::pages::overlap,
        )
        .add(
            M::GET,
            "/cham-thi/{round}/{code}/trung-lap/{other}",
            s,
            judge::pages::compare,
        )
        // Everyone: published results (certificates are checked in `crate::certificates`).
        .add(
            M::GET,
            "/cuoc-thi/{slug}/ket-qua",
            Gate::Public,
            public::results,
        )
}

/// The message for a notice code in a redirect (`?ok=…`).
pub fn notice_text(code: Option<&str>, lang: crate::i18n::Lang) -> Option<String> {
    let t = lang.tr().judging;
    let s = match code? {
        "luu" => t.notice_saved,
        "tao" => t.notice_created,
        "mo" => t.notice_opened,
        "dong" => t.notice_closed,
        "gk" => t.notice_judges,
        "xoa" => t.notice_deleted,
        "tp" => t.notice_entries,
        "cong-bo" => t.notice_published,
        "hoan-tac" => t.notice_undone,
        "them" => t.notice_added,
        "mo-lai" => t.notice_reopened,
        "chuyen" => t.notice_advanced,
        "giai" => t.notice_awards,
        "hang" => t.notice_tiers,
        "kq" => t.notice_results,
        _ => return None,
    };
    Some(s.to_string())
}
