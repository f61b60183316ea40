//! Customers' photos on their way in: each file decoded and re-encoded off the async
//! runtime's worker threads, on a few threads of their own (CAREDESK_PHOTO_DECODERS) at a
//! lower priority, so that a burst of uploads queues here instead of stalling the report
//! API.

mod decode;
mod pool;

use axum::body::Bytes;
use caredesk_core::FieldErrors;
use caredesk_core::photos::{self, FIELD, PhotoLimits, PreparedPhoto, Refusal};
use pool::DecoderPool;

/// A file as it arrived: its name on the customer's device, and its bytes unless it was
/// larger than the limit (then only that is known).
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Option<Bytes>,
}

#[derive(Clone)]
pub struct PhotoProcessor {
    limits: PhotoLimits,
    decoders: DecoderPool,
}

impl PhotoProcessor {
    /// Starts `decoders` decoder threads (at least one).
    pub fn new(limits: PhotoLimits, decoders: usize) -> std::io::Result<Self> {
        Ok(Self {
            limits,
            decoders: DecoderPool::new(decoders)?,
        })
    }

    pub fn limits(&self) -> &PhotoLimits {
        &self.limits
    }

    /// Every file ready to store, in the customer's order; or, when any is refused, each
    /// refusal (naming its file), and nothing is kept.
    pub async fn prepare(&self, uploads: Vec<Upload>) -> Result<Vec<PreparedPhoto>, FieldErrors> {
        let mut errors = FieldErrors::new();
        if uploads.len() > self.limits.max_count {
            errors.add(FIELD, photos::too_many(uploads.len(), &self.limits));
            return Err(errors);
        }
        let max_megabytes = self.limits.max_megabytes();
        // every file is queued before any is awaited, so they decode side by side
        let work: Vec<_> = uploads
            .into_iter()
            .map(|upload| {
                let decoded = upload
                    .bytes
                    .map(|bytes| self.decoders.start(move || decode::prepare(&bytes)));
                (upload.file_name, decoded)
            })
            .collect();
        let mut prepared = Vec::with_capacity(work.len());
        for (file_name, decoded) in work {
            let outcome = match decoded {
                None => Err(Refusal::TooLarge { max_megabytes }),
                Some(decoded) => decoded.await.unwrap_or_else(|| {
                    // a decoder that panicked on a hostile file: refused like any other
                    tracing::warn!(file_name, "a photo decoder failed");
                    Err(Refusal::NotAnImage)
                }),
            };
            match outcome {
                Ok(photo) => prepared.push(photo),
                Err(refusal) => errors.add(FIELD, refusal.message(&file_name)),
            }
        }
        if errors.is_empty() {
            Ok(prepared)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Bytes {
        let path = format!(
            "{}/tests/fixtures/photos/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        Bytes::from(std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
    }

    fn upload(name: &str, bytes: Bytes) -> Upload {
        Upload {
            file_name: name.to_owned(),
            bytes: Some(bytes),
        }
    }

    fn english(errors: &FieldErrors) -> Vec<String> {
        errors
            .in_language(caredesk_core::domain::Language::En)
            .remove(FIELD)
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn every_accepted_kind_arrives_re_encoded() {
        let processor = PhotoProcessor::new(PhotoLimits::default(), 2).unwrap();
        let photos = processor
            .prepare(vec![
                upload("phone.jpg", fixture("phone.jpg")),
                upload("IMG_0001.HEIC", fixture("phone.heic")),
                upload("screenshot.png", fixture("screenshot.png")),
                upload("photo.webp", fixture("photo.webp")),
            ])
            .await
            .expect("all four are photos");
        let kinds: Vec<_> = photos.iter().map(|p| p.content_type.as_str()).collect();
        assert_eq!(
            kinds,
            ["image/jpeg", "image/jpeg", "image/png", "image/jpeg"]
        );
        // the JPEG was turned upright by its EXIF orientation (a portrait photo)
        assert_eq!((photos[0].width, photos[0].height), (480, 640));
        assert_eq!((photos[1].width, photos[1].height), (640, 480));
        for photo in &photos {
            let decoded = image::load_from_memory(&photo.image).expect("stored images decode");
            assert_eq!(
                (decoded.width(), decoded.height()),
                (photo.width, photo.height)
            );
            let thumb = image::load_from_memory(&photo.thumbnail).expect("thumbnails decode");
            assert!(thumb.width().max(thumb.height()) <= photos::THUMBNAIL_SIDE);
        }
    }

    #[tokio::test]
    async fn nothing_of_a_phones_metadata_survives() {
        let original = fixture("phone.heic");
        let serial = b"CAMSERIAL1234";
        let holds = |bytes: &[u8], what: &[u8]| bytes.windows(what.len()).any(|w| w == what);
        assert!(
            holds(&original, serial) && holds(&original, b"Exif"),
            "the fixture leaks"
        );
        let jpeg = fixture("phone.jpg");
        assert!(holds(&jpeg, serial), "the JPEG fixture leaks too");
        let processor = PhotoProcessor::new(PhotoLimits::default(), 1).unwrap();
        let photos = processor
            .prepare(vec![upload("a.heic", original), upload("b.jpg", jpeg)])
            .await
            .unwrap();
        for photo in &photos {
            for bytes in [&photo.image, &photo.thumbnail] {
                assert!(!holds(bytes, serial), "the camera serial survived");
                assert!(
                    !holds(bytes, b"Exif"),
                    "an EXIF block survived (GPS lives there)"
                );
                assert!(!holds(bytes, b"TestPhone"), "the camera make survived");
                assert_eq!(&bytes[..2], [0xFF, 0xD8], "a JPEG");
            }
        }
    }

    #[tokio::test]
    async fn every_refusal_names_its_file_and_says_why() {
        let limits = PhotoLimits::new(3, 1).unwrap();
        let processor = PhotoProcessor::new(limits, 1).unwrap();
        let jpeg = fixture("phone.jpg");
        let truncated = jpeg.slice(..jpeg.len() / 3);
        let mut png_then_html = fixture("screenshot.png")[..40].to_vec();
        png_then_html.extend_from_slice(b"<html><script>alert(1)</script></html>");
        let errors = processor
            .prepare(vec![
                upload("invoice.pdf", Bytes::from_static(b"%PDF-1.7 not a photo")),
                upload("cut.jpg", truncated),
                upload("polyglot.png", Bytes::from(png_then_html)),
            ])
            .await
            .unwrap_err();
        let said = english(&errors);
        assert_eq!(said.len(), 3, "{said:?}");
        for (text, file) in said.iter().zip(["invoice.pdf", "cut.jpg", "polyglot.png"]) {
            assert!(
                text.contains(file) && text.contains("not a photo we can read"),
                "{text}"
            );
        }
        let errors = processor
            .prepare(vec![Upload {
                file_name: "huge.jpg".into(),
                bytes: None,
            }])
            .await
            .unwrap_err();
        assert!(
            english(&errors)[0].contains("huge.jpg is larger than 1 MB"),
            "{errors:?}"
        );
        let four = (0..4)
            .map(|i| upload(&format!("{i}.jpg"), fixture("phone.jpg")))
            .collect();
        let errors = processor.prepare(four).await.unwrap_err();
        assert!(
            english(&errors)[0].contains("You attached 4 photos; at most 3"),
            "{errors:?}"
        );
    }

    #[tokio::test]
    async fn decompression_bombs_are_refused_before_decoding() {
        // a valid PNG header claiming 100 000 × 100 000 pixels, a few bytes on the wire
        let bomb = png_header(100_000, 100_000);
        let processor = PhotoProcessor::new(PhotoLimits::default(), 1).unwrap();
        let errors = processor
            .prepare(vec![upload("bomb.png", Bytes::from(bomb))])
            .await
            .unwrap_err();
        assert!(
            english(&errors)[0].contains("bomb.png has more than 64 megapixels"),
            "{errors:?}"
        );
    }

    /// The signature and IHDR chunk of a PNG of the given size (CRC included), then an
    /// empty IDAT: enough for a decoder to read the size.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32fast::hash(&ihdr).to_be_bytes());
        png.extend_from_slice(&[0, 0, 0, 0]);
        png.extend_from_slice(b"IDAT");
        png.extend_from_slice(&crc32fast::hash(b"IDAT").to_be_bytes());
        png
    }
}
