"""Serve prometheus_client's default registry plus one metric of each type on PORT."""
import sys
import time

from prometheus_client import Counter, Enum, Gauge, Histogram, Info, Summary, start_http_server

port = int(sys.argv[1])
requests = Counter("app_requests", "Requests handled.", ["method", "status"])
in_flight = Gauge("app_in_flight_requests", "Requests in flight.")
latency = Histogram("app_request_duration_seconds", "Request latency.", ["endpoint"])
payload = Summary("app_payload_bytes", "Payload sizes.")
build = Info("app_build", "Build information.")
state = Enum("app_state", "Lifecycle state.", states=["starting", "running", "stopped"])

build.info({"version": "1.2.3", "commit": "abc\"def\\ghi"})
state.state("running")
for i, (method, status) in enumerate([("GET", "200"), ("POST", "201"), ("GET", "500")]):
    requests.labels(method, status).inc(i + 1)
    latency.labels("/api/items").observe(0.01 * (i + 1))
    latency.labels('/weird "path"\n').observe(2.5)
    payload.observe(100 * (i + 1))
in_flight.set(3)
start_http_server(port)
while True:
    time.sleep(1)
