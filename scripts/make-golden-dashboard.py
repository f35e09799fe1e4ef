#!/usr/bin/env python3
"""Writes public/dashboards/golden-signals.json: the demo service's golden-signals dashboard as
classic Grafana dashboard JSON (importable into Grafana as is). Edit here, then re-run."""
import json, os

RATE = "$__rate_interval"
panels = []
pid = [0]

def nid():
    pid[0] += 1
    return pid[0]

def row(title, y):
    panels.append({"type": "row", "id": nid(), "title": title, "collapsed": False,
                   "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}, "panels": []})

def thresholds(*steps):
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for v, c in steps]}

def target(expr, legend="", ref="A", **kw):
    t = {"refId": ref, "expr": expr, "legendFormat": legend, "datasource": {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}}
    t.update(kw)
    return t

def stat(title, x, y, w, h, exprs, unit="short", th=None, desc="", mappings=None, decimals=None, graph="area", color_mode="value"):
    d = {"unit": unit, "thresholds": th or thresholds((None, "green")), "mappings": mappings or []}
    if decimals is not None:
        d["decimals"] = decimals
    panels.append({"type": "stat", "id": nid(), "title": title, "description": desc,
                   "gridPos": {"x": x, "y": y, "w": w, "h": h},
                   "targets": [target(*e) if isinstance(e, tuple) else target(e) for e in exprs],
                   "fieldConfig": {"defaults": d, "overrides": []},
                   "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                               "colorMode": color_mode, "graphMode": graph, "textMode": "auto", "orientation": "auto"}})

def ts(title, x, y, w, h, exprs, unit="short", th=None, desc="", fill=10, calcs=None, th_style="off"):
    panels.append({"type": "timeseries", "id": nid(), "title": title, "description": desc,
                   "gridPos": {"x": x, "y": y, "w": w, "h": h},
                   "targets": [target(e[0], e[1], chr(65 + i)) for i, e in enumerate(exprs)],
                   "fieldConfig": {"defaults": {"unit": unit, "color": {"mode": "palette-classic"},
                                                "thresholds": th or thresholds((None, "green")),
                                                "custom": {"drawStyle": "line", "lineWidth": 1, "fillOpacity": fill,
                                                           "spanNulls": False, "thresholdsStyle": {"mode": th_style}}},
                                   "overrides": []},
                   "options": {"legend": {"showLegend": True, "displayMode": "list", "placement": "bottom", "calcs": calcs or []},
                               "tooltip": {"mode": "multi", "sort": "none"}}})

def gauge(title, x, y, w, h, expr, unit, th, mn=0, mx=1, desc=""):
    panels.append({"type": "gauge", "id": nid(), "title": title, "description": desc,
                   "gridPos": {"x": x, "y": y, "w": w, "h": h}, "targets": [target(expr)],
                   "fieldConfig": {"defaults": {"unit": unit, "min": mn, "max": mx, "thresholds": th}, "overrides": []},
                   "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                               "showThresholdMarkers": True, "showThresholdLabels": False}})

req = f'sum(rate(http_requests_total{{endpoint=~"$endpoint"}}[{RATE}]))'
ratio = lambda cls: f'(sum(rate(http_requests_total{{endpoint=~"$endpoint",status=~"{cls}"}}[{RATE}])) or vector(0)) / {req}'
bucket = lambda extra="": f'rate(http_request_duration_seconds_bucket{{endpoint=~"$endpoint"{extra}}}[{RATE}])'
q = lambda p, extra="", by="le": f'histogram_quantile({p}, sum by ({by}) ({bucket(extra)}))'

row("Traffic", 0)
stat("Request rate", 0, 1, 6, 4, [req], "reqps", desc="All requests per second (sum over endpoints).")
stat("In-flight requests", 0, 5, 6, 4, ['sum(http_requests_in_progress{endpoint=~"$endpoint"})'], "short",
     thresholds((None, "green"), (20, "orange"), (50, "red")))
ts("Requests per second by endpoint", 6, 1, 18, 8,
   [(f'sum by (endpoint) (rate(http_requests_total{{endpoint=~"$endpoint"}}[{RATE}]))', "{{endpoint}}")], "reqps",
   calcs=["mean", "max", "lastNotNull"])

row("Errors", 9)
err_th = thresholds((None, "green"), (0.005, "orange"), (0.01, "red"))
stat("5xx error ratio (server's fault)", 0, 10, 6, 4, [ratio("5..")], "percentunit", err_th, decimals=2,
     desc="Share of requests answered 5xx. Alarm above 1%.", color_mode="background")
stat("4xx ratio (client errors)", 0, 14, 6, 4, [ratio("4..")], "percentunit",
     thresholds((None, "green"), (0.2, "orange"), (0.5, "red")), decimals=2)
ts("Error ratios", 6, 10, 9, 8, [(ratio("5.."), "5xx"), (ratio("4.."), "4xx")], "percentunit", err_th, th_style="line")
ts("Application errors by type", 15, 10, 9, 8, [(f'sum by (type) (rate(app_errors_total[{RATE}]))', "{{type}}")], "cps")

row("Latency", 18)
lat_th = thresholds((None, "green"), (0.5, "orange"), (1, "red"))
stat("p50 latency", 0, 19, 4, 4, [q(0.5)], "s", lat_th)
stat("p95 latency", 4, 19, 4, 4, [q(0.95)], "s", lat_th, desc="Alarm when p95 exceeds 1 s.")
stat("p99 latency", 8, 19, 4, 4, [q(0.99)], "s", lat_th)
ts("Latency percentiles", 12, 19, 12, 8, [(q(0.5), "p50"), (q(0.95), "p95"), (q(0.99), "p99")], "s", lat_th, th_style="line")
ts("p95 latency by endpoint", 0, 23, 12, 8, [(q(0.95, "", "le, endpoint"), "{{endpoint}}")], "s", lat_th)

row("Saturation", 31)
gauge("DB pool usage", 0, 32, 6, 6, "sum(db_connections_in_use) / sum(db_connection_pool_size)", "percentunit",
      thresholds((None, "green"), (0.6, "orange"), (0.8, "red")), desc="Connections in use / pool size. Alarm above 80%.")
stat("Requests waiting for a DB connection", 6, 32, 6, 3, ["sum(db_connections_waiting)"], "short",
     thresholds((None, "green"), (1, "orange"), (5, "red")))
stat("Open file descriptors", 6, 35, 6, 3, ["process_open_fds / process_max_fds"], "percentunit",
     thresholds((None, "green"), (0.8, "red")), decimals=3)
ts("Process memory", 12, 32, 6, 6, [("process_resident_memory_bytes", "resident")], "bytes")
ts("CPU", 18, 32, 6, 6, [(f"rate(process_cpu_seconds_total[{RATE}])", "cpu")], "percentunit")

row("Health", 38)
ok_map = [{"type": "value", "options": {"0": {"text": "FAILING", "color": "red"}, "1": {"text": "OK", "color": "green"}}}]
stat("Health checks", 0, 39, 12, 4, [("probe_check_ok", "{{check}}")], "short", mappings=ok_map, graph="none", color_mode="background")
stat("Targets up", 12, 39, 6, 4, [("up", "{{job}}")], "short", mappings=ok_map, graph="none", color_mode="background")
panels.append({"type": "table", "id": nid(), "title": "Requests by endpoint and status", "gridPos": {"x": 18, "y": 39, "w": 6, "h": 8},
               "targets": [target(f'sum by (endpoint, status) (increase(http_requests_total[5m]))', "", "A", instant=True, format="table")],
               "fieldConfig": {"defaults": {"unit": "short", "decimals": 0}, "overrides": []}, "options": {"showHeader": True}})
panels.append({"type": "text", "id": nid(), "title": "About", "gridPos": {"x": 0, "y": 43, "w": 18, "h": 4},
               "options": {"mode": "markdown", "content":
                   "**Golden signals** of the demo service: *traffic*, *errors*, *latency*, *saturation*.\n"
                   "Switch the demo's scenario to see alarms fire, e.g. `curl -X POST http://127.0.0.1:8000/admin/scenario/error-burst`. "
                   "See [the Google SRE book](https://sre.google/sre-book/monitoring-distributed-systems/)."}})

dash = {
    "title": "Golden signals — demo service", "uid": "golden-signals", "schemaVersion": 39, "version": 1,
    "time": {"from": "now-15m", "to": "now"}, "refresh": "5s", "graphTooltip": 1, "tags": ["golden-signals"],
    "templating": {"list": [{
        "name": "endpoint", "label": "Endpoint", "type": "query", "multi": True, "includeAll": True, "allValue": ".*",
        "datasource": {"type": "prometheus", "uid": "${DS_PROMETHEUS}"},
        "definition": "label_values(http_requests_total, endpoint)",
        "query": {"query": "label_values(http_requests_total, endpoint)", "refId": "v"},
        "current": {"text": ["All"], "value": ["$__all"]}, "refresh": 2, "sort": 1}]},
    "panels": panels,
}
out = os.path.join(os.path.dirname(__file__), "..", "public", "dashboards", "golden-signals.json")
with open(out, "w") as f:
    json.dump(dash, f, indent=2)
    f.write("\n")
print("wrote", out, len(panels), "panels")
