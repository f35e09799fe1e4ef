//! Locating syntax errors: `promql-parser` reports most grammar errors as a bare
//! "invalid promql query"; this finds where the input stops being valid PromQL.
//!
//! Contract: `describe(input, message)` returns `message` unchanged unless it is the bare
//! generic one. Then it returns `at char N: unexpected "tok"` for the first token after which
//! no simple completion makes the prefix parse (N is 1-based, in characters), or
//! `unexpected end of input` when every prefix could still be completed. Long inputs are
//! searched by bisection (see [`LINEAR_SCAN_CUTS`]).

const GENERIC: &str = "invalid promql query";

/// Inputs with more token boundaries than this are searched by bisection: each probe parses
/// the prefix up to 18 times (and compiles its regexes), so a linear scan of a long generated
/// query took seconds (found by the `import` fuzz target).
const LINEAR_SCAN_CUTS: usize = 64;

/// Suffixes that complete a valid-so-far prefix in the common cases.
const COMPLETIONS: [&str; 18] = [
    "", " 0", "0", ")", " 0)", "))", "}", "\"}", "\")", "\"", "]", "m]", "m])", " (x)", "(x)",
    " (x) (x)", "x) (x)", "x)",
];

pub(crate) fn describe(input: &str, message: String) -> String {
    if message != GENERIC {
        return message;
    }
    let cuts = token_cuts(input);
    let stuck = |i: &usize| !completable(input.get(..*i).unwrap_or(input));
    let cut = if cuts.len() <= LINEAR_SCAN_CUTS {
        cuts.iter().copied().find(|i| stuck(i))
    } else {
        first_stuck_by_bisection(&cuts, stuck)
    };
    let Some(end) = cut else {
        return "unexpected end of input".into();
    };
    let start = token_start(input, end);
    let token = token_at(input, start);
    let char_pos = input.get(..start).map_or(0, |p| p.chars().count()) + 1;
    format!("at char {char_pos}: unexpected \"{token}\"")
}

/// Where a prefix may end: after whole tokens only (a half-typed keyword is not an error yet),
/// and at the end of the input.
fn token_cuts(input: &str) -> Vec<usize> {
    input
        .char_indices()
        .skip(1)
        .filter(|&(i, c)| {
            !(is_word(c)
                && input
                    .get(..i)
                    .and_then(|p| p.chars().last())
                    .is_some_and(is_word))
        })
        .map(|(i, _)| i)
        .chain(std::iter::once(input.len()))
        .collect()
}

/// The first cut that is `stuck`, assuming (as holds for PromQL syntax) that a prefix that
/// cannot be completed stays so when extended: O(log n) probes.
fn first_stuck_by_bisection(cuts: &[usize], stuck: impl Fn(&usize) -> bool) -> Option<usize> {
    let first = cuts.partition_point(|i| !stuck(i));
    cuts.get(first).copied()
}

fn completable(prefix: &str) -> bool {
    COMPLETIONS.iter().any(|c| {
        match promql_parser::parser::parse(&balanced(format!("{prefix}{c}"))) {
            Ok(_) => true,
            // A specific (e.g. type) error means the syntax was fine; the lexer's bracket check
            // fires before the grammar, so "unclosed …" says nothing either way.
            Err(e) => e != GENERIC && !LEXICAL.iter().any(|m| e.contains(m)),
        }
    })
}

/// `s` with the brackets it leaves open closed (outside quoted strings).
fn balanced(mut s: String) -> String {
    let mut open: Vec<char> = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in s.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' | '`' => quote = Some(c),
                '(' => open.push(')'),
                '[' => open.push(']'),
                '{' => open.push('}'),
                ')' | ']' | '}' => {
                    open.pop();
                }
                _ => {}
            },
        }
    }
    if let Some(q) = quote {
        s.push(q);
    }
    s.extend(open.iter().rev());
    s
}

/// Errors the lexer raises before the grammar runs (brackets, quotes): no signal at all.
const LEXICAL: [&str; 5] = [
    "unclosed",
    "unexpected right",
    "unterminated",
    "unexpected character",
    "unexpected left",
];

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | ':' | '.')
}

/// Byte offset where the token containing the char just before `end` starts.
fn token_start(input: &str, end: usize) -> usize {
    let before = input.get(..end).unwrap_or(input);
    let Some((last_i, last)) = before.char_indices().next_back() else {
        return 0;
    };
    if !is_word(last) {
        return last_i;
    }
    before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(last_i, |(i, _)| i)
}

fn token_at(input: &str, start: usize) -> &str {
    let rest = input.get(start..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return "";
    };
    let len = if is_word(first) {
        rest.find(|c: char| !is_word(c)).unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    rest.get(..len).unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    fn d(q: &str) -> String {
        let msg = promql_parser::parser::parse(q).unwrap_err();
        describe(q, msg)
    }

    #[test]
    fn long_inputs_are_located_by_bisection_like_the_linear_scan() {
        let terms: Vec<String> = (0..8)
            .map(|k| format!("rate(m{k}{{a=~\"x|y\"}}[5m])"))
            .collect();
        for broken in [
            format!("sum({}) by (a) by (b)", terms.join(" + ")),
            format!("{} +* 2", terms.join(" + ")),
        ] {
            let located = d(&broken);
            assert!(located.starts_with("at char "), "{located}");
            // Same answer as the linear scan.
            let cuts = token_cuts(&broken);
            assert!(cuts.len() > LINEAR_SCAN_CUTS);
            let linear = cuts
                .iter()
                .find(|&&i| !completable(&broken[..i]))
                .map(|&i| token_start(&broken, i));
            let char_pos = linear.map(|s| broken[..s].chars().count() + 1);
            assert_eq!(
                located,
                format!(
                    "at char {}: unexpected \"{}\"",
                    char_pos.unwrap(),
                    token_at(&broken, linear.unwrap())
                )
            );
        }
    }

    #[test]
    fn points_at_the_offending_token() {
        assert_eq!(d("sum by (a) by (b) (x)"), "at char 12: unexpected \"by\"");
        assert_eq!(d("1 +* 2"), "at char 4: unexpected \"*\"");
        assert_eq!(d("rate(x[5m]) foo"), "at char 13: unexpected \"foo\"");
        assert_eq!(d("foo{a=\"b\" c=\"d\"}"), "at char 11: unexpected \"c\"");
        assert_eq!(
            d("histogram_quantile(0.9, sum(rate(x_bucket[5m])) by le)"),
            "at char 52: unexpected \"le\""
        );
        assert_eq!(d("sum(x) by"), "unexpected end of input");
    }

    #[test]
    fn specific_messages_pass_through() {
        assert_eq!(d("sum by (a"), "unclosed left parenthesis");
    }
}
