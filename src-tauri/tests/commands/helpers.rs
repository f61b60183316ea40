//! An app on the mock runtime and a way to call its commands as the UI would.

use caredesk_core::agents::{self, AgentLogin};
use serde_json::{Value, json};
use sqlx::{AssertSqlSafe, PgPool};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

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
