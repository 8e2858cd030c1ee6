package sign

import (
	"encoding/asn1"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// maxP12Iterations bounds the key-derivation iterations a .p12 file may ask
// for: OpenSSL, Keychain Access and Windows write 2,048 to 10,000; a file
// asking for billions would keep the loader busy for minutes.
const maxP12Iterations = 1_000_000

var (
	oidPKCS7EncryptedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidShroudedKeyBag     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
)

// checkP12Work refuses a .p12 whose MAC or encryption parameters ask for
// more than maxP12Iterations iterations, before go-pkcs12 runs them. What it
// cannot read it leaves to go-pkcs12, which reports it.
func checkP12Work(data []byte) error {
	s := cryptobyte.String(data)
	var pfx, authSafe cryptobyte.String
	if !s.ReadASN1(&pfx, cbasn1.SEQUENCE) || !pfx.SkipASN1(cbasn1.INTEGER) || !pfx.ReadASN1(&authSafe, cbasn1.SEQUENCE) {
		return nil
	}
	// MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
	var mac cryptobyte.String
	if pfx.ReadASN1(&mac, cbasn1.SEQUENCE) && mac.SkipASN1(cbasn1.SEQUENCE) && mac.SkipASN1(cbasn1.OCTET_STRING) {
		if err := checkIterations(&mac); err != nil {
			return err
		}
	}
	// authSafe: ContentInfo { id-data, [0] EXPLICIT OCTET STRING { AuthenticatedSafe } }
	var oid asn1.ObjectIdentifier
	var explicit, octets, contentInfos cryptobyte.String
	if !authSafe.ReadASN1ObjectIdentifier(&oid) || !oid.Equal(oidData) ||
		!authSafe.ReadASN1(&explicit, tagContext0) || !explicit.ReadASN1(&octets, cbasn1.OCTET_STRING) ||
		!octets.ReadASN1(&contentInfos, cbasn1.SEQUENCE) {
		return nil
	}
	for !contentInfos.Empty() {
		var ci, content cryptobyte.String
		if !contentInfos.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1ObjectIdentifier(&oid) || !ci.ReadASN1(&content, tagContext0) {
			return nil
		}
		switch {
		case oid.Equal(oidPKCS7EncryptedData):
			// EncryptedData ::= SEQUENCE { version, EncryptedContentInfo SEQUENCE { contentType, algorithm, [0] content } }
			var ed, eci cryptobyte.String
			if content.ReadASN1(&ed, cbasn1.SEQUENCE) && ed.SkipASN1(cbasn1.INTEGER) && ed.ReadASN1(&eci, cbasn1.SEQUENCE) &&
				eci.SkipASN1(cbasn1.OBJECT_IDENTIFIER) {
				if err := checkAlgorithmWork(&eci); err != nil {
					return err
				}
			}
		case oid.Equal(oidData):
			// SafeContents ::= SEQUENCE OF SafeBag { bagId, [0] EXPLICIT bagValue, attributes }
			var bagOctets, bags cryptobyte.String
			if !content.ReadASN1(&bagOctets, cbasn1.OCTET_STRING) || !bagOctets.ReadASN1(&bags, cbasn1.SEQUENCE) {
				continue
			}
			for !bags.Empty() {
				var bag, value, epki cryptobyte.String
				var bagID asn1.ObjectIdentifier
				if !bags.ReadASN1(&bag, cbasn1.SEQUENCE) || !bag.ReadASN1ObjectIdentifier(&bagID) || !bag.ReadASN1(&value, tagContext0) {
					break
				}
				if bagID.Equal(oidShroudedKeyBag) && value.ReadASN1(&epki, cbasn1.SEQUENCE) {
					if err := checkAlgorithmWork(&epki); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// checkAlgorithmWork reads a password-based encryption AlgorithmIdentifier:
// PKCS#12 PBE (parameters SEQUENCE { salt, iterations }) or PBES2
// (SEQUENCE { keyDerivationFunc { PBKDF2, SEQUENCE { salt, iterationCount, ... } }, encryptionScheme }).
func checkAlgorithmWork(s *cryptobyte.String) error {
	var alg, params cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !s.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) || !alg.ReadASN1(&params, cbasn1.SEQUENCE) {
		return nil
	}
	if oid.Equal(oidPBES2) {
		var kdf, kdfParams cryptobyte.String
		if !params.ReadASN1(&kdf, cbasn1.SEQUENCE) || !kdf.SkipASN1(cbasn1.OBJECT_IDENTIFIER) || !kdf.ReadASN1(&kdfParams, cbasn1.SEQUENCE) {
			return nil
		}
		params = kdfParams
	}
	if !params.SkipASN1(cbasn1.OCTET_STRING) {
		return nil
	}
	return checkIterations(&params)
}

// checkIterations reads an iteration count INTEGER, if there is one.
func checkIterations(s *cryptobyte.String) error {
	var n int64
	if !s.PeekASN1Tag(cbasn1.INTEGER) || !s.ReadASN1Int64WithTag(&n, cbasn1.INTEGER) {
		return nil // absent (DEFAULT 1) or beyond int64, which go-pkcs12 refuses itself
	}
	if n > maxP12Iterations {
		return fmt.Errorf("sign: the .p12 file asks for %d key-derivation iterations, more than the %d passforge allows; export it again", n, maxP12Iterations)
	}
	return nil
}
