//! The command-line contract that the README, operators and CI rely on.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::harness::{TempDir, TestApp};

pub(crate) fn samspil() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_samspil"));
    command
        .env_remove("SAMSPIL_DATABASE_URL")
        .env_remove("SAMSPIL_LISTEN")
        .env("SAMSPIL_LOG", "warn");
    command
}

pub(crate) fn run(command: &mut Command) -> (i32, String, String) {
    let output = command.output().expect("samspil runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_unsupported_database_url_ends_with_one_clear_sentence() {
    let (code, _, stderr) =
        run(samspil().args(["migrate", "--database-url", "mysql://root@localhost/x"]));
    assert_ne!(code, 0);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("unsupported database URL"), "{stderr}");
}

#[test]
fn an_unreachable_database_ends_the_start_with_a_message() {
    let (code, _, stderr) = run(samspil().args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        "postgres://samspil:hemmelig@127.0.0.1:1/samspil",
    ]));
    assert_ne!(code, 0);
    assert!(
        stderr.contains(
            "cannot connect to the database at postgres://samspil:***@127.0.0.1:1/samspil"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("hemmelig"), "the password is not shown");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn a_bad_listen_address_is_refused_by_the_command_line() {
    let (code, _, stderr) = run(samspil().args(["serve", "--listen", "ikke-en-adresse"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("invalid value 'ikke-en-adresse' for '--listen"),
        "{stderr}"
    );
}

#[tokio::test]
async fn token_create_prints_only_a_token_that_the_api_accepts() {
    let app = TestApp::start().await;
    let (code, stdout, stderr) = run(samspil().args([
        "token",
        "create",
        "--user",
        "admin-751",
        "--database-url",
        &app.database_url,
    ]));
    assert_eq!(code, 0, "{stderr}");
    let token = stdout.trim();
    assert_eq!(stdout.lines().count(), 1);
    assert!(token.starts_with("samspil_"), "{stdout}");
    let response = reqwest::Client::new()
        .get(app.url("/api/v1/municipalities"))
        .bearer_auth(token)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), reqwest::StatusCode::OK);

    let (code, _, stderr) = run(samspil().args([
        "token",
        "create",
        "--user",
        "nobody",
        "--database-url",
        &app.database_url,
    ]));
    assert_ne!(code, 0);
    assert!(
        stderr.contains("there is no user with the login 'nobody'"),
        "{stderr}"
    );
}

#[tokio::test]
async fn totp_remove_resets_a_lost_second_factor_and_staff_enrol_again() {
    let app = TestApp::start().await;
    let (code, stdout, stderr) = run(samspil().args([
        "totp",
        "remove",
        "--user",
        "staff",
        "--database-url",
        &app.database_url,
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("The second factor of staff is removed."),
        "{stdout}"
    );
    let browser = app.browser();
    browser
        .password_step("staff", samspil::demo::DEMO_PASSWORD)
        .await;
    let (_, html) = browser.get_text("/login/kode").await;
    assert!(html.contains("Opsæt login med godkendelses-app"), "{html}");

    let (code, stdout, _) = run(samspil().args([
        "totp",
        "remove",
        "--user",
        "staff",
        "--database-url",
        &app.database_url,
    ]));
    assert_eq!(code, 0);
    assert!(stdout.contains("nothing changed"), "{stdout}");
}

/// Starts `samspil demo` and returns it with the address it printed.
fn start_demo(database_url: &str) -> (Child, String) {
    let mut child = samspil()
        .args([
            "demo",
            "--listen",
            "127.0.0.1:0",
            // A small synthetic population: the same ingest, in a test's time.
            "--citizens",
            "300",
            "--database-url",
            database_url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("samspil demo starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("samspil is listening on ")
                .map(str::to_owned)
        })
        .expect("samspil demo prints its address");
    let mut rest = Vec::new();
    for line in lines.map_while(Result::ok) {
        let done = line.contains("user-NNN");
        rest.push(line);
        if done {
            break;
        }
    }
    assert!(
        rest.iter().any(|l| l.contains("samspil-demo")),
        "the demo password is printed: {rest:?}"
    );
    assert!(
        rest.iter()
            .any(|l| l.contains(samspil::demo::DEMO_TOTP_SECRET) && l.contains("oathtool")),
        "the demo TOTP secret is printed with how to make a code: {rest:?}"
    );
    (child, address)
}

#[tokio::test]
async fn demo_starts_with_demo_logins_and_is_safe_to_run_twice() {
    let dir = TempDir::new();
    let database_url = format!("sqlite://{}", dir.path().join("demo.db").display());
    for round in 1..=2 {
        let (mut child, address) = start_demo(&database_url);
        let client = reqwest::Client::new();
        let health = client
            .get(format!("{address}/healthz"))
            .send()
            .await
            .expect("answered");
        assert_eq!(health.status(), reqwest::StatusCode::OK, "round {round}");
        child.kill().expect("stops");
        let _ = child.wait();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The synthetic citizens came through the ingest once, in every
    // municipality: each kind's delivery log holds one line per batch,
    // the second start loaded nothing.
    let citizen = samspil::open_citizen_storage(&database_url, &Default::default())
        .await
        .expect("the citizen store opens");
    let systems = citizen.vendor_systems(None).await.expect("systems");
    let case_system = systems
        .iter()
        .find(|s| s.name == "Demo Sagssystem")
        .expect("the population's case system");
    let mut cases = 0;
    for code in [101_u16, 751, 825] {
        let here = citizen
            .count_cases(case_system.id, code)
            .await
            .expect("count");
        assert!(here > 0, "citizens in {code}");
        cases += here;
    }
    assert!(cases < 300, "{cases}");
    let deliveries = citizen
        .deliveries(case_system.id, None, 100)
        .await
        .expect("delivery log");
    assert_eq!(deliveries.len(), 1, "one batch of 300 cases, loaded once");
    let storage_stores = samspil::open_storage(&database_url).await.expect("opens");
    let storage = storage_stores.platform.clone();
    let coordination = storage_stores.coordination.clone();
    let municipalities = storage
        .organisations()
        .await
        .expect("organisations")
        .into_iter()
        .filter(|o| o.kind == samspil_domain::OrgKind::Municipality)
        .collect::<Vec<_>>();
    assert_eq!(municipalities.len(), 98);
    let tasks = coordination
        .tasks(&samspil_coordination_storage::TaskFilter {
            include_drafts: true,
            limit: 5000,
            ..Default::default()
        })
        .await
        .expect("tasks");
    assert!(
        tasks.len() > 30,
        "the demo tasks are loaded once: {}",
        tasks.len()
    );
    assert_eq!(
        tasks
            .iter()
            .filter(|t| t.title == "Etabler brugeradministration på KLIK")
            .count(),
        1,
        "not twice"
    );
    for org in &municipalities {
        let access = samspil_domain::Principal::operator()
            .read_access(org.id)
            .expect("operator");
        let users = storage.users(&access).await.expect("users");
        let code = org.code.expect("code");
        let logins: Vec<String> = users.iter().map(|u| u.login.to_string()).collect();
        assert_eq!(logins.len(), 2, "{}: {logins:?}", org.name);
        assert!(
            logins.contains(&format!("admin-{code}")) && logins.contains(&format!("user-{code}"))
        );
    }
}

#[test]
fn logs_are_json_on_request() {
    let dir = TempDir::new();
    let database_url = format!("sqlite://{}", dir.path().join("logs.db").display());
    let (code, stdout, stderr) = run(samspil().env("SAMSPIL_LOG", "info").args([
        "migrate",
        "--log-format",
        "json",
        "--database-url",
        &database_url,
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("is up to date"));
    let line = stderr
        .lines()
        .find(|l| l.contains("reference organisations updated"))
        .expect("a log line");
    let entry: serde_json::Value = serde_json::from_str(line).expect("the log line is JSON");
    assert_eq!(entry["level"], "INFO");
    assert_eq!(entry["fields"]["created"], 100);
}

#[test]
fn the_directory_import_reports_what_it_changed_and_a_second_run_nothing() {
    let dir = TempDir::new();
    let database = format!("sqlite://{}", dir.path().join("d.db").display());
    let file = dir.path().join("aarhus.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"kind":"org_unit","uuid":"u1","name":"Borgerservice","validity":{"from":"2020-01-01"}}"#,
            "\n",
            r#"{"kind":"employee","uuid":"e1","user_key":"kbo","name":"Karen Bo","email":"kbo@aarhus.example","org_unit":"u1","validity":{"from":"2020-01-01","to":null}}"#,
            "\n"
        ),
    )
    .expect("written");
    let import = || {
        run(samspil().args([
            "import",
            "directory",
            file.to_str().expect("utf-8 path"),
            "--municipality",
            "751",
            "--as-of",
            "2026-11-23",
            "--database-url",
            &database,
        ]))
    };
    let (code, stdout, stderr) = import();
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 people created"), "{stdout}");
    let (code, stdout, _) = import();
    assert_eq!(code, 0);
    assert!(stdout.contains("Nothing changed"), "{stdout}");

    std::fs::write(&file, "{\"kind\":\"employee\"}\n").expect("written");
    let (code, _, stderr) = import();
    assert_ne!(code, 0);
    assert!(stderr.contains("aarhus.jsonl:1: record"), "{stderr}");
}
