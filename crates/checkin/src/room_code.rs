//! Rotating self check-in codes (Moodle's rotating QR): the room screen shows a code that
//! changes every [`WINDOW_SECS`] seconds; a delegate who scans it is marked present only while
//! it is fresh, so a photo of an old screen sent to a friend does not work.
//!
//! A code is 8 URL-safe characters: the first names its 30-second window (the window number
//! modulo 64), the other 7 are 42 bits of HMAC-SHA256 over (session id, window) with the
//! session's secret ([`new_secret`], 32 random bytes, stored with the session and never shown).
//! Checking costs at most one HMAC per hour of history ([`check`] looks back
//! [`HISTORY_SECS`] to tell a stale code from a made-up one).
//!
//! Guessing: 42 bits (the first character is public: it follows the clock); with two codes
//! accepted at a time (the current one and, within the grace, the previous), a thousand
//! guesses a second succeed about once in 70 years. Rate-limit the check-in route anyway.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How long one code is shown.
pub const WINDOW_SECS: i64 = 30;
/// Characters in a code.
pub const CODE_CHARS: usize = 8;
/// How far back [`check`] recognises a real but old code as [`Freshness::Stale`] (12 hours);
/// older ones are [`Freshness::Invalid`].
pub const HISTORY_SECS: i64 = 12 * 3600;
/// A sensible default grace after a code leaves the screen: a slow phone, a slow network.
pub const DEFAULT_GRACE_SECS: i64 = 15;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const CONTEXT: &[u8] = b"hoithi room code v1\0";
const TAGS: i64 = 64;

/// A new per-session secret: 32 random bytes to store with the session.
pub fn new_secret() -> [u8; 32] {
    let mut s = [0u8; 32];
    rand::rng().fill_bytes(&mut s);
    s
}

fn window(unix_time: i64) -> i64 {
    unix_time.div_euclid(WINDOW_SECS)
}

fn mac(secret: &[u8], session_id: i64, window: i64) -> [u8; 7] {
    // HMAC accepts keys of any length.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("any key length");
    m.update(CONTEXT);
    m.update(&session_id.to_be_bytes());
    m.update(&window.to_be_bytes());
    let out = m.finalize().into_bytes();
    // 42 bits as 7 characters of 6 bits.
    let bits = u64::from_be_bytes([0, 0, out[0], out[1], out[2], out[3], out[4], out[5]]) >> 6;
    let mut code = [0u8; 7];
    for (i, c) in code.iter_mut().enumerate() {
        *c = ALPHABET[((bits >> (6 * (6 - i))) & 63) as usize];
    }
    code
}

fn code_for_window(secret: &[u8], session_id: i64, w: i64) -> String {
    let mut code = Vec::with_capacity(CODE_CHARS);
    code.push(ALPHABET[w.rem_euclid(TAGS) as usize]);
    code.extend_from_slice(&mac(secret, session_id, w));
    String::from_utf8(code).unwrap_or_default()
}

/// The code shown at `unix_time` (seconds) for a session.
pub fn code_at(secret: &[u8], session_id: i64, unix_time: i64) -> String {
    code_for_window(secret, session_id, window(unix_time))
}

/// Seconds until the code shown at `unix_time` changes (1..=30): what the room screen's
/// `<meta http-equiv="refresh">` should wait.
pub fn seconds_left(unix_time: i64) -> i64 {
    WINDOW_SECS - unix_time.rem_euclid(WINDOW_SECS)
}

/// What a scanned code is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// On the screen now, or left it at most `grace` seconds ago: mark present.
    Fresh,
    /// A real code of this session, but shown more than `grace` seconds ago (a photo of an old
    /// screen): refuse, and say to scan the screen again.
    Stale,
    /// Not a code of this session: made up, mistyped, another session's, or older than
    /// [`HISTORY_SECS`].
    Invalid,
}

/// Checks a scanned `code` for a session at `now` (Unix seconds), accepting a code up to
/// `grace` seconds after it left the screen. Codes from the future (ahead of `now`'s window)
/// are [`Freshness::Invalid`]. Letter case matters.
pub fn check(secret: &[u8], session_id: i64, code: &str, now: i64, grace: i64) -> Freshness {
    let code = code.trim().as_bytes();
    if code.len() != CODE_CHARS {
        return Freshness::Invalid;
    }
    let Some(tag) = ALPHABET.iter().position(|&c| c == code[0]) else {
        return Freshness::Invalid;
    };
    let current = window(now);
    // The latest window not after now whose number has this tag.
    let mut w = current - (current - tag as i64).rem_euclid(TAGS);
    let oldest = window(now - HISTORY_SECS);
    while w >= oldest {
        if bool::from(mac(secret, session_id, w)[..].ct_eq(&code[1..])) {
            let shown_until = (w + 1) * WINDOW_SECS;
            return if now < shown_until + grace.max(0) {
                Freshness::Fresh
            } else {
                Freshness::Stale
            };
        }
        w -= TAGS;
    }
    Freshness::Invalid
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Any instant; tests start from the beginning of its window.
    const T: i64 = 1_796_000_017;

    #[test]
    fn codes_are_short_url_safe_and_rotate_every_30_seconds() {
        let s = new_secret();
        let start = window(T) * WINDOW_SECS;
        let a = code_at(&s, 1, start);
        assert_eq!(a.len(), CODE_CHARS);
        assert!(a.bytes().all(|b| ALPHABET.contains(&b)));
        assert_eq!(a, code_at(&s, 1, start + 29));
        assert_ne!(a, code_at(&s, 1, start + 30));
        assert_ne!(a, code_at(&s, 2, start), "per session");
        assert_ne!(a, code_at(&new_secret(), 1, start), "per secret");
        assert_eq!(seconds_left(start), 30);
        assert_eq!(seconds_left(start + 29), 1);
    }

    #[test]
    fn fresh_within_the_window_and_the_grace() {
        let s = new_secret();
        let start = window(T) * WINDOW_SECS;
        let code = code_at(&s, 5, start + 3);
        assert_eq!(check(&s, 5, &code, start + 3, 0), Freshness::Fresh);
        assert_eq!(check(&s, 5, &code, start + 29, 0), Freshness::Fresh);
        // Just after rotation: fresh within the grace only.
        assert_eq!(check(&s, 5, &code, start + 30, 0), Freshness::Stale);
        assert_eq!(check(&s, 5, &code, start + 44, 15), Freshness::Fresh);
        assert_eq!(check(&s, 5, &code, start + 45, 15), Freshness::Stale);
        assert_eq!(
            check(&s, 5, &format!(" {code}\n"), start + 10, 15),
            Freshness::Fresh
        );
    }

    #[test]
    fn old_photos_are_stale_and_forgeries_invalid() {
        let s = new_secret();
        let start = window(T) * WINDOW_SECS;
        let code = code_at(&s, 5, start);
        // Minutes and hours later, across many tag cycles (64 windows = 32 minutes).
        for later in [120, 31 * 60, 33 * 60, 5 * 3600, HISTORY_SECS - 1] {
            assert_eq!(
                check(&s, 5, &code, start + later, 15),
                Freshness::Stale,
                "{later}"
            );
        }
        assert_eq!(
            check(&s, 5, &code, start + HISTORY_SECS + 60, 15),
            Freshness::Invalid
        );
        // Another session, another secret, made up, wrong length, wrong case, from the future.
        assert_eq!(check(&s, 6, &code, start, 15), Freshness::Invalid);
        assert_eq!(
            check(&new_secret(), 5, &code, start, 15),
            Freshness::Invalid
        );
        assert_eq!(check(&s, 5, "AAAAAAAA", start, 15), Freshness::Invalid);
        assert_eq!(check(&s, 5, "short", start, 15), Freshness::Invalid);
        assert_eq!(check(&s, 5, "ĐĐĐĐ", start, 15), Freshness::Invalid);
        let swapped: String = code
            .chars()
            .map(|c| {
                if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        if swapped != code {
            assert_eq!(check(&s, 5, &swapped, start, 15), Freshness::Invalid);
        }
        let future = code_at(&s, 5, start + 60);
        assert_eq!(check(&s, 5, &future, start, 15), Freshness::Invalid);
    }
}
