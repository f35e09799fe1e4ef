"""prometheus_client as in the seed material: http_requests_total{method,endpoint,status},
http_request_duration_seconds{method,endpoint} (histogram), in-progress gauge, application
error counter and the default process collector; traffic is simulated in a thread."""
import random
import sys
import threading
import time

from prometheus_client import Counter, Gauge, Histogram, start_http_server

from traffic import request

REQUESTS = Counter("http_requests_total", "HTTP requests.", ["method", "endpoint", "status"])
LATENCY = Histogram("http_request_duration_seconds", "HTTP request latency.", ["method", "endpoint"])
IN_PROGRESS = Gauge("http_requests_in_progress", "HTTP requests in progress.", ["method", "endpoint"])
ERRORS = Counter("app_errors_total", "Application errors by type.", ["type"])


def simulate():
    rng = random.Random(1)
    while True:
        method, route, status, seconds = request(rng)
        IN_PROGRESS.labels(method, route).set(rng.randint(0, 3))
        REQUESTS.labels(method, route, str(status)).inc()
        LATENCY.labels(method, route).observe(seconds)
        if status >= 500:
            ERRORS.labels("internal").inc()
        elif status == 400:
            ERRORS.labels("validation").inc()
        time.sleep(0.02)


start_http_server(int(sys.argv[1]))
threading.Thread(target=simulate, daemon=True).start()
while True:
    time.sleep(1)
