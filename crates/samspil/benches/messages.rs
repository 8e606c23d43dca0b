//! How fast a community message to every role holder in the 98
//! municipalities is accepted and queued (at least 5,000 recipients), and
//! how fast the job runner delivers the outbox to a local SMTP server.
//!
//! Run: `cargo bench -p samspil --bench messages` (SQLite in a temporary
//! file), with `SAMSPIL_BENCH_POSTGRES_URL=postgres://…/postgres` for
//! PostgreSQL (a database `samspil_bench_messages` is created afresh
//! there). The delivery rate is measured when `SAMSPIL_TEST_SMTP_PYTHON`
//! names a Python with aiosmtpd (`.ci/run` installs one). Figures go to
//! BENCHMARKS.md; nothing here asserts on time.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use samspil::demo::{self, DemoScope};
use samspil::outbox::{MailConfig, Outbox};
use samspil_coordination::role::AssignmentPeriod;
use samspil_coordination_storage::NewAssignment;
use samspil_domain::{AccessRole, Login, OrgKind, Principal, UserType};
use samspil_storage::NewUser;
use serde_json::json;
use time::macros::date;

/// Extra role holders per municipality, on top of the demo's.
const EXTRA_HOLDERS: usize = 50;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (url, _dir) = database().await?;
    let stores = samspil::open_storage(&url).await?;
    let storage = stores.platform.clone();
    let coordination = stores.coordination.clone();
    samspil::prepare(storage.as_ref()).await?;
    let seeding = Instant::now();
    demo::load(storage.as_ref(), DemoScope::All).await?;
    demo::tasks::load(&stores).await?;
    demo::roles::load(&stores).await?;
    let holders = seed_holders(&stores).await?;
    eprintln!(
        "seeded 98 municipalities with {holders} extra role holders in {:.1?}",
        seeding.elapsed()
    );
    // The demo's own events are not what is measured here.
    Outbox::new(&stores, MailConfig::default())?
        .prepare()
        .await?;
    let queued_before = storage.outbox_totals().await?.queued;

    let listener = samspil::bind("127.0.0.1:0".parse()?).await?;
    let address = listener.local_addr()?;
    let citizen = samspil::open_citizen_storage(&url, &Default::default()).await?;
    samspil::prepare_citizen(citizen.as_ref()).await?;
    let app = samspil::app(&stores, citizen, samspil_web::WebConfig::default());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let token = samspil::create_token(storage.as_ref(), "staff", "bench").await?;
    let client = reqwest::Client::new();
    let role_ids: Vec<i64> = coordination.roles().await?.iter().map(|r| r.id.0).collect();
    let audience = json!({ "kind": "roles", "ids": role_ids });

    println!("backend: {}", storage.backend());
    let started = Instant::now();
    let count: serde_json::Value = client
        .post(format!("http://{address}/api/v1/messages/recipients"))
        .bearer_auth(&token)
        .json(&audience)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!(
        "recipient count preview: {} people ({} by e-mail) in {:.1} ms",
        count["people"],
        count["by_email"],
        ms(started.elapsed())
    );
    let started = Instant::now();
    let sent: serde_json::Value = client
        .post(format!("http://{address}/api/v1/messages"))
        .bearer_auth(&token)
        .json(
            &json!({ "category": "important", "subject": "Til alle rolleindehavere",
                       "body": "Rollegalleriet skal være opdateret inden udgangen af måneden.",
                       "audience": audience }),
        )
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!(
        "message to every role holder accepted and queued: {} recipients, {} e-mails in {:.1} ms",
        sent["recipients"],
        sent["emails_queued"],
        ms(started.elapsed())
    );

    let Some(python) = std::env::var("SAMSPIL_TEST_SMTP_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
    else {
        println!("delivery rate: skipped (set SAMSPIL_TEST_SMTP_PYTHON to a Python with aiosmtpd)");
        return Ok(());
    };
    let total = storage.outbox_totals().await?.queued;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let dir = std::env::temp_dir().join(format!("samspil-bench-smtp-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let _cleanup = TempDir(dir.clone());
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py");
    let mut sink = Command::new(python)
        .arg(script)
        .args(["--port", &port.to_string(), "--log"])
        .arg(dir.join("received.jsonl"))
        .arg("--no-sync")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut ready = String::new();
    BufReader::new(sink.stdout.take().expect("piped")).read_line(&mut ready)?;
    for concurrency in [4_usize, 16] {
        let outbox = Outbox::new(
            &stores,
            MailConfig {
                smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
                concurrency,
                ..MailConfig::default()
            },
        )?;
        // Half of the outbox per setting.
        let goal = storage.outbox_totals().await?.sent + total / 2;
        let started = Instant::now();
        let mut sent_now = 0;
        while storage.outbox_totals().await?.sent < goal {
            let report = outbox.deliver_once().await?;
            if report.claimed == 0 {
                break;
            }
            sent_now += report.sent;
        }
        let elapsed = started.elapsed();
        println!(
            "delivery to a local aiosmtpd, {concurrency} connections: {sent_now} e-mails in {:.1} s = {:.0} e-mails/s",
            elapsed.as_secs_f64(),
            sent_now as f64 / elapsed.as_secs_f64()
        );
    }
    let _ = sink.kill();
    let _ = sink.wait();
    println!(
        "(outbox before the message: {queued_before} queued from the demo's own notifications)"
    );
    Ok(())
}

/// Gives every municipality `EXTRA_HOLDERS` more people holding a
/// cross-cutting role without a holder limit.
async fn seed_holders(stores: &samspil::Stores) -> anyhow::Result<usize> {
    let (storage, coordination) = (stores.platform.as_ref(), stores.coordination.as_ref());
    let roles = coordination.roles().await?;
    let role = roles
        .iter()
        .filter(|r| r.solution_id.is_none() && r.max_holders.is_none())
        .min_by_key(|r| r.requires_primary)
        .ok_or_else(|| anyhow::anyhow!("no cross-cutting role without a limit"))?;
    eprintln!("extra holders hold {}", role.name);
    let operator = Principal::operator();
    let mut created = 0;
    for org in storage.organisations().await? {
        let (OrgKind::Municipality, Some(code)) = (org.kind, org.code) else {
            continue;
        };
        let access = operator.admin_access(org.id)?;
        for n in 0..EXTRA_HOLDERS {
            let login = format!("pl{n}-{code}");
            let user = storage
                .create_user(
                    &access,
                    &NewUser {
                        login: Login::parse(&login)?,
                        display_name: format!("Projektleder {n} ({code})"),
                        email: Some(format!("{login}@kommune{code}.example")),
                        phone: None,
                        job_title: None,
                        org_unit_id: None,
                        role: AccessRole::User,
                        user_type: UserType::Ordinary,
                        password_hash: None,
                    },
                )
                .await?;
            coordination
                .assign_role(
                    &access,
                    &NewAssignment {
                        role_id: role.id,
                        user_id: user.id,
                        period: AssignmentPeriod::new(date!(2023 - 01 - 01), None)?,
                        primary: false,
                        note: String::new(),
                    },
                )
                .await?;
            created += 1;
        }
    }
    Ok(created)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn database() -> anyhow::Result<(String, Option<TempDir>)> {
    if let Ok(admin) = std::env::var("SAMSPIL_BENCH_POSTGRES_URL") {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin).await?;
        sqlx::query("DROP DATABASE IF EXISTS samspil_bench_messages WITH (FORCE)")
            .execute(&mut conn)
            .await?;
        sqlx::query("CREATE DATABASE samspil_bench_messages")
            .execute(&mut conn)
            .await?;
        let mut url = url::Url::parse(&admin)?;
        url.set_path("samspil_bench_messages");
        return Ok((url.to_string(), None));
    }
    let dir = std::env::temp_dir().join(format!("samspil-bench-msg-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    Ok((url, Some(TempDir(dir))))
}
