//! PDF: walks each page's content stream itself (rather than lopdf's
//! `extract_text`) to keep the font of every text run and to rebuild lines
//! and paragraphs from glyph positions.

use std::collections::{BTreeMap, HashMap};

use lopdf::Encoding;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, LoadOptions, Object};

use crate::limits::Budget;
use crate::raw::{RawDoc, RawParagraph, clean_font_name};
use crate::{ExtractError, Format};

const F: Format = Format::Pdf;

struct FontInfo<'d> {
    name: Option<String>,
    encoding: Option<Encoding<'d>>,
    two_byte: bool,
    /// Glyph widths in 1/1000 em by character code.
    widths: HashMap<u32, f32>,
    default_width: f32,
}

fn num(o: &Object) -> Option<f32> {
    o.as_float()
        .ok()
        .or_else(|| o.as_i64().ok().map(|v| v as f32))
}

fn deref<'d>(doc: &'d Document, o: &'d Object) -> &'d Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn font_info<'d>(
    doc: &'d Document,
    font: &'d Dictionary,
    room: usize,
) -> Result<FontInfo<'d>, ExtractError> {
    let name = font
        .get(b"BaseFont")
        .ok()
        .and_then(|o| o.as_name().ok())
        .and_then(|n| clean_font_name(&String::from_utf8_lossy(n)));
    let two_byte = font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
    let encoding = match font.get_font_encoding_with_limit(doc, room) {
        Ok(e) => Some(e),
        Err(lopdf::Error::Decompress(_)) => {
            return Err(ExtractError::DecompressedTooLarge { max_mb: 0 });
        }
        Err(_) => None,
    };
    let mut widths = HashMap::new();
    let mut default_width = 500.0;
    if two_byte {
        let descendant = font
            .get(b"DescendantFonts")
            .map(|o| deref(doc, o))
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| a.first())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        if let Some(d) = descendant {
            default_width = d.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
            if let Ok(w) = d
                .get(b"W")
                .map(|o| deref(doc, o))
                .and_then(Object::as_array)
            {
                // [c [w1 w2 ...]] or [c_first c_last w]
                let mut i = 0;
                while i < w.len() && widths.len() < 65_536 {
                    let Some(start) = num(&w[i]) else { break };
                    let start = start.max(0.0) as u32;
                    match w.get(i + 1).map(|o| deref(doc, o)) {
                        Some(Object::Array(list)) => {
                            for (k, v) in list.iter().enumerate().take(65_536) {
                                if let Some(v) = num(v) {
                                    widths.insert(start.saturating_add(k as u32), v);
                                }
                            }
                            i += 2;
                        }
                        Some(o) => {
                            let end = num(o).map_or(start, |e| e.max(0.0) as u32);
                            let v = w.get(i + 2).and_then(num).unwrap_or(default_width);
                            for c in start..=end.min(start.saturating_add(65_536)) {
                                widths.insert(c, v);
                            }
                            i += 3;
                        }
                        None => break,
                    }
                }
            }
        }
    } else {
        let first = font
            .get(b"FirstChar")
            .ok()
            .and_then(num)
            .unwrap_or(0.0)
            .max(0.0) as u32;
        if let Ok(w) = font
            .get(b"Widths")
            .map(|o| deref(doc, o))
            .and_then(Object::as_array)
        {
            for (k, v) in w.iter().enumerate().take(256) {
                if let Some(v) = num(deref(doc, v)) {
                    widths.insert(first + k as u32, v);
                }
            }
        }
    }
    Ok(FontInfo {
        name,
        encoding,
        two_byte,
        widths,
        default_width,
    })
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

struct PageState<'f, 'd> {
    ctm: Matrix,
    ctm_stack: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    leading: f32,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    font: Option<&'f FontInfo<'d>>,
    items: Vec<Item<'f>>,
}

impl PageState<'_, '_> {
    fn device(&self) -> (f32, f32, f32) {
        let m = mul(&self.tm, &self.ctm);
        let scale = (m[2] * m[2] + m[3] * m[3]).sqrt();
        (m[4], m[5], (self.size * scale).abs().max(0.1))
    }

    fn translate(&mut self, tx: f32, ty: f32) {
        self.tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &self.tlm);
        self.tm = self.tlm;
    }

    /// Records a shown string with its position, then advances the text
    /// matrix by its glyph widths.
    fn show(&mut self, bytes: &[u8]) {
        let Some(font) = self.font else {
            return;
        };
        let (x, y, size) = self.device();
        let text = match &font.encoding {
            Some(enc) => enc.bytes_to_string(bytes).unwrap_or_default(),
            None => bytes.iter().map(|&b| char::from(b)).collect(),
        };
        let text: String = text.chars().filter(|c| *c != '\0').collect();
        // Advance the text matrix by the glyph widths.
        let mut advance = 0.0;
        let codes: Vec<u32> = if font.two_byte {
            bytes
                .chunks(2)
                .map(|c| (u32::from(c[0]) << 8) | u32::from(c.get(1).copied().unwrap_or(0)))
                .collect()
        } else {
            bytes.iter().map(|&b| u32::from(b)).collect()
        };
        for code in codes {
            let w = font
                .widths
                .get(&code)
                .copied()
                .unwrap_or(font.default_width);
            advance += w / 1000.0 * self.size + self.char_spacing;
            if !font.two_byte && code == 32 {
                advance += self.word_spacing;
            }
        }
        self.tm = mul(&[1.0, 0.0, 0.0, 1.0, advance * self.hscale, 0.0], &self.tm);
        let (end_x, _, _) = self.device();
        if !text.is_empty() {
            self.items.push(Item {
                x,
                y,
                size,
                end_x,
                text,
                font: font.name.as_deref(),
            });
        }
    }
}

/// A string shown on the page, in device space.
struct Item<'f> {
    x: f32,
    y: f32,
    size: f32,
    end_x: f32,
    text: String,
    font: Option<&'f str>,
}

struct Line<'f> {
    y: f32,
    size: f32,
    items: Vec<Item<'f>>,
}

/// Rebuilds lines and paragraphs from positioned strings. Writers may draw
/// a line in several passes (LibreOffice draws each embedded font subset
/// separately), so strings join the recent line at their height and each
/// line is ordered by x. Paragraphs break on a large vertical gap, a move
/// upwards (new column or page) or a first-line indent.
fn layout(
    items: Vec<Item<'_>>,
    out: &mut RawDoc,
    budget: &mut Budget<'_>,
) -> Result<(), ExtractError> {
    let mut lines: Vec<Line<'_>> = Vec::new();
    for item in items {
        let found = lines
            .iter_mut()
            .rev()
            .take(8)
            .find(|l| (l.y - item.y).abs() < 0.5 * l.size.max(item.size));
        match found {
            Some(line) => {
                line.size = line.size.max(item.size);
                line.items.push(item);
            }
            None => lines.push(Line {
                y: item.y,
                size: item.size,
                items: vec![item],
            }),
        }
    }
    let mut para = RawParagraph::default();
    let ends_with_space = |p: &RawParagraph| {
        p.runs
            .last()
            .is_none_or(|r| r.text.ends_with(char::is_whitespace))
    };
    let mut prev: Option<(f32, f32, f32)> = None;
    for mut line in lines {
        budget.tick()?;
        line.items.sort_by(|a, b| a.x.total_cmp(&b.x));
        let start_x = line.items.first().map_or(0.0, |i| i.x);
        if let Some((py, psize, px)) = prev {
            let size = line.size.max(psize);
            let dy = py - line.y;
            if dy > 1.45 * size || dy < -0.5 * size || start_x - px > 1.2 * size {
                out.finish_paragraph(std::mem::take(&mut para), budget)?;
            } else if !ends_with_space(&para) {
                para.push(" ", None);
            }
        }
        let mut last_end: Option<f32> = None;
        for item in &line.items {
            if let Some(end) = last_end
                && item.x - end > 0.15 * line.size
                && !ends_with_space(&para)
            {
                para.push(" ", item.font);
            }
            para.push(&item.text, item.font);
            last_end = Some(item.end_x);
        }
        prev = Some((line.y, line.size, start_x));
    }
    out.finish_paragraph(para, budget)
}

fn operand(ops: &[Object], i: usize) -> f32 {
    ops.get(i)
        .and_then(num)
        .filter(|v| v.is_finite())
        .unwrap_or(0.0)
}

/// Font data by the address of its dictionary inside the loaded document:
/// pages share fonts, and ToUnicode maps are costly to parse again.
type FontCache<'d> = HashMap<usize, FontInfo<'d>>;

fn page_text<'d>(
    doc: &'d Document,
    page_id: lopdf::ObjectId,
    cache: &mut FontCache<'d>,
    out: &mut RawDoc,
    budget: &mut Budget<'_>,
) -> Result<(), ExtractError> {
    let too_large = || ExtractError::DecompressedTooLarge {
        max_mb: budget.limits.max_decompressed_mb(),
    };
    let room = usize::try_from(budget.decompress_room()).unwrap_or(usize::MAX);
    let fonts: BTreeMap<Vec<u8>, &Dictionary> = doc.get_page_fonts(page_id).unwrap_or_default();
    let mut names: HashMap<Vec<u8>, usize> = HashMap::new();
    for (key, dict) in fonts {
        let addr = std::ptr::from_ref(dict) as usize;
        if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(addr) {
            slot.insert(font_info(doc, dict, room).map_err(|_| too_large())?);
        }
        names.insert(key, addr);
    }
    let infos: &FontCache<'d> = cache;
    let content = match doc.get_page_content_with_limit(page_id, room) {
        Ok(c) => c,
        Err(lopdf::Error::Decompress(_)) => return Err(too_large()),
        Err(e) => return Err(ExtractError::corrupt(F, e)),
    };
    budget.add_decompressed(content.len() as u64)?;
    let mut st = PageState {
        ctm: IDENTITY,
        ctm_stack: Vec::new(),
        tm: IDENTITY,
        tlm: IDENTITY,
        leading: 0.0,
        size: 12.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        hscale: 1.0,
        font: None,
        items: Vec::new(),
    };
    for op in Content::decode_iter(&content) {
        budget.tick()?;
        // A broken operator ends the page; the text so far is kept.
        let Ok(op) = op else { break };
        let o = &op.operands;
        match op.operator.as_str() {
            "q" if st.ctm_stack.len() < 1024 => st.ctm_stack.push(st.ctm),
            "Q" => st.ctm = st.ctm_stack.pop().unwrap_or(IDENTITY),
            "cm" => {
                let m = [
                    operand(o, 0),
                    operand(o, 1),
                    operand(o, 2),
                    operand(o, 3),
                    operand(o, 4),
                    operand(o, 5),
                ];
                st.ctm = mul(&m, &st.ctm);
            }
            "BT" => {
                st.tm = IDENTITY;
                st.tlm = IDENTITY;
            }
            "Tf" => {
                st.font = o
                    .first()
                    .and_then(|n| n.as_name().ok())
                    .and_then(|n| names.get(n))
                    .and_then(|addr| infos.get(addr));
                st.size = operand(o, 1);
            }
            "TL" => st.leading = operand(o, 0),
            "Tc" => st.char_spacing = operand(o, 0),
            "Tw" => st.word_spacing = operand(o, 0),
            "Tz" => st.hscale = operand(o, 0) / 100.0,
            "Td" => st.translate(operand(o, 0), operand(o, 1)),
            "TD" => {
                st.leading = -operand(o, 1);
                st.translate(operand(o, 0), operand(o, 1));
            }
            "Tm" => {
                st.tlm = [
                    operand(o, 0),
                    operand(o, 1),
                    operand(o, 2),
                    operand(o, 3),
                    operand(o, 4),
                    operand(o, 5),
                ];
                st.tm = st.tlm;
            }
            "T*" => st.translate(0.0, -st.leading),
            "Tj" => {
                if let Some(Ok(s)) = o.first().map(Object::as_str) {
                    st.show(s);
                }
            }
            "'" => {
                st.translate(0.0, -st.leading);
                if let Some(Ok(s)) = o.first().map(Object::as_str) {
                    st.show(s);
                }
            }
            "\"" => {
                st.word_spacing = operand(o, 0);
                st.char_spacing = operand(o, 1);
                st.translate(0.0, -st.leading);
                if let Some(Ok(s)) = o.get(2).map(Object::as_str) {
                    st.show(s);
                }
            }
            "TJ" => {
                let Some(Ok(items)) = o.first().map(Object::as_array) else {
                    continue;
                };
                for item in items {
                    match item {
                        Object::String(s, _) => st.show(s),
                        other => {
                            let n = num(other).unwrap_or(0.0);
                            let shift = -n / 1000.0 * st.size * st.hscale;
                            st.tm = mul(&[1.0, 0.0, 0.0, 1.0, shift, 0.0], &st.tm);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    layout(st.items, out, budget)
}

pub(crate) fn load(bytes: &[u8], budget: &Budget<'_>) -> Result<Document, ExtractError> {
    let room = usize::try_from(budget.decompress_room()).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(room),
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword) => {
            return Err(ExtractError::Encrypted);
        }
        Err(lopdf::Error::Decompress(_)) => {
            return Err(ExtractError::DecompressedTooLarge {
                max_mb: budget.limits.max_decompressed_mb(),
            });
        }
        Err(e) => return Err(ExtractError::corrupt(F, e)),
    };
    // Files with only an owner password (copy/print restrictions, common in
    // official documents) open with the empty user password and are read.
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(ExtractError::Encrypted);
    }
    Ok(doc)
}

pub(crate) fn extract(bytes: &[u8], budget: &mut Budget<'_>) -> Result<RawDoc, ExtractError> {
    if !crate::detect::is_pdf(bytes) {
        return Err(ExtractError::NotExpectedFormat { expected: F });
    }
    let doc = load(bytes, budget)?;
    budget.check_time()?;
    let pages = doc.get_pages();
    if pages.len() > budget.limits.max_pdf_pages {
        return Err(ExtractError::TooManyPages {
            max: budget.limits.max_pdf_pages,
        });
    }
    let mut out = RawDoc::default();
    let mut cache = FontCache::new();
    for page_id in pages.values() {
        page_text(&doc, *page_id, &mut cache, &mut out, budget)?;
        budget.check_time()?;
    }
    Ok(out)
}
