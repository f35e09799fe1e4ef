//! Counting the sample lines of an exposition while it streams in, so a scrape can stop
//! reading a cardinality bomb as soon as `sample_limit` is passed instead of downloading it.
//!
//! Contract: after feeding any split of a body, [`SampleLineCounter::count`] is the number of
//! lines whose first non-blank byte is neither `#` nor the line end: in an exposition the
//! parser accepts (either format), exactly its samples.

/// Where the counter is within the current line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// Only blanks so far.
    #[default]
    LineStart,
    /// Inside a sample or comment line (already classified).
    Classified,
}

/// Incremental sample-line counter; feed it the body chunk by chunk.
#[derive(Debug, Default, Clone)]
pub struct SampleLineCounter {
    position: Position,
    count: usize,
}

impl SampleLineCounter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes the next bytes of the body; returns the count so far.
    pub fn feed(&mut self, mut chunk: &[u8]) -> usize {
        while !chunk.is_empty() {
            if self.position == Position::Classified {
                match chunk.iter().position(|&b| b == b'\n') {
                    Some(nl) => {
                        self.position = Position::LineStart;
                        chunk = chunk.get(nl + 1..).unwrap_or_default();
                    }
                    None => return self.count,
                }
                continue;
            }
            let Some((&b, rest)) = chunk.split_first() else {
                break;
            };
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => {}
                b'#' => self.position = Position::Classified,
                _ => {
                    self.count += 1;
                    self.position = Position::Classified;
                }
            }
            chunk = rest;
        }
        self.count
    }

    /// Sample lines seen so far.
    pub fn count(&self) -> usize {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, Format};

    const BODY: &str = "# HELP a help\n# TYPE a counter\na_total 1\n\n  \t\na_total{x=\"#\\n\"} 2\n  # indented comment\nb 3 1000\r\nc 4";

    #[test]
    fn counts_sample_lines_only() {
        assert_eq!(SampleLineCounter::new().feed(BODY.as_bytes()), 4);
    }

    #[test]
    fn any_split_gives_the_same_count() {
        let bytes = BODY.as_bytes();
        for cut in 0..=bytes.len() {
            let (a, b) = bytes.split_at(cut);
            let mut c = SampleLineCounter::new();
            c.feed(a);
            assert_eq!(c.feed(b), 4, "split at {cut}");
        }
    }

    #[test]
    fn equals_the_parsers_sample_count() {
        let text = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n\ng 1\n";
        let parsed = parse(text, Format::Prometheus).map(|e| e.sample_count());
        assert_eq!(parsed, Ok(SampleLineCounter::new().feed(text.as_bytes())));
        let om = "# TYPE g gauge\ng 1\ng{a=\"b\"} 2\n# EOF\n";
        let parsed = parse(om, Format::OpenMetrics).map(|e| e.sample_count());
        assert_eq!(parsed, Ok(SampleLineCounter::new().feed(om.as_bytes())));
    }
}
