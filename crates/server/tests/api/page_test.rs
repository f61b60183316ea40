//! The public page over HTTP (the browser suite in tests/public-page drives it in Chromium).

use sqlx::PgPool;

use crate::helpers::{TestServer, stored};

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_page_shows_the_form_channels_and_faq_under_a_strict_csp(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let response = server
        .client
        .get(server.url("/customer-care"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    // minijinja escapes "/" in attributes; browsers read it back as "/"
    let html = response.text().await.unwrap().replace("&#x2f;", "/");
    for needle in [
        "name=\"name\"",
        "name=\"email\"",
        "name=\"phone\"",
        "name=\"order_id\"",
        "name=\"issue_type\"",
        "name=\"priority\"",
        "name=\"description\"",
        "href=\"tel:+4930901820\"",
        "href=\"https://wa.me/4915123456789?text=",
        "href=\"mailto:care@lumen-loom.example\"",
        "Order Not Received",
        "<details",
    ] {
        assert!(html.contains(needle), "page lacks {needle}");
    }
    let root = server.client.get(server.url("/")).send().await.unwrap();
    assert_eq!(root.status().as_u16(), 308);
    for (path, kind) in [
        ("/static/customer-care.css", "text/css"),
        ("/static/customer-care.js", "text/javascript"),
    ] {
        let asset = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(asset.status().as_u16(), 200);
        assert!(
            asset.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(kind)
        );
    }
}

const VALID_FORM: &[(&str, &str)] = &[
    ("name", "Jonas Weber"),
    ("email", "jonas@example.com"),
    ("phone", "030 901820"),
    ("order_id", ""),
    ("issue_type", "damaged"),
    ("priority", "normal"),
    (
        "description",
        "The box was crushed and the vase inside is broken.",
    ),
    ("website", ""),
];

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_plain_form_post_without_javascript_confirms_with_the_issue_number(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let response = server
        .client
        .post(server.url("/customer-care"))
        .form(VALID_FORM)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    let id: i64 = sqlx::query_scalar("SELECT id FROM customer_care")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        html.contains(&format!("#{id}")),
        "no issue number in the confirmation"
    );
    let order: Option<String> = sqlx::query_scalar("SELECT order_id FROM customer_care")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(order, None, "an empty order number is no order number");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_invalid_plain_post_shows_the_errors_keeps_the_input_as_text_and_stores_nothing(
    pool: PgPool,
) {
    let server = TestServer::start(&pool, None).await;
    let mut form: Vec<(&str, &str)> = VALID_FORM.to_vec();
    form[0] = ("name", "<img src=x onerror=alert(1)>");
    form[1] = ("email", "not-an-email");
    let response = server
        .client
        .post(server.url("/customer-care"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("is not a valid email address"));
    assert!(
        !html.contains("<img src=x"),
        "customer text must be escaped"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "and shown back as typed"
    );
    assert_eq!(stored(&pool).await, 0);
}
