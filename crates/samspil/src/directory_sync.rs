//! The scheduled sync of each configured municipality's organisation
//! directory from OS2mo's GraphQL API, run by `serve` next to the outbox,
//! and once by `samspil sync directory`.
//!
//! A run reads every page of org units and employees first, builds the
//! whole snapshot, checks it against the safety net and only then makes the
//! one `import_directory` call the file import makes too. Anything short of
//! a complete answer (a transport error, a timeout, a non-2xx status, JSON
//! that does not parse, GraphQL `errors`, `data: null`, a page without its
//! continuation) ends the run before anything is written, so a partial
//! answer never deactivates anyone. A failed run is recorded, logged,
//! shown on the municipality's page and tried again with back-off.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use samspil_domain::directory_os2mo::{self, Os2moEmployee, Os2moUnit};
use samspil_domain::{MunicipalityCode, OrgAccess, OrgId, Principal};
use samspil_storage::{
    DirectoryReport, DirectorySyncClaim, DirectorySyncOutcome, FinishedDirectorySync, Storage,
    StorageError,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use tokio::sync::Mutex;

const EMPLOYEES_QUERY: &str = include_str!("directory_sync/queries/employees.graphql");
const ORG_UNITS_QUERY: &str = include_str!("directory_sync/queries/org_units.graphql");

/// A directory that needs more pages than this is taken to be a source
/// that keeps answering with a next page.
const MAX_PAGES: usize = 10_000;

/// One `[[directory_sync]]` section of the configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectorySyncConfig {
    /// The municipality's code, e.g. "751".
    pub municipality: String,
    /// OS2mo's GraphQL endpoint, e.g. `https://os2mo.aarhus.dk/graphql/v22`.
    pub url: String,
    /// Keycloak's token endpoint for the client credentials grant; with
    /// `client_id` and `client_secret_env`, or none of the three.
    pub token_url: Option<String>,
    pub client_id: Option<String>,
    /// The environment variable that holds the client secret.
    pub client_secret_env: Option<String>,
    #[serde(default = "default_interval_minutes")]
    pub interval_minutes: u32,
    #[serde(default = "default_max_deactivate_percent")]
    pub max_deactivate_percent: u8,
    #[serde(default = "default_page_size")]
    pub page_size: u32,
    /// The limit on each HTTP request, the token's included.
    #[serde(default = "default_timeout_seconds")]
    pub timeout_seconds: u32,
}

fn default_interval_minutes() -> u32 {
    60
}

fn default_max_deactivate_percent() -> u8 {
    20
}

fn default_page_size() -> u32 {
    500
}

fn default_timeout_seconds() -> u32 {
    60
}

/// The OAuth2 client credentials a source is read with.
#[derive(Debug, Clone)]
struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: String,
}

struct Source {
    config: DirectorySyncConfig,
    org: OrgId,
    credentials: Option<ClientCredentials>,
    /// The bearer token and when it stops being usable.
    token: Mutex<Option<(String, Instant)>>,
}

impl Source {
    fn access(&self) -> anyhow::Result<OrgAccess> {
        Ok(Principal::operator().admin_access(self.org)?)
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(u64::from(self.config.interval_minutes) * 60)
    }

    fn timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.config.timeout_seconds))
    }
}

fn http_url(field: &str, url: &str) -> anyhow::Result<()> {
    let parsed = url::Url::parse(url).with_context(|| format!("{field} '{url}' is not a URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        bail!("{field} '{url}' must be an http:// or https:// URL");
    }
    Ok(())
}

fn checked(
    config: &DirectorySyncConfig,
    secret_from_env: &dyn Fn(&str) -> anyhow::Result<String>,
) -> anyhow::Result<Option<ClientCredentials>> {
    http_url("url", &config.url)?;
    if config.interval_minutes == 0 {
        bail!("interval_minutes must be at least 1");
    }
    if config.max_deactivate_percent > 100 {
        bail!("max_deactivate_percent must be 0 to 100");
    }
    if !(1..=10_000).contains(&config.page_size) {
        bail!("page_size must be 1 to 10000");
    }
    if !(1..=600).contains(&config.timeout_seconds) {
        bail!("timeout_seconds must be 1 to 600");
    }
    match (
        &config.token_url,
        &config.client_id,
        &config.client_secret_env,
    ) {
        (None, None, None) => Ok(None),
        (Some(token_url), Some(client_id), Some(secret_env)) => {
            http_url("token_url", token_url)?;
            Ok(Some(ClientCredentials {
                token_url: token_url.clone(),
                client_id: client_id.clone(),
                client_secret: secret_from_env(secret_env)?,
            }))
        }
        _ => bail!("token_url, client_id and client_secret_env go together: all three or none"),
    }
}

/// The job runner's directory sync: every configured municipality, each at
/// its own interval, never two instances on one municipality at once.
pub struct DirectorySync {
    storage: Arc<dyn Storage>,
    sources: Vec<Source>,
    client: reqwest::Client,
    /// This instance's name on the leases it takes.
    owner: String,
    /// How long a claimed run is reserved. A run that is still reading
    /// when its lease ends writes nothing.
    lease: Duration,
    /// How often the runner looks for due municipalities.
    poll: Duration,
}

/// What one municipality's run came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRun {
    pub municipality: String,
    pub outcome: DirectorySyncOutcome,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct GraphqlAnswer {
    data: Option<serde_json::Value>,
    errors: Option<Vec<GraphqlError>>,
}

#[derive(Deserialize)]
struct GraphqlError {
    message: Option<String>,
}

#[derive(Deserialize)]
struct Paged<T> {
    objects: Vec<T>,
    page_info: Option<PageInfo>,
}

#[derive(Deserialize)]
struct PageInfo {
    next_cursor: Option<serde_json::Value>,
}

impl DirectorySync {
    /// Checks every section (municipality, URLs, secrets) so that a wrong
    /// configuration stops the start with its reason.
    pub async fn new(
        storage: Arc<dyn Storage>,
        configs: &[DirectorySyncConfig],
    ) -> anyhow::Result<Self> {
        Self::with_secrets(storage, configs, &crate::config::secret_from_env).await
    }

    /// Like [`new`](Self::new), with the secrets named by
    /// `client_secret_env` looked up by `secret` instead of the environment.
    pub async fn with_secrets(
        storage: Arc<dyn Storage>,
        configs: &[DirectorySyncConfig],
        secret: &dyn Fn(&str) -> anyhow::Result<String>,
    ) -> anyhow::Result<Self> {
        let organisations = storage.organisations().await?;
        let mut sources = Vec::new();
        let mut seen = HashSet::new();
        for config in configs {
            let section = format!(
                "[[directory_sync]] municipality = \"{}\"",
                config.municipality
            );
            let code = config
                .municipality
                .trim()
                .parse::<u16>()
                .ok()
                .and_then(|n| MunicipalityCode::new(n).ok())
                .with_context(|| format!("{section}: not a municipality code"))?;
            if !seen.insert(code) {
                bail!("{section}: the municipality has two directory_sync sections");
            }
            let org = organisations
                .iter()
                .find(|o| o.code == Some(code))
                .with_context(|| format!("{section}: there is no such municipality"))?;
            let credentials = checked(config, secret).with_context(|| section.clone())?;
            sources.push(Source {
                config: config.clone(),
                org: org.id,
                credentials,
                token: Mutex::new(None),
            });
        }
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("samspil/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("cannot make the HTTP client")?;
        Ok(DirectorySync {
            storage,
            sources,
            client,
            owner: format!(
                "{}-{}",
                std::process::id(),
                &samspil_auth::random_secret()[..12]
            ),
            lease: Duration::from_secs(15 * 60),
            poll: Duration::from_secs(30),
        })
    }

    /// A shorter lease, for tests of what happens when it runs out.
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// One round: every municipality whose run is due and free, as of
    /// `now` (injected, so that tests run a round at any time).
    pub async fn run_due(&self, now: OffsetDateTime) -> Vec<SyncRun> {
        let mut runs = Vec::new();
        for source in &self.sources {
            let claim = match self.claim(source, now, true).await {
                Ok(Some(claim)) => claim,
                Ok(None) => continue,
                Err(error) => {
                    tracing::warn!(municipality = %source.config.municipality, error = %format!("{error:#}"), "cannot claim the directory sync");
                    continue;
                }
            };
            match self.run_claimed(source, claim, now, false).await {
                Ok(run) => runs.push(run),
                Err(error) => {
                    tracing::warn!(municipality = %source.config.municipality, error = %format!("{error:#}"), "cannot record the directory sync")
                }
            }
        }
        runs
    }

    /// One run now for one municipality, whatever its schedule, unless
    /// another instance is running it. `allow_deactivations` lifts the
    /// safety net for this run, once a person has checked the source.
    pub async fn sync_now(
        &self,
        municipality: &str,
        now: OffsetDateTime,
        allow_deactivations: bool,
    ) -> anyhow::Result<DirectoryReport> {
        let source = self
            .sources
            .iter()
            .find(|s| s.config.municipality.trim() == municipality.trim())
            .with_context(|| {
                format!(
                    "the configuration has no [[directory_sync]] for municipality {municipality}"
                )
            })?;
        let claim = self.claim(source, now, false).await?.with_context(|| {
            format!("the directory of {municipality} is being synced right now elsewhere; try again later")
        })?;
        match self
            .run_claimed(source, claim, now, allow_deactivations)
            .await?
            .outcome
        {
            DirectorySyncOutcome::Ok(report) => Ok(report),
            DirectorySyncOutcome::Failed(message) => Err(anyhow::anyhow!(message)),
        }
    }

    async fn claim(
        &self,
        source: &Source,
        now: OffsetDateTime,
        due_only: bool,
    ) -> anyhow::Result<Option<DirectorySyncClaim>> {
        Ok(self
            .storage
            .claim_directory_sync(&source.access()?, now, self.lease, &self.owner, due_only)
            .await?)
    }

    async fn run_claimed(
        &self,
        source: &Source,
        claim: DirectorySyncClaim,
        now: OffsetDateTime,
        allow_deactivations: bool,
    ) -> anyhow::Result<SyncRun> {
        let started = Instant::now();
        let outcome = match self.sync(source, now, started, allow_deactivations).await {
            Ok(report) => DirectorySyncOutcome::Ok(report),
            Err(error) => DirectorySyncOutcome::Failed(format!("{error:#}")),
        };
        let elapsed = time::Duration::try_from(started.elapsed()).unwrap_or(time::Duration::ZERO);
        let finished_at = now + elapsed;
        let wait = match &outcome {
            DirectorySyncOutcome::Ok(report) => {
                tracing::info!(
                    municipality = %source.config.municipality,
                    created = report.users_created,
                    updated = report.users_updated,
                    deactivated = report.users_deactivated,
                    "directory synced"
                );
                source.interval()
            }
            DirectorySyncOutcome::Failed(message) => {
                let wait = directory_os2mo::retry_delay(claim.failures + 1, source.interval());
                tracing::warn!(
                    municipality = %source.config.municipality,
                    failures = claim.failures + 1,
                    retry_in_seconds = wait.as_secs(),
                    error = %message,
                    "directory sync failed; nothing was changed"
                );
                wait
            }
        };
        let next_run_at =
            finished_at + time::Duration::try_from(wait).unwrap_or(time::Duration::HOUR);
        self.storage
            .finish_directory_sync(
                &source.access()?,
                &FinishedDirectorySync {
                    owner: self.owner.clone(),
                    started_at: now,
                    finished_at,
                    outcome: outcome.clone(),
                    next_run_at,
                },
            )
            .await?;
        Ok(SyncRun {
            municipality: source.config.municipality.clone(),
            outcome,
        })
    }

    async fn sync(
        &self,
        source: &Source,
        now: OffsetDateTime,
        started: Instant,
        allow_deactivations: bool,
    ) -> anyhow::Result<DirectoryReport> {
        let day = now.date();
        let units: Vec<Os2moUnit> = self
            .read_all(source, ORG_UNITS_QUERY, "org_units", day)
            .await?;
        let employees: Vec<Os2moEmployee> = self
            .read_all(source, EMPLOYEES_QUERY, "employees", day)
            .await?;
        let snapshot = directory_os2mo::snapshot(&units, &employees, day).map_err(|e| {
            anyhow::anyhow!(
                "OS2mo's answer does not fit: {}: {}; nothing was changed",
                e.field,
                e.problem
            )
        })?;
        let access = source.access()?;
        let preview = self
            .storage
            .preview_directory_deactivations(&access, &snapshot)
            .await?;
        let max = source.config.max_deactivate_percent;
        if !allow_deactivations
            && directory_os2mo::too_many_leave(preview.active, preview.would_deactivate, max)
        {
            bail!(
                "refused: the answer would deactivate {} of the {} people from the directory, \
                 more than max_deactivate_percent = {max}; nothing was changed (if the source \
                 is right, run `samspil sync directory --municipality {} --allow-deactivations`)",
                preview.would_deactivate,
                preview.active,
                source.config.municipality
            );
        }
        // Past its lease another instance may have claimed the run; the
        // reading is then thrown away rather than written twice.
        if started.elapsed() >= self.lease {
            bail!(
                "reading the directory took longer than the lease ({} s); nothing was changed",
                self.lease.as_secs()
            );
        }
        match self.storage.import_directory(&access, &snapshot).await {
            Ok(report) => Ok(report),
            Err(StorageError::Invalid(invalid)) => Err(anyhow::anyhow!(
                "{}: {} (nothing was changed)",
                invalid.field,
                invalid.problem
            )),
            Err(other) => Err(other.into()),
        }
    }

    async fn bearer(&self, source: &Source) -> anyhow::Result<Option<String>> {
        let Some(credentials) = &source.credentials else {
            return Ok(None);
        };
        let mut cached = source.token.lock().await;
        if let Some((token, usable_until)) = cached.as_ref()
            && Instant::now() < *usable_until
        {
            return Ok(Some(token.clone()));
        }
        let response = self
            .client
            .post(&credentials.token_url)
            .timeout(source.timeout())
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", credentials.client_id.as_str()),
                ("client_secret", credentials.client_secret.as_str()),
            ])
            .send()
            .await
            .map_err(|e| {
                anyhow::anyhow!("token from {}: {}", credentials.token_url, describe(&e))
            })?;
        let status = response.status();
        if !status.is_success() {
            bail!(
                "token from {}: the server answered {status}",
                credentials.token_url
            );
        }
        let answer: TokenAnswer = response.json().await.map_err(|e| {
            anyhow::anyhow!(
                "token from {}: not a token answer: {e}",
                credentials.token_url
            )
        })?;
        // Renewed half a minute early, so that a page is never sent with a
        // token that expires on the way.
        let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(60).saturating_sub(30));
        *cached = Some((answer.access_token.clone(), Instant::now() + lifetime));
        Ok(Some(answer.access_token))
    }

    /// Every page of `field`, or the reason why not all of them came.
    async fn read_all<T: DeserializeOwned>(
        &self,
        source: &Source,
        query: &str,
        field: &str,
        day: time::Date,
    ) -> anyhow::Result<Vec<T>> {
        let mut all = Vec::new();
        let mut cursor = serde_json::Value::Null;
        let mut cursors_seen = HashSet::new();
        for page in 1..=MAX_PAGES {
            let where_ = format!("{field}, page {page}");
            let variables = serde_json::json!({
                "limit": source.config.page_size,
                "cursor": cursor,
                "from_date": day.to_string(),
                "to_date": day.next_day().unwrap_or(day).to_string(),
            });
            let mut request = self
                .client
                .post(&source.config.url)
                .timeout(source.timeout())
                .json(&serde_json::json!({ "query": query, "variables": variables }));
            if let Some(token) = self.bearer(source).await? {
                request = request.bearer_auth(token);
            }
            let response = request
                .send()
                .await
                .map_err(|e| anyhow::anyhow!("{where_}: {}", describe(&e)))?;
            let status = response.status();
            let body = response
                .text()
                .await
                .map_err(|e| anyhow::anyhow!("{where_}: {}", describe(&e)))?;
            if !status.is_success() {
                bail!("{where_}: OS2mo answered {status}");
            }
            let answer: GraphqlAnswer = serde_json::from_str(&body)
                .map_err(|e| anyhow::anyhow!("{where_}: the answer is not GraphQL JSON: {e}"))?;
            if let Some(errors) = answer.errors.filter(|errors| !errors.is_empty()) {
                let messages: Vec<String> = errors
                    .into_iter()
                    .map(|e| e.message.unwrap_or_else(|| "(no message)".to_owned()))
                    .collect();
                bail!(
                    "{where_}: OS2mo answered with errors: {}",
                    messages.join("; ")
                );
            }
            let mut data = answer
                .data
                .filter(|data| !data.is_null())
                .with_context(|| format!("{where_}: OS2mo answered without data"))?;
            let paged = data
                .get_mut(field)
                .map(serde_json::Value::take)
                .filter(|value| !value.is_null())
                .with_context(|| format!("{where_}: the answer has no {field}"))?;
            let paged: Paged<T> = serde_json::from_value(paged).map_err(|e| {
                anyhow::anyhow!("{where_}: the answer does not have the expected shape: {e}")
            })?;
            all.extend(paged.objects);
            // Without page_info the answer cannot say whether it is all.
            let page_info = paged
                .page_info
                .with_context(|| format!("{where_}: the answer has no page_info"))?;
            match page_info.next_cursor {
                None | Some(serde_json::Value::Null) => return Ok(all),
                Some(next) => {
                    if !cursors_seen.insert(next.to_string()) {
                        bail!("{where_}: OS2mo gave the same next_cursor twice");
                    }
                    cursor = next;
                }
            }
        }
        bail!("{field}: more than {MAX_PAGES} pages; is page_size too small?")
    }

    /// Runs until the task is aborted.
    pub async fn run(self) {
        if self.sources.is_empty() {
            return;
        }
        tracing::info!(
            municipalities = self.sources.len(),
            "directory sync scheduled"
        );
        let mut ticks = tokio::time::interval(self.poll);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            self.run_due(samspil_storage::now()).await;
        }
    }
}

/// A transport error in words: timeouts and refused connections say so.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "no answer in time (timeout)".to_owned()
    } else if error.is_connect() {
        format!("cannot connect: {error}")
    } else {
        error.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> DirectorySyncConfig {
        toml::from_str(&format!(
            "municipality = \"751\"\nurl = \"https://os2mo.aarhus.example/graphql/v22\"\n{extra}"
        ))
        .expect("parses")
    }

    fn no_env(name: &str) -> anyhow::Result<String> {
        bail!("the environment variable {name} is not set")
    }

    #[test]
    fn defaults_and_checks() {
        let plain = config("");
        assert_eq!(
            (
                plain.interval_minutes,
                plain.max_deactivate_percent,
                plain.page_size
            ),
            (60, 20, 500)
        );
        assert!(checked(&plain, &no_env).expect("valid").is_none());
        let half = config("token_url = \"https://kc.example/token\"\nclient_id = \"samspil\"");
        assert!(checked(&half, &no_env).is_err(), "credentials go together");
        let full = config(
            "token_url = \"https://kc.example/token\"\nclient_id = \"samspil\"\nclient_secret_env = \"X\"",
        );
        let error = checked(&full, &no_env).expect_err("secret missing");
        assert!(error.to_string().contains('X'), "{error}");
        let found = checked(&full, &|_| Ok("s3cret".to_owned()))
            .expect("valid")
            .expect("credentials");
        assert_eq!(found.client_secret, "s3cret");
        assert!(checked(&config("max_deactivate_percent = 101"), &no_env).is_err());
        assert!(checked(&config("interval_minutes = 0"), &no_env).is_err());
        let ftp = DirectorySyncConfig {
            url: "ftp://os2mo".to_owned(),
            ..plain
        };
        assert!(checked(&ftp, &no_env).is_err());
        assert!(
            toml::from_str::<DirectorySyncConfig>("municipality = \"751\"\nurl = \"x\"\nurll = 1")
                .is_err(),
            "unknown keys are refused"
        );
    }
}
