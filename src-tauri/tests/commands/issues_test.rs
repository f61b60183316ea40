//! Working issues through the commands: list, detail, respond, conflicts, delete.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{TestApp, add_issue, agent_login, drop_login};

fn page_names(page: &Value) -> Vec<String> {
    page["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_agent_lists_searches_responds_and_cannot_delete(pool: PgPool) {
    let agent = agent_login(&pool, "t_desk_worker", false).await;
    let first = add_issue(&pool, "Amina Yusuf", "urgent").await;
    add_issue(&pool, "Jonas Weber", "normal").await;
    let app = TestApp::new();
    app.sign_in(&pool, &agent).expect("signed in");

    let all = app.call(
        "list_issues",
        json!({"query": {"view": "all", "filters": {"status": null, "priority": null, "search": null}, "only": null, "cursor": null, "limit": null}}),
    );
    let urgent = app.call(
        "list_issues",
        json!({"query": {"view": "urgent", "filters": {"search": "amina"}}}),
    );
    let contradictory = app.call(
        "list_issues",
        json!({"query": {"view": "open", "filters": {"status": "resolved"}}}),
    );
    let counts = app.call("view_counts", json!({}));
    let detail = app.call("get_issue", json!({"id": first})).expect("detail");
    let seen = detail["issue"]["updated_at"].clone();
    let responded = app.call(
        "update_issue",
        json!({"id": first, "seen": seen, "status": "resolved", "priority": null, "response": "We sent a new one.", "email": true}),
    );
    let stale = app.call(
        "update_issue",
        json!({"id": first, "seen": seen, "status": "open", "email": true}),
    );
    let resolved_seen = responded
        .as_ref()
        .map(|d| d["detail"]["issue"]["updated_at"].clone())
        .unwrap_or_default();
    let delete = app.call("delete_issue", json!({"id": first, "seen": resolved_seen}));
    let chart = app.call("daily_counts", json!({"days": 14}));
    drop(app);
    drop_login(&pool, &agent).await;

    assert_eq!(
        page_names(&all.expect("list")),
        ["Jonas Weber", "Amina Yusuf"]
    );
    assert_eq!(page_names(&urgent.expect("filtered")), ["Amina Yusuf"]);
    let contradictory = contradictory.expect("contradictory");
    assert_eq!(contradictory["contradictory"], true);
    assert_eq!(contradictory["issues"], json!([]));
    assert_eq!(
        counts.expect("counts"),
        json!([
            {"view": "all", "count": 2},
            {"view": "open", "count": 2},
            {"view": "in-progress", "count": 0},
            {"view": "urgent", "count": 1},
            {"view": "resolved-today", "count": 0},
            {"view": "mine", "count": 0},
            {"view": "overdue", "count": 0}
        ])
    );
    assert_eq!(
        detail["issue"]["description"],
        "<img src=x onerror=alert(1)> arrived broken"
    );
    assert_eq!(detail["links"]["call"], "tel:+4915123456789");
    assert!(
        detail["links"]["whatsapp"]
            .as_str()
            .unwrap()
            .starts_with("https://wa.me/4915123456789?text=")
    );
    assert_eq!(detail["timeline"][0]["kind"], "created");
    assert_eq!(
        detail["timeline"][0]["summary"],
        "Customer reported the issue"
    );

    let answer = responded.expect("responded");
    // no mailer delivers here: the agent is told so, not that it was sent
    assert_eq!(
        answer["said"],
        format!(
            "Response saved; not emailed (no mail server configured) · issue #{first} resolved"
        )
    );
    assert_eq!(answer["detail"]["mail_available"], false);
    let responded = &answer["detail"];
    assert_eq!(responded["issue"]["status"], "resolved");
    assert_eq!(responded["issue"]["admin_response"], "We sent a new one.");
    assert!(
        responded["links"]["email"]
            .as_str()
            .unwrap()
            .contains("body=We%20sent%20a%20new%20one.")
    );
    let kinds: Vec<&str> = responded["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["created", "status_changed", "responded", "first_response"]
    );
    assert!(
        responded["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .skip(1)
            .all(|e| e["actor"] == agent.as_str())
    );

    let stale = stale.expect_err("stale update");
    assert_eq!(stale["kind"], "conflict");
    assert!(
        stale["message"].as_str().unwrap().contains(&agent),
        "says who changed it: {stale}"
    );
    assert_eq!(
        delete.expect_err("agents cannot delete")["kind"],
        "permission_denied"
    );
    let chart = chart.expect("chart");
    assert_eq!(chart[0]["count"], 2);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_admin_deletes_a_resolved_issue_only(pool: PgPool) {
    let admin = agent_login(&pool, "t_desk_boss", true).await;
    let id = add_issue(&pool, "Amina Yusuf", "high").await;
    let app = TestApp::new();
    app.sign_in(&pool, &admin).expect("signed in");
    let open = app.call("get_issue", json!({"id": id})).expect("detail");
    let refused = app.call(
        "delete_issue",
        json!({"id": id, "seen": open["issue"]["updated_at"]}),
    );
    let bad_response = app.call(
        "update_issue",
        json!({"id": id, "seen": open["issue"]["updated_at"], "response": "  ", "email": false}),
    );
    let resolved = app
        .call(
            "update_issue",
            json!({"id": id, "seen": open["issue"]["updated_at"], "status": "resolved", "email": false}),
        )
        .expect("resolved");
    let deleted = app.call(
        "delete_issue",
        json!({"id": id, "seen": resolved["detail"]["issue"]["updated_at"]}),
    );
    let gone = app.call("get_issue", json!({"id": id}));
    drop(app);
    drop_login(&pool, &admin).await;

    assert_eq!(refused.expect_err("open issue")["kind"], "not_resolved");
    let bad_response = bad_response.expect_err("empty response");
    assert_eq!(bad_response["kind"], "invalid");
    assert!(bad_response["fields"]["response"].is_array());
    assert!(deleted.is_ok(), "{deleted:?}");
    assert_eq!(gone.expect_err("deleted")["kind"], "not_found");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_agent_adds_an_internal_note_and_is_told_the_customer_was_not(pool: PgPool) {
    let agent = agent_login(&pool, "t_desk_noter", false).await;
    let id = add_issue(&pool, "Amina Yusuf", "normal").await;
    let app = TestApp::new();
    app.sign_in(&pool, &agent).expect("signed in");
    let added = app.call(
        "add_note",
        json!({"id": id, "text": "  Courier says Tuesday.  "}),
    );
    let empty = app.call("add_note", json!({"id": id, "text": " \n "}));
    let missing = app.call("add_note", json!({"id": id + 1000, "text": "Where?"}));
    drop(app);
    drop_login(&pool, &agent).await;

    let added = added.expect("note added");
    assert_eq!(
        added["said"],
        format!(
            "Internal note added to issue #{id} (only agents see it; the customer was not told)"
        )
    );
    let note = added["detail"]["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(note["kind"], "note");
    assert_eq!(note["internal"], true);
    assert_eq!(note["quote"], "Courier says Tuesday.");
    assert_eq!(note["actor"], agent);
    let empty = empty.expect_err("empty note");
    assert_eq!(empty["kind"], "invalid");
    assert!(empty["fields"]["note"].is_array(), "{empty}");
    assert_eq!(missing.expect_err("no such issue")["kind"], "not_found");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_agent_takes_an_issue_and_hands_it_to_another(pool: PgPool) {
    let amina = agent_login(&pool, "t_desk_taker", false).await;
    let jonas = agent_login(&pool, "t_desk_colleague", false).await;
    let id = add_issue(&pool, "Amina Yusuf", "normal").await;
    let app = TestApp::new();
    app.sign_in(&pool, &amina).expect("signed in");
    let seen =
        app.call("get_issue", json!({"id": id})).expect("detail")["issue"]["updated_at"].clone();
    let taken = app.call("take_issue", json!({"id": id, "seen": seen}));
    let mine = app.call("view_counts", json!({}));
    let agents = app.call("list_agents", json!({}));
    let taken_seen = taken
        .as_ref()
        .map(|t| t["detail"]["issue"]["updated_at"].clone())
        .unwrap_or_default();
    let handed = app.call(
        "assign_issue",
        json!({"id": id, "seen": taken_seen, "owner": jonas}),
    );
    let refused = app.call(
        "assign_issue",
        json!({"id": id, "seen": handed.as_ref().map(|h| h["detail"]["issue"]["updated_at"].clone()).unwrap_or_default(), "owner": "postgres"}),
    );
    drop(app);
    drop_login(&pool, &amina).await;
    drop_login(&pool, &jonas).await;

    let taken = taken.expect("taken");
    assert_eq!(
        taken["said"],
        format!("Issue #{id} is yours and in progress")
    );
    assert_eq!(taken["detail"]["issue"]["owner"], amina);
    assert_eq!(taken["detail"]["issue"]["status"], "in-progress");
    let mine = mine.expect("counts");
    assert!(
        mine.as_array()
            .unwrap()
            .contains(&json!({"view": "mine", "count": 1})),
        "{mine}"
    );
    let agents = agents.expect("agents");
    assert!(
        agents.as_array().unwrap().contains(&json!(jonas)),
        "{agents}"
    );
    let handed = handed.expect("handed over");
    assert_eq!(handed["said"], format!("Issue #{id} handed to {jonas}"));
    let last = handed["detail"]["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["kind"], "assigned");
    assert_eq!(
        last["summary"],
        format!("{amina} handed the issue to {jonas}")
    );
    let refused = refused.expect_err("postgres is no agent");
    assert_eq!(refused["kind"], "invalid");
    assert!(refused["fields"]["owner"].is_array(), "{refused}");
}
