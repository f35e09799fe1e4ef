#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
use super::*;

fn render(nodes: &[Node]) -> String {
    nodes
        .iter()
        .map(|n| match n {
            Node::Text(t) => t.clone(),
            Node::Element {
                tag,
                attrs,
                children,
            } => {
                let a: String = attrs.iter().map(|(k, v)| format!(" {k}=\"{v}\"")).collect();
                format!("<{tag}{a}>{}</{tag}>", render(children))
            }
        })
        .collect()
}

#[test]
fn keeps_allowed_markup() {
    let out = render(&sanitize_html(
        "<h2>Title</h2><p>Some <b>bold</b> &amp; <i>it</i></p>",
    ));
    assert_eq!(out, "<h2>Title</h2><p>Some <b>bold</b> & <i>it</i></p>");
}

#[test]
fn drops_script_and_handlers() {
    let cases = [
        ("<script>alert(1)</script>ok", "ok"),
        ("<SCRIPT type=x>alert(1)</ScRiPt>ok", "ok"),
        ("<img src=x onerror=alert(1)>ok", "ok"),
        ("<p onclick=\"alert(1)\">x</p>", "<p>x</p>"),
        ("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>"),
        (
            "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
            "<a>x</a>",
        ),
        ("<svg><script>alert(1)</script></svg>ok", "ok"),
        ("<iframe src=\"https://evil\"></iframe>ok", "ok"),
        ("<style>body{display:none}</style>ok", "ok"),
        (
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<div>x</div>",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(render(&sanitize_html(input)), want, "input: {input}");
    }
}

#[test]
fn safe_links_get_rel_and_target() {
    let out = render(&sanitize_html(
        "<a href=\"https://grafana.com\" onmouseover=x>g</a>",
    ));
    assert_eq!(
        out,
        "<a href=\"https://grafana.com\" rel=\"noopener noreferrer\" target=\"_blank\">g</a>"
    );
}

#[test]
fn broken_markup_is_text_not_markup() {
    assert_eq!(render(&sanitize_html("a < b and <b")), "a < b and <b");
    assert_eq!(render(&sanitize_html("<p>unclosed")), "<p>unclosed</p>");
    assert_eq!(render(&sanitize_html("&#x3c;script&#62;")), "<script>");
    assert_eq!(
        render(&sanitize_html("<!-- <script>x</script> -->ok")),
        "ok"
    );
}
