//! The scheduled directory sync against a fake OS2mo: a real HTTP server in
//! the test process that answers OS2mo's GraphQL shape page by page from
//! fixture data, insists on the bearer token its Keycloak-like token
//! endpoint issued, and can be told to fail in each way a partial answer
//! comes.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use samspil::directory_sync::{DirectorySync, DirectorySyncConfig, SyncRun};
use samspil_domain::{OrgId, Principal};
use samspil_storage::DirectorySyncOutcome;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;
use tokio::sync::Notify;

use crate::harness::{TempDir, TestApp};

const NOW: OffsetDateTime = datetime!(2026-11-23 06:00 UTC);
const SECRET: &str = "kc-secret";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    None,
    /// 500 on this page of employees (1-based).
    ServerErrorOnEmployeesPage(usize),
    GraphqlErrors,
    DataNull,
    MalformedJson,
    NoPageInfo,
}

struct Fake {
    units: Vec<Value>,
    employees: Vec<Value>,
    fault: Fault,
    graphql_requests: usize,
    employee_first_pages: usize,
    tokens_issued: usize,
    /// While set, employee pages wait for it (after announcing `entered`).
    hold: Option<Arc<Notify>>,
    entered: Arc<Notify>,
}

#[derive(Clone)]
struct FakeOs2mo {
    state: Arc<Mutex<Fake>>,
    address: SocketAddr,
}

fn validity(from: &str, to: Option<&str>) -> Value {
    json!({"from": format!("{from}T00:00:00+01:00"), "to": to.map(|to| format!("{to}T00:00:00+01:00"))})
}

fn unit(uuid: &str, name: &str) -> Value {
    json!({"validities": [{"uuid": uuid, "name": name, "validity": validity("2020-01-01", None)}]})
}

fn employee(uuid: &str, login: &str, given: &str, unit: &str) -> Value {
    json!({"validities": [{
        "uuid": uuid, "user_key": login, "given_name": given, "surname": "Jensen",
        "engagements": [{"org_unit": [{"uuid": unit}], "job_function": {"name": "Konsulent"},
                         "validity": validity("2021-01-01", None)}],
        "addresses": [
            {"address_type": {"scope": "EMAIL", "name": "Email"}, "value": format!("{login}@aarhus.example"), "name": null, "validity": validity("2021-01-01", None)},
            {"address_type": {"scope": "PHONE", "name": "Telefon"}, "value": "+45 8940 0000", "name": null, "validity": validity("2021-01-01", None)}
        ],
        "validity": validity("2021-01-01", None)
    }]})
}

fn five_people() -> Vec<Value> {
    vec![
        employee("e-1", "anna", "Anna", "u-digi"),
        employee("e-2", "bent", "Bent", "u-digi"),
        employee("e-3", "carl", "Carl", "u-it"),
        employee("e-4", "dora", "Dora", "u-it"),
        employee("e-5", "emil", "Emil", "u-it"),
    ]
}

async fn token(
    State(fake): State<FakeOs2mo>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let valid = form.get("grant_type").map(String::as_str) == Some("client_credentials")
        && form.get("client_id").map(String::as_str) == Some("samspil")
        && form.get("client_secret").map(String::as_str) == Some(SECRET);
    if !valid {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    let mut state = fake.state.lock().expect("lock");
    state.tokens_issued += 1;
    Json(json!({"access_token": format!("fake-token-{}", state.tokens_issued), "expires_in": 300, "token_type": "Bearer"}))
        .into_response()
}

async fn graphql(
    State(fake): State<FakeOs2mo>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let authorised = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer fake-token-"));
    if !authorised {
        return (StatusCode::UNAUTHORIZED, "no bearer token").into_response();
    }
    let query = body["query"].as_str().unwrap_or_default();
    let field = if query.contains("employees(") {
        "employees"
    } else {
        "org_units"
    };
    let variables = &body["variables"];
    let start: usize = variables["cursor"]
        .as_str()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let limit = variables["limit"].as_u64().unwrap_or(100) as usize;
    let page = start / limit.max(1) + 1;
    let (hold, entered) = {
        let mut state = fake.state.lock().expect("lock");
        state.graphql_requests += 1;
        if field == "employees" && page == 1 {
            state.employee_first_pages += 1;
        }
        (state.hold.clone(), state.entered.clone())
    };
    if field == "employees"
        && let Some(hold) = hold
    {
        entered.notify_one();
        hold.notified().await;
    }
    let state = fake.state.lock().expect("lock");
    let all = if field == "employees" {
        &state.employees
    } else {
        &state.units
    };
    let end = (start + limit).min(all.len());
    let next = if end < all.len() {
        json!(end.to_string())
    } else {
        Value::Null
    };
    let mut answer = json!({"data": {field: {"objects": all[start.min(end)..end], "page_info": {"next_cursor": next}}}});
    match state.fault {
        Fault::None => {}
        Fault::ServerErrorOnEmployeesPage(p) if field == "employees" && p == page => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "upstream LoRa timeout").into_response();
        }
        Fault::ServerErrorOnEmployeesPage(_) => {}
        Fault::GraphqlErrors if field == "employees" => {
            answer["errors"] = json!([{"message": "Permission denied: employee:read"}]);
        }
        Fault::DataNull if field == "employees" => {
            answer = json!({"data": null, "errors": []});
        }
        Fault::MalformedJson if field == "employees" => {
            return (
                StatusCode::OK,
                [("content-type", "application/json")],
                "{\"data\": {\"employees\": {\"objects\": [",
            )
                .into_response();
        }
        Fault::NoPageInfo if field == "employees" => {
            answer["data"]["employees"]
                .as_object_mut()
                .expect("object")
                .remove("page_info");
        }
        _ => {}
    }
    Json(answer).into_response()
}

impl FakeOs2mo {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let fake = FakeOs2mo {
            state: Arc::new(Mutex::new(Fake {
                units: vec![unit("u-digi", "Digitalisering"), unit("u-it", "IT-drift")],
                employees: five_people(),
                fault: Fault::None,
                graphql_requests: 0,
                employee_first_pages: 0,
                tokens_issued: 0,
                hold: None,
                entered: Arc::new(Notify::new()),
            })),
            address: listener.local_addr().expect("address"),
        };
        let router = Router::new()
            .route("/graphql/v22", post(graphql))
            .route("/auth/realms/mo/protocol/openid-connect/token", post(token))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        fake
    }

    fn config(&self) -> DirectorySyncConfig {
        DirectorySyncConfig {
            municipality: "751".to_owned(),
            url: format!("http://{}/graphql/v22", self.address),
            token_url: Some(format!(
                "http://{}/auth/realms/mo/protocol/openid-connect/token",
                self.address
            )),
            client_id: Some("samspil".to_owned()),
            client_secret_env: Some("SAMSPIL_TEST_OS2MO_SECRET".to_owned()),
            interval_minutes: 60,
            max_deactivate_percent: 20,
            // Small pages, so that every answer spans several.
            page_size: 2,
            timeout_seconds: 5,
        }
    }

    fn with<T>(&self, change: impl FnOnce(&mut Fake) -> T) -> T {
        change(&mut self.state.lock().expect("lock"))
    }
}

async fn scheduler(app: &TestApp, config: DirectorySyncConfig) -> DirectorySync {
    DirectorySync::with_secrets(app.storage.clone(), &[config], &|name| {
        assert_eq!(name, "SAMSPIL_TEST_OS2MO_SECRET");
        Ok(SECRET.to_owned())
    })
    .await
    .expect("configuration is valid")
}

fn minutes(n: i64) -> time::Duration {
    time::Duration::minutes(n)
}

fn report(runs: &[SyncRun]) -> samspil_storage::DirectoryReport {
    assert_eq!(runs.len(), 1, "one municipality ran: {runs:?}");
    match &runs[0].outcome {
        DirectorySyncOutcome::Ok(report) => report.clone(),
        DirectorySyncOutcome::Failed(message) => panic!("the sync failed: {message}"),
    }
}

fn failure(runs: &[SyncRun]) -> String {
    assert_eq!(runs.len(), 1, "one municipality ran: {runs:?}");
    match &runs[0].outcome {
        DirectorySyncOutcome::Failed(message) => message.clone(),
        DirectorySyncOutcome::Ok(report) => panic!("the sync should have failed: {report:?}"),
    }
}

async fn directory_people(app: &TestApp) -> Vec<samspil_storage::User> {
    let aarhus = app.org_id("municipality-751").await;
    app.storage
        .users(
            &Principal::operator()
                .read_access(OrgId(aarhus))
                .expect("operator"),
        )
        .await
        .expect("users")
        .into_iter()
        .filter(|u| {
            u.email
                .as_deref()
                .is_some_and(|e| e.ends_with("@aarhus.example"))
        })
        .collect()
}

async fn active_logins(app: &TestApp) -> Vec<String> {
    let mut logins: Vec<String> = directory_people(app)
        .await
        .into_iter()
        .filter(|u| u.active)
        .map(|u| u.login.to_string())
        .collect();
    logins.sort();
    logins
}

async fn status(app: &TestApp) -> samspil_storage::DirectorySyncStatus {
    let aarhus = app.org_id("municipality-751").await;
    app.storage
        .directory_sync_status(
            &Principal::operator()
                .admin_access(OrgId(aarhus))
                .expect("operator"),
            10,
        )
        .await
        .expect("status")
        .expect("scheduled")
}

#[tokio::test]
async fn the_sync_creates_then_changes_nothing_then_follows_corrections_and_leavers() {
    let app = TestApp::start().await;
    let os2mo = FakeOs2mo::start().await;
    let sync = scheduler(&app, os2mo.config()).await;

    let first = report(&sync.run_due(NOW).await);
    assert_eq!((first.users_created, first.units_created), (5, 2));
    assert_eq!(
        active_logins(&app).await,
        ["anna", "bent", "carl", "dora", "emil"]
    );
    let carl = directory_people(&app)
        .await
        .into_iter()
        .find(|u| u.login.as_str() == "carl")
        .expect("carl");
    assert_eq!(carl.org_unit_name.as_deref(), Some("IT-drift"));
    assert_eq!(carl.job_title.as_deref(), Some("Konsulent"));
    assert_eq!(carl.phone.as_deref(), Some("+45 8940 0000"));
    assert!(
        os2mo.with(|f| f.tokens_issued) >= 1,
        "the token endpoint was asked"
    );

    assert!(
        sync.run_due(NOW + minutes(30)).await.is_empty(),
        "not due before the interval"
    );
    let second = report(&sync.run_due(NOW + minutes(61)).await);
    assert!(!second.changed_anything(), "{second:?}");

    // A correction at the source shows after the next sync.
    os2mo.with(|f| {
        f.employees[0]["validities"][0]["addresses"][0]["value"] =
            json!("anna.jensen@aarhus.example");
    });
    let third = report(&sync.run_due(NOW + minutes(122)).await);
    assert_eq!(third.users_updated, 1);
    let anna = directory_people(&app)
        .await
        .into_iter()
        .find(|u| u.login.as_str() == "anna")
        .expect("anna");
    assert_eq!(anna.email.as_deref(), Some("anna.jensen@aarhus.example"));

    // Emil's engagement ended yesterday: he has left.
    os2mo.with(|f| {
        f.employees[4]["validities"][0]["engagements"][0]["validity"]["to"] =
            json!("2026-11-22T00:00:00+01:00");
    });
    let fourth = report(&sync.run_due(NOW + minutes(183)).await);
    assert_eq!(fourth.users_deactivated, 1);
    assert_eq!(active_logins(&app).await, ["anna", "bent", "carl", "dora"]);

    let status = status(&app).await;
    assert_eq!(status.failures, 0);
    assert_eq!(status.runs.len(), 4);
    assert!(status.runs.iter().all(|r| r.ok));
    assert!(status.next_run_at >= NOW + minutes(183 + 60));
    assert!(status.next_run_at < NOW + minutes(183 + 61));
}

#[tokio::test]
async fn a_partial_answer_deactivates_nobody_is_recorded_and_retried() {
    let app = TestApp::start().await;
    let os2mo = FakeOs2mo::start().await;
    let sync = scheduler(&app, os2mo.config()).await;
    report(&sync.run_due(NOW).await);

    // Were any of these answers taken as the whole directory, four of the
    // five would be deactivated (the safety net is lifted to be sure the
    // refusal comes from the answer, not the net).
    let mut lenient = os2mo.config();
    lenient.max_deactivate_percent = 100;
    let sync = scheduler(&app, lenient.clone()).await;
    let cases = [
        (
            Fault::ServerErrorOnEmployeesPage(2),
            "employees, page 2: OS2mo answered 500",
        ),
        (Fault::GraphqlErrors, "Permission denied: employee:read"),
        (Fault::DataNull, "without data"),
        (Fault::MalformedJson, "not GraphQL JSON"),
        (Fault::NoPageInfo, "no page_info"),
    ];
    let mut at = NOW + minutes(60);
    for (n, (fault, expected)) in cases.into_iter().enumerate() {
        os2mo.with(|f| f.fault = fault);
        let message = failure(&sync.run_due(at).await);
        assert!(message.contains(expected), "{fault:?}: {message}");
        assert_eq!(
            active_logins(&app).await.len(),
            5,
            "{fault:?} deactivated someone"
        );
        let status = status(&app).await;
        assert_eq!(status.failures as usize, n + 1);
        assert_eq!(status.last_error.as_deref(), Some(message.as_str()));
        // Back-off: 1, 2, 4 … minutes after the failure.
        let wait = minutes(1 << n);
        assert!(
            status.next_run_at >= at + wait && status.next_run_at < at + wait + minutes(1),
            "{fault:?}: next run at {}",
            status.next_run_at
        );
        assert!(
            sync.run_due(at + wait - time::Duration::SECOND)
                .await
                .is_empty(),
            "not before the retry"
        );
        at = status.next_run_at;
    }

    // Nobody answers at all.
    let closed = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        listener.local_addr().expect("address")
    };
    let mut unreachable = lenient;
    unreachable.url = format!("http://{closed}/graphql/v22");
    unreachable.token_url = None;
    unreachable.client_id = None;
    unreachable.client_secret_env = None;
    let message = failure(&scheduler(&app, unreachable).await.run_due(at).await);
    assert!(message.contains("cannot connect"), "{message}");
    assert_eq!(active_logins(&app).await.len(), 5);

    // The source recovers: the next try succeeds and clears the failures.
    os2mo.with(|f| f.fault = Fault::None);
    let at = at + minutes(60);
    let recovered = report(&sync.run_due(at).await);
    assert!(!recovered.changed_anything());
    let status = status(&app).await;
    assert_eq!(status.failures, 0);
    assert!(status.runs.iter().filter(|r| !r.ok).count() >= 6);

    // The administrators' audit log has the first failure, not every retry.
    let aarhus = app.org_id("municipality-751").await;
    let failures = app
        .storage
        .audit_entries(
            &Principal::operator()
                .admin_access(OrgId(aarhus))
                .expect("operator"),
            500,
        )
        .await
        .expect("audit log")
        .into_iter()
        .filter(|e| e.action == "directory.sync_failed")
        .count();
    assert_eq!(failures, 1);
}

#[tokio::test]
async fn a_well_formed_but_truncated_answer_is_refused_by_the_safety_net() {
    let app = TestApp::start().await;
    let os2mo = FakeOs2mo::start().await;
    let sync = scheduler(&app, os2mo.config()).await;
    report(&sync.run_due(NOW).await);

    // Two of five (40 %) gone at once is more than the 20 % allowed.
    os2mo.with(|f| f.employees.truncate(3));
    let message = failure(&sync.run_due(NOW + minutes(60)).await);
    assert!(message.contains("would deactivate 2 of the 5"), "{message}");
    assert_eq!(active_logins(&app).await.len(), 5);

    // An operator who has checked the source lifts the net for one run.
    let report = sync
        .sync_now("751", NOW + minutes(61), true)
        .await
        .expect("runs");
    assert_eq!(report.users_deactivated, 2);
    assert_eq!(active_logins(&app).await, ["anna", "bent", "carl"]);

    // One leaver of three is a third: refused again at the default share.
    os2mo.with(|f| f.employees.truncate(2));
    let error = sync
        .sync_now("751", NOW + minutes(62), false)
        .await
        .expect_err("refused");
    assert!(
        error.to_string().contains("max_deactivate_percent = 20"),
        "{error}"
    );
}

#[tokio::test]
async fn two_schedulers_never_sync_one_municipality_at_once() {
    let app = TestApp::start().await;
    let os2mo = FakeOs2mo::start().await;
    let first = Arc::new(scheduler(&app, os2mo.config()).await);
    let second = scheduler(&app, os2mo.config()).await;
    let hold = Arc::new(Notify::new());
    let entered = os2mo.with(|f| {
        f.hold = Some(hold.clone());
        f.entered.clone()
    });

    let running = {
        let first = first.clone();
        tokio::spawn(async move { first.run_due(NOW).await })
    };
    tokio::time::timeout(Duration::from_secs(10), entered.notified())
        .await
        .expect("the first scheduler reaches the employees");
    assert!(
        second.run_due(NOW).await.is_empty(),
        "the second finds the lease taken"
    );
    let busy = second.sync_now("751", NOW, false).await.expect_err("busy");
    assert!(busy.to_string().contains("right now elsewhere"), "{busy}");

    os2mo.with(|f| f.hold = None);
    hold.notify_one();
    let runs = tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("finishes")
        .expect("no panic");
    assert_eq!(report(&runs).users_created, 5);
    assert_eq!(
        os2mo.with(|f| f.employee_first_pages),
        1,
        "only one read the directory"
    );

    // A lease that ran out (its holder died) is taken over.
    let short = scheduler(&app, os2mo.config())
        .await
        .with_lease(Duration::from_secs(60));
    let aarhus = app.org_id("municipality-751").await;
    let access = Principal::operator()
        .admin_access(OrgId(aarhus))
        .expect("operator");
    let later = NOW + minutes(120);
    app.storage
        .claim_directory_sync(
            &access,
            later,
            Duration::from_secs(60),
            "dead-instance",
            true,
        )
        .await
        .expect("claims")
        .expect("due");
    assert!(
        short
            .run_due(later + time::Duration::SECOND * 30)
            .await
            .is_empty()
    );
    report(&short.run_due(later + time::Duration::SECOND * 61).await);
}

#[tokio::test]
async fn staff_see_the_failure_on_the_municipality_page_and_users_do_not() {
    let app = TestApp::start().await;
    let os2mo = FakeOs2mo::start().await;
    let sync = scheduler(&app, os2mo.config()).await;
    report(&sync.run_due(NOW).await);
    os2mo.with(|f| f.fault = Fault::GraphqlErrors);
    failure(&sync.run_due(NOW + minutes(60)).await);

    let aarhus = app.org_id("municipality-751").await;
    let path = format!("/organisationer/{aarhus}");
    let (status, html) = app.signed_in("staff").await.get_text(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Den seneste synkronisering fra OS2mo mislykkedes."),
        "{html}"
    );
    assert!(html.contains("Permission denied: employee:read"));
    assert!(html.contains("Næste forsøg"));
    assert!(
        html.contains("23.11.2026 kl. 07.01"),
        "the next attempt is shown"
    );

    let (_, admin) = app.signed_in("admin-751").await.get_text(&path).await;
    assert!(admin.contains("Synkronisering af organisationsdata"));
    let (_, user) = app.signed_in("user-751").await.get_text(&path).await;
    assert!(
        !user.contains("Synkronisering af organisationsdata"),
        "a user does not see it"
    );
}

#[test]
fn the_command_runs_one_sync_with_the_secret_from_the_environment() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = TempDir::new();
    let (os2mo, database_url) = runtime.block_on(async {
        let os2mo = FakeOs2mo::start().await;
        let url = format!("sqlite://{}", dir.path().join("cli.db").display());
        (os2mo, url)
    });
    let config = os2mo.config();
    let file = dir.path().join("samspil.toml");
    std::fs::write(
        &file,
        format!(
            "[[directory_sync]]\nmunicipality = \"751\"\nurl = \"{}\"\ntoken_url = \"{}\"\n\
             client_id = \"samspil\"\nclient_secret_env = \"SAMSPIL_TEST_OS2MO_SECRET\"\npage_size = 2\n",
            config.url,
            config.token_url.expect("set")
        ),
    )
    .expect("written");
    let run = |secret: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_samspil"));
        command
            .args(["sync", "directory", "--municipality", "751", "--config"])
            .arg(&file)
            .args(["--database-url", &database_url])
            .env("SAMSPIL_LOG", "error")
            .env_remove("SAMSPIL_TEST_OS2MO_SECRET");
        if let Some(secret) = secret {
            command.env("SAMSPIL_TEST_OS2MO_SECRET", secret);
        }
        // The fake server lives on the runtime; let it serve meanwhile.
        let output = runtime.block_on(async {
            tokio::task::spawn_blocking(move || command.output().expect("runs"))
                .await
                .expect("joins")
        });
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (ok, _, stderr) = run(None);
    assert!(!ok);
    assert!(
        stderr.contains("SAMSPIL_TEST_OS2MO_SECRET is not set"),
        "{stderr}"
    );
    let (ok, stdout, stderr) = run(Some("wrong"));
    assert!(!ok);
    assert!(stderr.contains("401"), "{stderr}");
    let (ok, stdout_ok, stderr_ok) = run(Some(SECRET));
    assert!(ok, "{stdout} {stderr_ok}");
    assert!(stdout_ok.contains("5 people created"), "{stdout_ok}");
    let (ok, again, _) = run(Some(SECRET));
    assert!(ok);
    assert!(again.contains("Nothing changed"), "{again}");
}

#[tokio::test]
async fn an_administrator_adopted_from_os2mo_stays_an_administrator() {
    let app = TestApp::start().await;
    let os2mo = FakeOs2mo::start().await;
    // OS2mo has no KLIK roles: the demo administrator, made by hand before
    // the directory came, is adopted and must not be demoted to user.
    os2mo.with(|f| {
        f.employees
            .push(employee("e-6", "admin-751", "Adam", "u-digi"))
    });
    let sync = scheduler(&app, os2mo.config()).await;
    let first = report(&sync.run_due(NOW).await);
    assert_eq!((first.users_created, first.users_updated), (5, 1));
    let admin = directory_people(&app)
        .await
        .into_iter()
        .find(|u| u.login.as_str() == "admin-751")
        .expect("adopted");
    assert_eq!(admin.role.as_str(), "admin");
    assert_eq!(admin.display_name, "Adam Jensen");
    let again = report(&sync.run_due(NOW + minutes(61)).await);
    assert!(!again.changed_anything(), "{again:?}");
}
