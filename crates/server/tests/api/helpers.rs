//! Starting a server for a test, and reading what it stored.

use std::net::SocketAddr;

use caredesk_core::domain::PhoneRegion;
use caredesk_server::Application;
use caredesk_server::mailer::MailSettings;
use caredesk_server::settings::Settings;
use caredesk_server::shop::ShopProfile;
use serde_json::{Value, json};
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use tokio::sync::oneshot;

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// A server on `pool`'s database acting as `caredesk_intake`, like the production login.
    pub async fn start(pool: &PgPool, reports_per_minute: Option<u32>) -> Self {
        let database = (*pool.connect_options())
            .clone()
            .options([("role", "caredesk_intake")]);
        Self::start_with(database, reports_per_minute).await
    }

    pub async fn start_with(database: PgConnectOptions, reports_per_minute: Option<u32>) -> Self {
        Self::start_configured(database, reports_per_minute, Vec::new()).await
    }

    /// A server behind a reverse proxy at `trusted_proxies` (the tests' own address).
    pub async fn start_behind_proxy(
        pool: &PgPool,
        reports_per_minute: Option<u32>,
        trusted_proxies: &[&str],
    ) -> Self {
        let database = (*pool.connect_options())
            .clone()
            .options([("role", "caredesk_intake")]);
        let trusted = trusted_proxies.iter().map(|n| n.parse().unwrap()).collect();
        Self::start_configured(database, reports_per_minute, trusted).await
    }

    async fn start_configured(
        database: PgConnectOptions,
        reports_per_minute: Option<u32>,
        trusted_proxies: Vec<ipnet::IpNet>,
    ) -> Self {
        Self::start_with_settings(database, |settings| {
            settings.reports_per_minute = reports_per_minute;
            settings.trusted_proxies = trusted_proxies;
        })
        .await
    }

    /// The intake login's server on `pool`, with settings as `configure` leaves them.
    pub async fn start_as_intake(pool: &PgPool, configure: impl FnOnce(&mut Settings)) -> Self {
        let database = (*pool.connect_options())
            .clone()
            .options([("role", "caredesk_intake")]);
        Self::start_with_settings(database, configure).await
    }

    pub async fn start_with_settings(
        database: PgConnectOptions,
        configure: impl FnOnce(&mut Settings),
    ) -> Self {
        let mut settings = Settings {
            database,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            reports_per_minute: None,
            phone_region: PhoneRegion::parse("DE").unwrap(),
            shop: ShopProfile::default(),
            pool_size: 5,
            trusted_proxies: Vec::new(),
            ipv6_prefix: 64,
            allowed_origins: Default::default(),
            request_timeout: std::time::Duration::from_secs(15),
            max_concurrent_requests: 256,
            status_lookups_per_minute: None,
            status_link_days: 90,
            public_url: None,
            mail: None,
            photo_limits: Default::default(),
            photo_decoders: 2,
        };
        configure(&mut settings);
        let app = Application::build(settings).await.expect("server builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            base,
            client,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// The intake login's server with a mailer delivering to `smtp_url` as the mailer role,
    /// polling often and retrying after a second, so tests need not wait long.
    pub async fn start_mailing(
        pool: &PgPool,
        smtp_url: &str,
        configure: impl FnOnce(&mut Settings),
    ) -> Self {
        let mailer_login = (*pool.connect_options())
            .clone()
            .options([("role", "caredesk_mailer")]);
        let smtp_url = smtp_url.to_owned();
        let server = Self::start_as_intake(pool, |settings| {
            settings.public_url = Some("https://care.shop.example".into());
            settings.mail = Some(MailSettings {
                smtp_url,
                from: None,
                ca_certificate: None,
                database: mailer_login,
                poll: std::time::Duration::from_millis(50),
                retry_base: std::time::Duration::from_secs(1),
            });
            configure(settings);
        })
        .await;
        // the mailer says it delivers on its first round; reports queue emails from then on
        let started = std::time::Instant::now();
        while !caredesk_core::db::issues::mail_available(pool)
            .await
            .unwrap()
        {
            assert!(started.elapsed().as_secs() < 10, "the mailer never started");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The status of `GET /healthz`.
    pub async fn health(&self) -> u16 {
        self.client
            .get(self.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    /// POSTs `body` as JSON to the report API; returns the status, headers and JSON body.
    pub async fn report(&self, body: &Value) -> (u16, reqwest::header::HeaderMap, Value) {
        let response = self
            .client
            .post(self.url("/api/customer-care/report"))
            .json(body)
            .send()
            .await
            .unwrap();
        split(response).await
    }

    /// A report as a proxy passes it on, naming the client in `X-Forwarded-For`.
    pub async fn report_forwarded_for(&self, body: &Value, client: &str) -> u16 {
        self.client
            .post(self.url("/api/customer-care/report"))
            .header("x-forwarded-for", client)
            .json(body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    pub async fn report_raw(
        &self,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let response = self
            .client
            .post(self.url("/api/customer-care/report"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        split(response).await
    }

    /// POSTs `form` as multipart/form-data to `path` (the report API, the page's form, a
    /// status page's message).
    pub async fn post_multipart(
        &self,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Stops accepting, lets requests in flight finish, and waits for the server to end.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
    }
}

async fn split(response: reqwest::Response) -> (u16, reqwest::header::HeaderMap, Value) {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, headers, body)
}

pub fn valid_report() -> Value {
    json!({
        "name": "Amina Yusuf",
        "email": "amina@example.com",
        "phone": "0151 23456789",
        "issue_type": "not_received",
        "description": "My parcel has not arrived after two weeks.",
        "order_id": "A-1001",
        "priority": "high"
    })
}

pub fn with(mut report: Value, field: &str, value: Value) -> Value {
    report[field] = value;
    report
}

pub async fn stored(pool: &PgPool) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT count(*) FROM customer_care")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The error fields of a rejection, sorted.
pub fn error_fields(body: &Value) -> Vec<String> {
    let mut fields: Vec<String> = body["errors"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    fields.sort();
    fields
}
