//! Property tests (proptest) of the rules that read untrusted input: every
//! parser and check of this crate is fed arbitrary text and values. None may
//! panic, and what they accept must hold the invariant they promise.
//!
//! Case counts are bounded (`CASES`) so that the whole module runs in about
//! a second in CI; raise `PROPTEST_CASES` to search longer.

use proptest::prelude::*;
use time::{Duration, OffsetDateTime};

use crate::org::{MunicipalityCode, parse_municipalities};
use crate::throttle::{MAX_WAIT, remaining_wait, wait_after};
use crate::{AccessRole, Login, OrgKind, UserType};

const CASES: u32 = 256;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(CASES),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text as people and scripts send it: any Unicode, with a bias towards the
/// characters parsers split and trim on.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \t\r\n,;=\"'<>&a-zA-Z0-9æøåÆØÅ._@-]{0,40}",
        "\\PC{0,80}",
    ]
}

proptest! {
    #![proptest_config(config())]
    #[test]
    fn login_parse_accepts_only_normalised_logins(raw in text()) {
        if let Ok(login) = Login::parse(&raw) {
            let value = login.as_str();
            prop_assert!((2..=64).contains(&value.chars().count()));
            prop_assert!(value.chars().all(|c| c.is_ascii_lowercase()
                || c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | '@')));
            prop_assert_eq!(Login::parse(value), Ok(login.clone()));
            let json = serde_json::to_string(&login).expect("serialises");
            prop_assert_eq!(serde_json::from_str::<Login>(&json).ok(), Some(login));
        }
        // Through serde (API bodies) the same rule applies.
        let json = serde_json::to_string(&raw).expect("serialises");
        prop_assert_eq!(serde_json::from_str::<Login>(&json).is_ok(), Login::parse(&raw).is_ok());
    }

    #[test]
    fn municipality_codes_are_three_digits(raw in text()) {
        if let Ok(code) = raw.parse::<MunicipalityCode>() {
            prop_assert!((100..=999).contains(&code.get()));
            prop_assert_eq!(code.to_string(), raw.trim());
        }
    }

    #[test]
    fn municipality_lists_parse_or_are_refused(
        lines in prop::collection::vec(
            prop_oneof![
                text(),
                ("[0-9 ]{0,5}", text(), text(), text())
                    .prop_map(|(c, n, o, r)| format!("{c},{n},{o},{r}")),
            ],
            0..8,
        ),
        header in any::<bool>(),
    ) {
        let mut csv = String::new();
        if header {
            csv.push_str("code,name,official_name,region\n");
        }
        csv.push_str(&lines.join("\n"));
        if let Ok(orgs) = parse_municipalities(&csv) {
            for org in orgs {
                prop_assert_eq!(org.kind, OrgKind::Municipality);
                let code = org.code.expect("a municipality has a code");
                prop_assert_eq!(org.key, format!("municipality-{code}"));
                prop_assert!(!org.name.contains(','));
            }
        }
    }

    #[test]
    fn keyword_parsers_accept_exactly_their_own_words(raw in text()) {
        let known = |ok: bool, words: &[&str]| ok == words.contains(&raw.as_str());
        prop_assert!(known(AccessRole::parse(&raw).is_some(), &["staff", "admin", "user"]));
        prop_assert!(known(UserType::parse(&raw).is_some(), &["ordinary", "light", "reader"]));
        prop_assert!(known(OrgKind::parse(&raw).is_some(), &["community", "association", "municipality"]));
    }

    #[test]
    fn login_waits_never_exceed_the_cap(failures in any::<u32>(), seconds in 0i64..2_000) {
        let wait = wait_after(failures);
        prop_assert!(wait >= Duration::ZERO && wait <= MAX_WAIT);
        prop_assert!(wait_after(failures.saturating_add(1)) >= wait);
        let last = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let remaining = remaining_wait(failures, last, last + Duration::seconds(seconds));
        prop_assert!(remaining.is_none_or(|r| r > Duration::ZERO && r <= wait));
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn return_paths_are_kept_only_when_a_browser_stays_on_the_site(
        raw in prop_oneof![text(), text().prop_map(|t| format!("/{t}"))]
    ) {
        let kept = crate::return_path::safe_return_path(Some(&raw));
        prop_assert!(kept == "/" || kept == raw);
        prop_assert!(kept.starts_with('/') && !kept.contains("//") && !kept.contains('\\'));
        // Every byte is one a `Location` header carries as it is.
        prop_assert!(kept.bytes().all(|b| b > b' ' && b != 0x7f));
    }
}
