//! The generated golden-signals dashboard: classic Grafana dashboard JSON (schemaVersion 39)
//! with four rows in the order traffic, errors, latency, saturation.
//!
//! Contract: [`golden_dashboard`] is pure; every panel query comes from [`crate::query`] and
//! uses `$__rate_interval`. Thresholds match the default alarms (error ratio 1% red, resource
//! use 80% red; latency against the configured SLO, orange at the SLO and red at twice it), units
//! are set (`reqps`, `percentunit`, `s`/`ms`, `bytes`). A signal without a source gets a text
//! panel naming the metric that would provide it. The result can be imported, edited, saved and
//! exported like any Grafana dashboard.

use serde_json::{json, Value};

use crate::detect::{LatencySource, RequestSource, Sources};
use crate::query::{latency_quantile, request_rate, request_ratio, selector};

/// Error ratio above which the error alarm fires (and the panels turn red).
pub const ERROR_RATIO_ALARM: f64 = 0.01;
/// Resource share above which the saturation alarm fires.
pub const SATURATION_ALARM: f64 = 0.8;

/// Settings of the generated dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardOptions {
    pub title: String,
    pub uid: String,
    /// Latency objective in seconds: latency panels are orange above it, red above twice it.
    pub latency_slo_seconds: f64,
    /// Put a Grafana `alertlist` panel (firing and pending alerts) above the four rows.
    pub alert_list: bool,
}

impl Default for DashboardOptions {
    fn default() -> Self {
        DashboardOptions {
            title: "Golden signals".into(),
            uid: "golden-generated".into(),
            latency_slo_seconds: 0.5,
            alert_list: false,
        }
    }
}

/// Builds the dashboard for the detected sources of one or more jobs.
pub fn golden_dashboard(sources: &[Sources], options: &DashboardOptions) -> Value {
    let mut b = Builder::default();
    let multi = sources.len() > 1;
    let title = |s: &Sources, t: &str| {
        if multi {
            format!("{}: {t}", s.job)
        } else {
            t.to_string()
        }
    };
    if options.alert_list {
        b.alert_list();
    }
    // Each job's panels start on a line of their own.
    b.row("Traffic");
    for s in sources {
        b.break_line();
        traffic_panels(&mut b, s, &|t| title(s, t));
    }
    b.row("Errors");
    for s in sources {
        b.break_line();
        error_panels(&mut b, s, &|t| title(s, t));
    }
    b.row("Latency");
    for s in sources {
        b.break_line();
        latency_panels(&mut b, s, options.latency_slo_seconds, &|t| title(s, t));
    }
    b.row("Saturation");
    for s in sources {
        b.break_line();
        saturation_panels(&mut b, s, &|t| title(s, t));
    }
    json!({
        "title": options.title,
        "uid": options.uid,
        "schemaVersion": 39,
        "version": 1,
        "editable": true,
        "tags": ["golden-signals", "generated"],
        "time": {"from": "now-15m", "to": "now"},
        "refresh": "5s",
        "graphTooltip": 1,
        "templating": {"list": []},
        "panels": b.finish(),
    })
}

fn traffic_panels(b: &mut Builder, s: &Sources, title: &dyn Fn(&str) -> String) {
    let Some(src) = &s.traffic else {
        b.text(
            &title("Traffic"),
            "No request counter found: add one like `http_requests_total{method,endpoint,status}` \
             (or a request-duration histogram such as `http_request_duration_seconds`, whose \
             `_count` counts requests).",
        );
        return;
    };
    b.stat(
        &title("Request rate"),
        "reqps",
        &[],
        &[(request_rate(src, &s.job, None), "")],
    );
    let by = src
        .endpoint
        .as_deref()
        .or(src.status.as_ref().map(|l| l.name.as_str()));
    let (name, targets) = match by {
        Some(label) => (
            format!("Requests per second by {label}"),
            vec![(
                request_rate(src, &s.job, Some(label)),
                format!("{{{{{label}}}}}"),
            )],
        ),
        None => (
            "Requests per second".to_string(),
            vec![(request_rate(src, &s.job, None), "requests".to_string())],
        ),
    };
    b.timeseries(&title(&name), "reqps", &[], &targets);
}

fn error_thresholds() -> Vec<(f64, &'static str)> {
    vec![
        (ERROR_RATIO_ALARM / 2.0, "orange"),
        (ERROR_RATIO_ALARM, "red"),
    ]
}

fn error_panels(b: &mut Builder, s: &Sources, title: &dyn Fn(&str) -> String) {
    match &s.errors {
        Some(src) => status_error_panels(b, src, &s.job, title),
        None => b.text(
            &title("Error ratio"),
            "No status label on a request metric: add one (HTTP status code) like \
             `http_requests_total{method,endpoint,status}` to see the 5xx and 4xx ratios.",
        ),
    }
    if s.error_counters.is_empty() {
        if s.errors.is_none() {
            b.text(
                &title("Application errors"),
                "No application error counter found: add one like `app_errors_total{type}`.",
            );
        }
        return;
    }
    let targets: Vec<(String, String)> = s
        .error_counters
        .iter()
        .map(|c| {
            let sel = selector(&c.series, &s.job, "");
            let legend = if c.by.is_empty() {
                c.series.clone()
            } else {
                c.by.iter()
                    .map(|l| format!("{{{{{l}}}}}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let expr = if c.by.is_empty() {
                format!("sum(rate({sel}[$__rate_interval]))")
            } else {
                format!(
                    "sum by ({}) (rate({sel}[$__rate_interval]))",
                    c.by.join(", ")
                )
            };
            (expr, legend)
        })
        .collect();
    b.timeseries(&title("Application errors"), "cps", &[], &targets);
}

fn status_error_panels(
    b: &mut Builder,
    src: &RequestSource,
    job: &str,
    title: &dyn Fn(&str) -> String,
) {
    let Some(status) = &src.status else { return };
    let five = request_ratio(src, job, &status.server_errors());
    let four = request_ratio(src, job, &status.client_errors());
    b.stat(
        &title("5xx error ratio (server's fault)"),
        "percentunit",
        &error_thresholds(),
        &[(five.clone(), "")],
    );
    b.stat(
        &title("4xx ratio (client errors)"),
        "percentunit",
        &[(0.2, "orange"), (0.5, "red")],
        &[(four.clone(), "")],
    );
    b.timeseries(
        &title("Error ratios"),
        "percentunit",
        &error_thresholds(),
        &[(five, "5xx".into()), (four, "4xx".into())],
    );
}

fn latency_panels(b: &mut Builder, s: &Sources, slo: f64, title: &dyn Fn(&str) -> String) {
    let Some(src) = &s.latency else {
        b.text(
            &title("Latency"),
            "No request latency histogram found: add one like \
             `http_request_duration_seconds{method,endpoint,status}` (a histogram, so percentiles \
             aggregate across instances).",
        );
        return;
    };
    let (unit, family) = match src {
        LatencySource::Histogram { unit, family, .. }
        | LatencySource::Summary { unit, family, .. }
        | LatencySource::Mean { unit, family } => (*unit, family),
    };
    let slo = if unit == "ms" { slo * 1000.0 } else { slo };
    let th = [(slo, "orange"), (2.0 * slo, "red")];
    let job = &s.job;
    if let LatencySource::Mean { .. } = src {
        b.stat(
            &title("Mean latency"),
            unit,
            &th,
            &[(latency_quantile(src, job, 0.5, "", None), "")],
        );
        b.text(
            &title("Latency percentiles"),
            &format!(
                "`{family}` has no buckets or quantiles, so only the mean is known: make it a \
                 histogram for p50/p95/p99."
            ),
        );
        return;
    }
    b.stat(
        &title("p95 latency"),
        unit,
        &th,
        &[(latency_quantile(src, job, 0.95, "", None), "")],
    );
    let percentiles: Vec<(String, String)> = [(0.5, "p50"), (0.95, "p95"), (0.99, "p99")]
        .iter()
        .map(|(q, l)| (latency_quantile(src, job, *q, "", None), (*l).to_string()))
        .collect();
    b.timeseries(&title("Latency percentiles"), unit, &th, &percentiles);
    if let LatencySource::Histogram {
        endpoint, status, ..
    } = src
    {
        if let Some(status) = status {
            b.timeseries(
                &title("p95 latency: successful vs failed"),
                unit,
                &th,
                &[
                    (
                        latency_quantile(src, job, 0.95, &status.not_server_errors(), None),
                        "successful".into(),
                    ),
                    (
                        latency_quantile(src, job, 0.95, &status.server_errors(), None),
                        "failed (5xx)".into(),
                    ),
                ],
            );
        }
        if let Some(endpoint) = endpoint {
            b.timeseries(
                &title(&format!("p95 latency by {endpoint}")),
                unit,
                &th,
                &[(
                    latency_quantile(src, job, 0.95, "", Some(endpoint)),
                    format!("{{{{{endpoint}}}}}"),
                )],
            );
        }
    }
}

fn saturation_panels(b: &mut Builder, s: &Sources, title: &dyn Fn(&str) -> String) {
    if s.saturation.is_empty() {
        b.text(
            &title("Saturation"),
            "No saturation metric found: expose in-flight requests (`http_requests_in_flight`), \
             pool usage (`db_connections_in_use` with `db_connection_pool_size`) and the process \
             collector (`process_resident_memory_bytes`, `process_cpu_seconds_total`, \
             `process_open_fds`/`process_max_fds`).",
        );
        return;
    }
    for src in &s.saturation {
        if src.ratio {
            b.gauge(&title(&src.title), &src.expr);
        } else {
            b.timeseries(
                &title(&src.title),
                src.unit,
                &[],
                // One unlabelled series: name it rather than show the whole expression.
                &[(src.expr.clone(), src.title.clone())],
            );
        }
    }
}

/// Places panels left to right on Grafana's 24-column grid. A finished line is filled: its
/// panels take the line's tallest height and the columns left over go to its charts and texts
/// (to every panel when it has none), so no row leaves a hole at its right end.
#[derive(Default)]
struct Builder {
    panels: Vec<Value>,
    x: u32,
    y: u32,
    line_height: u32,
    /// Indices in `panels` of the current line's panels.
    line: Vec<usize>,
}

impl Builder {
    fn place(&mut self, w: u32, h: u32) -> Value {
        if self.x + w > 24 {
            self.newline();
        }
        let pos = json!({"x": self.x, "y": self.y, "w": w, "h": h});
        self.x += w;
        self.line_height = self.line_height.max(h);
        self.line.push(self.panels.len());
        pos
    }

    fn newline(&mut self) {
        self.fill_line();
        self.y += self.line_height;
        self.x = 0;
        self.line_height = 0;
    }

    /// Starts a new line unless the current one is empty.
    fn break_line(&mut self) {
        if self.x > 0 {
            self.newline();
        }
    }

    /// The panels, with the last line filled.
    fn finish(mut self) -> Vec<Value> {
        self.fill_line();
        self.panels
    }

    fn fill_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        let width = |p: &Value| p.pointer("/gridPos/w").and_then(Value::as_u64).unwrap_or(0);
        let fixed = |p: &Value| {
            matches!(
                p.get("type").and_then(Value::as_str),
                Some("stat" | "gauge")
            )
        };
        let placed: Vec<&Value> = line.iter().filter_map(|&i| self.panels.get(i)).collect();
        let used: u64 = placed.iter().map(|p| width(p)).sum();
        let mut stretch: Vec<usize> = line
            .iter()
            .copied()
            .filter(|&i| self.panels.get(i).is_some_and(|p| !fixed(p)))
            .collect();
        if stretch.is_empty() {
            stretch.clone_from(&line);
        }
        let spare = 24u64.saturating_sub(used);
        let (share, rest) = match stretch.len() as u64 {
            0 => (0, 0),
            n => (spare / n, spare % n),
        };
        let mut x = 0;
        for &i in &line {
            let Some(Value::Object(pos)) =
                self.panels.get_mut(i).and_then(|p| p.get_mut("gridPos"))
            else {
                continue;
            };
            let mut w = pos.get("w").and_then(Value::as_u64).unwrap_or(0);
            if let Some(k) = stretch.iter().position(|&s| s == i) {
                w += share + u64::from(k + 1 == stretch.len()) * rest;
            }
            pos.insert("x".into(), json!(x));
            pos.insert("w".into(), json!(w));
            pos.insert("h".into(), json!(self.line_height));
            x += w;
        }
    }

    fn next_id(&self) -> usize {
        self.panels.len() + 1
    }

    fn row(&mut self, title: &str) {
        self.break_line();
        let id = self.next_id();
        let pos = self.place(24, 1);
        self.panels
            .push(json!({"type": "row", "id": id, "title": title,
            "collapsed": false, "gridPos": pos, "panels": []}));
        self.newline();
    }

    /// Grafana's alert list: current firing and pending alerts.
    fn alert_list(&mut self) {
        let id = self.next_id();
        let pos = self.place(24, 5);
        self.panels.push(
            json!({"type": "alertlist", "id": id, "title": "Alerts", "gridPos": pos,
            "options": {"viewMode": "list", "groupMode": "default", "maxItems": 20,
                "sortOrder": 1, "dashboardAlerts": false, "alertInstanceLabelFilter": "",
                "stateFilter": {"firing": true, "pending": true, "noData": false, "normal": false,
                    "error": true}}}),
        );
        self.newline();
    }

    fn text(&mut self, title: &str, markdown: &str) {
        let id = self.next_id();
        let pos = self.place(12, 4);
        self.panels.push(
            json!({"type": "text", "id": id, "title": title, "gridPos": pos,
            "options": {"mode": "markdown", "content": markdown}}),
        );
    }

    fn stat(&mut self, title: &str, unit: &str, th: &[(f64, &str)], targets: &[(String, &str)]) {
        let id = self.next_id();
        let pos = self.place(6, 6);
        let targets: Vec<(String, String)> = targets
            .iter()
            .map(|(e, l)| (e.clone(), (*l).to_string()))
            .collect();
        self.panels.push(json!({"type": "stat", "id": id, "title": title, "gridPos": pos,
            "datasource": datasource(), "targets": targets_json(&targets),
            "fieldConfig": {"defaults": {"unit": unit, "thresholds": thresholds(th),
                "decimals": if unit == "percentunit" { Some(2) } else { None }}, "overrides": []},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": false},
                "colorMode": "value", "graphMode": "area", "textMode": "auto", "orientation": "auto"}}));
    }

    fn timeseries(
        &mut self,
        title: &str,
        unit: &str,
        th: &[(f64, &str)],
        targets: &[(String, String)],
    ) {
        let id = self.next_id();
        let pos = self.place(12, 8);
        let threshold_style = if th.is_empty() { "off" } else { "line" };
        self.panels.push(
            json!({"type": "timeseries", "id": id, "title": title, "gridPos": pos,
            "datasource": datasource(), "targets": targets_json(targets),
            "fieldConfig": {"defaults": {"unit": unit, "color": {"mode": "palette-classic"},
                "thresholds": thresholds(th),
                "custom": {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10,
                    "thresholdsStyle": {"mode": threshold_style}}}, "overrides": []},
            "options": {"legend": {"showLegend": true, "displayMode": "list", "placement": "bottom",
                "calcs": []}, "tooltip": {"mode": "multi", "sort": "none"}}}),
        );
    }

    fn gauge(&mut self, title: &str, expr: &str) {
        let id = self.next_id();
        let pos = self.place(6, 6);
        let th = [
            (SATURATION_ALARM * 0.75, "orange"),
            (SATURATION_ALARM, "red"),
        ];
        self.panels.push(json!({"type": "gauge", "id": id, "title": title, "gridPos": pos,
            "datasource": datasource(), "targets": targets_json(&[(expr.to_string(), String::new())]),
            "fieldConfig": {"defaults": {"unit": "percentunit", "min": 0, "max": 1, "decimals": 1,
                "thresholds": thresholds(&th)}, "overrides": []},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": false},
                "showThresholdMarkers": true, "showThresholdLabels": false}}));
    }
}

fn datasource() -> Value {
    json!({"type": "prometheus", "uid": "${DS_PROMETHEUS}"})
}

fn thresholds(steps: &[(f64, &str)]) -> Value {
    let mut list = vec![json!({"color": "green", "value": null})];
    list.extend(steps.iter().map(|(v, c)| json!({"color": c, "value": v})));
    json!({"mode": "absolute", "steps": list})
}

fn targets_json(targets: &[(String, String)]) -> Value {
    let list: Vec<Value> = targets
        .iter()
        .enumerate()
        .map(|(i, (expr, legend))| {
            let ref_id = char::from(b'A' + u8::try_from(i % 26).unwrap_or(0)).to_string();
            json!({"refId": ref_id, "expr": expr, "legendFormat": legend, "datasource": datasource()})
        })
        .collect();
    Value::Array(list)
}
