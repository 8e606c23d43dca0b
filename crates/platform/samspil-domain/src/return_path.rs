//! Where a person is sent back to after logging in or switching language.

/// The longest return path kept: it travels in forms and query strings and
/// is stored with a pending login, and no page of samspil has a longer one.
pub const MAX_RETURN_PATH_BYTES: usize = 2048;

/// `next` if it is a path on this site, otherwise `/`: never an open
/// redirect, and always a value a `Location` header can carry.
///
/// Browsers are lenient with a `Location`: they drop tabs and newlines,
/// read `\` as `/` and `//host` as another site, so `/\t/evil.example`
/// is `//evil.example` to them. So only a plain path passes: one leading
/// `/`, no `//` or `\` anywhere, no control character or whitespace.
pub fn safe_return_path(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && path.len() <= MAX_RETURN_PATH_BYTES
                && !path.contains("//")
                && !path.contains('\\')
                && !path.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            path
        }
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_this_site_are_kept() {
        for path in [
            "/",
            "/opgaver",
            "/opgaver?side=2&status=started",
            "/opgaver/12#kommentarer",
            "/organisationer/%2F%2Fevil.example",
            "/s%C3%B8g?q=%C3%A6",
            "/søg",
        ] {
            assert_eq!(safe_return_path(Some(path)), path);
        }
    }

    #[test]
    fn anything_a_browser_could_read_as_another_site_goes_home() {
        for hostile in [
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/.//evil.example",
            "/opgaver?next=//evil.example",
            "https://evil.example/",
            "evil.example",
            "",
        ] {
            assert_eq!(safe_return_path(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_return_path(None), "/");
    }

    #[test]
    fn control_characters_and_whitespace_go_home() {
        for hostile in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\r",
            "/\x7f",
            "/\0",
            "/\x1b",
            "/ /evil.example",
            "/\u{a0}/evil.example",
            "/\u{2028}",
            "/\u{85}",
        ] {
            assert_eq!(safe_return_path(Some(hostile)), "/", "{hostile:?}");
        }
    }

    #[test]
    fn a_path_longer_than_any_of_ours_goes_home() {
        let long = format!("/{}", "a".repeat(MAX_RETURN_PATH_BYTES));
        assert_eq!(safe_return_path(Some(&long)), "/");
        let longest = &long[..MAX_RETURN_PATH_BYTES];
        assert_eq!(safe_return_path(Some(longest)), longest);
    }
}
