//! RTF: a small hand-written reader (see docs/decisions/0001-rtf-parser.md).
//! It keeps what extraction needs: the font table with charsets, `\fN`
//! switches, `\'xx` bytes decoded with the font's code page, `\uN` with its
//! fallback skipping, paragraphs, and skips every non-text destination.

use std::collections::HashMap;

use encoding_rs::Encoding;

use crate::limits::Budget;
use crate::raw::{RawDoc, RawParagraph, clean_font_name};
use crate::{ExtractError, Format};

const F: Format = Format::Rtf;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dest {
    Body,
    FontTable,
    Skip,
}

#[derive(Clone, Copy)]
struct GroupState {
    dest: Dest,
    font: Option<i32>,
    uc: usize,
}

#[derive(Default)]
struct FontDef {
    name: String,
    charset: Option<i32>,
}

/// Windows code page used for a font's `\fcharset`.
fn charset_codepage(charset: i32, ansi: u16) -> u16 {
    match charset {
        77 => 10000,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        _ => ansi,
    }
}

fn codepage_encoding(cp: u16) -> &'static Encoding {
    let label = match cp {
        10000 => "macintosh".to_owned(),
        932 => "shift_jis".to_owned(),
        949 => "euc-kr".to_owned(),
        936 => "gbk".to_owned(),
        950 => "big5".to_owned(),
        874 => "windows-874".to_owned(),
        cp => format!("windows-{cp}"),
    };
    Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252)
}

const SKIP_DESTINATIONS: &[&str] = &[
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "header",
    "headerl",
    "headerr",
    "headerf",
    "footer",
    "footerl",
    "footerr",
    "footerf",
    "fldinst",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "xmlnstbl",
    "mmathPr",
    "pgdsctbl",
    "revtbl",
    "filetbl",
    "nonshppict",
    "shp",
    "private",
    "footnote",
    "annotation",
    "atnid",
    "atnauthor",
    "bkmkstart",
    "bkmkend",
    "field_instructions",
    "shpinst",
    "sp",
    "userprops",
    "docvar",
    "fchars",
    "lchars",
    "listtext",
    "pntext",
    "xe",
    "tc",
];

struct Parser<'a, 'b, 'l> {
    input: &'a [u8],
    pos: usize,
    stack: Vec<GroupState>,
    state: GroupState,
    fonts: HashMap<i32, FontDef>,
    font_entry: Option<i32>,
    ansi_cp: u16,
    default_font: Option<i32>,
    pending: Vec<u8>,
    para: RawParagraph,
    doc: RawDoc,
    skip_chars: usize,
    /// Set by `\*`: the group's destination is unknown unless we know it.
    star: bool,
    budget: &'b mut Budget<'l>,
}

impl Parser<'_, '_, '_> {
    fn font_name(&self) -> Option<String> {
        let f = self.state.font.or(self.default_font)?;
        self.fonts.get(&f).and_then(|d| clean_font_name(&d.name))
    }

    fn encoding(&self) -> &'static Encoding {
        let charset = self
            .state
            .font
            .or(self.default_font)
            .and_then(|f| self.fonts.get(&f))
            .and_then(|d| d.charset);
        codepage_encoding(charset.map_or(self.ansi_cp, |c| charset_codepage(c, self.ansi_cp)))
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let bytes = std::mem::take(&mut self.pending);
        let (text, _) = self.encoding().decode_without_bom_handling(&bytes);
        let font = self.font_name();
        self.para.push(&text, font.as_deref());
    }

    fn push_str(&mut self, s: &str) {
        self.flush();
        let font = self.font_name();
        self.para.push(s, font.as_deref());
    }

    fn end_paragraph(&mut self) -> Result<(), ExtractError> {
        self.flush();
        let p = std::mem::take(&mut self.para);
        self.doc.finish_paragraph(p, self.budget)
    }

    /// A text byte (literal or `\'xx`) in the current destination.
    fn byte(&mut self, b: u8) {
        if self.skip_chars > 0 {
            self.skip_chars -= 1;
            return;
        }
        match self.state.dest {
            Dest::Body => self.pending.push(b),
            Dest::FontTable => {
                if let Some(id) = self.font_entry {
                    let def = self.fonts.entry(id).or_default();
                    if b == b';' {
                        self.font_entry = None;
                    } else if def.name.len() < 256 {
                        // Font names are ASCII in practice; Latin-1 keeps any byte.
                        def.name.push(char::from(b));
                    }
                }
            }
            Dest::Skip => {}
        }
    }

    fn set_font(&mut self, n: i32) {
        if self.state.font != Some(n) {
            self.flush();
            self.state.font = Some(n);
        }
    }

    fn control_word(&mut self, word: &str, param: Option<i32>) -> Result<(), ExtractError> {
        if self.star {
            self.star = false;
            // Ignorable destinations we do not know are skipped whole.
            self.flush();
            self.state.dest = Dest::Skip;
            return Ok(());
        }
        if self.state.dest == Dest::Skip {
            if word == "bin" {
                self.skip_binary(param);
            }
            return Ok(());
        }
        if self.skip_chars > 0 && word != "bin" {
            self.skip_chars -= 1;
            return Ok(());
        }
        match word {
            "fonttbl" => {
                self.flush();
                self.state.dest = Dest::FontTable;
            }
            w if SKIP_DESTINATIONS.contains(&w) => {
                self.flush();
                self.state.dest = Dest::Skip;
            }
            "ansicpg" => {
                if let Some(cp) = param.and_then(|p| u16::try_from(p).ok()) {
                    self.ansi_cp = cp;
                }
            }
            "deff" => self.default_font = param,
            "f" => {
                let n = param.unwrap_or(0);
                if self.state.dest == Dest::FontTable {
                    self.font_entry = Some(n);
                    self.fonts.entry(n).or_default();
                } else {
                    self.set_font(n);
                }
            }
            "fcharset" => {
                if let (Some(id), Dest::FontTable) = (self.font_entry, self.state.dest) {
                    self.fonts.entry(id).or_default().charset = param;
                }
            }
            "plain" => {
                if let Some(d) = self.default_font {
                    self.set_font(d);
                }
            }
            "uc" => self.state.uc = param.unwrap_or(1).clamp(0, 16) as usize,
            "u" => {
                let v = param.unwrap_or(0);
                let v = if v < 0 { v + 65536 } else { v };
                let c = u32::try_from(v)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{FFFD}');
                if self.state.dest == Dest::Body {
                    self.push_str(c.encode_utf8(&mut [0; 4]));
                }
                self.skip_chars = self.state.uc;
            }
            "bin" => self.skip_binary(param),
            _ if self.state.dest != Dest::Body => {}
            "par" | "sect" | "page" | "cell" | "row" | "nestcell" => self.end_paragraph()?,
            "line" => self.push_str("\n"),
            "tab" => self.push_str("\t"),
            "emdash" => self.push_str("\u{2014}"),
            "endash" => self.push_str("\u{2013}"),
            "bullet" => self.push_str("\u{2022}"),
            "lquote" => self.push_str("\u{2018}"),
            "rquote" => self.push_str("\u{2019}"),
            "ldblquote" => self.push_str("\u{201C}"),
            "rdblquote" => self.push_str("\u{201D}"),
            "emspace" | "enspace" | "qmspace" => self.push_str(" "),
            _ => {}
        }
        Ok(())
    }

    fn skip_binary(&mut self, param: Option<i32>) {
        let n = param.and_then(|p| usize::try_from(p).ok()).unwrap_or(0);
        self.pos = self.pos.saturating_add(n).min(self.input.len());
    }

    fn run(&mut self) -> Result<(), ExtractError> {
        while self.pos < self.input.len() {
            self.budget.tick()?;
            let b = self.input[self.pos];
            self.pos += 1;
            match b {
                b'{' => {
                    self.stack.push(self.state);
                    self.budget.check_depth(self.stack.len())?;
                }
                b'}' => {
                    self.star = false;
                    self.skip_chars = 0;
                    if let Some(prev) = self.stack.pop() {
                        if prev.font != self.state.font || prev.dest != self.state.dest {
                            self.flush();
                        }
                        if self.state.dest == Dest::FontTable {
                            self.font_entry = None;
                        }
                        self.state = prev;
                    }
                }
                b'\\' => self.escape()?,
                b'\r' | b'\n' => {}
                b'\t' => self.byte(b'\t'),
                _ => self.byte(b),
            }
        }
        self.end_paragraph()
    }

    fn escape(&mut self) -> Result<(), ExtractError> {
        let Some(&c) = self.input.get(self.pos) else {
            return Ok(());
        };
        self.pos += 1;
        match c {
            b'\'' => {
                let hex = self.input.get(self.pos..self.pos + 2);
                let value = hex
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = value {
                    self.pos += 2;
                    self.byte(v);
                }
            }
            b'*' => self.star = true,
            b'\\' | b'{' | b'}' => self.byte(c),
            b'~' if self.state.dest == Dest::Body => self.push_str("\u{00A0}"),
            // Optional hyphen: U+00AD, which is TCVN3's "ư" in a legacy font.
            b'-' if self.state.dest == Dest::Body => self.push_str("\u{AD}"),
            b'_' if self.state.dest == Dest::Body => self.push_str("-"),
            b'\r' | b'\n' if self.state.dest == Dest::Body => self.end_paragraph()?,
            c if c.is_ascii_alphabetic() => {
                let start = self.pos - 1;
                while self.pos < self.input.len()
                    && self.input[self.pos].is_ascii_alphabetic()
                    && self.pos - start < 32
                {
                    self.pos += 1;
                }
                let word = std::str::from_utf8(&self.input[start..self.pos]).unwrap_or("");
                let word = word.to_owned();
                let mut param: Option<i32> = None;
                let num_start = self.pos;
                if self.input.get(self.pos) == Some(&b'-') {
                    self.pos += 1;
                }
                while self.pos < self.input.len()
                    && self.input[self.pos].is_ascii_digit()
                    && self.pos - num_start < 11
                {
                    self.pos += 1;
                }
                if self.pos > num_start {
                    param = std::str::from_utf8(&self.input[num_start..self.pos])
                        .ok()
                        .and_then(|s| s.parse::<i64>().ok())
                        .map(|v| v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
                }
                // One space after a control word is its delimiter.
                if self.input.get(self.pos) == Some(&b' ') {
                    self.pos += 1;
                }
                self.control_word(&word, param)?;
            }
            // Other control symbols (\-, \|, \:) carry no text.
            _ => {}
        }
        Ok(())
    }
}

pub(crate) fn extract(bytes: &[u8], budget: &mut Budget<'_>) -> Result<RawDoc, ExtractError> {
    if !bytes.starts_with(b"{\\rtf") {
        return Err(ExtractError::NotExpectedFormat { expected: F });
    }
    let mut parser = Parser {
        input: bytes,
        pos: 0,
        stack: Vec::new(),
        state: GroupState {
            dest: Dest::Body,
            font: None,
            uc: 1,
        },
        fonts: HashMap::new(),
        font_entry: None,
        ansi_cp: 1252,
        default_font: None,
        pending: Vec::new(),
        para: RawParagraph::default(),
        doc: RawDoc::default(),
        skip_chars: 0,
        star: false,
        budget,
    };
    parser.run()?;
    Ok(parser.doc)
}
