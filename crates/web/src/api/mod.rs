//! The JSON API under `/api/v1`, on the same services as the pages. Described by the OpenAPI
//! document at `/api/v1/openapi.json`, generated from the handlers' annotations.

mod certificates;
mod contests;
mod courses;
mod judging;
mod me;
mod news;
mod units;
mod users;

use axum::Json;
use axum::http::Method;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::routes::{Gate, Routes};

/// The error body every API error has.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub status: u16,
    pub code: String,
    /// Vietnamese message, for people.
    pub message: String,
    pub message_en: String,
}

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("hoithi_sid"))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "hoithi API", version = "1", description = "Units, users, contests and judging (courses and news in later versions). Authenticate with a session cookie (plus X-CSRF-Token on changes) or an API token as Bearer."),
    paths(me::me, contests::list, contests::get, contests::entries_list, contests::decide, contests::submit, judging::list, judging::create, judging::get, judging::assignments_list, judging::auto, judging::publish_batch, judging::undo_batch, judging::add_pair, judging::my_entries, judging::my_entry, judging::put_score, judging::scores_list, judging::results_view, judging::public_results, certificates::certificate, courses::list, courses::get, courses::delegates, courses::check_in, courses::batch, courses::attendance, courses::badge_key, courses::revocations, courses::materials_list, courses::materials_add, courses::materials_remove, units::list, units::create, units::get, units::update, units::delete, units::import, users::list, users::create, users::get, users::update, news::list, news::get, news::create, news::submit, news::publish, news::upload, news::categories),
    components(schemas(ErrorBody, courses::CourseView, courses::SessionView, courses::DelegateView, courses::UnitDelegates, courses::CheckinInput, courses::BatchInput, courses::AttendanceRow, courses::AttendanceView, courses::BadgeKeyView, courses::RevocationsView, crate::courses::materials::service::MaterialView, crate::courses::materials::service::MaterialInput, crate::courses::checkin::service::Outcome, crate::courses::checkin::service::CheckinItem, crate::courses::checkin::service::BatchOutcome, crate::courses::checkin::service::Refused, judging::CriterionView, judging::RoundView, judging::RoundInput, judging::AssignmentView, judging::BatchView, judging::PairInput, judging::JudgeEntryView, judging::SheetView, judging::JudgeEntryDetail, judging::ScoreInputJson, judging::ScoreView, judging::ResultRow, judging::ResultsView, crate::judging::public::PublicRound, crate::judging::public::PublicAward, crate::certificates::service::CertificateView, crate::certificates::service::Fact, contests::ContestView, contests::GenreView, contests::EntryView, contests::EntryPage, contests::DecisionInput, contests::SubmissionJson, contests::SubmissionUpload, contests::AuthorJson, contests::ReceiptView, ErrorDetail, crate::units::service::UnitView, crate::units::service::UnitInput, crate::units::import::RowError, units::ImportResult, crate::users::service::UserView, crate::users::service::UserInput, crate::users::service::GrantView, me::Me, news::PostView, news::PostPage, news::PhotoView, news::CategoryView, news::PublishInput, crate::news::editor::service::PostInput, crate::news::photos::service::Variant)),
    modifiers(&Security),
    security(("token" = []), ("session" = [])),
    tags((name = "units", description = "Đơn vị"), (name = "users", description = "Người dùng"), (name = "account", description = "Tài khoản"), (name = "contests", description = "Cuộc thi, tác phẩm dự thi"), (name = "judging", description = "Vòng chấm, phân công, chấm điểm, kết quả"), (name = "certificates", description = "Giấy chứng nhận"), (name = "courses", description = "Lớp bồi dưỡng, đại biểu, điểm danh, chuyên cần"), (name = "news", description = "Tin tức"))
)]
pub struct ApiDoc;

pub fn openapi_json() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
}

async fn openapi() -> Json<serde_json::Value> {
    Json(openapi_json())
}

pub fn routes() -> Routes {
    Routes::new()
        .merge(courses::routes())
        .add(Method::GET, "/api/v1/openapi.json", Gate::Public, openapi)
        .add(Method::GET, "/api/v1/me", Gate::SignedIn, me::me)
        .add(
            Method::GET,
            "/api/v1/contests",
            Gate::Public,
            contests::list,
        )
        .add(
            Method::GET,
            "/api/v1/contests/{slug}",
            Gate::Public,
            contests::get,
        )
        .add(
            Method::GET,
            "/api/v1/contests/{slug}/entries",
            Gate::SignedIn,
            contests::entries_list,
        )
        .add(
            Method::POST,
            "/api/v1/contests/{slug}/entries",
            Gate::Public,
            contests::submit,
        )
        .add(
            Method::POST,
            "/api/v1/contests/{slug}/entries/{id}/decision",
            Gate::SignedIn,
            contests::decide,
        )
        .merge(judging_routes())
        .merge(news_routes())
        .add(Method::GET, "/api/v1/units", Gate::Admin, units::list)
        .add(Method::POST, "/api/v1/units", Gate::Admin, units::create)
        .add(
            Method::POST,
            "/api/v1/units/import",
            Gate::Admin,
            units::import,
        )
        .add(Method::GET, "/api/v1/units/{id}", Gate::Admin, units::get)
        .add(
            Method::PATCH,
            "/api/v1/units/{id}",
            Gate::Admin,
            units::update,
        )
        .add(
            Method::DELETE,
            "/api/v1/units/{id}",
            Gate::Admin,
            units::delete,
        )
        .add(Method::GET, "/api/v1/users", Gate::Admin, users::list)
        .add(Method::POST, "/api/v1/users", Gate::Admin, users::create)
        .add(Method::GET, "/api/v1/users/{id}", Gate::Admin, users::get)
        .add(
            Method::PATCH,
            "/api/v1/users/{id}",
            Gate::Admin,
            users::update,
        )
}

fn news_routes() -> Routes {
    use Method as M;
    let s = Gate::SignedIn;
    Routes::new()
        .add(M::GET, "/api/v1/news/posts", Gate::Public, news::list)
        .add(M::POST, "/api/v1/news/posts", s, news::create)
        .add(
            M::GET,
            "/api/v1/news/posts/{news_id}",
            Gate::Public,
            news::get,
        )
        .add(
            M::POST,
            "/api/v1/news/posts/{news_id}/submit",
            s,
            news::submit,
        )
        .add(
            M::POST,
            "/api/v1/news/posts/{news_id}/publish",
            s,
            news::publish,
        )
        .add(
            M::POST,
            "/api/v1/news/posts/{news_id}/photos",
            s,
            news::upload,
        )
        .add(
            M::GET,
            "/api/v1/news/categories",
            Gate::Public,
            news::categories,
        )
}

fn judging_routes() -> Routes {
    use Method as M;
    let s = Gate::SignedIn;
    Routes::new()
        .add(M::GET, "/api/v1/contests/{slug}/rounds", s, judging::list)
        .add(
            M::POST,
            "/api/v1/contests/{slug}/rounds",
            s,
            judging::create,
        )
        .add(M::GET, "/api/v1/rounds/{id}", s, judging::get)
        .add(
            M::GET,
            "/api/v1/rounds/{id}/assignments",
            s,
            judging::assignments_list,
        )
        .add(
            M::POST,
            "/api/v1/rounds/{id}/assignments",
            s,
            judging::add_pair,
        )
        .add(
            M::POST,
            "/api/v1/rounds/{id}/assignments/auto",
            s,
            judging::auto,
        )
        .add(
            M::POST,
            "/api/v1/rounds/{id}/batches/{batch}/publish",
            s,
            judging::publish_batch,
        )
        .add(
            M::POST,
            "/api/v1/rounds/{id}/batches/{batch}/undo",
            s,
            judging::undo_batch,
        )
        .add(
            M::GET,
            "/api/v1/rounds/{id}/my-entries",
            s,
            judging::my_entries,
        )
        .add(
            M::GET,
            "/api/v1/rounds/{id}/my-entries/{code}",
            s,
            judging::my_entry,
        )
        .add(
            M::PUT,
            "/api/v1/rounds/{id}/my-entries/{code}/score",
            s,
            judging::put_score,
        )
        .add(
            M::GET,
            "/api/v1/rounds/{id}/scores",
            s,
            judging::scores_list,
        )
        .add(
            M::GET,
            "/api/v1/rounds/{id}/results",
            s,
            judging::results_view,
        )
        .add(
            M::GET,
            "/api/v1/contests/{slug}/results",
            Gate::Public,
            judging::public_results,
        )
        .add(
            M::GET,
            "/api/v1/certificates/{code}",
            Gate::Public,
            certificates::certificate,
        )
}
