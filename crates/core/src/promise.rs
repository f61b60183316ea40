//! The shop's response promise as the database keeps it: hours per priority, counted in
//! clock hours or in opening hours (the shop's week in its time zone, public holidays
//! closed). The database computes each issue's due time from it (`caredesk_due_at`, on
//! intake and on a priority change); this module reads the promise from the shop profile,
//! checks it, and writes it as the schema's owner.

use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use sqlx::{Acquire, PgConnection};

use crate::error::{Error, FieldErrors};

/// The longest promise: a year.
pub const MAX_PROMISE_HOURS: u32 = 8760;

/// An unanswered issue due within this many minutes is shown as due soon (amber).
pub const DUE_SOON_MINUTES: u32 = 120;

/// How the hours of a promise are counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Counting {
    /// Every hour of the clock, day and night.
    #[default]
    #[serde(rename = "clock hours")]
    ClockHours,
    /// Only while the shop is open: a report on Saturday evening is due on Tuesday morning
    /// when the shop is closed on Sunday and Monday.
    #[serde(rename = "opening hours")]
    OpeningHours,
}

/// The `[promise]` table of the shop profile, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromiseSettings {
    /// Hours for a high-priority report (the profile's `response_hours` when absent).
    pub high_hours: Option<u32>,
    /// Hours for an urgent report (the profile's `response_hours` when absent).
    pub urgent_hours: Option<u32>,
    /// The shop's IANA time zone ("Europe/Berlin"); UTC when absent.
    pub time_zone: Option<String>,
    #[serde(default)]
    pub counted_in: Counting,
    /// Closed days, "2026-12-25".
    #[serde(default)]
    pub holidays: Vec<String>,
    /// When the shop is open, per weekday: "09:00-18:00", "09:00-12:30, 13:30-18:00";
    /// a day left out is closed.
    #[serde(default)]
    pub open: Week,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Week {
    pub monday: Option<String>,
    pub tuesday: Option<String>,
    pub wednesday: Option<String>,
    pub thursday: Option<String>,
    pub friday: Option<String>,
    pub saturday: Option<String>,
    pub sunday: Option<String>,
}

impl Week {
    fn days(&self) -> [(Weekday, &Option<String>); 7] {
        [
            (Weekday::Mon, &self.monday),
            (Weekday::Tue, &self.tuesday),
            (Weekday::Wed, &self.wednesday),
            (Weekday::Thu, &self.thursday),
            (Weekday::Fri, &self.friday),
            (Weekday::Sat, &self.saturday),
            (Weekday::Sun, &self.sunday),
        ]
    }
}

/// One stretch of a weekday when the shop is open, in minutes after local midnight
/// (`closes` may be 1440, midnight at the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub weekday: Weekday,
    pub opens: u16,
    pub closes: u16,
}

/// A checked promise, ready for the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    pub normal_hours: u32,
    pub high_hours: u32,
    pub urgent_hours: u32,
    pub time_zone: String,
    pub counted_in: Counting,
    pub week: Vec<Span>,
    pub holidays: Vec<NaiveDate>,
}

impl Default for Promise {
    /// The promise before any profile is applied: 24 clock hours in UTC.
    fn default() -> Self {
        Self {
            normal_hours: 24,
            high_hours: 24,
            urgent_hours: 24,
            time_zone: "UTC".into(),
            counted_in: Counting::ClockHours,
            week: Vec::new(),
            holidays: Vec::new(),
        }
    }
}

impl PromiseSettings {
    /// The promise of a profile whose customers read "we answer within `response_hours`
    /// hours"; what is wrong, with the profile key to fix, when it cannot be kept.
    pub fn promise(&self, response_hours: u32) -> Result<Promise, String> {
        let hours = |key: &str, value: u32| {
            if (1..=MAX_PROMISE_HOURS).contains(&value) {
                Ok(value)
            } else {
                Err(format!(
                    "{key}: {value} is not a number of hours from 1 to {MAX_PROMISE_HOURS}"
                ))
            }
        };
        let normal_hours = hours("response_hours", response_hours)?;
        let high_hours = hours(
            "promise.high_hours",
            self.high_hours.unwrap_or(normal_hours),
        )?;
        let urgent_hours = hours(
            "promise.urgent_hours",
            self.urgent_hours.unwrap_or(normal_hours),
        )?;
        let time_zone = match self.time_zone.as_deref().map(str::trim) {
            None => "UTC".to_owned(),
            Some("") => {
                return Err("promise.time_zone: name a time zone such as \"Europe/Berlin\"".into());
            }
            Some(zone) => zone.to_owned(),
        };
        let mut week = Vec::new();
        for (weekday, text) in self.open.days() {
            if let Some(text) = text {
                let spans = parse_day(text)
                    .map_err(|reason| format!("promise.open.{}: {reason}", day_key(weekday)))?;
                week.extend(spans.into_iter().map(|(opens, closes)| Span {
                    weekday,
                    opens,
                    closes,
                }));
            }
        }
        if self.counted_in == Counting::OpeningHours && week.is_empty() {
            return Err(
                "promise.counted_in: \"opening hours\" needs the hours in [promise.open]".into(),
            );
        }
        let mut holidays = Vec::new();
        for day in &self.holidays {
            let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| {
                format!("promise.holidays: \"{day}\" is not a date such as 2026-12-25")
            })?;
            holidays.push(date);
        }
        // in the order the database gives them back, so a promise compares equal to itself
        holidays.sort();
        holidays.dedup();
        Ok(Promise {
            normal_hours,
            high_hours,
            urgent_hours,
            time_zone,
            counted_in: self.counted_in,
            week,
            holidays,
        })
    }
}

fn day_key(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// "09:00-12:30, 13:30-18:00" as minute spans, in order and apart; "closed" or "" is none.
fn parse_day(text: &str) -> Result<Vec<(u16, u16)>, String> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("closed") {
        return Ok(Vec::new());
    }
    let mut spans: Vec<(u16, u16)> = Vec::new();
    for part in text.split(',') {
        let (opens, closes) = part
            .split_once('-')
            .ok_or_else(|| format!("\"{}\" is not a span such as 09:00-18:00", part.trim()))?;
        let (opens, closes) = (parse_clock(opens)?, parse_clock(closes)?);
        if opens >= closes {
            return Err(format!("\"{}\" closes before it opens", part.trim()));
        }
        if spans.last().is_some_and(|&(_, end)| end > opens) {
            return Err(format!(
                "\"{}\" overlaps or precedes the span before it",
                part.trim()
            ));
        }
        spans.push((opens, closes));
    }
    Ok(spans)
}

/// "09:00" (or "24:00", the day's end) as minutes after midnight.
fn parse_clock(text: &str) -> Result<u16, String> {
    let text = text.trim();
    let bad = || format!("\"{text}\" is not a time such as 09:00");
    let (hours, minutes) = text.split_once(':').ok_or_else(bad)?;
    let (hours, minutes): (u16, u16) = (
        hours.parse().map_err(|_| bad())?,
        minutes.parse().map_err(|_| bad())?,
    );
    if minutes >= 60 || hours > 24 || (hours == 24 && minutes > 0) || text.len() != 5 {
        return Err(bad());
    }
    Ok(hours * 60 + minutes)
}

fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Makes `promise` the database's (as the schema's owner), in one transaction: issues
/// reported from now on are due by it. A time zone PostgreSQL does not know is refused.
pub async fn apply(db: &mut PgConnection, promise: &Promise) -> Result<(), Error> {
    let mut tx = db.begin().await?;
    let known_zone = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS "known!""#,
        promise.time_zone
    )
    .fetch_one(&mut *tx)
    .await?;
    if !known_zone {
        let mut errors = FieldErrors::new();
        errors.add(
            "promise.time_zone",
            format!(
                "\"{}\" is not a time zone PostgreSQL knows (use a name such as \"Europe/Berlin\")",
                promise.time_zone
            ),
        );
        return Err(Error::Invalid(errors));
    }
    sqlx::query!(
        r#"UPDATE caredesk_promise
              SET normal_hours = $1, high_hours = $2, urgent_hours = $3, time_zone = $4,
                  in_opening_hours = $5"#,
        promise.normal_hours as i32,
        promise.high_hours as i32,
        promise.urgent_hours as i32,
        promise.time_zone,
        promise.counted_in == Counting::OpeningHours,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM caredesk_opening_hours")
        .execute(&mut *tx)
        .await?;
    let weekdays: Vec<i16> = promise
        .week
        .iter()
        .map(|s| s.weekday.number_from_monday() as i16)
        .collect();
    let opens: Vec<String> = promise.week.iter().map(|s| clock(s.opens)).collect();
    let closes: Vec<String> = promise.week.iter().map(|s| clock(s.closes)).collect();
    sqlx::query!(
        r#"INSERT INTO caredesk_opening_hours (weekday, opens, closes)
           SELECT w, o::time, c::time FROM unnest($1::smallint[], $2::text[], $3::text[]) AS s(w, o, c)"#,
        &weekdays,
        &opens,
        &closes,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM caredesk_holiday")
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "INSERT INTO caredesk_holiday (day) SELECT unnest($1::date[])",
        &promise.holidays,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The promise the database holds now.
pub async fn current(db: &mut PgConnection) -> Result<Promise, Error> {
    let row = sqlx::query!(
        r#"SELECT normal_hours, high_hours, urgent_hours, time_zone, in_opening_hours
             FROM caredesk_promise"#
    )
    .fetch_optional(&mut *db)
    .await?;
    let Some(row) = row else {
        return Ok(Promise::default());
    };
    let week = sqlx::query!(
        r#"SELECT weekday, (extract(epoch FROM opens) / 60)::int AS "opens!",
                  (extract(epoch FROM closes) / 60)::int AS "closes!"
             FROM caredesk_opening_hours ORDER BY weekday, opens"#
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .filter_map(|span| {
        Some(Span {
            weekday: Weekday::try_from(u8::try_from(span.weekday - 1).ok()?).ok()?,
            opens: u16::try_from(span.opens).ok()?,
            closes: u16::try_from(span.closes).ok()?,
        })
    })
    .collect();
    let holidays = sqlx::query_scalar!("SELECT day FROM caredesk_holiday ORDER BY day")
        .fetch_all(&mut *db)
        .await?;
    let hours = |h: i32| u32::try_from(h).unwrap_or(24);
    Ok(Promise {
        normal_hours: hours(row.normal_hours),
        high_hours: hours(row.high_hours),
        urgent_hours: hours(row.urgent_hours),
        time_zone: row.time_zone,
        counted_in: if row.in_opening_hours {
            Counting::OpeningHours
        } else {
            Counting::ClockHours
        },
        week,
        holidays,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_spans_in_order_and_apart() {
        assert_eq!(parse_day("09:00-18:00"), Ok(vec![(540, 1080)]));
        assert_eq!(
            parse_day(" 09:00 - 12:30 , 13:30-24:00 "),
            Ok(vec![(540, 750), (810, 1440)])
        );
        assert_eq!(parse_day("closed"), Ok(vec![]));
        assert!(
            parse_day("18:00-09:00")
                .unwrap_err()
                .contains("closes before")
        );
        assert!(
            parse_day("09:00-13:00, 12:00-18:00")
                .unwrap_err()
                .contains("overlaps")
        );
        for bad in ["9-5", "09:00", "09:60-10:00", "24:30-25:00", "9:00-17:00"] {
            assert!(parse_day(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_promise_takes_the_profiles_hours_for_what_it_leaves_out() {
        let promise = PromiseSettings::default().promise(24).unwrap();
        assert_eq!(promise, Promise::default());
        let shorter = PromiseSettings {
            urgent_hours: Some(4),
            ..PromiseSettings::default()
        }
        .promise(48)
        .unwrap();
        assert_eq!(
            (
                shorter.normal_hours,
                shorter.high_hours,
                shorter.urgent_hours
            ),
            (48, 48, 4)
        );
    }

    #[test]
    fn a_promise_that_cannot_be_kept_names_the_key_to_fix() {
        let zero = PromiseSettings {
            urgent_hours: Some(0),
            ..PromiseSettings::default()
        };
        assert!(
            zero.promise(24)
                .unwrap_err()
                .starts_with("promise.urgent_hours")
        );
        assert!(
            PromiseSettings::default()
                .promise(0)
                .unwrap_err()
                .starts_with("response_hours")
        );
        let no_hours = PromiseSettings {
            counted_in: Counting::OpeningHours,
            ..PromiseSettings::default()
        };
        assert!(
            no_hours
                .promise(24)
                .unwrap_err()
                .starts_with("promise.counted_in")
        );
        let bad_day = PromiseSettings {
            holidays: vec!["25.12.2026".into()],
            ..PromiseSettings::default()
        };
        assert!(
            bad_day
                .promise(24)
                .unwrap_err()
                .starts_with("promise.holidays")
        );
        let bad_span = PromiseSettings {
            open: Week {
                friday: Some("nine to five".into()),
                ..Week::default()
            },
            ..PromiseSettings::default()
        };
        assert!(
            bad_span
                .promise(24)
                .unwrap_err()
                .starts_with("promise.open.friday")
        );
    }
}
