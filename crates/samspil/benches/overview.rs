//! How fast the national status overview and a municipality's task list
//! render with 98 municipalities × 2,000 tasks and their statuses.
//!
//! Run: `cargo bench -p samspil --bench overview` (SQLite in a temporary
//! file), and with `SAMSPIL_BENCH_POSTGRES_URL=postgres://…/postgres` for
//! PostgreSQL (a database `samspil_bench` is created afresh there).
//! Figures go to BENCHMARKS.md; nothing here asserts on time.

use std::time::{Duration, Instant};

use samspil::demo::{self, DEMO_PASSWORD, DemoScope};
use samspil_coordination::task::{Schedule, TaskStatus, TaskType};
use samspil_coordination_storage::{NewProject, NewTask};
use samspil_domain::Principal;
use time::macros::date;

const TASKS: usize = 2_000;
const REQUESTS: usize = 300;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (url, _dir) = database().await?;
    let stores = samspil::open_storage(&url).await?;
    let storage = stores.platform.clone();
    samspil::prepare(storage.as_ref()).await?;
    demo::load(storage.as_ref(), DemoScope::Municipalities(&[751])).await?;
    let seeding = Instant::now();
    seed(&stores).await?;
    eprintln!(
        "seeded {TASKS} tasks × 98 municipalities in {:.1?}",
        seeding.elapsed()
    );
    settle(&url).await?;

    let listener = samspil::bind("127.0.0.1:0".parse()?).await?;
    let address = listener.local_addr()?;
    let citizen = samspil::open_citizen_storage(&url, &Default::default()).await?;
    samspil::prepare_citizen(citizen.as_ref()).await?;
    let app = samspil::app(&stores, citizen, samspil_web::WebConfig::default());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    println!("backend: {}", storage.backend());
    for (login, path) in [
        ("staff", "/status"),
        ("user-751", "/opgaver"),
        ("user-751", "/opgaver?q=opgave%201234"),
    ] {
        let client = signed_in(address, login).await?;
        let url = format!("http://{address}{path}");
        for _ in 0..20 {
            client
                .get(&url)
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?;
        }
        let mut times = Vec::with_capacity(REQUESTS);
        for _ in 0..REQUESTS {
            let started = Instant::now();
            client
                .get(&url)
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?;
            times.push(started.elapsed());
        }
        times.sort();
        let at = |p: f64| times[((times.len() as f64 * p).ceil() as usize).min(times.len()) - 1];
        println!(
            "{path:<28} as {login:<8} p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms  ({REQUESTS} requests)",
            ms(at(0.50)),
            ms(at(0.95)),
            ms(at(0.99))
        );
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Brings the freshly written database to the steady state a running
/// installation is in: PostgreSQL's autovacuum would have vacuumed and
/// analysed the tables after 196,000 updates; SQLite gets its statistics.
async fn settle(url: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        sqlx::query("VACUUM ANALYZE").execute(&mut conn).await?;
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await?;
        sqlx::query("ANALYZE").execute(&mut conn).await?;
    }
    Ok(())
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn database() -> anyhow::Result<(String, Option<TempDir>)> {
    if let Ok(admin) = std::env::var("SAMSPIL_BENCH_POSTGRES_URL") {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin).await?;
        sqlx::query("DROP DATABASE IF EXISTS samspil_bench WITH (FORCE)")
            .execute(&mut conn)
            .await?;
        sqlx::query("CREATE DATABASE samspil_bench")
            .execute(&mut conn)
            .await?;
        let mut url = url::Url::parse(&admin)?;
        url.set_path("samspil_bench");
        return Ok((url.to_string(), None));
    }
    let dir = std::env::temp_dir().join(format!("samspil-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    Ok((url, Some(TempDir(dir))))
}

/// 2,000 published tasks in one project of all 98 municipalities, with a
/// spread of statuses and types.
async fn seed(stores: &samspil::Stores) -> anyhow::Result<()> {
    let (storage, coordination) = (stores.platform.as_ref(), stores.coordination.as_ref());
    let community = Principal::operator().community_access()?;
    let project = coordination
        .create_project(
            &community,
            &NewProject {
                name: "Benchmark".into(),
                description: String::new(),
                participants: None,
            },
        )
        .await?;
    let municipalities: Vec<_> = storage
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == samspil_domain::OrgKind::Municipality)
        .map(|o| o.id)
        .collect();
    for i in 0..TASKS {
        let task_type = TaskType::ALL[i % 3];
        let start = date!(2023 - 01 - 01) + time::Duration::days((i % 365) as i64);
        let task = coordination
            .create_task(
                &community,
                &NewTask {
                    project_id: project.id,
                    code: Some(format!("B{i:04}")),
                    title: format!("Opgave {i}: kortlæg og opdatér it-systemer"),
                    description: "Beskrivelse af opgaven med nogle ord at søge i.".into(),
                    task_type,
                    schedule: Schedule::new(
                        Some(start),
                        Some(start + time::Duration::days(60)),
                        None,
                    )?,
                    executor_role: None,
                    involved_roles: None,
                    business_area: None,
                    guidance: Default::default(),
                },
            )
            .await?;
        coordination.publish_task(&community, task.id).await?;
        let statuses: Vec<_> = municipalities
            .iter()
            .enumerate()
            .map(|(m, org)| (*org, TaskStatus::ALL[(m + i) % 3]))
            .collect();
        coordination
            .import_task_statuses(&community, task.id, &statuses)
            .await?;
    }
    Ok(())
}

async fn signed_in(address: std::net::SocketAddr, login: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = client
        .get(format!("http://{address}/login"))
        .send()
        .await?
        .text()
        .await?;
    let marker = "name=\"csrf_token\" value=\"";
    let start = page
        .find(marker)
        .ok_or_else(|| anyhow::anyhow!("no CSRF token on /login"))?
        + marker.len();
    let token = &page[start..start + page[start..].find('"').unwrap_or(0)];
    let response = client
        .post(format!("http://{address}/login"))
        .form(&[
            ("login", login),
            ("password", DEMO_PASSWORD),
            ("csrf_token", token),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_redirection(),
        "login as {login} failed: {}",
        response.status()
    );
    Ok(client)
}
