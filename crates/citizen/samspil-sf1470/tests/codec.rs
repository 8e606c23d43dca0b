//! The codec against realistic envelopes (tests/fixtures, one per
//! operation and object), each refusal, the answers, and property tests.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use samspil_sf1470::common::{
    LokalUdvidelse, MultipleOutput, StandardRetur, StatusKode, Tidspunkt, UnikId,
};
use samspil_sf1470::ns;
use samspil_sf1470::response::{status_only, unik_retur};
use samspil_sf1470::sag::FremdriftStatusKode;
use samspil_sf1470::sagdok::{self, ImporterObjekt};
use samspil_sf1470::simple::{Oere, Text, Uuid};
use samspil_sf1470::ydelse;
use samspil_sf1470::{
    FaultCode, OperationKind, Refusal, RefusalKind, Request, RequestHeader, Response,
    answer_refusal, parse_request, parse_response, write_fault, write_request, write_response,
};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(crate_dir().join("tests/fixtures").join(name)).expect("fixture exists")
}

fn fixtures() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(crate_dir().join("tests/fixtures"))
        .expect("fixtures folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "xml"))
        .map(|path| {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(&path).expect("readable"))
        })
        .collect();
    out.sort();
    out
}

fn refuse(xml: &str) -> Refusal {
    match parse_request(xml.as_bytes()) {
        Ok(envelope) => panic!("expected a refusal, parsed {:?}", envelope.request.kind()),
        Err(refusal) => refusal,
    }
}

fn sag_import() -> samspil_sf1470::sag::Sag {
    let envelope = parse_request(fixture("sag-importer.xml").as_bytes()).expect("parses");
    let Request::SagDokumentImporter(input) = envelope.request else {
        panic!("not an import");
    };
    match input.objekter.into_iter().next() {
        Some(ImporterObjekt::Sag(sag)) => sag,
        other => panic!("expected a case, got {other:?}"),
    }
}

#[test]
fn every_fixture_parses_as_its_operation_and_round_trips() {
    let expected = [
        ("bevilling-fjern.xml", OperationKind::BevillingFjern),
        ("bevilling-fremsoeg.xml", OperationKind::YdelseFremsoeg),
        ("bevilling-importer.xml", OperationKind::YdelseImporter),
        ("bevilling-opdater.xml", OperationKind::YdelseOpdater),
        ("dokument-fjern.xml", OperationKind::SagDokumentFjern),
        ("dokument-fremsoeg.xml", OperationKind::SagDokumentFremsoeg),
        ("dokument-importer.xml", OperationKind::SagDokumentImporter),
        ("dokument-opdater.xml", OperationKind::SagDokumentOpdater),
        ("effektuering-fjern.xml", OperationKind::EffektueringFjern),
        ("effektuering-fremsoeg.xml", OperationKind::YdelseFremsoeg),
        ("effektuering-importer.xml", OperationKind::YdelseImporter),
        ("effektuering-opdater.xml", OperationKind::YdelseOpdater),
        ("sag-fjern.xml", OperationKind::SagDokumentFjern),
        ("sag-fremsoeg.xml", OperationKind::SagDokumentFremsoeg),
        ("sag-importer.xml", OperationKind::SagDokumentImporter),
        ("sag-opdater.xml", OperationKind::SagDokumentOpdater),
    ];
    let found = fixtures();
    assert_eq!(
        found.len(),
        expected.len(),
        "a fixture without an expectation"
    );
    for ((name, xml), (expected_name, kind)) in found.iter().zip(expected) {
        assert_eq!(name, expected_name);
        let envelope = parse_request(xml.as_bytes()).unwrap_or_else(|r| panic!("{name}: {r}"));
        assert_eq!(envelope.request.kind(), kind, "{name}");
        let written = write_request(envelope.header.request_header.as_ref(), &envelope.request);
        let again =
            parse_request(written.as_bytes()).unwrap_or_else(|r| panic!("{name} rewritten: {r}"));
        assert_eq!(again.request, envelope.request, "{name}");
        assert_eq!(
            again.header.request_header, envelope.header.request_header,
            "{name}"
        );
        assert_eq!(
            write_request(again.header.request_header.as_ref(), &again.request),
            written,
            "{name}: writing is deterministic"
        );
    }
}

/// Every element of every fixture, and of what the writer writes, is one the
/// vendored XSDs declare by that name in that namespace.
#[test]
fn fixtures_and_written_requests_use_only_elements_the_schemas_declare() {
    let declared = declared_elements(&crate_dir().join("schemas"));
    assert!(declared.len() > 300, "schemas read: {}", declared.len());
    let outside = [ns::SOAP12, ns::WSA, ns::WSSE];
    for (name, xml) in fixtures() {
        let envelope = parse_request(xml.as_bytes()).expect("parses");
        let written = write_request(envelope.header.request_header.as_ref(), &envelope.request);
        for text in [xml, written] {
            let document = roxmltree::Document::parse(&text).expect("well-formed");
            for element in document.descendants().filter(|n| n.is_element()) {
                let namespace = element.tag_name().namespace().unwrap_or("");
                if outside.contains(&namespace) {
                    continue;
                }
                let key = (namespace.to_string(), element.tag_name().name().to_string());
                assert!(
                    declared.contains(&key),
                    "{name}: {key:?} is not declared by the schemas"
                );
            }
        }
    }
}

fn declared_elements(dir: &Path) -> HashSet<(String, String)> {
    const XSD: &str = "http://www.w3.org/2001/XMLSchema";
    let mut out = HashSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("dir") {
                stack.push(entry.expect("entry").path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "xsd") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("schema");
        let document = roxmltree::Document::parse(&text).expect("schema parses");
        let schema = document.root_element();
        let target = schema
            .attribute("targetNamespace")
            .unwrap_or("")
            .to_string();
        for element in schema
            .descendants()
            .filter(|n| n.has_tag_name((XSD, "element")))
        {
            if let Some(name) = element.attribute("name") {
                out.insert((target.clone(), name.to_string()));
            }
        }
    }
    out
}

#[test]
fn a_case_is_imported_with_its_complete_history_parties_class_owner_and_unit() {
    let envelope = parse_request(fixture("sag-importer.xml").as_bytes()).expect("parses");
    assert_eq!(
        envelope
            .header
            .request_header
            .as_ref()
            .map(|h| h.transaction_uuid.as_str()),
        Some("7d3f6f0e-2a51-4c39-9d61-3c1b0e6a9f01")
    );
    assert_eq!(
        envelope.header.addressing.action.as_deref(),
        Some(OperationKind::SagDokumentImporter.soap_action())
    );
    assert!(envelope.header.security.is_none());

    let sag = sag_import();
    assert_eq!(sag.uuid.as_str(), "5c1e7f0a-3d2b-4e8f-9a61-2b7c4d9e0f12");
    let registrering = &sag.registrering[0];
    assert_eq!(
        registrering.felter.tidspunkt.map(|t| t.to_xsd()).as_deref(),
        Some("2019-09-02T10:15:00+02:00")
    );

    let egenskaber = &registrering.attribut_liste.egenskaber[0];
    assert_eq!(
        egenskaber.titel.as_deref(),
        Some("Kontanthjælp & aktivering")
    );
    assert_eq!(
        egenskaber.sagsnummer.as_deref(),
        egenskaber.brugervendt_noegle.as_deref()
    );
    let virkning = egenskaber.virkning.as_ref().expect("virkning");
    assert_eq!(virkning.til_tidspunkt, Some(Tidspunkt::UENDELIG));

    let history: Vec<_> = registrering
        .tilstand_liste
        .fremdrift
        .iter()
        .map(|f| {
            let v = f.virkning.as_ref().expect("each state has its validity");
            (
                f.fremdrift_status_kode.expect("state"),
                v.fra_tidspunkt
                    .as_ref()
                    .and_then(Tidspunkt::tidsstempel)
                    .map(|t| t.to_xsd()),
                v.til_tidspunkt.clone(),
            )
        })
        .collect();
    assert_eq!(
        history.iter().map(|h| h.0).collect::<Vec<_>>(),
        FremdriftStatusKode::ALL.to_vec()
    );
    // Each state's validity ends where the next begins; the last is open.
    for pair in history.windows(2) {
        assert_eq!(
            pair[0]
                .2
                .as_ref()
                .and_then(Tidspunkt::tidsstempel)
                .map(|t| t.to_xsd()),
            pair[1].1
        );
    }
    assert_eq!(history[3].2, Some(Tidspunkt::UENDELIG));

    let relationer = &registrering.relation_liste;
    let part = &relationer.sagspart[0];
    assert_eq!(
        part.reference_id.as_ref().and_then(UnikId::cpr),
        Some("0101901234")
    );
    assert!(part.virkning.is_some());

    let udvidelser = |r: &samspil_sf1470::common::Relation| {
        r.lokal_udvidelse_liste
            .as_ref()
            .map(|l| l.udvidelser.clone())
            .unwrap_or_default()
    };
    let owner_cvr = udvidelser(&relationer.sagsaktoer[0])
        .into_iter()
        .find_map(|u| match u {
            LokalUdvidelse::SagsaktoerLokalUdvidelse(a) => a.cvr_nummer,
            _ => None,
        });
    assert_eq!(owner_cvr.as_ref().map(|c| c.as_str()), Some("55133018"));
    assert_eq!(
        relationer.sagsaktoer[1].reference_id,
        Some(UnikId::Uuid(
            Uuid::new("6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d").expect("uuid")
        ))
    );
    let kle = udvidelser(&relationer.sagsklasse[0])
        .into_iter()
        .find_map(|u| match u {
            LokalUdvidelse::SagsklasseLokalUdvidelse(k) => k.brugervendt_noegle,
            _ => None,
        });
    assert_eq!(kle.as_deref(), Some("32.18.04"));

    let note = relationer.journalpost[0]
        .journalpost_egenskaber
        .as_ref()
        .and_then(|e| e.journalnotat_egenskaber.as_ref())
        .and_then(|n| n.notat.as_ref())
        .expect("journal note body");
    assert_eq!(
        String::from_utf8_lossy(&note.0),
        "Borgeren har afleveret lønsedler."
    );

    let systems = relationer
        .lokal_udvidelse_liste
        .as_ref()
        .expect("IT systems")
        .udvidelser
        .iter()
        .filter(|u| matches!(u, LokalUdvidelse::SagsitsystemRelation(_)))
        .count();
    assert_eq!(systems, 2, "master and sending system");

    let status = registrering
        .attribut_liste
        .lokal_udvidelse_liste
        .as_ref()
        .and_then(|l| l.udvidelser.first())
        .expect("SagIndeksEgenskaber");
    let LokalUdvidelse::SagIndeksEgenskaber(status) = status else {
        panic!("expected SagIndeksEgenskaber");
    };
    assert_eq!(status.sagsstatus.as_deref(), Some("Afsluttet - bevilget"));
    assert!(status.virkning.is_some());
}

#[test]
fn benefit_amounts_are_integer_oere_read_exactly() {
    let envelope = parse_request(fixture("effektuering-importer.xml").as_bytes()).expect("parses");
    let Request::YdelseImporter(input) = envelope.request else {
        panic!("not a benefit import");
    };
    let Some(ydelse::ImporterObjekt::Effektuering(import)) = input.objekter.first() else {
        panic!("not a payment");
    };
    let registrering = &import.oekonomisk_effektuering_indeks.registrering[0];
    let egenskaber = &registrering.attribut_liste.egenskaber[0];
    assert_eq!(egenskaber.samlet_bruttobeloeb, Some(Oere(1_140_500)));
    assert_eq!(egenskaber.beloeb_efter_skat_atp, Some(Oere(821_237)));
    assert_eq!(egenskaber.beloeb_udbetalt, Some(Oere(821_237)));
    let relation = &registrering
        .relation_liste
        .oekonomisk_ydelse_effektuering_relation[0];
    assert_eq!(relation.ydelsesbeloeb, Some(Oere(1_140_500)));
    assert_eq!(
        relation
            .bevilget_ydelse_ref
            .as_ref()
            .map(|r| r.uuid.as_str()),
        Some("a7b8c9d0-e1f2-4a3b-9c4d-5e6f7a8b9c0d")
    );

    let envelope = parse_request(fixture("effektuering-opdater.xml").as_bytes()).expect("parses");
    let Request::YdelseOpdater(input) = envelope.request else {
        panic!("not a benefit update");
    };
    let Some(ydelse::OpdaterObjekt::Effektuering(update)) = input.objekter.first() else {
        panic!("not a payment update");
    };
    let egenskaber = &update
        .ret
        .attribut_liste
        .as_ref()
        .expect("attributes")
        .egenskaber[0];
    assert_eq!(egenskaber.samlet_bruttobeloeb, Some(Oere(1_090_050)));
    assert_eq!(egenskaber.beloeb_efter_skat_atp, Some(Oere(-5)));

    let refusal = refuse(&fixture("effektuering-opdater.xml").replace("10900.5<", "10900.505<"));
    assert_eq!(refusal.kind, RefusalKind::InvalidValue);
    assert!(
        refusal
            .location
            .ends_with("/oef:Egenskaber/oef:SamletBruttobeloeb"),
        "{}",
        refusal.location
    );
}

const SOAP_OPEN: &str = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>"#;
const SOAP_CLOSE: &str = "</s:Body></s:Envelope>";

#[test]
fn a_dtd_is_refused_even_without_entities() {
    let xml = format!("<?xml version=\"1.0\"?><!DOCTYPE s:Envelope>{SOAP_OPEN}{SOAP_CLOSE}");
    let refusal = refuse(&xml);
    assert_eq!(refusal.kind, RefusalKind::Dtd);
    let answer = answer_refusal(&refusal, None);
    assert_eq!(answer.http_status, 400);
    assert!(
        answer.body.contains("<env:Value>env:Sender</env:Value>"),
        "{}",
        answer.body
    );
}

#[test]
fn entity_expansion_is_refused() {
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>{SOAP_OPEN}&lol2;{SOAP_CLOSE}"
    );
    assert_eq!(refuse(&laughs).kind, RefusalKind::Dtd);
    let undeclared = fixture("bevilling-fjern.xml").replace("slettet i", "slettet &xxe; i");
    let refusal = refuse(&undeclared);
    assert_eq!(refusal.kind, RefusalKind::Entity);
    // The five predefined entities and character references are plain XML.
    let fine = fixture("bevilling-fjern.xml").replace("slettet i", "slettet &amp; &#233; &#xE6; i");
    assert!(parse_request(fine.as_bytes()).is_ok());
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    let depth = samspil_sf1470::MAX_DEPTH + 5;
    let mut xml = String::from(SOAP_OPEN);
    xml.push_str(
        r#"<sdi:FjernSagDokumentIndeksInput xmlns:sdi="urn:oio:sts:sagdok:sagdokumentindeks:6">"#,
    );
    for _ in 0..depth {
        xml.push_str("<sdi:SoegUdtryk>");
    }
    for _ in 0..depth {
        xml.push_str("</sdi:SoegUdtryk>");
    }
    xml.push_str("</sdi:FjernSagDokumentIndeksInput>");
    xml.push_str(SOAP_CLOSE);
    let refusal = refuse(&xml);
    assert_eq!(refusal.kind, RefusalKind::TooDeep);
    assert!(answer_refusal(&refusal, None).body.contains("env:Sender"));
}

#[test]
fn hostile_shapes_are_refused_before_the_parser_builds_them() {
    // A million-deep nesting inside the size limit: refused by the linear
    // pre-scan, on a thread with a worker's small stack.
    let deep = format!(
        "{SOAP_OPEN}{}{}{SOAP_CLOSE}",
        "<a>".repeat(1_000_000),
        "</a>".repeat(1_000_000)
    );
    let refusal = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || parse_request(deep.as_bytes()).err())
        .expect("thread")
        .join()
        .expect("no stack overflow");
    assert_eq!(refusal.map(|r| r.kind), Some(RefusalKind::TooDeep));

    // Many attributes on one element (the parser's duplicate check is
    // quadratic in them): refused at once.
    let attributes: String = (0..200_000).map(|i| format!(" a{i}=\"\"")).collect();
    let wide = format!("{SOAP_OPEN}<x:Foo xmlns:x=\"urn:x\"{attributes}/>{SOAP_CLOSE}");
    let started = std::time::Instant::now();
    assert_eq!(refuse(&wide).kind, RefusalKind::TooManyAttributes);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));

    // Namespace declarations piling up in scope.
    let piled = format!(
        "{SOAP_OPEN}{}{}{SOAP_CLOSE}",
        (0..40)
            .map(|i| format!("<a{i}:x xmlns:a{i}=\"urn:a{i}\" xmlns:b{i}=\"urn:b{i}\">"))
            .collect::<String>(),
        (0..40)
            .rev()
            .map(|i| format!("</a{i}:x>"))
            .collect::<String>()
    );
    assert_eq!(refuse(&piled).kind, RefusalKind::TooManyAttributes);
    // A writer that repeats the default namespace on every element is fine.
    let repeated = fixture("dokument-importer.xml").replace(
        "<Egenskaber>",
        r#"<Egenskaber xmlns="urn:oio:sts:sagdok:dokumentindeks:6">"#,
    );
    assert!(parse_request(repeated.as_bytes()).is_ok());

    // More nodes than the limit, flat.
    let many = format!(
        "{SOAP_OPEN}<x:Foo xmlns:x=\"urn:x\">{}</x:Foo>{SOAP_CLOSE}",
        "<a/>".repeat(samspil_sf1470::MAX_NODES as usize + 10)
    );
    assert_eq!(refuse(&many).kind, RefusalKind::TooManyNodes);

    // A value cut into many pieces by comments is joined in linear time.
    let pieces = format!("Bevillingen{}", "x<!---->".repeat(100_000));
    let xml = fixture("bevilling-fjern.xml").replace("Bevillingen", &pieces);
    let started = std::time::Instant::now();
    assert_eq!(
        refuse(&xml).kind,
        RefusalKind::InvalidValue,
        "longer than NoteTekst's 1024"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2));

    // Markup-like text inside comments, CDATA and attribute values is not
    // counted as nesting.
    let xml = fixture("bevilling-fjern.xml").replace(
        "<sd:NoteTekst>Bevillingen",
        &format!(
            "<!-- {} --><sd:NoteTekst><![CDATA[{}]]>Bevillingen",
            "<a>".repeat(100),
            "<b>".repeat(100)
        ),
    );
    assert!(parse_request(xml.as_bytes()).is_ok());
}

#[test]
fn a_body_larger_than_the_limit_is_refused_before_parsing() {
    let mut xml = fixture("bevilling-fjern.xml");
    xml.push_str(&" ".repeat(samspil_sf1470::MAX_BODY_BYTES));
    assert_eq!(refuse(&xml).kind, RefusalKind::TooLarge);
    assert_eq!(
        parse_request(&[0xff, 0xfe, 0x00]).err().map(|r| r.kind),
        Some(RefusalKind::NotUtf8)
    );
}

#[test]
fn an_element_in_the_wrong_namespace_is_refused_with_its_location() {
    let xml = fixture("sag-importer.xml").replace(
        r#"xmlns:ns3="urn:oio:sts:sagdok:sag:6""#,
        r#"xmlns:ns3="urn:oio:sts:sagdok:sag:5""#,
    );
    let refusal = refuse(&xml);
    assert_eq!(refusal.kind, RefusalKind::WrongNamespace);
    assert_eq!(
        refusal.location,
        "/env:Envelope/env:Body/sdi:ImporterSagDokumentIndeksInput/sdi:SagIndeks/?:Registrering"
    );
    assert!(refusal.message.contains(ns::SAG), "{}", refusal.message);
    assert_eq!(refusal.operation, Some(OperationKind::SagDokumentImporter));

    // The body element itself in the wrong namespace: no operation, a fault.
    let xml = fixture("sag-fjern.xml").replace(
        r#"xmlns:sdi="urn:oio:sts:sagdok:sagdokumentindeks:6""#,
        r#"xmlns:sdi="urn:oio:sts:sagdok:sagdokumentindeks:5""#,
    );
    let refusal = refuse(&xml);
    assert_eq!(refusal.kind, RefusalKind::WrongNamespace);
    assert_eq!(refusal.operation, None);
    assert!(answer_refusal(&refusal, None).body.contains("env:Sender"));
}

#[test]
fn a_missing_required_element_is_refused_with_its_parent() {
    let xml = fixture("bevilling-fjern.xml").replace(
        "<sd:UUIDIdentifikator>a7b8c9d0-e1f2-4a3b-9c4d-5e6f7a8b9c0d</sd:UUIDIdentifikator>",
        "",
    );
    let refusal = refuse(&xml);
    assert_eq!(refusal.kind, RefusalKind::MissingElement);
    assert_eq!(refusal.location, "/env:Envelope/env:Body/bi:FjernInput");
    assert!(
        refusal.message.contains("sd:UUIDIdentifikator"),
        "{}",
        refusal.message
    );

    // A case without its required TilstandListe.
    let xml = fixture("sag-importer.xml");
    let start = xml.find("<ns3:TilstandListe>").expect("has states");
    let end = xml.find("</ns3:TilstandListe>").expect("has states") + "</ns3:TilstandListe>".len();
    let refusal = refuse(&format!("{}{}", &xml[..start], &xml[end..]));
    assert_eq!(refusal.kind, RefusalKind::MissingElement);
    assert!(
        refusal
            .location
            .ends_with("/sdi:SagIndeks/sag:Registrering"),
        "{}",
        refusal.location
    );
    assert!(
        refusal.message.contains("sag:TilstandListe"),
        "{}",
        refusal.message
    );
}

#[test]
fn a_bad_date_is_refused_without_repeating_it() {
    let xml = fixture("sag-importer.xml").replace(
        "<ns2:TilTidspunkt><ns2:TidsstempelDatoTid>2019-06-22T09:00:00+02:00",
        "<ns2:TilTidspunkt><ns2:TidsstempelDatoTid>2019-06-31T09:00:00+02:00",
    );
    let refusal = refuse(&xml);
    assert_eq!(refusal.kind, RefusalKind::InvalidValue);
    assert_eq!(
        refusal.location,
        "/env:Envelope/env:Body/sdi:ImporterSagDokumentIndeksInput/sdi:SagIndeks/sag:Registrering/sag:TilstandListe/sag:Fremdrift[1]/sag:Virkning/sd:TilTidspunkt/sd:TidsstempelDatoTid"
    );
    assert!(!refusal.to_string().contains("2019-06-31"));

    // Answered in the operation's shape: StatusKode 40 with the reason.
    let header = RequestHeader {
        transaction_uuid: Text::new("7d3f6f0e-2a51-4c39-9d61-3c1b0e6a9f01").expect("text"),
    };
    let answer = answer_refusal(&refusal, Some(&header));
    assert_eq!(answer.http_status, 200);
    let (echoed, response) = parse_response(answer.body.as_bytes()).expect("a response");
    assert_eq!(echoed, Some(header));
    let Response::SagDokumentImporter(MultipleOutput::Standard(retur)) = response else {
        panic!("importer's output");
    };
    let [standard] = retur.as_slice() else {
        panic!("one StandardRetur");
    };
    assert_eq!(standard.status_kode, StatusKode::Inputfejl);
    assert!(
        standard
            .fejlbesked_tekst
            .as_deref()
            .unwrap_or("")
            .contains("sag:Fremdrift[1]")
    );
    assert!(answer.body.contains("<sd:StatusKode>40</sd:StatusKode>"));
}

#[test]
fn a_cpr_number_never_appears_in_a_refusal() {
    let long = format!("urn:oio:cpr-nr:0101901234{}", "x".repeat(300));
    let xml = fixture("sag-importer.xml").replace("urn:oio:cpr-nr:0101901234", &long);
    let refusal = refuse(&xml);
    assert_eq!(refusal.kind, RefusalKind::InvalidValue);
    assert!(!refusal.to_string().contains("0101901234"));
    assert!(
        refusal
            .location
            .ends_with("/sag:Sagspart/gd:ReferenceID/sd:URNIdentifikator")
    );
}

#[test]
fn soap_1_1_gets_a_version_mismatch_fault() {
    let xml = fixture("sag-fjern.xml").replace(ns::SOAP12, ns::SOAP11);
    let refusal = refuse(&xml);
    assert_eq!(refusal.kind, RefusalKind::VersionMismatch);
    let answer = answer_refusal(&refusal, None);
    assert_eq!(answer.http_status, 400);
    assert!(
        answer
            .body
            .contains("<env:Value>env:VersionMismatch</env:Value>")
    );
    assert!(
        answer
            .body
            .contains(r#"<env:SupportedEnvelope qname="env:Envelope"/>"#)
    );
}

#[test]
fn non_xml_and_non_soap_input_get_sender_faults() {
    for (input, kind) in [
        ("hello", RefusalKind::Malformed),
        ("", RefusalKind::Malformed),
        ("<a><b></a>", RefusalKind::Malformed),
        ("<ImporterSagDokumentIndeksInput/>", RefusalKind::NotSoap),
        (
            r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"/>"#,
            RefusalKind::NotSoap,
        ),
        (
            &format!("{SOAP_OPEN}{SOAP_CLOSE}"),
            RefusalKind::UnknownOperation,
        ),
        (
            &format!("{SOAP_OPEN}<x:Foo xmlns:x=\"urn:x\"/>{SOAP_CLOSE}"),
            RefusalKind::UnknownOperation,
        ),
    ] {
        let refusal = refuse(input);
        assert_eq!(refusal.kind, kind, "{input}");
        let answer = answer_refusal(&refusal, None);
        assert_eq!(answer.http_status, 400);
        assert!(
            answer.body.contains("<env:Value>env:Sender</env:Value>"),
            "{input}"
        );
        assert!(roxmltree::Document::parse(&answer.body).is_ok());
    }
}

#[test]
fn elements_the_schema_does_not_allow_are_refused() {
    // An unknown element in a sequence.
    let xml = fixture("sag-importer.xml").replace(
        "<ns3:Kassationskode>K</ns3:Kassationskode>",
        "<ns3:Kassationskode>K</ns3:Kassationskode><ns3:Farve>blaa</ns3:Farve>",
    );
    let refusal = refuse(&xml);
    assert_eq!(refusal.kind, RefusalKind::UnexpectedElement);
    assert!(
        refusal.location.ends_with("/sag:Egenskaber/sag:Farve"),
        "{}",
        refusal.location
    );

    // Out of the schema's order.
    let xml = fixture("sag-opdater.xml").replace(
        "<x:Tidspunkt>2019-09-01T16:05:00+02:00</x:Tidspunkt>\n        <x:UdenNotifikation>false</x:UdenNotifikation>",
        "<x:UdenNotifikation>false</x:UdenNotifikation><x:Tidspunkt>2019-09-01T16:05:00+02:00</x:Tidspunkt>",
    );
    assert_eq!(refuse(&xml).kind, RefusalKind::MissingElement);

    // xs:any processContents="strict": an extension element no schema declares.
    let xml = fixture("sag-importer.xml").replace(
        "<ns5:Sagsstatus>",
        "</ns5:SagIndeksEgenskaber><v:Egen xmlns:v=\"urn:vendor:x\">1</v:Egen><ns5:SagIndeksEgenskaber><ns5:Sagsstatus>",
    );
    let refusal = refuse(&xml);
    assert_eq!(refusal.kind, RefusalKind::UnexpectedElement);
    assert!(
        refusal.message.contains("urn:vendor:x"),
        "{}",
        refusal.message
    );

    // Text inside a complex element.
    let xml = fixture("bevilling-fjern.xml").replace("<sd:NoteTekst>", "tekst<sd:NoteTekst>");
    assert_eq!(refuse(&xml).kind, RefusalKind::UnexpectedText);

    // More than one body element.
    let xml = fixture("effektuering-fjern.xml").replace("</oef:FjernInput>", r#"</oef:FjernInput><o:FjernInput xmlns:o="urn:oio:sts:ydelse:oekonomiskeffektueringindeks:6"/>"#);
    assert_eq!(refuse(&xml).kind, RefusalKind::UnexpectedElement);
}

#[test]
fn header_blocks_security_exposed_must_understand_refused() {
    let security = r#"<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" soap:mustUnderstand="true"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1"><saml:Issuer>https://sts.example</saml:Issuer></saml:Assertion></wsse:Security>"#;
    let xml = fixture("bevilling-importer.xml")
        .replace("<soap:Header>", &format!("<soap:Header>{security}"));
    let envelope = parse_request(xml.as_bytes()).expect("parses with a security header");
    let header = envelope.header.security.expect("exposed");
    assert_eq!(header.xml, security);
    assert!(header.must_understand);
    assert!(
        header
            .namespaces
            .iter()
            .any(|(prefix, uri)| prefix == "soap" && uri == ns::SOAP12)
    );
    assert!(envelope.header.request_header.is_some());

    let unknown = r#"<x:Policy xmlns:x="urn:x" soap:mustUnderstand="1"/>"#;
    let xml = fixture("bevilling-importer.xml")
        .replace("<soap:Header>", &format!("<soap:Header>{unknown}"));
    let refusal = refuse(&xml);
    assert_eq!(refusal.kind, RefusalKind::MustUnderstand);
    assert!(
        answer_refusal(&refusal, None)
            .body
            .contains("env:MustUnderstand")
    );

    let ignored = r#"<x:Trace xmlns:x="urn:x">42</x:Trace>"#;
    let xml = fixture("bevilling-importer.xml")
        .replace("<soap:Header>", &format!("<soap:Header>{ignored}"));
    assert!(parse_request(xml.as_bytes()).is_ok());
}

#[test]
fn responses_are_written_in_the_wsdl_shape_escaped_and_read_back() {
    let header = RequestHeader {
        transaction_uuid: Text::new("e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b").expect("text"),
    };
    let uuid = Uuid::new("5c1e7f0a-3d2b-4e8f-9a61-2b7c4d9e0f12").expect("uuid");
    let response = Response::SagDokumentImporter(MultipleOutput::Unik(vec![
        unik_retur("Sag", uuid.clone(), StatusKode::Ok, ""),
        unik_retur(
            "Sag",
            uuid,
            StatusKode::Konflikt,
            "Titel <b> & \"x\" 'y'\r\nnæste linje",
        ),
    ]));
    let xml = write_response(Some(&header), &response);
    assert!(xml.contains("<sdi:ImporterSagDokumentIndeksOutput"));
    assert!(xml.contains("<sd:StatusKode>49</sd:StatusKode>"));
    assert!(xml.contains("Titel &lt;b&gt; &amp; &quot;x&quot; &apos;y&apos;&#xD;\nnæste linje"));
    assert!(xml.contains(
        "<header:TransactionUUID>e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b</header:TransactionUUID>"
    ));
    let (echoed, read) = parse_response(xml.as_bytes()).expect("reads back");
    assert_eq!(echoed, Some(header.clone()));
    assert_eq!(read, response);

    // fremsoeg answers with the cases found, their registrations complete.
    let sag = sag_import();
    let response = Response::SagDokumentFremsoeg(sagdok::FremsoegOutput {
        standard_retur: StandardRetur::default(),
        antal: vec![sagdok::Antal {
            element: sagdok::AntalElement::Sager,
            antal: 1,
            paginering: None,
        }],
        sag: vec![samspil_sf1470::sag::FiltreretOejebliksbillede {
            objekt_type: samspil_sf1470::common::SagDokObjekt {
                uuid: sag.uuid.clone(),
            },
            registrering: sag.registrering.clone(),
        }],
        dokument: vec![],
    });
    let xml = write_response(Some(&header), &response);
    assert!(xml.contains("<sd:StatusKode>20</sd:StatusKode>"));
    assert_eq!(
        parse_response(xml.as_bytes()).expect("reads back").1,
        response
    );

    // Each operation's status-only answer has its own output element.
    for kind in OperationKind::ALL {
        let xml = write_response(
            None,
            &status_only(kind, StatusKode::IkkeFundet, "ikke fundet"),
        );
        let (ns, name) = kind.response_element();
        let document = roxmltree::Document::parse(&xml).expect("well-formed");
        assert!(
            document.descendants().any(|n| n.has_tag_name((ns, name))),
            "{kind:?}"
        );
        assert!(
            xml.contains("<sd:StatusKode>44</sd:StatusKode>"),
            "{kind:?}"
        );
        assert_eq!(
            parse_response(xml.as_bytes()).expect("reads back").1.kind(),
            kind
        );
    }
}

#[test]
fn a_multiple_output_never_mixes_its_two_lists() {
    let uuid = Uuid::new("5c1e7f0a-3d2b-4e8f-9a61-2b7c4d9e0f12").expect("uuid");
    let xml = write_response(
        None,
        &Response::SagDokumentFjern(MultipleOutput::Unik(vec![unik_retur(
            "Sag",
            uuid,
            StatusKode::IkkeFundet,
            "",
        )])),
    );
    let mixed = xml.replace(
        "</sdi:FjernSagDokumentIndeksOutput>",
        "<sd:StandardRetur><sd:StatusKode>20</sd:StatusKode></sd:StandardRetur></sdi:FjernSagDokumentIndeksOutput>",
    );
    let refusal = parse_response(mixed.as_bytes()).expect_err("mixed lists");
    assert_eq!(refusal.kind, RefusalKind::UnexpectedElement);
}

#[test]
fn server_faults_are_receiver_faults() {
    let xml = write_fault(FaultCode::Receiver, "database <unavailable> & retry");
    assert_eq!(FaultCode::Receiver.http_status(), 500);
    assert!(xml.contains("<env:Value>env:Receiver</env:Value>"));
    assert!(xml.contains("database &lt;unavailable&gt; &amp; retry"));
    let refusal = parse_response(xml.as_bytes()).expect_err("a fault is not a response");
    assert_eq!(refusal.kind, RefusalKind::Fault);
    assert!(refusal.message.contains("database <unavailable> & retry"));
}

/// Not a timed test: prints what an initial load costs to parse. Run with
/// `cargo test -p samspil-sf1470 --test codec -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_parsing_an_initial_load_of_a_thousand_cases() {
    let envelope = parse_request(fixture("sag-importer.xml").as_bytes()).expect("parses");
    let Request::SagDokumentImporter(mut input) = envelope.request else {
        panic!("not an import");
    };
    let one = input.objekter[0].clone();
    let single = write_request(None, &Request::SagDokumentImporter(input.clone()));
    let nodes = roxmltree::Document::parse(&single)
        .expect("xml")
        .descendants()
        .count();
    input.objekter = vec![one; 1000];
    let body = write_request(None, &Request::SagDokumentImporter(input));
    let started = std::time::Instant::now();
    let parsed = parse_request(body.as_bytes()).expect("parses");
    let elapsed = started.elapsed();
    let Request::SagDokumentImporter(parsed) = parsed.request else {
        panic!("not an import");
    };
    println!(
        "one case with its full history: {} bytes, {nodes} XML nodes; 1000 cases: {} bytes parsed in {elapsed:?} ({} cases)",
        single.len(),
        body.len(),
        parsed.objekter.len()
    );
}

mod properties {
    use proptest::prelude::*;
    use samspil_sf1470::common::{
        MultipleOutput, RegistreringFelter, Relation, StatusKode, Tidspunkt, UnikId, Virkning,
    };
    use samspil_sf1470::effektuering;
    use samspil_sf1470::sag::{self, FremdriftStatusKode};
    use samspil_sf1470::sagdok::{self, ImporterObjekt};
    use samspil_sf1470::simple::{DateTime, Oere, Text, Uuid};
    use samspil_sf1470::ydelse;
    use samspil_sf1470::{Request, RequestHeader, parse_request, write_request};
    use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

    use super::fixtures;

    fn text<const MIN: usize, const MAX: usize>() -> impl Strategy<Value = Text<MIN, MAX>> {
        proptest::string::string_regex(&format!("[\\PC\r\n\t]{{{MIN},{}}}", MAX.min(40)))
            .expect("regex")
            .prop_filter_map("fits", |s| Text::new(s).ok())
    }

    fn uuid() -> impl Strategy<Value = Uuid> {
        "[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}"
            .prop_map(|s| Uuid::new(s).expect("matches the pattern"))
    }

    fn date_time() -> impl Strategy<Value = DateTime> {
        (
            1i32..=9999,
            1u8..=12,
            1u8..=28,
            0u8..24,
            0u8..60,
            0u8..60,
            prop_oneof![Just(0u32), 0u32..1_000_000_000],
            prop::option::of(-14 * 60i32..=14 * 60),
        )
            .prop_map(|(y, mo, d, h, mi, s, nanos, offset)| DateTime {
                local: PrimitiveDateTime::new(
                    Date::from_calendar_date(y, Month::try_from(mo).expect("month"), d)
                        .expect("date"),
                    Time::from_hms_nano(h, mi, s, nanos).expect("time"),
                ),
                offset: offset.map(|m| {
                    UtcOffset::from_hms((m / 60) as i8, (m % 60) as i8, 0).expect("offset")
                }),
            })
    }

    fn tidspunkt() -> impl Strategy<Value = Tidspunkt> {
        prop_oneof![
            Just(Tidspunkt::UENDELIG),
            date_time().prop_map(Tidspunkt::Tidsstempel)
        ]
    }

    fn unik_id() -> impl Strategy<Value = UnikId> {
        prop_oneof![
            uuid().prop_map(UnikId::Uuid),
            text::<0, 255>().prop_map(UnikId::Urn)
        ]
    }

    fn virkning() -> impl Strategy<Value = Virkning> {
        (
            prop::option::of(tidspunkt()),
            prop::option::of(tidspunkt()),
            prop::option::of(unik_id()),
            prop::option::of(prop::sample::select(
                samspil_sf1470::common::AktoerTypeKode::ALL,
            )),
            prop::option::of(text::<0, 1024>()),
        )
            .prop_map(|(fra, til, aktoer, kode, note)| Virkning {
                fra_tidspunkt: fra,
                til_tidspunkt: til,
                aktoer_ref: aktoer,
                aktoer_type_kode: kode,
                note_tekst: note,
            })
    }

    fn relation() -> impl Strategy<Value = Relation> {
        (
            prop::option::of(virkning()),
            prop::option::of(unik_id()),
            prop::option::of(text::<0, 36>()),
            prop::option::of(unik_id()),
        )
            .prop_map(|(virkning, rolle, indeks, reference)| Relation {
                virkning,
                rolle,
                indeks,
                reference_id: reference,
                ..Relation::default()
            })
    }

    fn sag() -> impl Strategy<Value = sag::Sag> {
        let egenskaber = (
            prop::option::of(virkning()),
            prop::option::of(text::<1, 50>()),
            prop::option::of(text::<1, 255>()),
            prop::option::of(any::<bool>()),
        )
            .prop_map(
                |(virkning, sagsnummer, titel, principiel)| sag::Egenskaber {
                    virkning,
                    brugervendt_noegle: sagsnummer
                        .as_ref()
                        .and_then(|s| Text::new(s.as_str()).ok()),
                    sagsnummer,
                    titel,
                    principiel_indikator: principiel,
                    ..sag::Egenskaber::default()
                },
            );
        let fremdrift = (
            prop::option::of(virkning()),
            prop::option::of(prop::sample::select(FremdriftStatusKode::ALL)),
        )
            .prop_map(|(virkning, kode)| sag::Fremdrift {
                virkning,
                fremdrift_status_kode: kode,
            });
        let registrering = (
            prop::option::of(date_time()),
            prop::collection::vec(egenskaber, 0..3),
            prop::collection::vec(fremdrift, 0..5),
            prop::collection::vec(relation(), 0..3),
            prop::collection::vec(relation(), 0..3),
        )
            .prop_map(
                |(tidspunkt, egenskaber, fremdrift, aktoerer, parter)| sag::Registrering {
                    felter: RegistreringFelter {
                        tidspunkt,
                        ..RegistreringFelter::default()
                    },
                    attribut_liste: sag::AttributListe {
                        egenskaber,
                        lokal_udvidelse_liste: None,
                    },
                    tilstand_liste: sag::TilstandListe {
                        fremdrift,
                        lokal_udvidelse_liste: None,
                    },
                    relation_liste: sag::RelationListe {
                        sagsaktoer: aktoerer,
                        sagspart: parter,
                        ..sag::RelationListe::default()
                    },
                },
            );
        (
            uuid(),
            prop::collection::vec(registrering, 1..3),
            prop::option::of(any::<bool>()),
        )
            .prop_map(|(uuid, registrering, uden)| sag::Sag {
                uuid,
                registrering,
                uden_notifikation: uden,
            })
    }

    fn effektuering() -> impl Strategy<Value = effektuering::OekonomiskEffektueringIndeks> {
        let amount = || prop::option::of(any::<i64>().prop_map(|o| Oere(o / 2)));
        (
            uuid(),
            amount(),
            amount(),
            amount(),
            prop::option::of(date_time()),
            prop::option::of(text::<1, 255>()),
        )
            .prop_map(
                |(uuid, brutto, netto, udbetalt, dispositionsdato, afdeling)| {
                    effektuering::OekonomiskEffektueringIndeks {
                        uuid,
                        registrering: vec![effektuering::Registrering {
                            attribut_liste: effektuering::AttributListe {
                                egenskaber: vec![effektuering::Egenskaber {
                                    samlet_bruttobeloeb: brutto,
                                    beloeb_efter_skat_atp: netto,
                                    beloeb_udbetalt: udbetalt,
                                    dispositionsdato,
                                    udbetalingsafdeling: afdeling,
                                    ..effektuering::Egenskaber::default()
                                }],
                                lokal_udvidelse_liste: None,
                            },
                            ..effektuering::Registrering::default()
                        }],
                    }
                },
            )
    }

    fn dokument() -> impl Strategy<Value = samspil_sf1470::dokument::DokumentIndeks> {
        use samspil_sf1470::dokument;
        let date = (
            1i32..=9999,
            1u8..=12,
            1u8..=28,
            prop::option::of(-14 * 60i32..=14 * 60),
        )
            .prop_map(|(y, m, d, offset)| samspil_sf1470::simple::Date {
                date: Date::from_calendar_date(y, Month::try_from(m).expect("month"), d)
                    .expect("date"),
                offset: offset.map(|m| {
                    UtcOffset::from_hms((m / 60) as i8, (m % 60) as i8, 0).expect("offset")
                }),
            });
        let egenskaber = (
            prop::option::of(virkning()),
            prop::option::of(text::<1, 255>()),
            prop::option::of(date),
            prop::option::of(any::<i64>()),
            prop::option::of(prop::sample::select(dokument::DokumentType::ALL)),
            prop::option::of(prop::sample::select(
                samspil_sf1470::common::Foelsomhed::ALL,
            )),
        )
            .prop_map(|(virkning, titel, brev_dato, version, type_, foelsomhed)| {
                dokument::Egenskaber {
                    virkning,
                    titel,
                    brev_dato,
                    version_identifikator: version,
                    type_,
                    foelsomhed,
                    ..dokument::Egenskaber::default()
                }
            });
        let fremdrift = (
            prop::option::of(virkning()),
            prop::option::of(prop::sample::select(dokument::FremdriftStatusKode::ALL)),
        )
            .prop_map(|(virkning, kode)| dokument::Fremdrift {
                virkning,
                fremdrift_status_kode: kode,
            });
        (
            uuid(),
            prop::collection::vec(egenskaber, 0..3),
            prop::collection::vec(fremdrift, 0..3),
            prop::collection::vec(relation(), 0..3),
        )
            .prop_map(
                |(uuid, egenskaber, fremdrift, parter)| dokument::DokumentIndeks {
                    uuid,
                    registrering: vec![dokument::Registrering {
                        attribut_liste: dokument::AttributListe {
                            egenskaber,
                            lokal_udvidelse_liste: None,
                        },
                        tilstand_liste: dokument::TilstandListe {
                            fremdrift,
                            lokal_udvidelse_liste: None,
                        },
                        relation_liste: dokument::RelationListe {
                            dokumentpart: parter,
                            ..dokument::RelationListe::default()
                        },
                        ..dokument::Registrering::default()
                    }],
                },
            )
    }

    fn bevilling() -> impl Strategy<Value = samspil_sf1470::bevilling::BevillingIndeks> {
        use samspil_sf1470::bevilling;
        let plan = (
            prop::option::of(any::<i64>().prop_map(Oere)),
            prop::option::of(prop::sample::select(bevilling::ForudBagud::ALL)),
            prop::option::of(date_time()),
        )
            .prop_map(|(beloeb, forud_bagud, start)| {
                bevilling::OekonomiskEffektueringsplan {
                    ydelsesbeloeb: beloeb,
                    forud_bagud,
                    startdato: start,
                    ..bevilling::OekonomiskEffektueringsplan::default()
                }
            });
        let ydelse = (
            prop::option::of(virkning()),
            prop::option::of(text::<1, 36>()),
            prop::collection::vec(plan, 0..3),
        )
            .prop_map(|(virkning, id, planer)| bevilling::BevilgetYdelse {
                virkning,
                id,
                oekonomisk_effektueringsplan: planer,
                ..bevilling::BevilgetYdelse::default()
            });
        (uuid(), prop::collection::vec(ydelse, 0..3)).prop_map(|(uuid, ydelser)| {
            bevilling::BevillingIndeks {
                uuid,
                registrering: vec![bevilling::Registrering {
                    attribut_liste: bevilling::AttributListe {
                        bevilget_ydelse: ydelser,
                        ..bevilling::AttributListe::default()
                    },
                    ..bevilling::Registrering::default()
                }],
                uden_notifikation: None,
            }
        })
    }

    /// Validates, with libxml2's `xmllint` against the vendored XSDs, every
    /// fixture, what the writer makes of it, every operation's response, and
    /// requests written from random values. Needs `xmllint` (Debian:
    /// `libxml2-utils`) and fails without it; run with
    /// `cargo test -p samspil-sf1470 --test codec -- --ignored xmllint`.
    #[test]
    #[ignore]
    fn written_xml_validates_against_the_xsds_with_xmllint() {
        use proptest::strategy::ValueTree;
        use samspil_sf1470::common::{SagDokObjekt, StandardRetur};
        use samspil_sf1470::response::{status_only, unik_retur};
        use samspil_sf1470::{OperationKind, Response, write_response};

        let dir =
            std::env::temp_dir().join(format!("samspil-sf1470-xmllint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let mut files = Vec::new();
        let mut save = |name: String, xml: String| {
            let path = dir.join(name);
            std::fs::write(&path, xml).expect("written");
            files.push(path);
        };
        for (name, xml) in fixtures() {
            let envelope = parse_request(xml.as_bytes()).expect("parses");
            save(format!("fixture-{name}"), xml);
            save(
                format!("written-{name}"),
                write_request(envelope.header.request_header.as_ref(), &envelope.request),
            );
            if let Request::SagDokumentImporter(input) = &envelope.request {
                for (i, objekt) in input.objekter.iter().enumerate() {
                    if let ImporterObjekt::Sag(sag) = objekt {
                        let response = Response::SagDokumentFremsoeg(sagdok::FremsoegOutput {
                            standard_retur: StandardRetur::default(),
                            sag: vec![samspil_sf1470::sag::FiltreretOejebliksbillede {
                                objekt_type: SagDokObjekt {
                                    uuid: sag.uuid.clone(),
                                },
                                registrering: sag.registrering.clone(),
                            }],
                            ..sagdok::FremsoegOutput::default()
                        });
                        save(
                            format!("fremsoeg-{i}-{name}"),
                            write_response(None, &response),
                        );
                    }
                }
            }
        }
        for kind in OperationKind::ALL {
            save(
                format!("status-{kind:?}.xml"),
                write_response(None, &status_only(kind, StatusKode::Inputfejl, "x <y> & z")),
            );
        }
        let uuid = Uuid::new("5c1e7f0a-3d2b-4e8f-9a61-2b7c4d9e0f12").expect("uuid");
        save(
            "unik.xml".into(),
            write_response(
                None,
                &Response::YdelseImporter(MultipleOutput::Unik(vec![unik_retur(
                    "Bevilling",
                    uuid,
                    StatusKode::Ok,
                    "",
                )])),
            ),
        );
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for i in 0..25 {
            let sag = sag().new_tree(&mut runner).expect("value").current();
            let dokument = dokument().new_tree(&mut runner).expect("value").current();
            let bevilling = bevilling().new_tree(&mut runner).expect("value").current();
            let payment = effektuering()
                .new_tree(&mut runner)
                .expect("value")
                .current();
            save(
                format!("random-sag-{i}.xml"),
                write_request(
                    None,
                    &Request::SagDokumentImporter(sagdok::ImporterInput {
                        objekter: vec![
                            ImporterObjekt::Sag(sag),
                            ImporterObjekt::Dokument(dokument),
                        ],
                    }),
                ),
            );
            save(
                format!("random-ydelse-{i}.xml"),
                write_request(
                    None,
                    &Request::YdelseImporter(ydelse::ImporterInput {
                        objekter: vec![
                            ydelse::ImporterObjekt::Bevilling(
                                samspil_sf1470::bevilling::ImportInput {
                                    bevilling_indeks: bevilling,
                                },
                            ),
                            ydelse::ImporterObjekt::Effektuering(effektuering::ImportInput {
                                oekonomisk_effektuering_indeks: payment,
                            }),
                        ],
                    }),
                ),
            );
        }
        let schema =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xsd/all-operations.xsd");
        let output = std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&schema)
            .args(&files)
            .output()
            .expect("xmllint is installed (libxml2-utils)");
        let report = String::from_utf8_lossy(&output.stderr);
        let failures: Vec<&str> = report
            .lines()
            .filter(|l| !l.ends_with(" validates") && !l.contains("Skipping import"))
            .collect();
        assert!(
            output.status.success() && failures.is_empty(),
            "{}",
            failures.join("\n")
        );
        assert_eq!(
            report.lines().filter(|l| l.ends_with(" validates")).count(),
            files.len()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_are_refused_or_parsed_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse_request(&bytes);
            let _ = samspil_sf1470::parse_response(&bytes);
        }

        #[test]
        fn mutated_envelopes_are_refused_or_parsed_never_a_panic(
            which in 0usize..16,
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..40, prop::sample::select(vec![
                "", "<", ">", "</", "/>", "&", "&amp;", "&#0;", "<!DOCTYPE x>", "<![CDATA[x]]>", "\"", "xmlns:a=\"urn:a\"",
                "<sd:UUIDIdentifikator>", "true", "-1.005", "2019-13-40T25:61:61Z", "é", "\u{FFFD}", "<!-- c -->",
            ])), 1..6),
        ) {
            let all = fixtures();
            let mut bytes = all[which % all.len()].1.clone().into_bytes();
            for (at, delete, insert) in edits {
                let start = at.index(bytes.len().max(1)).min(bytes.len());
                let end = (start + delete).min(bytes.len());
                bytes.splice(start..end, insert.bytes());
            }
            if let Err(refusal) = parse_request(&bytes) {
                let answer = samspil_sf1470::answer_refusal(&refusal, None);
                prop_assert!(roxmltree::Document::parse(&answer.body).is_ok());
            }
        }

        #[test]
        fn written_cases_parse_back_to_the_same_value(sager in prop::collection::vec(sag(), 1..3), transaction in text::<1, 40>()) {
            let header = RequestHeader { transaction_uuid: Text::new(transaction.as_str()).expect("text") };
            let request = Request::SagDokumentImporter(sagdok::ImporterInput {
                objekter: sager.into_iter().map(ImporterObjekt::Sag).collect(),
            });
            let xml = write_request(Some(&header), &request);
            let envelope = parse_request(xml.as_bytes()).map_err(|r| TestCaseError::fail(r.to_string()))?;
            prop_assert_eq!(envelope.request, request);
            prop_assert_eq!(envelope.header.request_header, Some(header));
        }

        #[test]
        fn written_documents_and_grants_parse_back_to_the_same_value(
            dokumenter in prop::collection::vec(dokument(), 1..3),
            bevillinger in prop::collection::vec(bevilling(), 1..3),
        ) {
            let request = Request::SagDokumentImporter(sagdok::ImporterInput {
                objekter: dokumenter.into_iter().map(ImporterObjekt::Dokument).collect(),
            });
            let xml = write_request(None, &request);
            let envelope = parse_request(xml.as_bytes()).map_err(|r| TestCaseError::fail(r.to_string()))?;
            prop_assert_eq!(envelope.request, request);

            let request = Request::YdelseImporter(ydelse::ImporterInput {
                objekter: bevillinger
                    .into_iter()
                    .map(|b| ydelse::ImporterObjekt::Bevilling(samspil_sf1470::bevilling::ImportInput { bevilling_indeks: b }))
                    .collect(),
            });
            let xml = write_request(None, &request);
            let envelope = parse_request(xml.as_bytes()).map_err(|r| TestCaseError::fail(r.to_string()))?;
            prop_assert_eq!(envelope.request, request);
        }

        #[test]
        fn written_payments_parse_back_to_the_same_amounts(payments in prop::collection::vec(effektuering(), 1..4)) {
            let request = Request::YdelseImporter(ydelse::ImporterInput {
                objekter: payments
                    .into_iter()
                    .map(|p| ydelse::ImporterObjekt::Effektuering(effektuering::ImportInput { oekonomisk_effektuering_indeks: p }))
                    .collect(),
            });
            let xml = write_request(None, &request);
            let envelope = parse_request(xml.as_bytes()).map_err(|r| TestCaseError::fail(r.to_string()))?;
            prop_assert_eq!(envelope.request, request);
        }

        #[test]
        fn written_responses_parse_back_to_the_same_value(
            statuses in prop::collection::vec((uuid(), prop::sample::select(vec![20i64, 40, 44, 49, 50, 51]), text::<0, 80>()), 0..5),
            kind in prop::sample::select(samspil_sf1470::OperationKind::ALL.to_vec()),
            message in text::<0, 80>(),
        ) {
            let retur: Vec<_> = statuses
                .into_iter()
                .map(|(uuid, code, message)| {
                    samspil_sf1470::response::unik_retur("Sag", uuid, StatusKode::from_code(code), &message)
                })
                .collect();
            let response = match kind {
                samspil_sf1470::OperationKind::SagDokumentImporter if !retur.is_empty() => {
                    samspil_sf1470::Response::SagDokumentImporter(MultipleOutput::Unik(retur))
                }
                kind => samspil_sf1470::response::status_only(kind, StatusKode::from_code(40), &message),
            };
            let xml = samspil_sf1470::write_response(None, &response);
            let (_, read) = samspil_sf1470::parse_response(xml.as_bytes()).map_err(|r| TestCaseError::fail(r.to_string()))?;
            prop_assert_eq!(read, response);
        }

        #[test]
        fn amounts_round_trip_through_their_text(oere in any::<i64>()) {
            prop_assert_eq!(Oere::parse(&Oere(oere).to_beloeb()), Ok(Oere(oere)));
        }

        #[test]
        fn date_times_round_trip_through_their_text(at in date_time()) {
            prop_assert_eq!(DateTime::parse(&at.to_xsd()), Ok(at));
        }
    }
}
