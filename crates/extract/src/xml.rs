//! A thin pull layer over quick-xml: resolves references, expands empty
//! elements, bounds nesting depth and checks the time budget.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::limits::Budget;
use crate::{ExtractError, Format};

pub(crate) enum XmlEvent<'a> {
    Start(BytesStart<'a>),
    End(String),
    Text(Cow<'a, str>),
    Eof,
}

pub(crate) struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    depth: usize,
    format: Format,
}

/// Decodes XML bytes to text, honouring a UTF-16 BOM (UTF-8 otherwise).
pub(crate) fn decode_xml_bytes(bytes: &[u8]) -> Cow<'_, str> {
    let (text, _, _) = encoding_rs::UTF_8.decode(bytes);
    text
}

impl<'a> Xml<'a> {
    pub fn new(text: &'a str, format: Format) -> Self {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = false;
        Xml {
            reader,
            depth: 0,
            format,
        }
    }

    pub fn depth(&self) -> usize {
        self.depth
    }

    pub fn next(&mut self, budget: &mut Budget<'_>) -> Result<XmlEvent<'a>, ExtractError> {
        loop {
            budget.tick()?;
            let event = self
                .reader
                .read_event()
                .map_err(|e| ExtractError::corrupt(self.format, e))?;
            return Ok(match event {
                Event::Start(e) => {
                    self.depth += 1;
                    budget.check_depth(self.depth)?;
                    XmlEvent::Start(e)
                }
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    XmlEvent::End(e.local_name().as_ref().to_owned())
                }
                Event::Text(t) => XmlEvent::Text(t.xml10_content()),
                Event::CData(t) => XmlEvent::Text(Cow::Owned(t.xml10_content().into_owned())),
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => match r.as_ref() {
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "amp" => "&".into(),
                            "apos" => "'".into(),
                            "quot" => "\"".into(),
                            // Custom entities are never expanded: no billion laughs.
                            _ => continue,
                        },
                        Err(_) => continue,
                    };
                    XmlEvent::Text(Cow::Owned(resolved))
                }
                Event::Eof => XmlEvent::Eof,
                Event::Empty(_)
                | Event::Comment(_)
                | Event::Decl(_)
                | Event::PI(_)
                | Event::DocType(_) => continue,
            });
        }
    }

    /// Skips to the end of the element just started.
    pub fn skip_element(&mut self, budget: &mut Budget<'_>) -> Result<(), ExtractError> {
        let target = self.depth.saturating_sub(1);
        loop {
            match self.next(budget)? {
                XmlEvent::End(_) if self.depth == target => return Ok(()),
                XmlEvent::Eof => return Ok(()),
                _ => {}
            }
        }
    }
}

/// Local name of an element ("w:p" -> "p").
pub(crate) fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_owned()
}

/// Value of an attribute by its qualified name ("w:val").
pub(crate) fn attr(e: &BytesStart<'_>, qname: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        if a.key.as_ref() == qname {
            Some(
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(Cow::into_owned)
                    .unwrap_or_else(|_| a.value.clone().into_owned()),
            )
        } else {
            None
        }
    })
}
