// A real HTTP service instrumented with client_golang's promhttp middleware: requests
// {code,method,handler}, a duration histogram with the same labels, an in-flight gauge and the
// Go/process collectors. Handlers sleep a random time and fail sometimes; load.py drives it.
package main

import (
	"math/rand"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func main() {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "http_requests_total", Help: "HTTP requests by code, method and handler."}, []string{"code", "method", "handler"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "http_request_duration_seconds", Help: "HTTP request latency.", Buckets: prometheus.DefBuckets}, []string{"code", "method", "handler"})
	inFlight := prometheus.NewGauge(prometheus.GaugeOpts{Name: "http_requests_in_flight", Help: "Requests being served."})
	reg.MustRegister(requests, duration, inFlight)
	route := func(name string, median float64) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(time.Duration(median * rand.ExpFloat64() * float64(time.Second)))
			switch roll := rand.Float64(); {
			case roll < 0.05:
				w.WriteHeader(http.StatusNotFound)
			case roll < 0.08:
				w.WriteHeader(http.StatusInternalServerError)
			default:
				w.Write([]byte("ok\n"))
			}
		})
		labels := prometheus.Labels{"handler": name}
		http.Handle(name, promhttp.InstrumentHandlerInFlight(inFlight,
			promhttp.InstrumentHandlerDuration(duration.MustCurryWith(labels),
				promhttp.InstrumentHandlerCounter(requests.MustCurryWith(labels), h))))
	}
	route("/api/users", 0.02)
	route("/api/orders", 0.1)
	route("/api/search", 0.3)
	http.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true}))
	if err := http.ListenAndServe("127.0.0.1:"+os.Args[1], nil); err != nil {
		panic(err)
	}
}
