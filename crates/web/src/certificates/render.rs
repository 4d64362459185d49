//! Certificates as PDF, one renderer for every kind: an A4 landscape page laid out in code with
//! krilla (typst's PDF writer, without typst) and DejaVu Serif, which has every Vietnamese
//! letter. Text is measured with skrifa (krilla's own font reader) so lines can be centred and
//! wrapped. What the page says comes from a [`Template`] that each kind fills
//! (`service::template`).

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif-Bold.ttf");

const WIDTH: f32 = 842.0;
const HEIGHT: f32 = 595.0;
const RED: (u8, u8, u8) = (155, 28, 28);
const INK: (u8, u8, u8) = (26, 26, 26);

/// What a certificate says, whatever it certifies.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// "GIẤY CHỨNG NHẬN".
    pub title: String,
    /// Who certifies, e.g. "Ban tổ chức chứng nhận".
    pub lead: String,
    pub recipient: String,
    /// The recipient's unit, printed under the name (skipped when empty or equal to it).
    pub recipient_unit: String,
    /// What is certified, a few lines.
    pub achievement: Vec<Line>,
    /// Above the signature, e.g. "TM. BAN TỔ CHỨC".
    pub issuer: String,
    pub date: chrono::DateTime<chrono::Utc>,
    pub code: String,
    /// Where anyone can check it.
    pub url: String,
}

/// One line of the achievement, long ones wrapped.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub style: Style,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Regular, the size of the lead.
    Text,
    /// Bold and red: the award, the course.
    Highlight,
    /// Regular and smaller: the contest, the dates.
    Small,
}

impl Line {
    pub fn new(style: Style, text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            style,
        }
    }
}

struct Face {
    font: Font,
    bytes: &'static [u8],
}

impl Face {
    fn load(bytes: &'static [u8]) -> Result<Face, String> {
        let font = Font::new(bytes.into(), 0).ok_or("font cannot be read")?;
        Ok(Face { font, bytes })
    }

    /// Width of `text` at `size` points (advances only; enough to centre and wrap).
    fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(f) = FontRef::new(self.bytes) else {
            return 0.0;
        };
        let charmap = f.charmap();
        let metrics = f.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .filter_map(|c| charmap.map(c))
            .filter_map(|g| metrics.advance_width(g))
            .sum()
    }

    /// Splits `text` into lines no wider than `max`, at spaces.
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size) > max && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

fn fill(c: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// The certificate as PDF bytes.
pub fn render(t: &Template) -> Result<Vec<u8>, String> {
    let regular = Face::load(REGULAR)?;
    let bold = Face::load(BOLD)?;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or("page size")?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();

    // A double frame.
    for (inset, width) in [(22.0, 3.0), (32.0, 1.0)] {
        let mut pb = PathBuilder::new();
        if let Some(r) = Rect::from_xywh(inset, inset, WIDTH - 2.0 * inset, HEIGHT - 2.0 * inset) {
            pb.push_rect(r);
        }
        if let Some(path) = pb.finish() {
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                paint: rgb::Color::new(RED.0, RED.1, RED.2).into(),
                width,
                ..Default::default()
            }));
            surface.draw_path(&path);
        }
    }
    surface.set_stroke(None);

    let mut y = 78.0;
    let mut centred = |surface: &mut krilla::surface::Surface<'_>,
                       face: &Face,
                       size: f32,
                       color: (u8, u8, u8),
                       text: &str,
                       gap: f32| {
        for line in face.wrap(text, size, WIDTH - 140.0) {
            let x = (WIDTH - face.width(&line, size)) / 2.0;
            surface.set_fill(Some(fill(color)));
            surface.draw_text(
                Point::from_xy(x, y),
                face.font.clone(),
                size,
                &line,
                false,
                TextDirection::Auto,
            );
            y += size * 1.35;
        }
        y += gap;
    };
    centred(
        &mut surface,
        &bold,
        13.0,
        INK,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        0.0,
    );
    centred(
        &mut surface,
        &regular,
        12.0,
        INK,
        "Độc lập – Tự do – Hạnh phúc",
        26.0,
    );
    centred(&mut surface, &bold, 34.0, RED, &t.title, 10.0);
    centred(&mut surface, &regular, 14.0, INK, &t.lead, 6.0);
    centred(&mut surface, &bold, 24.0, INK, &t.recipient, 4.0);
    if !t.recipient_unit.is_empty() && t.recipient_unit != t.recipient {
        centred(&mut surface, &regular, 13.0, INK, &t.recipient_unit, 6.0);
    }
    let last = t.achievement.len().saturating_sub(1);
    for (i, line) in t.achievement.iter().enumerate() {
        let (face, size, color) = match line.style {
            Style::Text => (&regular, 14.0, INK),
            Style::Highlight => (&bold, 17.0, RED),
            Style::Small => (&regular, 13.0, INK),
        };
        let gap = if i == last { 0.0 } else { 6.0 };
        centred(&mut surface, face, size, color, &line.text, gap);
    }

    let date = crate::format::fmt_date(&t.date);
    let mut parts = date.split('/');
    let (d, m, yr) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let dated = format!("Ngày {d} tháng {m} năm {yr}");
    surface.set_fill(Some(fill(INK)));
    let right = WIDTH - 90.0 - regular.width(&dated, 12.0);
    surface.draw_text(
        Point::from_xy(right, HEIGHT - 110.0),
        regular.font.clone(),
        12.0,
        &dated,
        false,
        TextDirection::Auto,
    );
    let signer = t.issuer.as_str();
    let sx = WIDTH - 90.0 - (regular.width(&dated, 12.0) + bold.width(signer, 12.0)) / 2.0;
    surface.draw_text(
        Point::from_xy(sx, HEIGHT - 92.0),
        bold.font.clone(),
        12.0,
        signer,
        false,
        TextDirection::Auto,
    );
    for (i, line) in [
        format!("Mã xác minh: {}", t.code),
        format!("Kiểm tra tại: {}", t.url),
    ]
    .iter()
    .enumerate()
    {
        surface.draw_text(
            Point::from_xy(60.0, HEIGHT - 92.0 + 15.0 * i as f32),
            regular.font.clone(),
            10.0,
            line,
            false,
            TextDirection::Auto,
        );
    }
    surface.finish();
    page.finish();
    document.finish().map_err(|e| format!("pdf: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_is_a_small_pdf() {
        let t = Template {
            title: "GIẤY CHỨNG NHẬN".into(),
            lead: "Ban tổ chức chứng nhận".into(),
            recipient: "Nguyễn Thị Ánh Tuyết".into(),
            recipient_unit: "Xã Thái Sơn".into(),
            achievement: vec![
                Line::new(
                    Style::Text,
                    "tác giả tác phẩm «Giữ vững trận địa tư tưởng ở cơ sở»",
                ),
                Line::new(Style::Highlight, "đạt Giải A"),
                Line::new(Style::Small, "Cuộc thi viết chính luận năm 2026"),
            ],
            issuer: "TM. BAN TỔ CHỨC".into(),
            date: chrono::Utc::now(),
            code: "GCN-ACDEF34779".into(),
            url: "https://hoithi.example/xac-minh/GCN-ACDEF34779".into(),
        };
        let pdf = render(&t).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        assert!(pdf.len() > 2000);
        // The fonts are subset and embedded: the file stays small.
        assert!(pdf.len() < 200_000, "{}", pdf.len());
    }

    #[test]
    fn long_titles_wrap_within_the_page() {
        let f = Face::load(REGULAR).unwrap();
        let text =
            "Cuộc thi viết chính luận về bảo vệ nền tảng tư tưởng của Đảng năm 2026 ".repeat(3);
        let lines = f.wrap(&text, 13.0, WIDTH - 140.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| f.width(l, 13.0) <= WIDTH - 140.0));
        assert!(f.width("Đ", 12.0) > 0.0, "the font has Vietnamese letters");
    }
}
