//! How fast vendor systems' cases go into the citizen index (issue 15,
//! "Speed"): an initial load of cases with their full history through the
//! JSON door (`POST /api/v1/borger/sager/import`, batches of 1,000, over
//! HTTP with the system's credential) against a plain `COPY` of the same
//! rows into the same tables with the same indexes, both in one run; and
//! how soon a delivered change is readable.
//!
//! Run: `SAMSPIL_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
//! cargo bench -p samspil --bench ingest` (PostgreSQL only: `COPY` is
//! PostgreSQL's; a database `samspil_bench_ingest` is created afresh).
//! `SAMSPIL_BENCH_CASES` sets the number of cases (default 20,000).
//! Figures go to BENCHMARKS.md; nothing here asserts on time.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use samspil::demo::citizen_population;
use serde_json::{Value, json};
use sqlx::Connection;

const BATCH: usize = 1_000;
const SYSTEM: &str = "5b1f0c3a-7d2e-4a6b-9c8d-1e2f3a4b5c6d";
/// What the ingest writes for cases, in the order `COPY` loads them.
const TABLES: [&str; 6] = [
    "case_deliveries",
    "cases",
    "case_registrations",
    "case_periods",
    "case_relations",
    "case_numbers",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cases: usize = std::env::var("SAMSPIL_BENCH_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let Ok(admin) = std::env::var("SAMSPIL_BENCH_POSTGRES_URL") else {
        anyhow::bail!("set SAMSPIL_BENCH_POSTGRES_URL: the COPY baseline is PostgreSQL's");
    };
    let url = fresh_database(&admin).await?;
    let stores = samspil::open_storage(&url).await?;
    samspil::prepare(stores.platform.as_ref()).await?;
    let citizen = samspil::open_citizen_storage(&url, &Default::default()).await?;
    samspil::prepare_citizen(citizen.as_ref()).await?;
    let (system, secret) = samspil::systems::add(
        stores.platform.as_ref(),
        citizen.as_ref(),
        &samspil::systems::NewSystem {
            it_system_uuid: SYSTEM,
            name: "Bench",
            vendor: "samspil",
            kind: "case",
            mode: "strict",
            municipalities: &["751".to_owned()],
            valid_from: Some("2026-01-01"),
        },
    )
    .await?;
    citizen
        .approve_municipality(
            system.id,
            751,
            &samspil_domain::Principal::operator().actor(),
        )
        .await?;

    let listener = samspil::bind("127.0.0.1:0".parse()?).await?;
    let address = listener.local_addr()?;
    let app = samspil::app(&stores, citizen, samspil_web::WebConfig::default());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let client = reqwest::Client::new();
    let base = format!("http://{address}/api/v1/borger/sager");
    let post = |path: &str, body: Value| {
        client
            .post(format!("{base}/{path}"))
            .bearer_auth(&secret)
            .json(&body)
            .send()
    };

    let records = citizen_population::case_records(751, cases, SYSTEM);
    let bodies: Vec<Value> = records
        .chunks(BATCH)
        .map(|chunk| json!({ "records": chunk }))
        .collect();
    let started = Instant::now();
    for body in bodies {
        let answer: Value = post("import", body)
            .await?
            .error_for_status()?
            .json()
            .await?;
        anyhow::ensure!(answer["status"] == "accepted", "a batch: {answer}");
    }
    let api = started.elapsed();

    let mut conn = sqlx::PgConnection::connect(&url).await?;
    let mut rows = Vec::new();
    for table in TABLES {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM citizen.{table}"
        )))
        .fetch_one(&mut conn)
        .await?;
        rows.push(count);
    }
    let copy = copy_baseline(&mut conn).await?;

    println!("backend: postgres, {cases} cases with their full history, batches of {BATCH}");
    println!(
        "rows: {}",
        TABLES
            .iter()
            .zip(&rows)
            .map(|(t, n)| format!("{t} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rate = |d: Duration| cases as f64 / d.as_secs_f64();
    println!(
        "JSON door:  {:>8.2} s  {:>8.0} cases/s",
        api.as_secs_f64(),
        rate(api)
    );
    println!(
        "plain COPY: {:>8.2} s  {:>8.0} cases/s",
        copy.as_secs_f64(),
        rate(copy)
    );
    println!(
        "ingest / COPY: {:.1} %",
        100.0 * copy.as_secs_f64() / api.as_secs_f64()
    );

    // A change delivered, then read back by the next request: the time
    // from sending the update until the read shows it.
    let mut times = Vec::new();
    for (n, record) in records.iter().take(100).enumerate() {
        let uuid = record["uuid"].as_str().unwrap_or_default().to_owned();
        let title = format!("Ændret {n}");
        let mut egenskaber = record["egenskaber"].clone();
        egenskaber[0]["titel"] = json!(title);
        let update = json!({ "records": [{
            "uuid": uuid,
            "kommune": 751,
            "registreret": format!("2026-11-01T10:{:02}:{:02}Z", n / 60, n % 60),
            "egenskaber": egenskaber,
        }]});
        let sent = Instant::now();
        let answer: Value = post("opdater", update)
            .await?
            .error_for_status()?
            .json()
            .await?;
        anyhow::ensure!(answer["status"] == "accepted", "an update: {answer}");
        let read: Value = client
            .get(format!("{base}/{uuid}"))
            .bearer_auth(&secret)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        anyhow::ensure!(read.to_string().contains(&title), "the change is read back");
        times.push(sent.elapsed());
    }
    times.sort();
    println!(
        "delivered change readable: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms (100 updates)",
        ms(times[49]),
        ms(times[94]),
        ms(times[99])
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The same rows, copied out of the index's tables, `COPY`ed into fresh
/// tables of the same shape and indexes (`LIKE … INCLUDING ALL`: the
/// indexes, defaults and checks; no foreign keys, which only favours
/// `COPY`): the time of the loads only.
async fn copy_baseline(conn: &mut sqlx::PgConnection) -> anyhow::Result<Duration> {
    sqlx::query("CREATE SCHEMA bench_copy")
        .execute(&mut *conn)
        .await?;
    let mut data = Vec::new();
    for table in TABLES {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE TABLE bench_copy.{table} (LIKE citizen.{table} INCLUDING ALL)"
        )))
        .execute(&mut *conn)
        .await?;
        let mut bytes = Vec::new();
        let mut out = conn
            .copy_out_raw(&format!(
                "COPY citizen.{table} TO STDOUT WITH (FORMAT binary)"
            ))
            .await?;
        while let Some(chunk) = out.next().await {
            bytes.extend_from_slice(&chunk?);
        }
        drop(out);
        data.push(bytes);
    }
    let started = Instant::now();
    for (table, bytes) in TABLES.iter().zip(&data) {
        let mut copy = conn
            .copy_in_raw(&format!(
                "COPY bench_copy.{table} FROM STDIN WITH (FORMAT binary)"
            ))
            .await?;
        copy.send(bytes.as_slice()).await?;
        copy.finish().await?;
    }
    Ok(started.elapsed())
}

async fn fresh_database(admin: &str) -> anyhow::Result<String> {
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query("DROP DATABASE IF EXISTS samspil_bench_ingest WITH (FORCE)")
        .execute(&mut conn)
        .await?;
    sqlx::query("CREATE DATABASE samspil_bench_ingest")
        .execute(&mut conn)
        .await?;
    let mut url = url::Url::parse(admin)?;
    url.set_path("samspil_bench_ingest");
    Ok(url.to_string())
}
