//! CareDesk desktop: the agent's app. This crate wires Tauri to `caredesk-core`: commands
//! are thin adapters listed once (`commands/table.rs`), the session holds the agent's own
//! database connection, the listener turns the database's notifications into live updates
//! and desktop notifications, the reminders bring up untaken urgent and overdue issues, and `contract` generates the UI's typed client.

pub mod commands;
pub mod contract;
pub mod error;
mod file_dialog;
pub mod listener;
mod reminders;
mod rendering;
pub mod secrets;
pub mod session;
pub mod settings;
mod tls;

use tauri::{Builder, Runtime};

/// Everything but the context, so that tests can build the app on the mock runtime.
pub fn build_app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(session::SessionState::default())
        .invoke_handler(commands::handler())
}

/// Logs to standard error, or appended to the file `CAREDESK_LOG_FILE` names (for support,
/// and for the desktop benchmark, where no terminal sees the app's output).
fn init_logging() {
    let logs = tracing_subscriber::fmt().with_env_filter(
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
    );
    let file = std::env::var_os("CAREDESK_LOG_FILE").and_then(|path| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()
    });
    match file {
        Some(file) => logs
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .init(),
        None => logs.init(),
    }
}

pub fn run() {
    init_logging();
    let app = build_app(tauri::Builder::default()).setup(|app| {
        rendering::configure(app);
        Ok(())
    });
    if let Err(error) = app.run(tauri::generate_context!()) {
        tracing::error!(%error, "CareDesk could not start");
        std::process::exit(1);
    }
}
