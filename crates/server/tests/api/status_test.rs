//! The customer's status page: it shows the issue to whoever holds its link and to nobody
//! else, says the same "not found" for every link that opens nothing, takes the customer's
//! messages (validated like reports) and the "Did this solve your problem?" answer once,
//! and speaks the customer's language.

use caredesk_core::db::{IssueUpdate, issues};
use caredesk_core::domain::{Response, Status};
use serde_json::json;
use sqlx::PgPool;
use sqlx::postgres::PgListener;

use crate::helpers::{TestServer, valid_report};

/// Reports an issue; its id and the path of its status page.
async fn reported(server: &TestServer, report: serde_json::Value) -> (i64, String) {
    let (status, _, answer) = server.report(&report).await;
    assert_eq!(status, 201, "{answer}");
    let path = answer["status_url"].as_str().unwrap().to_owned();
    assert!(
        path.starts_with("/customer-care/status/"),
        "relative without a public URL: {path}"
    );
    (answer["issue_id"].as_i64().unwrap(), path)
}

async fn get(server: &TestServer, path: &str, language: Option<&str>) -> (u16, String) {
    let mut request = server.client.get(server.url(path));
    if let Some(language) = language {
        request = request.header("accept-language", language);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn post_form(server: &TestServer, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    server
        .client
        .post(server.url(path))
        .form(fields)
        .send()
        .await
        .unwrap()
}

async fn agent_update(pool: &PgPool, id: i64, status: Option<Status>, response: Option<&str>) {
    let issue = issues::get_by_id(pool, id).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    issues::update(
        &mut conn,
        id,
        &IssueUpdate {
            seen: issue.updated_at,
            status,
            priority: None,
            response: response.map(|r| Response::parse(r).unwrap()),
            email: true,
        },
    )
    .await
    .unwrap();
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_link_shows_the_issue_and_the_shops_answers_but_no_agent(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let (id, path) = reported(&server, valid_report()).await;
    let (status, page) = get(&server, &path, None).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("Your issue #{id}")), "{page}");
    assert!(page.contains("Order Not Received"));
    assert!(page.contains(r#"data-status="open""#));
    assert!(page.contains("We have not answered yet. We answer within 24 hours."));

    agent_update(
        &pool,
        id,
        Some(Status::InProgress),
        Some("A new one is on its way <script>alert(1)</script>"),
    )
    .await;
    let (_, page) = get(&server, &path, None).await;
    assert!(
        page.contains("A new one is on its way &lt;script&gt;"),
        "the answer, as text"
    );
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("We are working on it."));
    let agent: String = sqlx::query_scalar("SELECT session_user::text")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        !page.contains(&format!(">{agent}")) && !page.contains(&format!(" {agent} ")),
        "no agent's login"
    );
    // the link is the key: never cached, never sent on as a referrer
    let response = server.client.get(server.url(&path)).send().await.unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn every_link_that_opens_nothing_gets_the_same_not_found(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let (id, path) = reported(&server, valid_report()).await;
    let unknown = format!("/customer-care/status/{}", "ab".repeat(32));
    let malformed = "/customer-care/status/not-a-token".to_owned();
    let (unknown_status, unknown_page) = get(&server, &unknown, None).await;
    let (malformed_status, malformed_page) = get(&server, &malformed, None).await;
    // resolved long ago: the link has expired
    agent_update(&pool, id, Some(Status::Resolved), None).await;
    sqlx::query("UPDATE customer_care SET resolved_at = now() - interval '91 days' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let (expired_status, expired_page) = get(&server, &path, None).await;
    assert_eq!(
        (unknown_status, malformed_status, expired_status),
        (404, 404, 404)
    );
    assert_eq!(unknown_page, malformed_page);
    assert_eq!(unknown_page, expired_page);
    assert!(unknown_page.contains(r#"data-testid="not-found""#));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_guesser_is_held_back_after_a_few_lookups(pool: PgPool) {
    let server = TestServer::start_as_intake(&pool, |settings| {
        settings.status_lookups_per_minute = Some(3);
    })
    .await;
    let mut answers = Vec::new();
    for n in 0..5 {
        let path = format!("/customer-care/status/{:064x}", n);
        let response = server.client.get(server.url(&path)).send().await.unwrap();
        answers.push((
            response.status().as_u16(),
            response.headers().contains_key("retry-after"),
        ));
    }
    assert_eq!(
        answers,
        [
            (404, false),
            (404, false),
            (404, false),
            (429, true),
            (429, true)
        ]
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_customer_writes_again_and_a_resolved_issue_opens_again_live(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let (id, path) = reported(&server, valid_report()).await;
    agent_update(&pool, id, Some(Status::Resolved), Some("Refunded.")).await;
    let mut listener = PgListener::connect_with(&pool).await.unwrap();
    listener.listen("caredesk_customer_message").await.unwrap();

    let response = post_form(
        &server,
        &format!("{path}/message"),
        &[
            ("message", "The refund has not arrived yet."),
            ("lang", "en"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let back = response.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(back, format!("{path}?lang=en&done=message"));
    let notice = tokio::time::timeout(std::time::Duration::from_secs(5), listener.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(notice.payload()).unwrap(),
        json!({"id": id})
    );

    let issue = issues::get_by_id(&pool, id).await.unwrap();
    assert_eq!(issue.status, Status::Open, "open again");
    let (actor, text): (String, String) = sqlx::query_as(
        "SELECT actor, detail->>'text' FROM customer_care_event WHERE issue_id = $1 AND kind = 'customer_message'",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (actor.as_str(), text.as_str()),
        ("customer", "The refund has not arrived yet.")
    );
    let (_, page) = get(&server, &back, None).await;
    assert!(page.contains("Thank you, we have received your message."));
    assert!(page.contains("The refund has not arrived yet."));
    assert!(page.contains("Your issue is open again."));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_bad_message_is_refused_in_the_customers_words_and_stores_nothing(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let mut report = valid_report();
    report["language"] = json!("de");
    let (id, path) = reported(&server, report).await;
    let events = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM customer_care_event WHERE issue_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let before = events().await;
    let short = post_form(
        &server,
        &format!("{path}/message"),
        &[("message", "Hallo?")],
    )
    .await;
    assert_eq!(short.status(), 422);
    let page = short.text().await.unwrap();
    assert!(
        page.contains("mindestens 10 Zeichen"),
        "in German, the report's language: {page}"
    );
    assert!(page.contains("Hallo?"), "what was typed is kept");
    let control = post_form(
        &server,
        &format!("{path}/message"),
        &[("message", "Hidden \u{7} bell in here")],
    )
    .await;
    assert_eq!(control.status(), 422);
    let long = "x".repeat(5001);
    let too_long = post_form(
        &server,
        &format!("{path}/message"),
        &[("message", long.as_str())],
    )
    .await;
    assert_eq!(too_long.status(), 422);
    let evil = server
        .client
        .post(server.url(&format!("{path}/message")))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form(&[("message", "A message from another website")])
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    let unknown = post_form(
        &server,
        &format!("/customer-care/status/{}/message", "cd".repeat(32)),
        &[("message", "Is anybody there at all?")],
    )
    .await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(events().await, before, "nothing stored");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_satisfaction_question_comes_with_the_resolution_and_takes_one_answer(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let (id, path) = reported(&server, valid_report()).await;
    let (_, page) = get(&server, &path, None).await;
    assert!(
        !page.contains(r#"data-testid="satisfaction""#),
        "not asked before the issue is resolved"
    );
    let early = post_form(
        &server,
        &format!("{path}/satisfaction"),
        &[("solved", "yes")],
    )
    .await;
    assert_eq!(
        early.headers()["location"].to_str().unwrap(),
        format!("{path}?lang=en&done=already")
    );

    agent_update(&pool, id, Some(Status::Resolved), Some("Refunded.")).await;
    let (_, page) = get(&server, &path, None).await;
    assert!(page.contains("Did this solve your problem?"));
    let answered = post_form(
        &server,
        &format!("{path}/satisfaction"),
        &[("solved", "no"), ("comment", "Only half of it arrived.")],
    )
    .await;
    assert_eq!(
        answered.headers()["location"].to_str().unwrap(),
        format!("{path}?lang=en&done=answer")
    );
    let again = post_form(
        &server,
        &format!("{path}/satisfaction"),
        &[("solved", "yes")],
    )
    .await;
    assert_eq!(
        again.headers()["location"].to_str().unwrap(),
        format!("{path}?lang=en&done=already")
    );

    let (solved, comment): (bool, Option<String>) = sqlx::query_as(
        "SELECT solved, comment FROM customer_care_satisfaction WHERE issue_id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (solved, comment.as_deref()),
        (false, Some("Only half of it arrived."))
    );
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM customer_care_event WHERE issue_id = $1 AND kind = 'satisfaction'",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(events, 1);
    let (_, page) = get(&server, &path, None).await;
    assert!(
        !page.contains(r#"data-testid="satisfaction""#),
        "asked once"
    );
    assert!(page.contains("You told us that the problem is not solved."));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_pages_speak_the_customers_language(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let (_, page) = get(&server, "/customer-care", Some("de-DE,de;q=0.9,en;q=0.5")).await;
    assert!(page.contains(r#"<html lang="de">"#));
    assert!(
        page.contains("Problem melden") || page.contains("Meldung"),
        "German words"
    );
    let (_, page) = get(&server, "/customer-care?lang=en", Some("de-DE")).await;
    assert!(page.contains(r#"<html lang="en">"#), "the switch wins");
    let (_, page) = get(&server, "/customer-care", Some("fr-FR")).await;
    assert!(
        page.contains(r#"<html lang="en">"#),
        "the shop's default otherwise"
    );

    // the report remembers its language: its status page and its errors use it
    let mut report = valid_report();
    report.as_object_mut().unwrap().remove("language");
    let response = server
        .client
        .post(server.url("/api/customer-care/report"))
        .header("accept-language", "de")
        .json(&report)
        .send()
        .await
        .unwrap();
    let answer: serde_json::Value = response.json().await.unwrap();
    assert!(
        answer["message"].as_str().unwrap().contains("Vielen Dank")
            || answer["message"].as_str().unwrap().contains("Danke"),
        "{answer}"
    );
    let path = answer["status_url"].as_str().unwrap();
    let (_, page) = get(&server, path, Some("en")).await;
    assert!(
        page.contains(r#"<html lang="de">"#),
        "the report's language, not the browser's"
    );
    let (_, page) = get(&server, &format!("{path}?lang=en"), None).await;
    assert!(page.contains(r#"<html lang="en">"#));

    let mut bad = valid_report();
    bad["email"] = json!("not-an-address");
    let response = server
        .client
        .post(server.url("/api/customer-care/report"))
        .header("accept-language", "de")
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let answer: serde_json::Value = response.json().await.unwrap();
    assert!(
        answer["errors"]["email"][0]
            .as_str()
            .unwrap()
            .contains("keine gültige E-Mail-Adresse"),
        "{answer}"
    );
}
