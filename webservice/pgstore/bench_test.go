package pgstore

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/webservice"
)

// BenchmarkRegister measures new registrations (a new device for one of 100 passes) per second, one at a
// time and from 8 goroutines per CPU sharing a 16-connection pool.
func BenchmarkRegister(b *testing.B) {
	s, _ := openStore(b, WithMaxConns(16))
	ctx := context.Background()
	const passes = 100
	for i := range passes {
		require.NoError(b, s.CreatePass(ctx, newPass(fmt.Sprintf("b%03d", i))))
	}
	var n atomic.Int64
	register := func(b *testing.B) {
		i := n.Add(1)
		created, err := s.Register(ctx, webservice.Registration{
			DeviceLibraryIdentifier: fmt.Sprintf("device%012d", i),
			PushToken:               fmt.Sprintf("%064x", i),
			PassTypeIdentifier:      passType,
			SerialNumber:            fmt.Sprintf("b%03d", i%passes),
		})
		if err != nil || !created {
			b.Fatalf("register %d: created=%v err=%v", i, created, err)
		}
	}
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			register(b)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				register(b)
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
	})
}
