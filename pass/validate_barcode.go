package pass

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/passforge/passforge/internal/barcodespec"
)

// barcodes checks barcode and barcodes (spec §4). An invalid legacy barcode makes Wallet reject the pass; an
// invalid entry of barcodes is skipped with a log message, so it is a warning.
func (v *validator) barcodes() {
	p := v.p
	if p.Barcode != nil {
		v.barcode("barcode", *p.Barcode, SeverityError, true)
	}
	for i, b := range p.Barcodes {
		v.barcode(index("barcodes", i), b, SeverityWarning, false)
	}
	// iOS 27 formats need a fallback later in the array for older systems.
	for i, b := range p.Barcodes {
		if !barcodespec.IsIOS27Format(string(b.Format)) {
			continue
		}
		fallback := false
		for _, later := range p.Barcodes[i+1:] {
			if barcodespec.KnownFormat(string(later.Format)) && !barcodespec.IsIOS27Format(string(later.Format)) {
				fallback = true
				break
			}
		}
		if !fallback {
			v.warnf(join(index("barcodes", i), "format"), ruleBarcodeFallback, "%s needs iOS 27; add a QR, PDF417, Aztec or Code128 entry after it, or older systems show no barcode", b.Format)
		}
	}
	// Apple Watch cannot draw Code128 and falls back to the next barcode.
	watchable, code128 := false, false
	if len(p.Barcodes) > 0 {
		for _, b := range p.Barcodes {
			switch b.Format {
			case BarcodeFormatQR, BarcodeFormatPDF417, BarcodeFormatAztec:
				watchable = true
			case BarcodeFormatCode128:
				code128 = true
			}
		}
		if code128 && !watchable {
			v.warnf("barcodes", ruleBarcodeWatch, "every barcode is Code128 or an iOS 27 format; Apple Watch shows no barcode")
		}
	} else if p.Barcode != nil && p.Barcode.Format == BarcodeFormatCode128 {
		v.warnf("barcode.format", ruleBarcodeWatch, "a Code128 barcode alone shows no barcode on Apple Watch; add barcodes with a QR, PDF417 or Aztec entry")
	}
}

func (v *validator) barcode(path string, b Barcode, sev Severity, legacy bool) {
	formatOK := true
	switch {
	case b.Format == "":
		v.add(sev, join(path, "format"), ruleRequiredKey, "format is missing")
		formatOK = false
	case !barcodespec.KnownFormat(string(b.Format)):
		v.add(sev, join(path, "format"), ruleBarcodeFormat, "unknown barcode format %q", b.Format)
		formatOK = false
	case legacy && barcodespec.IsIOS27Format(string(b.Format)):
		v.add(sev, join(path, "format"), ruleBarcodeFormat, "%s needs iOS 27 and is only allowed in barcodes, not in the legacy barcode key", b.Format)
		formatOK = false
	}
	encodingOK := true
	switch {
	case b.MessageEncoding == "":
		v.add(sev, join(path, "messageEncoding"), ruleRequiredKey, "messageEncoding is missing; use iso-8859-1 or utf-8")
		encodingOK = false
	case !barcodespec.KnownEncoding(b.MessageEncoding):
		v.add(sev, join(path, "messageEncoding"), ruleBarcodeEncoding, "unknown messageEncoding %q; use an IANA name such as iso-8859-1 or utf-8", b.MessageEncoding)
		encodingOK = false
	}
	if b.Message == "" {
		v.add(sev, join(path, "message"), ruleRequiredKey, "message is missing")
	} else if formatOK && encodingOK {
		if err := barcodespec.Check(string(b.Format), b.Message, b.MessageEncoding); err != nil {
			rule := ruleBarcodeMessage
			switch {
			case errors.Is(err, barcodespec.ErrUnknownEncoding):
				rule = ruleBarcodeEncoding
			case errors.Is(err, barcodespec.ErrUnknownFormat):
				rule = ruleBarcodeFormat
			}
			var encErr *barcodespec.EncodingError
			if errors.As(err, &encErr) {
				rule = ruleBarcodeEncoding
			}
			v.add(sev, join(path, "message"), rule, "%s", err.Error())
		}
	}
	v.unknownKeys(path, b.Extra)
}

// nfc checks the nfc dictionary (spec §1.7).
func (v *validator) nfc() {
	n := v.p.NFC
	if n == nil {
		return
	}
	switch l := len(n.Message); {
	case l == 0:
		v.errorf("nfc.message", ruleNFCMessage, "nfc.message is missing")
	case l > 64:
		v.warnf("nfc.message", ruleNFCMessage, "nfc.message is %d bytes; Wallet truncates it to 64", l)
	}
	if n.EncryptionPublicKey == "" {
		v.warnf("nfc.encryptionPublicKey", ruleNFCPublicKey, "nfc.encryptionPublicKey is missing; Apple documents it as required")
	} else if err := checkP256SPKI(n.EncryptionPublicKey); err != nil {
		v.errorf("nfc.encryptionPublicKey", ruleNFCPublicKey, "%s", err.Error())
	}
	v.unknownKeys("nfc", n.Extra)
}

// checkP256SPKI checks that s is a base64 X.509 SubjectPublicKeyInfo holding a P-256 public key.
func checkP256SPKI(s string) error {
	der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		if der, err = base64.RawStdEncoding.DecodeString(strings.TrimSpace(s)); err != nil {
			return errors.New("encryptionPublicKey is not base64")
		}
	}
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return errors.New("encryptionPublicKey is not an X.509 SubjectPublicKeyInfo (DER)")
	}
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return nil
		}
		return errors.New("encryptionPublicKey is an EC key on " + k.Curve.Params().Name + "; Wallet needs P-256 (secp256r1)")
	case *ecdh.PublicKey:
		if k.Curve() == ecdh.P256() {
			return nil
		}
	}
	return errors.New("encryptionPublicKey is not an EC P-256 (secp256r1) key")
}
