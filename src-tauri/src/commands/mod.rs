//! The commands the UI may call, one module per feature. Each is a thin adapter: parse the
//! input, call `caredesk-core`, map the error.

pub mod auth;
pub mod contact;
pub mod issues;
pub mod preferences;

use tauri::Runtime;
use tauri::ipc::Invoke;

include!("names.rs");

/// Every command name, as the build script's permission manifest knows them.
pub const ALL: &[&str] = COMMAND_NAMES;

pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        auth::sign_in,
        auth::resume_session,
        auth::sign_out,
        issues::list_issues,
        issues::issue_counts,
        issues::daily_counts,
        issues::get_issue,
        issues::update_issue,
        issues::delete_issue,
        contact::open_contact,
        preferences::get_settings,
        preferences::save_settings,
    ]
}
