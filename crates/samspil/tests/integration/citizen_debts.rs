//! Debts through the systems' JSON door (issue 15, debts): a claim's
//! delivery, update and read-back as registered, each refusal, idempotent
//! retries, a late older registration in history, a debtor system
//! confined to its kind, its municipalities and its own claims, the
//! claim types' configure → verify → open flow with its verification page
//! (the CPR number only ever in a POST body), the rule of what a citizen
//! sees, two changes of a claim type at once, and the removal on system
//! change — on both backends.

use reqwest::StatusCode;
use samspil_citizen_storage::{ClaimTypeOutcome, Reader};
use serde_json::{Value, json};

use crate::citizen_cases::{CPR, Door, FASIT, Mutation, rows_holding, system, system_of_kind};
use crate::harness::{Browser, TestApp};

const OPUS: &str = "5a3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11";
const PRISME: &str = "6a3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11";
const CLAIM: &str = "7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const OTHER_CLAIM: &str = "8a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const PAGE: &str = "/borger/fordringstyper";

/// A claim of KMD Opus Debitor's in Aarhus.
fn claim(uuid: &str, claim_type: &str, registered: &str, balance: i64) -> Value {
    json!({
        "uuid": uuid,
        "kommune": 751,
        "registreret": registered,
        "fordringstype": claim_type,
        "debitor": format!("urn:oio:cpr-nr:{CPR}"),
        "oprindeligt_beloeb": 1_250_000,
        "restbeloeb": balance,
        "forfaldsdato": "2026-03-01",
        "status": "afdragsordning",
        "debitorsystem": "KMD Opus Debitor",
        "virkning": { "fra": "2026-01-15T00:00:00Z" },
    })
}

async fn opus<'a>(app: &'a TestApp, mode: &str) -> Door<'a> {
    let (_, credential) = system_of_kind(app, OPUS, "opus", "debt", mode).await;
    Door { app, credential }
}

impl Door<'_> {
    async fn claims(
        &self,
        operation: &str,
        records: Vec<Value>,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::POST,
            &format!("/api/v1/borger/fordringer/{operation}"),
            Some(json!({ "records": records })),
            key,
        )
        .await
    }
}

fn first_violation(body: &Value) -> (String, String) {
    let v = &body["records"][0]["violations"][0];
    (
        v["pointer"].as_str().unwrap_or_default().to_owned(),
        v["rule"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn a_claim_is_delivered_updated_and_read_back_as_it_was_registered() {
    let app = TestApp::start().await;
    let door = opus(&app, "strict").await;
    let (status, body) = door
        .claims(
            "import",
            vec![claim(
                CLAIM,
                "boligstoette",
                "2026-02-01T10:00:00Z",
                1_000_050,
            )],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted");

    // The same batch again: the same answer, nothing changed; the same
    // key with another body is a conflict.
    let batch = vec![claim(
        CLAIM,
        "boligstoette",
        "2026-03-01T10:00:00Z",
        500_000,
    )];
    let (status, first) = door.claims("opdater", batch.clone(), Some("opus-1")).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (status, again) = door.claims("opdater", batch, Some("opus-1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, first);
    let (status, _) = door
        .claims(
            "opdater",
            vec![claim(CLAIM, "boligstoette", "2026-03-02T10:00:00Z", 1)],
            Some("opus-1"),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // A late older registration goes into history, not over the present.
    let (status, body) = door
        .claims(
            "opdater",
            vec![claim(
                CLAIM,
                "boligstoette",
                "2026-02-15T10:00:00Z",
                750_000,
            )],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let read = |query: &'static str| {
        let door = &door;
        async move {
            door.send(
                reqwest::Method::GET,
                &format!("/api/v1/borger/fordringer/{CLAIM}{query}"),
                None,
                None,
            )
            .await
        }
    };
    let (status, now) = read("").await;
    assert_eq!(status, StatusCode::OK, "{now}");
    assert_eq!(now["record"]["restbeloeb"], 500_000);
    assert_eq!(now["record"]["debitor"], format!("urn:oio:cpr-nr:{CPR}"));
    let (_, then) = read("?registreret=2026-02-20T00:00:00Z").await;
    assert_eq!(then["record"]["restbeloeb"], 750_000);
    let (_, first) = read("?registreret=2026-02-01T10:00:00Z").await;
    assert_eq!(first["record"]["restbeloeb"], 1_000_050);
    let (status, _) = read("?registreret=2026-01-01T00:00:00Z").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The system finds it by its debtor (in the body), and its log has
    // every batch.
    let (status, found) = door
        .send(
            reqwest::Method::POST,
            "/api/v1/borger/fordringer/soeg",
            Some(json!({ "debitor": format!("urn:oio:cpr-nr:{CPR}") })),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found[0]["uuid"], CLAIM);
    assert_eq!(found[0]["fordringstype"], "boligstoette");
    let (_, log) = door
        .send(
            reqwest::Method::GET,
            "/api/v1/borger/leverancer",
            None,
            None,
        )
        .await;
    assert_eq!(log.as_array().map(Vec::len), Some(3), "{log}");

    // The CPR number is nowhere in clear; the reads are logged.
    assert_eq!(
        rows_holding(&app, "claim_registrations", "debtor_sealed", CPR).await,
        0
    );
    assert_eq!(
        rows_holding(&app, "claim_registrations", "debtor_digest", CPR).await,
        0
    );
    assert!(rows_holding(&app, "citizen_access_log", "purpose", "own delivery").await >= 3);
}

#[tokio::test]
async fn a_broken_rule_refuses_the_whole_batch_at_its_field() {
    let app = TestApp::start().await;
    let door = opus(&app, "strict").await;
    let cases: Vec<(Mutation, &str, &str)> = vec![
        (
            Box::new(|c| c["restbeloeb"] = json!(10.5)),
            "/restbeloeb",
            "not_whole_oere",
        ),
        (
            Box::new(|c| c["oprindeligt_beloeb"] = json!("1000")),
            "/oprindeligt_beloeb",
            "not_whole_oere",
        ),
        (
            Box::new(|c| c["restbeloeb"] = json!(-1)),
            "/restbeloeb",
            "negative_amount",
        ),
        (
            Box::new(|c| c["fordringstype"] = json!("parkering")),
            "/fordringstype",
            "unknown_claim_type",
        ),
        (
            Box::new(|c| c["debitor"] = json!("urn:oio:cvr-nr:55133018")),
            "/debitor",
            "debtor_not_cpr",
        ),
        (
            Box::new(|c| c["status"] = json!("betalt")),
            "/restbeloeb",
            "paid_with_balance",
        ),
        (
            Box::new(|c| c["uuid"] = json!("ikke-en-uuid")),
            "/uuid",
            "not_a_uuid",
        ),
    ];
    for (change, pointer, rule) in cases {
        let mut bad = claim(OTHER_CLAIM, "pension", "2026-02-01T10:00:00Z", 100);
        change(&mut bad);
        let good = claim(CLAIM, "pension", "2026-02-01T10:00:00Z", 100);
        let (status, body) = door.claims("import", vec![good, bad], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{rule}: {body}");
        assert_eq!(body["records"][0]["status"], "not_written", "{body}");
        let v = &body["records"][1]["violations"][0];
        assert_eq!(
            (v["pointer"].as_str(), v["rule"].as_str()),
            (Some(pointer), Some(rule)),
            "{body}"
        );
        assert!(
            v["section"]
                .as_str()
                .is_some_and(|s| s.starts_with("Fordring")),
            "{body}"
        );
        assert!(
            !body.to_string().contains("10.5"),
            "the value is not echoed"
        );
    }
    assert_eq!(
        rows_holding(&app, "claims", "uuid", "-").await,
        0,
        "nothing written"
    );
    // An update of a claim that is not there, an import twice.
    let (_, body) = door
        .claims(
            "opdater",
            vec![claim(CLAIM, "pension", "2026-02-01T10:00:00Z", 1)],
            None,
        )
        .await;
    assert_eq!(first_violation(&body).1, "unknown_claim");
    door.claims(
        "import",
        vec![claim(CLAIM, "pension", "2026-02-01T10:00:00Z", 1)],
        None,
    )
    .await;
    let (_, body) = door
        .claims(
            "import",
            vec![claim(CLAIM, "pension", "2026-02-02T10:00:00Z", 1)],
            None,
        )
        .await;
    assert_eq!(first_violation(&body).1, "claim_exists");

    // Report mode accepts what is not fatal, and records it.
    let (_, credential) = system_of_kind(&app, PRISME, "prisme", "debt", "report").await;
    let prisme = Door {
        app: &app,
        credential,
    };
    let mut odd = claim(OTHER_CLAIM, "parkering", "2026-02-01T10:00:00Z", 1);
    odd["debitorsystem"] = json!("Fujitsu Prisme");
    let (status, body) = prisme.claims("import", vec![odd], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted_with_warnings");
    assert_eq!(
        first_violation(&body),
        ("/fordringstype".into(), "unknown_claim_type".into())
    );
    let mut fatal = claim(
        "9a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "pension",
        "2026-02-01T10:00:00Z",
        1,
    );
    fatal["restbeloeb"] = json!(1.5);
    let (status, _) = prisme.claims("import", vec![fatal], None).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a fatal rule refuses in report mode too"
    );
}

#[tokio::test]
async fn only_a_debtor_system_writes_claims_and_only_its_own_for_its_municipalities() {
    let app = TestApp::start().await;
    let door = opus(&app, "strict").await;
    // Odense waits for approval; Copenhagen never registered it.
    for (code, rule) in [
        (461, "municipality_not_approved"),
        (101, "municipality_not_registered"),
    ] {
        let mut record = claim(CLAIM, "pension", "2026-02-01T10:00:00Z", 1);
        record["kommune"] = json!(code);
        let (status, body) = door.claims("import", vec![record], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(first_violation(&body), ("/kommune".into(), rule.into()));
    }
    // A case system delivers no claims; a debtor system no cases.
    let (_, case_credential) = system(&app, FASIT, "fasit", "strict").await;
    let fasit = Door {
        app: &app,
        credential: case_credential,
    };
    let (status, body) = fasit
        .claims(
            "import",
            vec![claim(CLAIM, "pension", "2026-02-01T10:00:00Z", 1)],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(first_violation(&body).1, "wrong_kind");
    let (status, body) = door
        .import(vec![crate::citizen_cases::case(CLAIM, "KY-1", OPUS)], None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(first_violation(&body).1, "wrong_kind");

    // Another debtor system neither reads, finds, updates nor removes it.
    assert_eq!(
        door.claims(
            "import",
            vec![claim(CLAIM, "pension", "2026-02-01T10:00:00Z", 1)],
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    let (_, credential) = system_of_kind(&app, PRISME, "prisme", "debt", "strict").await;
    let prisme = Door {
        app: &app,
        credential,
    };
    let path = format!("/api/v1/borger/fordringer/{CLAIM}");
    assert_eq!(
        prisme.send(reqwest::Method::GET, &path, None, None).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, found) = prisme
        .send(
            reqwest::Method::POST,
            "/api/v1/borger/fordringer/soeg",
            Some(json!({ "kommune": 751 })),
            None,
        )
        .await;
    assert_eq!(found, json!([]));
    let (_, body) = prisme
        .claims(
            "opdater",
            vec![claim(CLAIM, "pension", "2026-03-01T10:00:00Z", 0)],
            None,
        )
        .await;
    assert_eq!(first_violation(&body).1, "not_this_systems_claim");
    let (_, removed) = prisme
        .send(
            reqwest::Method::POST,
            "/api/v1/borger/fordringer/fjern",
            Some(json!({ "uuids": [CLAIM] })),
            None,
        )
        .await;
    assert_eq!(removed["claims"], 0);
    assert_eq!(removed["unknown"], json!([CLAIM]));
    assert_eq!(
        door.send(reqwest::Method::GET, &path, None, None).await.0,
        StatusCode::OK
    );

    // Its own removal deletes it physically.
    let (status, removed) = door
        .send(
            reqwest::Method::POST,
            "/api/v1/borger/fordringer/fjern",
            Some(json!({ "uuids": [CLAIM] })),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{removed}");
    assert_eq!(
        (
            removed["claims"].as_u64(),
            removed["registrations"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(
        rows_holding(&app, "claim_registrations", "status", "").await,
        0
    );
}

/// Posts a change of a claim type from the page.
async fn change(
    browser: &Browser,
    claim_type: &str,
    action: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let token = browser.csrf_token(&format!("{PAGE}?kommune=751")).await;
    let mut form = vec![("kommune", "751"), ("csrf_token", token.as_str())];
    form.extend_from_slice(extra);
    browser
        .post_form(&format!("{PAGE}/{claim_type}/{action}"), &form)
        .await
}

fn reader() -> Reader {
    Reader {
        label: "test".into(),
        purpose: "the overview".into(),
    }
}

async fn visible(app: &TestApp) -> Vec<String> {
    app.citizen
        .claims_visible_to_citizen(CPR, samspil_storage::now(), &reader())
        .await
        .expect("reads")
        .into_iter()
        .map(|c| c.record.fordringstype)
        .collect()
}

#[tokio::test]
async fn a_claim_type_is_shown_only_once_configured_verified_and_opened() {
    let app = TestApp::start().await;
    let door = opus(&app, "strict").await;
    let (status, body) = door
        .claims(
            "import",
            vec![
                claim(CLAIM, "boligstoette", "2026-02-01T10:00:00Z", 1_000_050),
                claim(OTHER_CLAIM, "pension", "2026-02-01T10:00:00Z", 200),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        visible(&app).await,
        Vec::<String>::new(),
        "nothing is configured"
    );

    let aarhus = app.signed_in("admin-751").await;
    let (status, html) = aarhus.get_text(PAGE).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Boligstøtte") && html.contains("Ikke konfigureret"),
        "{html}"
    );

    // Open before verify: refused, in Danish, nothing changed.
    let response = change(&aarhus, "boligstoette", "configure", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = change(&aarhus, "boligstoette", "open", &[]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(
        html.contains(
            "Fordringstypen skal verificeres med verifikationen, før den kan åbnes for borgeren."
        ),
        "{html}"
    );
    assert!(
        html.contains("id=\"form-error\""),
        "the DKFDS error summary"
    );
    assert_eq!(visible(&app).await, Vec::<String>::new());

    // A mistyped date is refused at its field; a day that has passed too.
    change(&aarhus, "boligstoette", "verify", &[]).await;
    let response = change(
        &aarhus,
        "boligstoette",
        "open",
        &[("effective_from", "31.02.2026")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = change(
        &aarhus,
        "boligstoette",
        "open",
        &[("effective_from", "01.01.2020")],
    )
    .await;
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("Ændringen kan tidligst gælde fra i dag.")
    );
    assert_eq!(
        visible(&app).await,
        Vec::<String>::new(),
        "verified is not shown yet"
    );

    // Opened: shown; the other type still not. Closed: hidden again.
    let response = change(&aarhus, "boligstoette", "open", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(visible(&app).await, ["boligstoette"]);
    let (_, html) = aarhus
        .get_text(&format!("{PAGE}?kommune=751&done=opened"))
        .await;
    assert!(
        html.contains("Fordringstypen er åbnet for borgeren."),
        "{html}"
    );
    assert!(
        html.contains("Åben for borgeren fra"),
        "the history: {html}"
    );

    // Opened from a day to come: not shown until then.
    for action in ["configure", "verify"] {
        change(&aarhus, "pension", action, &[]).await;
    }
    let later = (samspil_storage::now().date() + time::Duration::days(10))
        .format(time::macros::format_description!("[day].[month].[year]"))
        .expect("formats");
    let response = change(&aarhus, "pension", "open", &[("effective_from", &later)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(visible(&app).await, ["boligstoette"]);
    let in_eleven_days = samspil_storage::now() + time::Duration::days(11);
    let then = app
        .citizen
        .claims_visible_to_citizen(CPR, in_eleven_days, &reader())
        .await
        .expect("reads");
    assert_eq!(then.len(), 2);

    change(&aarhus, "boligstoette", "close", &[]).await;
    assert_eq!(visible(&app).await, Vec::<String>::new());

    // Each change is audited with who and when.
    let types = app.citizen.claim_types(751).await.expect("reads");
    let boligstoette = types
        .iter()
        .find(|t| t.claim_type == "boligstoette")
        .expect("one of the four");
    let states: Vec<&str> = boligstoette
        .history
        .iter()
        .map(|c| c.state.as_str())
        .collect();
    assert_eq!(states, ["configured", "verified", "opened", "closed"]);
    assert!(
        boligstoette
            .history
            .iter()
            .all(|c| c.actor_label == "admin-751")
    );
    assert_eq!(
        rows_holding(&app, "citizen_audit", "action", "claim_type.").await,
        7
    );
    assert!(rows_holding(&app, "citizen_access_log", "purpose", "the overview").await >= 5);

    // A user who is no administrator is refused; another municipality's
    // administrator sees only its own.
    let user = app.signed_in("user-751").await;
    assert_eq!(user.get(PAGE).await.status(), StatusCode::FORBIDDEN);
    let odense = app.signed_in("admin-461").await;
    let (_, html) = odense.get_text(PAGE).await;
    assert!(
        html.contains("Ikke konfigureret") && !html.contains("Åben for borgeren fra"),
        "{html}"
    );
}

#[tokio::test]
async fn the_verification_page_shows_what_the_citizen_would_see_with_the_cpr_only_in_a_post_body() {
    let app = TestApp::start().await;
    let door = opus(&app, "strict").await;
    door.claims(
        "import",
        vec![claim(CLAIM, "barsel", "2026-02-01T10:00:00Z", 1_000_050)],
        None,
    )
    .await;
    let aarhus = app.signed_in("admin-751").await;
    let token = aarhus.csrf_token(PAGE).await;

    // A CPR number mistyped: said where it was typed.
    let response = aarhus
        .post_form(
            &format!("{PAGE}/verifikation"),
            &[("kommune", "751"), ("cpr", "0101"), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(
        html.contains("Skriv borgerens CPR-nummer med 10 cifre"),
        "{html}"
    );

    let typed = format!("{}-{}", &CPR[..6], &CPR[6..]);
    let response = aarhus
        .post_form(
            &format!("{PAGE}/verifikation"),
            &[("kommune", "751"), ("cpr", &typed), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        !response.url().as_str().contains(&CPR[..6]),
        "no CPR in the URL"
    );
    let cache = response.headers().get("cache-control").cloned();
    let html = response.text().await.expect("text");
    assert_eq!(
        cache.as_ref().and_then(|c| c.to_str().ok()),
        Some("private, no-store")
    );
    assert!(html.contains("Det vil borgeren se"), "{html}");
    assert!(
        html.contains("10.000,50 kr.") && html.contains("12.500,00 kr."),
        "{html}"
    );
    assert!(
        html.contains("Afdragsordning") && html.contains("KMD Opus Debitor"),
        "{html}"
    );
    assert!(
        html.contains("Borgeren ser ikke disse fordringer, før fordringstypen er åbnet."),
        "{html}"
    );
    // No address in the page carries the number (nor does the page
    // repeat it).
    for attribute in ["href=\"", "action=\"", "src=\""] {
        for (at, _) in html.match_indices(attribute) {
            let value = &html[at + attribute.len()..];
            let value = &value[..value.find('"').unwrap_or(0)];
            assert!(!value.contains(&CPR[..6]), "{value}");
        }
    }
    for number in [CPR, typed.as_str()] {
        let at = html.find(number);
        assert!(
            at.is_none(),
            "the number is not repeated: {}",
            &html[at.unwrap_or(0).saturating_sub(300)..at.unwrap_or(0) + 50]
        );
    }
    assert!(rows_holding(&app, "citizen_access_log", "purpose", "verification").await >= 1);

    // Staff choose the municipality; a user is refused.
    let staff = app.signed_in("staff").await;
    let (status, html) = staff.get_text(&format!("{PAGE}?kommune=751")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Gæld til pension"), "{html}");
    let user = app.signed_in("user-751").await;
    let token = user.csrf_token("/").await;
    let response = user
        .post_form(
            &format!("{PAGE}/verifikation"),
            &[("kommune", "751"), ("cpr", CPR), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn changes_of_a_claim_type_at_once_never_open_one_that_is_not_verified() {
    let app = TestApp::start().await;
    let aarhus = app.signed_in("admin-751").await;
    assert_eq!(
        change(&aarhus, "familieydelser", "configure", &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let token = aarhus.csrf_token(PAGE).await;
    // Verify and open race: an open that wins must come after a verify.
    let mut tasks = Vec::new();
    for i in 0..8 {
        let client = aarhus.client.clone();
        let url = app.url(&format!(
            "{PAGE}/familieydelser/{}",
            if i % 2 == 0 { "open" } else { "verify" }
        ));
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .form(&[("kommune", "751"), ("csrf_token", token.as_str())])
                .send()
                .await
                .expect("answered")
                .status()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("ran"));
    }
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::UNPROCESSABLE_ENTITY),
        "{statuses:?}"
    );
    let types = app.citizen.claim_types(751).await.expect("reads");
    let history: Vec<&str> = types
        .iter()
        .find(|t| t.claim_type == "familieydelser")
        .expect("one of the four")
        .history
        .iter()
        .map(|c| c.state.as_str())
        .collect();
    let wins = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(history.len(), wins + 1, "{history:?}");
    assert_eq!(
        history.iter().filter(|s| **s == "verified").count(),
        1,
        "{history:?}"
    );
    assert!(
        history.iter().filter(|s| **s == "opened").count() <= 1,
        "{history:?}"
    );
    if let Some(opened) = history.iter().position(|s| *s == "opened") {
        assert_eq!(history[opened - 1], "verified", "{history:?}");
    }
    // At the store too: many opens of a verified type open it once.
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let citizen = app.citizen.clone();
        tasks.push(tokio::spawn(async move {
            citizen
                .change_claim_type(
                    751,
                    "barsel",
                    samspil_citizen::debt::ClaimTypeAction::Configure,
                    None,
                    &samspil_domain::access::Actor {
                        user_id: None,
                        label: "t".into(),
                    },
                )
                .await
                .expect("decides")
        }));
    }
    let mut changed = 0;
    for task in tasks {
        if matches!(task.await.expect("ran"), ClaimTypeOutcome::Changed(_)) {
            changed += 1;
        }
    }
    assert_eq!(changed, 1);
}

#[tokio::test]
async fn removal_on_system_change_removes_the_systems_claims_in_the_same_operation() {
    let app = TestApp::start().await;
    let (id, credential) = system_of_kind(&app, OPUS, "opus", "debt", "strict").await;
    let door = Door {
        app: &app,
        credential,
    };
    door.claims(
        "import",
        vec![
            claim(CLAIM, "barsel", "2026-02-01T10:00:00Z", 1),
            claim(OTHER_CLAIM, "pension", "2026-02-01T10:00:00Z", 1),
        ],
        None,
    )
    .await;
    door.claims(
        "opdater",
        vec![claim(CLAIM, "barsel", "2026-03-01T10:00:00Z", 0)],
        None,
    )
    .await;

    let staff = app.signed_in("staff").await;
    let page = format!("/borger/systemer/{}/kommuner/751/fjern", id.0);
    let (status, html) = staff.get_text(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("2 fordringer slettes med hele deres historik."),
        "{html}"
    );
    let token = staff.csrf_token(&page).await;
    let response = staff.post_form(&page, &[("csrf_token", &token)]).await;
    let html = response.text().await.expect("text");
    assert!(html.contains("Og 2 fordringer."), "{html}");
    assert_eq!(rows_holding(&app, "claims", "uuid", "-").await, 0);
    assert_eq!(
        rows_holding(&app, "claim_registrations", "status", "").await,
        0
    );
    let audit = app.citizen.system_audit(id).await.expect("audit");
    assert!(
        audit[0]
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("\"claims\":2"),
        "{audit:?}"
    );
    let (_, body) = door
        .claims(
            "import",
            vec![claim(CLAIM, "barsel", "2026-02-01T10:00:00Z", 1)],
            None,
        )
        .await;
    assert_eq!(first_violation(&body).1, "municipality_not_registered");
}
