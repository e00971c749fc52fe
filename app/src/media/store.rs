//! Case images: checking an upload, re-encoding it without its metadata, and keeping the
//! results in an object store (a local directory by default, an S3-compatible bucket when
//! configured, so that several app servers share one).

use bytes::Bytes;
use image::{
    codecs::{jpeg::JpegEncoder, png::PngEncoder},
    imageops::FilterType,
    DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits,
};
use object_store::{path::Path, ObjectStore, PutPayload};
use std::io::Cursor;
use std::sync::Arc;

/// The longest side of the display size, in pixels.
pub const DISPLAY_MAX: u32 = 1600;
/// The longest side of the thumbnail, in pixels.
pub const THUMB_MAX: u32 = 360;
/// Images larger than this in either dimension are refused before decoding (decompression
/// bombs: a small file can claim a huge canvas).
pub const DIMENSION_MAX: u32 = 12_000;
pub const DEFAULT_UPLOAD_MAX: usize = 10 * 1024 * 1024;

/// Where images are kept, and how large an upload may be.
#[derive(Clone)]
pub struct Media {
    pub store: Arc<dyn ObjectStore>,
    pub max_bytes: usize,
}

impl std::fmt::Debug for Media {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Media")
            .field("store", &self.store.to_string())
            .field("max_bytes", &self.max_bytes)
            .finish()
    }
}

/// Why an upload was refused; each says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("Choose an image file to upload.")]
    Empty,
    #[error("The image is larger than {0} MB; export it smaller and try again.")]
    TooLarge(usize),
    #[error("Only JPEG, PNG or WebP images can be uploaded.")]
    UnsupportedType,
    #[error("The file could not be read as an image; it may be damaged.")]
    Corrupt,
    #[error("The image is over {DIMENSION_MAX} pixels wide or high; export it smaller.")]
    TooManyPixels,
}

/// What an upload becomes: two re-encoded renditions, neither carrying the original's metadata.
#[derive(Debug, Clone)]
pub struct Processed {
    pub content_type: &'static str,
    pub extension: &'static str,
    /// Dimensions of the display rendition.
    pub width: u32,
    pub height: u32,
    pub display: Vec<u8>,
    pub thumb: Vec<u8>,
}

/// Checks the bytes are really a JPEG, PNG or WebP image (by content, not by name), decodes
/// them, turns the picture upright as its EXIF orientation says, and re-encodes a display size
/// and a thumbnail. Re-encoding writes pixels only, so EXIF (GPS, camera serials), XMP, ICC
/// and text comments of the upload are gone. CPU-bound: call it on the blocking pool.
pub fn process(bytes: &[u8], max_bytes: usize) -> Result<Processed, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(UploadError::TooLarge(max_bytes.div_ceil(1024 * 1024)));
    }
    let format = image::guess_format(bytes).map_err(|_| UploadError::UnsupportedType)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(UploadError::UnsupportedType);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(DIMENSION_MAX);
    limits.max_image_height = Some(DIMENSION_MAX);
    limits.max_alloc = Some(1024 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let orientation = decoder.orientation().ok();
    let mut picture = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    if let Some(orientation) = orientation {
        picture.apply_orientation(orientation);
    }

    let display = fit(&picture, DISPLAY_MAX, FilterType::Lanczos3);
    let thumb = fit(&display, THUMB_MAX, FilterType::Triangle);
    // Pictures with transparency stay PNG; everything else (photographs, scans) is JPEG.
    let transparent = picture.color().has_alpha();
    let (content_type, extension) = if transparent {
        ("image/png", "png")
    } else {
        ("image/jpeg", "jpg")
    };
    Ok(Processed {
        content_type,
        extension,
        width: display.width(),
        height: display.height(),
        display: encode(&display, transparent)?,
        thumb: encode(&thumb, transparent)?,
    })
}

fn decode_error(error: image::ImageError) -> UploadError {
    match error {
        image::ImageError::Limits(_) => UploadError::TooManyPixels,
        image::ImageError::Unsupported(_) => UploadError::UnsupportedType,
        _ => UploadError::Corrupt,
    }
}

/// Scales down (never up) so the longest side is at most `max`.
fn fit(picture: &DynamicImage, max: u32, filter: FilterType) -> DynamicImage {
    if picture.width() <= max && picture.height() <= max {
        picture.clone()
    } else {
        picture.resize(max, max, filter)
    }
}

fn encode(picture: &DynamicImage, transparent: bool) -> Result<Vec<u8>, UploadError> {
    let mut out = Vec::new();
    let result = if transparent {
        let rgba = picture.to_rgba8();
        PngEncoder::new(&mut out).write_image(
            rgba.as_raw(),
            rgba.width(),
            rgba.height(),
            image::ExtendedColorType::Rgba8,
        )
    } else {
        let rgb = picture.to_rgb8();
        JpegEncoder::new_with_quality(&mut out, 85).write_image(
            rgb.as_raw(),
            rgb.width(),
            rgb.height(),
            image::ExtendedColorType::Rgb8,
        )
    };
    result.map_err(|_| UploadError::Corrupt)?;
    Ok(out)
}

/// The object-store keys of an image's renditions, under what it belongs to (`cases/12`,
/// `consults/7`).
pub fn keys(owner: &str, token: &str, extension: &str) -> (String, String) {
    (
        format!("{owner}/{token}-display.{extension}"),
        format!("{owner}/{token}-thumb.{extension}"),
    )
}

impl Media {
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), object_store::Error> {
        self.store
            .put(&Path::from(key), PutPayload::from(bytes))
            .await
            .map(|_| ())
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, object_store::Error> {
        self.store.get(&Path::from(key)).await?.bytes().await
    }

    /// Deletes an object; one already gone is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), object_store::Error> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }
}

/// Test pictures, shared by the unit and integration tests.
pub mod fixtures {
    use image::codecs::jpeg::JpegEncoder;
    use image::{ImageEncoder, Rgb, RgbImage};

    /// A minimal EXIF block (little-endian TIFF) with a camera serial number and a GPS IFD
    /// holding a latitude reference — what a phone writes into every photograph.
    pub fn exif_with_gps() -> Vec<u8> {
        let mut t = Vec::new();
        t.extend_from_slice(b"II*\0");
        t.extend_from_slice(&8u32.to_le_bytes());
        // IFD0 at 8: two entries.
        t.extend_from_slice(&2u16.to_le_bytes());
        // BodySerialNumber (0xA431), ASCII, 8 bytes at offset 50.
        t.extend_from_slice(&0xA431u16.to_le_bytes());
        t.extend_from_slice(&2u16.to_le_bytes());
        t.extend_from_slice(&8u32.to_le_bytes());
        t.extend_from_slice(&50u32.to_le_bytes());
        // GPSInfo (0x8825) pointer to the GPS IFD at 32.
        t.extend_from_slice(&0x8825u16.to_le_bytes());
        t.extend_from_slice(&4u16.to_le_bytes());
        t.extend_from_slice(&1u32.to_le_bytes());
        t.extend_from_slice(&32u32.to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        // GPS IFD at 32: GPSLatitudeRef = "N".
        t.extend_from_slice(&1u16.to_le_bytes());
        t.extend_from_slice(&1u16.to_le_bytes());
        t.extend_from_slice(&2u16.to_le_bytes());
        t.extend_from_slice(&2u32.to_le_bytes());
        t.extend_from_slice(b"N\0\0\0");
        t.extend_from_slice(&0u32.to_le_bytes());
        t.extend_from_slice(b"SN12345\0");
        t
    }

    /// A JPEG photograph of `w`×`h` pixels carrying [`exif_with_gps`].
    pub fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
        let picture = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        let mut encoder = JpegEncoder::new_with_quality(&mut out, 90);
        encoder
            .set_exif_metadata(exif_with_gps())
            .expect("the JPEG encoder writes EXIF");
        encoder
            .write_image(picture.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .expect("encodes");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::jpeg_with_exif;
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn the_test_photograph_really_carries_gps_exif() {
        let original = jpeg_with_exif(64, 48);
        assert!(contains(&original, b"Exif\0\0"));
        assert!(contains(&original, b"SN12345"));
        let mut decoder = image::codecs::jpeg::JpegDecoder::new(Cursor::new(&original)).unwrap();
        assert!(decoder.exif_metadata().unwrap().is_some());
    }

    #[test]
    fn re_encoding_strips_exif_and_keeps_the_picture() {
        let original = jpeg_with_exif(2400, 1200);
        let out = process(&original, DEFAULT_UPLOAD_MAX).expect("a valid JPEG");
        assert_eq!(out.content_type, "image/jpeg");
        assert_eq!((out.width, out.height), (1600, 800));
        for rendition in [&out.display, &out.thumb] {
            assert!(!contains(rendition, b"Exif\0\0"));
            assert!(!contains(rendition, b"SN12345"));
            let mut decoder =
                image::codecs::jpeg::JpegDecoder::new(Cursor::new(rendition)).unwrap();
            assert_eq!(decoder.exif_metadata().unwrap(), None);
        }
        let thumb = image::load_from_memory(&out.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (360, 180));
    }

    #[test]
    fn small_images_are_not_enlarged() {
        let out = process(&jpeg_with_exif(300, 200), DEFAULT_UPLOAD_MAX).unwrap();
        assert_eq!((out.width, out.height), (300, 200));
    }

    #[test]
    fn transparent_png_stays_png_and_webp_is_accepted() {
        let picture = RgbaImage::from_pixel(40, 30, Rgba([10, 20, 30, 128]));
        let mut png = Vec::new();
        PngEncoder::new(&mut png)
            .write_image(picture.as_raw(), 40, 30, image::ExtendedColorType::Rgba8)
            .unwrap();
        let out = process(&png, DEFAULT_UPLOAD_MAX).unwrap();
        assert_eq!(out.content_type, "image/png");
        assert_eq!(out.extension, "png");

        let rgb = RgbImage::from_pixel(40, 30, Rgb([200, 10, 10]));
        let mut webp = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut webp)
            .write_image(rgb.as_raw(), 40, 30, image::ExtendedColorType::Rgb8)
            .unwrap();
        let out = process(&webp, DEFAULT_UPLOAD_MAX).unwrap();
        assert_eq!(out.content_type, "image/jpeg");
        assert_eq!((out.width, out.height), (40, 30));
    }

    #[test]
    fn bad_uploads_are_refused_with_a_reason() {
        assert_eq!(process(b"", 100).unwrap_err(), UploadError::Empty);
        assert_eq!(
            process(b"%PDF-1.7 pretending to be a photo", 1000).unwrap_err(),
            UploadError::UnsupportedType
        );
        assert_eq!(
            process(b"GIF89a\x01\x00\x01\x00", 1000).unwrap_err(),
            UploadError::UnsupportedType
        );
        // A real JPEG header followed by garbage.
        let mut broken = jpeg_with_exif(32, 32);
        broken.truncate(broken.len() / 3);
        broken.extend_from_slice(&[0x13; 64]);
        assert_eq!(
            process(&broken, DEFAULT_UPLOAD_MAX).unwrap_err(),
            UploadError::Corrupt
        );
        let big = jpeg_with_exif(64, 64);
        assert_eq!(
            process(&big, big.len() - 1).unwrap_err(),
            UploadError::TooLarge(1)
        );
    }

    #[test]
    fn a_huge_canvas_is_refused_before_it_is_decoded() {
        // A PNG header claiming 20000×20000 pixels, followed by nothing.
        let mut png = Vec::new();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&20_000u32.to_be_bytes());
        png.extend_from_slice(&20_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0]);
        let crc = crc32(&png[12..]);
        png.extend_from_slice(&crc.to_be_bytes());
        assert_eq!(
            process(&png, DEFAULT_UPLOAD_MAX).unwrap_err(),
            UploadError::TooManyPixels
        );
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in data {
            crc ^= byte as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
