//! Logging in through OIOSAML 3 end to end: samspil's AuthnRequest goes to
//! a real identity provider (pysaml2, which parses it against samspil's SP
//! metadata), whose signed response the browser posts to samspil's ACS.
//! `.ci/run` sets SAMSPIL_TEST_PYSAML2_PYTHON to a Python with pysaml2;
//! without it these tests say so and return. The response's own checks
//! (signature wrapping, audience, times …) are tested in `samspil-saml`.

use reqwest::StatusCode;
use samspil_domain::federation::RoleNames;
use samspil_domain::{AccessRole, Login, OrgId, Principal, UserType};
use samspil_storage::NewUser;
use samspil_web::WebConfig;
use samspil_web::login_saml::SamlProviderConfig;

use crate::harness::{Browser, TempDir, TestApp};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../platform/samspil-saml/tests/fixtures"
);
const IDP_ENTITY_ID: &str = "https://saml.test-idp.example/idp";
pub(crate) const AARHUS_CVR: &str = "55133018";

pub(crate) fn pysaml2() -> Option<String> {
    let python = std::env::var("SAMSPIL_TEST_PYSAML2_PYTHON").ok();
    if python.is_none() {
        eprintln!("SAMSPIL_TEST_PYSAML2_PYTHON is unset: skipping the SAML login test");
    }
    python
}

/// samspil with Aarhus' SAML provider and, in Aarhus' directory, the
/// person the test provider vouches for.
pub(crate) async fn start() -> TestApp {
    let port = TestApp::bind().await;
    let public = url::Url::parse(&format!("http://{}", port.address)).expect("url");
    let pem = std::fs::read_to_string(format!("{FIXTURES}/test-only-idp-cert.pem"))
        .expect("test certificate");
    let provider = SamlProviderConfig {
        id: "aarhus-saml".into(),
        label: "Aarhus Kommune (SAML)".into(),
        idp_entity_id: IDP_ENTITY_ID.into(),
        idp_sso_url: "https://saml.test-idp.example/sso".into(),
        idp_certificates: samspil_saml::SigningCertificate::from_pem(&pem).expect("certificate"),
        municipalities: vec![samspil_domain::federation::TrustedMunicipality {
            code: samspil_domain::MunicipalityCode::new(751).expect("code"),
            cvr: samspil_domain::federation::Cvr::parse(AARHUS_CVR).expect("cvr"),
        }],
        roles: RoleNames {
            admin: "http://klik.dk/roles/KLIK-administrator".into(),
            user: "http://klik.dk/roles/KLIK-bruger".into(),
        },
        clock_skew: time::Duration::minutes(2),
    };
    let app = TestApp::start_bound(
        port,
        WebConfig {
            public_url: Some(public),
            saml: vec![provider],
            ..Default::default()
        },
    )
    .await;
    let aarhus = OrgId(app.org_id("municipality-751").await);
    app.storage
        .create_user(
            &Principal::operator()
                .admin_access(aarhus)
                .expect("operator"),
            &NewUser {
                login: Login::parse("bo-hansen-751").expect("login"),
                display_name: "Bo Hansen".into(),
                email: Some("bo.hansen@test-kommune.dk".into()),
                phone: None,
                job_title: None,
                org_unit_id: None,
                role: AccessRole::User,
                user_type: UserType::Ordinary,
                password_hash: None,
            },
        )
        .await
        .expect("directory person");
    app
}

/// Starts a login at samspil: the identity provider's URL with the
/// AuthnRequest, and the RelayState in it.
pub(crate) async fn start_login(browser: &Browser) -> (String, String) {
    let response = browser.get("/login/saml/aarhus-saml?next=/opgaver").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(location.starts_with("https://saml.test-idp.example/sso?SAMLRequest="));
    let relay_state = url::Url::parse(&location)
        .expect("url")
        .query_pairs()
        .find(|(k, _)| k == "RelayState")
        .map(|(_, v)| v.into_owned())
        .expect("RelayState");
    (location, relay_state)
}

/// The identity provider's signed answer to that request, for a person
/// logging in as the organisation `cvr`, as the browser would post it.
pub(crate) async fn idp_answer(
    app: &TestApp,
    python: &str,
    redirect_url: &str,
    cvr: &str,
) -> String {
    let (status, metadata) = app.browser().get_text("/login/saml/metadata").await;
    assert_eq!(status, StatusCode::OK);
    let dir = TempDir::new();
    let metadata_file = dir.path().join("sp-metadata.xml");
    std::fs::write(&metadata_file, metadata).expect("write metadata");
    let output = std::process::Command::new(python)
        .arg(format!("{FIXTURES}/../pysaml2_idp.py"))
        .arg(redirect_url)
        .arg(&metadata_file)
        .arg(format!("{FIXTURES}/test-only-idp-key.pem"))
        .arg(format!("{FIXTURES}/test-only-idp-cert.pem"))
        .arg(IDP_ENTITY_ID)
        .arg("sha256")
        .arg(cvr)
        .output()
        .expect("run pysaml2");
    assert!(
        output.status.success(),
        "pysaml2: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("base64")
        .trim()
        .to_owned()
}

pub(crate) async fn post_answer(
    browser: &Browser,
    answer: &str,
    relay_state: &str,
) -> (StatusCode, String) {
    let response = browser
        .post_form(
            "/login/saml/acs",
            &[("SAMLResponse", answer), ("RelayState", relay_state)],
        )
        .await;
    let status = response.status();
    let text = match status {
        StatusCode::SEE_OTHER => response.headers()["location"]
            .to_str()
            .expect("ascii")
            .to_owned(),
        _ => response.text().await.expect("text"),
    };
    (status, text)
}

async fn signed_in_as(browser: &Browser) -> Option<String> {
    let (status, html) = browser.get_text("/").await;
    (status == StatusCode::OK && html.contains("Bo Hansen")).then_some(html)
}

#[tokio::test]
async fn a_municipal_administrator_logs_in_through_saml_once() {
    let Some(python) = pysaml2() else { return };
    let app = start().await;
    let browser = app.browser();
    let (redirect_url, relay_state) = start_login(&browser).await;
    let answer = idp_answer(&app, &python, &redirect_url, AARHUS_CVR).await;

    let (status, location) = post_answer(&browser, &answer, &relay_state).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    assert_eq!(location, "/opgaver");
    assert!(signed_in_as(&browser).await.is_some());
    // The privilege scoped to Aarhus' CVR makes Bo an administrator; the
    // KLIK-bruger privilege the list holds for another CVR does not count.
    let aarhus = OrgId(app.org_id("municipality-751").await);
    let access = Principal::operator()
        .admin_access(aarhus)
        .expect("operator");
    let bo = app
        .storage
        .users(&access)
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.login.as_str() == "bo-hansen-751")
        .expect("Bo");
    assert_eq!(bo.role, AccessRole::Admin);
    let audit = app.storage.audit_entries(&access, 50).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "user.signed_in_idp"));

    // The same answer again (a replay, or a second tab) is refused.
    let other = app.browser();
    let (status, _) = post_answer(&other, &answer, &relay_state).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(signed_in_as(&other).await.is_none());
}

#[tokio::test]
async fn saml_answers_that_do_not_fit_are_refused_without_a_session() {
    let Some(python) = pysaml2() else { return };
    let app = start().await;

    // Odense's people through Aarhus' provider.
    let browser = app.browser();
    let (redirect_url, relay_state) = start_login(&browser).await;
    let answer = idp_answer(&app, &python, &redirect_url, "29189846").await;
    let (status, html) = post_answer(&browser, &answer, &relay_state).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("29189846"), "{html}");
    assert!(signed_in_as(&browser).await.is_none());

    // An answer posted from another browser than the one that started.
    let browser = app.browser();
    let (redirect_url, relay_state) = start_login(&browser).await;
    let answer = idp_answer(&app, &python, &redirect_url, AARHUS_CVR).await;
    let stranger = app.browser();
    let (status, _) = post_answer(&stranger, &answer, &relay_state).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(signed_in_as(&stranger).await.is_none());

    // An answer changed after the provider signed it.
    let browser = app.browser();
    let (redirect_url, relay_state) = start_login(&browser).await;
    let answer = idp_answer(&app, &python, &redirect_url, AARHUS_CVR).await;
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let xml = String::from_utf8(engine.decode(&answer).expect("base64")).expect("xml");
    assert!(xml.contains("Bo Hansen"));
    let tampered = engine.encode(xml.replace("Bo Hansen", "Bo Hanson"));
    let (status, html) = post_answer(&browser, &tampered, &relay_state).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("kunne ikke godkendes"), "{html}");
    assert!(signed_in_as(&browser).await.is_none());

    // Nonsense and a missing RelayState are refusals, not errors.
    let browser = app.browser();
    let (status, _) = post_answer(&browser, "not base64 at all", "unknown").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let response = browser
        .post_form("/login/saml/acs", &[("SAMLResponse", "x")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_login_page_offers_the_saml_provider_and_the_metadata_names_the_acs() {
    let app = start().await;
    let (_, html) = app.browser().get_text("/login").await;
    assert!(
        html.contains("href=\"/login/saml/aarhus-saml?next="),
        "{html}"
    );
    assert!(html.contains("Aarhus Kommune (SAML)"));
    let (status, metadata) = app.browser().get_text("/login/saml/metadata").await;
    assert_eq!(status, StatusCode::OK);
    assert!(metadata.contains(&app.url("/login/saml/acs")), "{metadata}");
    assert_eq!(
        app.browser().get("/login/saml/ukendt").await.status(),
        StatusCode::NOT_FOUND
    );
}
