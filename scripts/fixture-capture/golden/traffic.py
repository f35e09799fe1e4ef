"""Shared request model for the golden-signal capture programs: a simulated HTTP service's
requests (route, method, status, latency) with some 4xx/5xx and a wide latency spread.
Deterministic per seed so re-runs give similar (not identical) captures."""
import random

ROUTES = [
    ("GET", "/api/users", 0.04),
    ("GET", "/api/users/{id}", 0.02),
    ("POST", "/api/orders", 0.15),
    ("GET", "/api/search", 0.4),
]


def request(rng: random.Random):
    """One request: (method, route, status, seconds)."""
    method, route, median = rng.choice(ROUTES)
    roll = rng.random()
    status = 200 if roll < 0.88 else 404 if roll < 0.93 else 400 if roll < 0.96 else 500 if roll < 0.99 else 503
    seconds = median * rng.lognormvariate(0, 0.8)
    if status >= 500:
        seconds *= 3
    return method, route, status, seconds
