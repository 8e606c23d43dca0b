use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use samspil_web::WebConfig;

use crate::harness::TestApp;

#[tokio::test]
async fn health_answers_when_the_database_does() {
    let app = TestApp::start().await;
    let (status, body) = app.anonymous_api().get_json("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    let expected = if crate::harness::postgres_admin_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(body["database"], expected);
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let app = TestApp::start().await;
    app.browser().get("/login").await;
    let text = app
        .anonymous_api()
        .get("/metrics")
        .await
        .text()
        .await
        .expect("text");
    assert!(
        text.contains(
            "samspil_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("samspil_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn metrics_can_require_a_token() {
    let app = TestApp::start_with(WebConfig {
        metrics_token: Some("prometheus-hemmelighed".into()),
        ..Default::default()
    })
    .await;
    let anonymous = app.anonymous_api().get("/metrics").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let wrong = reqwest::Client::new()
        .get(app.url("/metrics"))
        .bearer_auth("forkert")
        .send()
        .await
        .expect("answered");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let scraper = reqwest::Client::new()
        .get(app.url("/metrics"))
        .bearer_auth("prometheus-hemmelighed")
        .send()
        .await
        .expect("answered");
    assert_eq!(scraper.status(), StatusCode::OK);
    assert!(
        scraper
            .text()
            .await
            .expect("text")
            .contains("samspil_http_requests_total")
    );
}

#[tokio::test]
async fn responses_carry_security_headers_and_hsts_only_behind_tls() {
    let app = TestApp::start().await;
    let response = app.browser().get("/login").await;
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(!headers.contains_key("strict-transport-security"));

    let tls = TestApp::start_with(WebConfig {
        behind_tls: true,
        ..Default::default()
    })
    .await;
    let response = tls.browser().get("/login").await;
    assert!(
        response.headers()["strict-transport-security"]
            .to_str()
            .expect("ascii")
            .contains("max-age=")
    );
}

#[tokio::test]
async fn the_design_system_is_served_from_the_binary() {
    let app = TestApp::start().await;
    let (_, html) = app.browser().get_text("/login").await;
    let stylesheets: Vec<&str> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.ends_with(".css"))
        .collect();
    assert!(!stylesheets.is_empty(), "the page links stylesheets");
    for href in stylesheets {
        let response = app.browser().get(href).await;
        assert_eq!(response.status(), StatusCode::OK, "{href}");
        assert!(
            response.headers()[CONTENT_TYPE]
                .to_str()
                .expect("ascii")
                .starts_with("text/css")
        );
    }
    // The icon, so browsers do not ask for a /favicon.ico that is not there.
    let icon = html
        .split("rel=\"icon\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page names its icon");
    let response = app.browser().get(icon).await;
    assert_eq!(response.status(), StatusCode::OK, "{icon}");
    assert_eq!(response.headers()[CONTENT_TYPE], "image/svg+xml");
    assert_eq!(
        app.browser().get("/static/nope.css").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.browser().get("/static/../Cargo.toml").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn wrong_methods_and_paths_get_pages_not_bare_errors() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let response = browser
        .client
        .post(app.url("/healthz"))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(response.text().await.expect("text").contains("<html"));
    let (status, html) = browser.get_text("/findes-ikke").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Siden findes ikke"));
}
