"""OpenTelemetry SDK metrics through opentelemetry-exporter-prometheus, with the HTTP
semantic-convention instruments (http.server.request.duration in s with http.route,
http.request.method, http.response.status_code; http.server.active_requests) recorded
manually; traffic is simulated in a thread. The exporter serves prometheus_client's registry,
so the default process collector is there too."""
import random
import sys
import threading
import time

from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import Resource
from prometheus_client import start_http_server

from traffic import request

reader = PrometheusMetricReader()
provider = MeterProvider(resource=Resource.create({"service.name": "orders"}), metric_readers=[reader])
meter = provider.get_meter("capture")
duration = meter.create_histogram(
    "http.server.request.duration", unit="s", description="Duration of HTTP server requests.",
    explicit_bucket_boundaries_advisory=[0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10])
active = meter.create_up_down_counter(
    "http.server.active_requests", unit="{request}", description="Number of active HTTP server requests.")


def simulate():
    rng = random.Random(2)
    while True:
        method, route, status, seconds = request(rng)
        attrs = {"http.request.method": method, "http.route": route, "url.scheme": "http"}
        active.add(1, {"http.request.method": method, "url.scheme": "http"})
        duration.record(seconds, {**attrs, "http.response.status_code": status})
        active.add(-1, {"http.request.method": method, "url.scheme": "http"})
        time.sleep(0.02)


start_http_server(int(sys.argv[1]))
threading.Thread(target=simulate, daemon=True).start()
while True:
    time.sleep(1)
