//! The person's front page, the inbox's pages and the project pages, as
//! people use them (issue 14, "Finding one's way").

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{TestApp, csrf_in};

/// Sends `count` messages to Aarhus' people; returns their subjects.
async fn message_aarhus(app: &TestApp, count: usize) -> Vec<String> {
    let staff = app.api_client("staff").await;
    let aarhus = app.org_id("municipality-751").await;
    let mut subjects = Vec::new();
    for n in 1..=count {
        let subject = format!("Driftsbesked nummer {n}");
        let (status, body) = staff
            .send_json(
                reqwest::Method::POST,
                "/api/v1/messages",
                json!({ "category": "operational", "subject": subject, "body": "Rettet.",
                        "audience": { "kind": "municipalities", "ids": [aarhus] } }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        subjects.push(subject);
    }
    subjects
}

#[tokio::test]
async fn a_municipality_person_finds_their_open_tasks_deadlines_and_messages_on_the_front_page() {
    let app = TestApp::start_with_tasks().await;
    message_aarhus(&app, 2).await;
    let browser = app.signed_in("user-751").await;
    let (status, html) = browser.get_text("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Jeres åbne opgaver"), "{html}");
    assert!(html.contains("åbne opgaver"));
    assert!(html.contains("Givet til dig eller dine roller"));
    assert!(html.contains("Ulæste beskeder"));
    assert!(html.contains("Driftsbesked nummer 2"));
    // The menu counts the unread on »Indbakke«, for a screen reader too.
    assert!(html.contains("class=\"samspil-count\""), "{html}");
    assert!(html.contains("2 ulæste"));
    // Critical first among the open tasks.
    let open = &html[html.find("id=\"home-open\"").expect("open tasks")..];
    let first_row = &open[open.find("<tbody>").expect("rows")..];
    let first_type = first_row
        .find("<td data-title=\"Type\">")
        .map(|at| &first_row[at..at + 80]);
    assert!(
        first_type.is_some_and(|cell| cell.contains("kritisk vej")),
        "{first_type:?}"
    );
    // The NSIS, prices and agreements are one entry of the menu.
    assert!(html.contains(">Værktøjer<"));
    assert!(!html.contains("<span>Priser</span>"));

    // In English too.
    let english = app.signed_in("user-751").await;
    english.get("/sprog/en?next=/").await;
    let (_, html) = english.get_text("/").await;
    assert!(html.contains("Your open tasks"), "{html}");
    assert!(html.contains("2 unread"));
}

#[tokio::test]
async fn staff_see_tasks_near_their_deadline_recent_changes_and_empty_roles_on_the_front_page() {
    let app = TestApp::start_with_roles().await;
    let browser = app.signed_in("staff").await;
    let (status, html) = browser.get_text("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Tæt på fristen med lav fuldførelse"),
        "{html}"
    );
    assert!(html.contains("Seneste statusændringer"));
    assert!(html.contains("Obligatoriske roller uden indehaver"));
    assert!(html.contains("publiceret til kommunerne"));
    assert!(
        !html.contains("publiceret til jer"),
        "staff are not a municipality"
    );
    assert!(!html.contains("Ændringen er ikke gemt"));

    // A status change shows among the latest, with its municipality.
    let title = "Udpeg Digital Post-ansvarlig";
    let staff = app.api_client("staff").await;
    let (_, project) = staff
        .send_json(
            reqwest::Method::POST,
            "/api/v1/projects",
            json!({ "name": "Forsideprojektet" }),
        )
        .await;
    let (_, task) = staff
        .send_json(
            reqwest::Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project["id"], "title": title, "type": "mandatory" }),
        )
        .await;
    let id = task["id"].as_i64().expect("id");
    staff
        .send_json(
            reqwest::Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            json!({}),
        )
        .await;
    let odense = app.signed_in("user-461").await;
    let (_, page) = odense.get_text(&format!("/opgaver/{id}")).await;
    let token = csrf_in(&page).expect("token");
    let response = odense
        .post_form(
            &format!("/opgaver/{id}/status"),
            &[("csrf_token", &token), ("status", "started")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = browser.get_text("/").await;
    let changes = &html[html.find("id=\"home-changes\"").expect("changes")..];
    assert!(changes.contains(title), "{changes}");
    assert!(changes.contains("Odense"));
}

#[tokio::test]
async fn the_inbox_pages_filters_by_kind_and_marks_one_read() {
    let app = TestApp::start_with_tasks().await;
    let subjects = message_aarhus(&app, 27).await;
    let browser = app.signed_in("user-751").await;
    let (status, html) = browser.get_text("/indbakke").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&subjects[26]), "newest first");
    assert!(
        !html.contains(">Driftsbesked nummer 1<"),
        "on the next page"
    );
    assert!(html.contains("rel=\"next\""));
    let (_, second) = browser.get_text("/indbakke?page=2").await;
    assert!(second.contains(">Driftsbesked nummer 1<"), "{second}");
    assert!(second.contains("rel=\"prev\""));

    // Filtered on a kind it has none of, then on messages.
    let (_, none) = browser.get_text("/indbakke?type=task_assigned").await;
    assert!(none.contains("Der er ingen af den slags"), "{none}");
    let (_, messages) = browser.get_text("/indbakke?type=message").await;
    assert!(messages.contains(&subjects[26]));
    // A kind it does not know shows every kind, never an error.
    let (status, _) = browser.get_text("/indbakke?type=nonsense&page=abc").await;
    assert!(
        status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
        "{status}"
    );

    // Marking one read leaves the others unread.
    let user = app.api_client("user-751").await;
    let (_, inbox) = user.get_json("/api/v1/inbox").await;
    let before = inbox
        .as_array()
        .expect("inbox")
        .iter()
        .filter(|i| i["read"] == false)
        .count();
    let id = inbox[0]["id"].as_i64().expect("id");
    let token = csrf_in(&html).expect("token");
    let response = browser
        .post_form(
            &format!("/indbakke/{id}/laest?page=1"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, inbox) = user.get_json("/api/v1/inbox").await;
    let after = inbox
        .as_array()
        .expect("inbox")
        .iter()
        .filter(|i| i["read"] == false)
        .count();
    assert_eq!(after + 1, before);
    assert_eq!(inbox[0]["read"], true);

    // Another person's id changes nothing of theirs.
    let odense = app.signed_in("user-461").await;
    let (_, page) = odense.get_text("/indbakke").await;
    let token = csrf_in(&page).expect("token");
    let response = odense
        .post_form(
            &format!("/indbakke/{}/laest", inbox[1]["id"]),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, inbox) = user.get_json("/api/v1/inbox").await;
    assert_eq!(inbox[1]["read"], false);
}

#[tokio::test]
async fn project_pages_show_tasks_participants_progress_and_roles() {
    let app = TestApp::start_with_roles().await;
    let project = app.coordination.projects().await.expect("projects")[0].clone();
    for login in ["user-751", "staff"] {
        let browser = app.signed_in(login).await;
        let (status, html) = browser.get_text("/projekter").await;
        assert_eq!(status, StatusCode::OK, "{login}");
        assert!(
            html.contains(&format!("href=\"/projekter/{}\"", project.id.0)),
            "{html}"
        );
        let (status, html) = browser
            .get_text(&format!("/projekter/{}", project.id.0))
            .await;
        assert_eq!(status, StatusCode::OK, "{login}");
        assert!(html.contains("Roller i rollegalleriet"), "{html}");
        assert!(html.contains("Deltagende kommuner"));
        assert!(html.contains("Opgaverne i"));
        if login == "staff" {
            assert!(html.contains("Tilstand"));
        } else {
            assert!(html.contains("Jeres status"));
        }
    }
    let browser = app.signed_in("user-751").await;
    let (status, html) = browser.get_text("/projekter/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        html.contains("user-751") || html.contains("Log ud"),
        "who is logged in"
    );
    let (status, _) = browser.get_text("/projekter/abc").await;
    assert!(status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST);
}
