//! HTML: block elements become paragraphs, script/style/head are dropped,
//! whitespace collapses as a browser would, and `<font face>` or
//! `font-family` in style attributes give each run its font.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use crate::ExtractError;
use crate::limits::Budget;
use crate::raw::{RawDoc, RawParagraph, clean_font_name};

const SKIPPED: &[&str] = &[
    "script", "style", "head", "title", "noscript", "template", "svg", "math", "object", "iframe",
    "select", "option", "button",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "td",
    "th",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "main",
    "figure",
    "figcaption",
    "caption",
    "address",
    "hr",
    "body",
    "center",
    "form",
    "fieldset",
    "legend",
    "details",
    "summary",
];

/// Font family named by an element, if any.
fn element_font(el: &scraper::node::Element) -> Option<String> {
    if let Some(style) = el.attr("style") {
        for decl in style.split(';') {
            if let Some((k, v)) = decl.split_once(':')
                && k.trim().eq_ignore_ascii_case("font-family")
            {
                return clean_font_name(v.split(',').next().unwrap_or(v));
            }
        }
    }
    if el.name() == "font"
        && let Some(face) = el.attr("face")
    {
        return clean_font_name(face.split(',').next().unwrap_or(face));
    }
    None
}

pub(crate) fn extract(text: &str, budget: &mut Budget<'_>) -> Result<RawDoc, ExtractError> {
    let html = Html::parse_document(text);
    let mut doc = RawDoc::default();
    let mut para = RawParagraph::default();
    // (depth at which the font was set, font)
    let mut fonts: Vec<(usize, String)> = Vec::new();
    let mut depth = 0usize;
    let mut skip_depth: Option<usize> = None;
    let mut pre_depth: Option<usize> = None;
    let mut last_space = true;
    for edge in html.tree.root().traverse() {
        budget.tick()?;
        match edge {
            Edge::Open(node) => {
                if let Node::Element(el) = node.value() {
                    depth += 1;
                    budget.check_depth(depth)?;
                    if skip_depth.is_some() {
                        continue;
                    }
                    let name = el.name();
                    if SKIPPED.contains(&name) {
                        skip_depth = Some(depth);
                        continue;
                    }
                    if BLOCKS.contains(&name) {
                        doc.finish_paragraph(std::mem::take(&mut para), budget)?;
                        last_space = true;
                    }
                    if name == "pre" && pre_depth.is_none() {
                        pre_depth = Some(depth);
                    }
                    if name == "br" {
                        para.push("\n", fonts.last().map(|(_, f)| f.as_str()));
                        last_space = true;
                    }
                    if let Some(f) = element_font(el) {
                        fonts.push((depth, f));
                    }
                } else if let Node::Text(t) = node.value() {
                    if skip_depth.is_some() {
                        continue;
                    }
                    let font = fonts.last().map(|(_, f)| f.as_str());
                    if pre_depth.is_some() {
                        para.push(t, font);
                        continue;
                    }
                    let mut collapsed = String::with_capacity(t.len());
                    for c in t.chars() {
                        if c.is_ascii_whitespace() {
                            if !last_space {
                                collapsed.push(' ');
                                last_space = true;
                            }
                        } else {
                            collapsed.push(c);
                            last_space = false;
                        }
                    }
                    para.push(&collapsed, font);
                }
            }
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if skip_depth == Some(depth) {
                        skip_depth = None;
                    } else if skip_depth.is_none() {
                        if BLOCKS.contains(&el.name()) {
                            doc.finish_paragraph(std::mem::take(&mut para), budget)?;
                            last_space = true;
                        }
                        if pre_depth == Some(depth) {
                            pre_depth = None;
                        }
                        if fonts.last().is_some_and(|(d, _)| *d == depth) {
                            fonts.pop();
                        }
                    }
                    depth = depth.saturating_sub(1);
                }
            }
        }
    }
    doc.finish_paragraph(para, budget)?;
    Ok(doc)
}
