//! A person's task deadlines as an iCalendar feed under a secret address
//! (issue 14), read back with an iCalendar parser.

use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

use crate::harness::{Browser, TestApp, csrf_in};

/// The address shown once on the page after it is made.
async fn create_feed(browser: &Browser) -> String {
    let token = browser.csrf_token("/konto/kalender").await;
    let response = browser
        .post_form("/konto/kalender", &[("csrf_token", &token)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    let marker = "id=\"calendar-url\" type=\"text\" readonly value=\"";
    let start = html.find(marker).expect("the address is shown") + marker.len();
    let url = html[start..start + html[start..].find('"').expect("its end")].replace("&#x2f;", "/");
    assert!(url.starts_with("http://"), "{url}");
    let path = &url[url.find("/kalender/").expect("the feed's path")..];
    assert!(path.ends_with(".ics"));
    path.to_owned()
}

pub(crate) fn events(text: &str) -> Vec<icalendar::Event> {
    let calendar: Calendar = text.parse().expect("a calendar the parser reads");
    calendar
        .components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_person_subscribes_to_their_deadlines_and_revokes_the_address() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (_, project) = staff
        .send_json(
            reqwest::Method::POST,
            "/api/v1/projects",
            serde_json::json!({ "name": "KLIK" }),
        )
        .await;
    let title =
        "Udpeg DPO, Ærø; og meld tilbage med en lang forklaring af hvorfor fristen er sat her";
    let (_, task) = staff
        .send_json(
            reqwest::Method::POST,
            "/api/v1/tasks",
            serde_json::json!({ "project_id": project["id"], "title": title, "type": "critical", "end": "2026-12-01" }),
        )
        .await;
    let id = task["id"].as_i64().expect("id");
    let (status, _) = staff
        .send_json(
            reqwest::Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let browser = app.signed_in("user-461").await;
    let (status, html) = browser.get_text("/konto/kalender").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Du har ingen kalenderadresse"), "{html}");
    // The task is given to the person, so the feed marks it.
    let user = app.user("user-461").await;
    let (_, task_page) = browser.get_text(&format!("/opgaver/{id}")).await;
    let token = csrf_in(&task_page).expect("token");
    let assignee = format!("user:{}", user.id.0);
    let given = browser
        .post_form(
            &format!("/opgaver/{id}/tildel"),
            &[("csrf_token", &token), ("assignee", &assignee)],
        )
        .await;
    assert_eq!(given.status(), StatusCode::SEE_OTHER);

    let path = create_feed(&browser).await;
    // A calendar program has no session.
    let response = app.browser().get(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/calendar")
    );
    let text = response.text().await.expect("text");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "folded at 75 octets: {line:?}");
    }
    let feed_events = events(&text);
    let event = feed_events
        .iter()
        .find(|e| {
            e.property_value("UID")
                .is_some_and(|u| u == format!("task-{id}@samspil"))
        })
        .expect("the task's deadline is an event");
    match event.get_start() {
        Some(DatePerhapsTime::Date(day)) => assert_eq!(day.to_string(), "2026-12-01"),
        other => panic!("an all-day event on the deadline, not {other:?}"),
    }
    let summary = event.get_summary().expect("a summary");
    assert!(summary.starts_with("Frist: Udpeg DPO"), "{summary}");
    assert!(
        summary.contains("Ærø") && summary.contains("fristen er sat her"),
        "{summary}"
    );
    let description = event.get_description().expect("a description");
    assert!(description.contains("Ikke påbegyndt"), "{description}");
    assert!(description.contains("Givet til dig"), "{description}");

    // The page says there is one; the address is not shown again.
    let (_, html) = browser.get_text("/konto/kalender").await;
    assert!(html.contains("Du har en kalenderadresse"));
    assert!(!html.contains(&path));

    // Another person's feed is their own: staff see every published task.
    let staff_browser = app.signed_in("staff").await;
    let staff_path = create_feed(&staff_browser).await;
    assert_ne!(staff_path, path);
    let text = app
        .browser()
        .get(&staff_path)
        .await
        .text()
        .await
        .expect("text");
    assert!(events(&text).iter().any(|e| {
        e.property_value("UID")
            .is_some_and(|u| u == format!("task-{id}@samspil"))
    }));

    // A new address replaces the old; a revoked one answers 404.
    let replaced = create_feed(&browser).await;
    assert_eq!(
        app.browser().get(&path).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.browser().get(&replaced).await.status(), StatusCode::OK);
    let token = browser.csrf_token("/konto/kalender").await;
    let revoked = browser
        .post_form("/konto/kalender/tilbagekald", &[("csrf_token", &token)])
        .await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.browser().get(&replaced).await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, html) = browser.get_text("/konto/kalender?done=revoked").await;
    assert!(html.contains("tilbagekaldt"));
    assert_eq!(
        app.browser()
            .get("/kalender/gaet-ikke-en-hemmelighed.ics")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_database_keeps_only_a_digest_of_the_secret() {
    let app = TestApp::start().await;
    let browser = app.signed_in("user-751").await;
    let path = create_feed(&browser).await;
    let secret = path
        .trim_start_matches("/kalender/")
        .trim_end_matches(".ics")
        .to_owned();
    let by_digest = app
        .coordination
        .calendar_deadlines(&samspil_auth::digest(&secret))
        .await
        .expect("reads");
    assert!(by_digest.is_some(), "found by the secret's digest");
    let by_secret = app
        .coordination
        .calendar_deadlines(&secret)
        .await
        .expect("reads");
    assert!(by_secret.is_none(), "the secret itself is not stored");
}
