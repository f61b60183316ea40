//! The response promise as a timer: the opening-hours arithmetic of `caredesk_due_at`
//! (weekends, holidays, time zones, daylight saving), the due time set on intake and on a
//! priority change, the first response that stops the timer and says on the timeline
//! whether it met the promise, the Overdue view and its count, and the dashboard's times.

use caredesk_core::Error;
use caredesk_core::db::{events, issues, stats};
use caredesk_core::desk::timeline::Change;
use caredesk_core::desk::view::{self, Filters, Today, View, ViewQuery};
use caredesk_core::domain::{Priority, Response};
use caredesk_core::promise::{self, Counting, Promise, PromiseSettings, Week};
use chrono::{DateTime, Utc};
use sqlx::{Connection, PgConnection, PgPool};

use crate::helpers::{add_simple, connect_as, drop_login, login};

/// The example shop's week: Tuesday to Friday 09:00–18:00, Saturday 10:00–14:00, closed
/// on Sunday and Monday, in `zone`, counted in opening hours.
fn shop_week(zone: &str, holidays: &[&str]) -> Promise {
    let day = Some("09:00-18:00".to_owned());
    PromiseSettings {
        high_hours: Some(9),
        urgent_hours: Some(4),
        time_zone: Some(zone.into()),
        counted_in: Counting::OpeningHours,
        holidays: holidays.iter().map(|d| (*d).to_owned()).collect(),
        open: Week {
            tuesday: day.clone(),
            wednesday: day.clone(),
            thursday: day.clone(),
            friday: day,
            saturday: Some("10:00-14:00".into()),
            ..Week::default()
        },
    }
    .promise(24)
    .unwrap()
}

async fn apply(pool: &PgPool, promise: &Promise) {
    let mut db = pool.acquire().await.unwrap();
    promise::apply(&mut db, promise).await.unwrap();
}

/// When a report made at `from` (local time in `zone`) is due, in the same local time.
async fn due(pool: &PgPool, from: &str, zone: &str, priority: &str) -> Option<String> {
    sqlx::query_scalar::<_, Option<String>>(
        "SELECT to_char(caredesk_due_at(($1::timestamp AT TIME ZONE $2), $3) AT TIME ZONE $2,
                        'Dy YYYY-MM-DD HH24:MI')",
    )
    .bind(from)
    .bind(zone)
    .bind(priority)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn opening_hours_skip_closed_days_holidays_and_the_night(pool: PgPool) {
    let berlin = "Europe/Berlin";
    apply(&pool, &shop_week(berlin, &["2026-12-25"])).await;
    let cases = [
        // Saturday evening, closed Sunday and Monday: 9 h Tue + 9 h Wed + 6 h Thu
        ("2026-12-05 20:00", "normal", "Thu 2026-12-10 15:00"),
        // Saturday noon: 2 h on Saturday, then 2 h on Tuesday
        ("2026-12-05 12:00", "urgent", "Tue 2026-12-08 11:00"),
        // before opening: counting starts when the shop opens
        ("2026-12-08 06:30", "urgent", "Tue 2026-12-08 13:00"),
        // exactly the hours left in the day: due at closing time
        ("2026-12-08 09:00", "high", "Tue 2026-12-08 18:00"),
        // Thursday 16:00: 2 h Thursday, Friday the 25th is a holiday, 2 h Saturday
        ("2026-12-24 16:00", "urgent", "Sat 2026-12-26 12:00"),
        // Monday (closed) counts from Tuesday's opening
        ("2026-12-07 10:00", "urgent", "Tue 2026-12-08 13:00"),
    ];
    for (from, priority, expected) in cases {
        assert_eq!(
            due(&pool, from, berlin, priority).await.as_deref(),
            Some(expected),
            "{priority} report at {from}"
        );
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_week_is_the_shops_own_time_zone(pool: PgPool) {
    // 09:00 in New York is 15:00 in Berlin: a report at 14:00 Berlin time on a Tuesday
    // waits for New York's opening, and is due 4 opening hours later
    apply(&pool, &shop_week("America/New_York", &[])).await;
    assert_eq!(
        due(&pool, "2026-12-08 14:00", "Europe/Berlin", "urgent")
            .await
            .as_deref(),
        Some("Tue 2026-12-08 19:00")
    );
    assert_eq!(
        due(&pool, "2026-12-08 14:00", "America/New_York", "urgent")
            .await
            .as_deref(),
        Some("Tue 2026-12-08 18:00"),
        "and 14:00 in New York has 4 hours left that day"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn daylight_saving_days_count_the_hours_the_clock_really_has(pool: PgPool) {
    let berlin = "Europe/Berlin";
    let mut always_open = shop_week(berlin, &[]);
    always_open.week = (1..=7)
        .map(|n| promise::Span {
            weekday: chrono::Weekday::try_from(n - 1).unwrap(),
            opens: 0,
            closes: 24 * 60,
        })
        .collect();
    apply(&pool, &always_open).await;
    // the night of 2026-03-29 has no 02:00–03:00, the night of 2026-10-25 has it twice:
    // 24 real hours from midnight end at 01:00 and at 23:00 by the wall clock
    assert_eq!(
        due(&pool, "2026-03-29 00:00", berlin, "normal")
            .await
            .as_deref(),
        Some("Mon 2026-03-30 01:00")
    );
    assert_eq!(
        due(&pool, "2026-10-25 00:00", berlin, "normal")
            .await
            .as_deref(),
        Some("Sun 2026-10-25 23:00")
    );
    // opening hours on the changing day are wall-clock hours: 09:00–18:00 is 9 hours
    apply(&pool, &shop_week(berlin, &[])).await;
    assert_eq!(
        due(&pool, "2026-10-24 13:00", berlin, "high")
            .await
            .as_deref(),
        Some("Tue 2026-10-27 17:00"),
        "1 h Saturday, closed Sunday (the long day) and Monday, 8 h Tuesday"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn clock_hours_count_day_and_night_and_a_shop_never_open_is_never_due(pool: PgPool) {
    // the default: 24 clock hours for every priority
    assert_eq!(
        due(&pool, "2026-12-05 20:00", "UTC", "urgent")
            .await
            .as_deref(),
        Some("Sun 2026-12-06 20:00")
    );
    let mut closed = shop_week("UTC", &[]);
    closed.week.clear();
    apply(&pool, &closed).await;
    assert_eq!(due(&pool, "2026-12-05 20:00", "UTC", "normal").await, None);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_time_zone_the_database_does_not_know_is_refused_and_nothing_changes(pool: PgPool) {
    let mut db = pool.acquire().await.unwrap();
    let mut promise = shop_week("Mars/Olympus_Mons", &[]);
    let error = promise::apply(&mut db, &promise).await.unwrap_err();
    let Error::Invalid(fields) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert!(fields.to_string().contains("Mars/Olympus_Mons"), "{fields}");
    assert_eq!(promise::current(&mut db).await.unwrap(), Promise::default());
    promise.time_zone = "Europe/Berlin".into();
    promise::apply(&mut db, &promise).await.unwrap();
    assert_eq!(promise::current(&mut db).await.unwrap(), promise);
}

/// Moves an issue's report time back, its due time computed from the new one, as if it had
/// been reported then (triggers off: only the test's owner connection may).
async fn reported_hours_ago(pool: &PgPool, id: i64, hours: i64) {
    let mut conn = PgConnection::connect_with(&pool.connect_options())
        .await
        .unwrap();
    sqlx::raw_sql("SET session_replication_role = replica")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE customer_care SET created_at = now() - make_interval(hours => $2::int),
                due_at = caredesk_due_at(now() - make_interval(hours => $2::int), priority)
          WHERE id = $1",
    )
    .bind(id)
    .bind(hours as i32)
    .execute(&mut conn)
    .await
    .unwrap();
}

fn today() -> Today {
    Today {
        starts_at: DateTime::<Utc>::UNIX_EPOCH,
    }
}

async fn overdue(conn: &mut PgConnection) -> (i64, Vec<i64>) {
    let count = view::counts(conn, today())
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.view == View::Overdue)
        .unwrap()
        .count;
    let query = ViewQuery {
        view: View::Overdue,
        filters: Filters::default(),
        only: None,
        cursor: None,
        limit: None,
    };
    let page = view::page(conn, &query, today()).await.unwrap();
    (count, page.page.issues.iter().map(|i| i.id).collect())
}

fn respond(seen: DateTime<Utc>, text: &str) -> issues::IssueUpdate {
    issues::IssueUpdate {
        seen,
        status: None,
        priority: None,
        response: Some(Response::parse(text).unwrap()),
        email: false,
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_due_time_follows_the_priority_until_the_first_response_stops_it(pool: PgPool) {
    apply(&pool, &shop_week("UTC", &[])).await;
    let amina = login(&pool, "t_due_amina", "caredesk_agent").await;
    let mut as_amina = connect_as(&pool, &amina).await;
    let id = add_simple(&pool, "Customer One").await;
    let reported = issues::get_by_id(&pool, id).await.unwrap();
    let due_normal = reported.due_at.expect("due on intake");
    assert!(due_normal > reported.created_at);
    assert_eq!(reported.first_response_at, None);

    let raised = issues::update(
        &mut as_amina,
        id,
        &issues::IssueUpdate {
            seen: reported.updated_at,
            status: None,
            priority: Some(Priority::Urgent),
            response: None,
            email: false,
        },
    )
    .await
    .unwrap();
    let due_urgent = raised.due_at.unwrap();
    assert!(due_urgent < due_normal, "urgent is promised sooner");
    let expected: Option<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT caredesk_due_at(created_at, 'urgent') FROM customer_care WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(Some(due_urgent), expected, "from the report's time");

    // an agent cannot move the timer by hand
    let refused =
        sqlx::query("UPDATE customer_care SET due_at = now() + interval '1 year' WHERE id = $1")
            .bind(id)
            .execute(&mut as_amina)
            .await
            .unwrap_err();
    assert!(
        refused.to_string().contains("permission denied"),
        "{refused}"
    );

    let answered = issues::update(&mut as_amina, id, &respond(raised.updated_at, "On its way"))
        .await
        .unwrap();
    assert_eq!(answered.first_response_at, Some(answered.updated_at));
    let lowered = issues::update(
        &mut as_amina,
        id,
        &issues::IssueUpdate {
            seen: answered.updated_at,
            status: None,
            priority: Some(Priority::Normal),
            response: Some(Response::parse("A second answer").unwrap()),
            email: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(lowered.due_at, Some(due_urgent), "the stopped timer stays");
    assert_eq!(lowered.first_response_at, answered.first_response_at);

    let timeline = events::timeline(&pool, id).await.unwrap();
    let first: Vec<_> = timeline
        .iter()
        .filter(|e| matches!(e.change, Change::FirstResponse { .. }))
        .collect();
    assert_eq!(first.len(), 1, "once, for the first response only");
    assert_eq!(
        first[0].change,
        Change::FirstResponse {
            due_at: Some(due_urgent),
            late_seconds: 0
        }
    );
    assert_eq!(first[0].summary, "The first response met the promise");
    assert_eq!(first[0].at, answered.updated_at);
    drop(as_amina);
    drop_login(&pool, &amina).await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn overdue_is_unanswered_past_its_due_time_and_a_late_answer_says_by_how_much(pool: PgPool) {
    let amina = login(&pool, "t_overdue_amina", "caredesk_agent").await;
    let mut as_amina = connect_as(&pool, &amina).await;
    let late = add_simple(&pool, "Late Customer").await;
    let fresh = add_simple(&pool, "Fresh Customer").await;
    let resolved = add_simple(&pool, "Resolved Customer").await;
    reported_hours_ago(&pool, late, 26).await; // due 2 h ago (24 clock hours)
    reported_hours_ago(&pool, resolved, 30).await;
    crate::helpers::set_status(&pool, resolved, "resolved").await;
    assert_eq!(overdue(&mut as_amina).await, (1, vec![late]));

    let seen = issues::get_by_id(&pool, late).await.unwrap().updated_at;
    issues::update(&mut as_amina, late, &respond(seen, "Sorry for the wait"))
        .await
        .unwrap();
    assert_eq!(overdue(&mut as_amina).await, (0, vec![]), "answered");
    let event = events::timeline(&pool, late)
        .await
        .unwrap()
        .into_iter()
        .find(|e| matches!(e.change, Change::FirstResponse { .. }))
        .unwrap();
    let Change::FirstResponse { late_seconds, .. } = event.change else {
        unreachable!()
    };
    assert!((7200..7300).contains(&late_seconds), "{late_seconds}");
    assert!(
        event.summary.starts_with("The first response came 2 h"),
        "{}",
        event.summary
    );
    assert!(
        issues::get_by_id(&pool, fresh)
            .await
            .unwrap()
            .due_at
            .unwrap()
            > Utc::now()
    );
    drop(as_amina);
    drop_login(&pool, &amina).await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_dashboard_counts_promises_kept_and_response_and_resolution_times(pool: PgPool) {
    let empty = stats::response_times(&pool).await.unwrap();
    assert_eq!((empty.answered, empty.percent), (0, None));
    assert_eq!(
        empty.first_response_summary,
        "First response: none in the last 30 days"
    );

    let amina = login(&pool, "t_times_amina", "caredesk_agent").await;
    let mut as_amina = connect_as(&pool, &amina).await;
    let mut ids = Vec::new();
    for (name, hours_ago) in [("Kept One", 2), ("Kept Two", 10), ("Late One", 30)] {
        let id = add_simple(&pool, name).await;
        reported_hours_ago(&pool, id, hours_ago).await;
        let seen = issues::get_by_id(&pool, id).await.unwrap().updated_at;
        issues::update(&mut as_amina, id, &respond(seen, "Answered"))
            .await
            .unwrap();
        ids.push(id);
    }
    let times = stats::response_times(&pool).await.unwrap();
    assert_eq!((times.answered, times.within_promise), (3, 2));
    assert_eq!(times.percent, Some(67));
    let hours = |s: Option<i64>| s.map(|s| (s as f64 / 3600.0).round() as i64);
    assert_eq!(hours(times.first_response_median), Some(10));
    assert_eq!(
        hours(times.first_response_p90),
        Some(26),
        "10 + 0.8 × (30 − 10)"
    );
    assert_eq!(
        times.promise_summary,
        "67% answered within the promise (2 of 3, last 30 days)"
    );
    assert_eq!(times.resolved, 0);
    assert_eq!(
        times.resolution_summary,
        "Resolution: none in the last 30 days"
    );
    drop(as_amina);
    drop_login(&pool, &amina).await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn reminders_name_untaken_urgent_issues_until_a_take_and_overdue_ones_once(pool: PgPool) {
    use caredesk_core::desk::reminders;
    use caredesk_core::domain::Status;

    let amina = login(&pool, "t_remind_amina", "caredesk_agent").await;
    let jonas = login(&pool, "t_remind_jonas", "caredesk_agent").await;
    let mut as_amina = connect_as(&pool, &amina).await;
    let mut as_jonas = connect_as(&pool, &jonas).await;
    let urgent = add_simple(&pool, "Urgent Customer").await;
    let normal = add_simple(&pool, "Normal Customer").await;
    sqlx::query("UPDATE customer_care SET priority = 'urgent' WHERE id = $1")
        .bind(urgent)
        .execute(&pool)
        .await
        .unwrap();
    let ids =
        |issues: Vec<caredesk_core::db::Issue>| issues.iter().map(|i| i.id).collect::<Vec<_>>();
    assert_eq!(
        ids(reminders::unowned_urgent(&mut as_amina, Utc::now())
            .await
            .unwrap()),
        [urgent]
    );
    let before = Utc::now() - chrono::Duration::hours(1);
    assert!(
        reminders::unowned_urgent(&mut as_amina, before)
            .await
            .unwrap()
            .is_empty(),
        "a report younger than the pause is not brought up again yet"
    );
    // jonas takes it on his desktop: amina's next round is silent
    let seen = issues::get_by_id(&pool, urgent).await.unwrap().updated_at;
    let taken = issues::assign(&mut as_jonas, urgent, seen, Some(&jonas), true)
        .await
        .unwrap();
    assert_eq!(taken.status, Status::InProgress);
    assert!(
        reminders::unowned_urgent(&mut as_amina, Utc::now())
            .await
            .unwrap()
            .is_empty()
    );

    // both turn overdue now; the taken one is jonas's alone, the other everyone's
    let looked = Utc::now();
    reported_hours_ago(&pool, urgent, 25).await;
    reported_hours_ago(&pool, normal, 25).await;
    let window = (looked - chrono::Duration::hours(2), Utc::now());
    assert_eq!(
        ids(reminders::turned_overdue(&mut as_amina, window.0, window.1)
            .await
            .unwrap()),
        [normal]
    );
    let mut for_jonas = ids(reminders::turned_overdue(&mut as_jonas, window.0, window.1)
        .await
        .unwrap());
    for_jonas.sort();
    assert_eq!(for_jonas, [urgent, normal]);
    assert!(
        reminders::turned_overdue(&mut as_jonas, window.1, Utc::now())
            .await
            .unwrap()
            .is_empty(),
        "each issue turns overdue once"
    );
    drop((as_amina, as_jonas));
    drop_login(&pool, &amina).await;
    drop_login(&pool, &jonas).await;
}
