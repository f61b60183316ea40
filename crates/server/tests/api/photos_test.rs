//! Photos over HTTP: the report API's multipart variant, the page's plain form post (no
//! JavaScript), and the status page's message; each refusal names its file and stores
//! nothing; what is stored is re-encoded, without the phone's metadata.

use reqwest::multipart::{Form, Part};
use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::{TestServer, stored, valid_report};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/photos/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The valid report's fields as text parts, and the files as `photos` parts.
fn multipart_report(files: &[(&str, Vec<u8>)]) -> Form {
    let mut form = Form::new();
    for (field, value) in valid_report().as_object().unwrap() {
        form = form.text(field.clone(), value.as_str().unwrap().to_owned());
    }
    for (name, bytes) in files {
        form = form.part(
            "photos",
            Part::bytes(bytes.clone()).file_name(name.to_string()),
        );
    }
    form
}

async fn post_report(server: &TestServer, form: Form) -> (u16, Value) {
    let response = server
        .post_multipart("/api/customer-care/report", form)
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn stored_photos(pool: &PgPool) -> Vec<(String, i32, i32, Vec<u8>)> {
    sqlx::query_as("SELECT content_type, width, height, image FROM customer_care_photo ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

fn holds(bytes: &[u8], what: &[u8]) -> bool {
    bytes.windows(what.len()).any(|w| w == what)
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_phone_photo_arrives_as_a_jpeg_without_its_metadata(pool: PgPool) {
    let server = TestServer::start_as_intake(&pool, |_| {}).await;
    let heic = fixture("phone.heic");
    assert!(
        holds(&heic, b"CAMSERIAL1234") && holds(&heic, b"Exif"),
        "the fixture leaks"
    );
    let (status, body) = post_report(&server, multipart_report(&[("IMG_0001.HEIC", heic)])).await;
    assert_eq!(status, 201, "{body}");
    let photos = stored_photos(&pool).await;
    assert_eq!(photos.len(), 1);
    let (content_type, width, height, image) = &photos[0];
    assert_eq!(
        (content_type.as_str(), *width, *height),
        ("image/jpeg", 640, 480)
    );
    assert_eq!(&image[..3], [0xFF, 0xD8, 0xFF], "a JPEG");
    assert!(!holds(image, b"Exif"), "no EXIF block: no GPS position");
    assert!(!holds(image, b"CAMSERIAL1234") && !holds(image, b"TestPhone"));
    server.stop().await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn every_refused_file_is_named_and_nothing_is_stored(pool: PgPool) {
    let server = TestServer::start_as_intake(&pool, |settings| {
        settings.photo_limits = caredesk_core::photos::PhotoLimits::new(2, 1).unwrap();
    })
    .await;
    // not an image, and an image cut short, beside a good one
    let jpeg = fixture("phone.jpg");
    let cut = jpeg[..jpeg.len() / 2].to_vec();
    let files = [("invoice.pdf", b"%PDF-1.7".to_vec()), ("cut.jpg", cut)];
    let (status, body) = post_report(&server, multipart_report(&files)).await;
    assert_eq!(status, 422, "{body}");
    let said = body["errors"]["photos"].as_array().unwrap();
    assert_eq!(said.len(), 2, "{body}");
    assert!(
        said[0]
            .as_str()
            .unwrap()
            .contains("invoice.pdf is not a photo we can read")
    );
    assert!(said[1].as_str().unwrap().contains("cut.jpg"));
    // too large (the limit is 1 MB here)
    let big = vec![0xFFu8; 1024 * 1024 + 1];
    let (status, body) = post_report(&server, multipart_report(&[("huge.jpg", big)])).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["errors"]["photos"][0]
            .as_str()
            .unwrap()
            .contains("huge.jpg is larger than 1 MB")
    );
    // too many
    let three = [
        ("a.jpg", jpeg.clone()),
        ("b.jpg", jpeg.clone()),
        ("c.jpg", jpeg.clone()),
    ];
    let (status, body) = post_report(&server, multipart_report(&three)).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["errors"]["photos"][0]
            .as_str()
            .unwrap()
            .contains("You attached 3 photos; at most 2")
    );
    // a field error and a photo error are told together
    let form = Form::new().text("name", "Amina").part(
        "photos",
        Part::bytes(b"GIF89a<script>".to_vec()).file_name("x.gif"),
    );
    let (status, body) = post_report(&server, form).await;
    assert_eq!(status, 422);
    assert!(
        body["errors"]["email"].is_array() && body["errors"]["photos"].is_array(),
        "{body}"
    );
    assert_eq!(stored(&pool).await, 0, "nothing was stored");
    assert!(stored_photos(&pool).await.is_empty());
    server.stop().await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_plain_form_takes_two_photos_without_javascript(pool: PgPool) {
    let server = TestServer::start_as_intake(&pool, |_| {}).await;
    let page = server
        .client
        .get(server.url("/customer-care"))
        .send()
        .await
        .unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"enctype="multipart/form-data""#));
    assert!(
        html.contains("Up to 5 photos (JPEG, PNG, WebP or HEIC from a phone), at most 10 MB each.")
    );
    let mut form = multipart_report(&[
        ("screenshot.png", fixture("screenshot.png")),
        ("photo.webp", fixture("photo.webp")),
    ]);
    // a file input left empty still sends an empty, nameless part
    form = form.part("photos", Part::bytes(Vec::new()).file_name(""));
    let response = server.post_multipart("/customer-care", form).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("data-testid=\"status-link\"")
    );
    let photos = stored_photos(&pool).await;
    let kinds: Vec<_> = photos.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(kinds, ["image/png", "image/jpeg"]);
    // a refusal shows the page again with the file named at the field
    let form = multipart_report(&[("notes.txt", b"hello".to_vec())]);
    let response = server.post_multipart("/customer-care", form).await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("notes.txt is not a photo we can read"),
        "{html}"
    );
    assert!(
        html.contains(r#"value="Amina Yusuf""#),
        "what was typed is kept"
    );
    assert_eq!(stored(&pool).await, 1);
    server.stop().await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_customer_sends_photos_from_the_status_page(pool: PgPool) {
    let server = TestServer::start_as_intake(&pool, |_| {}).await;
    let (status, _, answer) = server.report(&valid_report()).await;
    assert_eq!(status, 201);
    let path = answer["status_url"].as_str().unwrap().to_owned();
    let page = server
        .client
        .get(server.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"status-photos\""));
    let message_path = format!("{path}/message");
    let send = |form: Form| server.post_multipart(&message_path, form);
    // photos alone
    let form = Form::new().text("message", "").part(
        "photos",
        Part::bytes(fixture("phone.jpg")).file_name("box.jpg"),
    );
    let response = send(form).await;
    assert_eq!(response.status().as_u16(), 303, "stored, then shown again");
    let page = server
        .client
        .get(server.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("One photo attached."),
        "the timeline says a photo came"
    );
    // a refused photo keeps the words typed and names the file
    let form = Form::new().text("message", "Here is the label too.").part(
        "photos",
        Part::bytes(b"not a photo".to_vec()).file_name("label.heic"),
    );
    let response = send(form).await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("label.heic is not a photo we can read")
            && html.contains("Here is the label too.")
    );
    let photos = stored_photos(&pool).await;
    assert_eq!(photos.len(), 1);
    let (with_photos, text): (i64, String) = sqlx::query_as(
        "SELECT (detail->>'photos')::bigint, detail->>'text' FROM customer_care_event WHERE kind = 'customer_message'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((with_photos, text.as_str()), (1, ""));
    server.stop().await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_openapi_document_describes_the_multipart_variant_with_the_limits(pool: PgPool) {
    let server = TestServer::start_as_intake(&pool, |settings| {
        settings.photo_limits = caredesk_core::photos::PhotoLimits::new(3, 4).unwrap();
    })
    .await;
    let doc: Value = server
        .client
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let content = &doc["paths"]["/api/customer-care/report"]["post"]["requestBody"]["content"];
    assert!(
        content["application/json"].is_object() && content["multipart/form-data"].is_object(),
        "{content}"
    );
    let photos = &doc["components"]["schemas"]["PhotoReportRequest"];
    let text = photos.to_string();
    assert!(
        text.contains("\"maxItems\":3") && text.contains("at most 3 photos of at most 4 MB each"),
        "{text}"
    );
    // a JSON report is still held to a report's size, whatever the photo limits
    let big = serde_json::json!({ "description": "x".repeat(70 * 1024) });
    let (status, _, _) = server.report(&big).await;
    assert_eq!(status, 413);
    server.stop().await;
}
