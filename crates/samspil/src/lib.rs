//! The samspil program: opening storage, loading demo data, serving.
//!
//! `main.rs` holds only the command line; everything it does is here so
//! that the integration tests drive the same code.

pub mod api_tokens;
pub mod config;
pub mod demo;
pub mod directory_import;
pub mod directory_sync;
pub mod kle_import;
pub mod oidc_config;
pub mod outbox;
pub mod population_import;
pub mod saml_config;
pub mod systems;
pub mod text_table;
pub mod tools_messages;
pub mod tools_solutions;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use samspil_citizen_sql::postgres::PostgresCitizenStore;
use samspil_citizen_sql::sqlite::SqliteCitizenStore;
use samspil_citizen_storage::CitizenStore;
use samspil_coordination_sql::postgres::PostgresCoordinationStore;
use samspil_coordination_sql::sqlite::SqliteCoordinationStore;
use samspil_coordination_storage::CoordinationStorage;
use samspil_domain::Principal;
use samspil_sql::postgres::PostgresStorage;
use samspil_sql::sqlite::SqliteStorage;
use samspil_storage::Storage;
use samspil_tools_sql::postgres::PostgresToolsStore;
use samspil_tools_sql::sqlite::SqliteToolsStore;
use samspil_tools_storage::ToolsStorage;
use samspil_web::WebConfig;
use tokio::net::TcpListener;

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://samspil.db";

/// The stores of the main database, on one pool: the platform's,
/// coordination's and the tools' (their tables live beside the
/// platform's). Each router gets only its own; the jobs, the demo and the
/// tests get what they use.
#[derive(Clone)]
pub struct Stores {
    pub platform: Arc<dyn Storage>,
    pub coordination: Arc<dyn CoordinationStorage>,
    pub tools: Arc<dyn ToolsStorage>,
}

/// Opens the database a URL names: `sqlite://FILE` or `postgres://…`.
/// The platform store runs coordination's and the tools' migrations with
/// its own, as one history.
pub async fn open_storage(url: &str) -> anyhow::Result<Stores> {
    let shown = redact(url);
    if url.starts_with("sqlite:") {
        let platform = SqliteStorage::connect(url)
            .await
            .with_context(|| format!("cannot open the SQLite database {shown}"))?
            .with_context_migrations(&[
                &samspil_coordination_sql::sqlite::MIGRATIONS,
                &samspil_tools_sql::sqlite::MIGRATIONS,
            ]);
        let coordination = SqliteCoordinationStore::new(platform.pool().clone());
        let tools = SqliteToolsStore::new(platform.pool().clone());
        Ok(Stores {
            platform: Arc::new(platform),
            coordination: Arc::new(coordination),
            tools: Arc::new(tools),
        })
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let platform = PostgresStorage::connect(url)
            .await
            .with_context(|| format!("cannot connect to the database at {shown}"))?
            .with_context_migrations(&[
                &samspil_coordination_sql::postgres::MIGRATIONS,
                &samspil_tools_sql::postgres::MIGRATIONS,
            ]);
        let coordination = PostgresCoordinationStore::new(platform.pool().clone());
        let tools = PostgresToolsStore::new(platform.pool().clone());
        Ok(Stores {
            platform: Arc::new(platform),
            coordination: Arc::new(coordination),
            tools: Arc::new(tools),
        })
    } else {
        bail!(
            "unsupported database URL '{shown}': use sqlite://FILE or postgres://USER@HOST/DATABASE"
        );
    }
}

/// Migrates the schema and brings the reference organisations (the
/// community, KL, the 98 municipalities) up to date. Safe to run at every
/// start.
pub async fn prepare(storage: &dyn Storage) -> anyhow::Result<()> {
    storage
        .migrate()
        .await
        .context("cannot migrate the database")?;
    let report = storage
        .sync_reference_organisations(
            &samspil_domain::org::reference_organisations(),
            &Principal::operator().actor(),
        )
        .await
        .context("cannot update the reference organisations")?;
    if report.created + report.updated > 0 {
        tracing::info!(
            created = report.created,
            updated = report.updated,
            "reference organisations updated"
        );
    }
    Ok(())
}

/// Where the citizen store is, when not where it goes by default.
#[derive(Debug, Clone, Default)]
pub struct CitizenDatabase {
    /// The citizen store's own URL (`--citizen-database-url`); by default
    /// it follows the main database (see [`citizen_database_url`]).
    pub url: Option<String>,
    /// A PostgreSQL read replica of the citizen store
    /// (`--citizen-replica-url`): opened and pinged; the overview's reads
    /// will use it.
    pub replica_url: Option<String>,
    /// The secret parties' CPR numbers are digested and sealed under
    /// (`--citizen-key`, `SAMSPIL_CITIZEN_KEY`; at least 32 characters).
    /// Without it, the development key (`serve` warns).
    pub sealing_key: Option<String>,
}

/// The citizen store's default URL for a main database URL: on SQLite a
/// file of its own beside the main one (`samspil.db` →
/// `samspil-citizen.db`, same directory, same query options), an
/// in-memory database of its own for an in-memory main one; on PostgreSQL
/// the same database (the store is its own schema `citizen` there).
pub fn citizen_database_url(main_url: &str) -> String {
    let Some(rest) = main_url.strip_prefix("sqlite:") else {
        return main_url.to_owned();
    };
    let (slashes, rest) = match rest.strip_prefix("//") {
        Some(rest) => ("//", rest),
        None => ("", rest),
    };
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    let in_memory = path.is_empty()
        || path == ":memory:"
        || query.is_some_and(|q| q.split('&').any(|option| option == "mode=memory"));
    if in_memory {
        // sqlx gives every `sqlite::memory:` pool a database of its own.
        return "sqlite::memory:".to_owned();
    }
    let (directory, file) = match path.rfind('/') {
        Some(slash) => path.split_at(slash + 1),
        None => ("", path),
    };
    let file = match file.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => format!("{stem}-citizen.{extension}"),
        _ => format!("{file}-citizen"),
    };
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    format!("sqlite:{slashes}{directory}{file}{query}")
}

/// Opens the citizen store: at `citizen.url` if given, otherwise where
/// [`citizen_database_url`] puts it for the main database at `main_url`.
pub async fn open_citizen_storage(
    main_url: &str,
    citizen: &CitizenDatabase,
) -> anyhow::Result<Arc<dyn CitizenStore>> {
    let url = match &citizen.url {
        Some(url) if !url.is_empty() => url.clone(),
        _ => citizen_database_url(main_url),
    };
    let replica = citizen.replica_url.as_deref().filter(|url| !url.is_empty());
    let key = match citizen.sealing_key.as_deref().filter(|key| !key.is_empty()) {
        Some(secret) => samspil_auth::sealing::SealingKey::from_secret(secret)
            .map_err(|weak| anyhow::anyhow!("--citizen-key: {weak}"))?,
        None => samspil_citizen_sql::development_key(),
    };
    let shown = redact(&url);
    let store: Arc<dyn CitizenStore> = if url.starts_with("sqlite:") {
        if let Some(replica) = replica {
            bail!(
                "a read replica ({}) is for a citizen store on PostgreSQL; the citizen store is the SQLite database {shown}",
                redact(replica)
            );
        }
        Arc::new(
            SqliteCitizenStore::connect(&url)
                .await
                .with_context(|| format!("cannot open the citizen database {shown}"))?
                .with_sealing_key(key),
        )
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        if let Some(replica) = replica
            && !(replica.starts_with("postgres://") || replica.starts_with("postgresql://"))
        {
            bail!(
                "unsupported citizen replica URL '{}': use postgres://USER@HOST/DATABASE",
                redact(replica)
            );
        }
        Arc::new(
            PostgresCitizenStore::connect(&url, replica)
                .await
                .with_context(|| {
                    format!("cannot connect to the citizen database at {shown} (or its replica)")
                })?
                .with_sealing_key(key),
        )
    } else {
        bail!(
            "unsupported citizen database URL '{shown}': use sqlite://FILE or postgres://USER@HOST/DATABASE"
        );
    };
    Ok(store)
}

/// Migrates the citizen store (its own history) and checks that it (and
/// its replica) answers. Safe to run at every start.
pub async fn prepare_citizen(citizen: &dyn CitizenStore) -> anyhow::Result<()> {
    citizen
        .migrate()
        .await
        .context("cannot migrate the citizen database")?;
    citizen
        .ping()
        .await
        .context("the citizen database does not answer")?;
    Ok(())
}

/// The whole application: the shell with the coordination, citizen and
/// tools contexts mounted, each router with only its own store.
pub fn app(stores: &Stores, citizen: Arc<dyn CitizenStore>, config: WebConfig) -> axum::Router {
    samspil_web::app_with(stores.platform.clone(), config, contexts(stores, citizen))
}

/// The contexts as the shell mounts them.
fn contexts(stores: &Stores, citizen: Arc<dyn CitizenStore>) -> Vec<samspil_web::Context> {
    vec![
        samspil_coordination_web::context(
            stores.coordination.clone(),
            Arc::new(tools_messages::ToolsIncidents::new(stores)),
            Arc::new(tools_messages::ToolsIncidents::new(stores)),
        ),
        samspil_citizen_web::context(citizen),
        samspil_tools_web::context(stores.tools.clone(), {
            let coordination = Arc::new(tools_solutions::CoordinationSolutions::new(stores));
            samspil_tools_web::FromCoordination {
                solutions: coordination.clone(),
                roles: coordination,
                messages: Arc::new(tools_messages::CoordinationMessages::new(stores)),
            }
        }),
    ]
}

/// Every page route the application serves, the shell's and each
/// context's under its mount, as declared: the isolation suite's
/// inventory.
pub fn page_inventory() -> Vec<(axum::http::Method, String)> {
    let mut routes: Vec<_> = samspil_web::routes::page_inventory()
        .into_iter()
        .map(|(method, path)| (method, path.to_owned()))
        .collect();
    let contexts = [
        ("", samspil_coordination_web::inventory()),
        (samspil_citizen_web::MOUNT, samspil_citizen_web::inventory()),
        (samspil_tools_web::MOUNT, samspil_tools_web::inventory()),
    ];
    for (mount, inventory) in contexts {
        routes.extend(
            inventory
                .into_iter()
                .map(|(method, path)| (method, format!("{mount}{path}"))),
        );
    }
    routes
}

/// Binds the listener first, so that a taken port is reported before
/// anything else happens.
pub async fn bind(listen: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))
}

/// How samspil's HTTP server treats its connections.
#[derive(Debug, Clone, Copy)]
pub struct HttpOptions {
    /// How long a connection may take to send a request's headers, and
    /// sit idle between requests, before it is closed. Without it a client
    /// that never finishes its headers holds a connection (and a file
    /// descriptor) for ever, and a few hundred of them stop the server.
    pub header_read_timeout: Duration,
}

impl HttpOptions {
    /// Headers arrive in milliseconds even on a slow mobile link; a
    /// browser whose idle connection is closed simply opens a new one.
    pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            header_read_timeout: Self::DEFAULT_HEADER_READ_TIMEOUT,
        }
    }
}

/// Serves until SIGINT or SIGTERM. Expired sessions are swept hourly; the
/// citizen index's retention job runs at the start and then daily.
pub async fn serve(
    listener: TcpListener,
    stores: Stores,
    citizen: Arc<dyn CitizenStore>,
    config: WebConfig,
    http: HttpOptions,
) -> anyhow::Result<()> {
    let sweeper = tokio::spawn(sweep_sessions(stores.platform.clone()));
    let retention = tokio::spawn(apply_retention_daily(citizen.clone()));
    let app = app(&stores, citizen, config);
    serve_http(listener, app, http, shutdown_signal()).await;
    sweeper.abort();
    retention.abort();
    Ok(())
}

/// Serves `app` on `listener` until `shutdown` completes, then stops
/// accepting and lets the requests in progress finish. Every request
/// carries its TCP peer (`ConnectInfo<SocketAddr>`), which the login
/// throttle counts by.
///
/// `axum::serve` cannot set hyper's header read timeout (it gives hyper no
/// timer), so the connections are served here, as axum does it otherwise.
/// `samspil serve` and the integration tests both serve through this.
pub async fn serve_http(
    listener: TcpListener,
    app: axum::Router,
    options: HttpOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    // Dropping `stop` tells every connection to finish; each holds a
    // `finished` receiver, so `finished_tx.closed()` waits for them all.
    let (stop, stopping) = tokio::sync::watch::channel(());
    let (finished_tx, finished) = tokio::sync::watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset while
                    // queued: keep serving the connections there are.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = tower::ServiceExt::map_request(
            app.clone(),
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                request
            },
        );
        let mut stopping = stopping.clone();
        let finished = finished.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(options.header_read_timeout);
            let connection = builder.serve_connection(
                hyper_util::rt::TokioIo::new(stream),
                hyper_util::service::TowerToHyperService::new(service),
            );
            let mut connection = std::pin::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = result {
                // Timeouts and clients that went away: nothing to act on.
                tracing::debug!(%error, %peer, "connection ended");
            }
            drop(finished);
        });
    }
    drop(listener);
    drop(stop);
    drop(finished);
    finished_tx.closed().await;
}

/// The retention job (`samspil index retention`) once a day: a case's
/// deletion day is a day, so a daily run deletes each on its day or the
/// day after a restart.
async fn apply_retention_daily(citizen: Arc<dyn CitizenStore>) {
    let mut every_day = tokio::time::interval(Duration::from_secs(24 * 3600));
    loop {
        every_day.tick().await;
        let today = time::OffsetDateTime::now_utc().date();
        match citizen.apply_retention(today, false).await {
            Ok(report) if report.removed.cases > 0 => tracing::info!(
                deleted = report.removed.cases,
                closed = report.closed,
                "closed cases past their deletion period deleted"
            ),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "the retention job could not run"),
        }
    }
}

async fn sweep_sessions(storage: Arc<dyn Storage>) {
    let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        match storage.delete_expired_sessions().await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "expired sessions removed"),
            Err(error) => tracing::warn!(%error, "could not remove expired sessions"),
        }
        match storage.delete_expired_pending_logins().await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "expired pending logins removed"),
            Err(error) => tracing::warn!(%error, "could not remove expired pending logins"),
        }
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Issues a bearer token for a user that lasts until revoked, and
/// returns it (shown once, stored only as a digest).
pub async fn create_token(
    storage: &dyn Storage,
    login: &str,
    label: &str,
) -> anyhow::Result<String> {
    api_tokens::create(storage, login, label, None).await
}

/// The operator's reset of a person's second factor (a lost phone): their
/// next password login asks them to enrol again if they must have one.
/// Whether there was one to remove.
pub async fn remove_second_factor(storage: &dyn Storage, login: &str) -> anyhow::Result<bool> {
    let login = samspil_domain::Login::parse(login).map_err(|e| anyhow::anyhow!("{e}"))?;
    let credentials = storage
        .credentials(&login)
        .await?
        .with_context(|| format!("there is no user with the login '{login}'"))?;
    Ok(storage
        .remove_totp(credentials.user.id, None, &Principal::operator().actor())
        .await?)
}

/// The URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _password)) => {
                    format!("{}://{user}:***{}", &url[..scheme_end], &url[at..])
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{citizen_database_url, redact};

    #[test]
    fn the_citizen_database_goes_beside_the_main_one() {
        for (main, citizen) in [
            ("sqlite://samspil.db", "sqlite://samspil-citizen.db"),
            ("sqlite:samspil.db", "sqlite:samspil-citizen.db"),
            (
                "sqlite:///var/lib/samspil/samspil.db?mode=rwc",
                "sqlite:///var/lib/samspil/samspil-citizen.db?mode=rwc",
            ),
            ("sqlite://./data.v2/main", "sqlite://./data.v2/main-citizen"),
            ("sqlite://dir/.hidden", "sqlite://dir/.hidden-citizen"),
            ("sqlite::memory:", "sqlite::memory:"),
            ("sqlite://:memory:", "sqlite::memory:"),
            ("sqlite://file.db?mode=memory", "sqlite::memory:"),
            ("postgres://app@db/samspil", "postgres://app@db/samspil"),
        ] {
            assert_eq!(citizen_database_url(main), citizen, "{main}");
        }
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://app:hemmelig@db/samspil"),
            "postgres://app:***@db/samspil"
        );
        assert_eq!(
            redact("postgres://app@db/samspil"),
            "postgres://app@db/samspil"
        );
        assert_eq!(redact("sqlite://samspil.db"), "sqlite://samspil.db");
    }
}
