//! The citizen and tools contexts: wired into the binary and the shell,
//! and the citizen store a store of its own.

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use samspil_citizen_sql::postgres::PostgresCitizenStore;
use samspil_citizen_sql::sqlite::SqliteCitizenStore;
use sqlx::Connection;

use crate::harness::{TestApp, postgres_admin_url};

/// The citizen store is not the main database: on SQLite a file of its
/// own beside it, on PostgreSQL the schema `citizen` with its own history
/// and a pool that sees only that schema; what one creates, the other does
/// not see. `/healthz` reports it.
#[tokio::test]
async fn the_citizen_store_is_a_store_of_its_own() {
    let app = TestApp::start().await;
    assert_eq!(app.citizen.backend(), app.storage.backend());
    match postgres_admin_url() {
        None => {
            let main_file = std::path::PathBuf::from(
                app.database_url
                    .strip_prefix("sqlite://")
                    .expect("a SQLite file URL"),
            );
            let citizen_file = main_file.with_file_name("samspil-citizen.db");
            assert!(citizen_file.is_file(), "{} exists", citizen_file.display());
            let citizen =
                SqliteCitizenStore::connect(&format!("sqlite://{}", citizen_file.display()))
                    .await
                    .expect("citizen database opens");
            let mut main = sqlx::SqliteConnection::connect(&app.database_url)
                .await
                .expect("main database opens");
            let tables = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?";
            // Each has its own migration history; the coordination tables
            // are only in the main one.
            for (table, in_main, in_citizen) in [("_sqlx_migrations", 1, 1), ("tasks", 1, 0)] {
                let count: i64 = sqlx::query_scalar(tables)
                    .bind(table)
                    .fetch_one(&mut main)
                    .await
                    .expect("main answers");
                assert_eq!(count, in_main, "{table} in the main database");
                let count: i64 = sqlx::query_scalar(tables)
                    .bind(table)
                    .fetch_one(citizen.pool())
                    .await
                    .expect("citizen answers");
                assert_eq!(count, in_citizen, "{table} in the citizen database");
            }
            sqlx::query("CREATE TABLE citizen_probe (id INTEGER)")
                .execute(citizen.pool())
                .await
                .expect("citizen creates a table");
            sqlx::query("CREATE TABLE main_probe (id INTEGER)")
                .execute(&mut main)
                .await
                .expect("main creates a table");
            for (table, in_main, in_citizen) in [("citizen_probe", 0, 1), ("main_probe", 1, 0)] {
                let count: i64 = sqlx::query_scalar(tables)
                    .bind(table)
                    .fetch_one(&mut main)
                    .await
                    .expect("main answers");
                assert_eq!(count, in_main, "{table} in the main database");
                let count: i64 = sqlx::query_scalar(tables)
                    .bind(table)
                    .fetch_one(citizen.pool())
                    .await
                    .expect("citizen answers");
                assert_eq!(count, in_citizen, "{table} in the citizen database");
            }
        }
        Some(_) => {
            let citizen = PostgresCitizenStore::connect(&app.database_url, None)
                .await
                .expect("citizen store connects");
            let schema: String = sqlx::query_scalar("SELECT current_schema()::text")
                .fetch_one(citizen.pool())
                .await
                .expect("citizen answers");
            assert_eq!(schema, "citizen");
            let mut main = sqlx::PgConnection::connect(&app.database_url)
                .await
                .expect("main database connects");
            let regclass = "SELECT to_regclass($1)::text";
            // Two histories: the citizen store's in its schema, the main
            // one's where it always was; the coordination tables only there.
            for (table, exists) in [
                ("citizen._sqlx_migrations", true),
                ("public._sqlx_migrations", true),
                ("citizen.tasks", false),
                ("public.tasks", true),
            ] {
                let found: Option<String> = sqlx::query_scalar(regclass)
                    .bind(table)
                    .fetch_one(&mut main)
                    .await
                    .expect("main answers");
                assert_eq!(found.is_some(), exists, "{table}");
            }
            let main_history: Vec<i64> =
                sqlx::query_scalar("SELECT version FROM public._sqlx_migrations")
                    .fetch_all(&mut main)
                    .await
                    .expect("main answers");
            let citizen_history: Vec<i64> =
                sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
                    .fetch_all(citizen.pool())
                    .await
                    .expect("citizen answers");
            assert!(!main_history.is_empty());
            assert!(
                citizen_history.iter().all(|v| !main_history.contains(v)),
                "no citizen migration in the main history: {citizen_history:?}"
            );
            sqlx::query("CREATE TABLE citizen_probe (id INTEGER)")
                .execute(citizen.pool())
                .await
                .expect("citizen creates a table");
            sqlx::query("CREATE TABLE main_probe (id INTEGER)")
                .execute(&mut main)
                .await
                .expect("main creates a table");
            // Unqualified, as each store's own SQL names its tables.
            for (table, in_main, in_citizen) in
                [("citizen_probe", false, true), ("main_probe", true, false)]
            {
                let found: Option<String> = sqlx::query_scalar(regclass)
                    .bind(table)
                    .fetch_one(&mut main)
                    .await
                    .expect("main answers");
                assert_eq!(
                    found.is_some(),
                    in_main,
                    "{table} seen by the main database"
                );
                let found: Option<String> = sqlx::query_scalar(regclass)
                    .bind(table)
                    .fetch_one(citizen.pool())
                    .await
                    .expect("citizen answers");
                assert_eq!(
                    found.is_some(),
                    in_citizen,
                    "{table} seen by the citizen store"
                );
            }
        }
    }
    let (status, body) = app.anonymous_api().get_json("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], app.storage.backend());
    assert_eq!(body["citizen_database"], app.citizen.backend());
}

/// The tools' router (and the citizen one) is mounted in the shell behind
/// sessions and the CSRF check: a path under it that it does not serve is
/// its 404 page, and a POST there meets the CSRF check first, where a POST
/// to a path no router is mounted at is simply not found.
#[tokio::test]
async fn the_context_routers_are_mounted_behind_the_shell() {
    let app = TestApp::start().await;
    let browser = app.browser();
    for mount in [samspil_tools_web::MOUNT, samspil_citizen_web::MOUNT] {
        let response = browser.get(&format!("{mount}/ukendt")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{mount}");
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            content_type.starts_with("text/html"),
            "{mount}: {content_type}"
        );
        let response = browser.post_form(&format!("{mount}/ukendt"), &[]).await;
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{mount}: CSRF first"
        );
    }
    let response = browser.post_form("/ikke-monteret/ukendt", &[]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
