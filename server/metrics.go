package server

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Server's Prometheus metrics, in a registry of its own.
type metrics struct {
	registry *prometheus.Registry
	handler  http.Handler
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	pushes   *prometheus.CounterVec
	signing  prometheus.Histogram
	updates  prometheus.Counter
}

// Push outcomes, the values of the outcome label of
// passforge_pushes_total.
const (
	outcomeDelivered    = "delivered"
	outcomeUnregistered = "unregistered"
	outcomeFailed       = "failed" // permanent: completed without delivery
	outcomeRetry        = "retry"  // transient: retried later
)

func newMetrics(s *Server) *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "passforge_http_requests_total",
		Help: "HTTP requests served, by endpoint and status code.",
	}, []string{"endpoint", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "passforge_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by endpoint.",
		Buckets: []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5},
	}, []string{"endpoint"})
	m.pushes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "passforge_pushes_total",
		Help: "APNs push attempts, by outcome: delivered, unregistered, failed (permanent) or retry (transient).",
	}, []string{"outcome"})
	for _, o := range []string{outcomeDelivered, outcomeUnregistered, outcomeFailed, outcomeRetry} {
		m.pushes.WithLabelValues(o)
	}
	m.signing = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "passforge_signing_duration_seconds",
		Help:    "Time to build and sign one pass version.",
		Buckets: []float64{0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1},
	})
	m.updates = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "passforge_pass_updates_total",
		Help: "Pass versions stored by updates and voids.",
	})
	m.registry.MustRegister(m.requests, m.duration, m.pushes, m.signing, m.updates, &storeCollector{s: s},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return m
}

// storeCollector reports the sizes of the store at each scrape.
type storeCollector struct{ s *Server }

var (
	descPasses        = prometheus.NewDesc("passforge_passes", "Passes in the store.", nil, nil)
	descDevices       = prometheus.NewDesc("passforge_devices", "Devices with at least one registration.", nil, nil)
	descRegistrations = prometheus.NewDesc("passforge_registrations", "Device registrations for pass updates.", nil, nil)
	descOutbox        = prometheus.NewDesc("passforge_outbox_depth", "Pushes waiting in the outbox.", nil, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descPasses
	ch <- descDevices
	ch <- descRegistrations
	ch <- descOutbox
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if n, err := c.s.store.Counts(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(descPasses, prometheus.GaugeValue, float64(n.Passes))
		ch <- prometheus.MustNewConstMetric(descDevices, prometheus.GaugeValue, float64(n.Devices))
		ch <- prometheus.MustNewConstMetric(descRegistrations, prometheus.GaugeValue, float64(n.Registrations))
	} else {
		c.s.log.Warn("metrics: counting the store failed", "error", err)
		ch <- prometheus.NewInvalidMetric(descPasses, err)
	}
	if n, err := c.s.store.OutboxDepth(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(n))
	} else {
		c.s.log.Warn("metrics: measuring the outbox failed", "error", err)
		ch <- prometheus.NewInvalidMetric(descOutbox, err)
	}
}
