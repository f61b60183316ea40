//! Numbers for the dashboard's chart.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

use crate::domain::IssueType;
use crate::error::Error;

/// How many issues of one type were reported on one (UTC) day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DailyCount {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub day: NaiveDate,
    pub issue_type: IssueType,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: i64,
}

/// Issues reported per day and type since `since`, oldest day first.
pub async fn daily_counts(
    db: impl PgExecutor<'_>,
    since: DateTime<Utc>,
) -> Result<Vec<DailyCount>, Error> {
    Ok(sqlx::query_as!(
        DailyCount,
        r#"SELECT (created_at AT TIME ZONE 'UTC')::date AS "day!",
                  issue_type AS "issue_type: IssueType",
                  count(*) AS "count!"
             FROM customer_care
            WHERE created_at >= $1
            GROUP BY 1, 2
            ORDER BY 1, 2"#,
        since
    )
    .fetch_all(db)
    .await?)
}
