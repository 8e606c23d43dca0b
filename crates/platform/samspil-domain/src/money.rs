//! Money as samspil shows it: integer øre, written as Danish kroner
//! (prices per citizen, a citizen's claims and payments).

/// An amount in øre as Danish kroner: `1.234.567,89`.
pub fn format_kroner(ore: i64) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    let ore = ore.unsigned_abs();
    format!("{sign}{},{:02}", group_thousands(ore / 100), ore % 100)
}

/// A count as Danish writes it: `653.664`.
pub fn group_thousands(count: u64) -> String {
    let whole = count.to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oere_are_written_as_danish_kroner() {
        assert_eq!(format_kroner(0), "0,00");
        assert_eq!(format_kroner(123_456_789), "1.234.567,89");
        assert_eq!(format_kroner(-5), "-0,05");
        assert_eq!(group_thousands(653_664), "653.664");
    }
}
