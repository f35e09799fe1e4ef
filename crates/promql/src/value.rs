//! Query results (`Value`) and their Prometheus API JSON form.
//!
//! Contract: `to_prometheus_json` yields exactly the `data` object of `/api/v1/query` and
//! `/api/v1/query_range`: `{"resultType": ..., "result": ...}`, timestamps as float seconds and
//! values as strings formatted like Go's `strconv.FormatFloat(v, 'f', -1, 64)` ("NaN", "+Inf").

use serde_json::{json, Map, Value as Json};
use signalboard_store::Labels;

/// One element of an instant vector.
#[derive(Debug, Clone, PartialEq)]
pub struct InstantSample {
    pub labels: Labels,
    pub t_ms: i64,
    pub v: f64,
}

/// One series of a range result.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeSeries {
    pub labels: Labels,
    pub samples: Vec<(i64, f64)>,
}

/// A query result.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar { t_ms: i64, v: f64 },
    String { t_ms: i64, v: String },
    Vector(Vec<InstantSample>),
    Matrix(Vec<RangeSeries>),
}

impl Value {
    /// The `data` object of a Prometheus query API response.
    pub fn to_prometheus_json(&self) -> Json {
        match self {
            Value::Scalar { t_ms, v } => {
                json!({"resultType": "scalar", "result": point(*t_ms, &format_value(*v))})
            }
            Value::String { t_ms, v } => {
                json!({"resultType": "string", "result": point(*t_ms, v)})
            }
            Value::Vector(samples) => {
                let result: Vec<Json> = samples
                    .iter()
                    .map(|s| json!({"metric": labels_json(&s.labels), "value": point(s.t_ms, &format_value(s.v))}))
                    .collect();
                json!({"resultType": "vector", "result": result})
            }
            Value::Matrix(series) => {
                let result: Vec<Json> = series
                    .iter()
                    .map(|s| {
                        let values: Vec<Json> = s
                            .samples
                            .iter()
                            .map(|(t, v)| point(*t, &format_value(*v)))
                            .collect();
                        json!({"metric": labels_json(&s.labels), "values": values})
                    })
                    .collect();
                json!({"resultType": "matrix", "result": result})
            }
        }
    }
}

fn point(t_ms: i64, v: &str) -> Json {
    json!([t_ms as f64 / 1000.0, v])
}

fn labels_json(labels: &Labels) -> Json {
    let map: Map<String, Json> = labels
        .iter()
        .map(|(n, v)| (n.to_string(), Json::String(v.to_string())))
        .collect();
    Json::Object(map)
}

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest digits, no exponent.
pub fn format_value(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v == f64::INFINITY {
        "+Inf".into()
    } else if v == f64::NEG_INFINITY {
        "-Inf".into()
    } else {
        format!("{v}")
    }
}

/// Prometheus's `FormatOpenMetricsFloat`: Go `%g` (exponent when < 1e-4 or >= 1e6), plus
/// `.0` for integral values (`1` → `1.0`, `1000000` → `1e+06`).
pub fn format_openmetrics_float(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let s = format_go_g(v);
    if s.contains(['.', 'e']) {
        s
    } else {
        s + ".0"
    }
}

/// Go's `strconv.FormatFloat(v, 'g', -1, 64)` for finite `v`.
pub fn format_go_g(v: f64) -> String {
    if v == 0.0 {
        return if v.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // `{:e}` gives the shortest round-trip digits: "-1.2345e6".
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    format!("{v}")
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

    #[test]
    fn vector_json_matches_prometheus_shape() {
        let v = Value::Vector(vec![InstantSample {
            labels: Labels::from_pairs([("job", "a")]),
            t_ms: 1500,
            v: f64::INFINITY,
        }]);
        assert_eq!(
            v.to_prometheus_json(),
            json!({"resultType":"vector","result":[{"metric":{"job":"a"},"value":[1.5,"+Inf"]}]})
        );
    }

    #[test]
    fn openmetrics_floats_like_go() {
        assert_eq!(format_openmetrics_float(1.0), "1.0");
        assert_eq!(format_openmetrics_float(0.25), "0.25");
        assert_eq!(format_openmetrics_float(1e6), "1e+06");
        assert_eq!(format_openmetrics_float(0.00001), "1e-05");
        assert_eq!(format_openmetrics_float(100000.0), "100000.0");
        assert_eq!(format_openmetrics_float(-0.1), "-0.1");
    }

    #[test]
    fn values_format_like_go() {
        assert_eq!(format_value(0.1), "0.1");
        assert_eq!(format_value(1e21), "1000000000000000000000");
        assert_eq!(format_value(f64::NAN), "NaN");
        assert_eq!(format_value(-2.0), "-2");
    }
}
