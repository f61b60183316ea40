//! What a file is, found by decoding it (never by its name or declared type), with the
//! decoder held to pixel and memory limits, and the pixels re-encoded so that nothing else
//! of the file (EXIF, GPS, camera serials, appended payloads) survives.

use std::io::Cursor;
use std::sync::OnceLock;

use caredesk_core::photos::{
    MAX_PIXELS, MAX_SIDE, PreparedPhoto, Refusal, StoredType, THUMBNAIL_SIDE,
};
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage, Rgba};

/// What the decoder may allocate for one image (a 64-megapixel RGBA image and its copy).
const MAX_ALLOC_BYTES: u64 = 640 * 1024 * 1024;
const PHOTO_QUALITY: u8 = 85;
const THUMBNAIL_QUALITY: u8 = 80;

/// Decodes one file and re-encodes it: a PNG stays a PNG (screenshots keep their sharp
/// text), everything else becomes a JPEG.
pub fn prepare(bytes: &[u8]) -> Result<PreparedPhoto, Refusal> {
    let (image, kind) = if is_heif(bytes) {
        (decode_heif(bytes)?, StoredType::Jpeg)
    } else {
        decode_common(bytes)?
    };
    let image = fit(image, MAX_SIDE);
    let (width, height) = (image.width(), image.height());
    let encoded = match kind {
        StoredType::Png => {
            let mut out = Cursor::new(Vec::new());
            image
                .write_to(&mut out, ImageFormat::Png)
                .map_err(|_| Refusal::NotAnImage)?;
            out.into_inner()
        }
        StoredType::Jpeg => jpeg(&image, PHOTO_QUALITY)?,
    };
    let thumbnail = jpeg(
        &image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE),
        THUMBNAIL_QUALITY,
    )?;
    Ok(PreparedPhoto {
        content_type: kind,
        width,
        height,
        image: encoded,
        thumbnail,
    })
}

/// JPEG, PNG and WebP, through the image crate, turned upright by their EXIF orientation.
fn decode_common(bytes: &[u8]) -> Result<(DynamicImage, StoredType), Refusal> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| Refusal::NotAnImage)?;
    let kind = match reader.format() {
        Some(ImageFormat::Png) => StoredType::Png,
        Some(ImageFormat::Jpeg) if jpeg_is_complete(bytes) => StoredType::Jpeg,
        Some(ImageFormat::WebP) => StoredType::Jpeg,
        _ => return Err(Refusal::NotAnImage),
    };
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal_of)?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height)?;
    let orientation = decoder.orientation().map_err(refusal_of)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(refusal_of)?;
    image.apply_orientation(orientation);
    Ok((image, kind))
}

/// Whether a JPEG's segments run on to its end-of-image marker. The JPEG decoder is
/// lenient with a file cut short (it paints the missing part grey), so a truncated upload
/// is caught here instead; what follows the marker (some phones append data) is ignored,
/// and dropped by the re-encoding.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    const END_OF_IMAGE: u8 = 0xD9;
    const START_OF_SCAN: u8 = 0xDA;
    let is_restart = |marker: u8| (0xD0..=0xD7).contains(&marker);
    let mut at = 2; // after the start-of-image marker
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        match marker {
            END_OF_IMAGE => return true,
            // a fill byte before a marker
            0xFF => {
                at += 1;
                continue;
            }
            // markers without a length
            0x01 => {
                at += 2;
                continue;
            }
            m if is_restart(m) => {
                at += 2;
                continue;
            }
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        at += 2 + length;
        if marker == START_OF_SCAN {
            // the entropy-coded data runs to the next marker that is not a stuffed zero
            // or a restart
            while at + 1 < bytes.len()
                && !(bytes[at] == 0xFF && bytes[at + 1] != 0x00 && !is_restart(bytes[at + 1]))
            {
                at += 1;
            }
        }
    }
    bytes.get(at..at + 2) == Some(&[0xFF, END_OF_IMAGE][..])
}

fn refusal_of(error: image::ImageError) -> Refusal {
    match error {
        image::ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::NotAnImage,
    }
}

fn check_pixels(width: u32, height: u32) -> Result<(), Refusal> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Refusal::TooManyPixels);
    }
    if width == 0 || height == 0 {
        return Err(Refusal::NotAnImage);
    }
    Ok(())
}

/// An ISO base media file whose brand is HEIC or HEIF (what iPhones and many Android
/// phones take photos in).
fn is_heif(bytes: &[u8]) -> bool {
    const BRANDS: [&[u8; 4]; 7] = [
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1",
    ];
    bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && BRANDS.iter().any(|b| &bytes[8..12] == *b)
}

fn libheif() -> &'static libheif_rs::LibHeif {
    static LIBHEIF: OnceLock<libheif_rs::LibHeif> = OnceLock::new();
    LIBHEIF.get_or_init(libheif_rs::LibHeif::new)
}

/// HEIC/HEIF through libheif, which applies the file's rotation and mirroring itself.
fn decode_heif(bytes: &[u8]) -> Result<DynamicImage, Refusal> {
    use libheif_rs::{ColorSpace, HeifContext, RgbChroma, SecurityLimits};
    let mut context = HeifContext::new().map_err(|_| Refusal::NotAnImage)?;
    let mut limits = SecurityLimits::new();
    limits.set_max_image_size_pixels(MAX_PIXELS);
    limits.set_max_memory_block_size(MAX_ALLOC_BYTES);
    context
        .set_security_limits(&limits)
        .map_err(|_| Refusal::NotAnImage)?;
    context.read_bytes(bytes).map_err(|_| Refusal::NotAnImage)?;
    let handle = context
        .primary_image_handle()
        .map_err(|_| Refusal::NotAnImage)?;
    check_pixels(handle.width(), handle.height())?;
    let decoded = libheif()
        .decode(&handle, ColorSpace::Rgb(RgbChroma::Rgb), None)
        .map_err(|_| Refusal::NotAnImage)?;
    let plane = decoded.planes().interleaved.ok_or(Refusal::NotAnImage)?;
    let (width, height) = (plane.width, plane.height);
    check_pixels(width, height)?;
    let row_bytes = width as usize * 3;
    let mut pixels = Vec::with_capacity(row_bytes * height as usize);
    for row in plane.data.chunks(plane.stride).take(height as usize) {
        pixels.extend_from_slice(row.get(..row_bytes).ok_or(Refusal::NotAnImage)?);
    }
    RgbImage::from_raw(width, height, pixels)
        .map(DynamicImage::ImageRgb8)
        .ok_or(Refusal::NotAnImage)
}

/// Scaled down so that its longer side is at most `side` (never up).
fn fit(image: DynamicImage, side: u32) -> DynamicImage {
    if image.width() <= side && image.height() <= side {
        image
    } else {
        image.resize(side, side, FilterType::Triangle)
    }
}

/// A JPEG of the image; transparent parts are shown on white, as a viewer would.
fn jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, Refusal> {
    let rgb = if image.color().has_alpha() {
        let mut rgba = image.to_rgba8();
        for pixel in rgba.pixels_mut() {
            let Rgba([r, g, b, a]) = *pixel;
            let over_white =
                |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
            *pixel = Rgba([over_white(r), over_white(g), over_white(b), 255]);
        }
        DynamicImage::ImageRgba8(rgba).to_rgb8()
    } else {
        image.to_rgb8()
    };
    let (Ok(width), Ok(height)) = (u16::try_from(rgb.width()), u16::try_from(rgb.height())) else {
        return Err(Refusal::TooManyPixels);
    };
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|_| Refusal::NotAnImage)?;
    Ok(out)
}
