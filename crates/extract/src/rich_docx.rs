//! DOCX with structure: word/document.xml with its relationships (links,
//! pictures), styles (fonts for legacy repair, heading/quote styles,
//! character styles) and numbering (bullet or number per list level).

use std::collections::HashMap;

use quick_xml::events::BytesStart;

use crate::limits::Budget;
use crate::rich::{Block, BlockKind, Inline, RawRich, Style, safe_link, truthy};
use crate::xml::{Xml, XmlEvent, attr, decode_xml_bytes, local};
use crate::zipread::SafeZip;
use crate::{ExtractError, Format};

const F: Format = Format::Docx;

#[derive(Default, Clone)]
struct StyleDef {
    name: String,
    based_on: Option<String>,
    font: Option<String>,
    bold: Option<bool>,
    italic: Option<bool>,
    outline: Option<u8>,
    num: Option<(String, u8)>,
}

#[derive(Default)]
struct Styles {
    styles: HashMap<String, StyleDef>,
    default_font: Option<String>,
    default_para: Option<String>,
}

impl Styles {
    /// First value found walking the basedOn chain (bounded: chains can loop).
    fn find<T>(&self, id: &str, f: impl Fn(&StyleDef) -> Option<T>) -> Option<T> {
        let mut id = id;
        for _ in 0..32 {
            let s = self.styles.get(id)?;
            if let Some(v) = f(s) {
                return Some(v);
            }
            id = s.based_on.as_deref()?;
        }
        None
    }

    fn heading_level(&self, id: &str) -> Option<u8> {
        self.find(id, |s| {
            let name = s.name.to_ascii_lowercase();
            if name == "title" {
                return Some(1);
            }
            if let Some(n) = name.strip_prefix("heading ") {
                return n.trim().parse::<u8>().ok().filter(|n| (1..=9).contains(n));
            }
            s.outline.map(|o| o + 1)
        })
    }

    fn is_quote(&self, id: &str) -> bool {
        self.find(id, |s| {
            let name = s.name.to_ascii_lowercase();
            (name.contains("quote") || name == "block text").then_some(())
        })
        .is_some()
    }
}

fn on(e: &BytesStart<'_>) -> bool {
    truthy(attr(e, "w:val").as_deref())
}

fn parse_styles(xml: &str, budget: &mut Budget<'_>) -> Result<Styles, ExtractError> {
    let mut out = Styles::default();
    let mut reader = Xml::new(xml, F);
    let mut current: Option<(String, StyleDef)> = None;
    let mut in_defaults = false;
    loop {
        match reader.next(budget)? {
            XmlEvent::Start(e) => {
                let name = local(&e);
                if name == "style" {
                    current = attr(&e, "w:styleId").map(|id| (id, StyleDef::default()));
                    if attr(&e, "w:type").as_deref() == Some("paragraph")
                        && matches!(attr(&e, "w:default").as_deref(), Some("1" | "true"))
                    {
                        out.default_para = attr(&e, "w:styleId");
                    }
                    continue;
                }
                if name == "rPrDefault" {
                    in_defaults = true;
                }
                let Some((_, def)) = current.as_mut() else {
                    if in_defaults && name == "rFonts" {
                        out.default_font = crate::docx::rfonts(&e);
                    }
                    continue;
                };
                match name.as_str() {
                    "name" => def.name = attr(&e, "w:val").unwrap_or_default(),
                    "basedOn" => def.based_on = attr(&e, "w:val"),
                    "rFonts" => def.font = crate::docx::rfonts(&e),
                    "b" => def.bold = Some(on(&e)),
                    "i" => def.italic = Some(on(&e)),
                    "outlineLvl" => {
                        def.outline = attr(&e, "w:val")
                            .and_then(|v| v.parse::<u8>().ok())
                            .filter(|v| *v < 9)
                    }
                    "numId" => {
                        def.num = attr(&e, "w:val").map(|n| (n, def.num.take().map_or(0, |n| n.1)))
                    }
                    "ilvl" => {
                        let level = attr(&e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        def.num = Some((def.num.take().map(|n| n.0).unwrap_or_default(), level));
                    }
                    _ => {}
                }
            }
            XmlEvent::End(name) => match name.as_str() {
                "style" => {
                    if let Some((id, def)) = current.take() {
                        out.styles.insert(id, def);
                    }
                }
                "rPrDefault" => in_defaults = false,
                _ => {}
            },
            XmlEvent::Text(_) => {}
            XmlEvent::Eof => return Ok(out),
        }
    }
}

/// numId -> (level -> ordered?)
fn parse_numbering(
    xml: &str,
    budget: &mut Budget<'_>,
) -> Result<HashMap<String, HashMap<u8, bool>>, ExtractError> {
    let mut abstracts: HashMap<String, HashMap<u8, bool>> = HashMap::new();
    let mut nums: HashMap<String, String> = HashMap::new();
    let mut reader = Xml::new(xml, F);
    let mut abs: Option<String> = None;
    let mut lvl: u8 = 0;
    let mut num: Option<String> = None;
    loop {
        match reader.next(budget)? {
            XmlEvent::Start(e) => match local(&e).as_str() {
                "abstractNum" => abs = attr(&e, "w:abstractNumId"),
                "lvl" => lvl = attr(&e, "w:ilvl").and_then(|v| v.parse().ok()).unwrap_or(0),
                "numFmt" => {
                    if let Some(a) = &abs {
                        let fmt = attr(&e, "w:val").unwrap_or_default();
                        let ordered = !matches!(fmt.as_str(), "bullet" | "none" | "");
                        abstracts.entry(a.clone()).or_default().insert(lvl, ordered);
                    }
                }
                "num" => num = attr(&e, "w:numId"),
                "abstractNumId" => {
                    if let (Some(n), Some(a)) = (&num, attr(&e, "w:val")) {
                        nums.insert(n.clone(), a);
                    }
                }
                _ => {}
            },
            XmlEvent::End(name) => match name.as_str() {
                "abstractNum" => abs = None,
                "num" => num = None,
                _ => {}
            },
            XmlEvent::Text(_) => {}
            XmlEvent::Eof => break,
        }
    }
    Ok(nums
        .into_iter()
        .filter_map(|(n, a)| abstracts.get(&a).map(|levels| (n, levels.clone())))
        .collect())
}

/// Relationship id -> (target, external?)
fn parse_rels(
    xml: &str,
    budget: &mut Budget<'_>,
) -> Result<HashMap<String, (String, bool)>, ExtractError> {
    let mut out = HashMap::new();
    let mut reader = Xml::new(xml, F);
    loop {
        match reader.next(budget)? {
            XmlEvent::Start(e) if local(&e) == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    let external = attr(&e, "TargetMode").as_deref() == Some("External");
                    out.insert(id, (target, external));
                }
            }
            XmlEvent::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// "media/image1.png" relative to word/ -> "word/media/image1.png".
fn package_path(target: &str) -> String {
    let mut parts: Vec<&str> = if let Some(abs) = target.strip_prefix('/') {
        abs.split('/').collect()
    } else {
        std::iter::once("word").chain(target.split('/')).collect()
    };
    let mut out: Vec<&str> = Vec::with_capacity(parts.len());
    for p in parts.drain(..) {
        match p {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            p => out.push(p),
        }
    }
    out.join("/")
}

#[derive(Default)]
struct OpenPara {
    block: Block,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    outline: Option<u8>,
}

#[derive(Default)]
struct RunProps {
    font: Option<String>,
    style_font: Option<String>,
    bold: Option<bool>,
    italic: Option<bool>,
}

#[derive(Default)]
struct PendingPicture {
    target: Option<String>,
    alt: String,
    title: String,
}

pub(crate) fn read(
    zip: &mut SafeZip<'_>,
    budget: &mut Budget<'_>,
) -> Result<RawRich, ExtractError> {
    let styles = match zip.read("word/styles.xml", budget)? {
        Some(b) => parse_styles(&decode_xml_bytes(&b), budget)?,
        None => Styles::default(),
    };
    let numbering = match zip.read("word/numbering.xml", budget)? {
        Some(b) => parse_numbering(&decode_xml_bytes(&b), budget)?,
        None => HashMap::new(),
    };
    let rels = match zip.read("word/_rels/document.xml.rels", budget)? {
        Some(b) => parse_rels(&decode_xml_bytes(&b), budget)?,
        None => HashMap::new(),
    };
    let main = zip
        .read("word/document.xml", budget)?
        .ok_or(ExtractError::NotExpectedFormat { expected: F })?;
    let xml = decode_xml_bytes(&main);

    let mut raw = RawRich::default();
    let mut reader = Xml::new(&xml, F);
    let mut stack: Vec<OpenPara> = Vec::new();
    let mut run = RunProps::default();
    let mut links: Vec<(usize, Option<String>)> = Vec::new();
    let mut picture: Option<PendingPicture> = None;
    let (mut in_ppr, mut in_rpr, mut in_text) = (false, false, false);

    loop {
        match reader.next(budget)? {
            XmlEvent::Start(e) => match local(&e).as_str() {
                "p" => stack.push(OpenPara::default()),
                "pPr" => in_ppr = true,
                "rPr" if !in_ppr => in_rpr = true,
                "pStyle" if in_ppr => {
                    if let Some(top) = stack.last_mut() {
                        top.style = attr(&e, "w:val");
                    }
                }
                "numId" if in_ppr => {
                    if let Some(top) = stack.last_mut() {
                        top.num_id = attr(&e, "w:val");
                    }
                }
                "ilvl" if in_ppr => {
                    if let Some(top) = stack.last_mut() {
                        top.ilvl = attr(&e, "w:val").and_then(|v| v.parse().ok());
                    }
                }
                "outlineLvl" if in_ppr => {
                    if let Some(top) = stack.last_mut() {
                        top.outline = attr(&e, "w:val")
                            .and_then(|v| v.parse::<u8>().ok())
                            .filter(|v| *v < 9);
                    }
                }
                "r" => run = RunProps::default(),
                "rStyle" if in_rpr => {
                    if let Some(id) = attr(&e, "w:val") {
                        run.style_font = styles.find(&id, |s| s.font.clone());
                        run.bold = run.bold.or(styles.find(&id, |s| s.bold));
                        run.italic = run.italic.or(styles.find(&id, |s| s.italic));
                    }
                }
                "rFonts" if in_rpr => run.font = crate::docx::rfonts(&e),
                "b" if in_rpr => run.bold = Some(on(&e)),
                "i" if in_rpr => run.italic = Some(on(&e)),
                "hyperlink" => {
                    let target = attr(&e, "r:id")
                        .and_then(|id| rels.get(&id))
                        .filter(|(_, external)| *external)
                        .and_then(|(t, _)| safe_link(t));
                    links.push((reader.depth(), target));
                }
                "t" => in_text = true,
                "tab" if !in_ppr => push_text(&mut stack, " ", &run, &links, &styles, budget)?,
                "br" | "cr" => {
                    if attr(&e, "w:type").is_some_and(|t| t == "page" || t == "column") {
                        push_text(&mut stack, " ", &run, &links, &styles, budget)?;
                    } else if let Some(top) = stack.last_mut() {
                        top.block.inlines.push(Inline::Break);
                    }
                }
                "noBreakHyphen" => push_text(&mut stack, "-", &run, &links, &styles, budget)?,
                "softHyphen" => push_text(&mut stack, "\u{AD}", &run, &links, &styles, budget)?,
                "drawing" | "pict" => picture = Some(PendingPicture::default()),
                "docPr" => {
                    if let Some(p) = picture.as_mut() {
                        p.alt = attr(&e, "descr").unwrap_or_default();
                        p.title = attr(&e, "title").unwrap_or_default();
                    }
                }
                "shape" => {
                    if let Some(p) = picture.as_mut()
                        && let Some(alt) = attr(&e, "alt")
                    {
                        p.alt = alt;
                    }
                }
                "blip" | "imagedata" => {
                    if let Some(p) = picture.as_mut() {
                        let id = attr(&e, "r:embed").or_else(|| attr(&e, "r:id"));
                        p.target = id
                            .and_then(|id| rels.get(&id))
                            .filter(|(_, external)| !*external)
                            .map(|(t, _)| package_path(t));
                    }
                }
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
                        let kind = block_kind(&open, &styles, &numbering);
                        let mut block = open.block;
                        block.kind = kind;
                        raw.finish_block(block);
                    }
                }
                "pPr" => in_ppr = false,
                "rPr" => in_rpr = false,
                "t" => in_text = false,
                "hyperlink" => {
                    links.pop();
                }
                "drawing" | "pict" => {
                    if let Some(p) = picture.take()
                        && let Some(target) = p.target
                        && let Some(i) = raw.picture(zip, &target, &p.alt, &p.title, budget)?
                        && let Some(top) = stack.last_mut()
                    {
                        top.block.inlines.push(Inline::Picture(i));
                    }
                }
                _ => {}
            },
            XmlEvent::Text(t) => {
                if in_text {
                    push_text(&mut stack, &t, &run, &links, &styles, budget)?;
                }
            }
            XmlEvent::Eof => break,
        }
    }
    // Unclosed paragraphs of a truncated part still count.
    while let Some(open) = stack.pop() {
        let kind = block_kind(&open, &styles, &numbering);
        let mut block = open.block;
        block.kind = kind;
        raw.finish_block(block);
    }
    Ok(raw)
}

fn block_kind(
    open: &OpenPara,
    styles: &Styles,
    numbering: &HashMap<String, HashMap<u8, bool>>,
) -> BlockKind {
    let style = open.style.as_deref().or(styles.default_para.as_deref());
    let heading = open
        .outline
        .map(|o| o + 1)
        .or_else(|| style.and_then(|s| styles.heading_level(s)));
    if let Some(level) = heading {
        return BlockKind::Heading(level.min(6));
    }
    let style_num = style.and_then(|s| styles.find(s, |d| d.num.clone()));
    let num_id = open
        .num_id
        .clone()
        .or_else(|| style_num.as_ref().map(|n| n.0.clone()));
    if let Some(num_id) = num_id.filter(|n| !n.is_empty() && n != "0") {
        let level = open.ilvl.or(style_num.map(|n| n.1)).unwrap_or(0).min(8);
        let ordered = numbering
            .get(&num_id)
            .and_then(|levels| levels.get(&level))
            .copied()
            .unwrap_or(false);
        return BlockKind::ListItem { ordered, level };
    }
    if style.is_some_and(|s| styles.is_quote(s)) {
        return BlockKind::Quote;
    }
    BlockKind::Paragraph
}

fn push_text(
    stack: &mut [OpenPara],
    text: &str,
    run: &RunProps,
    links: &[(usize, Option<String>)],
    styles: &Styles,
    budget: &mut Budget<'_>,
) -> Result<(), ExtractError> {
    let Some(top) = stack.last_mut() else {
        return Ok(());
    };
    let para_font = top
        .style
        .as_deref()
        .or(styles.default_para.as_deref())
        .and_then(|s| styles.find(s, |d| d.font.clone()));
    let font = run
        .font
        .clone()
        .or_else(|| run.style_font.clone())
        .or(para_font)
        .or_else(|| styles.default_font.clone());
    let style = Style {
        bold: run.bold.unwrap_or(false),
        italic: run.italic.unwrap_or(false),
    };
    let link = links.last().and_then(|(_, l)| l.as_deref());
    top.block
        .push_text(text, font.as_deref(), style, link, budget)
}
