//! Notification latency: a report inserted through core (as the server does), received by
//! a LISTENing connection (as the desktop core does).

use std::time::{Duration, Instant};

use caredesk_core::db::issues;
use caredesk_core::desk::live::ISSUE_CHANNEL;
use caredesk_core::domain::PhoneRegion;
use caredesk_core::report::{NewIssue, ReportForm};
use sqlx::PgPool;
use sqlx::postgres::PgListener;

use crate::stats::percentile_ms;

pub async fn run(pool: &PgPool, count: usize) -> Result<(), String> {
    let mut listener = PgListener::connect_with(pool)
        .await
        .map_err(|e| e.to_string())?;
    listener
        .listen(ISSUE_CHANNEL)
        .await
        .map_err(|e| e.to_string())?;
    let form = ReportForm {
        name: Some("Bench Customer".into()),
        email: Some("bench@example.com".into()),
        phone: Some("+49 151 23456789".into()),
        order_id: None,
        issue_type: Some("other".into()),
        description: Some("Measuring how fast the desk hears of a new report.".into()),
        priority: Some("urgent".into()),
        language: None,
    };
    let region = PhoneRegion::parse("DE")?;
    let issue = NewIssue::parse(&form, region).map_err(|e| e.to_string())?;
    let (mut from_send, mut from_commit) = (Vec::with_capacity(count), Vec::with_capacity(count));
    for _ in 0..count {
        let sent = Instant::now();
        let id = issues::add(pool, &issue).await.map_err(|e| e.to_string())?;
        let committed = Instant::now();
        loop {
            let note = tokio::time::timeout(Duration::from_secs(5), listener.recv())
                .await
                .map_err(|_| "no notification within 5 s".to_owned())?
                .map_err(|e| e.to_string())?;
            let payload: serde_json::Value =
                serde_json::from_str(note.payload()).map_err(|e| e.to_string())?;
            if payload["id"] == id {
                break;
            }
        }
        let received = Instant::now();
        from_send.push(received - sent);
        // the NOTIFY can overtake the commit's acknowledgement: then it arrived "at" commit
        from_commit.push(received.saturating_duration_since(committed));
    }
    println!(
        "| notification: report insert sent → listener received | {:.2} | {:.2} | n = {count} |",
        percentile_ms(&from_send, 50.0),
        percentile_ms(&from_send, 95.0)
    );
    println!(
        "| notification: commit acknowledged → listener received | {:.2} | {:.2} | n = {count} |",
        percentile_ms(&from_commit, 50.0),
        percentile_ms(&from_commit, 95.0)
    );
    Ok(())
}
