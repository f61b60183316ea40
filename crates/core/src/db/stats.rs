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

/// How many days the dashboard's rates look back.
pub const RATE_DAYS: i32 = 30;

/// The customers' "Did this solve your problem?" answers of the last [`RATE_DAYS`] days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Satisfaction {
    pub answers: i64,
    pub solved: i64,
    /// The share of "yes", in whole percent; `None` without answers.
    pub percent: Option<i64>,
    /// "83% said it solved their problem (10 of 12, last 30 days)".
    pub summary: String,
}

impl Satisfaction {
    fn of(answers: i64, solved: i64) -> Self {
        let percent = (answers > 0).then(|| (solved * 100 + answers / 2) / answers);
        let summary = match percent {
            None => format!(
                "No answers to \"Did this solve your problem?\" in the last {RATE_DAYS} days"
            ),
            Some(percent) => format!(
                "{percent}% said it solved their problem ({solved} of {answers}, last {RATE_DAYS} days)"
            ),
        };
        Self {
            answers,
            solved,
            percent,
            summary,
        }
    }
}

/// The satisfaction of the last [`RATE_DAYS`] days, counted by the database.
pub async fn satisfaction(db: impl PgExecutor<'_>) -> Result<Satisfaction, Error> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "answers!", count(*) FILTER (WHERE solved) AS "solved!"
             FROM customer_care_satisfaction
            WHERE answered_at >= now() - make_interval(days => $1)"#,
        RATE_DAYS
    )
    .fetch_one(db)
    .await?;
    Ok(Satisfaction::of(row.answers, row.solved))
}

#[cfg(test)]
mod satisfaction_tests {
    use super::*;

    #[test]
    fn the_rate_is_rounded_and_says_how_many_answered() {
        assert_eq!(Satisfaction::of(0, 0).percent, None);
        let rate = Satisfaction::of(12, 10);
        assert_eq!(rate.percent, Some(83));
        assert_eq!(
            rate.summary,
            "83% said it solved their problem (10 of 12, last 30 days)"
        );
        assert_eq!(Satisfaction::of(3, 2).percent, Some(67));
    }
}
