//! Vietnamese first, English second. Page texts live in one typed catalogue: each line gives
//! both languages, so a missing translation is a compile error, not a blank on screen.

use std::borrow::Cow;

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

macro_rules! catalogue {
    ($($key:ident: $vi:expr, $en:expr;)*) => {
        pub struct Tr { $(pub $key: &'static str,)* }
        pub static VI: Tr = Tr { $($key: $vi,)* };
        pub static EN: Tr = Tr { $($key: $en,)* };
    };
}

catalogue! {
    app_name: "Hội thi", "Hội thi";
    app_tagline: "Lớp bồi dưỡng, cuộc thi và tin bài của đơn vị", "Courses, contests and news of your organization";
    skip_to_content: "Chuyển đến nội dung chính", "Skip to main content";
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
    sign_in_title: "Đăng nhập", "Sign in";
    login_label: "Email hoặc số điện thoại", "Email or phone number";
    password_label: "Mật khẩu", "Password";
    sign_in_button: "Đăng nhập", "Sign in";
    sign_in_failed: "Email/số điện thoại hoặc mật khẩu không đúng.", "Wrong email/phone number or password.";
    sign_in_locked: "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.", "Too many failed sign-ins. Please try again in 15 minutes.";
    signed_out: "Bạn đã đăng xuất.", "You have signed out.";
    account_title: "Tài khoản của tôi", "My account";
    full_name_label: "Họ và tên", "Full name";
    email_label: "Email", "Email";
    phone_label: "Số điện thoại", "Phone number";
    unit_label: "Đơn vị", "Unit";
    roles_label: "Vai trò", "Roles";
    no_roles: "Người dự thi (không có vai trò quản trị)", "Participant (no administrative role)";
    change_password_title: "Đổi mật khẩu", "Change password";
    current_password_label: "Mật khẩu hiện tại", "Current password";
    new_password_label: "Mật khẩu mới (ít nhất 8 ký tự)", "New password (at least 8 characters)";
    confirm_password_label: "Nhập lại mật khẩu mới", "Repeat the new password";
    save_button: "Lưu", "Save";
    password_changed: "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất.", "Password changed. Your other sessions were signed out.";
    api_tokens_title: "Khóa truy cập API", "API tokens";
    api_token_name_label: "Tên khóa (để nhận biết)", "Token name (for your reference)";
    api_token_create: "Tạo khóa", "Create token";
    api_token_created: "Khóa mới (chỉ hiện một lần, hãy lưu lại):", "New token (shown once, keep it safe):";
    api_token_revoke: "Thu hồi", "Revoke";
    api_token_revoked: "đã thu hồi", "revoked";
    units_title: "Đơn vị", "Units";
    units_intro: "Cây đơn vị bạn được quản lý.", "The units you manage.";
    unit_code_label: "Mã đơn vị", "Unit code";
    unit_name_label: "Tên đơn vị", "Unit name";
    unit_kind_label: "Loại đơn vị", "Kind of unit";
    unit_parent_label: "Đơn vị cấp trên", "Parent unit";
    unit_headcount_label: "Số cán bộ, đảng viên, hội viên (nếu biết)", "Headcount (if known)";
    unit_new_title: "Thêm đơn vị", "Add a unit";
    unit_edit_title: "Sửa đơn vị", "Edit unit";
    unit_children: "Đơn vị trực thuộc", "Sub-units";
    unit_users: "Người dùng của đơn vị", "Users of this unit";
    unit_delete: "Xóa đơn vị", "Delete unit";
    unit_created: "Đã thêm đơn vị.", "Unit added.";
    unit_saved: "Đã lưu đơn vị.", "Unit saved.";
    unit_deleted: "Đã xóa đơn vị.", "Unit deleted.";
    import_title: "Nhập đơn vị từ tệp", "Import units from a file";
    import_help: "Tệp CSV (UTF-8) hoặc Excel (.xlsx) với các cột: ma, ten, loai, ma_cap_tren, so_nguoi (tùy chọn). Dòng đầu là tiêu đề. Loại: trung_uong, tinh, huyen, xa, co_quan, to_chuc, chi_bo, khac.", "A CSV (UTF-8) or Excel (.xlsx) file with columns: code, name, kind, parent_code, headcount (optional). The first row is the header. Kinds: trung_uong, tinh, huyen, xa, co_quan, to_chuc, chi_bo, khac.";
    import_file_label: "Tệp CSV hoặc XLSX", "CSV or XLSX file";
    import_button: "Nhập", "Import";
    import_done: "Đã nhập xong", "Import finished";
    import_errors: "Tệp có lỗi, chưa nhập dòng nào. Sửa các dòng sau rồi thử lại:", "The file has errors; nothing was imported. Fix these rows and try again:";
    row_label: "Dòng", "Row";
    created_label: "thêm mới", "created";
    updated_label: "cập nhật", "updated";
    users_title: "Người dùng", "Users";
    user_new_title: "Thêm người dùng", "Add a user";
    user_edit_title: "Người dùng", "User";
    user_created: "Đã tạo người dùng.", "User created.";
    user_saved: "Đã lưu người dùng.", "User saved.";
    user_active_label: "Đang hoạt động", "Active";
    user_inactive: "Đã khóa", "Locked";
    initial_password_label: "Mật khẩu ban đầu (ít nhất 8 ký tự)", "Initial password (at least 8 characters)";
    role_label: "Vai trò", "Role";
    role_scope_label: "Phạm vi (đơn vị)", "Scope (unit)";
    role_add: "Thêm vai trò", "Add role";
    role_remove: "Bỏ", "Remove";
    role_none: "Không (người dự thi)", "None (participant)";
    role_site_admin: "Quản trị hệ thống", "Site administrator";
    role_unit_admin: "Quản trị đơn vị", "Unit administrator";
    role_organizer: "Ban tổ chức", "Organizer";
    role_judge: "Giám khảo", "Judge";
    reset_password_title: "Đặt lại mật khẩu", "Reset password";
    password_reset_done: "Đã đặt lại mật khẩu; người dùng đã bị đăng xuất khỏi mọi phiên.", "Password reset; the user was signed out everywhere.";
    search_label: "Tìm kiếm", "Search";
    search_button: "Tìm", "Search";
    no_results: "Không có kết quả.", "No results.";
    page_label: "Trang", "Page";
    previous: "Trước", "Previous";
    next: "Sau", "Next";
    first_page: "Trang đầu", "First page";
    total_label: "Tổng số", "Total";
    actions_label: "Thao tác", "Actions";
    edit: "Sửa", "Edit";
    cancel: "Hủy", "Cancel";
    back: "Quay lại", "Back";
    error_title: "Có lỗi", "Something went wrong";
    error_back_home: "Về trang chủ", "Back to the home page";
    required_mark: "bắt buộc", "required";
    footer_text: "Hội thi — phần mềm tự triển khai cho lớp bồi dưỡng, cuộc thi và tin bài.", "Hội thi — self-hosted software for courses, contests and news.";
    // Certificates (crates/web/src/certificates).
    cert_verify_title: "Xác minh giấy chứng nhận", "Certificate check";
    cert_the: "Giấy chứng nhận", "Certificate";
    cert_valid: "hợp lệ, do hệ thống cấp.", "is valid, issued by this system.";
    cert_revoked: "đã bị thu hồi.", "has been revoked.";
    cert_unknown: "Mã không tồn tại", "This code does not exist";
    cert_unknown_help: "Không có giấy chứng nhận nào mang mã này. Hãy kiểm tra lại mã in ở góc giấy chứng nhận (dạng GCN-XXXXXXXXXX).", "No certificate has this code. Check the code printed in the corner of the certificate (GCN-XXXXXXXXXX).";
    cert_recipient: "Cấp cho", "Awarded to";
    cert_issued_on: "Ngày cấp", "Issued on";
    cert_pdf: "Xem giấy chứng nhận (PDF)", "View the certificate (PDF)";
}
