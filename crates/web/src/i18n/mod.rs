//! Vietnamese first, English second. Page texts live in typed catalogues: each line gives
//! both languages, so a missing translation is a compile error, not a blank on screen.
//!
//! One catalogue per module (`contests.rs`, `judging.rs`, …) beside the common one below; a
//! new module adds its file, a `pub mod` line and its name in the list at the head of the
//! common catalogue. Templates read `{{ c.t.key }}` for common texts and
//! `{{ c.t.<module>.key }}` for a module's own; Rust code reaches the same through
//! `lang.tr()`. Texts with values are `formats!` lines, methods with named holes checked by
//! `format!` at compile time: `{{ c.t.judging.awards_left(tier, n, count) }}`.

use std::borrow::Cow;

/// Declares a catalogue: each `key: "Vietnamese", "English";` line becomes a field of `Tr`,
/// with one static per language (`VI`, `EN`). A line without both halves does not compile.
/// The common catalogue opens with `[module, …]`, the module catalogues it links as fields.
macro_rules! catalogue {
    ($([$($module:ident),* $(,)?])? $($key:ident: $vi:literal, $en:literal;)*) => {
        /// The texts of one language.
        pub struct Tr {
            lang: $crate::i18n::Lang,
            $($(pub $module: &'static $module::Tr,)*)?
            $(pub $key: &'static str,)*
        }

        pub static VI: Tr = Tr {
            lang: $crate::i18n::Lang::Vi,
            $($($module: &$module::VI,)*)?
            $($key: $vi,)*
        };

        pub static EN: Tr = Tr {
            lang: $crate::i18n::Lang::En,
            $($($module: &$module::EN,)*)?
            $($key: $en,)*
        };

        impl Tr {
            /// The language of these texts.
            pub fn lang(&self) -> $crate::i18n::Lang {
                self.lang
            }
        }

        /// Every line as (key, Vietnamese, English), for tests.
        #[allow(dead_code)]
        pub const LINES: &[(&str, &str, &str)] = &[$((stringify!($key), $vi, $en),)*];

        $(
            /// Every line of this catalogue and of the module catalogues it links, for tests.
            pub fn all_lines() -> Vec<(&'static str, &'static str, &'static str)> {
                let mut v = LINES.to_vec();
                $(v.extend_from_slice($module::LINES);)*
                v
            }
        )?
    };
}

/// Texts with values: `name(hole, …): "Vietnamese {hole}", "English {hole}";` becomes a
/// method of the catalogue's `Tr` taking each hole as anything displayable. `format!` checks
/// the holes at compile time; a hole used in neither language is an unused variable.
/// Numbers and dates come in formatted (`crate::format`), the same in both languages.
macro_rules! formats {
    ($($name:ident($($arg:ident),* $(,)?): $vi:literal, $en:literal;)*) => {
        impl Tr {
            $(
                pub fn $name(&self, $($arg: impl ::std::fmt::Display),*) -> String {
                    match self.lang {
                        $crate::i18n::Lang::Vi => format!($vi),
                        $crate::i18n::Lang::En => format!($en),
                    }
                }
            )*
        }

        /// Every format as (name, Vietnamese, English), for tests.
        #[allow(dead_code)]
        pub const FORMATS: &[(&str, &str, &str)] = &[$((stringify!($name), $vi, $en),)*];
    };
}

pub mod accounts;
pub mod certificates;
pub mod contests;
pub mod courses;
pub mod integrity;
pub mod judging;
pub mod news;
pub mod start;
pub mod units;
pub mod users;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn tr(self) -> &'static Tr {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

/// A message shown to a person, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub vi: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl Msg {
    pub const fn new(vi: &'static str, en: &'static str) -> Msg {
        Msg {
            vi: Cow::Borrowed(vi),
            en: Cow::Borrowed(en),
        }
    }
    pub fn owned(vi: String, en: String) -> Msg {
        Msg {
            vi: Cow::Owned(vi),
            en: Cow::Owned(en),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

catalogue! {
    [accounts, certificates, contests, courses, integrity, judging, news, start, units, users]
    // The product's name: English writes it without tone marks, as it does Hanoi.
    app_name: "Hội thi", "Hoithi";
    app_tagline: "Lớp bồi dưỡng, cuộc thi và tin bài của đơn vị", "Courses, contests and news of your organization";
    skip_to_content: "Chuyển đến nội dung chính", "Skip to main content";
    nav_label: "Điều hướng chính", "Main navigation";
    nav_home: "Trang chủ", "Home";
    nav_units: "Đơn vị", "Units";
    nav_users: "Người dùng", "Users";
    nav_account: "Tài khoản", "Account";
    nav_sign_in: "Đăng nhập", "Sign in";
    nav_sign_out: "Đăng xuất", "Sign out";
    other_language: "English", "Tiếng Việt";
    other_language_code: "en", "vi";
    home_title: "Trang chủ", "Home";
    home_contests: "Cuộc thi đang mở", "Open contests";
    home_courses: "Lớp bồi dưỡng", "Training courses";
    home_news: "Tin bài", "News";
    home_none_yet: "Chưa có mục nào.", "Nothing yet.";
    home_welcome: "Xin chào", "Welcome";
    home_all_contests: "Tất cả cuộc thi", "All contests";
    full_name_label: "Họ và tên", "Full name";
    email_label: "Email", "Email";
    phone_label: "Số điện thoại", "Phone number";
    login_label: "Email hoặc số điện thoại", "Email or phone number";
    password_label: "Mật khẩu", "Password";
    unit_label: "Đơn vị", "Unit";
    roles_label: "Vai trò", "Roles";
    role_label: "Vai trò", "Role";
    role_site_admin: "Quản trị hệ thống", "Site administrator";
    role_unit_admin: "Quản trị đơn vị", "Unit administrator";
    role_organizer: "Ban tổ chức", "Organizer";
    role_judge: "Giám khảo", "Judge";
    save_button: "Lưu", "Save";
    saved: "Đã lưu.", "Saved.";
    deleted: "Đã xóa.", "Deleted.";
    delete: "Xóa", "Delete";
    remove: "Bỏ", "Remove";
    search_label: "Tìm kiếm", "Search";
    search_button: "Tìm", "Search";
    no_results: "Không có kết quả.", "No results.";
    none_yet: "Chưa có.", "None yet.";
    all: "Tất cả", "All";
    page_label: "Trang", "Page";
    previous: "Trước", "Previous";
    next: "Sau", "Next";
    first_page: "Trang đầu", "First page";
    total_label: "Tổng số", "Total";
    actions_label: "Thao tác", "Actions";
    row_label: "Dòng", "Row";
    created_label: "thêm mới", "created";
    updated_label: "cập nhật", "updated";
    edit: "Sửa", "Edit";
    cancel: "Hủy", "Cancel";
    back: "Quay lại", "Back";
    breadcrumb_label: "Vị trí trang", "Breadcrumb";
    error_title: "Có lỗi", "Something went wrong";
    error_back_home: "Về trang chủ", "Back to the home page";
    required_mark: "bắt buộc", "required";
    vietnam_time: "giờ Việt Nam", "Vietnam time";
    footer_text: "Hội thi — phần mềm tự triển khai cho lớp bồi dưỡng, cuộc thi và tin bài.", "Hoithi — self-hosted software for courses, contests and news.";
}

formats! {
    home_closes(date): "hạn {date}", "closes {date}";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_line_is_blank_and_english_has_no_vietnamese_letters() {
        let formats = [
            FORMATS,
            contests::FORMATS,
            integrity::FORMATS,
            judging::FORMATS,
            start::FORMATS,
        ]
        .concat();
        for (key, vi, en) in all_lines().into_iter().chain(formats) {
            assert!(!vi.trim().is_empty() && !en.trim().is_empty(), "{key}");
            // Written in English: no letter outside ASCII (a Vietnamese word left behind).
            // The link to the Vietnamese pages names its language in Vietnamese.
            if key != "other_language" {
                assert!(
                    !en.chars().any(|ch| ch.is_alphabetic() && !ch.is_ascii()),
                    "{key}: {en}"
                );
            }
        }
    }

    #[test]
    fn formats_fill_their_holes_in_both_languages() {
        assert_eq!(VI.home_closes("31/08/2026"), "hạn 31/08/2026");
        assert_eq!(EN.home_closes("31/08/2026"), "closes 31/08/2026");
        assert_eq!(Lang::En.tr().judging.lang(), Lang::En);
    }
}
