//! Uploaded photos for news posts: check, orient, resize, re-encode.
//!
//! * [`probe`] sniffs the format from the content (JPEG, PNG, WebP; HEIC is
//!   recognised and refused with [`MediaError::Heic`]) and reads width ×
//!   height from the header without decoding pixels. It refuses an empty
//!   file, a file over [`Limits::max_bytes`], a header announcing more than
//!   [`Limits::max_pixels`] (so a 30,000 × 30,000 PNG bomb costs nothing), a
//!   fake (text renamed `.jpg`) and a JPEG cut short.
//! * [`process`] decodes within the same limits (the `image` crate's
//!   `Limits` bound the decoder's allocations), applies the EXIF
//!   orientation, resizes with `fast_image_resize` (Lanczos3) to each of
//!   [`Limits::widths`] — never upscaling, keeping the aspect ratio — and
//!   encodes every size twice: once in the fallback family
//!   ([`Encoding::Png`] when the picture has real transparency, otherwise
//!   [`Encoding::Jpeg`], whatever the upload was) and once as lossy
//!   [`Encoding::Webp`] through libwebp.
//!
//! Copies are encoded from decoded pixels and no metadata is ever written,
//! so no EXIF, GPS, XMP or ICC data of the upload reaches a served copy
//! (the tests check it). Colours are taken as sRGB: an embedded ICC profile
//! is dropped, not applied.
//!
//! Everything is synchronous and CPU-bound: call [`process`] from a job or
//! `spawn_blocking`, not on an async executor thread. A 12-megapixel JPEG
//! takes a few hundred milliseconds of one core in a release build (figures
//! in BENCHMARKS.md, "Photos").
//!
//! ```
//! use hoithi_media::{Limits, Variant, process};
//! # let mut bytes = Vec::new();
//! # image::RgbImage::new(1600, 900)
//! #     .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
//! #     .unwrap();
//! let photo = match process(&bytes, &Limits::default()) {
//!     Ok(p) => p,
//!     // Show e.vi() (or e.en()) beside the upload field; store nothing.
//!     Err(e) => panic!("{} / {}", e.vi(), e.en()),
//! };
//! // Store every variant (here as /anh/7-<width>.<ext>), then serve:
//! let set = |vs: &mut dyn Iterator<Item = &Variant>| {
//!     vs.map(|v| format!("/anh/7-{}.{} {}w", v.width, v.encoding.extension(), v.width))
//!         .collect::<Vec<_>>()
//!         .join(", ")
//! };
//! let html = format!(
//!     r#"<picture><source type="image/webp" srcset="{}"><img src="/anh/7-720.jpg" srcset="{}" sizes="(max-width: 720px) 100vw, 720px" width="{}" height="{}" loading="lazy" alt="…"></picture>"#,
//!     set(&mut photo.webp()),
//!     set(&mut photo.fallback()),
//!     photo.width,
//!     photo.height,
//! );
//! assert!(html.contains("/anh/7-360.webp 360w, /anh/7-720.webp 720w, /anh/7-1280.webp 1280w"));
//! ```

mod error;
mod sniff;

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use fast_image_resize as fir;
use image::{DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageError, ImageReader};

pub use error::MediaError;

/// An accepted upload format, sniffed from content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }

    fn image_format(self) -> image::ImageFormat {
        match self {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
            Format::Webp => image::ImageFormat::WebP,
        }
    }
}

/// How one served copy is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Jpeg,
    Png,
    Webp,
}

impl Encoding {
    pub fn mime(self) -> &'static str {
        match self {
            Encoding::Jpeg => "image/jpeg",
            Encoding::Png => "image/png",
            Encoding::Webp => "image/webp",
        }
    }

    /// File extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::Jpeg => "jpg",
            Encoding::Png => "png",
            Encoding::Webp => "webp",
        }
    }
}

/// Bounds and output settings. `Limits::default()` is what the news module
/// should use unless it has a reason not to.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest accepted file. Default 20 MiB.
    pub max_bytes: usize,
    /// Largest width × height announced by the header. Default 50,000,000
    /// (a 48-megapixel phone photo passes; a decompression bomb does not).
    pub max_pixels: u64,
    /// Longest accepted side, in pixels. Default 20,000.
    pub max_side: u32,
    /// Most memory the decoder may allocate. Default 512 MiB.
    pub max_alloc: u64,
    /// Widths of the copies, in pixels. Each is capped at the picture's own
    /// width (never upscaled) and duplicates are dropped, so a 500 px wide
    /// picture with the default `[360, 720, 1280]` gives 360 and 500.
    pub widths: Vec<u32>,
    /// JPEG quality, 1–100. Default 82.
    pub jpeg_quality: u8,
    /// Lossy WebP quality, 0–100. Default 78.
    pub webp_quality: f32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 20 * 1024 * 1024,
            max_pixels: 50_000_000,
            max_side: 20_000,
            max_alloc: 512 * 1024 * 1024,
            widths: vec![360, 720, 1280],
            jpeg_quality: 82,
            webp_quality: 78.0,
        }
    }
}

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub format: Format,
    /// As stored, before EXIF orientation (a portrait phone photo stored
    /// sideways reads here as landscape; [`Processed`] has the shown size).
    pub width: u32,
    pub height: u32,
    /// Size of the file.
    pub bytes: usize,
}

/// One served copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub encoding: Encoding,
    /// Same as `encoding.mime()`, for convenience.
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// The copies of one photo.
#[derive(Debug, Clone, PartialEq)]
pub struct Processed {
    pub format: Format,
    /// Size as shown, after EXIF orientation (use for width/height attributes).
    pub width: u32,
    pub height: u32,
    /// Whether some pixel is not fully opaque (then the fallback copies are PNG).
    pub has_alpha: bool,
    /// Ordered by width, ascending; for each width the fallback copy (JPEG or
    /// PNG) comes first, then the WebP copy.
    pub variants: Vec<Variant>,
}

impl Processed {
    /// The fallback copies (JPEG or PNG), narrowest first: one `srcset`.
    pub fn fallback(&self) -> impl Iterator<Item = &Variant> {
        self.variants
            .iter()
            .filter(|v| v.encoding != Encoding::Webp)
    }

    /// The WebP copies, narrowest first: the `<source type="image/webp">` `srcset`.
    pub fn webp(&self) -> impl Iterator<Item = &Variant> {
        self.variants
            .iter()
            .filter(|v| v.encoding == Encoding::Webp)
    }
}

/// [`probe_with`] under `Limits::default()`.
pub fn probe(bytes: &[u8]) -> Result<Probe, MediaError> {
    probe_with(bytes, &Limits::default())
}

/// Sniffs the format and reads the size from the header; no pixel is decoded.
pub fn probe_with(bytes: &[u8], limits: &Limits) -> Result<Probe, MediaError> {
    guarded(|| probe_inner(bytes, limits))
}

fn probe_inner(bytes: &[u8], limits: &Limits) -> Result<Probe, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge {
            bytes: bytes.len(),
            max_bytes: limits.max_bytes,
        });
    }
    let format = sniff::sniff(bytes)?;
    if format == Format::Jpeg {
        sniff::check_jpeg_complete(bytes)?;
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    // Header only. Width and height are checked below, by us (to name them
    // in the error); the allocation cap still bounds what the PNG decoder
    // inflates from text and ICC chunks before the first IDAT.
    let mut header_limits = image::Limits::default();
    header_limits.max_image_width = None;
    header_limits.max_image_height = None;
    header_limits.max_alloc = Some(limits.max_alloc);
    reader.limits(header_limits);
    let (width, height) = reader.into_dimensions().map_err(decode_error)?;
    if width == 0 || height == 0 {
        return Err(MediaError::corrupt("zero width or height"));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels
        || width > limits.max_side
        || height > limits.max_side
    {
        return Err(MediaError::TooManyPixels {
            width,
            height,
            max_pixels: limits.max_pixels,
        });
    }
    Ok(Probe {
        format,
        width,
        height,
        bytes: bytes.len(),
    })
}

/// Checks, decodes, orients, resizes and encodes one photo (see the crate docs).
pub fn process(bytes: &[u8], limits: &Limits) -> Result<Processed, MediaError> {
    let probe = probe_with(bytes, limits)?;
    let image = decode(bytes, probe.format, limits)?;
    encode_all(probe.format, image, limits, &mut Fir::default())
}

/// Decodes with the `image` crate's allocation limits and applies the EXIF
/// orientation. Public for the benchmark; [`process`] is the API.
#[doc(hidden)]
pub fn decode(bytes: &[u8], format: Format, limits: &Limits) -> Result<DynamicImage, MediaError> {
    guarded(|| {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
        let mut image_limits = image::Limits::default();
        image_limits.max_image_width = Some(limits.max_side);
        image_limits.max_image_height = Some(limits.max_side);
        image_limits.max_alloc = Some(limits.max_alloc);
        reader.limits(image_limits);
        let mut decoder = reader.into_decoder().map_err(decode_error)?;
        // A damaged EXIF block only loses the rotation, not the photo.
        let orientation = decoder
            .orientation()
            .unwrap_or(image::metadata::Orientation::NoTransforms);
        let mut image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
        image.apply_orientation(orientation);
        Ok(image)
    })
}

/// A resizer: `fast_image_resize` in [`process`]; the benchmark swaps in
/// the `image` crate's own resize as its peer.
#[doc(hidden)]
pub trait Resize {
    /// Resizes 8-bit RGB (`channels == 3`) or RGBA (`channels == 4`) pixels.
    fn resize(
        &mut self,
        pixels: &[u8],
        width: u32,
        height: u32,
        channels: u8,
        to: (u32, u32),
    ) -> Result<Vec<u8>, MediaError>;
}

/// `fast_image_resize` with Lanczos3 (alpha premultiplied while resizing).
#[doc(hidden)]
#[derive(Default)]
pub struct Fir(fir::Resizer);

impl Resize for Fir {
    fn resize(
        &mut self,
        pixels: &[u8],
        width: u32,
        height: u32,
        channels: u8,
        (tw, th): (u32, u32),
    ) -> Result<Vec<u8>, MediaError> {
        let pixel_type = if channels == 4 {
            fir::PixelType::U8x4
        } else {
            fir::PixelType::U8x3
        };
        let src = fir::images::ImageRef::new(width, height, pixels, pixel_type)
            .map_err(MediaError::internal)?;
        let mut dst = fir::images::Image::new(tw, th, pixel_type);
        let options = fir::ResizeOptions::new()
            .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3));
        self.0
            .resize(&src, &mut dst, &options)
            .map_err(MediaError::internal)?;
        Ok(dst.into_vec())
    }
}

/// Sizes of the copies: each width capped at the picture's, deduplicated,
/// heights keeping the aspect ratio.
fn target_sizes(width: u32, height: u32, widths: &[u32]) -> Vec<(u32, u32)> {
    let mut ws: Vec<u32> = widths
        .iter()
        .map(|&w| w.clamp(1, width))
        .collect::<Vec<_>>();
    if ws.is_empty() {
        ws.push(width);
    }
    ws.sort_unstable();
    ws.dedup();
    ws.into_iter()
        .map(|w| {
            let h = (u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width);
            (w, u32::try_from(h).unwrap_or(height).max(1))
        })
        .collect()
}

/// Resizes and encodes an oriented picture. Public for the benchmark.
#[doc(hidden)]
pub fn encode_all(
    format: Format,
    image: DynamicImage,
    limits: &Limits,
    resizer: &mut dyn Resize,
) -> Result<Processed, MediaError> {
    guarded(|| {
        let (width, height) = (image.width(), image.height());
        let has_alpha = image.color().has_alpha() && {
            let rgba = image.to_rgba8();
            rgba.pixels().any(|p| p.0[3] < 255)
        };
        let (pixels, channels) = if has_alpha {
            (image.into_rgba8().into_raw(), 4u8)
        } else {
            (image.into_rgb8().into_raw(), 3u8)
        };
        let mut variants = Vec::new();
        for (tw, th) in target_sizes(width, height, &limits.widths) {
            let resized;
            let buf: &[u8] = if (tw, th) == (width, height) {
                &pixels
            } else {
                resized = resizer.resize(&pixels, width, height, channels, (tw, th))?;
                &resized
            };
            let fallback = if has_alpha {
                encode_png(buf, tw, th)?
            } else {
                encode_jpeg(buf, tw, th, limits.jpeg_quality)?
            };
            let encoding = if has_alpha {
                Encoding::Png
            } else {
                Encoding::Jpeg
            };
            variants.push(Variant {
                width: tw,
                height: th,
                encoding,
                mime: encoding.mime(),
                bytes: fallback,
            });
            variants.push(Variant {
                width: tw,
                height: th,
                encoding: Encoding::Webp,
                mime: Encoding::Webp.mime(),
                bytes: encode_webp(buf, tw, th, channels, limits.webp_quality)?,
            });
        }
        Ok(Processed {
            format,
            width,
            height,
            has_alpha,
            variants,
        })
    })
}

fn encode_jpeg(rgb: &[u8], w: u32, h: u32, quality: u8) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100))
        .write_image(rgb, w, h, ExtendedColorType::Rgb8)
        .map_err(MediaError::internal)?;
    Ok(out)
}

fn encode_png(rgba: &[u8], w: u32, h: u32) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Default,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(rgba, w, h, ExtendedColorType::Rgba8)
    .map_err(MediaError::internal)?;
    Ok(out)
}

fn encode_webp(
    pixels: &[u8],
    w: u32,
    h: u32,
    channels: u8,
    quality: f32,
) -> Result<Vec<u8>, MediaError> {
    let encoder = if channels == 4 {
        webp::Encoder::from_rgba(pixels, w, h)
    } else {
        webp::Encoder::from_rgb(pixels, w, h)
    };
    let memory = encoder
        .encode_simple(false, quality.clamp(0.0, 100.0))
        .map_err(|e| MediaError::internal(format!("libwebp: {e:?}")))?;
    Ok(memory.to_vec())
}

fn decode_error(e: ImageError) -> MediaError {
    match e {
        ImageError::Limits(_) => MediaError::TooManyPixels {
            width: 0,
            height: 0,
            max_pixels: 0,
        },
        ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            MediaError::Truncated
        }
        ImageError::Unsupported(u) => MediaError::corrupt(u),
        other => {
            let text = other.to_string();
            if text.contains("EOF") || text.to_ascii_lowercase().contains("end of file") {
                MediaError::Truncated
            } else {
                MediaError::corrupt(text)
            }
        }
    }
}

/// Decoders are third-party code fed untrusted bytes: a panic in them
/// becomes an error, not a crashed worker.
fn guarded<T>(f: impl FnOnce() -> Result<T, MediaError>) -> Result<T, MediaError> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(MediaError::internal("panic while handling the image")))
}

#[cfg(test)]
mod tests {
    use super::target_sizes;

    #[test]
    fn sizes_never_upscale_and_keep_aspect() {
        assert_eq!(
            target_sizes(4000, 3000, &[360, 720, 1280]),
            vec![(360, 270), (720, 540), (1280, 960)]
        );
        assert_eq!(
            target_sizes(500, 1000, &[360, 720, 1280]),
            vec![(360, 720), (500, 1000)]
        );
        assert_eq!(target_sizes(3, 1, &[]), vec![(3, 1)]);
        assert_eq!(target_sizes(1000, 1, &[360]), vec![(360, 1)]);
    }
}
