//! Texts of signing in and of one's own account: password, API tokens.

catalogue! {
    sign_in_title: "Đăng nhập", "Sign in";
    sign_in_button: "Đăng nhập", "Sign in";
    sign_in_failed: "Email/số điện thoại hoặc mật khẩu không đúng.", "Wrong email/phone number or password.";
    sign_in_locked: "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.", "Too many failed sign-ins. Please try again in 15 minutes.";
    signed_out: "Bạn đã đăng xuất.", "You have signed out.";
    title: "Tài khoản của tôi", "My account";
    no_roles: "Người dự thi (không có vai trò quản trị)", "Participant (no administrative role)";
    my_entries: "Bài dự thi của tôi", "My entries";
    change_password_title: "Đổi mật khẩu", "Change password";
    current_password_label: "Mật khẩu hiện tại", "Current password";
    new_password_label: "Mật khẩu mới (ít nhất 8 ký tự)", "New password (at least 8 characters)";
    confirm_password_label: "Nhập lại mật khẩu mới", "Repeat the new password";
    password_changed: "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất.", "Password changed. Your other sessions were signed out.";
    api_tokens_title: "Khóa truy cập API", "API tokens";
    api_token_name_label: "Tên khóa (để nhận biết)", "Token name (for your reference)";
    api_token_create: "Tạo khóa", "Create token";
    api_token_created: "Khóa mới (chỉ hiện một lần, hãy lưu lại):", "New token (shown once, keep it safe):";
    api_token_revoke: "Thu hồi", "Revoke";
    api_token_revoked: "đã thu hồi", "revoked";
}
