//! Who is asking: passwords, sessions, API tokens and CSRF protection.

pub mod csrf;
pub mod password;
pub mod session;

pub use session::{CurrentUser, load_actor};

use base64::Engine;
use sha2::{Digest, Sha256};

/// A random token for cookies and API keys: 256 bits, URL-safe.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A secret derived from the instance's secret for one purpose and input (URL-safe). Any
/// instance derives the same value, and nothing derived needs storing.
pub fn derived_token(secret: &[u8], purpose: &str, input: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(purpose.as_bytes());
    mac.update(b":");
    mac.update(input.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Only hashes of tokens are stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
