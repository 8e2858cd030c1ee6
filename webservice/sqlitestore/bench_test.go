package sqlitestore

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/passforge/passforge/webservice"
)

// The benchmarks run over real loopback HTTP against a SQLite store holding
// benchRegistrations registrations (1,000,000 unless
// PASSFORGE_BENCH_REGISTRATIONS says otherwise). The dataset is built once per
// test binary, only when a benchmark asks for it, so `go test` without -bench
// never builds it:
//
//	go test -run '^$' -bench . -benchtime 5s ./webservice/sqlitestore/
//
// Shape: one pass per registration (passTypeIdentifier benchType), one device
// per registration (a 32-hex deviceLibraryIdentifier and a 64-hex push
// token). The first benchDataPasses passes carry a benchPassSize-byte signed
// version; the others are stored without one (an application rendering
// passes on request), so the file size measures registrations, not .pkpass
// bytes.

const (
	benchType       = "pass.com.example.bench"
	benchToken      = "bench-authentication-token-0123"
	benchDataPasses = 1000
	benchPassSize   = 16 << 10
)

var (
	benchOnce sync.Once
	benchDS   *dataset
	benchErr  error
	benchDir  string
)

type dataset struct {
	store         *Store
	n             int
	sizeBytes     int64 // database file size after the build (WAL checkpointed)
	passesBytes   int64 // size with the passes alone
	buildDuration time.Duration
}

func benchRegistrations() int {
	if v := os.Getenv("PASSFORGE_BENCH_REGISTRATIONS"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= benchDataPasses {
			return n
		}
	}
	return 1_000_000
}

func deviceID(i int) string  { return fmt.Sprintf("%032x", i) }
func pushToken(i int) string { return fmt.Sprintf("%064x", i) }
func serial(i int) string    { return fmt.Sprintf("S%08d", i) }

// loadDataset builds the benchmark database with batched inserts: prepared
// statements in one transaction per table.
func loadDataset() (*dataset, error) {
	var err error
	benchDir, err = os.MkdirTemp("", "passforge-bench-")
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(benchDir, "bench.db"), nil)
	if err != nil {
		return nil, err
	}
	n := benchRegistrations()
	start := time.Now()
	hash := webservice.HashToken(benchToken)
	pkpass := make([]byte, benchPassSize)
	_, _ = rand.Read(pkpass)
	now := time.Now()

	insert := func(query string, row func(st func(args ...any) error, i int) error) error {
		tx, err := s.writer.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		stmt, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer stmt.Close()
		exec := func(args ...any) error {
			_, err := stmt.ExecContext(ctx, args...)
			return err
		}
		for i := range n {
			if err := row(exec, i); err != nil {
				return err
			}
		}
		return tx.Commit()
	}
	err = insert(`INSERT INTO passes (id, pass_type_id, serial, auth_hash, data, app_data, tag, modified, created)
		VALUES (?, ?, ?, ?, ?, x'', ?, ?, ?)`, func(exec func(...any) error, i int) error {
		return exec(i+1, benchType, serial(i), hash, []byte{}, i+1, now.Unix(), now.UnixMicro())
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.writer.ExecContext(ctx, `UPDATE tag_sequence SET value = ? WHERE id = 1`, n); err != nil {
		return nil, err
	}
	passesBytes, err := checkpointedSize(s)
	if err != nil {
		return nil, err
	}
	err = insert(`INSERT INTO devices (id, library_id, push_token) VALUES (?, ?, ?)`, func(exec func(...any) error, i int) error {
		return exec(i+1, deviceID(i), pushToken(i))
	})
	if err != nil {
		return nil, err
	}
	err = insert(`INSERT INTO registrations (device_id, pass_id, registered) VALUES (?, ?, ?)`, func(exec func(...any) error, i int) error {
		return exec(i+1, i+1, now.UnixMicro())
	})
	if err != nil {
		return nil, err
	}
	// No ANALYZE: with STAT4 statistics SQLite re-plans a prepared statement
	// whenever its parameters change, which costs more than the query.
	size, err := checkpointedSize(s)
	if err != nil {
		return nil, err
	}
	// The signed versions of the passes the latest-pass benchmark fetches,
	// added after the size was taken.
	if _, err := s.writer.ExecContext(ctx, `UPDATE passes SET data = ? WHERE id <= ?`, pkpass, benchDataPasses); err != nil {
		return nil, err
	}
	return &dataset{store: s, n: n, sizeBytes: size, passesBytes: passesBytes, buildDuration: time.Since(start)}, nil
}

func checkpointedSize(s *Store) (int64, error) {
	if _, err := s.writer.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, err
	}
	fi, err := os.Stat(s.Path())
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func getDataset(b *testing.B) *dataset {
	b.Helper()
	benchOnce.Do(func() { benchDS, benchErr = loadDataset() })
	if benchErr != nil {
		b.Fatalf("building the benchmark dataset: %v", benchErr)
	}
	return benchDS
}

// cleanupBench removes the dataset; TestMain calls it after the run.
func cleanupBench() {
	if benchDS != nil {
		benchDS.store.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
}

// server serves h on loopback and returns a client with enough idle
// connections for the parallel benchmark goroutines.
func server(b *testing.B, h http.Handler) (*httptest.Server, *http.Client) {
	b.Helper()
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 256
	return srv, &http.Client{Transport: tr}
}

const benchParallelism = 8 // goroutines per GOMAXPROCS

// run issues requests made by next from parallel goroutines and checks the
// status of each.
func run(b *testing.B, c *http.Client, want int, next func(r *mrand.Rand) *http.Request) {
	b.Helper()
	var seed atomic.Uint64
	b.SetParallelism(benchParallelism)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := mrand.New(mrand.NewPCG(seed.Add(1), 42))
		for pb.Next() {
			res, err := c.Do(next(r))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != want {
				b.Errorf("status %d, want %d", res.StatusCode, want)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func handler(b *testing.B, s *Store) *webservice.Handler {
	b.Helper()
	h, err := webservice.NewHandler(s, nil)
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// compare measures the store-backed handler against the floor, a bare
// net/http handler writing the same status and body size, over the same
// client and parallelism. The two alternate in bursts of about a thousand
// requests, so load from other processes on the machine hits both alike;
// b.N counts the store's requests. It reports both rates and their ratio.
func compare(b *testing.B, ws http.Handler, want int, bareBody []byte, next func(r *mrand.Rand, base string) *http.Request) {
	b.Helper()
	storeSrv, c := server(b, ws)
	bareSrv, _ := server(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(bareBody) > 0 {
			w.Header().Set("Content-Length", strconv.Itoa(len(bareBody)))
		}
		w.WriteHeader(want)
		_, _ = w.Write(bareBody)
	}))
	workers := benchParallelism * runtime.GOMAXPROCS(0)
	const perWorker = 64
	var seed atomic.Uint64
	burst := func(base string, n int) time.Duration {
		var wg sync.WaitGroup
		var left atomic.Int64
		left.Store(int64(n))
		start := time.Now()
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := mrand.New(mrand.NewPCG(seed.Add(1), 7))
				for left.Add(-1) >= 0 {
					res, err := c.Do(next(r, base))
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != want {
						b.Errorf("%s: status %d, want %d", base, res.StatusCode, want)
						return
					}
				}
			}()
		}
		wg.Wait()
		return time.Since(start)
	}
	// Warm both connection pools.
	burst(storeSrv.URL, workers)
	burst(bareSrv.URL, workers)
	b.ReportAllocs()
	b.ResetTimer()
	var storeTime, bareTime, storeCPU, bareCPU time.Duration
	for done := 0; done < b.N; {
		n := min(perWorker*workers, b.N-done)
		cpu := processCPU()
		storeTime += burst(storeSrv.URL, n)
		storeCPU += processCPU() - cpu
		b.StopTimer()
		cpu = processCPU()
		bareTime += burst(bareSrv.URL, n)
		bareCPU += processCPU() - cpu
		b.StartTimer()
		done += n
	}
	storeRate := float64(b.N) / storeTime.Seconds()
	bareRate := float64(b.N) / bareTime.Seconds()
	b.ReportMetric(storeRate, "req/s")
	b.ReportMetric(bareRate, "bare-req/s")
	b.ReportMetric(100*storeRate/bareRate, "%-of-bare")
	// CPU per request (client and server share the process) is what the
	// rates would be proportional to on an otherwise idle machine; it is far
	// less disturbed by other processes than wall-clock rates.
	if storeCPU > 0 && bareCPU > 0 {
		b.ReportMetric(float64(storeCPU.Microseconds())/float64(b.N), "cpu-µs/req")
		b.ReportMetric(float64(bareCPU.Microseconds())/float64(b.N), "bare-cpu-µs/req")
		b.ReportMetric(100*float64(bareCPU)/float64(storeCPU), "cpu-%-of-bare")
	}
}

// BenchmarkListSerials: GET .../registrations/{type} without a tag (200 with
// the device's serial) for random devices among the dataset.
func BenchmarkListSerials(b *testing.B) {
	ds := getDataset(b)
	body := []byte(`{"serialNumbers":["S00012345"],"lastUpdated":"12346"}`)
	compare(b, handler(b, ds.store), http.StatusOK, body, func(r *mrand.Rand, base string) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+"/v1/devices/"+deviceID(r.IntN(ds.n))+"/registrations/"+benchType, nil)
		return req
	})
}

// BenchmarkListSerialsUnchanged: the same with the device's current tag
// (204), the most common poll.
func BenchmarkListSerialsUnchanged(b *testing.B) {
	ds := getDataset(b)
	compare(b, handler(b, ds.store), http.StatusNoContent, nil, func(r *mrand.Rand, base string) *http.Request {
		i := r.IntN(ds.n)
		req, _ := http.NewRequest(http.MethodGet, base+"/v1/devices/"+deviceID(i)+"/registrations/"+benchType+
			"?passesUpdatedSince="+strconv.Itoa(i+1), nil)
		return req
	})
}

// BenchmarkLatestPass: GET /v1/passes/{type}/{serial} with ApplePass auth,
// a 16 KiB signed version.
func BenchmarkLatestPass(b *testing.B) {
	ds := getDataset(b)
	compare(b, handler(b, ds.store), http.StatusOK, make([]byte, benchPassSize), func(r *mrand.Rand, base string) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+"/v1/passes/"+benchType+"/"+serial(r.IntN(benchDataPasses)), nil)
		req.Header.Set("Authorization", "ApplePass "+benchToken)
		return req
	})
}

var registerSeq atomic.Int64

// BenchmarkRegister: POST register of a new device for a random pass, over
// HTTP, into the store already holding the dataset.
func BenchmarkRegister(b *testing.B) {
	ds := getDataset(b)
	srv, c := server(b, handler(b, ds.store))
	run(b, c, http.StatusCreated, func(r *mrand.Rand) *http.Request {
		i := registerSeq.Add(1)
		body := `{"pushToken":"` + fmt.Sprintf("%064x", 1<<40+i) + `"}`
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/devices/new"+strconv.FormatInt(i, 10)+
			"/registrations/"+benchType+"/"+serial(r.IntN(ds.n)), strings.NewReader(body))
		req.Header.Set("Authorization", "ApplePass "+benchToken)
		return req
	})
}

// BenchmarkDatabaseSize reports the database file size per million
// registrations (passes stored without signed versions, devices,
// registrations, indexes) and how long the batched build took.
func BenchmarkDatabaseSize(b *testing.B) {
	ds := getDataset(b)
	for range b.N {
	}
	perMillion := 1e6 / float64(ds.n)
	b.ReportMetric(float64(ds.sizeBytes)*perMillion/1e6, "MB/1M-registrations")
	b.ReportMetric(float64(ds.sizeBytes-ds.passesBytes)*perMillion/1e6, "MB-devices+registrations/1M")
	b.ReportMetric(ds.buildDuration.Seconds(), "s-build")
	b.ReportMetric(float64(ds.n), "registrations")
}

// BenchmarkStoreRegister: Store.Register without HTTP, one goroutine, on a
// small store: the cost of one registration transaction.
func BenchmarkStoreRegister(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "reg.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for i := range 100 {
		if err := s.CreatePass(ctx, &webservice.Pass{PassTypeIdentifier: benchType, SerialNumber: serial(i),
			AuthTokenHash: webservice.HashToken(benchToken)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Register(ctx, webservice.Registration{DeviceLibraryIdentifier: deviceID(i), PushToken: pushToken(i),
			PassTypeIdentifier: benchType, SerialNumber: serial(i % 100)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
}
