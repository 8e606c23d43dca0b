//! A meeting's evaluation (issue 20): staff define the questions, each
//! person answers once (also when the same person's answers arrive at the
//! same moment, and when many people answer at once), the results per
//! question on the page and over the API; and "send us input to the next
//! meeting", sent to a coming meeting and read by staff on it.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use samspil_coordination::meeting::{Answer, Question, QuestionKind, ResultDetail, Survey};
use samspil_coordination_storage::{MeetingId, MeetingKind};
use samspil_storage::now;
use time::Duration;
use tokio::task::JoinSet;

use crate::harness::TestApp;
use crate::meetings::{audited, community, new_meeting, people, rule_of};

fn evaluation() -> Survey {
    Survey::new(vec![
        Question {
            key: "tilfredshed".into(),
            text: "Hvor tilfreds er du med dagens møde?".into(),
            kind: QuestionKind::Scale { min: 1, max: 5 },
            required: true,
        },
        Question {
            key: "bedste".into(),
            text: "Hvilke punkter var mest relevante?".into(),
            kind: QuestionKind::Choice {
                options: vec!["Kædeansvaret".into(), "Status på KLIK 2.0".into()],
                multiple: true,
            },
            required: false,
        },
        Question {
            key: "input".into(),
            text: "Send os input til næste møde".into(),
            kind: QuestionKind::Text,
            required: false,
        },
    ])
    .expect("a survey")
}

async fn meeting(app: &TestApp, days_from_now: i64) -> MeetingId {
    app.coordination
        .create_meeting(
            &community(),
            &new_meeting(
                MeetingKind::Meeting,
                now() + Duration::days(days_from_now),
                None,
            ),
        )
        .await
        .expect("created")
        .id
}

#[tokio::test]
async fn each_person_answers_once_and_the_results_count_the_answers() {
    let app = TestApp::start().await;
    let store = &app.coordination;
    let coming = meeting(&app, 3).await;
    let past = meeting(&app, -2).await;
    let people = people(&app, "evaluering", 3).await;
    let answer = |v: u8| {
        [
            ("tilfredshed".to_owned(), Answer::Scale(v)),
            ("bedste".to_owned(), Answer::Choices(vec![1])),
        ]
        .into_iter()
        .collect()
    };

    let none = store
        .answer_survey(&people[0], past, &answer(4))
        .await
        .expect_err("no survey yet");
    assert_eq!(rule_of(&none), "meeting-no-survey");
    store
        .set_survey(&community(), past, &evaluation())
        .await
        .expect("defined");
    store
        .set_survey(&community(), coming, &evaluation())
        .await
        .expect("defined");
    assert_eq!(audited(&app, "meeting.survey", past).await, 1);
    let early = store
        .answer_survey(&people[0], coming, &answer(4))
        .await
        .expect_err("not started");
    assert_eq!(rule_of(&early), "meeting-survey-not-open");

    let bad = store
        .answer_survey(&people[0], past, &answer(6))
        .await
        .expect_err("outside the scale");
    assert_eq!(rule_of(&bad), "meeting-bad-answer");
    let missing = store
        .answer_survey(&people[0], past, &Default::default())
        .await
        .expect_err("required");
    assert_eq!(rule_of(&missing), "meeting-missing-answer");

    store
        .answer_survey(&people[0], past, &answer(5))
        .await
        .expect("answered");
    store
        .answer_survey(&people[1], past, &answer(4))
        .await
        .expect("answered");
    let twice = store
        .answer_survey(&people[0], past, &answer(1))
        .await
        .expect_err("once");
    assert_eq!(rule_of(&twice), "meeting-already-answered");
    assert!(
        store
            .has_answered(people[0].user_id().expect("a person"), past)
            .await
            .expect("reads")
    );
    assert_eq!(audited(&app, "meeting.survey_answer", past).await, 2);

    let results = store
        .survey_results(&community(), past)
        .await
        .expect("results");
    assert_eq!(results.responses, 2);
    assert_eq!(
        results.results[0].detail,
        ResultDetail::Scale {
            counts: vec![(1, 0), (2, 0), (3, 0), (4, 1), (5, 1)],
            mean_hundredths: Some(450)
        }
    );
    let ResultDetail::Choice { counts } = &results.results[1].detail else {
        panic!("a choice")
    };
    assert_eq!(counts[1].1, 2);

    // Answered, the questions are fixed.
    let fixed = store
        .set_survey(&community(), past, &evaluation())
        .await
        .expect_err("answered");
    assert_eq!(rule_of(&fixed), "meeting-survey-answered");
}

/// The same person's eight answers at the same moment keep one; twelve
/// people answering at once are all kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_answers_keep_one_per_person() {
    let app = TestApp::start().await;
    let past = meeting(&app, -1).await;
    app.coordination
        .set_survey(&community(), past, &evaluation())
        .await
        .expect("defined");
    let client = app.api_client("user-751").await;
    let path = format!("/api/v1/meetings/{}/survey/responses", past.0);
    let mut requests = JoinSet::new();
    for n in 0..8u8 {
        let client = client.clone();
        let path = path.clone();
        requests.spawn(async move {
            client
                .send_json(
                    Method::POST,
                    &path,
                    serde_json::json!({ "answers": { "tilfredshed": 1 + n % 5 } }),
                )
                .await
        });
    }
    let (mut kept, mut refused) = (0, 0);
    while let Some(done) = requests.join_next().await {
        let (status, body) = done.expect("the request ran");
        match status {
            StatusCode::CREATED => kept += 1,
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert!(body.to_string().contains("answered"), "{body}");
                refused += 1;
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!((kept, refused), (1, 7));

    let people = people(&app, "samtidig", 12).await;
    let mut requests = JoinSet::new();
    for person in people {
        let store = Arc::clone(&app.coordination);
        requests.spawn(async move {
            let response = [("tilfredshed".to_owned(), Answer::Scale(3))]
                .into_iter()
                .collect();
            store.answer_survey(&person, past, &response).await
        });
    }
    while let Some(done) = requests.join_next().await {
        done.expect("the request ran").expect("each person answers");
    }
    let results = app
        .coordination
        .survey_results(&community(), past)
        .await
        .expect("results");
    assert_eq!(results.responses, 13);
    assert_eq!(results.results[0].answered, 13);
    // The API's results: each value of the scale with its count, as the
    // OpenAPI document describes them (objects, not pairs).
    let staff = app.api_client("staff").await;
    let (status, body) = staff
        .send_json(
            Method::GET,
            &format!("/api/v1/meetings/{}/survey/results", past.0),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["responses"], 13);
    let counts = body["questions"][0]["counts"]
        .as_array()
        .expect("counts")
        .clone();
    let total: u64 = counts
        .iter()
        .map(|c| c["count"].as_u64().expect("a count"))
        .sum();
    assert_eq!(total, 13, "{body}");
    assert!(counts.iter().all(|c| c["answer"].is_string()), "{body}");
}

#[tokio::test]
async fn staff_define_the_questions_on_the_page_and_a_person_answers_there() {
    let app = TestApp::start_with_roles().await;
    let past = meeting(&app, -1).await;
    let path = format!("/moeder/{}/evaluering", past.0);
    let staff = app.signed_in("staff").await;
    let csrf = staff.csrf_token(&path).await;

    // A line without its kind is refused at the field, what was typed kept.
    let refused = staff
        .post_form(
            &format!("{path}/spoergsmaal"),
            &[
                ("csrf_token", csrf.as_str()),
                (
                    "questions",
                    "Hvor tilfreds er du med mødet?* | skala 1-5\nHvad manglede du?",
                ),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("text");
    assert!(html.contains(r##"href="#questions-questions""##), "{html}");
    assert!(html.contains("Linje 2 skal have spørgsmålet"), "{html}");
    assert!(html.contains("Hvad manglede du?"), "what was typed is kept");

    let saved = staff
        .post_form(
            &format!("{path}/spoergsmaal"),
            &[
                ("csrf_token", csrf.as_str()),
                (
                    "questions",
                    "Hvor tilfreds er du med mødet?* | skala 1-5\n\
                     Hvilke punkter var relevante? | flere: Kædeansvaret; KLIK 2.0\n\
                     Send os input til næste møde | tekst",
                ),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(audited(&app, "meeting.survey", past).await, 1);

    let person = app.signed_in("user-751").await;
    let (status, page) = person.get_text(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Hvor tilfreds er du med mødet?"), "{page}");
    assert!(!page.contains("Gem spørgsmålene"), "no staff form");
    let csrf = person.csrf_token(&path).await;
    // The required question left out: said at it, the ticks kept.
    let missing = person
        .post_form(&path, &[("csrf_token", csrf.as_str()), ("q-q2", "1")])
        .await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = missing.text().await.expect("text");
    assert!(html.contains(r##"href="#survey-q-q1""##), "{html}");
    assert!(
        html.contains("Besvar spørgsmålet: Hvor tilfreds er du med mødet?"),
        "{html}"
    );
    assert!(html.contains(r#"value="1" checked"#), "the tick is kept");

    let answered = person
        .post_form(
            &path,
            &[
                ("csrf_token", csrf.as_str()),
                ("q-q1", "4"),
                ("q-q2", "0"),
                ("q-q2", "1"),
                ("q-q3", "Mere om DOS"),
            ],
        )
        .await;
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    let (_, page) = person.get_text(&path).await;
    assert!(page.contains("Tak for dit svar"), "{page}");
    let again = person
        .post_form(&path, &[("csrf_token", csrf.as_str()), ("q-q1", "2")])
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .text()
            .await
            .expect("text")
            .contains("Du har allerede besvaret evalueringen.")
    );

    let (_, results) = staff.get_text(&path).await;
    assert!(results.contains("Resultater (ét svar)"), "{results}");
    assert!(results.contains("gennemsnit 4,00"), "{results}");
    assert!(results.contains("Mere om DOS"));
    assert!(results.contains("Spørgsmålene kan ikke ændres"));
    // The results are the community's: a person's page has none.
    let (_, page) = person.get_text(&path).await;
    assert!(!page.contains("Mere om DOS"));
}

#[tokio::test]
async fn input_to_the_next_meeting_is_sent_by_a_person_and_read_by_staff() {
    let app = TestApp::start_with_roles().await;
    let coming = meeting(&app, 5).await;
    let past = meeting(&app, -5).await;
    let person = app.signed_in("user-751").await;
    let path = format!("/moeder/{}", coming.0);
    let csrf = person.csrf_token(&path).await;
    let empty = person
        .post_form(
            &format!("{path}/input"),
            &[("csrf_token", csrf.as_str()), ("text", "  ")],
        )
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = empty.text().await.expect("text");
    assert!(html.contains(r##"href="#input-text""##), "{html}");
    let sent = person
        .post_form(
            &format!("{path}/input"),
            &[
                ("csrf_token", csrf.as_str()),
                ("text", "Status på Borgerblikket, tak"),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let location = sent.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let (_, page) = person.get_text(&location).await;
    assert!(page.contains("Dit input er sendt"), "{page}");
    assert!(
        !page.contains("Status på Borgerblikket, tak"),
        "staff read it"
    );
    assert_eq!(audited(&app, "meeting.input", coming).await, 1);

    let late = person
        .post_form(
            &format!("/moeder/{}/input", past.0),
            &[("csrf_token", csrf.as_str()), ("text", "For sent")],
        )
        .await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let staff = app.signed_in("staff").await;
    let (_, page) = staff.get_text(&path).await;
    assert!(page.contains("Ét input til mødet"), "{page}");
    assert!(page.contains("Status på Borgerblikket, tak"));
    assert!(page.contains("Aarhus"));
}

#[tokio::test]
async fn the_api_defines_answers_and_summarises_the_evaluation() {
    let app = TestApp::start_with_roles().await;
    let past = meeting(&app, -1).await;
    let coming = meeting(&app, 4).await;
    let staff = app.api_client("staff").await;
    let person = app.api_client("user-751").await;
    let survey = format!("/api/v1/meetings/{}/survey", past.0);
    let body = serde_json::json!({ "questions": [
        { "key": "tilfredshed", "text": "Hvor tilfreds?", "kind": "scale", "min": 1, "max": 5,
          "required": true },
        { "key": "punkter", "text": "Hvilke punkter?", "kind": "choice",
          "options": ["Kædeansvaret", "KLIK 2.0"], "multiple": true },
        { "key": "input", "text": "Input", "kind": "text" }
    ]});
    let (status, _) = person.send_json(Method::PUT, &survey, body.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, refused) = staff
        .send_json(
            Method::PUT,
            &survey,
            serde_json::json!({ "questions": [{ "key": "a", "text": "A", "kind": "scale",
                "min": 5, "max": 1 }] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let (status, _) = staff.send_json(Method::PUT, &survey, body).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (status, read) = person.get_json(&survey).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read["defined"], true);
    assert_eq!(read["open"], true);
    assert_eq!(read["answered_me"], false);
    assert_eq!(read["questions"][1]["options"][1], "KLIK 2.0");

    let (status, _) = person
        .send_json(
            Method::POST,
            &format!("{survey}/responses"),
            serde_json::json!({ "answers": { "tilfredshed": 4, "punkter": [0, 1],
                "input": "Mere om DOS" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, wrong) = staff
        .send_json(
            Method::POST,
            &format!("{survey}/responses"),
            serde_json::json!({ "answers": { "tilfredshed": "fire" } }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong}");

    let (status, _) = person.get_json(&format!("{survey}/results")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, results) = staff.get_json(&format!("{survey}/results")).await;
    assert_eq!(status, StatusCode::OK, "{results}");
    assert_eq!(results["responses"], 1);
    assert_eq!(results["questions"][0]["mean_hundredths"], 400);
    assert_eq!(results["questions"][2]["texts"][0], "Mere om DOS");

    let inputs = format!("/api/v1/meetings/{}/inputs", coming.0);
    let (status, sent) = person
        .send_json(
            Method::POST,
            &inputs,
            serde_json::json!({ "text": "Kædeansvaret igen" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["organisation"], "Aarhus");
    let (status, _) = person.get_json(&inputs).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, list) = staff.get_json(&inputs).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["text"], "Kædeansvaret igen");
    let (status, _) = person
        .send_json(
            Method::POST,
            &format!("/api/v1/meetings/{}/inputs", past.0),
            serde_json::json!({ "text": "For sent" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
