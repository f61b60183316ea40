//! The chart's numbers: issues per day and type, in the agent's time zone.

use caredesk_core::db::stats::{self, DailyCount};
use caredesk_core::domain::IssueType;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;

use crate::helpers::add_simple;

async fn reported_at(pool: &PgPool, id: i64, at: &str) {
    sqlx::query("UPDATE customer_care SET created_at = $2::timestamptz WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(pool)
        .await
        .unwrap();
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn days_are_counted_in_the_agents_time_zone(pool: PgPool) {
    let late = add_simple(&pool, "Late Evening").await;
    let early = add_simple(&pool, "Early Morning").await;
    reported_at(&pool, late, "2026-03-01 23:30:00+00").await;
    reported_at(&pool, early, "2026-03-02 08:00:00+00").await;
    let since: DateTime<Utc> = "2026-02-28T00:00:00Z".parse().unwrap();
    let counted = |counts: Vec<DailyCount>| -> Vec<(NaiveDate, i64)> {
        counts
            .into_iter()
            .inspect(|c| assert_eq!(c.issue_type, IssueType::NotReceived))
            .map(|c| (c.day, c.count))
            .collect()
    };

    let in_utc = counted(stats::daily_counts(&pool, since, 0).await.unwrap());
    assert_eq!(in_utc, [(day("2026-03-01"), 1), (day("2026-03-02"), 1)]);
    // in Berlin (UTC+1) 23:30 UTC is already the next day
    let in_berlin = counted(stats::daily_counts(&pool, since, 3600).await.unwrap());
    assert_eq!(in_berlin, [(day("2026-03-02"), 2)]);
    // in New York (UTC-5) both are on the earlier local day of each
    let in_new_york = counted(stats::daily_counts(&pool, since, -5 * 3600).await.unwrap());
    assert_eq!(
        in_new_york,
        [(day("2026-03-01"), 1), (day("2026-03-02"), 1)]
    );
}
