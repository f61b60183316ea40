//! An app on the mock runtime and a way to call its commands as the UI would.

use caredesk_core::agents::{self, AgentLogin};
use serde_json::{Value, json};
use sqlx::{AssertSqlSafe, PgPool};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;

use tauri::{App, Listener, WebviewWindow, WebviewWindowBuilder};

pub struct TestApp {
    _app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl TestApp {
    pub fn new() -> Self {
        let app = caredesk_lib::build_app(mock_builder())
            .build(mock_context(noop_assets()))
            .expect("app builds");
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("window");
        Self { _app: app, webview }
    }

    /// Every payload of `event` the app emits from now on, as JSON.
    pub fn events(&self, event: &str) -> Arc<Mutex<Vec<Value>>> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        self._app.listen_any(event, move |e| {
            let payload = serde_json::from_str(e.payload()).unwrap_or(Value::Null);
            sink.lock().unwrap().push(payload);
        });
        seen
    }

    /// Invokes a command; Ok is its JSON answer, Err the CommandError as JSON.
    pub fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request)
            .map(|body| body.deserialize::<Value>().expect("json"))
    }

    /// Signs in as `user` (this cluster trusts local logins, so any password is accepted).
    pub fn sign_in(&self, pool: &PgPool, user: &str) -> Result<Value, Value> {
        let options = pool.connect_options();
        self.call(
            "sign_in",
            json!({"request": {
                "host": options.get_host(),
                "port": options.get_port(),
                "database": options.get_database().unwrap_or_default(),
                "user": user,
                "password": "any password will do",
                "remember": false, "security": "none"
            }}),
        )
    }
}

/// An agent login for one test; dropped again by `drop_login`.
pub async fn agent_login(pool: &PgPool, name: &str, admin: bool) -> String {
    let login = format!("{name}_{}", std::process::id());
    agents::role_ddl(pool, &format!("DROP ROLE IF EXISTS \"{login}\""))
        .await
        .expect("drop");
    agents::create(
        pool,
        &AgentLogin::parse(&login).expect("login"),
        &caredesk_core::secret::Password::new("a long test password"),
        admin,
    )
    .await
    .expect("agent created");
    login
}

pub async fn drop_login(pool: &PgPool, login: &str) {
    // its connections may still be closing
    sqlx::query(AssertSqlSafe(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{login}'"
    )))
    .execute(pool)
    .await
    .expect("terminate");
    agents::role_ddl(pool, &format!("DROP ROLE IF EXISTS \"{login}\""))
        .await
        .expect("drop");
}

pub async fn add_issue(pool: &PgPool, name: &str, priority: &str) -> i64 {
    let form = caredesk_core::report::ReportForm {
        name: Some(name.into()),
        email: Some("customer@example.com".into()),
        phone: Some("+49 151 23456789".into()),
        order_id: Some("A-1001".into()),
        issue_type: Some("damaged".into()),
        description: Some("<img src=x onerror=alert(1)> arrived broken".into()),
        priority: Some(priority.into()),
        language: None,
    };
    let region = caredesk_core::domain::PhoneRegion::parse("DE").expect("region");
    let issue = caredesk_core::report::NewIssue::parse(&form, region).expect("valid");
    caredesk_core::db::issues::add(pool, &issue)
        .await
        .expect("stored")
}

/// Waits (at most 15 s) until `done` holds; false if it never did.
pub async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(15);
    while Instant::now() < until {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    done()
}

/// Waits until `login` has a connection LISTENing (the desk's live listener is up).
pub async fn listening(pool: &PgPool, login: &str) -> bool {
    let until = Instant::now() + Duration::from_secs(15);
    while Instant::now() < until {
        let listens: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = $1 AND query ILIKE 'LISTEN%'",
        )
        .bind(login)
        .fetch_one(pool)
        .await
        .expect("activity");
        if listens > 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// A private PostgreSQL cluster of the test's own (scripts/postgres.sh), stopped and
/// removed when dropped.
pub struct PrivateCluster {
    pub dir: std::path::PathBuf,
    pub port: u16,
}

impl PrivateCluster {
    /// `mode` as scripts/postgres.sh takes it ("app": passwords and TLS; "tests": trust).
    pub fn start(mode: &str, listen: &str, max_connections: Option<u32>) -> Self {
        static STARTED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("caredesk-cluster-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("cluster folder");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("a free port")
            .local_addr()
            .expect("port")
            .port();
        let cluster = Self { dir, port };
        cluster.script(
            &format!(
                "start_private_cluster '{}' {port} {mode} '{listen}'",
                cluster.dir.display()
            ),
            max_connections,
        );
        cluster
    }

    fn script(&self, line: &str, max_connections: Option<u32>) {
        let mut command = std::process::Command::new("bash");
        command
            .arg("-c")
            .arg(format!(". scripts/postgres.sh && {line}"))
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if let Some(max) = max_connections {
            command.env("CAREDESK_PG_MAX_CONNECTIONS", max.to_string());
        }
        let status = command.status().expect("bash");
        assert!(status.success(), "{line}");
    }

    /// The owner (superuser) over the cluster's private socket.
    pub fn owner(&self, database: &str) -> sqlx::postgres::PgConnectOptions {
        sqlx::postgres::PgConnectOptions::new()
            .host(&self.dir.join("socket").display().to_string())
            .port(self.port)
            .username("postgres")
            .database(database)
    }

    /// A migrated `caredesk` database in the cluster; the owner's pool on it.
    pub async fn caredesk(&self) -> PgPool {
        let server = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect_with(self.owner("postgres"))
            .await
            .expect("cluster up");
        sqlx::query("CREATE DATABASE caredesk")
            .execute(&server)
            .await
            .expect("database");
        server.close().await;
        let owner = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect_with(self.owner("caredesk"))
            .await
            .expect("database up");
        caredesk_core::MIGRATOR.run(&owner).await.expect("migrated");
        owner
    }

    pub fn ca_file(&self) -> std::path::PathBuf {
        self.dir.join("tls").join("ca.crt")
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        self.script(
            &format!("stop_private_cluster '{}'", self.dir.display()),
            None,
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
