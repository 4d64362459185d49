//! Courses (lớp bồi dưỡng, tập huấn, hội nghị quán triệt): a unit holds a course in sessions;
//! invited units nominate delegates within their quota; each delegate gets a personal link
//! and a QR badge; staff check delegates in (or delegates use the room's rotating code);
//! attendance decides completion and its certificate; delegates answer a survey; units
//! report how they passed the course on, rolled up through the unit tree.

pub mod attendance;
pub mod checkin;
pub mod course;
pub mod delegates;
pub mod demo;
pub mod followup;
pub mod materials;
pub mod service;
pub mod survey;

use axum::http::Method;

use crate::routes::{Gate, Routes};

pub fn routes() -> Routes {
    use Method as M;
    let s = Gate::SignedIn;
    let p = Gate::Public;
    Routes::new()
        .add(M::GET, "/khoa-hoc", p, course::pages::index)
        .add(
            M::GET,
            "/khoa-hoc/moi",
            Gate::Admin,
            course::pages::new_form,
        )
        .add(M::POST, "/khoa-hoc", Gate::Admin, course::pages::create)
        .add(M::GET, "/khoa-hoc/{course}", p, course::pages::show)
        .add(
            M::GET,
            "/khoa-hoc/{course}/lich.ics",
            p,
            checkin::paper::course_ics,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/khoa-cong-khai",
            p,
            checkin::paper::public_key,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/buoi",
            s,
            course::pages::add_session,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/trang-thai",
            s,
            course::pages::set_status,
        )
        // Delegates by unit quota.
        .add(
            M::GET,
            "/khoa-hoc/{course}/don-vi",
            s,
            delegates::pages::invite_form,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/don-vi",
            s,
            delegates::pages::invite,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/don-vi/tat-ca",
            s,
            delegates::pages::invite_all,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/don-vi/nhap",
            s,
            delegates::pages::import,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/dai-bieu",
            s,
            delegates::pages::delegates,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/dai-bieu",
            s,
            delegates::pages::nominate,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/dai-bieu.csv",
            s,
            delegates::pages::csv,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/dai-bieu/{delegate}",
            s,
            delegates::pages::decide,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/dai-bieu/{delegate}/thay",
            s,
            delegates::pages::swap_form,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/dai-bieu/{delegate}/thay",
            s,
            delegates::pages::swap,
        )
        // Check-in.
        .add(
            M::GET,
            "/khoa-hoc/{course}/diem-danh",
            s,
            checkin::pages::desk,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/diem-danh",
            s,
            checkin::pages::desk_confirm,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/diem-danh/sua",
            s,
            checkin::pages::desk_mark,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/buoi/{session}/ma-phong",
            s,
            checkin::pages::room,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/buoi/{session}/tu-diem-danh/{code}",
            p,
            checkin::paper::room_entry,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/the-dai-bieu.pdf",
            s,
            checkin::paper::badge_sheet,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/buoi/{session}/danh-sach.pdf",
            s,
            checkin::paper::roster_pdf,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/buoi/{session}/danh-sach",
            s,
            checkin::paper::paper,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/buoi/{session}/danh-sach",
            s,
            checkin::paper::paper_mark,
        )
        // Attendance, certificates, survey, follow-up.
        .add(
            M::GET,
            "/khoa-hoc/{course}/chuyen-can",
            s,
            attendance::pages::report,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/chuyen-can.xlsx",
            s,
            attendance::pages::xlsx,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/chung-nhan",
            s,
            attendance::pages::issue_all,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/khao-sat",
            s,
            survey::pages::survey,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/khao-sat",
            s,
            survey::pages::save,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/khao-sat.xlsx",
            s,
            survey::pages::xlsx,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/trien-khai",
            s,
            followup::pages::followup,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/trien-khai/ke-hoach",
            s,
            followup::pages::plan,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/trien-khai/bao-cao",
            s,
            followup::pages::report,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/trien-khai/han",
            s,
            followup::pages::deadline,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/trien-khai/nhac",
            s,
            followup::pages::remind,
        )
        // Materials.
        .add(
            M::GET,
            "/khoa-hoc/{course}/tai-lieu",
            s,
            materials::pages::manage,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/tai-lieu",
            s,
            materials::pages::add,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/tai-lieu/{material}",
            p,
            materials::pages::open,
        )
        .add(
            M::GET,
            "/khoa-hoc/{course}/tai-lieu/{material}/sua",
            s,
            materials::pages::edit_form,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/tai-lieu/{material}/sua",
            s,
            materials::pages::edit,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/tai-lieu/{material}/xoa",
            s,
            materials::pages::remove,
        )
        .add(
            M::POST,
            "/khoa-hoc/{course}/tai-lieu/{material}/thu-tu",
            s,
            materials::pages::shift,
        )
        .add(
            M::GET,
            "/dai-bieu/{token}/tai-lieu/{material}",
            p,
            materials::pages::personal_open,
        )
        // The delegate's personal link (a capability: whoever holds the badge token).
        .add(M::GET, "/dai-bieu/{token}", p, checkin::pages::badge)
        .add(
            M::GET,
            "/dai-bieu/{token}/lich.ics",
            p,
            checkin::paper::delegate_ics,
        )
        .add(
            M::POST,
            "/dai-bieu/{token}/diem-danh",
            s,
            checkin::pages::confirm,
        )
        .add(
            M::POST,
            "/dai-bieu/{token}/tu-diem-danh",
            p,
            checkin::pages::self_check_in,
        )
        .add(
            M::GET,
            "/dai-bieu/{token}/khao-sat",
            p,
            survey::pages::answer_form,
        )
        .add(
            M::POST,
            "/dai-bieu/{token}/khao-sat",
            p,
            survey::pages::answer,
        )
        .add(
            M::POST,
            "/dai-bieu/{token}/chung-nhan",
            p,
            attendance::pages::own_certificate,
        )
}

/// The message for a notice code in a redirect (`?ok=…`).
pub fn notice_text(code: Option<&str>, lang: crate::i18n::Lang) -> Option<String> {
    let t = lang.tr().courses;
    let s = match code? {
        "tao" => t.notice_created,
        "buoi" => t.notice_session,
        "trang-thai" => t.notice_status,
        "moi" => t.notice_invited,
        "de-cu" => t.notice_nominated,
        "quyet-dinh" => t.notice_decided,
        "thay" => t.notice_swapped,
        "co-mat" => t.notice_checked_in,
        "da-co-mat" => t.notice_already,
        "sua" => t.notice_marked,
        "giay" => t.notice_paper,
        "gcn" => t.notice_certificates,
        "luu" => t.notice_saved,
        "khao-sat" => t.notice_answered,
        "ke-hoach" => t.notice_plan,
        "bao-cao" => t.notice_report,
        "nhac" => t.notice_reminded,
        "tai-lieu" => t.notice_material,
        "tai-lieu-luu" => t.notice_material_saved,
        "tai-lieu-xoa" => t.notice_material_removed,
        "tai-lieu-thu-tu" => t.notice_material_moved,
        _ => return None,
    };
    Some(s.to_string())
}
