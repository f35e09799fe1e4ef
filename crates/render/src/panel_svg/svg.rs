//! A small SVG writer: every text and attribute value is escaped, element and attribute
//! names are fixed by the code, so nothing from a dashboard can add markup.

use std::fmt::Write as _;

/// Escapes `&`, `<`, `>`, `"` and `'`, and drops control characters XML forbids.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// An SVG fragment being built.
#[derive(Debug, Default)]
pub struct Svg {
    out: String,
}

/// Text alignment (`text-anchor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Start,
    Middle,
    End,
}

impl Svg {
    pub fn new() -> Self {
        Self::default()
    }

    /// `<tag a="v" …/>` (or `>` when `open`); values are escaped.
    fn element(&mut self, tag: &str, attrs: &[(&str, String)], open: bool) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            let _ = write!(self.out, " {name}=\"{}\"", escape(value));
        }
        self.out.push_str(if open { ">" } else { "/>\n" });
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, rx: f64) {
        self.element(
            "rect",
            &[
                ("x", num(x)),
                ("y", num(y)),
                ("width", num(w.max(0.0))),
                ("height", num(h.max(0.0))),
                ("rx", num(rx)),
                ("fill", fill.to_string()),
            ],
            false,
        );
    }

    /// A path; `fill` "none" for strokes only.
    pub fn path(&mut self, d: &str, fill: &str, stroke: &str, stroke_width: f64) {
        self.element(
            "path",
            &[
                ("d", d.to_string()),
                ("fill", fill.to_string()),
                ("stroke", stroke.to_string()),
                ("stroke-width", num(stroke_width)),
            ],
            false,
        );
    }

    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        text: &str,
        size: f64,
        fill: &str,
        align: Align,
        weight: u32,
    ) {
        let anchor = match align {
            Align::Start => "start",
            Align::Middle => "middle",
            Align::End => "end",
        };
        self.element(
            "text",
            &[
                ("x", num(x)),
                ("y", num(y)),
                ("font-size", num(size)),
                ("font-weight", weight.to_string()),
                ("font-family", crate::style::FONT_FAMILY.to_string()),
                ("fill", fill.to_string()),
                ("text-anchor", anchor.to_string()),
                ("dy", "0.35em".to_string()),
            ],
            true,
        );
        self.out.push_str(&escape(text));
        self.out.push_str("</text>\n");
    }

    /// A horizontal linear gradient `id` with `(offset 0..1, colour)` stops.
    pub fn linear_gradient(&mut self, id: &str, stops: &[(f64, String)], vertical: bool) {
        let (x2, y1) = if vertical { ("0", "1") } else { ("1", "0") };
        self.element(
            "linearGradient",
            &[
                ("id", id.to_string()),
                ("x1", "0".into()),
                ("y1", y1.into()),
                ("x2", x2.into()),
                ("y2", "0".into()),
            ],
            true,
        );
        for (offset, color) in stops {
            self.element(
                "stop",
                &[("offset", num(*offset)), ("stop-color", color.clone())],
                false,
            );
        }
        self.out.push_str("</linearGradient>\n");
    }

    /// Appends `fragment` moved by `(x, y)`.
    pub fn group(&mut self, x: f64, y: f64, fragment: &Svg) {
        self.out.push_str(&format!(
            "<g transform=\"translate({},{})\">\n",
            num(x),
            num(y)
        ));
        self.out.push_str(&fragment.out);
        self.out.push_str("</g>\n");
    }

    /// A document written by plotters' SVG backend (which escapes its text and attributes),
    /// moved by `(x, y)`.
    #[cfg(feature = "svg")]
    pub(crate) fn plotters_document(&mut self, x: f64, y: f64, document: &str) {
        self.out.push_str(&format!(
            "<g transform=\"translate({},{})\">\n",
            num(x),
            num(y)
        ));
        self.out.push_str(document);
        self.out.push_str("</g>\n");
    }

    /// The fragment wrapped as a whole SVG document of `width × height`.
    pub fn document(self, width: f64, height: f64) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n{}</svg>\n",
            self.out,
            w = num(width),
            h = num(height)
        )
    }
}

/// A coordinate with at most two decimals (stable golden files).
pub fn num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 {
        "0".into()
    } else {
        format!("{r}")
    }
}
