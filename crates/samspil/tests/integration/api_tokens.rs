//! API tokens are listed, revoked and expire: on the command line
//! (`samspil token create|list|revoke`), on a person's own account page
//! (`/konto/api-noegler`), and at the bearer check, which refuses a revoked
//! or expired token at the very next request.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, LOCATION};
use samspil_domain::{OrgId, Principal, UserId};
use samspil_storage::{ApiToken, NewApiToken};
use serde_json::Value;
use time::Duration;

use crate::cli::{run, samspil};
use crate::harness::{TestApp, csrf_in};

const TOKENS: &str = "/konto/api-noegler";

async fn user_id(app: &TestApp, login: &str) -> UserId {
    app.user(login).await.id
}

async fn tokens_of(app: &TestApp, login: &str) -> Vec<ApiToken> {
    app.storage
        .api_tokens(user_id(app, login).await)
        .await
        .expect("storage answers")
}

/// A token issued to `login` with this label, and its id.
async fn issue(app: &TestApp, login: &str, label: &str) -> (String, i64) {
    let token = samspil::api_tokens::create(app.storage.as_ref(), login, label, None)
        .await
        .expect("token is issued");
    let id = tokens_of(app, login)
        .await
        .into_iter()
        .find(|t| t.label == label)
        .expect("listed")
        .id;
    (token, id)
}

/// The status and error body of an API call with this bearer token.
async fn api_call(app: &TestApp, token: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("answered");
    let status = response.status();
    (status, response.json().await.expect("JSON"))
}

fn assert_refused_in_the_api_shape(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["status"], 401, "{body}");
    assert_eq!(body["error"]["code"], "unauthenticated", "{body}");
}

async fn audit_actions(app: &TestApp, municipality: &str) -> Vec<(String, String)> {
    let org = OrgId(app.org_id(municipality).await);
    let access = Principal::operator().admin_access(org).expect("operator");
    app.storage
        .audit_entries(&access, 1000)
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.entity_type == "api_token")
        .map(|e| (e.action, e.entity_id))
        .collect()
}

fn cli(app: &TestApp, args: &[&str]) -> (i32, String, String) {
    let mut command = samspil();
    command
        .args(args)
        .args(["--database-url", &app.database_url]);
    run(&mut command)
}

#[tokio::test]
async fn token_list_shows_a_persons_tokens_and_never_their_secrets() {
    let app = TestApp::start().await;
    let (code, permanent, stderr) = cli(&app, &["token", "create", "--user", "admin-751"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, expiring, stderr) = cli(
        &app,
        &[
            "token",
            "create",
            "--user",
            "admin-751",
            "--label",
            "rapportering",
            "--expires-in-days",
            "30",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(expiring.lines().count(), 1, "only the token: {expiring}");
    let (status, _) = api_call(&app, expiring.trim()).await;
    assert_eq!(status, StatusCode::OK, "an expiring token works until then");
    issue(&app, "user-751", "kollegas-noegle").await;

    let (code, listed, stderr) = cli(&app, &["token", "list", "--user", "admin-751"]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 3, "a header and two tokens: {listed}");
    assert!(lines[0].starts_with("ID  LABEL"), "{listed}");
    let expires = (samspil_storage::now() + Duration::days(30))
        .date()
        .to_string();
    let rapportering = lines
        .iter()
        .find(|l| l.contains("rapportering"))
        .expect("listed");
    assert!(rapportering.contains(&expires), "{listed}");
    assert!(
        !rapportering.contains("never"),
        "used, and expires: {listed}"
    );
    assert!(rapportering.trim_end().ends_with("active"), "{listed}");
    let permanent_line = lines
        .iter()
        .find(|l| l.contains("command line"))
        .expect("listed");
    assert_eq!(
        permanent_line.matches("never").count(),
        2,
        "never expires, never used: {listed}"
    );
    for secret in [permanent.trim(), expiring.trim()] {
        assert!(!listed.contains(secret), "a secret in the list: {listed}");
        assert!(
            !listed.contains(&samspil_auth::digest(secret)),
            "a digest in the list: {listed}"
        );
    }
    assert!(!listed.contains("kollegas-noegle"), "{listed}");

    let (code, listed, _) = cli(&app, &["token", "list", "--user", "admin-461"]);
    assert_eq!(code, 0);
    assert_eq!(listed.trim(), "admin-461 has no API tokens.");
    let (code, _, stderr) = cli(&app, &["token", "list", "--user", "nobody"]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("there is no user with the login 'nobody'"),
        "{stderr}"
    );
}

#[tokio::test]
async fn token_create_refuses_an_expiry_out_of_range_and_issues_nothing() {
    let app = TestApp::start().await;
    for days in ["0", "366", "-3", "soon"] {
        let days = format!("--expires-in-days={days}");
        let (code, stdout, stderr) = cli(&app, &["token", "create", "--user", "admin-751", &days]);
        assert_ne!(code, 0, "{days}: {stdout}");
        assert!(stdout.is_empty(), "{days}: {stdout}");
        assert!(stderr.contains("--expires-in-days"), "{days}: {stderr}");
    }
    let (code, _, stderr) = cli(
        &app,
        &["token", "create", "--user", "admin-751", "--label", "  "],
    );
    assert_ne!(code, 0);
    assert!(stderr.contains("label"), "{stderr}");
    assert!(tokens_of(&app, "admin-751").await.is_empty());
}

#[tokio::test]
async fn token_revoke_refuses_the_token_at_the_next_request_and_is_audited() {
    let app = TestApp::start().await;
    let (token, id) = issue(&app, "admin-751", "ci").await;
    let (other, _) = issue(&app, "admin-751", "andet").await;
    let (status, _) = api_call(&app, &token).await;
    assert_eq!(status, StatusCode::OK);

    let (code, stdout, stderr) = cli(&app, &["token", "revoke", &id.to_string()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!("Token {id} (ci) of admin-751 is revoked")),
        "{stdout}"
    );
    let (status, body) = api_call(&app, &token).await;
    assert_refused_in_the_api_shape(status, &body);
    let (status, _) = api_call(&app, &other).await;
    assert_eq!(status, StatusCode::OK, "only that token is revoked");

    let (code, listed, _) = cli(&app, &["token", "list", "--user", "admin-751"]);
    assert_eq!(code, 0);
    let line = listed
        .lines()
        .find(|l| l.starts_with(&format!("{id} ")))
        .expect("listed");
    assert!(line.contains("revoked"), "{listed}");

    let (code, stdout, _) = cli(&app, &["token", "revoke", &id.to_string()]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("was revoked already; nothing changed"),
        "{stdout}"
    );
    let (code, _, stderr) = cli(&app, &["token", "revoke", "999999"]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("there is no API token with the id 999999"),
        "{stderr}"
    );
    let (code, _, _) = cli(&app, &["token", "revoke", "abc"]);
    assert_eq!(code, 2, "not an id");

    let actions = audit_actions(&app, "municipality-751").await;
    let id = id.to_string();
    assert!(
        actions.contains(&("api_token.create".into(), id.clone())),
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|(action, entity)| action == "api_token.revoke" && *entity == id)
            .count(),
        1,
        "revoked once, recorded once: {actions:?}"
    );
}

#[tokio::test]
async fn an_expired_token_is_refused_and_an_unexpired_one_accepted() {
    let app = TestApp::start().await;
    let user = user_id(&app, "user-751").await;
    let operator = Principal::operator().actor();
    let mut tokens = Vec::new();
    for (label, expires_in) in [("expired", -1), ("expiring", 3600)] {
        let token = samspil_auth::new_api_token();
        app.storage
            .create_api_token(
                &NewApiToken {
                    user_id: user,
                    token_hash: samspil_auth::digest(&token),
                    label: label.into(),
                    expires_at: Some(samspil_storage::now() + Duration::seconds(expires_in)),
                },
                &operator,
            )
            .await
            .expect("issued");
        tokens.push(token);
    }
    let (status, body) = api_call(&app, &tokens[0]).await;
    assert_refused_in_the_api_shape(status, &body);
    let (status, body) = api_call(&app, &tokens[1]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["login"], "user-751", "{body}");

    let listed = tokens_of(&app, "user-751").await;
    let expired = listed
        .iter()
        .find(|t| t.label == "expired")
        .expect("listed");
    assert!(
        expired.last_used_at.is_none(),
        "a refused token is not marked used"
    );
    let expiring = listed
        .iter()
        .find(|t| t.label == "expiring")
        .expect("listed");
    assert!(
        expiring.last_used_at.is_some(),
        "an accepted token is marked used"
    );
}

#[tokio::test]
async fn a_person_sees_and_revokes_their_own_tokens_on_the_page() {
    let app = TestApp::start().await;
    let (token, id) = issue(&app, "admin-751", "Rapport til direktionen").await;
    issue(&app, "user-751", "Kollegas nøgle").await;
    let browser = app.signed_in("admin-751").await;

    let (_, security) = browser.get_text("/konto/sikkerhed").await;
    assert!(
        security.contains("href=\"/konto/api-noegler\""),
        "{security}"
    );
    let (status, html) = browser.get_text(TOKENS).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<h1>API-nøgler</h1>"),
        "Danish by default: {html}"
    );
    assert!(html.contains("Rapport til direktionen"), "{html}");
    assert!(html.contains("Aktiv"), "{html}");
    assert!(
        !html.contains("Kollegas nøgle"),
        "someone else's token: {html}"
    );
    assert!(!html.contains(&token), "the secret is never shown again");

    let confirm = format!("{TOKENS}/{id}/tilbagekald");
    let (status, html) = browser.get_text(&confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Vil du tilbagekalde API-nøglen »Rapport til direktionen«?")
            || html.contains("Vil du tilbagekalde API-nøglen &quot;Rapport til direktionen&quot;?"),
        "{html}"
    );
    let csrf = csrf_in(&html).expect("the confirmation is a form");

    // Without the session's CSRF token nothing is revoked.
    let response = browser.post_form(&confirm, &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = browser
        .post_form(&confirm, &[("csrf_token", "forfalsket")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (status, _) = api_call(&app, &token).await;
    assert_eq!(status, StatusCode::OK, "still works");

    let response = browser.post_form(&confirm, &[("csrf_token", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers().get(LOCATION).expect("redirect"),
        "/konto/api-noegler?done=revoked"
    );
    let (status, body) = api_call(&app, &token).await;
    assert_refused_in_the_api_shape(status, &body);
    let (_, html) = browser.get_text(&format!("{TOKENS}?done=revoked")).await;
    assert!(html.contains("API-nøglen er tilbagekaldt."), "{html}");
    assert!(html.contains("Tilbagekaldt"), "{html}");
    assert!(
        audit_actions(&app, "municipality-751")
            .await
            .contains(&("api_token.revoke".into(), id.to_string()))
    );

    // In English when asked.
    browser.get("/sprog/en").await;
    let (_, html) = browser.get_text(TOKENS).await;
    assert!(html.contains("<h1>API tokens</h1>"), "{html}");
    assert!(html.contains("Revoked"), "{html}");
}

#[tokio::test]
async fn someone_elses_token_can_be_neither_seen_nor_revoked_on_the_page() {
    let app = TestApp::start().await;
    let (colleague, colleagues_id) = issue(&app, "user-751", "Kollegas nøgle").await;
    let (odense, odense_id) = issue(&app, "admin-461", "Odenses nøgle").await;
    let browser = app.signed_in("admin-751").await;
    let csrf = browser.csrf_token(TOKENS).await;
    for id in [colleagues_id, odense_id] {
        let path = format!("{TOKENS}/{id}/tilbagekald");
        let (status, html) = browser.get_text(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!html.contains("nøgle\""), "{html}");
        let response = browser.post_form(&path, &[("csrf_token", &csrf)]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for token in [&colleague, &odense] {
        let (status, _) = api_call(&app, token).await;
        assert_eq!(status, StatusCode::OK, "still works");
    }
    for (login, municipality) in [
        ("user-751", "municipality-751"),
        ("admin-461", "municipality-461"),
    ] {
        assert!(tokens_of(&app, login).await[0].revoked_at.is_none());
        assert!(
            !audit_actions(&app, municipality)
                .await
                .iter()
                .any(|(action, _)| action == "api_token.revoke")
        );
    }
    let response = browser
        .post_form(
            &format!("{TOKENS}/ikke-et-tal/tilbagekald"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert!(response.status().is_client_error(), "{}", response.status());
}

#[tokio::test]
async fn a_person_creates_a_token_on_the_page_and_sees_it_once() {
    let app = TestApp::start().await;
    let browser = app.signed_in("user-751").await;
    let (_, html) = browser.get_text(TOKENS).await;
    assert!(html.contains("Du har ingen API-nøgler."), "{html}");
    assert!(
        html.contains("value=\"90\""),
        "a default expiry is offered: {html}"
    );
    let csrf = csrf_in(&html).expect("a form");

    // Bad input is refused where it was typed and creates nothing.
    for (label, days, message) in [
        ("", "30", "Giv nøglen et navn"),
        ("Script", "0", "et helt tal fra 1 til 365"),
        ("Script", "366", "et helt tal fra 1 til 365"),
        ("Script", "om en uge", "et helt tal fra 1 til 365"),
        ("Script", "", "et helt tal fra 1 til 365"),
        ("to\nlinjer", "30", "Giv nøglen et navn"),
    ] {
        let response = browser
            .post_form(
                TOKENS,
                &[
                    ("csrf_token", &csrf),
                    ("label", label),
                    ("expires_in_days", days),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label} {days}"
        );
        let html = response.text().await.expect("text");
        assert!(html.contains(message), "{label} {days}: {html}");
        assert!(html.contains("id=\"form-error\""), "{html}");
    }
    assert!(tokens_of(&app, "user-751").await.is_empty());
    let response = browser
        .post_form(TOKENS, &[("label", "Script"), ("expires_in_days", "30")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "no CSRF token");
    assert!(tokens_of(&app, "user-751").await.is_empty());

    let response = browser
        .post_form(
            TOKENS,
            &[
                ("csrf_token", &csrf),
                ("label", "Ugentligt script"),
                ("expires_in_days", "7"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cache = response
        .headers()
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cache.contains("no-store"),
        "the secret stays out of caches: {cache}"
    );
    let html = response.text().await.expect("text");
    let start = html
        .find("value=\"samspil_")
        .expect("the new token is shown")
        + 7;
    let token = &html[start..start + html[start..].find('"').expect("end")];
    let (status, body) = api_call(&app, token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["login"], "user-751");

    let listed = tokens_of(&app, "user-751").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].label, "Ugentligt script");
    let expires = listed[0].expires_at.expect("a person's token expires");
    assert_eq!(expires - listed[0].created_at, Duration::days(7));
    let (_, html) = browser.get_text(TOKENS).await;
    assert!(!html.contains(token), "shown once only");
    assert!(html.contains("Ugentligt script"), "{html}");
    assert!(
        audit_actions(&app, "municipality-751")
            .await
            .contains(&("api_token.create".into(), listed[0].id.to_string()))
    );
}

#[tokio::test]
async fn the_token_page_needs_a_session() {
    let app = TestApp::start().await;
    let response = app.browser().get(TOKENS).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/login")),
        "{:?}",
        response.headers()
    );
}
