//! A new role's task (»Udfyld rollen …«, `ROLLE-N`): it has a deadline, and
//! it completes itself for a municipality when the role is filled there,
//! also when assignments and status changes run at the same moment.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{ApiClient, TestApp};

async fn user_id(client: &ApiClient, org: i64, login: &str) -> i64 {
    let (_, users) = client
        .get_json(&format!("/api/v1/organisations/{org}/users"))
        .await;
    users
        .as_array()
        .and_then(|users| users.iter().find(|u| u["login"] == login))
        .and_then(|u| u["id"].as_i64())
        .unwrap_or_else(|| panic!("user {login} exists: {users}"))
}

async fn assign(admin: &ApiClient, org: i64, role: i64, user: i64) -> (StatusCode, Value) {
    admin
        .send_json(
            Method::POST,
            &format!("/api/v1/municipalities/{org}/role-assignments"),
            json!({ "role_id": role, "user_id": user }),
        )
        .await
}

#[tokio::test]
async fn a_new_roles_task_has_a_deadline_and_completes_itself_where_the_role_is_filled() {
    let app = TestApp::start_with_roles().await;
    let staff = app.api_client("staff").await;
    let (status, role) = staff
        .send_json(
            Method::POST,
            "/api/v1/roles",
            json!({ "name": "Forsidens testrolle", "description": "Den, der tester.",
                    "solution_id": null, "mandatory": true, "max_holders": null,
                    "requires_primary": false }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    let role_id = role["role"]["id"].as_i64().expect("role id");
    let code = format!("ROLLE-{role_id}");
    let id = role["task_id"].as_i64().expect("task id");
    let (_, task) = staff.get_json(&format!("/api/v1/tasks/{id}")).await;
    let task = &task["task"];
    assert_eq!(task["code"], code.as_str(), "{task}");
    let end = task["end"]
        .as_str()
        .unwrap_or_else(|| panic!("a deadline: {task}"));
    let due = samspil_storage::now().date() + time::Duration::days(30);
    assert_eq!(end, due.to_string());

    let aarhus = app.org_id("municipality-751").await;
    let odense = app.org_id("municipality-461").await;
    let aarhus_admin = app.api_client("admin-751").await;
    let odense_admin = app.api_client("admin-461").await;
    let holder = user_id(&aarhus_admin, aarhus, "user-751").await;
    let (status, body) = assign(&aarhus_admin, aarhus, role_id, holder).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, counts) = staff.get_json(&format!("/api/v1/tasks/{id}/status")).await;
    assert_eq!(counts["completed"], 1, "{counts}");

    // Aarhus' own status says so, with why, in its history.
    let aarhus_user = app.signed_in("user-751").await;
    let (_, page) = aarhus_user.get_text(&format!("/opgaver/{id}")).await;
    assert!(
        page.contains("Rollen er udfyldt i rollegalleriet."),
        "{page}"
    );

    // In Odense two holders are given the role while a person moves the
    // task's status by hand: one completion, and the counts add up.
    let first = user_id(&odense_admin, odense, "user-461").await;
    let second = user_id(&odense_admin, odense, "admin-461").await;
    let odense_user = app.api_client("user-461").await;
    let path = format!("/api/v1/tasks/{id}/municipalities/{odense}/status");
    let by_hand = odense_user.send_json(Method::PUT, &path, json!({ "status": "started" }));
    let (a, b, hand) = tokio::join!(
        assign(&odense_admin, odense, role_id, first),
        assign(&odense_admin, odense, role_id, second),
        by_hand,
    );
    assert_eq!(a.0, StatusCode::CREATED, "{}", a.1);
    assert_eq!(b.0, StatusCode::CREATED, "{}", b.1);
    // Started before the role was filled, or refused once it was completed.
    assert!(
        hand.0.is_success() || hand.0 == StatusCode::UNPROCESSABLE_ENTITY,
        "{} {}",
        hand.0,
        hand.1
    );
    let (_, counts) = staff.get_json(&format!("/api/v1/tasks/{id}/status")).await;
    assert_eq!(counts["completed"], 2, "{counts}");
    let sum = ["completed", "started", "not_started"]
        .iter()
        .map(|k| counts[k].as_i64().unwrap_or(0))
        .sum::<i64>();
    assert_eq!(counts["total"].as_i64(), Some(sum), "{counts}");
}
