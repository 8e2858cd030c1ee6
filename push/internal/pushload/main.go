// Command pushload pushes N generated tokens through push.Client to an
// in-process pushtest server and prints the summary and Go heap figures; run
// it under /usr/bin/time -v to read the peak RSS of a large fan-out:
//
//	go build -o /tmp/pushload ./push/internal/pushload
//	/usr/bin/time -v /tmp/pushload -n 100000
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/passforge/passforge/push"
	"github.com/passforge/passforge/push/pushtest"
	"github.com/passforge/passforge/sign"
)

func main() {
	n := flag.Int("n", 100000, "tokens to push")
	conns := flag.Int("connections", push.DefaultConnections, "connections")
	inFlight := flag.Int("inflight", push.DefaultMaxInFlight, "requests in flight")
	flag.Parse()
	if err := run(*n, *conns, *inFlight); err != nil {
		fmt.Fprintln(os.Stderr, "pushload:", err)
		os.Exit(1)
	}
}

func run(n, conns, inFlight int) error {
	srv, err := pushtest.NewServer(pushtest.WithoutLog())
	if err != nil {
		return err
	}
	defer srv.Close()
	dev, err := sign.NewDevelopmentIdentity("pass.com.example.load", "ABCDE12345")
	if err != nil {
		return err
	}
	c, err := push.New(dev.Identity, push.WithURL(srv.URL), push.WithRootCAs(srv.CertPool()),
		push.WithConnections(conns), push.WithMaxInFlight(inFlight), push.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		return err
	}
	defer c.Close()
	tokens := func(yield func(push.Notification) bool) {
		for i := range n {
			if !yield(push.Notification{Token: fmt.Sprintf("%064x", i+1)}) {
				return
			}
		}
	}
	var peakHeap uint64
	var ms runtime.MemStats
	done := 0
	start := time.Now()
	sum, err := c.PushAll(context.Background(), tokens, func(push.Result) {
		if done++; done%10000 == 0 {
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapInuse)
		}
	})
	elapsed := time.Since(start)
	if err != nil {
		return err
	}
	runtime.ReadMemStats(&ms)
	fmt.Printf("%d tokens: %+v in %.1fs (%.0f/s); server saw %d requests on %d connections; peak heap in use %.1f MiB (sampled), Sys %.1f MiB\n",
		n, sum, elapsed.Seconds(), float64(n)/elapsed.Seconds(), srv.Count(), srv.Conns(),
		float64(peakHeap)/(1<<20), float64(ms.Sys)/(1<<20))
	if sum.Delivered != n {
		return fmt.Errorf("only %d of %d delivered", sum.Delivered, n)
	}
	return nil
}
