//! Builds the service from settings: the database pool, the router, the bound listener.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::page::PageRenderer;
use crate::rate_limit::ReportLimiter;
use crate::routes;
use crate::settings::Settings;
use crate::state::AppState;

/// How long a request waits for a database connection before answering 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Page(String),
}

pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Binds the address (port 0 picks a free one) and prepares the state. The database may
    /// still be down: the pool connects lazily and requests answer 503 until it is up.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        if let Some(exposure) = caredesk_core::db::password_exposure(&settings.database) {
            tracing::warn!("DATABASE_URL: {exposure}");
        }
        let page =
            PageRenderer::new(&settings.shop, settings.phone_region).map_err(StartupError::Page)?;
        let pool = caredesk_core::db::lazy_pool(
            settings.database.clone(),
            settings.pool_size,
            ACQUIRE_TIMEOUT,
        );
        let listener =
            TcpListener::bind(settings.bind)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: settings.bind,
                    source,
                })?;
        let state = AppState {
            pool,
            phone_region: settings.phone_region,
            limiter: ReportLimiter::per_minute(settings.reports_per_minute, settings.ipv6_prefix),
            page: Arc::new(page),
            trusted_proxies: settings.trusted_proxies.into(),
            allowed_origins: Arc::new(settings.allowed_origins),
            request_timeout: settings.request_timeout,
            max_concurrent_requests: settings.max_concurrent_requests,
        };
        Ok(Self { listener, state })
    }

    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default()
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let limiter = self.state.limiter.clone();
        let sweeper = tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                limiter.forget_idle_clients();
            }
        });
        let pool = self.state.pool.clone();
        let app = routes::app(self.state).into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
        sweeper.abort();
        pool.close().await;
        served
    }
}

/// Completes on Ctrl+C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
