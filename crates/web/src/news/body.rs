//! A post's text: typed as Markdown-like text (paragraphs, **bold**, *italic*, links, lists,
//! quotes, headings), rendered by pulldown-cmark and cleaned by ammonia before it is stored.
//! Whatever a body or a caption holds — script, event handlers, `javascript:` links, CSS,
//! iframes — only the tags and attributes listed here reach a reader.
//!
//! A photo of the post is placed in the text by a line of its own, `[[anh N]]` (N counts the
//! post's photos from 1); the post page puts the photo there (`public::pages`), the photos not
//! placed follow the text.

use std::collections::HashSet;

use pulldown_cmark::{Options, Parser, html};

const BODY_TAGS: &[&str] = &[
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "del",
    "sub",
    "sup",
];

const INLINE_TAGS: &[&str] = &["strong", "b", "em", "i", "a", "br"];

fn markdown(text: &str) -> String {
    let mut out = String::new();
    html::push_html(
        &mut out,
        Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH),
    );
    out
}

fn cleaner(tags: &[&'static str]) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.tags(tags.iter().copied().collect::<HashSet<_>>())
        .tag_attributes(
            [("a", ["href"].into_iter().collect::<HashSet<_>>())]
                .into_iter()
                .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener nofollow"))
        .strip_comments(true);
    b
}

/// The body as sanitized HTML.
pub fn render(text: &str) -> String {
    // Headings of a post start at h2: the page's h1 is the title.
    let html = markdown(text)
        .replace("<h1>", "<h2>")
        .replace("</h1>", "</h2>");
    cleaner(BODY_TAGS).clean(&html).to_string()
}

/// A caption as sanitized inline HTML (bold, italic, links).
pub fn render_inline(text: &str) -> String {
    let html = markdown(text);
    cleaner(INLINE_TAGS)
        .clean(&html)
        .to_string()
        .trim()
        .to_string()
}

/// The marker that places photo `n` (from 1) in a body, as typed and as rendered.
pub fn photo_marker(n: usize) -> String {
    format!("[[anh {n}]]")
}

pub fn rendered_marker(n: usize) -> String {
    format!("<p>{}</p>", photo_marker(n))
}

/// Plain text of a rendered body, for search, feeds' summaries and meta descriptions.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    let text = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    // A photo's marker is where a picture stands, not words of the story.
    let mut words: Vec<&str> = Vec::new();
    let mut it = text.split_whitespace().peekable();
    while let Some(w) = it.next() {
        if w == "[[anh"
            && it.peek().is_some_and(|n| {
                n.strip_suffix("]]")
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            })
        {
            it.next();
            continue;
        }
        words.push(w);
    }
    words.join(" ")
}

/// The first `n` characters of a text, cut at a word.
pub fn excerpt(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let cut: String = text.chars().take(n).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_leaves_photo_markers_out() {
        let html =
            render("Lớp mở sáng nay.\n\n[[anh 1]]\n\nHọc viên [[anh]] đến đủ.\n\n[[anh 12]]");
        assert_eq!(plain(&html), "Lớp mở sáng nay. Học viên [[anh]] đến đủ.");
    }

    #[test]
    fn markdown_is_rendered_and_cleaned() {
        let h = render(
            "# Tiêu đề\n\nĐoạn **đậm** và *nghiêng*, [liên kết](https://example.org).\n\n> Trích dẫn\n\n- một\n- hai",
        );
        assert!(h.contains("<h2>Tiêu đề</h2>"), "{h}");
        assert!(h.contains("<strong>đậm</strong>"));
        assert!(h.contains("<a href=\"https://example.org\" rel=\"noopener nofollow\">"));
        assert!(h.contains("<blockquote>"));
        assert!(h.contains("<li>hai</li>"));
        for bad in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<style>body{display:none}</style>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
            "<svg onload=alert(1)>",
        ] {
            let h = render(bad);
            for needle in [
                "<script",
                "onerror",
                "javascript:",
                "<iframe",
                "<style",
                "style=",
                "onload",
                "<svg",
                "<img",
            ] {
                assert!(!h.contains(needle), "{bad} -> {h}");
            }
            let c = render_inline(bad);
            assert!(
                !c.contains("<script") && !c.contains("javascript:") && !c.contains("onerror"),
                "{c}"
            );
        }
        assert_eq!(
            render_inline("Toàn cảnh *lớp* bồi dưỡng."),
            "Toàn cảnh <em>lớp</em> bồi dưỡng."
        );
        assert_eq!(render(&photo_marker(2)).trim(), rendered_marker(2));
    }

    #[test]
    fn plain_text_and_excerpts() {
        assert_eq!(plain("<p>Một &amp; <strong>hai</strong></p>"), "Một & hai");
        assert_eq!(excerpt("một hai ba bốn", 9), "một hai…");
    }
}
