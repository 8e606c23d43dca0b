//! The command line's listings (`samspil token list`, `samspil systems
//! list`): one line per row under a header, columns padded to their widest
//! value, so that they read in a terminal and split with `awk`.

/// The rows under the header, each column as wide as its widest cell.
pub fn text_table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let mut out = vec![line(header.to_vec())];
    out.extend(
        rows.iter()
            .map(|row| line(row.iter().map(String::as_str).collect())),
    );
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::text_table;

    #[test]
    fn columns_are_as_wide_as_their_widest_cell() {
        let table = text_table(
            ["ID", "NAVN"],
            &[
                ["1".to_owned(), "Ærø".to_owned()],
                ["12".to_owned(), "Aarhus".to_owned()],
            ],
        );
        assert_eq!(table, "ID  NAVN\n1   Ærø\n12  Aarhus");
    }
}
