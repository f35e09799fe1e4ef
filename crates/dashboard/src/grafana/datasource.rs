//! Grafana datasource references ↔ `DatasourceRef`.
//!
//! Contract: `read` accepts `null`, strings and `{type, uid}` objects; `${X}`/`$X` is a
//! `Variable` when the dashboard has a datasource variable `X`, otherwise an `Input`
//! (`__inputs` supplies its plugin type). `write(read(x))` re-reads to the same value.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::json::{get, nonempty, Obj};
use crate::datasource::DatasourceRef;
use crate::model::{Dashboard, Panel};

const BUILTINS: [&str; 4] = ["grafana", "-- Grafana --", "-- Mixed --", "-- Dashboard --"];

/// What the dashboard declares about datasources.
#[derive(Debug, Default)]
pub(crate) struct DatasourceContext {
    /// `__inputs` name → plugin id.
    pub inputs: BTreeMap<String, String>,
    /// Names of `datasource` variables.
    pub variables: BTreeSet<String>,
}

impl DatasourceContext {
    pub(crate) fn from_dashboard(root: &Value) -> Self {
        let mut ctx = Self::default();
        for input in super::json::array(root.get("__inputs")) {
            if let (Some(name), Some(plugin)) =
                (nonempty(input.get("name")), nonempty(input.get("pluginId")))
            {
                ctx.inputs.insert(name, plugin);
            }
        }
        let vars = root.get("templating").and_then(|t| t.get("list"));
        for var in super::json::array(vars) {
            if var.get("type").and_then(Value::as_str) == Some("datasource") {
                if let Some(name) = nonempty(var.get("name")) {
                    ctx.variables.insert(name);
                }
            }
        }
        ctx
    }

    pub(crate) fn read(&self, v: Option<&Value>) -> DatasourceRef {
        match v {
            Some(Value::String(s)) => self.read_name(s, None),
            Some(obj @ Value::Object(_)) => {
                let plugin = nonempty(get(obj, "type"));
                match nonempty(get(obj, "uid")) {
                    Some(uid) => self.read_name(&uid, plugin),
                    None if matches!(plugin.as_deref(), Some("grafana" | "datasource")) => {
                        DatasourceRef::Builtin {
                            name: "grafana".to_string(),
                        }
                    }
                    None => DatasourceRef::Default,
                }
            }
            _ => DatasourceRef::Default,
        }
    }

    fn read_name(&self, name: &str, plugin: Option<String>) -> DatasourceRef {
        let name = name.trim();
        if name.is_empty() || name == "default" {
            return DatasourceRef::Default;
        }
        if BUILTINS.contains(&name) {
            return DatasourceRef::Builtin {
                name: name.to_string(),
            };
        }
        let Some(var) = variable_name(name) else {
            return DatasourceRef::Named {
                uid: name.to_string(),
                plugin,
            };
        };
        if self.variables.contains(var) {
            DatasourceRef::Variable {
                name: var.to_string(),
                plugin,
            }
        } else if let Some(input_plugin) = self.inputs.get(var) {
            DatasourceRef::Input {
                name: var.to_string(),
                plugin: plugin.or_else(|| Some(input_plugin.clone())),
            }
        } else if var.starts_with("DS_") {
            DatasourceRef::Input {
                name: var.to_string(),
                plugin,
            }
        } else {
            DatasourceRef::Variable {
                name: var.to_string(),
                plugin,
            }
        }
    }
}

/// `$name` or `${name}` → `name`.
fn variable_name(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('$')?;
    let name = match rest.strip_prefix('{') {
        Some(inner) => inner.strip_suffix('}')?,
        None => rest,
    };
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
}

/// Grafana JSON for a reference (`null` for the default).
pub(crate) fn write(ds: &DatasourceRef) -> Value {
    let reference = |uid: String, plugin: &Option<String>| match plugin {
        Some(p) => Obj::new().set("type", p.as_str()).set("uid", uid).build(),
        None => Value::String(uid),
    };
    match ds {
        DatasourceRef::Default => Value::Null,
        DatasourceRef::Input { name, plugin } | DatasourceRef::Variable { name, plugin } => {
            reference(format!("${{{name}}}"), plugin)
        }
        DatasourceRef::Named { uid, plugin } => reference(uid.clone(), plugin),
        DatasourceRef::Builtin { name } if name.starts_with("--") => Value::String(name.clone()),
        DatasourceRef::Builtin { name } => Obj::new()
            .set("type", "datasource")
            .set("uid", name.as_str())
            .build(),
    }
}

/// `__inputs` entries for every `Input` reference with a known plugin.
pub(crate) fn inputs_for(refs: &[&DatasourceRef]) -> Vec<Value> {
    let mut seen = BTreeMap::new();
    for r in refs {
        if let DatasourceRef::Input {
            name,
            plugin: Some(plugin),
        } = r
        {
            seen.entry(name.clone()).or_insert_with(|| plugin.clone());
        }
    }
    seen.into_iter()
        .map(|(name, plugin)| {
            Obj::new()
                .set("name", name.as_str())
                .set("label", name.as_str())
                .set("type", "datasource")
                .set("pluginId", plugin.as_str())
                .build()
        })
        .collect()
}

/// Every mutable datasource reference of a panel (its own and its targets').
fn panel_refs(p: &mut Panel) -> impl Iterator<Item = &mut DatasourceRef> {
    std::iter::once(&mut p.datasource).chain(p.targets.iter_mut().map(|t| &mut t.datasource))
}

/// Gives every `Input` reference to the same name the same plugin: the one `__inputs` names,
/// else the first one an object reference states. (Export then writes them all alike, so the
/// round trip is exact.)
pub(crate) fn unify_input_plugins(d: &mut Dashboard, ctx: &DatasourceContext) {
    let mut plugins = ctx.inputs.clone();
    let mut note = |r: &DatasourceRef| {
        if let DatasourceRef::Input {
            name,
            plugin: Some(plugin),
        } = r
        {
            plugins
                .entry(name.clone())
                .or_insert_with(|| plugin.clone());
        }
    };
    d.variables.iter().for_each(|v| note(&v.datasource));
    for p in &mut d.panels {
        panel_refs(p).for_each(|r| note(r));
        p.panels
            .iter_mut()
            .flat_map(panel_refs)
            .for_each(|r| note(r));
    }
    let apply = |r: &mut DatasourceRef| {
        if let DatasourceRef::Input { name, plugin } = r {
            *plugin = plugins.get(name).cloned();
        }
    };
    d.variables
        .iter_mut()
        .for_each(|v| apply(&mut v.datasource));
    for p in &mut d.panels {
        panel_refs(p).for_each(apply);
        p.panels.iter_mut().flat_map(panel_refs).for_each(apply);
    }
}
