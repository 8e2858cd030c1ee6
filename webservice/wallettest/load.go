package wallettest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// LoadOptions configure Load. A nil *LoadOptions is the same as the zero
// value.
type LoadOptions struct {
	// Client sends every device's requests. If nil, a client whose
	// transport keeps one idle connection per device.
	Client *http.Client
	// Devices is the number of devices polling at once. If zero, 10.
	Devices int
	// Duration is how long the devices poll. If zero, 5 seconds.
	Duration time.Duration
}

// LoadReport is what Load measured.
type LoadReport struct {
	// Devices is the number of devices that polled at once.
	Devices int `json:"devices"`
	// Duration is how long they polled.
	Duration time.Duration `json:"-"`
	// Requests is the number of polls answered: list requests and
	// conditional fetches.
	Requests int64 `json:"requests"`
	// Errors counts requests with no answer or an answer the protocol does
	// not allow for an unchanged pass (anything but 200/204 for a list,
	// 200/304 for a fetch).
	Errors int64 `json:"errors"`
	// RequestsPerSecond is Requests divided by Duration.
	RequestsPerSecond float64 `json:"requestsPerSecond"`
	// P50, P99 and Max are latency percentiles of the answered requests.
	P50, P99, Max time.Duration `json:"-"`
	// Statuses counts the answers by HTTP status.
	Statuses map[int]int64 `json:"statuses"`
	// FirstError is the first unexpected answer or network error, "" if
	// none. Text from the service in it is escaped for a terminal.
	FirstError string `json:"firstError,omitempty"`
}

// String is a one-line summary.
func (r *LoadReport) String() string {
	return fmt.Sprintf("%d devices for %s: %d requests, %.0f requests/s, p50 %s, p99 %s, max %s, %d errors",
		r.Devices, r.Duration.Round(time.Millisecond), r.Requests, r.RequestsPerSecond,
		r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.Max.Round(time.Microsecond), r.Errors)
}

// Load registers opts.Devices devices for the pass t, lets each poll as a
// Wallet device does after a push — list the serials changed since its tag,
// then fetch the pass with If-Modified-Since — over and over for
// opts.Duration, and unregisters them. It returns an error when a device
// cannot register; unexpected answers during the run are counted in the
// report.
func Load(ctx context.Context, t Target, opts *LoadOptions) (*LoadReport, error) {
	if opts == nil {
		opts = &LoadOptions{}
	}
	n, dur, client := opts.Devices, opts.Duration, opts.Client
	if n < 0 || dur < 0 {
		return nil, errors.New("wallettest: negative device count or duration")
	}
	if n == 0 {
		n = 10
	}
	if dur == 0 {
		dur = 5 * time.Second
	}
	if client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = n
		tr.MaxIdleConns = n
		client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
		defer tr.CloseIdleConnections()
	}
	devices := make([]*Device, n)
	for i := range devices {
		d := NewDevice(t, client)
		r, err := d.Register(ctx)
		if err != nil {
			unregisterAll(ctx, devices[:i])
			return nil, err
		}
		if r.Status != http.StatusCreated && r.Status != http.StatusOK {
			unregisterAll(ctx, devices[:i])
			return nil, fmt.Errorf("wallettest: load: device %d cannot register: got %s", i+1, describe(r))
		}
		devices[i] = d
	}
	defer unregisterAll(ctx, devices)

	type result struct {
		lat      []time.Duration
		statuses map[int]int64
		errs     int64
		first    string
	}
	results := make([]result, n)
	runCtx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for i, d := range devices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := &results[i]
			res.statuses = map[int]int64{}
			fail := func(s string) {
				res.errs++
				if res.first == "" {
					res.first = s
				}
			}
			// answered records the latency and status of a request's
			// answer; false means there is none to look at, because the
			// run is over or the request failed.
			answered := func(r *Response, err error) bool {
				if runCtx.Err() != nil {
					return false
				}
				if err != nil {
					fail(err.Error())
					return false
				}
				res.lat = append(res.lat, r.Latency)
				res.statuses[r.Status]++
				return true
			}
			var tag string
			var modified time.Time
			for runCtx.Err() == nil {
				r, err := d.Serials(runCtx, tag)
				if !answered(r, err) {
					continue
				}
				switch r.Status {
				case http.StatusOK:
					if sn, perr := ParseSerialNumbers(r.Body); perr == nil {
						tag = sn.LastUpdated
					} else {
						fail("list: " + perr.Error())
					}
				case http.StatusNoContent:
				default:
					fail("list: got " + describe(r))
				}
				r, err = d.Pass(runCtx, modified)
				if !answered(r, err) {
					continue
				}
				switch r.Status {
				case http.StatusOK:
					if t, perr := http.ParseTime(r.Header.Get("Last-Modified")); perr == nil {
						modified = t
					}
				case http.StatusNotModified:
				default:
					fail("fetch: got " + describe(r))
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	rep := &LoadReport{Devices: n, Duration: elapsed, Statuses: map[int]int64{}}
	var all []time.Duration
	for _, res := range results {
		all = append(all, res.lat...)
		rep.Errors += res.errs
		for s, k := range res.statuses {
			rep.Statuses[s] += k
		}
		if rep.FirstError == "" && res.first != "" {
			rep.FirstError = res.first
		}
	}
	rep.Requests = int64(len(all))
	if elapsed > 0 {
		rep.RequestsPerSecond = float64(rep.Requests) / elapsed.Seconds()
	}
	slices.Sort(all)
	rep.P50, rep.P99 = percentile(all, 50), percentile(all, 99)
	if len(all) > 0 {
		rep.Max = all[len(all)-1]
	}
	return rep, nil
}

// percentile returns the p-th percentile of sorted (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(i-1, len(sorted)-1))]
}

func unregisterAll(ctx context.Context, devices []*Device) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for _, d := range devices {
		if d != nil {
			_, _ = d.Unregister(cctx)
		}
	}
}

// FloorHandler answers every request of a polling device with the cheapest
// answer the protocol allows — 201 to a registration, 200 to an
// unregistration, 204 to a list, 304 to a conditional fetch (200 with a
// tiny body otherwise) — without a store or any check. Load against it
// measures the floor of the HTTP stack on the same machine, to read a
// service's figures against.
func FloorHandler() http.Handler {
	modified := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Format(http.TimeFormat)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			w.WriteHeader(http.StatusCreated)
		case http.MethodDelete:
			w.WriteHeader(http.StatusOK)
		default:
			if r.URL.Query().Has("passesUpdatedSince") || isListPath(r.URL.Path) {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			w.Header().Set("Last-Modified", modified)
			if r.Header.Get("If-Modified-Since") != "" {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "application/vnd.apple.pkpass")
			_, _ = w.Write([]byte("floor"))
		}
	})
}

// isListPath reports whether path is a list endpoint: .../devices/D/registrations/T.
func isListPath(path string) bool {
	segs := strings.Split(strings.TrimRight(path, "/"), "/")
	return len(segs) >= 4 && segs[len(segs)-2] == "registrations" && segs[len(segs)-4] == "devices"
}
