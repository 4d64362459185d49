//! ODT with structure: content.xml's text:h / text:p / text:list / text:a /
//! draw:frame, with named (styles.xml) and automatic (content.xml) styles
//! for fonts, bold and italic, quote and title styles, and list styles for
//! bullets or numbers.

use std::collections::HashMap;

use crate::limits::Budget;
use crate::rich::{Block, BlockKind, Inline, RawRich, Style, safe_link};
use crate::xml::{Xml, XmlEvent, attr, decode_xml_bytes, local};
use crate::zipread::SafeZip;
use crate::{ExtractError, Format};

const F: Format = Format::Odt;

#[derive(Default, Clone)]
struct StyleDef {
    parent: Option<String>,
    display: String,
    font: Option<String>,
    bold: Option<bool>,
    italic: Option<bool>,
}

#[derive(Default)]
struct Styles {
    faces: HashMap<String, String>,
    styles: HashMap<String, StyleDef>,
    /// (list style, level from 1) -> numbered?
    lists: HashMap<(String, u8), bool>,
    default_font: Option<String>,
}

impl Styles {
    fn find<T>(&self, name: &str, f: impl Fn(&str, &StyleDef) -> Option<T>) -> Option<T> {
        let mut name = name;
        for _ in 0..32 {
            let s = self.styles.get(name)?;
            if let Some(v) = f(name, s) {
                return Some(v);
            }
            name = s.parent.as_deref()?;
        }
        None
    }

    fn family(&self, font_name: &str) -> Option<String> {
        let family = self
            .faces
            .get(font_name)
            .map(String::as_str)
            .unwrap_or(font_name);
        crate::raw::clean_font_name(family.split(',').next().unwrap_or(family))
    }

    fn font(&self, style: &str) -> Option<String> {
        self.find(style, |_, s| s.font.clone())
            .and_then(|f| self.family(&f))
    }

    fn named(&self, style: &str, test: impl Fn(&str) -> bool) -> bool {
        self.find(style, |name, s| {
            (test(&name.to_ascii_lowercase()) || test(&s.display.to_ascii_lowercase()))
                .then_some(())
        })
        .is_some()
    }

    fn read(&mut self, xml: &str, budget: &mut Budget<'_>) -> Result<(), ExtractError> {
        let mut reader = Xml::new(xml, F);
        let mut current: Option<(String, StyleDef)> = None;
        let mut list_style: Option<String> = None;
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
                        current = attr(&e, "style:name").map(|n| {
                            let def = StyleDef {
                                parent: attr(&e, "style:parent-style-name"),
                                display: attr(&e, "style:display-name").unwrap_or_default(),
                                ..StyleDef::default()
                            };
                            (n, def)
                        });
                    }
                    "default-style" => {
                        in_default_paragraph =
                            attr(&e, "style:family").as_deref() == Some("paragraph");
                    }
                    "list-style" => list_style = attr(&e, "style:name"),
                    kind @ ("list-level-style-number"
                    | "list-level-style-bullet"
                    | "list-level-style-image") => {
                        if let Some(ls) = &list_style {
                            let level = attr(&e, "text:level")
                                .and_then(|l| l.parse().ok())
                                .unwrap_or(1);
                            self.lists
                                .insert((ls.clone(), level), kind == "list-level-style-number");
                        }
                    }
                    "text-properties" => {
                        let font =
                            attr(&e, "style:font-name").or_else(|| attr(&e, "fo:font-family"));
                        if let Some((_, def)) = current.as_mut() {
                            if font.is_some() {
                                def.font = font;
                            }
                            if let Some(w) = attr(&e, "fo:font-weight") {
                                def.bold =
                                    Some(w == "bold" || w.parse::<u32>().is_ok_and(|n| n >= 600));
                            }
                            if let Some(s) = attr(&e, "fo:font-style") {
                                def.italic = Some(s == "italic" || s == "oblique");
                            }
                        } else if in_default_paragraph && font.is_some() {
                            self.default_font = font;
                        }
                    }
                    _ => {}
                },
                XmlEvent::End(name) => match name.as_str() {
                    "style" => {
                        if let Some((n, def)) = current.take() {
                            self.styles.insert(n, def);
                        }
                    }
                    "list-style" => list_style = None,
                    "default-style" => in_default_paragraph = false,
                    _ => {}
                },
                XmlEvent::Text(_) => {}
                XmlEvent::Eof => return Ok(()),
            }
        }
    }
}

/// One open p/h/span: what it sets.
struct Frame {
    depth: usize,
    bold: Option<bool>,
    italic: Option<bool>,
    font: Option<String>,
}

#[derive(Default)]
struct PendingPicture {
    depth: usize,
    href: Option<String>,
    title: String,
    desc: String,
}

enum Capture {
    Title,
    Desc,
}

pub(crate) fn read(
    zip: &mut SafeZip<'_>,
    budget: &mut Budget<'_>,
) -> Result<RawRich, ExtractError> {
    let mut styles = Styles::default();
    if let Some(bytes) = zip.read("styles.xml", budget)? {
        styles.read(&decode_xml_bytes(&bytes), budget)?;
    }
    let content = zip
        .read("content.xml", budget)?
        .ok_or(ExtractError::NotExpectedFormat { expected: F })?;
    let content = decode_xml_bytes(&content);
    styles.read(&content, budget)?;
    if let Some(f) = styles.default_font.take() {
        styles.default_font = styles.family(&f);
    }

    let mut raw = RawRich::default();
    let mut reader = Xml::new(&content, F);
    let mut paras: Vec<Block> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut links: Vec<(usize, Option<String>)> = Vec::new();
    // Open lists: (depth, list style name).
    let mut lists: Vec<(usize, Option<String>)> = Vec::new();
    let mut item_fresh = false;
    let mut picture: Option<PendingPicture> = None;
    let mut capture: Option<Capture> = None;
    loop {
        match reader.next(budget)? {
            XmlEvent::Start(e) => {
                let name = local(&e);
                match name.as_str() {
                    "list" => {
                        let style = attr(&e, "text:style-name")
                            .or_else(|| lists.last().and_then(|(_, s)| s.clone()));
                        lists.push((reader.depth(), style));
                    }
                    "list-item" | "list-header" => item_fresh = name == "list-item",
                    "p" | "h" => {
                        let style = attr(&e, "text:style-name");
                        let kind = if name == "h" {
                            let level = attr(&e, "text:outline-level")
                                .and_then(|l| l.parse::<u8>().ok())
                                .unwrap_or(1);
                            BlockKind::Heading(level.clamp(1, 6))
                        } else if !lists.is_empty() && std::mem::take(&mut item_fresh) {
                            let level = u8::try_from(lists.len()).unwrap_or(u8::MAX);
                            let ordered = lists
                                .last()
                                .and_then(|(_, s)| s.as_ref())
                                .and_then(|s| styles.lists.get(&(s.clone(), level)))
                                .copied()
                                .unwrap_or(false);
                            BlockKind::ListItem {
                                ordered,
                                level: level - 1,
                            }
                        } else if style
                            .as_deref()
                            .is_some_and(|s| styles.named(s, |n| n == "title"))
                        {
                            BlockKind::Heading(1)
                        } else if style
                            .as_deref()
                            .is_some_and(|s| styles.named(s, |n| n.contains("quot")))
                        {
                            BlockKind::Quote
                        } else {
                            BlockKind::Paragraph
                        };
                        paras.push(Block {
                            kind,
                            inlines: Vec::new(),
                        });
                        // Headings are bold by their style: no ** inside #.
                        frames.push(frame(
                            &styles,
                            style.as_deref(),
                            reader.depth(),
                            name == "h",
                        ));
                    }
                    "span" => {
                        let style = attr(&e, "text:style-name");
                        frames.push(frame(&styles, style.as_deref(), reader.depth(), false));
                    }
                    "a" => {
                        let href = attr(&e, "xlink:href").and_then(|h| safe_link(&h));
                        links.push((reader.depth(), href));
                    }
                    "s" => {
                        let n = attr(&e, "text:c")
                            .and_then(|c| c.parse::<usize>().ok())
                            .unwrap_or(1)
                            .min(1000);
                        push(&mut paras, &frames, &links, &styles, &" ".repeat(n), budget)?;
                    }
                    "tab" => push(&mut paras, &frames, &links, &styles, " ", budget)?,
                    "line-break" => {
                        if let Some(p) = paras.last_mut() {
                            p.inlines.push(Inline::Break);
                        }
                    }
                    "frame" => {
                        picture = Some(PendingPicture {
                            depth: reader.depth(),
                            ..PendingPicture::default()
                        })
                    }
                    "image" => {
                        if let Some(p) = picture.as_mut()
                            && p.href.is_none()
                        {
                            p.href = attr(&e, "xlink:href")
                                .map(|h| h.trim_start_matches("./").to_owned())
                                .filter(|h| !h.contains(':') && !h.starts_with('/'));
                        }
                    }
                    "title" if picture.is_some() => capture = Some(Capture::Title),
                    "desc" if picture.is_some() => capture = Some(Capture::Desc),
                    // Notes, comments and deleted text are not the body.
                    "note" | "annotation" | "tracked-changes" => reader.skip_element(budget)?,
                    _ => {}
                }
            }
            XmlEvent::End(name) => {
                let depth_after = reader.depth();
                let closes = |d: usize| d == depth_after + 1;
                match name.as_str() {
                    "p" | "h" | "span" => {
                        if frames.last().is_some_and(|f| closes(f.depth)) {
                            frames.pop();
                        }
                        if name != "span"
                            && let Some(block) = paras.pop()
                        {
                            raw.finish_block(block);
                        }
                    }
                    "a" if links.last().is_some_and(|(d, _)| closes(*d)) => {
                        links.pop();
                    }
                    "list" if lists.last().is_some_and(|(d, _)| closes(*d)) => {
                        lists.pop();
                    }
                    "title" | "desc" => capture = None,
                    "frame" => {
                        if let Some(p) = picture.take_if(|p| closes(p.depth))
                            && let Some(href) = p.href
                            && let Some(i) = raw.picture(zip, &href, &p.desc, &p.title, budget)?
                            && let Some(block) = paras.last_mut()
                        {
                            block.inlines.push(Inline::Picture(i));
                        }
                    }
                    _ => {}
                }
            }
            XmlEvent::Text(t) => {
                if let (Some(c), Some(p)) = (&capture, picture.as_mut()) {
                    budget.add_chars(t.len())?;
                    match c {
                        Capture::Title => p.title.push_str(&t),
                        Capture::Desc => p.desc.push_str(&t),
                    }
                } else if !paras.is_empty() {
                    push(&mut paras, &frames, &links, &styles, &t, budget)?;
                }
            }
            XmlEvent::Eof => break,
        }
    }
    while let Some(block) = paras.pop() {
        raw.finish_block(block);
    }
    Ok(raw)
}

fn frame(styles: &Styles, style: Option<&str>, depth: usize, plain: bool) -> Frame {
    let get = |f: fn(&StyleDef) -> Option<bool>| {
        if plain {
            Some(false)
        } else {
            style.and_then(|s| styles.find(s, |_, d| f(d)))
        }
    };
    Frame {
        depth,
        bold: get(|d| d.bold),
        italic: get(|d| d.italic),
        font: style.and_then(|s| styles.font(s)),
    }
}

fn push(
    paras: &mut [Block],
    frames: &[Frame],
    links: &[(usize, Option<String>)],
    styles: &Styles,
    text: &str,
    budget: &mut Budget<'_>,
) -> Result<(), ExtractError> {
    let Some(block) = paras.last_mut() else {
        return Ok(());
    };
    let style = Style {
        bold: frames.iter().rev().find_map(|f| f.bold).unwrap_or(false),
        italic: frames.iter().rev().find_map(|f| f.italic).unwrap_or(false),
    };
    let font = frames
        .iter()
        .rev()
        .find_map(|f| f.font.clone())
        .or_else(|| styles.default_font.clone());
    let link = links.last().and_then(|(_, l)| l.as_deref());
    block.push_text(text, font.as_deref(), style, link, budget)
}
