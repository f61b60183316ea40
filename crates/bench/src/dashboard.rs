//! The dashboard's queries at scale, CareDesk's way (core's keyset list with trigram search,
//! kept counters) beside the naive way (ILIKE over the columns, OFFSET paging, counting
//! rows) on a copy of the same rows with only a primary key, in the same run.

use std::future::Future;
use std::time::{Duration, Instant};

use caredesk_core::db::issues;
use caredesk_core::db::list::{self, Cursor, IssueFilter, OwnerFilter};
use caredesk_core::domain::{Priority, Status};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgConnection, PgPool, Row};

use crate::stats::percentile_ms;

const PAGE: i64 = 50;
/// How deep "the next page" is: after this many rows.
const DEEP_ROWS: i64 = 10_000;
/// One issue in this many belongs to the benchmark's agent (its Mine view).
const OWNED_EVERY: i64 = 100;

async fn time<F, Fut, T>(runs: usize, mut f: F) -> Result<(Vec<Duration>, T), String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let mut last = f().await?; // warm the caches
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        last = f().await?;
        samples.push(started.elapsed());
    }
    Ok((samples, last))
}

/// A sample row's facts to search by, and its filters, so every search finds something.
struct Probe {
    name_fragment: String,
    email_fragment: String,
    phone_other_format: String,
    status: Status,
    priority: Priority,
}

async fn probe(conn: &mut PgConnection) -> Result<Probe, String> {
    let row = sqlx::query(
        "SELECT substr(split_part(name, ' ', 2), 1, 5) AS name_fragment,
                split_part(split_part(email, '@', 1), '.', 2) AS email_fragment,
                '+49 151 ' || substr(phone_e164, 7, 6) AS phone_other_format,
                status, priority
           FROM customer_care WHERE phone LIKE '0151 %' ORDER BY id LIMIT 1 OFFSET 1000",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| format!("the database needs seeding first (caredesk-server seed): {e}"))?;
    let text = |column: &str| row.try_get::<String, _>(column).map_err(|e| e.to_string());
    Ok(Probe {
        name_fragment: text("name_fragment")?,
        email_fragment: text("email_fragment")?,
        phone_other_format: text("phone_other_format")?,
        status: Status::parse(&text("status")?).map_err(|e| e.to_string())?,
        priority: Priority::parse(&text("priority")?).map_err(|e| e.to_string())?,
    })
}

async fn ensure_naive_copy(conn: &mut PgConnection) -> Result<(), String> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('customer_care_naive') IS NOT NULL")
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| e.to_string())?;
    if !exists {
        for statement in [
            "CREATE TABLE customer_care_naive AS SELECT * FROM customer_care",
            "ALTER TABLE customer_care_naive ADD PRIMARY KEY (id)",
            "ANALYZE customer_care_naive",
        ] {
            sqlx::query(statement)
                .execute(&mut *conn)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Gives the agent one issue in `OWNED_EVERY` (before the naive copy is made, so both
/// tables hold the same owners); a second run finds them given already.
async fn give_issues_to(conn: &mut PgConnection, agent: &str) -> Result<(), String> {
    sqlx::query("UPDATE customer_care SET owner = $1 WHERE id % $2 = 0 AND owner IS NULL")
        .bind(agent)
        .bind(OWNED_EVERY)
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| format!("{agent} cannot own issues (a CareDesk agent login?): {e}"))
}

struct Measured {
    name: String,
    ours: Vec<Duration>,
    naive: Vec<Duration>,
    note: String,
}

/// `agent`: a CareDesk agent login on the same server, whose Mine view and counts are
/// measured signed in as that agent (as its desktop would ask).
pub async fn run(pool: &PgPool, agent: &str, runs: usize, naive_runs: usize) -> Result<(), String> {
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    give_issues_to(&mut conn, agent).await?;
    // the ownership update above touched every page of the table: vacuumed, as a desk's
    // table is in its steady state, so counts read their indexes alone
    sqlx::query("VACUUM (ANALYZE) customer_care")
        .execute(&mut *conn)
        .await
        .map_err(|e| e.to_string())?;
    ensure_naive_copy(&mut conn).await?;
    let as_agent = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(pool.connect_options().as_ref().clone().username(agent))
        .await
        .map_err(|e| format!("cannot sign in as {agent}: {e}"))?;
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_care")
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| e.to_string())?;
    let p = probe(&mut conn).await?;
    let deep: (DateTime<Utc>, i64) = sqlx::query_as("SELECT created_at, id FROM customer_care ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1")
        .bind(DEEP_ROWS - 1)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| e.to_string())?;
    let deep_cursor = Cursor {
        created_at: deep.0,
        id: deep.1,
    };

    // (name, filter, cursor, asked by the agent rather than the owner)
    let ours_cases: Vec<(String, IssueFilter, Option<Cursor>, bool)> = vec![
        ("first page".into(), IssueFilter::default(), None, false),
        (
            "first page, status open + urgent".into(),
            IssueFilter {
                status: Some(Status::Open),
                priority: Some(Priority::Urgent),
                ..Default::default()
            },
            None,
            false,
        ),
        (
            "Urgent view (urgent, not resolved)".into(),
            IssueFilter {
                priority: Some(Priority::Urgent),
                unresolved: true,
                ..Default::default()
            },
            None,
            false,
        ),
        (
            format!(
                "name fragment \"{}\" + status {}",
                p.name_fragment, p.status
            ),
            IssueFilter {
                status: Some(p.status),
                search: Some(p.name_fragment.clone()),
                ..Default::default()
            },
            None,
            false,
        ),
        (
            format!(
                "email fragment \"{}\" + priority {}",
                p.email_fragment, p.priority
            ),
            IssueFilter {
                priority: Some(p.priority),
                search: Some(p.email_fragment.clone()),
                ..Default::default()
            },
            None,
            false,
        ),
        (
            format!(
                "phone \"{}\" (typed 0151 …) + status + priority",
                p.phone_other_format
            ),
            IssueFilter {
                status: Some(p.status),
                priority: Some(p.priority),
                search: Some(p.phone_other_format.clone()),
                ..Default::default()
            },
            None,
            false,
        ),
        (
            format!("next page by cursor after {DEEP_ROWS} rows"),
            IssueFilter::default(),
            Some(deep_cursor),
            false,
        ),
        (
            "Mine view (the agent's, not resolved)".into(),
            IssueFilter {
                owner: Some(OwnerFilter::Me),
                unresolved: true,
                ..Default::default()
            },
            None,
            true,
        ),
        (
            "Overdue view (past due, no response yet)".into(),
            IssueFilter {
                overdue: true,
                unresolved: true,
                ..Default::default()
            },
            None,
            false,
        ),
    ];
    let naive_sql = [
        "SELECT * FROM customer_care_naive ORDER BY created_at DESC, id DESC LIMIT 50",
        "SELECT * FROM customer_care_naive WHERE status = 'open' AND priority = 'urgent' ORDER BY created_at DESC, id DESC LIMIT 50",
        "SELECT * FROM customer_care_naive WHERE status <> 'resolved' AND priority = 'urgent' ORDER BY created_at DESC, id DESC LIMIT 50",
        "SELECT * FROM customer_care_naive WHERE status = $2 AND (name ILIKE $1 OR email ILIKE $1 OR phone ILIKE $1) ORDER BY created_at DESC, id DESC LIMIT 50",
        "SELECT * FROM customer_care_naive WHERE priority = $3 AND (name ILIKE $1 OR email ILIKE $1 OR phone ILIKE $1) ORDER BY created_at DESC, id DESC LIMIT 50",
        "SELECT * FROM customer_care_naive WHERE status = $2 AND priority = $3 AND (name ILIKE $1 OR email ILIKE $1 OR phone ILIKE $1) ORDER BY created_at DESC, id DESC LIMIT 50",
        "SELECT * FROM customer_care_naive ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET 10000",
        "SELECT * FROM customer_care_naive WHERE owner = $4 AND status <> 'resolved' ORDER BY created_at DESC, id DESC LIMIT 50",
        "SELECT * FROM customer_care_naive WHERE due_at < now() AND first_response_at IS NULL AND status <> 'resolved' ORDER BY created_at DESC, id DESC LIMIT 50",
    ];
    let mut rows = Vec::new();
    for ((name, filter, cursor, by_agent), naive) in ours_cases.into_iter().zip(naive_sql) {
        let asking = if by_agent { &as_agent } else { pool };
        let (ours, found) = time(runs, || {
            let filter = filter.clone();
            async move {
                let pool = asking;
                let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
                list::page(&mut conn, &filter, cursor, PAGE)
                    .await
                    .map(|p| p.issues.len())
                    .map_err(|e| e.to_string())
            }
        })
        .await?;
        let term = format!("%{}%", filter.search.clone().unwrap_or_default());
        let (naive_samples, naive_found) = time(naive_runs, || {
            let term = term.clone();
            async move {
                sqlx::query(naive)
                    .bind(term)
                    .bind(p.status.as_str())
                    .bind(p.priority.as_str())
                    .bind(agent)
                    .fetch_all(pool)
                    .await
                    .map(|rows| rows.len())
                    .map_err(|e| e.to_string())
            }
        })
        .await?;
        rows.push(Measured {
            name,
            ours,
            naive: naive_samples,
            note: format!("{found} rows (naive: {naive_found})"),
        });
    }
    let day_start = Utc::now() - chrono::Duration::hours(24);
    let as_agent = &as_agent;
    let (ours, _) = time(runs, || async move {
        issues::count_row(as_agent, day_start)
            .await
            .map_err(|e| e.to_string())
    })
    .await?;
    let (naive, _) = time(naive_runs, || {
        async move {
            sqlx::query(
                "SELECT count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE status = 'in-progress'),
                        count(*) FILTER (WHERE status <> 'resolved' AND priority = 'urgent'),
                        count(*) FILTER (WHERE resolved_at >= $1), count(*),
                        count(*) FILTER (WHERE owner = $2 AND status <> 'resolved'),
                        count(*) FILTER (WHERE due_at < now() AND first_response_at IS NULL AND status <> 'resolved')
                   FROM customer_care_naive",
            )
            .bind(day_start)
            .bind(agent)
            .fetch_one(pool)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
        }
    })
    .await?;
    rows.push(Measured {
        name:
            "counts (open, in progress, urgent, resolved today, total, mine, overdue), as the agent"
                .into(),
        ours,
        naive,
        note: String::new(),
    });

    println!("Dashboard at {total} issues ({runs} runs each; naive {naive_runs} runs each)\n");
    println!("| query | p50 ms | p95 ms | naive p50 ms | naive p95 ms | faster (p50) | rows |");
    println!("|---|---:|---:|---:|---:|---:|---|");
    for row in rows {
        let (p50, p95) = (
            percentile_ms(&row.ours, 50.0),
            percentile_ms(&row.ours, 95.0),
        );
        let (n50, n95) = (
            percentile_ms(&row.naive, 50.0),
            percentile_ms(&row.naive, 95.0),
        );
        println!(
            "| {} | {p50:.2} | {p95:.2} | {n50:.1} | {n95:.1} | {:.0}× | {} |",
            row.name,
            n50 / p50,
            row.note
        );
    }
    Ok(())
}
