//! Starting samspil for a test, and talking to it like a browser or an API
//! client would.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use samspil::HttpOptions;
use samspil::demo::{self, DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoScope};
use samspil_storage::Storage;
use samspil_web::WebConfig;

/// The municipalities the tests populate: København, Odense, Aarhus.
pub const TEST_MUNICIPALITIES: [u16; 3] = [101, 461, 751];

pub struct TestApp {
    pub address: SocketAddr,
    pub storage: Arc<dyn Storage>,
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

/// A fresh, empty database for this test and its URL.
pub async fn fresh_database() -> (String, TestDatabase) {
    match postgres_admin_url() {
        Some(admin_url) => {
            use sqlx::Connection;
            static COUNTER: AtomicU32 = AtomicU32::new(0);
            let name = format!(
                "samspil_test_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst)
            );
            let mut conn = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("SAMSPIL_TEST_POSTGRES_URL answers");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                .execute(&mut conn)
                .await
                .expect("can create a test database");
            let mut url = url::Url::parse(&admin_url).expect("SAMSPIL_TEST_POSTGRES_URL is a URL");
            url.set_path(&name);
            (url.to_string(), TestDatabase::Postgres { admin_url, name })
        }
        None => {
            let dir = TempDir::new();
            let url = format!("sqlite://{}", dir.path().join("samspil.db").display());
            (url, TestDatabase::Sqlite { _dir: dir })
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
        let app = Self::start_empty(config).await;
        demo::load(
            app.storage.as_ref(),
            DemoScope::Municipalities(&TEST_MUNICIPALITIES),
        )
        .await
        .expect("demo data loads");
        app
    }

    /// samspil with demo people and the demo tasks of June 2023.
    pub async fn start_with_tasks() -> Self {
        let app = Self::start().await;
        demo::tasks::load(app.storage.as_ref())
            .await
            .expect("demo tasks load");
        app
    }

    /// samspil with demo people, the demo tasks and the demo role gallery.
    pub async fn start_with_roles() -> Self {
        let app = Self::start_with_tasks().await;
        demo::roles::load(app.storage.as_ref())
            .await
            .expect("demo role gallery loads");
        app
    }

    /// samspil with only the reference organisations.
    pub async fn start_empty(config: WebConfig) -> Self {
        Self::start_bound_empty(Self::bind().await, config, HttpOptions::default()).await
    }

    /// samspil with only the reference organisations, its connections
    /// served with these options.
    pub async fn start_serving(config: WebConfig, http: HttpOptions) -> Self {
        Self::start_bound_empty(Self::bind().await, config, http).await
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
        let app = Self::start_bound_empty(port, config, HttpOptions::default()).await;
        demo::load(
            app.storage.as_ref(),
            DemoScope::Municipalities(&TEST_MUNICIPALITIES),
        )
        .await
        .expect("demo data loads");
        app
    }

    async fn start_bound_empty(port: BoundPort, config: WebConfig, http: HttpOptions) -> Self {
        let BoundPort { listener, address } = port;
        let (database_url, database) = fresh_database().await;
        let storage = samspil::open_storage(&database_url)
            .await
            .expect("database opens");
        samspil::prepare(storage.as_ref())
            .await
            .expect("database migrates");
        // Served as `samspil serve` serves (samspil::serve_http), so the
        // tests cover the connection handling production runs.
        let router = samspil_web::app(storage.clone(), config);
        tokio::spawn(samspil::serve_http(
            listener,
            router,
            http,
            std::future::pending(),
        ));
        TestApp {
            address,
            storage,
            database_url,
            _database: database,
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
        self.storage
            .tasks(&samspil_storage::TaskFilter {
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
