"""Writes the Java Micrometer / Spring Boot fixture by hand: Maven Central is not reachable from
the capture machine, so no real Spring app can be built. The text follows Micrometer's
documented Prometheus output (micrometer-registry-prometheus with the simpleclient, Spring Boot
2.x-3.2): http_server_requests_seconds{exception,method,outcome,status,uri} with _count/_sum,
_bucket from service-level-objective boundaries
(`management.metrics.distribution.slo.http.server.requests=50ms,100ms,200ms,500ms,1s,2s,5s`;
`percentiles-histogram` would emit ~70 of Micrometer's own buckets per series), a _max gauge, HikariCP, Tomcat, JVM memory and
process meters. Two scrapes 15 s apart from the shared traffic model.
Usage: micrometer_handwritten.py OUT_DIR"""
import random
import sys
from collections import defaultdict

from traffic import request


BUCKETS = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0]
OUTCOME = {2: "SUCCESS", 4: "CLIENT_ERROR", 5: "SERVER_ERROR"}


def fmt(v):
    return repr(float(v))


def render(obs, maxes, t, rng):
    lines = [
        "# Hand-written (not captured): Java Micrometer/Spring Boot output per Micrometer's documented",
        "# Prometheus format; Maven Central is unreachable from the capture machine. See",
        "# scripts/fixture-capture/golden/micrometer_handwritten.py.",
        "# HELP http_server_requests_seconds  ",
        "# TYPE http_server_requests_seconds histogram",
    ]
    for key in sorted(obs):
        method, uri, status = key
        labels = (f'exception="{"none" if status < 500 else "IllegalStateException"}",method="{method}",'
                  f'outcome="{OUTCOME[status // 100]}",status="{status}",uri="{uri}"')
        values = obs[key]
        for b in BUCKETS:
            lines.append(f'http_server_requests_seconds_bucket{{{labels},le="{b}"}} {fmt(sum(v <= b for v in values))}')
        lines.append(f'http_server_requests_seconds_bucket{{{labels},le="+Inf"}} {fmt(len(values))}')
        lines.append(f"http_server_requests_seconds_count{{{labels}}} {fmt(len(values))}")
        lines.append(f"http_server_requests_seconds_sum{{{labels}}} {fmt(sum(values))}")
    lines += ["# HELP http_server_requests_seconds_max  ", "# TYPE http_server_requests_seconds_max gauge"]
    for key in sorted(obs):
        method, uri, status = key
        labels = (f'exception="{"none" if status < 500 else "IllegalStateException"}",method="{method}",'
                  f'outcome="{OUTCOME[status // 100]}",status="{status}",uri="{uri}"')
        lines.append(f"http_server_requests_seconds_max{{{labels}}} {fmt(maxes[key])}")
    active = rng.randint(2, 9)
    gauges = [
        ("hikaricp_connections_active", "Active connections", '{pool="HikariPool-1",}', active),
        ("hikaricp_connections_max", "Max connections", '{pool="HikariPool-1",}', 10),
        ("hikaricp_connections_pending", "Pending threads", '{pool="HikariPool-1",}', rng.randint(0, 2)),
        ("tomcat_threads_busy_threads", "", '{name="http-nio-8080",}', rng.randint(3, 40)),
        ("tomcat_threads_config_max_threads", "", '{name="http-nio-8080",}', 200),
        ("process_cpu_usage", "The \"recent cpu usage\" for the Java Virtual Machine process", "", rng.uniform(0.05, 0.4)),
        ("system_cpu_usage", "The \"recent cpu usage\" of the system the application is running in", "", rng.uniform(0.1, 0.5)),
        ("process_files_open_files", "The open file descriptor count", "", 87 + rng.randint(0, 9)),
        ("process_files_max_files", "The maximum file descriptor count", "", 1048576),
        ("process_uptime_seconds", "The uptime of the Java virtual machine", "", 3600 + t),
        ("process_start_time_seconds", "Start time of the process since unix epoch.", "", 1.7953e9),
    ]
    for name, help_text, labels, value in gauges:
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name}{labels} {fmt(value)}"]
    lines += ["# HELP jvm_memory_used_bytes The amount of used memory", "# TYPE jvm_memory_used_bytes gauge"]
    pools = [("heap", "G1 Eden Space", 6.2e7, -1), ("heap", "G1 Old Gen", 1.1e8, 2.147483648E9),
             ("nonheap", "Metaspace", 7.9e7, -1), ("nonheap", "CodeCache", 2.1e7, 5.0331648E7)]
    for area, pool, used, _ in pools:
        lines.append(f'jvm_memory_used_bytes{{area="{area}",id="{pool}",}} {fmt(used * rng.uniform(0.9, 1.1))}')
    lines += ["# HELP jvm_memory_max_bytes The maximum amount of memory in bytes that can be used for memory management",
              "# TYPE jvm_memory_max_bytes gauge"]
    for area, pool, _, mx in pools:
        lines.append(f'jvm_memory_max_bytes{{area="{area}",id="{pool}",}} {fmt(mx)}')
    return "\n".join(lines) + "\n"


def main():
    out = sys.argv[1]
    rng = random.Random(4)
    obs, maxes = defaultdict(list), defaultdict(float)
    for scrape, seconds in [(1, 600), (2, 15)]:
        window_max = defaultdict(float)
        for _ in range(seconds * 20):
            method, uri, status, latency = request(rng)
            obs[(method, uri, status)].append(latency)
            window_max[(method, uri, status)] = max(window_max[(method, uri, status)], latency)
        maxes = defaultdict(float, window_max)
        with open(f"{out}/scrape{scrape}.prom", "w") as f:
            f.write(render(obs, maxes, 600 if scrape == 1 else 615, rng))


main()
