//! Fills a database with realistic, varied issues for load tests and benchmarks: names
//! from several countries, phones typed in national and international formats, every type,
//! priority and status, responses, timelines, ages spread over two years. Rows go in by
//! COPY, with the per-row triggers off and the indexes rebuilt afterwards, and the timeline
//! written set-wise, all in one transaction.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{Acquire, PgConnection, PgPool};

use crate::domain::{IssueType, Priority, Status};
use crate::error::{Error, FieldErrors};

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

/// One CSV row of `customer_care`.
fn row(rng: &mut StdRng, now: DateTime<Utc>, out: &mut String) {
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
    let age = Duration::seconds(rng.random_range(0..2 * 365 * 24 * 3600));
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

/// Adds `count` generated issues with their timelines (reproducible for a given `seed`).
/// Refuses a table that already holds issues: seeding is for empty test databases.
///
/// The rows go in by COPY in one transaction with the row triggers off and the indexes
/// dropped; then two connections work side by side, one writing the timeline set-wise, the
/// other rebuilding the indexes. Until they finish, issues may lack their timeline.
pub async fn seed(pool: &PgPool, count: u64, seed: u64) -> Result<(), Error> {
    let indexes = load(&mut *pool.acquire().await?, count, seed).await?;
    // The timeline (the larger job) on one connection with the event table's index; the
    // issue table's indexes, largest first, on the other.
    let (event_indexes, issue_indexes): (Vec<_>, Vec<_>) = indexes
        .into_iter()
        .partition(|(table, _)| table == "customer_care_event");
    let timeline = async {
        let mut conn = pool.acquire().await?;
        write_timeline(&mut conn).await?;
        rebuild(
            &mut conn,
            event_indexes.iter().map(|(_, definition)| definition),
        )
        .await
    };
    let rebuilt = async {
        let mut conn = pool.acquire().await?;
        rebuild(
            &mut conn,
            issue_indexes.iter().map(|(_, definition)| definition),
        )
        .await
    };
    let (timeline, rebuilt) = tokio::join!(timeline, rebuilt);
    timeline?;
    rebuilt?;
    let mut conn = pool.acquire().await?;
    sqlx::query!("ANALYZE customer_care")
        .execute(&mut *conn)
        .await?;
    sqlx::query!("ANALYZE customer_care_event")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Loads the issues and their counters; returns the dropped indexes as (table, definition).
async fn load(
    conn: &mut PgConnection,
    count: u64,
    seed: u64,
) -> Result<Vec<(String, String)>, Error> {
    let mut tx = conn.begin().await?;
    let existing = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM customer_care) AS "any!""#)
        .fetch_one(&mut *tx)
        .await?;
    if existing {
        let mut errors = FieldErrors::new();
        errors.add(
            "database",
            "The database already holds issues; seed an empty one.",
        );
        return Err(Error::Invalid(errors));
    }
    sqlx::query!("SET LOCAL synchronous_commit = off")
        .execute(&mut *tx)
        .await?;
    // Indexes are rebuilt once after the load rather than maintained row by row.
    let indexes = sqlx::query!(
        r#"SELECT indexrelid::regclass::text AS "name!", indrelid::regclass::text AS "table!",
                  pg_get_indexdef(indexrelid) AS "definition!"
             FROM pg_index
            WHERE indrelid IN ('customer_care'::regclass, 'customer_care_event'::regclass) AND NOT indisprimary
            ORDER BY pg_relation_size(indexrelid) DESC"#
    )
    .fetch_all(&mut *tx)
    .await?;
    for index in &indexes {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX {}", index.name)))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query!("ALTER TABLE customer_care DISABLE TRIGGER USER")
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
    for _ in 0..count {
        row(&mut rng, now, &mut chunk);
        if chunk.len() > (1 << 20) - 1024 {
            copy.send(chunk.as_bytes()).await?;
            chunk.clear();
        }
    }
    copy.send(chunk.as_bytes()).await?;
    copy.finish().await?;

    sqlx::query!(
        "INSERT INTO customer_care_count (slot, status, priority, issues)
         SELECT (id % 16)::smallint, status, priority, count(*) FROM customer_care GROUP BY 1, 2, 3"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("ALTER TABLE customer_care ENABLE TRIGGER USER")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(indexes
        .into_iter()
        .map(|index| (index.table, index.definition))
        .collect())
}

/// The timeline the triggers would have written, set-wise.
async fn write_timeline(conn: &mut PgConnection) -> Result<(), Error> {
    sqlx::query!("SET synchronous_commit = off")
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        r#"INSERT INTO customer_care_event (issue_id, at, actor, kind, detail)
           SELECT id, created_at, 'customer', 'created',
                  jsonb_build_object('issue_type', issue_type, 'priority', priority, 'status', 'open')
             FROM customer_care
           UNION ALL
           SELECT id, updated_at, 'seed', 'status_changed', jsonb_build_object('from', 'open', 'to', status)
             FROM customer_care WHERE status <> 'open'
           UNION ALL
           SELECT id, updated_at, 'seed', 'responded', jsonb_build_object('response', admin_response)
             FROM customer_care WHERE admin_response IS NOT NULL"#
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn rebuild<'a>(
    conn: &mut PgConnection,
    definitions: impl Iterator<Item = &'a String>,
) -> Result<(), Error> {
    sqlx::query!("SET maintenance_work_mem = '256MB'")
        .execute(&mut *conn)
        .await?;
    for definition in definitions {
        sqlx::query(sqlx::AssertSqlSafe(definition.clone()))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
