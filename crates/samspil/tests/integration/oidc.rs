//! Logging in through a municipality's identity provider, end to end
//! against a real OpenID Provider: `oidc-provider` (npm, OpenID-certified)
//! run by node from `tests/oidc/provider.mjs`. The test drives it like a
//! browser, following every redirect by hand: samspil → the provider's
//! authorize endpoint → its login interaction (where the test posts the
//! person's claims) → back to samspil's callback.
//!
//! `SAMSPIL_TEST_OIDC_NODE` names the node binary (`.ci/run` sets it after
//! `npm ci` in tests/oidc); without it these tests say why and return.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use samspil::directory_import::import_directory_file;
use samspil_domain::federation::{Cvr, RoleNames, TrustedMunicipality};
use samspil_domain::{AccessRole, MunicipalityCode, OrgId, Principal};
use samspil_web::WebConfig;
use samspil_web::login_oidc::{ClaimNames, OidcProviderConfig};
use time::macros::date;

use crate::harness::{Browser, TempDir, TestApp};

const AARHUS_CVR: &str = "55133018";
const ODENSE_CVR: &str = "35209115";
const ANNA_UUID: &str = "0b5c1d3e-7a51-4a8e-9d0a-aa0000000751";
const CLIENT_SECRET: &str = "samspil-test-secret";

/// The test OpenID Provider, stopped when dropped.
struct TestProvider {
    child: Child,
    issuer: String,
    // Kept open: node fails with EPIPE when it writes to a closed pipe.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the custom claims travel: in the ID token, or only in userinfo.
#[derive(Clone, Copy)]
enum ClaimsIn {
    IdToken,
    Userinfo,
}

fn node() -> Option<String> {
    match std::env::var("SAMSPIL_TEST_OIDC_NODE") {
        Ok(node) if !node.is_empty() => Some(node),
        _ => {
            eprintln!(
                "skipped: SAMSPIL_TEST_OIDC_NODE is not set (the node that runs tests/oidc/provider.mjs after `npm ci` in tests/oidc; .ci/run sets it)"
            );
            None
        }
    }
}

impl TestProvider {
    fn start(node: &str, redirect_uri: &str, claims_in: ClaimsIn) -> Self {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc");
        assert!(
            dir.join("node_modules/oidc-provider").exists(),
            "run `npm ci` in {} first",
            dir.display()
        );
        let mut child = Command::new(node)
            .arg("provider.mjs")
            .current_dir(&dir)
            .env("OIDC_REDIRECT_URI", redirect_uri)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env(
                "OIDC_CLAIMS_IN",
                match claims_in {
                    ClaimsIn::IdToken => "id_token",
                    ClaimsIn::Userinfo => "userinfo",
                },
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("the provider prints its issuer");
        let issuer = line
            .trim()
            .strip_prefix("issuer=")
            .unwrap_or_else(|| panic!("the provider printed '{line}'"))
            .to_owned();
        TestProvider {
            child,
            issuer,
            _stdout: stdout,
        }
    }
}

fn aarhus_provider(issuer: &str) -> OidcProviderConfig {
    OidcProviderConfig {
        id: "aarhus".into(),
        label: "Aarhus Kommune".into(),
        issuer: issuer.into(),
        client_id: "samspil".into(),
        client_secret: Some(CLIENT_SECRET.into()),
        municipalities: vec![TrustedMunicipality {
            code: MunicipalityCode::new(751).expect("valid"),
            cvr: Cvr::parse(AARHUS_CVR).expect("valid"),
        }],
        roles: RoleNames::default(),
        claims: ClaimNames {
            cvr: "cvr".into(),
            roles: "roles".into(),
            uuid: "uuid".into(),
            loa: "loa".into(),
        },
        scopes: vec!["email".into(), "profile".into(), "klik".into()],
        allow_insecure_http: false,
    }
}

/// samspil with Aarhus' provider, and Anna Andersen in Aarhus' directory
/// (an ordinary user until an identity provider says otherwise).
async fn setup(claims_in: ClaimsIn) -> Option<(TestApp, TestProvider)> {
    let node = node()?;
    let port = TestApp::bind().await;
    let public = format!("http://{}", port.address);
    let provider = TestProvider::start(&node, &format!("{public}/login/oidc/callback"), claims_in);
    let config = WebConfig {
        public_url: Some(url::Url::parse(&public).expect("valid")),
        oidc: vec![aarhus_provider(&provider.issuer)],
        ..Default::default()
    };
    let app = TestApp::start_bound(port, config).await;
    let dir = TempDir::new();
    let file = dir.path().join("aarhus.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"kind":"org_unit","uuid":"u-digi","name":"Digitalisering","validity":{"from":"2020-01-01","to":null}}"#.to_owned(),
            format!(
                r#"{{"kind":"employee","uuid":"{ANNA_UUID}","user_key":"anna","name":"Anna Andersen","email":"anna.andersen@aarhus.example","org_unit":"u-digi","validity":{{"from":"2021-01-01","to":null}}}}"#
            ),
        ]
        .join("\n"),
    )
    .expect("written");
    import_directory_file(
        app.storage.as_ref(),
        &file,
        "751",
        date!(2026 - 11 - 23),
        |_, _| {},
    )
    .await
    .expect("the directory imports");
    Some((app, provider))
}

/// The claims the test's person has at the provider.
struct Account<'a> {
    sub: &'a str,
    cvr: &'a str,
    roles: &'a str,
    uuid: &'a str,
    email: &'a str,
    /// The NSIS level as a `loa` claim.
    loa: &'a str,
}

impl Account<'_> {
    fn anna(roles: &str) -> Account<'_> {
        Account {
            sub: "anna-at-idp",
            cvr: AARHUS_CVR,
            roles,
            uuid: ANNA_UUID,
            email: "anna.andersen@aarhus.example",
            loa: "",
        }
    }
}

fn resolve(base: &str, location: &str) -> String {
    url::Url::parse(base)
        .and_then(|base| base.join(location))
        .expect("a valid Location")
        .to_string()
}

/// Starts a login at samspil and goes through the provider as `account`;
/// returns the callback URL the provider sends the browser back to, not
/// yet visited (so that tests can tamper with it or replay it).
async fn through_provider(app: &TestApp, browser: &Browser, account: &Account<'_>) -> String {
    let callback = app.url("/login/oidc/callback");
    let mut url = app.url("/login/oidc/aarhus?next=/opgaver");
    for _ in 0..10 {
        let response = browser.client.get(&url).send().await.expect("answered");
        if response.status().is_redirection() {
            let location = response.headers()["location"].to_str().expect("ascii");
            url = resolve(&url, location);
            if url.starts_with(&callback) {
                return url;
            }
            continue;
        }
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        assert!(
            url.contains("/interaction/"),
            "expected the login interaction, got {url}"
        );
        let response = browser
            .client
            .post(format!("{url}/login"))
            .form(&[
                ("sub", account.sub),
                ("cvr", account.cvr),
                ("roles", account.roles),
                ("uuid", account.uuid),
                ("email", account.email),
                ("name", "Anna Andersen"),
                ("loa", account.loa),
            ])
            .send()
            .await
            .expect("answered");
        assert!(
            response.status().is_redirection(),
            "login at the provider: {}",
            response.status()
        );
        url = resolve(
            &url,
            response.headers()["location"].to_str().expect("ascii"),
        );
    }
    panic!("the provider never sent the browser back to samspil");
}

async fn visit(browser: &Browser, url: &str) -> (StatusCode, Option<String>, String) {
    let response = browser.client.get(url).send().await.expect("answered");
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, location, response.text().await.expect("text"))
}

/// No session: the home page sends the browser to the login page.
async fn assert_signed_out(browser: &Browser) {
    let response = browser.get("/").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()["location"]
            .to_str()
            .expect("ascii")
            .starts_with("/login"),
        "no session"
    );
}

async fn anna(app: &TestApp) -> samspil_storage::User {
    let org = app.org_id("municipality-751").await;
    app.storage
        .users(
            &Principal::operator()
                .read_access(OrgId(org))
                .expect("operator"),
        )
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.display_name == "Anna Andersen")
        .expect("Anna is in the directory")
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    let org = app.org_id("municipality-751").await;
    app.storage
        .audit_entries(
            &Principal::operator()
                .read_access(OrgId(org))
                .expect("operator"),
            50,
        )
        .await
        .expect("audit")
        .into_iter()
        .map(|entry| entry.action)
        .collect()
}

#[tokio::test]
async fn an_aarhus_administrator_logs_in_as_the_directory_person_with_the_admin_role() {
    let Some((app, _provider)) = setup(ClaimsIn::IdToken).await else {
        return;
    };
    assert_eq!(anna(&app).await.role, AccessRole::User);
    let browser = app.browser();

    let login_page = browser.get_text("/login").await.1;
    assert!(
        login_page.contains("Log ind med din kommune"),
        "the login page offers the providers"
    );
    assert!(
        login_page.contains("href=\"/login/oidc/aarhus?next="),
        "{login_page}"
    );

    let callback = through_provider(
        &app,
        &browser,
        &Account::anna("KLIK-bruger,KLIK-administrator"),
    )
    .await;
    let (status, location, _) = visit(&browser, &callback).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/opgaver"),
        "back where the person was going"
    );

    let (status, home) = browser.get_text("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("Anna Andersen"),
        "signed in as the directory's person"
    );
    assert_eq!(
        anna(&app).await.role,
        AccessRole::Admin,
        "the provider's role decides"
    );
    let actions = audit_actions(&app).await;
    for action in [
        "user.role_changed_by_idp",
        "user.signed_in_idp",
        "session.login",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }

    // The state is spent: the same answer again gives nothing.
    let replay = app.browser();
    let (status, _, page) = visit(&replay, &callback).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("allerede brugt"), "{page}");
    assert_signed_out(&replay).await;
}

#[tokio::test]
async fn a_user_with_only_klik_bruger_gets_the_user_role_with_claims_from_userinfo() {
    let Some((app, _provider)) = setup(ClaimsIn::Userinfo).await else {
        return;
    };
    // Matched by e-mail alone: the demo's user-751 has no directory uuid.
    let browser = app.browser();
    let demo_email = app
        .storage
        .credentials(&samspil_domain::Login::parse("user-751").expect("valid"))
        .await
        .expect("storage")
        .expect("demo user")
        .user
        .email
        .expect("an e-mail");
    let shouted = demo_email.to_uppercase();
    let account = Account {
        sub: "user-751-at-idp",
        cvr: AARHUS_CVR,
        roles: "KLIK-bruger",
        uuid: "",
        email: &shouted,
        loa: "",
    };
    let callback = through_provider(&app, &browser, &account).await;
    let (status, _, _) = visit(&browser, &callback).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, home) = browser.get_text("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("user-751") || home.contains(&demo_email) || home.contains("Aarhus"),
        "signed in"
    );
    let user = app
        .storage
        .credentials(&samspil_domain::Login::parse("user-751").expect("valid"))
        .await
        .expect("storage")
        .expect("demo user")
        .user;
    assert_eq!(user.role, AccessRole::User);

    // An administrator whose provider now says only KLIK-bruger is one no more.
    let browser = app.browser();
    let callback = through_provider(&app, &browser, &Account::anna("KLIK-administrator")).await;
    assert_eq!(visit(&browser, &callback).await.0, StatusCode::SEE_OTHER);
    assert_eq!(anna(&app).await.role, AccessRole::Admin);
    let browser = app.browser();
    let callback = through_provider(&app, &browser, &Account::anna("KLIK-bruger")).await;
    assert_eq!(visit(&browser, &callback).await.0, StatusCode::SEE_OTHER);
    assert_eq!(anna(&app).await.role, AccessRole::User);
}

#[tokio::test]
async fn without_a_klik_role_the_page_names_the_role_and_aarhus_administrators() {
    let Some((app, _provider)) = setup(ClaimsIn::IdToken).await else {
        return;
    };
    let browser = app.browser();
    let callback = through_provider(&app, &browser, &Account::anna("Sagsbehandler")).await;
    let (status, _, page) = visit(&browser, &callback).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        page.contains("KLIK-bruger"),
        "names the role to use samspil"
    );
    assert!(
        page.contains("KLIK-administrator"),
        "names the role to administer"
    );
    assert!(
        page.contains("Fælleskommunal Adgangsstyring"),
        "says where it is granted"
    );
    assert!(page.contains("Aarhus Kommune"), "{page}");
    let org = app.org_id("municipality-751").await;
    let admins = app
        .storage
        .active_administrators(OrgId(org))
        .await
        .expect("storage");
    assert!(!admins.is_empty(), "the demo has administrators in Aarhus");
    for admin in &admins {
        assert!(
            page.contains(&admin.display_name),
            "lists {}",
            admin.display_name
        );
        if let Some(email) = &admin.email {
            assert!(page.contains(email), "with the e-mail {email}");
        }
    }
    assert_signed_out(&browser).await;
    assert_eq!(anna(&app).await.role, AccessRole::User, "nothing changed");
}

#[tokio::test]
async fn odense_from_aarhus_provider_and_people_outside_the_directory_are_refused() {
    let Some((app, _provider)) = setup(ClaimsIn::IdToken).await else {
        return;
    };

    let browser = app.browser();
    let odense = Account {
        cvr: ODENSE_CVR,
        ..Account::anna("KLIK-administrator")
    };
    let callback = through_provider(&app, &browser, &odense).await;
    let (status, _, page) = visit(&browser, &callback).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains(ODENSE_CVR), "{page}");
    assert_signed_out(&browser).await;

    let browser = app.browser();
    let stranger = Account {
        sub: "stranger",
        uuid: "9f0e0000-0000-4000-8000-000000000000",
        email: "stranger@aarhus.example",
        ..Account::anna("KLIK-bruger")
    };
    let callback = through_provider(&app, &browser, &stranger).await;
    let (status, _, page) = visit(&browser, &callback).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("organisationssystem"), "{page}");
    assert_signed_out(&browser).await;
    assert!(
        !audit_actions(&app)
            .await
            .iter()
            .any(|a| a == "user.signed_in_idp"),
        "no login recorded"
    );
}

#[tokio::test]
async fn a_wrong_browser_a_tampered_state_and_a_provider_error_give_no_session() {
    let Some((app, _provider)) = setup(ClaimsIn::IdToken).await else {
        return;
    };

    // Another browser presents the answer meant for the first one: refused,
    // and the state is spent, so the rightful browser cannot use it either.
    let rightful = app.browser();
    let callback = through_provider(&app, &rightful, &Account::anna("KLIK-bruger")).await;
    let thief = app.browser();
    let (status, _, page) = visit(&thief, &callback).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("anden browser"), "{page}");
    assert_signed_out(&thief).await;
    assert_eq!(visit(&rightful, &callback).await.0, StatusCode::BAD_REQUEST);
    assert_signed_out(&rightful).await;

    // A state samspil never issued.
    let browser = app.browser();
    let callback = through_provider(&app, &browser, &Account::anna("KLIK-bruger")).await;
    let mut tampered = url::Url::parse(&callback).expect("valid");
    let pairs: Vec<(String, String)> = tampered
        .query_pairs()
        .map(|(k, v)| match k.as_ref() {
            "state" => (k.into_owned(), format!("{v}x")),
            _ => (k.into_owned(), v.into_owned()),
        })
        .collect();
    tampered.query_pairs_mut().clear().extend_pairs(pairs);
    let (status, _, page) = visit(&browser, tampered.as_str()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("ukendt"), "{page}");
    assert_signed_out(&browser).await;

    // No state at all, and a made-up code.
    let (status, _, _) = visit(&browser, &app.url("/login/oidc/callback?code=abc")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The provider answers with an error instead of a code.
    let browser = app.browser();
    let callback = through_provider(&app, &browser, &Account::anna("KLIK-bruger")).await;
    let state = url::Url::parse(&callback)
        .expect("valid")
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .expect("a state");
    let denied = app.url(&format!(
        "/login/oidc/callback?error=access_denied&state={}",
        url::form_urlencoded::byte_serialize(state.as_bytes()).collect::<String>()
    ));
    let (status, _, page) = visit(&browser, &denied).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("afbrød"), "{page}");
    assert_signed_out(&browser).await;

    // The state the error spent cannot carry the real code afterwards.
    assert_eq!(visit(&browser, &callback).await.0, StatusCode::BAD_REQUEST);
    assert_signed_out(&browser).await;
}

#[tokio::test]
async fn a_provider_that_does_not_answer_gives_a_message_on_the_login_page() {
    // Needs no provider process: the issuer is a port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let issuer = format!("http://{}", closed.local_addr().expect("address"));
    drop(closed);
    let port = TestApp::bind().await;
    let public = format!("http://{}", port.address);
    let app = TestApp::start_bound(
        port,
        WebConfig {
            public_url: Some(url::Url::parse(&public).expect("valid")),
            oidc: vec![aarhus_provider(&issuer)],
            ..Default::default()
        },
    )
    .await;
    let browser = app.browser();
    let (status, page) = browser.get_text("/login/oidc/aarhus").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.contains("Aarhus Kommune svarer ikke lige nu"),
        "{page}"
    );
    assert!(page.contains("name=\"password\""), "still the login page");
    let (status, _) = browser.get_text("/login/oidc/odense").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an unknown provider");
    assert_signed_out(&browser).await;
}

/// The NSIS level an OpenID Connect login states in a `loa` claim is kept
/// with the session as SAML's is, and the NSIS page shows it; a value that
/// is no NSIS level gives none. (The ID token's `acr` is read first; the
/// test provider does not send one.)
#[tokio::test]
async fn the_nsis_level_of_an_oidc_login_shows_on_the_nsis_page() {
    let Some((app, _provider)) = setup(ClaimsIn::IdToken).await else {
        return;
    };
    for (loa, expected) in [
        (
            "https://data.gov.dk/concept/core/nsis/loa/Substantial",
            Some("Betydelig"),
        ),
        ("High", Some("Høj")),
        ("urn:example:gold", None),
    ] {
        let browser = app.browser();
        let account = Account {
            loa,
            ..Account::anna("KLIK-bruger")
        };
        let callback = through_provider(&app, &browser, &account).await;
        let (status, _, _) = visit(&browser, &callback).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, page) = browser.get_text("/vaerktoejer/nsis").await;
        assert_eq!(status, StatusCode::OK);
        match expected {
            Some(level) => assert!(
                page.contains(&format!("logget ind på NSIS-niveau {level}")),
                "{loa}: {page}"
            ),
            None => assert!(
                page.contains("Dit login har intet NSIS-niveau"),
                "{loa}: {page}"
            ),
        }
    }
}
