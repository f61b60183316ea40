//! POST /api/customer-care/report: what is accepted, and every way a client can get it wrong.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{TestServer, error_fields, stored, valid_report, with};

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_valid_report_is_stored_and_answered_with_its_id(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let (status, _, body) = server.report(&valid_report()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["success"], true);
    let id = body["issue_id"].as_i64().unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains(&format!("#{id}"))
    );

    let row: (String, String, String, String, Option<String>, String, String, String) = sqlx::query_as(
        "SELECT name, email, phone, phone_e164, order_id, issue_type, priority, status FROM customer_care WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            "Amina Yusuf".into(),
            "amina@example.com".into(),
            "0151 23456789".into(),
            "+4915123456789".into(),
            Some("A-1001".into()),
            "not_received".into(),
            "high".into(),
            "open".into()
        )
    );
    server.stop().await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn optional_fields_may_be_left_out(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let mut report = valid_report();
    report.as_object_mut().unwrap().remove("order_id");
    report.as_object_mut().unwrap().remove("priority");
    let (status, _, body) = server.report(&report).await;
    assert_eq!(status, 201, "{body}");
    let priority: String = sqlx::query_scalar("SELECT priority FROM customer_care")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(priority, "normal");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn every_bad_field_is_reported_at_once_and_nothing_is_stored(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let report = json!({"name": " ", "email": "amina@", "phone": "12", "issue_type": "lost_parcel",
                        "description": "short", "priority": "asap", "order_id": "x".repeat(101)});
    let (status, _, body) = server.report(&report).await;
    assert_eq!(status, 422);
    assert_eq!(body["success"], false);
    assert_eq!(
        error_fields(&body),
        [
            "description",
            "email",
            "issue_type",
            "name",
            "order_id",
            "phone",
            "priority"
        ]
    );
    assert!(
        body["errors"]["issue_type"][0]
            .as_str()
            .unwrap()
            .contains("not_received")
    );
    assert_eq!(stored(&pool).await, 0);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn missing_fields_and_wrong_types_are_field_errors(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let (status, _, body) = server.report(&json!({})).await;
    assert_eq!(status, 422);
    assert_eq!(
        error_fields(&body),
        ["description", "email", "issue_type", "name", "phone"]
    );

    let (status, _, body) = server
        .report(&with(valid_report(), "name", json!(42)))
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"]["name"], json!(["Expected text."]));
    let (status, _, _) = server
        .report(&with(
            valid_report(),
            "priority",
            json!({"level": "urgent"}),
        ))
        .await;
    assert_eq!(status, 422);
    assert_eq!(stored(&pool).await, 0);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn unreadable_bodies_are_client_errors_in_the_same_shape(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("application/json", b"{\"name\": ".to_vec(), 400),
        ("application/json", b"[1, 2, 3]".to_vec(), 400),
        ("application/json", b"".to_vec(), 400),
        (
            "application/json",
            b"{\"name\": \"\xff\xfe\"}".to_vec(),
            400,
        ),
        ("application/json", deep.into_bytes(), 400),
        (
            "text/plain",
            serde_json::to_vec(&valid_report()).unwrap(),
            415,
        ),
        (
            "application/x-www-form-urlencoded",
            b"name=Amina".to_vec(),
            415,
        ),
        ("application/json", vec![b' '; 70 * 1024], 413),
    ];
    for (content_type, body, expected) in cases {
        let (status, _, json) = server.report_raw(content_type, body).await;
        assert_eq!(status, expected, "{content_type}: {json}");
        assert_eq!(json["success"], false);
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(json["errors"].is_object());
    }
    let response = server
        .client
        .post(server.url("/api/customer-care/report"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415, "no content type at all");
    assert_eq!(stored(&pool).await, 0);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_honeypot_catches_naive_bots(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let (status, _, body) = server
        .report(&with(
            valid_report(),
            "website",
            json!("http://spam.example"),
        ))
        .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&body), ["website"]);
    let (status, _, _) = server
        .report(&with(valid_report(), "website", json!("")))
        .await;
    assert_eq!(status, 201, "an empty honeypot is what people send");
    assert_eq!(stored(&pool).await, 1);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn too_many_reports_from_one_address_get_429_with_retry_after(pool: PgPool) {
    let server = TestServer::start(&pool, Some(2)).await;
    let invalid = with(valid_report(), "email", json!("nope"));
    assert_eq!(
        server.report(&invalid).await.0,
        422,
        "invalid reports do not use up the allowance"
    );
    assert_eq!(server.report(&valid_report()).await.0, 201);
    assert_eq!(server.report(&valid_report()).await.0, 201);
    let (status, headers, body) = server.report(&valid_report()).await;
    assert_eq!(status, 429);
    let retry_after: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(body["message"].as_str().unwrap().contains("try again"));
    assert_eq!(stored(&pool).await, 2);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit(pool: PgPool) {
    let server = TestServer::start_behind_proxy(&pool, Some(1), &["127.0.0.1/32"]).await;
    let report = valid_report();
    assert_eq!(
        server.report_forwarded_for(&report, "203.0.113.7").await,
        201
    );
    assert_eq!(
        server.report_forwarded_for(&report, "198.51.100.4").await,
        201
    );
    assert_eq!(
        server.report_forwarded_for(&report, "203.0.113.7").await,
        429,
        "the same client again"
    );
    assert_eq!(stored(&pool).await, 2);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_untrusted_peer_cannot_dodge_the_limit_with_a_forwarded_header(pool: PgPool) {
    let server = TestServer::start(&pool, Some(1)).await;
    let report = valid_report();
    assert_eq!(
        server.report_forwarded_for(&report, "203.0.113.7").await,
        201
    );
    assert_eq!(
        server.report_forwarded_for(&report, "198.51.100.4").await,
        429,
        "the header is not believed from just anyone"
    );
    assert_eq!(stored(&pool).await, 1);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn hostile_text_is_refused_clearly_or_stored_exactly(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let exact = [
        "Robert'); DROP TABLE customer_care;--",
        "' OR '1'='1",
        "<script>alert(1)</script>",
        "محمد الأحمد",
        "שלום \u{202E}olleh",
        "Zoë 👩‍🔧 Łukasz",
    ];
    for name in exact {
        let (status, _, body) = server
            .report(&with(valid_report(), "name", json!(name)))
            .await;
        assert_eq!(status, 201, "{name}: {body}");
        let id = body["issue_id"].as_i64().unwrap();
        let kept: String = sqlx::query_scalar("SELECT name FROM customer_care WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(kept, name);
    }
    for (field, value) in [
        ("name", "Amina\u{0000}"),
        ("description", "bell \u{0007} in the description"),
        ("name", "two\nlines"),
    ] {
        let (status, _, body) = server
            .report(&with(valid_report(), field, Value::from(value)))
            .await;
        assert_eq!(status, 422, "{value:?}: {body}");
        assert_eq!(error_fields(&body), [field]);
    }
    assert_eq!(stored(&pool).await, exact.len() as i64);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_openapi_document_describes_the_report_api(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let doc: Value = server
        .client
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let report = &doc["paths"]["/api/customer-care/report"]["post"];
    for status in ["201", "400", "413", "415", "422", "429", "503"] {
        assert!(report["responses"][status].is_object(), "missing {status}");
    }
    assert!(doc["paths"]["/healthz"]["get"].is_object());
    let request = &doc["components"]["schemas"]["ReportRequest"];
    let mut required: Vec<&str> = request["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    required.sort_unstable();
    assert_eq!(
        required,
        ["description", "email", "issue_type", "name", "phone"]
    );
    // the limits the parsers enforce, field by field
    use caredesk_core::domain::contact_limits as contact;
    use caredesk_core::domain::text;
    for (field, min, max) in [
        ("name", Some(1), contact::NAME_MAX_CHARS),
        ("email", Some(1), contact::EMAIL_MAX_CHARS),
        ("phone", Some(1), contact::PHONE_MAX_CHARS),
        ("order_id", None, contact::ORDER_ID_MAX_CHARS),
        (
            "description",
            Some(text::DESCRIPTION_MIN_CHARS),
            text::DESCRIPTION_MAX_CHARS,
        ),
        ("website", None, 0),
    ] {
        let property = &request["properties"][field];
        assert_eq!(property["maxLength"], json!(max), "{field}: {property}");
        assert_eq!(
            property["minLength"],
            min.map_or(Value::Null, |n| json!(n)),
            "{field}: {property}"
        );
    }
    let issue_types = doc["components"]["schemas"]["IssueType"]["enum"]
        .as_array()
        .expect("issue types are listed");
    assert_eq!(issue_types.len(), 8);
    assert_eq!(
        doc["components"]["schemas"]["Priority"]["enum"],
        json!(["normal", "high", "urgent"])
    );
}
