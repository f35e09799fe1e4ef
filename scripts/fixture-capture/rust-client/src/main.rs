//! Print what the `prometheus-client` crate serves on /metrics (it only speaks OpenMetrics):
//! one metric of each type, labelled, with an exemplar.
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::exemplar::HistogramWithExemplars;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Request {
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Trace {
    trace_id: String,
}

fn main() {
    let mut registry = Registry::with_prefix("app");
    let requests = Family::<Request, Counter>::default();
    registry.register("requests", "Requests handled", requests.clone());
    let in_flight = Gauge::<i64>::default();
    registry.register("in_flight_requests", "Requests in flight", in_flight.clone());
    let latency = Histogram::new(exponential_buckets(0.005, 2.0, 10));
    registry.register_with_unit("request_duration", "Request latency", Unit::Seconds, latency.clone());
    let traced = HistogramWithExemplars::new(exponential_buckets(0.01, 10.0, 4));
    registry.register("traced_duration_seconds", "Latency with exemplars", traced.clone());
    registry.register("build", "Build information", Info::new(vec![("version", "1.2.3")]));
    requests.get_or_create(&Request { method: "GET".into(), status: 200 }).inc_by(42);
    requests.get_or_create(&Request { method: "POST".into(), status: 500 }).inc();
    in_flight.set(3);
    latency.observe(0.02);
    latency.observe(1.5);
    traced.observe(0.05, Some(Trace { trace_id: "4bf92f3577b34da6".into() }));
    let mut out = String::new();
    encode(&mut out, &registry).expect("encoding to a String cannot fail");
    print!("{out}");
}
