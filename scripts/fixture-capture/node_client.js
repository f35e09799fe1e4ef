// Serve prom-client's default metrics plus one metric of each type on PORT.
const http = require("http");
const client = require("prom-client");

const port = Number(process.argv[2]);
client.collectDefaultMetrics();
const requests = new client.Counter({ name: "app_requests_total", help: "Requests handled.", labelNames: ["method", "status"] });
const inFlight = new client.Gauge({ name: "app_in_flight_requests", help: "Requests in flight." });
const latency = new client.Histogram({ name: "app_request_duration_seconds", help: "Request latency.", labelNames: ["route"] });
const payload = new client.Summary({ name: "app_payload_bytes", help: "Payload sizes." });
requests.inc({ method: "GET", status: "200" }, 5);
requests.inc({ method: "POST", status: "500" });
inFlight.set(2);
latency.observe({ route: "/api/items" }, 0.2);
latency.observe({ route: '/odd "route"\\x' }, 3);
payload.observe(512);
payload.observe(2048);

http
  .createServer(async (req, res) => {
    const openMetrics = (req.headers.accept || "").includes("application/openmetrics-text");
    const registry = client.register;
    if (openMetrics) registry.setContentType(client.openMetricsContentType);
    else registry.setContentType(client.prometheusContentType);
    res.setHeader("Content-Type", registry.contentType);
    res.end(await registry.metrics());
  })
  .listen(port, "127.0.0.1");
