//! Many people changing statuses at the same moment: every change is saved
//! and answered, none fails because another writer holds the database.
//! (On SQLite, transactions that read before they write used to fail at
//! once with "database is locked", a 500, under concurrent writes.)

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use samspil_domain::{AccessRole, Login, OrgId, Principal, UserType};
use samspil_storage::NewUser;
use serde_json::json;
use tokio::task::JoinSet;

use crate::harness::{ApiClient, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_status_changes_all_succeed_and_the_counts_add_up() {
    let app = TestApp::start_with_tasks().await;
    let task = app.task_id("Etabler brugeradministration på KLIK").await;
    let api = std::sync::Arc::new(app.api_client("staff").await);
    let (_, report) = api.get_json(&format!("/api/v1/tasks/{task}/status")).await;
    let lists = &report["municipalities"];
    let not_started: Vec<i64> = lists["not_started"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|m| m["id"].as_i64().expect("an id"))
        .collect();
    assert!(not_started.len() >= 40, "{report}");

    // Every municipality not started yet starts, all at once; then all go
    // back at once (with a reason).
    for (status, reason) in [("started", None), ("not_started", Some("retur"))] {
        let mut requests = tokio::task::JoinSet::new();
        for org in not_started.clone() {
            let api = api.clone();
            requests.spawn(async move {
                api.send_json(
                    Method::PUT,
                    &format!("/api/v1/tasks/{task}/municipalities/{org}/status"),
                    json!({"status": status, "reason": reason}),
                )
                .await
            });
        }
        while let Some(answer) = requests.join_next().await {
            let (code, body) = answer.expect("the request task ran");
            assert_eq!(code, StatusCode::OK, "{status}: {body}");
        }
        let (_, now) = api.get_json(&format!("/api/v1/tasks/{task}/status")).await;
        let expected_started = match status {
            "started" => report["started"].as_u64().expect("count") + not_started.len() as u64,
            _ => report["started"].as_u64().expect("count"),
        };
        assert_eq!(now["started"].as_u64(), Some(expected_started), "{now}");
        assert_eq!(now["total"], report["total"]);
    }
}

// ---- Read-decide-write races ---------------------------------------------
//
// Each test below fires many real requests at the same moment that read
// what another one changes, then checks the rule the reads decided on. On
// SQLite the single writer hides the races; on PostgreSQL (READ COMMITTED)
// they showed in most rounds before the storage locked what it decides on.

/// The answers a race may give: done, or refused with a reason. Never a
/// 500, a conflict or a timeout.
fn done_or_refused(code: StatusCode, body: &serde_json::Value) -> bool {
    assert!(
        matches!(
            code,
            StatusCode::OK
                | StatusCode::CREATED
                | StatusCode::NO_CONTENT
                | StatusCode::NOT_FOUND
                | StatusCode::UNPROCESSABLE_ENTITY
        ),
        "{code}: {body}"
    );
    code.is_success()
}

/// A task's kept counters (completed, started, not started) and the same
/// counted from its status rows, as the API shows them to staff.
async fn counters_and_status_rows(api: &ApiClient, task: i64) -> ([u64; 3], [u64; 3]) {
    let (code, report) = api.get_json(&format!("/api/v1/tasks/{task}/status")).await;
    assert_eq!(code, StatusCode::OK, "{report}");
    let kept = ["completed", "started", "not_started"]
        .map(|status| report[status].as_u64().expect("a count"));
    let rows = ["completed", "started", "not_started"].map(|status| {
        report["municipalities"][status]
            .as_array()
            .map_or(0, |list| list.len() as u64)
    });
    assert_eq!(
        report["total"].as_u64(),
        Some(kept.iter().sum()),
        "{report}"
    );
    (kept, rows)
}

async fn municipality_ids(api: &ApiClient) -> Vec<i64> {
    let (_, all) = api.get_json("/api/v1/municipalities").await;
    all.as_array()
        .expect("a list")
        .iter()
        .map(|m| m["id"].as_i64().expect("an id"))
        .collect()
}

/// Several clients with a token each, so that the requests do not queue
/// on one token's row before they reach the race.
async fn clients(app: &TestApp, login: &str, count: usize) -> Vec<Arc<ApiClient>> {
    let mut all = Vec::new();
    for _ in 0..count {
        all.push(Arc::new(app.api_client(login).await));
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_changes_of_one_municipalitys_status_keep_the_counters_equal_to_the_statuses() {
    let app = TestApp::start_with_tasks().await;
    let task = app.task_id("Etabler brugeradministration på KLIK").await;
    let staff = clients(&app, "staff", 3).await;
    let (kept, rows) = counters_and_status_rows(&staff[0], task).await;
    assert_eq!(kept, rows);
    let total: u64 = rows.iter().sum();
    let orgs = municipality_ids(&staff[0]).await;

    // Per municipality, at the same moment: two "started" and one back to
    // "not started" (the administrator and a user disagreeing), for 30
    // municipalities at once, in a few rounds.
    for round in 0..4 {
        let mut requests = JoinSet::new();
        for org in orgs.iter().copied().skip(round * 20).take(30) {
            for (client, status, reason) in [
                (0, "started", None),
                (1, "started", None),
                (2, "not_started", Some("retur")),
            ] {
                let api = staff[client].clone();
                requests.spawn(async move {
                    api.send_json(
                        Method::PUT,
                        &format!("/api/v1/tasks/{task}/municipalities/{org}/status"),
                        json!({"status": status, "reason": reason}),
                    )
                    .await
                });
            }
        }
        while let Some(answer) = requests.join_next().await {
            let (code, body) = answer.expect("the request task ran");
            done_or_refused(code, &body);
        }
        let (kept, rows) = counters_and_status_rows(&staff[0], task).await;
        assert_eq!(kept, rows, "round {round}: counters against status rows");
        assert_eq!(rows.iter().sum::<u64>(), total, "round {round}");
    }
}

async fn new_role(staff: &ApiClient, name: &str, max_holders: Option<u32>) -> i64 {
    let (code, created) = staff
        .send_json(
            Method::POST,
            "/api/v1/roles",
            json!({ "name": name, "max_holders": max_holders, "requires_primary": true }),
        )
        .await;
    assert_eq!(code, StatusCode::CREATED, "{created}");
    created["role"]["id"].as_i64().expect("role id")
}

/// The current assignments of one role in a municipality: (id, primary).
async fn holders(admin: &ApiClient, org: i64, role: i64) -> Vec<(i64, bool)> {
    let (code, all) = admin
        .get_json(&format!("/api/v1/municipalities/{org}/role-assignments"))
        .await;
    assert_eq!(code, StatusCode::OK, "{all}");
    all.as_array()
        .expect("a list")
        .iter()
        .filter(|a| a["role_id"].as_i64() == Some(role) && a["current"] == true)
        .map(|a| (a["id"].as_i64().expect("id"), a["primary"] == true))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_assignments_keep_max_holders_and_one_primary_holder() {
    let app = TestApp::start_with_roles().await;
    let staff = app.api_client("staff").await;
    let admins = clients(&app, "admin-751", 2).await;
    let aarhus = app.org_id("municipality-751").await;
    let people: Vec<i64> = {
        let (_, users) = admins[0]
            .get_json(&format!("/api/v1/organisations/{aarhus}/users"))
            .await;
        ["admin-751", "user-751"]
            .iter()
            .map(|login| {
                users
                    .as_array()
                    .and_then(|all| all.iter().find(|u| u["login"] == *login))
                    .and_then(|u| u["id"].as_i64())
                    .expect("the person exists")
            })
            .collect()
    };

    for round in 0..6 {
        // Two administrators give a one-holder role to two people at once,
        // each as the primary holder.
        let single = new_role(&staff, &format!("Eneansvarlig {round}"), Some(1)).await;
        // And a role with room for both, both as the primary holder.
        let shared = new_role(&staff, &format!("Fællesansvarlig {round}"), None).await;
        let mut requests = JoinSet::new();
        for role in [single, shared] {
            for (admin, person) in admins.iter().zip(&people) {
                let (admin, person) = (admin.clone(), *person);
                requests.spawn(async move {
                    admin
                        .send_json(
                            Method::POST,
                            &format!("/api/v1/municipalities/{aarhus}/role-assignments"),
                            json!({ "role_id": role, "user_id": person, "primary": true }),
                        )
                        .await
                });
            }
        }
        while let Some(answer) = requests.join_next().await {
            let (code, body) = answer.expect("the request task ran");
            done_or_refused(code, &body);
        }
        let single_holders = holders(&admins[0], aarhus, single).await;
        assert_eq!(single_holders.len(), 1, "round {round}: max_holders = 1");
        let shared_holders = holders(&admins[0], aarhus, shared).await;
        assert_eq!(shared_holders.len(), 2, "round {round}: room for both");
        let primaries = |held: &[(i64, bool)]| held.iter().filter(|(_, p)| *p).count();
        assert_eq!(primaries(&shared_holders), 1, "round {round}: one primary");

        // Both marked primary at once: still one.
        let mut requests = JoinSet::new();
        for ((id, _), admin) in shared_holders.iter().zip(&admins) {
            let (admin, id) = (admin.clone(), *id);
            requests.spawn(async move {
                admin
                    .send_json(
                        Method::POST,
                        &format!("/api/v1/municipalities/{aarhus}/role-assignments/{id}/primary"),
                        json!({}),
                    )
                    .await
            });
        }
        while let Some(answer) = requests.join_next().await {
            let (code, body) = answer.expect("the request task ran");
            assert_eq!(code, StatusCode::OK, "{body}");
        }
        let shared_holders = holders(&admins[0], aarhus, shared).await;
        assert_eq!(primaries(&shared_holders), 1, "round {round}: one primary");
    }
}

async fn new_task(staff: &ApiClient, project: i64, title: &str) -> i64 {
    let (code, task) = staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project, "title": title, "type": "mandatory" }),
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{task}");
    task["id"].as_i64().expect("task id")
}

async fn publish(staff: &ApiClient, task: i64) {
    let (code, body) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{task}/publish"),
            json!({}),
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ending_solution_use_while_progress_is_reported_loses_no_progress() {
    let app = TestApp::start_with_tasks().await;
    let staff = clients(&app, "staff", 3).await;
    let orgs = municipality_ids(&staff[0]).await;

    for round in 0..3 {
        // An IT solution every municipality uses, with one published task.
        let (code, project) = staff[0]
            .send_json(
                Method::POST,
                "/api/v1/projects",
                json!({ "name": format!("Samtidig {round}") }),
            )
            .await;
        assert_eq!(code, StatusCode::OK, "{project}");
        let project = project["id"].as_i64().expect("project id");
        let task = new_task(&staff[0], project, &format!("Tag i brug {round}")).await;
        publish(&staff[0], task).await;

        // Every municipality stops using it while it reports progress (or,
        // every other one, comments): one of the two is refused.
        let mut requests = JoinSet::new();
        for (n, org) in orgs.iter().copied().enumerate() {
            let remover = staff[0].clone();
            requests.spawn(async move {
                let (code, body) = remover
                    .send_json(
                        Method::PUT,
                        &format!("/api/v1/municipalities/{org}/solutions/{project}"),
                        json!({ "uses": false }),
                    )
                    .await;
                (org, "removal", done_or_refused(code, &body))
            });
            let reporter = staff[1].clone();
            requests.spawn(async move {
                let (kind, path, body) = match n % 2 {
                    0 => (
                        "progress",
                        format!("/api/v1/tasks/{task}/municipalities/{org}/status"),
                        json!({ "status": "started" }),
                    ),
                    _ => (
                        "comment",
                        format!("/api/v1/tasks/{task}/municipalities/{org}/comments"),
                        json!({ "body": "Vi er i gang" }),
                    ),
                };
                let method = match kind {
                    "progress" => Method::PUT,
                    _ => Method::POST,
                };
                let (code, body) = reporter.send_json(method, &path, body).await;
                (org, kind, done_or_refused(code, &body))
            });
        }
        let mut progress = std::collections::HashSet::new();
        let mut reported = std::collections::HashSet::new();
        let mut removed = std::collections::HashSet::new();
        while let Some(answer) = requests.join_next().await {
            let (org, kind, done) = answer.expect("the request task ran");
            match (kind, done) {
                (_, false) => {}
                ("removal", true) => {
                    removed.insert(org);
                }
                ("progress", true) => {
                    progress.insert(org);
                    reported.insert(org);
                }
                (_, true) => {
                    reported.insert(org);
                }
            }
        }
        let (_, report) = staff[0]
            .get_json(&format!("/api/v1/tasks/{task}/status"))
            .await;
        let started: std::collections::HashSet<i64> = report["municipalities"]["started"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|m| m["id"].as_i64().expect("an id"))
            .collect();
        assert_eq!(
            started, progress,
            "round {round}: every progress answered 200 is kept, and only that"
        );
        assert!(
            reported.is_disjoint(&removed),
            "round {round}: never both the removal and the progress or comment"
        );
        assert_eq!(reported.len() + removed.len(), orgs.len(), "round {round}");
        let (kept, rows) = counters_and_status_rows(&staff[0], task).await;
        assert_eq!(kept, rows, "round {round}: counters against status rows");

        // They all come back while a second task is published: every
        // participant gets both tasks, once.
        let second = new_task(&staff[0], project, &format!("Brug videre {round}")).await;
        let mut requests = JoinSet::new();
        for org in removed.iter().copied() {
            let api = staff[org as usize % 2].clone();
            requests.spawn(async move {
                api.send_json(
                    Method::PUT,
                    &format!("/api/v1/municipalities/{org}/solutions/{project}"),
                    json!({ "uses": true }),
                )
                .await
            });
        }
        let publisher = staff[2].clone();
        requests.spawn(async move {
            publisher
                .send_json(
                    Method::POST,
                    &format!("/api/v1/tasks/{second}/publish"),
                    json!({}),
                )
                .await
        });
        while let Some(answer) = requests.join_next().await {
            let (code, body) = answer.expect("the request task ran");
            assert!(code.is_success(), "{code}: {body}");
        }
        for task in [task, second] {
            let (kept, rows) = counters_and_status_rows(&staff[0], task).await;
            assert_eq!(kept, rows, "round {round}: counters against status rows");
            assert_eq!(
                rows.iter().sum::<u64>(),
                orgs.len() as u64,
                "round {round}: a status row for every participant of task {task}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_access_while_a_role_of_the_solution_is_given_leaves_no_holder_without_access() {
    let app = TestApp::start_with_roles().await;
    let staff = app.api_client("staff").await;
    let admins = clients(&app, "admin-751", 2).await;
    let aarhus = app.org_id("municipality-751").await;
    let (_, projects) = staff.get_json("/api/v1/projects").await;
    let dos = projects
        .as_array()
        .and_then(|all| all.iter().find(|p| p["name"] == "DOS"))
        .and_then(|p| p["id"].as_i64())
        .expect("Aarhus uses DOS");
    let (code, created) = staff
        .send_json(
            Method::POST,
            "/api/v1/roles",
            json!({ "name": "DOS-koordinator", "solution_id": dos }),
        )
        .await;
    assert_eq!(code, StatusCode::CREATED, "{created}");
    let role = created["role"]["id"].as_i64().expect("role id");
    let operator = Principal::operator()
        .admin_access(OrgId(aarhus))
        .expect("operator");
    let mut people = Vec::new();
    for n in 0..12 {
        let person = app
            .storage
            .create_user(
                &operator,
                &NewUser {
                    login: Login::parse(&format!("koordinator-{n}")).expect("login"),
                    display_name: format!("Koordinator {n}"),
                    email: None,
                    phone: None,
                    job_title: None,
                    org_unit_id: None,
                    role: AccessRole::User,
                    user_type: UserType::Ordinary,
                    password_hash: None,
                },
            )
            .await
            .expect("person created");
        let access = format!(
            "/api/v1/municipalities/{aarhus}/solution-access/{}/{dos}",
            person.id.0
        );
        let (code, body) = admins[0].send_json(Method::PUT, &access, json!({})).await;
        assert_eq!(code, StatusCode::NO_CONTENT, "{body}");
        people.push((person.id.0, access));
    }

    // One administrator takes each person's access away while the other
    // gives them the solution's role.
    let mut requests = JoinSet::new();
    for (person, access) in people {
        let revoker = admins[0].clone();
        requests.spawn(async move {
            let (code, body) = revoker.send_json(Method::DELETE, &access, json!({})).await;
            done_or_refused(code, &body)
        });
        let assigner = admins[1].clone();
        requests.spawn(async move {
            let (code, body) = assigner
                .send_json(
                    Method::POST,
                    &format!("/api/v1/municipalities/{aarhus}/role-assignments"),
                    json!({ "role_id": role, "user_id": person }),
                )
                .await;
            done_or_refused(code, &body)
        });
    }
    while let Some(answer) = requests.join_next().await {
        answer.expect("the request task ran");
    }
    let (_, granted) = admins[0]
        .get_json(&format!("/api/v1/municipalities/{aarhus}/solution-access"))
        .await;
    let with_access: std::collections::HashSet<i64> = granted
        .as_array()
        .expect("a list")
        .iter()
        .filter(|a| a["solution_id"].as_i64() == Some(dos))
        .map(|a| a["user_id"].as_i64().expect("a user"))
        .collect();
    let (_, assignments) = admins[0]
        .get_json(&format!("/api/v1/municipalities/{aarhus}/role-assignments"))
        .await;
    for holder in assignments
        .as_array()
        .expect("a list")
        .iter()
        .filter(|a| a["role_id"].as_i64() == Some(role))
    {
        let user = holder["user_id"].as_i64().expect("a user");
        assert!(
            with_access.contains(&user),
            "{user} holds a role of DOS without access to DOS"
        );
    }
}
