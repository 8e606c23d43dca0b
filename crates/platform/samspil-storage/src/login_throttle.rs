//! The login throttle: counted attempts per login and per client address.

use crate::Result;
use async_trait::async_trait;
use time::OffsetDateTime;

/// The login throttle's counts: failures per login and attempts per
/// client address, each counted before the attempt is checked.
#[async_trait]
pub trait LoginThrottleStore: Send + Sync {
    async fn login_failures(&self, login: &str) -> Result<Option<LoginFailures>>;

    /// Counts one more wrong password for `login` and returns the new tally.
    async fn record_login_failure(&self, login: &str) -> Result<LoginFailures>;

    async fn clear_login_failures(&self, login: &str) -> Result<()>;

    /// Counts an attempt for `login` before it is checked, if the tally is
    /// still `seen` failures (0 when there was none), the state the caller
    /// read and decided on. One conditional statement: of many concurrent
    /// attempts one counts per tally, and the others (`None`) read again.
    async fn count_login_attempt(&self, login: &str, seen: u32) -> Result<Option<LoginFailures>>;

    /// Takes back one counted attempt of `login` that proved right (a
    /// password whose second factor is still owed).
    async fn uncount_login_attempt(&self, login: &str) -> Result<()>;

    /// Counts an attempt from a client address in its window, starting a
    /// new window if the current one began at or before `window_cutoff`,
    /// and returns the window's tally with this attempt.
    async fn count_address_attempt(
        &self,
        address: &str,
        window_cutoff: time::OffsetDateTime,
    ) -> Result<AddressAttempts>;

    /// Takes back one counted attempt of an address that was right, or
    /// that the login's own throttle refused unchecked.
    async fn uncount_address_attempt(&self, address: &str) -> Result<()>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailures {
    pub failures: u32,
    pub last_failure_at: OffsetDateTime,
}

/// The attempts one client address has made in its current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressAttempts {
    pub attempts: u32,
    pub window_started_at: OffsetDateTime,
}
