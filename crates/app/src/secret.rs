//! Random secrets (session ids, CSRF and API tokens) and their stored hashes.

use base64::Engine;
use sha2::{Digest, Sha256};

/// 32 random bytes from the operating system, base64url without padding.
pub fn random_token() -> String {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes)
        .unwrap_or_else(|e| panic!("the operating system has no randomness: {e}"));
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The hash under which a secret is stored, so a stolen database holds no live secret.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
