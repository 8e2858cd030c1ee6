package template

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/passforge/passforge/internal/zipwrite"
	"github.com/passforge/passforge/sign"
)

// Sink stores the passes of a batch. Put may be called from several
// goroutines at once; data is only valid during the call. Close finishes
// the output (the zip directory, the last bundle); Template.Bulk does not
// call it.
type Sink interface {
	// Put stores the .pkpass data under name ("<serial>.pkpass"). ctx is the
	// batch's context (Template.Bulk passes its own): a sink that does I/O
	// stops when it is done and returns its error.
	Put(ctx context.Context, name string, data []byte) error
	// Close finishes the output.
	Close() error
}

var (
	_ Sink = (*DirSink)(nil)
	_ Sink = (*ZipSink)(nil)
	_ Sink = (*BundleSink)(nil)
	_ Sink = (*CountSink)(nil)
)

// DirSink writes every pass as a file of its folder Dir, through a
// temporary file renamed into place, so that no partial file is ever left.
// An existing file of the same name is replaced. The folder must exist.
type DirSink struct {
	// Dir is the folder the passes are written to.
	Dir string
}

// Put writes data to Dir/name atomically. name must be a file name, not a
// path: "", ".", ".." and names with a separator are refused, so that no
// name can write outside Dir. A done ctx writes nothing.
func (s *DirSink) Put(ctx context.Context, name string, data []byte) error {
	if !isFileName(name) {
		return fmt.Errorf("template: dir: %q is not a file name", name)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("template: dir: %s: %w", name, err)
	}
	return writeFileAtomic(filepath.Join(s.Dir, name), data)
}

// Close does nothing: every file is complete when Put returns.
func (s *DirSink) Close() error { return nil }

// isFileName reports whether name is one file name, not a path.
func isFileName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, `/\`) && filepath.Base(name) == name
}

// writeFileAtomic writes data to a temporary file next to name and renames
// it into place.
func writeFileAtomic(name string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// ZipSink writes every pass into one zip archive, stored (passes are
// already compressed), in the order they are issued. Make one with
// NewZipSink.
type ZipSink struct {
	mu sync.Mutex
	zw *zipwrite.Writer
}

// errZipSinkNotMade is the error of a zero-value ZipSink.
var errZipSinkNotMade = errors.New("template: zip: the ZipSink was not made by NewZipSink")

// NewZipSink returns a sink writing a zip to w. Close writes the zip's
// directory; it does not close w.
func NewZipSink(w io.Writer) *ZipSink { return &ZipSink{zw: zipwrite.NewWriter(w)} }

// Put adds data to the zip as name, a file name (not a path: no entry can
// land outside the folder the zip is extracted to). A done ctx adds nothing.
func (s *ZipSink) Put(ctx context.Context, name string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.zw == nil {
		return errZipSinkNotMade
	}
	if !isFileName(name) {
		return fmt.Errorf("template: zip: %q is not a file name", name)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("template: zip: %s: %w", name, err)
	}
	if err := s.zw.Stored(name, data); err != nil {
		return fmt.Errorf("template: zip: %w", err)
	}
	return nil
}

// Close finishes the zip.
func (s *ZipSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.zw == nil {
		return errZipSinkNotMade
	}
	if err := s.zw.Close(); err != nil {
		return fmt.Errorf("template: zip: %w", err)
	}
	return nil
}

// BundleSink groups passes into .pkpasses bundles of at most
// sign.MaxBundlePasses passes and sign.MaxBundleSize bytes each, written
// atomically to Dir as <Prefix>-00001.pkpasses, <Prefix>-00002.pkpasses...
// It holds the passes of one bundle in memory until the bundle is full;
// Close writes the last one.
type BundleSink struct {
	// Dir is the folder the bundles are written to. It must exist.
	Dir string
	// Prefix starts every bundle's file name. If empty, "passes".
	Prefix string

	mu     sync.Mutex
	passes []sign.BundlePass
	size   int
	count  int
}

// Put adds the pass to the current bundle, writing the bundle first when the
// pass would not fit in it. A done ctx adds and writes nothing.
func (s *BundleSink) Put(ctx context.Context, name string, data []byte) error {
	if len(data) > sign.MaxBundleSize {
		return fmt.Errorf("template: %s: %w: one pass of %d bytes", name, sign.ErrBundleLimit, len(data))
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("template: bundle: %s: %w", name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.passes) == sign.MaxBundlePasses || s.size+len(data) > sign.MaxBundleSize {
		if err := s.flush(); err != nil {
			return err
		}
	}
	s.passes = append(s.passes, sign.BundlePass{Name: name, Data: slices.Clone(data)})
	s.size += len(data)
	return nil
}

// Close writes the last bundle.
func (s *BundleSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flush()
}

func (s *BundleSink) flush() error {
	if len(s.passes) == 0 {
		return nil
	}
	prefix := s.Prefix
	if prefix == "" {
		prefix = "passes"
	}
	s.count++
	name := filepath.Join(s.Dir, fmt.Sprintf("%s-%05d.pkpasses", prefix, s.count))
	f := &bundleFile{}
	if err := sign.WriteBundle(f, s.passes); err != nil {
		return fmt.Errorf("template: bundle %s: %w", name, err)
	}
	if err := writeFileAtomic(name, f.b); err != nil {
		return fmt.Errorf("template: bundle: %w", err)
	}
	clear(s.passes)
	s.passes, s.size = s.passes[:0], 0
	return nil
}

type bundleFile struct{ b []byte }

func (f *bundleFile) Write(p []byte) (int, error) {
	f.b = append(f.b, p...)
	return len(p), nil
}

// CountSink keeps nothing: it counts the passes and their bytes, for
// benchmarks and dry runs.
type CountSink struct {
	mu     sync.Mutex
	passes int
	bytes  int64
}

// Put counts the pass; it does no I/O, so it ignores ctx.
func (s *CountSink) Put(_ context.Context, _ string, data []byte) error {
	s.mu.Lock()
	s.passes++
	s.bytes += int64(len(data))
	s.mu.Unlock()
	return nil
}

// Close does nothing.
func (s *CountSink) Close() error { return nil }

// Counts returns the number of passes and bytes received.
func (s *CountSink) Counts() (passes int, bytes int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.passes, s.bytes
}
