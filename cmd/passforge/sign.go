package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
)

func init() {
	register(&command{
		name:    "sign",
		summary: "sign a pass folder into a .pkpass",
		run:     runSign,
	})
}

const signUsage = `Usage: passforge sign [--p12 FILE | --cert PEM --key PEM | --dev] [--wwdr PEM]
                      [--sha1] [--allow-invalid] [--json] -o OUT.pkpass FOLDER

Signs the pass folder FOLDER (pass.json, images, <lang>.lproj folders) into
OUT.pkpass. The pass must pass validation (errors refuse to sign unless
--allow-invalid) and its passTypeIdentifier and teamIdentifier must match the
certificate. The .p12 password is read from $PASSFORGE_P12_PASSWORD, an
encrypted PEM key's from $PASSFORGE_KEY_PASSWORD. With --dev, a throwaway
development identity signs (Wallet does not accept it) and its CA is saved
next to the output as OUT-ca.pem, for 'passforge verify --roots OUT-ca.pem'.

Exit status: 0 when the pass was written, 1 when it could not be (nothing is
written then), 2 on usage errors.

Example:
  PASSFORGE_P12_PASSWORD=... passforge sign --p12 Certificates.p12 -o coffee.pkpass coffee.pass
  passforge sign --dev -o demo.pkpass coffee.pass

Flags:
`

func runSign(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("sign", signUsage, stderr)
	idFlags := addIdentityFlags(fs)
	out := fs.String("o", "", "the .pkpass file to write (required)")
	signing := addSignFlags(fs, true)
	asJSON := fs.Bool("json", false, "print a JSON report of the pass written")
	folders, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	if len(folders) != 1 || *out == "" {
		return usageError(fs, "want -o OUT.pkpass and exactly one FOLDER")
	}
	folder := folders[0]
	if fi, err := os.Stat(folder); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "passforge sign: %s is not a pass folder\n", safe(folder))
		return exitProblems
	}

	p, assets, err := pass.Load(os.DirFS(folder))
	if err != nil {
		fmt.Fprintf(stderr, "passforge sign: %s: %s\n", safe(folder), errorText(err))
		return exitProblems
	}
	id, code, ok := loadIdentity(idFlags, p.PassTypeIdentifier, p.TeamIdentifier, "sign", stderr)
	if !ok {
		return code
	}

	// Report warnings (and, with --allow-invalid, errors) before signing.
	var ve *pass.ValidationError
	if errors.As(p.Validate(assets), &ve) {
		printProblems(stderr, ve)
	}
	size, err := writePkpassAtomic(*out, func(w io.Writer) error { return sign.Write(w, p, assets, id, signing.options()) })
	if err != nil {
		if errors.Is(err, sign.ErrInvalidPass) {
			fmt.Fprintf(stderr, "passforge sign: %s has validation errors (listed above); nothing written\n", safe(folder))
		} else {
			fmt.Fprintf(stderr, "passforge sign: %s\n", errorText(err))
		}
		return exitProblems
	}
	report := writtenReport{File: *out, SerialNumber: p.SerialNumber, PassTypeIdentifier: p.PassTypeIdentifier, TeamIdentifier: p.TeamIdentifier,
		Signer: id.Certificate.Subject.CommonName, Bytes: size}
	if report.DevelopmentCA, err = idFlags.saveDevelopmentCA(developmentCAFile(*out)); err != nil {
		fmt.Fprintf(stderr, "passforge sign: %s\n", errorText(err))
		return exitProblems
	}
	if err := report.print(stdout, *asJSON); err != nil {
		fmt.Fprintf(stderr, "passforge sign: %s\n", errorText(err))
		return exitProblems
	}
	return exitOK
}
