//! Property tests (proptest) of every parser of untrusted input the server
//! has, through the real HTTP interface: JSON API bodies, form bodies,
//! query strings and path ids, and the status import. Whatever arrives, the
//! answer is never a server error (or a panic, which the panic layer would
//! turn into one), and an API error is the documented JSON error object.
//!
//! Case counts are bounded (`CASES`, or `PROPTEST_CASES`) so that the module
//! runs in seconds in CI.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::{Method, StatusCode};
use samspil_coordination::task::{TaskId, TaskStatus};
use samspil_domain::{OrgId, Principal};
use serde_json::{Map, Value, json};

use crate::harness::{ApiClient, Browser, TestApp};

const CASES: u32 = 40;

fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(CASES),
        failure_persistence: None,
        // Each case is an HTTP round trip; shrinking many of them is slow.
        max_shrink_iters: 200,
        ..Config::default()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// The field names the API and the forms read, and some they do not.
const FIELDS: &[&str] = &[
    "name",
    "description",
    "participants",
    "project_id",
    "code",
    "title",
    "type",
    "start",
    "end",
    "period_text",
    "executor_role",
    "involved_roles",
    "reason",
    "status",
    "prompt",
    "kind",
    "options",
    "required",
    "answers",
    "question_id",
    "values",
    "body",
    "role_id",
    "user_id",
    "starts_on",
    "ends_on",
    "primary",
    "note",
    "last_day",
    "uses",
    "solution_id",
    "mandatory",
    "max_holders",
    "requires_primary",
    "org_id",
    "email",
    "phone",
    "function",
    "csrf_token",
    "login",
    "password",
    "next",
    "q",
    "project",
    "from",
    "to",
    "limit",
    "offset",
    "mine",
    "region",
    "table",
    "q-1",
    "q-999",
    "",
];

/// Text as clients send it: any Unicode, dates and numbers in and out of
/// range, words the parsers know, and markup.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,30}",
        "-?[0-9]{1,25}",
        "[0-9]{4,6}-[0-9]{1,2}-[0-9]{1,3}",
        prop::sample::select(vec![
            "critical",
            "mandatory",
            "voluntary",
            "not_started",
            "started",
            "completed",
            "single_choice",
            "multiple_choice",
            "yes_no",
            "number",
            "text",
            "yes",
            "no",
            "2023-02-29",
            "2024-02-29",
            "9999-12-31",
            "0000-01-01",
            "-1",
            "NaN",
            "1e999",
            "projekter",
            "kommuner",
            "Region Midtjylland",
            "<script>",
            "%00",
            "\u{0}",
        ])
        .prop_map(String::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just(0i64),
            Just(1),
            Just(-1),
            Just(i64::MAX),
            Just(i64::MIN),
            1i64..300
        ]
        .prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(field(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(FIELDS).prop_map(String::from),
        1 => any::<String>(),
    ]
}

/// A valid body with some of its fields replaced, removed or added.
fn mutated(template: Value) -> impl Strategy<Value = Value> {
    let keys: Vec<String> = template
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    (
        prop::collection::vec((0..keys.len().max(1), json_value()), 0..3),
        prop::collection::vec(0..keys.len().max(1), 0..2),
        prop::collection::btree_map(field(), json_value(), 0..3),
        prop_oneof![8 => Just(None), 1 => json_value().prop_map(Some)],
    )
        .prop_map(move |(replace, remove, extra, whole)| {
            if let Some(whole) = whole {
                return whole;
            }
            let mut body: Map<String, Value> = template.as_object().cloned().unwrap_or_default();
            for (index, value) in replace {
                if let Some(key) = keys.get(index) {
                    body.insert(key.clone(), value);
                }
            }
            for index in remove {
                if let Some(key) = keys.get(index) {
                    body.remove(key);
                }
            }
            body.extend(extra);
            Value::Object(body)
        })
}

/// An id as a client could put it in a path: a real one, or anything.
fn path_id(real: i64) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(real.to_string()),
        1 => prop_oneof![Just(0i64), Just(-1), Just(i64::MAX), Just(i64::MIN), 1i64..400]
            .prop_map(|i| i.to_string()),
        1 => prop_oneof![
            Just("9223372036854775808".to_owned()),
            Just("1.5".to_owned()),
            Just("%20".to_owned()),
            "[a-z0-9%]{1,8}",
        ],
    ]
}

/// A documented API error: `{"error": {"status", "code", "message"}}` whose
/// status is the response's.
fn check_api_answer(status: StatusCode, text: &str, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(!status.is_server_error(), "{what}: {status} {text}");
    if status.is_client_error() {
        let body: Value = serde_json::from_str(text)
            .map_err(|e| TestCaseError::fail(format!("{what}: {status} not JSON ({e}): {text}")))?;
        prop_assert_eq!(
            body["error"]["status"].as_u64(),
            Some(u64::from(status.as_u16())),
            "{}: {}",
            what,
            text
        );
        prop_assert!(body["error"]["code"].is_string() && body["error"]["message"].is_string());
    } else if status.is_success() && !text.is_empty() {
        serde_json::from_str::<Value>(text)
            .map_err(|e| TestCaseError::fail(format!("{what}: 2xx not JSON ({e})")))?;
    }
    Ok(())
}

struct Ids {
    published: i64,
    draft: i64,
    soco: i64,
    question: i64,
    aarhus: i64,
    project: i64,
    role: i64,
    user: i64,
    list: i64,
}

async fn ids(app: &TestApp, staff: &ApiClient) -> Ids {
    let tasks = app
        .coordination
        .tasks(&samspil_coordination_storage::TaskFilter {
            include_drafts: true,
            limit: 5000,
            ..Default::default()
        })
        .await
        .expect("tasks");
    let soco = tasks
        .iter()
        .find(|t| t.code.as_deref() == Some("SoCo1"))
        .expect("SoCo1")
        .id
        .0;
    let published = app.task_id("Etabler brugeradministration på KLIK").await;
    let project = app.coordination.projects().await.expect("projects")[0].id.0;
    let (status, draft) = staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({"project_id": project, "title": "Kladde til fuzzing", "type": "voluntary"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    let (_, questions) = staff
        .get_json(&format!("/api/v1/tasks/{soco}/questions"))
        .await;
    let (_, roles) = staff.get_json("/api/v1/roles").await;
    let aarhus = app.org_id("municipality-751").await;
    let (_, users) = staff
        .get_json(&format!("/api/v1/organisations/{aarhus}/users"))
        .await;
    let (status, list) = staff
        .send_json(
            Method::POST,
            "/api/v1/contact-lists",
            json!({"name": "Fuzz", "description": ""}),
        )
        .await;
    assert!(status.is_success(), "{status} {list}");
    Ids {
        published,
        draft: draft["id"].as_i64().expect("id"),
        soco,
        question: questions[0]["id"].as_i64().expect("a question"),
        aarhus,
        project,
        role: roles[0]["id"].as_i64().expect("a role"),
        user: users[0]["id"].as_i64().expect("a user"),
        list: list["id"].as_i64().expect("id"),
    }
}

/// Every API operation that reads a body, with a valid body for it.
fn api_operations(ids: &Ids) -> Vec<(Method, String, Value)> {
    let Ids {
        draft: d,
        soco: s,
        question: q,
        aarhus: a,
        project,
        role,
        user,
        list,
        ..
    } = *ids;
    vec![
        (Method::POST, "/api/v1/projects".into(),
            json!({"name": "Fuzzprojekt", "description": "", "participants": [a]})),
        (Method::POST, "/api/v1/tasks".into(),
            json!({"project_id": project, "code": "F1", "title": "Fuzz", "type": "critical",
                   "start": "2030-01-01", "end": "2030-02-01", "period_text": "Uge 1"})),
        (Method::PATCH, "/api/v1/tasks/{p}".into(),
            json!({"type": "mandatory", "start": "2030-01-01", "end": "2030-03-01", "reason": "fuzz"})),
        (Method::PUT, "/api/v1/tasks/{p}/municipalities/{a}/status".into(),
            json!({"status": "started", "reason": "fuzz"})),
        (Method::POST, "/api/v1/tasks/{d}/questions".into(),
            json!({"prompt": "Hvad?", "kind": "single_choice", "options": ["a", "b"], "required": true})),
        (Method::PUT, "/api/v1/tasks/{s}/municipalities/{a}/answers".into(),
            json!({"answers": [{"question_id": q, "values": ["KTTIBAK"]}]})),
        (Method::POST, "/api/v1/tasks/{p}/municipalities/{a}/comments".into(),
            json!({"body": "En kommentar"})),
        (Method::PUT, "/api/v1/tasks/{p}/assignee".into(),
            json!({"role_id": role, "user_id": null})),
        (Method::POST, "/api/v1/roles".into(),
            json!({"name": "Fuzzrolle", "description": "", "solution_id": project, "mandatory": true,
                   "max_holders": 2, "requires_primary": false})),
        (Method::PUT, format!("/api/v1/roles/{role}"),
            json!({"name": "Fuzzrolle", "description": "", "solution_id": null, "mandatory": false,
                   "max_holders": null, "requires_primary": false})),
        (Method::POST, "/api/v1/municipalities/{a}/role-assignments".into(),
            json!({"role_id": role, "user_id": user, "starts_on": "2030-01-01", "ends_on": null,
                   "primary": false, "note": ""})),
        (Method::POST, "/api/v1/municipalities/{a}/role-assignments/1/end".into(),
            json!({"last_day": "2030-12-31"})),
        (Method::PUT, format!("/api/v1/municipalities/{{a}}/solutions/{project}"),
            json!({"uses": true})),
        (Method::POST, "/api/v1/contact-lists".into(),
            json!({"name": "Liste", "description": ""})),
        (Method::POST, format!("/api/v1/contact-lists/{list}/entries"),
            json!({"org_id": a, "name": "Navn", "email": "a@b.dk", "phone": "12345678",
                   "function": "IT", "note": ""})),
    ]
    .into_iter()
    .map(|(method, path, body)| {
        let path = path
            .replace("{d}", &d.to_string())
            .replace("{s}", &s.to_string());
        (method, path, body)
    })
    .collect()
}

/// A bearer-token client that sends any bytes with any content type.
struct RawApi {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl RawApi {
    async fn new(app: &TestApp, login: &str) -> Self {
        RawApi {
            client: reqwest::Client::new(),
            base: app.url(""),
            token: samspil::create_token(app.storage.as_ref(), login, "fuzz")
                .await
                .expect("a token"),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, String) {
        let response = self
            .client
            .request(method, format!("{}{}", self.base, path))
            .bearer_auth(&self.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("the server answers");
        let status = response.status();
        (status, response.text().await.unwrap_or_default())
    }
}

/// A path template with `{p}` (the published task) and `{a}` (Aarhus)
/// filled in.
fn fill(template: &str, p: &str, a: &str) -> String {
    template.replace("{p}", p).replace("{a}", a)
}

#[test]
fn api_bodies_never_cause_a_server_error() {
    let rt = runtime();
    let (app, api, ids) = rt.block_on(async {
        let app = TestApp::start_with_roles().await;
        let ids = ids(&app, &app.api_client("staff").await).await;
        let api = RawApi::new(&app, "staff").await;
        (app, api, ids)
    });
    let (p, a) = (ids.published.to_string(), ids.aarhus.to_string());
    for (method, template, body) in api_operations(&ids) {
        // First the valid body itself: it must be read (whatever the rules
        // then say), or the mutations would only test the refusal of a
        // malformed one.
        let path = fill(&template, &p, &a);
        let (status, text) = rt.block_on(api.send(
            method.clone(),
            &path,
            "application/json",
            body.to_string().into_bytes(),
        ));
        assert!(
            !status.is_server_error()
                && status != StatusCode::BAD_REQUEST
                && !text.contains("missing field")
                && !text.contains("unknown variant"),
            "{method} {path} with its valid body: {status} {text}"
        );
        let strategy = (
            mutated(body),
            path_id(ids.published),
            path_id(ids.aarhus),
            prop_oneof![
                6 => Just("application/json"),
                1 => Just("application/json; charset=latin1"),
                1 => Just("text/plain"),
                1 => Just("application/x-www-form-urlencoded"),
            ],
            prop_oneof![9 => Just(None), 1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Some)],
        );
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let result =
            TestRunner::new(config()).run(&strategy, |(body, task, org, content_type, raw)| {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let path = fill(&template, &task, &org);
                let bytes = raw.unwrap_or_else(|| body.to_string().into_bytes());
                let (status, text) =
                    rt.block_on(api.send(method.clone(), &path, content_type, bytes));
                check_api_answer(status, &text, &format!("{method} {path}"))
            });
        if let Err(failure) = result {
            panic!("{method} {template}: {failure}");
        }
        assert_eq!(
            calls.load(std::sync::atomic::Ordering::Relaxed) as u32,
            config().cases,
            "{method} {template}: every case ran"
        );
    }
    drop(app);
}

#[test]
fn query_strings_and_path_ids_never_cause_a_server_error() {
    let rt = runtime();
    let (app, api, staff, aarhus, ids) = rt.block_on(async {
        let app = TestApp::start_with_roles().await;
        let api = app.api_client("staff").await;
        let ids = ids(&app, &api).await;
        let staff = app.signed_in("staff").await;
        let aarhus = app.signed_in("admin-751").await;
        (app, api, staff, aarhus, ids)
    });
    let pages = [
        "/opgaver",
        "/status",
        "/status/eksport.csv",
        "/status/eksport.xlsx",
        "/status/fremdrift",
        "/status/fremdrift/eksport.csv",
        "/organisationer",
        "/login",
        "/sprog/en",
    ];
    let api_paths = [
        "/api/v1/tasks".to_owned(),
        "/api/v1/tasks/{id}".to_owned(),
        "/api/v1/tasks/{id}/status".to_owned(),
        "/api/v1/organisations/{id}/users".to_owned(),
        "/api/v1/municipalities/{id}/role-gaps".to_owned(),
        "/api/v1/role-gaps".to_owned(),
        "/api/v1/tasks/{id}/answers/summary".to_owned(),
    ];
    let query = || prop::collection::vec((field(), text()), 0..5);
    for page in pages {
        let result =
            TestRunner::new(config()).run(&(query(), any::<bool>()), |(params, as_staff)| {
                let browser = if as_staff { &staff } else { &aarhus };
                let url = reqwest::Url::parse_with_params(&format!("http://x{page}"), &params)
                    .expect("a URL");
                let path = format!("{}?{}", url.path(), url.query().unwrap_or(""));
                let response = rt.block_on(browser.get(&path));
                prop_assert!(
                    !response.status().is_server_error(),
                    "GET {}: {}",
                    path,
                    response.status()
                );
                Ok(())
            });
        if let Err(failure) = result {
            panic!("{page}: {failure}");
        }
    }
    for template in api_paths {
        let result =
            TestRunner::new(config()).run(&(query(), path_id(ids.published)), |(params, id)| {
                let url = reqwest::Url::parse_with_params(
                    &format!("http://x{}", template.replace("{id}", &id)),
                    &params,
                )
                .expect("a URL");
                let path = format!("{}?{}", url.path(), url.query().unwrap_or(""));
                let response = rt.block_on(api.get(&path));
                let status = response.status();
                let text = rt.block_on(response.text()).unwrap_or_default();
                check_api_answer(status, &text, &format!("GET {path}"))
            });
        if let Err(failure) = result {
            panic!("{template}: {failure}");
        }
    }
    // Page paths with hostile ids.
    let result = TestRunner::new(config()).run(&path_id(ids.soco), |id| {
        for path in [format!("/opgaver/{id}"), format!("/organisationer/{id}")] {
            let response = rt.block_on(staff.get(&path));
            prop_assert!(!response.status().is_server_error(), "GET {}", path);
        }
        Ok(())
    });
    result.expect("page ids");
    drop(app);
}

/// The page forms that change something (not the logout, which would end
/// the session the test uses), as `(who, path, valid fields)`.
/// `(as staff, path, fields)` of one form.
type FormOperation = (bool, String, Vec<(String, String)>);

fn form_operations(ids: &Ids) -> Vec<FormOperation> {
    let Ids {
        published: p,
        soco: s,
        question: q,
        project,
        draft,
        ..
    } = *ids;
    let answer = format!("q-{q}");
    let project = project.to_string();
    vec![
        (
            false,
            format!("/opgaver/{p}/status"),
            vec![("status", "started"), ("reason", "")],
        ),
        (
            false,
            format!("/opgaver/{s}/svar"),
            vec![(answer.as_str(), "KTTIBAK")],
        ),
        (
            false,
            format!("/opgaver/{p}/kommentarer"),
            vec![("body", "Kommentar")],
        ),
        (
            true,
            "/opgaver/ny".into(),
            vec![
                ("project_id", project.as_str()),
                ("title", "Ny"),
                ("type", "critical"),
                ("start", "2030-01-01"),
                ("end", ""),
            ],
        ),
        (
            true,
            format!("/opgaver/{p}/aendr"),
            vec![
                ("type", "critical"),
                ("start", ""),
                ("end", "2031-01-01"),
                ("period_text", ""),
                ("reason", "fuzz"),
            ],
        ),
        (true, format!("/opgaver/{draft}/publicer"), vec![]),
        (true, format!("/opgaver/{p}/luk"), vec![]),
    ]
    .into_iter()
    .map(|(staff, path, fields)| {
        let fields = fields
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        (staff, path, fields)
    })
    .collect()
}

#[test]
fn form_bodies_never_cause_a_server_error() {
    let rt = runtime();
    let (app, staff, aarhus, ids) = rt.block_on(async {
        let app = TestApp::start_with_roles().await;
        let api = app.api_client("staff").await;
        let ids = ids(&app, &api).await;
        let staff = app.signed_in("staff").await;
        let aarhus = app.signed_in("admin-751").await;
        (app, staff, aarhus, ids)
    });
    let tokens = rt.block_on(async { (staff.csrf_token("/").await, aarhus.csrf_token("/").await) });
    // Closing the published task first would make later cases moot; it
    // comes last in the list, so run them in order.
    for (as_staff, path, fields) in form_operations(&ids) {
        let (browser, token): (&Browser, &str) = if as_staff {
            (&staff, &tokens.0)
        } else {
            (&aarhus, &tokens.1)
        };
        let strategy = (
            prop::collection::vec((0..fields.len().max(1), text()), 0..4),
            prop::collection::vec((field(), text()), 0..3),
            prop_oneof![9 => Just(None), 1 => prop::collection::vec(any::<u8>(), 0..80).prop_map(Some)],
            path_id(0),
        );
        let result = TestRunner::new(config()).run(&strategy, |(replace, extra, raw, id)| {
            let mut form: Vec<(String, String)> = fields.clone();
            for (index, value) in replace {
                if let Some(entry) = form.get_mut(index) {
                    entry.1 = value;
                }
            }
            form.extend(extra);
            // First: the CSRF check reads the first `csrf_token` field, and
            // the extra fields may bring another.
            form.insert(0, ("csrf_token".into(), token.to_owned()));
            let mut body: Vec<u8> = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&form)
                .finish()
                .into_bytes();
            if let Some(raw) = raw {
                // Raw bytes after the fields: broken escapes, any encoding.
                body.extend_from_slice(b"&");
                body.extend(raw);
            }
            // Sometimes a hostile id in place of the real one.
            let path = match id.as_str() {
                "0" => path.clone(),
                other => path
                    .split('/')
                    .map(|segment| match segment.parse::<i64>() {
                        Ok(_) => other,
                        Err(_) => segment,
                    })
                    .collect::<Vec<_>>()
                    .join("/"),
            };
            let response = rt
                .block_on(
                    browser
                        .client
                        .post(format!("{}{}", app.url(""), path))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body)
                        .send(),
                )
                .expect("the server answers");
            prop_assert!(
                !response.status().is_server_error(),
                "POST {}: {}",
                path,
                response.status()
            );
            prop_assert_ne!(
                response.status(),
                StatusCode::FORBIDDEN,
                "the CSRF token was sent"
            );
            Ok(())
        });
        if let Err(failure) = result {
            panic!("{path}: {failure}");
        }
    }
    drop(app);
}

/// The status import (statuses brought over from the old tool) takes any
/// list of organisations and statuses: it saves all or nothing, and the
/// counts kept on the task always match the statuses.
#[test]
fn the_status_import_saves_all_or_nothing_and_keeps_the_counts_true() {
    let rt = runtime();
    let (app, task, orgs) = rt.block_on(async {
        let app = TestApp::start_with_tasks().await;
        let task = TaskId(app.task_id("Etabler brugeradministration på KLIK").await);
        let orgs: Vec<i64> = app
            .storage
            .organisations()
            .await
            .expect("organisations")
            .into_iter()
            .map(|o| o.id.0)
            .collect();
        (app, task, orgs)
    });
    let access = Principal::operator()
        .community_access()
        .expect("the operator is community staff");
    let org = prop_oneof![
        8 => prop::sample::select(orgs.clone()),
        1 => any::<i64>(),
        1 => -3i64..3,
    ];
    let status = prop::sample::select(TaskStatus::ALL.to_vec());
    let strategy = prop::collection::vec((org, status), 0..12);
    TestRunner::new(config())
        .run(&strategy, |statuses| {
            let statuses: Vec<(OrgId, TaskStatus)> =
                statuses.into_iter().map(|(o, s)| (OrgId(o), s)).collect();
            rt.block_on(async {
                let before = app
                    .coordination
                    .task_statuses(&access, task)
                    .await
                    .expect("statuses");
                let result = app
                    .coordination
                    .import_task_statuses(&access, task, &statuses)
                    .await;
                let after = app
                    .coordination
                    .task_statuses(&access, task)
                    .await
                    .expect("statuses");
                let stored = app
                    .coordination
                    .task(task)
                    .await
                    .expect("task")
                    .expect("exists");
                match result {
                    Ok(_) => {
                        for m in &after {
                            // The last status given for an organisation wins.
                            if let Some((_, s)) =
                                statuses.iter().rev().find(|(o, _)| *o == m.org_id)
                            {
                                prop_assert_eq!(m.status, *s);
                            }
                        }
                    }
                    Err(samspil_storage::StorageError::Invalid(_)) => {
                        prop_assert!(
                            statuses
                                .iter()
                                .any(|(o, _)| !before.iter().any(|m| m.org_id == *o)),
                            "refused though every organisation takes part"
                        );
                        let pairs = |v: &[samspil_coordination_storage::MunicipalityStatus]| {
                            v.iter().map(|m| (m.org_id, m.status)).collect::<Vec<_>>()
                        };
                        prop_assert_eq!(
                            pairs(&before),
                            pairs(&after),
                            "a refused import changes nothing"
                        );
                    }
                    Err(other) => {
                        return Err(TestCaseError::fail(format!("unexpected error: {other}")));
                    }
                }
                let count = |s: TaskStatus| after.iter().filter(|m| m.status == s).count() as u32;
                prop_assert_eq!(stored.counts.completed, count(TaskStatus::Completed));
                prop_assert_eq!(stored.counts.started, count(TaskStatus::Started));
                prop_assert_eq!(stored.counts.not_started, count(TaskStatus::NotStarted));
                prop_assert_eq!(stored.counts.total() as usize, after.len());
                Ok(())
            })
        })
        .expect("the import holds its invariants");
    drop(app);
}
