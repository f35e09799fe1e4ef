//! Signalboard configuration: JSON shaped like prometheus.yml (see DESIGN.md "Configuration").
//!
//! Contract: [`Config::from_json`] either returns a fully validated config (durations and sizes
//! parsed, URLs checked, defaults filled in) or an error naming the offending field
//! (`scrape_configs[0].scrape_interval: invalid duration "5x"`). Callers keep their previous
//! config on error. [`Config::merge`] layers sources (later wins) the way the app combines the
//! built-in default, `config.json`, the saved copy, `?config=` and `?target=`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

mod duration;
mod size;

pub use duration::{format_duration, parse_duration};
pub use size::parse_size;

/// A validated configuration. `Config::default()` is the empty config (`{}`): no targets, the
/// default global interval, timeout and storage limits.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Config {
    #[serde(default)]
    pub global: Global,
    #[serde(default)]
    pub scrape_configs: Vec<ScrapeConfig>,
    #[serde(default)]
    pub probes: Vec<Probe>,
    #[serde(default)]
    pub datasources: Vec<Datasource>,
    #[serde(default)]
    pub dashboards: Vec<String>,
    #[serde(default)]
    pub storage: Storage,
    /// The user's own alert rules (Prometheus rule format), next to the golden-signal defaults.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerting_rules: Vec<AlertingRule>,
}

/// One alerting rule, as in a Prometheus rule file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertingRule {
    pub alert: String,
    pub expr: String,
    /// How long the condition must hold before the alert fires (default 0s).
    #[serde(default, rename = "for", skip_serializing_if = "Option::is_none")]
    pub for_: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Global {
    #[serde(default = "default_interval")]
    pub scrape_interval: String,
    #[serde(default = "default_timeout")]
    pub scrape_timeout: String,
}

impl Default for Global {
    fn default() -> Self {
        Global {
            scrape_interval: default_interval(),
            scrape_timeout: default_timeout(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScrapeConfig {
    pub job_name: String,
    #[serde(default = "default_metrics_path")]
    pub metrics_path: String,
    #[serde(default = "default_scheme")]
    pub scheme: String,
    #[serde(default)]
    pub static_configs: Vec<StaticConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_interval: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_timeout: Option<String>,
    /// 0 = no limit, as in Prometheus.
    #[serde(default)]
    pub sample_limit: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_size_limit: Option<String>,
    /// URL query parameters, as in prometheus.yml (`{"match[]": ["{job=\"api\"}"]}` to
    /// scrape a Prometheus `/federate` endpoint).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, Vec<String>>,
    /// Scraped `job`/`instance`/… labels win over the target's (federation).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub honor_labels: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaticConfig {
    pub targets: Vec<String>,
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    pub name: String,
    pub url: String,
    #[serde(default = "default_interval")]
    pub interval: String,
}

/// A Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir, Cortex, VictoriaMetrics).
/// Credentials live only in the config (the browser's saved copy or a `?config=` file); they
/// are never written into dashboards or URLs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Datasource {
    pub name: String,
    #[serde(rename = "type", default = "default_ds_type")]
    pub kind: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// Per-request timeout (default 30s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    /// The server's scrape interval, for `$__rate_interval` (Grafana's "Scrape interval";
    /// default: `global.scrape_interval`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_interval: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    /// prometheus.yml's `authorization` (`type` defaults to `Bearer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
    /// Extra request headers (e.g. `X-Scope-OrgID` for Mimir/Cortex tenants).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BasicAuth {
    pub username: String,
    #[serde(default)]
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Authorization {
    #[serde(rename = "type", default = "default_auth_type")]
    pub kind: String,
    pub credentials: String,
}

/// A validated datasource with everything a request needs.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiDatasource {
    pub name: String,
    pub uid: Option<String>,
    /// Base URL without a trailing slash: requests go to `{base_url}/api/v1/...`.
    pub base_url: String,
    /// Request headers, `Authorization` included when configured.
    pub headers: Vec<(String, String)>,
    pub timeout_ms: i64,
    pub scrape_interval_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Storage {
    #[serde(default = "default_retention")]
    pub retention: String,
    #[serde(default = "default_memory_limit")]
    pub memory_limit: String,
}

impl Default for Storage {
    fn default() -> Self {
        Storage {
            retention: default_retention(),
            memory_limit: default_memory_limit(),
        }
    }
}

fn default_interval() -> String {
    "15s".into()
}
fn default_timeout() -> String {
    "10s".into()
}
fn default_metrics_path() -> String {
    "/metrics".into()
}
fn default_scheme() -> String {
    "http".into()
}
fn default_auth_type() -> String {
    "Bearer".into()
}
fn default_ds_type() -> String {
    "prometheus".into()
}
fn default_retention() -> String {
    "6h".into()
}
fn default_memory_limit() -> String {
    "256MB".into()
}

/// A configuration error naming the field it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    pub field: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}

fn err(field: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field: field.into(),
        message: message.into(),
    }
}

/// One concrete scrape target, resolved from a scrape config and its static configs.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub job: String,
    /// The full URL fetched.
    pub url: String,
    /// `host:port`, Prometheus's `instance` label.
    pub instance: String,
    pub labels: Vec<(String, String)>,
    pub interval_ms: i64,
    pub timeout_ms: i64,
    pub sample_limit: usize,
    /// 0 = no limit.
    pub body_size_limit: usize,
    pub honor_labels: bool,
}

impl Config {
    /// Parses and validates a config document.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let cfg: Config = serde_json::from_str(text).map_err(|e| {
            err(
                "",
                format!("JSON error at line {} col {}: {}", e.line(), e.column(), e),
            )
        })?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Checks every duration, size and URL; the error names the field.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_duration("global.scrape_interval", &self.global.scrape_interval)?;
        check_duration("global.scrape_timeout", &self.global.scrape_timeout)?;
        for (i, sc) in self.scrape_configs.iter().enumerate() {
            let at = |f: &str| format!("scrape_configs[{i}].{f}");
            if sc.job_name.trim().is_empty() {
                return Err(err(at("job_name"), "must not be empty"));
            }
            if sc.scheme != "http" && sc.scheme != "https" {
                return Err(err(
                    at("scheme"),
                    format!("must be http or https, got {:?}", sc.scheme),
                ));
            }
            if let Some(d) = &sc.scrape_interval {
                check_duration(&at("scrape_interval"), d)?;
            }
            if let Some(d) = &sc.scrape_timeout {
                check_duration(&at("scrape_timeout"), d)?;
            }
            if let Some(s) = &sc.body_size_limit {
                parse_size(s).map_err(|m| err(at("body_size_limit"), m))?;
            }
            for (j, st) in sc.static_configs.iter().enumerate() {
                for (k, t) in st.targets.iter().enumerate() {
                    let field = format!("scrape_configs[{i}].static_configs[{j}].targets[{k}]");
                    target_url(&sc.scheme, t, &sc.metrics_path).map_err(|m| err(field, m))?;
                }
            }
        }
        for (i, p) in self.probes.iter().enumerate() {
            check_http_url(&p.url).map_err(|m| err(format!("probes[{i}].url"), m))?;
            check_duration(&format!("probes[{i}].interval"), &p.interval)?;
        }
        for (i, d) in self.datasources.iter().enumerate() {
            check_datasource(i, d)?;
        }
        for (i, r) in self.alerting_rules.iter().enumerate() {
            let at = |f: &str| format!("alerting_rules[{i}].{f}");
            if r.alert.trim().is_empty() {
                return Err(err(at("alert"), "must not be empty"));
            }
            if r.expr.trim().is_empty() {
                return Err(err(at("expr"), "must not be empty"));
            }
            if let Some(d) = &r.for_ {
                // `for: 0s` is valid (fire at once), unlike a zero scrape interval.
                parse_duration(d).map_err(|m| err(at("for"), m))?;
            }
        }
        check_duration("storage.retention", &self.storage.retention)?;
        parse_size(&self.storage.memory_limit).map_err(|m| err("storage.memory_limit", m))?;
        Ok(())
    }

    /// Resolves every static target to a concrete URL with its effective settings.
    /// Only call on a validated config; invalid entries are skipped.
    pub fn targets(&self) -> Vec<Target> {
        let g_interval = parse_duration(&self.global.scrape_interval).unwrap_or(15_000);
        let g_timeout = parse_duration(&self.global.scrape_timeout).unwrap_or(10_000);
        let mut out = Vec::new();
        for sc in &self.scrape_configs {
            let interval_ms = sc
                .scrape_interval
                .as_deref()
                .and_then(|d| parse_duration(d).ok())
                .unwrap_or(g_interval);
            let timeout_ms = sc
                .scrape_timeout
                .as_deref()
                .and_then(|d| parse_duration(d).ok())
                .unwrap_or(g_timeout)
                .min(interval_ms);
            let body_size_limit = sc
                .body_size_limit
                .as_deref()
                .and_then(|s| parse_size(s).ok())
                .unwrap_or(0);
            for st in &sc.static_configs {
                for t in &st.targets {
                    let Ok((url, instance)) = target_url(&sc.scheme, t, &sc.metrics_path) else {
                        continue;
                    };
                    let url = with_params(url, &sc.params);
                    out.push(Target {
                        job: sc.job_name.clone(),
                        url,
                        instance,
                        labels: st
                            .labels
                            .iter()
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect(),
                        interval_ms,
                        timeout_ms,
                        sample_limit: sc.sample_limit,
                        body_size_limit,
                        honor_labels: sc.honor_labels,
                    });
                }
            }
        }
        out
    }

    /// Adds a target given as a full URL (`?target=` in the app): job name from the host.
    pub fn add_target_url(&mut self, url: &str) -> Result<(), ConfigError> {
        let (scheme, host, path) = split_url(url).map_err(|m| err("target", m))?;
        let job = host.split(':').next().unwrap_or(host).to_string();
        self.scrape_configs.push(ScrapeConfig {
            job_name: job,
            metrics_path: if path.is_empty() {
                "/metrics".into()
            } else {
                path.to_string()
            },
            scheme: scheme.to_string(),
            static_configs: vec![StaticConfig {
                targets: vec![host.to_string()],
                labels: Default::default(),
            }],
            scrape_interval: None,
            scrape_timeout: None,
            sample_limit: 0,
            body_size_limit: None,
            params: BTreeMap::new(),
            honor_labels: false,
        });
        self.validate()
    }

    /// Overlays `other` on `self`: lists in `other` replace ours when non-empty; `global` and
    /// `storage` are taken from `other` (it was parsed with defaults filled in).
    pub fn merge(&mut self, other: Config) {
        self.global = other.global;
        self.storage = other.storage;
        if !other.scrape_configs.is_empty() {
            self.scrape_configs = other.scrape_configs;
        }
        if !other.probes.is_empty() {
            self.probes = other.probes;
        }
        if !other.datasources.is_empty() {
            self.datasources = other.datasources;
        }
        if !other.dashboards.is_empty() {
            self.dashboards = other.dashboards;
        }
        if !other.alerting_rules.is_empty() {
            self.alerting_rules = other.alerting_rules;
        }
    }

    /// The configured datasource whose uid or name is `key`, resolved for requests.
    pub fn datasource(&self, key: &str) -> Option<ApiDatasource> {
        let d = self
            .datasources
            .iter()
            .find(|d| d.uid.as_deref() == Some(key) || d.name == key)?;
        Some(self.resolve_datasource(d))
    }

    /// Every configured datasource, resolved (validated config).
    pub fn api_datasources(&self) -> Vec<ApiDatasource> {
        self.datasources
            .iter()
            .map(|d| self.resolve_datasource(d))
            .collect()
    }

    fn resolve_datasource(&self, d: &Datasource) -> ApiDatasource {
        let ms = |v: &Option<String>, default: i64| {
            v.as_deref()
                .and_then(|s| parse_duration(s).ok())
                .unwrap_or(default)
        };
        let g_interval = parse_duration(&self.global.scrape_interval).unwrap_or(15_000);
        let mut headers: Vec<(String, String)> = d
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(b) = &d.basic_auth {
            let token = base64(format!("{}:{}", b.username, b.password).as_bytes());
            headers.push(("Authorization".into(), format!("Basic {token}")));
        } else if let Some(a) = &d.authorization {
            headers.push((
                "Authorization".into(),
                format!("{} {}", a.kind, a.credentials),
            ));
        }
        ApiDatasource {
            name: d.name.clone(),
            uid: d.uid.clone(),
            base_url: d.url.trim_end_matches('/').to_string(),
            headers,
            timeout_ms: ms(&d.timeout, 30_000),
            scrape_interval_ms: ms(&d.scrape_interval, g_interval),
        }
    }

    /// Retention in milliseconds (validated config).
    pub fn retention_ms(&self) -> i64 {
        parse_duration(&self.storage.retention).unwrap_or(6 * 3_600_000)
    }

    /// Memory limit in bytes (validated config).
    pub fn memory_limit_bytes(&self) -> usize {
        parse_size(&self.storage.memory_limit).unwrap_or(256 << 20)
    }
}

fn check_duration(field: &str, d: &str) -> Result<(), ConfigError> {
    match parse_duration(d) {
        Ok(ms) if ms > 0 => Ok(()),
        Ok(_) => Err(err(field, format!("duration {d:?} must be positive"))),
        Err(m) => Err(err(field, m)),
    }
}

/// Accepts only absolute http(s) URLs: dashboards and configs are untrusted, so no
/// `javascript:`/`data:`/`file:` URLs reach fetch or links.
pub fn check_http_url(url: &str) -> Result<(), String> {
    split_url(url).map(|_| ())
}

fn split_url(url: &str) -> Result<(&str, &str, &str), String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("{url:?} is not an absolute http(s) URL"))?;
    let scheme_lc = scheme.to_ascii_lowercase();
    if scheme_lc != "http" && scheme_lc != "https" {
        return Err(format!("{url:?}: only http and https URLs are allowed"));
    }
    let (host, path) = match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    check_host(host).map_err(|m| format!("{url:?}: {m}"))?;
    Ok((scheme, host, path))
}

fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("missing host".into());
    }
    if host.contains('@') {
        return Err("credentials in URLs are not allowed".into());
    }
    let ok = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'));
    if !ok {
        return Err(format!("invalid host {host:?}"));
    }
    Ok(())
}

fn check_datasource(i: usize, d: &Datasource) -> Result<(), ConfigError> {
    let at = |f: &str| format!("datasources[{i}].{f}");
    if d.name.trim().is_empty() {
        return Err(err(at("name"), "must not be empty"));
    }
    if d.kind != "prometheus" {
        return Err(err(
            at("type"),
            format!(
                "only \"prometheus\" (the Prometheus HTTP API) is supported, got {:?}",
                d.kind
            ),
        ));
    }
    check_http_url(&d.url).map_err(|m| err(at("url"), m))?;
    if let Some(t) = &d.timeout {
        check_duration(&at("timeout"), t)?;
    }
    if let Some(t) = &d.scrape_interval {
        check_duration(&at("scrape_interval"), t)?;
    }
    if d.basic_auth.is_some() && d.authorization.is_some() {
        return Err(err(
            at("authorization"),
            "basic_auth and authorization are mutually exclusive",
        ));
    }
    for name in d.headers.keys() {
        let token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !token {
            return Err(err(at("headers"), format!("invalid header name {name:?}")));
        }
    }
    Ok(())
}

/// Appends prometheus.yml-style `params` to a target URL, percent-encoded.
fn with_params(mut url: String, params: &BTreeMap<String, Vec<String>>) -> String {
    let mut sep = if url.contains('?') { '&' } else { '?' };
    for (name, values) in params {
        for v in values {
            url.push(sep);
            url.push_str(&percent_encode(name));
            url.push('=');
            url.push_str(&percent_encode(v));
            sep = '&';
        }
    }
    url
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Standard base64 with padding (for HTTP basic auth).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sym = |i: u32| char::from(ALPHABET.get((i & 63) as usize).copied().unwrap_or(b'='));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        out.push(if chunk.len() > 1 { sym(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { sym(n) } else { '=' });
    }
    out
}

/// `host:port` + scheme + path → (URL, instance).
fn target_url(scheme: &str, target: &str, metrics_path: &str) -> Result<(String, String), String> {
    check_host(target)?;
    if !metrics_path.starts_with('/') {
        return Err(format!("metrics_path {metrics_path:?} must start with /"));
    }
    Ok((
        format!("{scheme}://{target}{metrics_path}"),
        target.to_string(),
    ))
}

#[cfg(test)]
mod tests;
