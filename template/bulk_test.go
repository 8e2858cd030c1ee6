package template

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// batch yields n members, with failing items at 2 (no serial), 4 (missing
// placeholder) and 6 (an error from the source).
func batch(n int) iter.Seq2[*Values, error] {
	return func(yield func(*Values, error) bool) {
		for i := range n {
			var v *Values
			var err error
			switch i {
			case 2:
				v = &Values{Placeholders: map[string]string{"holder_name": "x"}}
			case 4:
				v = &Values{SerialNumber: "B-4"}
			case 6:
				err = errors.New("row 7: bad quoting")
			default:
				v = member(fmt.Sprintf("B-%d", i), fmt.Sprintf("Member %d", i))
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

func TestBulkDir(t *testing.T) {
	tp := loadDesign(t)
	dir := t.TempDir()
	var progress []Progress
	var failures []Failure
	sum, err := tp.Bulk(context.Background(), batch(9), devID().Identity, &DirSink{Dir: dir}, &BulkOptions{
		Workers:   3,
		Progress:  func(p Progress) { progress = append(progress, p) },
		OnFailure: func(f Failure) { failures = append(failures, f) },
	})
	require.NoError(t, err)
	assert.Equal(t, 6, sum.Issued)
	assert.Equal(t, 3, sum.Failed)
	assert.Positive(t, sum.Bytes)
	require.Len(t, progress, 9)
	assert.Equal(t, Progress{Issued: 6, Failed: 3}, progress[8])
	for i := 1; i < len(progress); i++ {
		assert.Equal(t, progress[i-1].Issued+progress[i-1].Failed+1, progress[i].Issued+progress[i].Failed)
	}
	sort.Slice(failures, func(i, j int) bool { return failures[i].Index < failures[j].Index })
	require.Len(t, failures, 3)
	assert.Equal(t, 2, failures[0].Index)
	require.ErrorIs(t, failures[0], ErrMissingValue)
	assert.Equal(t, "B-4", failures[1].SerialNumber)
	var me *MissingValueError
	require.ErrorAs(t, failures[1], &me)
	assert.Equal(t, "holder_name", me.Name)
	assert.Equal(t, 6, failures[2].Index)
	assert.Contains(t, failures[2].Error(), "row 7: bad quoting")
	assert.Len(t, sum.Failures, 3)

	names, err := os.ReadDir(dir)
	require.NoError(t, err)
	var got []string
	for _, e := range names {
		got = append(got, e.Name())
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		pkg := verify(t, data)
		assert.Equal(t, FileName(pkg.Pass.SerialNumber), e.Name())
	}
	assert.Equal(t, []string{"B-0.pkpass", "B-1.pkpass", "B-3.pkpass", "B-5.pkpass", "B-7.pkpass", "B-8.pkpass"}, got, "no temporary files are left")
}

func TestBulkZip(t *testing.T) {
	tp := loadDesign(t)
	var buf bytes.Buffer
	sink := NewZipSink(&buf)
	ch := make(chan *Values)
	go func() {
		defer close(ch)
		for i := range 4 {
			ch <- member(fmt.Sprintf("Z/%d", i), "Zed")
		}
	}()
	sum, err := tp.Bulk(context.Background(), FromChan(ch), devID().Identity, sink, nil)
	require.NoError(t, err)
	require.NoError(t, sink.Close())
	assert.Equal(t, 4, sum.Issued)
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	require.Len(t, zr.File, 4)
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		var data bytes.Buffer
		_, err = data.ReadFrom(rc)
		require.NoError(t, err)
		pkg := verify(t, data.Bytes())
		assert.Equal(t, FileName(pkg.Pass.SerialNumber), f.Name)
	}
}

func TestBulkBundles(t *testing.T) {
	tp := loadDesign(t)
	dir := t.TempDir()
	vs := make([]*Values, 23)
	for i := range vs {
		vs[i] = member(fmt.Sprintf("P-%02d", i), "Pat")
	}
	sink := &BundleSink{Dir: dir, Prefix: "members"}
	sum, err := tp.Bulk(context.Background(), FromSlice(vs), devID().Identity, sink, &BulkOptions{Workers: 2})
	require.NoError(t, err)
	require.NoError(t, sink.Close())
	assert.Equal(t, 23, sum.Issued)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	seen := map[string]bool{}
	for _, e := range entries {
		names = append(names, e.Name())
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		passes, err := sign.ReadBundle(bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err)
		assert.LessOrEqual(t, len(passes), sign.MaxBundlePasses)
		for _, bp := range passes {
			seen[verify(t, bp.Data).Pass.SerialNumber] = true
		}
	}
	assert.Equal(t, []string{"members-00001.pkpasses", "members-00002.pkpasses", "members-00003.pkpasses"}, names)
	assert.Len(t, seen, 23)
}

type failingSink struct{ puts atomic.Int32 }

func (s *failingSink) Put(context.Context, string, []byte) error {
	if s.puts.Add(1) == 2 {
		return errors.New("disk full")
	}
	return nil
}
func (s *failingSink) Close() error { return nil }

func TestBulkStops(t *testing.T) {
	tp := loadDesign(t)
	endless := func(yield func(*Values, error) bool) {
		for i := 0; ; i++ {
			if !yield(member(fmt.Sprint("E-", i), "E"), nil) {
				return
			}
		}
	}
	t.Run("sink error", func(t *testing.T) {
		sum, err := tp.Bulk(context.Background(), endless, devID().Identity, &failingSink{}, &BulkOptions{Workers: 2})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "disk full")
		assert.Less(t, sum.Issued, 10)
	})
	t.Run("context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		sum, err := tp.Bulk(ctx, endless, devID().Identity, &CountSink{}, &BulkOptions{Workers: 2, Progress: func(Progress) {
			if n++; n == 3 {
				cancel()
			}
		}})
		require.ErrorIs(t, err, context.Canceled)
		assert.Less(t, sum.Issued, 10)
	})
	t.Run("no identity", func(t *testing.T) {
		_, err := tp.Bulk(context.Background(), endless, nil, &CountSink{}, nil)
		require.Error(t, err)
	})
}

func TestBulkCancelIdleChannel(t *testing.T) {
	tp := loadDesign(t)
	ch := make(chan *Values) // never closed, never sent to
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := tp.Bulk(ctx, FromChan(ch), devID().Identity, &CountSink{}, &BulkOptions{Workers: 2})
		assert.ErrorIs(t, err, context.Canceled)
	}()
	cancel()
	select {
	case <-done: // Bulk returns although the channel stays open
	case <-time.After(30 * time.Second):
		t.Fatal("Bulk did not return after its context was cancelled")
	}
	close(ch)
}

// TestBulkHugeWorkers checks that an absurd worker count is capped at
// MaxWorkers instead of allocating a channel and a buffer per worker.
func TestBulkHugeWorkers(t *testing.T) {
	tp := loadDesign(t)
	vs := []*Values{member("H-1", "Hal"), member("H-2", "Hil")}
	sink := &CountSink{}
	sum, err := tp.Bulk(context.Background(), FromSlice(vs), devID().Identity, sink, &BulkOptions{Workers: 1 << 40})
	require.NoError(t, err)
	assert.Equal(t, 2, sum.Issued)
}
