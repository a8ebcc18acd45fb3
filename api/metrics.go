package api

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// DBStats is a snapshot of the database pool, exported on /metrics.
// cmd/bigmath fills it from pgxpool.Stat.
type DBStats struct {
	TotalConns           int64         // open connections
	AcquiredConns        int64         // connections in use
	IdleConns            int64         // idle connections
	ConstructingConns    int64         // connections being opened
	MaxConns             int64         // the pool's maximum
	AcquireCount         int64         // successful acquires, cumulative
	AcquireDuration      time.Duration // total time spent acquiring, cumulative
	EmptyAcquireCount    int64         // acquires that had to wait, cumulative
	CanceledAcquireCount int64         // acquires canceled by their context, cumulative
	NewConnsCount        int64         // connections opened, cumulative
}

// metrics is the router's Prometheus registry and instruments. Each router
// has its own registry: nothing is registered globally.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	verdicts *prometheus.CounterVec
	rejected prometheus.Counter
	items    prometheus.Counter
}

func newMetrics(d Deps) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bigmath_http_requests_total",
			Help: "HTTP requests by route template, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "bigmath_http_request_duration_seconds",
			Help:    "HTTP request latency by route template, method and status.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "status"}),
		verdicts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bigmath_reward_verdicts_total",
			Help: "Reward items checked, by verdict reason.",
		}, []string{"reason"}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bigmath_reward_rejected_total",
			Help: "Reward requests answered 503 because the reward capacity (in-flight items) was used up.",
		}),
		items: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bigmath_reward_items_total",
			Help: "Reward items checked.",
		}),
	}
	reg.MustRegister(m.requests, m.latency, m.verdicts, m.rejected, m.items,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if rec := d.Recorder; rec != nil {
		reg.MustRegister(newStatsCollector(rec.Stats, recorderMetrics))
	}
	if d.DBStats != nil {
		reg.MustRegister(newStatsCollector(d.DBStats, poolMetrics))
	}
	return m
}

// middleware counts requests and their latency by route template. Requests
// that match no route are labelled "unmatched" so that random paths do not
// grow the label set.
func (m *metrics) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := strconv.Itoa(c.Writer.Status())
		method := c.Request.Method
		switch method {
		case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
		default:
			method = "other" // clients choose methods: keep the label set bounded
		}
		m.requests.WithLabelValues(route, method, status).Inc()
		m.latency.WithLabelValues(route, method, status).Observe(time.Since(start).Seconds())
	}
}

func (m *metrics) handler() gin.HandlerFunc {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return gin.WrapH(h)
}

// statsCollector exports counts read at scrape time: each metric of a
// list is one value of the snapshot S that stats returns.
type statsCollector[S any] struct {
	stats   func() S
	metrics []statMetric[S]
	descs   map[string]*prometheus.Desc
}

// statMetric is one metric of a statsCollector.
type statMetric[S any] struct {
	name, help string
	counter    bool
	value      func(S) float64
}

// recorderMetrics are the Recorder's counts.
var recorderMetrics = []statMetric[RecorderStats]{
	{"bigmath_record_dropped_total", "Attempts not recorded because the record queue was full.", true, func(s RecorderStats) float64 { return float64(s.Dropped) }},
	{"bigmath_record_failed_total", "Attempts lost because writing them to the database failed.", true, func(s RecorderStats) float64 { return float64(s.Failed) }},
	{"bigmath_record_written_total", "Attempts written to the database.", true, func(s RecorderStats) float64 { return float64(s.Written) }},
	{"bigmath_record_queue_length", "Attempts waiting in the record queue.", false, func(s RecorderStats) float64 { return float64(s.Queued) }},
}

// poolMetrics are the database pool's counts.
var poolMetrics = []statMetric[DBStats]{
	{"bigmath_db_pool_total_conns", "Open database connections.", false, func(s DBStats) float64 { return float64(s.TotalConns) }},
	{"bigmath_db_pool_acquired_conns", "Database connections in use.", false, func(s DBStats) float64 { return float64(s.AcquiredConns) }},
	{"bigmath_db_pool_idle_conns", "Idle database connections.", false, func(s DBStats) float64 { return float64(s.IdleConns) }},
	{"bigmath_db_pool_constructing_conns", "Database connections being opened.", false, func(s DBStats) float64 { return float64(s.ConstructingConns) }},
	{"bigmath_db_pool_max_conns", "Maximum size of the database pool.", false, func(s DBStats) float64 { return float64(s.MaxConns) }},
	{"bigmath_db_pool_acquires_total", "Connections acquired from the pool.", true, func(s DBStats) float64 { return float64(s.AcquireCount) }},
	{"bigmath_db_pool_acquire_seconds_total", "Time spent acquiring connections.", true, func(s DBStats) float64 { return s.AcquireDuration.Seconds() }},
	{"bigmath_db_pool_empty_acquires_total", "Acquires that waited for a connection.", true, func(s DBStats) float64 { return float64(s.EmptyAcquireCount) }},
	{"bigmath_db_pool_canceled_acquires_total", "Acquires canceled by their context.", true, func(s DBStats) float64 { return float64(s.CanceledAcquireCount) }},
	{"bigmath_db_pool_new_conns_total", "Database connections opened.", true, func(s DBStats) float64 { return float64(s.NewConnsCount) }},
}

func newStatsCollector[S any](stats func() S, metrics []statMetric[S]) *statsCollector[S] {
	sc := &statsCollector[S]{stats: stats, metrics: metrics, descs: map[string]*prometheus.Desc{}}
	for _, m := range metrics {
		sc.descs[m.name] = prometheus.NewDesc(m.name, m.help, nil, nil)
	}
	return sc
}

// Describe implements prometheus.Collector.
func (sc *statsCollector[S]) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range sc.descs {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (sc *statsCollector[S]) Collect(ch chan<- prometheus.Metric) {
	s := sc.stats()
	for _, m := range sc.metrics {
		t := prometheus.GaugeValue
		if m.counter {
			t = prometheus.CounterValue
		}
		ch <- prometheus.MustNewConstMetric(sc.descs[m.name], t, m.value(s))
	}
}
