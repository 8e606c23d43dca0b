//! The security checks of issue 7 through the real HTTP interface: response
//! headers on every kind of answer, CSRF on every form, output escaping of
//! hostile text, session fixation and logout, and login throttling.

use std::sync::Arc;

use reqwest::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use reqwest::{Method, StatusCode};
use samspil::demo::DEMO_PASSWORD;
use samspil_web::WebConfig;
use serde_json::json;

use crate::harness::{Browser, TestApp, csrf_in};

const HOSTILE_TITLE: &str = "<script>alert('title')</script> & \"quoted\"";
const HOSTILE_DESCRIPTION: &str = "<img src=x onerror=alert('description')>";
const HOSTILE_CODE: &str = "\"><svg onload=alert(1)>";
const HOSTILE_COMMENT: &str = "</textarea><script>alert('comment')</script>";
const HOSTILE_PROMPT: &str = "<iframe src=javascript:alert('prompt')>";

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("header is ASCII"))
}

/// The headers every answer must carry, whatever produced it.
fn assert_security_headers(response: &reqwest::Response, what: &str, behind_tls: bool) {
    let csp = header(response, "content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"));
    let directive = |name: &str| {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{what}: CSP has no {name}: {csp}"))
    };
    for name in ["default-src", "script-src"] {
        let d = directive(name);
        assert!(
            !d.contains("'unsafe-inline'") && !d.contains("'unsafe-eval'") && !d.contains('*'),
            "{what}: {d}"
        );
    }
    assert_eq!(directive("script-src"), "script-src 'self'", "{what}");
    assert_eq!(
        directive("frame-ancestors"),
        "frame-ancestors 'none'",
        "{what}"
    );
    assert_eq!(directive("object-src"), "object-src 'none'", "{what}");
    assert_eq!(
        header(response, "x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(header(response, "x-frame-options"), Some("DENY"), "{what}");
    match behind_tls {
        false => assert_eq!(
            header(response, "strict-transport-security"),
            None,
            "{what}"
        ),
        true => {
            let hsts = header(response, "strict-transport-security")
                .unwrap_or_else(|| panic!("{what}: no HSTS behind TLS"));
            let max_age: u64 = hsts
                .split(';')
                .find_map(|p| p.trim().strip_prefix("max-age="))
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{what}: HSTS without max-age: {hsts}"));
            assert!(max_age >= 31_536_000, "{what}: HSTS for a year at least");
        }
    }
}

#[tokio::test]
async fn every_kind_of_answer_carries_the_security_headers() {
    for behind_tls in [false, true] {
        let app = TestApp::start_with(WebConfig {
            behind_tls,
            ..Default::default()
        })
        .await;
        samspil::demo::tasks::load(&app.stores())
            .await
            .expect("demo tasks load");
        let anonymous = app.browser();
        let signed_in = match behind_tls {
            // Behind TLS the session cookie is Secure: reqwest keeps it only
            // for https, so sign in by hand with the cookie header.
            false => Some(app.signed_in("staff").await),
            true => None,
        };
        let api = app.api_client("staff").await;
        let mut answers = vec![
            ("login page", anonymous.get("/login").await),
            ("redirect to login", anonymous.get("/opgaver").await),
            ("404 page", anonymous.get("/findes-ikke").await),
            ("static CSS", anonymous.get("/static/samspil.css").await),
            ("static JS", anonymous.get("/static/init.js").await),
            ("health", anonymous.get("/healthz").await),
            ("OpenAPI", anonymous.get("/api/v1/openapi.json").await),
            ("API 401", app.anonymous_api().get("/api/v1/me").await),
            ("API 200", api.get("/api/v1/tasks?limit=1").await),
            ("API 404", api.get("/api/v1/tasks/999999").await),
            (
                "CSRF refusal",
                anonymous.post_form("/login", &[("login", "x")]).await,
            ),
            (
                "405",
                anonymous
                    .client
                    .delete(app.url("/login"))
                    .send()
                    .await
                    .expect("answered"),
            ),
        ];
        if let Some(browser) = &signed_in {
            answers.push(("signed-in page", browser.get("/opgaver").await));
            answers.push(("status page", browser.get("/status").await));
            answers.push(("CSV export", browser.get("/status/eksport.csv").await));
        }
        for (what, response) in &answers {
            assert!(
                !response.status().is_server_error(),
                "{what}: {}",
                response.status()
            );
            assert_security_headers(response, what, behind_tls);
        }
    }
}

/// The forms a page shows, as `(action, has a CSRF token field)`.
fn forms_in(html: &str) -> Vec<(String, bool)> {
    html.split("<form")
        .skip(1)
        .map(|rest| {
            let tag_end = rest.find('>').unwrap_or(rest.len());
            let tag = &rest[..tag_end];
            let body = &rest[..rest.find("</form>").unwrap_or(rest.len())];
            let action = tag
                .split("action=\"")
                .nth(1)
                .and_then(|a| a.split('"').next())
                .unwrap_or("")
                .to_owned();
            let is_post = tag.contains("method=\"post\"");
            (action, !is_post || body.contains("name=\"csrf_token\""))
        })
        .collect()
}

/// Script and style only from files: the CSP would block anything inline,
/// so a page that had some would be broken as well as unsafe.
fn assert_no_inline_script_or_style(html: &str, page: &str) {
    for tag in html.split("<script").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        assert!(tag.contains("src="), "{page}: inline <script{tag}>");
    }
    assert!(!html.contains("<style"), "{page}: inline <style>");
    assert!(!html.contains(" style=\""), "{page}: a style attribute");
    for handler in [
        " onclick=",
        " onload=",
        " onerror=",
        " onsubmit=",
        " onchange=",
    ] {
        assert!(
            !html.contains(handler),
            "{page}: an inline{handler} handler"
        );
    }
    assert!(!html.contains("javascript:"), "{page}: a javascript: URL");
}

#[tokio::test]
async fn every_form_on_every_main_page_carries_a_csrf_token_and_no_page_has_inline_script() {
    let app = TestApp::start_with_roles().await;
    let soco = task_id_by_code(&app, "SoCo1").await;
    // A plain draft: the hostile one's (escaped) text would read as
    // handlers to the plain-text scan below.
    let (status, draft) = app
        .api_client("staff")
        .await
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({"project_id": app.coordination.projects().await.expect("projects")[0].id.0,
                   "title": "En kladde", "type": "critical"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    let draft = draft["id"].as_i64().expect("an id");
    let published = app
        .task_id("Etabler brugeradministration på KLIK")
        .await
        .to_string();
    let aarhus = app.org_id("municipality-751").await;

    let mut checked = 0;
    let anonymous = app.browser();
    let (_, html) = anonymous.get_text("/login").await;
    for (login, paths) in [
        (
            "staff",
            vec![
                "/".to_owned(),
                "/opgaver".to_owned(),
                "/opgaver/ny".to_owned(),
                format!("/opgaver/{draft}"),
                format!("/opgaver/{published}"),
                format!("/opgaver/{soco}"),
                "/status".to_owned(),
                "/status/fremdrift".to_owned(),
                "/organisationer".to_owned(),
                format!("/organisationer/{aarhus}"),
                "/konto/sikkerhed".to_owned(),
            ],
        ),
        (
            "admin-751",
            vec![
                "/".to_owned(),
                "/opgaver".to_owned(),
                format!("/opgaver/{published}"),
                format!("/opgaver/{soco}"),
                "/status".to_owned(),
                format!("/organisationer/{aarhus}"),
                "/konto/sikkerhed".to_owned(),
                "/konto/api-noegler".to_owned(),
            ],
        ),
    ] {
        let browser = app.signed_in(login).await;
        for path in paths {
            let (status, html) = browser.get_text(&path).await;
            assert_eq!(status, StatusCode::OK, "{login} {path}");
            assert_no_inline_script_or_style(&html, &path);
            for (action, protected) in forms_in(&html) {
                assert!(
                    protected,
                    "{login} {path}: the form to {action} has no CSRF token"
                );
                checked += 1;
            }
        }
    }
    assert_no_inline_script_or_style(&html, "/login");
    assert!(forms_in(&html).iter().all(|(_, protected)| *protected));
    // The second factor's page, between password and session.
    let pending = app.browser();
    pending.password_step("staff", DEMO_PASSWORD).await;
    let (status, html) = pending.get_text("/login/kode").await;
    assert_eq!(status, StatusCode::OK);
    assert_no_inline_script_or_style(&html, "/login/kode");
    assert!(forms_in(&html).iter().all(|(_, protected)| *protected));
    // The pages above hold the login, logout, search, status, answer,
    // comment, publish, close, change and new-task forms.
    assert!(checked >= 20, "only {checked} forms seen");
}

/// Every state-changing page route, with a body that would succeed with
/// the right token. None may act without it.
#[tokio::test]
async fn every_form_refuses_a_missing_wrong_or_foreign_csrf_token_and_changes_nothing() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.signed_in("staff").await;
    let aarhus = app.signed_in("admin-751").await;
    let other = app.signed_in("admin-751").await;
    let other_token = other.csrf_token("/").await;
    let draft = create_hostile_task(&app, false).await;
    let published = app.task_id("Etabler brugeradministration på KLIK").await;
    let project = app.coordination.projects().await.expect("projects")[0].id.0;
    let before = task_snapshot(&app, &staff, published, draft).await;

    type Case<'a> = (&'a Browser, String, Vec<(&'a str, String)>);
    let cases: Vec<Case> = vec![
        (&aarhus, "/logout".into(), vec![]),
        (
            &aarhus,
            format!("/opgaver/{published}/status"),
            vec![("status", "started".into())],
        ),
        (
            &aarhus,
            format!("/opgaver/{published}/svar"),
            vec![("q-1", "yes".into())],
        ),
        (
            &aarhus,
            format!("/opgaver/{published}/kommentarer"),
            vec![("body", "forged comment".into())],
        ),
        (
            &staff,
            "/opgaver/ny".into(),
            vec![
                ("project_id", project.to_string()),
                ("title", "forged task".into()),
                ("type", "critical".into()),
            ],
        ),
        (&staff, format!("/opgaver/{draft}/publicer"), vec![]),
        (&staff, format!("/opgaver/{published}/luk"), vec![]),
        (
            &staff,
            format!("/opgaver/{published}/aendr"),
            vec![
                ("type", "voluntary".into()),
                ("end", "2031-01-01".into()),
                ("reason", "forged".into()),
            ],
        ),
    ];
    for (browser, path, fields) in &cases {
        let own_token = browser.csrf_token("/").await;
        for (case, token) in [
            ("missing", None),
            ("wrong", Some("0".repeat(own_token.len()))),
            ("another session's", Some(other_token.clone())),
            ("empty", Some(String::new())),
        ] {
            let mut form: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            if let Some(token) = &token {
                form.push(("csrf_token", token));
            }
            let response = browser.post_form(path, &form).await;
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "POST {path} with a {case} token"
            );
        }
        // Nor through the header with a wrong value, or as JSON.
        let response = browser
            .client
            .post(app.url(path))
            .header("x-csrf-token", "forged")
            .form(
                &fields
                    .iter()
                    .map(|(k, v)| (*k, v.as_str()))
                    .collect::<Vec<_>>(),
            )
            .send()
            .await
            .expect("answered");
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "POST {path}, wrong header"
        );
        let response = browser
            .client
            .post(app.url(path))
            .json(&json!({ "csrf_token": own_token }))
            .send()
            .await
            .expect("answered");
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "POST {path} as JSON"
        );
    }

    assert_eq!(
        task_snapshot(&app, &staff, published, draft).await,
        before,
        "no refused request changed anything"
    );
    assert_eq!(
        aarhus.get("/").await.status(),
        StatusCode::OK,
        "still signed in"
    );

    // The same forms do work with the right token (so the refusals above
    // are the CSRF check's, not some other error's).
    let token = aarhus.csrf_token("/").await;
    let response = aarhus
        .post_form(
            &format!("/opgaver/{published}/kommentarer"),
            &[("csrf_token", &token), ("body", "real comment")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = aarhus
        .client
        .post(app.url(&format!("/opgaver/{published}/status")))
        .header("x-csrf-token", &token)
        .form(&[("status", "started")])
        .send()
        .await
        .expect("answered");
    assert_ne!(
        response.status(),
        StatusCode::FORBIDDEN,
        "the header works too"
    );
}

async fn task_id_by_code(app: &TestApp, code: &str) -> i64 {
    app.coordination
        .tasks(&samspil_coordination_storage::TaskFilter {
            include_drafts: true,
            limit: 5000,
            ..Default::default()
        })
        .await
        .expect("storage answers")
        .into_iter()
        .find(|t| t.code.as_deref() == Some(code))
        .unwrap_or_else(|| panic!("task {code} exists"))
        .id
        .0
}

/// Everything a refused request could have changed, as staff see it.
async fn task_snapshot(app: &TestApp, staff: &Browser, published: i64, draft: i64) -> String {
    let api = app.api_client("staff").await;
    let aarhus = app.org_id("municipality-751").await;
    let mut snapshot = String::new();
    for path in [
        format!("/api/v1/tasks/{published}"),
        format!("/api/v1/tasks/{draft}"),
        format!("/api/v1/tasks/{published}/status"),
        format!("/api/v1/tasks/{published}/municipalities/{aarhus}/comments"),
        format!("/api/v1/tasks/{published}/municipalities/{aarhus}/answers"),
        "/api/v1/tasks?limit=5000".to_owned(),
    ] {
        let (status, body) = api.get_json(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        snapshot.push_str(&body.to_string());
    }
    let (_, html) = staff.get_text("/opgaver?q=forged").await;
    assert!(!html.contains("forged task"));
    snapshot
}

/// A task whose every text is hostile, created through the API; published
/// to all municipalities when `publish`. Returns its id.
async fn create_hostile_task(app: &TestApp, publish: bool) -> i64 {
    let api = app.api_client("staff").await;
    let project = app.coordination.projects().await.expect("projects")[0].id.0;
    let (status, task) = api
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({
                "project_id": project,
                "code": HOSTILE_CODE,
                "title": HOSTILE_TITLE,
                "description": HOSTILE_DESCRIPTION,
                "type": "critical",
                "period_text": "<b>Uge 1</b>",
                "executor_role": "<u>IT</u>",
            }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{task}");
    let id = task["id"].as_i64().expect("an id");
    let (status, body) = api
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/questions"),
            json!({"prompt": HOSTILE_PROMPT, "kind": "single_choice",
                   "options": ["<b>a</b>", "\"b\" & 'c'"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    if publish {
        let (status, body) = api
            .send_json(
                Method::POST,
                &format!("/api/v1/tasks/{id}/publish"),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    id
}

/// No hostile markup arrives as markup; the title arrives as text.
fn assert_escaped(html: &str, page: &str) {
    for raw in [
        "<script>alert",
        "<img src=x",
        "<svg onload",
        "<iframe",
        "<b>a</b>",
        "<b>Uge 1</b>",
        "<u>IT</u>",
    ] {
        assert!(!html.contains(raw), "{page}: raw {raw:?} in the page");
    }
    assert!(
        html.contains("&lt;script&gt;alert(") || html.contains("&lt;script&gt;alert&#x28;"),
        "{page}: the title is shown as text"
    );
}

#[tokio::test]
async fn hostile_text_in_tasks_questions_and_comments_is_shown_as_text() {
    let app = TestApp::start_with_tasks().await;
    let id = create_hostile_task(&app, true).await;
    let code: String = url::form_urlencoded::byte_serialize(HOSTILE_CODE.as_bytes()).collect();

    let aarhus = app.signed_in("admin-751").await;
    let token = aarhus.csrf_token("/").await;
    let response = aarhus
        .post_form(
            &format!("/opgaver/{id}/kommentarer"),
            &[("csrf_token", &token), ("body", HOSTILE_COMMENT)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let staff = app.signed_in("staff").await;
    for (who, browser) in [("staff", &staff), ("admin-751", &aarhus)] {
        for path in [
            format!("/opgaver/{id}"),
            format!("/opgaver?q={code}"),
            format!("/status?q={code}"),
        ] {
            let (status, html) = browser.get_text(&path).await;
            assert_eq!(status, StatusCode::OK, "{who} {path}");
            assert_escaped(&html, &format!("{who} {path}"));
            assert!(
                !html.contains(HOSTILE_COMMENT),
                "{who} {path}: the comment is escaped"
            );
        }
    }
    let (_, html) = staff.get_text(&format!("/opgaver/{id}")).await;
    assert!(html.contains("&lt;&#x2f;textarea&gt;") || html.contains("&lt;/textarea&gt;"));
    // The chart on the status page is SVG put in verbatim: its labels too
    // must be escaped.
    let (_, html) = staff.get_text(&format!("/status?q={code}")).await;
    let chart = &html[html
        .find("<figure class=\"status-chart\"")
        .expect("a chart")..];
    let chart = &chart[..chart.find("</svg>").expect("the chart ends")];
    assert!(
        chart.contains("&lt;script&gt;"),
        "the chart names the task: {chart}"
    );
    assert!(!chart.contains("<script"));

    // Reflected input: the login form keeps what was typed.
    let browser = app.browser();
    let response = browser.log_in("\"><script>alert(1)</script>", "x").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().await.expect("text");
    assert!(!html.contains("<script>alert(1)"), "{html}");
    // And a search box keeps its query.
    let (_, html) = staff
        .get_text("/opgaver?q=%22%3E%3Cscript%3Ealert(2)%3C%2Fscript%3E")
        .await;
    assert!(!html.contains("<script>alert(2)"));
}

#[tokio::test]
async fn exports_guard_against_spreadsheet_formulas() {
    let app = TestApp::start_with_tasks().await;
    let api = app.api_client("staff").await;
    let project = app.coordination.projects().await.expect("projects")[0].id.0;
    let (status, task) = api
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({"project_id": project, "code": "FORMEL1",
                   "title": "=HYPERLINK(\"http://evil.example\";\"klik\")", "type": "critical"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{task}");
    let id = task["id"].as_i64().expect("id");
    api.send_json(
        Method::POST,
        &format!("/api/v1/tasks/{id}/publish"),
        json!({}),
    )
    .await;
    let staff = app.signed_in("staff").await;
    let response = staff.get("/status/eksport.csv?q=FORMEL1").await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.expect("text");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.lines()
            .flat_map(|l| l.split(';'))
            .any(|cell| cell.trim_matches('"').starts_with('=')),
        "{csv}"
    );
}

/// The value of the session cookie a response sets, if any.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response.headers().get_all(SET_COOKIE).iter().find_map(|c| {
        let (name, rest) = c.to_str().ok()?.split_once('=')?;
        (name.ends_with("samspil_session")).then(|| rest.split(';').next().unwrap_or("").to_owned())
    })
}

#[tokio::test]
async fn a_session_id_planted_before_login_is_replaced_and_never_signed_in() {
    let app = TestApp::start().await;
    let planted = "planted-by-an-attacker-0123456789abcdef";
    // The attacker's cookie is in the victim's browser before they log in.
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let url = app.url("/").parse().expect("url");
    jar.add_cookie_str(&format!("samspil_session={planted}; Path=/"), &url);
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let (_, html) = {
        let r = client
            .get(app.url("/login"))
            .send()
            .await
            .expect("answered");
        (r.status(), r.text().await.expect("text"))
    };
    let token = csrf_in(&html).expect("token");
    let response = client
        .post(app.url("/login"))
        .form(&[
            ("login", "admin-751"),
            ("password", DEMO_PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let fresh = session_cookie(&response).expect("login sets a session cookie");
    assert_ne!(fresh, planted);
    assert!(fresh.len() >= 32, "a long random id: {fresh}");

    // The victim is signed in with the new id …
    let response = client.get(app.url("/")).send().await.expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    // … and the attacker's planted id gives nothing.
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(app.url("/"))
        .header("cookie", format!("samspil_session={planted}"))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server_not_just_in_the_browser() {
    let app = TestApp::start().await;
    let browser = app.browser();
    let response = browser.log_in("user-751", DEMO_PASSWORD).await;
    let stolen = session_cookie(&response).expect("a session cookie");
    let with_stolen_cookie = || async {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .get(app.url("/opgaver"))
            .header("cookie", format!("samspil_session={stolen}"))
            .send()
            .await
            .expect("answered")
    };
    assert_eq!(with_stolen_cookie().await.status(), StatusCode::OK);

    let token = browser.csrf_token("/").await;
    let response = browser
        .post_form("/logout", &[("csrf_token", &token)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/login");
    let removal = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|c| c.to_str().expect("ascii").to_owned())
        .find(|c| c.starts_with("samspil_session="))
        .expect("logout removes the cookie");
    assert!(
        removal.starts_with("samspil_session=;") && removal.contains("Max-Age=0")
            || removal.contains("Expires=Thu, 01 Jan 1970"),
        "{removal}"
    );

    // Someone who kept a copy of the cookie is signed out too.
    let response = with_stolen_cookie().await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()[LOCATION]
            .to_str()
            .expect("ascii")
            .starts_with("/login")
    );
    // And the old session's CSRF token no longer opens any form.
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(app.url("/logout"))
        .header("cookie", format!("samspil_session={stolen}"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn session_cookies_do_not_open_the_api() {
    let app = TestApp::start().await;
    let browser = app.signed_in("staff").await;
    // The API takes bearer tokens only, so a cookie (which a browser would
    // send along with a forged request) is no credential there.
    let response = browser.get("/api/v1/me").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = browser
        .client
        .post(app.url("/api/v1/projects"))
        .json(&json!({"name": "forged"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_throttling_holds_across_clients_spellings_and_unknown_logins() {
    let app = TestApp::start().await;
    let free = samspil_domain::throttle::FREE_ATTEMPTS;
    let failures = |login: &'static str| {
        let storage = app.storage.clone();
        async move {
            storage
                .login_failures(login)
                .await
                .expect("storage answers")
                .map_or(0, |r| r.failures)
        }
    };
    // Each attempt from a fresh client (no cookies kept between them), and
    // the login spelled differently each time: the key is the login itself.
    let spellings = ["user-751", "USER-751", " User-751 ", "user-751\t"];
    for attempt in 0..free {
        let spelling = spellings[attempt as usize % spellings.len()];
        let response = app.browser().log_in(spelling, "forkert").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    assert_eq!(
        failures("user-751").await,
        free,
        "one key for every spelling"
    );
    // A login that does not exist counts exactly the same, so the answers
    // do not tell which logins exist.
    for _ in 0..free {
        let response = app.browser().log_in("findes-ikke-42", "forkert").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(failures("findes-ikke-42").await, free);

    // Three more failures make the wait 8 s (recorded directly, so that the
    // test does not depend on the clock's second turning over between two
    // requests).
    for login in ["user-751", "findes-ikke-42"] {
        for _ in 0..3 {
            app.storage
                .record_login_failure(login)
                .await
                .expect("storage answers");
        }
    }
    for login in ["User-751", "findes-ikke-42"] {
        let response = app.browser().log_in(login, DEMO_PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "{login} must wait, even with the right password"
        );
        let retry: i64 = header(&response, RETRY_AFTER.as_str())
            .expect("Retry-After")
            .parse()
            .expect("seconds");
        assert!((1..=8).contains(&retry), "{retry}");
        assert!(
            session_cookie(&response).is_none(),
            "no session while throttled"
        );
    }
    assert_eq!(
        failures("user-751").await,
        free + 3,
        "refused attempts are not even checked"
    );

    // Someone else logs in as usual, and that clears nothing for the
    // throttled login.
    assert_eq!(
        app.browser()
            .log_in("user-461", DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.browser()
            .log_in("user-751", DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}
