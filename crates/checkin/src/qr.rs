//! QR codes: the `qrcode` crate encodes; [`svg`] draws the modules as one SVG path (for pages)
//! and [`Matrix`] hands them to the PDF writer (badges). Error correction M (15 %): survives a
//! scratched badge or a glare on a phone screen; a badge URL of 140–180 characters makes a
//! version 8 or 9 code (49 or 53 modules a side), which a phone camera reads easily.

use qrcode::{EcLevel, QrCode};

/// The modules of a QR code, quiet zone not included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Modules per side.
    pub width: usize,
    dark: Vec<bool>,
}

/// Text too long for a QR code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("too long for a QR code")]
pub struct QrError;

/// The quiet zone the standard asks for, in modules, on each side.
pub const QUIET: usize = 4;

impl Matrix {
    /// Encodes `data` (byte mode, error correction M).
    pub fn encode(data: &str) -> Result<Matrix, QrError> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
            .map_err(|_| QrError)?;
        Ok(Matrix {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect(),
        })
    }

    /// Whether the module at column `x`, row `y` is dark (false outside the code).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Horizontal runs of dark modules, `(x, y, length)`: few shapes to draw.
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((start, y, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }
}

/// An SVG of `data` (normally a URL), with its quiet zone, ready to inline in a page or serve
/// as `image/svg+xml`. It is 64 mm square when printed (about 240 CSS pixels on a phone),
/// and scales cleanly to any CSS `width`/`height` (a `viewBox`, crisp edges). The `aria-label`
/// is `label` (say what the code is for, e.g. "Mã QR điểm danh"); the URL itself is not read
/// out.
pub fn svg(data: &str, label: &str) -> Result<String, QrError> {
    let m = Matrix::encode(data)?;
    let side = m.width + 2 * QUIET;
    let mut path = String::with_capacity(m.width * m.width);
    for (x, y, len) in m.runs() {
        use std::fmt::Write;
        let _ = write!(path, "M{} {}h{len}v1h-{len}z", x + QUIET, y + QUIET);
    }
    Ok(format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {s} {s}" width="64mm" height="64mm""#,
            r#" shape-rendering="crispEdges" role="img" aria-label="{label}">"#,
            r##"<rect width="{s}" height="{s}" fill="#fff"/>"##,
            r##"<path fill="#000" d="{path}"/></svg>"##
        ),
        s = side,
        label = crate::xml_escape(label),
        path = path
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_badge_url_makes_a_scalable_accessible_svg() {
        let url = format!(
            "https://hoithi.example/khoa-hoc/diem-danh/{}.12.3456.{}",
            "A".repeat(22),
            "B".repeat(86)
        );
        let m = Matrix::encode(&url).unwrap();
        assert!(m.width <= 53, "version 9 at most: {}", m.width);
        // Finder pattern corners are dark.
        assert!(m.is_dark(0, 0) && m.is_dark(m.width - 1, 0) && m.is_dark(0, m.width - 1));
        assert!(!m.is_dark(m.width, 0));
        let s = svg(&url, "Mã QR \"điểm danh\"").unwrap();
        assert!(s.starts_with("<svg "));
        assert!(s.contains(&format!("viewBox=\"0 0 {0} {0}\"", m.width + 8)));
        assert!(s.contains("role=\"img\""));
        assert!(s.contains("aria-label=\"Mã QR &quot;điểm danh&quot;\""));
        assert!(s.ends_with("</svg>"));
        // Every dark module is drawn once.
        let dark: usize = m.runs().iter().map(|r| r.2).sum();
        let counted = (0..m.width)
            .flat_map(|y| (0..m.width).map(move |x| (x, y)))
            .filter(|&(x, y)| m.is_dark(x, y))
            .count();
        assert_eq!(dark, counted);
    }

    #[test]
    fn too_long_is_an_error_not_a_panic() {
        assert_eq!(Matrix::encode(&"x".repeat(5000)), Err(QrError));
        assert!(svg(&"x".repeat(5000), "").is_err());
    }
}
