//! The role gallery through the API: the catalogue, the rules of who may
//! hold a role, access to IT solutions first, gaps, new roles as tasks,
//! contact lists, tasks given to roles, and the walls between municipalities.

use reqwest::{Method, StatusCode};
use samspil_domain::{AccessRole, Login, OrgId, Principal, UserType};
use samspil_storage::NewUser;
use serde_json::{Value, json};

use crate::harness::{ApiClient, TestApp};

async fn role_id(client: &ApiClient, name: &str) -> i64 {
    let (status, roles) = client.get_json("/api/v1/roles").await;
    assert_eq!(status, StatusCode::OK);
    roles
        .as_array()
        .and_then(|roles| roles.iter().find(|r| r["name"] == name))
        .and_then(|r| r["id"].as_i64())
        .unwrap_or_else(|| panic!("role {name} is visible"))
}

async fn user_id(client: &ApiClient, org: i64, login: &str) -> i64 {
    let (_, users) = client
        .get_json(&format!("/api/v1/organisations/{org}/users"))
        .await;
    users
        .as_array()
        .and_then(|users| users.iter().find(|u| u["login"] == login))
        .and_then(|u| u["id"].as_i64())
        .unwrap_or_else(|| panic!("user {login} exists"))
}

async fn project_id(client: &ApiClient, name: &str) -> i64 {
    let (_, projects) = client.get_json("/api/v1/projects").await;
    projects
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .and_then(|p| p["id"].as_i64())
        .unwrap_or_else(|| panic!("project {name} exists"))
}

fn names(value: &Value, field: &str) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i[field].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn assign(
    admin: &ApiClient,
    org: i64,
    role: i64,
    user: i64,
    extra: Value,
) -> (StatusCode, Value) {
    let mut body = json!({ "role_id": role, "user_id": user });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    admin
        .send_json(
            Method::POST,
            &format!("/api/v1/municipalities/{org}/role-assignments"),
            body,
        )
        .await
}

#[tokio::test]
async fn a_municipality_sees_only_the_roles_of_the_solutions_it_uses() {
    let app = TestApp::start_with_roles().await;
    let staff = app.api_client("staff").await;
    let aarhus_user = app.api_client("user-751").await;
    let aarhus = app.org_id("municipality-751").await;

    let (_, all) = staff.get_json("/api/v1/roles").await;
    assert_eq!(all.as_array().map(Vec::len), Some(12));
    let (_, own) = aarhus_user.get_json("/api/v1/roles").await;
    let own = names(&own, "name");
    assert!(own.contains(&"KOMBIT-programleder".to_owned()));
    assert!(own.contains(&"DOS dataansvarlig".to_owned()));
    // Aarhus (751, odd) does not use EESSI in the demo.
    assert!(!own.contains(&"EESSI-kontaktperson".to_owned()));

    let eessi = project_id(&staff, "EESSI").await;
    let (status, _) = staff
        .send_json(
            Method::PUT,
            &format!("/api/v1/municipalities/{aarhus}/solutions/{eessi}"),
            json!({ "uses": true }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, own) = aarhus_user.get_json("/api/v1/roles").await;
    assert!(names(&own, "name").contains(&"EESSI-kontaktperson".to_owned()));
    // Only staff record which solutions a municipality uses.
    let (status, _) = aarhus_user
        .send_json(
            Method::PUT,
            &format!("/api/v1/municipalities/{aarhus}/solutions/{eessi}"),
            json!({ "uses": false }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_rules_of_who_may_hold_a_role_are_kept() {
    let app = TestApp::start_with_roles().await;
    let admin = app.api_client("admin-751").await;
    let aarhus = app.org_id("municipality-751").await;
    let admin_id = user_id(&admin, aarhus, "admin-751").await;
    let user = user_id(&admin, aarhus, "user-751").await;

    // A reader can never hold a role, and is told why.
    let reader = app
        .storage
        .create_user(
            &Principal::operator()
                .admin_access(OrgId(aarhus))
                .expect("operator"),
            &NewUser {
                login: Login::parse("laeser-751").expect("login"),
                display_name: "Lise Læser".into(),
                email: None,
                phone: None,
                job_title: None,
                org_unit_id: None,
                role: AccessRole::User,
                user_type: UserType::Reader,
                password_hash: None,
            },
        )
        .await
        .expect("reader created");
    let security = role_id(&admin, "Sikkerhedsansvarlig").await;
    let (status, body) = assign(&admin, aarhus, security, reader.id.0, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("læser"),
        "{body}"
    );

    // Access to the role's IT solution first, then the role.
    let dos_role = role_id(&admin, "DOS dataansvarlig").await;
    let (status, body) = assign(&admin, aarhus, dos_role, admin_id, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Brugerhåndtering"),
        "{body}"
    );
    let staff = app.api_client("staff").await;
    let dos = project_id(&staff, "DOS").await;
    let (status, _) = admin
        .send_json(
            Method::PUT,
            &format!("/api/v1/municipalities/{aarhus}/solution-access/{admin_id}/{dos}"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, created) = assign(
        &admin,
        aarhus,
        dos_role,
        admin_id,
        json!({ "note": "Sag 23/1234" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["note"], "Sag 23/1234");
    assert_eq!(created["current"], true);
    // Access cannot be taken away while the role is held.
    let (status, _) = admin
        .send_json(
            Method::DELETE,
            &format!("/api/v1/municipalities/{aarhus}/solution-access/{admin_id}/{dos}"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // KOMBIT-programleder has room for one holder, and user-751 holds it.
    let programme = role_id(&admin, "KOMBIT-programleder").await;
    let (status, _) = assign(&admin, aarhus, programme, admin_id, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Nor can the same person hold a role twice.
    let infra = role_id(&admin, "Infrastrukturansvarlig").await;
    let (status, _) = assign(&admin, aarhus, infra, user, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Dates in order.
    let (status, _) = assign(
        &admin,
        aarhus,
        security,
        user,
        json!({ "starts_on": "2024-05-01", "ends_on": "2024-04-01" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = assign(&admin, aarhus, 999_999, user, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // None of the refused attempts left anything behind.
    let (_, assignments) = admin
        .get_json(&format!("/api/v1/municipalities/{aarhus}/role-assignments"))
        .await;
    let held: Vec<(String, String)> = assignments
        .as_array()
        .map(|all| {
            all.iter()
                .map(|a| {
                    (
                        a["role"].as_str().unwrap_or_default().to_owned(),
                        a["login"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(!held.iter().any(|(role, _)| role == "Sikkerhedsansvarlig"));
    assert_eq!(
        held.iter()
            .filter(|(role, _)| role == "KOMBIT-programleder")
            .count(),
        1
    );
    assert!(held.contains(&("DOS dataansvarlig".into(), "admin-751".into())));

    // A user (not an administrator) fills no roles.
    let plain = app.api_client("user-751").await;
    let (status, _) = assign(&plain, aarhus, security, user, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_primary_holder_and_the_gaps_follow_the_assignments() {
    let app = TestApp::start_with_roles().await;
    let admin = app.api_client("admin-751").await;
    let aarhus = app.org_id("municipality-751").await;
    let admin_id = user_id(&admin, aarhus, "admin-751").await;
    let gaps_path = format!("/api/v1/municipalities/{aarhus}/role-gaps");
    let gap_kinds = |gaps: &Value, role: &str| -> Vec<String> {
        gaps.as_array()
            .map(|all| {
                all.iter()
                    .filter(|g| g["role"] == role)
                    .filter_map(|g| g["kind"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };

    let (status, gaps) = admin.get_json(&gaps_path).await;
    assert_eq!(status, StatusCode::OK);
    // Nobody in the demo is Dataansvarlig: a mandatory role left empty.
    assert_eq!(gap_kinds(&gaps, "Dataansvarlig"), vec!["empty"]);
    // Sikkerhedsansvarlig is optional: empty is no gap.
    assert!(gap_kinds(&gaps, "Sikkerhedsansvarlig").is_empty());
    assert!(gap_kinds(&gaps, "Infrastrukturansvarlig").is_empty());

    let infra = role_id(&admin, "Infrastrukturansvarlig").await;
    let (status, second) = assign(
        &admin,
        aarhus,
        infra,
        admin_id,
        json!({ "starts_on": "2023-01-01" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(second["primary"], false);
    let second_id = second["id"].as_i64().expect("id");
    let (status, marked) = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/municipalities/{aarhus}/role-assignments/{second_id}/primary"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(marked["primary"], true);
    let (_, assignments) = admin
        .get_json(&format!("/api/v1/municipalities/{aarhus}/role-assignments"))
        .await;
    let primaries = assignments
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|a| a["role"] == "Infrastrukturansvarlig" && a["primary"] == true)
                .count()
        })
        .unwrap_or_default();
    assert_eq!(primaries, 1, "marking one primary unmarks the other");

    // Ending the primary holder's assignment before today leaves a role
    // that needs a primary holder without one.
    let yesterday = (samspil_storage::now().date().previous_day())
        .expect("a day before")
        .to_string();
    let (status, ended) = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/municipalities/{aarhus}/role-assignments/{second_id}/end"),
            json!({ "last_day": yesterday }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(ended["current"], false);
    let (_, gaps) = admin.get_json(&gaps_path).await;
    assert_eq!(
        gap_kinds(&gaps, "Infrastrukturansvarlig"),
        vec!["no_primary"]
    );
    // Ending it again is refused and changes nothing.
    let (status, _) = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/municipalities/{aarhus}/role-assignments/{second_id}/end"),
            json!({ "last_day": "2030-01-01" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Staff see every municipality's gaps; the three test municipalities
    // all lack a Dataansvarlig.
    let staff = app.api_client("staff").await;
    let (_, all) = staff.get_json("/api/v1/role-gaps").await;
    let empty_data = all
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|g| g["role"] == "Dataansvarlig" && g["kind"] == "empty")
                .count()
        })
        .unwrap_or_default();
    assert_eq!(empty_data, 98);
    // A municipality's own list of gaps is only its own.
    let (_, own) = admin.get_json("/api/v1/role-gaps").await;
    assert!(
        own.as_array()
            .is_some_and(|all| all.iter().all(|g| g["org_id"] == aarhus))
    );
}

#[tokio::test]
async fn one_municipality_cannot_reach_anothers_gallery() {
    let app = TestApp::start_with_roles().await;
    let aarhus_admin = app.api_client("admin-751").await;
    let aarhus = app.org_id("municipality-751").await;
    let odense = app.org_id("municipality-461").await;
    let staff = app.api_client("staff").await;
    let odense_user = user_id(&staff, odense, "user-461").await;
    let security = role_id(&aarhus_admin, "Sikkerhedsansvarlig").await;

    // An Odense user in Aarhus' gallery: refused as not a person of Aarhus.
    let (status, _) = assign(&aarhus_admin, aarhus, security, odense_user, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Aarhus' administrator in Odense's gallery: forbidden.
    let (status, _) = assign(&aarhus_admin, odense, security, odense_user, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for path in [
        format!("/api/v1/municipalities/{odense}/role-gaps"),
        format!("/api/v1/municipalities/{odense}/role-assignments"),
        format!("/api/v1/municipalities/{odense}/solution-access"),
        format!("/api/v1/municipalities/{odense}/solutions"),
    ] {
        let (status, _) = aarhus_admin.get_json(&path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let dos = project_id(&staff, "DOS").await;
    let (status, _) = aarhus_admin
        .send_json(
            Method::PUT,
            &format!("/api/v1/municipalities/{odense}/solution-access/{odense_user}/{dos}"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The contact lists and the catalogue's holders are the community's.
    for path in ["/api/v1/contact-lists", "/api/v1/roles/1/holders"] {
        let (status, _) = aarhus_admin.get_json(path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn a_new_role_becomes_a_task_in_klik_for_the_municipalities_it_applies_to() {
    let app = TestApp::start_with_roles().await;
    let staff = app.api_client("staff").await;
    let (status, created) = staff
        .send_json(
            Method::POST,
            "/api/v1/roles",
            json!({
                "name": "NIS2-kontaktperson",
                "description": "Kontaktperson for NIS2-hændelser.",
                "mandatory": true,
                "max_holders": 2
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let task = created["task_id"].as_i64().expect("task id");
    let (_, detail) = staff.get_json(&format!("/api/v1/tasks/{task}")).await;
    assert_eq!(detail["task"]["project"], "KLIK");
    assert_eq!(detail["task"]["state"], "published");
    assert_eq!(detail["task"]["executor_role"], "KLIK-administrator");
    assert_eq!(detail["task"]["counts"]["total"], 98);
    let aarhus_admin = app.api_client("admin-751").await;
    let (_, tasks) = aarhus_admin.get_json("/api/v1/tasks?q=NIS2").await;
    assert_eq!(names(&tasks, "title").len(), 1);
    let events = app
        .coordination
        .events_after(0, 10_000)
        .await
        .expect("events");
    assert!(
        events
            .iter()
            .any(|e| e.kind == "role.created" && e.payload["name"] == "NIS2-kontaktperson")
    );

    // A role of an IT solution goes only to the municipalities that use it.
    let eessi = project_id(&staff, "EESSI").await;
    let (status, created) = staff
        .send_json(
            Method::POST,
            "/api/v1/roles",
            json!({ "name": "EESSI-superbruger", "solution_id": eessi, "mandatory": false }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let task = created["task_id"].as_i64().expect("task id");
    let (_, report) = staff
        .get_json(&format!("/api/v1/tasks/{task}/status"))
        .await;
    let (_, municipalities) = staff.get_json("/api/v1/municipalities").await;
    let even = municipalities
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|m| {
                    m["code"]
                        .as_str()
                        .and_then(|c| c.parse::<u16>().ok())
                        .is_some_and(|c| c % 2 == 0)
                })
                .count()
        })
        .unwrap_or_default();
    assert_eq!(
        report["total"], even,
        "the municipalities with an even code"
    );

    // Bad input changes nothing.
    for (body, expected) in [
        (
            json!({ "name": "NIS2-kontaktperson" }),
            StatusCode::CONFLICT,
        ),
        (json!({ "name": "   " }), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({ "name": "Uden plads", "max_holders": 0 }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({ "name": "Ukendt løsning", "solution_id": 999_999 }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, _) = staff.send_json(Method::POST, "/api/v1/roles", body).await;
        assert_eq!(status, expected);
    }
    let (_, all) = staff.get_json("/api/v1/roles").await;
    assert_eq!(all.as_array().map(Vec::len), Some(14));
    let (status, _) = aarhus_admin
        .send_json(
            Method::POST,
            "/api/v1/roles",
            json!({ "name": "Egen rolle" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// The ids of the tasks given to the caller or to a role they hold.
async fn mine(client: &ApiClient) -> Vec<i64> {
    let (_, tasks) = client.get_json("/api/v1/tasks?mine=true").await;
    tasks
        .as_array()
        .map(|all| all.iter().filter_map(|t| t["id"].as_i64()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_task_given_to_a_role_follows_its_holders() {
    let app = TestApp::start_with_roles().await;
    let admin = app.api_client("admin-751").await;
    let user = app.api_client("user-751").await;
    let aarhus = app.org_id("municipality-751").await;
    let (_, tasks) = user.get_json("/api/v1/tasks?limit=1").await;
    let task = tasks[0]["id"].as_i64().expect("a task");
    let programme = role_id(&user, "KOMBIT-programleder").await;

    let (status, _) = user
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{task}/assignee"),
            json!({ "role_id": programme }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(mine(&user).await, vec![task]);
    assert!(mine(&admin).await.is_empty());
    let (_, all) = user.get_json("/api/v1/tasks?limit=1").await;
    assert_eq!(all[0]["assignee"], "KOMBIT-programleder");

    // The role changes hands: the task goes with it.
    let (_, assignments) = admin
        .get_json(&format!("/api/v1/municipalities/{aarhus}/role-assignments"))
        .await;
    let held = assignments
        .as_array()
        .and_then(|all| all.iter().find(|a| a["role"] == "KOMBIT-programleder"))
        .and_then(|a| a["id"].as_i64())
        .expect("held");
    let yesterday = samspil_storage::now()
        .date()
        .previous_day()
        .expect("a day before")
        .to_string();
    let (status, _) = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/municipalities/{aarhus}/role-assignments/{held}/end"),
            json!({ "last_day": yesterday }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let admin_id = user_id(&admin, aarhus, "admin-751").await;
    let (status, _) = assign(&admin, aarhus, programme, admin_id, json!({})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(mine(&admin).await, vec![task]);
    assert!(mine(&user).await.is_empty());

    // Given to a person; not to both; not to another municipality's role.
    let user_id_751 = user_id(&admin, aarhus, "user-751").await;
    let (status, _) = admin
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{task}/assignee"),
            json!({ "user_id": user_id_751 }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(mine(&user).await, vec![task]);
    let (status, _) = admin
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{task}/assignee"),
            json!({ "user_id": user_id_751, "role_id": programme }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let staff = app.api_client("staff").await;
    let odense = app.org_id("municipality-461").await;
    let odense_user = user_id(&staff, odense, "user-461").await;
    let (status, _) = admin
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{task}/assignee"),
            json!({ "user_id": odense_user }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(mine(&user).await, vec![task], "the refused change left it");
}

#[tokio::test]
async fn contact_lists_are_kept_by_the_community() {
    let app = TestApp::start_with_roles().await;
    let staff = app.api_client("staff").await;
    let aarhus = app.org_id("municipality-751").await;
    let (status, list) = staff
        .send_json(
            Method::POST,
            "/api/v1/contact-lists",
            json!({ "name": "Fakturering pr. IT-løsning", "description": "Faktureringsoplysninger" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let list = list["id"].as_i64().expect("id");
    let entries = format!("/api/v1/contact-lists/{list}/entries");
    let (status, entry) = staff
        .send_json(
            Method::POST,
            &entries,
            json!({ "org_id": aarhus, "name": "DPO Aarhus", "email": "dpo@aarhus.kommune.example",
                    "function": "DPO-funktionspostkasse" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    assert_eq!(entry["organisation"], "Aarhus");
    let (status, _) = staff
        .send_json(
            Method::POST,
            &entries,
            json!({ "name": "Uden adresse", "email": "ikke en adresse" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, listed) = staff.get_json(&entries).await;
    assert_eq!(names(&listed, "name"), vec!["DPO Aarhus"]);

    // The gallery is a contact list too: the holders of a role.
    let klik_admin = role_id(&staff, "KLIK-administrator").await;
    let (status, holders) = staff
        .get_json(&format!("/api/v1/roles/{klik_admin}/holders"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(holders.as_array().map(Vec::len), Some(3));
    assert!(holders[0]["email"].as_str().is_some());
}

#[tokio::test]
async fn role_assignments_are_audited() {
    let app = TestApp::start_with_roles().await;
    let admin = app.api_client("admin-751").await;
    let aarhus = app.org_id("municipality-751").await;
    let user = user_id(&admin, aarhus, "user-751").await;
    let security = role_id(&admin, "Sikkerhedsansvarlig").await;
    let (status, _) = assign(&admin, aarhus, security, user, json!({})).await;
    assert_eq!(status, StatusCode::CREATED);
    let access = Principal::operator()
        .admin_access(OrgId(aarhus))
        .expect("operator");
    let entries = app
        .storage
        .audit_entries(&access, 5)
        .await
        .expect("audit log");
    let newest = entries.first().expect("an entry");
    assert_eq!(newest.action, "role_assignment.create");
    assert_eq!(newest.actor_label, "admin-751");
    assert_eq!(
        newest.after.as_ref().map(|a| &a["role_name"]),
        Some(&json!("Sikkerhedsansvarlig"))
    );
}

/// A municipality's local tasks are its own, also when another municipality
/// starts or stops using the IT solution they belong to: joining gives the
/// joiner no part in them, and leaving takes nothing of one's own.
#[tokio::test]
async fn joining_or_leaving_a_solution_touches_no_local_task() {
    let app = TestApp::start_with_roles().await;
    let staff = app.api_client("staff").await;
    let aarhus_user = app.api_client("user-751").await;
    let odense_user = app.api_client("user-461").await;
    let aarhus = app.org_id("municipality-751").await;
    let eessi = project_id(&staff, "EESSI").await;
    for (client, title) in [
        (&odense_user, "Odenses egen"),
        (&aarhus_user, "Aarhus' egen"),
    ] {
        let (status, body) = client
            .send_json(
                Method::POST,
                "/api/v1/tasks/local",
                json!({"project_id": eessi, "title": title, "type": "mandatory"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let aarhus_titles = || async {
        let (_, tasks) = aarhus_user.get_json("/api/v1/tasks?limit=5000").await;
        names(&tasks, "title")
    };

    for uses in [true, false, true] {
        let (status, body) = staff
            .send_json(
                Method::PUT,
                &format!("/api/v1/municipalities/{aarhus}/solutions/{eessi}"),
                json!({ "uses": uses }),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "uses {uses}: {body}");
        let titles = aarhus_titles().await;
        assert!(
            !titles.contains(&"Odenses egen".to_owned()),
            "uses {uses}: {titles:?}"
        );
        assert!(
            titles.contains(&"Aarhus' egen".to_owned()),
            "uses {uses}: {titles:?}"
        );
    }
    let (_, odense_tasks) = odense_user.get_json("/api/v1/tasks?limit=5000").await;
    let own = odense_tasks
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["title"] == "Odenses egen"))
        .expect("Odense still has its local task")
        .clone();
    assert_eq!(own["counts"]["total"], 1, "{own}");
}
