//! Texts of the user pages (administrators): the list, a user, roles, password reset.

catalogue! {
    title: "Người dùng", "Users";
    new_title: "Thêm người dùng", "Add a user";
    edit_title: "Người dùng", "User";
    created: "Đã tạo người dùng.", "User created.";
    saved: "Đã lưu người dùng.", "User saved.";
    active_label: "Đang hoạt động", "Active";
    inactive: "Đã khóa", "Locked";
    initial_password_label: "Mật khẩu ban đầu (ít nhất 8 ký tự)", "Initial password (at least 8 characters)";
    role_scope_label: "Phạm vi (đơn vị)", "Scope (unit)";
    role_add: "Thêm vai trò", "Add role";
    role_remove: "Bỏ", "Remove";
    role_none: "Không (người dự thi)", "None (participant)";
    reset_password_title: "Đặt lại mật khẩu", "Reset password";
    new_password_label: "Mật khẩu mới (ít nhất 8 ký tự)", "New password (at least 8 characters)";
    password_reset_done: "Đã đặt lại mật khẩu; người dùng đã bị đăng xuất khỏi mọi phiên.", "Password reset; the user was signed out everywhere.";
}
