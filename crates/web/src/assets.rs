//! Static assets, embedded in the binary.

use axum::http::{Method, header};
use axum::response::IntoResponse;

use crate::routes::{Gate, Routes};

const APP_CSS: &str = include_str!("../static/app.css");
const APP_JS: &str = include_str!("../static/app.js");

/// Progressive enhancements (copy buttons, upload progress); no page needs it to work.
async fn app_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        APP_JS,
    )
}

async fn app_css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        APP_CSS,
    )
}

pub fn routes() -> Routes {
    Routes::new()
        .add(Method::GET, "/static/app.css", Gate::Public, app_css)
        .add(Method::GET, "/static/app.js", Gate::Public, app_js)
}
