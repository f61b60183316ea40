//! Numbers for the dashboard's chart.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

use crate::domain::IssueType;
use crate::error::Error;

/// How many issues of one type were reported on one day (in the asker's time zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DailyCount {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub day: NaiveDate,
    pub issue_type: IssueType,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: i64,
}

/// Issues reported per day and type since `since`, oldest day first. Days are counted in
/// the time zone `utc_offset_seconds` east of UTC (the agent's), so the chart's "today"
/// is the agent's today.
pub async fn daily_counts(
    db: impl PgExecutor<'_>,
    since: DateTime<Utc>,
    utc_offset_seconds: i32,
) -> Result<Vec<DailyCount>, Error> {
    Ok(sqlx::query_as!(
        DailyCount,
        r#"SELECT ((created_at AT TIME ZONE 'UTC') + make_interval(secs => $2))::date AS "day!",
                  issue_type AS "issue_type: IssueType",
                  count(*) AS "count!"
             FROM customer_care
            WHERE created_at >= $1
            GROUP BY 1, 2
            ORDER BY 1, 2"#,
        since,
        f64::from(utc_offset_seconds)
    )
    .fetch_all(db)
    .await?)
}
