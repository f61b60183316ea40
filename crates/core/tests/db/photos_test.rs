//! Customers' photos in the database: stored with their report or message in the same
//! call, all or nothing; readable by agents only (the public role still reads nothing);
//! gone with their issue when it is deleted or erased; in a privacy export.

use caredesk_core::db::issues;
use caredesk_core::domain::text::Description;
use caredesk_core::photos::{self, PreparedPhoto, StoredType};
use caredesk_core::privacy::{self, CustomerKey};
use caredesk_core::status;
use sqlx::PgPool;

use crate::helpers::{as_role, de, form, new_issue, rows, set_status};

/// A stand-in for what the public service stores (the database does not decode images:
/// the service did, and re-encoded them).
fn photo(marker: &str) -> PreparedPhoto {
    PreparedPhoto {
        content_type: StoredType::Jpeg,
        width: 640,
        height: 480,
        image: [&b"\xFF\xD8full-"[..], marker.as_bytes()].concat(),
        thumbnail: [&b"\xFF\xD8thumb-"[..], marker.as_bytes()].concat(),
    }
}

async fn photo_rows(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM customer_care_photo")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_report_is_stored_with_its_photos_on_its_created_event(pool: PgPool) {
    let mut intake = as_role(&pool, "caredesk_intake").await;
    let report = new_issue(&form("Pia Photo", "pia@example.com", "0151 23456789"));
    let reported = issues::report_with_photos(&mut intake, &report, &[photo("a"), photo("b")])
        .await
        .unwrap();
    let listed = photos::of_issue(&pool, reported.id).await.unwrap();
    assert_eq!(listed.len(), 2);
    let created: i64 = sqlx::query_scalar(
        "SELECT id FROM customer_care_event WHERE issue_id = $1 AND kind = 'created'",
    )
    .bind(reported.id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        listed
            .iter()
            .all(|p| p.event_id == created && p.issue_id == reported.id)
    );
    assert!(listed[0].thumbnail.starts_with("data:image/jpeg;base64,"));
    let full = photos::get(&pool, listed[1].id).await.unwrap();
    assert_eq!(full.image, photo("b").image, "in the customer's order");
    assert_eq!(
        full.file_name(),
        format!("issue-{}-photo-{}.jpg", reported.id, full.id)
    );

    // the public role stores them but reads none back
    let read = sqlx::query("SELECT count(*) FROM customer_care_photo")
        .execute(&mut intake)
        .await
        .unwrap_err();
    assert!(read.to_string().contains("permission denied"), "{read}");
    // an agent reads them
    let mut agent = as_role(&pool, "caredesk_agent").await;
    assert_eq!(
        photos::of_issue(&mut agent, reported.id)
            .await
            .unwrap()
            .len(),
        2
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_failed_photo_leaves_no_report_behind(pool: PgPool) {
    let mut intake = as_role(&pool, "caredesk_intake").await;
    let report = new_issue(&form("Pia Photo", "pia@example.com", "0151 23456789"));
    // a type the database does not keep (the service only ever sends JPEG or PNG)
    let bad_type: Result<i64, _> = sqlx::query_scalar(
        "SELECT issue_id FROM caredesk_report_issue('Pia', 'pia@example.com', '0151 23456789',
                '+4915123456789', NULL, 'other', 'The vase arrived in pieces, photo attached.',
                'normal', 'en', ARRAY['\\xffd8'::bytea], ARRAY['\\xffd8'::bytea],
                ARRAY['image/gif'], ARRAY[10], ARRAY[10])",
    )
    .fetch_one(&mut intake)
    .await;
    assert!(
        bad_type
            .unwrap_err()
            .to_string()
            .contains("customer_care_photo_type_known")
    );
    // arrays that do not line up
    let ragged = issues::report_with_photos(&mut intake, &report, &[photo("a")]).await;
    assert!(ragged.is_ok(), "a proper photo is taken");
    let before = rows(&pool).await;
    let ragged: Result<i64, _> = sqlx::query_scalar(
        "SELECT issue_id FROM caredesk_report_issue('Pia', 'pia@example.com', '0151 23456789',
                '+4915123456789', NULL, 'other', 'The vase arrived in pieces, photo attached.',
                'normal', 'en', ARRAY['\\xffd8'::bytea, '\\xffd8'::bytea], ARRAY['\\xffd8'::bytea],
                ARRAY['image/jpeg'], ARRAY[10], ARRAY[10])",
    )
    .fetch_one(&mut intake)
    .await;
    assert!(ragged.unwrap_err().to_string().contains("each photo needs"));
    // an empty image
    let mut empty = photo("c");
    empty.image.clear();
    let refused = issues::report_with_photos(&mut intake, &report, &[photo("d"), empty]).await;
    assert!(refused.is_err());
    assert_eq!(rows(&pool).await, before, "no report without its photos");
    assert_eq!(photo_rows(&pool).await, 1, "only the proper report's photo");
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_care_event")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(events, 1, "no timeline of a report that was not stored");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_message_may_be_photos_alone_and_deleting_the_issue_takes_them(pool: PgPool) {
    let mut intake = as_role(&pool, "caredesk_intake").await;
    let report = new_issue(&form("Pia Photo", "pia@example.com", "0151 23456789"));
    let reported = issues::report(&mut intake, &report).await.unwrap();
    let token = &reported.status_token;
    let id = status::write(&mut intake, token, 90, None, &[photo("m")])
        .await
        .unwrap();
    assert_eq!(id, Some(reported.id));
    let words = Description::parse_message("And here is the box it came in.").unwrap();
    status::write(
        &mut intake,
        token,
        90,
        Some(&words),
        &[photo("n"), photo("o")],
    )
    .await
    .unwrap();
    // neither words nor photos: refused
    let refused = status::write(&mut intake, token, 90, None, &[]).await;
    assert!(refused.is_err());
    let listed = photos::of_issue(&pool, reported.id).await.unwrap();
    assert_eq!(listed.len(), 3);
    let message_events: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM customer_care_event WHERE issue_id = $1 AND kind = 'customer_message' ORDER BY id",
    )
    .bind(reported.id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(message_events.len(), 2);
    assert_eq!(listed[0].event_id, message_events[0]);
    assert!(listed[1..].iter().all(|p| p.event_id == message_events[1]));

    set_status(&pool, reported.id, "resolved").await;
    sqlx::query("DELETE FROM customer_care WHERE id = $1")
        .bind(reported.id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(photo_rows(&pool).await, 0, "deleted with the issue");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_privacy_export_holds_the_photos_and_an_erasure_removes_them(pool: PgPool) {
    let mut intake = as_role(&pool, "caredesk_intake").await;
    let report = new_issue(&form("Pia Photo", "pia@example.com", "0151 23456789"));
    let reported = issues::report_with_photos(&mut intake, &report, &[photo("x")])
        .await
        .unwrap();
    let mut admin = as_role(&pool, "caredesk_admin").await;
    let key = CustomerKey::parse("pia@example.com", de()).unwrap();
    let export = privacy::export(&mut admin, &key).await.unwrap();
    let exported = &export["issues"][0]["photos"][0];
    assert_eq!(exported["content_type"], "image/jpeg");
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(exported["base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(bytes, photo("x").image);
    assert_eq!(privacy::erase(&mut admin, &key).await.unwrap(), 1);
    assert_eq!(photo_rows(&pool).await, 0);
    assert!(photos::get(&pool, 1).await.is_err());
    let _ = reported;
}
