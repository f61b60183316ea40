//! Photo reports beside plain ones: how many reports with 3 phone-sized photos the server
//! takes per second, what that does to the plain report API's latency (measured alone
//! first, then with photo reports streaming in beside it), and how much the database grows
//! per photo.

use std::io::Cursor;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use reqwest::multipart::{Form, Part};
use sqlx::PgPool;

use crate::stats::percentile_ms;

const PHOTOS_PER_REPORT: usize = 3;

/// A phone-sized photo (4032 × 3024, what most phones take): smooth shading with fine
/// texture, so that it compresses like a photo rather than like a flat colour.
fn phone_photo(seed: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(4032, 3024, |x, y| {
        let grain = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ seed)
            .wrapping_mul(2_654_435_761)
            >> 27;
        let shade = |v: u32, scale: u32| ((v * 255 / scale) as u8).saturating_add(grain as u8);
        Rgb([shade(x, 4032), shade(y, 3024), shade(x + y, 7056)])
    });
    let mut out = Cursor::new(Vec::new());
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .expect("encoding an in-memory image");
    out.into_inner()
}

fn report_fields(form: Form, n: usize) -> Form {
    form.text("name", format!("Bench Photo {n}"))
        .text("email", "bench@example.com")
        .text("phone", "0151 23456789")
        .text("issue_type", "damaged")
        .text("description", "Measuring photo reports beside plain ones.")
}

fn plain_report(n: usize) -> serde_json::Value {
    serde_json::json!({
        "name": format!("Bench Plain {n}"), "email": "bench@example.com", "phone": "0151 23456789",
        "issue_type": "other", "description": "Measuring the plain path while photos arrive."
    })
}

/// Plain reports from `clients` loops for `seconds`: each report's latency.
async fn plain_load(url: &str, clients: usize, seconds: u64) -> Result<Vec<Duration>, String> {
    let client = reqwest::Client::new();
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut loops = Vec::new();
    for c in 0..clients {
        let (client, url) = (client.clone(), url.to_owned());
        loops.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut n = c * 1_000_000;
            while Instant::now() < until {
                n += 1;
                let started = Instant::now();
                let response = client.post(&url).json(&plain_report(n)).send().await;
                match response {
                    Ok(r) if r.status().as_u16() == 201 => latencies.push(started.elapsed()),
                    Ok(r) => return Err(format!("a plain report was answered {}", r.status())),
                    Err(error) => return Err(format!("a plain report failed: {error}")),
                }
            }
            Ok(latencies)
        }));
    }
    let mut all = Vec::new();
    for handle in loops {
        all.extend(handle.await.map_err(|e| e.to_string())??);
    }
    Ok(all)
}

/// Photo reports from `clients` loops for `seconds`: how many were stored.
async fn photo_load(
    url: &str,
    clients: usize,
    seconds: u64,
    photos: &[Vec<u8>],
) -> Result<(usize, Vec<Duration>), String> {
    let client = reqwest::Client::new();
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut loops = Vec::new();
    for c in 0..clients {
        let (client, url, photos) = (client.clone(), url.to_owned(), photos.to_vec());
        loops.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut n = c * 1_000_000;
            while Instant::now() < until {
                n += 1;
                let mut form = report_fields(Form::new(), n);
                for (i, photo) in photos.iter().enumerate().take(PHOTOS_PER_REPORT) {
                    form = form.part(
                        "photos",
                        Part::bytes(photo.clone()).file_name(format!("IMG_{i}.jpg")),
                    );
                }
                let started = Instant::now();
                match client.post(&url).multipart(form).send().await {
                    Ok(r) if r.status().as_u16() == 201 => latencies.push(started.elapsed()),
                    Ok(r) => {
                        let status = r.status();
                        return Err(format!(
                            "a photo report was answered {status}: {}",
                            r.text().await.unwrap_or_default()
                        ));
                    }
                    Err(error) => return Err(format!("a photo report failed: {error}")),
                }
            }
            Ok(latencies)
        }));
    }
    let mut all = Vec::new();
    for handle in loops {
        all.extend(handle.await.map_err(|e| e.to_string())??);
    }
    Ok((all.len(), all))
}

pub async fn run(
    pool: &PgPool,
    url: &str,
    seconds: u64,
    plain_clients: usize,
    photo_clients: usize,
) -> Result<(), String> {
    let photos: Vec<Vec<u8>> = (0..PHOTOS_PER_REPORT as u32).map(phone_photo).collect();
    let photo_mb =
        photos.iter().map(Vec::len).sum::<usize>() as f64 / PHOTOS_PER_REPORT as f64 / 1_048_576.0;

    let alone = plain_load(url, plain_clients, seconds).await?;
    let (beside, photo_run) = tokio::join!(
        plain_load(url, plain_clients, seconds),
        photo_load(url, photo_clients, seconds, &photos)
    );
    let beside = beside?;
    let (photo_reports, photo_latencies) = photo_run?;

    let (count, bytes): (i64, i64) = sqlx::query_as(
        "SELECT count(*), pg_total_relation_size('customer_care_photo') FROM customer_care_photo",
    )
    .fetch_one(pool)
    .await
    .map_err(|e| e.to_string())?;
    let stored: (i64, i64) = sqlx::query_as(
        "SELECT coalesce(sum(octet_length(image)), 0)::bigint, coalesce(sum(octet_length(thumbnail)), 0)::bigint FROM customer_care_photo",
    )
    .fetch_one(pool)
    .await
    .map_err(|e| e.to_string())?;

    let p95_alone = percentile_ms(&alone, 95.0);
    let p95_beside = percentile_ms(&beside, 95.0);
    println!("| plain `POST /api/customer-care/report` | reports/s | p50 ms | p95 ms |");
    println!("|---|---:|---:|---:|");
    println!(
        "| alone ({plain_clients} clients) | {:.0} | {:.2} | {:.2} |",
        alone.len() as f64 / seconds as f64,
        percentile_ms(&alone, 50.0),
        p95_alone
    );
    println!(
        "| beside photo reports ({photo_clients} clients, {PHOTOS_PER_REPORT} photos of {photo_mb:.1} MB each) | {:.0} | {:.2} | {:.2} |",
        beside.len() as f64 / seconds as f64,
        percentile_ms(&beside, 50.0),
        p95_beside
    );
    println!();
    println!(
        "Photo reports: **{:.2}/s** ({PHOTOS_PER_REPORT} phone photos, 4032 × 3024, each decoded, re-encoded and thumbnailed), p50 {:.0} ms, p95 {:.0} ms. \
         The plain path's p95 beside them is **{:.0}%** of its p95 alone (aim: at most 150%).",
        photo_reports as f64 / seconds as f64,
        percentile_ms(&photo_latencies, 50.0),
        percentile_ms(&photo_latencies, 95.0),
        100.0 * p95_beside / p95_alone
    );
    if count > 0 {
        println!();
        println!(
            "Database growth: {:.2} MB per photo (table, TOAST and index; the re-encoded photo {:.2} MB and its thumbnail {:.0} KB on average; {count} photos).",
            bytes as f64 / count as f64 / 1_048_576.0,
            stored.0 as f64 / count as f64 / 1_048_576.0,
            stored.1 as f64 / count as f64 / 1024.0,
        );
    }
    Ok(())
}
