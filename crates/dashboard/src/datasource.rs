//! Datasource references, normalised from Grafana's three spellings.
//!
//! Contract: every Grafana form (`null`, `"default"`, `"${DS_X}"`, `"$var"`, `"Name"`,
//! `{type, uid}`) maps to one `DatasourceRef`. Signalboard resolves all of them to the
//! configured scrape targets, or to a configured Prometheus API datasource whose uid or name
//! matches (`DatasourceRef::lookup_key`).

use serde::{Deserialize, Serialize};

use crate::interpolate::VariableValues;

/// Where a panel or query gets its data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DatasourceRef {
    /// None given, `null` or `"default"`: the configured targets.
    #[default]
    Default,
    /// `${DS_NAME}` from Grafana's "export for sharing externally" (`__inputs`).
    Input {
        name: String,
        plugin: Option<String>,
    },
    /// `$name` / `${name}` naming a `datasource` template variable.
    Variable {
        name: String,
        plugin: Option<String>,
    },
    /// A concrete datasource by name (string form) or uid (object form).
    Named { uid: String, plugin: Option<String> },
    /// Grafana built-ins such as `-- Grafana --`, `-- Mixed --`, `-- Dashboard --`.
    Builtin { name: String },
}

impl DatasourceRef {
    /// The plugin type when known (`"prometheus"`, …).
    pub fn plugin(&self) -> Option<&str> {
        match self {
            Self::Input { plugin, .. }
            | Self::Variable { plugin, .. }
            | Self::Named { plugin, .. } => plugin.as_deref(),
            Self::Default | Self::Builtin { .. } => None,
        }
    }

    /// The uid or name to match against configured datasources; `None` = the configured targets.
    pub fn lookup_key(&self) -> Option<&str> {
        match self {
            Self::Named { uid, .. } => Some(uid),
            _ => None,
        }
    }

    /// The configured datasource (uid or name) this reference selects, given the variables'
    /// values; `None` = Signalboard's configured scrape targets.
    pub fn resolve(&self, variables: &VariableValues) -> Option<String> {
        match self {
            Self::Named { uid, .. } => Some(uid.clone()),
            Self::Variable { name, .. } => variables
                .get(name)
                .and_then(|v| v.values.first())
                .filter(|value| !value.is_empty() && *value != "default" && !value.starts_with('$'))
                .cloned(),
            Self::Default | Self::Input { .. } | Self::Builtin { .. } => None,
        }
    }

    /// Whether this reference can be served by a Prometheus-compatible source.
    pub fn is_prometheus_compatible(&self) -> bool {
        match self {
            Self::Builtin { .. } => false,
            other => other.plugin().is_none_or(|p| p == "prometheus"),
        }
    }
}
