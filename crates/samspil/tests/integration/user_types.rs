//! Brugerhåndtering as KLIK has it (issue 14): a municipality's
//! administrators find their people and set each one's user type, audited,
//! safe when two change it at once; and what follows from the types is
//! warned about where it happens: a task given to a reader or to an empty
//! role, a mandatory role held by light users alone, each also in the gap
//! report.

use reqwest::{Method, StatusCode};
use samspil_coordination::role::RoleSpec;
use samspil_domain::{OrgId, Principal, UserType};
use serde_json::json;

use crate::harness::{Browser, TestApp};

/// The person's id and user type as stored.
async fn person(app: &TestApp, login: &str) -> (i64, UserType) {
    let user = app.user(login).await;
    (user.id.0, user.user_type)
}

/// The user-type form of one person's row, as the page posts it.
async fn set_type(
    browser: &Browser,
    org: i64,
    user: i64,
    seen: &str,
    wanted: &str,
) -> (StatusCode, String, Option<String>) {
    let token = browser
        .csrf_token(&format!("/brugerhaandtering?kommune={org}"))
        .await;
    let user = user.to_string();
    let response = browser
        .post_form(
            &format!("/brugerhaandtering/{org}/brugertype"),
            &[
                ("csrf_token", &token),
                ("user_id", &user),
                ("seen", seen),
                ("user_type", wanted),
                ("q", "user"),
            ],
        )
        .await;
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    (status, response.text().await.unwrap_or_default(), location)
}

#[tokio::test]
async fn an_administrator_finds_their_people_and_sets_a_user_type() {
    let app = TestApp::start_with_roles().await;
    let aarhus = app.org_id("municipality-751").await;
    let admin = app.signed_in("admin-751").await;
    let (user, before) = person(&app, "user-751").await;
    assert_eq!(before, UserType::Ordinary);
    let (admin_id, _) = person(&app, "admin-751").await;

    let (status, page) = admin.get_text("/brugerhaandtering").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Brugertyperne og hvad de betyder"),
        "explained"
    );
    assert!(
        page.contains("kommer fra kommunens brugerkatalog og login-løsning"),
        "the access role's source is said"
    );
    assert!(page.contains(&format!("id=\"type-{user}-user_type\"")));
    assert!(
        !page.contains(&format!("id=\"type-{admin_id}-user_type\"")),
        "not one's own"
    );

    // Search and filters: name (or login), user type, access role.
    let list = |query: &str| format!("/brugerhaandtering?kommune={aarhus}&{query}");
    let (_, page) = admin.get_text(&list("q=user-751")).await;
    assert!(page.contains("1 af 2 personer vises"), "{page}");
    let (_, page) = admin.get_text(&list("adgang=admin")).await;
    assert!(page.contains("1 af 2 personer vises"));
    assert!(!page.contains(&format!("id=\"type-{user}-user_type\"")));
    let (_, page) = admin.get_text(&list("brugertype=reader")).await;
    assert!(page.contains("0 af 2 personer vises"));
    let (status, page) = admin.get_text(&list("enhed=abc&brugertype=nej")).await;
    assert_eq!(status, StatusCode::OK, "an unknown filter filters nothing");
    assert!(page.contains("2 af 2 personer vises"));

    // Saved, back to the same list, audited.
    let (status, _, location) = set_type(&admin, aarhus, user, "ordinary", "reader").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.expect("back to the list");
    assert!(location.contains("q=user"), "{location}");
    assert!(location.contains("gemt=user-type"), "{location}");
    assert_eq!(person(&app, "user-751").await.1, UserType::Reader);
    let (_, page) = admin.get_text(&location).await;
    assert!(page.contains("Brugertypen er gemt."));
    let access = Principal::operator()
        .admin_access(OrgId(aarhus))
        .expect("operator");
    let audit = app
        .storage
        .audit_entries(&access, 50)
        .await
        .expect("audit reads");
    let entry = audit
        .iter()
        .find(|e| e.action == "user.user_type")
        .expect("the change is audited");
    assert_eq!(entry.entity_id, user.to_string());
    assert_eq!(entry.before, Some(json!({ "user_type": "ordinary" })));
    assert_eq!(entry.after, Some(json!({ "user_type": "reader" })));

    // A decision on a type that changed meanwhile is refused in place.
    let (status, page, _) = set_type(&admin, aarhus, user, "ordinary", "light").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("En anden har ændret personens brugertype imens"),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"#type-{user}-user_type\"")));
    assert_eq!(person(&app, "user-751").await.1, UserType::Reader);
    // One's own type is not one's to change; an unknown type is refused.
    let (status, page, _) = set_type(&admin, aarhus, admin_id, "ordinary", "reader").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Du kan ikke ændre din egen brugertype"),
        "{page}"
    );
    let (status, page, _) = set_type(&admin, aarhus, user, "reader", "boss").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Vælg en af brugertyperne"), "{page}");

    // A reader given a role is refused, told where the type is changed.
    let role = app
        .coordination
        .municipality_roles(&access)
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.solution_id.is_none())
        .expect("a cross-cutting role");
    let response = assign_role(&admin, aarhus, role.id.0, user).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap_or_default();
    assert!(page.contains("under Brugerhåndtering"), "{page}");

    // Only administrators: an ordinary user sees the types, no form.
    let odense = app.org_id("municipality-461").await;
    let other = app.signed_in("user-461").await;
    let (status, page) = other.get_text("/brugerhaandtering").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("user-type-form"), "no forms for a user");
    let (status, _, _) = set_type(&admin, odense, user, "reader", "light").await;
    assert!(status.is_client_error(), "not another municipality's");
}

#[tokio::test]
async fn two_administrators_changing_one_user_type_at_once_never_overwrite_unseen() {
    let app = TestApp::start_with_roles().await;
    let aarhus = app.org_id("municipality-751").await;
    let (user, _) = person(&app, "user-751").await;
    let staff = app.signed_in("staff").await;
    let admin = app.signed_in("admin-751").await;
    for round in 0..4 {
        let seen = match round % 2 {
            0 => "ordinary",
            _ => "reader",
        };
        let (first, second) = match round % 2 {
            0 => ("light", "reader"),
            _ => ("ordinary", "light"),
        };
        let ((a, _, _), (b, _, _)) = tokio::join!(
            set_type(&admin, aarhus, user, seen, first),
            set_type(&staff, aarhus, user, seen, second)
        );
        let mut outcomes = [a, b];
        outcomes.sort();
        assert_eq!(
            outcomes,
            [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY],
            "round {round}: one wins, the other is told"
        );
        // Set up the next round's `seen` whoever won.
        let now = person(&app, "user-751").await.1;
        let next = match round % 2 {
            0 => "reader",
            _ => "ordinary",
        };
        if now.as_str() != next {
            let (status, _, _) = set_type(&staff, aarhus, user, now.as_str(), next).await;
            assert_eq!(status, StatusCode::SEE_OTHER);
        }
    }
    let access = Principal::operator()
        .admin_access(OrgId(aarhus))
        .expect("operator");
    let changes = app
        .storage
        .audit_entries(&access, 200)
        .await
        .expect("audit reads")
        .into_iter()
        .filter(|e| e.action == "user.user_type")
        .count();
    assert!(
        (4..=8).contains(&changes),
        "one audit entry per change that happened: {changes}"
    );
}

/// Gives `role` to `user` in the gallery's form.
async fn assign_role(admin: &Browser, org: i64, role: i64, user: i64) -> reqwest::Response {
    let token = admin
        .csrf_token(&format!("/rollegalleri?kommune={org}"))
        .await;
    admin
        .post_form(
            &format!("/rollegalleri/{org}/tildelinger"),
            &[
                ("csrf_token", &token),
                ("role_id", &role.to_string()),
                ("user_id", &user.to_string()),
            ],
        )
        .await
}

/// Gives the task to `assignee` (`user:ID` or `role:ID`) on its page.
async fn give(browser: &Browser, task: i64, assignee: &str) -> StatusCode {
    let token = browser.csrf_token(&format!("/opgaver/{task}")).await;
    browser
        .post_form(
            &format!("/opgaver/{task}/tildel"),
            &[("csrf_token", &token), ("assignee", assignee)],
        )
        .await
        .status()
}

#[tokio::test]
async fn a_task_given_to_a_reader_or_an_empty_role_and_a_role_of_light_users_are_warned_about() {
    let app = TestApp::start_with_roles().await;
    let aarhus = app.org_id("municipality-751").await;
    let admin = app.signed_in("admin-751").await;
    let (user, _) = person(&app, "user-751").await;
    let community = Principal::operator().community_access().expect("operator");
    let (role, _) = app
        .coordination
        .create_role(
            &community,
            RoleSpec {
                name: "Beredskabsansvarlig".into(),
                description: String::new(),
                assignment_guidance: String::new(),
                solution: None,
                mandatory: true,
                max_holders: None,
                requires_primary: false,
            },
            false,
        )
        .await
        .expect("a new role, held by nobody");
    let api = app.api_client("staff").await;
    let (_, projects) = api.get_json("/api/v1/projects").await;
    let (status, task) = api
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": projects[0]["id"], "title": "Øv beredskabet", "type": "mandatory" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{task}");
    let task = task["id"].as_i64().expect("id");
    api.send_json(
        Method::POST,
        &format!("/api/v1/tasks/{task}/publish"),
        json!({}),
    )
    .await;

    // To the empty role: the page after the assignment warns.
    assert_eq!(
        give(&admin, task, &format!("role:{}", role.id.0)).await,
        StatusCode::SEE_OTHER
    );
    let (_, page) = admin
        .get_text(&format!("/opgaver/{task}?gemt=assignment"))
        .await;
    assert!(page.contains("alert alert-warning"), "{page}");
    assert!(
        page.contains("Opgaven er givet til rollen Beredskabsansvarlig, som ingen har i kommunen."),
        "{page}"
    );
    let (_, gaps) = admin.get_text("/rollegalleri/huller").await;
    assert!(gaps.contains("Opgaver givet til en læser eller en tom rolle"));
    assert!(gaps.contains("Givet til en tom rolle"), "{gaps}");

    // To a reader: likewise, with where the type is changed.
    let (status, _, _) = set_type(&admin, aarhus, user, "ordinary", "reader").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        give(&admin, task, &format!("user:{user}")).await,
        StatusCode::SEE_OTHER
    );
    let (_, page) = admin.get_text(&format!("/opgaver/{task}")).await;
    assert!(page.contains("som er læser."), "{page}");
    assert!(page.contains("href=\"/brugerhaandtering\""));
    let staff = app.signed_in("staff").await;
    let (_, gaps) = staff.get_text("/rollegalleri/huller").await;
    assert!(
        gaps.contains("Givet til en læser"),
        "staff see every municipality's"
    );
    assert!(gaps.contains("Øv beredskabet"));
    // The tables stack on a phone, as the task list does.
    assert_eq!(
        gaps.matches("table--responsive-headers").count(),
        2,
        "{gaps}"
    );
    assert!(gaps.contains("data-title=\"Givet til\""));
    assert!(!gaps.contains("table--responsive-scroll"));
    // The export has the rows the page shows: the task given to a reader
    // and the one given to the role nobody holds are the same task, now a
    // reader's.
    let csv = staff
        .get("/rollegalleri/huller/eksport.csv")
        .await
        .text()
        .await
        .expect("text");
    let header = csv.lines().next().expect("a header");
    assert!(
        header.contains("Opgave") && header.contains("Givet til"),
        "{header}"
    );
    let row = csv
        .lines()
        .find(|l| l.contains("Øv beredskabet"))
        .unwrap_or_else(|| panic!("the task's row: {csv}"));
    assert!(
        row.contains("Aarhus") && row.contains("Givet til en læser"),
        "{row}"
    );
    let xlsx = staff
        .get("/rollegalleri/huller/eksport.xlsx")
        .await
        .bytes()
        .await
        .expect("bytes");
    let text = crate::tools_nsis_files::xlsx_text(&xlsx);
    assert!(text.contains("Øv beredskabet") && text.contains("Givet til en læser"));

    // Given to someone who can act: no warning.
    let (admin_id, _) = person(&app, "admin-751").await;
    give(&admin, task, &format!("user:{admin_id}")).await;
    let (_, page) = admin.get_text(&format!("/opgaver/{task}")).await;
    assert!(!page.contains("id=\"assignment-warning\""));

    // The mandatory role held by a light user alone: warned in the gallery
    // after the assignment, and a gap.
    let (status, _, _) = set_type(&admin, aarhus, user, "reader", "light").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let response = assign_role(&admin, aarhus, role.id.0, user).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, gallery) = admin
        .get_text(&format!("/rollegalleri?kommune={aarhus}&gemt=holder"))
        .await;
    assert!(gallery.contains("id=\"light-only-warning\""), "{gallery}");
    assert!(gallery.contains("Beredskabsansvarlig"));
    let (_, gaps) = admin.get_text("/rollegalleri/huller").await;
    assert!(
        gaps.contains("Kun light-brugere, som ikke får notifikationer"),
        "{gaps}"
    );
    let csv = admin
        .get("/rollegalleri/huller/eksport.csv")
        .await
        .text()
        .await
        .expect("text");
    let row = csv
        .lines()
        .find(|l| l.contains("Beredskabsansvarlig") && l.contains("Kun light-brugere"))
        .unwrap_or_else(|| panic!("the light-only row: {csv}"));
    assert!(row.contains("Aarhus"), "{row}");
    staff.get("/sprog/en?next=/").await;
    let csv = staff
        .get("/rollegalleri/huller/eksport.csv")
        .await
        .text()
        .await
        .expect("text");
    assert!(
        csv.lines().next().is_some_and(|h| h.contains("Given to")),
        "{csv}"
    );
    let access = Principal::operator()
        .read_access(OrgId(aarhus))
        .expect("operator");
    let found = app
        .coordination
        .role_gaps(&access, samspil_storage::now().date())
        .await
        .expect("gaps");
    assert!(
        found.iter().any(|g| g.role_id == role.id
            && g.kind == samspil_coordination::role::GapKind::LightHoldersOnly)
    );
}

/// `PUT …/users/{id}/user-type` as an API client sends it.
async fn put_type(
    client: &crate::harness::ApiClient,
    org: i64,
    user: i64,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    client
        .send_json(
            Method::PUT,
            &format!("/api/v1/organisations/{org}/users/{user}/user-type"),
            body,
        )
        .await
}

/// The logins a JSON people list answered, in its order.
fn logins(body: &serde_json::Value) -> Vec<String> {
    body.as_array()
        .expect("a list")
        .iter()
        .map(|u| u["login"].as_str().expect("a login").to_owned())
        .collect()
}

#[tokio::test]
async fn administrators_search_people_and_set_user_types_over_the_api() {
    let app = TestApp::start_with_roles().await;
    let aarhus = app.org_id("municipality-751").await;
    let odense = app.org_id("municipality-461").await;
    let admin = app.api_client("admin-751").await;
    let (user, _) = person(&app, "user-751").await;
    let (admin_id, _) = person(&app, "admin-751").await;
    let (odense_user, _) = person(&app, "user-461").await;

    // The search Brugerhåndtering has: name or login, user type, access
    // role, org unit; a value it does not know is refused by its field.
    let people = |query: &str| format!("/api/v1/organisations/{aarhus}/users?{query}");
    let (status, body) = admin.get_json(&people("")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.as_array().map(Vec::len), Some(2));
    let (_, body) = admin.get_json(&people("q=user-751")).await;
    assert_eq!(logins(&body), ["user-751"]);
    let (_, body) = admin.get_json(&people("access_role=admin")).await;
    assert_eq!(logins(&body), ["admin-751"]);
    let (_, body) = admin.get_json(&people("user_type=reader")).await;
    assert_eq!(logins(&body), Vec::<String>::new());
    let unit = app.user("user-751").await.org_unit_id;
    if let Some(unit) = unit {
        let (_, body) = admin
            .get_json(&people(&format!("org_unit={}&q=751", unit.0)))
            .await;
        assert!(logins(&body).contains(&"user-751".to_owned()), "{body}");
    }
    for (query, field) in [
        ("user_type=boss", "user_type"),
        ("access_role=root", "access_role"),
    ] {
        let (status, body) = admin.get_json(&people(query)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(field)),
            "{query}: {body}"
        );
    }

    // Set, answered with the person, audited as on the page.
    let (status, body) = put_type(
        &admin,
        aarhus,
        user,
        json!({ "user_type": "light", "seen": "ordinary" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user_type"], "light");
    assert_eq!(body["access_role"], "user", "the access role stays");
    assert_eq!(person(&app, "user-751").await.1, UserType::Light);
    let (_, body) = admin.get_json(&people("user_type=light")).await;
    assert_eq!(logins(&body), ["user-751"]);
    let access = Principal::operator()
        .admin_access(OrgId(aarhus))
        .expect("operator");
    let audited = |entries: &[samspil_storage::AuditRecord]| {
        entries
            .iter()
            .filter(|e| e.action == "user.user_type" && e.entity_id == user.to_string())
            .count()
    };
    let entries = app.storage.audit_entries(&access, 50).await.expect("audit");
    assert_eq!(audited(&entries), 1);
    // Without `seen`: the type as it is now.
    let (status, body) = put_type(&admin, aarhus, user, json!({ "user_type": "reader" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(person(&app, "user-751").await.1, UserType::Reader);

    // Refused, and nothing written: a type changed meanwhile, one's own,
    // an unknown one, an unknown field.
    for (target, body, expected) in [
        (
            user,
            json!({ "user_type": "light", "seen": "ordinary" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            admin_id,
            json!({ "user_type": "reader" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            user,
            json!({ "user_type": "boss" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            user,
            json!({ "user_type": "light", "role": "admin" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, answer) = put_type(&admin, aarhus, target, body.clone()).await;
        assert_eq!(status, expected, "{body}: {answer}");
    }
    assert_eq!(person(&app, "user-751").await.1, UserType::Reader);
    assert_eq!(person(&app, "admin-751").await.1, UserType::Ordinary);

    // A municipality's administrator cannot change another municipality's
    // people, whichever municipality the address names; an ordinary user
    // cannot change anyone's.
    let (status, body) = put_type(
        &admin,
        odense,
        odense_user,
        json!({ "user_type": "reader" }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = put_type(
        &admin,
        aarhus,
        odense_user,
        json!({ "user_type": "reader" }),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = put_type(
        &admin,
        aarhus,
        odense_user,
        json!({ "user_type": "reader", "seen": "ordinary" }),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(person(&app, "user-461").await.1, UserType::Ordinary);
    let (status, _) = admin
        .get_json(&format!("/api/v1/organisations/{odense}/users?q=user"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let ordinary = app.api_client("user-751").await;
    let (status, body) =
        put_type(&ordinary, aarhus, admin_id, json!({ "user_type": "light" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(person(&app, "admin-751").await.1, UserType::Ordinary);
    // Community staff may, for any municipality.
    let staff = app.api_client("staff").await;
    let (status, body) =
        put_type(&staff, odense, odense_user, json!({ "user_type": "light" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let odense_access = Principal::operator()
        .admin_access(OrgId(odense))
        .expect("operator");
    let entries = app
        .storage
        .audit_entries(&odense_access, 50)
        .await
        .expect("audit");
    assert!(
        entries
            .iter()
            .any(|e| e.action == "user.user_type" && e.entity_id == odense_user.to_string())
    );
}

#[tokio::test]
async fn two_api_clients_setting_one_user_type_at_once_never_overwrite_unseen() {
    let app = TestApp::start_with_roles().await;
    let aarhus = app.org_id("municipality-751").await;
    let (user, _) = person(&app, "user-751").await;
    let admin = app.api_client("admin-751").await;
    let staff = app.api_client("staff").await;
    for round in 0..4 {
        let seen = person(&app, "user-751").await.1;
        let mut others = UserType::ALL.into_iter().filter(|t| *t != seen);
        let (first, second) = (
            others.next().expect("a type"),
            others.next().expect("a type"),
        );
        let ((a, _), (b, _)) = tokio::join!(
            put_type(
                &admin,
                aarhus,
                user,
                json!({ "user_type": first.as_str(), "seen": seen.as_str() })
            ),
            put_type(
                &staff,
                aarhus,
                user,
                json!({ "user_type": second.as_str(), "seen": seen.as_str() })
            )
        );
        let mut outcomes = [a, b];
        outcomes.sort();
        assert_eq!(
            outcomes,
            [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY],
            "round {round}: one wins, the other is told"
        );
    }
    let access = Principal::operator()
        .admin_access(OrgId(aarhus))
        .expect("operator");
    let changes = app
        .storage
        .audit_entries(&access, 200)
        .await
        .expect("audit reads")
        .into_iter()
        .filter(|e| e.action == "user.user_type")
        .count();
    assert_eq!(changes, 4, "one audit entry per change that happened");
}
