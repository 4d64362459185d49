//! What every format parser produces: paragraphs made of runs that remember
//! their font, so legacy-font repair can work run by run.

use crate::ExtractError;
use crate::limits::Budget;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub text: String,
    /// Font family as written in the file (subset tag already stripped).
    pub font: Option<String>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct RawParagraph {
    pub runs: Vec<Run>,
}

impl RawParagraph {
    /// Appends text, merging with the previous run when the font is the same.
    pub fn push(&mut self, text: &str, font: Option<&str>) {
        if text.is_empty() {
            return;
        }
        if let Some(last) = self.runs.last_mut()
            && last.font.as_deref() == font
        {
            last.text.push_str(text);
            return;
        }
        self.runs.push(Run {
            text: text.to_owned(),
            font: font.map(str::to_owned),
        });
    }

    pub fn is_blank(&self) -> bool {
        self.runs.iter().all(|r| r.text.trim().is_empty())
    }
}

/// Paragraphs collected by a parser, with the output budget enforced.
#[derive(Debug, Default)]
pub(crate) struct RawDoc {
    pub paragraphs: Vec<RawParagraph>,
}

impl RawDoc {
    pub fn finish_paragraph(
        &mut self,
        p: RawParagraph,
        budget: &mut Budget<'_>,
    ) -> Result<(), ExtractError> {
        if p.is_blank() {
            return Ok(());
        }
        let n: usize = p.runs.iter().map(|r| r.text.len()).sum();
        budget.add_chars(n)?;
        self.paragraphs.push(p);
        Ok(())
    }
}

/// Strips the "ABCDEF+" subset tag PDF writers put before embedded font names,
/// and quotes that ODT/HTML put around family names.
pub(crate) fn clean_font_name(name: &str) -> Option<String> {
    let mut s = name.trim().trim_matches(|c| c == '\'' || c == '"').trim();
    if let Some((tag, rest)) = s.split_once('+')
        && tag.len() == 6
        && tag.bytes().all(|b| b.is_ascii_uppercase())
    {
        s = rest;
    }
    if s.is_empty() {
        None
    } else {
        Some(s.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_tag_and_quotes_are_removed() {
        assert_eq!(
            clean_font_name("ABCDEF+.VnTime").as_deref(),
            Some(".VnTime")
        );
        assert_eq!(clean_font_name("'VNI-Times'").as_deref(), Some("VNI-Times"));
        assert_eq!(
            clean_font_name("AbCDEF+Arial").as_deref(),
            Some("AbCDEF+Arial")
        );
        assert_eq!(clean_font_name("  "), None);
    }

    #[test]
    fn runs_merge_by_font() {
        let mut p = RawParagraph::default();
        p.push("a", Some("X"));
        p.push("b", Some("X"));
        p.push("c", None);
        p.push("", Some("Y"));
        assert_eq!(p.runs.len(), 2);
        assert_eq!(p.runs[0].text, "ab");
    }
}
