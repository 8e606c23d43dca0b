//! The second factor of local accounts (TOTP): required for community
//! staff, voluntary for municipal people, between the right password and
//! the session. Codes are computed here from the secrets with
//! `samspil_auth::totp`, as an authenticator app would.

use reqwest::StatusCode;
use reqwest::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use samspil::demo::{DEMO_PASSWORD, DEMO_TOTP_SECRET};
use samspil_auth::totp;
use samspil_domain::{OrgId, Principal, UserId};
use samspil_storage::NewPendingLogin;
use samspil_web::WebConfig;

use crate::harness::{Browser, TestApp, csrf_in};

fn location(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned)
}

fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, value)| value.to_owned())
        .expect("name=value")
}

async fn user_id(app: &TestApp, login: &str) -> UserId {
    app.user(login).await.id
}

async fn enrolled(app: &TestApp, login: &str) -> Option<String> {
    app.storage
        .totp_enrolment(user_id(app, login).await)
        .await
        .expect("storage answers")
        .map(|e| e.secret)
}

async fn failures(app: &TestApp, login: &str) -> u32 {
    app.storage
        .login_failures(login)
        .await
        .expect("storage answers")
        .map_or(0, |r| r.failures)
}

async fn is_signed_in(browser: &Browser) -> bool {
    browser.get("/").await.status() == StatusCode::OK
}

/// The code of `secret` for the current step plus `offset` steps.
fn code(secret: &str, offset: i64) -> String {
    let now = samspil_storage::now().unix_timestamp();
    totp::code_at(secret, now + offset * totp::STEP_SECONDS).expect("base32 secret")
}

/// Six digits that are no valid code of `secret` around now.
pub(crate) fn wrong_code(secret: &str) -> String {
    let valid: Vec<String> = (-2..=2).map(|offset| code(secret, offset)).collect();
    (0..)
        .map(|n: u32| format!("{:06}", (123_456 + n * 7_919) % 1_000_000))
        .find(|c| !valid.contains(c))
        .expect("a wrong code exists")
}

/// The key shown on an enrolment page, without the spaces between groups.
fn shown_secret(html: &str) -> String {
    let marker = "id=\"totp-secret\">";
    let start = html.find(marker).expect("the page shows the key") + marker.len();
    let end = html[start..].find('<').expect("closed") + start;
    html[start..end].replace(' ', "")
}

async fn audit_actions(app: &TestApp, org_key: &str) -> Vec<String> {
    let org = OrgId(app.org_id(org_key).await);
    let access = Principal::operator().read_access(org).expect("operator");
    app.storage
        .audit_entries(&access, 200)
        .await
        .expect("audit log")
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn staff_get_no_session_from_the_password_alone_and_one_with_the_right_code() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let response = browser.password_step("staff", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response).as_deref(), Some("/login/kode"));
    assert_eq!(set_cookie(&response, "samspil_session"), None);
    let pending = set_cookie(&response, "samspil_pending_login").expect("a pending cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=300"] {
        assert!(pending.contains(attribute), "{pending}");
    }
    assert!(
        !is_signed_in(&browser).await,
        "the password alone opens nothing"
    );

    let (status, html) = browser.get_text("/login/kode").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Indtast koden fra din godkendelses-app"),
        "{html}"
    );
    assert!(html.contains("autocomplete=\"one-time-code\""), "{html}");

    let response = browser.code_step(&browser.fresh_demo_code().await).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response).as_deref(), Some("/"));
    assert!(set_cookie(&response, "samspil_session").is_some());
    let removal = set_cookie(&response, "samspil_pending_login").expect("pending cookie removed");
    assert!(removal.contains("Max-Age=0"), "{removal}");
    assert!(is_signed_in(&browser).await);

    // The pending login is used up: its page sends the browser to /login.
    let response = browser.get("/login/kode").await;
    assert_eq!(location(&response).as_deref(), Some("/login"));
}

#[tokio::test]
async fn municipal_people_without_a_second_factor_log_in_with_the_password() {
    let app = TestApp::start().await;
    let response = app.browser().password_step("user-751", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response).as_deref(), Some("/"));
    assert!(set_cookie(&response, "samspil_session").is_some());
}

#[tokio::test]
async fn the_code_step_keeps_where_the_person_was_going_but_never_off_site() {
    let app = TestApp::start().await;
    for (next, expected) in [
        ("/organisationer", "/organisationer"),
        ("//evil.example/", "/"),
    ] {
        let browser = app.browser();
        let token = browser.csrf_token("/login").await;
        let response = browser
            .post_form(
                "/login",
                &[
                    ("login", "staff"),
                    ("password", DEMO_PASSWORD),
                    ("csrf_token", &token),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(location(&response).as_deref(), Some("/login/kode"));
        let response = browser.code_step(&browser.fresh_demo_code().await).await;
        assert_eq!(location(&response).as_deref(), Some(expected), "{next}");
    }
}

#[tokio::test]
async fn wrong_codes_are_refused_and_throttled_like_wrong_passwords() {
    let app = TestApp::start().await;
    let browser = app.browser();
    browser.password_step("staff", DEMO_PASSWORD).await;
    let wrong = wrong_code(DEMO_TOTP_SECRET);

    let response = browser.code_step(&wrong).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().await.expect("text");
    assert!(html.contains("Koden er forkert."), "{html}");
    assert!(html.contains("aria-invalid=\"true\""), "{html}");
    assert_eq!(failures(&app, "staff").await, 1);
    assert!(!is_signed_in(&browser).await);

    let response = browser.code_step("12 34").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("Skriv koden som 6 cifre.")
    );

    for _ in 0..3 {
        browser.code_step(&wrong).await;
    }
    assert_eq!(failures(&app, "staff").await, 5);
    // Now every attempt waits, the right code and the password step too.
    let response = browser.code_step(&code(DEMO_TOTP_SECRET, 0)).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().get(RETRY_AFTER).is_some());
    assert!(!is_signed_in(&browser).await);
    assert_eq!(
        app.browser()
            .password_step("staff", DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // The throttled code was not spent.
    let staff = user_id(&app, "staff").await;
    assert_eq!(
        app.storage
            .totp_enrolment(staff)
            .await
            .expect("storage")
            .expect("enrolled")
            .last_step,
        None
    );
}

#[tokio::test]
async fn a_code_is_accepted_once() {
    let app = TestApp::start().await;
    let first = app.browser();
    first.password_step("staff", DEMO_PASSWORD).await;
    let used = first.fresh_demo_code().await;
    assert_eq!(first.code_step(&used).await.status(), StatusCode::SEE_OTHER);

    let second = app.browser();
    second.password_step("staff", DEMO_PASSWORD).await;
    let response = second.code_step(&used).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("Koden er allerede brugt.")
    );
    assert!(!is_signed_in(&second).await);
}

#[tokio::test]
async fn two_browsers_racing_with_one_code_get_one_session() {
    let app = TestApp::start().await;
    let browsers: Vec<Browser> = (0..4).map(|_| app.browser()).collect();
    for browser in &browsers {
        browser.password_step("staff", DEMO_PASSWORD).await;
    }
    let code = browsers[0].fresh_demo_code().await;
    let mut racers = tokio::task::JoinSet::new();
    for browser in &browsers {
        let token = browser.csrf_token("/login/kode").await;
        let request = browser
            .client
            .post(app.url("/login/kode"))
            .form(&[("code", code.clone()), ("csrf_token", token)]);
        racers.spawn(async move { request.send().await.expect("answered").status() });
    }
    let statuses = racers.join_all().await;
    let sessions = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(sessions, 1, "{statuses:?}");
}

#[tokio::test]
async fn a_pending_login_belongs_to_the_browser_that_typed_the_password() {
    let app = TestApp::start().await;
    let victim = app.browser();
    let response = victim.password_step("staff", DEMO_PASSWORD).await;
    let pending = cookie_value(&set_cookie(&response, "samspil_pending_login").expect("cookie"));

    // Another browser, with its own login form, has no pending login.
    let other = app.browser();
    let response = other.get("/login/kode").await;
    assert_eq!(location(&response).as_deref(), Some("/login"));
    let token = other.csrf_token("/login").await;
    let response = other
        .post_form(
            "/login/kode",
            &[("code", &code(DEMO_TOTP_SECRET, 0)), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("Log ind igen.")
    );
    assert!(!is_signed_in(&other).await);

    // The pending id is no session, wherever it is put.
    let response = app
        .browser()
        .client
        .get(app.url("/"))
        .header("cookie", format!("samspil_session={pending}"))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(!is_signed_in(&victim).await);
    // And the victim's own login still completes.
    let response = victim.code_step(&victim.fresh_demo_code().await).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_expired_pending_login_is_refused_and_swept() {
    let app = TestApp::start().await;
    let staff = user_id(&app, "staff").await;
    app.storage
        .create_pending_login(&NewPendingLogin {
            id_hash: samspil_auth::digest("an-old-pending-login"),
            user_id: staff,
            next_path: "/".into(),
            enrolment_secret: None,
            expires_at: samspil_storage::now() - time::Duration::seconds(1),
        })
        .await
        .expect("stored");
    let browser = app.browser();
    let token = browser.csrf_token("/login").await;
    let response = browser
        .client
        .post(app.url("/login/kode"))
        .header(
            "cookie",
            format!("samspil_pending_login=an-old-pending-login; samspil_login_csrf={token}"),
        )
        .form(&[
            ("code", code(DEMO_TOTP_SECRET, 0).as_str()),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&response, "samspil_session").is_none());
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("Tiden til at indtaste koden er udløbet.")
    );
    assert_eq!(
        app.storage
            .delete_expired_pending_logins()
            .await
            .expect("swept"),
        1
    );
}

#[tokio::test]
async fn staff_without_a_second_factor_enrol_before_the_session_starts() {
    let app = TestApp::start().await;
    assert!(
        samspil::remove_second_factor(app.storage.as_ref(), "staff")
            .await
            .expect("operator reset")
    );
    assert_eq!(enrolled(&app, "staff").await, None);

    let browser = app.browser();
    let response = browser.password_step("staff", DEMO_PASSWORD).await;
    assert_eq!(location(&response).as_deref(), Some("/login/kode"));
    assert!(!is_signed_in(&browser).await);
    let (status, html) = browser.get_text("/login/kode").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Opsæt login med godkendelses-app"), "{html}");
    assert!(
        html.contains("<svg aria-hidden=\"true\""),
        "a QR code: {html}"
    );
    let secret = shown_secret(&html);
    assert_eq!(
        totp::base32_decode(&secret).map(|k| k.len()),
        Some(totp::SECRET_BYTES)
    );
    // The page shows the same secret until it is used.
    assert_eq!(
        shown_secret(&browser.get_text("/login/kode").await.1),
        secret
    );

    let response = browser.code_step(&wrong_code(&secret)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().await.expect("text");
    assert_eq!(shown_secret(&html), secret, "the same secret again");
    assert_eq!(enrolled(&app, "staff").await, None, "nothing saved");

    let response = browser.code_step(&code(&secret, 0)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(is_signed_in(&browser).await);
    assert_eq!(enrolled(&app, "staff").await, Some(secret.clone()));
    assert!(
        audit_actions(&app, "community")
            .await
            .contains(&"user.totp_enrolled".to_owned())
    );

    // From now on the login asks for a code of that secret.
    let next = app.browser();
    next.password_step("staff", DEMO_PASSWORD).await;
    let html = next.get_text("/login/kode").await.1;
    assert!(html.contains("Indtast koden fra din godkendelses-app"));
    assert!(
        !html.contains(&secret[..8]),
        "the secret is not shown again"
    );
    let response = next.code_step(&code(&secret, 1)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

/// The enrolment form of the account page: its secret and CSRF token.
async fn account_enrolment_form(browser: &Browser) -> (String, String) {
    let (status, html) = browser.get_text("/konto/sikkerhed").await;
    assert_eq!(status, StatusCode::OK);
    let marker = "name=\"secret\" value=\"";
    let start = html.find(marker).expect("an enrolment form") + marker.len();
    let end = html[start..].find('"').expect("closed") + start;
    let secret = html[start..end].to_owned();
    assert_eq!(shown_secret(&html), secret);
    (secret, csrf_in(&html).expect("csrf"))
}

#[tokio::test]
async fn municipal_people_may_add_and_remove_a_second_factor() {
    let app = TestApp::start().await;
    let browser = app.signed_in("admin-751").await;
    let (_, home) = browser.get_text("/").await;
    assert!(
        home.contains("href=\"/konto/sikkerhed\""),
        "linked from the header"
    );
    let (secret, token) = account_enrolment_form(&browser).await;

    // A wrong code, or a secret samspil did not make, changes nothing.
    let response = browser
        .post_form(
            "/konto/sikkerhed/tilmeld",
            &[
                ("secret", &secret),
                ("code", &wrong_code(&secret)),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("Koden er forkert.")
    );
    let response = browser
        .post_form(
            "/konto/sikkerhed/tilmeld",
            &[
                ("secret", "AAAA"),
                ("code", &code("AAAA", 0)),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(enrolled(&app, "admin-751").await, None);

    let response = browser
        .post_form(
            "/konto/sikkerhed/tilmeld",
            &[
                ("secret", &secret),
                ("code", &code(&secret, 0)),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response).as_deref(),
        Some("/konto/sikkerhed?done=enrolled")
    );
    assert_eq!(enrolled(&app, "admin-751").await, Some(secret.clone()));
    let (_, html) = browser.get_text("/konto/sikkerhed?done=enrolled").await;
    assert!(html.contains("Godkendelses-appen er tilføjet."), "{html}");
    assert!(html.contains("action=\"/konto/sikkerhed/fjern\""), "{html}");

    // Removal asks for a fresh code: the one that enrolled is spent.
    let response = browser
        .post_form(
            "/konto/sikkerhed/fjern",
            &[("code", &code(&secret, 0)), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("Koden er allerede brugt.")
    );
    assert!(enrolled(&app, "admin-751").await.is_some());
    let response = browser
        .post_form(
            "/konto/sikkerhed/fjern",
            &[("code", &code(&secret, 1)), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(
        location(&response).as_deref(),
        Some("/konto/sikkerhed?done=removed")
    );
    assert_eq!(enrolled(&app, "admin-751").await, None);

    let actions = audit_actions(&app, "municipality-751").await;
    assert!(
        actions.contains(&"user.totp_enrolled".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"user.totp_removed".to_owned()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_municipal_person_with_a_second_factor_is_asked_for_it_at_login() {
    let app = TestApp::start().await;
    let browser = app.signed_in("user-101").await;
    let (secret, token) = account_enrolment_form(&browser).await;
    let response = browser
        .post_form(
            "/konto/sikkerhed/tilmeld",
            &[
                ("secret", &secret),
                ("code", &code(&secret, 0)),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let next = app.browser();
    let response = next.password_step("user-101", DEMO_PASSWORD).await;
    assert_eq!(location(&response).as_deref(), Some("/login/kode"));
    assert!(!is_signed_in(&next).await);
    let response = next.code_step(&code(&secret, 1)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(is_signed_in(&next).await);
}

#[tokio::test]
async fn staff_cannot_remove_their_second_factor() {
    let app = TestApp::start().await;
    let browser = app.signed_in("staff").await;
    let (status, html) = browser.get_text("/konto/sikkerhed").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("kan ikke fjernes"), "{html}");
    assert!(!html.contains("/konto/sikkerhed/fjern"), "no removal form");
    let token = csrf_in(&html).expect("csrf");
    let response = browser
        .post_form(
            "/konto/sikkerhed/fjern",
            &[
                ("code", &browser.fresh_demo_code().await),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        enrolled(&app, "staff").await.as_deref(),
        Some(DEMO_TOTP_SECRET)
    );
}

#[tokio::test]
async fn behind_tls_the_pending_cookie_is_a_secure_host_cookie() {
    let app = TestApp::start_with(WebConfig {
        behind_tls: true,
        ..Default::default()
    })
    .await;
    let response = app.browser().password_step("staff", DEMO_PASSWORD).await;
    let cookie = set_cookie(&response, "__Host-samspil_pending_login").expect("a __Host- cookie");
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
}

#[tokio::test]
async fn the_second_factor_forms_need_the_csrf_token() {
    let app = TestApp::start().await;
    let browser = app.signed_in("admin-751").await;
    let (secret, _) = account_enrolment_form(&browser).await;
    let valid_code = code(&secret, 0);
    for token in ["", "forged"] {
        let response = browser
            .post_form(
                "/konto/sikkerhed/tilmeld",
                &[
                    ("secret", &secret),
                    ("code", &valid_code),
                    ("csrf_token", token),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(enrolled(&app, "admin-751").await, None);

    let pending = app.browser();
    pending.password_step("staff", DEMO_PASSWORD).await;
    let response = pending
        .post_form(
            "/login/kode",
            &[
                ("code", &code(DEMO_TOTP_SECRET, 0)),
                ("csrf_token", "forged"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(!is_signed_in(&pending).await);
}
