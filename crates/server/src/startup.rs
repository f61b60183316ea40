//! Builds the service from settings: the database pool, the router, the bound listener.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use caredesk_core::promise::Promise;
use tokio::net::TcpListener;

use crate::mailer::Mailer;
use crate::page::PageRenderer;
use crate::photos::PhotoProcessor;
use crate::rate_limit::ClientLimiter;
use crate::routes;
use crate::settings::Settings;
use crate::state::AppState;

/// The database times issues by the promise `migrate` last gave it; a profile changed
/// since then is not in effect until `migrate` runs again, so say so at start-up.
async fn warn_if_promise_differs(pool: sqlx::PgPool, profile: Option<Promise>) {
    let Some(profile) = profile else { return };
    // a database that is down now is reported by the requests that need it
    let Ok(mut db) = pool.acquire().await else {
        return;
    };
    match caredesk_core::promise::current(&mut db).await {
        Ok(held) if held != profile => tracing::warn!(
            "the shop profile's response promise is not the one the database times issues by: run `caredesk-server migrate` to apply it"
        ),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "could not read the database's response promise"),
    }
}

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
    #[error("the mail server settings cannot be used: {0}")]
    Mail(String),
    #[error("cannot start the photo decoders: {0}")]
    Decoders(std::io::Error),
}

pub struct Application {
    listener: TcpListener,
    state: AppState,
    /// Delivers the outbox, when a mail server is configured.
    mailer: Option<Mailer>,
}

impl Application {
    /// Binds the address (port 0 picks a free one) and prepares the state. The database may
    /// still be down: the pool connects lazily and requests answer 503 until it is up.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        if let Some(exposure) = caredesk_core::db::password_exposure(&settings.database) {
            tracing::warn!("DATABASE_URL: {exposure}");
        }
        let page = Arc::new(
            PageRenderer::new(
                &settings.shop,
                settings.phone_region,
                &settings.photo_limits,
            )
            .map_err(StartupError::Page)?,
        );
        let pool = caredesk_core::db::lazy_pool(
            settings.database.clone(),
            settings.pool_size,
            ACQUIRE_TIMEOUT,
        );
        tokio::spawn(warn_if_promise_differs(
            pool.clone(),
            settings.shop.promise().ok(),
        ));
        let listener =
            TcpListener::bind(settings.bind)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: settings.bind,
                    source,
                })?;
        let mailer = match &settings.mail {
            None => {
                tracing::info!("no mail server configured (CAREDESK_SMTP_URL): nothing is emailed");
                None
            }
            Some(mail) => {
                let public_url = settings.public_url.clone().unwrap_or_else(|| {
                    tracing::warn!(
                        "CAREDESK_PUBLIC_URL is not set: the status links in emails point at http://{}, which customers may not reach",
                        settings.bind
                    );
                    format!("http://{}", settings.bind)
                });
                let shop = page.shop(settings.shop.default_language());
                let from = lettre::message::Mailbox::new(
                    Some(shop.name.clone()),
                    shop.email.display.parse().map_err(|_| {
                        StartupError::Page(format!(
                            "the shop's email \"{}\" cannot be a sender; set CAREDESK_MAIL_FROM",
                            shop.email.display
                        ))
                    })?,
                );
                Some(
                    Mailer::new(mail, page.clone(), public_url, from)
                        .map_err(StartupError::Mail)?,
                )
            }
        };
        let state = AppState {
            pool,
            phone_region: settings.phone_region,
            limiter: ClientLimiter::per_minute(settings.reports_per_minute, settings.ipv6_prefix),
            status_lookups: ClientLimiter::per_minute(
                settings.status_lookups_per_minute,
                settings.ipv6_prefix,
            ),
            status_link_days: settings.status_link_days,
            page,
            public_url: settings.public_url.clone(),
            trusted_proxies: settings.trusted_proxies.into(),
            allowed_origins: Arc::new(settings.allowed_origins),
            request_timeout: settings.request_timeout,
            max_concurrent_requests: settings.max_concurrent_requests,
            photos: PhotoProcessor::new(settings.photo_limits, settings.photo_decoders)
                .map_err(StartupError::Decoders)?,
        };
        Ok(Self {
            listener,
            state,
            mailer,
        })
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
        let limiters = [
            self.state.limiter.clone(),
            self.state.status_lookups.clone(),
        ];
        let sweeper = tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                limiters.iter().for_each(ClientLimiter::forget_idle_clients);
            }
        });
        let (stop_mailer, stopped) = tokio::sync::watch::channel(false);
        let mailer = self.mailer.map(|mailer| tokio::spawn(mailer.run(stopped)));
        let pool = self.state.pool.clone();
        let app = routes::app(self.state).into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
        sweeper.abort();
        // the mailer finishes the email in hand, so none is sent twice
        let _ = stop_mailer.send(true);
        if let Some(mailer) = mailer {
            let _ = mailer.await;
        }
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
