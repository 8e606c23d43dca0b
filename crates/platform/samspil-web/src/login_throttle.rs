//! The login throttle at the door: each attempt to prove who one is (a
//! password, a second-factor code) is counted before it is checked, under
//! the login and under the client's address (`samspil_domain::throttle`).
//!
//! Counting first is what makes the throttle hold under concurrency: had
//! the count been read, the password checked and the failure written
//! afterwards, sixty simultaneous guesses would all read "no failures yet"
//! and all be checked.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use samspil_domain::throttle::{self, address_key};
use time::Duration;

use crate::AppState;
use crate::error::AppError;

/// Compare-and-set rounds before an attempt is refused rather than
/// counted: each lost round means another attempt for the same login was
/// counted meanwhile, so a few rounds reach the throttle's limit anyway.
const MAX_COUNT_ROUNDS: u32 = 2 * throttle::FREE_ATTEMPTS;

/// The throttle key of the client's address: the TCP peer, which the
/// server puts into every request (`samspil::serve_http`). samspil has no
/// trusted-proxy setting, so a forwarded-for header is never believed.
#[derive(Debug, Clone)]
pub struct ClientAddress(String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // A router served without the peer address (a test's own server)
        // counts all its clients as one address: stricter, never looser.
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_owned(), |info| address_key(info.0.ip())),
        ))
    }
}

/// An attempt counted under both keys and now to be checked. A wrong
/// one needs nothing more written; a right one says so.
#[must_use = "a right attempt must clear or take back its count"]
pub(crate) struct CountedAttempt {
    login: String,
    address: String,
    /// The login's failures with this attempt, for the message of a wrong one.
    pub failures: u32,
}

pub(crate) enum Admission {
    Counted(CountedAttempt),
    /// Refused unchecked: try again after `wait`; `message` is the text
    /// that says so (the login's or the address's).
    Refused {
        wait: Duration,
        message: &'static str,
    },
}

const LOGIN_WAITS: &str = "login-error-throttled";
/// People behind one address (a municipality's NAT) learn that it is
/// their network, not their own password, that must wait.
const ADDRESS_WAITS: &str = "login-error-throttled-address";

/// Counts an attempt for the throttle key `login` from `address`, or
/// refuses it if either key must wait.
pub(crate) async fn count_attempt(
    state: &AppState,
    login: &str,
    address: &ClientAddress,
) -> Result<Admission, AppError> {
    let now = samspil_storage::now();
    let limit = state.address_limit;
    let address = address.0.clone();
    let from_address = state
        .storage
        .count_address_attempt(&address, limit.window_cutoff(now))
        .await?;
    if let Some(wait) =
        limit.remaining_wait(from_address.attempts, from_address.window_started_at, now)
    {
        return Ok(Admission::Refused {
            wait,
            message: ADDRESS_WAITS,
        });
    }
    for _ in 0..MAX_COUNT_ROUNDS {
        let seen = state.storage.login_failures(login).await?;
        if let Some(record) = seen
            && let Some(wait) =
                throttle::remaining_wait(record.failures, record.last_failure_at, now)
        {
            // Refused unchecked: not a failure of the address.
            state.storage.uncount_address_attempt(&address).await?;
            return Ok(Admission::Refused {
                wait,
                message: LOGIN_WAITS,
            });
        }
        let seen = seen.map_or(0, |record| record.failures);
        if let Some(counted) = state.storage.count_login_attempt(login, seen).await? {
            return Ok(Admission::Counted(CountedAttempt {
                login: login.to_owned(),
                address,
                failures: counted.failures,
            }));
        }
    }
    state.storage.uncount_address_attempt(&address).await?;
    Ok(Admission::Refused {
        wait: Duration::seconds(1),
        message: LOGIN_WAITS,
    })
}

impl CountedAttempt {
    /// The whole login (or the account change) succeeded: the login's
    /// failures are forgotten, and the address's attempt was no failure.
    pub(crate) async fn succeeded(self, state: &AppState) -> Result<(), AppError> {
        state.storage.clear_login_failures(&self.login).await?;
        state.storage.uncount_address_attempt(&self.address).await?;
        Ok(())
    }

    /// The attempt was right, but the login is not complete yet (a second
    /// factor is still owed) or nothing changed: the attempt is taken back,
    /// while the failures before it remain until the whole login succeeds
    /// (a right password followed by wrong codes must not reset the count).
    pub(crate) async fn take_back(self, state: &AppState) -> Result<(), AppError> {
        state.storage.uncount_login_attempt(&self.login).await?;
        state.storage.uncount_address_attempt(&self.address).await?;
        Ok(())
    }
}
