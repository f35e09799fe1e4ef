// Serve client_golang's default Go/process collectors plus one metric of each type on PORT,
// with OpenMetrics negotiation enabled.
package main

import (
	"net/http"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func main() {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "app_requests_total", Help: "Requests handled."}, []string{"method", "status"})
	inFlight := prometheus.NewGauge(prometheus.GaugeOpts{Name: "app_in_flight_requests", Help: "Requests in flight."})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "app_request_duration_seconds", Help: "Request latency.", Buckets: prometheus.DefBuckets}, []string{"endpoint"})
	payload := prometheus.NewSummary(prometheus.SummaryOpts{Name: "app_payload_bytes", Help: "Payload sizes.", Objectives: map[float64]float64{0.5: 0.05, 0.9: 0.01, 0.99: 0.001}})
	reg.MustRegister(requests, inFlight, latency, payload)
	requests.WithLabelValues("GET", "200").Add(42)
	requests.WithLabelValues("POST", "500").Inc()
	inFlight.Set(7)
	latency.WithLabelValues("/api/items").Observe(0.12)
	latency.WithLabelValues("/odd \"path\"\n").Observe(4)
	payload.Observe(512)
	payload.Observe(1024)
	http.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true}))
	if err := http.ListenAndServe("127.0.0.1:"+os.Args[1], nil); err != nil {
		panic(err)
	}
}
