//! How long verifying one identity provider's response takes: the work of
//! every SAML login (parse, canonicalize, digest, RSA-2048 signature check,
//! the rules). `cargo bench -p samspil-saml`; figures in BENCHMARKS.md.

use std::time::Instant;

use samspil_saml::{Expectations, SigningCertificate, verify_response};
use time::macros::datetime;

const VALID: &str = include_str!("../tests/fixtures/valid.xml");
const IDP_CERT: &str = include_str!("../tests/fixtures/test-only-idp-cert.pem");

fn main() {
    let expectations = Expectations {
        idp_entity_id: "https://saml.test-idp.example/idp".into(),
        idp_certificates: SigningCertificate::from_pem(IDP_CERT).expect("test certificate"),
        sp_entity_id: "https://samspil.example/saml".into(),
        acs_url: "https://samspil.example/login/saml/acs".into(),
        request_id: "_request-4711".into(),
        now: datetime!(2026-01-15 10:01:00 UTC),
        clock_skew: time::Duration::seconds(30),
    };
    let rounds = 2_000;
    let mut durations = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        let identity = verify_response(VALID.as_bytes(), &expectations).expect("valid");
        durations.push(started.elapsed());
        std::hint::black_box(identity);
    }
    durations.sort();
    let at = |share: f64| durations[((rounds as f64) * share) as usize - 1];
    println!(
        "verify a {}-byte response: median {:?}, p95 {:?}, p99 {:?} over {rounds} rounds",
        VALID.len(),
        at(0.5),
        at(0.95),
        at(0.99)
    );
}
