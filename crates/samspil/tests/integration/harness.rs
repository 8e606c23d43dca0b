//! Starting samspil for a test, and talking to it like a browser or an API
//! client would.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use samspil::HttpOptions;
use samspil::demo::{self, DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoScope};
use samspil_citizen_storage::CitizenStore;
use samspil_coordination_storage::CoordinationStorage;
use samspil_storage::Storage;
use samspil_web::WebConfig;

/// The municipalities the tests populate: København, Odense, Aarhus.
pub const TEST_MUNICIPALITIES: [u16; 3] = [101, 461, 751];

pub struct TestApp {
    pub address: SocketAddr,
    /// The platform's store.
    pub storage: Arc<dyn Storage>,
    /// Coordination's store, on the same database.
    pub coordination: Arc<dyn CoordinationStorage>,
    /// The tools' store, on the same database.
    pub tools: Arc<dyn samspil_tools_storage::ToolsStorage>,
    /// The citizen store: on SQLite the test's own file beside its main
    /// database, on PostgreSQL the schema `citizen` of the test's database.
    pub citizen: Arc<dyn CitizenStore>,
    pub database_url: String,
    _database: TestDatabase,
}

/// A database of the test's own, removed when the test ends.
pub enum TestDatabase {
    Sqlite { _dir: TempDir },
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self {
            let admin_url = admin_url.clone();
            let name = name.clone();
            // Drop runs inside the test's runtime; do the async clean-up on
            // a thread with a runtime of its own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(async {
                        use sqlx::Connection;
                        if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                            let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                            let _ = sqlx::query(sqlx::AssertSqlSafe(drop))
                                .execute(&mut conn)
                                .await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

/// A temporary directory removed on drop (std has none; keep dependencies few).
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "samspil-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&path).expect("can create a temporary directory");
        TempDir(path)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn postgres_admin_url() -> Option<String> {
    std::env::var("SAMSPIL_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// How much a test's database holds when the test starts. Each level is
/// the one before it plus one demo load, made once per test process into a
/// template (see [`fresh_database`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// Migrated, with the reference organisations (`samspil::prepare`).
    Prepared,
    /// And the demo people of [`TEST_MUNICIPALITIES`].
    People,
    /// And the demo tasks of June 2023.
    Tasks,
    /// And the demo role gallery.
    Roles,
}

impl Level {
    const COUNT: usize = 4;

    fn index(self) -> usize {
        self as usize
    }

    fn previous(self) -> Option<Level> {
        match self {
            Level::Prepared => None,
            Level::People => Some(Level::Prepared),
            Level::Tasks => Some(Level::People),
            Level::Roles => Some(Level::Tasks),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Level::Prepared => "prepared",
            Level::People => "people",
            Level::Tasks => "tasks",
            Level::Roles => "roles",
        }
    }

    /// Brings a database at the previous level (or an empty one) to this
    /// level, as the harness did in every test before the templates.
    async fn load(self, stores: &samspil::Stores) {
        match self {
            Level::Prepared => samspil::prepare(stores.platform.as_ref())
                .await
                .expect("database migrates"),
            Level::People => {
                demo::load(
                    stores.platform.as_ref(),
                    DemoScope::Municipalities(&TEST_MUNICIPALITIES),
                )
                .await
                .expect("demo data loads");
            }
            Level::Tasks => {
                demo::tasks::load(stores).await.expect("demo tasks load");
            }
            Level::Roles => {
                demo::roles::load(stores)
                    .await
                    .expect("demo role gallery loads");
            }
        }
    }
}

/// Runs `work` to completion on a thread with a runtime of its own, so
/// that nothing it opens (pools, their maintenance tasks, connections)
/// outlives it, whichever test's runtime asked for it.
fn on_own_runtime<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime starts")
            .block_on(work)
    })
    .join()
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// A database of the test's own at `level`, and its URL: a copy of the
/// level's template, which is made once per test process (the first test
/// that needs it makes it; the others wait for it).
async fn fresh_database(level: Level) -> (String, TestDatabase) {
    match postgres_admin_url() {
        Some(admin_url) => {
            use sqlx::Connection;
            let template = PostgresTemplates::get(&admin_url).template(level);
            let name = test_database_name();
            let mut conn = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("SAMSPIL_TEST_POSTGRES_URL answers");
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
            )))
            .execute(&mut conn)
            .await
            .expect("can create a test database from the template");
            let _ = conn.close().await;
            (
                postgres_url(&admin_url, &name),
                TestDatabase::Postgres { admin_url, name },
            )
        }
        None => {
            let dir = TempDir::new();
            let file = dir.path().join("samspil.db");
            std::fs::write(&file, sqlite_template(level)).expect("can copy the template database");
            let url = format!("sqlite://{}", file.display());
            // The citizen store is a file of its own beside it, where
            // samspil looks for it: a copy of its own template.
            let citizen_url = samspil::citizen_database_url(&url);
            let citizen_file = citizen_url
                .strip_prefix("sqlite://")
                .expect("the citizen database is a file beside the main one");
            std::fs::write(citizen_file, sqlite_citizen_template())
                .expect("can copy the citizen template database");
            (url, TestDatabase::Sqlite { _dir: dir })
        }
    }
}

/// A name for a test's database, unique in this process.
fn test_database_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "samspil_test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// A database of the test's own with nothing in it, not even migrated (for
/// the tests of migrating itself), and its URL.
pub async fn empty_database() -> (String, TestDatabase) {
    match postgres_admin_url() {
        Some(admin_url) => {
            use sqlx::Connection;
            let name = test_database_name();
            let mut conn = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("SAMSPIL_TEST_POSTGRES_URL answers");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                .execute(&mut conn)
                .await
                .expect("can create a test database");
            let _ = conn.close().await;
            (
                postgres_url(&admin_url, &name),
                TestDatabase::Postgres { admin_url, name },
            )
        }
        None => {
            let dir = TempDir::new();
            let url = format!("sqlite://{}", dir.path().join("samspil.db").display());
            (url, TestDatabase::Sqlite { _dir: dir })
        }
    }
}

fn postgres_url(admin_url: &str, database: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("SAMSPIL_TEST_POSTGRES_URL is a URL");
    url.set_path(database);
    url.to_string()
}

/// The SQLite template of `level`: the bytes of a complete database file,
/// kept in memory (a few MB), so that no template file is left behind
/// when the test process ends. Each test writes them into its own
/// temporary directory.
fn sqlite_template(level: Level) -> &'static [u8] {
    static TEMPLATES: [OnceLock<Vec<u8>>; Level::COUNT] = [const { OnceLock::new() }; Level::COUNT];
    TEMPLATES[level.index()].get_or_init(|| {
        let base = level.previous().map(sqlite_template);
        on_own_runtime(async move {
            use sqlx::Connection;
            let dir = TempDir::new();
            let work = dir.path().join("work.db");
            if let Some(base) = base {
                std::fs::write(&work, base).expect("can copy the template database");
            }
            let url = format!("sqlite://{}", work.display());
            let storage = samspil::open_storage(&url).await.expect("database opens");
            level.load(&storage).await;
            drop(storage);
            // VACUUM INTO writes a complete, self-contained copy from a
            // consistent snapshot (the WAL included), whether or not the
            // pool's connections have finished closing.
            let copy = dir.path().join("template.db");
            let mut conn = sqlx::SqliteConnection::connect(&url)
                .await
                .expect("template database opens");
            sqlx::query("VACUUM INTO ?")
                .bind(copy.display().to_string())
                .execute(&mut conn)
                .await
                .expect("template database copies");
            conn.close().await.expect("template database closes");
            std::fs::read(&copy).expect("template database reads")
        })
    })
}

/// The SQLite template of the citizen store: migrated (its own history),
/// the same for every level (the demo loads nothing into it yet). Made
/// once per test process like [`sqlite_template`].
fn sqlite_citizen_template() -> &'static [u8] {
    static TEMPLATE: OnceLock<Vec<u8>> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        on_own_runtime(async move {
            use sqlx::Connection;
            let dir = TempDir::new();
            let main_url = format!("sqlite://{}", dir.path().join("work.db").display());
            let citizen = samspil::open_citizen_storage(&main_url, &Default::default())
                .await
                .expect("citizen database opens");
            samspil::prepare_citizen(citizen.as_ref())
                .await
                .expect("citizen database migrates");
            drop(citizen);
            let copy = dir.path().join("citizen-template.db");
            let mut conn =
                sqlx::SqliteConnection::connect(&samspil::citizen_database_url(&main_url))
                    .await
                    .expect("citizen template database opens");
            sqlx::query("VACUUM INTO ?")
                .bind(copy.display().to_string())
                .execute(&mut conn)
                .await
                .expect("citizen template database copies");
            conn.close()
                .await
                .expect("citizen template database closes");
            std::fs::read(&copy).expect("citizen template database reads")
        })
    })
}

/// This process's PostgreSQL templates, one database per level, named
/// `samspil_template_{key}_{pid}_{level}`.
///
/// Per process, not shared between runs: a template's contents depend on
/// the migrations *and* on the demo code and the reference organisations
/// compiled into this test binary, so a name derived from the migrations
/// alone could hand a run a stale template, and parallel test processes
/// (other worktrees, other builds) on the same server must never touch each
/// other's. The test harness has no hook at the end of the process, so
/// instead each process holds a session-level advisory lock on its random
/// `key` for its whole life (on a connection of its own, released when the
/// process ends, however it ends), and a new process drops every template
/// whose key nobody holds any longer.
struct PostgresTemplates {
    admin_url: String,
    key: u32,
    levels: [OnceLock<String>; Level::COUNT],
}

/// The advisory lock class of the templates' keys ("SMSP").
const TEMPLATE_LOCK_CLASS: i32 = 0x534d_5350;
const TEMPLATE_PREFIX: &str = "samspil_template_";

impl PostgresTemplates {
    fn get(admin_url: &str) -> &'static PostgresTemplates {
        static TEMPLATES: OnceLock<PostgresTemplates> = OnceLock::new();
        TEMPLATES.get_or_init(|| {
            use std::hash::{BuildHasher, Hasher};
            // std's randomly seeded hasher: a random key without a crate.
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u32(std::process::id());
            let key = hasher.finish() as u32;
            hold_template_lock(admin_url.to_owned(), key);
            PostgresTemplates {
                admin_url: admin_url.to_owned(),
                key,
                levels: [const { OnceLock::new() }; Level::COUNT],
            }
        })
    }

    fn template(&'static self, level: Level) -> &'static str {
        self.levels[level.index()].get_or_init(|| {
            let base = level.previous().map(|previous| self.template(previous));
            let name = format!(
                "{TEMPLATE_PREFIX}{:08x}_{}_{}",
                self.key,
                std::process::id(),
                level.name()
            );
            let admin_url = self.admin_url.clone();
            on_own_runtime(build_postgres_template(
                admin_url,
                name.clone(),
                base,
                level,
            ));
            name
        })
    }
}

async fn build_postgres_template(
    admin_url: String,
    name: String,
    base: Option<&'static str>,
    level: Level,
) {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("SAMSPIL_TEST_POSTGRES_URL answers");
    let run = async |conn: &mut sqlx::PgConnection, sql: String| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .expect("the template statement succeeds");
    };
    // A database with this key can only be a dead process's: we hold the key.
    run(
        &mut admin,
        format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    )
    .await;
    run(
        &mut admin,
        match base {
            Some(base) => format!("CREATE DATABASE \"{name}\" TEMPLATE \"{base}\""),
            None => format!("CREATE DATABASE \"{name}\""),
        },
    )
    .await;
    let url = postgres_url(&admin_url, &name);
    let storage = samspil::open_storage(&url).await.expect("database opens");
    level.load(&storage).await;
    drop(storage);
    if base.is_none() {
        // The citizen store is the schema `citizen` of the same database,
        // so every copy of the template has its own.
        let citizen = samspil::open_citizen_storage(&url, &Default::default())
            .await
            .expect("citizen database opens");
        samspil::prepare_citizen(citizen.as_ref())
            .await
            .expect("citizen database migrates");
        drop(citizen);
    }
    // PostgreSQL copies no database that has connections. The pool's are
    // closing; make sure none is left or comes back.
    run(
        &mut admin,
        format!("ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false"),
    )
    .await;
    sqlx::query("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1")
        .bind(&name)
        .execute(&mut admin)
        .await
        .expect("the template's connections end");
    let _ = admin.close().await;
}

/// Takes this process's template lock on a connection kept open on a
/// thread of its own until the process ends, then drops the templates of
/// processes that have ended.
fn hold_template_lock(admin_url: String, key: u32) {
    let (ready, held) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime starts");
        runtime.block_on(async move {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("SAMSPIL_TEST_POSTGRES_URL answers");
            sqlx::query("SELECT pg_advisory_lock($1, $2)")
                .bind(TEMPLATE_LOCK_CLASS)
                .bind(key as i32)
                .execute(&mut conn)
                .await
                .expect("the template lock is taken");
            drop_orphaned_templates(&mut conn, key).await;
            let _ = ready.send(());
            // Hold the connection, and with it the lock, until the process ends.
            std::future::pending::<()>().await;
            drop(conn);
        });
    });
    held.recv().expect("the template lock is held");
}

async fn drop_orphaned_templates(conn: &mut sqlx::PgConnection, own_key: u32) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE starts_with(datname, $1)")
            .bind(TEMPLATE_PREFIX)
            .fetch_all(&mut *conn)
            .await
            .expect("the server lists its databases");
    for name in names {
        let Some(key) = name
            .strip_prefix(TEMPLATE_PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|key| u32::from_str_radix(key, 16).ok())
            .filter(|key| *key != own_key)
        else {
            continue;
        };
        let orphaned: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
            .bind(TEMPLATE_LOCK_CLASS)
            .bind(key as i32)
            .fetch_one(&mut *conn)
            .await
            .expect("the server answers");
        if orphaned {
            let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            let _ = sqlx::query(sqlx::AssertSqlSafe(drop))
                .execute(&mut *conn)
                .await;
            let _ = sqlx::query("SELECT pg_advisory_unlock($1, $2)")
                .bind(TEMPLATE_LOCK_CLASS)
                .bind(key as i32)
                .execute(&mut *conn)
                .await;
        }
    }
}

impl TestApp {
    /// samspil with the reference organisations and demo people in
    /// [`TEST_MUNICIPALITIES`].
    pub async fn start() -> Self {
        Self::start_with(WebConfig::default()).await
    }

    pub async fn start_with(config: WebConfig) -> Self {
        Self::start_at(
            Level::People,
            Self::bind().await,
            config,
            HttpOptions::default(),
        )
        .await
    }

    /// samspil with demo people and the demo tasks of June 2023.
    pub async fn start_with_tasks() -> Self {
        Self::start_at(
            Level::Tasks,
            Self::bind().await,
            WebConfig::default(),
            HttpOptions::default(),
        )
        .await
    }

    /// samspil with demo people, the demo tasks and the demo role gallery.
    pub async fn start_with_roles() -> Self {
        Self::start_at(
            Level::Roles,
            Self::bind().await,
            WebConfig::default(),
            HttpOptions::default(),
        )
        .await
    }

    /// samspil with only the reference organisations.
    #[allow(
        dead_code,
        reason = "no test starts without demo people today; kept beside the other starts"
    )]
    pub async fn start_empty(config: WebConfig) -> Self {
        Self::start_at(
            Level::Prepared,
            Self::bind().await,
            config,
            HttpOptions::default(),
        )
        .await
    }

    /// samspil with only the reference organisations, its connections
    /// served with these options.
    pub async fn start_serving(config: WebConfig, http: HttpOptions) -> Self {
        Self::start_at(Level::Prepared, Self::bind().await, config, http).await
    }

    /// samspil's port before samspil starts, for a configuration that
    /// needs samspil's own address (an identity provider's callback).
    pub async fn bind() -> BoundPort {
        let listener = samspil::bind("127.0.0.1:0".parse().expect("valid address"))
            .await
            .expect("can bind a port");
        let address = listener.local_addr().expect("bound address");
        BoundPort { listener, address }
    }

    /// [`TestApp::start_with`] on a port bound before.
    pub async fn start_bound(port: BoundPort, config: WebConfig) -> Self {
        Self::start_at(Level::People, port, config, HttpOptions::default()).await
    }

    /// samspil on a database of its own, a copy of the template at `level`
    /// (migrated and prepared by `samspil::prepare`, plus that level's
    /// demo data).
    async fn start_at(level: Level, port: BoundPort, config: WebConfig, http: HttpOptions) -> Self {
        let BoundPort { listener, address } = port;
        let (database_url, database) = fresh_database(level).await;
        let stores = samspil::open_storage(&database_url)
            .await
            .expect("database opens");
        let citizen = samspil::open_citizen_storage(&database_url, &Default::default())
            .await
            .expect("citizen database opens");
        // Served as `samspil serve` serves (samspil::serve_http, every
        // context mounted), so the tests cover what production runs.
        let router = samspil::app(&stores, citizen.clone(), config);
        tokio::spawn(samspil::serve_http(
            listener,
            router,
            http,
            std::future::pending(),
        ));
        TestApp {
            address,
            storage: stores.platform,
            coordination: stores.coordination,
            tools: stores.tools,
            citizen,
            database_url,
            _database: database,
        }
    }

    /// The main database's stores, as the binary hands them out.
    pub fn stores(&self) -> samspil::Stores {
        samspil::Stores {
            platform: self.storage.clone(),
            coordination: self.coordination.clone(),
            tools: self.tools.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    /// A browser: keeps cookies, does not follow redirects (tests look at them).
    pub fn browser(&self) -> Browser {
        Browser {
            client: Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .expect("client builds"),
            base: self.url(""),
            app_key: self.database_url.clone(),
        }
    }

    /// A browser signed in as `login` with the demo password (and, for
    /// staff, a code of the demo TOTP secret).
    pub async fn signed_in(&self, login: &str) -> Browser {
        let browser = self.browser();
        let response = browser.log_in(login, DEMO_PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "login as {login} succeeds"
        );
        browser
    }

    /// An API client with a fresh bearer token for `login`.
    pub async fn api_client(&self, login: &str) -> ApiClient {
        let token = samspil::create_token(self.storage.as_ref(), login, "test")
            .await
            .expect("token is issued");
        ApiClient {
            client: Client::new(),
            base: self.url(""),
            token: Some(token),
        }
    }

    /// The id of the (first) task with this title.
    pub async fn task_id(&self, title: &str) -> i64 {
        self.coordination
            .tasks(&samspil_coordination_storage::TaskFilter {
                include_drafts: true,
                limit: 5000,
                ..Default::default()
            })
            .await
            .expect("storage answers")
            .into_iter()
            .find(|t| t.title == title)
            .unwrap_or_else(|| panic!("task {title} exists"))
            .id
            .0
    }

    pub fn anonymous_api(&self) -> ApiClient {
        ApiClient {
            client: Client::new(),
            base: self.url(""),
            token: None,
        }
    }

    /// The person with this login, as stored.
    pub async fn user(&self, login: &str) -> samspil_storage::User {
        self.storage
            .credentials(&samspil_domain::Login::parse(login).expect("login"))
            .await
            .expect("storage answers")
            .expect("user exists")
            .user
    }

    pub async fn org_id(&self, key: &str) -> i64 {
        self.storage
            .organisation_by_key(key)
            .await
            .expect("storage answers")
            .unwrap_or_else(|| panic!("organisation {key} exists"))
            .id
            .0
    }
}

pub struct BoundPort {
    listener: tokio::net::TcpListener,
    pub address: SocketAddr,
}

pub struct Browser {
    pub client: Client,
    base: String,
    /// Which application (database) the browser talks to, for the codes
    /// used there already.
    app_key: String,
}

/// The login of the demo account whose second factor the harness knows.
pub const DEMO_STAFF: &str = "staff";

/// A code of the demo TOTP secret that the application has not accepted
/// yet. A code is good once per 30-second step, and the server accepts
/// one step either side of its clock, so a test may log staff in twice a
/// step; a third login in the same step waits for the next.
pub async fn fresh_demo_code(app_key: &str) -> String {
    use samspil_auth::totp;
    static USED: std::sync::Mutex<Vec<(String, u64)>> = std::sync::Mutex::new(Vec::new());
    let key = totp::base32_decode(DEMO_TOTP_SECRET).expect("the demo secret is base32");
    loop {
        let now = totp::step_at(samspil_storage::now().unix_timestamp());
        let step = {
            let mut used = USED.lock().expect("not poisoned");
            let last = used
                .iter()
                .find(|(k, _)| k == app_key)
                .map(|(_, step)| *step);
            // Never the previous step: near its end it would leave the
            // server's window before the request arrives.
            let step = last.map_or(now, |last| (last + 1).max(now));
            if step <= now + 1 {
                used.retain(|(k, _)| k != app_key);
                used.push((app_key.to_owned(), step));
                Some(step)
            } else {
                None
            }
        };
        match step {
            Some(step) => return totp::code_for_step(&key, step),
            None => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
        }
    }
}

impl Browser {
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .expect("request is answered")
    }

    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.expect("body is text"))
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{}", self.base, path))
            .form(form)
            .send()
            .await
            .expect("request is answered")
    }

    /// The CSRF token the page at `path` puts in its forms.
    pub async fn csrf_token(&self, path: &str) -> String {
        let (_, html) = self.get_text(path).await;
        csrf_in(&html).unwrap_or_else(|| panic!("{path} has a form with a CSRF token"))
    }

    /// The whole login: the password, and for the demo staff account the
    /// code its TOTP secret gives. The answer is the last step's.
    pub async fn log_in(&self, login: &str, password: &str) -> Response {
        let response = self.password_step(login, password).await;
        let asks_for_code = response
            .headers()
            .get(reqwest::header::LOCATION)
            .is_some_and(|l| l == "/login/kode");
        if !(asks_for_code && login == DEMO_STAFF) {
            return response;
        }
        let code = fresh_demo_code(&self.app_key).await;
        self.code_step(&code).await
    }

    /// Only the password form; a person with a second factor gets no
    /// session from it.
    pub async fn password_step(&self, login: &str, password: &str) -> Response {
        let token = self.csrf_token("/login").await;
        self.post_form(
            "/login",
            &[
                ("login", login),
                ("password", password),
                ("csrf_token", &token),
            ],
        )
        .await
    }

    /// The code form of a pending login.
    pub async fn code_step(&self, code: &str) -> Response {
        let token = self.csrf_token("/login/kode").await;
        self.post_form("/login/kode", &[("code", code), ("csrf_token", &token)])
            .await
    }

    /// The next code of the demo staff account that this application has
    /// not accepted yet.
    pub async fn fresh_demo_code(&self) -> String {
        fresh_demo_code(&self.app_key).await
    }
}

pub fn csrf_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

#[derive(Clone)]
pub struct ApiClient {
    pub client: Client,
    base: String,
    token: Option<String>,
}

impl ApiClient {
    pub async fn get(&self, path: &str) -> Response {
        let mut request = self.client.get(format!("{}{}", self.base, path));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request is answered")
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        let mut request = self
            .client
            .request(method, format!("{}{}", self.base, path))
            .json(&body);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request is answered");
        let status = response.status();
        let text = response.text().await.expect("body is text");
        // 204 No Content has no body.
        let body = match text.is_empty() {
            true => serde_json::Value::Null,
            false => serde_json::from_str(&text).expect("body is JSON"),
        };
        (status, body)
    }

    pub async fn get_json(&self, path: &str) -> (StatusCode, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.json().await.expect("body is JSON");
        (status, body)
    }
}

/// Every test gets a copy of the level's template: what one test writes,
/// neither another test nor a later copy of the template sees.
#[tokio::test]
async fn tests_started_from_one_template_share_nothing() {
    let first = TestApp::start_with_roles().await;
    let second = TestApp::start_with_roles().await;
    let token = samspil::create_token(first.storage.as_ref(), "user-751", "test")
        .await
        .expect("token is issued");
    let later = TestApp::start_with_roles().await;
    for (app, expected) in [
        (&first, StatusCode::OK),
        (&second, StatusCode::UNAUTHORIZED),
        (&later, StatusCode::UNAUTHORIZED),
    ] {
        let response = Client::new()
            .get(app.url("/api/v1/municipalities"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("request is answered");
        assert_eq!(
            response.status(),
            expected,
            "the token in {}",
            app.database_url
        );
    }
}
