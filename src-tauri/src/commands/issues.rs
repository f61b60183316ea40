//! The seed's admin screens as commands: the views (list and counts), the chart, the
//! detail, respond/update, owners (take, hand over), internal notes, delete.

use caredesk_core::agents;
use caredesk_core::db::history::{self, Duplicates, OtherIssue};
use caredesk_core::db::stats::{self, DailyCount, ResponseTimes, Satisfaction};
use caredesk_core::db::{Issue, IssueUpdate, events, issues, merge, shop};
use caredesk_core::desk::outcome::{self, Saved};
use caredesk_core::desk::timeline::Event;
use caredesk_core::desk::view::{self, Today, ViewCount, ViewPage, ViewQuery};
use caredesk_core::domain::links::ContactLinks;
use caredesk_core::domain::text::Note;
use caredesk_core::domain::{Priority, Response, Status};
use caredesk_core::photos::{self, PhotoInfo};
use chrono::{DateTime, Duration, Local, Utc};
use serde::Serialize;
use sqlx::PgPool;
use tauri::{AppHandle, Runtime};

use crate::error::CommandError;
use crate::session;

const MAX_CHART_DAYS: i64 = 90;
const UTC: &str = "UTC";

/// An issue with its timeline and ready-made contact links.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct IssueDetail {
    pub issue: Issue,
    pub timeline: Vec<Event>,
    pub links: ContactLinks,
    /// The customer's other issues, newest first.
    pub history: Vec<OtherIssue>,
    /// Possible duplicates marked at intake, both ways.
    pub duplicates: Duplicates,
    /// The shop's own page for the issue's order, when the profile gives one.
    pub order_page: Option<String>,
    /// Whether a mailer is delivering: a response can then be emailed to the customer.
    pub mail_available: bool,
    /// The customers' photos (of the issues merged into it too), as thumbnails.
    pub photos: Vec<PhotoInfo>,
}

/// An issue after the agent's change, and what to tell the agent about it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct IssueUpdated {
    pub detail: IssueDetail,
    /// Exactly what happened ("Response saved; not emailed (no mail server configured)").
    pub said: String,
}

pub async fn list_issues<R: Runtime>(
    app: &AppHandle<R>,
    query: ViewQuery,
) -> Result<ViewPage, CommandError> {
    let pool = session::state(app).pool().await?;
    let mut conn = pool.acquire().await.map_err(caredesk_core::Error::from)?;
    Ok(view::page(&mut conn, &query, local_today()).await?)
}

pub async fn view_counts<R: Runtime>(app: &AppHandle<R>) -> Result<Vec<ViewCount>, CommandError> {
    let pool = session::state(app).pool().await?;
    let mut conn = pool.acquire().await.map_err(caredesk_core::Error::from)?;
    Ok(view::counts(&mut conn, local_today()).await?)
}

pub async fn daily_counts<R: Runtime>(
    app: &AppHandle<R>,
    days: i64,
) -> Result<Vec<DailyCount>, CommandError> {
    let pool = session::state(app).pool().await?;
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

/// The customers' satisfaction of the last 30 days, for the dashboard.
pub async fn satisfaction<R: Runtime>(app: &AppHandle<R>) -> Result<Satisfaction, CommandError> {
    let pool = session::state(app).pool().await?;
    Ok(stats::satisfaction(&pool).await?)
}

/// How the response promise was kept in the last 30 days, for the dashboard.
pub async fn response_times<R: Runtime>(app: &AppHandle<R>) -> Result<ResponseTimes, CommandError> {
    let pool = session::state(app).pool().await?;
    Ok(stats::response_times(&pool).await?)
}

pub async fn get_issue<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
) -> Result<IssueDetail, CommandError> {
    let pool = session::state(app).pool().await?;
    let issue = issues::get_by_id(&pool, id).await?;
    with_timeline(&pool, issue).await
}

/// Changes status, priority and/or the response of the issue the agent saw at `seen`;
/// with `email`, the customer is emailed what the change says (while a mailer delivers).
pub async fn update_issue<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
    seen: DateTime<Utc>,
    status: Option<Status>,
    priority: Option<Priority>,
    response: Option<String>,
    email: bool,
) -> Result<IssueUpdated, CommandError> {
    let response = match response {
        Some(text) => Some(
            Response::parse(&text)
                .map_err(|e| CommandError::invalid_field("response", &e.to_string()))?,
        ),
        None => None,
    };
    let pool = session::state(app).pool().await?;
    let mut conn = pool.acquire().await.map_err(caredesk_core::Error::from)?;
    // "reopened" or "set to open" depends on where it came from
    let before = match status {
        Some(Status::Open) => Some(issues::get_by_id(&mut *conn, id).await?.status),
        _ => None,
    };
    let responded = response.is_some();
    let (issue, emailed) = issues::update_emailing(
        &mut conn,
        id,
        &IssueUpdate {
            seen,
            status,
            priority,
            response,
            email,
        },
    )
    .await?;
    drop(conn);
    let detail = with_timeline(&pool, issue).await?;
    let said = Saved {
        id,
        responded,
        status: status.map(|to| (before.unwrap_or(to), to)),
        priority,
        email_asked: email,
        emailed,
        mail_available: detail.mail_available,
    }
    .sentence();
    Ok(IssueUpdated { detail, said })
}

/// Takes the issue the agent saw at `seen`: the agent becomes its owner, and an open issue
/// goes in progress.
pub async fn take_issue<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
    seen: DateTime<Utc>,
) -> Result<IssueUpdated, CommandError> {
    let me = session::state(app).agent().await?.user;
    change_owner(app, id, seen, Some(me.clone()), &me, true).await
}

/// Hands the issue the agent saw at `seen` to another agent, or to nobody (`None`).
pub async fn assign_issue<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
    seen: DateTime<Utc>,
    owner: Option<String>,
) -> Result<IssueUpdated, CommandError> {
    let me = session::state(app).agent().await?.user;
    change_owner(app, id, seen, owner, &me, false).await
}

/// The agents an issue can be handed to, by login.
pub async fn list_agents<R: Runtime>(app: &AppHandle<R>) -> Result<Vec<String>, CommandError> {
    let pool = session::state(app).pool().await?;
    Ok(agents::logins(&pool).await?)
}

async fn change_owner<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
    seen: DateTime<Utc>,
    owner: Option<String>,
    me: &str,
    take: bool,
) -> Result<IssueUpdated, CommandError> {
    let pool = session::state(app).pool().await?;
    let mut conn = pool.acquire().await.map_err(caredesk_core::Error::from)?;
    let before = issues::get_by_id(&mut *conn, id).await?.status;
    let issue = issues::assign(&mut conn, id, seen, owner.as_deref(), take).await?;
    drop(conn);
    let said = outcome::assigned(
        id,
        issue.owner.as_deref(),
        me,
        before != issue.status && issue.status == Status::InProgress,
    );
    let detail = with_timeline(&pool, issue).await?;
    Ok(IssueUpdated { detail, said })
}

/// Adds an internal note to an issue: on the timeline for agents, never for the customer.
pub async fn add_note<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
    text: String,
) -> Result<IssueUpdated, CommandError> {
    let note =
        Note::parse(&text).map_err(|e| CommandError::invalid_field("note", &e.to_string()))?;
    let pool = session::state(app).pool().await?;
    events::add_note(&pool, id, &note).await?;
    let issue = issues::get_by_id(&pool, id).await?;
    let detail = with_timeline(&pool, issue).await?;
    Ok(IssueUpdated {
        detail,
        said: outcome::note_added(id),
    })
}

/// Merges issue `id` into `into` and returns the kept issue. Two customers' issues are
/// merged only with `other_customer` (the agent confirmed they are one person).
pub async fn merge_issue<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
    into: i64,
    other_customer: bool,
) -> Result<IssueUpdated, CommandError> {
    let pool = session::state(app).pool().await?;
    let merged = merge::merge(&pool, id, into, other_customer).await?;
    let kept = issues::get_by_id(&pool, into).await?;
    let detail = with_timeline(&pool, kept).await?;
    Ok(IssueUpdated {
        detail,
        said: outcome::merged(id, into, merged.same_customer),
    })
}

/// Deletes a resolved issue (admins only: the database refuses anyone else).
pub async fn delete_issue<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
    seen: DateTime<Utc>,
) -> Result<(), CommandError> {
    let pool = session::state(app).pool().await?;
    let mut conn = pool.acquire().await.map_err(caredesk_core::Error::from)?;
    Ok(issues::delete(&mut conn, id, seen).await?)
}

/// The detail view of an issue just read: its timeline and contact links added.
async fn with_timeline(pool: &PgPool, issue: Issue) -> Result<IssueDetail, CommandError> {
    let timeline = events::timeline(pool, issue.id).await?;
    let mail_available = issues::mail_available(pool).await?;
    let links =
        ContactLinks::for_issue(&issue, issue.admin_response.as_deref().unwrap_or_default());
    let history = history::of_customer(pool, &issue).await?;
    let duplicates = history::duplicates(pool, issue.id).await?;
    let photos = photos::of_issue(pool, issue.id).await?;
    let order_page = match &issue.order_id {
        Some(order_id) => shop::order_link(pool)
            .await?
            .map(|link| link.for_order(order_id)),
        None => None,
    };
    Ok(IssueDetail {
        issue,
        timeline,
        links,
        history,
        duplicates,
        order_page,
        mail_available,
        photos,
    })
}

/// The agent's local day ("resolved today" means the agent's today).
fn local_today() -> Today {
    Today {
        starts_at: start_of_local_day_before(0),
    }
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
