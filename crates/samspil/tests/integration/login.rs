use reqwest::StatusCode;
use reqwest::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use samspil::demo::DEMO_PASSWORD;
use samspil_web::WebConfig;

use crate::harness::TestApp;

#[tokio::test]
async fn the_login_page_is_danish_and_carries_a_csrf_token() {
    let app = TestApp::start().await;
    let (status, html) = app.browser().get_text("/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"da\""), "{html}");
    assert!(html.contains("name=\"csrf_token\""));
    assert!(html.contains("Adgangskode"));
}

#[tokio::test]
async fn pages_send_anonymous_visitors_to_the_login_with_a_way_back() {
    let app = TestApp::start().await;
    let response = app
        .browser()
        .get("/organisationer?region=Region%20Sj%C3%A6lland")
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()[LOCATION],
        "/login?next=%2Forganisationer%3Fregion%3DRegion%2520Sj%25C3%25A6lland"
    );
}

#[tokio::test]
async fn staff_administrators_and_users_log_in_and_out() {
    let app = TestApp::start().await;
    for (login, name_hint) in [
        ("staff", "Fællesskabet"),
        ("admin-751", "Aarhus"),
        ("user-461", "Odense"),
    ] {
        let browser = app.signed_in(login).await;
        let (status, html) = browser.get_text("/").await;
        assert_eq!(status, StatusCode::OK, "{login} sees the front page");
        assert!(html.contains(name_hint), "{login}'s organisation is shown");

        let token = crate::harness::csrf_in(&html).expect("the logout form has a CSRF token");
        let response = browser
            .post_form("/logout", &[("csrf_token", &token)])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/login");
        let response = browser.get("/").await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "{login} is signed out"
        );
    }
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_message_and_no_session() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let response = browser.log_in("admin-751", "forkert-kodeord").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response.headers().get_all(SET_COOKIE).iter().all(|c| !c
            .to_str()
            .unwrap_or_default()
            .starts_with("samspil_session=")),
        "no session cookie"
    );
    let html = response.text().await.expect("text");
    assert!(
        html.contains("Forkert brugernavn eller adgangskode."),
        "{html}"
    );
    assert!(
        html.contains("value=\"admin-751\""),
        "the typed login is kept"
    );
    assert_eq!(browser.get("/").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn unknown_and_malformed_logins_are_refused_like_wrong_passwords() {
    let app = TestApp::start().await;
    for login in ["nobody-here", "<script>", ""] {
        let response = app.browser().log_in(login, DEMO_PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "login {login:?}"
        );
    }
}

#[tokio::test]
async fn a_login_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::start().await;
    let browser = app.browser();
    browser.get("/login").await;
    let response = browser
        .post_form("/login", &[("login", "staff"), ("password", DEMO_PASSWORD)])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let html = response.text().await.expect("text");
    assert!(html.contains("Formularen er udløbet"), "{html}");
    assert_eq!(
        browser.get("/").await.status(),
        StatusCode::SEE_OTHER,
        "not signed in"
    );

    let forged = browser
        .post_form(
            "/login",
            &[
                ("login", "staff"),
                ("password", DEMO_PASSWORD),
                ("csrf_token", "forged"),
            ],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn forms_of_a_signed_in_person_need_the_sessions_token() {
    let app = TestApp::start().await;
    let browser = app.signed_in("user-751").await;
    let response = browser
        .post_form("/logout", &[("csrf_token", "not-the-token")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get("/").await.status(),
        StatusCode::OK,
        "still signed in"
    );
}

#[tokio::test]
async fn repeated_wrong_passwords_are_slowed_down() {
    let app = TestApp::start().await;
    let browser = app.browser();
    for attempt in 1..=samspil_domain::throttle::FREE_ATTEMPTS {
        let response = browser.log_in("user-101", "forkert-kodeord").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    // A few more failures recorded directly make the wait long (16 s)
    // enough that a slow machine cannot outlast it between two requests.
    for _ in 0..4 {
        app.storage
            .record_login_failure("user-101")
            .await
            .expect("recorded");
    }
    // Now even the right password must wait.
    let response = browser.log_in("user-101", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key(RETRY_AFTER));
    let html = response.text().await.expect("text");
    assert!(html.contains("For mange forkerte forsøg"), "{html}");
    // Other people are not affected.
    assert_eq!(
        browser.log_in("user-461", DEMO_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn every_login_gets_a_new_session_id_and_planted_ones_are_ignored() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let first =
        session_cookie(&browser.log_in("staff", DEMO_PASSWORD).await).expect("session cookie");
    let again = session_cookie(&app.browser().log_in("staff", DEMO_PASSWORD).await)
        .expect("session cookie");
    assert_ne!(first, again);
    assert_ne!(first, "planted-by-an-attacker");

    let response = app
        .browser()
        .client
        .get(app.url("/"))
        .header("cookie", "samspil_session=planted-by-an-attacker")
        .send()
        .await
        .expect("answered");
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "an unknown session id is no session"
    );
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response.headers().get_all(SET_COOKIE).iter().find_map(|c| {
        let c = c.to_str().ok()?;
        let value = c.split(';').next()?.split_once('=')?;
        (value.0.ends_with("samspil_session")).then(|| value.1.to_owned())
    })
}

#[tokio::test]
async fn session_cookies_are_httponly_samesite_and_secure_behind_tls() {
    let plain = TestApp::start().await;
    let response = plain.browser().log_in("user-751", DEMO_PASSWORD).await;
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|c| c.to_str().expect("ascii").to_owned())
        .find(|c| c.starts_with("samspil_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");

    let tls = TestApp::start_with(WebConfig {
        behind_tls: true,
        ..Default::default()
    })
    .await;
    let response = tls.browser().log_in("user-751", DEMO_PASSWORD).await;
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|c| c.to_str().expect("ascii").to_owned())
        .find(|c| c.starts_with("__Host-samspil_session="))
        .expect("a __Host- session cookie");
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/"),
        "{cookie}"
    );
}

#[tokio::test]
async fn sessions_live_in_the_database_not_in_the_process() {
    let app = TestApp::start().await;
    let response = app.browser().log_in("admin-461", DEMO_PASSWORD).await;
    let session = session_cookie(&response).expect("a session cookie");
    // A second instance on the same database knows the session.
    let listener = samspil::bind("127.0.0.1:0".parse().expect("address"))
        .await
        .expect("port");
    let second = listener.local_addr().expect("address");
    let router = samspil_web::app(app.storage.clone(), WebConfig::default());
    tokio::spawn(samspil::serve_http(
        listener,
        router,
        samspil::HttpOptions::default(),
        std::future::pending(),
    ));
    let response = reqwest::Client::new()
        .get(format!("http://{second}/"))
        .header("cookie", format!("samspil_session={session}"))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.expect("text").contains("Odense"));
}

#[tokio::test]
async fn after_login_the_person_returns_where_they_were_going_but_never_off_site() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let token = browser.csrf_token("/login").await;
    let response = browser
        .post_form(
            "/login",
            &[
                ("login", "user-751"),
                ("password", DEMO_PASSWORD),
                ("csrf_token", &token),
                ("next", "/organisationer"),
            ],
        )
        .await;
    assert_eq!(response.headers()[LOCATION], "/organisationer");

    let browser = app.browser();
    let token = browser.csrf_token("/login").await;
    let response = browser
        .post_form(
            "/login",
            &[
                ("login", "user-751"),
                ("password", DEMO_PASSWORD),
                ("csrf_token", &token),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(response.headers()[LOCATION], "/");
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let app = TestApp::start().await;
    let credentials = app
        .storage
        .credentials(&samspil_domain::Login::parse("staff").expect("login"))
        .await
        .expect("storage")
        .expect("staff exists");
    let hash = credentials.password_hash.expect("a password hash");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(DEMO_PASSWORD));
}
