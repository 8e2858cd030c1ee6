package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/passforge/passforge/internal/pgtest"
	"github.com/passforge/passforge/webservice/pgstore"
)

// BenchmarkDevicePoll measures what devices cost the service over loopback
// HTTP: a conditional GET of the latest pass answered 304 (the common poll)
// and a list of serials answered 204, next to a bare net/http handler
// measured in the same run (the floor).
func BenchmarkDevicePoll(b *testing.B) {
	h := newHarness(b, nil)
	if _, err := h.srv.Issue(b.Context(), "bench-1", Values{"name": json.RawMessage(`"Bench"`)}); err != nil {
		b.Fatal(err)
	}
	data, modified, err := h.srv.PassData(b.Context(), "bench-1")
	if err != nil {
		b.Fatal(err)
	}
	pkg := verifyPkpass(b, data)
	d := newDevice(b, "benchdevice", hexToken(1), h.srv.WebServiceURL(), testPassTypeID, "bench-1", pkg.Pass.AuthenticationToken)
	if d.register() != http.StatusCreated {
		b.Fatal("register failed")
	}
	d.poll()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	get := func(b *testing.B, url string, set func(*http.Request), want int) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				req, _ := http.NewRequest("GET", url, nil)
				set(req)
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != want {
					b.Errorf("status %d, want %d", resp.StatusCode, want)
					return
				}
			}
		})
	}
	b.Run("pass-304", func(b *testing.B) {
		get(b, d.Target.WebServiceURL+"v1/passes/"+testPassTypeID+"/bench-1", func(r *http.Request) {
			r.Header.Set("Authorization", "ApplePass "+d.Target.AuthenticationToken)
			r.Header.Set("If-Modified-Since", modified.UTC().Format(http.TimeFormat))
		}, http.StatusNotModified)
	})
	b.Run("list-204", func(b *testing.B) {
		get(b, d.Target.WebServiceURL+"v1/devices/benchdevice/registrations/"+testPassTypeID+"?passesUpdatedSince="+d.Tag, func(*http.Request) {}, http.StatusNoContent)
	})
	floor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusNotModified)
	}))
	defer floor.Close()
	b.Run("floor-304", func(b *testing.B) {
		get(b, floor.URL+"/v1/passes/x/y", func(*http.Request) {}, http.StatusNotModified)
	})
}

// BenchmarkUpdate measures one admin update end to end (merge, sign, store
// the version and queue a push in one transaction), on SQLite and, with
// PASSFORGE_TEST_POSTGRES, on PostgreSQL.
func BenchmarkUpdate(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchUpdate(b, newHarness(b, nil)) })
	b.Run("postgres", func(b *testing.B) {
		st, err := pgstore.Open(b.Context(), pgtest.URL(b))
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		benchUpdate(b, newHarnessOn(b, st, nil))
	})
}

func benchUpdate(b *testing.B, h *harness) {
	if _, err := h.srv.Issue(b.Context(), "bench-u", Values{"name": json.RawMessage(`"Bench"`)}); err != nil {
		b.Fatal(err)
	}
	h.register("benchdevice", hexToken(2), "bench-u")
	start := time.Now()
	b.ResetTimer()
	for i := range b.N {
		if _, err := h.srv.Update(b.Context(), "bench-u", Values{"points": json.RawMessage(fmt.Sprint(i))}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "updates/s")
}
