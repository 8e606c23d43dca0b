//! A vendor system's credential: a bearer token made and stored as the
//! platform's API tokens are (`samspil_auth::new_api_token`, kept only as
//! its SHA-256 digest), one or more per system. Rotation issues a new one
//! and lets the ones in use run on until a set time (the overlap), so that
//! a vendor can roll the new one out to every installation before the old
//! one stops; revocation stops one at once.

use samspil_domain::ValidationError;
use time::{Duration, OffsetDateTime};

pub use samspil_domain::api_token::TokenState as CredentialState;

/// The longest overlap a rotation gives the credentials in use: a week,
/// enough to roll a new one out, short enough that a leaked one dies soon.
pub const MAX_OVERLAP_HOURS: u32 = 7 * 24;
/// What the staff page offers.
pub const DEFAULT_OVERLAP_HOURS: u32 = 24;

/// When the credentials in use stop after a rotation at `now` with an
/// overlap of `hours` (0 to [`MAX_OVERLAP_HOURS`]; 0 stops them at once).
pub fn overlap_until(now: OffsetDateTime, hours: u32) -> Result<OffsetDateTime, ValidationError> {
    if hours > MAX_OVERLAP_HOURS {
        return Err(ValidationError::new(
            "overlap_hours",
            format!("the overlap is at most {MAX_OVERLAP_HOURS} hours"),
        ));
    }
    Ok(now + Duration::hours(i64::from(hours)))
}

/// The overlap as typed: whole hours.
pub fn parse_overlap_hours(text: &str) -> Result<u32, ValidationError> {
    text.trim().parse::<u32>().map_err(|_| {
        ValidationError::new(
            "overlap_hours",
            format!("the overlap is a whole number of hours, 0 to {MAX_OVERLAP_HOURS}"),
        )
    })
}

/// Whether a credential in use at `now` keeps running to `expires_at` or
/// to `until`, after a rotation that gives it until `until`: the earlier.
/// A rotation never prolongs a credential.
pub fn rotated_expiry(expires_at: Option<OffsetDateTime>, until: OffsetDateTime) -> OffsetDateTime {
    match expires_at {
        Some(expires_at) if expires_at < until => expires_at,
        _ => until,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_overlap_is_bounded() {
        let now = datetime!(2026-06-01 12:00 UTC);
        assert_eq!(overlap_until(now, 0), Ok(now));
        assert_eq!(overlap_until(now, 24), Ok(datetime!(2026-06-02 12:00 UTC)));
        assert!(overlap_until(now, MAX_OVERLAP_HOURS).is_ok());
        let refused = overlap_until(now, MAX_OVERLAP_HOURS + 1).expect_err("too long");
        assert_eq!(refused.field, "overlap_hours");
        assert_eq!(parse_overlap_hours(" 12 "), Ok(12));
        for bad in ["", "-1", "1.5", "en"] {
            assert!(parse_overlap_hours(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_rotation_never_prolongs_a_credential() {
        let until = datetime!(2026-06-02 12:00 UTC);
        assert_eq!(rotated_expiry(None, until), until);
        let sooner = datetime!(2026-06-01 13:00 UTC);
        assert_eq!(rotated_expiry(Some(sooner), until), sooner);
        let later = datetime!(2026-07-01 00:00 UTC);
        assert_eq!(rotated_expiry(Some(later), until), until);
    }

    #[test]
    fn a_credential_is_in_force_until_it_expires_or_is_revoked() {
        let now = datetime!(2026-06-01 12:00 UTC);
        let later = datetime!(2026-06-01 13:00 UTC);
        assert_eq!(
            CredentialState::at(None, Some(later), now),
            CredentialState::Active
        );
        assert_eq!(
            CredentialState::at(None, Some(now), now),
            CredentialState::Expired
        );
        assert_eq!(
            CredentialState::at(Some(now), Some(later), now),
            CredentialState::Revoked
        );
    }
}
