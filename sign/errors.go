package sign

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors returned when loading or checking a signing identity. They never
// contain passwords or key material.
var (
	// ErrNotP12 means the input given as a .p12 file is not PKCS#12 at all
	// (a PEM file, a certificate alone, anything else).
	ErrNotP12 = errors.New("sign: not a PKCS#12 file; export the certificate with its key from Keychain Access")
	// ErrWrongPassword means a .p12 file or an encrypted key could not be
	// decrypted with the password given.
	ErrWrongPassword = errors.New("sign: wrong password")
	// ErrNoPrivateKey means the input holds certificates but no private key.
	ErrNoPrivateKey = errors.New("sign: no private key")
	// ErrNoCertificate means the input holds no certificate.
	ErrNoCertificate = errors.New("sign: no certificate")
	// ErrKeyMismatch means the private key does not belong to the certificate.
	ErrKeyMismatch = errors.New("sign: private key does not match the certificate")
	// ErrNotPassTypeID means the certificate has no pass type identifier (UID)
	// or no team identifier (OU) in its subject: it is not a Pass Type ID
	// certificate.
	ErrNotPassTypeID = errors.New("sign: not a Pass Type ID certificate")
	// ErrExpired means a certificate's validity ended before the time it was
	// checked at.
	ErrExpired = errors.New("sign: certificate expired")
	// ErrNotYetValid means a certificate's validity starts after the time it
	// was checked at.
	ErrNotYetValid = errors.New("sign: certificate not yet valid")
)

// Errors returned before signing.
var (
	// ErrIdentifierMismatch means the passTypeIdentifier or teamIdentifier of
	// pass.json differs from the signer certificate's UID or OU. Verify reports
	// it too.
	ErrIdentifierMismatch = errors.New("sign: pass identifiers do not match the certificate")
	// ErrInvalidPass means pass.json or its assets failed pass.Validate with at
	// least one error; the *pass.ValidationError is wrapped alongside.
	ErrInvalidPass = errors.New("sign: pass is not valid")
	// ErrBundleLimit means a .pkpasses bundle would exceed 10 passes or 150 MB.
	ErrBundleLimit = errors.New("sign: bundle limit exceeded")
)

// Problems reported by Read and Verify. Each problem in a *VerifyError wraps
// exactly one of these, so callers branch with errors.Is.
var (
	// ErrArchive means the zip container is unreadable, has duplicate or
	// unsafe names, or breaks a limit of ReadOptions.
	ErrArchive = errors.New("sign: bad archive")
	// ErrLimit means the archive breaks a size, count or compression-ratio
	// limit (a likely zip bomb). It is reported together with ErrArchive.
	ErrLimit = errors.New("sign: archive limit exceeded")
	// ErrUnsafePath means an entry name is absolute, contains "..", a
	// backslash or another unsafe element.
	ErrUnsafePath = errors.New("sign: unsafe path in archive")
	// ErrMissingFile means a required file (pass.json, manifest.json,
	// signature) is absent, or a file listed in the manifest is absent.
	ErrMissingFile = errors.New("sign: missing file")
	// ErrExtraFile means the archive holds a file the manifest does not list.
	ErrExtraFile = errors.New("sign: file not in manifest")
	// ErrDigestMismatch means a file's SHA-1 differs from its manifest entry.
	ErrDigestMismatch = errors.New("sign: file digest does not match manifest")
	// ErrManifest means manifest.json is not a JSON object of SHA-1 hex strings.
	ErrManifest = errors.New("sign: bad manifest.json")
	// ErrPassJSON means pass.json could not be read by pass.Parse.
	ErrPassJSON = errors.New("sign: bad pass.json")
	// ErrSignature means the signature file is not a valid detached PKCS#7
	// signature of manifest.json.
	ErrSignature = errors.New("sign: bad signature")
	// ErrChain means the signer certificate does not chain to a trusted root
	// at the verification time.
	ErrChain = errors.New("sign: untrusted certificate chain")
)

// VerifyError lists every problem Verify found. Each problem wraps one of the
// sentinel errors above (ErrArchive, ErrDigestMismatch, ErrChain, ...), and
// errors.Is on the VerifyError itself matches any of them.
type VerifyError struct {
	// Problems holds every problem, in the order found.
	Problems []error
}

// Error joins the problems, one per line.
func (e *VerifyError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.Is and errors.As see each of them.
func (e *VerifyError) Unwrap() []error { return e.Problems }

// ValidityError reports a certificate outside its validity period. It wraps
// ErrExpired or ErrNotYetValid.
type ValidityError struct {
	// Subject is the certificate's subject common name.
	Subject string
	// NotBefore and NotAfter bound the certificate's validity.
	NotBefore, NotAfter time.Time
	// At is the time the certificate was checked at.
	At  time.Time
	err error
}

// Error describes the certificate and its validity period.
func (e *ValidityError) Error() string {
	return fmt.Sprintf("%v: %q valid from %s to %s, checked at %s", e.err, e.Subject,
		e.NotBefore.UTC().Format(time.RFC3339), e.NotAfter.UTC().Format(time.RFC3339), e.At.UTC().Format(time.RFC3339))
}

// Unwrap returns ErrExpired or ErrNotYetValid.
func (e *ValidityError) Unwrap() error { return e.err }
