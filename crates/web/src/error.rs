//! One error type for pages and the API. A handler returns `AppError`; the `render_errors`
//! middleware turns it (and any bare 4xx/5xx from axum's own extractors) into a Vietnamese
//! HTML page or a JSON error body, depending on where the request went.

use askama::Template;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use hoithi_storage::StorageError;

use crate::i18n::{Lang, Msg, Tr};

#[derive(Debug, Clone)]
pub enum AppError {
    NotFound,
    Forbidden,
    SignInRequired,
    Csrf,
    BadRequest(Msg),
    Conflict(Msg),
    TooManyRequests(Msg),
    /// The body is in a format the route does not take.
    UnsupportedMediaType,
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad(vi: &'static str, en: &'static str) -> AppError {
        AppError::BadRequest(Msg::new(vi, en))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::SignInRequired => StatusCode::UNAUTHORIZED,
            AppError::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Forbidden => "forbidden",
            AppError::SignInRequired => "sign_in_required",
            AppError::Csrf => "csrf",
            AppError::BadRequest(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn message(&self) -> Msg {
        match self {
            AppError::BadRequest(m) | AppError::Conflict(m) | AppError::TooManyRequests(m) => {
                m.clone()
            }
            AppError::Csrf => Msg::new(
                "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và gửi lại.",
                "The form has expired or is not valid. Please reload the page and submit again.",
            ),
            other => generic_message(other.status()),
        }
    }
}

/// The message for a status when nothing more specific is known.
pub fn generic_message(status: StatusCode) -> Msg {
    match status.as_u16() {
        400 => Msg::new(
            "Yêu cầu không hợp lệ. Vui lòng kiểm tra lại dữ liệu đã nhập.",
            "The request is not valid. Please check what you entered.",
        ),
        401 => Msg::new(
            "Bạn cần đăng nhập để tiếp tục.",
            "You need to sign in to continue.",
        ),
        403 => Msg::new(
            "Bạn không có quyền thực hiện thao tác này.",
            "You are not allowed to do this.",
        ),
        404 => Msg::new(
            "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu.",
            "The page or record you asked for does not exist.",
        ),
        405 => Msg::new(
            "Thao tác này không được hỗ trợ tại địa chỉ này.",
            "This method is not supported at this address.",
        ),
        408 => Msg::new(
            "Yêu cầu mất quá nhiều thời gian. Vui lòng thử lại.",
            "The request took too long. Please try again.",
        ),
        413 => Msg::new(
            "Dữ liệu hoặc tệp gửi lên quá lớn.",
            "The data or file you sent is too large.",
        ),
        415 => Msg::new(
            "Định dạng dữ liệu gửi lên không được hỗ trợ.",
            "The content type of the request is not supported.",
        ),
        422 => Msg::new(
            "Dữ liệu gửi lên không hợp lệ hoặc thiếu trường bắt buộc.",
            "The submitted data is malformed or misses a required field.",
        ),
        429 => Msg::new(
            "Quá nhiều yêu cầu. Vui lòng thử lại sau.",
            "Too many requests. Please try again later.",
        ),
        _ => Msg::new(
            "Hệ thống gặp sự cố. Dữ liệu của bạn chưa bị thay đổi; vui lòng thử lại sau.",
            "The system ran into a problem. Nothing was changed; please try again later.",
        ),
    }
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => AppError::NotFound,
            StorageError::Conflict(what) => AppError::Conflict(Msg::owned(
                format!("Giá trị «{what}» đã được dùng. Vui lòng chọn giá trị khác."),
                format!("The value «{what}» is already taken. Please choose another."),
            )),
            StorageError::Invalid(what) => AppError::BadRequest(Msg::owned(
                format!("Dữ liệu không hợp lệ: {what}"),
                format!("Invalid data: {what}"),
            )),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// Marks a response produced from an `AppError`, for `render_errors`.
#[derive(Clone)]
struct ErrorMark(AppError);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let mut res = Response::new(Body::empty());
        *res.status_mut() = self.status();
        res.extensions_mut().insert(ErrorMark(self));
        res
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: &'static Tr,
    lang: Lang,
    nav: crate::pages::Nav,
    status: u16,
    message: &'a str,
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path == "/healthz"
}

/// Renders every error response in the user's language and the right format.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| path.clone());
    let lang = crate::pages::lang_of(&req);
    let nav = crate::pages::Nav::from_request(&req);
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let mark = res.extensions().get::<ErrorMark>().cloned();
    // A non-error-typed 4xx that already has a body of ours (e.g. a form re-rendered with
    // messages) passes through untouched.
    if mark.is_none() && res.headers().get("x-hoithi-rendered").is_some() {
        return res;
    }
    let err = mark.map(|m| m.0);
    if let Some(AppError::SignInRequired) = &err
        && !is_api(&path)
    {
        let next = urlencode(&path_and_query);
        return Redirect::to(&format!("/dang-nhap?next={next}")).into_response();
    }
    let message = match &err {
        Some(e) => e.message(),
        None => generic_message(status),
    };
    let code = err
        .as_ref()
        .map(|e| e.code())
        .unwrap_or(match status.as_u16() {
            404 => "not_found",
            405 => "method_not_allowed",
            413 => "too_large",
            415 => "unsupported_media_type",
            400 | 422 => "invalid",
            _ if status.is_server_error() => "internal",
            _ => "error",
        });
    if is_api(&path) {
        let body = serde_json::json!({
            "error": { "status": status.as_u16(), "code": code, "message": message.vi, "message_en": message.en }
        });
        let mut out = (status, axum::Json(body)).into_response();
        copy_allow(&res, &mut out);
        return out;
    }
    let page = ErrorPage {
        t: lang.tr(),
        lang,
        nav,
        status: status.as_u16(),
        message: message.get(lang),
    };
    let html = page
        .render()
        .unwrap_or_else(|_| message.get(lang).to_string());
    let mut out = (status, axum::response::Html(html)).into_response();
    copy_allow(&res, &mut out);
    out
}

fn copy_allow(from: &Response, to: &mut Response) {
    if let Some(v) = from.headers().get(header::ALLOW) {
        to.headers_mut().insert(header::ALLOW, v.clone());
    }
    to.headers_mut()
        .insert("x-hoithi-rendered", HeaderValue::from_static("1"));
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|x| x.trim_start_matches('=').to_string())
        .unwrap_or_default()
}
