//! Signing in and out, and one's own account: password change and API tokens.

mod account;
mod service;
mod signin;

pub use service::{SignInError, authenticate, change_password, create_token};

use axum::http::Method;

use crate::routes::{Gate, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .add(Method::GET, "/dang-nhap", Gate::Public, signin::form)
        .add(Method::POST, "/dang-nhap", Gate::Public, signin::submit)
        .add(Method::POST, "/dang-xuat", Gate::SignedIn, signin::sign_out)
        .add(Method::GET, "/tai-khoan", Gate::SignedIn, account::show)
        .add(
            Method::POST,
            "/tai-khoan/mat-khau",
            Gate::SignedIn,
            account::password,
        )
        .add(
            Method::POST,
            "/tai-khoan/khoa-api",
            Gate::SignedIn,
            account::new_token,
        )
        .add(
            Method::POST,
            "/tai-khoan/khoa-api/{id}/thu-hoi",
            Gate::SignedIn,
            account::revoke_token,
        )
}
