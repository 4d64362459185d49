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
//!
//! # The flow, end to end
//! ```
//! use hoithi_checkin::{badge, qr, room_code};
//!
//! // When the course is created: a key pair; store the seed, publish the public key.
//! let key = badge::CourseKey::generate();
//! let (seed, published) = (key.seed(), key.public_key().to_base64());
//!
//! // When a delegate is accepted: a token; store only its hash.
//! let token = badge::new_token();
//! let stored_hash = badge::token_hash(&token);
//!
//! // The badge: the signed string in the QR URL (rebuilt the same whenever needed).
//! let key = badge::CourseKey::from_seed(&seed);
//! let url = format!("https://hoithi.example/dai-bieu/{}", badge::sign(&key, 7, 40, &token));
//! let svg = qr::svg(&url, "Mã QR điểm danh").unwrap();
//! assert!(svg.starts_with("<svg"));
//!
//! // Online, the server reads the token from the URL and looks up its hash.
//! assert_eq!(badge::parse(&url).unwrap().token_hash(), stored_hash);
//!
//! // Offline, a scanner checks the signature and the revocation list.
//! let revoked = badge::RevocationList::new(7, 1_796_000_000, Vec::new()).to_signed_json(&key);
//! let scanner = badge::Scanner::new(7, &published, &revoked).unwrap();
//! assert_eq!(scanner.scan(&url).unwrap().delegate_id, 40);
//!
//! // Self check-in: the room screen shows `code_at(now)`; the server checks what comes back.
//! let secret = room_code::new_secret();
//! let now = 1_796_000_000;
//! let code = room_code::code_at(&secret, 12, now);
//! assert_eq!(
//!     room_code::check(&secret, 12, &code, now + 20, room_code::DEFAULT_GRACE_SECS),
//!     room_code::Freshness::Fresh
//! );
//! ```

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
