//! Fills an empty database with realistic, varied issues, for trying the desktop and for
//! benchmarks: names from several countries, phones typed in national and international
//! formats, every type, priority and status, responses, ages spread over two years.

use std::fmt::Write as _;

use caredesk_core::domain::{IssueType, Priority, Status};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{Acquire, PgConnection};

const FIRST_NAMES: &[&str] = &[
    "Amina", "Jonas", "Olivia", "Mehmet", "Sofia", "Liam", "Yuki", "Chloé", "Aarav", "Fatima",
    "Lukas", "Emma", "Mateo", "Zoë", "Noah", "Ingrid", "Kwame", "Priya", "Lars", "Elena", "Omar",
    "Hannah", "Wei", "Lucía", "Ahmed", "Marie", "Jakub", "Sara", "Tomás", "Leila", "Finn", "Ana",
    "Ravi", "Julia", "Kofi", "Mia",
];
const LAST_NAMES: &[&str] = &[
    "Yusuf",
    "Weber",
    "Brown",
    "Yılmaz",
    "Rossi",
    "Murphy",
    "Tanaka",
    "Dubois",
    "Sharma",
    "Haddad",
    "Schmidt",
    "Müller",
    "García",
    "Nowak",
    "Johansson",
    "Okafor",
    "Patel",
    "Nielsen",
    "Petrova",
    "Khan",
    "Fischer",
    "Chen",
    "Fernández",
    "Hassan",
    "Martin",
    "Kowalski",
    "Andersson",
    "Silva",
    "Iyer",
    "Becker",
    "Mensah",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "mail.example",
    "post.example.de",
    "inbox.example.co.uk",
    "shop-fan.example",
];
const DESCRIPTIONS: &[&str] = &[
    "My parcel has not arrived and the tracking has not moved for a week.",
    "The fabric tore after the first wash. I would like a replacement.",
    "I ordered the blue throw but received a grey cushion cover.",
    "The box was crushed and one of the glasses inside is broken.",
    "I was charged twice for the same order, please refund one payment.",
    "I want to return the curtains, they are too short for my windows.",
    "The app logs me out every time I open my order history.",
    "Can I change the delivery address of my order before it ships?",
    "The colour is very different from the photos on your website.",
    "Payment failed but the money has left my account.",
];
const RESPONSES: &[&str] = &[
    "We are sorry! A replacement is on its way and you keep the original.",
    "We have refunded the duplicate payment; it shows in 3-5 working days.",
    "We traced the parcel with the carrier; it will arrive tomorrow.",
    "Here is your prepaid return label; the refund follows on arrival.",
];

/// A phone as a customer of that country types it, and its E.164 form.
fn phone(rng: &mut StdRng) -> (String, String) {
    let n = |rng: &mut StdRng, digits: u32| rng.random_range(0..10u64.pow(digits));
    match rng.random_range(0..6) {
        0 => {
            let (a, b) = (n(rng, 4), n(rng, 4));
            (format!("0151 {a:04}{b:04}"), format!("+49151{a:04}{b:04}"))
        }
        1 => {
            let (a, b) = (n(rng, 3), n(rng, 4));
            (format!("+49 30 {a:03}{b:04}"), format!("+4930{a:03}{b:04}"))
        }
        2 => {
            let a = n(rng, 3);
            (format!("07700 900{a:03}"), format!("+447700900{a:03}"))
        }
        3 => {
            let a = n(rng, 2);
            (format!("(201) 555-01{a:02}"), format!("+120155501{a:02}"))
        }
        4 => {
            let (a, b, c, d) = (n(rng, 2), n(rng, 2), n(rng, 2), n(rng, 2));
            (
                format!("06 {a:02} {b:02} {c:02} {d:02}"),
                format!("+336{a:02}{b:02}{c:02}{d:02}"),
            )
        }
        _ => {
            let (a, b) = (n(rng, 3), n(rng, 5));
            (format!("+91 98{a:03} {b:05}"), format!("+9198{a:03}{b:05}"))
        }
    }
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// CSV field: quoted, with quotes doubled.
fn csv(out: &mut String, value: &str) {
    out.push('"');
    out.push_str(&value.replace('"', "\"\""));
    out.push('"');
}

/// How long ago each of `count` issues was reported, within two years, oldest first.
fn ages_oldest_first(rng: &mut StdRng, count: u64) -> Vec<Duration> {
    let mut seconds: Vec<i64> = (0..count)
        .map(|_| rng.random_range(0..2 * 365 * 24 * 3600))
        .collect();
    seconds.sort_unstable_by(|a, b| b.cmp(a));
    seconds.into_iter().map(Duration::seconds).collect()
}

/// One CSV row of `customer_care`, reported `age` before `now`.
fn row(rng: &mut StdRng, now: DateTime<Utc>, age: Duration, out: &mut String) {
    let (first, last) = (*pick(rng, FIRST_NAMES), *pick(rng, LAST_NAMES));
    let serial: u32 = rng.random_range(1..10_000);
    let email = format!(
        "{}.{}{serial}@{}",
        first.to_lowercase(),
        last.to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), ""),
        pick(rng, DOMAINS)
    );
    let (typed, e164) = phone(rng);
    let issue_type = *pick(rng, IssueType::ALL);
    let priority = match rng.random_range(0..100) {
        0..70 => Priority::Normal,
        70..92 => Priority::High,
        _ => Priority::Urgent,
    };
    let created = now - age;
    // older issues are mostly resolved; recent ones mostly open
    let status = match (age.num_days(), rng.random_range(0..100)) {
        (0..2, 0..70) | (2..14, 0..20) => Status::Open,
        (0..14, 0..85) | (_, 0..3) => Status::InProgress,
        (_, 3..6) => Status::Open,
        _ => Status::Resolved,
    };
    let handled = created + Duration::minutes(rng.random_range(5..3 * 24 * 60)).min(age);
    let response = (status != Status::Open).then(|| *pick(rng, RESPONSES));
    let order =
        (rng.random_range(0..10) < 8).then(|| format!("LL-{}", rng.random_range(10_000..99_999)));

    csv(out, &format!("{first} {last}"));
    out.push(',');
    csv(out, &email);
    out.push(',');
    csv(out, &typed);
    out.push(',');
    csv(out, &e164);
    out.push(',');
    if let Some(order) = order {
        csv(out, &order);
    }
    let _ = write!(out, ",{},", issue_type.as_str());
    let description = *pick(rng, DESCRIPTIONS);
    csv(out, description);
    let _ = write!(
        out,
        ",{},{},{},",
        priority.as_str(),
        status.as_str(),
        created.to_rfc3339()
    );
    let updated = if status == Status::Open {
        created
    } else {
        handled
    };
    let _ = write!(out, "{},", updated.to_rfc3339());
    if let Some(response) = response {
        csv(out, response);
    }
    out.push(',');
    if status == Status::Resolved {
        out.push_str(&handled.to_rfc3339());
    }
    out.push('\n');
}

/// The indexes the insert triggers look each new row up in (possible duplicates): kept
/// through the load, since without them every row would read the whole table.
pub const TRIGGER_LOOKUP_INDEXES: [&str; 3] = [
    "customer_care_unresolved_order_idx",
    "customer_care_unresolved_email_idx",
    "customer_care_unresolved_phone_idx",
];

/// Why seeding did not happen; the database is as it was.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the database already holds issues; seed an empty one")]
    NotEmpty,
    #[error("the database failed: {0}")]
    Database(#[from] sqlx::Error),
}

/// Adds `count` generated issues (reproducible for a given `seed`) to an empty database,
/// as its owner, in one transaction: if anything fails, nothing changed.
///
/// The rows go in by COPY, so the database's own triggers stamp them and write each one's
/// "created" event; only the live notification (a million of them would flood every open
/// desktop) and the per-row counting (one hot counter row per insert) are off, and the
/// database's own `caredesk_recount_issues()` counts them afterwards. Indexes are dropped
/// for the load and rebuilt before the commit, so no one ever sees the tables without them;
/// only the few the triggers look rows up in stay. Rows go in oldest first, so ids follow
/// the reports' times as in a real desk.
pub async fn seed(conn: &mut PgConnection, count: u64, seed: u64) -> Result<(), SeedError> {
    let mut tx = conn.begin().await?;
    let existing = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM customer_care) AS "any!""#)
        .fetch_one(&mut *tx)
        .await?;
    if existing {
        return Err(SeedError::NotEmpty);
    }
    sqlx::query!("SET LOCAL synchronous_commit = off")
        .execute(&mut *tx)
        .await?;
    sqlx::query!("SET LOCAL maintenance_work_mem = '512MB'")
        .execute(&mut *tx)
        .await?;
    let indexes = sqlx::query!(
        r#"SELECT indexrelid::regclass::text AS "name!", pg_get_indexdef(indexrelid) AS "definition!"
             FROM pg_index
            WHERE indrelid IN ('customer_care'::regclass, 'customer_care_event'::regclass) AND NOT indisprimary
              AND indexrelid::regclass::text <> ALL($1)
            ORDER BY pg_relation_size(indexrelid) DESC"#,
        &TRIGGER_LOOKUP_INDEXES.map(String::from)[..]
    )
    .fetch_all(&mut *tx)
    .await?;
    for index in &indexes {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX {}", index.name)))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query!("ALTER TABLE customer_care DISABLE TRIGGER customer_care_notify, DISABLE TRIGGER customer_care_keep_count")
        .execute(&mut *tx)
        .await?;

    let mut copy = tx
        .copy_in_raw(
            "COPY customer_care (name, email, phone, phone_e164, order_id, issue_type, description, priority, \
             status, created_at, updated_at, admin_response, resolved_at) FROM STDIN WITH (FORMAT csv)",
        )
        .await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let now = Utc::now();
    let mut chunk = String::with_capacity(1 << 20);
    for age in ages_oldest_first(&mut rng, count) {
        row(&mut rng, now, age, &mut chunk);
        if chunk.len() > (1 << 20) - 1024 {
            copy.send(chunk.as_bytes()).await?;
            chunk.clear();
        }
    }
    copy.send(chunk.as_bytes()).await?;
    copy.finish().await?;

    sqlx::query!("SELECT caredesk_recount_issues()")
        .execute(&mut *tx)
        .await?;
    sqlx::query!("ALTER TABLE customer_care ENABLE TRIGGER customer_care_notify, ENABLE TRIGGER customer_care_keep_count")
        .execute(&mut *tx)
        .await?;
    for index in &indexes {
        sqlx::query(sqlx::AssertSqlSafe(index.definition.clone()))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    // as autovacuum would soon: planner statistics, and the visibility map that lets
    // counts read indexes alone
    sqlx::query!("VACUUM (ANALYZE) customer_care, customer_care_event")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use caredesk_core::domain::{Phone, PhoneRegion};
    use sqlx::PgPool;

    use super::*;

    async fn index_names(pool: &PgPool) -> Vec<String> {
        sqlx::query_scalar(
            "SELECT indexrelid::regclass::text FROM pg_index
              WHERE indrelid IN ('customer_care'::regclass, 'customer_care_event'::regclass)
              ORDER BY 1",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    }

    #[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
    async fn seeding_fills_an_empty_database_through_the_databases_own_triggers(pool: PgPool) {
        let indexes_before = index_names(&pool).await;
        seed(&mut pool.acquire().await.unwrap(), 2_000, 7)
            .await
            .unwrap();
        let (issues, types, priorities, statuses, formats, span_days): (i64, i64, i64, i64, i64, f64) =
            sqlx::query_as(
                "SELECT count(*), count(DISTINCT issue_type), count(DISTINCT priority), count(DISTINCT status),
                        count(DISTINCT substr(phone_e164, 1, 3)),
                        (extract(epoch FROM max(created_at) - min(created_at)) / 86400)::float8
                   FROM customer_care",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!((issues, types, priorities, statuses), (2_000, 8, 3, 3));
        assert!(formats >= 5, "phones from several countries: {formats}");
        assert!(span_days > 600.0, "ages spread over two years: {span_days}");
        let (created_events, matching_detail): (i64, i64) = sqlx::query_as(
            "SELECT count(*), count(*) FILTER (WHERE e.detail->>'status' = c.status AND e.at = c.created_at)
               FROM customer_care_event e JOIN customer_care c ON c.id = e.issue_id
              WHERE e.kind = 'created'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(
            (created_events, matching_detail),
            (2_000, 2_000),
            "the insert trigger wrote each issue's created event"
        );
        let miscounted: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (
                 SELECT status, priority, count(*) AS n FROM customer_care GROUP BY 1, 2) actual
               FULL JOIN (
                 SELECT status, priority, sum(issues) AS n FROM customer_care_count GROUP BY 1, 2 HAVING sum(issues) <> 0) kept
               USING (status, priority)
              WHERE actual.n IS DISTINCT FROM kept.n",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(miscounted, 0, "the counters match the rows");
        assert_eq!(
            index_names(&pool).await,
            indexes_before,
            "every index is back"
        );
        for kept in TRIGGER_LOOKUP_INDEXES {
            assert!(
                indexes_before.iter().any(|name| name == kept),
                "{kept} is an index of the schema"
            );
        }
        let (out_of_order, marked, marked_backwards): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM (
                         SELECT created_at < lag(created_at) OVER (ORDER BY id) AS earlier FROM customer_care) o
                      WHERE earlier),
                    (SELECT count(*) FROM customer_care_duplicate),
                    (SELECT count(*) FROM customer_care_duplicate d
                       JOIN customer_care later ON later.id = d.issue_id
                       JOIN customer_care earlier ON earlier.id = d.of_issue_id
                      WHERE earlier.created_at > later.created_at)",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(out_of_order, 0, "ids follow the reports' times");
        assert!(marked > 0, "the duplicate trigger ran on the load");
        assert_eq!(marked_backwards, 0, "a repeat points to an earlier issue");
        let (notify_on, count_on): (bool, bool) = sqlx::query_as(
            "SELECT bool_and(tgenabled = 'O') FILTER (WHERE tgname = 'customer_care_notify'),
                    bool_and(tgenabled = 'O') FILTER (WHERE tgname = 'customer_care_keep_count')
               FROM pg_trigger WHERE tgrelid = 'customer_care'::regclass",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert!(notify_on && count_on, "the triggers are on again");
        // every generated phone is one the report form itself would accept
        let phones: Vec<(String, String)> =
            sqlx::query_as("SELECT phone, phone_e164 FROM customer_care LIMIT 300")
                .fetch_all(&pool)
                .await
                .unwrap();
        let region = PhoneRegion::parse("DE").unwrap();
        for (typed, e164) in phones {
            if typed.starts_with('+') || typed.starts_with('0') && e164.starts_with("+49") {
                assert_eq!(
                    Phone::parse(&typed, region).map(|p| p.e164().to_owned()),
                    Ok(e164),
                    "{typed}"
                );
            }
        }
        assert!(
            matches!(
                seed(&mut pool.acquire().await.unwrap(), 10, 1).await,
                Err(SeedError::NotEmpty)
            ),
            "refuses a database that holds issues"
        );
    }

    #[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
    async fn a_seeding_that_fails_half_way_leaves_the_database_as_it_was(pool: PgPool) {
        let indexes_before = index_names(&pool).await;
        let mut conn = pool.acquire().await.unwrap();
        // too little time for the load: it is cancelled in the middle
        sqlx::query("SET statement_timeout = '20ms'")
            .execute(&mut *conn)
            .await
            .unwrap();
        let failed = seed(&mut conn, 200_000, 1).await;
        assert!(matches!(failed, Err(SeedError::Database(_))), "{failed:?}");
        drop(conn);
        let issues: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_care")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(issues, 0);
        assert_eq!(index_names(&pool).await, indexes_before, "no index lost");
    }
}
