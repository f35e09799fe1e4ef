//! Parsed expressions kept by their text, for callers that run the same PromQL again and
//! again (a dashboard panel re-runs its queries on every scrape). Parsing with
//! `promql-parser` compiles each regex matcher anew and cost the app more than evaluating
//! its panels' queries.
//!
//! Contract: [`ParseCache::parse`] returns what [`crate::parse`] returns for the same text
//! (errors are not kept: they are parsed again and reported the same); it keeps at most
//! `capacity` expressions and forgets all of them when a new one would exceed that.

use std::rc::Rc;

use promql_parser::parser::Expr;
use rustc_hash::FxHashMap as HashMap;

use crate::QueryError;

/// See module docs.
pub struct ParseCache {
    parsed: HashMap<String, Rc<Expr>>,
    capacity: usize,
}

impl ParseCache {
    pub fn new(capacity: usize) -> Self {
        Self {
            parsed: HashMap::default(),
            capacity: capacity.max(1),
        }
    }

    /// The parsed `expr`, from the cache when it was parsed before.
    pub fn parse(&mut self, expr: &str) -> Result<Rc<Expr>, QueryError> {
        if let Some(ast) = self.parsed.get(expr) {
            return Ok(ast.clone());
        }
        let ast = Rc::new(crate::parse(expr)?);
        if self.parsed.len() >= self.capacity {
            self.parsed.clear();
        }
        self.parsed.insert(expr.to_string(), ast.clone());
        Ok(ast)
    }

    /// How many parsed expressions it holds.
    pub fn len(&self) -> usize {
        self.parsed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parsed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn same_text_is_parsed_once() {
        let mut cache = ParseCache::new(8);
        let a = cache.parse(r#"rate(x{job=~"a|b"}[5m])"#).unwrap();
        let b = cache.parse(r#"rate(x{job=~"a|b"}[5m])"#).unwrap();
        assert!(Rc::ptr_eq(&a, &b));
        assert_eq!(cache.len(), 1);
        let c = cache.parse(r#"rate(x{job=~"a|c"}[5m])"#).unwrap();
        assert!(!Rc::ptr_eq(&a, &c));
        assert_eq!(*c, crate::parse(r#"rate(x{job=~"a|c"}[5m])"#).unwrap());
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn errors_are_reported_like_parse_and_not_kept() {
        let mut cache = ParseCache::new(8);
        let err = cache.parse("sum(x").unwrap_err();
        assert_eq!(
            err.to_string(),
            crate::parse("sum(x").unwrap_err().to_string()
        );
        assert!(cache.is_empty());
    }

    #[test]
    fn a_full_cache_starts_over() {
        let mut cache = ParseCache::new(2);
        let a = cache.parse("a").unwrap();
        cache.parse("b").unwrap();
        assert_eq!(cache.len(), 2);
        cache.parse("c").unwrap();
        assert_eq!(cache.len(), 1);
        let a2 = cache.parse("a").unwrap();
        assert!(!Rc::ptr_eq(&a, &a2));
        assert_eq!(a, a2);
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn cached_and_fresh_asts_evaluate_alike() {
        let mut store = signalboard_store::Store::new();
        let labels = signalboard_store::Labels::from_pairs([("__name__", "up"), ("job", "a")]);
        for i in 0..10 {
            store.append(&labels, i * 15_000, i as f64).unwrap();
        }
        let opts = crate::EngineOptions::default();
        let mut cache = ParseCache::new(4);
        for _ in 0..2 {
            let ast = cache.parse("sum(up) * 2").unwrap();
            let cached = crate::range_query_ast(&store, &ast, 0, 135_000, 15_000, &opts).unwrap();
            let fresh =
                crate::range_query(&store, "sum(up) * 2", 0, 135_000, 15_000, &opts).unwrap();
            assert_eq!(cached, fresh);
            assert!(matches!(&cached, crate::Value::Matrix(s)
                if s.len() == 1 && s[0].samples.last() == Some(&(135_000, 18.0))));
        }
    }
}
