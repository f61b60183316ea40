//! Numbers for the dashboard's chart.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

use crate::domain::IssueType;
use crate::error::{Error, FieldErrors};
use crate::sqlstate;

/// How many issues of one type were reported on one day (in the asker's time zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DailyCount {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub day: NaiveDate,
    pub issue_type: IssueType,
    pub count: i64,
}

/// Issues reported per day and type since `since`, oldest day first. Days are counted in
/// `time_zone` (an IANA name such as "Europe/Berlin": the agent's), so the chart's "today"
/// is the agent's today, across daylight-saving changes too. A zone the database does not
/// know is an `Invalid` error for the field `time_zone`.
pub async fn daily_counts(
    db: impl PgExecutor<'_>,
    since: DateTime<Utc>,
    time_zone: &str,
) -> Result<Vec<DailyCount>, Error> {
    sqlx::query_as!(
        DailyCount,
        r#"SELECT (created_at AT TIME ZONE $2)::date AS "day!",
                  issue_type AS "issue_type: IssueType",
                  count(*) AS "count!"
             FROM customer_care
            WHERE created_at >= $1
            GROUP BY 1, 2
            ORDER BY 1, 2"#,
        since,
        time_zone
    )
    .fetch_all(db)
    .await
    .map_err(|error| match &error {
        _ if sqlstate::is(&error, sqlstate::INVALID_PARAMETER_VALUE) => {
            let mut errors = FieldErrors::new();
            errors.add("time_zone", "This time zone is not known to the database.");
            Error::Invalid(errors)
        }
        _ => error.into(),
    })
}
