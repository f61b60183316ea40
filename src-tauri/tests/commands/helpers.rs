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
                "remember": false
            }}),
        )
    }
}

/// An agent login for one test; dropped again by `drop_login`.
pub async fn agent_login(pool: &PgPool, name: &str, admin: bool) -> String {
    let login = format!("{name}_{}", std::process::id());
    sqlx::query(AssertSqlSafe(format!("DROP ROLE IF EXISTS \"{login}\"")))
        .execute(pool)
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
    sqlx::query(AssertSqlSafe(format!("DROP ROLE IF EXISTS \"{login}\"")))
        .execute(pool)
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
