//! Danish alphabetical order, for lists people pick a name from: the
//! letters after z are æ, ø, å, and a double »aa« is an å (Retskrivnings-
//! ordbogen's rule, as in the phone book: Aabenraa, Aalborg and Aarhus
//! come after Ærø). Byte order or a database's collation would put å
//! before æ and Aarhus first.

/// A key that orders texts as a Danish reader expects: case and accents
/// aside (é as e, ä as æ, ö as ø, ü as y), then the text itself, so that
/// two different texts never compare equal.
pub fn danish_key(text: &str) -> (Vec<u32>, String) {
    let lower: Vec<char> = text.to_lowercase().chars().collect();
    let mut key = Vec::with_capacity(lower.len());
    let mut i = 0;
    while i < lower.len() {
        let c = lower[i];
        let weight = match c {
            'a' if lower.get(i + 1) == Some(&'a') => {
                i += 1;
                AA
            }
            'æ' | 'ä' => AE,
            'ø' | 'ö' => OE,
            'å' => AA,
            'é' | 'è' | 'ê' => u32::from('e'),
            'ü' => u32::from('y'),
            other => u32::from(other),
        };
        key.push(weight);
        i += 1;
    }
    (key, text.to_owned())
}

/// The weights after z.
const AE: u32 = 'z' as u32 + 1;
const OE: u32 = 'z' as u32 + 2;
const AA: u32 = 'z' as u32 + 3;

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        names.sort_by_key(|n| danish_key(n));
        names
    }

    #[test]
    fn ae_oe_aa_come_after_z_and_a_double_a_is_an_aa() {
        assert_eq!(
            sorted(&[
                "Aarhus",
                "Ærø",
                "Vordingborg",
                "Albertslund",
                "Aabenraa",
                "Ørsted",
                "Åbo",
                "Aalborg"
            ]),
            [
                "Albertslund",
                "Vordingborg",
                "Ærø",
                "Ørsted",
                "Aabenraa",
                "Åbo",
                "Aalborg",
                "Aarhus"
            ]
        );
    }

    #[test]
    fn case_and_accents_do_not_decide_but_keep_texts_apart() {
        assert_eq!(
            sorted(&["frederiksberg", "Faxe", "Fanø"]),
            ["Fanø", "Faxe", "frederiksberg"]
        );
        assert_ne!(danish_key("Høje-Taastrup"), danish_key("høje-taastrup"));
        assert!(danish_key("Høje-Taastrup") < danish_key("Hørsholm"));
    }
}
