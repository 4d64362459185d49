//! DOCX (Office Open XML): paragraphs and runs of word/document.xml (tables
//! and text boxes included), then footnotes and endnotes, each run with the
//! font it is shown in, resolved through run, run style, paragraph style and
//! document defaults.

use std::collections::HashMap;

use crate::limits::Budget;
use crate::raw::{RawDoc, RawParagraph, clean_font_name};
use crate::xml::{Xml, XmlEvent, attr, decode_xml_bytes, local};
use crate::zipread::SafeZip;
use crate::{ExtractError, Format};

const F: Format = Format::Docx;

#[derive(Default)]
struct Styles {
    /// styleId -> (basedOn, font)
    styles: HashMap<String, (Option<String>, Option<String>)>,
    default_font: Option<String>,
    /// Font of the default paragraph style (w:default="1"), used when a
    /// paragraph names no style.
    default_para_font: Option<String>,
}

impl Styles {
    fn font_of(&self, style: &str) -> Option<String> {
        let mut id = style;
        // Bounded walk: basedOn chains can loop in crafted files.
        for _ in 0..32 {
            let (based_on, font) = self.styles.get(id)?;
            if font.is_some() {
                return font.clone();
            }
            id = based_on.as_deref()?;
        }
        None
    }
}

/// Picks the font that shows non-ASCII Latin text: legacy look-alike letters
/// sit in the "high ANSI" range, so w:hAnsi wins over w:ascii.
pub(crate) fn rfonts(e: &quick_xml::events::BytesStart<'_>) -> Option<String> {
    attr(e, "w:hAnsi")
        .or_else(|| attr(e, "w:ascii"))
        .or_else(|| attr(e, "w:cs"))
        .and_then(|f| clean_font_name(&f))
}

fn parse_styles(xml: &str, budget: &mut Budget<'_>) -> Result<Styles, ExtractError> {
    let mut out = Styles::default();
    let mut reader = Xml::new(xml, F);
    let mut current: Option<(String, Option<String>, Option<String>)> = None;
    let mut in_defaults = false;
    let mut default_para: Option<String> = None;
    loop {
        match reader.next(budget)? {
            XmlEvent::Start(e) => match local(&e).as_str() {
                "style" => {
                    current = attr(&e, "w:styleId").map(|id| (id, None, None));
                    if attr(&e, "w:type").as_deref() == Some("paragraph")
                        && matches!(attr(&e, "w:default").as_deref(), Some("1" | "true"))
                    {
                        default_para = attr(&e, "w:styleId");
                    }
                }
                "basedOn" => {
                    if let Some(c) = current.as_mut() {
                        c.1 = attr(&e, "w:val");
                    }
                }
                "rPrDefault" => in_defaults = true,
                "rFonts" => {
                    if let Some(c) = current.as_mut() {
                        c.2 = rfonts(&e);
                    } else if in_defaults {
                        out.default_font = rfonts(&e);
                    }
                }
                _ => {}
            },
            XmlEvent::End(name) => match name.as_str() {
                "style" => {
                    if let Some((id, based, font)) = current.take() {
                        out.styles.insert(id, (based, font));
                    }
                }
                "rPrDefault" => in_defaults = false,
                _ => {}
            },
            XmlEvent::Text(_) => {}
            XmlEvent::Eof => {
                out.default_para_font = default_para.and_then(|id| out.font_of(&id));
                return Ok(out);
            }
        }
    }
}

struct OpenPara {
    para: RawParagraph,
    style_font: Option<String>,
}

/// Parses one story part (document, footnotes, endnotes).
fn parse_part(
    xml: &str,
    styles: &Styles,
    doc: &mut RawDoc,
    budget: &mut Budget<'_>,
) -> Result<(), ExtractError> {
    let mut reader = Xml::new(xml, F);
    let mut stack: Vec<OpenPara> = Vec::new();
    let mut run_font: Option<String> = None;
    let mut run_style_font: Option<String> = None;
    let mut in_text = false;
    let mut in_ppr = false;
    loop {
        match reader.next(budget)? {
            XmlEvent::Start(e) => match local(&e).as_str() {
                "p" => stack.push(OpenPara {
                    para: RawParagraph::default(),
                    style_font: None,
                }),
                "pPr" => in_ppr = true,
                "pStyle" if in_ppr => {
                    if let (Some(top), Some(id)) = (stack.last_mut(), attr(&e, "w:val")) {
                        top.style_font = styles.font_of(&id);
                    }
                }
                "r" => {
                    run_font = None;
                    run_style_font = None;
                }
                "rStyle" if !in_ppr => {
                    run_style_font = attr(&e, "w:val").and_then(|id| styles.font_of(&id))
                }
                "rFonts" if !in_ppr => run_font = rfonts(&e),
                "t" => in_text = true,
                "tab" if !in_ppr => push(&mut stack, "\t", &run_font, &run_style_font, styles),
                "br" | "cr" => push(&mut stack, "\n", &run_font, &run_style_font, styles),
                "noBreakHyphen" => push(&mut stack, "-", &run_font, &run_style_font, styles),
                // U+00AD is TCVN3's "ư": it must survive until legacy repair.
                "softHyphen" => push(&mut stack, "\u{AD}", &run_font, &run_style_font, styles),
                // Deleted revisions, field codes and the VML duplicate of
                // every drawing are not document text.
                "delText" | "instrText" | "Fallback" | "footnoteRef" | "endnoteRef" => {
                    reader.skip_element(budget)?
                }
                _ => {}
            },
            XmlEvent::End(name) => match name.as_str() {
                "p" => {
                    if let Some(open) = stack.pop() {
                        doc.finish_paragraph(open.para, budget)?;
                    }
                }
                "pPr" => in_ppr = false,
                "t" => in_text = false,
                _ => {}
            },
            XmlEvent::Text(t) => {
                if in_text {
                    push(&mut stack, &t, &run_font, &run_style_font, styles);
                }
            }
            XmlEvent::Eof => break,
        }
    }
    // Unclosed paragraphs of a truncated part still count.
    while let Some(open) = stack.pop() {
        doc.finish_paragraph(open.para, budget)?;
    }
    Ok(())
}

fn push(
    stack: &mut [OpenPara],
    text: &str,
    run_font: &Option<String>,
    run_style_font: &Option<String>,
    styles: &Styles,
) {
    if let Some(top) = stack.last_mut() {
        let font = run_font
            .as_deref()
            .or(run_style_font.as_deref())
            .or(top.style_font.as_deref())
            .or(styles.default_para_font.as_deref())
            .or(styles.default_font.as_deref());
        top.para.push(text, font);
    }
}

pub(crate) fn extract(
    zip: &mut SafeZip<'_>,
    budget: &mut Budget<'_>,
) -> Result<RawDoc, ExtractError> {
    let styles = match zip.read("word/styles.xml", budget)? {
        Some(bytes) => parse_styles(&decode_xml_bytes(&bytes), budget)?,
        None => Styles::default(),
    };
    let main = zip
        .read("word/document.xml", budget)?
        .ok_or(ExtractError::NotExpectedFormat { expected: F })?;
    let mut doc = RawDoc::default();
    parse_part(&decode_xml_bytes(&main), &styles, &mut doc, budget)?;
    drop(main);
    for part in ["word/footnotes.xml", "word/endnotes.xml"] {
        if let Some(bytes) = zip.read(part, budget)? {
            parse_part(&decode_xml_bytes(&bytes), &styles, &mut doc, budget)?;
        }
    }
    Ok(doc)
}
