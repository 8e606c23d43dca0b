//! Messages and notifications: recipients, inboxes, settings, and the mail
//! outbox against a real SMTP server (aiosmtpd, started by the tests from
//! the Python named by `SAMSPIL_TEST_SMTP_PYTHON`; `.ci/run` installs it).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use samspil::outbox::{MailConfig, Outbox};
use samspil_domain::Login;
use samspil_storage::{OutboxTotals, Storage};
use serde_json::{Value, json};

use crate::harness::{TempDir, TestApp};

// ---- A real SMTP server ------------------------------------------------------

/// The Python with aiosmtpd, or `None` (the SMTP tests then say why they
/// skip; CI always sets it).
fn sink_python() -> Option<String> {
    match std::env::var("SAMSPIL_TEST_SMTP_PYTHON") {
        Ok(python) if !python.is_empty() => Some(python),
        _ => {
            eprintln!(
                "skipped: SAMSPIL_TEST_SMTP_PYTHON is not set (a Python with aiosmtpd; .ci/run installs one)"
            );
            None
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

struct SmtpSink {
    child: Child,
    log: PathBuf,
}

#[derive(Debug, Clone)]
struct Received {
    to: Vec<String>,
    message_id: String,
    subject: String,
}

impl SmtpSink {
    fn start(
        python: &str,
        dir: &Path,
        port: u16,
        reject: &[&str],
        delay_file: Option<&Path>,
    ) -> SmtpSink {
        let log = dir.join("received.jsonl");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py");
        let mut command = Command::new(python);
        command
            .arg(script)
            .arg("--port")
            .arg(port.to_string())
            .arg("--log")
            .arg(&log)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for address in reject {
            command.arg("--reject").arg(address);
        }
        if let Some(delay) = delay_file {
            command.arg("--delay-file").arg(delay);
        }
        let mut child = command.spawn().expect("the SMTP server starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the SMTP server reports");
        assert_eq!(line.trim(), "ready", "the SMTP server is ready");
        SmtpSink { child, log }
    }

    fn received(&self) -> Vec<Received> {
        let Ok(text) = std::fs::read_to_string(&self.log) else {
            return Vec::new();
        };
        text.lines()
            .map(|line| {
                let v: Value = serde_json::from_str(line).expect("a JSON line");
                Received {
                    to: v["to"]
                        .as_array()
                        .expect("recipients")
                        .iter()
                        .map(|t| t.as_str().unwrap_or_default().to_owned())
                        .collect(),
                    message_id: v["message_id"].as_str().unwrap_or_default().to_owned(),
                    subject: v["subject"].as_str().unwrap_or_default().to_owned(),
                }
            })
            .collect()
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn outbox(app: &TestApp, port: u16) -> Outbox {
    Outbox::new(
        &app.stores(),
        MailConfig {
            smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
            lease: Duration::from_secs(2),
            retry_base: Duration::from_secs(1),
            poll: Duration::from_secs(1),
            ..MailConfig::default()
        },
    )
    .expect("the outbox is configured")
}

async fn totals(storage: &Arc<dyn Storage>) -> OutboxTotals {
    storage.outbox_totals().await.expect("storage answers")
}

/// Asserts that no e-mail reached the server twice: every Message-ID once,
/// and every (recipient, subject) once.
fn assert_none_twice(received: &[Received]) {
    let mut ids = BTreeMap::new();
    for r in received {
        *ids.entry(r.message_id.clone()).or_insert(0) += 1;
    }
    let twice: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    let pairs: BTreeSet<(String, String)> = received
        .iter()
        .flat_map(|r| r.to.iter().map(|to| (to.clone(), r.subject.clone())))
        .collect();
    assert_eq!(
        pairs.len(),
        received.iter().map(|r| r.to.len()).sum::<usize>(),
        "one copy per recipient"
    );
}

async fn email_of(app: &TestApp, login: &str) -> String {
    app.user(login)
        .await
        .email
        .expect("demo people have e-mail")
}

async fn send_to_municipalities(app: &TestApp, codes: &[u16], subject: &str) -> Value {
    let mut ids = Vec::new();
    for code in codes {
        ids.push(app.org_id(&format!("municipality-{code}")).await);
    }
    let staff = app.api_client("staff").await;
    let (status, message) = staff
        .send_json(
            Method::POST,
            "/api/v1/messages",
            json!({ "category": "operational", "subject": subject,
                    "body": "Serviceplatformen var nede fra 10 til 11. Fejlen er rettet.",
                    "audience": { "kind": "municipalities", "ids": ids } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{message}");
    message
}

// ---- Recipients, inbox, settings ---------------------------------------------

#[tokio::test]
async fn staff_preview_the_recipients_and_a_message_reaches_their_inboxes() {
    let app = TestApp::start_with_roles().await;
    let staff = app.api_client("staff").await;
    let (_, roles) = staff.get_json("/api/v1/roles").await;
    let role = |name: &str| {
        roles
            .as_array()
            .expect("roles")
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("role {name}"))["id"]
            .as_i64()
            .expect("id")
    };
    let audience = json!({ "kind": "roles", "ids": [role("KOMBIT-programleder")] });
    let (status, count) = staff
        .send_json(
            Method::POST,
            "/api/v1/messages/recipients",
            audience.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{count}");
    // One programme manager in each of the three test municipalities.
    assert_eq!(count["people"], 3, "{count}");
    assert_eq!(count["by_email"], 3);
    assert!(
        count["audience"]
            .as_str()
            .unwrap_or_default()
            .contains("KOMBIT-programleder")
    );

    let (status, sent) = staff
        .send_json(
            Method::POST,
            "/api/v1/messages",
            json!({ "category": "news", "subject": "Nyt fra KLIK", "body": "Rollegalleriet er åbent.",
                    "audience": audience }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["recipients"], 3);
    assert_eq!(sent["emails_queued"], 3);

    // Only holders got it; a municipality's user without the role did not.
    let holders: Vec<String> = app
        .coordination
        .role_holders(
            &samspil_domain::Principal::operator()
                .community_access()
                .expect("operator"),
            samspil_coordination::role::RoleId(role("KOMBIT-programleder")),
            time::OffsetDateTime::now_utc().date(),
        )
        .await
        .expect("holders")
        .into_iter()
        .map(|h| h.name)
        .collect();
    assert_eq!(holders.len(), 3);
    for login in ["admin-751", "user-751"] {
        let (_, inbox) = app.api_client(login).await.get_json("/api/v1/inbox").await;
        let got = inbox
            .as_array()
            .expect("inbox")
            .iter()
            .any(|i| i["subject"] == "Nyt fra KLIK");
        let (_, me) = app.api_client(login).await.get_json("/api/v1/me").await;
        let name = me["user"]["display_name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(got, holders.contains(&name), "{login} ({name})");
    }

    // Municipal people may not write messages, and a bad audience is refused.
    let (status, _) = app
        .api_client("admin-751")
        .await
        .send_json(
            Method::POST,
            "/api/v1/messages/recipients",
            json!({ "kind": "everyone" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = staff
        .send_json(
            Method::POST,
            "/api/v1/messages",
            json!({ "category": "news", "subject": "x", "body": "y",
                    "audience": { "kind": "municipalities", "ids": [] } }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let (_, list) = staff.get_json("/api/v1/messages").await;
    assert_eq!(list[0]["subject"], "Nyt fra KLIK");
    assert_eq!(list[0]["recipients"], 3);
}

#[tokio::test]
async fn light_users_get_messages_in_the_inbox_but_no_mail() {
    let app = TestApp::start_with_roles().await;
    let aarhus = app.org_id("municipality-751").await;
    let operator = samspil_domain::Principal::operator();
    let access = operator
        .admin_access(samspil_domain::OrgId(aarhus))
        .expect("operator");
    let light = app
        .storage
        .create_user(
            &access,
            &samspil_storage::NewUser {
                org_unit_id: None,
                login: Login::parse("leder-751").expect("login"),
                display_name: "Lene Leder".into(),
                email: Some("leder@aarhus.dk".into()),
                phone: None,
                job_title: None,
                role: samspil_domain::AccessRole::User,
                user_type: samspil_domain::UserType::Light,
                password_hash: None,
            },
        )
        .await
        .expect("a light user");
    let staff = app.api_client("staff").await;
    let (_, count) = staff
        .send_json(
            Method::POST,
            "/api/v1/messages/recipients",
            json!({ "kind": "municipalities", "ids": [aarhus] }),
        )
        .await;
    let people = count["people"].as_u64().expect("people");
    assert_eq!(count["by_email"].as_u64(), Some(people - 1), "{count}");
    send_to_municipalities(&app, &[751], "Nedbrud").await;
    let inbox = app.coordination.inbox(light.id, 10).await.expect("inbox");
    assert_eq!(inbox.len(), 1);
    assert_eq!(
        inbox[0].email,
        samspil_coordination::notification::Frequency::Off
    );
}

#[tokio::test]
async fn events_become_notifications_once_for_the_people_concerned() {
    let app = TestApp::start_with_roles().await;
    let outbox = Outbox::new(&app.stores(), MailConfig::default()).expect("outbox");
    let first = outbox.prepare().await.expect("fan-out");
    assert!(first.notifications > 0, "{first:?}");
    let after_first = totals(&app.storage).await;
    let again = outbox.prepare().await.expect("fan-out again");
    assert_eq!(again.notifications, 0, "nothing twice: {again:?}");
    assert_eq!(totals(&app.storage).await, after_first);

    // A deadline change reaches the people concerned; user-751 wants a
    // daily digest of changes, so no e-mail goes at once for them.
    let user = app.api_client("user-751").await;
    let (status, _) = user
        .send_json(
            Method::PUT,
            "/api/v1/notification-preferences",
            json!([{ "kind": "task_changed", "frequency": "daily" }]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let staff = app.api_client("staff").await;
    let id = app.task_id("Etabler brugeradministration på KLIK").await;
    // Give the task to user-751 in Aarhus, so they are concerned with it.
    let (_, me) = user.get_json("/api/v1/me").await;
    let (status, body) = app
        .api_client("admin-751")
        .await
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/assignee"),
            json!({ "user_id": me["user"]["id"] }),
        )
        .await;
    assert!(status.is_success(), "{status} {body}");
    let (status, body) = staff
        .send_json(
            Method::PATCH,
            &format!("/api/v1/tasks/{id}"),
            json!({ "type": "mandatory", "end": "2027-10-31", "reason": "Mere tid" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    outbox.prepare().await.expect("fan-out");
    let (_, inbox) = user.get_json("/api/v1/inbox").await;
    let kinds: Vec<&str> = inbox
        .as_array()
        .expect("inbox")
        .iter()
        .filter(|i| i["task_id"] == id)
        .map(|i| i["kind"].as_str().unwrap_or_default())
        .collect();
    assert!(kinds.contains(&"task_assigned"), "{inbox}");
    assert!(kinds.contains(&"task_changed"), "{inbox}");
    let changed = inbox
        .as_array()
        .expect("inbox")
        .iter()
        .find(|i| i["kind"] == "task_changed")
        .expect("a change");
    assert_eq!(changed["email"], "daily");
    assert!(
        changed["body"]
            .as_str()
            .unwrap_or_default()
            .contains("31.10.2027")
    );

    // Tomorrow the daily digest collects it, once.
    let tomorrow = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    let digests = app
        .coordination
        .queue_digests(tomorrow)
        .await
        .expect("digests");
    assert!(digests.deliveries >= 1, "{digests:?}");
    let again = app
        .coordination
        .queue_digests(tomorrow)
        .await
        .expect("digests");
    assert_eq!(again.deliveries, 0);

    let (_, prefs) = user.get_json("/api/v1/notification-preferences").await;
    assert_eq!(prefs.as_array().map(Vec::len), Some(7));

    // A new role in the gallery reaches the administrators, not the users.
    let (status, role) = staff
        .send_json(
            Method::POST,
            "/api/v1/roles",
            json!({ "name": "NIS2-kontaktperson", "description": "Kontakt om NIS2", "mandatory": true }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    outbox.prepare().await.expect("fan-out");
    let has_role_news = |inbox: &Value| {
        inbox.as_array().expect("inbox").iter().any(|i| {
            i["kind"] == "role_created"
                && i["subject"].as_str().unwrap_or_default().contains("NIS2")
        })
    };
    let (_, admin_inbox) = app
        .api_client("admin-751")
        .await
        .get_json("/api/v1/inbox")
        .await;
    assert!(has_role_news(&admin_inbox), "{admin_inbox}");
    let (_, user_inbox) = user.get_json("/api/v1/inbox").await;
    assert!(!has_role_news(&user_inbox));
}

#[tokio::test]
async fn reminders_come_before_the_end_date_once_a_day() {
    let app = TestApp::start_with_roles().await;
    let outbox = Outbox::new(&app.stores(), MailConfig::default()).expect("outbox");
    outbox.prepare().await.expect("fan-out");
    let staff = app.api_client("staff").await;
    let id = app.task_id("Etabler brugeradministration på KLIK").await;
    let today = time::OffsetDateTime::now_utc().date();
    let end = today + time::Duration::days(7);
    let (status, body) = staff
        .send_json(
            Method::PATCH,
            &format!("/api/v1/tasks/{id}"),
            json!({ "type": "mandatory", "end": end.to_string(), "reason": "Ny frist" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The first run of the day may already have happened in `prepare`.
    let tomorrow = today + time::Duration::days(1);
    let _ = app.coordination.queue_reminders(today).await;
    let report = app
        .coordination
        .queue_reminders(today + time::Duration::days(6))
        .await
        .expect("reminders");
    assert!(report.notifications > 0, "{report:?}");
    let again = app
        .coordination
        .queue_reminders(today + time::Duration::days(6))
        .await
        .expect("reminders");
    assert_eq!(again.notifications, 0, "once a day");
    let none = app
        .coordination
        .queue_reminders(tomorrow + time::Duration::days(6))
        .await
        .expect("reminders");
    assert_eq!(none.notifications, 0, "nothing on the end date");
}

#[tokio::test]
async fn the_pages_write_preview_and_send_and_people_read_their_inbox() {
    let app = TestApp::start_with_roles().await;
    let staff = app.signed_in("staff").await;
    let (status, html) = staff.get_text("/beskeder").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ny besked"), "{html}");
    let token = crate::harness::csrf_in(&html).expect("csrf");
    let aarhus = app.org_id("municipality-751").await.to_string();
    let form = [
        ("csrf_token", token.as_str()),
        ("category", "important"),
        ("subject", "Husk OCES3"),
        ("body", "Certifikatet udløber."),
        ("audience", "municipalities"),
        ("org_ids", aarhus.as_str()),
        ("action", "preview"),
    ];
    let response = staff.post_form("/beskeder", &form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(html.contains("recipient-preview"), "{html}");
    assert!(html.contains("Kommunerne Aarhus"), "{html}");
    let missing = staff
        .post_form(
            "/beskeder",
            &[
                ("csrf_token", token.as_str()),
                ("category", "news"),
                ("subject", "Ingen modtagere"),
                ("body", "x"),
                ("audience", "roles"),
                ("action", "send"),
            ],
        )
        .await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = missing.text().await.expect("html");
    assert!(html.contains("Vælg modtagerne"), "{html}");
    let mut send = form;
    send[6] = ("action", "send");
    let response = staff.post_form("/beskeder", &send).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = staff.get_text("/beskeder?sendt=1").await;
    assert!(html.contains("Husk OCES3"));

    let user = app.signed_in("user-751").await;
    let (status, html) = user.get_text("/indbakke").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Husk OCES3"), "{html}");
    assert!(html.contains("ulæst"), "{html}");
    let (status, html) = user.get_text("/indbakke/indstillinger").await;
    assert_eq!(status, StatusCode::OK);
    let token = crate::harness::csrf_in(&html).expect("csrf");
    let response = user
        .post_form(
            "/indbakke/indstillinger",
            &[("csrf_token", &token), ("kind-task_reminder", "weekly")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, prefs) = app
        .api_client("user-751")
        .await
        .get_json("/api/v1/notification-preferences")
        .await;
    assert!(
        prefs
            .as_array()
            .expect("prefs")
            .iter()
            .any(|p| p["kind"] == "task_reminder" && p["frequency"] == "weekly")
    );
    assert_eq!(
        user.get("/beskeder").await.status(),
        StatusCode::FORBIDDEN,
        "only staff write messages"
    );
    assert_eq!(
        user.get("/leveringslog").await.status(),
        StatusCode::FORBIDDEN
    );
    let admin = app.signed_in("admin-751").await;
    let (status, html) = admin.get_text("/leveringslog").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Husk OCES3"), "{html}");
}

// ---- Delivery over SMTP ------------------------------------------------------

#[tokio::test]
async fn smtp_server_down_then_up_delivers_everything_once() {
    let Some(python) = sink_python() else { return };
    let app = TestApp::start_with_roles().await;
    let message = send_to_municipalities(&app, &[101, 461, 751], "Nedbrud rettet").await;
    let queued = message["emails_queued"].as_u64().expect("queued");
    assert!(queued >= 6, "{message}");
    let port = free_port();
    let outbox = outbox(&app, port);

    // Down: every attempt fails transiently and is queued again.
    let report = outbox.deliver_once().await.expect("a round");
    assert_eq!(report.claimed, queued);
    assert_eq!(report.retried, queued);
    assert_eq!(totals(&app.storage).await.sent, 0);

    // Up: the retries go through, each once.
    let dir = TempDir::new();
    let sink = SmtpSink::start(&python, dir.path(), port, &[], None);
    let deadline = Instant::now() + Duration::from_secs(60);
    while totals(&app.storage).await.sent < queued {
        assert!(
            Instant::now() < deadline,
            "{:?}",
            totals(&app.storage).await
        );
        outbox.deliver_all_due().await.expect("a round");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let received = sink.received();
    assert_eq!(received.len() as u64, queued);
    assert_none_twice(&received);
    assert!(
        received
            .iter()
            .all(|r| r.subject == "[Driftsmeddelelse] Nedbrud rettet")
    );
    let (_, list) = app
        .api_client("staff")
        .await
        .get_json("/api/v1/messages")
        .await;
    assert_eq!(list[0]["emails_sent"].as_u64(), Some(queued));
    let aarhus = app.org_id("municipality-751").await;
    let (status, log) = app
        .api_client("admin-751")
        .await
        .get_json(&format!("/api/v1/municipalities/{aarhus}/deliveries"))
        .await;
    assert_eq!(status, StatusCode::OK);
    for entry in log.as_array().expect("log") {
        assert_eq!(entry["state"], "sent", "{entry}");
        assert!(entry["attempts"].as_u64() >= Some(2), "{entry}");
    }
}

#[tokio::test]
async fn a_permanent_failure_marks_the_address_bouncing() {
    let Some(python) = sink_python() else { return };
    let app = TestApp::start_with_roles().await;
    let bouncing = email_of(&app, "user-751").await;
    let dir = TempDir::new();
    let port = free_port();
    let sink = SmtpSink::start(&python, dir.path(), port, &[&bouncing], None);
    let message = send_to_municipalities(&app, &[751], "Vigtigt").await;
    let queued = message["emails_queued"].as_u64().expect("queued");
    let report = outbox(&app, port)
        .deliver_all_due()
        .await
        .expect("delivery");
    assert_eq!(report.failed, 1, "{report:?}");
    assert_eq!(report.sent, queued - 1);
    let received = sink.received();
    assert!(received.iter().all(|r| !r.to.contains(&bouncing)));
    assert_none_twice(&received);

    // The gap report shows the bouncing holder; the log shows why.
    let aarhus = app.org_id("municipality-751").await;
    let admin = app.api_client("admin-751").await;
    let (_, gaps) = admin
        .get_json(&format!("/api/v1/municipalities/{aarhus}/role-gaps"))
        .await;
    assert!(
        gaps.as_array()
            .expect("gaps")
            .iter()
            .any(|g| g["kind"] == "bouncing_holder"),
        "{gaps}"
    );
    let (_, log) = admin
        .get_json(&format!("/api/v1/municipalities/{aarhus}/deliveries"))
        .await;
    let failed = log
        .as_array()
        .expect("log")
        .iter()
        .find(|d| d["email"] == bouncing.as_str())
        .expect("the bounced delivery");
    assert_eq!(failed["state"], "failed");
    assert!(
        failed["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("550"),
        "{failed}"
    );
    let (_, list) = app
        .api_client("staff")
        .await
        .get_json("/api/v1/messages")
        .await;
    assert_eq!(list[0]["emails_failed"], 1);

    // Another municipality's administrator does not see Aarhus' log.
    let (status, _) = app
        .api_client("admin-101")
        .await
        .get_json(&format!("/api/v1/municipalities/{aarhus}/deliveries"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

fn samspil_serve(app: &TestApp, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_samspil"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("SAMSPIL_DATABASE_URL", &app.database_url)
        .env("SAMSPIL_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
        .env("SAMSPIL_MAIL_LEASE_SECONDS", "10")
        .env("SAMSPIL_MAIL_RETRY_SECONDS", "1")
        .env("SAMSPIL_MAIL_POLL_SECONDS", "1")
        .env("SAMSPIL_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("samspil starts")
}

#[tokio::test]
async fn a_worker_killed_during_delivery_never_sends_twice() {
    let Some(python) = sink_python() else { return };
    let app = TestApp::start_with_roles().await;
    let message = send_to_municipalities(&app, &[101, 461, 751], "Driftsstop").await;
    let ours = message["emails_queued"].as_u64().expect("queued");
    let dir = TempDir::new();
    let delay = dir.path().join("delay");
    std::fs::write(&delay, "60").expect("delay file");
    let port = free_port();
    let sink = SmtpSink::start(&python, dir.path(), port, &[], Some(&delay));

    // The worker sends; the server holds the first messages before its 250,
    // and the worker is killed while it waits.
    let mut worker = samspil_serve(&app, port);
    let seen = dir.path().join("delay.seen");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&seen).is_ok_and(|s| !s.is_empty()) {
        assert!(
            Instant::now() < deadline,
            "the worker never reached the server"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    worker.kill().expect("kill");
    worker.wait().expect("the worker ends");
    let mid = totals(&app.storage).await;
    assert!(mid.sending >= 1, "killed mid-delivery: {mid:?}");
    assert!(sink.received().is_empty(), "nothing was accepted yet");

    // Restarted, it takes over the expired claims and sends the rest.
    std::fs::remove_file(&delay).expect("no more delay");
    let mut worker = samspil_serve(&app, port);
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let now = totals(&app.storage).await;
        if now.queued == 0 && now.sending == 0 && now.sent > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "not all delivered: {now:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    worker.kill().expect("kill");
    let _ = worker.wait();
    let done = totals(&app.storage).await;
    let received = sink.received();
    assert_eq!(done.failed, 0, "{done:?}");
    assert_eq!(received.len() as u64, done.sent, "{done:?}");
    assert_none_twice(&received);
    let ours_received = received
        .iter()
        .filter(|r| r.subject == "[Driftsmeddelelse] Driftsstop")
        .count() as u64;
    assert_eq!(ours_received, ours);
}

/// A published task's edit is told to the holders of the roles it names and
/// the municipality's KOMBIT-programleder (issue 14), with what changed and
/// why; the administrator, who holds none of them, is not told.
#[tokio::test]
async fn an_edit_of_a_published_task_reaches_the_programme_manager_and_the_role_holders() {
    let app = TestApp::start_with_roles().await;
    let outbox = Outbox::new(&app.stores(), MailConfig::default()).expect("outbox");
    let api = app.api_client("staff").await;
    let (_, projects) = api.get_json("/api/v1/projects").await;
    let project = projects[0]["id"].as_i64().expect("a project");
    let (status, task) = api
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project, "code": "NT900", "title": "Ret og fortæl",
                    "type": "mandatory", "involved_roles": "Infrastrukturansvarlig" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{task}");
    let id = task["id"].as_i64().expect("id");
    let (status, _) = api
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    outbox
        .prepare()
        .await
        .expect("the publishing's notifications first");

    // The programme manager chooses English while signed in: what is sent
    // from now on is in English.
    let manager = app.signed_in("user-751").await;
    let switched = manager.get("/sprog/en?next=/indbakke").await;
    assert!(switched.status().is_redirection(), "{}", switched.status());

    let staff = app.signed_in("staff").await;
    let token = staff.csrf_token(&format!("/opgaver/{id}/rediger")).await;
    let edited = staff
        .post_form(
            &format!("/opgaver/{id}/rediger"),
            &[
                ("csrf_token", &token),
                ("code", "NT900"),
                ("title", "Ret og fortæl alle"),
                ("involved_role", "Infrastrukturansvarlig"),
                ("reason", "Titlen var for kort"),
            ],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let report = outbox.prepare().await.expect("fan-out");
    assert!(report.notifications > 0, "{report:?}");
    // user-751 holds KOMBIT-programleder and Infrastrukturansvarlig.
    let (_, inbox) = manager.get_text("/indbakke").await;
    assert!(inbox.contains("Task changed: NT900"), "{inbox}");
    assert!(
        inbox.contains("title; reason: Titlen var for kort"),
        "{inbox}"
    );
    let administrator = app.signed_in("admin-751").await;
    let (_, inbox) = administrator.get_text("/indbakke").await;
    assert!(!inbox.contains("Opgaven er ændret: NT900"), "{inbox}");
}
