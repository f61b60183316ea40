//! Numbers for the dashboard's chart.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

use crate::desk::timeline::duration_words;
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

/// How the shop kept its response promise over the last [`RATE_DAYS`] days: first
/// responses given in that time (how many within their due time), and how long first
/// responses and resolutions took (median and 90th percentile, in seconds, from the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ResponseTimes {
    pub answered: i64,
    pub within_promise: i64,
    /// The share within the promise, in whole percent; `None` without first responses.
    pub percent: Option<i64>,
    pub first_response_median: Option<i64>,
    pub first_response_p90: Option<i64>,
    pub resolved: i64,
    pub resolution_median: Option<i64>,
    pub resolution_p90: Option<i64>,
    /// "92% answered within the promise (46 of 50, last 30 days)".
    pub promise_summary: String,
    /// "First response: half within 2 h 5 min, 90% within 9 h".
    pub first_response_summary: String,
    /// "Resolution: half within 1 d 2 h, 90% within 3 d".
    pub resolution_summary: String,
}

impl ResponseTimes {
    fn spread(what: &str, median: Option<i64>, p90: Option<i64>) -> String {
        match (median, p90) {
            (Some(median), Some(p90)) => format!(
                "{what}: half within {}, 90% within {}",
                duration_words(median),
                duration_words(p90)
            ),
            _ => format!("{what}: none in the last {RATE_DAYS} days"),
        }
    }
}

/// The response times of the last [`RATE_DAYS`] days, computed by the database.
pub async fn response_times(db: impl PgExecutor<'_>) -> Result<ResponseTimes, Error> {
    let row = sqlx::query!(
        r#"WITH answered AS (
               SELECT extract(epoch FROM first_response_at - created_at) AS took,
                      due_at IS NULL OR first_response_at <= due_at AS kept
                 FROM customer_care
                WHERE first_response_at >= now() - make_interval(days => $1)),
           resolved AS (
               SELECT extract(epoch FROM resolved_at - created_at) AS took
                 FROM customer_care
                WHERE resolved_at >= now() - make_interval(days => $1))
           SELECT (SELECT count(*) FROM answered) AS "answered!",
                  (SELECT count(*) FILTER (WHERE kept) FROM answered) AS "within!",
                  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY took) FROM answered)::bigint AS "first_median",
                  (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY took) FROM answered)::bigint AS "first_p90",
                  (SELECT count(*) FROM resolved) AS "resolved!",
                  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY took) FROM resolved)::bigint AS "resolution_median",
                  (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY took) FROM resolved)::bigint AS "resolution_p90""#,
        RATE_DAYS
    )
    .fetch_one(db)
    .await?;
    let percent = (row.answered > 0).then(|| (row.within * 100 + row.answered / 2) / row.answered);
    let promise_summary = match percent {
        None => format!("No first responses in the last {RATE_DAYS} days"),
        Some(percent) => format!(
            "{percent}% answered within the promise ({} of {}, last {RATE_DAYS} days)",
            row.within, row.answered
        ),
    };
    Ok(ResponseTimes {
        answered: row.answered,
        within_promise: row.within,
        percent,
        first_response_median: row.first_median,
        first_response_p90: row.first_p90,
        resolved: row.resolved,
        resolution_median: row.resolution_median,
        resolution_p90: row.resolution_p90,
        promise_summary,
        first_response_summary: ResponseTimes::spread(
            "First response",
            row.first_median,
            row.first_p90,
        ),
        resolution_summary: ResponseTimes::spread(
            "Resolution",
            row.resolution_median,
            row.resolution_p90,
        ),
    })
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
