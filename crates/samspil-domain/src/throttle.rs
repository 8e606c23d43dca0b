//! Slowing down repeated wrong passwords.

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
}
