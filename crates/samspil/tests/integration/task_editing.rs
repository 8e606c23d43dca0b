//! Staff correct what they wrote (issue 14): everything on a draft; on a
//! published task its texts and roles with a reason (kept in the history,
//! told to those concerned), and its questions' texts (their kind and
//! options only while nobody has answered them).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::{Browser, TestApp};

/// A new draft of the first project, by the API; its id.
async fn draft(app: &TestApp, code: &str, title: &str) -> i64 {
    let staff = app.api_client("staff").await;
    let (status, projects) = staff.get_json("/api/v1/projects").await;
    assert_eq!(status, StatusCode::OK);
    let project = projects[0]["id"].as_i64().expect("a project");
    let (status, task) = staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project, "code": code, "title": title, "type": "mandatory",
                    "description": "Første udgave", "involved_roles": "Dataansvarlig" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{task}");
    task["id"].as_i64().expect("id")
}

async fn publish(staff: &Browser, id: i64) -> StatusCode {
    let token = staff.csrf_token(&format!("/opgaver/{id}")).await;
    staff
        .post_form(
            &format!("/opgaver/{id}/publicer"),
            &[("csrf_token", &token)],
        )
        .await
        .status()
}

/// The edit form's fields with the task's texts, changed by `changes`.
async fn edit(
    staff: &Browser,
    id: i64,
    changes: &[(&str, &str)],
    roles: &[&str],
) -> (StatusCode, String) {
    let token = staff.csrf_token(&format!("/opgaver/{id}/rediger")).await;
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", &token)];
    for (name, value) in changes {
        form.push((name, value));
    }
    for role in roles {
        form.push(("involved_role", role));
    }
    let response = staff
        .post_form(&format!("/opgaver/{id}/rediger"), &form)
        .await;
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn staff_edit_everything_on_a_draft_and_roles_are_chosen_from_the_catalogue() {
    let app = TestApp::start_with_roles().await;
    let id = draft(&app, "ED001", "Retstavning").await;
    let staff = app.signed_in("staff").await;

    let (status, page) = staff.get_text(&format!("/opgaver/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("/opgaver/{id}/rediger")),
        "a link to edit"
    );
    let (status, form) = staff.get_text(&format!("/opgaver/{id}/rediger")).await;
    assert_eq!(status, StatusCode::OK, "{form}");
    assert!(form.contains("name=\"involved_role\" value=\"Dataansvarlig\" checked"));
    assert!(
        form.contains("value=\"KOMBIT-programleder\""),
        "the catalogue in a list"
    );
    assert!(
        !form.contains("id=\"edit-reason\""),
        "a draft needs no reason"
    );

    let (status, _) = edit(
        &staff,
        id,
        &[
            ("code", "ED002"),
            ("title", "Retstavning, rettet"),
            ("description", "Anden udgave"),
            ("executor_role", "KLIK-administrator"),
            ("competences", "Overblik"),
        ],
        &[
            "KOMBIT-programleder",
            "Dataansvarlig",
            "KOMBIT-programleder",
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let task = app
        .stores()
        .coordination
        .task(samspil_coordination::task::TaskId(id))
        .await
        .expect("storage")
        .expect("the task");
    assert_eq!(task.code.as_deref(), Some("ED002"));
    assert_eq!(task.title, "Retstavning, rettet");
    assert_eq!(task.description, "Anden udgave");
    assert_eq!(task.executor_role.as_deref(), Some("KLIK-administrator"));
    assert_eq!(
        task.involved_roles.as_deref(),
        Some("KOMBIT-programleder, Dataansvarlig")
    );
    assert_eq!(task.guidance.competences.as_deref(), Some("Overblik"));
    let (_, page) = staff.get_text(&format!("/opgaver/{id}?gemt=edit")).await;
    assert!(page.contains("Rettelserne er gemt."));
    let history = app
        .stores()
        .coordination
        .task_history(samspil_coordination::task::TaskId(id))
        .await
        .expect("storage");
    assert!(history.is_empty(), "a draft's edits are no history");

    // An unknown role is refused naming it, in place, the input kept.
    let (status, page) = edit(
        &staff,
        id,
        &[("code", "ED002"), ("title", "Ny titel der ikke gemmes")],
        &["Borgmester"],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("»Borgmester« er ikke en rolle i rollekataloget"),
        "{page}"
    );
    assert!(page.contains("error-summary"), "the DKFDS error summary");
    assert!(page.contains("value=\"Ny titel der ikke gemmes\""), "kept");
    assert!(page.contains("value=\"Borgmester\" checked"), "kept");
    // An empty title likewise.
    let (status, page) = edit(&staff, id, &[("code", "ED002"), ("title", " ")], &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Opgaven skal have en titel"), "{page}");

    // Municipalities cannot edit, and see nothing of the form.
    let municipality = app.signed_in("admin-751").await;
    let response = municipality.get(&format!("/opgaver/{id}/rediger")).await;
    assert!(response.status().is_client_error());
}

#[tokio::test]
async fn a_published_task_is_edited_with_a_reason_kept_in_its_history() {
    let app = TestApp::start_with_roles().await;
    let id = draft(&app, "ED010", "Opdatér kontaktoplysninger").await;
    let staff = app.signed_in("staff").await;
    assert_eq!(publish(&staff, id).await, StatusCode::SEE_OTHER);

    let (_, form) = staff.get_text(&format!("/opgaver/{id}/rediger")).await;
    assert!(form.contains("id=\"edit-reason\""), "a reason is asked for");
    assert!(form.contains("readonly"), "the code is fixed");

    // Without a reason: refused at the reason, the typed text kept.
    let (status, page) = edit(
        &staff,
        id,
        &[
            ("code", "ED010"),
            ("title", "Opdatér kontaktoplysninger i KLIK"),
        ],
        &["Dataansvarlig"],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Skriv, hvorfor opgaven ændres"), "{page}");
    assert!(page.contains("value=\"Opdatér kontaktoplysninger i KLIK\""));
    // The code of a published task: refused.
    let (status, page) = edit(
        &staff,
        id,
        &[
            ("code", "ED999"),
            ("title", "Opdatér kontaktoplysninger"),
            ("reason", "Ny kode"),
        ],
        &["Dataansvarlig"],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Kan kun ændres, mens opgaven er en kladde"),
        "{page}"
    );

    // With a reason: saved, in the history, and an event for the notifications.
    let (status, _) = edit(
        &staff,
        id,
        &[
            ("code", "ED010"),
            ("title", "Opdatér kontaktoplysninger i KLIK"),
            ("description", "Første udgave"),
            ("reason", "Titlen nævner nu KLIK"),
        ],
        &["Dataansvarlig", "KOMBIT-programleder"],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = staff.get_text(&format!("/opgaver/{id}")).await;
    assert!(
        page.contains("Titlen nævner nu KLIK"),
        "the reason is shown"
    );
    assert!(page.contains("Involverede roller"));
    let history = app
        .stores()
        .coordination
        .task_history(samspil_coordination::task::TaskId(id))
        .await
        .expect("storage");
    let fields: Vec<&str> = history.iter().map(|c| c.field.as_str()).collect();
    assert!(
        fields.contains(&"title") && fields.contains(&"involved_roles"),
        "{fields:?}"
    );
    assert!(!fields.contains(&"description"), "unchanged is unrecorded");
    assert!(history.iter().all(|c| c.reason == "Titlen nævner nu KLIK"));
    // A municipality sees the change and why on its task.
    let municipality = app.signed_in("admin-751").await;
    let (_, page) = municipality.get_text(&format!("/opgaver/{id}")).await;
    assert!(page.contains("Titlen nævner nu KLIK"));
    assert!(page.contains("Opdatér kontaktoplysninger i KLIK"));

    // Closed: nothing is edited.
    let token = staff.csrf_token(&format!("/opgaver/{id}")).await;
    let closed = staff
        .post_form(&format!("/opgaver/{id}/luk"), &[("csrf_token", &token)])
        .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let (status, _) = staff.get_text(&format!("/opgaver/{id}/rediger")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, page) = edit(
        &staff,
        id,
        &[
            ("code", "ED010"),
            ("title", "Efter lukning"),
            ("reason", "x"),
        ],
        &[],
    )
    .await;
    assert!(status.is_client_error(), "{status}");
    assert!(!page.contains("Internal"), "no developer text");
}

#[tokio::test]
async fn an_answered_question_keeps_its_kind_and_options_but_its_text_can_change() {
    let app = TestApp::start_with_roles().await;
    let id = draft(&app, "ED020", "Vælg fagsystem").await;
    let staff = app.signed_in("staff").await;
    let token = staff.csrf_token(&format!("/opgaver/{id}")).await;
    let added = staff
        .post_form(
            &format!("/opgaver/{id}/spoergsmaal"),
            &[
                ("csrf_token", &token),
                ("prompt", "Hvilket sytem?"),
                ("kind", "single_choice"),
                ("options", "KMD\nNetcompany"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let question = app
        .stores()
        .coordination
        .questions(samspil_coordination::task::TaskId(id))
        .await
        .expect("storage")[0]
        .id
        .0;
    let path = format!("/opgaver/{id}/spoergsmaal/{question}");
    // On the draft anything: a third option.
    let token = staff.csrf_token(&format!("/opgaver/{id}/rediger")).await;
    let edited = staff
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("prompt", "Hvilket sytem?"),
                ("kind", "single_choice"),
                ("options", "KMD\nNetcompany\nAndet"),
            ],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    assert_eq!(publish(&staff, id).await, StatusCode::SEE_OTHER);

    // Aarhus answers.
    let municipality = app.signed_in("admin-751").await;
    let token = municipality.csrf_token(&format!("/opgaver/{id}")).await;
    let answered = municipality
        .post_form(
            &format!("/opgaver/{id}/svar"),
            &[("csrf_token", &token), (&format!("q-{question}"), "KMD")],
        )
        .await;
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);

    let (_, form) = staff.get_text(&format!("/opgaver/{id}/rediger")).await;
    assert!(form.contains("Besvaret af mindst én kommune"));
    let token = staff.csrf_token(&format!("/opgaver/{id}/rediger")).await;
    let refused = staff
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("prompt", "Hvilket system?"),
                ("kind", "single_choice"),
                ("options", "KMD\nAndet"),
                ("reason", "Færre muligheder"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap_or_default();
    assert!(page.contains("Spørgsmålet er allerede besvaret"), "{page}");
    let no_reason = staff
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("prompt", "Hvilket system?"),
                ("kind", "single_choice"),
                ("options", "KMD\nNetcompany\nAndet"),
            ],
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fixed = staff
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("prompt", "Hvilket system?"),
                ("kind", "single_choice"),
                ("options", "KMD\nNetcompany\nAndet"),
                ("reason", "Stavefejl"),
            ],
        )
        .await;
    assert_eq!(fixed.status(), StatusCode::SEE_OTHER);
    let (_, page) = municipality.get_text(&format!("/opgaver/{id}")).await;
    assert!(page.contains("Hvilket system?"));
    assert!(page.contains("Stavefejl"), "the reason is in the history");
    // The answer stays.
    let answers = app
        .stores()
        .coordination
        .all_answers(
            &samspil_domain::Principal::operator()
                .community_access()
                .expect("operator"),
            samspil_coordination::task::TaskId(id),
        )
        .await
        .expect("storage");
    assert_eq!(answers.len(), 1);
}

/// A draft edited while it is published: the edit of its code either comes
/// first (and the task is published with it) or is refused because the
/// task is published by then; never a published task whose code changed
/// without history.
#[tokio::test]
async fn a_draft_edited_while_it_is_published_is_one_or_the_other() {
    let app = TestApp::start_with_roles().await;
    let staff = app.signed_in("staff").await;
    for round in 0..4 {
        let id = draft(&app, &format!("ED1{round}"), &format!("Samtidig {round}")).await;
        let token = staff.csrf_token(&format!("/opgaver/{id}/rediger")).await;
        let publish_token = staff.csrf_token(&format!("/opgaver/{id}")).await;
        let new_code = format!("NY{round}");
        let title = format!("Samtidig {round}");
        let edit_form: Vec<(&str, &str)> = vec![
            ("csrf_token", &token),
            ("code", &new_code),
            ("title", &title),
            ("description", "Første udgave"),
            ("involved_role", "Dataansvarlig"),
        ];
        let edit_path = format!("/opgaver/{id}/rediger");
        let publish_path = format!("/opgaver/{id}/publicer");
        let publish_form = [("csrf_token", publish_token.as_str())];
        let (edited, published) = tokio::join!(
            staff.post_form(&edit_path, &edit_form),
            staff.post_form(&publish_path, &publish_form),
        );
        assert_eq!(published.status(), StatusCode::SEE_OTHER);
        let task = app
            .stores()
            .coordination
            .task(samspil_coordination::task::TaskId(id))
            .await
            .expect("storage")
            .expect("the task");
        assert_eq!(task.state.as_str(), "published");
        match edited.status() {
            StatusCode::SEE_OTHER => assert_eq!(task.code.as_deref(), Some(new_code.as_str())),
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert_eq!(task.code.as_deref(), Some(format!("ED1{round}").as_str()));
            }
            other => panic!("the edit answered {other}"),
        }
        let history = app
            .stores()
            .coordination
            .task_history(samspil_coordination::task::TaskId(id))
            .await
            .expect("storage");
        assert!(history.is_empty(), "{history:?}");
    }
}

#[tokio::test]
async fn staff_edit_a_published_task_and_its_questions_over_the_api() {
    let app = TestApp::start_with_roles().await;
    let id = draft(&app, "ED201", "Kontrollér certifikaterne").await;
    let api = app.api_client("staff").await;
    let (status, question) = api
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/questions"),
            json!({ "prompt": "Hvor mange certifikater?", "kind": "number", "required": true }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{question}");
    let question = question["id"].as_i64().expect("id");
    let (status, _) = api
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let content = |reason: &str| {
        json!({ "code": "ED201", "title": "Kontrollér kommunens certifikater", "description": "Rettet tekst",
                "involved_roles": ["Dataansvarlig", "Infrastrukturansvarlig"], "reason": reason })
    };
    // Published: a change needs a reason, and an unknown role is named.
    let (status, body) = api
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/content"),
            content(""),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = api
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/content"),
            json!({ "code": "ED201", "title": "x", "involved_roles": ["Kok"], "reason": "Rolle" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("Kok"), "{body}");
    let unchanged = app
        .stores()
        .coordination
        .task(samspil_coordination::task::TaskId(id))
        .await
        .expect("storage")
        .expect("the task");
    assert_eq!(
        unchanged.title, "Kontrollér certifikaterne",
        "nothing changed"
    );

    let (status, task) = api
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/content"),
            content("Titlen var for snæver"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{task}");
    assert_eq!(task["title"], "Kontrollér kommunens certifikater");
    assert_eq!(
        task["involved_roles"],
        "Dataansvarlig, Infrastrukturansvarlig"
    );
    let history = app
        .stores()
        .coordination
        .task_history(samspil_coordination::task::TaskId(id))
        .await
        .expect("storage");
    assert!(
        history
            .iter()
            .any(|change| change.field == "title" && change.reason == "Titlen var for snæver"),
        "{history:?}"
    );

    // A question's text changes with a reason; once answered, not its kind.
    let (status, body) = api
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/questions/{question}"),
            json!({ "prompt": "Hvor mange OCES3-certifikater?", "kind": "number",
                    "required": true, "reason": "Præcisering" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["prompt"], "Hvor mange OCES3-certifikater?");
    let aarhus = app.org_id("municipality-751").await;
    let (status, body) = app
        .api_client("user-751")
        .await
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/municipalities/{aarhus}/answers"),
            json!({ "answers": [{ "question_id": question, "values": ["4"] }] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/questions/{question}"),
            json!({ "prompt": "Har I certifikater?", "kind": "yes_no", "reason": "Enklere" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Municipal people cannot edit.
    let (status, _) = app
        .api_client("admin-751")
        .await
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/content"),
            content("Forsøg"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
