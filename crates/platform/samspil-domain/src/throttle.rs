//! Slowing down repeated wrong passwords.
//!
//! Every attempt to prove who one is (a password, a second-factor code) is
//! counted before it is checked, under two keys: the login, whose wrong
//! attempts earn doubling waits ([`wait_after`]) until the login succeeds,
//! and the client's address, which may fail a fixed number of times per
//! window ([`AddressLimit`]) whatever logins it tries.

use std::net::IpAddr;

use time::{Duration, OffsetDateTime};

/// Wrong passwords tolerated before every further attempt must wait.
pub const FREE_ATTEMPTS: u32 = 5;
/// The longest wait, however many failures there have been.
pub const MAX_WAIT: Duration = Duration::minutes(15);

/// How long after the last failure the next attempt is refused, given the
/// number of consecutive failures: nothing for the first few, then one
/// second doubling with every further failure, up to [`MAX_WAIT`].
pub fn wait_after(failures: u32) -> Duration {
    if failures < FREE_ATTEMPTS {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_ATTEMPTS).min(20);
    Duration::seconds(1_i64 << doublings).min(MAX_WAIT)
}

/// When an attempt at `now` is refused, how long the person still has to wait.
pub fn remaining_wait(
    failures: u32,
    last_failure: OffsetDateTime,
    now: OffsetDateTime,
) -> Option<Duration> {
    let allowed_from = last_failure + wait_after(failures);
    (allowed_from > now).then(|| allowed_from - now)
}

/// How many failed attempts one client address may make per window,
/// across all logins; the window starts with its first attempt.
///
/// The default, 300 a quarter of an hour, is meant for a municipality
/// behind one NAT address: a large one has about a thousand people who may
/// log in during one morning, and even if a fifth of them mistyped their
/// password in the same quarter of an hour there would be room to spare
/// (right passwords and codes are not counted). One address that guesses
/// still gets at most 300 guesses a quarter of an hour across all logins,
/// where each login allows only [`FREE_ATTEMPTS`] before it waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressLimit {
    pub failures: u32,
    pub window: Duration,
}

impl Default for AddressLimit {
    fn default() -> Self {
        Self {
            failures: 300,
            window: Duration::minutes(15),
        }
    }
}

impl AddressLimit {
    /// A window that started at or before this instant is over: the next
    /// attempt starts a new one.
    pub fn window_cutoff(self, now: OffsetDateTime) -> OffsetDateTime {
        now - self.window
    }

    /// Given the window's tally with this attempt counted, how long the
    /// address must wait if the attempt is refused.
    pub fn remaining_wait(
        self,
        attempts: u32,
        window_started_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Option<Duration> {
        (attempts > self.failures)
            .then(|| (window_started_at + self.window - now).max(Duration::seconds(1)))
    }
}

/// The key an address is counted under. An IPv6 host usually has a whole
/// /64 to itself and can change its address within it at will, so IPv6
/// is counted per /64; an IPv4 address mapped into IPv6 counts as itself.
pub fn address_key(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn first_attempts_are_free_then_waits_double_to_a_cap() {
        assert_eq!(wait_after(0), Duration::ZERO);
        assert_eq!(wait_after(FREE_ATTEMPTS - 1), Duration::ZERO);
        assert_eq!(wait_after(FREE_ATTEMPTS), Duration::seconds(1));
        assert_eq!(wait_after(FREE_ATTEMPTS + 3), Duration::seconds(8));
        assert_eq!(wait_after(1_000), MAX_WAIT);
    }

    #[test]
    fn the_wait_runs_from_the_last_failure() {
        let last = datetime!(2026-11-23 10:00:00 UTC);
        let failures = FREE_ATTEMPTS + 4; // 16 s
        assert_eq!(
            remaining_wait(failures, last, last + Duration::seconds(6)),
            Some(Duration::seconds(10))
        );
        assert_eq!(
            remaining_wait(failures, last, last + Duration::seconds(16)),
            None
        );
        assert_eq!(remaining_wait(2, last, last), None);
    }

    #[test]
    fn an_address_may_fail_its_limit_per_window_then_waits_for_the_window_to_end() {
        let limit = AddressLimit {
            failures: 3,
            window: Duration::minutes(15),
        };
        let start = datetime!(2026-11-23 08:00:00 UTC);
        let now = start + Duration::minutes(5);
        assert_eq!(limit.remaining_wait(3, start, now), None);
        assert_eq!(
            limit.remaining_wait(4, start, now),
            Some(Duration::minutes(10))
        );
        // At the window's very end the refusal still says to wait a second.
        assert_eq!(
            limit.remaining_wait(4, start, start + Duration::minutes(15)),
            Some(Duration::seconds(1))
        );
        assert_eq!(limit.window_cutoff(now), start - Duration::minutes(10));
    }

    #[test]
    fn ipv6_addresses_count_per_64_and_mapped_ipv4_as_itself() {
        let key = |text: &str| address_key(text.parse().expect("an address"));
        assert_eq!(key("192.0.2.7"), "192.0.2.7");
        assert_eq!(key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:bbbb::2"), key("2001:db8:1:2:aaaa::1"));
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
    }
}
