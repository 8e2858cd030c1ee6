package wallettest

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/passforge/passforge/internal/termsafe"
)

// UpdateOptions configure CheckUpdate. A nil *UpdateOptions is the same as
// the zero value.
type UpdateOptions struct {
	// Options are the options of Check.
	Options
	// WaitPush, if not nil, is called after the update returned and before
	// the device polls again, with the push token the device registered.
	// It returns nil once the APNs push for that token (topic: the pass's
	// passTypeIdentifier) arrived, or an error when it did not in time.
	WaitPush func(ctx context.Context, pushToken string) error
}

// Names of the checks of CheckUpdate, in the order it runs them.
const (
	CheckUpdateRegister      = "update: device registered"
	CheckUpdatePollBefore    = "update: poll before the update lists the pass"
	CheckUpdateFetchBefore   = "update: fetch before the update"
	CheckUpdateRan           = "update: the update ran"
	CheckUpdatePush          = "update: a push arrived for the device"
	CheckUpdateListed        = "update: the pass is listed as changed since the old tag"
	CheckUpdateTagForward    = "update: the tag moved forward"
	CheckUpdateFetch         = "update: If-Modified-Since the old version gets the new one (200)"
	CheckUpdateLastModified  = "update: Last-Modified moved forward"
	CheckUpdateValid         = "update: the new version is a valid signed .pkpass"
	CheckUpdateSame          = "update: the new version keeps its identifiers and token"
	CheckUpdateChanged       = "update: the pass changed"
	CheckUpdateUnchanged     = "update: nothing changed since the new tag is 204"
	CheckUpdateNotModified   = "update: If-Modified-Since the new version is 304"
	CheckUpdateUnregistered  = "update: device unregistered"
	updateLastModifiedUnseen = "no Last-Modified to compare"
)

// CheckUpdate checks that the service tells devices about an update: a
// device registers and polls, then update runs (it changes the pass, for
// example through the service's admin API), then — with WaitPush — the push
// must arrive, and the device polls again: the pass must be listed with a
// tag that moved forward, served as a new version (200 to the old
// If-Modified-Since, a later Last-Modified, a different pass.json with the
// same identifiers), and then be unchanged (204, 304).
func CheckUpdate(ctx context.Context, pkpass []byte, update func(ctx context.Context) error, opts *UpdateOptions) (*Report, error) {
	t, err := ReadTarget(pkpass)
	if err != nil {
		return nil, err
	}
	return CheckUpdateTarget(ctx, *t, update, opts), nil
}

// CheckUpdateTarget is CheckUpdate for a pass already read with ReadTarget.
func CheckUpdateTarget(ctx context.Context, t Target, update func(ctx context.Context) error, opts *UpdateOptions) *Report {
	if opts == nil {
		opts = &UpdateOptions{}
	}
	c := &checker{rep: &Report{Target: &t}, opts: &opts.Options}
	d := NewDevice(t, opts.Client)

	r, err := d.Register(ctx)
	if !c.status(CheckUpdateRegister, r, err, http.StatusCreated, http.StatusOK) {
		return c.rep
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		r, err := d.Unregister(cctx)
		c.status(CheckUpdateUnregistered, r, err, http.StatusOK)
	}()

	// Before: the tag and the version the device holds.
	r, err = d.Serials(ctx, "")
	var oldTag string
	switch {
	case err != nil:
		c.netFail(CheckUpdatePollBefore, err)
	case r.Status != http.StatusOK:
		c.add(CheckUpdatePollBefore, false, "got %s, want 200", describe(r))
	default:
		sn, perr := ParseSerialNumbers(r.Body)
		if perr != nil {
			c.add(CheckUpdatePollBefore, false, "%s", termsafe.Escape(perr.Error()))
		} else if !slices.Contains(sn.SerialNumbers, t.SerialNumber) {
			c.add(CheckUpdatePollBefore, false, "200 without %q", termsafe.Escape(t.SerialNumber))
		} else {
			oldTag = sn.LastUpdated
			c.add(CheckUpdatePollBefore, true, "lastUpdated %q", termsafe.Escape(oldTag))
		}
	}
	var oldJSON []byte
	oldModified := c.fetchQuiet(ctx, d, &oldJSON)
	if oldJSON == nil {
		c.add(CheckUpdateFetchBefore, false, "no pass served before the update")
	} else {
		c.add(CheckUpdateFetchBefore, true, "Last-Modified %s", fmtTime(oldModified))
	}

	// The update, and the push that announces it.
	if update != nil {
		if err := update(ctx); err != nil {
			c.add(CheckUpdateRan, false, "%s", termsafe.Escape(err.Error()))
			return c.rep
		}
	}
	c.add(CheckUpdateRan, true, "returned without error")
	if opts.WaitPush != nil {
		if err := opts.WaitPush(ctx, d.PushToken); err != nil {
			c.add(CheckUpdatePush, false, "%s", termsafe.Escape(err.Error()))
		} else {
			c.add(CheckUpdatePush, true, "push token %s…", d.PushToken[:8])
		}
	}

	// After: the pass is listed as changed, with a newer tag.
	var newTag string
	if oldTag == "" {
		c.add(CheckUpdateListed, false, "no tag from before the update to ask with")
		c.add(CheckUpdateTagForward, false, "no tag from before the update")
	} else {
		r, err = d.Serials(ctx, oldTag)
		switch {
		case err != nil:
			c.netFail(CheckUpdateListed, err)
			c.add(CheckUpdateTagForward, false, "no answer")
		case r.Status != http.StatusOK:
			c.add(CheckUpdateListed, false, "got %s for passesUpdatedSince=%s, want 200 listing %q", describe(r), termsafe.Escape(oldTag), termsafe.Escape(t.SerialNumber))
			c.add(CheckUpdateTagForward, false, "no new tag")
		default:
			sn, perr := ParseSerialNumbers(r.Body)
			if perr != nil {
				c.add(CheckUpdateListed, false, "%s", termsafe.Escape(perr.Error()))
				c.add(CheckUpdateTagForward, false, "no new tag")
				break
			}
			c.add(CheckUpdateListed, slices.Contains(sn.SerialNumbers, t.SerialNumber), "200 listing %s", termsafe.Escape(clip(strings.Join(sn.SerialNumbers, ", "), 80)))
			newTag = sn.LastUpdated
			less, comparable := tagLess(oldTag, newTag)
			switch {
			case newTag == oldTag:
				c.add(CheckUpdateTagForward, false, "lastUpdated is still %q: a device holding it would be told the same again", termsafe.Escape(newTag))
			case comparable && !less:
				c.add(CheckUpdateTagForward, false, "lastUpdated went back from %q to %q: devices would miss updates", termsafe.Escape(oldTag), termsafe.Escape(newTag))
			default:
				c.add(CheckUpdateTagForward, true, "%q → %q", termsafe.Escape(oldTag), termsafe.Escape(newTag))
			}
		}
	}

	// The new version.
	var newJSON []byte
	newModified := c.fetch(ctx, d, oldModified, CheckUpdateFetch, CheckUpdateLastModified, CheckUpdateValid, CheckUpdateSame, &newJSON)
	c.replaceLastModified(oldModified, newModified)
	if oldModified.IsZero() {
		// Without a Last-Modified before the update the fetch could not be
		// conditional.
		for i, r := range c.rep.Results {
			if r.Name == CheckUpdateFetch {
				c.rep.Results[i] = Result{Name: r.Name, Detail: "no Last-Modified from before the update to send"}
			}
		}
	}
	switch {
	case newJSON == nil || oldJSON == nil:
		c.add(CheckUpdateChanged, false, "no pass.json to compare")
	case bytes.Equal(oldJSON, newJSON):
		c.add(CheckUpdateChanged, false, "pass.json is the same as before the update")
	default:
		c.add(CheckUpdateChanged, true, "pass.json changed")
	}

	// And then nothing more changed.
	if newTag != "" {
		r, err = d.Serials(ctx, newTag)
		c.unchanged(CheckUpdateUnchanged, r, err, newTag)
	} else {
		c.add(CheckUpdateUnchanged, false, "no new tag to ask with")
	}
	if !newModified.IsZero() {
		r, err = d.Pass(ctx, newModified)
		c.notModified(CheckUpdateNotModified, r, err)
	} else {
		c.add(CheckUpdateNotModified, false, "no new Last-Modified to send")
	}
	return c.rep
}

// replaceLastModified turns the "Last-Modified present" result of the fetch
// after the update into "Last-Modified moved forward".
func (c *checker) replaceLastModified(old, cur time.Time) {
	for i, r := range c.rep.Results {
		if r.Name != CheckUpdateLastModified {
			continue
		}
		switch {
		case !r.OK:
		case old.IsZero():
			c.rep.Results[i] = Result{Name: r.Name, Detail: updateLastModifiedUnseen + " from before the update"}
		case !cur.After(old):
			c.rep.Results[i] = Result{Name: r.Name, Detail: "Last-Modified " + fmtTime(cur) + " is not after " + fmtTime(old) +
				": a device sending If-Modified-Since gets 304 and keeps the old version"}
		default:
			c.rep.Results[i] = Result{Name: r.Name, OK: true, Detail: fmtTime(old) + " → " + fmtTime(cur)}
		}
	}
}

// fetchQuiet fetches the pass without recording checks and returns its
// Last-Modified and pass.json.
func (c *checker) fetchQuiet(ctx context.Context, d *Device, passJSON *[]byte) time.Time {
	q := &checker{rep: &Report{Target: c.rep.Target}, opts: c.opts}
	return q.fetch(ctx, d, time.Time{}, "", "", "", "", passJSON)
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "(none)"
	}
	return t.UTC().Format(http.TimeFormat)
}
