//! Photo reports beside plain ones: how many reports with 3 phone-sized photos the server
//! takes per second at most (clients sending one after another), what a steady stream of
//! them does to the plain report API's latency (measured alone first, then beside the
//! stream), and how much the database grows per photo.

use std::future::Future;
use std::io::Cursor;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use reqwest::multipart::{Form, Part};
use sqlx::PgPool;

use crate::stats::percentile_ms;

const PHOTOS_PER_REPORT: usize = 3;
/// Rounds of the plain path alone and beside each photo rate.
const ROUNDS: usize = 3;

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

/// One plain report; its latency, or why it failed.
async fn send_plain_report(
    client: reqwest::Client,
    url: String,
    n: usize,
) -> Result<Duration, String> {
    let started = Instant::now();
    match client.post(&url).json(&plain_report(n)).send().await {
        Ok(r) if r.status().as_u16() == 201 => Ok(started.elapsed()),
        Ok(r) => Err(format!("a plain report was answered {}", r.status())),
        Err(error) => Err(format!("a plain report failed: {error}")),
    }
}

/// Requests made by `send(n)` arriving at `per_second` for `seconds`, whether or not the
/// earlier ones are answered (as customers send them). Each one's latency.
async fn at_rate<F, Fut>(
    per_second: f64,
    seconds: u64,
    mut send: F,
) -> Result<Vec<Duration>, String>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<Duration, String>> + Send + 'static,
{
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / per_second));
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut sent = Vec::new();
    while Instant::now() < until {
        ticks.tick().await;
        sent.push(tokio::spawn(send(sent.len())));
    }
    let mut all = Vec::with_capacity(sent.len());
    for handle in sent {
        all.push(handle.await.map_err(|e| e.to_string())??);
    }
    Ok(all)
}

/// One report with the photos; its latency, or why it failed.
async fn send_photo_report(
    client: reqwest::Client,
    url: String,
    photos: std::sync::Arc<Vec<Vec<u8>>>,
    n: usize,
) -> Result<Duration, String> {
    let mut form = report_fields(Form::new(), n);
    for (i, photo) in photos.iter().enumerate() {
        form = form.part(
            "photos",
            Part::bytes(photo.clone()).file_name(format!("IMG_{i}.jpg")),
        );
    }
    let started = Instant::now();
    match client.post(&url).multipart(form).send().await {
        Ok(r) if r.status().as_u16() == 201 => Ok(started.elapsed()),
        Ok(r) => {
            let status = r.status();
            Err(format!(
                "a photo report was answered {status}: {}",
                r.text().await.unwrap_or_default()
            ))
        }
        Err(error) => Err(format!("a photo report failed: {error}")),
    }
}

/// Photo reports from `clients` loops, each sending the next as soon as the last is
/// stored, for `seconds`: the most the server takes. Each report's latency.
async fn photo_capacity(
    url: &str,
    clients: usize,
    seconds: u64,
    photos: &std::sync::Arc<Vec<Vec<u8>>>,
) -> Result<Vec<Duration>, String> {
    let client = reqwest::Client::new();
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut loops = Vec::new();
    for c in 0..clients {
        let (client, url, photos) = (client.clone(), url.to_owned(), photos.clone());
        loops.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut n = c * 1_000_000;
            while Instant::now() < until {
                n += 1;
                latencies
                    .push(send_photo_report(client.clone(), url.clone(), photos.clone(), n).await?);
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut all = Vec::new();
    for handle in loops {
        all.extend(handle.await.map_err(|e| e.to_string())??);
    }
    Ok(all)
}

async fn checkpoint(pool: &PgPool) -> Result<(), String> {
    sqlx::query("CHECKPOINT")
        .execute(pool)
        .await
        .map(|_| ())
        .map_err(|e| format!("CHECKPOINT (the benchmark runs as the database's owner): {e}"))
}

pub async fn run(
    pool: &PgPool,
    url: &str,
    seconds: u64,
    plain_rate: f64,
    photo_clients: usize,
    photo_rates: &[f64],
) -> Result<(), String> {
    let photos: Vec<Vec<u8>> = (0..PHOTOS_PER_REPORT as u32).map(phone_photo).collect();
    let photo_mb =
        photos.iter().map(Vec::len).sum::<usize>() as f64 / PHOTOS_PER_REPORT as f64 / 1_048_576.0;
    let photos = std::sync::Arc::new(photos);

    let client = reqwest::Client::new();
    let plain = |n| send_plain_report(client.clone(), url.to_owned(), n);
    let photo = |n| send_photo_report(client.clone(), url.to_owned(), photos.clone(), n);

    // unmeasured: the client opens its connections and the server's pool fills
    at_rate(plain_rate, 5, plain).await?;
    // Rounds of the plain path alone and beside each photo rate, their samples pooled: the
    // machine's drift between one minute and the next lands on every condition alike. Each
    // phase starts from a checkpoint, so that none pays for the writes of the last.
    let phase_seconds = (seconds / ROUNDS as u64).max(1);
    let mut alone = Vec::new();
    let mut beside_streams: Vec<(f64, Vec<Duration>, Vec<Duration>)> = photo_rates
        .iter()
        .map(|&rate| (rate, Vec::new(), Vec::new()))
        .collect();
    for _ in 0..ROUNDS {
        checkpoint(pool).await?;
        alone.extend(at_rate(plain_rate, phase_seconds, plain).await?);
        for (photo_rate, beside, stream) in &mut beside_streams {
            checkpoint(pool).await?;
            let (plain_samples, photo_samples) = tokio::join!(
                at_rate(plain_rate, phase_seconds, plain),
                at_rate(*photo_rate, phase_seconds, photo)
            );
            beside.extend(plain_samples?);
            stream.extend(photo_samples?);
        }
    }
    checkpoint(pool).await?;
    let capacity = photo_capacity(url, photo_clients, seconds, &photos).await?;

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
    println!(
        "Most photo reports the server takes: **{:.2}/s** ({photo_clients} clients sending {PHOTOS_PER_REPORT} phone photos each, \
         4032 × 3024, {photo_mb:.1} MB each, the next as soon as the last is stored; every photo decoded, re-encoded and thumbnailed), \
         p50 {:.0} ms, p95 {:.0} ms.",
        capacity.len() as f64 / seconds as f64,
        percentile_ms(&capacity, 50.0),
        percentile_ms(&capacity, 95.0),
    );
    println!();
    println!(
        "Plain reports arriving at {plain_rate}/s, alone and beside photo reports arriving at a steady rate ({ROUNDS} rounds of {phase_seconds} s each, samples pooled):"
    );
    println!();
    println!(
        "| plain `POST /api/customer-care/report` | p50 ms | p95 ms | p95 vs alone (aim: at most 150%) | the photo reports' p50 / p95 ms |"
    );
    println!("|---|---:|---:|---:|---|");
    println!(
        "| alone | {:.2} | {p95_alone:.2} | 100% | |",
        percentile_ms(&alone, 50.0),
    );
    for (photo_rate, beside, stream) in &beside_streams {
        let p95_beside = percentile_ms(beside, 95.0);
        println!(
            "| beside {photo_rate} photo report/s | {:.2} | {p95_beside:.2} | **{:.0}%** | {:.0} / {:.0} |",
            percentile_ms(beside, 50.0),
            100.0 * p95_beside / p95_alone,
            percentile_ms(stream, 50.0),
            percentile_ms(stream, 95.0),
        );
    }
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
