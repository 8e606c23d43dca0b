//! The tools context's prices per citizen and bills through HTTP (issue
//! 18): the 2019 slide's prices, the populations of 2023, the bill of each
//! municipality with a line per solution, the overview with totals as a
//! file, the what-if, and bad input refused with nothing written, on
//! SQLite and PostgreSQL.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::TestApp;

/// København's population on 1 January 2023 (the demo's file).
const KOEBENHAVN: i64 = 653_664;

/// The slide's four prices together, in øre: 15,58 + 17,31 + 19,83 + 25.
const ALL_FOUR: i64 = 1558 + 1731 + 1983 + 2500;

async fn start() -> TestApp {
    let app = TestApp::start().await;
    samspil::demo::prices::load(&app.stores())
        .await
        .expect("demo prices load");
    app
}

fn bill_of<'a>(bills: &'a Value, name: &str) -> &'a Value {
    bills["bills"]
        .as_array()
        .expect("bills")
        .iter()
        .find(|b| b["municipality"] == name)
        .unwrap_or_else(|| panic!("{name}'s bill"))
}

async fn solution_id(app: &TestApp, name: &str) -> i64 {
    app.coordination
        .projects()
        .await
        .expect("projects")
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} exists"))
        .id
        .0
}

#[tokio::test]
async fn every_municipality_gets_its_bill_with_a_line_per_solution_and_the_totals() {
    let app = start().await;
    let staff = app.api_client("staff").await;
    let (status, prices) = staff.get_json("/api/v1/prices").await;
    assert_eq!(status, StatusCode::OK, "{prices}");
    let mut shown: Vec<(String, String, String)> = prices
        .as_array()
        .expect("prices")
        .iter()
        .map(|p| {
            (
                p["solution"].as_str().expect("name").to_owned(),
                p["kroner"].as_str().expect("kr").to_owned(),
                p["valid_from"].as_str().expect("from").to_owned(),
            )
        })
        .collect();
    shown.sort();
    assert_eq!(
        shown,
        [
            (
                "Fælleskommunal Infrastruktur".into(),
                "25,00".into(),
                "2020-01-01".into()
            ),
            ("KSD".into(), "17,31".into(), "2020-01-01".into()),
            ("KY".into(), "19,83".into(), "2020-01-01".into()),
            ("SAPA".into(), "15,58".into(), "2020-01-01".into()),
        ]
    );

    let (status, bills) = staff.get_json("/api/v1/bills?date=2023-06-21").await;
    assert_eq!(status, StatusCode::OK, "{bills}");
    assert_eq!(bills["bills"].as_array().expect("bills").len(), 98);
    let kbh = bill_of(&bills, "København");
    assert_eq!(kbh["population"], KOEBENHAVN);
    assert_eq!(kbh["lines"].as_array().expect("lines").len(), 4);
    let sapa = kbh["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["solution"] == "SAPA")
        .expect("SAPA line");
    assert_eq!(sapa["amount_ore"], KOEBENHAVN * 1558);
    assert_eq!(sapa["amount"], "10.184.085,12");
    assert_eq!(kbh["total_ore"], KOEBENHAVN * ALL_FOUR);
    let sum: i64 = bills["bills"]
        .as_array()
        .expect("bills")
        .iter()
        .map(|b| b["total_ore"].as_i64().expect("total"))
        .sum();
    assert_eq!(bills["total_ore"], sum);
    let per_solution: i64 = bills["per_solution"]
        .as_array()
        .expect("per solution")
        .iter()
        .map(|s| s["amount_ore"].as_i64().expect("amount"))
        .sum();
    assert_eq!(per_solution, sum);
    // Before the prices began there is nothing to pay.
    let (_, before) = staff.get_json("/api/v1/bills?date=2019-12-31").await;
    assert_eq!(before["total_ore"], 0);

    // A municipality sees its own bill only.
    let (status, own) = app
        .api_client("admin-751")
        .await
        .get_json("/api/v1/bills?date=2023-06-21")
        .await;
    assert_eq!(status, StatusCode::OK, "{own}");
    assert_eq!(own["bills"].as_array().expect("bills").len(), 1);
    assert_eq!(own["bills"][0]["municipality"], "Aarhus");
    let (status, html) = app
        .signed_in("user-751")
        .await
        .get_text("/vaerktoejer/priser?dato=2023-06-21")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Aarhus") && !html.contains("København"));

    // The overview as a file, and on the staff page.
    let browser = app.signed_in("staff").await;
    let response = browser
        .get("/vaerktoejer/priser/regninger.csv?dato=2023-06-21")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.expect("text");
    assert!(
        csv.contains(&format!("København;{KOEBENHAVN};")),
        "{}",
        &csv[..300.min(csv.len())]
    );
    let response = browser
        .get("/vaerktoejer/priser/regninger.xlsx?dato=2023-06-21")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (status, html) = browser
        .get_text("/vaerktoejer/priser?dato=2023-06-21")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("15,58 kr.") && html.contains("10.184.085,12 kr."));
}

#[tokio::test]
async fn a_what_if_shows_what_a_new_price_or_a_new_solution_does_to_each_bill() {
    let app = start().await;
    let staff = app.api_client("staff").await;
    let sapa = solution_id(&app, "SAPA").await;
    let (status, what_if) = staff
        .get_json(&format!(
            "/api/v1/bills?date=2023-06-21&what_if_solution={sapa}&what_if_kroner=20,00"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{what_if}");
    let kbh = bill_of(&what_if, "København");
    assert_eq!(kbh["difference_ore"], KOEBENHAVN * (2000 - 1558));
    assert_eq!(
        kbh["what_if_total_ore"],
        KOEBENHAVN * (ALL_FOUR - 1558 + 2000)
    );

    // A solution nobody pays for yet, billed to everyone.
    let community = samspil_domain::Principal::operator()
        .community_access()
        .expect("operator");
    let new = app
        .coordination
        .create_project(
            &community,
            &samspil_coordination_storage::NewProject {
                name: "Ny fælles løsning".into(),
                description: String::new(),
                participants: Some(Vec::new()),
            },
        )
        .await
        .expect("project")
        .id
        .0;
    let (status, what_if) = staff
        .get_json(&format!(
            "/api/v1/bills?date=2023-06-21&what_if_solution={new}&what_if_kroner=1&what_if_everyone=true"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{what_if}");
    assert_eq!(
        bill_of(&what_if, "København")["difference_ore"],
        KOEBENHAVN * 100
    );
    let (_, nobody) = staff
        .get_json(&format!(
            "/api/v1/bills?date=2023-06-21&what_if_solution={new}&what_if_kroner=1"
        ))
        .await;
    assert_eq!(bill_of(&nobody, "København")["difference_ore"], 0);

    // On the page.
    let (status, html) = app
        .signed_in("staff")
        .await
        .get_text(&format!(
            "/vaerktoejer/priser?dato=2023-06-21&loesning={sapa}&pris=20"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Med ændringen"), "{html}");
}

async fn count(url: &str, sql: &'static str) -> i64 {
    use sqlx::Connection;
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url)
            .await
            .expect("connects");
        sqlx::query_scalar(sql)
            .fetch_one(&mut conn)
            .await
            .expect("counts")
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("connects");
        sqlx::query_scalar(sql)
            .fetch_one(&mut conn)
            .await
            .expect("counts")
    }
}

async fn written(app: &TestApp) -> [i64; 3] {
    let url = &app.database_url;
    [
        count(url, "SELECT COUNT(*) FROM solution_prices").await,
        count(url, "SELECT COUNT(*) FROM populations").await,
        count(url, "SELECT COUNT(*) FROM audit_log").await,
    ]
}

#[tokio::test]
async fn a_negative_price_or_an_unknown_municipality_is_refused_and_nothing_is_written() {
    let app = start().await;
    let staff = app.api_client("staff").await;
    let sapa = solution_id(&app, "SAPA").await;
    let browser = app.signed_in("staff").await;
    let token = browser.csrf_token("/vaerktoejer/priser").await;
    let before = written(&app).await;
    for kroner in ["-1,00", "15,585", "femten"] {
        let (status, refused) = staff
            .send_json(
                Method::POST,
                "/api/v1/prices",
                json!({"solution_id": sapa, "kroner": kroner, "valid_from": "2024-01-01"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{kroner}: {refused}"
        );
    }
    let (status, _) = staff
        .send_json(
            Method::POST,
            "/api/v1/prices",
            json!({"solution_id": 999_999, "kroner": "1", "valid_from": "2024-01-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = staff
        .send_json(
            Method::POST,
            "/api/v1/prices",
            json!({"solution_id": sapa, "kroner": "16", "valid_from": "2024-01-01", "valid_to": "2023-01-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = staff
        .send_json(
            Method::POST,
            "/api/v1/prices",
            json!({"solution_id": sapa, "kroner": "16", "valid_from": "2020-01-01"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "one price per solution and day"
    );
    let (status, _) = staff
        .get_json(&format!(
            "/api/v1/bills?what_if_solution={sapa}&what_if_kroner=-5"
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // The page says why, in Danish, and keeps what was typed.
    let sapa_text = sapa.to_string();
    let response = browser
        .post_form(
            "/vaerktoejer/priser",
            &[
                ("csrf_token", &token),
                ("solution_id", &sapa_text),
                ("kroner", "-1,00"),
                ("valid_from", "2024-01-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(
        html.contains("En pris er et beløb i kroner, ikke negativt"),
        "{html}"
    );
    assert!(html.contains("value=\"-1,00\""));

    // An import naming a municipality that does not exist writes nothing.
    let refused = samspil::population_import::import_population_text(
        &app.stores(),
        "code,name,population,as_of\n101,København,700000,2024-01-01\n999,Atlantis,5,2024-01-01\n",
    )
    .await
    .expect_err("refused");
    assert!(refused.to_string().contains("line 3"), "{refused}");
    assert_eq!(written(&app).await, before, "nothing was written");

    // A FOLK1A export as statistikbanken.dk gives it counts from its quarter.
    let imported = samspil::population_import::import_population_text(
        &app.stores(),
        "\u{feff}\"101 København\";\"2024K1\";660000\r\n\"Aarhus\";\"2024K1\";365000\r\n",
    )
    .await
    .expect("imported");
    assert_eq!(imported, 2);
    let (_, bills) = staff.get_json("/api/v1/bills?date=2024-06-01").await;
    assert_eq!(bill_of(&bills, "København")["population"], 660_000);
    assert_eq!(bill_of(&bills, "Aarhus")["population"], 365_000);
    let (_, bills) = staff.get_json("/api/v1/bills?date=2023-06-01").await;
    assert_eq!(bill_of(&bills, "København")["population"], KOEBENHAVN);
}

#[test]
fn samspil_import_population_reads_the_file_and_refuses_an_unknown_code() {
    use crate::cli::{run, samspil};
    let dir = crate::harness::TempDir::new();
    let database = format!("sqlite://{}", dir.path().join("p.db").display());
    let file = dir.path().join("folk1a.csv");
    std::fs::write(&file, ::samspil::demo::prices::POPULATION_CSV).expect("written");
    let import = |file: &std::path::Path| {
        run(samspil().args([
            "import",
            "population",
            file.to_str().expect("utf-8 path"),
            "--database-url",
            &database,
        ]))
    };
    let (code, stdout, stderr) = import(&file);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("98 municipalities"), "{stdout}");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "\"101 København\";\"2024K1\";1\n\"999 Atlantis\";\"2024K1\";5\n",
    )
    .expect("written");
    let (code, _, stderr) = import(&bad);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("line 2") && stderr.contains("999 Atlantis"),
        "{stderr}"
    );
}
