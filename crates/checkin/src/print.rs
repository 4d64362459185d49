//! Printed check-in material as PDF (A4 portrait), laid out in code with krilla and DejaVu
//! Serif like the certificates (fonts subset and embedded, every Vietnamese letter):
//! - [`badge_sheet`]: eight badges per page (2 × 4, cut along the thin lines): course, name,
//!   position, unit, the badge QR and a short code to type.
//! - [`roster`]: the paper list of one session, the fallback when the network fails: title,
//!   session, people grouped by unit in the order given, a tick box and a signature column,
//!   column heads repeated and "page x/y" on every page.
//!
//! Every word printed comes from the caller (the web crate's catalogue), in the reader's
//! language; names are printed as given (sort them with `hoithi_text::sort` before).

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use crate::qr::{self, Matrix};

static REGULAR: &[u8] = include_bytes!("../../web/assets/fonts/DejaVuSerif.ttf");
static BOLD: &[u8] = include_bytes!("../../web/assets/fonts/DejaVuSerif-Bold.ttf");

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const INK: (u8, u8, u8) = (26, 26, 26);
const RED: (u8, u8, u8) = (155, 28, 28);
const GREY: (u8, u8, u8) = (120, 120, 120);
const SHADE: (u8, u8, u8) = (235, 235, 235);

/// Why a PDF could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// A badge URL too long for a QR code (the badge's name is given).
    #[error("QR too long for {0}")]
    Qr(String),
    #[error("pdf: {0}")]
    Pdf(String),
}

/// One badge.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BadgeCard {
    pub name: String,
    /// E.g. "Phó Bí thư Đoàn xã"; empty for none.
    pub position: String,
    pub unit: String,
    /// The URL in the QR (the badge link).
    pub qr_url: String,
    /// Printed small under the QR, as given, e.g. "Mã: 7Q2K-9XMD"; empty for none.
    pub code: String,
}

/// A sheet of badges for one course.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BadgeSheet {
    /// The course title, on top of every badge.
    pub course: String,
    /// One short line under it (dates, venue); empty for none.
    pub subtitle: String,
    pub cards: Vec<BadgeCard>,
}

/// A paper roster of one session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roster {
    /// The course title.
    pub title: String,
    /// The session, e.g. "Buổi sáng, 08/12/2026, Hội trường A".
    pub session: String,
    /// Groups in print order, people in print order.
    pub units: Vec<RosterUnit>,
    /// Column heads and the page label.
    pub labels: RosterLabels,
    /// A last line, e.g. "Tổng số: 42 đại biểu"; empty for none.
    pub footer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RosterUnit {
    pub name: String,
    pub people: Vec<RosterPerson>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RosterPerson {
    pub name: String,
    pub position: String,
}

/// The words of a roster, from the caller's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RosterLabels {
    /// "STT".
    pub number: String,
    /// "Họ và tên".
    pub name: String,
    /// "Chức vụ".
    pub position: String,
    /// "Có mặt".
    pub present: String,
    /// "Ký tên".
    pub signature: String,
    /// "Trang", printed as "Trang 2/5".
    pub page: String,
}

struct Face {
    font: Font,
    bytes: &'static [u8],
}

impl Face {
    fn load(bytes: &'static [u8]) -> Result<Face, PrintError> {
        let font = Font::new(bytes.into(), 0).ok_or(PrintError::Pdf("font".into()))?;
        Ok(Face { font, bytes })
    }

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

    /// Lines no wider than `max`, at spaces; at most `limit` lines, the last one shortened
    /// with "…" if the text goes on.
    fn wrap(&self, text: &str, size: f32, max: f32, limit: usize) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
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
        if lines.len() > limit {
            let rest = lines.split_off(limit - 1).join(" ");
            lines.push(rest);
        }
        lines
            .into_iter()
            .map(|l| self.ellipsize(&l, size, max))
            .collect()
    }

    /// `text` cut to `max` wide, ending in "…" when cut.
    fn ellipsize(&self, text: &str, size: f32, max: f32) -> String {
        if self.width(text, size) <= max {
            return text.to_string();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let s: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
            if self.width(&s, size) <= max {
                return s;
            }
        }
        String::new()
    }

    /// The largest size from `size` down to `min` at which `text` fits `max`; at `min` it is
    /// cut.
    fn fit(&self, text: &str, size: f32, min: f32, max: f32) -> (String, f32) {
        let mut s = size;
        while s > min && self.width(text, s) > max {
            s -= 0.5;
        }
        (self.ellipsize(text, s, max), s)
    }
}

fn fill(c: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(c: (u8, u8, u8), width: f32) -> Stroke {
    Stroke {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        width,
        ..Default::default()
    }
}

fn rect(surface: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32, paint: Paint) {
    let mut pb = PathBuilder::new();
    if let Some(r) = Rect::from_xywh(x, y, w, h) {
        pb.push_rect(r);
    }
    if let Some(path) = pb.finish() {
        match paint {
            Paint::Fill(c) => {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(c)));
            }
            Paint::Stroke(c, width) => {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(c, width)));
            }
        }
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

#[derive(Clone, Copy)]
enum Paint {
    Fill((u8, u8, u8)),
    Stroke((u8, u8, u8), f32),
}

fn text(
    surface: &mut Surface<'_>,
    face: &Face,
    size: f32,
    color: (u8, u8, u8),
    x: f32,
    y: f32,
    t: &str,
) {
    if t.is_empty() {
        return;
    }
    surface.set_fill(Some(fill(color)));
    surface.draw_text(
        Point::from_xy(x, y),
        face.font.clone(),
        size,
        t,
        false,
        TextDirection::Auto,
    );
}

/// Draws a QR code with its quiet zone as a `side`-point square whose top left is (x, y).
fn draw_qr(surface: &mut Surface<'_>, m: &Matrix, x: f32, y: f32, side: f32) {
    let module = side / (m.width + 2 * qr::QUIET) as f32;
    let origin = (x + module * qr::QUIET as f32, y + module * qr::QUIET as f32);
    let mut pb = PathBuilder::new();
    for (mx, my, len) in m.runs() {
        if let Some(r) = Rect::from_xywh(
            origin.0 + mx as f32 * module,
            origin.1 + my as f32 * module,
            len as f32 * module,
            module,
        ) {
            pb.push_rect(r);
        }
    }
    if let Some(path) = pb.finish() {
        surface.set_stroke(None);
        surface.set_fill(Some(fill((0, 0, 0))));
        surface.draw_path(&path);
    }
}

const BADGE_MARGIN: f32 = 28.0;
const BADGE_COLS: usize = 2;
const BADGE_ROWS: usize = 4;
/// Badges per page.
pub const BADGES_PER_PAGE: usize = BADGE_COLS * BADGE_ROWS;

/// The badge sheet as PDF bytes: [`BADGES_PER_PAGE`] badges per A4 page, about 95 × 69 mm
/// each. An empty list gives one empty page.
pub fn badge_sheet(sheet: &BadgeSheet) -> Result<Vec<u8>, PrintError> {
    let regular = Face::load(REGULAR)?;
    let bold = Face::load(BOLD)?;
    let codes = sheet
        .cards
        .iter()
        .map(|c| Matrix::encode(&c.qr_url).map_err(|_| PrintError::Qr(c.name.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    let bw = (WIDTH - 2.0 * BADGE_MARGIN) / BADGE_COLS as f32;
    let bh = (HEIGHT - 2.0 * BADGE_MARGIN) / BADGE_ROWS as f32;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or(PrintError::Pdf("page".into()))?;
    let pairs: Vec<(&BadgeCard, &Matrix)> = sheet.cards.iter().zip(codes.iter()).collect();
    let mut pages: Vec<&[(&BadgeCard, &Matrix)]> = pairs.chunks(BADGES_PER_PAGE).collect();
    if pages.is_empty() {
        pages.push(&[]);
    }
    for chunk in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut s = page.surface();
        for (i, (card, code)) in chunk.iter().enumerate() {
            let x = BADGE_MARGIN + (i % BADGE_COLS) as f32 * bw;
            let y = BADGE_MARGIN + (i / BADGE_COLS) as f32 * bh;
            // Cut lines.
            rect(&mut s, x, y, bw, bh, Paint::Stroke(GREY, 0.5));
            let pad = 12.0;
            let inner = bw - 2.0 * pad;
            // Course on top, in red, two lines at most.
            let mut ty = y + pad + 9.0;
            for line in bold.wrap(&sheet.course, 9.0, inner, 2) {
                text(&mut s, &bold, 9.0, RED, x + pad, ty, &line);
                ty += 11.0;
            }
            if !sheet.subtitle.is_empty() {
                let (line, size) = regular.fit(&sheet.subtitle, 8.0, 6.5, inner);
                text(&mut s, &regular, size, GREY, x + pad, ty, &line);
                ty += 10.0;
            }
            // The name across the badge, one line when it fits at 11 pt, else two.
            let mut ny = ty + 12.0;
            let name_lines = if bold.width(&card.name, 11.0) <= inner {
                vec![bold.fit(&card.name, 16.0, 11.0, inner)]
            } else {
                bold.wrap(&card.name, 11.0, inner, 2)
                    .into_iter()
                    .map(|l| (l, 11.0))
                    .collect()
            };
            for (line, size) in name_lines {
                text(&mut s, &bold, size, INK, x + pad, ny, &line);
                ny += size + 3.0;
            }
            // QR on the right, position and unit on the left.
            let qr_side = (y + bh - ny - pad - 6.0).min(104.0);
            let qr_x = x + bw - pad - qr_side + 6.0;
            let qr_y = ny - 4.0;
            draw_qr(&mut s, code, qr_x, qr_y, qr_side);
            if !card.code.is_empty() {
                let (line, size) = regular.fit(&card.code, 7.5, 6.0, qr_side);
                let cx = qr_x + (qr_side - regular.width(&line, size)) / 2.0;
                text(&mut s, &regular, size, INK, cx, qr_y + qr_side + 4.0, &line);
            }
            let left = qr_x - (x + pad) - 4.0;
            ny += 10.0;
            if !card.position.is_empty() {
                for line in regular.wrap(&card.position, 9.5, left, 3) {
                    text(&mut s, &regular, 9.5, INK, x + pad, ny, &line);
                    ny += 12.0;
                }
                ny += 2.0;
            }
            for line in bold.wrap(&card.unit, 10.0, left, 3) {
                text(&mut s, &bold, 10.0, INK, x + pad, ny, &line);
                ny += 12.5;
            }
        }
        s.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PrintError::Pdf(format!("{e:?}")))
}

const MARGIN: f32 = 36.0;
const ROW: f32 = 22.0;
/// Column widths: number, name, position, tick box, signature.
const COLUMNS: [f32; 5] = [30.0, 170.0, 150.0, 50.0, 123.0];

enum Row<'a> {
    Unit(&'a str, usize),
    Person(usize, &'a RosterPerson),
}

/// The roster of one session as PDF bytes.
pub fn roster(r: &Roster) -> Result<Vec<u8>, PrintError> {
    let regular = Face::load(REGULAR)?;
    let bold = Face::load(BOLD)?;
    let inner = WIDTH - 2.0 * MARGIN;

    let mut rows = Vec::new();
    let mut n = 0;
    for unit in &r.units {
        rows.push(Row::Unit(&unit.name, unit.people.len()));
        for p in &unit.people {
            n += 1;
            rows.push(Row::Person(n, p));
        }
    }

    // The heading takes room on the first page only.
    let title_lines = bold.wrap(&r.title, 14.0, inner, 3);
    let session_lines = regular.wrap(&r.session, 11.0, inner, 2);
    let heading = title_lines.len() as f32 * 19.0 + session_lines.len() as f32 * 15.0 + 14.0;
    let bottom = HEIGHT - MARGIN - 20.0;
    let mut pages: Vec<Vec<&Row<'_>>> = vec![Vec::new()];
    let mut y = MARGIN + heading + ROW;
    for (i, row) in rows.iter().enumerate() {
        // Keep a unit's heading with its first person.
        let need = if matches!(row, Row::Unit(..)) && i + 1 < rows.len() {
            2.0 * ROW
        } else {
            ROW
        };
        if y + need > bottom {
            pages.push(Vec::new());
            y = MARGIN + ROW;
        }
        if let Some(page) = pages.last_mut() {
            page.push(row);
        }
        y += ROW;
    }

    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or(PrintError::Pdf("page".into()))?;
    let total = pages.len();
    for (number, rows) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut s = page.surface();
        let mut y = MARGIN;
        if number == 0 {
            y += 14.0;
            for line in &title_lines {
                let x = (WIDTH - bold.width(line, 14.0)) / 2.0;
                text(&mut s, &bold, 14.0, INK, x, y, line);
                y += 19.0;
            }
            for line in &session_lines {
                let x = (WIDTH - regular.width(line, 11.0)) / 2.0;
                text(&mut s, &regular, 11.0, INK, x, y, line);
                y += 15.0;
            }
            y = MARGIN + heading;
        }
        // Column heads.
        rect(&mut s, MARGIN, y, inner, ROW, Paint::Fill(SHADE));
        let heads = [
            &r.labels.number,
            &r.labels.name,
            &r.labels.position,
            &r.labels.present,
            &r.labels.signature,
        ];
        let mut x = MARGIN;
        for (head, w) in heads.iter().zip(COLUMNS) {
            let (line, size) = bold.fit(head, 9.5, 7.0, w - 8.0);
            text(&mut s, &bold, size, INK, x + 4.0, y + 15.0, &line);
            rect(&mut s, x, y, w, ROW, Paint::Stroke(INK, 0.6));
            x += w;
        }
        y += ROW;
        for row in rows {
            match row {
                Row::Unit(name, count) => {
                    rect(&mut s, MARGIN, y, inner, ROW, Paint::Fill(SHADE));
                    rect(&mut s, MARGIN, y, inner, ROW, Paint::Stroke(INK, 0.6));
                    let label = format!("{name} ({count})");
                    let (line, size) = bold.fit(&label, 10.0, 7.0, inner - 8.0);
                    text(&mut s, &bold, size, INK, MARGIN + 4.0, y + 15.0, &line);
                }
                Row::Person(n, p) => {
                    let cells = [n.to_string(), p.name.clone(), p.position.clone()];
                    let mut x = MARGIN;
                    for (i, w) in COLUMNS.iter().enumerate() {
                        if let Some(cell) = cells.get(i) {
                            let (line, size) = regular.fit(cell, 10.0, 7.0, w - 8.0);
                            text(&mut s, &regular, size, INK, x + 4.0, y + 15.0, &line);
                        }
                        rect(&mut s, x, y, *w, ROW, Paint::Stroke(INK, 0.6));
                        if i == 3 {
                            // The tick box.
                            rect(
                                &mut s,
                                x + w / 2.0 - 6.0,
                                y + 5.0,
                                12.0,
                                12.0,
                                Paint::Stroke(INK, 0.8),
                            );
                        }
                        x += w;
                    }
                }
            }
            y += ROW;
        }
        if number + 1 == total && !r.footer.is_empty() {
            text(&mut s, &bold, 10.0, INK, MARGIN, y + 16.0, &r.footer);
        }
        let label = format!("{} {}/{}", r.labels.page, number + 1, total);
        let label = label.trim();
        let x = WIDTH - MARGIN - regular.width(label, 8.5);
        text(&mut s, &regular, 8.5, GREY, x, HEIGHT - MARGIN + 6.0, label);
        s.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PrintError::Pdf(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(pdf: &[u8]) -> String {
        let doc = hoithi_extract::extract(pdf, Some("x.pdf"), &hoithi_extract::Limits::default())
            .expect("the PDF reads back");
        doc.text()
    }

    /// `HOITHI_CHECKIN_SAMPLES=/some/dir cargo test -p hoithi-checkin` keeps the PDFs to look at.
    fn keep(name: &str, pdf: &[u8]) {
        if let Ok(dir) = std::env::var("HOITHI_CHECKIN_SAMPLES") {
            let _ = std::fs::write(std::path::Path::new(&dir).join(name), pdf);
        }
    }

    fn pages(pdf: &[u8]) -> usize {
        lopdf::Document::load_mem(pdf)
            .expect("lopdf parses it")
            .get_pages()
            .len()
    }

    const NAMES: [&str; 5] = [
        "Nguyễn Thị Ánh Tuyết",
        "Trần Văn Đức",
        "Hoàng Thị Ngọc Ánh",
        "Lê Quang Vỹ",
        "Đặng Thuỳ Dương",
    ];

    #[test]
    fn a_badge_sheet_has_eight_badges_a_page_with_names_and_units() {
        let cards: Vec<BadgeCard> = (0..11)
            .map(|i| BadgeCard {
                name: NAMES[i % NAMES.len()].to_string(),
                position: "Phó Bí thư Đoàn xã".into(),
                unit: format!("Xã Thái Sơn {i}"),
                qr_url: format!(
                    "https://hoithi.example/diem-danh/{}.4.{i}.{}",
                    "A".repeat(22),
                    "B".repeat(86)
                ),
                code: format!("Mã: 7Q2K-{i:04}"),
            })
            .collect();
        let sheet = BadgeSheet {
            course: "Lớp bồi dưỡng nghiệp vụ công tác tuyên giáo cho cán bộ cơ sở huyện Hàm Yên năm 2026".into(),
            subtitle: "08/12/2026 · Trung tâm Chính trị huyện Hàm Yên".into(),
            cards,
        };
        let pdf = badge_sheet(&sheet).unwrap();
        keep("badges.pdf", &pdf);
        assert!(pdf.starts_with(b"%PDF"));
        assert_eq!(pages(&pdf), 2);
        // Subset fonts: small despite two embedded faces.
        assert!(pdf.len() < 300_000, "{}", pdf.len());
        let text = text_of(&pdf);
        for name in NAMES {
            assert!(text.contains(name), "{name} missing in {text}");
        }
        assert!(text.contains("Xã Thái Sơn 10"));
        assert!(text.contains("Mã: 7Q2K-0003"));
        assert!(badge_sheet(&BadgeSheet::default()).is_ok());
        let too_long = BadgeSheet {
            cards: vec![BadgeCard {
                name: "X".into(),
                qr_url: "x".repeat(4000),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(badge_sheet(&too_long), Err(PrintError::Qr("X".into())));
    }

    fn labels() -> RosterLabels {
        RosterLabels {
            number: "STT".into(),
            name: "Họ và tên".into(),
            position: "Chức vụ".into(),
            present: "Có mặt".into(),
            signature: "Ký tên".into(),
            page: "Trang".into(),
        }
    }

    #[test]
    fn a_roster_lists_units_and_names_across_pages() {
        let units: Vec<RosterUnit> = (0..6)
            .map(|u| RosterUnit {
                name: format!("Xã Yên Thuận {u}"),
                people: (0..12)
                    .map(|i| RosterPerson {
                        name: format!("{} {u}-{i}", NAMES[i % NAMES.len()]),
                        position: "Chủ tịch Hội Liên hiệp Phụ nữ xã kiêm Phó Chủ tịch Ủy ban Mặt trận Tổ quốc".into(),
                    })
                    .collect(),
            })
            .collect();
        let r = Roster {
            title: "Lớp bồi dưỡng nghiệp vụ công tác tuyên giáo năm 2026".into(),
            session: "Buổi sáng, 08/12/2026, Hội trường A".into(),
            units,
            labels: labels(),
            footer: "Tổng số: 72 đại biểu".into(),
        };
        let pdf = roster(&r).unwrap();
        keep("roster.pdf", &pdf);
        assert!(pdf.starts_with(b"%PDF"));
        let n = pages(&pdf);
        assert!((3..=4).contains(&n), "{n} pages");
        let text = text_of(&pdf);
        for needle in [
            "Nguyễn Thị Ánh Tuyết 0-0",
            "Đặng Thuỳ Dương 5-9",
            "Xã Yên Thuận 5 (12)",
            "Họ và tên",
            "Ký tên",
            "Buổi sáng, 08/12/2026, Hội trường A",
            "Tổng số: 72 đại biểu",
            &format!("Trang {n}/{n}"),
        ] {
            assert!(text.contains(needle), "{needle} missing");
        }
        // Names keep the caller's order.
        let a = text.find("Trần Văn Đức 0-1").unwrap();
        let b = text.find("Trần Văn Đức 1-1").unwrap();
        assert!(a < b);
        let empty = roster(&Roster {
            labels: labels(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(pages(&empty), 1);
    }

    #[test]
    fn long_text_is_cut_to_fit() {
        let f = Face::load(REGULAR).unwrap();
        let (line, size) = f.fit(&"Nguyễn Thị Ánh Tuyết ".repeat(10), 10.0, 7.0, 160.0);
        assert_eq!(size, 7.0);
        assert!(line.ends_with('…'));
        assert!(f.width(&line, size) <= 160.0);
        let lines = f.wrap(&"Trung tâm Chính trị ".repeat(10), 9.0, 200.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
    }
}
