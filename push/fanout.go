package push

import (
	"context"
	"errors"
	"hash/maphash"
	"iter"
	"sync"
)

// Notification is one push of a fan-out: a device token and the topic (the
// pass type identifier; "" for the client's topic).
type Notification struct {
	Token string
	Topic string
}

// ToTopic returns the notifications of tokens for topic ("" for the
// client's topic), for PushAll.
func ToTopic(topic string, tokens iter.Seq[string]) iter.Seq[Notification] {
	return func(yield func(Notification) bool) {
		for t := range tokens {
			if !yield(Notification{Token: t, Topic: topic}) {
				return
			}
		}
	}
}

// PushAll sends every notification of notes (read as it goes, so that a
// million tokens need no million-element slice) over the client's
// connections, at most WithMaxInFlight at once, and calls fn with each
// result as it comes, from the calling goroutine, one at a time.
//
// A token that comes again for the same topic is skipped (counted in
// Summary.Duplicates); a malformed token gets a NotSent result wrapping
// ErrInvalidToken. A configuration error (DeviceTokenNotForTopic, 403, an
// expired certificate, a certificate APNs refuses) stops the fan-out: the
// push that met it is Failed, the requests already in flight finish, and
// every notification not yet sent gets a NotSent result joining ErrNotSent
// with that error, which PushAll also returns. When ctx ends, the rest are likewise NotSent and PushAll returns
// ctx's error. Otherwise it returns nil, even when some pushes failed: see
// the results or the Summary.
func (c *Client) PushAll(ctx context.Context, notes iter.Seq[Notification], fn func(Result)) (Summary, error) {
	return c.fanOut(ctx, notes, func(r Result) bool {
		if fn != nil {
			fn(r)
		}
		return true
	})
}

// Results is PushAll as an iterator: it yields each result as it comes.
// Breaking out of the loop cancels the pushes in flight and sends no more.
func (c *Client) Results(ctx context.Context, notes iter.Seq[Notification]) iter.Seq[Result] {
	return func(yield func(Result) bool) {
		_, _ = c.fanOut(ctx, notes, yield)
	}
}

// fanOut runs a fan-out; when fn returns false the rest is abandoned
// without results.
func (c *Client) fanOut(ctx context.Context, notes iter.Seq[Notification], fn func(Result) bool) (Summary, error) {
	var sum Summary
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	var (
		stopMu  sync.Mutex
		stopErr error // the configuration error that stopped the fan-out
	)
	stopped := func() error {
		stopMu.Lock()
		defer stopMu.Unlock()
		return stopErr
	}
	// A configuration error stops sending; the requests already in flight
	// finish and report their own outcomes.
	stop := func(err error) {
		stopMu.Lock()
		if stopErr == nil {
			stopErr = err
			c.log.Error("push: configuration error, stopping the fan-out", "error", err)
		}
		stopMu.Unlock()
	}
	notSent := func(r Result) Result {
		cause := stopped()
		if cause == nil {
			cause = context.Cause(ctx)
		}
		r.Outcome, r.Err = NotSent, errors.Join(ErrNotSent, cause)
		return r
	}

	jobs := make(chan Result) // unbuffered: a job waits for a free worker
	results := make(chan Result, c.inFlight)
	var abandon sync.Once
	abandoned := make(chan struct{})

	// Certificate expiry stops everything before the first request.
	if err := c.checkCertificate(); err != nil {
		stop(err)
	}

	// Workers start as jobs come, up to c.inFlight: a fan-out to three
	// tokens runs three.
	var workers sync.WaitGroup
	started := 0
	worker := func() {
		defer workers.Done()
		for r := range jobs {
			if ctx.Err() != nil || stopped() != nil {
				r = notSent(r)
				c.report(r)
				results <- r
				continue
			}
			r = c.send(ctx, r)
			if r.Outcome == Failed && errors.Is(r.Err, ErrConfiguration) {
				stop(r.Err)
			}
			c.report(r)
			results <- r
		}
	}
	dispatch := func(r Result) bool {
		select {
		case jobs <- r: // an idle worker took it
			return true
		default:
		}
		if started < c.inFlight {
			started++
			workers.Add(1)
			go worker()
		}
		return send(jobs, r, abandoned)
	}

	go func() {
		defer func() {
			close(jobs)
			workers.Wait()
			close(results)
		}()
		seed1, seed2 := maphash.MakeSeed(), maphash.MakeSeed()
		seen := map[[2]uint64]struct{}{}
		for n := range notes {
			select {
			case <-abandoned:
				return
			default:
			}
			r := Result{Token: n.Token, Topic: n.Topic}
			if err := c.precheck(&r); err != nil {
				if errors.Is(err, ErrConfiguration) {
					stop(err)
					r = notSent(r)
				} else {
					r.Outcome, r.Err = NotSent, err
				}
				c.report(r)
				if !send(results, r, abandoned) {
					return
				}
				continue
			}
			key := [2]uint64{dedupeHash(seed1, r), dedupeHash(seed2, r)}
			if _, dup := seen[key]; dup {
				sum.Duplicates++ // read by fanOut only after results is closed
				continue
			}
			seen[key] = struct{}{}
			if ctx.Err() != nil || stopped() != nil {
				r = notSent(r)
				c.report(r)
				if !send(results, r, abandoned) {
					return
				}
				continue
			}
			if !dispatch(r) {
				return
			}
		}
	}()

	for r := range results {
		sum.add(r)
		select {
		case <-abandoned:
			continue // drain
		default:
		}
		if !fn(r) {
			abandon.Do(func() { close(abandoned) })
			cancel(context.Canceled)
		}
	}
	if err := stopped(); err != nil {
		return sum, err
	}
	return sum, ctx.Err()
}

// send puts r on ch unless the fan-out was abandoned.
func send(ch chan<- Result, r Result, abandoned <-chan struct{}) bool {
	select {
	case ch <- r:
		return true
	case <-abandoned:
		return false
	}
}

func dedupeHash(seed maphash.Seed, r Result) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(r.Topic)
	h.WriteByte(0)
	h.WriteString(r.Token)
	return h.Sum64()
}
