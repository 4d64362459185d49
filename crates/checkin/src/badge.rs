//! Badges: a random token per delegate, signed with the course's Ed25519 key so that a scanner
//! can tell a genuine badge without the network (pretix's signed-ticket idea), and a signed
//! revocation list for badges that were replaced.
//!
//! # The pieces
//! - [`new_token`]: 128 random bits as 22 URL-safe characters. The server stores only
//!   [`token_hash`] (SHA-256, lowercase hex) and finds the delegate by it.
//! - [`CourseKey`]: one Ed25519 key pair per course. Store [`CourseKey::seed`] (32 bytes,
//!   secret); publish [`CourseKey::public_key`] ([`PublicKey::to_base64`] or
//!   [`PublicKey::to_hex`]).
//! - [`sign`] makes the badge string placed in the QR URL path:
//!   `{token}.{course_id}.{delegate_id}.{signature}`, e.g.
//!   `https://host/…/{badge}`; about 120 URL-safe characters
//!   (`A–Z a–z 0–9 - _ .`), no escaping needed. The signature (86 characters, base64url)
//!   covers the course, the delegate and the token, so none of them can be changed.
//!   Ed25519 is deterministic: the same inputs always give the same string, so the server can
//!   rebuild the badge string whenever it has the token.
//! - [`parse`] splits a badge string without checking the signature (what the online server
//!   needs: it looks the token up by [`token_hash`]; the database is the authority online).
//! - [`verify_offline`] checks a badge string against the course's public key.
//! - [`RevocationList`]: the hashes of replaced badges' tokens, signed by the course key and
//!   serialised as JSON.
//!
//! # What a scanner app does offline
//! Before the doors open, while online, it downloads for the course: the public key, the
//! signed revocation list (and, optionally, the delegate list to show names). At the door it
//! builds a [`Scanner`] and calls [`Scanner::scan`] on each QR (the full URL or just the badge
//! string): the result is the course, delegate and token of a genuine badge, or why not
//! ([`BadgeError`]: malformed, for another course, forged, revoked). It records accepted scans
//! locally as `{session_id, badge, client_id, scanned_at}` and uploads them as a batch when the
//! network is back; the server deduplicates, so uploading the same batch twice is harmless.
//! A scanner offline cannot know that a badge was revoked after its last download, nor that
//! the same badge was already scanned on another phone; the server settles both at upload.
//! Refresh the revocation list whenever online ([`RevocationList::issued_at`] tells how old
//! it is).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Random bytes in a token: 128 bits.
pub const TOKEN_BYTES: usize = 16;
/// Length of a token as text (base64url, no padding).
pub const TOKEN_CHARS: usize = 22;
const SIGNATURE_CHARS: usize = 86;
/// Domain separation: a badge signature can never be taken for another signed thing.
const BADGE_CONTEXT: &[u8] = b"hoithi badge v1\0";
const REVOCATION_CONTEXT: &[u8] = b"hoithi revocations v1\0";

/// A new badge token: 128 random bits (the OS's generator through `rand`), 22 URL-safe
/// characters.
pub fn new_token() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the server stores for a token: SHA-256 of its text, 64 lowercase hex characters.
/// Look delegates up by this, never by the token itself.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Why a badge string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadgeError {
    /// Not a badge string at all (wrong shape, bad characters, truncated QR).
    #[error("not a badge")]
    Malformed,
    /// A well-formed badge of another course (its course id is given).
    #[error("a badge of another course ({course_id})")]
    OtherCourse { course_id: i64 },
    /// The signature does not match this course's key: made up or altered.
    #[error("forged badge")]
    Forged,
    /// Genuine but replaced: its token hash is on the revocation list.
    #[error("revoked badge")]
    Revoked,
}

/// A key that is not 32 bytes, not hex/base64, or not a valid Ed25519 point.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid key")]
pub struct KeyError;

/// A course's signing key. Keep [`CourseKey::seed`] secret (in the database); anyone holding
/// it can make badges.
#[derive(Clone)]
pub struct CourseKey {
    key: SigningKey,
}

impl std::fmt::Debug for CourseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("CourseKey")
            .field("public_key", &self.public_key().to_base64())
            .finish()
    }
}

impl CourseKey {
    /// A fresh random key pair.
    pub fn generate() -> CourseKey {
        let mut seed = [0u8; 32];
        rand::rng().fill_bytes(&mut seed);
        CourseKey::from_seed(&seed)
    }

    /// The key pair from its 32 stored seed bytes.
    pub fn from_seed(seed: &[u8; 32]) -> CourseKey {
        CourseKey {
            key: SigningKey::from_bytes(seed),
        }
    }

    /// The key pair from stored bytes of any length; errors unless exactly 32.
    pub fn from_seed_slice(seed: &[u8]) -> Result<CourseKey, KeyError> {
        let seed: &[u8; 32] = seed.try_into().map_err(|_| KeyError)?;
        Ok(CourseKey::from_seed(seed))
    }

    /// The 32 secret bytes to store.
    pub fn seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The public half, to publish.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.key.verifying_key())
    }
}

/// A course's public key: what scanners download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// 43 characters, base64url without padding.
    pub fn to_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.to_bytes())
    }

    /// 64 lowercase hex characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| KeyError)?;
        VerifyingKey::from_bytes(bytes)
            .map(PublicKey)
            .map_err(|_| KeyError)
    }

    /// Reads either published form: 64 hex characters or base64url (padding optional).
    pub fn parse(text: &str) -> Result<PublicKey, KeyError> {
        let text = text.trim();
        let bytes = if text.len() == 64 {
            hex::decode(text).map_err(|_| KeyError)?
        } else {
            URL_SAFE_NO_PAD
                .decode(text.trim_end_matches('='))
                .map_err(|_| KeyError)?
        };
        PublicKey::from_bytes(&bytes)
    }
}

/// The fields of a badge string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub course_id: i64,
    pub delegate_id: i64,
    /// The token as issued by [`new_token`]; look it up by [`token_hash`].
    pub token: String,
    signature: [u8; 64],
}

impl Badge {
    /// The stored form of [`Badge::token`].
    pub fn token_hash(&self) -> String {
        token_hash(&self.token)
    }
}

fn badge_message(course_id: i64, delegate_id: i64, token: &str) -> Vec<u8> {
    let mut m = Vec::with_capacity(BADGE_CONTEXT.len() + 16 + token.len());
    m.extend_from_slice(BADGE_CONTEXT);
    m.extend_from_slice(&course_id.to_be_bytes());
    m.extend_from_slice(&delegate_id.to_be_bytes());
    m.extend_from_slice(token.as_bytes());
    m
}

/// The badge string for the QR URL path: `{token}.{course_id}.{delegate_id}.{signature}`.
/// `token` should come from [`new_token`]; any URL-safe text without `.` works.
pub fn sign(key: &CourseKey, course_id: i64, delegate_id: i64, token: &str) -> String {
    let signature = key.key.sign(&badge_message(course_id, delegate_id, token));
    format!(
        "{token}.{course_id}.{delegate_id}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    )
}

fn url_safe(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn id(s: &str) -> Option<i64> {
    // Canonical decimal only: one badge has one spelling.
    if s.is_empty() || s.len() > 19 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.len() > 1 && s.starts_with('0') {
        return None;
    }
    s.parse().ok()
}

/// Splits a badge string (or a URL ending in one: anything up to the last `/` is dropped,
/// and a query or fragment is ignored) into its fields, without checking the signature.
pub fn parse(text: &str) -> Result<Badge, BadgeError> {
    let text = text.trim();
    let text = text.split(['?', '#']).next().unwrap_or("");
    let text = text.trim_end_matches('/');
    let text = text.rsplit('/').next().unwrap_or("");
    if text.len() > 200 {
        return Err(BadgeError::Malformed);
    }
    let mut parts = text.split('.');
    let (Some(token), Some(course), Some(delegate), Some(sig), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(BadgeError::Malformed);
    };
    if !url_safe(token) || token.len() > 64 || sig.len() != SIGNATURE_CHARS {
        return Err(BadgeError::Malformed);
    }
    let (Some(course_id), Some(delegate_id)) = (id(course), id(delegate)) else {
        return Err(BadgeError::Malformed);
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| BadgeError::Malformed)?;
    let signature: [u8; 64] = bytes.try_into().map_err(|_| BadgeError::Malformed)?;
    Ok(Badge {
        course_id,
        delegate_id,
        token: token.to_string(),
        signature,
    })
}

/// Checks a badge string (or URL) against course `course_id`'s public key: the fields of a
/// genuine badge of that course, or why not. Does not consult a revocation list (see
/// [`Scanner`]).
pub fn verify_offline(key: &PublicKey, course_id: i64, text: &str) -> Result<Badge, BadgeError> {
    let badge = parse(text)?;
    if badge.course_id != course_id {
        return Err(BadgeError::OtherCourse {
            course_id: badge.course_id,
        });
    }
    let signature = Signature::from_bytes(&badge.signature);
    key.0
        .verify_strict(
            &badge_message(badge.course_id, badge.delegate_id, &badge.token),
            &signature,
        )
        .map_err(|_| BadgeError::Forged)?;
    Ok(badge)
}

/// The tokens of replaced badges for one course, as SHA-256 hashes ([`token_hash`]), signed
/// with the course key so that a scanner can trust a copy from anywhere.
///
/// JSON form ([`RevocationList::to_signed_json`]):
/// `{"course_id":7,"issued_at":1796000000,"revoked":["<hex>",…],"signature":"<base64url>"}`.
/// The signature covers the course, `issued_at` (Unix seconds) and the sorted hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationList {
    pub course_id: i64,
    /// When the list was made (Unix seconds); a scanner shows how old its copy is.
    pub issued_at: i64,
    revoked: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignedList {
    course_id: i64,
    issued_at: i64,
    revoked: Vec<String>,
    signature: String,
}

impl RevocationList {
    /// A list from stored token hashes (any order; duplicates and letter case do not matter).
    pub fn new(
        course_id: i64,
        issued_at: i64,
        token_hashes: impl IntoIterator<Item = String>,
    ) -> RevocationList {
        let mut revoked: Vec<String> = token_hashes
            .into_iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        revoked.sort();
        revoked.dedup();
        RevocationList {
            course_id,
            issued_at,
            revoked,
        }
    }

    /// The revoked token hashes, sorted.
    pub fn hashes(&self) -> &[String] {
        &self.revoked
    }

    fn message(&self) -> Vec<u8> {
        let mut m = Vec::with_capacity(REVOCATION_CONTEXT.len() + 24 + 65 * self.revoked.len());
        m.extend_from_slice(REVOCATION_CONTEXT);
        m.extend_from_slice(&self.course_id.to_be_bytes());
        m.extend_from_slice(&self.issued_at.to_be_bytes());
        m.extend_from_slice(&(self.revoked.len() as u64).to_be_bytes());
        for h in &self.revoked {
            m.extend_from_slice(h.as_bytes());
            m.push(b'\n');
        }
        m
    }

    /// Signs the list with the course key; the JSON to publish.
    pub fn to_signed_json(&self, key: &CourseKey) -> String {
        let signature = key.key.sign(&self.message());
        let signed = SignedList {
            course_id: self.course_id,
            issued_at: self.issued_at,
            revoked: self.revoked.clone(),
            signature: URL_SAFE_NO_PAD.encode(signature.to_bytes()),
        };
        serde_json::to_string(&signed).unwrap_or_default()
    }

    /// Reads a published list and checks its signature against course `course_id`'s key.
    pub fn from_signed_json(
        key: &PublicKey,
        course_id: i64,
        json: &str,
    ) -> Result<RevocationList, BadgeError> {
        let signed: SignedList = serde_json::from_str(json).map_err(|_| BadgeError::Malformed)?;
        if signed.course_id != course_id {
            return Err(BadgeError::OtherCourse {
                course_id: signed.course_id,
            });
        }
        let sig: [u8; 64] = URL_SAFE_NO_PAD
            .decode(&signed.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(BadgeError::Malformed)?;
        // Sorted and lowercase as signed: any reordering or edit is a forgery.
        let list = RevocationList {
            course_id: signed.course_id,
            issued_at: signed.issued_at,
            revoked: signed.revoked,
        };
        key.0
            .verify_strict(&list.message(), &Signature::from_bytes(&sig))
            .map_err(|_| BadgeError::Forged)?;
        Ok(list)
    }

    /// Whether the badge with this token was replaced.
    pub fn is_revoked(&self, token: &str) -> bool {
        self.is_revoked_hash(&token_hash(token))
    }

    /// The same, from a stored hash.
    pub fn is_revoked_hash(&self, hash: &str) -> bool {
        self.revoked
            .binary_search(&hash.to_ascii_lowercase())
            .is_ok()
    }
}

/// What an offline scanner holds for one course: its id, public key and latest revocation
/// list.
#[derive(Debug, Clone)]
pub struct Scanner {
    pub course_id: i64,
    pub key: PublicKey,
    pub revocations: RevocationList,
}

impl Scanner {
    /// Builds a scanner from what the course publishes (public key as hex or base64url, the
    /// signed revocation list JSON); fails if the list is not signed by that key.
    pub fn new(
        course_id: i64,
        public_key: &str,
        revocations_json: &str,
    ) -> Result<Scanner, ScannerError> {
        let key = PublicKey::parse(public_key).map_err(|_| ScannerError::Key)?;
        let revocations = RevocationList::from_signed_json(&key, course_id, revocations_json)
            .map_err(ScannerError::List)?;
        Ok(Scanner {
            course_id,
            key,
            revocations,
        })
    }

    /// One scan: a genuine, unrevoked badge of this course, or why not.
    pub fn scan(&self, text: &str) -> Result<Badge, BadgeError> {
        let badge = verify_offline(&self.key, self.course_id, text)?;
        if self.revocations.is_revoked(&badge.token) {
            return Err(BadgeError::Revoked);
        }
        Ok(badge)
    }
}

/// Why a [`Scanner`] could not be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScannerError {
    #[error("invalid public key")]
    Key,
    #[error("revocation list refused: {0}")]
    List(BadgeError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_bits_url_safe_and_distinct() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), TOKEN_CHARS);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), TOKEN_BYTES);
        assert!(url_safe(&a));
        assert_ne!(a, b);
        let h = token_hash(&a);
        assert_eq!(h.len(), 64);
        assert!(
            h.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_eq!(h, token_hash(&a));
    }

    #[test]
    fn keys_round_trip_through_seed_and_published_forms() {
        let key = CourseKey::generate();
        let again = CourseKey::from_seed(&key.seed());
        assert_eq!(key.public_key(), again.public_key());
        let pk = key.public_key();
        assert_eq!(PublicKey::parse(&pk.to_hex()).unwrap(), pk);
        assert_eq!(PublicKey::parse(&pk.to_base64()).unwrap(), pk);
        assert_eq!(pk.to_base64().len(), 43);
        assert!(PublicKey::parse("abc").is_err());
        assert!(CourseKey::from_seed_slice(&[1, 2, 3]).is_err());
        assert!(!format!("{key:?}").contains(&hex::encode(key.seed())));
    }

    #[test]
    fn a_signed_badge_verifies_offline_and_is_deterministic() {
        let key = CourseKey::generate();
        let token = new_token();
        let s = sign(&key, 7, 1234, &token);
        assert_eq!(s, sign(&key, 7, 1234, &token));
        assert!(s.len() < 130, "{}", s.len());
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        );
        let badge = verify_offline(&key.public_key(), 7, &s).unwrap();
        assert_eq!(badge.course_id, 7);
        assert_eq!(badge.delegate_id, 1234);
        assert_eq!(badge.token, token);
        assert_eq!(badge.token_hash(), token_hash(&token));
        // From the full URL as a camera app hands it over.
        let url = format!("https://hoithi.example/diem-danh/{s}?utm=x");
        assert_eq!(verify_offline(&key.public_key(), 7, &url).unwrap(), badge);
        assert_eq!(parse(&url).unwrap(), badge);
    }

    #[test]
    fn forged_altered_and_foreign_badges_are_refused() {
        let key = CourseKey::generate();
        let other = CourseKey::generate();
        let token = new_token();
        let pk = key.public_key();
        let s = sign(&key, 7, 1234, &token);
        // Signed by another key.
        assert_eq!(
            verify_offline(&pk, 7, &sign(&other, 7, 1234, &token)),
            Err(BadgeError::Forged)
        );
        // Delegate changed.
        let altered = s.replacen(".1234.", ".1235.", 1);
        assert_eq!(verify_offline(&pk, 7, &altered), Err(BadgeError::Forged));
        // Token changed.
        let mut t2 = token.clone().into_bytes();
        t2[0] = if t2[0] == b'A' { b'B' } else { b'A' };
        let altered = s.replacen(&token, std::str::from_utf8(&t2).unwrap(), 1);
        assert_eq!(verify_offline(&pk, 7, &altered), Err(BadgeError::Forged));
        // Another course.
        assert_eq!(
            verify_offline(&pk, 8, &s),
            Err(BadgeError::OtherCourse { course_id: 7 })
        );
        // Malformed shapes.
        let sig = &s[s.len() - 86..];
        let bad: Vec<String> = vec![
            String::new(),
            "abc".into(),
            "a.b.c.d".into(),
            format!("{token}.7.1234"),
            format!("{token}.07.1234.{sig}"),
            format!("{token}.7.-1.{sig}"),
            format!("{s}.x"),
            s[..s.len() - 1].to_string(),
            format!("tö.7.1.{sig}"),
            "A".repeat(500),
        ];
        for bad in bad {
            assert_eq!(
                verify_offline(&pk, 7, &bad),
                Err(BadgeError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn revocation_lists_are_signed_and_checked() {
        let key = CourseKey::generate();
        let old = new_token();
        let kept = new_token();
        let list = RevocationList::new(7, 1_796_000_000, [token_hash(&old).to_uppercase()]);
        assert!(list.is_revoked(&old));
        assert!(!list.is_revoked(&kept));
        let json = list.to_signed_json(&key);
        let read = RevocationList::from_signed_json(&key.public_key(), 7, &json).unwrap();
        assert_eq!(read, list);
        assert!(read.is_revoked_hash(&token_hash(&old)));
        // Tampering: emptying the list breaks the signature.
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let mut emptied = v.clone();
        emptied["revoked"] = serde_json::json!([]);
        assert_eq!(
            RevocationList::from_signed_json(&key.public_key(), 7, &emptied.to_string()),
            Err(BadgeError::Forged)
        );
        let other = CourseKey::generate();
        assert_eq!(
            RevocationList::from_signed_json(&other.public_key(), 7, &json),
            Err(BadgeError::Forged)
        );
        assert_eq!(
            RevocationList::from_signed_json(&key.public_key(), 8, &json),
            Err(BadgeError::OtherCourse { course_id: 7 })
        );
        assert_eq!(
            RevocationList::from_signed_json(&key.public_key(), 7, "{"),
            Err(BadgeError::Malformed)
        );
    }

    #[test]
    fn a_scanner_refuses_revoked_badges() {
        let key = CourseKey::generate();
        let (old, new) = (new_token(), new_token());
        let json = RevocationList::new(3, 0, [token_hash(&old)]).to_signed_json(&key);
        let scanner = Scanner::new(3, &key.public_key().to_hex(), &json).unwrap();
        assert_eq!(
            scanner.scan(&sign(&key, 3, 10, &old)),
            Err(BadgeError::Revoked)
        );
        assert_eq!(
            scanner.scan(&sign(&key, 3, 10, &new)).unwrap().delegate_id,
            10
        );
        assert!(matches!(
            Scanner::new(3, &CourseKey::generate().public_key().to_hex(), &json),
            Err(ScannerError::List(BadgeError::Forged))
        ));
        assert!(matches!(
            Scanner::new(3, "nope", &json),
            Err(ScannerError::Key)
        ));
    }
}
