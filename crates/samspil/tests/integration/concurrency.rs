//! Many people changing statuses at the same moment: every change is saved
//! and answered, none fails because another writer holds the database.
//! (On SQLite, transactions that read before they write used to fail at
//! once with "database is locked", a 500, under concurrent writes.)

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_status_changes_all_succeed_and_the_counts_add_up() {
    let app = TestApp::start_with_tasks().await;
    let task = app.task_id("Etabler brugeradministration på KLIK").await;
    let api = std::sync::Arc::new(app.api_client("staff").await);
    let (_, report) = api.get_json(&format!("/api/v1/tasks/{task}/status")).await;
    let lists = &report["municipalities"];
    let not_started: Vec<i64> = lists["not_started"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|m| m["id"].as_i64().expect("an id"))
        .collect();
    assert!(not_started.len() >= 40, "{report}");

    // Every municipality not started yet starts, all at once; then all go
    // back at once (with a reason).
    for (status, reason) in [("started", None), ("not_started", Some("retur"))] {
        let mut requests = tokio::task::JoinSet::new();
        for org in not_started.clone() {
            let api = api.clone();
            requests.spawn(async move {
                api.send_json(
                    Method::PUT,
                    &format!("/api/v1/tasks/{task}/municipalities/{org}/status"),
                    json!({"status": status, "reason": reason}),
                )
                .await
            });
        }
        while let Some(answer) = requests.join_next().await {
            let (code, body) = answer.expect("the request task ran");
            assert_eq!(code, StatusCode::OK, "{status}: {body}");
        }
        let (_, now) = api.get_json(&format!("/api/v1/tasks/{task}/status")).await;
        let expected_started = match status {
            "started" => report["started"].as_u64().expect("count") + not_started.len() as u64,
            _ => report["started"].as_u64().expect("count"),
        };
        assert_eq!(now["started"].as_u64(), Some(expected_started), "{now}");
        assert_eq!(now["total"], report["total"]);
    }
}
