package server

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/passforge/passforge/webservice"
)

// ValuesError reports values that do not make a valid pass: every problem
// with its JSON path. The admin API answers it with 422.
type ValuesError struct {
	// Problems lists what is wrong, each with its JSON path.
	Problems []Problem
}

func (e *ValuesError) Error() string {
	if len(e.Problems) == 1 {
		return fmt.Sprintf("server: invalid values: %s: %s", e.Problems[0].Path, e.Problems[0].Message)
	}
	return fmt.Sprintf("server: invalid values: %d problems, the first %s: %s", len(e.Problems), e.Problems[0].Path, e.Problems[0].Message)
}

// PassInfo describes the current version of a pass.
type PassInfo struct {
	// SerialNumber is the pass's serialNumber.
	SerialNumber string `json:"serialNumber"`
	// PassTypeIdentifier is the pass's passTypeIdentifier.
	PassTypeIdentifier string `json:"passTypeIdentifier"`
	// LastUpdated is the update tag of the current version, as the web
	// service renders it (decimal digits in a JSON string).
	LastUpdated string `json:"lastUpdated"`
	// LastModified is the current version's Last-Modified time.
	LastModified time.Time `json:"lastModified"`
	// Values are the holder's values.
	Values Values `json:"values"`
	// Voided reports whether the pass is voided.
	Voided bool `json:"voided"`
	// Registrations is the number of devices registered for updates
	// (filled by Pass only).
	Registrations *int `json:"registrations,omitempty"`
	// PushesQueued is the number of devices that will be notified of this
	// version (filled by Update and Void only).
	PushesQueued *int `json:"pushesQueued,omitempty"`
	// DownloadURL is a link that serves the current .pkpass without the
	// admin token, valid for Config.DownloadTTL.
	DownloadURL string `json:"downloadURL"`
}

// maxSerial is the longest serial number the admin API accepts.
const maxSerial = 128

// checkSerial accepts serial numbers that travel unescaped in URL paths.
func checkSerial(serial string) error {
	if serial == "" {
		return errors.New("empty")
	}
	if len(serial) > maxSerial {
		return fmt.Errorf("longer than %d characters", maxSerial)
	}
	for i := 0; i < len(serial); i++ {
		c := serial[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return fmt.Errorf("character %q at offset %d: use letters, digits and - _ . ~", c, i)
		}
	}
	return nil
}

// newSerial returns a random serial number (a UUID version 4).
func (s *Server) newSerial() (string, error) {
	var b [16]byte
	if _, err := s.random.Read(b[:]); err != nil {
		return "", fmt.Errorf("server: generating a serial number: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// signPass signs the version of serial that d describes. Problems with the
// values are a *ValuesError.
func (s *Server) signPass(serial string, d *appData) ([]byte, error) {
	token := s.keys.authToken(s.ptid, serial, d.Nonce)
	pv := &passValues{serial: serial, values: d.Values, voided: d.Voided, wsURL: s.wsURL, token: token, tp: s.tp}
	v, problems := pv.build()
	if len(problems) > 0 {
		return nil, &ValuesError{Problems: problems}
	}
	start := time.Now()
	var buf bytes.Buffer
	opts := s.signOpts
	err := s.tp.Issue(&buf, v, s.id, &opts)
	if err != nil && s.insecure && onlyInsecureURL(err) {
		buf.Reset()
		opts.AllowInvalid = true
		err = s.tp.Issue(&buf, v, s.id, &opts)
	}
	s.metrics.signing.Observe(time.Since(start).Seconds())
	if err != nil {
		if p := issueProblems(err); p != nil {
			return nil, &ValuesError{Problems: p}
		}
		return nil, fmt.Errorf("server: signing pass %q: %w", serial, err)
	}
	return buf.Bytes(), nil
}

// Issue issues a new pass with the values v: serial is its serial number,
// or "" for a random one. It signs the pass, stores it and returns its
// description. A serial number in use gives an error wrapping
// webservice.ErrExists; values that do not make a valid pass a *ValuesError.
func (s *Server) Issue(ctx context.Context, serial string, v Values) (*PassInfo, error) {
	if serial == "" {
		var err error
		if serial, err = s.newSerial(); err != nil {
			return nil, err
		}
	} else if err := checkSerial(serial); err != nil {
		return nil, &ValuesError{Problems: []Problem{{Path: "serialNumber", Message: err.Error()}}}
	}
	if _, err := s.store.Pass(ctx, s.ptid, serial); err == nil {
		return nil, fmt.Errorf("server: pass %q: %w", serial, webservice.ErrExists)
	} else if !errors.Is(err, webservice.ErrNotFound) {
		return nil, fmt.Errorf("server: %w", err)
	}
	nonce, err := newNonce()
	if err != nil {
		return nil, err
	}
	d := &appData{Values: merge(nil, v), Nonce: nonce}
	data, err := s.signPass(serial, d)
	if err != nil {
		return nil, err
	}
	ad, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	p := &webservice.Pass{
		PassTypeIdentifier: s.ptid,
		SerialNumber:       serial,
		AuthTokenHash:      webservice.HashToken(s.keys.authToken(s.ptid, serial, nonce)),
		Data:               data,
		AppData:            ad,
	}
	if err := s.store.CreatePass(ctx, p); err != nil {
		if errors.Is(err, webservice.ErrExists) {
			return nil, fmt.Errorf("server: pass %q: %w", serial, err)
		}
		return nil, fmt.Errorf("server: storing pass %q: %w", serial, err)
	}
	s.log.InfoContext(ctx, "pass issued", "serialNumber", serial, "tag", p.Tag)
	return s.info(p, d), nil
}

// info describes the stored pass p with its data d.
func (s *Server) info(p *webservice.Pass, d *appData) *PassInfo {
	return &PassInfo{
		SerialNumber:       p.SerialNumber,
		PassTypeIdentifier: p.PassTypeIdentifier,
		LastUpdated:        webservice.FormatTag(p.Tag),
		LastModified:       p.Modified.UTC(),
		Values:             d.Values,
		Voided:             d.Voided,
		DownloadURL:        s.DownloadURL(p.SerialNumber, s.now().Add(s.cfg.DownloadTTL)),
	}
}

// DownloadURL returns a link that serves the current version of the pass
// until expires, without the admin token.
func (s *Server) DownloadURL(serial string, expires time.Time) string {
	exp := expires.Unix()
	q := url.Values{}
	q.Set("expires", strconv.FormatInt(exp, 10))
	q.Set("signature", s.keys.downloadSignature(s.ptid, serial, exp))
	return s.wsURL + "download/" + url.PathEscape(serial) + ".pkpass?" + q.Encode()
}

// Pass returns the description of the pass with its number of registered
// devices. An unknown pass gives an error wrapping webservice.ErrNotFound.
func (s *Server) Pass(ctx context.Context, serial string) (*PassInfo, error) {
	p, err := s.store.Pass(ctx, s.ptid, serial)
	if err != nil {
		return nil, fmt.Errorf("server: pass %q: %w", serial, err)
	}
	d, err := decodeAppData(p.AppData)
	if err != nil {
		return nil, err
	}
	regs, err := s.store.Registrations(ctx, s.ptid, serial)
	if err != nil {
		return nil, fmt.Errorf("server: registrations of pass %q: %w", serial, err)
	}
	info := s.info(p, d)
	n := len(regs)
	info.Registrations = &n
	return info, nil
}

// PassData returns the signed .pkpass of the current version of the pass
// and its Last-Modified time.
func (s *Server) PassData(ctx context.Context, serial string) ([]byte, time.Time, error) {
	p, err := s.store.Pass(ctx, s.ptid, serial)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("server: pass %q: %w", serial, err)
	}
	return p.Data, p.Modified, nil
}

// Update merges v into the values of the pass (a JSON null removes a
// value), signs the new version, stores it with a new update tag and queues
// a push to every registered device, all in one store transaction.
func (s *Server) Update(ctx context.Context, serial string, v Values) (*PassInfo, error) {
	return s.change(ctx, serial, func(d *appData) (bool, error) {
		d.Values = merge(d.Values, v)
		return true, nil
	})
}

// Void marks the pass voided, signs and stores that version and queues a
// push to every registered device. Voiding a voided pass changes nothing.
func (s *Server) Void(ctx context.Context, serial string) (*PassInfo, error) {
	return s.change(ctx, serial, func(d *appData) (bool, error) {
		if d.Voided {
			return false, nil
		}
		d.Voided = true
		return true, nil
	})
}

// errUnchanged aborts an update that changes nothing.
var errUnchanged = errors.New("server: unchanged")

func (s *Server) change(ctx context.Context, serial string, edit func(*appData) (bool, error)) (*PassInfo, error) {
	var d *appData
	res, err := s.store.UpdatePass(ctx, s.ptid, serial, &webservice.UpdateOptions{Enqueue: true}, func(p *webservice.Pass) error {
		var err error
		if d, err = decodeAppData(p.AppData); err != nil {
			return err
		}
		changed, err := edit(d)
		if err != nil {
			return err
		}
		if !changed {
			return errUnchanged
		}
		data, err := s.signPass(serial, d)
		if err != nil {
			return err
		}
		ad, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("server: %w", err)
		}
		p.Data, p.AppData = data, ad
		return nil
	})
	if errors.Is(err, errUnchanged) {
		p, err := s.store.Pass(ctx, s.ptid, serial)
		if err != nil {
			return nil, fmt.Errorf("server: pass %q: %w", serial, err)
		}
		info := s.info(p, d)
		zero := 0
		info.PushesQueued = &zero
		return info, nil
	}
	if err != nil {
		var ve *ValuesError
		if errors.As(err, &ve) {
			return nil, err
		}
		return nil, fmt.Errorf("server: updating pass %q: %w", serial, err)
	}
	info := s.info(res.Pass, d)
	n := res.Queued
	info.PushesQueued = &n
	s.metrics.updates.Inc()
	s.log.InfoContext(ctx, "pass updated", "serialNumber", serial, "tag", res.Pass.Tag, "pushesQueued", n)
	if n > 0 {
		s.Notify()
	}
	return info, nil
}

// Notify wakes the push worker: the outbox has new entries. Update and Void
// call it; an application that writes the outbox itself may too.
func (s *Server) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
