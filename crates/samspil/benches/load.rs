//! Load test: 100 people at once browsing their task lists and tasks and
//! changing their municipality's statuses, for a bounded time, against a
//! running `samspil demo` on this machine (loopback only).
//!
//! Run it through `scripts/load.sh`, which builds and starts the server,
//! issues the staff token and runs this. By hand:
//!
//! ```sh
//! SAMSPIL_LOAD_URL=http://127.0.0.1:18790 SAMSPIL_LOAD_TOKEN=samspil_… \
//!   cargo bench -p samspil --bench load
//! ```
//!
//! Settings (environment): `SAMSPIL_LOAD_USERS` (100), `SAMSPIL_LOAD_SECONDS`
//! (60, at most 600), `SAMSPIL_LOAD_THINK_MS` (0: each person starts the
//! next round as soon as the last request is answered; otherwise a pause of
//! 50–150 % of it between rounds), `SAMSPIL_LOAD_REPORT` (a file
//! to write the table to as well).
//!
//! Every person signs in with their own demo login (`user-NNN` of the 98
//! municipalities, then `admin-NNN`) and repeats: their task list, one of
//! their tasks, the status form (forward one step, or back to "not started"
//! with a reason after "completed"), the task again to see the change, and
//! every fifth round the national status page. Two people of the same
//! municipality work on different tasks, so no change is refused because
//! someone else moved the status first. Any transport error, unexpected
//! status code or unchanged status counts as an error; the exit code is
//! non-zero if there was one.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

const PASSWORD: &str = "samspil-demo";
const STATUSES: [&str; 3] = ["not_started", "started", "completed"];

#[derive(Default)]
struct Tally {
    times: BTreeMap<&'static str, Vec<Duration>>,
    errors: BTreeMap<&'static str, u64>,
    examples: Vec<String>,
    status_changes: u64,
}

impl Tally {
    fn error(&mut self, kind: &'static str, what: String) {
        *self.errors.entry(kind).or_default() += 1;
        if self.examples.len() < 10 {
            self.examples.push(what);
        }
    }

    fn merge(&mut self, other: Tally) {
        for (kind, mut times) in other.times {
            self.times.entry(kind).or_default().append(&mut times);
        }
        for (kind, n) in other.errors {
            *self.errors.entry(kind).or_default() += n;
        }
        self.examples.extend(other.examples);
        self.examples.truncate(10);
        self.status_changes += other.status_changes;
    }
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Only this machine: a load test never leaves the loopback interface.
fn loopback_base() -> anyhow::Result<String> {
    let base = std::env::var("SAMSPIL_LOAD_URL")
        .map_err(|_| anyhow::anyhow!("set SAMSPIL_LOAD_URL, e.g. http://127.0.0.1:18790"))?;
    let url = url::Url::parse(&base)?;
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost",
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    };
    anyhow::ensure!(
        loopback,
        "{base} is not a loopback address: refusing to load it"
    );
    Ok(base.trim_end_matches('/').to_owned())
}

fn csrf_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// The status the task page's form shows as checked.
fn checked_status(html: &str) -> Option<&'static str> {
    STATUSES
        .into_iter()
        .find(|s| html.contains(&format!("name=\"status\" value=\"{s}\" checked")))
}

struct Person {
    index: usize,
    login: String,
    client: reqwest::Client,
    /// Published tasks without required questions that this person works on.
    tasks: Vec<i64>,
}

impl Person {
    async fn timed(
        &self,
        tally: &mut Tally,
        kind: &'static str,
        request: reqwest::RequestBuilder,
        expected: StatusCode,
    ) -> Option<String> {
        let started = Instant::now();
        let result = async {
            let response = request.send().await?;
            let status = response.status();
            let body = response.text().await?;
            Ok::<_, reqwest::Error>((status, body))
        }
        .await;
        let elapsed = started.elapsed();
        match result {
            Ok((status, body)) if status == expected => {
                tally.times.entry(kind).or_default().push(elapsed);
                Some(body)
            }
            Ok((status, body)) => {
                let excerpt: String = body.chars().take(200).collect();
                tally.error(kind, format!("{} {kind}: {status} {excerpt}", self.login));
                None
            }
            Err(error) => {
                tally.error(kind, format!("{} {kind}: {error}", self.login));
                None
            }
        }
    }
}

async fn sign_in(base: &str, login: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()?;
    let html = client
        .get(format!("{base}/login"))
        .send()
        .await?
        .text()
        .await?;
    let token = csrf_in(&html).ok_or_else(|| anyhow::anyhow!("no CSRF token on /login"))?;
    let response = client
        .post(format!("{base}/login"))
        .form(&[
            ("login", login),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        response.status() == StatusCode::SEE_OTHER,
        "{login} cannot sign in: {}",
        response.status()
    );
    Ok(client)
}

/// Published tasks whose completion needs no answers, from the staff API.
async fn workable_tasks(base: &str, token: &str) -> anyhow::Result<Vec<i64>> {
    let client = reqwest::Client::new();
    let get = |path: String| {
        let request = client.get(format!("{base}{path}")).bearer_auth(token);
        async move {
            let response = request.send().await?.error_for_status()?;
            Ok::<Value, anyhow::Error>(response.json().await?)
        }
    };
    let tasks = get("/api/v1/tasks?limit=5000".into()).await?;
    let mut workable = Vec::new();
    for task in tasks.as_array().into_iter().flatten() {
        if task["state"] != "published" || task["counts"]["total"].as_u64() != Some(98) {
            continue;
        }
        let id = task["id"].as_i64().unwrap_or_default();
        let questions = get(format!("/api/v1/tasks/{id}/questions")).await?;
        let required = questions
            .as_array()
            .into_iter()
            .flatten()
            .any(|q| q["required"] == true);
        if !required {
            workable.push(id);
        }
    }
    anyhow::ensure!(
        !workable.is_empty(),
        "no published task of all 98 municipalities"
    );
    Ok(workable)
}

async fn run_person(base: String, person: Person, until: Instant, think: Duration) -> Tally {
    let mut tally = Tally::default();
    let mut round: usize = 0;
    while Instant::now() < until {
        let task = person.tasks[round % person.tasks.len()];
        round += 1;
        let client = &person.client;
        let Some(_) = person
            .timed(
                &mut tally,
                "GET /opgaver (task list)",
                client.get(format!("{base}/opgaver")),
                StatusCode::OK,
            )
            .await
        else {
            continue;
        };
        let Some(page) = person
            .timed(
                &mut tally,
                "GET /opgaver/{id} (task)",
                client.get(format!("{base}/opgaver/{task}")),
                StatusCode::OK,
            )
            .await
        else {
            continue;
        };
        let (Some(token), Some(current)) = (csrf_in(&page), checked_status(&page)) else {
            tally.error(
                "GET /opgaver/{id} (task)",
                format!("{}: task {task} has no status form", person.login),
            );
            continue;
        };
        let (next, reason) = match current {
            "not_started" => ("started", ""),
            "started" => ("completed", ""),
            _ => ("not_started", "Belastningstest: tilbage til start"),
        };
        let posted = person
            .timed(
                &mut tally,
                "POST /opgaver/{id}/status",
                client.post(format!("{base}/opgaver/{task}/status")).form(&[
                    ("csrf_token", token.as_str()),
                    ("status", next),
                    ("reason", reason),
                ]),
                StatusCode::SEE_OTHER,
            )
            .await;
        if posted.is_some() {
            tally.status_changes += 1;
            if let Some(after) = person
                .timed(
                    &mut tally,
                    "GET /opgaver/{id} (task)",
                    client.get(format!("{base}/opgaver/{task}")),
                    StatusCode::OK,
                )
                .await
                && checked_status(&after) != Some(next)
            {
                tally.error(
                    "POST /opgaver/{id}/status",
                    format!("{}: task {task} did not become {next}", person.login),
                );
            }
        }
        if round.is_multiple_of(5) {
            person
                .timed(
                    &mut tally,
                    "GET /status (national overview)",
                    client.get(format!("{base}/status")),
                    StatusCode::OK,
                )
                .await;
        }
        if !think.is_zero() {
            // Spread over 50–150 % of the think time, differently for each
            // person and round (deterministically), so that the people do
            // not move in step.
            let spread = 50 + (person.index * 37 + round * 11) % 101;
            tokio::time::sleep(think * spread as u32 / 100).await;
        }
    }
    tally
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let base = loopback_base()?;
    let token = std::env::var("SAMSPIL_LOAD_TOKEN")
        .map_err(|_| anyhow::anyhow!("set SAMSPIL_LOAD_TOKEN to a staff API token"))?;
    let users: usize = env("SAMSPIL_LOAD_USERS", 100).clamp(1, 196);
    let seconds: u64 = env("SAMSPIL_LOAD_SECONDS", 60).clamp(1, 600);
    let think = Duration::from_millis(env("SAMSPIL_LOAD_THINK_MS", 0));

    let tasks = workable_tasks(&base, &token).await?;
    let municipalities = reqwest::Client::new()
        .get(format!("{base}/api/v1/municipalities"))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?
        .json::<Value>()
        .await?;
    let codes: Vec<String> = municipalities
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["code"].as_str().map(str::to_owned))
        .collect();
    anyhow::ensure!(codes.len() == 98, "the demo has 98 municipalities");

    // user-NNN of every municipality first, then admin-NNN; the second
    // person of a municipality takes the odd-numbered tasks, the first the
    // even-numbered ones.
    let mut people = Vec::with_capacity(users);
    let signing_in = Instant::now();
    for index in 0..users {
        let code = &codes[index % codes.len()];
        let (login, share) = match index < codes.len() {
            true => (format!("user-{code}"), 0),
            false => (format!("admin-{code}"), 1),
        };
        let both = users > codes.len() + (index % codes.len());
        let mut mine: Vec<i64> = tasks
            .iter()
            .enumerate()
            .filter(|(i, _)| !both || i % 2 == share)
            .map(|(_, t)| *t)
            .collect();
        if mine.is_empty() {
            mine = tasks.clone();
        }
        // Start at different tasks so that people spread over the table.
        let offset = index % mine.len();
        mine.rotate_left(offset);
        people.push(Person {
            index,
            client: sign_in(&base, &login).await?,
            login,
            tasks: mine,
        });
    }
    eprintln!(
        "{users} people signed in in {:.1?}; {} tasks to work on; running {seconds} s",
        signing_in.elapsed(),
        tasks.len()
    );

    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let mut running = tokio::task::JoinSet::new();
    for person in people {
        running.spawn(run_person(base.clone(), person, until, think));
    }
    let mut tally = Tally::default();
    // Bounded: a person finishes the request in hand (30 s timeout at most).
    let deadline = until + Duration::from_secs(60);
    while let Some(done) = tokio::time::timeout_at(deadline.into(), running.join_next())
        .await
        .map_err(|_| anyhow::anyhow!("people still busy a minute after the end"))?
    {
        tally.merge(done?);
    }
    let elapsed = started.elapsed();

    let mut report = String::new();
    let mut all: Vec<Duration> = Vec::new();
    report.push_str(&format!(
        "{users} concurrent people, {:.0} s, think time {} ms, against {base}\n\n",
        elapsed.as_secs_f64(),
        think.as_millis()
    ));
    report.push_str(
        "| request | count | p50 | p95 | p99 | max | errors |\n|---|---|---|---|---|---|---|\n",
    );
    for (kind, times) in &mut tally.times {
        times.sort();
        all.extend_from_slice(times);
        report.push_str(&format!(
            "| `{kind}` | {} | {} | {} | {} | {} | {} |\n",
            times.len(),
            ms(percentile(times, 0.50)),
            ms(percentile(times, 0.95)),
            ms(percentile(times, 0.99)),
            ms(times.last().copied().unwrap_or_default()),
            tally.errors.get(kind).copied().unwrap_or(0)
        ));
    }
    all.sort();
    let errors: u64 = tally.errors.values().sum();
    report.push_str(&format!(
        "| **all** | {} | {} | {} | {} | {} | {errors} |\n\n",
        all.len(),
        ms(percentile(&all, 0.50)),
        ms(percentile(&all, 0.95)),
        ms(percentile(&all, 0.99)),
        ms(all.last().copied().unwrap_or_default()),
    ));
    report.push_str(&format!(
        "{:.0} requests/s, {} status changes ({:.0}/s), {errors} errors\n",
        all.len() as f64 / elapsed.as_secs_f64(),
        tally.status_changes,
        tally.status_changes as f64 / elapsed.as_secs_f64(),
    ));
    print!("{report}");
    if let Ok(path) = std::env::var("SAMSPIL_LOAD_REPORT") {
        std::fs::write(path, &report)?;
    }
    for example in &tally.examples {
        eprintln!("error: {example}");
    }
    anyhow::ensure!(errors == 0, "{errors} errors under load");
    Ok(())
}
