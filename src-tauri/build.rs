//! Generates Tauri's context: an `allow-<command>` permission for each of the app's
//! commands, and the window's one capability granting exactly those and event listening,
//! both from the command table (src-tauri/src/commands/table.rs).

/// Only the names, from the same table the app generates its commands from.
macro_rules! desk_commands {
    ($( $module:ident :: $name:ident ( $( $arg:ident : $ty:ty ),* $(,)? ) -> $ret:ty ; )*) => {
        const COMMAND_NAMES: &[&str] = &[$( stringify!($name) ),*];
    };
}
include!("src/commands/table.rs");

/// What the window may do besides calling the app's commands: listen to the app's events.
const EVENT_PERMISSIONS: &[&str] = &["core:event:allow-listen", "core:event:allow-unlisten"];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/src/commands/table.rs");
    let capabilities = write_capability();
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern(capabilities)
        .app_manifest(tauri_build::AppManifest::new().commands(COMMAND_NAMES));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build configuration: {error:#}");
    }
}

/// Writes the window's capability to OUT_DIR; returns the pattern that finds it.
fn write_capability() -> &'static str {
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let dir = out_dir.join("capabilities");
    std::fs::create_dir_all(&dir).expect("capabilities folder");
    let permissions: Vec<String> = EVENT_PERMISSIONS
        .iter()
        .map(|p| (*p).to_owned())
        .chain(
            COMMAND_NAMES
                .iter()
                .map(|name| format!("allow-{}", name.replace('_', "-"))),
        )
        .collect();
    let capability = format!(
        r#"{{
  "identifier": "default",
  "description": "What the CareDesk window may call: the app's own commands (generated from src-tauri/src/commands/table.rs) and event listening. The notification, store, opener and dialog plugins are used from Rust only, so the web view gets none of their permissions.",
  "windows": ["main"],
  "permissions": [{}]
}}
"#,
        permissions
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(dir.join("default.json"), capability).expect("capability written");
    Box::leak(format!("{}/*.json", dir.display()).into_boxed_str())
}
