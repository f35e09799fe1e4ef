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
    fn values_format_like_go() {
        assert_eq!(format_value(0.1), "0.1");
        assert_eq!(format_value(1e21), "1000000000000000000000");
        assert_eq!(format_value(f64::NAN), "NaN");
        assert_eq!(format_value(-2.0), "-2");
    }
}
