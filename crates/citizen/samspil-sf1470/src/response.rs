//! Building responses: a status for the whole operation, or one per object.

use crate::OperationKind;
use crate::common::{BasicOutput, MultipleOutput, StandardRetur, StatusKode, UnikRetur};
use crate::envelope::Response;
use crate::simple::{Tekst, Uuid};
use crate::{sagdok, ydelse};

fn retur(status: StatusKode, message: &str) -> StandardRetur {
    StandardRetur {
        status_kode: status,
        // Text::new refuses only characters XML cannot carry; the writer
        // replaces those anyway, so fall back to dropping them.
        fejlbesked_tekst: if message.is_empty() {
            None
        } else {
            Some(Tekst::new(message).unwrap_or_else(|_| {
                Tekst::new(
                    message
                        .chars()
                        .filter(|c| crate::xml::is_xml_char(*c))
                        .collect::<String>(),
                )
                .unwrap_or_default()
            }))
        },
        detaljeret_fejlbesked: None,
    }
}

/// The operation's response carrying only a status (and, unless empty, a
/// message): `StatusKode` 20 for a whole batch accepted, 40 for invalid
/// input, 44, 49 or 50 as [`StatusKode`] describes.
pub fn status_only(kind: OperationKind, status: StatusKode, message: &str) -> Response {
    let standard = retur(status, message);
    let multiple = || MultipleOutput::Standard(vec![standard.clone()]);
    match kind {
        OperationKind::SagDokumentImporter => Response::SagDokumentImporter(multiple()),
        OperationKind::SagDokumentOpdater => Response::SagDokumentOpdater(multiple()),
        OperationKind::SagDokumentFjern => Response::SagDokumentFjern(multiple()),
        OperationKind::YdelseImporter => Response::YdelseImporter(multiple()),
        OperationKind::YdelseOpdater => Response::YdelseOpdater(multiple()),
        OperationKind::SagDokumentFremsoeg => {
            Response::SagDokumentFremsoeg(sagdok::FremsoegOutput {
                standard_retur: standard,
                ..Default::default()
            })
        }
        OperationKind::YdelseFremsoeg => Response::YdelseFremsoeg(ydelse::FremsoegOutput {
            standard_retur: standard,
            ..Default::default()
        }),
        OperationKind::BevillingFjern => Response::BevillingFjern(BasicOutput {
            standard_retur: standard,
        }),
        OperationKind::EffektueringFjern => Response::EffektueringFjern(BasicOutput {
            standard_retur: standard,
        }),
    }
}

/// The status of one object of a batch, by its type (`Sag`, `Dokument`,
/// `Bevilling`, `OekonomiskEffektuering`) and UUID.
pub fn unik_retur(type_: &str, uuid: Uuid, status: StatusKode, message: &str) -> UnikRetur {
    UnikRetur {
        retur: retur(status, message),
        type_: Tekst::new(type_).unwrap_or_default(),
        uuid,
    }
}
