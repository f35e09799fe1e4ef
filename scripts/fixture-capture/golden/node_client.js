// prom-client with the express-prom-bundle conventions: http_request_duration_seconds
// {method,path,status_code} histogram (traffic from its _count), an in-flight gauge and the
// default metrics; traffic is simulated with a timer.
const http = require("http");
const client = require("prom-client");

const port = Number(process.argv[2]);
client.collectDefaultMetrics();
const duration = new client.Histogram({
  name: "http_request_duration_seconds",
  help: "duration histogram of http responses labeled with: status_code, method, path",
  labelNames: ["status_code", "method", "path"],
  buckets: [0.003, 0.03, 0.1, 0.3, 1.5, 10],
});
const inFlight = new client.Gauge({ name: "http_requests_in_flight", help: "Requests being served." });
const routes = [["GET", "/api/users", 0.04], ["GET", "/api/users/:id", 0.02], ["POST", "/api/orders", 0.15], ["GET", "/api/search", 0.4]];
let seed = 3;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
setInterval(() => {
  const [method, path, median] = routes[Math.floor(rnd() * routes.length)];
  const roll = rnd();
  const status = roll < 0.88 ? 200 : roll < 0.93 ? 404 : roll < 0.96 ? 400 : roll < 0.99 ? 500 : 503;
  inFlight.set(Math.floor(rnd() * 4));
  duration.observe({ status_code: String(status), method, path }, median * Math.exp((rnd() - 0.5) * 3));
}, 20);

http
  .createServer(async (req, res) => {
    res.setHeader("Content-Type", client.register.contentType);
    res.end(await client.register.metrics());
  })
  .listen(port, "127.0.0.1");
