use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use hoithi_storage::Db;
use hoithi_storage::blob::FsBlobStore;
use hoithi_storage::repo::settings;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::routes::{RouteInfo, Routes};
use crate::state::AppState;

/// The whole application, built and bound to its port, not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    port: u16,
}

/// Every route of the application, with its gate (for the authorization-matrix test).
pub fn route_table() -> Routes {
    Routes::new()
        .merge(crate::home::routes())
        .merge(crate::health::routes())
        .merge(crate::assets::routes())
        .merge(crate::accounts::routes())
        .merge(crate::units::routes())
        .merge(crate::users::routes())
        .merge(crate::contests::routes())
        .merge(crate::integrity::routes())
        .merge(crate::judging::routes())
        .merge(crate::certificates::routes())
        .merge(crate::courses::routes())
        .merge(crate::news::routes())
        .merge(crate::search::routes())
        .merge(crate::api::routes())
}

pub fn routes_info() -> Vec<RouteInfo> {
    route_table().into_parts().1
}

/// Opens the database, migrates it and prepares shared state (used by `serve` and the CLI).
pub async fn open_state(config: &Config) -> anyhow_like::Result<AppState> {
    // The hunspell-vi syllable list (GPL) is read from the system at run time when installed,
    // never compiled in; without it, spelling hints use the syllable-structure rules alone.
    if let Some(dict) = hoithi_text::spell::Dictionary::load_system() {
        hoithi_text::spell::install_dictionary(dict);
    }
    let db = Db::open(&config.data_dir, config.database_url.as_deref()).await?;
    db.migrate().await?;
    let candidate = crate::auth::random_token();
    let secret = settings::get_or_init(&db, "instance_secret", &candidate).await?;
    let (search, needs_fill) = match crate::search::open(&config.data_dir.join("search")) {
        Ok((index, fill)) => (Some(index), fill),
        Err(hoithi_search::IndexError::Locked) => {
            tracing::warn!(
                "the search index is held by another instance; this one searches the database directly"
            );
            (None, false)
        }
        Err(e) => return Err(anyhow_like::Error(e.to_string())),
    };
    let files = FsBlobStore::new(config.data_dir.join("files"));
    {
        // Temporary files of uploads cut short by a crash; an hour old is surely not in progress.
        let files = files.clone();
        tokio::task::spawn_blocking(move || {
            match files.sweep_orphans(std::time::Duration::from_secs(3600)) {
                Ok(0) => {}
                Ok(n) => tracing::info!("removed {n} unfinished upload files"),
                Err(e) => tracing::warn!("could not sweep unfinished upload files: {e}"),
            }
        });
    }
    let state = AppState {
        db,
        blobs: Arc::new(files),
        config: Arc::new(config.clone()),
        secret: secret.into_bytes().into(),
        search,
        search_updates: Default::default(),
        integrity: Default::default(),
        mailer: crate::mail::Mailer::from_config(config)
            .map_err(anyhow_like::Error)?
            .map(Arc::new),
    };
    if needs_fill {
        let n = crate::search::rebuild(&state)
            .await
            .map_err(anyhow_like::Error)?;
        tracing::info!("search index rebuilt from the database: {n} documents");
    }
    Ok(state)
}

/// A small error wrapper so the binary can print start-up failures plainly.
pub mod anyhow_like {
    pub type Result<T> = std::result::Result<T, Error>;
    #[derive(Debug)]
    pub struct Error(pub String);
    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }
    impl std::error::Error for Error {}
    impl From<hoithi_storage::StorageError> for Error {
        fn from(e: hoithi_storage::StorageError) -> Self {
            Error(e.to_string())
        }
    }
    impl From<std::io::Error> for Error {
        fn from(e: std::io::Error) -> Self {
            Error(e.to_string())
        }
    }
    impl From<crate::error::AppError> for Error {
        fn from(e: crate::error::AppError) -> Self {
            Error(format!("{e:?}"))
        }
    }
}

pub fn build_router(state: AppState) -> Router {
    let (routes, _) = route_table().into_parts();
    let max_body = state.config.max_body_bytes;
    routes
        .fallback(|| async { crate::error::AppError::NotFound })
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(
            state.clone(),
            crate::auth::csrf::api_guard,
        ))
        .layer(from_fn(crate::error::render_errors))
        .layer(from_fn(crate::pages::remember_lang))
        .layer(from_fn_with_state(state.clone(), crate::auth::load_actor))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(120),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

impl Application {
    pub async fn build(config: Config) -> anyhow_like::Result<Application> {
        let state = open_state(&config).await?;
        if config.demo && crate::demo::load_if_empty(&state).await? && state.search.is_some() {
            crate::search::rebuild(&state)
                .await
                .map_err(anyhow_like::Error)?;
        }
        let listener = TcpListener::bind(config.addr).await?;
        let port = listener.local_addr()?.port();
        let router = build_router(state.clone());
        Ok(Application {
            listener,
            router,
            state,
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests and stops the worker.
    pub async fn run_until_stopped<F>(self, shutdown: F) -> std::io::Result<()>
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let (stop_tx, stop_rx) = watch::channel(false);
        // Copy-check indexes are saved in the background and once more on the way out.
        let saver = crate::integrity::spawn_saver(self.state.clone(), stop_rx.clone());
        let workers: Vec<_> = if self.state.config.run_worker {
            (0..self.state.config.workers.max(1))
                .map(|n| {
                    tokio::spawn(crate::jobs::run_worker(
                        self.state.clone(),
                        stop_rx.clone(),
                        n == 0,
                    ))
                })
                .collect()
        } else {
            Vec::new()
        };
        let result = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        let _ = stop_tx.send(true);
        for w in workers {
            let _ = w.await;
        }
        let _ = saver.await;
        result
    }
}
