//! Credentials: password hashes, session ids, CSRF tokens and API tokens.
//!
//! Pure functions over bytes, so the web layer and the command line share
//! one implementation; nothing here touches storage.

pub mod sealing;
pub mod totp;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use thiserror::Error;

/// Prefix of every API token, so that a leaked token is recognisable by
/// secret scanners and people alike.
pub const API_TOKEN_PREFIX: &str = "samspil_";

#[derive(Debug, Error)]
pub enum CredentialError {
    #[error("a password must have at least {min} characters")]
    PasswordTooShort { min: usize },
    #[error("could not hash the password: {0}")]
    Hashing(String),
}

/// Passwords shorter than this are refused (NIST SP 800-63B's minimum).
pub const MIN_PASSWORD_LENGTH: usize = 8;

fn argon2id() -> Argon2<'static> {
    // OWASP's recommended argon2id setting: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with argon2id and a fresh random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, CredentialError> {
    if password.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(CredentialError::PasswordTooShort {
            min: MIN_PASSWORD_LENGTH,
        });
    }
    let salt = SaltString::generate(&mut OsRng);
    argon2id()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| CredentialError::Hashing(e.to_string()))
}

/// Whether `password` matches the stored PHC string. A malformed stored
/// hash never matches.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| {
            argon2id()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time of one verification, so that a login for an unknown user
/// takes as long as one with a wrong password.
pub fn verify_password_against_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY
        .get_or_init(|| hash_password("not-a-real-password").expect("hashing a constant works"));
    let _ = verify_password(password, hash);
}

/// 32 random bytes, URL-safe base64: session ids and CSRF tokens.
pub fn random_secret() -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new bearer token for the JSON API.
pub fn new_api_token() -> String {
    format!("{API_TOKEN_PREFIX}{}", random_secret())
}

/// The digest under which a secret (session id, API token) is stored: the
/// database never holds a usable secret.
pub fn digest(secret: &str) -> String {
    let hash = Sha256::digest(secret.as_bytes());
    URL_SAFE_NO_PAD.encode(hash)
}

/// The hex SHA-256 of a file, kept with it so that a copy can be checked.
pub fn file_checksum(content: &[u8]) -> String {
    Sha256::digest(content)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Compares two secrets in time independent of where they differ.
pub fn secrets_match(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let hash = hash_password("korrekt hest batteri").expect("hashes");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("korrekt hest batteri", &hash));
        assert!(!verify_password("korrekt hest", &hash));
        assert!(!verify_password("anything", "not a phc string"));
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_salt() {
        let a = hash_password("samme-kodeord").expect("hashes");
        let b = hash_password("samme-kodeord").expect("hashes");
        assert_ne!(a, b);
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(matches!(
            hash_password("kort"),
            Err(CredentialError::PasswordTooShort { min: 8 })
        ));
    }

    #[test]
    fn secrets_are_random_and_digests_stable() {
        assert_ne!(random_secret(), random_secret());
        assert_eq!(random_secret().len(), 43);
        assert!(new_api_token().starts_with(API_TOKEN_PREFIX));
        assert_eq!(digest("x"), digest("x"));
        assert_ne!(digest("x"), digest("y"));
        assert!(secrets_match("abc", "abc"));
        assert!(!secrets_match("abc", "abd"));
        assert!(!secrets_match("abc", "abcd"));
    }
}
