//! Files on tasks: uploaded through the page (CSRF in the multipart form),
//! kept within the municipality, refused with a reason when too large or
//! of a kind a browser would run, and given as the answer to a question.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::multipart::{Form, Part};
use samspil_coordination::attachment::MAX_ATTACHMENT_BYTES;
use samspil_coordination::question::{QuestionKind, QuestionSpec};
use samspil_coordination::task::TaskId;
use samspil_domain::{OrgId, Principal};

use crate::harness::{Browser, TestApp, csrf_in};

const OCES3: &str = "Udskift kommunens organisationscertifikat med OCES3-certifikat i Fælleskommunalt Administrationsmodul";

async fn upload(
    browser: &Browser,
    base: &str,
    task: i64,
    name: &str,
    content: Vec<u8>,
    with_token: bool,
) -> (StatusCode, String) {
    let (_, page) = browser.get_text(&format!("/opgaver/{task}")).await;
    let mut form = Form::new();
    if with_token {
        form = form.text("csrf_token", csrf_in(&page).expect("token"));
    }
    form = form.part("file", Part::bytes(content).file_name(name.to_owned()));
    let response = browser
        .client
        .post(format!("{base}/opgaver/{task}/bilag"))
        .multipart(form)
        .send()
        .await
        .expect("answered");
    let status = response.status();
    (status, response.text().await.expect("text"))
}

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

#[tokio::test]
async fn a_municipality_keeps_its_own_files_and_sees_the_communitys() {
    let app = TestApp::start_with_tasks().await;
    let base = app.url("");
    let task = app.task_id(OCES3).await;
    let aarhus = app.signed_in("user-751").await;

    let (status, _) = upload(&aarhus, &base, task, "certifikat.pdf", pdf("aarhus"), false).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no CSRF token, no upload");
    let (status, _) = upload(&aarhus, &base, task, "certifikat.pdf", pdf("aarhus"), true).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = aarhus.get_text(&format!("/opgaver/{task}")).await;
    assert!(page.contains("certifikat.pdf"));
    let href = page
        .split("href=\"")
        .find_map(|rest| {
            rest.starts_with(&format!("/opgaver/{task}/bilag/"))
                .then(|| rest[..rest.find('"').expect("closing quote")].to_owned())
        })
        .expect("a download link");
    let response = aarhus.get(&href).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/pdf");
    assert!(
        response.headers()[CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii")
            .starts_with("attachment;")
    );
    assert_eq!(
        response.bytes().await.expect("bytes").to_vec(),
        pdf("aarhus")
    );

    // Odense neither sees nor fetches Aarhus' file; staff do.
    let odense = app.signed_in("user-461").await;
    let (_, page) = odense.get_text(&format!("/opgaver/{task}")).await;
    assert!(!page.contains("certifikat.pdf"));
    assert_eq!(odense.get(&href).await.status(), StatusCode::NOT_FOUND);
    let staff = app.signed_in("staff").await;
    assert_eq!(staff.get(&href).await.status(), StatusCode::OK);

    // The community's file reaches every municipality.
    let (status, _) = upload(&staff, &base, task, "Vejledning.pdf", pdf("guide"), true).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = odense.get_text(&format!("/opgaver/{task}")).await;
    assert!(page.contains("Vejledning.pdf") && page.contains("fællesskabet"));

    // Through the API: the same walls.
    let (status, files) = app
        .api_client("user-461")
        .await
        .get_json(&format!("/api/v1/tasks/{task}/attachments"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = files
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|f| f["file_name"].as_str())
        .collect();
    assert_eq!(names, vec!["Vejledning.pdf"]);
    let aarhus_file = href.rsplit('/').next().expect("id");
    let response = app
        .api_client("user-461")
        .await
        .get(&format!("/api/v1/tasks/{task}/attachments/{aarhus_file}"))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_file_too_large_or_of_a_running_kind_is_refused_and_nothing_is_kept() {
    let app = TestApp::start_with_tasks().await;
    let base = app.url("");
    let task = app.task_id(OCES3).await;
    let user = app.signed_in("user-751").await;

    let (status, page) = upload(
        &user,
        &base,
        task,
        "stor.pdf",
        vec![b'x'; MAX_ATTACHMENT_BYTES + 1],
        true,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Filen fylder 11 MB. En fil må højst fylde 10 MB."),
        "{page}"
    );
    assert!(
        page.contains("id=\"attachment-file-error\""),
        "at the file field"
    );

    let (status, page) = upload(
        &user,
        &base,
        task,
        "meget-stor.pdf",
        vec![b'x'; MAX_ATTACHMENT_BYTES + 200 * 1024],
        true,
    )
    .await;
    // A little over the limit reaches the page, which says so at the
    // file field, not a dead end.
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("En fil må højst fylde 10 MB"), "{page}");
    assert!(
        page.contains("id=\"attachment-file-error\""),
        "at the file field"
    );
    assert!(page.contains("samspil-logout"), "still signed in");

    let (status, page) = upload(
        &user,
        &base,
        task,
        "side.html",
        b"<script>alert(1)</script>".to_vec(),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Den filtype modtages ikke"));

    let access = Principal::operator()
        .read_access(OrgId(app.org_id("municipality-751").await))
        .expect("operator");
    let kept = app
        .coordination
        .attachments(
            samspil_coordination_storage::TaskParty::Municipality(&access),
            TaskId(task),
        )
        .await
        .expect("storage answers");
    assert!(kept.is_empty(), "nothing was kept: {kept:?}");
}

#[tokio::test]
async fn a_question_that_asks_for_a_file_takes_only_the_municipalitys_own() {
    let app = TestApp::start_with_tasks().await;
    let base = app.url("");
    let community = Principal::operator().community_access().expect("operator");
    let project = app.coordination.projects().await.expect("projects")[0].id;
    let draft = app
        .coordination
        .create_task(
            &community,
            &samspil_coordination_storage::NewTask {
                project_id: project,
                code: Some("NUL1".into()),
                title: "Indsend nulsumstest".into(),
                description: String::new(),
                task_type: samspil_coordination::task::TaskType::Mandatory,
                schedule: Default::default(),
                executor_role: None,
                involved_roles: None,
                business_area: Some("Bibliotek".into()),
                guidance: Default::default(),
            },
        )
        .await
        .expect("draft");
    let question = app
        .coordination
        .add_question(
            &community,
            draft.id,
            &QuestionSpec {
                prompt: "Vedhæft resultatet af nulsumstesten".into(),
                kind: QuestionKind::File,
                options: Vec::new(),
                required: true,
            },
        )
        .await
        .expect("question");
    app.coordination
        .publish_task(&community, draft.id)
        .await
        .expect("published");
    let task = draft.id.0;
    let field = format!("q-{}", question.id.0);

    let odense = app.signed_in("user-461").await;
    let (status, _) = upload(
        &odense,
        &base,
        task,
        "odense.csv",
        b"a;b\n1;2\n".to_vec(),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let odense_file = app
        .api_client("user-461")
        .await
        .get_json(&format!("/api/v1/tasks/{task}/attachments"))
        .await
        .1[0]["id"]
        .as_i64()
        .expect("id")
        .to_string();

    let aarhus = app.signed_in("user-751").await;
    let (status, _) = upload(
        &aarhus,
        &base,
        task,
        "aarhus.csv",
        b"a;b\n3;4\n".to_vec(),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = aarhus.get_text(&format!("/opgaver/{task}")).await;
    assert!(page.contains("Vedhæft resultatet af nulsumstesten"));
    let token = csrf_in(&page).expect("token");
    let own_file = app
        .api_client("user-751")
        .await
        .get_json(&format!("/api/v1/tasks/{task}/attachments"))
        .await
        .1[0]["id"]
        .as_i64()
        .expect("id")
        .to_string();

    // Another municipality's file is not an answer.
    let response = aarhus
        .post_form(
            &format!("/opgaver/{task}/svar"),
            &[("csrf_token", &token), (&field, &odense_file)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = aarhus
        .post_form(
            &format!("/opgaver/{task}/svar"),
            &[("csrf_token", &token), (&field, &own_file)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // Staff see the file's name in the collected answers.
    let staff = app.signed_in("staff").await;
    let csv = staff
        .get(&format!("/opgaver/{task}/eksport.csv"))
        .await
        .text()
        .await
        .expect("text");
    let row = csv
        .lines()
        .find(|l| l.contains("Aarhus"))
        .expect("Aarhus row");
    assert!(row.contains("aarhus.csv"), "{row}");
}
