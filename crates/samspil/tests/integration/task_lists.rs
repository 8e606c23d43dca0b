//! The task list as people work it (issue 14, "Finding one's way"):
//! sorted by each column both ways, filtered on »Jeres status« and on the
//! task's state, a page of 25 at a time keeping filters and order.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::{ApiClient, TestApp};

/// A task of the sorting fixture, with what each column sorts by.
struct Fixture {
    id: i64,
    code: Option<&'static str>,
    title: &'static str,
    project: &'static str,
    /// 0 critical, 1 mandatory, 2 voluntary.
    type_rank: u8,
    /// The date the deadline sorts by, `None` for an undated task.
    deadline: Option<&'static str>,
    /// 0 draft, 1 published, 2 closed.
    state_rank: u8,
    /// Aarhus' status: 0 not started, 1 started, 2 completed.
    status_rank: u8,
}

async fn project(staff: &ApiClient, name: &str) -> i64 {
    let (status, body) = staff
        .send_json(Method::POST, "/api/v1/projects", json!({ "name": name }))
        .await;
    assert!(status.is_success(), "{body}");
    body["id"].as_i64().expect("project id")
}

async fn task(staff: &ApiClient, body: serde_json::Value) -> i64 {
    let (status, created) = staff.send_json(Method::POST, "/api/v1/tasks", body).await;
    assert!(status.is_success(), "{created}");
    created["id"].as_i64().expect("task id")
}

async fn post(client: &ApiClient, path: &str) {
    let (status, body) = client.send_json(Method::POST, path, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
}

async fn set_status(client: &ApiClient, task: i64, org: i64, status: &str) {
    let (code, body) = client
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{task}/municipalities/{org}/status"),
            json!({ "status": status }),
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{body}");
}

/// Five tasks in two projects, found by the word »sorteringstest«: codes
/// with gaps, a title in lower case, a deadline that is only a period in
/// words (»Uge 25«, before the dated ones), an undated draft, a closed one.
async fn sorting_fixture(app: &TestApp) -> Vec<Fixture> {
    let staff = app.api_client("staff").await;
    let alpha = project(&staff, "Alfa-sortering").await;
    let beta = project(&staff, "beta-sortering").await;
    let aarhus = app.org_id("municipality-751").await;
    let specs = [
        (
            Some("B-2"),
            "Bestil adgang",
            alpha,
            "critical",
            None,
            Some("2027-03-01"),
            None,
        ),
        (
            Some("A-10"),
            "afklar roller",
            beta,
            "voluntary",
            None,
            Some("2027-01-15"),
            None,
        ),
        (
            None,
            "Dan overblik",
            alpha,
            "mandatory",
            None,
            None,
            Some("Uge 25"),
        ),
        (
            Some("C-1"),
            "Evaluer forløbet",
            beta,
            "voluntary",
            None,
            None,
            None,
        ),
        (
            Some("A-2"),
            "Forbered data",
            alpha,
            "mandatory",
            Some("2027-02-01"),
            Some("2027-02-28"),
            None,
        ),
    ];
    let mut ids = Vec::new();
    for (code, title, project_id, kind, start, end, period) in specs {
        ids.push(
            task(
                &staff,
                json!({ "project_id": project_id, "code": code, "title": title, "type": kind,
                        "description": "Findes ved sorteringstest.",
                        "start": start, "end": end, "period_text": period }),
            )
            .await,
        );
    }
    // All but »Evaluer forløbet« published; »Forbered data« then closed.
    for id in [ids[0], ids[1], ids[2], ids[4]] {
        post(&staff, &format!("/api/v1/tasks/{id}/publish")).await;
    }
    let aarhus_user = app.api_client("user-751").await;
    set_status(&aarhus_user, ids[0], aarhus, "started").await;
    set_status(&aarhus_user, ids[1], aarhus, "started").await;
    set_status(&aarhus_user, ids[1], aarhus, "completed").await;
    post(&staff, &format!("/api/v1/tasks/{}/close", ids[4])).await;
    // »Uge 25« sorts by its week in the year it was written in.
    let week_25: &'static str =
        samspil_coordination::period::period_date("Uge 25", samspil_storage::now().year())
            .expect("a week")
            .to_string()
            .leak();
    vec![
        Fixture {
            id: ids[0],
            code: Some("B-2"),
            title: "Bestil adgang",
            project: "Alfa-sortering",
            type_rank: 0,
            deadline: Some("2027-03-01"),
            state_rank: 1,
            status_rank: 1,
        },
        Fixture {
            id: ids[1],
            code: Some("A-10"),
            title: "afklar roller",
            project: "beta-sortering",
            type_rank: 2,
            deadline: Some("2027-01-15"),
            state_rank: 1,
            status_rank: 2,
        },
        Fixture {
            id: ids[2],
            code: None,
            title: "Dan overblik",
            project: "Alfa-sortering",
            type_rank: 1,
            deadline: Some(week_25),
            state_rank: 1,
            status_rank: 0,
        },
        Fixture {
            id: ids[3],
            code: Some("C-1"),
            title: "Evaluer forløbet",
            project: "beta-sortering",
            type_rank: 2,
            deadline: None,
            state_rank: 0,
            status_rank: 0,
        },
        Fixture {
            id: ids[4],
            code: Some("A-2"),
            title: "Forbered data",
            project: "Alfa-sortering",
            type_rank: 1,
            deadline: Some("2027-02-28"),
            state_rank: 2,
            status_rank: 0,
        },
    ]
}

/// The ids of the tasks a list page shows, in its order.
fn listed(html: &str) -> Vec<i64> {
    let Some(start) = html.find("<tbody>") else {
        return Vec::new();
    };
    let body = &html[start
        ..html[start..]
            .find("</tbody>")
            .map_or(html.len(), |e| start + e)];
    body.match_indices("href=\"/opgaver/")
        .filter_map(|(at, m)| {
            let rest = &body[at + m.len()..];
            let end = rest.find('"')?;
            rest[..end].parse().ok()
        })
        .collect()
}

/// The fixture's ids in the order a column sorts them: by its key (a
/// missing code or deadline last whichever way), then by id.
fn expected(tasks: &[&Fixture], column: &str, descending: bool, municipal: bool) -> Vec<i64> {
    type Key = (bool, String);
    let key = |t: &Fixture| -> Key {
        match column {
            "code" => (t.code.is_none(), t.code.unwrap_or_default().to_lowercase()),
            "title" => (false, t.title.to_lowercase()),
            "project" => (false, t.project.to_lowercase()),
            "type" => (false, t.type_rank.to_string()),
            "deadline" => (
                t.deadline.is_none(),
                t.deadline.unwrap_or_default().to_owned(),
            ),
            "status" if municipal => (false, t.status_rank.to_string()),
            "status" => (false, t.state_rank.to_string()),
            other => panic!("no column {other}"),
        }
    };
    let mut sorted: Vec<&&Fixture> = tasks.iter().collect();
    sorted.sort_by(|a, b| {
        let (a_missing, a_key) = key(a);
        let (b_missing, b_key) = key(b);
        let by_key = match descending {
            false => a_key.cmp(&b_key),
            true => b_key.cmp(&a_key),
        };
        a_missing.cmp(&b_missing).then(by_key).then(a.id.cmp(&b.id))
    });
    sorted.iter().map(|t| t.id).collect()
}

const COLUMNS: [&str; 6] = ["code", "title", "project", "type", "deadline", "status"];

#[tokio::test]
async fn staff_sort_the_task_list_by_every_column_both_ways() {
    let app = TestApp::start_with_tasks().await;
    let fixture = sorting_fixture(&app).await;
    let everything: Vec<&Fixture> = fixture.iter().collect();
    let staff = app.signed_in("staff").await;
    for column in COLUMNS {
        for (dir, descending) in [("asc", false), ("desc", true)] {
            let path = format!("/opgaver?q=sorteringstest&sort={column}&dir={dir}");
            let (status, html) = staff.get_text(&path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(
                listed(&html),
                expected(&everything, column, descending, false),
                "{path}"
            );
            // The sorted column says so, and its link sorts the other way,
            // keeping the search.
            let aria = if descending {
                "descending"
            } else {
                "ascending"
            };
            assert_eq!(html.matches("aria-sort=").count(), 1, "{path}");
            let header = &html[html.find(&format!("aria-sort=\"{aria}\"")).expect(aria)..];
            let other = if descending { "asc" } else { "desc" };
            assert!(
                header[..400].contains(&format!(
                    "opgaver?q=sorteringstest&amp;sort={column}&amp;dir={other}\""
                )),
                "{}",
                &header[..400]
            );
        }
    }
    // Without a chosen order: critical first, then by deadline, as before,
    // and no column claims to be sorted.
    let (_, html) = staff.get_text("/opgaver?q=sorteringstest").await;
    assert_eq!(listed(&html)[0], fixture[0].id, "the critical task first");
    assert!(!html.contains("aria-sort="));
}

#[tokio::test]
async fn a_municipality_sorts_its_tasks_by_every_column_both_ways() {
    let app = TestApp::start_with_tasks().await;
    let fixture = sorting_fixture(&app).await;
    // Aarhus sees no draft.
    let published: Vec<&Fixture> = fixture.iter().filter(|t| t.state_rank > 0).collect();
    let aarhus = app.signed_in("user-751").await;
    for column in COLUMNS {
        for (dir, descending) in [("asc", false), ("desc", true)] {
            let path = format!("/opgaver?q=sorteringstest&sort={column}&dir={dir}");
            let (status, html) = aarhus.get_text(&path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(
                listed(&html),
                expected(&published, column, descending, true),
                "{path}"
            );
        }
    }
    // An order the page does not know is a bad address, said in Danish on
    // a page that still shows who is signed in.
    for path in ["/opgaver?sort=t.id", "/opgaver?sort=title&dir=op"] {
        let (status, html) = aarhus.get_text(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(html.contains("Log ud"), "{html}");
        assert!(!html.contains("unknown"), "{html}");
    }
}

#[tokio::test]
async fn the_list_filters_on_the_municipality_status_and_for_staff_on_the_state() {
    let app = TestApp::start_with_tasks().await;
    let fixture = sorting_fixture(&app).await;
    let ids = |picked: &[usize]| picked.iter().map(|&i| fixture[i].id).collect::<Vec<_>>();
    let aarhus = app.signed_in("user-751").await;
    for (status, shown) in [
        ("completed", ids(&[1])),
        ("started", ids(&[0])),
        ("not_started", ids(&[2, 4])),
    ] {
        let path = format!("/opgaver?q=sorteringstest&status={status}&sort=code");
        let (code, html) = aarhus.get_text(&path).await;
        assert_eq!(code, StatusCode::OK, "{path}");
        let mut listed = listed(&html);
        listed.sort();
        assert_eq!(listed, shown, "{path}");
        // The filters stay unfolded while one is in use, with it chosen.
        assert!(html.contains("task-filters-details\" open"), "{path}");
        assert!(
            html.contains(&format!("value=\"{status}\" selected")),
            "{path}"
        );
        // Filtering again keeps the order.
        assert!(html.contains("name=\"sort\" value=\"code\""), "{path}");
    }
    let (_, html) = aarhus.get_text("/opgaver").await;
    assert!(html.contains("id=\"filter-status\""));
    assert!(
        !html.contains("id=\"filter-state\""),
        "the state is staff's"
    );
    let (code, html) = aarhus.get_text("/opgaver?status=halvvejs").await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("Log ud") && !html.contains("unknown"),
        "{html}"
    );

    let staff = app.signed_in("staff").await;
    for (state, shown) in [
        ("draft", ids(&[3])),
        ("closed", ids(&[4])),
        ("published", ids(&[0, 1, 2])),
    ] {
        let path = format!("/opgaver?q=sorteringstest&state={state}");
        let (code, html) = staff.get_text(&path).await;
        assert_eq!(code, StatusCode::OK, "{path}");
        let mut listed = listed(&html);
        listed.sort();
        assert_eq!(listed, shown, "{path}");
    }
    let (code, _) = staff.get_text("/opgaver?state=arkiveret").await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
}

/// A link's address as the page's HTML writes it, as a browser follows it.
fn followed(html: &str, rel: &str) -> Option<String> {
    let at = html.find(&format!("rel=\"{rel}\""))?;
    let link = &html[..at];
    let start = link.rfind("href=\"")? + "href=\"".len();
    let end = start + link[start..].find('"')?;
    Some(
        link[start..end]
            .replace("&amp;", "&")
            .replace("&#x2f;", "/"),
    )
}

#[tokio::test]
async fn the_list_pages_by_25_keeping_its_filters_and_order() {
    let app = TestApp::start_with_tasks().await;
    let staff_api = app.api_client("staff").await;
    let project_id = project(&staff_api, "Sideprojektet").await;
    let mut created = Vec::new();
    for n in 1..=30 {
        let title = format!("Sideopgave {n:02}");
        let id = task(
            &staff_api,
            json!({ "project_id": project_id, "title": title, "type": "voluntary",
                    "description": "Findes ved sidetest." }),
        )
        .await;
        created.push((title, id));
    }
    // By title, descending: 30 … 06 on the first page, 05 … 01 on the next.
    created.sort_by(|a, b| b.0.cmp(&a.0));
    let in_order: Vec<i64> = created.iter().map(|(_, id)| *id).collect();
    let staff = app.signed_in("staff").await;
    let (_, first) = staff
        .get_text("/opgaver?q=sidetest&state=draft&sort=title&dir=desc")
        .await;
    assert_eq!(listed(&first), in_order[..25]);
    assert!(followed(&first, "prev").is_none());
    let next = followed(&first, "next").expect("a next page");
    assert_eq!(
        next,
        "/opgaver?q=sidetest&state=draft&sort=title&dir=desc&page=2"
    );
    let (_, second) = staff.get_text(&next).await;
    assert_eq!(listed(&second), in_order[25..]);
    assert!(followed(&second, "next").is_none());
    assert_eq!(
        followed(&second, "prev").as_deref(),
        Some("/opgaver?q=sidetest&state=draft&sort=title&dir=desc&page=1")
    );
    // A sort header starts the new order at the first page, keeping the
    // filters.
    assert!(second.contains("opgaver?q=sidetest&amp;state=draft&amp;sort=code&amp;dir=asc\""));
}

#[tokio::test]
async fn staff_see_one_municipalitys_tasks_and_statuses_chosen_in_the_picker() {
    let app = TestApp::start_with_tasks().await;
    let fixture = sorting_fixture(&app).await;
    let aarhus = app.org_id("municipality-751").await;
    let published: Vec<&Fixture> = fixture.iter().filter(|t| t.state_rank > 0).collect();
    let staff = app.signed_in("staff").await;
    // A name, a part only Aarhus has, its code and its id all pick Aarhus.
    for typed in [
        "Aarhus",
        "aarh",
        "751",
        &aarhus.to_string(),
        "Aarhus Kommune",
    ] {
        let path = format!("/opgaver?kommune={typed}&q=sorteringstest&sort=status&dir=desc");
        let (status, html) = staff.get_text(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains("<h1>Opgaver for Aarhus</h1>"), "{path}");
        assert!(html.contains("Status i Aarhus"), "{path}");
        assert!(!html.contains("aria-invalid"), "{path}");
        assert_eq!(
            listed(&html),
            expected(&published, "status", true, true),
            "{path}: Aarhus' statuses, no drafts"
        );
        // The field shows the name; the links keep the municipality by id.
        assert!(html.contains("value=\"Aarhus\""), "{path}");
        assert!(
            html.contains(&format!("kommune={aarhus}&amp;sort=code&amp;dir=asc")),
            "{path}"
        );
    }
    let (_, html) = staff
        .get_text("/opgaver?kommune=Aarhus&q=sorteringstest&status=completed")
        .await;
    assert_eq!(listed(&html), vec![fixture[1].id]);

    // The datalist has the 98 names in Danish order: Æ, Ø, Å (and Aa) last.
    let (_, html) = staff.get_text("/opgaver").await;
    let list = &html[html
        .find("<datalist id=\"picker-kommune-list\">")
        .expect("datalist")..];
    let list = &list[..list.find("</datalist>").expect("end")];
    assert_eq!(list.matches("<option ").count(), 98);
    let at = |name: &str| list.find(&format!("value=\"{name}\"")).expect(name);
    assert!(at("Albertslund") < at("Vordingborg"));
    assert!(at("Vordingborg") < at("Ærø"));
    assert!(at("Ærø") < at("Aabenraa"));
    assert!(at("Aalborg") < at("Aarhus"));

    // An unknown name is said at the field, kept, and the national list
    // shown; in English too.
    let (status, html) = staff.get_text("/opgaver?kommune=Atlantis").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ingen kommune hedder »Atlantis«"), "{html}");
    assert!(
        html.contains("href=\"#picker-kommune\""),
        "the error summary links to the field"
    );
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("value=\"Atlantis\""));
    assert!(html.contains("<h1>Opgaver</h1>"));
    let (_, html) = staff.get_text("/opgaver?kommune=rup").await;
    assert!(html.contains("passer på flere kommuner"), "{html}");
    staff.get("/sprog/en?next=/opgaver").await;
    let (_, html) = staff.get_text("/opgaver?kommune=Atlantis").await;
    assert!(
        html.contains("No municipality is called »Atlantis«"),
        "{html}"
    );

    // A municipality's people see their own list whatever they ask for.
    let odense = app.signed_in("user-461").await;
    let (status, html) = odense.get_text(&format!("/opgaver?kommune={aarhus}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Opgaver for Aarhus"));
    assert!(!html.contains("picker-kommune"));
}

#[tokio::test]
async fn every_staff_page_about_one_municipality_uses_the_same_picker() {
    let app = TestApp::start_with_roles().await;
    let staff = app.signed_in("staff").await;
    for path in ["/rollegalleri", "/brugerhaandtering", "/leveringslog"] {
        let (status, html) = staff.get_text(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains("list=\"picker-kommune-list\""), "{path}");
        let (status, html) = staff.get_text(&format!("{path}?kommune=aarh")).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            html.contains("value=\"Aarhus\""),
            "{path}: the field shows the name"
        );
        assert!(!html.contains("aria-invalid"), "{path}");
        let (status, html) = staff.get_text(&format!("{path}?kommune=Atlantis")).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            html.contains("Ingen kommune hedder »Atlantis«"),
            "{path}: {html}"
        );
        assert!(html.contains("href=\"#picker-kommune\""), "{path}");
    }
    // A municipality's people have no picker: a name that is no
    // municipality is a bad address, another municipality refused.
    let aarhus = app.signed_in("user-751").await;
    let (status, html) = aarhus.get_text("/rollegalleri").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("picker-kommune"));
    let (status, _) = aarhus.get_text("/rollegalleri?kommune=Atlantis").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = aarhus.get_text("/rollegalleri?kommune=Odense").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn messages_choose_municipalities_in_a_searchable_checkbox_list_in_danish_order() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.signed_in("staff").await;
    let (status, html) = staff.get_text("/beskeder").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !html.contains("Ctrl"),
        "no multi-select to hold a key down in"
    );
    let list = &html[html.find("id=\"audience-orgs-choices\"").expect("the list")..];
    let list = &list[..list.find("</ul>").expect("its end")];
    assert_eq!(list.matches("type=\"checkbox\" ").count(), 98);
    let at = |name: &str| list.find(&format!(">{name}</label>")).expect(name);
    assert!(at("Vordingborg") < at("Ærø"));
    assert!(at("Ærø") < at("Aabenraa"));
    assert!(html.contains("data-filter-list=\"audience-orgs-choices\""));
}

/// The ids of the tasks a JSON list answered, in its order.
fn listed_json(body: &serde_json::Value) -> Vec<i64> {
    body.as_array()
        .expect("a list")
        .iter()
        .map(|t| t["id"].as_i64().expect("an id"))
        .collect()
}

#[tokio::test]
async fn the_json_task_list_sorts_and_filters_as_the_page_does() {
    let app = TestApp::start_with_tasks().await;
    let fixture = sorting_fixture(&app).await;
    let everything: Vec<&Fixture> = fixture.iter().collect();
    let published: Vec<&Fixture> = fixture.iter().filter(|t| t.state_rank > 0).collect();
    let staff = app.api_client("staff").await;
    let aarhus_user = app.api_client("user-751").await;
    let aarhus = app.org_id("municipality-751").await;
    for column in COLUMNS {
        for (dir, descending) in [("asc", false), ("desc", true)] {
            let path = format!("/api/v1/tasks?q=sorteringstest&sort={column}&dir={dir}");
            let (status, body) = staff.get_json(&path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            assert_eq!(
                listed_json(&body),
                expected(&everything, column, descending, false),
                "staff {path}"
            );
            let (status, body) = aarhus_user.get_json(&path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            assert_eq!(
                listed_json(&body),
                expected(&published, column, descending, true),
                "Aarhus {path}"
            );
            // Staff see Aarhus' list as Aarhus does, with its statuses.
            let (status, body) = staff
                .get_json(&format!("{path}&municipality={aarhus}"))
                .await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            assert_eq!(
                listed_json(&body),
                expected(&published, column, descending, true),
                "staff on Aarhus {path}"
            );
        }
    }
    // The same order as the page, one page after another.
    let browser = app.signed_in("user-751").await;
    let (_, html) = browser
        .get_text("/opgaver?q=sorteringstest&sort=deadline&dir=desc")
        .await;
    let (_, body) = aarhus_user
        .get_json("/api/v1/tasks?q=sorteringstest&sort=deadline&dir=desc")
        .await;
    assert_eq!(listed(&html), listed_json(&body));
    let (_, body) = aarhus_user
        .get_json("/api/v1/tasks?q=sorteringstest&sort=title&limit=2&offset=2")
        .await;
    assert_eq!(
        listed_json(&body),
        expected(&published, "title", false, true)[2..4]
    );

    // »Jeres status« and the state filter.
    let ids = |picked: &[usize]| picked.iter().map(|&i| fixture[i].id).collect::<Vec<_>>();
    for (status, shown) in [
        ("completed", ids(&[1])),
        ("started", ids(&[0])),
        ("not_started", ids(&[2, 4])),
    ] {
        let path = format!("/api/v1/tasks?q=sorteringstest&status={status}&sort=code");
        let (_, body) = aarhus_user.get_json(&path).await;
        let mut got = listed_json(&body);
        got.sort();
        assert_eq!(got, shown, "Aarhus {path}");
        let (_, body) = staff
            .get_json(&format!("{path}&municipality={aarhus}"))
            .await;
        assert_eq!(body[0]["status"], status, "{path}: {body}");
        let mut got = listed_json(&body);
        got.sort();
        assert_eq!(got, shown, "staff on Aarhus {path}");
    }
    for (state, shown) in [
        ("draft", ids(&[3])),
        ("closed", ids(&[4])),
        ("published", ids(&[0, 1, 2])),
    ] {
        let path = format!("/api/v1/tasks?q=sorteringstest&state={state}");
        let (_, body) = staff.get_json(&path).await;
        let mut got = listed_json(&body);
        got.sort();
        assert_eq!(got, shown, "staff {path}");
    }
    // A municipality never sees a draft, even when it asks for drafts.
    let (status, body) = aarhus_user
        .get_json("/api/v1/tasks?q=sorteringstest&state=draft")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed_json(&body), Vec::<i64>::new());

    // What the list does not know is refused by its field, never guessed
    // or handed to SQL.
    for (path, field) in [
        ("/api/v1/tasks?sort=t.id", "sort"),
        ("/api/v1/tasks?sort=title&dir=op", "dir"),
        ("/api/v1/tasks?status=halvvejs", "status"),
        ("/api/v1/tasks?state=arkiveret", "state"),
    ] {
        let (status, body) = staff.get_json(path).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(field)),
            "{path}: {body}"
        );
    }
    // A municipality sees only its own list; an unknown one is not found.
    let odense = app.org_id("municipality-461").await;
    let (status, body) = aarhus_user
        .get_json(&format!("/api/v1/tasks?municipality={odense}"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = aarhus_user
        .get_json(&format!(
            "/api/v1/tasks?municipality={aarhus}&q=sorteringstest"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(listed_json(&body).len(), published.len());
    let (status, _) = staff.get_json("/api/v1/tasks?municipality=999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
