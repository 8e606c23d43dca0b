//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): the
//! second factor of local accounts.
//!
//! The parameters are the ones every authenticator app assumes when an
//! `otpauth://` URI names none: HMAC-SHA-1, 6 digits, 30-second steps.
//! Secrets travel as unpadded RFC 4648 base32, the form apps accept.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

/// Seconds per time step.
pub const STEP_SECONDS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Steps accepted either side of the current one, for clocks that drift
/// and people who type slowly.
pub const DRIFT_STEPS: u64 = 1;
/// Bytes of a new secret: 160 bits, RFC 4226's recommended length.
pub const SECRET_BYTES: usize = 20;

const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The outcome of checking a typed code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// The code belongs to this time step, which has not been used before.
    Accepted { step: u64 },
    /// The code is right but its step was accepted already: a replay.
    AlreadyUsed,
    /// Six digits, but not the right ones.
    Wrong,
    /// Not six digits at all.
    Malformed,
}

/// A new random secret, base32-encoded.
pub fn new_secret() -> String {
    let mut bytes = [0_u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut bytes);
    base32_encode(&bytes)
}

/// RFC 4648 base32 without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(
                BASE32_ALPHABET[((buffer >> bits) & 31) as usize],
            ));
        }
    }
    if bits > 0 {
        out.push(char::from(
            BASE32_ALPHABET[((buffer << (5 - bits)) & 31) as usize],
        ));
    }
    out
}

/// Decodes base32 as people and apps write it: any case, with spaces or
/// hyphens between groups, with or without `=` padding. `None` for anything
/// else, including an empty secret.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    let trimmed = text.trim_end_matches(|c: char| c == '=' || c.is_whitespace());
    for c in trimmed.chars() {
        if c.is_whitespace() || c == '-' {
            continue;
        }
        let upper = c.to_ascii_uppercase();
        let value = BASE32_ALPHABET
            .iter()
            .position(|&a| char::from(a) == upper)?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    // Leftover bits must be zero padding, or the text was cut or made up.
    if bits >= 5 || buffer & ((1 << bits) - 1) != 0 || out.is_empty() {
        return None;
    }
    Some(out)
}

/// RFC 4226's HOTP value of `counter`, as a number of `digits` digits.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> u32 {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).expect("HMAC accepts any key");
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    binary % 10_u32.pow(digits)
}

/// The time step an instant (seconds since the Unix epoch) falls in.
/// Instants before 1970 belong to step 0.
pub fn step_at(unix_seconds: i64) -> u64 {
    u64::try_from(unix_seconds.div_euclid(STEP_SECONDS)).unwrap_or(0)
}

/// The six-digit code of one step, zero-padded as apps show it.
pub fn code_for_step(key: &[u8], step: u64) -> String {
    format!(
        "{:0width$}",
        hotp(key, step, DIGITS),
        width = DIGITS as usize
    )
}

/// The code an authenticator app shows at `unix_seconds` for a base32
/// secret; `None` when the secret is not base32.
pub fn code_at(secret: &str, unix_seconds: i64) -> Option<String> {
    let key = base32_decode(secret)?;
    Some(code_for_step(&key, step_at(unix_seconds)))
}

/// A typed code without the spaces people put in the middle ("123 456").
fn normalise_code(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == DIGITS as usize && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(digits)
}

/// Checks a typed code against a base32 secret at `unix_seconds`, one step
/// either side, refusing every step up to `last_accepted` so that a code is
/// good once. A secret that does not decode matches nothing.
pub fn check_code(
    secret: &str,
    typed: &str,
    unix_seconds: i64,
    last_accepted: Option<u64>,
) -> CodeCheck {
    let Some(code) = normalise_code(typed) else {
        return CodeCheck::Malformed;
    };
    let Some(key) = base32_decode(secret) else {
        return CodeCheck::Wrong;
    };
    let now = step_at(unix_seconds);
    let mut replayed = false;
    for step in now.saturating_sub(DRIFT_STEPS)..=now + DRIFT_STEPS {
        let expected = code_for_step(&key, step);
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
            if last_accepted.is_some_and(|last| step <= last) {
                replayed = true;
            } else {
                return CodeCheck::Accepted { step };
            }
        }
    }
    if replayed {
        CodeCheck::AlreadyUsed
    } else {
        CodeCheck::Wrong
    }
}

/// The `otpauth://` URI an authenticator app reads from a QR code (the
/// Key Uri Format of Google Authenticator, which every app follows).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    let label = format!("{}:{}", percent_encode(issuer), percent_encode(account));
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent_encode(issuer)
    )
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 seed, "12345678901234567890".
    const RFC_SEED: &[u8] = b"12345678901234567890";

    #[test]
    fn hotp_matches_rfc_4226_appendix_d() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, value) in expected.into_iter().enumerate() {
            assert_eq!(
                hotp(RFC_SEED, counter as u64, 6),
                value,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn totp_matches_rfc_6238_appendix_b_sha1() {
        let vectors = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        let secret = base32_encode(RFC_SEED);
        for (time, eight_digits) in vectors {
            assert_eq!(
                format!("{:08}", hotp(RFC_SEED, step_at(time), 8)),
                eight_digits,
                "T = {time}"
            );
            // Six digits are the last six of the eight: the same truncation.
            assert_eq!(
                code_at(&secret, time).as_deref(),
                Some(&eight_digits[2..]),
                "T = {time}"
            );
        }
    }

    #[test]
    fn base32_matches_rfc_4648_and_round_trips() {
        let vectors = [
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base32_encode(plain.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(
            base32_decode("mzxw 6ytb-oi======").as_deref(),
            Some(&b"foobar"[..])
        );
        assert_eq!(base32_encode(RFC_SEED), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        for bad in ["", "====", "MZXW1", "MZ!", "MZXW6YTBOJ"] {
            assert_eq!(base32_decode(bad), None, "{bad:?}");
        }
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        assert_eq!(base32_decode(&secret).map(|k| k.len()), Some(SECRET_BYTES));
        assert_ne!(new_secret(), secret);
    }

    #[test]
    fn a_code_is_good_one_step_either_side_and_only_once() {
        let secret = base32_encode(RFC_SEED);
        let now = 1_234_567_890;
        let step = step_at(now);
        let current = code_at(&secret, now).expect("code");
        let previous = code_at(&secret, now - STEP_SECONDS).expect("code");
        let next = code_at(&secret, now + STEP_SECONDS).expect("code");
        let too_old = code_at(&secret, now - 2 * STEP_SECONDS).expect("code");
        let too_new = code_at(&secret, now + 2 * STEP_SECONDS).expect("code");

        assert_eq!(
            check_code(&secret, &current, now, None),
            CodeCheck::Accepted { step }
        );
        assert_eq!(
            check_code(&secret, &previous, now, None),
            CodeCheck::Accepted { step: step - 1 }
        );
        assert_eq!(
            check_code(&secret, &next, now, None),
            CodeCheck::Accepted { step: step + 1 }
        );
        assert_eq!(check_code(&secret, &too_old, now, None), CodeCheck::Wrong);
        assert_eq!(check_code(&secret, &too_new, now, None), CodeCheck::Wrong);

        // Once a step is accepted, its code and every earlier one are spent.
        assert_eq!(
            check_code(&secret, &current, now, Some(step)),
            CodeCheck::AlreadyUsed
        );
        assert_eq!(
            check_code(&secret, &previous, now, Some(step)),
            CodeCheck::AlreadyUsed
        );
        assert_eq!(
            check_code(&secret, &next, now, Some(step)),
            CodeCheck::Accepted { step: step + 1 }
        );
    }

    #[test]
    fn typed_codes_are_six_digits_with_spaces_allowed() {
        let secret = base32_encode(RFC_SEED);
        let now = 59;
        assert_eq!(
            check_code(&secret, " 287 082 ", now, None),
            CodeCheck::Accepted { step: 1 }
        );
        for bad in ["", "28708", "2870822", "28708a", "２８７０８２", "287-082"] {
            assert_eq!(
                check_code(&secret, bad, now, None),
                CodeCheck::Malformed,
                "{bad:?}"
            );
        }
        assert_eq!(check_code(&secret, "000000", now, None), CodeCheck::Wrong);
        assert_eq!(
            check_code("not base32!", "287082", now, None),
            CodeCheck::Wrong
        );
    }

    #[test]
    fn instants_before_the_epoch_do_not_wrap() {
        assert_eq!(step_at(-1), 0);
        assert_eq!(step_at(29), 0);
        assert_eq!(step_at(30), 1);
    }

    #[test]
    fn the_uri_names_issuer_account_and_parameters() {
        assert_eq!(
            otpauth_uri("samspil", "staff", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/samspil:staff?secret=JBSWY3DPEHPK3PXP&issuer=samspil\
             &algorithm=SHA1&digits=6&period=30"
        );
        assert!(
            otpauth_uri("sam spil", "a&b", "X").starts_with("otpauth://totp/sam%20spil:a%26b?")
        );
    }
}
