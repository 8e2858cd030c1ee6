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

// BenchmarkSizePerMillionRegistrations fills the store's tables with 100,000 registrations (one device
// each, 32-character device ids and 64-hex-digit push tokens, spread over 1,000 passes) in bulk SQL, then
// reports the on-disk size of the devices and registrations tables with their indexes, per registration
// and scaled to a million (tables and B-tree indexes grow linearly; a full million took minutes to load on
// a busy 2-core machine).
func BenchmarkSizePerMillionRegistrations(b *testing.B) {
	s, _ := openStore(b)
	ctx := context.Background()
	const million, count = 1_000_000, 100_000
	for b.Loop() {
		_, err := s.pool.Exec(ctx, `TRUNCATE passforge_registrations, passforge_devices, passforge_passes CASCADE`)
		require.NoError(b, err)
		for i := range 1000 {
			require.NoError(b, s.CreatePass(ctx, newPass(fmt.Sprintf("size%04d", i))))
		}
		_, err = s.pool.Exec(ctx, `
			INSERT INTO passforge_devices (device_library_id, push_token)
			SELECT md5('device' || g), md5('token' || g) || md5('token2' || g) FROM generate_series(1, $1) g`, count)
		require.NoError(b, err)
		_, err = s.pool.Exec(ctx, `
			INSERT INTO passforge_registrations (device_id, pass_id, registered)
			SELECT d.id, p.id, now()
			FROM passforge_devices d
			JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM passforge_passes) p ON p.n = d.id % 1000`)
		require.NoError(b, err)
		_, err = s.pool.Exec(ctx, `VACUUM ANALYZE passforge_devices`)
		require.NoError(b, err)
		_, err = s.pool.Exec(ctx, `VACUUM ANALYZE passforge_registrations`)
		require.NoError(b, err)
	}
	var regs, bytes int64
	require.NoError(b, s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM passforge_registrations),
		pg_total_relation_size('passforge_devices') + pg_total_relation_size('passforge_registrations')`).Scan(&regs, &bytes))
	require.EqualValues(b, count, regs)
	b.ReportMetric(float64(bytes)/float64(regs), "bytes/registration")
	b.ReportMetric(float64(bytes)/(1<<20)*float64(million)/float64(regs), "MiB/million")
}
