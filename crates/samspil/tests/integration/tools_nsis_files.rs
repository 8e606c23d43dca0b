//! An NSIS assessment as a PDF and an XLSX file (issue 18): the slide's
//! worked example read back from both, in Danish and English, from the
//! page and the API; for the community's staff only.

use std::io::{Cursor, Read};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use serde_json::Value;

use crate::harness::TestApp;

async fn start() -> TestApp {
    let app = TestApp::start().await;
    samspil::demo::nsis::load(&app.stores())
        .await
        .expect("demo NSIS loads");
    app
}

async fn sapa_id(app: &TestApp) -> i64 {
    let staff = app.api_client("staff").await;
    let (status, list) = staff.get_json("/api/v1/nsis/assessments").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array()
        .expect("a list")
        .iter()
        .find(|a| a["solution"] == "SAPA" && a["user_type"] == "Sagsbehandler")
        .and_then(|a| a["id"].as_i64())
        .expect("the demo's SAPA assessment")
}

fn pdf_text(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
    pdf_extract::extract_text_from_mem(bytes).expect("the PDF's text reads back")
}

/// The worksheet's shared strings and numbers: every text the workbook
/// holds, opened as Excel opens it (a zip of XML parts).
pub(crate) fn xlsx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("an XLSX is a zip archive");
    let mut text = String::new();
    for name in ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"] {
        let mut part = archive.by_name(name).expect("the part is there");
        part.read_to_string(&mut text).expect("UTF-8 XML");
    }
    text
}

#[tokio::test]
async fn the_worked_example_is_saved_as_a_pdf_and_a_spreadsheet() {
    let app = start().await;
    let id = sapa_id(&app).await;
    let browser = app.signed_in("staff").await;

    let (status, html) = browser
        .get_text(&format!("/vaerktoejer/nsis/vurderinger/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("/vaerktoejer/nsis/vurderinger/{id}/vurdering.pdf")));
    assert!(html.contains(&format!(
        "/vaerktoejer/nsis/vurderinger/{id}/vurdering.xlsx"
    )));

    let response = browser
        .get(&format!("/vaerktoejer/nsis/vurderinger/{id}/vurdering.pdf"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/pdf");
    assert!(
        response.headers()[CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii")
            .contains(&format!("nsis-vurdering-{id}.pdf"))
    );
    let text = pdf_text(&response.bytes().await.expect("bytes"));
    for expected in [
        "NSIS-risikovurdering: SAPA, Sagsbehandler",
        "Anders Cronwald",
        "TRI, LVR, TG, RHI",
        "01.06.2019",
        "2,0",
        "2,1",
        "Betydelig",
        "Ikke godkendt",
        "Historik",
        "Begrundelse",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not in the PDF: {text}"
        );
    }

    let response = browser
        .get(&format!(
            "/vaerktoejer/nsis/vurderinger/{id}/vurdering.xlsx"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let text = xlsx_text(&response.bytes().await.expect("bytes"));
    for expected in [
        "Anders Cronwald",
        "TRI, LVR, TG, RHI",
        "2,1",
        "Betydelig",
        "Risikoelement",
        "Kontrolelement",
        "Begrundelse",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not in the XLSX: {text}"
        );
    }

    // In English when the reader chose English.
    browser.get("/sprog/en").await;
    let response = browser
        .get(&format!("/vaerktoejer/nsis/vurderinger/{id}/vurdering.pdf"))
        .await;
    let text = pdf_text(&response.bytes().await.expect("bytes"));
    assert!(
        text.contains("NSIS risk assessment: SAPA, Sagsbehandler"),
        "{text}"
    );
    assert!(text.contains("Not approved"), "{text}");
}

#[tokio::test]
async fn the_api_gives_the_same_files_and_refuses_an_unknown_format() {
    let app = start().await;
    let id = sapa_id(&app).await;
    let staff = app.api_client("staff").await;
    let response = staff
        .get(&format!(
            "/api/v1/nsis/assessments/{id}/file?format=pdf&lang=en"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = pdf_text(&response.bytes().await.expect("bytes"));
    assert!(text.contains("NSIS risk assessment: SAPA"), "{text}");

    let response = staff
        .get(&format!("/api/v1/nsis/assessments/{id}/file?format=xlsx"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = xlsx_text(&response.bytes().await.expect("bytes"));
    assert!(text.contains("Anders Cronwald"));

    let (status, body): (StatusCode, Value) = staff
        .get_json(&format!("/api/v1/nsis/assessments/{id}/file?format=docx"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = staff
        .get_json("/api/v1/nsis/assessments/999999/file?format=pdf")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A municipality gets neither the file nor the page's.
    let aarhus = app.api_client("admin-751").await;
    let response = aarhus
        .get(&format!("/api/v1/nsis/assessments/{id}/file?format=pdf"))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let browser = app.signed_in("user-751").await;
    let response = browser
        .get(&format!(
            "/vaerktoejer/nsis/vurderinger/{id}/vurdering.xlsx"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

/// Approves the demo's SAPA assessment (Betydelig for Sagsbehandler).
async fn approve_sapa(app: &TestApp) -> i64 {
    let id = sapa_id(app).await;
    let staff = app.api_client("staff").await;
    let (status, body) = staff
        .send_json(
            reqwest::Method::POST,
            &format!("/api/v1/nsis/assessments/{id}/versions/1/approval"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id
}

#[tokio::test]
async fn a_password_login_has_no_nsis_level_and_meets_no_requirement() {
    let app = start().await;
    let id = approve_sapa(&app).await;
    let (status, html) = app
        .signed_in("user-751")
        .await
        .get_text("/vaerktoejer/nsis")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Dit login har intet NSIS-niveau"), "{html}");
    assert!(html.contains("Dit login opfylder kravet"), "the column");

    let (status, html) = app
        .signed_in("staff")
        .await
        .get_text(&format!("/vaerktoejer/nsis/vurderinger/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Dit login har intet NSIS-niveau (adgangskode); kravet er Betydelig."),
        "{html}"
    );
    assert!(html.contains("Dit login opfylder ikke kravet."));
}

#[tokio::test]
async fn a_login_through_the_identity_provider_shows_its_level_against_the_requirement() {
    let Some(python) = crate::saml::pysaml2() else {
        return;
    };
    let app = crate::saml::start().await;
    samspil::demo::nsis::load(&app.stores())
        .await
        .expect("demo NSIS loads");
    approve_sapa(&app).await;
    let browser = app.browser();
    let (redirect_url, relay_state) = crate::saml::start_login(&browser).await;
    let answer =
        crate::saml::idp_answer(&app, &python, &redirect_url, crate::saml::AARHUS_CVR).await;
    let (status, location) = crate::saml::post_answer(&browser, &answer, &relay_state).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");

    // The test provider vouches at Substantial: Betydelig, which SAPA's
    // Sagsbehandler requirement asks for.
    let (status, html) = browser.get_text("/vaerktoejer/nsis").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("Du er logget ind på NSIS-niveau Betydelig"),
        "{html}"
    );
    let row = html
        .split("<tr>")
        .find(|row| row.contains("SAPA") && row.contains("Sagsbehandler"))
        .expect("SAPA's requirement");
    // Ready (Aarhus' provider is at Betydelig), and the login meets it.
    assert_eq!(row.matches("<td>Ja</td>").count(), 2, "{row}");
}
