//! How the web view draws. On Linux, WebKitGTK composites the page through GPU layers by
//! default; for CareDesk's lists and forms that costs about 145 MiB more in the web process
//! and makes the first paint after sign-in roughly twice as slow when the GPU is emulated
//! in software (bench/desktop.sh measured both), for no visible gain. So the window draws
//! without GPU compositing unless `CAREDESK_GPU_COMPOSITING=1` asks for WebKit's default.

use tauri::{App, Wry};

#[cfg(target_os = "linux")]
pub fn configure(app: &App<Wry>) {
    use tauri::Manager;
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    if std::env::var("CAREDESK_GPU_COMPOSITING").is_ok_and(|v| v == "1") {
        return;
    }
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let configured = window.with_webview(|webview| {
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(error) = configured {
        tracing::warn!(%error, "could not configure the web view's rendering");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn configure(_app: &App<Wry>) {}
