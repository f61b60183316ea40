//! The connection budget: an idle desktop holds only its listening connection (pooled ones
//! close after a short idle time, and reading back a notification happens on the listening
//! connection), so fifty signed-in desktops fit a cluster with max_connections = 100, and
//! all of them hear of a new urgent report.

use std::time::{Duration, Instant};

use caredesk_core::agents::{self, AgentLogin};
use caredesk_core::secret::Password;
use serde_json::json;

use crate::helpers::{PrivateCluster, TestApp, add_issue, eventually};

const DESKTOPS: usize = 50;
const BATCH: usize = 25;

async fn agent_connections(owner: &sqlx::PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE usename LIKE 'budget_agent_%'")
        .fetch_one(owner)
        .await
        .expect("activity")
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_idle_desktops_fit_in_a_hundred_connections_and_all_hear_of_a_report() {
    let cluster = PrivateCluster::start("tests", "127.0.0.1", Some(100));
    let owner = cluster.caredesk().await;
    for n in 0..DESKTOPS {
        let login = AgentLogin::parse(&format!("budget_agent_{n}")).unwrap();
        agents::create(
            &owner,
            &login,
            &Password::new("a long enough password"),
            false,
        )
        .await
        .unwrap();
    }

    let mut desktops = Vec::new();
    let mut refused = Vec::new();
    let mut peak = 0;
    for batch in 0..DESKTOPS / BATCH {
        for n in batch * BATCH..(batch + 1) * BATCH {
            let app = TestApp::new();
            let heard = app.events("issue-created");
            let signed_in = app.call(
                "sign_in",
                json!({"request": {
                    "host": "127.0.0.1", "port": cluster.port, "database": "caredesk",
                    "user": format!("budget_agent_{n}"), "password": "a long enough password",
                    "remember": false, "security": "none"
                }}),
            );
            if let Err(error) = signed_in {
                refused.push(error);
            }
            peak = peak.max(agent_connections(&owner).await);
            desktops.push((app, heard));
        }
        // idle now: each keeps its listener only
        let signed_in = desktops.len() as i64;
        let started = Instant::now();
        while agent_connections(&owner).await > signed_in
            && started.elapsed() < Duration::from_secs(40)
        {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    let idle = agent_connections(&owner).await;
    let reported = add_issue(&owner, "Budget Urgent", "urgent").await;
    let all_heard = eventually(|| {
        desktops
            .iter()
            .all(|(_, heard)| !heard.lock().unwrap().is_empty())
    })
    .await;
    let deaf = desktops
        .iter()
        .filter(|(_, heard)| heard.lock().unwrap().iter().all(|e| e["id"] != reported))
        .count();
    drop(desktops);
    owner.close().await;
    drop(cluster);

    assert!(refused.is_empty(), "refused sign-ins: {refused:?}");
    assert_eq!(
        idle, DESKTOPS as i64,
        "idle desktops hold one connection each"
    );
    assert!(peak < 100, "at most {peak} connections at once");
    assert!(
        all_heard && deaf == 0,
        "{deaf} desktops did not hear of the report"
    );
}
