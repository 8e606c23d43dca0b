use reqwest::StatusCode;
use reqwest::header::LOCATION;
use samspil_domain::{AccessRole, Login, Principal, UserType};
use samspil_storage::NewUser;

use crate::harness::TestApp;

#[tokio::test]
async fn everyone_signed_in_sees_the_community_kl_and_98_municipalities() {
    let app = TestApp::start().await;
    let browser = app.signed_in("user-101").await;
    let (status, html) = browser.get_text("/organisationer").await;
    assert_eq!(status, StatusCode::OK);
    let aarhus = app.org_id("municipality-751").await;
    assert!(
        html.contains(&format!("/organisationer/{aarhus}")),
        "Aarhus links to its page"
    );
    for needle in [
        "Fællesskabet",
        "KL",
        "Aarhus",
        "751",
        "Region Midtjylland",
        "Ærø",
        "Tønder",
    ] {
        assert!(html.contains(needle), "the list shows {needle}");
    }
    let links = html.matches("href=\"/organisationer/").count();
    assert_eq!(links, 100, "one link per organisation");
}

#[tokio::test]
async fn the_list_filters_by_region_and_refuses_an_unknown_one() {
    let app = TestApp::start().await;
    let browser = app.signed_in("staff").await;
    let (status, html) = browser
        .get_text("/organisationer?region=Region+Nordjylland")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("href=\"/organisationer/").count(), 11);
    assert!(html.contains("Aalborg") && !html.contains("Aarhus Kommune"));

    let (status, html) = browser.get_text("/organisationer?region=Atlantis").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Ukendt region: Atlantis"), "{html}");
}

#[tokio::test]
async fn a_municipality_shows_its_org_units_and_people_to_its_own_administrator() {
    let app = TestApp::start().await;
    let aarhus = app.org_id("municipality-751").await;
    let browser = app.signed_in("admin-751").await;
    let (status, html) = browser.get_text(&format!("/organisationer/{aarhus}")).await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        "Digitalisering og IT",
        "Borgerservice",
        "Økonomi",
        "admin-751",
        "user-751",
        "Region Midtjylland",
    ] {
        assert!(html.contains(needle), "the page shows {needle}");
    }
}

#[tokio::test]
async fn staff_see_the_people_of_every_municipality() {
    let app = TestApp::start().await;
    let odense = app.org_id("municipality-461").await;
    let browser = app.signed_in("staff").await;
    let (_, html) = browser.get_text(&format!("/organisationer/{odense}")).await;
    assert!(html.contains("admin-461") && html.contains("user-461"));
}

#[tokio::test]
async fn an_unknown_organisation_and_a_bad_id_are_a_danish_404() {
    let app = TestApp::start().await;
    let browser = app.signed_in("staff").await;
    let (status, html) = browser.get_text("/organisationer/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Siden findes ikke"), "{html}");
    // A path value of the wrong kind is no such page either, and the
    // header still shows who is signed in.
    let (status, html) = browser.get_text("/organisationer/aarhus").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Siden findes ikke"), "{html}");
    assert!(!html.contains("Cannot parse"), "{html}");
    assert!(html.contains("samspil-logout"), "still signed in");
}

#[tokio::test]
async fn the_interface_switches_to_english_and_back() {
    let app = TestApp::start().await;
    let browser = app.signed_in("staff").await;
    let response = browser.get("/sprog/en?next=/organisationer").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/organisationer");
    let (_, html) = browser.get_text("/organisationer").await;
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Organisations"));

    let (_, html) = browser.get_text("/organisationer/999999").await;
    assert!(
        html.contains("Page not found"),
        "errors follow the language"
    );

    browser.get("/sprog/da?next=/").await;
    let (_, html) = browser.get_text("/").await;
    assert!(html.contains("<html lang=\"da\""));

    let (status, _) = browser.get_text("/sprog/klingon?next=/").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn names_with_markup_are_shown_as_text() {
    let app = TestApp::start().await;
    let odense = app.org_id("municipality-461").await;
    let access = Principal::operator()
        .admin_access(samspil_domain::OrgId(odense))
        .expect("operator administers");
    app.storage
        .create_user(
            &access,
            &NewUser {
                login: Login::parse("mallory").expect("login"),
                display_name: "<script>alert('x')</script>".into(),
                email: None,
                phone: None,
                job_title: Some("<b>fed</b>".into()),
                org_unit_id: None,
                role: AccessRole::User,
                user_type: UserType::Light,
                password_hash: None,
            },
        )
        .await
        .expect("user is created");
    let browser = app.signed_in("admin-461").await;
    let (_, html) = browser.get_text(&format!("/organisationer/{odense}")).await;
    assert!(!html.contains("<script>alert"), "markup is escaped");
    assert!(html.contains("&lt;script&gt;"), "and shown as text");
    assert!(!html.contains("<b>fed</b>"));
}
