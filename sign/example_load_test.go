package sign_test

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"software.sslmate.com/src/go-pkcs12"
)

// LoadP12 reads the .p12 that Keychain Access exports (File → Export Items,
// the certificate together with its private key). The example makes one in
// memory from a development identity; with a real one, read the file:
//
//	data, err := os.ReadFile("pass.p12")
//	id, err := sign.LoadP12(data, os.Getenv("PASSFORGE_P12_PASSWORD"))
func ExampleLoadP12() {
	dev, err := sign.NewDevelopmentIdentity("pass.com.example.coffee", "ABCDE12345")
	if err != nil {
		log.Fatal(err)
	}
	p12, err := pkcs12.Modern.Encode(dev.Identity.Signer, dev.Identity.Certificate, dev.Identity.Chain, "s3cret")
	if err != nil {
		log.Fatal(err)
	}

	id, err := sign.LoadP12(p12, "s3cret")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id.PassTypeIdentifier(), id.TeamIdentifier())
	fmt.Println("signer:", id.Certificate.Subject.CommonName)
	for _, c := range id.Chain {
		fmt.Println("chain:", c.Subject.CommonName)
	}

	_, err = sign.LoadP12(p12, "wrong")
	fmt.Println(errors.Is(err, sign.ErrWrongPassword))
	// Output:
	// pass.com.example.coffee ABCDE12345
	// signer: Pass Type ID: pass.com.example.coffee
	// chain: passforge Development WWDR CA
	// true
}

// LoadPEM reads a certificate and its private key as PEM, for instance
// after `openssl x509 -inform DER -in pass.cer -out pass.pem` on the
// certificate Apple issued for your key. The example writes both PEM files
// in memory from a development identity.
func ExampleLoadPEM() {
	dev, err := sign.NewDevelopmentIdentity("pass.com.example.coffee", "ABCDE12345")
	if err != nil {
		log.Fatal(err)
	}
	var certPEM bytes.Buffer
	for _, c := range append([]*x509.Certificate{dev.Identity.Certificate}, dev.Identity.Chain...) {
		if err := pem.Encode(&certPEM, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}); err != nil {
			log.Fatal(err)
		}
	}
	der, err := x509.MarshalPKCS8PrivateKey(dev.Identity.Signer)
	if err != nil {
		log.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})

	id, err := sign.LoadPEM(certPEM.Bytes(), keyPEM, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id.PassTypeIdentifier(), id.TeamIdentifier(), len(id.Chain))

	// The key of another certificate is refused.
	other, err := sign.NewDevelopmentIdentity("pass.com.example.other", "ABCDE12345")
	if err != nil {
		log.Fatal(err)
	}
	otherDER, err := x509.MarshalPKCS8PrivateKey(other.Identity.Signer)
	if err != nil {
		log.Fatal(err)
	}
	_, err = sign.LoadPEM(certPEM.Bytes(), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: otherDER}), nil)
	fmt.Println(errors.Is(err, sign.ErrKeyMismatch))
	// Output:
	// pass.com.example.coffee ABCDE12345 1
	// true
}

// Read opens a .pkpass from any io.ReaderAt (an *os.File, a bytes.Reader)
// and checks it the way Wallet does: archive limits, manifest hashes,
// signature, certificate chain and identifiers. The example signs a pass
// with a development identity first.
func ExampleRead() {
	dev, err := sign.NewDevelopmentIdentity("pass.com.example.coffee", "ABCDE12345")
	if err != nil {
		log.Fatal(err)
	}
	p := &pass.Pass{
		FormatVersion: 1, PassTypeIdentifier: dev.PassTypeIdentifier(), TeamIdentifier: dev.TeamIdentifier(),
		SerialNumber: "0001", OrganizationName: "Example Coffee", Description: "Example Coffee card",
		StoreCard: &pass.PassFields{PrimaryFields: []pass.Field{{Key: "balance", Label: "Balance", Value: pass.String("12 stamps")}}},
	}
	assets := &pass.Assets{}
	if err := assets.Set("icon.png", iconPNG); err != nil {
		log.Fatal(err)
	}
	signedAt := time.Now().Truncate(time.Second) // the identity is valid from an hour ago
	var file bytes.Buffer
	if err := sign.Write(&file, p, assets, dev.Identity, &sign.Options{Now: func() time.Time { return signedAt }}); err != nil {
		log.Fatal(err)
	}
	r := bytes.NewReader(file.Bytes())

	// Trust the development CA, and check the chain when the pass was signed.
	roots := x509.NewCertPool()
	roots.AddCert(dev.CA)
	pkg, err := sign.Read(r, r.Size(), &sign.VerifyOptions{Roots: roots, AtSigningTime: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pkg.Pass.SerialNumber, pkg.Files)
	fmt.Println("signed at signedAt:", pkg.Signature.SigningTime.Equal(signedAt), "by", pkg.Chain[0].Subject.CommonName)

	// With the default options only Apple's root is trusted: the development
	// chain is reported, and the package is still returned for inspection.
	pkg, err = sign.Read(r, r.Size(), nil)
	var ve *sign.VerifyError
	fmt.Println(errors.As(err, &ve), errors.Is(err, sign.ErrChain), pkg.Pass.SerialNumber)
	// Output:
	// 0001 [icon.png manifest.json pass.json signature]
	// signed at signedAt: true by Pass Type ID: pass.com.example.coffee
	// true true 0001
}
