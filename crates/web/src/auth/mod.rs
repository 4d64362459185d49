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

/// Only hashes of tokens are stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
