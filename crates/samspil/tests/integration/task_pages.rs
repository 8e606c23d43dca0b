//! The task pages, as people use them.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION};

use crate::harness::{TestApp, csrf_in};

const OCES3: &str = "Udskift kommunens organisationscertifikat med OCES3-certifikat i Fælleskommunalt Administrationsmodul";

#[tokio::test]
async fn a_municipality_lists_its_tasks_and_finds_one_by_words() {
    let app = TestApp::start_with_tasks().await;
    let browser = app.signed_in("user-751").await;
    let (status, html) = browser.get_text("/opgaver").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Kommunens opgaver"));
    assert!(html.contains("Obligatorisk på kritisk vej"));
    assert!(
        html.contains("Ikke påbegyndt") || html.contains("Påbegyndt") || html.contains("Fuldført")
    );
    let critical = html
        .find("Obligatorisk på kritisk vej</td>")
        .expect("a critical task");
    let voluntary = html.find("Frivillig</td>").unwrap_or(usize::MAX);
    assert!(critical < voluntary, "critical first");

    let (_, html) = browser.get_text("/opgaver?q=bibo2").await;
    assert!(html.contains("BiBo2"));
    assert!(!html.contains("BiBo1"));
}

#[tokio::test]
async fn a_municipality_moves_its_status_forward_and_is_told_when_it_may_not() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (_, project) = staff
        .send_json(
            reqwest::Method::POST,
            "/api/v1/projects",
            serde_json::json!({ "name": "KLIK" }),
        )
        .await;
    let (_, task) = staff
        .send_json(
            reqwest::Method::POST,
            "/api/v1/tasks",
            serde_json::json!({ "project_id": project["id"], "title": "Udpeg Digital Post-ansvarlig", "type": "mandatory" }),
        )
        .await;
    let id = task["id"].as_i64().expect("id");
    staff
        .send_json(
            reqwest::Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            serde_json::json!({}),
        )
        .await;

    let browser = app.signed_in("user-461").await;
    let (_, html) = browser.get_text(&format!("/opgaver/{id}")).await;
    let token = csrf_in(&html).expect("the status form has a CSRF token");
    let path = format!("/opgaver/{id}/status");

    let response = browser
        .post_form(&path, &[("csrf_token", &token), ("status", "completed")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(
        html.contains("Status kan kun flyttes ét trin frem ad gangen"),
        "{html}"
    );

    let response = browser
        .post_form(&path, &[("csrf_token", &token), ("status", "started")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = browser.get_text(&format!("/opgaver/{id}")).await;
    assert!(html.contains("status-started"));

    let response = browser
        .post_form(&path, &[("csrf_token", &token), ("status", "not_started")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("Skriv en begrundelse")
    );

    let response = browser.post_form(&path, &[("status", "completed")]).await;
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "no CSRF token, no change"
    );
    let (_, report) = staff.get_json(&format!("/api/v1/tasks/{id}/status")).await;
    assert_eq!(report["started"], 1);
}

#[tokio::test]
async fn staff_write_publish_and_reschedule_a_task_in_the_browser() {
    let app = TestApp::start_with_tasks().await;
    let browser = app.signed_in("staff").await;
    let (status, html) = browser.get_text("/opgaver/ny").await;
    assert_eq!(status, StatusCode::OK);
    let token = csrf_in(&html).expect("token");
    let project = app.coordination.projects().await.expect("projects")[0]
        .id
        .0
        .to_string();
    let response = browser
        .post_form(
            "/opgaver/ny",
            &[
                ("csrf_token", &token),
                ("project_id", &project),
                ("code", "GB6.0"),
                ("title", "Test <b>opgave</b>"),
                (
                    "description",
                    "## Trin\n\n- Bestil **certifikat**\n\n<script>alert(1)</script>",
                ),
                ("type", "critical"),
                ("start", "2026-12-01"),
                ("end", "2027-02-01"),
                ("period_text", "Uge 49"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    let (_, html) = browser.get_text(&location).await;
    assert!(html.contains("Test &lt;b&gt;opgave&lt;"), "titles are text");
    assert!(!html.contains("<b>opgave"));
    assert!(
        html.contains("<h2>Trin</h2>"),
        "the description is rich text"
    );
    assert!(html.contains("<li>Bestil <strong>certifikat</strong></li>"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "typed markup is text"
    );
    assert!(html.contains("Kladde"));

    let response = browser
        .post_form(&format!("{location}/publicer"), &[("csrf_token", &token)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = browser.get_text(&location).await;
    assert!(html.contains("Ikke påbegyndt: 98 kommuner"), "{html}");

    let response = browser
        .post_form(
            &format!("{location}/aendr"),
            &[
                ("csrf_token", &token),
                ("type", "mandatory"),
                ("start", "2026-12-01"),
                ("end", "2027-03-01"),
                ("reason", "Leverandøren er forsinket"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = browser.get_text(&location).await;
    assert!(html.contains("Leverandøren er forsinket"));
    assert!(html.contains("01.03.2027"), "Danish date format");

    let response = browser
        .post_form(
            &format!("{location}/aendr"),
            &[
                ("csrf_token", &token),
                ("type", "mandatory"),
                ("end", "2027-04-01"),
                ("reason", ""),
            ],
        )
        .await;
    // Refused at its field, in Danish, with the summary at the top linking
    // to it, what was typed kept, and the header still signed in.
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(html.contains("Skriv, hvorfor opgaven ændres."), "{html}");
    assert!(!html.contains("needs a reason"), "no developer's English");
    assert!(
        html.contains("href=\"#change-reason\""),
        "the summary links to the field"
    );
    assert!(
        html.contains("id=\"change-reason-error\""),
        "the message at the field"
    );
    assert!(
        html.contains("value=\"2027-04-01\""),
        "the typed end is kept"
    );
    assert!(html.contains("samspil-logout"), "still signed in");
    let (_, html) = browser.get_text(&location).await;
    assert!(html.contains("01.03.2027"), "nothing changed");
}

#[tokio::test]
async fn municipalities_cannot_reach_drafts_or_the_task_editor() {
    let app = TestApp::start_with_tasks().await;
    let draft = app
        .coordination
        .tasks(&samspil_coordination_storage::TaskFilter {
            include_drafts: true,
            limit: 5000,
            ..Default::default()
        })
        .await
        .expect("tasks")
        .into_iter()
        .find(|t| t.state == samspil_coordination::task::TaskState::Draft)
        .expect("the demo has drafts");
    let browser = app.signed_in("admin-751").await;
    assert_eq!(
        browser
            .get(&format!("/opgaver/{}", draft.id.0))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        browser.get("/opgaver/ny").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_national_status_shows_the_seed_tables_with_a_chart_and_exports() {
    let app = TestApp::start_with_tasks().await;
    let browser = app.signed_in("user-101").await;
    let (status, html) = browser.get_text("/status?q=oces3").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(OCES3));
    assert!(
        html.contains("<svg") && html.contains("role=\"img\""),
        "an accessible chart"
    );
    let row = html
        .split("<tr>")
        .find(|row| row.contains(OCES3) && row.contains("<td"))
        .expect("the OCES3 row");
    for number in ["27", "31", "40", "98"] {
        assert!(row.contains(&format!(">{number}<")), "{number} in {row}");
    }

    let response = browser.get("/status/eksport.csv?q=oces3").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    let csv = response.text().await.expect("text");
    let line = csv
        .lines()
        .find(|l| l.contains("OCES3-certifikat i Fælleskommunalt"))
        .expect("the OCES3 line");
    assert!(line.ends_with(";27;31;40;98"), "{line}");

    let response = browser.get("/status/eksport.xlsx").await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"PK"), "an XLSX file is a zip");
    assert_eq!(
        browser.get("/status/eksport.pdf").await.status(),
        StatusCode::BAD_REQUEST,
        "an unknown format is a bad request, explained"
    );
}

#[tokio::test]
async fn progress_by_project_and_municipality_for_the_monthly_meeting() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.signed_in("staff").await;
    let (status, html) = staff.get_text("/status/fremdrift").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("kommuner er ikke færdige"), "{html}");
    for project in ["DOS", "KLIK", "Borgerblikket"] {
        assert!(
            html.contains(&format!("{project}: ")),
            "{project} has a sentence"
        );
    }

    // Per business area, the seed's own sentence (DOS Bibliotek, 21 June 2023).
    assert!(
        html.contains("DOS, Bibliotek: 29 kommuner har stadig opgaver tilbage."),
        "{html}"
    );
    let areas = staff
        .get("/status/fremdrift/eksport.csv?table=omraader")
        .await
        .text()
        .await
        .expect("text");
    assert!(
        areas
            .lines()
            .any(|l| l.contains("Bibliotek") && l.contains("29"))
    );

    let csv = staff
        .get("/status/fremdrift/eksport.csv?table=kommuner")
        .await
        .text()
        .await
        .expect("text");
    assert_eq!(
        csv.lines().count(),
        1 + 98,
        "a header and the 98 municipalities"
    );
    let (status, _) = staff
        .get_text("/status/fremdrift/eksport.csv?table=ukendt")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let user = app.signed_in("user-751").await;
    assert_eq!(
        user.get("/status/fremdrift").await.status(),
        StatusCode::FORBIDDEN
    );
    let (_, tasks) = app
        .api_client("user-751")
        .await
        .get_json("/api/v1/tasks?limit=5000")
        .await;
    let open = tasks
        .as_array()
        .expect("list")
        .iter()
        .filter(|t| t["status"] != "completed" && t["state"] == "published")
        .count();
    let (_, html) = user.get_text("/opgaver").await;
    assert!(
        html.contains(&format!("I har {open} åbne opgaver")),
        "{open} open: {html}"
    );
}

#[tokio::test]
async fn a_municipality_ticks_claim_types_in_the_browser_and_staff_see_the_tally() {
    let app = TestApp::start_with_tasks().await;
    let id = app
        .coordination
        .tasks(&samspil_coordination_storage::TaskFilter {
            words: Some("SoCo1".into()),
            include_drafts: true,
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("tasks")[0]
        .id
        .0;
    let question = app
        .coordination
        .questions(samspil_coordination::task::TaskId(id))
        .await
        .expect("questions")[0]
        .clone();
    let user = app.signed_in("user-101").await;
    let (_, html) = user.get_text(&format!("/opgaver/{id}")).await;
    assert!(html.contains("Hvilke fordringstyper er relevante for kommunen?"));
    assert!(html.contains("KTTIBAK – Tilbagebetaling efter kapitel 12 i aktivloven"));
    let token = csrf_in(&html).expect("token");
    let field = format!("q-{}", question.id.0);
    let response = user
        .post_form(
            &format!("/opgaver/{id}/svar"),
            &[
                ("csrf_token", &token),
                (&field, &question.spec.options[1]),
                (&field, &question.spec.options[2]),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = user
        .post_form(
            &format!("/opgaver/{id}/svar"),
            &[("csrf_token", &token), (&field, "KTFALSK")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("»KTFALSK« er ikke en af svarmulighederne")
    );
    let mine = app
        .coordination
        .answers(
            &samspil_domain::Principal::operator()
                .read_access(samspil_domain::OrgId(app.org_id("municipality-101").await))
                .expect("access"),
            samspil_coordination::task::TaskId(id),
        )
        .await
        .expect("answers");
    assert_eq!(
        mine[0].values,
        vec![
            question.spec.options[1].clone(),
            question.spec.options[2].clone()
        ],
        "the refused answer changed nothing"
    );

    let staff = app.signed_in("staff").await;
    let (_, html) = staff.get_text(&format!("/opgaver/{id}")).await;
    assert!(html.contains("Kommunernes svar"));
    assert!(html.contains("kommuner har svaret"));

    // The lists behind the numbers and the answers, as one table.
    let response = staff.get(&format!("/opgaver/{id}/eksport.csv")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.expect("text");
    let header = csv.lines().next().unwrap_or_default();
    assert!(
        header.contains("Hvilke fordringstyper er relevante for kommunen?"),
        "{header}"
    );
    let københavn = csv
        .lines()
        .find(|line| line.contains("København"))
        .expect("København has a row");
    assert!(københavn.contains(&question.spec.options[1]), "{københavn}");
    assert!(københavn.contains(&question.spec.options[2]));
    assert_eq!(csv.lines().count(), 1 + 98, "a row per municipality");
    let xlsx = staff.get(&format!("/opgaver/{id}/eksport.xlsx")).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.expect("bytes").starts_with(b"PK"));
    // A municipality cannot read the others' answers.
    assert_eq!(
        user.get(&format!("/opgaver/{id}/eksport.csv"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn staff_add_questions_to_a_draft_and_a_broken_one_is_explained() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.signed_in("staff").await;
    let (_, html) = staff.get_text("/opgaver/ny").await;
    let token = csrf_in(&html).expect("token");
    let project = app.coordination.projects().await.expect("projects")[0]
        .id
        .0
        .to_string();
    let response = staff
        .post_form(
            "/opgaver/ny",
            &[
                ("csrf_token", &token),
                ("project_id", &project),
                ("title", "Oplys fagsystem"),
                ("type", "mandatory"),
            ],
        )
        .await;
    let task = response.headers()[LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    let (_, html) = staff.get_text(&task).await;
    assert!(html.contains("Nyt spørgsmål"));
    let token = csrf_in(&html).expect("token");
    let add = format!("{task}/spoergsmaal");

    // A choice without options is refused, and nothing is added.
    let response = staff
        .post_form(
            &add,
            &[
                ("csrf_token", &token),
                ("prompt", "Hvilket fagsystem bruger I?"),
                ("kind", "single_choice"),
                ("options", "  \n "),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("Et valgspørgsmål skal have mindst to forskellige svarmuligheder")
    );
    let id: i64 = task
        .rsplit('/')
        .next()
        .and_then(|i| i.parse().ok())
        .expect("id");
    let questions = |app: &TestApp| {
        let coordination = app.coordination.clone();
        async move {
            coordination
                .questions(samspil_coordination::task::TaskId(id))
                .await
                .expect("questions")
        }
    };
    assert!(questions(&app).await.is_empty());

    let response = staff
        .post_form(
            &add,
            &[
                ("csrf_token", &token),
                ("prompt", "Hvilket fagsystem bruger I?"),
                ("kind", "single_choice"),
                ("options", "KMD Opus\r\nFujitsu\n\nAndet"),
                ("required", "true"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let added = questions(&app).await;
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].spec.options, vec!["KMD Opus", "Fujitsu", "Andet"]);
    assert!(added[0].spec.required);
    let (_, html) = staff.get_text(&task).await;
    assert!(html.contains("KMD Opus · Fujitsu · Andet"));

    // Municipalities cannot add questions.
    let user = app.signed_in("user-751").await;
    let token = user.csrf_token("/opgaver").await;
    let response = user
        .post_form(
            &add,
            &[("csrf_token", &token), ("prompt", "?"), ("kind", "text")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn status_counts_among_one_regions_municipalities() {
    let app = TestApp::start_with_tasks().await;
    let user = app.signed_in("user-751").await;
    let (status, html) = user
        .get_text("/status?region=Region+Nordjylland&q=oces3")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Tallene gælder kun kommunerne i Region Nordjylland"));
    let id = app.task_id(OCES3).await;
    let statuses = app
        .coordination
        .task_statuses(
            &samspil_domain::Principal::operator()
                .community_access()
                .expect("operator"),
            samspil_coordination::task::TaskId(id),
        )
        .await
        .expect("statuses");
    let north: Vec<_> = statuses
        .iter()
        .filter(|s| s.region.as_deref() == Some("Region Nordjylland"))
        .collect();
    assert_eq!(north.len(), 11, "Nordjylland has 11 municipalities");
    let completed = north
        .iter()
        .filter(|s| s.status == samspil_coordination::task::TaskStatus::Completed)
        .count();
    let csv = user
        .get("/status/eksport.csv?region=Region+Nordjylland&q=oces3")
        .await
        .text()
        .await
        .expect("text");
    let row = csv
        .lines()
        .find(|l| l.contains("OCES3-certifikat i Fælleskommunalt"))
        .expect("the OCES3 row");
    assert!(
        row.ends_with(&format!(
            ";{completed};{};{};11",
            {
                north
                    .iter()
                    .filter(|s| s.status == samspil_coordination::task::TaskStatus::Started)
                    .count()
            },
            {
                north
                    .iter()
                    .filter(|s| s.status == samspil_coordination::task::TaskStatus::NotStarted)
                    .count()
            }
        )),
        "{row}"
    );

    let (status, _) = user.get_text("/status?region=Atlantis").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_municipality_keeps_local_tasks_of_its_own_outside_the_national_status() {
    let app = TestApp::start_with_tasks().await;
    let aarhus = app.signed_in("user-751").await;
    let (status, html) = aarhus.get_text("/opgaver/lokal/ny").await;
    assert_eq!(status, StatusCode::OK);
    let token = csrf_in(&html).expect("token");
    let project = app.coordination.projects().await.expect("projects")[0]
        .id
        .0
        .to_string();
    let form = |title: &'static str, start: &'static str, end: &'static str| {
        vec![
            ("csrf_token", token.clone()),
            ("project_id", project.clone()),
            ("title", title.to_owned()),
            ("type", "mandatory".to_owned()),
            ("start", start.to_owned()),
            ("end", end.to_owned()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let browser = &aarhus;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post_form("/opgaver/lokal/ny", &pairs).await
        }
    };

    // Dates out of order: refused, nothing created.
    let response = send(form("Rydd op i fællesdrevet", "2026-12-10", "2026-12-01")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = aarhus.get_text("/opgaver?q=fællesdrevet").await;
    assert!(!list.contains("Rydd op i fællesdrevet"));

    let response = send(form("Rydd op i fællesdrevet", "2026-12-01", "2026-12-10")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let task = response.headers()[LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    let (_, page) = aarhus.get_text(&task).await;
    assert!(page.contains("Lokal opgave"));
    let (_, list) = aarhus.get_text("/opgaver?q=fællesdrevet").await;
    assert!(list.contains("Rydd op i fællesdrevet"));
    for step in ["started", "completed"] {
        let response = aarhus
            .post_form(
                &format!("{task}/status"),
                &[("csrf_token", &token), ("status", step)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{step}");
    }

    // Nobody else sees it, and the country's status does not count it.
    let odense = app.signed_in("user-461").await;
    assert_eq!(odense.get(&task).await.status(), StatusCode::NOT_FOUND);
    let staff = app.signed_in("staff").await;
    assert_eq!(staff.get(&task).await.status(), StatusCode::NOT_FOUND);
    let (_, status_page) = staff.get_text("/status?q=fællesdrevet").await;
    assert!(!status_page.contains("Rydd op i fællesdrevet"));
    let (_, tasks) = app
        .api_client("staff")
        .await
        .get_json("/api/v1/tasks?q=f%C3%A6llesdrevet")
        .await;
    assert_eq!(tasks.as_array().map(Vec::len), Some(0));

    // Staff cannot write local tasks.
    let token = staff.csrf_token("/opgaver").await;
    let response = staff
        .post_form(
            "/opgaver/lokal/ny",
            &[
                ("csrf_token", &token),
                ("project_id", &project),
                ("title", "x"),
                ("type", "mandatory"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // Through the API as well.
    let (status, created) = app
        .api_client("user-751")
        .await
        .send_json(
            reqwest::Method::POST,
            "/api/v1/tasks/local",
            serde_json::json!({ "project_id": project.parse::<i64>().expect("id"),
                                "title": "Bestil nye nøglekort", "type": "voluntary" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(created["local"], true);
}

#[tokio::test]
async fn a_refused_task_is_explained_in_danish_and_the_form_keeps_what_was_typed() {
    let app = TestApp::start_with_roles().await;
    let staff = app.signed_in("staff").await;
    let (_, html) = staff.get_text("/opgaver/ny").await;
    assert!(
        html.contains("<option value=\"KLIK-administrator\">"),
        "executors come from the catalogue"
    );
    let token = csrf_in(&html).expect("token");
    let project = app.coordination.projects().await.expect("projects")[0]
        .id
        .0
        .to_string();
    let before = app
        .coordination
        .tasks(&samspil_coordination_storage::TaskFilter {
            include_drafts: true,
            limit: 5000,
            ..Default::default()
        })
        .await
        .expect("tasks")
        .len();
    for (field, value, message) in [
        (
            "executor_role",
            "Borgmester",
            "»Borgmester« er ikke en rolle i rollekataloget.",
        ),
        (
            "involved_role",
            "Kok",
            "»Kok« er ikke en rolle i rollekataloget.",
        ),
        (
            "end",
            "2026-01-01",
            "Slutdatoen 01.01.2026 ligger før startdatoen 01.02.2026.",
        ),
    ] {
        let mut form = vec![
            ("csrf_token", token.as_str()),
            ("project_id", project.as_str()),
            ("title", "Opdater beredskabsplanen"),
            ("type", "mandatory"),
            ("start", "2026-02-01"),
            ("responsibility", "Kommunens **sikkerhedsansvarlige**"),
        ];
        form.push((field, value));
        let response = staff.post_form("/opgaver/ny", &form).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let html = response.text().await.expect("text");
        assert!(html.contains(message), "{field}: {html}");
        assert!(
            html.contains("value=\"Opdater beredskabsplanen\""),
            "the title is kept"
        );
        assert!(html.contains("Kommunens **sikkerhedsansvarlige**</textarea>"));
        if field == "involved_role" {
            assert!(
                html.contains("name=\"involved_role\" value=\"Kok\" checked"),
                "the ticked name is kept, at the list: {html}"
            );
        }
    }
    let after = app
        .coordination
        .tasks(&samspil_coordination_storage::TaskFilter {
            include_drafts: true,
            limit: 5000,
            ..Default::default()
        })
        .await
        .expect("tasks")
        .len();
    assert_eq!(before, after, "nothing was created");

    let response = staff
        .post_form(
            "/opgaver/ny",
            &[
                ("csrf_token", token.as_str()),
                ("project_id", project.as_str()),
                ("title", "Opdater beredskabsplanen"),
                ("type", "mandatory"),
                ("executor_role", "Sikkerhedsansvarlig"),
                ("involved_role", "Infrastrukturansvarlig"),
                ("involved_role", "KLIK-administrator"),
                ("responsibility", "Kommunens **sikkerhedsansvarlige**"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    let (_, html) = staff.get_text(&location).await;
    assert!(html.contains("<h2>Ansvar</h2>"));
    assert!(html.contains("Kommunens <strong>sikkerhedsansvarlige</strong>"));
    let id: i64 = location
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("the task's address");
    let task = app
        .coordination
        .task(samspil_coordination::task::TaskId(id))
        .await
        .expect("reads")
        .expect("created");
    assert_eq!(
        task.involved_roles.as_deref(),
        Some("Infrastrukturansvarlig, KLIK-administrator"),
        "the ticked roles, in the catalogue's names"
    );
}
