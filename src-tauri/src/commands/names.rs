// The commands the UI may call: included by the build script (which generates an
// `allow-<name>` permission for each) and by `commands::ALL`. Keep in step with `handler()`.
const COMMAND_NAMES: &[&str] = &[
    "sign_in",
    "resume_session",
    "sign_out",
    "list_issues",
    "issue_counts",
    "daily_counts",
    "get_issue",
    "update_issue",
    "delete_issue",
    "open_contact",
    "get_settings",
    "save_settings",
];
