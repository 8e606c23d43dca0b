//! Bearer tokens for the JSON API: what a token's label may be, when a
//! token expires, and whether it still opens the API.
//!
//! A token acts as the person it was issued to, so a forgotten one is an
//! open door: people who make their own on the account page must give it
//! an end (`DEFAULT_EXPIRY_DAYS` is offered), and the operator may issue one
//! without an end for a machine (`samspil token create`). Either can be
//! revoked; the bearer check refuses a revoked or expired token at the
//! next request.

use time::{Duration, OffsetDateTime};

use crate::ValidationError;

/// The longest a token may live: a year, after which it is made anew.
pub const MAX_EXPIRY_DAYS: u32 = 365;
/// What the account page offers: about a quarter.
pub const DEFAULT_EXPIRY_DAYS: u32 = 90;
/// A label says what the token is for, in a list: a short line.
pub const MAX_LABEL_CHARS: usize = 100;

/// Whether a token opens the API now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

impl TokenState {
    /// The state of a token revoked at `revoked_at` (if ever) that expires
    /// at `expires_at` (if ever), at `now`. A revoked token stays revoked
    /// whatever its expiry. The bearer check applies the same rule in its
    /// SQL, so that finding the token and marking it used is one statement.
    pub fn at(
        revoked_at: Option<OffsetDateTime>,
        expires_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> TokenState {
        match (revoked_at, expires_at) {
            (Some(_), _) => TokenState::Revoked,
            (None, Some(expires_at)) if expires_at <= now => TokenState::Expired,
            (None, _) => TokenState::Active,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TokenState::Active => "active",
            TokenState::Expired => "expired",
            TokenState::Revoked => "revoked",
        }
    }
}

/// The label as stored: trimmed, 1 to [`MAX_LABEL_CHARS`] characters, one
/// line of printable text (it is shown in lists and on the command line).
pub fn checked_label(label: &str) -> Result<String, ValidationError> {
    let label = label.trim();
    if label.is_empty() {
        return Err(ValidationError::new("label", "the label is empty"));
    }
    if label.chars().count() > MAX_LABEL_CHARS {
        return Err(ValidationError::new(
            "label",
            format!("the label has more than {MAX_LABEL_CHARS} characters"),
        ));
    }
    if label.chars().any(char::is_control) {
        return Err(ValidationError::new(
            "label",
            "the label may not contain line breaks or control characters",
        ));
    }
    Ok(label.to_owned())
}

/// The instant a token issued at `issued_at` for `days` days expires:
/// 1 to [`MAX_EXPIRY_DAYS`] days.
pub fn expires_at(issued_at: OffsetDateTime, days: u32) -> Result<OffsetDateTime, ValidationError> {
    let days = checked_days(days)?;
    Ok(issued_at + Duration::days(i64::from(days)))
}

/// The number of days a form field asks for, as [`expires_at`] takes it.
pub fn parse_expiry_days(text: &str) -> Result<u32, ValidationError> {
    text.trim()
        .parse()
        .map_err(|_| out_of_range())
        .and_then(checked_days)
}

fn checked_days(days: u32) -> Result<u32, ValidationError> {
    if (1..=MAX_EXPIRY_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(out_of_range())
    }
}

fn out_of_range() -> ValidationError {
    ValidationError::new(
        "expires_in_days",
        format!("a token expires after 1 to {MAX_EXPIRY_DAYS} days"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2024-05-01 10:00 UTC);

    #[test]
    fn a_token_is_active_until_it_expires_or_is_revoked() {
        let later = NOW + Duration::days(1);
        let earlier = NOW - Duration::seconds(1);
        assert_eq!(TokenState::at(None, None, NOW), TokenState::Active);
        assert_eq!(TokenState::at(None, Some(later), NOW), TokenState::Active);
        assert_eq!(TokenState::at(None, Some(NOW), NOW), TokenState::Expired);
        assert_eq!(
            TokenState::at(None, Some(earlier), NOW),
            TokenState::Expired
        );
        assert_eq!(
            TokenState::at(Some(earlier), Some(later), NOW),
            TokenState::Revoked
        );
        assert_eq!(
            TokenState::at(Some(earlier), Some(earlier), NOW),
            TokenState::Revoked
        );
    }

    #[test]
    fn a_label_is_one_short_line() {
        assert_eq!(
            checked_label("  CI-pipeline ").as_deref(),
            Ok("CI-pipeline")
        );
        assert_eq!(
            checked_label(&"x".repeat(MAX_LABEL_CHARS)).map(|l| l.len()),
            Ok(100)
        );
        for bad in ["", "   ", "two\nlines", "tab\there", "nul\0"] {
            assert_eq!(
                checked_label(bad).map_err(|e| e.field),
                Err("label"),
                "{bad:?}"
            );
        }
        assert!(checked_label(&"æ".repeat(MAX_LABEL_CHARS + 1)).is_err());
    }

    #[test]
    fn a_token_expires_after_one_day_to_a_year() {
        assert_eq!(expires_at(NOW, 1), Ok(datetime!(2024-05-02 10:00 UTC)));
        assert_eq!(expires_at(NOW, 365), Ok(datetime!(2025-05-01 10:00 UTC)));
        for days in [0, 366, u32::MAX] {
            assert_eq!(
                expires_at(NOW, days).map_err(|e| e.field),
                Err("expires_in_days"),
                "{days}"
            );
        }
    }

    #[test]
    fn the_days_field_takes_a_whole_number_in_range() {
        assert_eq!(parse_expiry_days(" 90 "), Ok(90));
        for bad in ["", "0", "-1", "1.5", "abc", "366", "99999999999"] {
            assert_eq!(
                parse_expiry_days(bad).map_err(|e| e.field),
                Err("expires_in_days"),
                "{bad:?}"
            );
        }
    }
}
