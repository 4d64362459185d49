//! The home page. Contests, courses and news will list themselves here as their modules land.

use askama::Template;
use axum::http::Method;
use axum::response::Response;

use crate::pages::{Chrome, ok_html};
use crate::routes::{Gate, Routes};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
}

async fn home(c: Chrome) -> Response {
    ok_html(&HomePage { c })
}

pub fn routes() -> Routes {
    Routes::new().add(Method::GET, "/", Gate::Public, home)
}
