//! Photos as users upload them, and as attackers do.

use hoithi_media::{Encoding, Format, Limits, MediaError, probe, probe_with, process};
use std::io::Cursor;

use image::{ExtendedColorType, ImageEncoder, RgbImage, RgbaImage};

/// Small deterministic noise so pictures have realistic entropy.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u8 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 32) as u8
    }
}

fn noisy_rgb(w: u32, h: u32) -> RgbImage {
    let mut n = Noise(0x9E37_79B9_7F4A_7C15);
    RgbImage::from_fn(w, h, |x, y| {
        let g = ((x * 255) / w.max(1)) as u8;
        let b = ((y * 255) / h.max(1)) as u8;
        image::Rgb([g / 2 + n.next() / 2, b, n.next() / 4 + 64])
    })
}

fn jpeg(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(img, img.width(), img.height(), ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn png_rgba(img: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img, img.width(), img.height(), ExtendedColorType::Rgba8)
        .unwrap();
    out
}

/// A big-endian TIFF block with IFD0 {Orientation, GPS pointer} and a GPS
/// IFD {GPSLatitudeRef "N", GPSMapDatum "GPSTESTMARK"}.
fn exif_with_gps(orientation: u16) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"MM\0*");
    t.extend_from_slice(&8u32.to_be_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_be_bytes());
        t.extend_from_slice(&typ.to_be_bytes());
        t.extend_from_slice(&count.to_be_bytes());
        t.extend_from_slice(&value);
    };
    // IFD0 at 8: 2 entries, ends at 8 + 2 + 24 + 4 = 38.
    t.extend_from_slice(&2u16.to_be_bytes());
    let o = orientation.to_be_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, 4, 1, 38u32.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    assert_eq!(t.len(), 38);
    // GPS IFD at 38: 2 entries, ends at 68, where the datum string sits.
    t.extend_from_slice(&2u16.to_be_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut t, 0x0012, 2, 12, 68u32.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    assert_eq!(t.len(), 68);
    t.extend_from_slice(b"GPSTESTMARK\0");
    t
}

/// Inserts an APP1 EXIF segment right after SOI.
fn with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
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

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A valid PNG header announcing `w` × `h` with a few bytes of data: what a
/// decompression bomb looks like before it is inflated.
fn png_bomb_header(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    png_chunk(&mut out, b"IEND", &[]);
    out
}

fn small(widths: &[u32]) -> Limits {
    Limits {
        widths: widths.to_vec(),
        ..Limits::default()
    }
}

#[test]
fn jpeg_is_resized_to_every_width_in_both_encodings() {
    let bytes = jpeg(&noisy_rgb(1600, 1200));
    let p = probe(&bytes).unwrap();
    assert_eq!((p.format, p.width, p.height), (Format::Jpeg, 1600, 1200));
    let out = process(&bytes, &Limits::default()).unwrap();
    assert_eq!((out.width, out.height, out.has_alpha), (1600, 1200, false));
    let got: Vec<(u32, u32, Encoding)> = out
        .variants
        .iter()
        .map(|v| (v.width, v.height, v.encoding))
        .collect();
    assert_eq!(
        got,
        vec![
            (360, 270, Encoding::Jpeg),
            (360, 270, Encoding::Webp),
            (720, 540, Encoding::Jpeg),
            (720, 540, Encoding::Webp),
            (1280, 960, Encoding::Jpeg),
            (1280, 960, Encoding::Webp),
        ]
    );
    for v in &out.variants {
        assert_eq!(v.mime, v.encoding.mime());
        let decoded = image::load_from_memory(&v.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (v.width, v.height));
        let sniffed = probe(&v.bytes).unwrap().format;
        assert_eq!(sniffed.mime(), v.mime);
    }
    // Lossy WebP: far smaller than a lossless copy of noise would be.
    let webp_1280 = out.webp().last().unwrap();
    assert!(
        webp_1280.bytes.len() < 1280 * 960,
        "{}",
        webp_1280.bytes.len()
    );
    assert_eq!(out.fallback().count(), 3);
}

#[test]
fn small_pictures_are_never_upscaled() {
    let bytes = jpeg(&noisy_rgb(500, 250));
    let out = process(&bytes, &Limits::default()).unwrap();
    let widths: Vec<(u32, u32)> = out.fallback().map(|v| (v.width, v.height)).collect();
    assert_eq!(widths, vec![(360, 180), (500, 250)]);
}

#[test]
fn exif_and_gps_never_reach_a_copy_and_orientation_6_is_applied() {
    // Stored landscape 40 × 20: left half red, right half blue.
    let img = RgbImage::from_fn(40, 20, |x, _| {
        if x < 20 {
            image::Rgb([230, 20, 20])
        } else {
            image::Rgb([20, 20, 230])
        }
    });
    let bytes = with_exif(&jpeg(&img), &exif_with_gps(6));
    assert!(contains(&bytes, b"Exif\0\0") && contains(&bytes, b"GPSTESTMARK"));
    let out = process(&bytes, &small(&[360])).unwrap();
    // Orientation 6 = rotate 90° clockwise: shown portrait, the stored left
    // (red) on top.
    assert_eq!((out.width, out.height), (20, 40));
    assert_eq!(out.variants.len(), 2);
    for v in &out.variants {
        assert_eq!((v.width, v.height), (20, 40));
        for marker in [&b"Exif"[..], b"EXIF", b"GPSTESTMARK", b"MM\0*", b"II*\0"] {
            assert!(
                !contains(&v.bytes, marker),
                "{} copy contains {:?}",
                v.mime,
                String::from_utf8_lossy(marker)
            );
        }
        let shown = image::load_from_memory(&v.bytes).unwrap().to_rgb8();
        let top = shown.get_pixel(10, 5).0;
        let bottom = shown.get_pixel(10, 35).0;
        assert!(top[0] > 150 && top[2] < 100, "top {top:?} in {}", v.mime);
        assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
        // Nothing that a reader could rotate again.
        let mut d = image::ImageReader::new(std::io::Cursor::new(&v.bytes))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap();
        use image::ImageDecoder;
        assert_eq!(d.exif_metadata().unwrap(), None);
    }
}

#[test]
fn truncated_jpeg_is_a_typed_error() {
    let bytes = jpeg(&noisy_rgb(300, 200));
    let cut = &bytes[..bytes.len() / 2];
    assert_eq!(probe(cut), Err(MediaError::Truncated));
    assert_eq!(
        process(cut, &Limits::default()).unwrap_err(),
        MediaError::Truncated
    );
    // Cut inside the headers too.
    assert_eq!(probe(&bytes[..40]), Err(MediaError::Truncated));
}

#[test]
fn truncated_png_is_refused() {
    let img = RgbaImage::from_fn(200, 200, |x, y| image::Rgba([x as u8, y as u8, 7, 255]));
    let bytes = png_rgba(&img);
    let err = process(&bytes[..bytes.len() / 2], &Limits::default()).unwrap_err();
    assert!(
        matches!(err, MediaError::Truncated | MediaError::Corrupt { .. }),
        "{err:?}"
    );
}

#[test]
fn png_bomb_is_refused_from_its_header() {
    let bomb = png_bomb_header(30_000, 30_000);
    assert!(bomb.len() < 100);
    let want = MediaError::TooManyPixels {
        width: 30_000,
        height: 30_000,
        max_pixels: Limits::default().max_pixels,
    };
    assert_eq!(probe(&bomb), Err(want.clone()));
    assert_eq!(process(&bomb, &Limits::default()), Err(want));
    // A long thin strip is refused by its side.
    let strip = png_bomb_header(100_000, 10);
    assert!(matches!(
        probe(&strip),
        Err(MediaError::TooManyPixels { .. })
    ));
}

#[test]
fn fakes_and_other_formats_are_refused() {
    assert_eq!(
        probe(b"Bai viet nay khong phai la anh, chi doi ten thanh .jpg\n"),
        Err(MediaError::NotAnImage)
    );
    assert_eq!(probe(b""), Err(MediaError::Empty));
    assert_eq!(
        probe(b"GIF89a\x01\x00\x01\x00"),
        Err(MediaError::UnsupportedFormat)
    );
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
    assert_eq!(probe(heic), Err(MediaError::Heic));
    // Right magic, garbage after it.
    let mut fake_png = b"\x89PNG\r\n\x1a\n".to_vec();
    fake_png.extend_from_slice(&[0x42; 64]);
    assert!(matches!(
        process(&fake_png, &Limits::default()),
        Err(MediaError::Corrupt { .. } | MediaError::Truncated)
    ));
}

#[test]
fn a_25_mb_file_is_refused_before_reading_it() {
    let mut big = vec![0u8; 25 * 1024 * 1024];
    big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
    assert_eq!(
        probe(&big),
        Err(MediaError::TooLarge {
            bytes: big.len(),
            max_bytes: 20 * 1024 * 1024
        })
    );
    let tight = Limits {
        max_bytes: 1000,
        ..Limits::default()
    };
    let bytes = jpeg(&noisy_rgb(200, 200));
    assert!(matches!(
        probe_with(&bytes, &tight),
        Err(MediaError::TooLarge { .. })
    ));
}

#[test]
fn transparency_keeps_png_and_opaque_png_becomes_jpeg() {
    let clear = RgbaImage::from_fn(400, 200, |x, _| {
        image::Rgba([10, 120, 200, if x < 200 { 0 } else { 255 }])
    });
    let out = process(&png_rgba(&clear), &small(&[360])).unwrap();
    assert!(out.has_alpha);
    assert_eq!(
        out.variants.iter().map(|v| v.mime).collect::<Vec<_>>(),
        vec!["image/png", "image/webp"]
    );
    let back = image::load_from_memory(&out.variants[0].bytes)
        .unwrap()
        .to_rgba8();
    assert_eq!(back.get_pixel(10, 10).0[3], 0);
    assert_eq!(back.get_pixel(350, 10).0[3], 255);

    let opaque = RgbaImage::from_fn(400, 200, |x, y| image::Rgba([x as u8, y as u8, 3, 255]));
    let out = process(&png_rgba(&opaque), &small(&[360])).unwrap();
    assert!(!out.has_alpha);
    assert_eq!(out.variants[0].mime, "image/jpeg");
}

#[test]
fn webp_uploads_are_accepted() {
    let img = noisy_rgb(800, 600);
    let bytes = webp::Encoder::from_rgb(img.as_raw(), 800, 600)
        .encode_simple(false, 80.0)
        .unwrap()
        .to_vec();
    let p = probe(&bytes).unwrap();
    assert_eq!((p.format, p.width, p.height), (Format::Webp, 800, 600));
    let out = process(&bytes, &small(&[360, 720, 1280])).unwrap();
    assert_eq!(
        out.fallback().map(|v| v.width).collect::<Vec<_>>(),
        vec![360, 720, 800]
    );
}

#[test]
fn every_error_speaks_both_languages() {
    let all = [
        MediaError::Empty,
        MediaError::TooLarge {
            bytes: 1,
            max_bytes: 0,
        },
        MediaError::TooManyPixels {
            width: 1,
            height: 1,
            max_pixels: 0,
        },
        MediaError::NotAnImage,
        MediaError::Heic,
        MediaError::UnsupportedFormat,
        MediaError::Truncated,
        MediaError::Corrupt { detail: "x".into() },
        MediaError::Internal { detail: "x".into() },
    ];
    let mut codes = std::collections::HashSet::new();
    for e in &all {
        let (vi, en) = e.messages();
        assert!(!vi.is_empty() && !en.is_empty() && vi != en);
        assert!(!vi.is_ascii(), "Vietnamese message has diacritics: {vi}");
        assert_eq!(e.to_string(), vi);
        assert!(codes.insert(e.code()));
    }
}

#[test]
fn the_decoder_alone_pads_a_truncated_jpeg_so_the_end_check_is_needed() {
    // Why sniff::check_jpeg_complete exists (docs/decisions/0001): without
    // it, half an upload decodes "successfully" with a grey lower part.
    let bytes = jpeg(&noisy_rgb(300, 200));
    let cut = &bytes[..bytes.len() * 3 / 4];
    let decoded = hoithi_media::decode(cut, Format::Jpeg, &Limits::default());
    assert!(decoded.is_ok(), "{decoded:?}");
}

#[test]
fn grey_sixteen_bit_and_tiny_pictures_are_handled() {
    // 16-bit grey with alpha, fully opaque: JPEG fallback.
    let img = image::ImageBuffer::<image::LumaA<u16>, Vec<u16>>::from_fn(400, 300, |x, _| {
        image::LumaA([(x * 150) as u16, u16::MAX])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageLumaA16(img)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    let out = process(&bytes, &small(&[360])).unwrap();
    assert!(!out.has_alpha);
    assert_eq!(
        out.variants
            .iter()
            .map(|v| (v.width, v.height, v.mime))
            .collect::<Vec<_>>(),
        vec![(360, 270, "image/jpeg"), (360, 270, "image/webp")]
    );
    // Grey JPEG.
    let grey = image::GrayImage::from_fn(64, 48, |x, y| image::Luma([(x * 3 + y) as u8]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageLuma8(grey)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
    let out = process(&bytes, &Limits::default()).unwrap();
    assert_eq!((out.width, out.height), (64, 48));
    // One pixel.
    let dot = jpeg(&noisy_rgb(1, 1));
    let out = process(&dot, &Limits::default()).unwrap();
    assert_eq!(out.variants.len(), 2);
    assert!(out.variants.iter().all(|v| (v.width, v.height) == (1, 1)));
}

#[test]
fn mutated_files_give_errors_or_pictures_never_panics() {
    let img = noisy_rgb(96, 64);
    let rgba = RgbaImage::from_fn(96, 64, |x, y| {
        image::Rgba([x as u8, y as u8, 9, (x * 2) as u8])
    });
    let webp = webp::Encoder::from_rgb(img.as_raw(), 96, 64)
        .encode_simple(false, 70.0)
        .unwrap()
        .to_vec();
    let seeds = [jpeg(&img), png_rgba(&rgba), webp];
    let mut n = Noise(0xDEAD_BEEF_1234_5678);
    let limits = small(&[48]);
    let start = std::time::Instant::now();
    let (mut ok, mut refused) = (0, 0);
    for seed in &seeds {
        for round in 0..150 {
            let mut bytes = seed.clone();
            // Flip a few bytes past the magic, or cut the file.
            for _ in 0..1 + round % 4 {
                let at =
                    8 + (usize::from(n.next()) << 8 | usize::from(n.next())) % (bytes.len() - 8);
                bytes[at] = n.next();
            }
            if round % 5 == 0 {
                bytes.truncate(bytes.len() * usize::from(n.next()) / 256 + 8);
            }
            match process(&bytes, &limits) {
                Ok(out) => {
                    assert!(!out.variants.is_empty());
                    ok += 1;
                }
                Err(MediaError::Internal { detail }) => panic!("internal error: {detail}"),
                Err(_) => refused += 1,
            }
        }
    }
    assert!(ok > 0 && refused > 0, "ok {ok}, refused {refused}");
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
}
