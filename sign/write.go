package sign

import (
	"errors"
	"fmt"
	"io"

	"github.com/passforge/passforge/pass"
)

// Write signs p with its assets a and streams the .pkpass to w.
//
// Before signing it checks that p's passTypeIdentifier and teamIdentifier
// match id (ErrIdentifierMismatch) and that p.Validate(a) reports no errors
// (ErrInvalidPass wrapping the *pass.ValidationError) unless
// opts.AllowInvalid is set; warnings never block. a may be nil for a pass
// without files, which Validate then reports (a pass needs icon.png). The
// same pass, assets, identity and signing time give the same bytes.
func Write(w io.Writer, p *pass.Pass, a *pass.Assets, id *Identity, opts *Options) error {
	entries, err := PassEntries(p, a, id, opts)
	if err != nil {
		return err
	}
	return WriteEntries(w, entries, id, opts)
}

// PassEntries runs the checks of Write and returns the prepared entries of p
// and a (pass.json first, then the assets in name order), ready for
// WriteEntries.
func PassEntries(p *pass.Pass, a *pass.Assets, id *Identity, opts *Options) ([]Entry, error) {
	if p == nil {
		return nil, errors.New("sign: nil pass")
	}
	if id == nil || id.Certificate == nil {
		return nil, errors.New("sign: writing a pass needs an identity with a certificate and a signer")
	}
	if err := compareIdentifiers(p.PassTypeIdentifier, p.TeamIdentifier, id.Certificate); err != nil {
		return nil, err
	}
	if a == nil {
		a = &pass.Assets{}
	}
	if err := p.Validate(a); err != nil {
		var verr *pass.ValidationError
		if !errors.As(err, &verr) {
			return nil, fmt.Errorf("sign: validating the pass: %w", err)
		}
		if verr.HasErrors() && (opts == nil || !opts.AllowInvalid) {
			return nil, fmt.Errorf("%w: %w", ErrInvalidPass, verr)
		}
	}
	passJSON, err := p.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("sign: encoding pass.json: %w", err)
	}
	names := a.Names()
	entries := make([]Entry, 0, len(names)+1)
	e, err := PrepareEntry(PassJSONName, passJSON)
	if err != nil {
		return nil, err
	}
	entries = append(entries, e)
	for _, name := range names {
		data, _ := a.Get(name)
		e, err := PrepareEntry(name, data)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, nil
}
