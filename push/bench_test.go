package push

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/passforge/passforge/push/pushtest"
	"github.com/passforge/passforge/sign"
)

// Benchmark setup shared by the client and its floor: the same server, the
// same number of connections and requests in flight.
const (
	benchConns    = 2
	benchInFlight = 256
)

// floor is a bare HTTP/2 client of the standard library: benchConns
// transports of one connection each, benchInFlight goroutines posting the
// requests push.Client sends (same path, headers and body), and nothing else
// (no dedupe, no results, no retries).
type floor struct {
	u     *url.URL
	conns []*http.Transport
}

func newFloor(tb testing.TB, s *pushtest.Server, id *sign.Identity) *floor {
	tc := &tls.Config{RootCAs: s.CertPool(), NextProtos: []string{"h2"},
		Certificates: []tls.Certificate{{Certificate: [][]byte{id.Certificate.Raw}, PrivateKey: id.Signer, Leaf: id.Certificate}}}
	u, _ := url.Parse(s.URL)
	f := &floor{u: u}
	var protos http.Protocols
	protos.SetHTTP2(true)
	for range benchConns {
		tr := &http.Transport{TLSClientConfig: tc, ForceAttemptHTTP2: true, Protocols: &protos,
			MaxConnsPerHost: 1, DisableCompression: true}
		tb.Cleanup(tr.CloseIdleConnections)
		f.conns = append(f.conns, tr)
	}
	// Connect first, as newBenchClient does.
	if failed := f.push(1, benchConns); failed > 0 {
		tb.Fatalf("%d requests failed", failed)
	}
	return f
}

// push posts tokens first..first+n-1 and returns how many failed.
func (f *floor) push(first, n int) int64 {
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	for w := range benchInFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cc := f.conns[w%len(f.conns)]
			for {
				i := next.Add(1)
				if i > int64(n) {
					return
				}
				ru := *f.u
				ru.Path = "/3/device/" + token(first+int(i)-1)
				req := &http.Request{Method: http.MethodPost, URL: &ru, Host: f.u.Host, Proto: "HTTP/2.0", ProtoMajor: 2,
					Header: http.Header{
						"Apns-Topic": {testTopic}, "Apns-Push-Type": {"background"}, "Apns-Priority": {"5"},
						"Apns-Expiration": {strconv.FormatInt(time.Now().Add(DefaultExpiration).Unix(), 10)},
						"Apns-Id":         {newUUID()}, "User-Agent": {"passforge-push"},
					},
					Body: io.NopCloser(strings.NewReader("{}")), ContentLength: 2}
				resp, err := cc.RoundTrip(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	return failed.Load()
}

func newBenchClient(b *testing.B, s *pushtest.Server) *Client {
	c, err := New(identity(b), WithURL(s.URL), WithRootCAs(s.CertPool()), WithConnections(benchConns),
		WithMaxInFlight(benchInFlight), WithLogger(quiet))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	// Open both connections first, as the floor does (picks alternate between idle connections).
	for range benchConns {
		if _, err := c.Push(context.Background(), token(0), ""); err != nil {
			b.Fatal(err)
		}
	}
	return c
}

// pushRange fans out tokens first..first+n-1 through c.
func pushRange(b *testing.B, c *Client, first, n int) {
	notes := func(yield func(Notification) bool) {
		for i := range n {
			if !yield(Notification{Token: token(first + i)}) {
				return
			}
		}
	}
	sum, err := c.PushAll(context.Background(), notes, nil)
	if err != nil || sum.Delivered != n {
		b.Fatalf("%+v %v", sum, err)
	}
}

// BenchmarkPush measures a fan-out through Client.PushAll against pushtest
// over loopback (client), next to a bare net/http HTTP/2 client posting the same
// requests over the same number of connections with as many in flight
// (floor), in the same run. vs-floor interleaves the two in chunks of 1000
// pushes so that the load of a shared machine weighs on both alike, and
// reports the client's rate as a percentage of the floor's, in wall time and
// in CPU time per push.
func BenchmarkPush(b *testing.B) {
	s, err := pushtest.NewServer(pushtest.WithoutLog())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	id := identity(b)

	b.Run("floor", func(b *testing.B) {
		f := newFloor(b, s, id)
		b.ReportAllocs()
		b.ResetTimer()
		if failed := f.push(1, b.N); failed > 0 {
			b.Fatalf("%d requests failed", failed)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pushes/s")
	})

	b.Run("client", func(b *testing.B) {
		c := newBenchClient(b, s)
		b.ReportAllocs()
		b.ResetTimer()
		pushRange(b, c, 1, b.N)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pushes/s")
	})

	b.Run("vs-floor", func(b *testing.B) {
		f := newFloor(b, s, id)
		c := newBenchClient(b, s)
		var floorTime, clientTime, floorCPU, clientCPU time.Duration
		b.ResetTimer()
		for done := 0; done < b.N; {
			n := min(1000, b.N-done)
			t0, c0 := time.Now(), processCPU()
			if failed := f.push(done+1, n); failed > 0 {
				b.Fatalf("%d requests failed", failed)
			}
			t1, c1 := time.Now(), processCPU()
			pushRange(b, c, done+1, n)
			floorTime += t1.Sub(t0)
			clientTime += time.Since(t1)
			floorCPU += c1 - c0
			clientCPU += processCPU() - c1
			done += n
		}
		b.ReportMetric(float64(b.N)/floorTime.Seconds(), "floor-pushes/s")
		b.ReportMetric(float64(b.N)/clientTime.Seconds(), "client-pushes/s")
		b.ReportMetric(100*floorTime.Seconds()/clientTime.Seconds(), "%floor")
		if floorCPU > 0 && clientCPU > 0 {
			// CPU time per push (client, server and floor share the process):
			// what a loaded machine distorts least.
			b.ReportMetric(float64(floorCPU.Microseconds())/float64(b.N), "floor-cpu-µs/push")
			b.ReportMetric(float64(clientCPU.Microseconds())/float64(b.N), "client-cpu-µs/push")
			b.ReportMetric(100*floorCPU.Seconds()/clientCPU.Seconds(), "%floor-cpu")
		}
	})
}
