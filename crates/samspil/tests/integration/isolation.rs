//! Every endpoint, aimed by each kind of Aarhus person at Odense's data, is
//! refused — or, where an endpoint cannot name another municipality at all,
//! answers without a trace of it — and nothing of Odense's changes.
//!
//! Two tables: one line per operation of the OpenAPI document (the JSON
//! API, called with each person's bearer token) and one line per page
//! route `samspil-web` declares (called with each person's session). A new
//! operation or page route without a line fails the test, so no endpoint
//! escapes the check.

use reqwest::{Method, StatusCode};
use samspil::demo::DEMO_PASSWORD;
use samspil_coordination::task::ProjectId;
use samspil_coordination::task::{TaskId, TaskType};
use samspil_coordination_storage::{NewAttachment, NewTask, TaskParty};
use samspil_domain::{AccessRole, Login, OrgId, Principal, UserType};
use samspil_storage::NewUser;
use serde_json::{Value, json};

use crate::harness::{Browser, TestApp};

/// What Odense keeps to itself; it must never show in Aarhus' answers.
const SECRET: &str = "Odense-hemmelighed";

enum Expect {
    /// 403 or 404: the operation names Odense's data (or is the
    /// community's) and is refused.
    Refused,
    /// The operation only ever reads or writes the caller's own data or
    /// public reference data; it answers, without Odense's secret (or, for
    /// a person whose kind may not use it at all, is refused).
    OwnOnly,
    /// Before or outside a session (login, language, assets, health): not
    /// about any municipality; answered without Odense's secret.
    Public,
}

/// The kinds of Aarhus person the probes are sent as, and someone without
/// any credential.
const CALLERS: [&str; 5] = ["admin-751", "user-751", "let-751", "laeser-751", ANONYMOUS];
const ANONYMOUS: &str = "anonymous";

/// Adds Aarhus' light user and reader (the demo has only ordinary people).
async fn add_other_kinds_of_people(app: &TestApp) {
    let aarhus = OrgId(app.org_id("municipality-751").await);
    let access = Principal::operator()
        .admin_access(aarhus)
        .expect("operator");
    let hash = samspil_auth::hash_password(DEMO_PASSWORD).expect("hash");
    for (login, user_type) in [
        ("let-751", UserType::Light),
        ("laeser-751", UserType::Reader),
    ] {
        app.storage
            .create_user(
                &access,
                &NewUser {
                    login: Login::parse(login).expect("login"),
                    display_name: format!("Aarhus {login}"),
                    email: Some(format!("{login}@aarhus.kommune.example")),
                    phone: None,
                    job_title: None,
                    org_unit_id: None,
                    role: AccessRole::User,
                    user_type,
                    password_hash: Some(hash.clone()),
                },
            )
            .await
            .expect("person created");
    }
}

/// Odense's things, planted before the probes: a local task, a file and a
/// comment on a shared task, a role holder, a person; and a contact list
/// of the community's.
struct OdenseData {
    odense: OrgId,
    local: TaskId,
    shared: TaskId,
    file: i64,
    holder: i64,
    person: i64,
    role: i64,
    list: i64,
    project: ProjectId,
    /// An API token of an Odense administrator, labelled with the secret.
    token: i64,
    audit_entries: usize,
    /// A vendor system registered for Odense only, named with the secret
    /// (the citizen store), and its audit rows.
    system: i64,
    system_audit: usize,
}

impl OdenseData {
    async fn plant(app: &TestApp) -> Self {
        let odense = OrgId(app.org_id("municipality-461").await);
        let odense_access = Principal::operator()
            .admin_access(odense)
            .expect("operator");
        let community = Principal::operator().community_access().expect("operator");
        let project = app.coordination.projects().await.expect("projects")[0].id;
        let local = app
            .coordination
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
            .coordination
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
        app.coordination
            .add_comment(&odense_access, shared, SECRET)
            .await
            .expect("comment");
        let holder = app
            .coordination
            .role_assignments(&odense_access)
            .await
            .expect("assignments")[0]
            .id
            .0;
        let person = app.storage.users(&odense_access).await.expect("users")[0]
            .id
            .0;
        // A person whose name would give away any page listing Odense's people.
        app.storage
            .create_user(
                &odense_access,
                &NewUser {
                    login: Login::parse("hemmelig-461").expect("login"),
                    display_name: format!("{SECRET} Person"),
                    email: Some("hemmelig@odense.kommune.example".into()),
                    phone: None,
                    job_title: Some(SECRET.into()),
                    org_unit_id: None,
                    role: AccessRole::User,
                    user_type: UserType::Ordinary,
                    password_hash: None,
                },
            )
            .await
            .expect("person");
        let role = app.coordination.roles().await.expect("roles")[0].id.0;
        let list = app
            .coordination
            .create_contact_list(&community, "Borgmestre", "")
            .await
            .expect("list")
            .id;
        samspil::api_tokens::create(app.storage.as_ref(), "admin-461", SECRET, None)
            .await
            .expect("token");
        let odense_admin = app
            .storage
            .credentials(&Login::parse("admin-461").expect("login"))
            .await
            .expect("credentials")
            .expect("admin-461 exists")
            .user
            .id;
        let token = app.storage.api_tokens(odense_admin).await.expect("tokens")[0].id;
        let audit_entries = app
            .storage
            .audit_entries(&odense_access, 10_000)
            .await
            .expect("audit")
            .len();
        let system = plant_vendor_system(app).await;
        let system_audit = app
            .citizen
            .system_audit(samspil_citizen_storage::SystemId(system))
            .await
            .expect("audit")
            .len();
        OdenseData {
            system,
            system_audit,
            odense,
            local,
            shared,
            file,
            holder,
            person,
            role,
            list,
            project,
            token,
            audit_entries,
        }
    }

    /// Nothing of Odense's changed: its local task and comment are as they
    /// were, and its audit log has no new entry (every change to a
    /// municipality's data writes one in the same transaction).
    async fn assert_untouched(&self, app: &TestApp) {
        let access = Principal::operator()
            .admin_access(self.odense)
            .expect("operator");
        let local_task = app
            .coordination
            .municipality_task(&access, self.local)
            .await
            .expect("storage")
            .expect("still there");
        assert_eq!(local_task.task.title, SECRET);
        let comments = app
            .coordination
            .comments(&access, self.shared)
            .await
            .expect("comments");
        assert_eq!(comments.len(), 1);
        let entries = app
            .storage
            .audit_entries(&access, 10_000)
            .await
            .expect("audit");
        assert_eq!(
            entries.len(),
            self.audit_entries,
            "Odense's audit log changed: {:#?}",
            &entries[..entries.len() - self.audit_entries]
        );
        let system = samspil_citizen_storage::SystemId(self.system);
        let audit = app.citizen.system_audit(system).await.expect("audit");
        assert_eq!(
            audit.len(),
            self.system_audit,
            "Odense's vendor system changed: {audit:#?}"
        );
    }
}

/// Odense's vendor system: registered for Odense (waiting for its
/// approval), with a credential.
/// Odense's person sends input to the probes' meeting: only the
/// community reads it.
async fn plant_meeting_input(app: &TestApp, meeting: i64) {
    let user = app.user("hemmelig-461").await;
    let principal =
        Principal::authenticated(user.id, &user.login, user.org_id, user.role, user.user_type);
    app.coordination
        .send_input(
            &principal,
            samspil_coordination_storage::MeetingId(meeting),
            SECRET,
        )
        .await
        .expect("input sent");
    // And a material file, `/moeder/{meeting}/materialer/1`, for everyone.
    app.coordination
        .add_material_file(
            &Principal::operator().community_access().expect("operator"),
            samspil_coordination_storage::MeetingId(meeting),
            "Præsentation",
            samspil_coordination::meeting::MaterialKind::Slides,
            &samspil_coordination_storage::MaterialFile {
                file_name: "praesentation.pdf".into(),
                content: b"%PDF-1.4".to_vec(),
                sha256: String::new(),
            },
        )
        .await
        .expect("a material file");
}

async fn plant_vendor_system(app: &TestApp) -> i64 {
    let registration = samspil_citizen::SystemRegistration::check(
        "4f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11",
        SECRET,
        SECRET,
        "case",
        "",
    )
    .expect("valid");
    let operator = Principal::operator().actor();
    let system = app
        .citizen
        .register_system(&registration, &operator)
        .await
        .expect("registered");
    app.citizen
        .register_municipality(
            system.id,
            461,
            time::macros::date!(2026 - 01 - 01),
            &operator,
        )
        .await
        .expect("for Odense");
    app.citizen
        .issue_credential(
            system.id,
            &samspil_auth::digest("samspil_odense"),
            samspil_storage::now(),
            &operator,
        )
        .await
        .expect("credential");
    system.id.0
}

/// Whether an answer to a probe keeps Odense's data to Odense.
fn isolated(expect: &Expect, caller: &str, status: StatusCode, text: &str) -> bool {
    let refused = status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND;
    if caller == ANONYMOUS && !matches!(expect, Expect::Public) {
        // Asked to log in (the pages redirect there), or refused by the
        // CSRF check before anything is read.
        return status == StatusCode::UNAUTHORIZED
            || status == StatusCode::FORBIDDEN
            || (status == StatusCode::SEE_OTHER && text.starts_with("/login"));
    }
    // Pages answer a successful form with a redirect, and a form whose
    // input is wrong (a wrong code) with the form again.
    let answered = status.is_success()
        || status.is_redirection()
        || status == StatusCode::BAD_REQUEST
        || status == StatusCode::UNPROCESSABLE_ENTITY;
    match expect {
        Expect::Refused => refused,
        Expect::OwnOnly if caller == "admin-751" => answered && !text.contains(SECRET),
        Expect::OwnOnly => (answered && !text.contains(SECRET)) || status == StatusCode::FORBIDDEN,
        Expect::Public => !text.contains(SECRET) && !status.is_server_error(),
    }
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
async fn no_api_operation_lets_a_municipality_reach_anothers_data() {
    let app = TestApp::start_with_roles().await;
    add_other_kinds_of_people(&app).await;
    let mut data = OdenseData::plant(&app).await;
    let OdenseData {
        odense,
        local,
        shared,
        file,
        holder,
        person,
        role,
        list,
        project,
        ..
    } = data;

    let o = odense.0;
    let p = project.0;
    let (file, holder, person, role, list) = (file, holder, person, role, list);
    // A coming meeting: everyone reads it and registers only themselves.
    let meeting = app
        .coordination
        .create_meeting(
            &Principal::operator()
                .community_access()
                .expect("the operator"),
            &samspil_coordination_storage::NewMeeting {
                kind: samspil_coordination_storage::MeetingKind::Meeting,
                title: "Programledermøde".into(),
                starts_at: samspil_storage::now() + time::Duration::days(20),
                ends_at: samspil_storage::now()
                    + time::Duration::days(20)
                    + time::Duration::hours(2),
                link: "https://teams.microsoft.com/l/x".into(),
                description: String::new(),
                seats: None,
                agenda: Vec::new(),
                materials: Vec::new(),
            },
        )
        .await
        .expect("a meeting")
        .id
        .0;
    plant_meeting_input(&app, meeting).await;
    // That input is Odense's one audited change before the probes.
    data.audit_entries += 1;
    let (l, t) = (local.0, shared.0);
    use Expect::{OwnOnly, Public, Refused};
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
            M::PUT,
            "/api/v1/contact-lists/{id}/entries/{entry_id}",
            json!({ "org_id": null, "name": "x" }),
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
        probe(
            M::PUT,
            "/api/v1/organisations/{id}/users/{user_id}/user-type",
            json!({"user_type": "reader"}),
            Refused,
        ),
        probe(M::GET, "/api/v1/projects", json!({}), OwnOnly),
        probe(M::POST, "/api/v1/projects", json!({"name": "x"}), Refused),
        // The vendor systems' door takes a system's credential, never a
        // person's token (401 to everyone here); isolation between systems
        // is tested in citizen_systems.rs.
        probe(M::GET, "/api/v1/borger/system", json!({}), Public),
        probe(M::GET, "/api/v1/borger/leverancer", json!({}), Public),
        probe(
            M::POST,
            "/api/v1/borger/soap/SagDokumentIndeksService",
            json!({}),
            Public,
        ),
        probe(
            M::POST,
            "/api/v1/borger/sager/import",
            json!({"records": []}),
            Public,
        ),
        probe(
            M::POST,
            "/api/v1/borger/sager/opdater",
            json!({"records": []}),
            Public,
        ),
        probe(M::POST, "/api/v1/borger/sager/soeg", json!({}), Public),
        probe(
            M::POST,
            "/api/v1/borger/sager/fjern",
            json!({"uuids": []}),
            Public,
        ),
        probe(M::GET, "/api/v1/borger/sager/{uuid}", json!({}), Public),
        probe(
            M::POST,
            "/api/v1/borger/dokumenter/import",
            json!({"records": []}),
            Public,
        ),
        probe(
            M::POST,
            "/api/v1/borger/dokumenter/opdater",
            json!({"records": []}),
            Public,
        ),
        probe(M::POST, "/api/v1/borger/dokumenter/soeg", json!({}), Public),
        probe(
            M::POST,
            "/api/v1/borger/dokumenter/fjern",
            json!({"uuids": []}),
            Public,
        ),
        probe(
            M::GET,
            "/api/v1/borger/dokumenter/{uuid}",
            json!({}),
            Public,
        ),
        probe(
            M::POST,
            "/api/v1/borger/ydelser/import",
            json!({"records": []}),
            Public,
        ),
        probe(
            M::POST,
            "/api/v1/borger/ydelser/opdater",
            json!({"records": []}),
            Public,
        ),
        probe(M::POST, "/api/v1/borger/ydelser/soeg", json!({}), Public),
        probe(
            M::POST,
            "/api/v1/borger/ydelser/fjern",
            json!({"uuids": []}),
            Public,
        ),
        probe(M::GET, "/api/v1/borger/ydelser/{uuid}", json!({}), Public),
        probe(
            M::POST,
            "/api/v1/borger/soap/YdelseIndeksService",
            json!({}),
            Public,
        ),
        probe(
            M::POST,
            "/api/v1/borger/soap/BevillingIndeksService",
            json!({}),
            Public,
        ),
        probe(
            M::POST,
            "/api/v1/borger/soap/OekonomiskEffektueringIndeksService",
            json!({}),
            Public,
        ),
        probe(
            M::POST,
            "/api/v1/borger/fordringer/import",
            json!({"records": []}),
            Public,
        ),
        probe(
            M::POST,
            "/api/v1/borger/fordringer/opdater",
            json!({"records": []}),
            Public,
        ),
        probe(M::POST, "/api/v1/borger/fordringer/soeg", json!({}), Public),
        probe(
            M::POST,
            "/api/v1/borger/fordringer/fjern",
            json!({"uuids": []}),
            Public,
        ),
        probe(
            M::GET,
            "/api/v1/borger/fordringer/{uuid}",
            json!({}),
            Public,
        ),
        probe(
            M::POST,
            "/api/v1/borger/aftaler/import",
            json!({"records": []}),
            Public,
        ),
        probe(
            M::POST,
            "/api/v1/borger/aftaler/opdater",
            json!({"records": []}),
            Public,
        ),
        probe(M::POST, "/api/v1/borger/aftaler/soeg", json!({}), Public),
        probe(
            M::POST,
            "/api/v1/borger/aftaler/fjern",
            json!({"uuids": []}),
            Public,
        ),
        probe(M::GET, "/api/v1/borger/aftaler/{uuid}", json!({}), Public),
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
        probe(
            M::PUT,
            "/api/v1/tasks/{id}/content",
            json!({"title": "x", "reason": "x"}),
            Refused,
        ),
        probe(
            M::PUT,
            "/api/v1/tasks/{id}/questions/{question_id}",
            json!({"prompt": "x", "kind": "text", "reason": "x"}),
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
        // The tools' NSIS register: the community's, but for the readiness
        // report (one's own lines) and one's own identity provider's level.
        probe(M::GET, "/api/v1/nsis/elements", json!({}), Refused),
        probe(
            M::POST,
            "/api/v1/nsis/elements",
            json!({"kind": "risk", "name": "x"}),
            Refused,
        ),
        probe(
            M::PUT,
            "/api/v1/nsis/elements/{id}",
            json!({"name": "x", "active": true}),
            Refused,
        ),
        probe(M::GET, "/api/v1/nsis/matrix", json!({}), Refused),
        probe(M::POST, "/api/v1/nsis/matrix", json!({"rows": []}), Refused),
        probe(M::GET, "/api/v1/nsis/assessments", json!({}), Refused),
        probe(
            M::POST,
            "/api/v1/nsis/assessments",
            json!({"solution_id": 1, "user_type": "Leder", "version": {"project_leader": "x",
                   "assessors": "AB", "assessed_on": "2019-06-01", "scores": []}}),
            Refused,
        ),
        probe(M::GET, "/api/v1/nsis/assessments/{id}", json!({}), Refused),
        probe(
            M::GET,
            "/api/v1/nsis/assessments/{id}/file",
            json!({}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/nsis/assessments/{id}/versions",
            json!({"project_leader": "x", "assessors": "AB", "assessed_on": "2019-06-01", "scores": []}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/nsis/assessments/{id}/versions/{version}/approval",
            json!({}),
            Refused,
        ),
        probe(M::GET, "/api/v1/nsis/readiness", json!({}), OwnOnly),
        probe(
            M::PUT,
            "/api/v1/municipalities/{org_id}/nsis-level",
            json!({"level": "Lav"}),
            Refused,
        ),
        // Prices are the community's terms; a bill only one's own.
        probe(M::GET, "/api/v1/prices", json!({}), OwnOnly),
        probe(
            M::POST,
            "/api/v1/prices",
            json!({"solution_id": p, "kroner": "1", "valid_from": "2030-01-01"}),
            Refused,
        ),
        probe(M::GET, "/api/v1/bills", json!({}), OwnOnly),
        // Agreements: the totals are the community's; an answer only one's
        // own.
        // The incidents: Aarhus takes no part in the chain here (403);
        // Odense's incident (number 1) is never reached.
        probe(M::GET, "/api/v1/incidents", json!({}), Refused),
        // A body without the intake is refused before anything is read.
        probe(M::POST, "/api/v1/incidents", json!({}), OwnOnly),
        probe(M::GET, "/api/v1/incidents/{id}", json!({}), Refused),
        probe(
            M::POST,
            "/api/v1/incidents/{id}/links",
            json!({"receiver": 1}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/incidents/{id}/links/{link}/actions",
            json!({"action": "accept"}),
            Refused,
        ),
        probe(
            M::PUT,
            "/api/v1/incidents/{id}/links/{link}/reference",
            json!({"reference": "x"}),
            Refused,
        ),
        probe(M::GET, "/api/v1/incident-links", json!({}), OwnOnly),
        probe(M::GET, "/api/v1/incident-parties", json!({}), OwnOnly),
        probe(M::GET, "/api/v1/agreements", json!({}), OwnOnly),
        probe(
            M::POST,
            "/api/v1/agreements",
            json!({"solution_id": p, "kind": "tilslutningsaftale", "name": "x"}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/agreements/{id}/answers",
            json!({}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/agreements/{id}/answers/history",
            json!({}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/agreements/{id}/documents",
            json!({}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/agreements/{id}/reminders",
            json!({}),
            Refused,
        ),
        probe(
            M::PUT,
            "/api/v1/agreements/{id}/municipalities/{org_id}",
            json!({"state": "declined"}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/agreements/{id}/annexes",
            json!({}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/agreements/{id}/annexes",
            json!({"title": "x"}),
            Refused,
        ),
        probe(
            M::PUT,
            "/api/v1/annexes/{id}/municipalities/{org_id}/acknowledgement",
            json!({}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/annexes/{id}/reminders",
            json!({}),
            Refused,
        ),
        probe(M::GET, "/api/v1/pipelines", json!({}), Refused),
        probe(
            M::POST,
            "/api/v1/pipelines",
            json!({"project_id": p, "template": "steps", "area": "x",
                   "steps": [{"key": "A", "title": "a"}]}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/pipelines/{id}/municipalities",
            json!({}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/pipelines/{id}/claim-types",
            json!({}),
            Refused,
        ),
        probe(
            M::GET,
            "/api/v1/municipalities/{org_id}/pipelines",
            json!({}),
            Refused,
        ),
        probe(M::GET, "/api/v1/meetings", json!({}), OwnOnly),
        probe(M::GET, "/api/v1/meetings/{id}", json!({}), OwnOnly),
        probe(
            M::PUT,
            "/api/v1/meetings/{id}/registration",
            json!({}),
            OwnOnly,
        ),
        probe(
            M::DELETE,
            "/api/v1/meetings/{id}/registration",
            json!({}),
            OwnOnly,
        ),
        probe(
            M::GET,
            "/api/v1/meetings/{id}/attendance",
            json!({}),
            OwnOnly,
        ),
        probe(M::GET, "/api/v1/meetings/{id}/survey", json!({}), OwnOnly),
        probe(
            M::PUT,
            "/api/v1/meetings/{id}/survey",
            json!({ "questions": [{ "key": "a", "text": "A", "kind": "text" }] }),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/meetings/{id}/survey/responses",
            json!({ "answers": {} }),
            OwnOnly,
        ),
        probe(
            M::GET,
            "/api/v1/meetings/{id}/survey/results",
            json!({}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/meetings/{id}/inputs",
            json!({ "text": "Input" }),
            OwnOnly,
        ),
        probe(M::GET, "/api/v1/meetings/{id}/inputs", json!({}), Refused),
        probe(
            M::POST,
            "/api/v1/meetings/{id}/cancellation",
            json!({}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/meetings/{id}/applications",
            json!({ "motivation": "x" }),
            OwnOnly,
        ),
        probe(
            M::GET,
            "/api/v1/meetings/{id}/applications",
            json!({}),
            Refused,
        ),
        probe(
            M::POST,
            "/api/v1/meetings/{id}/selection",
            json!({ "chosen": [] }),
            Refused,
        ),
        probe(M::GET, "/api/v1/pipeline-timeline", json!({}), Public),
        probe(M::PUT, "/api/v1/pipeline-timeline", json!([]), Refused),
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
            .replace("/agreements/{id}", "/agreements/1")
            .replace("/incidents/{id}", "/incidents/1")
            .replace("{link}", "1")
            .replace("/annexes/{id}", "/annexes/1")
            .replace("/pipelines/{id}", "/pipelines/1")
            .replace("/meetings/{id}", &format!("/meetings/{meeting}"))
            .replace("/nsis/elements/{id}", "/nsis/elements/1")
            .replace("/nsis/assessments/{id}", "/nsis/assessments/1")
            .replace("{version}", "1")
            .replace("{entry_id}", "1")
            .replace("{question_id}", "1")
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
            + if template.starts_with("/api/v1/exports/") || template.ends_with("/claim-types") {
                "?format=csv"
            } else if template.ends_with("/file") {
                "?format=pdf"
            } else {
                ""
            }
    };

    let mut failures = Vec::new();
    for caller in CALLERS {
        let client = match caller {
            ANONYMOUS => app.anonymous_api(),
            _ => app.api_client(caller).await,
        };
        for pr in &probes {
            let path = aimed(pr.template);
            let (status, text) = if pr.method == Method::GET {
                let response = client.get(&path).await;
                let status = response.status();
                (status, response.text().await.expect("text"))
            } else {
                let (status, body) = client
                    .send_json(pr.method.clone(), &path, pr.body.clone())
                    .await;
                (status, body.to_string())
            };
            if !isolated(&pr.expect, caller, status, &text) {
                failures.push(format!("{caller}: {} {path}: {status}", pr.method));
            }
        }
    }
    assert!(failures.is_empty(), "reached Odense's data: {failures:#?}");
    data.assert_untouched(&app).await;
}

/// The page routes the shell and every context declare, with their
/// methods: the inventory their routers are built from.
fn declared_routes() -> Vec<(Method, String)> {
    samspil::page_inventory()
}

/// The inventory is the router: every declared route is matched by the
/// router as itself (its own label in `/metrics`), and a path nobody
/// declared is the router's 404.
#[tokio::test]
async fn the_route_inventory_is_the_router() {
    let app = TestApp::start().await;
    let routes = declared_routes();
    assert!(routes.contains(&(Method::GET, "/opgaver/{id}".to_owned())));
    assert!(routes.contains(&(Method::POST, "/opgaver/{id}/bilag".to_owned())));
    assert!(routes.contains(&(Method::POST, "/login/saml/acs".to_owned())));
    assert!(!routes.contains(&(Method::POST, "/opgaver/{id}".to_owned())));
    // The shell adds no route of its own beside the inventory.
    let shell = include_str!("../../../platform/samspil-web/src/lib.rs");
    assert!(
        !shell.contains(".route("),
        "a route added outside the inventory"
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for (method, template) in &routes {
        let path = template
            .replace("{*path}", "samspil.css")
            .replace("{lang}", "da")
            .replace(['{', '}'], "");
        let response = client
            .request(method.clone(), app.url(&path))
            .send()
            .await
            .expect("answered");
        assert_ne!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {template}"
        );
    }
    let undeclared = client
        .get(app.url("/ikke-erklaeret"))
        .send()
        .await
        .expect("answered");
    assert_eq!(undeclared.status(), StatusCode::NOT_FOUND);

    let metrics = client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("answered")
        .text()
        .await
        .expect("text");
    let mut unmatched = Vec::new();
    for (method, template) in &routes {
        let label = format!("method=\"{method}\",route=\"{template}\"");
        if !metrics.contains(&label) {
            unmatched.push(format!("{method} {template}"));
        }
    }
    assert!(
        unmatched.is_empty(),
        "declared but not matched as themselves: {unmatched:#?}"
    );
    assert!(metrics.contains("route=\"unmatched\""), "{metrics}");
}

struct PageProbe {
    method: Method,
    /// As declared in the router.
    template: &'static str,
    /// The path sent: the template aimed at Odense, with a query naming
    /// Odense where the page takes one.
    path: String,
    form: Vec<(&'static str, String)>,
    expect: Expect,
}

fn page(
    method: Method,
    template: &'static str,
    path: String,
    form: &[(&'static str, &str)],
    expect: Expect,
) -> PageProbe {
    PageProbe {
        method,
        template,
        path,
        form: form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        expect,
    }
}

#[tokio::test]
async fn no_page_lets_a_municipality_reach_anothers_data() {
    let app = TestApp::start_with_roles().await;
    add_other_kinds_of_people(&app).await;
    let mut data = OdenseData::plant(&app).await;
    let o = data.odense.0;
    let (l, t, f) = (data.local.0, data.shared.0, data.file);
    let (holder, person, role, list) = (data.holder, data.person, data.role, data.list);
    let (p, ps) = (data.project.0, data.project.0.to_string());
    let (os, persons) = (o.to_string(), person.to_string());
    let roles = role.to_string();
    // A coming meeting: every signed-in person may read it and register
    // themselves; its staff forms are the community's alone.
    let meeting = app
        .coordination
        .create_meeting(
            &Principal::operator()
                .community_access()
                .expect("the operator"),
            &samspil_coordination_storage::NewMeeting {
                kind: samspil_coordination_storage::MeetingKind::Meeting,
                title: "Programledermøde".into(),
                starts_at: samspil_storage::now() + time::Duration::days(20),
                ends_at: samspil_storage::now()
                    + time::Duration::days(20)
                    + time::Duration::hours(2),
                link: "https://teams.microsoft.com/l/x".into(),
                description: String::new(),
                seats: None,
                agenda: Vec::new(),
                materials: Vec::new(),
            },
        )
        .await
        .expect("a meeting")
        .id
        .0;
    plant_meeting_input(&app, meeting).await;
    // That input is Odense's one audited change before the probes.
    data.audit_entries += 1;
    use Expect::{OwnOnly, Public, Refused};
    use Method as M;
    let probes = vec![
        page(M::GET, "/", "/".into(), &[], OwnOnly),
        page(M::GET, "/login", "/login".into(), &[], Public),
        // Sending it would end the session; it only ever ends one's own.
        page(M::POST, "/logout", String::new(), &[], Public),
        page(M::POST, "/login", String::new(), &[], Public),
        page(M::GET, "/sprog/{lang}", "/sprog/da".into(), &[], Public),
        // The second step of a password login: before any session.
        page(M::GET, "/login/kode", "/login/kode".into(), &[], Public),
        page(
            M::POST,
            "/login/kode",
            "/login/kode".into(),
            &[("code", "123456")],
            Public,
        ),
        // One's own second factor: a wrong code is refused as input.
        page(
            M::GET,
            "/konto/sikkerhed",
            "/konto/sikkerhed".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/konto/sikkerhed/tilmeld",
            "/konto/sikkerhed/tilmeld".into(),
            &[
                ("secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
                ("code", "000000"),
            ],
            OwnOnly,
        ),
        page(
            M::POST,
            "/konto/sikkerhed/fjern",
            "/konto/sikkerhed/fjern".into(),
            &[("code", "000000")],
            OwnOnly,
        ),
        // One's own API tokens; another person's token is not found.
        page(
            M::GET,
            "/konto/kalender",
            "/konto/kalender".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/konto/kalender",
            "/konto/kalender".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/konto/kalender/tilbagekald",
            "/konto/kalender/tilbagekald".into(),
            &[],
            OwnOnly,
        ),
        // Outside a session: a feed is found by its secret alone, and a
        // guessed one is not found.
        page(
            M::GET,
            "/kalender/{file}",
            format!("/kalender/{}.ics", "A".repeat(43)),
            &[],
            Public,
        ),
        page(
            M::GET,
            "/konto/api-noegler",
            "/konto/api-noegler".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/konto/api-noegler",
            "/konto/api-noegler".into(),
            &[("label", "Aarhus' script"), ("expires_in_days", "30")],
            OwnOnly,
        ),
        page(
            M::GET,
            "/konto/api-noegler/{id}/tilbagekald",
            format!("/konto/api-noegler/{}/tilbagekald", data.token),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/konto/api-noegler/{id}/tilbagekald",
            format!("/konto/api-noegler/{}/tilbagekald", data.token),
            &[],
            Refused,
        ),
        // Logins through an identity provider: before any session, and
        // the provider's CVR is checked against the municipalities it may
        // vouch for (tests/integration/oidc.rs).
        page(
            M::GET,
            "/login/oidc/{provider}",
            "/login/oidc/aarhus".into(),
            &[],
            Public,
        ),
        page(
            M::GET,
            "/login/oidc/callback",
            "/login/oidc/callback?state=x&code=y".into(),
            &[],
            Public,
        ),
        page(
            M::GET,
            "/login/saml/{provider}",
            "/login/saml/aarhus".into(),
            &[],
            Public,
        ),
        page(
            M::GET,
            "/login/saml/metadata",
            "/login/saml/metadata".into(),
            &[],
            Public,
        ),
        page(
            M::POST,
            "/login/saml/acs",
            "/login/saml/acs".into(),
            &[("SAMLResponse", "x"), ("RelayState", "y")],
            Public,
        ),
        page(M::GET, "/healthz", "/healthz".into(), &[], Public),
        page(M::GET, "/metrics", "/metrics".into(), &[], Public),
        page(
            M::GET,
            "/static/{*path}",
            "/static/samspil.css".into(),
            &[],
            Public,
        ),
        page(
            M::GET,
            "/api/v1/openapi.json",
            "/api/v1/openapi.json".into(),
            &[],
            Public,
        ),
        page(
            M::GET,
            "/organisationer",
            "/organisationer".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::GET,
            "/organisationer/{id}",
            // Odense's name and code are public; its people are not.
            format!("/organisationer/{o}"),
            &[],
            OwnOnly,
        ),
        page(
            M::GET,
            "/opgaver",
            // Not the secret itself: the search field shows what was typed.
            "/opgaver?q=hemmelighed".into(),
            &[],
            OwnOnly,
        ),
        page(M::GET, "/opgaver/ny", "/opgaver/ny".into(), &[], Refused),
        page(
            M::POST,
            "/opgaver/ny",
            "/opgaver/ny".into(),
            &[("project_id", &ps), ("title", "x"), ("type", "mandatory")],
            Refused,
        ),
        page(
            M::GET,
            "/opgaver/lokal/ny",
            "/opgaver/lokal/ny".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/opgaver/lokal/ny",
            "/opgaver/lokal/ny".into(),
            &[
                ("project_id", &ps),
                ("title", "Aarhus' egen"),
                ("type", "mandatory"),
            ],
            OwnOnly,
        ),
        page(
            M::GET,
            "/opgaver/{id}",
            format!("/opgaver/{l}"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/opgaver/{id}/status",
            format!("/opgaver/{l}/status"),
            &[("status", "started")],
            Refused,
        ),
        page(
            M::POST,
            "/opgaver/{id}/tildel",
            format!("/opgaver/{l}/tildel"),
            &[("assignee", &format!("user:{persons}"))],
            Refused,
        ),
        page(
            M::POST,
            "/opgaver/{id}/spoergsmaal",
            format!("/opgaver/{l}/spoergsmaal"),
            &[("prompt", "x"), ("kind", "text")],
            Refused,
        ),
        page(
            M::GET,
            "/opgaver/{id}/{file}",
            format!("/opgaver/{l}/eksport.csv"),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/opgaver/{id}/bekraeft/{action}",
            format!("/opgaver/{l}/bekraeft/publicer"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/opgaver/{id}/bilag",
            format!("/opgaver/{l}/bilag"),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/opgaver/{id}/opgave.pdf",
            format!("/opgaver/{l}/opgave.pdf"),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/opgaver/{id}/bilag/{file}",
            format!("/opgaver/{t}/bilag/{f}"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/opgaver/{id}/svar",
            format!("/opgaver/{l}/svar"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/opgaver/{id}/kommentarer",
            format!("/opgaver/{l}/kommentarer"),
            &[("body", "x")],
            Refused,
        ),
        page(
            M::POST,
            "/opgaver/{id}/luk",
            format!("/opgaver/{l}/luk"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/opgaver/{id}/publicer",
            format!("/opgaver/{l}/publicer"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/opgaver/{id}/aendr",
            format!("/opgaver/{l}/aendr"),
            &[("type", "mandatory"), ("reason", "x")],
            Refused,
        ),
        page(
            M::GET,
            "/opgaver/{id}/rediger",
            format!("/opgaver/{l}/rediger"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/opgaver/{id}/rediger",
            format!("/opgaver/{l}/rediger"),
            &[("title", "x"), ("reason", "x")],
            Refused,
        ),
        page(
            M::POST,
            "/opgaver/{id}/spoergsmaal/{question}",
            format!("/opgaver/{l}/spoergsmaal/1"),
            &[("prompt", "x"), ("kind", "text"), ("reason", "x")],
            Refused,
        ),
        page(M::GET, "/status", "/status".into(), &[], OwnOnly),
        page(
            M::GET,
            "/status/{file}",
            "/status/eksport.csv".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::GET,
            "/status/fremdrift",
            "/status/fremdrift".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/status/fremdrift/{file}",
            "/status/fremdrift/eksport.csv?table=kommuner".into(),
            &[],
            Refused,
        ),
        // The vendor systems (the citizen context): Aarhus' administrator
        // sees Aarhus' systems only; Odense's is not found; only staff
        // change systems, and only Odense approves for Odense.
        page(
            M::GET,
            "/borger/systemer",
            "/borger/systemer".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/borger/systemer",
            "/borger/systemer".into(),
            &[
                ("it_system_uuid", "5f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11"),
                ("name", "x"),
                ("vendor", "x"),
                ("kind", "case"),
            ],
            Refused,
        ),
        page(
            M::GET,
            "/borger/systemer/{id}",
            format!("/borger/systemer/{}", data.system),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/borger/systemer/{id}/kommuner",
            format!("/borger/systemer/{}/kommuner", data.system),
            &[("municipality", "751"), ("valid_from", "2026-01-01")],
            Refused,
        ),
        page(
            M::POST,
            "/borger/systemer/{id}/kommuner/{code}/godkend",
            format!("/borger/systemer/{}/kommuner/461/godkend", data.system),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/borger/systemer/{id}/noegler",
            format!("/borger/systemer/{}/noegler", data.system),
            &[("overlap_hours", "0")],
            Refused,
        ),
        page(
            M::POST,
            "/borger/systemer/{id}/noegler/{credential}/tilbagekald",
            format!("/borger/systemer/{}/noegler/1/tilbagekald", data.system),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/borger/systemer/{id}/kommuner/{code}/fjern",
            format!("/borger/systemer/{}/kommuner/461/fjern", data.system),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/borger/systemer/{id}/kommuner/{code}/fjern",
            format!("/borger/systemer/{}/kommuner/461/fjern", data.system),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/borger/systemer/{id}/leverancer",
            format!("/borger/systemer/{}/leverancer", data.system),
            &[],
            Refused,
        ),
        // The compliance test: staff only.
        page(
            M::GET,
            "/borger/systemer/{id}/overensstemmelse",
            format!("/borger/systemer/{}/overensstemmelse", data.system),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/borger/systemer/{id}/deaktiver",
            format!("/borger/systemer/{}/deaktiver", data.system),
            &[],
            Refused,
        ),
        // The claim types (debts): Aarhus' administrator sees and changes
        // Aarhus' own; Odense's named is not found.
        page(
            M::GET,
            "/borger/fordringstyper",
            "/borger/fordringstyper?kommune=461".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/borger/fordringstyper/verifikation",
            "/borger/fordringstyper/verifikation".into(),
            &[("kommune", "461"), ("cpr", "0101901234")],
            Refused,
        ),
        page(
            M::POST,
            "/borger/fordringstyper/{claim_type}/{action}",
            "/borger/fordringstyper/pension/configure".into(),
            &[("kommune", "461")],
            Refused,
        ),
        page(
            M::GET,
            "/rollegalleri",
            format!("/rollegalleri?kommune={o}"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/rollegalleri/{org}/tildelinger",
            format!("/rollegalleri/{o}/tildelinger"),
            &[("role_id", &roles), ("user_id", &persons)],
            Refused,
        ),
        page(
            M::POST,
            "/rollegalleri/{org}/tildelinger/{id}/afslut",
            format!("/rollegalleri/{o}/tildelinger/{holder}/afslut"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/rollegalleri/{org}/tildelinger/{id}/primaer",
            format!("/rollegalleri/{o}/tildelinger/{holder}/primaer"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/rollegalleri/{org}/it-loesninger/{project}",
            format!("/rollegalleri/{o}/it-loesninger/{p}"),
            &[("uses", "false")],
            Refused,
        ),
        page(
            M::GET,
            "/rollegalleri/katalog",
            "/rollegalleri/katalog".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/rollegalleri/katalog",
            "/rollegalleri/katalog".into(),
            &[("name", "x")],
            Refused,
        ),
        page(
            M::GET,
            "/rollegalleri/katalog/{id}",
            format!("/rollegalleri/katalog/{role}"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/rollegalleri/katalog/{id}",
            format!("/rollegalleri/katalog/{role}"),
            &[("name", "x")],
            Refused,
        ),
        page(
            M::GET,
            "/rollegalleri/katalog/{id}/{file}",
            format!("/rollegalleri/katalog/{role}/indehavere.csv"),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/rollegalleri/huller",
            // A municipality sees its own gaps whatever it asks for.
            format!("/rollegalleri/huller?kommune={o}"),
            &[],
            OwnOnly,
        ),
        page(
            M::GET,
            "/rollegalleri/huller/{file}",
            format!("/rollegalleri/huller/eksport.csv?kommune={o}"),
            &[],
            OwnOnly,
        ),
        // A municipality's own areas; another's are refused.
        page(M::GET, "/forloeb", "/forloeb".into(), &[], OwnOnly),
        page(
            M::GET,
            "/forloeb/tidslinje",
            "/forloeb/tidslinje".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::GET,
            "/forloeb/kommuner/{org}",
            format!("/forloeb/kommuner/{o}"),
            &[],
            Refused,
        ),
        page(M::GET, "/forloeb/{id}", "/forloeb/1".into(), &[], Refused),
        // Meetings are the community's; a person registers only themselves.
        page(M::GET, "/moeder", "/moeder".into(), &[], OwnOnly),
        page(M::GET, "/moeder/ny", "/moeder/ny".into(), &[], Refused),
        page(
            M::POST,
            "/moeder/ny",
            "/moeder/ny".into(),
            &[
                ("title", "x"),
                ("date", "01.01.2030"),
                ("starts", "10"),
                ("ends", "11"),
            ],
            Refused,
        ),
        page(
            M::GET,
            "/moeder/{id}",
            format!("/moeder/{meeting}"),
            &[],
            OwnOnly,
        ),
        page(
            M::GET,
            "/moeder/{id}/rediger",
            format!("/moeder/{meeting}/rediger"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/moeder/{id}/rediger",
            format!("/moeder/{meeting}/rediger"),
            &[("title", "x")],
            Refused,
        ),
        page(
            M::POST,
            "/moeder/{id}/tilmelding",
            format!("/moeder/{meeting}/tilmelding"),
            &[("action", "register")],
            OwnOnly,
        ),
        page(
            M::POST,
            "/moeder/{id}/fremmoede",
            format!("/moeder/{meeting}/fremmoede"),
            &[("attendance", "461;x@odense.dk")],
            Refused,
        ),
        page(
            M::POST,
            "/moeder/{id}/invitation",
            format!("/moeder/{meeting}/invitation"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/moeder/{id}/materialer",
            format!("/moeder/{meeting}/materialer"),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/moeder/{id}/evaluering",
            format!("/moeder/{meeting}/evaluering"),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/moeder/{id}/evaluering",
            format!("/moeder/{meeting}/evaluering"),
            &[("q-q1", "3")],
            OwnOnly,
        ),
        page(
            M::POST,
            "/moeder/{id}/evaluering/spoergsmaal",
            format!("/moeder/{meeting}/evaluering/spoergsmaal"),
            &[("questions", "A | tekst")],
            Refused,
        ),
        page(
            M::GET,
            "/moeder/{id}/ansoegninger",
            format!("/moeder/{meeting}/ansoegninger"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/moeder/{id}/ansoegninger",
            format!("/moeder/{meeting}/ansoegninger"),
            &[("chosen", "1")],
            Refused,
        ),
        page(
            M::POST,
            "/moeder/{id}/ansoegning",
            format!("/moeder/{meeting}/ansoegning"),
            &[("motivation", "x")],
            OwnOnly,
        ),
        page(
            M::POST,
            "/moeder/{id}/materialer/fil",
            format!("/moeder/{meeting}/materialer/fil"),
            &[("title", "x")],
            Refused,
        ),
        page(
            M::GET,
            "/moeder/{id}/materialer/{file}",
            format!("/moeder/{meeting}/materialer/1"),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/moeder/{id}/aflys",
            format!("/moeder/{meeting}/aflys"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/moeder/{id}/input",
            format!("/moeder/{meeting}/input"),
            &[("text", "Input")],
            OwnOnly,
        ),
        page(
            M::GET,
            "/forloeb/{id}/{file}",
            "/forloeb/1/fordringstyper.csv".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/brugerhaandtering",
            format!("/brugerhaandtering?kommune={o}"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/brugerhaandtering/{org}/{action}",
            format!("/brugerhaandtering/{o}/tildel"),
            &[("user_id", &persons), ("solution_id", &ps)],
            Refused,
        ),
        page(
            M::POST,
            "/brugerhaandtering/{org}/brugertype",
            format!("/brugerhaandtering/{o}/brugertype"),
            &[
                ("user_id", &persons),
                ("seen", "ordinary"),
                ("user_type", "reader"),
            ],
            Refused,
        ),
        // The tools' NSIS pages: one's own overview and report, the rest the
        // community's; an identity provider's level only one's own.
        page(
            M::GET,
            "/vaerktoejer/nsis",
            "/vaerktoejer/nsis".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/vaerktoejer/nsis/idp-niveau",
            "/vaerktoejer/nsis/idp-niveau".into(),
            &[("org_id", &os), ("level", "lav")],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/nsis/parathed",
            "/vaerktoejer/nsis/parathed".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::GET,
            "/vaerktoejer/aftaler",
            "/vaerktoejer/aftaler".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/vaerktoejer/aftaler",
            "/vaerktoejer/aftaler".into(),
            &[
                ("solution_id", &ps),
                ("kind", "tilslutningsaftale"),
                ("name", "x"),
            ],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/aftaler/{id}",
            "/vaerktoejer/aftaler/1".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/aftaler/{id}/svar",
            "/vaerktoejer/aftaler/1/svar".into(),
            &[("org_id", &os), ("state", "declined")],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/aftaler/{id}/bilag",
            "/vaerktoejer/aftaler/1/bilag".into(),
            &[("title", "x")],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/aftaler/{id}/bilag/{annex}/paamind",
            "/vaerktoejer/aftaler/1/bilag/1/paamind".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/aftaler/{id}/bilag/{annex}/kvitter",
            "/vaerktoejer/aftaler/1/bilag/1/kvitter".into(),
            &[("org_id", &os)],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/aftaler/{id}/{file}",
            "/vaerktoejer/aftaler/1/svar.csv".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/aftaler/{id}/kommuner/{org}",
            format!("/vaerktoejer/aftaler/1/kommuner/{o}"),
            &[],
            Refused,
        ),
        // The documents: the community's uploads staff only; a signed
        // document only the municipality's own (and staff).
        page(
            M::POST,
            "/vaerktoejer/aftaler/{id}/paamind",
            "/vaerktoejer/aftaler/1/paamind".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/aftaler/{id}/dokumenter",
            "/vaerktoejer/aftaler/1/dokumenter".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/aftaler/{id}/dokumenter/{doc}",
            "/vaerktoejer/aftaler/1/dokumenter/1".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/aftaler/{id}/kommuner/{org}/underskrevet",
            format!("/vaerktoejer/aftaler/1/kommuner/{o}/underskrevet"),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/aftaler/{id}/kommuner/{org}/underskrevet/{doc}",
            format!("/vaerktoejer/aftaler/1/kommuner/{o}/underskrevet/1"),
            &[],
            Refused,
        ),
        // The incident pages: Aarhus takes no part in the chain here. Its
        // list is the page for people outside the chain (the desks and
        // their solutions), with nothing of anyone's incidents.
        page(
            M::GET,
            "/vaerktoejer/haendelser",
            "/vaerktoejer/haendelser".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/vaerktoejer/haendelser",
            "/vaerktoejer/haendelser".into(),
            &[("user_priority", "1")],
            Refused,
        ),
        // A report to a desk: there is no desk here (and a report is to
        // a desk, never of another municipality's incidents).
        page(
            M::GET,
            "/vaerktoejer/haendelser/meld/{desk}",
            format!("/vaerktoejer/haendelser/meld/{o}"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/haendelser/meld/{desk}",
            format!("/vaerktoejer/haendelser/meld/{o}"),
            &[("user_priority", "1"), ("what_happened", "x")],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/haendelser/interval",
            "/vaerktoejer/haendelser/interval".into(),
            &[("days", "2")],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/haendelser/rapport",
            "/vaerktoejer/haendelser/rapport".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/haendelser/{id}",
            "/vaerktoejer/haendelser/1".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/haendelser/{id}/anmelder",
            "/vaerktoejer/haendelser/1/anmelder".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/haendelser/{id}/filer",
            "/vaerktoejer/haendelser/1/filer".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/haendelser/{id}/filer/{file}",
            "/vaerktoejer/haendelser/1/filer/1".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/haendelser/{id}/statusside",
            "/vaerktoejer/haendelser/1/statusside".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/haendelser/{id}/videresend",
            "/vaerktoejer/haendelser/1/videresend".into(),
            &[("receiver", "1")],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/haendelser/{id}/led/{link}",
            "/vaerktoejer/haendelser/1/led/1".into(),
            &[("action", "accept")],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/haendelser/{id}/led/{link}/reference",
            "/vaerktoejer/haendelser/1/led/1/reference".into(),
            &[("reference", "x")],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/haendelser/{id}/led/{link}/eskaler",
            "/vaerktoejer/haendelser/1/led/1/eskaler".into(),
            &[("text", "x")],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/haendelser/{id}/{what}",
            "/vaerktoejer/haendelser/1/svar".into(),
            &[("text", "x")],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/haendelser/{id}/taskforce",
            "/vaerktoejer/haendelser/1/taskforce".into(),
            &[("invited", "1")],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/haendelser/{id}/driftsmeddelelse",
            "/vaerktoejer/haendelser/1/driftsmeddelelse".into(),
            &[("subject", "x"), ("body", "x")],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/priser",
            "/vaerktoejer/priser".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/vaerktoejer/priser",
            "/vaerktoejer/priser".into(),
            &[
                ("solution_id", &ps),
                ("kroner", "1"),
                ("valid_from", "2030-01-01"),
            ],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/priser/{file}",
            "/vaerktoejer/priser/regninger.csv".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/nsis/elementer",
            "/vaerktoejer/nsis/elementer".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/nsis/elementer",
            "/vaerktoejer/nsis/elementer".into(),
            &[("kind", "risk"), ("name", "x")],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/nsis/elementer/{id}",
            "/vaerktoejer/nsis/elementer/1".into(),
            &[("name", "x"), ("active", "true")],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/nsis/matrix",
            "/vaerktoejer/nsis/matrix".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/nsis/matrix",
            "/vaerktoejer/nsis/matrix".into(),
            &[("cell-0-0", "lav")],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/nsis/vurderinger/ny",
            "/vaerktoejer/nsis/vurderinger/ny".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/nsis/vurderinger",
            "/vaerktoejer/nsis/vurderinger".into(),
            &[("solution_id", &ps), ("user_type", "Leder")],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/nsis/vurderinger/{id}",
            "/vaerktoejer/nsis/vurderinger/1".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/nsis/vurderinger/{id}/vurdering.pdf",
            "/vaerktoejer/nsis/vurderinger/1/vurdering.pdf".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/vaerktoejer/nsis/vurderinger/{id}/vurdering.xlsx",
            "/vaerktoejer/nsis/vurderinger/1/vurdering.xlsx".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/nsis/vurderinger/{id}/versioner",
            "/vaerktoejer/nsis/vurderinger/1/versioner".into(),
            &[("project_leader", "x")],
            Refused,
        ),
        page(
            M::POST,
            "/vaerktoejer/nsis/vurderinger/{id}/versioner/{version}/godkend",
            "/vaerktoejer/nsis/vurderinger/1/versioner/1/godkend".into(),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/kontaktlister",
            "/kontaktlister".into(),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/kontaktlister",
            "/kontaktlister".into(),
            &[("name", "x")],
            Refused,
        ),
        page(
            M::GET,
            "/kontaktlister/{id}",
            format!("/kontaktlister/{list}"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/kontaktlister/{id}/poster",
            format!("/kontaktlister/{list}/poster"),
            &[("org_id", &os), ("name", "x")],
            Refused,
        ),
        page(
            M::GET,
            "/kontaktlister/{id}/poster/{entry}/slet",
            format!("/kontaktlister/{list}/poster/1/slet"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/kontaktlister/{id}/poster/{entry}/slet",
            format!("/kontaktlister/{list}/poster/1/slet"),
            &[],
            Refused,
        ),
        page(
            M::GET,
            "/kontaktlister/{id}/poster/{entry}/rediger",
            format!("/kontaktlister/{list}/poster/1/rediger"),
            &[],
            Refused,
        ),
        page(
            M::POST,
            "/kontaktlister/{id}/poster/{entry}/rediger",
            format!("/kontaktlister/{list}/poster/1/rediger"),
            &[("name", "x")],
            Refused,
        ),
        page(
            M::GET,
            "/kontaktlister/{id}/{file}",
            format!("/kontaktlister/{list}/eksport.csv"),
            &[],
            Refused,
        ),
        page(M::GET, "/beskeder", "/beskeder".into(), &[], Refused),
        page(
            M::POST,
            "/beskeder",
            "/beskeder".into(),
            &[
                ("subject", "x"),
                ("body", "x"),
                ("audience", "municipalities"),
                ("municipalities", &os),
            ],
            Refused,
        ),
        page(M::GET, "/indbakke", "/indbakke".into(), &[], OwnOnly),
        page(
            M::POST,
            "/indbakke/laest",
            "/indbakke/laest".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/indbakke/{id}/laest",
            "/indbakke/1/laest".into(),
            &[],
            OwnOnly,
        ),
        page(M::GET, "/projekter", "/projekter".into(), &[], OwnOnly),
        page(
            M::GET,
            "/projekter/{id}",
            format!("/projekter/{p}"),
            &[],
            OwnOnly,
        ),
        page(
            M::GET,
            "/indbakke/indstillinger",
            "/indbakke/indstillinger".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::POST,
            "/indbakke/indstillinger",
            "/indbakke/indstillinger".into(),
            &[],
            OwnOnly,
        ),
        page(
            M::GET,
            "/leveringslog",
            format!("/leveringslog?kommune={o}"),
            &[],
            Refused,
        ),
    ];

    let mut missing: Vec<String> = declared_routes()
        .into_iter()
        .filter(|(method, path)| {
            !probes
                .iter()
                .any(|pr| pr.method == *method && pr.template == path)
        })
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "page routes without an isolation probe: {missing:#?}"
    );

    let mut failures = Vec::new();
    for caller in CALLERS {
        let (browser, csrf) = match caller {
            ANONYMOUS => {
                let browser = app.browser();
                // The login form's token: valid, but no session behind it.
                let csrf = browser.csrf_token("/login").await;
                (browser, csrf)
            }
            _ => {
                let browser: Browser = app.signed_in(caller).await;
                let csrf = browser.csrf_token("/").await;
                (browser, csrf)
            }
        };
        for pr in probes.iter().filter(|pr| !pr.path.is_empty()) {
            let response = if pr.method == Method::GET {
                browser.get(&pr.path).await
            } else if [
                "/opgaver/{id}/bilag",
                "/moeder/{id}/materialer/fil",
                "/vaerktoejer/haendelser/{id}/filer",
                "/vaerktoejer/aftaler/{id}/dokumenter",
                "/vaerktoejer/aftaler/{id}/kommuner/{org}/underskrevet",
            ]
            .contains(&pr.template)
            {
                post_upload(&app, &browser, &pr.path, &csrf).await
            } else {
                let mut form: Vec<(&str, &str)> = vec![("csrf_token", &csrf)];
                form.extend(pr.form.iter().map(|(k, v)| (*k, v.as_str())));
                browser.post_form(&pr.path, &form).await
            };
            let status = response.status();
            let text = match status {
                StatusCode::SEE_OTHER => response
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .unwrap_or_default()
                    .to_owned(),
                _ => response.text().await.unwrap_or_default(),
            };
            if !isolated(&pr.expect, caller, status, &text) {
                failures.push(format!("{caller}: {} {}: {status}", pr.method, pr.path));
            }
        }
    }
    assert!(failures.is_empty(), "reached Odense's data: {failures:#?}");
    data.assert_untouched(&app).await;
}

/// What a write that changes nothing may answer besides the reader's own
/// refusal: another refusal, or a request not understood.
const REFUSED_OR_NOT_UNDERSTOOD: [StatusCode; 4] = [
    StatusCode::FORBIDDEN,
    StatusCode::NOT_FOUND,
    StatusCode::UNPROCESSABLE_ENTITY,
    StatusCode::BAD_REQUEST,
];

/// A file posted to a task's upload form, as a browser sends it.
async fn post_upload(
    app: &TestApp,
    browser: &Browser,
    path: &str,
    csrf: &str,
) -> reqwest::Response {
    let upload = reqwest::multipart::Form::new()
        .text("csrf_token", csrf.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.4".to_vec()).file_name("aarhus.pdf"),
        );
    browser
        .client
        .post(app.url(path))
        .multipart(upload)
        .send()
        .await
        .expect("answered")
}

/// A reader (læser) sees their municipality's tasks and changes nothing:
/// every API operation and page form that writes, sent by Aarhus' reader at
/// Aarhus' own data, is refused — the work on tasks with the reader's own
/// explanation — and Aarhus' statuses, comments and audit log stay as
/// they were.
#[tokio::test]
async fn a_reader_changes_nothing_at_home() {
    let app = TestApp::start_with_roles().await;
    add_other_kinds_of_people(&app).await;
    let aarhus = OrgId(app.org_id("municipality-751").await);
    let operator = Principal::operator()
        .admin_access(aarhus)
        .expect("operator");
    // Signing in and being given a token are the reader's own, and audited.
    let reader = app.api_client("laeser-751").await;
    let browser = app.signed_in("laeser-751").await;
    let audit_before = app
        .storage
        .audit_entries(&operator, 10_000)
        .await
        .expect("audit")
        .len();
    let task = app.task_id("Etabler brugeradministration på KLIK").await;
    let status_before = app
        .coordination
        .municipality_task(&operator, TaskId(task))
        .await
        .expect("storage")
        .expect("published to Aarhus")
        .status;
    let project = app.coordination.projects().await.expect("projects")[0].id.0;
    let person = app.storage.users(&operator).await.expect("users")[0].id.0;
    let role = app.coordination.roles().await.expect("roles")[0].id.0;
    let a = aarhus.0;
    let aimed = |template: &str| -> String {
        template
            .replace("/municipalities/{id}", &format!("/municipalities/{a}"))
            .replace("/organisations/{id}", &format!("/organisations/{a}"))
            .replace("/roles/{id}", &format!("/roles/{role}"))
            .replace("/tasks/{id}", &format!("/tasks/{task}"))
            .replace("/opgaver/{id}", &format!("/opgaver/{task}"))
            .replace("{org_id}", &a.to_string())
            .replace("{org}", &a.to_string())
            .replace("{user_id}", &person.to_string())
            .replace("{project_id}", &project.to_string())
            .replace("{project}", &project.to_string())
            .replace("{id}", "1")
            .replace("{entry_id}", "1")
            .replace("{entry}", "1")
    };

    // The API: the work a municipal person does on tasks is refused as a
    // reader's; everything else that writes is refused or not understood.
    let work = [
        (
            "/api/v1/tasks/{id}/municipalities/{org_id}/status",
            json!({"status": "started"}),
        ),
        (
            "/api/v1/tasks/{id}/municipalities/{org_id}/answers",
            json!({"answers": []}),
        ),
        (
            "/api/v1/tasks/{id}/municipalities/{org_id}/comments",
            json!({"body": "x"}),
        ),
        ("/api/v1/tasks/{id}/assignee", json!({})),
        (
            "/api/v1/tasks/local",
            json!({"project_id": project, "title": "Læserens egen", "type": "mandatory"}),
        ),
    ];
    // One's own settings are one's own, reader or not.
    let own_settings = ["/api/v1/notification-preferences"];
    let (_, document) = app.anonymous_api().get_json("/api/v1/openapi.json").await;
    let mut failures = Vec::new();
    for (template, item) in document["paths"].as_object().expect("paths") {
        if own_settings.contains(&template.as_str()) {
            continue;
        }
        for method in ["post", "put", "patch", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            let body = work
                .iter()
                .find(|(t, _)| t == template)
                .map(|(_, body)| body.clone());
            let is_work = body.is_some();
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let (status, answer) = reader
                .send_json(method.clone(), &aimed(template), body.unwrap_or(json!({})))
                .await;
            let refused = match is_work {
                true => status == StatusCode::FORBIDDEN && answer["error"]["code"] == "read_only",
                // The vendor systems' door takes a system's credential:
                // a person's token is not one.
                false if template.starts_with("/api/v1/borger/") => {
                    status == StatusCode::UNAUTHORIZED
                }
                false => REFUSED_OR_NOT_UNDERSTOOD.contains(&status),
            };
            if !refused {
                failures.push(format!("API {method} {template}: {status} {answer}"));
            }
        }
    }

    // The pages: every form that changes something.
    let own_forms = [
        "/login",
        "/logout",
        "/login/kode",
        "/login/saml/acs",
        "/konto/sikkerhed/tilmeld",
        "/konto/sikkerhed/fjern",
        "/konto/api-noegler",
        "/konto/api-noegler/{id}/tilbagekald",
        "/konto/kalender",
        "/konto/kalender/tilbagekald",
        "/indbakke/laest",
        "/indbakke/{id}/laest",
        "/indbakke/indstillinger",
    ];
    let work_forms = [
        "/opgaver/{id}/status",
        "/opgaver/{id}/svar",
        "/opgaver/{id}/kommentarer",
        "/opgaver/{id}/tildel",
        "/opgaver/{id}/bilag",
        "/opgaver/lokal/ny",
    ];
    let csrf = browser.csrf_token("/").await;
    let form_fields: [(&str, &str); 9] = [
        ("uses", "false"),
        ("status", "started"),
        ("body", "x"),
        ("assignee", ""),
        ("project_id", "1"),
        ("title", "Læserens egen"),
        ("type", "mandatory"),
        ("reason", "x"),
        ("name", "x"),
    ];
    for (method, template) in declared_routes() {
        if method != Method::POST || own_forms.contains(&template.as_str()) {
            continue;
        }
        let path = aimed(&template);
        let response = if template == "/opgaver/{id}/bilag" {
            post_upload(&app, &browser, &path, &csrf).await
        } else {
            let mut form: Vec<(&str, &str)> = vec![("csrf_token", &csrf)];
            // A page that reads its form strictly gets only its own fields.
            match template.as_str() {
                "/opgaver/lokal/ny" => form.extend(&form_fields[4..7]),
                _ => form.extend(form_fields),
            }
            browser.post_form(&path, &form).await
        };
        let status = response.status();
        let page = response.text().await.unwrap_or_default();
        let refused = match work_forms.contains(&template.as_str()) {
            true => status == StatusCode::FORBIDDEN && page.contains("Du er oprettet som læser"),
            false => REFUSED_OR_NOT_UNDERSTOOD.contains(&status),
        };
        if !refused {
            failures.push(format!("page POST {template}: {status}"));
        }
    }
    assert!(
        failures.is_empty(),
        "a reader changed something: {failures:#?}"
    );

    // The task page shows a reader what is there, without the forms.
    let (_, page) = browser.get_text(&format!("/opgaver/{task}")).await;
    assert!(page.contains("Du er oprettet som læser"), "{page}");
    assert!(!page.contains(&format!("action=\"/opgaver/{task}/status\"")));
    assert!(!page.contains(&format!("action=\"/opgaver/{task}/kommentarer\"")));

    let status_after = app
        .coordination
        .municipality_task(&operator, TaskId(task))
        .await
        .expect("storage")
        .expect("published to Aarhus")
        .status;
    assert_eq!(status_after, status_before);
    let audit_after = app
        .storage
        .audit_entries(&operator, 10_000)
        .await
        .expect("audit");
    assert_eq!(
        audit_after.len(),
        audit_before,
        "Aarhus' audit log changed: {:#?}",
        &audit_after[..audit_after.len() - audit_before]
    );
}
