//! Identifiers that a database dump must not list in clear (the citizen
//! store's CPR numbers): a keyed look-up digest (HMAC-SHA-256), so that a
//! party can be found by its number without the number being stored, and
//! the value sealed (ChaCha20-Poly1305, a fresh random nonce each time)
//! so that the index can still give it back to whoever may read it. Both
//! under one key from configuration, each with a key of its own derived
//! from it, so the digest never reveals anything about the sealing key.
//!
//! Why these: RustCrypto's `chacha20poly1305` is pure Rust, constant-time
//! without AES hardware, and an AEAD (a changed ciphertext is refused,
//! not read as another number); HMAC over `sha2`, which the build has
//! already. See docs/CITIZEN_PRIVACY.md.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac_sha2::{Hmac, Mac};
use sha2::Sha256;

/// The key the identifiers are sealed and digested under.
#[derive(Clone)]
pub struct SealingKey {
    lookup: [u8; 32],
    seal: [u8; 32],
}

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(…)")
    }
}

/// A key from configuration that is too short to be one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the key has at least 32 characters (it is a secret, e.g. 32 random bytes in base64)")]
pub struct WeakKey;

fn derive(master: &[u8], label: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes any key length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl SealingKey {
    /// The key from its configured text (at least 32 characters).
    pub fn from_secret(secret: &str) -> Result<Self, WeakKey> {
        if secret.trim().chars().count() < 32 {
            return Err(WeakKey);
        }
        let master = secret.trim().as_bytes();
        Ok(Self {
            lookup: derive(master, b"samspil citizen lookup v1"),
            seal: derive(master, b"samspil citizen seal v1"),
        })
    }

    /// The look-up digest of a value: the same value, the same digest.
    pub fn lookup_digest(&self, value: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.lookup).expect("HMAC takes any key length");
        mac.update(value.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// The value sealed: nonce and ciphertext, base64. Sealing one value
    /// twice gives two different texts.
    pub fn seal(&self, value: &str) -> String {
        let cipher = ChaCha20Poly1305::new(&Key::from(self.seal));
        let mut nonce = [0_u8; 12];
        OsRng.fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(&Nonce::from(nonce), value.as_bytes())
            .expect("sealing a short value in memory does not fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        URL_SAFE_NO_PAD.encode(out)
    }

    /// The value a [`SealingKey::seal`] text holds; `None` for a text not
    /// sealed under this key, or changed.
    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().ok()?;
        let cipher = ChaCha20Poly1305::new(&Key::from(self.seal));
        let plain = cipher.decrypt(&Nonce::from(nonce), ciphertext).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "a test key of at least thirty-two characters";

    #[test]
    fn a_sealed_value_opens_under_its_key_only() {
        let key = SealingKey::from_secret(KEY).expect("long enough");
        let sealed = key.seal("0101901234");
        assert!(!sealed.contains("0101901234"));
        assert_ne!(sealed, key.seal("0101901234"), "a fresh nonce each time");
        assert_eq!(key.open(&sealed).as_deref(), Some("0101901234"));
        let other = SealingKey::from_secret("another key of at least thirty-two characters")
            .expect("long enough");
        assert_eq!(other.open(&sealed), None);
        let mut changed = sealed.clone().into_bytes();
        let last = changed.len() - 1;
        changed[last] = if changed[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(key.open(&String::from_utf8(changed).expect("ascii")), None);
        assert_eq!(key.open("short"), None);
    }

    #[test]
    fn the_lookup_digest_is_stable_keyed_and_reveals_nothing() {
        let key = SealingKey::from_secret(KEY).expect("long enough");
        let digest = key.lookup_digest("0101901234");
        assert_eq!(digest, key.lookup_digest("0101901234"));
        assert_ne!(digest, key.lookup_digest("0101901235"));
        assert!(!digest.contains("0101901234"));
        let other = SealingKey::from_secret("another key of at least thirty-two characters")
            .expect("long enough");
        assert_ne!(digest, other.lookup_digest("0101901234"));
        assert_eq!(SealingKey::from_secret("short").err(), Some(WeakKey));
    }
}
