//! Hostile requests at the web layer's door: return paths that would lead
//! off the site or break the `Location` header, made-up HTTP methods that
//! would grow `/metrics`, connections that never finish their headers, and
//! many wrong passwords or codes at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{LOCATION, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use samspil::HttpOptions;
use samspil::demo::{DEMO_PASSWORD, DEMO_TOTP_SECRET};
use samspil_domain::throttle::{AddressLimit, FREE_ATTEMPTS};
use samspil_domain::{OrgId, Principal};
use samspil_web::WebConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{Browser, TestApp};

/// Return paths (as the browser's query or form carries them, decoded)
/// that a browser would follow off the site, or that no `Location` header
/// can carry.
const HOSTILE_NEXTS: [&str; 12] = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\x7f",
    "/\0",
    "/\u{a0}/evil.example",
    "/ /evil.example",
    "//evil.example/",
    "/\\evil.example",
    "/.//evil.example",
    "https://evil.example/",
    "evil.example",
];

fn encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn location(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(LOCATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

async fn session_logins(app: &TestApp, org_key: &str) -> usize {
    let org = OrgId(app.org_id(org_key).await);
    let access = Principal::operator().read_access(org).expect("operator");
    app.storage
        .audit_entries(&access, 1000)
        .await
        .expect("audit log")
        .into_iter()
        .filter(|entry| entry.action == "session.login")
        .count()
}

async fn password_step_with_next(browser: &Browser, login: &str, next: &str) -> reqwest::Response {
    let token = browser.csrf_token("/login").await;
    browser
        .post_form(
            "/login",
            &[
                ("login", login),
                ("password", DEMO_PASSWORD),
                ("csrf_token", &token),
                ("next", next),
            ],
        )
        .await
}

#[tokio::test]
async fn the_language_switch_never_sends_anyone_off_the_site_or_answers_500() {
    let app = TestApp::start().await;
    let browser = app.browser();
    for next in HOSTILE_NEXTS {
        let response = browser
            .get(&format!("/sprog/en?next={}", encoded(next)))
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(location(&response).as_deref(), Some("/"), "{next:?}");
    }
    let response = browser.get("/sprog/da?next=%2Fopgaver%3Fside%3D2").await;
    assert_eq!(location(&response).as_deref(), Some("/opgaver?side=2"));
}

#[tokio::test]
async fn a_login_with_a_hostile_return_path_goes_home_and_leaves_no_stray_session() {
    let app = TestApp::start().await;
    let sessions_before = session_logins(&app, "municipality-751").await;
    let mut signed_in = 0;
    for next in HOSTILE_NEXTS {
        let browser = app.browser();
        let (_, page) = browser
            .get_text(&format!("/login?next={}", encoded(next)))
            .await;
        assert!(
            !page.contains("evil.example"),
            "the login form keeps only a safe path for {next:?}"
        );
        let response = password_step_with_next(&browser, "user-751", next).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(location(&response).as_deref(), Some("/"), "{next:?}");
        signed_in += 1;
    }
    // Every session row belongs to a login whose browser got its cookie.
    assert_eq!(
        session_logins(&app, "municipality-751").await - sessions_before,
        signed_in
    );

    let browser = app.browser();
    let response = password_step_with_next(&browser, "user-751", "/opgaver?side=2").await;
    assert_eq!(location(&response).as_deref(), Some("/opgaver?side=2"));
}

#[tokio::test]
async fn the_second_factor_step_keeps_only_a_safe_return_path() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let response = password_step_with_next(&browser, "staff", "/\t/evil.example").await;
    assert_eq!(location(&response).as_deref(), Some("/login/kode"));
    let code = browser.fresh_demo_code().await;
    let response = browser.code_step(&code).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response).as_deref(), Some("/"));
}

#[tokio::test]
async fn a_saml_login_keeps_only_a_safe_return_path() {
    let app = crate::saml::start().await;
    let response = app
        .browser()
        .get(&format!(
            "/login/saml/aarhus-saml?next={}",
            encoded("/\t/evil.example")
        ))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let relay_state = url::Url::parse(&location(&response).expect("to the provider"))
        .expect("url")
        .query_pairs()
        .find(|(k, _)| k == "RelayState")
        .map(|(_, v)| v.into_owned())
        .expect("RelayState");
    let pending = app
        .storage
        .take_federated_login(&samspil_auth::digest(&relay_state))
        .await
        .expect("storage answers")
        .expect("the pending login");
    assert_eq!(pending.next_path, "/");
}

#[tokio::test]
async fn metrics_label_only_known_methods_and_matched_routes() {
    let app = TestApp::start().await;
    let client = reqwest::Client::new();
    for n in 0..20 {
        let method = Method::from_bytes(format!("FROBNICATE{n}X{}", "Y".repeat(n * 10)).as_bytes())
            .expect("a token");
        for path in ["/", "/login", &format!("/findes-ikke-{n}")] {
            client
                .request(method.clone(), app.url(path))
                .send()
                .await
                .expect("answered");
        }
    }
    client
        .get(app.url("/findes-heller-ikke"))
        .send()
        .await
        .expect("answered");
    app.browser().get("/login").await;
    let text = app
        .anonymous_api()
        .get("/metrics")
        .await
        .text()
        .await
        .expect("text");
    assert!(!text.contains("FROBNICATE"), "{text}");
    assert!(!text.contains("findes-"), "{text}");
    // A made-up method is no GET, so the CSRF check refuses it first.
    assert!(
        text.contains(
            "samspil_http_requests_total{method=\"other\",route=\"/login\",status=\"403\"} 20"
        ),
        "{text}"
    );
    assert!(
        text.contains("method=\"other\",route=\"unmatched\""),
        "{text}"
    );
    assert!(
        text.contains(
            "samspil_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "samspil_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"} 1"
        ),
        "{text}"
    );
}

/// Answers of many simultaneous requests: how many were checked (401)
/// and how many refused by the throttle (429).
fn tally(statuses: &[StatusCode]) -> (u32, u32) {
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, statuses.len(), "{statuses:?}");
    (checked as u32, refused as u32)
}

async fn failures(app: &TestApp, key: &str) -> u32 {
    app.storage
        .login_failures(key)
        .await
        .expect("storage answers")
        .map_or(0, |record| record.failures)
}

/// The free attempts, and one more: the attempts are stamped to whole
/// seconds, so a burst that spans a second's turn may see the one-second
/// wait after the free attempts already over.
const AT_MOST_CHECKED: u32 = FREE_ATTEMPTS + 1;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_simultaneous_wrong_passwords_check_at_most_the_free_attempts() {
    let app = TestApp::start().await;
    let mut browsers = Vec::new();
    for _ in 0..60 {
        let browser = app.browser();
        let token = browser.csrf_token("/login").await;
        browsers.push((browser, token));
    }
    let mut requests = tokio::task::JoinSet::new();
    for (browser, token) in browsers {
        requests.spawn(async move {
            browser
                .post_form(
                    "/login",
                    &[
                        ("login", "user-751"),
                        ("password", "forkert"),
                        ("csrf_token", &token),
                    ],
                )
                .await
                .status()
        });
    }
    let statuses = requests.join_all().await;
    let (checked, _refused) = tally(&statuses);
    assert!(
        checked <= AT_MOST_CHECKED,
        "{checked} of 60 passwords were checked"
    );
    assert_eq!(failures(&app, "user-751").await, checked);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_simultaneous_wrong_codes_check_at_most_the_free_attempts() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let response = browser.password_step("staff", DEMO_PASSWORD).await;
    assert_eq!(location(&response).as_deref(), Some("/login/kode"));
    let token = browser.csrf_token("/login/kode").await;
    let browser = Arc::new(browser);
    let wrong = crate::totp::wrong_code(DEMO_TOTP_SECRET);
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..60 {
        let browser = browser.clone();
        let (token, wrong) = (token.clone(), wrong.clone());
        requests.spawn(async move {
            browser
                .post_form("/login/kode", &[("code", &wrong), ("csrf_token", &token)])
                .await
                .status()
        });
    }
    let statuses = requests.join_all().await;
    let (checked, _refused) = tally(&statuses);
    assert!(
        checked <= AT_MOST_CHECKED,
        "{checked} of 60 codes were checked"
    );
    assert_eq!(failures(&app, "staff").await, checked);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_that_never_finish_their_headers_are_closed_while_others_are_served() {
    let timeout = Duration::from_secs(1);
    let app = TestApp::start_serving(
        WebConfig::default(),
        HttpOptions {
            header_read_timeout: timeout,
        },
    )
    .await;
    let opened = Instant::now();
    let mut stalled = Vec::new();
    for _ in 0..300 {
        let mut stream = tokio::net::TcpStream::connect(app.address)
            .await
            .expect("connects");
        stream.write_all(b"GET /healthz HT").await.expect("sent");
        stalled.push(stream);
    }
    let health = tokio::time::timeout(timeout * 3, app.anonymous_api().get_json("/healthz"))
        .await
        .expect("/healthz answers while the stalled connections are open");
    assert_eq!(health.0, StatusCode::OK);

    // The server closes each one (perhaps after a 408) once the timeout
    // has passed; before the fix they stayed open.
    let deadline = tokio::time::Instant::from_std(opened + timeout * 5);
    for (n, mut stream) in stalled.into_iter().enumerate() {
        let mut answer = Vec::new();
        let read = tokio::time::timeout_at(deadline, stream.read_to_end(&mut answer)).await;
        assert!(read.is_ok(), "stalled connection {n} is still open");
        if n == 0 {
            assert!(opened.elapsed() >= timeout, "closed before the timeout");
        }
    }
    let (status, _) = app.anonymous_api().get_json("/healthz").await;
    assert_eq!(status, StatusCode::OK);
}

fn small_address_limit() -> WebConfig {
    WebConfig {
        login_address_limit: AddressLimit {
            failures: 8,
            window: time::Duration::minutes(15),
        },
        ..Default::default()
    }
}

#[tokio::test]
async fn one_address_may_fail_its_limit_across_logins_and_right_passwords_do_not_count() {
    let app = TestApp::start_with(small_address_limit()).await;
    // Many people behind one address log in rightly: no failure counts.
    for _ in 0..12 {
        let response = app.browser().log_in("user-751", DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    // Wrong passwords for different logins, each far from its own limit.
    for n in 0..8 {
        let response = app.browser().log_in(&format!("gaet-{n}"), "forkert").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "guess {n}");
    }
    // Then the address waits, even with another login's right password.
    let response = app.browser().log_in("admin-751", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = response.headers()[RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=15 * 60).contains(&retry), "{retry}");
    let page = response.text().await.expect("page");
    assert!(page.contains("fra dit netværk"), "{page}");
    assert_eq!(failures(&app, "admin-751").await, 0, "nothing was checked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_simultaneous_wrong_passwords_from_one_address_check_at_most_its_limit() {
    let app = TestApp::start_with(small_address_limit()).await;
    let mut browsers = Vec::new();
    for _ in 0..60 {
        let browser = app.browser();
        let token = browser.csrf_token("/login").await;
        browsers.push((browser, token));
    }
    let mut requests = tokio::task::JoinSet::new();
    for (n, (browser, token)) in browsers.into_iter().enumerate() {
        requests.spawn(async move {
            let login = format!("gaet-{n}");
            browser
                .post_form(
                    "/login",
                    &[
                        ("login", login.as_str()),
                        ("password", "forkert"),
                        ("csrf_token", &token),
                    ],
                )
                .await
                .status()
        });
    }
    let statuses = requests.join_all().await;
    let (checked, _refused) = tally(&statuses);
    assert!(checked <= 8, "{checked} of 60 passwords were checked");
}
