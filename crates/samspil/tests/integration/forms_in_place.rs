//! A refused form is explained where it was typed (issue 14): the page
//! again with the DKFDS error summary at the top linking to the field, the
//! message at the field in Danish, what was typed kept, the header still
//! signed in, and nothing changed; success is confirmed; publishing,
//! closing and deleting ask first.

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use reqwest::multipart::{Form, Part};

use crate::harness::{Browser, TestApp, csrf_in};

const OCES3: &str = "Udskift kommunens organisationscertifikat med OCES3-certifikat i Fælleskommunalt Administrationsmodul";

/// Posts a form of the page at `page` with that page's CSRF token.
async fn submit(
    browser: &Browser,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, Option<String>) {
    let token = browser.csrf_token(page).await;
    let mut form = fields.to_vec();
    form.push(("csrf_token", &token));
    let response = browser.post_form(action, &form).await;
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    (status, response.text().await.expect("text"), location)
}

/// The page shown again for a refused form: 422, the summary linking to
/// `field_id`, the message at it, and the header of a signed-in person.
fn assert_refused_at(status: StatusCode, html: &str, field_id: &str, message: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("id=\"error-summary\""), "the summary: {html}");
    assert!(
        html.contains(&format!("href=\"#{field_id}\"")),
        "the summary links to {field_id}: {html}"
    );
    assert!(
        html.contains(&format!("id=\"{field_id}-error\"")),
        "the message at {field_id}: {html}"
    );
    assert!(html.contains(message), "{message}: {html}");
    assert!(html.contains("samspil-logout"), "still signed in");
    for english in [
        "Failed to deserialize",
        "is not a",
        "needs a",
        "exists already",
    ] {
        assert!(
            !html.contains(english),
            "no developer's English ({english})"
        );
    }
}

#[tokio::test]
async fn a_status_moved_back_without_a_reason_is_refused_at_the_reason_with_the_choice_kept() {
    let app = TestApp::start_with_tasks().await;
    let task = app.task_id(OCES3).await;
    let page = format!("/opgaver/{task}");
    let user = app.signed_in("user-751").await;
    let action = format!("{page}/status");
    let (status, _, location) = submit(
        &user,
        &page,
        &action,
        &[("status", "started"), ("reason", "Vi er i gang igen")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.expect("a redirect");
    assert!(location.ends_with("?gemt=status"), "{location}");
    let (_, html) = user.get_text(&location).await;
    assert!(
        html.contains("Jeres status er gemt."),
        "success is confirmed"
    );

    let (status, html, _) = submit(&user, &page, &action, &[("status", "not_started")]).await;
    assert_refused_at(
        status,
        &html,
        "status-reason",
        "Skriv en begrundelse, når status sættes tilbage.",
    );
    assert!(
        html.contains("id=\"status-not_started\" name=\"status\" value=\"not_started\" checked"),
        "the chosen status stays chosen"
    );
    let (_, html) = user.get_text(&page).await;
    assert!(
        html.contains("id=\"status-started\" name=\"status\" value=\"started\" checked"),
        "nothing changed"
    );

    // No status chosen at all is said at the status.
    let (status, html, _) = submit(&user, &page, &action, &[("reason", "x")]).await;
    assert_refused_at(status, &html, "status-status", "Vælg en status.");
}

#[tokio::test]
async fn an_empty_comment_and_a_missing_file_are_said_at_their_fields() {
    let app = TestApp::start_with_tasks().await;
    let task = app.task_id(OCES3).await;
    let page = format!("/opgaver/{task}");
    let user = app.signed_in("user-751").await;
    let (status, html, _) = submit(
        &user,
        &page,
        &format!("{page}/kommentarer"),
        &[("body", "   ")],
    )
    .await;
    assert_refused_at(
        status,
        &html,
        "comment-body",
        "Skriv en kommentar på højst 5.000 tegn.",
    );

    // The browser sends an empty file part when no file was chosen.
    let (_, html) = user.get_text(&page).await;
    let form = Form::new()
        .text("csrf_token", csrf_in(&html).expect("token"))
        .part("file", Part::bytes(Vec::new()).file_name(String::new()));
    let response = user
        .client
        .post(app.url(&format!("{page}/bilag")))
        .multipart(form)
        .send()
        .await
        .expect("answered");
    let status = response.status();
    let html = response.text().await.expect("text");
    assert_refused_at(
        status,
        &html,
        "attachment-file",
        "Vælg en fil, før du trykker Tilføj fil.",
    );
}

#[tokio::test]
async fn a_deadline_before_its_start_is_refused_at_the_end_with_what_was_typed() {
    let app = TestApp::start_with_tasks().await;
    let task = app.task_id(OCES3).await;
    let page = format!("/opgaver/{task}");
    let staff = app.signed_in("staff").await;
    let (status, html, _) = submit(
        &staff,
        &page,
        &format!("{page}/aendr"),
        &[
            ("type", "mandatory"),
            ("start", "07.12.2026"),
            ("end", "1.11.2026"),
            ("period_text", "ultimo november"),
            ("reason", "Leverandøren er forsinket"),
        ],
    )
    .await;
    assert_refused_at(
        status,
        &html,
        "change-end",
        "Slutdatoen 01.11.2026 ligger før startdatoen 07.12.2026.",
    );
    assert!(html.contains("value=\"1.11.2026\""), "the end as typed");
    assert!(
        html.contains("value=\"ultimo november\""),
        "the period as typed"
    );
    assert!(html.contains(">Leverandøren er forsinket</textarea>"));

    // Danish dates are dates: the change is saved and confirmed.
    let (status, _, location) = submit(
        &staff,
        &page,
        &format!("{page}/aendr"),
        &[
            ("type", "mandatory"),
            ("start", "7.12.2026"),
            ("end", "15.01.2027"),
            ("reason", "Leverandøren er forsinket"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = staff.get_text(&location.expect("redirect")).await;
    assert!(html.contains("Ændringen er gemt."));
    assert!(html.contains("15.01.2027"));
}

#[tokio::test]
async fn a_long_text_is_refused_at_its_field_not_as_a_body_too_large() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.signed_in("staff").await;
    let project = app.coordination.projects().await.expect("projects")[0]
        .id
        .0
        .to_string();
    // 100,000 characters, twice the description's limit, of Danish letters
    // that take six bytes each in a form.
    let description = "æ".repeat(100_000);
    let (status, html, _) = submit(
        &staff,
        "/opgaver/ny",
        "/opgaver/ny",
        &[
            ("project_id", &project),
            ("title", "For lang"),
            ("description", &description),
            ("type", "mandatory"),
        ],
    )
    .await;
    assert_refused_at(
        status,
        &html,
        "new-description",
        "Beskrivelsen må højst være 50.000 tegn.",
    );
    assert!(html.contains("value=\"For lang\""), "the title is kept");
    assert!(!html.contains("10 MB"), "not a file's limit");
}

#[tokio::test]
async fn the_role_catalogue_explains_letters_in_a_number_and_a_taken_name() {
    let app = TestApp::start_with_roles().await;
    let staff = app.signed_in("staff").await;
    let page = "/rollegalleri/katalog";
    let before = app.coordination.roles().await.expect("roles").len();
    let (status, html, _) = submit(
        &staff,
        page,
        page,
        &[
            ("name", "Ny rolle"),
            ("description", "Skal kunne have to"),
            ("max_holders", "to"),
            ("mandatory", "true"),
        ],
    )
    .await;
    assert_refused_at(
        status,
        &html,
        "role-max_holders",
        "»to« er ikke et tal. Skriv tallet med cifre, fx 2.",
    );
    assert!(html.contains("value=\"Ny rolle\""), "the name is kept");
    assert!(html.contains(">Skal kunne have to</textarea>"));
    assert!(html.contains("id=\"role-mandatory\" name=\"mandatory\" value=\"true\" checked"));

    let taken = app.coordination.roles().await.expect("roles")[0]
        .name
        .clone();
    let (status, html, _) = submit(&staff, page, page, &[("name", &taken)]).await;
    assert_refused_at(
        status,
        &html,
        "role-name",
        &format!("Der findes allerede en rolle med navnet »{taken}«."),
    );
    assert_eq!(app.coordination.roles().await.expect("roles").len(), before);
}

#[tokio::test]
async fn an_empty_giv_adgang_says_what_to_choose() {
    let app = TestApp::start_with_roles().await;
    let aarhus = app.org_id("municipality-751").await;
    let admin = app.signed_in("admin-751").await;
    let page = format!("/brugerhaandtering?kommune={aarhus}");
    let (status, html, _) = submit(
        &admin,
        &page,
        &format!("/brugerhaandtering/{aarhus}/tildel"),
        &[("user_id", ""), ("solution_id", "")],
    )
    .await;
    assert_refused_at(
        status,
        &html,
        "grant-user_id",
        "Vælg den person, der skal have adgang.",
    );
    assert!(
        html.contains("href=\"#grant-solution_id\""),
        "both are listed"
    );
}

#[tokio::test]
async fn bad_path_values_and_filter_dates_answer_a_danish_page_with_the_header() {
    let app = TestApp::start_with_tasks().await;
    let user = app.signed_in("user-751").await;
    let (status, html) = user.get_text("/opgaver/abc").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Siden findes ikke"), "{html}");
    assert!(!html.contains("Cannot parse"), "{html}");
    assert!(html.contains("samspil-logout"), "still signed in");
    assert!(!html.contains(">Log ind<"), "not as if signed out");

    let (status, _) = user.get_text("/status?from=01.06.2023").await;
    assert_eq!(status, StatusCode::OK, "a Danish date is a date");
    let (status, html) = user.get_text("/opgaver?to=32.01.2023").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("»32.01.2023« er ikke en dato."), "{html}");
    assert!(html.contains("samspil-logout"), "still signed in");

    // A path nobody serves keeps the header too.
    let (status, html) = user.get_text("/findes/ikke").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("samspil-logout"), "still signed in");
}

#[tokio::test]
async fn publishing_closing_and_deleting_ask_first() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.signed_in("staff").await;
    let task = app.task_id(OCES3).await;
    let (status, html) = staff
        .get_text(&format!("/opgaver/{task}/bekraeft/luk"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ja, luk opgaven"), "{html}");
    assert!(html.contains(&format!("action=\"/opgaver/{task}/luk\"")));
    let (_, page) = staff.get_text(&format!("/opgaver/{task}")).await;
    assert!(
        page.contains(&format!("href=\"/opgaver/{task}/bekraeft/luk\"")),
        "the task page asks through the confirmation page"
    );
    assert!(!page.contains(&format!("action=\"/opgaver/{task}/luk\"")));
    let (status, _) = staff
        .get_text(&format!("/opgaver/{task}/bekraeft/slet-alt"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _, location) = submit(
        &staff,
        &format!("/opgaver/{task}/bekraeft/luk"),
        &format!("/opgaver/{task}/luk"),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = staff.get_text(&location.expect("redirect")).await;
    assert!(html.contains("Opgaven er lukket."));
}

#[tokio::test]
async fn the_status_export_carries_the_period_in_words() {
    let app = TestApp::start_with_tasks().await;
    let tasks = app
        .coordination
        .tasks(&samspil_coordination_storage::TaskFilter {
            limit: 5000,
            ..Default::default()
        })
        .await
        .expect("tasks");
    let with_words = tasks
        .iter()
        .find(|t| {
            t.state != samspil_coordination::task::TaskState::Draft
                && t.schedule.period_text.is_some()
        })
        .expect("the demo has a published task with a period in words");
    let words = with_words.schedule.period_text.clone().unwrap_or_default();
    let browser = app.signed_in("user-101").await;
    let csv = browser
        .get("/status/eksport.csv")
        .await
        .text()
        .await
        .expect("text");
    assert!(
        csv.lines().next().unwrap_or_default().contains("Periode"),
        "{csv}"
    );
    let line = csv
        .lines()
        .find(|l| l.contains(&with_words.title))
        .expect("the task's line");
    assert!(line.contains(&format!(";{words};")), "{words} in {line}");
    let xlsx = browser
        .get("/status/eksport.xlsx")
        .await
        .bytes()
        .await
        .expect("bytes");
    assert!(xlsx.starts_with(b"PK"));
}

#[tokio::test]
async fn a_task_with_only_a_period_in_words_sorts_by_its_period() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.api_client("staff").await;
    let project = app.coordination.projects().await.expect("projects")[0].id.0;
    for (title, start, end, period) in [
        ("Sorteringsprøve sent", None, Some("2030-01-10"), None),
        (
            "Sorteringsprøve uge",
            Some("2030-01-01"),
            None,
            Some("Uge 1"),
        ),
        ("Sorteringsprøve tidligt", None, Some("2030-01-03"), None),
        ("Sorteringsprøve løbende", None, None, Some("Løbende")),
    ] {
        let body = serde_json::json!({
            "project_id": project, "title": title, "type": "mandatory",
            "start": start, "end": end, "period_text": period,
        });
        let (status, created) = staff
            .send_json(reqwest::Method::POST, "/api/v1/tasks", body)
            .await;
        assert_eq!(status, StatusCode::OK, "{created}");
    }
    let (status, list) = staff.get_json("/api/v1/tasks?q=Sorteringsprøve").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let titles: Vec<&str> = list
        .as_array()
        .or_else(|| list["tasks"].as_array())
        .expect("a list")
        .iter()
        .filter_map(|t| t["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Sorteringsprøve tidligt",
            "Sorteringsprøve uge",
            "Sorteringsprøve sent",
            "Sorteringsprøve løbende"
        ],
        "week 1 of 2030 ends on 6 January; words without a date last"
    );
}
