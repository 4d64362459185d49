//! The route table. Every route is added through [`Routes::add`] with its gate, so the
//! authorization-matrix test can list them all, and a route without a rule cannot exist.

use axum::Router;
use axum::extract::Request;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};

use crate::auth::session::Identity;
use crate::error::AppError;
use crate::policy::{Action, Resource, can};
use crate::state::AppState;

/// The coarse rule a route enforces before its handler runs. Finer, per-record decisions are
/// made by `policy::can` inside the services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Public,
    SignedIn,
    /// Holds some administrative scope (site or unit administrator).
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub gate: Gate,
}

pub struct Routes {
    router: Router<AppState>,
    infos: Vec<RouteInfo>,
}

async fn enforce(gate: Gate, Identity(id): Identity, req: Request, next: Next) -> Response {
    match gate {
        Gate::Public => {}
        Gate::SignedIn if id.user.is_none() => return AppError::SignInRequired.into_response(),
        Gate::SignedIn => {}
        Gate::Admin => {
            if id.user.is_none() {
                return AppError::SignInRequired.into_response();
            }
            if !can(&id.actor, Action::Administer, Resource::Site) {
                return AppError::Forbidden.into_response();
            }
        }
    }
    next.run(req).await
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            infos: Vec::new(),
        }
    }

    pub fn add<H, T>(mut self, method: Method, path: &'static str, gate: Gate, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        let gated =
            on(filter, handler).layer(from_fn(move |id: Identity, req: Request, next: Next| {
                enforce(gate, id, req, next)
            }));
        self.router = self.router.route(path, gated);
        self.infos.push(RouteInfo { method, path, gate });
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.infos.extend(other.infos);
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteInfo>) {
        (self.router, self.infos)
    }
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}
