//! CareDesk desktop: the agent's app. This crate wires Tauri to `caredesk-core`: commands
//! are thin adapters listed once (`commands/table.rs`), the session holds the agent's own
//! database connection, the listener turns the database's notifications into live updates
//! and desktop notifications, and `contract` generates the UI's typed client.

pub mod commands;
pub mod contract;
pub mod error;
pub mod listener;
pub mod secrets;
pub mod session;
pub mod settings;

use tauri::{Builder, Runtime};

/// Everything but the context, so that tests can build the app on the mock runtime.
pub fn build_app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .manage(session::SessionState::default())
        .invoke_handler(commands::handler())
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    if let Err(error) = build_app(tauri::Builder::default()).run(tauri::generate_context!()) {
        tracing::error!(%error, "CareDesk could not start");
        std::process::exit(1);
    }
}
