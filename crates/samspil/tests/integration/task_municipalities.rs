//! A task's municipalities can be some of its project's (issue 14): chosen
//! on the draft (the form's searchable list, or the API's list of ids),
//! published only to them, and counted alone in the lists, the status and
//! the exports; a municipality joining the project later does not get it.

use reqwest::{Method, StatusCode};
use samspil_coordination::task::{ProjectId, TaskId};
use samspil_domain::{OrgId, Principal};
use serde_json::json;

use crate::harness::{ApiClient, Browser, TestApp};

/// A project of Aarhus (751) and København (101) only; Odense (461) stays
/// out. Its id and the three municipalities' ids.
async fn project_of_two(app: &TestApp, staff: &ApiClient) -> (i64, [i64; 3]) {
    let aarhus = app.org_id("municipality-751").await;
    let copenhagen = app.org_id("municipality-101").await;
    let odense = app.org_id("municipality-461").await;
    let (status, project) = staff
        .send_json(
            Method::POST,
            "/api/v1/projects",
            json!({ "name": "Udvalgte kommuner", "participants": [aarhus, copenhagen] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{project}");
    let id = project["id"].as_i64().expect("id");
    (id, [aarhus, copenhagen, odense])
}

async fn publish(staff: &ApiClient, id: i64) -> serde_json::Value {
    let (status, published) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    published
}

#[tokio::test]
async fn the_api_gives_a_task_to_some_of_the_projects_municipalities_only() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (project, [aarhus, copenhagen, odense]) = project_of_two(&app, &staff).await;

    // One outside the project is refused by name; none at all likewise.
    let (status, body) = staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project, "title": "Kun nogle", "type": "mandatory",
                    "municipalities": [aarhus, odense] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("Odense"), "{body}");
    let (status, _) = staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project, "title": "Ingen", "type": "mandatory",
                    "municipalities": [] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, task) = staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project, "title": "Kun Aarhus", "type": "mandatory",
                    "municipalities": [aarhus, aarhus] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{task}");
    assert_eq!(task["chosen_municipalities"], 1);
    let only_aarhus = task["id"].as_i64().expect("id");
    let (_, everyone) = staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project, "title": "Hele projektet", "type": "mandatory" }),
        )
        .await;
    let everyone = everyone["id"].as_i64().expect("id");
    assert_eq!(everyone_chosen(&staff, everyone).await, 0);

    let published = publish(&staff, only_aarhus).await;
    assert_eq!(published["counts"]["total"], 1, "{published}");
    assert_eq!(publish(&staff, everyone).await["counts"]["total"], 2);

    // Aarhus has it; København, a participant not chosen, does not.
    let (status, _) = app
        .api_client("user-751")
        .await
        .get_json(&format!("/api/v1/tasks/{only_aarhus}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .api_client("user-101")
        .await
        .get_json(&format!("/api/v1/tasks/{only_aarhus}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The status lists and the task's export count Aarhus alone.
    let community = Principal::operator().community_access().expect("operator");
    let statuses = app
        .stores()
        .coordination
        .task_statuses(&community, TaskId(only_aarhus))
        .await
        .expect("storage");
    assert_eq!(
        statuses.iter().map(|s| s.org_id.0).collect::<Vec<_>>(),
        vec![aarhus]
    );
    let browser = app.signed_in("staff").await;
    let (status, csv) = browser
        .get_text(&format!("/opgaver/{only_aarhus}/eksport.csv"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("Aarhus"), "{csv}");
    assert!(!csv.contains("København"), "{csv}");

    // Odense joins the project: it gets the task for every participant,
    // not the one chosen for Aarhus.
    app.stores()
        .coordination
        .set_solution_use(&community, OrgId(odense), ProjectId(project), true)
        .await
        .expect("Odense joins");
    let task = |id| {
        let coordination = app.stores().coordination;
        async move {
            coordination
                .task(TaskId(id))
                .await
                .expect("storage")
                .expect("task")
                .counts
                .total()
        }
    };
    assert_eq!(task(only_aarhus).await, 1);
    assert_eq!(task(everyone).await, 3);

    // A published task's municipalities are fixed.
    let (status, body) = staff
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{only_aarhus}/content"),
            json!({ "title": "Kun Aarhus", "municipalities": [aarhus, copenhagen],
                    "reason": "Også København" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

async fn everyone_chosen(staff: &ApiClient, id: i64) -> i64 {
    let (_, detail) = staff.get_json(&format!("/api/v1/tasks/{id}")).await;
    detail["task"]["chosen_municipalities"]
        .as_i64()
        .expect("a count")
}

/// The new-task form with the municipalities' part filled in.
async fn create_on_form(
    staff: &Browser,
    project: i64,
    title: &str,
    scope: &str,
    ticked: &[i64],
) -> (StatusCode, String, Option<String>) {
    let token = staff.csrf_token("/opgaver/ny").await;
    let project = project.to_string();
    let ticked: Vec<String> = ticked.iter().map(i64::to_string).collect();
    let mut form: Vec<(&str, &str)> = vec![
        ("csrf_token", &token),
        ("project_id", &project),
        ("title", title),
        ("type", "mandatory"),
        ("municipalities_scope", scope),
    ];
    for id in &ticked {
        form.push(("municipality", id));
    }
    let response = staff.post_form("/opgaver/ny", &form).await;
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    (status, response.text().await.unwrap_or_default(), location)
}

#[tokio::test]
async fn staff_choose_a_drafts_municipalities_on_its_forms() {
    let app = TestApp::start().await;
    let api = app.api_client("staff").await;
    let (project, [aarhus, copenhagen, odense]) = project_of_two(&app, &api).await;
    let staff = app.signed_in("staff").await;

    let (status, form) = staff.get_text("/opgaver/ny").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("name=\"municipalities_scope\" value=\"all\" checked"));
    assert!(
        form.contains("data-filter-list=\"new-orgs-choices\""),
        "searchable"
    );

    // Chosen, but none ticked: refused at the list, the input kept.
    let (status, page, _) = create_on_form(&staff, project, "Uden kommuner", "chosen", &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Vælg mindst én kommune"), "{page}");
    assert!(
        page.contains("href=\"#new-municipalities\""),
        "the summary links to it"
    );
    assert!(page.contains("value=\"Uden kommuner\""), "kept");
    assert!(page.contains("value=\"chosen\" checked"), "kept");
    // Odense is not in the project: named.
    let (status, page, _) =
        create_on_form(&staff, project, "Med Odense", "chosen", &[aarhus, odense]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Odense deltager ikke i opgavens projekt"),
        "{page}"
    );
    assert!(
        page.contains(&format!("value=\"{aarhus}\" checked")),
        "kept"
    );

    let (status, _, location) =
        create_on_form(&staff, project, "Kun Aarhus", "chosen", &[aarhus]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id: i64 = location
        .expect("to the task")
        .trim_start_matches("/opgaver/")
        .parse()
        .expect("an id");
    let (_, page) = staff.get_text(&format!("/opgaver/{id}")).await;
    assert!(page.contains("1 valgt kommune"), "{page}");

    // The draft's edit form lists the project's municipalities, Aarhus ticked.
    let (_, form) = staff.get_text(&format!("/opgaver/{id}/rediger")).await;
    assert!(form.contains(&format!("value=\"{aarhus}\" checked")));
    assert!(form.contains(&format!("value=\"{copenhagen}\"")));
    assert!(
        !form.contains(&format!("value=\"{odense}\"")),
        "not in the project"
    );
    let token = staff.csrf_token(&format!("/opgaver/{id}/rediger")).await;
    let response = staff
        .post_form(
            &format!("/opgaver/{id}/rediger"),
            &[
                ("csrf_token", &token),
                ("title", "Kun Aarhus"),
                ("municipalities_scope", "all"),
                ("municipality", &aarhus.to_string()),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let task = app
        .stores()
        .coordination
        .task(TaskId(id))
        .await
        .expect("storage")
        .expect("task");
    assert_eq!(task.chosen_municipalities, 0, "back to all of them");

    // The confirmation before publishing says how many get it.
    let token = staff.csrf_token(&format!("/opgaver/{id}/rediger")).await;
    let copenhagen_text = copenhagen.to_string();
    staff
        .post_form(
            &format!("/opgaver/{id}/rediger"),
            &[
                ("csrf_token", &token),
                ("title", "Kun København"),
                ("municipalities_scope", "chosen"),
                ("municipality", &copenhagen_text),
            ],
        )
        .await;
    let (_, confirm) = staff
        .get_text(&format!("/opgaver/{id}/bekraeft/publicer"))
        .await;
    assert!(confirm.contains("sendes til én kommune"), "{confirm}");
    let token = staff.csrf_token(&format!("/opgaver/{id}")).await;
    let response = staff
        .post_form(
            &format!("/opgaver/{id}/publicer"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, form) = staff.get_text(&format!("/opgaver/{id}/rediger")).await;
    assert!(form.contains("Kommunerne kan ikke ændres"), "{form}");
    assert!(!form.contains("name=\"municipalities_scope\""));
}
