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
    reported_at(&pool, early, "2026-03-02 03:00:00+00").await;
    let since: DateTime<Utc> = "2026-02-28T00:00:00Z".parse().unwrap();
    let days_in = async |zone: &str| -> Vec<(NaiveDate, i64)> {
        stats::daily_counts(&pool, since, zone)
            .await
            .unwrap()
            .into_iter()
            .inspect(|c: &DailyCount| assert_eq!(c.issue_type, IssueType::NotReceived))
            .map(|c| (c.day, c.count))
            .collect()
    };
    assert_eq!(
        days_in("UTC").await,
        [(day("2026-03-01"), 1), (day("2026-03-02"), 1)]
    );
    // in Berlin (UTC+1) 23:30 UTC is already the next day
    assert_eq!(days_in("Europe/Berlin").await, [(day("2026-03-02"), 2)]);
    // in New York (UTC-5) 03:00 UTC is still the evening before
    assert_eq!(days_in("America/New_York").await, [(day("2026-03-01"), 2)]);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn daylight_saving_time_moves_the_day_boundary(pool: PgPool) {
    // Berlin is UTC+1 in winter and UTC+2 in summer: 22:30 UTC is the next day only in summer
    let winter = add_simple(&pool, "Winter Evening").await;
    let summer = add_simple(&pool, "Summer Evening").await;
    reported_at(&pool, winter, "2026-03-20 22:30:00+00").await;
    reported_at(&pool, summer, "2026-04-10 22:30:00+00").await;
    let since: DateTime<Utc> = "2026-03-01T00:00:00Z".parse().unwrap();
    let days: Vec<NaiveDate> = stats::daily_counts(&pool, since, "Europe/Berlin")
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.day)
        .collect();
    assert_eq!(days, [day("2026-03-20"), day("2026-04-11")]);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_unknown_time_zone_is_refused_clearly(pool: PgPool) {
    add_simple(&pool, "Some Customer").await;
    let since: DateTime<Utc> = "2000-01-01T00:00:00Z".parse().unwrap();
    match stats::daily_counts(&pool, since, "Mars/Olympus_Mons").await {
        Err(caredesk_core::Error::Invalid(errors)) => {
            assert!(format!("{errors:?}").contains("time_zone"))
        }
        other => panic!("expected an Invalid error, got {other:?}"),
    }
}
