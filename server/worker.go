package server

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/passforge/passforge/webservice"
)

// PushOutcome classifies the answer to one push.
type PushOutcome int

const (
	// PushRetry means no definite answer (a timeout, a dropped connection,
	// 429, 5xx): the push is retried later with backoff.
	PushRetry PushOutcome = iota
	// PushDelivered means APNs accepted the push.
	PushDelivered
	// PushUnregistered means the token is gone for good (410, or 400
	// BadDeviceToken): its registrations made before PushResult.Unregistered
	// are deleted.
	PushUnregistered
	// PushFailed means a permanent error: sending again would fail the
	// same way (a configuration problem, a malformed token). The entry is
	// completed and the error logged.
	PushFailed
)

// PushResult is the answer to one push.
type PushResult struct {
	// Outcome classifies the answer.
	Outcome PushOutcome
	// Unregistered is, for PushUnregistered, the time from which APNs
	// knows the token is invalid (its 410 timestamp, or the time of the
	// answer): registrations refreshed after it are kept.
	Unregistered time.Time
	// Err describes a PushRetry or PushFailed outcome.
	Err error
}

// Pusher sends the "pass changed" push of a pass type (topic) to one
// device push token. PushClient adapts a *push.Client.
type Pusher interface {
	Push(ctx context.Context, token, topic string) PushResult
}

// Run runs the push worker until ctx is done: it claims due outbox entries
// with a lease, sends them with Config.Pusher and completes or retries each.
// On return every push it started has finished (bounded by
// Config.PushTimeout). With no Pusher, Run only waits for ctx: the outbox
// keeps its entries.
func (s *Server) Run(ctx context.Context) error {
	if s.cfg.Pusher == nil {
		s.log.InfoContext(ctx, "push worker off: pushes stay in the outbox")
		<-ctx.Done()
		return nil
	}
	s.log.InfoContext(ctx, "push worker started", "owner", s.cfg.Owner)
	sem := make(chan struct{}, s.cfg.Workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-s.wake:
		}
		for ctx.Err() == nil {
			// Claim only what can be sent at once, so that no claimed entry
			// waits for a free slot while its lease runs.
			free := cap(sem) - len(sem)
			if free == 0 {
				break // a finishing push wakes the loop
			}
			entries, err := s.store.Claim(ctx, s.cfg.Owner, free, s.cfg.Lease)
			if err != nil {
				if ctx.Err() == nil {
					s.log.ErrorContext(ctx, "claiming outbox entries failed", "error", err)
				}
				break
			}
			for _, e := range entries {
				sem <- struct{}{} // never blocks: only this loop fills sem
				wg.Add(1)
				go func(e webservice.OutboxEntry) {
					defer func() {
						<-sem
						wg.Done()
						s.Notify()
					}()
					s.send(e)
				}(e)
			}
			if len(entries) < free {
				break
			}
		}
		timer.Reset(s.cfg.PollInterval)
	}
}

// send pushes one entry and records the outcome. It runs to the end even
// when the worker is stopping, bounded by the push timeout.
func (s *Server) send(e webservice.OutboxEntry) {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.PushTimeout)
	res := s.cfg.Pusher.Push(ctx, e.PushToken, e.PassTypeIdentifier)
	cancel()
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	log := s.log.With("serialNumber", e.SerialNumber, "outbox", e.ID, "attempt", e.Attempts+1)
	var err error
	switch res.Outcome {
	case PushDelivered:
		s.metrics.pushes.WithLabelValues(outcomeDelivered).Inc()
		log.Info("push delivered")
		err = s.store.Complete(ctx, e.ID)
	case PushUnregistered:
		s.metrics.pushes.WithLabelValues(outcomeUnregistered).Inc()
		at := res.Unregistered
		if at.IsZero() {
			at = time.Now()
		}
		n, rerr := s.store.RemoveUnregistered(ctx, e.PushToken, at)
		if rerr != nil {
			log.Error("removing the registrations of an unregistered push token failed", "error", rerr)
			err = s.store.Retry(ctx, e.ID, time.Now().Add(s.backoff(e.Attempts)), "removing registrations: "+rerr.Error())
			break
		}
		log.Info("push token unregistered by APNs; registrations removed", "removed", n)
		err = s.store.Complete(ctx, e.ID)
	case PushFailed:
		s.metrics.pushes.WithLabelValues(outcomeFailed).Inc()
		log.Error("push failed permanently", "error", res.Err)
		err = s.store.Complete(ctx, e.ID)
	default:
		s.metrics.pushes.WithLabelValues(outcomeRetry).Inc()
		wait := s.backoff(e.Attempts)
		msg := "no answer"
		if res.Err != nil {
			msg = res.Err.Error()
		}
		log.Warn("push not delivered; will retry", "in", wait.Round(time.Millisecond), "error", msg)
		err = s.store.Retry(ctx, e.ID, time.Now().Add(wait), msg)
	}
	if err != nil && !errors.Is(err, webservice.ErrNotFound) {
		// The lease lapses and the entry is sent again: at least once.
		log.Error("recording the push outcome failed", "error", err)
	}
}

// backoff is the wait before attempt number attempts+2: exponential from one
// second, capped at MaxBackoff, with full jitter on its upper half.
func (s *Server) backoff(attempts int) time.Duration {
	d := time.Second
	for i := 0; i < attempts && d < s.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.cfg.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}
