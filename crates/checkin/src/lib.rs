//! The check-in kit for courses: pure functions, no database and no HTTP. Values and bytes in,
//! values and bytes out; the web crate stores and serves them.
//!
//! - [`badge`]: a delegate's badge token (stored as a hash), the course's Ed25519 key, the
//!   signed badge string in the QR URL, offline verification and the signed revocation list.
//! - [`room_code`]: the room screen's self check-in code, rotating every 30 seconds.
//! - [`qr`]: QR codes as SVG (pages) or a module matrix (PDF).
//! - [`ics`]: iCalendar files for a course and for one delegate.
//! - [`print`]: the badge sheet and the paper roster of a session, as PDF.
//! - [`chart`]: a small accessible SVG bar chart (survey results, dashboards).

pub mod badge;
pub mod chart;
pub mod ics;
pub mod print;
pub mod qr;
pub mod room_code;

/// Escapes text for XML/SVG content and attribute values.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}
