//! HTML: block elements become paragraphs, script/style/head are dropped,
//! whitespace collapses as a browser would, and `<font face>` or
//! `font-family` in style attributes give each run its font.
//!
//! Built on html5gum's tokenizer with a small, bounded stack of open
//! elements instead of a full WHATWG tree builder: tree builders do scope
//! checks that walk the whole stack, which makes 100,000 nested `<div>`s
//! take minutes; this stays linear and refuses nesting past `max_depth`.

use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::ExtractError;
use crate::limits::Budget;
use crate::raw::{RawDoc, RawParagraph, clean_font_name};

const SKIPPED: &[&str] = &[
    "script", "style", "head", "title", "noscript", "template", "svg", "math", "object", "iframe",
    "select", "button", "textarea",
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
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "basefont", "frame", "keygen",
];
/// Elements whose start closes an open one of the same name (`<p>a<p>b`).
const SELF_CLOSING_SIBLINGS: &[&str] = &["p", "li", "dt", "dd", "option", "tr", "td", "th"];

struct Open {
    name: String,
    font: Option<String>,
    skipped: bool,
}

/// Font family named by a start tag, if any.
fn tag_font(name: &str, attr: impl Fn(&str) -> Option<String>) -> Option<String> {
    if let Some(style) = attr("style") {
        for decl in style.split(';') {
            if let Some((k, v)) = decl.split_once(':')
                && k.trim().eq_ignore_ascii_case("font-family")
            {
                return clean_font_name(v.split(',').next().unwrap_or(v));
            }
        }
    }
    if name == "font"
        && let Some(face) = attr("face")
    {
        return clean_font_name(face.split(',').next().unwrap_or(&face));
    }
    None
}

struct State {
    stack: Vec<Open>,
    skipped_open: usize,
    para: RawParagraph,
    doc: RawDoc,
    last_space: bool,
}

impl State {
    fn font(&self) -> Option<&str> {
        self.stack.iter().rev().find_map(|o| o.font.as_deref())
    }

    fn in_pre(&self) -> bool {
        self.stack.iter().any(|o| o.name == "pre")
    }

    fn break_paragraph(&mut self, budget: &mut Budget<'_>) -> Result<(), ExtractError> {
        self.last_space = true;
        let p = std::mem::take(&mut self.para);
        self.doc.finish_paragraph(p, budget)
    }

    fn pop(&mut self, budget: &mut Budget<'_>) -> Result<(), ExtractError> {
        if let Some(open) = self.stack.pop() {
            if open.skipped {
                self.skipped_open = self.skipped_open.saturating_sub(1);
            } else if self.skipped_open == 0 && BLOCKS.contains(&open.name.as_str()) {
                self.break_paragraph(budget)?;
            }
        }
        Ok(())
    }

    /// Closes elements down to and including the nearest `name`, if open.
    fn close(&mut self, name: &str, budget: &mut Budget<'_>) -> Result<(), ExtractError> {
        if let Some(i) = self.stack.iter().rposition(|o| o.name == name) {
            while self.stack.len() > i {
                self.pop(budget)?;
            }
        }
        Ok(())
    }

    /// A line break inside the paragraph.
    fn text_raw(&mut self, t: &str) {
        if self.skipped_open == 0 {
            let font = self.font().map(str::to_owned);
            self.para.push(t, font.as_deref());
            self.last_space = true;
        }
    }

    fn text(&mut self, t: &str) {
        if self.skipped_open > 0 {
            return;
        }
        let font = self.font().map(str::to_owned);
        if self.in_pre() {
            self.para.push(t, font.as_deref());
            return;
        }
        let mut collapsed = String::with_capacity(t.len());
        for c in t.chars() {
            if c.is_ascii_whitespace() {
                if !self.last_space {
                    collapsed.push(' ');
                    self.last_space = true;
                }
            } else {
                collapsed.push(c);
                self.last_space = false;
            }
        }
        self.para.push(&collapsed, font.as_deref());
    }
}

pub(crate) fn extract(text: &str, budget: &mut Budget<'_>) -> Result<RawDoc, ExtractError> {
    let mut emitter = DefaultEmitter::default();
    // Script and style content is raw text, not markup.
    emitter.naively_switch_states(true);
    let mut st = State {
        stack: Vec::new(),
        skipped_open: 0,
        para: RawParagraph::default(),
        doc: RawDoc::default(),
        last_space: true,
    };
    for token in Tokenizer::new_with_emitter(text, emitter) {
        budget.tick()?;
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let attr = |key: &str| {
                    tag.attributes
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(key.as_bytes()))
                        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
                };
                if name == "body" {
                    st.close("head", budget)?;
                }
                if SELF_CLOSING_SIBLINGS.contains(&name.as_str())
                    && st.stack.last().is_some_and(|o| o.name == name)
                {
                    st.pop(budget)?;
                }
                if st.skipped_open == 0 && BLOCKS.contains(&name.as_str()) {
                    st.break_paragraph(budget)?;
                }
                if name == "br" {
                    st.text_raw("\n");
                }
                if VOID.contains(&name.as_str()) || tag.self_closing {
                    continue;
                }
                let skipped = SKIPPED.contains(&name.as_str());
                st.skipped_open += usize::from(skipped);
                let font = tag_font(&name, attr);
                st.stack.push(Open {
                    name,
                    font,
                    skipped,
                });
                budget.check_depth(st.stack.len())?;
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if name == "br" {
                    // "</br>" acts as "<br>", as in browsers.
                    st.text_raw("\n");
                    continue;
                }
                st.close(&name, budget)?;
            }
            Token::String(s) => {
                let s = String::from_utf8_lossy(&s);
                st.text(&s);
            }
            Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
        }
    }
    while !st.stack.is_empty() {
        st.pop(budget)?;
    }
    let p = std::mem::take(&mut st.para);
    st.doc.finish_paragraph(p, budget)?;
    Ok(st.doc)
}
