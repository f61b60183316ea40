//! The seed's admin screens as commands: list, counts, detail, respond/update, delete.

use caredesk_core::db::list::{self, Cursor, IssueFilter, Page};
use caredesk_core::db::stats::{self, DailyCount};
use caredesk_core::db::{Counts, Event, Issue, IssueUpdate, events, issues};
use caredesk_core::domain::links::ContactLinks;
use caredesk_core::domain::{Priority, Response, Status};
use chrono::{DateTime, Duration, Local, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tauri::State;

use crate::error::CommandError;
use crate::session::SessionState;

const DEFAULT_PAGE_SIZE: i64 = 50;
const MAX_CHART_DAYS: i64 = 90;
const UTC: &str = "UTC";

#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ListQuery {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub search: Option<String>,
    /// Only issues not resolved yet (the Urgent view).
    #[serde(default)]
    pub unresolved: bool,
    /// Only issues resolved at or after this time (the Resolved-today view).
    pub resolved_since: Option<DateTime<Utc>>,
    pub cursor: Option<Cursor>,
    #[ts(type = "number | null")]
    pub limit: Option<i64>,
}

/// An issue with its timeline and ready-made contact links.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct IssueDetail {
    pub issue: Issue,
    pub timeline: Vec<Event>,
    pub links: ContactLinks,
}

#[tauri::command]
pub async fn list_issues(
    state: State<'_, SessionState>,
    query: ListQuery,
) -> Result<Page, CommandError> {
    let pool = state.pool().await?;
    let mut conn = pool.acquire().await.map_err(caredesk_core::Error::from)?;
    let filter = IssueFilter {
        status: query.status,
        priority: query.priority,
        search: query.search,
        unresolved: query.unresolved,
        resolved_since: query.resolved_since,
    };
    Ok(list::page(
        &mut conn,
        &filter,
        query.cursor,
        query.limit.unwrap_or(DEFAULT_PAGE_SIZE),
    )
    .await?)
}

#[tauri::command]
pub async fn issue_counts(state: State<'_, SessionState>) -> Result<Counts, CommandError> {
    let pool = state.pool().await?;
    Ok(issues::counts(&pool, start_of_local_day()).await?)
}

#[tauri::command]
pub async fn daily_counts(
    state: State<'_, SessionState>,
    days: i64,
) -> Result<Vec<DailyCount>, CommandError> {
    let pool = state.pool().await?;
    let days = days.clamp(1, MAX_CHART_DAYS);
    let since = start_of_local_day_before(days - 1);
    // the agent's days, as the rest of the dashboard counts them; UTC if the system's zone
    // cannot be named or the database does not know it
    let zone = iana_time_zone::get_timezone().unwrap_or_else(|_| UTC.into());
    match stats::daily_counts(&pool, since, &zone).await {
        Err(caredesk_core::Error::Invalid(_)) if zone != UTC => {
            tracing::warn!(%zone, "the database does not know this time zone; counting days in UTC");
            Ok(stats::daily_counts(&pool, since, UTC).await?)
        }
        counted => Ok(counted?),
    }
}

#[tauri::command]
pub async fn get_issue(
    state: State<'_, SessionState>,
    id: i64,
) -> Result<IssueDetail, CommandError> {
    let pool = state.pool().await?;
    let issue = issues::get_by_id(&pool, id).await?;
    with_timeline(&pool, issue).await
}

/// Changes status, priority and/or the response of the issue the agent saw at `seen`.
#[tauri::command]
pub async fn update_issue(
    state: State<'_, SessionState>,
    id: i64,
    seen: DateTime<Utc>,
    status: Option<Status>,
    priority: Option<Priority>,
    response: Option<String>,
) -> Result<IssueDetail, CommandError> {
    let response = match response {
        Some(text) => {
            Some(Response::parse(&text).map_err(|e| CommandError::invalid_field("response", &e))?)
        }
        None => None,
    };
    let pool = state.pool().await?;
    let mut conn = pool.acquire().await.map_err(caredesk_core::Error::from)?;
    let issue = issues::update(
        &mut conn,
        id,
        &IssueUpdate {
            seen,
            status,
            priority,
            response,
        },
    )
    .await?;
    drop(conn);
    with_timeline(&pool, issue).await
}

/// Deletes a resolved issue (admins only: the database refuses anyone else).
#[tauri::command]
pub async fn delete_issue(
    state: State<'_, SessionState>,
    id: i64,
    seen: DateTime<Utc>,
) -> Result<(), CommandError> {
    let pool = state.pool().await?;
    let mut conn = pool.acquire().await.map_err(caredesk_core::Error::from)?;
    Ok(issues::delete(&mut conn, id, seen).await?)
}

/// The detail view of an issue just read: its timeline and contact links added.
async fn with_timeline(pool: &PgPool, issue: Issue) -> Result<IssueDetail, CommandError> {
    let timeline = events::timeline(pool, issue.id).await?;
    let links =
        ContactLinks::for_issue(&issue, issue.admin_response.as_deref().unwrap_or_default());
    Ok(IssueDetail {
        issue,
        timeline,
        links,
    })
}

/// Midnight of the agent's local day, in UTC ("resolved today" means the agent's today).
fn start_of_local_day() -> DateTime<Utc> {
    start_of_local_day_before(0)
}

/// Local midnight `days` calendar days before today (by the calendar, not in 24 h steps,
/// so a daylight-saving change in between does not shift it by an hour).
fn start_of_local_day_before(days: i64) -> DateTime<Utc> {
    let now = Local::now();
    (now.date_naive() - Duration::days(days))
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| midnight.and_local_timezone(Local).earliest())
        .map(|midnight| midnight.with_timezone(&Utc))
        .unwrap_or_else(|| now.with_timezone(&Utc) - Duration::hours(24 * (days + 1)))
}
