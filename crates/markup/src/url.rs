//! Link target checking.

/// Returns the href if it is safe to put in a link: `http:`, `https:`, `mailto:`, relative
/// paths and `#fragment`s. Scheme detection ignores case, whitespace and control characters
/// the way browsers do (`java\tscript:` is still `javascript:`).
pub fn safe_href(href: &str) -> Option<String> {
    let cleaned: String = href
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    let lower = cleaned.to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let first_sep = lower.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, first_sep) {
        (Some(c), Some(s)) => c < s,
        (Some(_), None) => true,
        _ => false,
    };
    if !has_scheme {
        return Some(href.trim().to_string());
    }
    if lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("mailto:") {
        Some(href.trim().to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::safe_href;

    #[test]
    fn only_safe_schemes_pass() {
        assert_eq!(
            safe_href("https://grafana.com/x").as_deref(),
            Some("https://grafana.com/x")
        );
        assert_eq!(safe_href("/d/abc?x=1").as_deref(), Some("/d/abc?x=1"));
        assert_eq!(safe_href("#panel-2").as_deref(), Some("#panel-2"));
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href("JaVaScRiPt:alert(1)"), None);
        assert_eq!(safe_href("java\tscript:alert(1)"), None);
        assert_eq!(safe_href(" javascript:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,<script>alert(1)</script>"), None);
        assert_eq!(safe_href("vbscript:msgbox"), None);
        assert_eq!(safe_href(""), None);
    }
}
