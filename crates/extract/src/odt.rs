//! ODT (OpenDocument Text): text:p / text:h of content.xml with spans, each
//! run with its font resolved through automatic and named styles and the
//! font-face declarations (which map a style's font name to a family).

use std::collections::HashMap;

use crate::limits::Budget;
use crate::raw::{RawDoc, RawParagraph, clean_font_name};
use crate::xml::{Xml, XmlEvent, attr, decode_xml_bytes, local};
use crate::zipread::SafeZip;
use crate::{ExtractError, Format};

const F: Format = Format::Odt;

#[derive(Default)]
struct Styles {
    faces: HashMap<String, String>,
    /// style name -> (parent, font name or family)
    styles: HashMap<String, (Option<String>, Option<String>)>,
    default_font: Option<String>,
}

impl Styles {
    fn family(&self, font_name: &str) -> Option<String> {
        let family = self
            .faces
            .get(font_name)
            .map(String::as_str)
            .unwrap_or(font_name);
        // "'.VnTime', serif" -> ".VnTime"
        clean_font_name(family.split(',').next().unwrap_or(family))
    }

    fn font_of(&self, style: &str) -> Option<String> {
        let mut name = style;
        for _ in 0..32 {
            let (parent, font) = self.styles.get(name)?;
            if let Some(f) = font {
                return self.family(f);
            }
            name = parent.as_deref()?;
        }
        None
    }

    fn read(&mut self, xml: &str, budget: &mut Budget<'_>) -> Result<(), ExtractError> {
        let mut reader = Xml::new(xml, F);
        let mut current: Option<(String, Option<String>, Option<String>)> = None;
        let mut in_default_paragraph = false;
        loop {
            match reader.next(budget)? {
                XmlEvent::Start(e) => match local(&e).as_str() {
                    "font-face" => {
                        if let Some(name) = attr(&e, "style:name") {
                            let family =
                                attr(&e, "svg:font-family").unwrap_or_else(|| name.clone());
                            self.faces.insert(name, family);
                        }
                    }
                    "style" => {
                        current = attr(&e, "style:name")
                            .map(|n| (n, attr(&e, "style:parent-style-name"), None));
                    }
                    "default-style" => {
                        in_default_paragraph =
                            attr(&e, "style:family").as_deref() == Some("paragraph");
                    }
                    "text-properties" => {
                        let font =
                            attr(&e, "style:font-name").or_else(|| attr(&e, "fo:font-family"));
                        if let Some(c) = current.as_mut() {
                            c.2 = font;
                        } else if in_default_paragraph && font.is_some() {
                            self.default_font = font;
                        }
                    }
                    _ => {}
                },
                XmlEvent::End(name) => match name.as_str() {
                    "style" => {
                        if let Some((n, parent, font)) = current.take() {
                            self.styles.insert(n, (parent, font));
                        }
                    }
                    "default-style" => in_default_paragraph = false,
                    _ => {}
                },
                XmlEvent::Text(_) => {}
                XmlEvent::Eof => return Ok(()),
            }
        }
    }
}

struct Ctx {
    paras: Vec<RawParagraph>,
    /// One entry per open p/h/span element: the font it sets, if any.
    fonts: Vec<(usize, Option<String>)>,
}

impl Ctx {
    fn font(&self) -> Option<&str> {
        self.fonts.iter().rev().find_map(|(_, f)| f.as_deref())
    }
}

pub(crate) fn extract(
    zip: &mut SafeZip<'_>,
    budget: &mut Budget<'_>,
) -> Result<RawDoc, ExtractError> {
    let mut styles = Styles::default();
    if let Some(bytes) = zip.read("styles.xml", budget)? {
        styles.read(&decode_xml_bytes(&bytes), budget)?;
    }
    let content = zip
        .read("content.xml", budget)?
        .ok_or(ExtractError::NotExpectedFormat { expected: F })?;
    let content = decode_xml_bytes(&content);
    // Automatic styles live in content.xml itself.
    styles.read(&content, budget)?;
    if let Some(f) = styles.default_font.take() {
        styles.default_font = styles.family(&f);
    }

    let mut doc = RawDoc::default();
    let mut ctx = Ctx {
        paras: Vec::new(),
        fonts: Vec::new(),
    };
    let mut reader = Xml::new(&content, F);
    loop {
        match reader.next(budget)? {
            XmlEvent::Start(e) => {
                let name = local(&e);
                match name.as_str() {
                    "p" | "h" | "span" | "a" => {
                        if name != "span" && name != "a" {
                            ctx.paras.push(RawParagraph::default());
                        }
                        let font = attr(&e, "text:style-name").and_then(|s| styles.font_of(&s));
                        ctx.fonts.push((reader.depth(), font));
                    }
                    "s" => {
                        let n = attr(&e, "text:c")
                            .and_then(|c| c.parse::<usize>().ok())
                            .unwrap_or(1)
                            .min(1000);
                        push(&mut ctx, &styles, &" ".repeat(n));
                    }
                    "tab" => push(&mut ctx, &styles, "\t"),
                    "line-break" => push(&mut ctx, &styles, "\n"),
                    // Note numbers, comments and deleted text are not document text.
                    "note-citation" | "annotation" | "tracked-changes" => {
                        reader.skip_element(budget)?
                    }
                    _ => {}
                }
            }
            XmlEvent::End(name) => {
                let depth_after = reader.depth();
                if matches!(name.as_str(), "p" | "h" | "span" | "a")
                    && ctx.fonts.last().is_some_and(|(d, _)| *d == depth_after + 1)
                {
                    ctx.fonts.pop();
                }
                if matches!(name.as_str(), "p" | "h")
                    && let Some(p) = ctx.paras.pop()
                {
                    doc.finish_paragraph(p, budget)?;
                }
            }
            XmlEvent::Text(t) => {
                if !ctx.paras.is_empty() {
                    // ODF treats raw line breaks and tabs in text as spaces.
                    let t = t.replace(['\n', '\r', '\t'], " ");
                    push(&mut ctx, &styles, &t);
                }
            }
            XmlEvent::Eof => break,
        }
    }
    while let Some(p) = ctx.paras.pop() {
        doc.finish_paragraph(p, budget)?;
    }
    Ok(doc)
}

fn push(ctx: &mut Ctx, styles: &Styles, text: &str) {
    let font = ctx
        .font()
        .map(str::to_owned)
        .or_else(|| styles.default_font.clone());
    if let Some(p) = ctx.paras.last_mut() {
        p.push(text, font.as_deref());
    }
}
