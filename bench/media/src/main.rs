//! A generated 12-megapixel JPEG (4000 × 3000, noise over gradients and
//! waves, camera-like entropy) processed into every served size, as the news
//! module's upload job does: probe, decode, orient, resize to 360/720/1280,
//! encode JPEG + lossy WebP. Reports the median CPU time and wall time of
//! repeated runs, with the `image` crate's own Lanczos3 resize as the peer
//! measured in the same run (whole pipeline and resize alone).
//!
//! `cargo run --release -p hoithi-bench-media -- [--smoke] [--runs N]`
//! (always `--release` for figures).

use std::time::Instant;

use hoithi_media::{Fir, Limits, MediaError, Resize, decode, encode_all, probe_with, process};
use image::{ExtendedColorType, ImageEncoder, RgbImage};

/// CPU time of this process (all threads), in seconds.
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// The `image` crate's Lanczos3 resize: the peer.
struct ImageCrate;

impl Resize for ImageCrate {
    fn resize(
        &mut self,
        pixels: &[u8],
        width: u32,
        height: u32,
        channels: u8,
        (tw, th): (u32, u32),
    ) -> Result<Vec<u8>, MediaError> {
        let filter = image::imageops::FilterType::Lanczos3;
        Ok(if channels == 4 {
            let src = image::ImageBuffer::<image::Rgba<u8>, &[u8]>::from_raw(width, height, pixels)
                .expect("buffer size");
            image::imageops::resize(&src, tw, th, filter).into_raw()
        } else {
            let src = image::ImageBuffer::<image::Rgb<u8>, &[u8]>::from_raw(width, height, pixels)
                .expect("buffer size");
            image::imageops::resize(&src, tw, th, filter).into_raw()
        })
    }
}

fn photo(w: u32, h: u32) -> Vec<u8> {
    let mut s: u64 = 0x2545_F491_4F6C_DD1D;
    let mut noise = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 56) as i32 - 128
    };
    let img = RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let wave = ((fx * 37.0).sin() * (fy * 23.0).cos() * 40.0) as i32;
        let sky = (200.0 - 120.0 * fy) as i32;
        let n = noise() / 6;
        let c = |v: i32| v.clamp(0, 255) as u8;
        image::Rgb([
            c(sky / 2 + (fx * 120.0) as i32 + wave + n),
            c(sky / 2 + 60 + wave / 2 + n),
            c(sky + (fy * 40.0) as i32 - wave / 3 + n),
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(img.as_raw(), w, h, ExtendedColorType::Rgb8)
        .expect("encode");
    out
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Runs `f` `runs` times; returns the medians of (CPU s, wall s).
fn measure(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let (mut cpu, mut wall) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (c0, w0) = (cpu_seconds(), Instant::now());
        f();
        cpu.push(cpu_seconds() - c0);
        wall.push(w0.elapsed().as_secs_f64());
    }
    (median(cpu), median(wall))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let smoke = args.iter().any(|a| a == "--smoke");
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(if smoke { 1 } else { 9 });
    // The smoke run only shows that every step works (in CI's debug build,
    // where the peer's resize is unoptimized): 1 MP, one run.
    let (w, h) = if smoke { (1200, 900) } else { (4000, 3000) };
    let bytes = photo(w, h);
    let limits = Limits::default();
    let probe = probe_with(&bytes, &limits).expect("probe");
    assert_eq!((probe.width, probe.height), (w, h));

    let out = process(&bytes, &limits).expect("process");
    println!(
        "input: {w} × {h} JPEG, {:.2} MB; outputs ({} copies):",
        bytes.len() as f64 / 1e6,
        out.variants.len()
    );
    for v in &out.variants {
        println!(
            "  {:>4} × {:<4} {:<10} {:>7.1} KB",
            v.width,
            v.height,
            v.mime,
            v.bytes.len() as f64 / 1e3
        );
    }
    println!("runs: {runs} (medians)");

    let (cpu, wall) = measure(runs, || {
        process(&bytes, &limits).expect("process");
    });
    println!(
        "| whole pipeline, fast_image_resize (hoithi-media `process`) | {cpu:.3} | {wall:.3} |"
    );
    let (cpu_peer, wall_peer) = measure(runs, || {
        let img = decode(&bytes, probe.format, &limits).expect("decode");
        encode_all(probe.format, img, &limits, &mut ImageCrate).expect("encode");
    });
    println!("| whole pipeline, image crate resize (peer) | {cpu_peer:.3} | {wall_peer:.3} |");

    let (cpu_dec, wall_dec) = measure(runs, || {
        decode(&bytes, probe.format, &limits).expect("decode");
    });
    println!("| decode + orient only | {cpu_dec:.3} | {wall_dec:.3} |");

    let rgb = decode(&bytes, probe.format, &limits)
        .expect("decode")
        .into_rgb8()
        .into_raw();
    let sizes = [360, 720, 1280].map(|tw| (tw.min(w), h * tw.min(w) / w));
    let mut fir = Fir::default();
    let (cpu_fir, wall_fir) = measure(runs, || {
        for to in sizes {
            fir.resize(&rgb, w, h, 3, to).expect("resize");
        }
    });
    println!("| resize to 3 widths, fast_image_resize | {cpu_fir:.3} | {wall_fir:.3} |");
    let (cpu_img, wall_img) = measure(runs, || {
        for to in sizes {
            ImageCrate.resize(&rgb, w, h, 3, to).expect("resize");
        }
    });
    println!("| resize to 3 widths, image crate (peer) | {cpu_img:.3} | {wall_img:.3} |");
    if smoke {
        println!(
            "smoke run ({w} × {h}, {runs} run): every step works; the 2 s target is for the full run in release"
        );
        return;
    }
    println!(
        "target: whole pipeline under 2 s of CPU: {} ({cpu:.3} s); resize speed-up over the peer: {:.1}×",
        if cpu < 2.0 { "met" } else { "NOT met" },
        cpu_img / cpu_fir
    );
}
