//! Photos of the problem, which customers attach to a report or a follow-up message: the
//! limits the public page states, the refusals it gives, what the database keeps of each
//! photo (re-encoded by the public service before it gets here) and what agents read back.

use serde::Serialize;
use sqlx::PgExecutor;

use crate::error::Error;
use crate::i18n::Message;

/// Photos per report or message unless the shop sets CAREDESK_PHOTO_MAX_COUNT.
pub const DEFAULT_MAX_COUNT: usize = 5;
/// The largest file a customer may attach unless the shop sets CAREDESK_PHOTO_MAX_MB.
pub const DEFAULT_MAX_MEGABYTES: usize = 10;
/// The most photos the database takes for one event, whatever the setting.
pub const HARD_MAX_COUNT: usize = 20;
/// The largest setting of the size limit (the request must still fit in memory).
pub const HARD_MAX_MEGABYTES: usize = 50;
/// A decoded image larger than this is refused (a decompression bomb, or a panorama far
/// beyond what a phone takes: 48 megapixels is the largest common camera).
pub const MAX_PIXELS: u64 = 64_000_000;
/// The longer side of a stored photo: larger ones are scaled down (a phone's 4032 × 3024 stays).
pub const MAX_SIDE: u32 = 4096;
/// The longer side of a thumbnail.
pub const THUMBNAIL_SIDE: u32 = 320;
/// The form field (and multipart part) the files come in.
pub const FIELD: &str = "photos";

/// How many photos a customer may attach, and how large each may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PhotoLimits {
    pub max_count: usize,
    pub max_bytes: usize,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        Self {
            max_count: DEFAULT_MAX_COUNT,
            max_bytes: DEFAULT_MAX_MEGABYTES * 1024 * 1024,
        }
    }
}

impl PhotoLimits {
    /// The limits as the shop set them; `None` when either is out of range.
    pub fn new(max_count: usize, max_megabytes: usize) -> Option<Self> {
        ((1..=HARD_MAX_COUNT).contains(&max_count)
            && (1..=HARD_MAX_MEGABYTES).contains(&max_megabytes))
        .then_some(Self {
            max_count,
            max_bytes: max_megabytes * 1024 * 1024,
        })
    }

    pub fn max_megabytes(&self) -> usize {
        self.max_bytes / (1024 * 1024)
    }

    /// The sentence the page shows before the customer picks files.
    pub fn hint(&self) -> Message {
        Message::new("photos-hint")
            .with("count", self.max_count)
            .with("mb", self.max_megabytes())
    }

    /// The most a request may carry: every photo at its limit, and the words beside them.
    pub fn request_bytes(&self) -> usize {
        self.max_count * self.max_bytes + 256 * 1024
    }
}

/// Why one file was refused; every refusal names the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    TooLarge { max_megabytes: usize },
    NotAnImage,
    TooManyPixels,
}

impl Refusal {
    /// The customer's message about `file` (its name as their device gave it).
    pub fn message(&self, file: &str) -> Message {
        let file = display_name(file);
        match self {
            Refusal::TooLarge { max_megabytes } => Message::new("photo-too-large")
                .with("file", file)
                .with("mb", *max_megabytes),
            Refusal::NotAnImage => Message::new("photo-not-image").with("file", file),
            Refusal::TooManyPixels => Message::new("photo-too-many-pixels")
                .with("file", file)
                .with("megapixels", MAX_PIXELS / 1_000_000),
        }
    }
}

/// "You attached 7 photos; at most 5 are taken."
pub fn too_many(attached: usize, limits: &PhotoLimits) -> Message {
    Message::new("photos-too-many")
        .with("count", attached)
        .with("max", limits.max_count)
}

/// A file's name as it may be shown back: its last path part, without control characters,
/// at most 80 characters ("photo" when none is left).
pub fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(80).collect();
    if clean.trim().is_empty() {
        "photo".to_owned()
    } else {
        clean
    }
}

/// What the database stores of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StoredType {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
}

impl StoredType {
    pub fn as_str(self) -> &'static str {
        match self {
            StoredType::Jpeg => "image/jpeg",
            StoredType::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            StoredType::Jpeg => "jpg",
            StoredType::Png => "png",
        }
    }

    fn from_stored(stored: &str) -> Result<Self, Error> {
        match stored {
            "image/jpeg" => Ok(StoredType::Jpeg),
            "image/png" => Ok(StoredType::Png),
            _ => Err(Error::Corrupt),
        }
    }
}

/// A photo ready to store: re-encoded (no metadata), with its thumbnail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedPhoto {
    pub content_type: StoredType,
    pub width: u32,
    pub height: u32,
    pub image: Vec<u8>,
    /// A JPEG, at most [`THUMBNAIL_SIDE`] on its longer side.
    pub thumbnail: Vec<u8>,
}

/// An event's photos as the intake functions take them: parallel arrays, one element each.
#[derive(Debug, Default)]
pub(crate) struct PhotoColumns {
    pub images: Vec<Vec<u8>>,
    pub thumbnails: Vec<Vec<u8>>,
    pub content_types: Vec<String>,
    pub widths: Vec<i32>,
    pub heights: Vec<i32>,
}

impl PhotoColumns {
    pub fn of(photos: &[PreparedPhoto]) -> Self {
        let mut columns = Self::default();
        for photo in photos {
            columns.images.push(photo.image.clone());
            columns.thumbnails.push(photo.thumbnail.clone());
            columns
                .content_types
                .push(photo.content_type.as_str().to_owned());
            // MAX_SIDE keeps both far inside i32
            columns.widths.push(photo.width as i32);
            columns.heights.push(photo.height as i32);
        }
        columns
    }
}

/// A photo as the agent's detail view lists it: the thumbnail comes along, the full image
/// is fetched when the viewer opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PhotoInfo {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The timeline event that added it (the report, or a customer's message).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub event_id: i64,
    /// The issue it came with (a merged issue's photos show on the kept one).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub issue_id: i64,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u32,
    /// `data:image/jpeg;base64,…`, shown as it is (the desktop's CSP allows data images).
    pub thumbnail: String,
}

/// A photo at full size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub id: i64,
    pub issue_id: i64,
    pub content_type: StoredType,
    pub image: Vec<u8>,
}

impl Photo {
    /// The file name "save as" suggests: `issue-12-photo-34.jpg`.
    pub fn file_name(&self) -> String {
        format!(
            "issue-{}-photo-{}.{}",
            self.issue_id,
            self.id,
            self.content_type.extension()
        )
    }

    pub fn data_url(&self) -> String {
        data_url(self.content_type.as_str(), &self.image)
    }
}

fn data_url(content_type: &str, bytes: &[u8]) -> String {
    use base64::Engine as _;
    format!(
        "data:{content_type};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// The photos of an issue and of the issues merged into it, in timeline order.
pub async fn of_issue(db: impl PgExecutor<'_>, issue_id: i64) -> Result<Vec<PhotoInfo>, Error> {
    let rows = sqlx::query!(
        r#"SELECT p.id, p.event_id, p.issue_id, p.content_type, p.width, p.height,
                  octet_length(p.image) AS "bytes!", p.thumbnail
             FROM customer_care_photo p
            WHERE p.issue_id = $1
               OR p.issue_id IN (SELECT m.id FROM customer_care m WHERE m.merged_into = $1)
            ORDER BY p.event_id, p.position"#,
        issue_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| PhotoInfo {
            id: row.id,
            event_id: row.event_id,
            issue_id: row.issue_id,
            content_type: row.content_type,
            width: row.width.unsigned_abs(),
            height: row.height.unsigned_abs(),
            bytes: row.bytes.unsigned_abs(),
            thumbnail: data_url("image/jpeg", &row.thumbnail),
        })
        .collect())
}

/// One photo at full size; `PhotoNotFound` when it is gone (its issue was deleted).
pub async fn get(db: impl PgExecutor<'_>, photo_id: i64) -> Result<Photo, Error> {
    let row = sqlx::query!(
        "SELECT id, issue_id, content_type, image FROM customer_care_photo WHERE id = $1",
        photo_id
    )
    .fetch_optional(db)
    .await?
    .ok_or(Error::PhotoNotFound(photo_id))?;
    Ok(Photo {
        id: row.id,
        issue_id: row.issue_id,
        content_type: StoredType::from_stored(&row.content_type)?,
        image: row.image,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_kept_in_range() {
        assert_eq!(PhotoLimits::new(5, 10), Some(PhotoLimits::default()));
        assert!(PhotoLimits::new(0, 10).is_none());
        assert!(PhotoLimits::new(HARD_MAX_COUNT + 1, 10).is_none());
        assert!(PhotoLimits::new(5, 0).is_none());
        assert!(PhotoLimits::new(5, HARD_MAX_MEGABYTES + 1).is_none());
        assert_eq!(PhotoLimits::default().max_megabytes(), 10);
    }

    #[test]
    fn file_names_are_shown_without_paths_or_control_characters() {
        assert_eq!(
            display_name("C:\\Users\\me\\IMG_0001.HEIC"),
            "IMG_0001.HEIC"
        );
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("bad\u{7}name.jpg"), "badname.jpg");
        assert_eq!(display_name(""), "photo");
        assert_eq!(display_name(&"x".repeat(200)).chars().count(), 80);
    }

    #[test]
    fn refusals_name_the_file() {
        let text = Refusal::NotAnImage
            .message("dir/invoice.pdf")
            .in_language(crate::domain::Language::En);
        assert!(text.contains("invoice.pdf"), "{text}");
        let text = Refusal::TooLarge { max_megabytes: 10 }
            .message("big.jpg")
            .in_language(crate::domain::Language::En);
        assert!(text.contains("big.jpg") && text.contains("10"), "{text}");
    }
}
