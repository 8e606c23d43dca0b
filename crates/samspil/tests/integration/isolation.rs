//! Every API operation, aimed by one municipality's administrator at
//! another municipality's data, is refused — or, where an operation cannot
//! name another municipality at all, answers without a trace of it. The
//! table lists every operation of the OpenAPI document; a new operation
//! without a line here fails the test, so no endpoint escapes the check.

use reqwest::{Method, StatusCode};
use samspil_domain::task::{TaskId, TaskType};
use samspil_domain::{OrgId, Principal};
use samspil_storage::{NewAttachment, NewTask, TaskParty};
use serde_json::{Value, json};

use crate::harness::TestApp;

/// What Odense keeps to itself; it must never show in Aarhus' answers.
const SECRET: &str = "Odense-hemmelighed";

enum Expect {
    /// 403 or 404: the operation names Odense's data (or is the
    /// community's) and is refused.
    Refused,
    /// The operation only ever reads or writes the caller's own data or
    /// public reference data; it answers, without Odense's secret.
    OwnOnly,
}

struct Probe {
    method: Method,
    /// As in the OpenAPI document.
    template: &'static str,
    body: Value,
    expect: Expect,
}

fn probe(method: Method, template: &'static str, body: Value, expect: Expect) -> Probe {
    Probe {
        method,
        template,
        body,
        expect,
    }
}

#[tokio::test]
async fn no_operation_lets_one_municipality_reach_anothers_data() {
    let app = TestApp::start_with_roles().await;
    let odense = OrgId(app.org_id("municipality-461").await);
    let odense_access = Principal::operator()
        .admin_access(odense)
        .expect("operator");
    let community = Principal::operator().community_access().expect("operator");
    let project = app.storage.projects().await.expect("projects")[0].id;

    // Odense's own things: a local task, a file and a comment on a shared
    // task, a role holder, a person.
    let local = app
        .storage
        .create_local_task(
            &odense_access,
            &NewTask {
                project_id: project,
                code: None,
                title: SECRET.into(),
                description: String::new(),
                task_type: TaskType::Mandatory,
                schedule: Default::default(),
                executor_role: None,
                involved_roles: None,
                business_area: None,
                guidance: Default::default(),
            },
        )
        .await
        .expect("local task")
        .task
        .id;
    let shared = TaskId(
        app.task_id("Udskift kommunens IdP certifikat til OCES3")
            .await,
    );
    let file = app
        .storage
        .add_attachment(
            TaskParty::Municipality(&odense_access),
            shared,
            &NewAttachment {
                file_name: format!("{SECRET}.pdf"),
                content: b"%PDF-1.4".to_vec(),
                sha256: String::new(),
            },
        )
        .await
        .expect("file")
        .id;
    app.storage
        .add_comment(&odense_access, shared, SECRET)
        .await
        .expect("comment");
    let holder = app
        .storage
        .role_assignments(&odense_access)
        .await
        .expect("assignments")[0]
        .id
        .0;
    let person = app.storage.users(&odense_access).await.expect("users")[0]
        .id
        .0;
    let role = app.storage.roles().await.expect("roles")[0].id.0;
    let list = app
        .storage
        .create_contact_list(&community, "Borgmestre", "")
        .await
        .expect("list")
        .id;

    let o = odense.0;
    let p = project.0;
    let (l, t) = (local.0, shared.0);
    use Expect::{OwnOnly, Refused};
    use Method as M;
    let probes = vec![
        probe(M::GET, "/api/v1/contact-lists", json!({}), Refused),
        probe(
            M::POST,
            "/api/v1/contact-lists",
            json!({"name": "x"}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/contact-lists/{id}/entries",
            json!({}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/contact-lists/{id}/entries",
            json!({"name": "x"}),
            Refused,
        ),
        probe(
            M::DELETE,
            "/api/v1/contact-lists/{id}/entries/{entry_id}",
            json!({}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/exports/progress/{table}",
            json!({}),
            Refused,
        ),
        probe(M::GET, "/api/v1/exports/status", json!({}), OwnOnly),
        probe(M::GET, "/api/v1/exports/tasks/{id}", json!({}), Refused),
        probe(M::GET, "/api/v1/inbox", json!({}), OwnOnly),
        probe(M::GET, "/api/v1/me", json!({}), OwnOnly),
        probe(M::GET, "/api/v1/messages", json!({}), Refused),
        probe(
            M::POST,
            "/api/v1/messages",
            json!({"category": "news", "subject": "x", "body": "x", "audience": {"kind": "municipalities", "ids": [o]}}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/messages/recipients",
            json!({"kind": "municipalities", "ids": [o]}),
            Refused,
        ),
        probe(M::GET, "/api/v1/municipalities", json!({}), OwnOnly),
        probe(
            M::GET,
            "/api/v1/municipalities/{id}/deliveries",
            json!({}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/municipalities/{org_id}/role-assignments",
            json!({}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/municipalities/{org_id}/role-assignments",
            json!({"role_id": role, "user_id": person}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/municipalities/{org_id}/role-assignments/{id}/end",
            json!({}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/municipalities/{org_id}/role-assignments/{id}/primary",
            json!({}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/municipalities/{org_id}/role-gaps",
            json!({}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/municipalities/{org_id}/solution-access",
            json!({}),
            Refused,
        ),
        probe(
            M::DELETE,
            "/api/v1/municipalities/{org_id}/solution-access/{user_id}/{project_id}",
            json!({}),
            Refused,
        ),
        probe(
            M::PUT,
            "/api/v1/municipalities/{org_id}/solution-access/{user_id}/{project_id}",
            json!({}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/municipalities/{org_id}/solutions",
            json!({}),
            Refused,
        ),
        probe(
            M::PUT,
            "/api/v1/municipalities/{org_id}/solutions/{project_id}",
            json!({"uses": false}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/notification-preferences",
            json!({}),
            OwnOnly,
        ),
        probe(
            M::PUT,
            "/api/v1/notification-preferences",
            json!([]),
            OwnOnly,
        ),
        probe(M::GET, "/api/v1/organisations", json!({}), OwnOnly),
        probe(
            M::GET,
            "/api/v1/organisations/{id}/users",
            json!({}),
            Refused,
        ),
        probe(M::GET, "/api/v1/projects", json!({}), OwnOnly),
        probe(M::POST, "/api/v1/projects", json!({"name": "x"}), Refused),
        probe(M::GET, "/api/v1/role-gaps", json!({}), OwnOnly),
        probe(M::GET, "/api/v1/roles", json!({}), OwnOnly),
        probe(M::POST, "/api/v1/roles", json!({"name": "x"}), Refused),
        probe(M::PUT, "/api/v1/roles/{id}", json!({"name": "x"}), Refused),
        probe(M::GET, "/api/v1/roles/{id}/holders", json!({}), Refused),
        probe(M::GET, "/api/v1/tasks", json!({}), OwnOnly),
        probe(
            M::POST,
            "/api/v1/tasks",
            json!({"project_id": p, "title": "x", "type": "mandatory"}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/tasks/local",
            json!({"project_id": p, "title": "Aarhus' egen", "type": "mandatory"}),
            OwnOnly,
        ),
        probe(M::GET, "/api/v1/tasks/{id}", json!({}), Refused),
        probe(
            M::PATCH,
            "/api/v1/tasks/{id}",
            json!({"type": "mandatory", "reason": "x"}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/tasks/{id}/answers/summary",
            json!({}),
            Refused,
        ),
        probe(M::PUT, "/api/v1/tasks/{id}/assignee", json!({}), Refused),
        probe(M::GET, "/api/v1/tasks/{id}/attachments", json!({}), Refused),
        probe(
            M::GET,
            "/api/v1/tasks/{id}/attachments/{attachment_id}",
            json!({}),
            Refused,
        ),
        probe(M::POST, "/api/v1/tasks/{id}/close", json!({}), Refused),
        probe(
            M::GET,
            "/api/v1/tasks/{id}/municipalities/{org_id}/answers",
            json!({}),
            Refused,
        ),
        probe(
            M::PUT,
            "/api/v1/tasks/{id}/municipalities/{org_id}/answers",
            json!({"answers": []}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/tasks/{id}/municipalities/{org_id}/comments",
            json!({}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/tasks/{id}/municipalities/{org_id}/comments",
            json!({"body": "x"}),
            Refused,
        ),
        probe(
            M::PUT,
            "/api/v1/tasks/{id}/municipalities/{org_id}/status",
            json!({"status": "started"}),
            Refused,
        ),
        probe(M::POST, "/api/v1/tasks/{id}/publish", json!({}), Refused),
        probe(M::GET, "/api/v1/tasks/{id}/questions", json!({}), Refused),
        probe(
            M::POST,
            "/api/v1/tasks/{id}/questions",
            json!({"prompt": "x", "kind": "text"}),
            Refused,
        ),
        probe(M::GET, "/api/v1/tasks/{id}/status", json!({}), Refused),
    ];

    // Every operation of the document has its line.
    let (_, document) = app.anonymous_api().get_json("/api/v1/openapi.json").await;
    let mut missing = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some()
                && !probes.iter().any(|pr| {
                    pr.template == path && pr.method.as_str().eq_ignore_ascii_case(method)
                })
            {
                missing.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "operations without an isolation probe: {missing:#?}"
    );

    // The ids that aim at Odense: for a task, Odense's local task where the
    // operation reads the task itself, the shared task where it reads
    // Odense's part of it.
    let aimed = |template: &str| -> String {
        let shared_part = template.contains("{org_id}") || template.contains("{attachment_id}");
        let task = if shared_part { t } else { l };
        template
            .replace("/contact-lists/{id}", &format!("/contact-lists/{list}"))
            .replace("{entry_id}", "1")
            .replace(
                "/role-assignments/{id}",
                &format!("/role-assignments/{holder}"),
            )
            .replace("/municipalities/{id}", &format!("/municipalities/{o}"))
            .replace("/organisations/{id}", &format!("/organisations/{o}"))
            .replace("/roles/{id}", &format!("/roles/{role}"))
            .replace("/tasks/{id}", &format!("/tasks/{task}"))
            .replace("{org_id}", &o.to_string())
            .replace("{user_id}", &person.to_string())
            .replace("{project_id}", &p.to_string())
            .replace("{attachment_id}", &file.to_string())
            .replace("{table}", "kommuner")
            + if template.starts_with("/api/v1/exports/") {
                "?format=csv"
            } else {
                ""
            }
    };

    let aarhus = app.api_client("admin-751").await;
    let mut failures = Vec::new();
    for pr in &probes {
        let path = aimed(pr.template);
        let (status, text) = if pr.method == Method::GET {
            let response = aarhus.get(&path).await;
            let status = response.status();
            (status, response.text().await.expect("text"))
        } else {
            let (status, body) = aarhus
                .send_json(pr.method.clone(), &path, pr.body.clone())
                .await;
            (status, body.to_string())
        };
        let fine = match pr.expect {
            Expect::Refused => status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            Expect::OwnOnly => status.is_success() && !text.contains(SECRET),
        };
        if !fine {
            failures.push(format!("{} {path}: {status}", pr.method));
        }
    }
    assert!(failures.is_empty(), "reached Odense's data: {failures:#?}");

    // Nothing of Odense's changed.
    let local_task = app
        .storage
        .municipality_task(&odense_access, local)
        .await
        .expect("storage")
        .expect("still there");
    assert_eq!(local_task.task.title, SECRET);
    let comments = app
        .storage
        .comments(&odense_access, shared)
        .await
        .expect("comments");
    assert_eq!(comments.len(), 1);
}
