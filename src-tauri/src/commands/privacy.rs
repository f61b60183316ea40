//! Privacy requests from the desktop, about the customer of the open issue (by the address
//! or the phone it holds): which issues the request covers, everything about them saved as
//! a JSON file where the admin chooses, and the erasure. The database allows both to
//! admins only and audits each (migration `privacy`).

use caredesk_core::db::issues;
use caredesk_core::privacy::{self, CustomerKey, MatchBy};
use serde::Serialize;
use tauri::{AppHandle, Runtime};

use crate::error::{CommandError, ErrorKind};
use crate::file_dialog::{self, Ask};
use crate::session;

/// The customer a request is about, and the issues it covers.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CustomerRecords {
    /// The address or phone number matched.
    pub who: String,
    #[ts(type = "number[]")]
    pub issues: Vec<i64>,
}

async fn key_of<R: Runtime>(
    app: &AppHandle<R>,
    issue_id: i64,
    by: MatchBy,
) -> Result<(sqlx::PgPool, CustomerKey), CommandError> {
    let pool = session::state(app).pool().await?;
    let issue = issues::get_by_id(&pool, issue_id).await?;
    let key = CustomerKey::of_issue(&issue, by)?;
    Ok((pool, key))
}

pub async fn customer_records<R: Runtime>(
    app: &AppHandle<R>,
    issue_id: i64,
    by: MatchBy,
) -> Result<CustomerRecords, CommandError> {
    let (pool, key) = key_of(app, issue_id, by).await?;
    Ok(CustomerRecords {
        issues: privacy::issues(&pool, &key).await?,
        who: key.shown().to_owned(),
    })
}

/// Asks where to save the export and writes it there: what happened, or `None` when the
/// admin cancelled the dialog (nothing was exported, nothing audited).
pub async fn export_customer<R: Runtime>(
    app: &AppHandle<R>,
    issue_id: i64,
    by: MatchBy,
) -> Result<Option<String>, CommandError> {
    let (pool, key) = key_of(app, issue_id, by).await?;
    let ask = Ask {
        title: "Save everything CareDesk holds about this customer",
        filter: ("JSON", &["json"]),
        unusable: "The export cannot be saved there",
    };
    let file_name = format!("customer-export-issue-{issue_id}.json");
    let Some(path) = ask.save(app, file_name).await? else {
        return Ok(None);
    };
    let export = privacy::export(&pool, &key).await?;
    let issues = export["issues"].as_array().map_or(0, Vec::len);
    let json = serde_json::to_vec_pretty(&export).map_err(|error| {
        CommandError::new(
            ErrorKind::Internal,
            format!("The export could not be written: {error}"),
        )
    })?;
    file_dialog::write(&path, &json, "export").await?;
    Ok(Some(format!(
        "Exported {issues} issue{} of {} to {}",
        if issues == 1 { "" } else { "s" },
        key.shown(),
        path.display()
    )))
}

pub async fn erase_customer<R: Runtime>(
    app: &AppHandle<R>,
    issue_id: i64,
    by: MatchBy,
) -> Result<String, CommandError> {
    let (pool, key) = key_of(app, issue_id, by).await?;
    let erased = privacy::erase(&pool, &key).await?;
    Ok(format!(
        "Erased {erased} issue{} of {}; their timelines keep an anonymous trace",
        if erased == 1 { "" } else { "s" },
        key.shown()
    ))
}
