//! Text with marked matches, renderable as safe HTML.

use std::ops::Range;

use tantivy::snippet::Snippet;

/// A text and the byte ranges in it that matched the query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlighted {
    pub text: String,
    /// Sorted, non-overlapping byte ranges into `text`.
    pub ranges: Vec<Range<usize>>,
}

impl Highlighted {
    pub(crate) fn plain(text: &str) -> Self {
        Highlighted {
            text: text.to_string(),
            ranges: Vec::new(),
        }
    }

    /// The start of `text`, at most `max_chars` characters, cut at a space
    /// when there is one.
    pub(crate) fn lead(text: &str, max_chars: usize) -> Self {
        let end = text
            .char_indices()
            .nth(max_chars)
            .map_or(text.len(), |(i, _)| i);
        let cut = if end < text.len() {
            text[..end].rfind(char::is_whitespace).unwrap_or(end)
        } else {
            end
        };
        Self::plain(text[..cut].trim_end())
    }

    /// The snippet's fragment with its matches; `None` when nothing matched.
    pub(crate) fn from_snippet(snippet: &Snippet) -> Option<Self> {
        if snippet.highlighted().is_empty() {
            return None;
        }
        Some(Highlighted {
            text: snippet.fragment().to_string(),
            ranges: merge(snippet.highlighted().to_vec()),
        })
    }

    /// All of `text`, with the matches found in a snippet of it.
    pub(crate) fn whole(text: &str, snippet: &Snippet) -> Self {
        let shift = snippet.fragment_range().start;
        let ranges = snippet
            .highlighted()
            .iter()
            .map(|r| r.start + shift..r.end + shift)
            .collect();
        Highlighted {
            text: text.to_string(),
            ranges: merge(ranges),
        }
    }

    /// HTML with every match in `<mark>`; all text is escaped. Ranges that do
    /// not fall on character boundaries are ignored rather than trusted.
    pub fn to_html(&self) -> String {
        let mut html = String::with_capacity(self.text.len() + 16 * self.ranges.len());
        let mut at = 0;
        for range in &self.ranges {
            if range.start < at || range.start >= range.end {
                continue;
            }
            let (Some(before), Some(marked)) = (
                self.text.get(at..range.start),
                self.text.get(range.start..range.end),
            ) else {
                continue;
            };
            escape_into(&mut html, before);
            html.push_str("<mark>");
            escape_into(&mut html, marked);
            html.push_str("</mark>");
            at = range.end;
        }
        escape_into(&mut html, self.text.get(at..).unwrap_or(""));
        html
    }
}

/// Sorts and joins overlapping or touching ranges.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Escapes for HTML text and quoted attributes alike (& < > " ').
fn escape_into(out: &mut String, text: &str) {
    html_escape::encode_quoted_attribute_to_string(text, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_everything_and_marks_ranges() {
        let h = Highlighted {
            text: "<b>đường</b> & \"Dương\"".to_string(),
            ranges: vec![3..12, 20..27],
        };
        assert_eq!(
            h.to_html(),
            "&lt;b&gt;<mark>đường</mark>&lt;/b&gt; &amp; &quot;<mark>Dương</mark>&quot;"
        );
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges)] // deliberately malformed input
    fn bad_ranges_are_ignored_not_trusted() {
        let h = Highlighted {
            text: "đường".to_string(),
            ranges: vec![1..2, 0..100, 5..3],
        };
        assert_eq!(h.to_html(), "đường");
    }

    #[test]
    fn lead_cuts_at_a_space() {
        assert_eq!(Highlighted::lead("một hai ba", 6).text, "một");
        assert_eq!(Highlighted::lead("một hai ba", 100).text, "một hai ba");
        assert_eq!(Highlighted::lead("mộthaiba", 3).text, "một");
    }

    #[test]
    fn merge_joins_overlaps() {
        assert_eq!(merge(vec![5..7, 0..2, 1..3, 7..8]), vec![0..3, 5..8]);
    }
}
