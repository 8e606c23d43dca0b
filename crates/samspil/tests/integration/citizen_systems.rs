//! The vendor systems of the citizen indexes (issue 15, step 1): staff
//! register a system and the municipalities it delivers for, a
//! municipality's administrator approves it, the system authenticates
//! with a credential of its own (rotated with an overlap, revoked at
//! once), and nobody else sees or changes what is not theirs.

use reqwest::StatusCode;
use samspil_citizen_storage::SystemId;

use crate::cli::{run, samspil};
use crate::harness::{Browser, TestApp};

const FASIT: &str = "1f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11";

/// What the system door answers to this credential.
async fn system_door(app: &TestApp, credential: &str) -> (StatusCode, serde_json::Value) {
    let response = reqwest::Client::new()
        .get(app.url("/api/v1/borger/system"))
        .bearer_auth(credential)
        .send()
        .await
        .expect("answered");
    let status = response.status();
    (status, response.json().await.expect("JSON"))
}

/// Posts a page form with the CSRF token of the page at `page`.
async fn post(
    browser: &Browser,
    page: &str,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let token = browser.csrf_token(page).await;
    let mut fields = form.to_vec();
    fields.push(("csrf_token", &token));
    browser.post_form(path, &fields).await
}

/// The value of the read-only field that shows a new credential once.
fn shown_credential(html: &str) -> String {
    let field = html
        .find("id=\"new-credential\"")
        .expect("the new credential is shown");
    let marker = "value=\"";
    let start = html[field..].find(marker).expect("a value") + field + marker.len();
    let end = html[start..].find('"').expect("quoted") + start;
    html[start..end].to_owned()
}

/// Staff register Fasit for Aarhus through the pages and issue its
/// credential; returns the system's id and the credential.
async fn register_fasit(app: &TestApp, staff: &Browser) -> (i64, String) {
    let response = post(
        staff,
        "/borger/systemer",
        "/borger/systemer",
        &[
            ("it_system_uuid", FASIT),
            ("name", "Fasit"),
            ("vendor", "Schultz"),
            ("kind", "case"),
            ("mode", "strict"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"]
        .to_str()
        .expect("text")
        .to_owned();
    let id: i64 = location
        .trim_start_matches("/borger/systemer/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"));
    let page = format!("/borger/systemer/{id}");
    let response = post(
        staff,
        &page,
        &format!("{page}/kommuner"),
        &[("municipality", "751"), ("valid_from", "2026-01-01")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = post(
        staff,
        &page,
        &format!("{page}/noegler"),
        &[("overlap_hours", "0")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    let html = response.text().await.expect("text");
    let _ = app;
    (id, shown_credential(&html))
}

#[tokio::test]
async fn staff_register_a_system_and_only_its_municipality_approves_it() {
    let app = TestApp::start().await;
    let staff = app.signed_in("staff").await;
    let (id, credential) = register_fasit(&app, &staff).await;
    assert!(credential.starts_with("samspil_"), "{credential}");

    // The system sees its registration: Aarhus, not approved yet.
    let (status, body) = system_door(&app, &credential).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["it_system_uuid"], FASIT);
    assert_eq!(body["kind"], "case");
    assert_eq!(body["mode"], "strict");
    assert_eq!(
        body["municipalities"],
        serde_json::json!([{ "municipality_code": 751, "valid_from": "2026-01-01", "approved": false, "held": 0 }])
    );

    // Another municipality's administrator neither sees nor approves it;
    // a municipal user sees no systems at all; staff do not approve for a
    // municipality.
    let page = format!("/borger/systemer/{id}");
    let odense = app.signed_in("admin-461").await;
    let (status, html) = odense.get_text("/borger/systemer").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Fasit"), "Odense sees no Fasit");
    assert_eq!(odense.get(&page).await.status(), StatusCode::NOT_FOUND);
    let response = post(
        &odense,
        "/borger/systemer",
        &format!("{page}/kommuner/751/godkend"),
        &[],
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let user = app.signed_in("user-751").await;
    assert_eq!(
        user.get("/borger/systemer").await.status(),
        StatusCode::FORBIDDEN
    );
    let response = post(&staff, &page, &format!("{page}/kommuner/751/godkend"), &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (_, body) = system_door(&app, &credential).await;
    assert_eq!(body["municipalities"][0]["approved"], false);

    // Aarhus's administrator sees it waiting and approves it.
    let aarhus = app.signed_in("admin-751").await;
    let (status, html) = aarhus.get_text("/borger/systemer").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Fasit") && html.contains("afventer godkendelse"),
        "{html}"
    );
    let (status, html) = aarhus.get_text(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Godkend"), "the approve button is there");
    assert!(
        !html.contains("Nøgler"),
        "a municipality sees no credentials"
    );
    let response = post(&aarhus, &page, &format!("{page}/kommuner/751/godkend"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, body) = system_door(&app, &credential).await;
    assert_eq!(body["municipalities"][0]["approved"], true);
    let (_, html) = aarhus.get_text(&format!("{page}?done=approved")).await;
    assert!(
        html.contains("Systemet er godkendt for kommunen."),
        "{html}"
    );
    assert!(
        html.contains("Godkendt") && html.contains("admin-751"),
        "{html}"
    );

    // Every change is in the citizen store's audit log, with its actor.
    let audit = app
        .citizen
        .system_audit(SystemId(id))
        .await
        .expect("audit reads");
    let actions: Vec<(&str, &str)> = audit
        .iter()
        .rev()
        .map(|row| (row.action.as_str(), row.actor_label.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("vendor_system.register", "staff"),
            ("vendor_system.register_municipality", "staff"),
            ("vendor_system.issue_credential", "staff"),
            ("vendor_system.approve_municipality", "admin-751"),
        ]
    );
}

#[tokio::test]
async fn a_refused_registration_says_why_in_the_readers_language_and_changes_nothing() {
    let app = TestApp::start().await;
    let staff = app.signed_in("staff").await;
    register_fasit(&app, &staff).await;
    for (form, danish) in [
        (
            [
                ("it_system_uuid", "fasit"),
                ("name", "Fasit 2"),
                ("vendor", "Schultz"),
                ("kind", "case"),
            ],
            "Skriv systemets UUID som 32 hexadecimale cifre",
        ),
        (
            [
                ("it_system_uuid", FASIT),
                ("name", "Fasit 2"),
                ("vendor", "Schultz"),
                ("kind", "case"),
            ],
            "Der er allerede registreret et system med dette IT-system-UUID.",
        ),
        (
            [
                ("it_system_uuid", "2f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11"),
                ("name", " "),
                ("vendor", "Schultz"),
                ("kind", "case"),
            ],
            "Giv systemet et navn",
        ),
        (
            [
                ("it_system_uuid", "2f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11"),
                ("name", "X"),
                ("vendor", "Y"),
                ("kind", "sag"),
            ],
            "Vælg, hvad systemet leverer.",
        ),
    ] {
        let response = post(&staff, "/borger/systemer", "/borger/systemer", &form).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("text");
        assert!(html.contains(danish), "{danish}: {html}");
        assert!(html.contains("role=\"alert\""), "the refusal is announced");
    }
    assert_eq!(
        app.citizen.vendor_systems(None).await.expect("reads").len(),
        1
    );

    // A municipality that does not exist, a mistyped date, a second
    // registration for the same municipality: refused above the form.
    let id = app.citizen.vendor_systems(None).await.expect("reads")[0]
        .id
        .0;
    let page = format!("/borger/systemer/{id}");
    for (form, danish) in [
        (
            [("municipality", "999"), ("valid_from", "2026-01-01")],
            "Vælg en kommune.",
        ),
        (
            [("municipality", "461"), ("valid_from", "31.02.2026")],
            "er ikke en dato",
        ),
        (
            [("municipality", "751"), ("valid_from", "2026-01-01")],
            "Systemet er allerede registreret for den kommune.",
        ),
    ] {
        let response = post(&staff, &page, &format!("{page}/kommuner"), &form).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("text");
        assert!(html.contains(danish), "{danish}: {html}");
    }
    let response = post(
        &staff,
        &page,
        &format!("{page}/noegler"),
        &[("overlap_hours", "500")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(html.contains("fra 0 til 168"), "{html}");
    let system = app
        .citizen
        .vendor_system(SystemId(id))
        .await
        .expect("reads")
        .expect("exists");
    assert_eq!(system.municipalities.len(), 1);
    assert_eq!(
        app.citizen
            .credentials(SystemId(id))
            .await
            .expect("reads")
            .len(),
        1
    );

    // In English on request.
    staff
        .client
        .get(app.url("/sprog/en?next=/borger/systemer"))
        .send()
        .await
        .expect("answered");
    let response = post(
        &staff,
        "/borger/systemer",
        "/borger/systemer",
        &[
            ("it_system_uuid", "x"),
            ("name", "X"),
            ("vendor", "Y"),
            ("kind", "case"),
        ],
    )
    .await;
    let html = response.text().await.expect("text");
    assert!(
        html.contains("Write the system&#x27;s UUID") || html.contains("Write the system's UUID"),
        "{html}"
    );
}

#[tokio::test]
async fn a_rotation_overlaps_and_a_revocation_holds_at_once() {
    let app = TestApp::start().await;
    let staff = app.signed_in("staff").await;
    let (id, first) = register_fasit(&app, &staff).await;
    let page = format!("/borger/systemer/{id}");
    assert_eq!(system_door(&app, &first).await.0, StatusCode::OK);

    // A rotation with an overlap: both work until the overlap ends.
    let response = post(
        &staff,
        &page,
        &format!("{page}/noegler"),
        &[("overlap_hours", "2")],
    )
    .await;
    let second = shown_credential(&response.text().await.expect("text"));
    assert_ne!(first, second);
    assert_eq!(system_door(&app, &first).await.0, StatusCode::OK);
    assert_eq!(system_door(&app, &second).await.0, StatusCode::OK);
    let credentials = app.citizen.credentials(SystemId(id)).await.expect("reads");
    let old = credentials.last().expect("the first");
    let expires = old.expires_at.expect("the first now expires");
    let hours = (expires - samspil_storage::now()).whole_minutes();
    assert!(
        (115..=120).contains(&hours),
        "about two hours: {hours} minutes"
    );

    // A rotation without overlap stops every credential in use at once.
    let response = post(
        &staff,
        &page,
        &format!("{page}/noegler"),
        &[("overlap_hours", "0")],
    )
    .await;
    let third = shown_credential(&response.text().await.expect("text"));
    assert_eq!(system_door(&app, &first).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(system_door(&app, &second).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(system_door(&app, &third).await.0, StatusCode::OK);

    // Revoked: refused from the next request; the page says so.
    let newest = app.citizen.credentials(SystemId(id)).await.expect("reads")[0].id;
    let response = post(
        &staff,
        &page,
        &format!("{page}/noegler/{newest}/tilbagekald"),
        &[],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, body) = system_door(&app, &third).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["status"], 401, "a JSON error: {body}");
    let (_, html) = staff.get_text(&format!("{page}?done=revoked")).await;
    assert!(html.contains("Tilbagekaldt"), "{html}");

    // A person's API token does not open the system door, and a system's
    // credential opens nothing of the people's API.
    let person = samspil::create_token(app.storage.as_ref(), "admin-751", "test")
        .await
        .expect("token");
    assert_eq!(system_door(&app, &person).await.0, StatusCode::UNAUTHORIZED);
    let response = post(
        &staff,
        &page,
        &format!("{page}/noegler"),
        &[("overlap_hours", "0")],
    )
    .await;
    let fourth = shown_credential(&response.text().await.expect("text"));
    let response = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&fourth)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        reqwest::Client::new()
            .get(app.url("/api/v1/borger/system"))
            .send()
            .await
            .expect("answered")
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // Disabled: every credential is refused, and nothing more is issued.
    let response = post(&staff, &page, &format!("{page}/deaktiver"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(system_door(&app, &fourth).await.0, StatusCode::UNAUTHORIZED);
    let (_, html) = staff.get_text(&page).await;
    assert!(html.contains("Systemet er deaktiveret siden"), "{html}");
    assert!(
        !html.contains("Udsted nøglen"),
        "no new credential for a disabled system"
    );
}

#[tokio::test]
async fn the_command_line_adds_lists_rotates_and_disables_systems() {
    let app = TestApp::start().await;
    let (code, stdout, stderr) = run(samspil().args([
        "systems",
        "add",
        "--it-system-uuid",
        FASIT,
        "--name",
        "Fasit",
        "--vendor",
        "Schultz",
        "--kind",
        "case",
        "--mode",
        "report",
        "--municipality",
        "751",
        "--municipality",
        "101",
        "--from",
        "2026-01-01",
        "--database-url",
        &app.database_url,
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "only the credential: {stdout}");
    let credential = stdout.trim().to_owned();
    let (status, body) = system_door(&app, &credential).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["mode"], "report");
    assert_eq!(body["municipalities"].as_array().map(Vec::len), Some(2));

    let (code, stdout, stderr) =
        run(samspil().args(["systems", "list", "--database-url", &app.database_url]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Fasit") && stdout.contains("101 from 2026-01-01 (pending)"),
        "{stdout}"
    );

    // The same UUID twice, an unknown municipality, a mode that is none:
    // one sentence each, nothing registered.
    for (args, says) in [
        (vec!["--it-system-uuid", FASIT], "is registered already"),
        (
            vec![
                "--it-system-uuid",
                "3f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11",
                "--municipality",
                "998",
                "--from",
                "2026-01-01",
            ],
            "there is no municipality 998",
        ),
        (
            vec![
                "--it-system-uuid",
                "3f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11",
                "--mode",
                "lenient",
            ],
            "--mode",
        ),
    ] {
        let mut command = samspil();
        command.args([
            "systems", "add", "--name", "X", "--vendor", "Y", "--kind", "case",
        ]);
        command.args(&args);
        command.args(["--database-url", &app.database_url]);
        let (code, _, stderr) = run(&mut command);
        assert_ne!(code, 0);
        assert!(stderr.contains(says), "{says}: {stderr}");
    }
    assert_eq!(
        app.citizen.vendor_systems(None).await.expect("reads").len(),
        1
    );

    let id = app.citizen.vendor_systems(None).await.expect("reads")[0]
        .id
        .0
        .to_string();
    let (code, stdout, stderr) = run(samspil().args([
        "systems",
        "rotate",
        &id,
        "--overlap-hours",
        "0",
        "--database-url",
        &app.database_url,
    ]));
    assert_eq!(code, 0, "{stderr}");
    let rotated = stdout.trim().to_owned();
    assert_eq!(
        system_door(&app, &credential).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(system_door(&app, &rotated).await.0, StatusCode::OK);

    let (code, stdout, stderr) = run(samspil().args([
        "systems",
        "disable",
        &id,
        "--database-url",
        &app.database_url,
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("is disabled"), "{stdout}");
    assert_eq!(
        system_door(&app, &rotated).await.0,
        StatusCode::UNAUTHORIZED
    );
    let audit = app
        .citizen
        .system_audit(SystemId(id.parse().expect("id")))
        .await
        .expect("audit");
    assert!(audit.iter().all(|row| row.actor_label == "operator"));
    assert_eq!(
        audit.len(),
        6,
        "register, two municipalities, two credentials, disable"
    );
}
