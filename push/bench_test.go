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

	"golang.org/x/net/http2"

	"github.com/passforge/passforge/push/pushtest"
)

// Benchmark setup shared by the client and its floor: the same server, the
// same number of connections and requests in flight.
const (
	benchConns    = 2
	benchInFlight = 256
)

// BenchmarkPush measures a fan-out through Client.PushAll against pushtest
// over loopback (client/...), next to a floor (floor/...): a bare
// x/net/http2 client posting the same requests (same path, headers and body)
// over the same number of connections with the same number in flight, and
// nothing else (no dedupe, no results, no retries). Compare pushes/s of the
// two in the same run.
func BenchmarkPush(b *testing.B) {
	s, err := pushtest.NewServer(pushtest.WithoutLog())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	id := identity(b)

	b.Run("floor", func(b *testing.B) {
		tc := &tls.Config{RootCAs: s.CertPool(), NextProtos: []string{"h2"},
			Certificates: []tls.Certificate{{Certificate: [][]byte{id.Certificate.Raw}, PrivateKey: id.Signer, Leaf: id.Certificate}}}
		u, _ := url.Parse(s.URL)
		var conns []*http2.ClientConn
		for range benchConns {
			raw, err := tls.Dial("tcp", u.Host, tc)
			if err != nil {
				b.Fatal(err)
			}
			cc, err := (&http2.Transport{StrictMaxConcurrentStreams: true}).NewClientConn(raw)
			if err != nil {
				b.Fatal(err)
			}
			defer cc.Close()
			if err := cc.Ping(context.Background()); err != nil {
				b.Fatal(err)
			}
			conns = append(conns, cc)
		}
		var next atomic.Int64
		var failed atomic.Int64
		b.ReportAllocs()
		b.ResetTimer()
		var wg sync.WaitGroup
		for w := range benchInFlight {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cc := conns[w%len(conns)]
				for {
					i := next.Add(1)
					if i > int64(b.N) {
						return
					}
					ru := *u
					ru.Path = "/3/device/" + token(int(i))
					req := &http.Request{Method: http.MethodPost, URL: &ru, Host: u.Host, Proto: "HTTP/2.0", ProtoMajor: 2,
						Header: http.Header{
							"Apns-Topic": {testTopic}, "Apns-Push-Type": {"background"}, "Apns-Priority": {"5"},
							"Apns-Expiration": {strconv.FormatInt(time.Now().Add(DefaultExpiration).Unix(), 10)},
							"Apns-Id":         {newUUID()}, "Content-Type": {"application/json"},
						},
						Body: io.NopCloser(strings.NewReader("{}")), ContentLength: 2}
					resp, err := cc.RoundTrip(req)
					if err != nil || resp.StatusCode != 200 {
						failed.Add(1)
						if err == nil {
							resp.Body.Close()
						}
						continue
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}()
		}
		wg.Wait()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pushes/s")
		if failed.Load() > 0 {
			b.Fatalf("%d requests failed", failed.Load())
		}
	})

	b.Run("client", func(b *testing.B) {
		c, err := New(id, WithURL(s.URL), WithRootCAs(s.CertPool()), WithConnections(benchConns),
			WithMaxInFlight(benchInFlight), WithLogger(quiet))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		// Open both connections first, as the floor does (picks alternate between idle connections).
		for range benchConns {
			if _, err := c.Push(context.Background(), token(0), ""); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		notes := func(yield func(Notification) bool) {
			for i := range b.N {
				if !yield(Notification{Token: token(i + 1)}) {
					return
				}
			}
		}
		sum, err := c.PushAll(context.Background(), notes, nil)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pushes/s")
		if err != nil || sum.Delivered != b.N {
			b.Fatalf("%+v %v", sum, err)
		}
	})
}
