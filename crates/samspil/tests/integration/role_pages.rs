//! The role gallery pages: forms that go through CSRF and the same rules
//! as the API, refusals explained in Danish that change nothing, exports,
//! and the walls between municipalities.

use reqwest::StatusCode;
use samspil_domain::{AccessRole, Login, OrgId, Principal, UserType};
use samspil_storage::NewUser;

use crate::harness::{Browser, TestApp};

async fn role_id(app: &TestApp, name: &str) -> i64 {
    app.coordination
        .roles()
        .await
        .expect("storage answers")
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("role {name} exists"))
        .id
        .0
}

async fn user_id(app: &TestApp, org: i64, login: &str) -> i64 {
    let access = Principal::operator()
        .admin_access(OrgId(org))
        .expect("operator");
    app.storage
        .users(&access)
        .await
        .expect("storage answers")
        .into_iter()
        .find(|u| u.login.to_string() == login)
        .unwrap_or_else(|| panic!("user {login} exists"))
        .id
        .0
}

async fn project_id(app: &TestApp, name: &str) -> i64 {
    app.coordination
        .projects()
        .await
        .expect("storage answers")
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("project {name} exists"))
        .id
        .0
}

/// Posts a form of the page at `page` with that page's CSRF token.
async fn submit(
    browser: &Browser,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let token = browser.csrf_token(page).await;
    let mut form = fields.to_vec();
    form.push(("csrf_token", &token));
    let response = browser.post_form(action, &form).await;
    let status = response.status();
    (status, response.text().await.expect("body is text"))
}

async fn holders_on_page(browser: &Browser, page: &str) -> String {
    let (status, html) = browser.get_text(page).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    html
}

#[tokio::test]
async fn an_administrator_fills_roles_through_the_gallery_access_first() {
    let app = TestApp::start_with_roles().await;
    let aarhus = app.org_id("municipality-751").await;
    let admin = app.signed_in("admin-751").await;
    let gallery = format!("/rollegalleri?kommune={aarhus}");
    let html = holders_on_page(&admin, "/rollegalleri").await;
    assert!(
        html.contains("Rollegalleri – Aarhus"),
        "own gallery by default"
    );
    assert!(
        html.contains("Tildel en rolle"),
        "administrators get the form"
    );

    // A Borgerblikket role without access to Borgerblikket: refused, explained.
    let owner = role_id(&app, "Projektejer").await.to_string();
    let admin_user = user_id(&app, aarhus, "admin-751").await.to_string();
    let assign = format!("/rollegalleri/{aarhus}/tildelinger");
    let (status, html) = submit(
        &admin,
        &gallery,
        &assign,
        &[
            ("role_id", &owner),
            ("user_id", &admin_user),
            ("note", "Sag 42"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Giv først personen adgang til rollens IT-løsning"),
        "the refusal says why"
    );
    assert!(html.contains("value=\"Sag 42\""), "what was typed is kept");
    assert!(!html.contains(">Sag 42</td>"), "nothing was assigned");

    // Access first (Brugerhåndtering), then the role.
    let borgerblikket = project_id(&app, "Borgerblikket").await.to_string();
    let (status, _) = submit(
        &admin,
        "/brugerhaandtering",
        &format!("/brugerhaandtering/{aarhus}/tildel"),
        &[("user_id", &admin_user), ("solution_id", &borgerblikket)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = holders_on_page(&admin, "/brugerhaandtering").await;
    assert!(html.contains("Fjern adgang"), "the grant is listed");
    let (status, _) = submit(
        &admin,
        &gallery,
        &assign,
        &[
            ("role_id", &owner),
            ("user_id", &admin_user),
            ("note", "Sag 42"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(holders_on_page(&admin, &gallery).await.contains("Sag 42"));

    // While the role is held, the access cannot be taken away.
    let (status, html) = submit(
        &admin,
        "/brugerhaandtering",
        &format!("/brugerhaandtering/{aarhus}/fjern"),
        &[("user_id", &admin_user), ("solution_id", &borgerblikket)],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Afslut rollen, før adgangen fjernes"));
}

#[tokio::test]
async fn a_reader_is_refused_a_role_with_the_reason_and_nothing_changes() {
    let app = TestApp::start_with_roles().await;
    let aarhus = app.org_id("municipality-751").await;
    let reader = app
        .storage
        .create_user(
            &Principal::operator()
                .admin_access(OrgId(aarhus))
                .expect("operator"),
            &NewUser {
                login: Login::parse("laeser-751").expect("login"),
                display_name: "Lise Læser".into(),
                email: None,
                phone: None,
                job_title: None,
                org_unit_id: None,
                role: AccessRole::User,
                user_type: UserType::Reader,
                password_hash: None,
            },
        )
        .await
        .expect("reader created");
    let admin = app.signed_in("admin-751").await;
    let html = holders_on_page(&admin, "/rollegalleri").await;
    assert!(
        html.contains("Lise Læser (Læser)"),
        "the form marks readers"
    );
    let security = role_id(&app, "Sikkerhedsansvarlig").await.to_string();
    let (status, html) = submit(
        &admin,
        "/rollegalleri",
        &format!("/rollegalleri/{aarhus}/tildelinger"),
        &[
            ("role_id", &security),
            ("user_id", &reader.id.0.to_string()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("En læser kan aldrig have en rolle"));
    let assignments = app
        .coordination
        .role_assignments(
            &Principal::operator()
                .read_access(OrgId(aarhus))
                .expect("operator"),
        )
        .await
        .expect("storage answers");
    assert!(assignments.iter().all(|a| a.user_id != reader.id));

    // In English, the same rule in English.
    admin.get("/sprog/en?next=/").await;
    let (_, html) = submit(
        &admin,
        "/rollegalleri",
        &format!("/rollegalleri/{aarhus}/tildelinger"),
        &[
            ("role_id", &security),
            ("user_id", &reader.id.0.to_string()),
        ],
    )
    .await;
    assert!(html.contains("A reader can never hold a role"));
}

#[tokio::test]
async fn an_administrator_ends_and_marks_primary_only_at_home() {
    let app = TestApp::start_with_roles().await;
    let aarhus = app.org_id("municipality-751").await;
    let odense = app.org_id("municipality-461").await;
    let admin = app.signed_in("admin-751").await;

    // Another municipality's gallery and user administration are closed.
    for page in [
        format!("/rollegalleri?kommune={odense}"),
        format!("/brugerhaandtering?kommune={odense}"),
    ] {
        let (status, html) = admin.get_text(&page).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
        assert!(
            html.contains("Odense"),
            "the refusal names the municipality"
        );
    }
    let odense_user = user_id(&app, odense, "user-461").await.to_string();
    let security = role_id(&app, "Sikkerhedsansvarlig").await.to_string();
    let (status, _) = submit(
        &admin,
        "/rollegalleri",
        &format!("/rollegalleri/{odense}/tildelinger"),
        &[("role_id", &security), ("user_id", &odense_user)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nor can an Odense person be put in an Aarhus role.
    let (status, _) = submit(
        &admin,
        "/rollegalleri",
        &format!("/rollegalleri/{aarhus}/tildelinger"),
        &[("role_id", &security), ("user_id", &odense_user)],
    )
    .await;
    assert_ne!(status, StatusCode::SEE_OTHER);
    assert!(
        !holders_on_page(&admin, "/rollegalleri")
            .await
            .contains("user-461")
    );

    // A second holder of a role that needs a primary one, marked primary;
    // then the first one's assignment ends.
    let infra = role_id(&app, "Infrastrukturansvarlig").await.to_string();
    let admin_user = user_id(&app, aarhus, "admin-751").await.to_string();
    let (status, _) = submit(
        &admin,
        "/rollegalleri",
        &format!("/rollegalleri/{aarhus}/tildelinger"),
        &[("role_id", &infra), ("user_id", &admin_user)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let access = Principal::operator()
        .read_access(OrgId(aarhus))
        .expect("operator");
    let holders = |all: Vec<samspil_coordination_storage::RoleAssignment>| {
        all.into_iter()
            .filter(|a| a.role_name == "Infrastrukturansvarlig")
            .collect::<Vec<_>>()
    };
    let before = holders(
        app.coordination
            .role_assignments(&access)
            .await
            .expect("ok"),
    );
    let new = before
        .iter()
        .find(|a| a.user_login == "admin-751")
        .expect("new holder");
    assert!(!new.primary);
    let (status, _) = submit(
        &admin,
        "/rollegalleri",
        &format!("/rollegalleri/{aarhus}/tildelinger/{}/primaer", new.id.0),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let old = before
        .iter()
        .find(|a| a.user_login == "user-751")
        .expect("old holder");
    let (status, _) = submit(
        &admin,
        "/rollegalleri",
        &format!("/rollegalleri/{aarhus}/tildelinger/{}/afslut", old.id.0),
        &[("last_day", "2026-12-31")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let after = holders(
        app.coordination
            .role_assignments(&access)
            .await
            .expect("ok"),
    );
    let primaries: Vec<_> = after
        .iter()
        .filter(|a| a.primary)
        .map(|a| a.user_login.as_str())
        .collect();
    assert_eq!(primaries, vec!["admin-751"], "one primary holder");
    let ended = after.iter().find(|a| a.id == old.id).expect("kept");
    assert_eq!(
        ended.period.ends_on.map(|d| d.to_string()).as_deref(),
        Some("2026-12-31")
    );

    // A malformed date is explained and changes nothing.
    let (status, html) = submit(
        &admin,
        "/rollegalleri",
        &format!("/rollegalleri/{aarhus}/tildelinger/{}/afslut", new.id.0),
        &[("last_day", "31.13.2026")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("»31.13.2026« er ikke en dato"), "{html}");
    assert!(
        html.contains("value=\"31.13.2026\""),
        "what was typed is kept"
    );

    // An ordinary user reads the gallery but gets no forms and no writes.
    let user = app.signed_in("user-751").await;
    let html = holders_on_page(&user, "/rollegalleri").await;
    assert!(!html.contains("Tildel en rolle"));
    let response = user
        .post_form(
            &format!("/rollegalleri/{aarhus}/tildelinger/{}/primaer", old.id.0),
            &[("csrf_token", &user.csrf_token("/rollegalleri").await)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn staff_create_a_role_that_becomes_a_task_and_keep_the_catalogue() {
    let app = TestApp::start_with_roles().await;
    let staff = app.signed_in("staff").await;
    let before = app.coordination.roles().await.expect("ok").len();

    let (status, html) = submit(
        &staff,
        "/rollegalleri/katalog",
        "/rollegalleri/katalog",
        &[("name", "  "), ("description", "Tom")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Rollen skal have et navn"));
    assert!(html.contains(">Tom</textarea>"), "what was typed is kept");
    assert_eq!(app.coordination.roles().await.expect("ok").len(), before);

    let response = {
        let token = staff.csrf_token("/rollegalleri/katalog").await;
        staff
            .post_form(
                "/rollegalleri/katalog",
                &[
                    ("name", "Tilgængelighedsansvarlig"),
                    ("description", "Sørger for at løsningerne overholder WCAG."),
                    ("assignment_guidance", "Gives til kommunens webredaktør."),
                    ("solution_id", ""),
                    ("mandatory", "true"),
                    ("max_holders", "2"),
                    ("csrf_token", &token),
                ],
            )
            .await
    };
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"]
        .to_str()
        .expect("text")
        .to_owned();
    let task: i64 = location
        .strip_prefix("/rollegalleri/katalog?ny=")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirect names the task: {location}"));
    let html = holders_on_page(&staff, &location).await;
    assert!(html.contains("opgaven om at udfylde den er sendt"));
    let (_, task_page) = staff.get_text(&format!("/opgaver/{task}")).await;
    assert!(task_page.contains("Tilgængelighedsansvarlig"));
    assert!(task_page.contains("KLIK"));

    // The gallery shows KLIK's two parts, "mere" and "tildeling", apart.
    let aarhus = app.org_id("municipality-751").await;
    let gallery = holders_on_page(&staff, &format!("/rollegalleri?kommune={aarhus}")).await;
    let card = gallery
        .split("<section class=\"role-card\"")
        .find(|card| card.contains("Tilgængelighedsansvarlig"))
        .expect("the new role's card");
    let more = card.find("Mere om rollen").expect("the »mere« part");
    let assignment = card.find("Tildeling").expect("the »tildeling« part");
    assert!(more < assignment, "{card}");
    assert!(card.contains("Sørger for at løsningerne overholder WCAG."));
    assert!(card.contains("Gives til kommunens webredaktør."));
    let role = app
        .coordination
        .roles()
        .await
        .expect("ok")
        .into_iter()
        .find(|r| r.name == "Tilgængelighedsansvarlig")
        .expect("stored");
    assert_eq!(role.assignment_guidance, "Gives til kommunens webredaktør.");

    // Municipal people cannot open the catalogue.
    let admin = app.signed_in("admin-751").await;
    let (status, _) = admin.get_text("/rollegalleri/katalog").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The role's holders as a contact list: empty but with its header.
    let id = role_id(&app, "KOMBIT-programleder").await;
    let response = staff
        .get(&format!("/rollegalleri/katalog/{id}/indehavere.csv"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.expect("text");
    assert!(csv.contains("Aarhus"), "{csv}");
    assert!(csv.contains("KOMBIT-programleder"));
}

#[tokio::test]
async fn gaps_are_listed_and_exported_for_whom_they_concern() {
    let app = TestApp::start_with_roles().await;
    let staff = app.signed_in("staff").await;
    let html = holders_on_page(&staff, "/rollegalleri/huller").await;
    assert!(html.contains("Obligatorisk rolle uden indehaver"));
    assert!(html.contains("Odense") && html.contains("Aarhus"));
    let response = staff.get("/rollegalleri/huller/eksport.csv").await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.expect("text");
    assert!(csv.contains("Dataansvarlig") && csv.contains("Odense"));
    let response = staff.get("/rollegalleri/huller/eksport.xlsx").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.expect("bytes").starts_with(b"PK"));

    let admin = app.signed_in("admin-751").await;
    let csv = admin
        .get("/rollegalleri/huller/eksport.csv")
        .await
        .text()
        .await
        .expect("text");
    assert!(csv.contains("Aarhus"));
    assert!(!csv.contains("Odense"), "only the municipality's own gaps");
}

#[tokio::test]
async fn staff_keep_contact_lists_that_municipalities_cannot_open() {
    let app = TestApp::start_with_roles().await;
    let staff = app.signed_in("staff").await;
    let response = {
        let token = staff.csrf_token("/kontaktlister").await;
        staff
            .post_form(
                "/kontaktlister",
                &[
                    ("name", "Borgmestre"),
                    ("description", ""),
                    ("csrf_token", &token),
                ],
            )
            .await
    };
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let list = response.headers()["location"]
        .to_str()
        .expect("text")
        .to_owned();
    let aarhus = app.org_id("municipality-751").await.to_string();
    let (status, html) = submit(
        &staff,
        &list,
        &format!("{list}/poster"),
        &[
            ("org_id", &aarhus),
            ("name", "Borgmesteren"),
            ("email", "ikke-en-adresse"),
            ("function", "Borgmester"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("E-mailadressen ser ikke rigtig ud"));
    assert!(html.contains("Listen er tom"), "nothing was added");
    let (status, _) = submit(
        &staff,
        &list,
        &format!("{list}/poster"),
        &[
            ("org_id", &aarhus),
            ("name", "Borgmesteren"),
            ("email", "borgmester@aarhus.example"),
            ("phone", ""),
            ("function", "Borgmester"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let csv = staff
        .get(&format!("{list}/eksport.csv"))
        .await
        .text()
        .await
        .expect("text");
    assert!(csv.contains("borgmester@aarhus.example") && csv.contains("Aarhus"));
    let header = csv
        .lines()
        .next()
        .expect("a header")
        .trim_start_matches('\u{feff}');
    assert_eq!(
        header.matches("Navn").count(),
        0,
        "the municipality and the person have their own names: {header}"
    );

    // An entry is changed in place: a refused change keeps what was typed
    // and changes nothing, a good one replaces the entry.
    let html = staff.get(&list).await.text().await.expect("text");
    let edit = html
        .split("href=\"")
        .filter_map(|part| part.split('"').next())
        .find(|href| href.ends_with("/rediger"))
        .expect("an edit link per entry")
        .to_owned();
    let form = staff.get(&edit).await.text().await.expect("text");
    assert!(
        form.contains("value=\"borgmester@aarhus.example\""),
        "{form}"
    );
    let (status, html) = submit(
        &staff,
        &edit,
        &edit,
        &[
            ("org_id", &aarhus),
            ("name", "Borgmesteren"),
            ("email", "stadig ikke en adresse"),
            ("function", "Borgmester"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("E-mailadressen ser ikke rigtig ud"), "{html}");
    assert!(
        html.contains("value=\"stadig ikke en adresse\""),
        "the typed input is kept"
    );
    let (status, _) = submit(
        &staff,
        &edit,
        &edit,
        &[
            ("org_id", &aarhus),
            ("name", "Anders Winnerskjold"),
            ("email", "borgmester@aarhus.example"),
            ("phone", "89 40 20 00"),
            ("function", "Borgmester"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = staff.get(&list).await.text().await.expect("text");
    assert!(html.contains("Anders Winnerskjold") && html.contains("89 40 20 00"));
    assert!(
        !html.contains("Borgmesteren<"),
        "the entry was replaced, not added"
    );

    let admin = app.signed_in("admin-751").await;
    for page in [
        "/kontaktlister".to_owned(),
        list.clone(),
        format!("{list}/eksport.csv"),
        edit.clone(),
    ] {
        assert_eq!(
            admin.get(&page).await.status(),
            StatusCode::FORBIDDEN,
            "{page}"
        );
    }
}

#[tokio::test]
async fn a_task_given_to_a_role_shows_among_its_holders_tasks() {
    let app = TestApp::start_with_roles().await;
    let task = app
        .task_id("Udskift kommunens IdP certifikat til OCES3")
        .await;
    let programme_manager = role_id(&app, "KOMBIT-programleder").await;
    let admin = app.signed_in("admin-751").await;
    let page = format!("/opgaver/{task}");
    let (status, _) = submit(
        &admin,
        &page,
        &format!("{page}/tildel"),
        &[("assignee", &format!("role:{programme_manager}"))],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = holders_on_page(&admin, &page).await;
    assert!(html.contains("Opgaven er givet til: <strong>KOMBIT-programleder</strong>"));

    // user-751 holds the role: the task is among theirs; admin-751 does not.
    let user = app.signed_in("user-751").await;
    let mine = holders_on_page(&user, "/opgaver?mine=true").await;
    assert!(mine.contains("Udskift kommunens IdP certifikat til OCES3"));
    let not_mine = holders_on_page(&admin, "/opgaver?mine=true").await;
    assert!(!not_mine.contains("Udskift kommunens IdP certifikat til OCES3"));

    // A malformed assignee is refused and changes nothing.
    let (status, _) = submit(
        &admin,
        &page,
        &format!("{page}/tildel"),
        &[("assignee", "group:1")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        holders_on_page(&admin, &page)
            .await
            .contains("<strong>KOMBIT-programleder</strong>")
    );
}
