//! Fuzz Grafana dashboard import. The first byte picks the mode: even = the rest as raw text
//! (arbitrary bytes, mostly invalid JSON), odd = a JSON document built from the rest out of
//! Grafana's own keys and typical values (so the importer's deep paths are reached).
//! Import must return a dashboard or an `ImportError`, never panic; an imported dashboard
//! must survive query checking (variable interpolation) and export, and the export must
//! import again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Number, Value};
use signalboard_dashboard::{export_grafana, import_grafana, import_grafana_checked};

const KEYS: &[&str] = &[
    "panels",
    "rows",
    "title",
    "type",
    "id",
    "targets",
    "expr",
    "legendFormat",
    "refId",
    "datasource",
    "uid",
    "gridPos",
    "x",
    "y",
    "w",
    "h",
    "span",
    "height",
    "collapsed",
    "collapse",
    "templating",
    "list",
    "name",
    "query",
    "current",
    "text",
    "value",
    "options",
    "multi",
    "includeAll",
    "allValue",
    "regex",
    "sort",
    "refresh",
    "hide",
    "definition",
    "fieldConfig",
    "defaults",
    "overrides",
    "matcher",
    "properties",
    "unit",
    "decimals",
    "min",
    "max",
    "color",
    "mode",
    "fixedColor",
    "thresholds",
    "steps",
    "mappings",
    "links",
    "url",
    "targetBlank",
    "reduceOptions",
    "calcs",
    "fields",
    "values",
    "legend",
    "showLegend",
    "displayMode",
    "placement",
    "tooltip",
    "content",
    "description",
    "repeat",
    "repeatDirection",
    "maxPerRow",
    "interval",
    "timeFrom",
    "timeShift",
    "transformations",
    "styles",
    "pattern",
    "format",
    "valueName",
    "valueMaps",
    "rangeMaps",
    "yaxes",
    "xaxis",
    "seriesOverrides",
    "aliasColors",
    "alias",
    "lines",
    "bars",
    "points",
    "stack",
    "fill",
    "linewidth",
    "nullPointMode",
    "sparkline",
    "gauge",
    "colorValue",
    "colorBackground",
    "colors",
    "dashboard",
    "spec",
    "schemaVersion",
    "time",
    "from",
    "to",
    "timezone",
    "graphTooltip",
    "tags",
    "custom",
    "drawStyle",
    "lineInterpolation",
    "fillOpacity",
    "stacking",
    "group",
    "axisPlacement",
    "scaleDistribution",
    "log",
    "instant",
    "range",
    "intervalFactor",
    "libraryPanel",
    "elements",
    "layout",
    "cellOptions",
    "footer",
    "orientation",
    "textMode",
    "colorMode",
    "graphMode",
    "justifyMode",
    "noValue",
    "displayName",
    "minSpan",
    "repeatIteration",
    "scopedVars",
    "__inputs",
    "__requires",
];

const STRINGS: &[&str] = &[
    "timeseries",
    "graph",
    "stat",
    "gauge",
    "bargauge",
    "table",
    "text",
    "row",
    "singlestat",
    "table-old",
    "heatmap",
    "piechart",
    "query",
    "custom",
    "constant",
    "interval",
    "textbox",
    "datasource",
    "adhoc",
    "prometheus",
    "${DS_PROMETHEUS}",
    "$datasource",
    "-- Mixed --",
    "rate(http_requests_total{job=\"$job\"}[$__rate_interval])",
    "sum by (le) ($metric)",
    "${job:csv}",
    "${job:regex}",
    "[[job]]",
    "$__interval",
    "$__range",
    "label_values(up, job)",
    "label_values(job)",
    "query_result(up)",
    "metrics(.*)",
    "a,b,c",
    "/(.*)/",
    "/^(?<text>.*)$/",
    "now-6h",
    "now",
    "now/d",
    "2024-01-01T00:00:00Z",
    "1h",
    "10s",
    "auto",
    "short",
    "percent",
    "bytes",
    "s",
    "ms",
    "none",
    "red",
    "#ff0000",
    "rgba(1,2,3,0.5)",
    "palette-classic",
    "byName",
    "byRegexp",
    "byType",
    "lastNotNull",
    "mean",
    "max",
    "h",
    "v",
    "All",
    "$__all",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "",
    "A",
    "B",
    "{{instance}}",
    "\u{0}",
    "ä\u{202e}",
    "%",
    "%%",
    "${",
    "$",
    "[[",
    "{{",
    "\\",
    "1e309",
    "-1",
    "NaN",
];

/// Reads the fuzzer's bytes as a stream of choices (0 once exhausted).
struct Choices<'a>(std::slice::Iter<'a, u8>);

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        self.0.next().copied().unwrap_or(0)
    }
    fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        let i = usize::from(self.byte()) | usize::from(self.byte()) << 8;
        from.get(i % from.len()).copied().unwrap_or("")
    }
}

/// A JSON value; containers nest at most `depth` more levels.
fn value(c: &mut Choices, depth: u8) -> Value {
    match c.byte() % 12 {
        0 => Value::Null,
        1 => Value::Bool(c.byte() & 1 == 1),
        2 => Value::from(i64::from(c.byte() as i8) * i64::from(c.byte())),
        3 => Value::from(u64::MAX - u64::from(c.byte())),
        4 => Number::from_f64(f64::from(c.byte()) / 7.0 - 3.0).map_or(Value::Null, Value::Number),
        5 | 6 => Value::from(c.pick(STRINGS)),
        7 | 8 if depth > 0 => object(c, depth - 1),
        9 | 10 if depth > 0 => {
            let n = c.byte() % 5;
            Value::Array((0..n).map(|_| value(c, depth - 1)).collect())
        }
        _ => Value::from(c.pick(KEYS)),
    }
}

fn object(c: &mut Choices, depth: u8) -> Value {
    let n = c.byte() % 7;
    let mut map = Map::new();
    for _ in 0..n {
        let key = c.pick(KEYS).to_string();
        map.insert(key, value(c, depth));
    }
    Value::Object(map)
}

fn check(json_text: &str) {
    let validate = |expr: &str| {
        signalboard_promql::parse(expr)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let Ok(imported) = import_grafana_checked(json_text, "placeholder", &validate) else {
        return;
    };
    let exported = export_grafana(&imported.dashboard).to_string();
    if let Err(e) = import_grafana(&exported) {
        panic!("export of an imported dashboard does not import: {e}\n{exported}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        check(&String::from_utf8_lossy(rest));
    } else {
        let mut choices = Choices(rest.iter());
        check(&object(&mut choices, 6).to_string());
    }
});
