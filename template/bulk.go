package template

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/passforge/passforge/sign"
)

// BulkOptions tune Template.Bulk. A nil *BulkOptions means the defaults.
type BulkOptions struct {
	// Workers is the number of passes issued at the same time. If zero,
	// runtime.GOMAXPROCS(0): every core. More than MaxWorkers counts as
	// MaxWorkers.
	Workers int
	// Sign tunes signing (digest, signing time, AllowInvalid). May be nil.
	Sign *sign.Options
	// Progress, if not nil, is called after every item with the counts so
	// far. Calls never overlap.
	Progress func(Progress)
	// OnFailure, if not nil, is called for every item that failed. Calls
	// never overlap, nor overlap Progress.
	OnFailure func(Failure)
	// MaxFailures caps Summary.Failures (OnFailure sees every failure). If
	// zero, 100.
	MaxFailures int
}

// MaxWorkers bounds BulkOptions.Workers. Issuing is bound by the CPU, so
// more workers than cores gain nothing, while each worker holds a buffer
// the size of a pass: an unbounded count would only exhaust memory.
const MaxWorkers = 256

// Progress counts the items of a batch handled so far.
type Progress struct {
	// Issued is the number of passes issued and stored.
	Issued int
	// Failed is the number of items that failed.
	Failed int
}

// Failure is an item of a batch that was not issued.
type Failure struct {
	// Index is the item's position in the input, from 0.
	Index int
	// SerialNumber is the item's serialNumber, if it had one.
	SerialNumber string
	// Err says why the item failed: a *MissingValueError, a validation error
	// wrapping sign.ErrInvalidPass, the source's own error, or the sink's.
	Err error
}

// Error describes the failure in one line.
func (f Failure) Error() string {
	if f.SerialNumber != "" {
		return fmt.Sprintf("item %d (serial %q): %v", f.Index, f.SerialNumber, f.Err)
	}
	return fmt.Sprintf("item %d: %v", f.Index, f.Err)
}

// Unwrap returns the reason of the failure.
func (f Failure) Unwrap() error { return f.Err }

// Summary reports a finished batch.
type Summary struct {
	// Issued is the number of passes issued and stored.
	Issued int
	// Failed is the number of items that failed.
	Failed int
	// Bytes is the total size of the passes issued.
	Bytes int64
	// Elapsed is the wall-clock duration of the batch, from the call to Bulk
	// until it returned.
	Elapsed time.Duration
	// Failures holds the first failures, up to BulkOptions.MaxFailures.
	Failures []Failure
}

// FromSlice returns an iterator over values for Template.Bulk.
func FromSlice(values []*Values) iter.Seq2[*Values, error] {
	return func(yield func(*Values, error) bool) {
		for _, v := range values {
			if !yield(v, nil) {
				return
			}
		}
	}
}

// FromChan returns an iterator over the values received from ch until it is
// closed, for Template.Bulk.
func FromChan(ch <-chan *Values) iter.Seq2[*Values, error] {
	return func(yield func(*Values, error) bool) {
		for v := range ch {
			if !yield(v, nil) {
				return
			}
		}
	}
}

// FromSeq adapts an iter.Seq of values for Template.Bulk.
func FromSeq(seq iter.Seq[*Values]) iter.Seq2[*Values, error] {
	return func(yield func(*Values, error) bool) {
		for v := range seq {
			if !yield(v, nil) {
				return
			}
		}
	}
}

type job struct {
	index int
	v     *Values
	err   error
}

type result struct {
	index  int
	serial string
	size   int
	err    error
}

// bufPool holds the buffers passes are written into; one per worker is in
// use at a time.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Bulk issues a pass for every item of items with id on opts.Workers
// goroutines and hands each to sink, named by FileName of its serialNumber.
// An item that comes with an error, or whose pass cannot be made (missing
// value, validation), is a Failure and the batch goes on; an error of the
// sink or of ctx stops the batch and is returned with the summary so far.
// Bulk closes neither sink nor anything else it is given. When the batch
// stops early, the goroutine reading items returns at the next item it
// receives (an open channel that never yields keeps it waiting).
//
// Memory does not grow with the number of items: items are read as workers
// free up, each worker reuses one buffer, and results are not kept.
func (t *Template) Bulk(ctx context.Context, items iter.Seq2[*Values, error], id *sign.Identity, sink Sink, opts *BulkOptions) (*Summary, error) {
	if !t.made() {
		return nil, errNotMade
	}
	if opts == nil {
		opts = &BulkOptions{}
	}
	if id == nil || id.Certificate == nil || id.Signer == nil {
		return nil, fmt.Errorf("template: bulk issuance needs an identity with a certificate and a signer")
	}
	if sink == nil {
		return nil, fmt.Errorf("template: bulk issuance needs a sink")
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, MaxWorkers)
	maxFailures := opts.MaxFailures
	if maxFailures == 0 {
		maxFailures = 100
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	start := time.Now()
	jobs := make(chan job, workers)
	results := make(chan result, workers)
	var wg sync.WaitGroup
	hint := t.size() + 16<<10
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := bufPool.Get().(*bytes.Buffer)
			defer bufPool.Put(buf)
			buf.Grow(hint)
			for {
				var j job
				select {
				case next, ok := <-jobs:
					if !ok {
						return
					}
					j = next
				case <-ctx.Done():
					return
				}
				r := result{index: j.index, err: j.err}
				if j.v != nil {
					r.serial = j.v.SerialNumber
				}
				if r.err == nil && ctx.Err() != nil {
					r.err = context.Cause(ctx)
				}
				if r.err == nil && len(FileName(r.serial)) > 255 {
					r.err = fmt.Errorf("template: serialNumber %q is too long for a file name", truncate(r.serial, 40))
				}
				if r.err == nil {
					buf.Reset()
					if r.err = t.Issue(buf, j.v, id, opts.Sign); r.err == nil {
						r.size = buf.Len()
						if err := sink.Put(ctx, FileName(j.v.SerialNumber), buf.Bytes()); err != nil {
							cancel(fmt.Errorf("template: storing pass %q: %w", j.v.SerialNumber, err))
							r.err = err
						}
					}
				}
				results <- r
			}
		}()
	}
	go func() {
		defer close(jobs)
		i := 0
		for v, err := range items {
			if err == nil && v == nil {
				err = fmt.Errorf("%w: nil values", ErrMissingValue)
			}
			select {
			case jobs <- job{index: i, v: v, err: err}:
			case <-ctx.Done():
				return
			}
			i++
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	sum := &Summary{}
	for r := range results {
		if r.err == nil {
			sum.Issued++
			sum.Bytes += int64(r.size)
		} else if ctx.Err() == nil {
			sum.Failed++
			f := Failure{Index: r.index, SerialNumber: r.serial, Err: r.err}
			if len(sum.Failures) < maxFailures {
				sum.Failures = append(sum.Failures, f)
			}
			if opts.OnFailure != nil {
				opts.OnFailure(f)
			}
		}
		if opts.Progress != nil {
			opts.Progress(Progress{Issued: sum.Issued, Failed: sum.Failed})
		}
	}
	sum.Elapsed = time.Since(start)
	if err := context.Cause(ctx); err != nil {
		return sum, err
	}
	return sum, nil
}

// FileName returns the file name of the pass with serial: the serial with
// every byte outside [A-Za-z0-9._-] written as %XX (and a leading '.'
// escaped), then ".pkpass". Distinct serials give distinct names.
func FileName(serial string) string {
	var b strings.Builder
	b.Grow(len(serial) + 7)
	for i := 0; i < len(serial); i++ {
		c := serial[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c == '.' && i > 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	b.WriteString(".pkpass")
	return b.String()
}
