package main

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/passforge/passforge/sign"
)

func init() {
	register(&command{
		name:    "verify",
		summary: "verify a .pkpass: archive, manifest, signature, chain and identifiers",
		run:     runVerify,
	})
}

const verifyUsage = `Usage: passforge verify [--roots PEM] [--at now|signing|RFC3339] [--json] FILE.pkpass

Verifies a signed pass: zip limits and safe paths, every file listed in
manifest.json with the right SHA-1 and none extra, the signature over
manifest.json, the signer's chain to Apple Root CA (or to the roots in
--roots), and the certificate's UID and OU against passTypeIdentifier and
teamIdentifier. --at chooses when the chain is checked: now (default), at the
signature's signing time (for old passes), or at an RFC 3339 time.

Exit status: 0 when everything checks out, 1 with one line per problem
otherwise, 2 on usage errors.

Example:
  passforge verify coffee.pkpass
  passforge verify --roots demo-ca.pem --json demo.pkpass

Flags:
`

// maxPkpassFile bounds the .pkpass files the commands open.
const maxPkpassFile = 256 << 20

// verifyKinds names each sentinel in --json output, most specific first.
var verifyKinds = []struct {
	err  error
	kind string
}{
	{sign.ErrUnsafePath, "unsafe_path"},
	{sign.ErrLimit, "limit"},
	{sign.ErrArchive, "archive"},
	{sign.ErrMissingFile, "missing_file"},
	{sign.ErrExtraFile, "extra_file"},
	{sign.ErrDigestMismatch, "digest_mismatch"},
	{sign.ErrManifest, "manifest"},
	{sign.ErrPassJSON, "pass_json"},
	{sign.ErrSignature, "signature"},
	{sign.ErrChain, "chain"},
	{sign.ErrIdentifierMismatch, "identifier_mismatch"},
}

func problemKind(err error) string {
	for _, k := range verifyKinds {
		if errors.Is(err, k.err) {
			return k.kind
		}
	}
	return "other"
}

type verifyProblem struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

type verifyReport struct {
	File               string          `json:"file"`
	OK                 bool            `json:"ok"`
	PassTypeIdentifier string          `json:"passTypeIdentifier,omitempty"`
	TeamIdentifier     string          `json:"teamIdentifier,omitempty"`
	SerialNumber       string          `json:"serialNumber,omitempty"`
	Signer             string          `json:"signer,omitempty"`
	SigningTime        string          `json:"signingTime,omitempty"`
	Digest             string          `json:"digest,omitempty"`
	VerifiedAt         string          `json:"verifiedAt,omitempty"`
	Problems           []verifyProblem `json:"problems"`
}

func runVerify(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rootsFile := fs.String("roots", "", "PEM file of trusted root certificates (default: the embedded Apple Root CA)")
	at := fs.String("at", "now", "when to check the certificate chain: now, signing, or an RFC 3339 time")
	asJSON := fs.Bool("json", false, "print a JSON report instead of lines")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), verifyUsage)
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "passforge verify: want exactly one FILE.pkpass, got %d\n\n", len(files))
		fs.Usage()
		return exitUsage
	}
	opts := &sign.VerifyOptions{}
	switch *at {
	case "now", "":
	case "signing":
		opts.AtSigningTime = true
	default:
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			fmt.Fprintf(stderr, "passforge verify: --at %q: want now, signing or an RFC 3339 time such as 2026-01-02T15:04:05Z\n", *at)
			return exitUsage
		}
		opts.At = t
	}
	if *rootsFile != "" {
		pool, err := loadRootsPEM(*rootsFile)
		if err != nil {
			fmt.Fprintf(stderr, "passforge verify: %v\n", err)
			return exitProblems
		}
		opts.Roots = pool
	}

	name := files[0]
	pkg, err := readPkpass(name, opts)
	report := verifyReport{File: name, Problems: []verifyProblem{}}
	if err != nil {
		var verr *sign.VerifyError
		if !errors.As(err, &verr) {
			fmt.Fprintf(stderr, "passforge verify: %v\n", err)
			return exitProblems
		}
		for _, p := range verr.Problems {
			report.Problems = append(report.Problems, verifyProblem{Kind: problemKind(p), Message: p.Error()})
		}
	}
	report.OK = len(report.Problems) == 0
	if pkg != nil {
		if pkg.Pass != nil {
			report.PassTypeIdentifier, report.TeamIdentifier, report.SerialNumber = pkg.Pass.PassTypeIdentifier, pkg.Pass.TeamIdentifier, pkg.Pass.SerialNumber
		}
		if s := pkg.Signature; s != nil {
			report.Signer = s.Signer.Subject.CommonName
			report.Digest = s.Digest.String()
			if !s.SigningTime.IsZero() {
				report.SigningTime = s.SigningTime.UTC().Format(time.RFC3339)
			}
		}
		if !pkg.VerifiedAt.IsZero() {
			report.VerifiedAt = pkg.VerifiedAt.UTC().Format(time.RFC3339)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintf(stderr, "passforge verify: %v\n", err)
			return exitProblems
		}
	} else if report.OK {
		fmt.Fprintf(stdout, "%s: OK (%s, serial %s, signed by %q at %s)\n", name, report.PassTypeIdentifier, report.SerialNumber, report.Signer, report.SigningTime)
	} else {
		for _, p := range report.Problems {
			fmt.Fprintf(stdout, "%s: %s\n", name, p.Message)
		}
	}
	if !report.OK {
		return exitProblems
	}
	return exitOK
}

// readPkpass opens a .pkpass file and reads it with sign.Read.
func readPkpass(name string, opts *sign.VerifyOptions) (*sign.Package, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a .pkpass file", name)
	}
	if fi.Size() > maxPkpassFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, maxPkpassFile)
	}
	return sign.Read(f, fi.Size(), opts)
}

// loadRootsPEM reads a PEM file of trusted root certificates.
func loadRootsPEM(name string) (*x509.CertPool, error) {
	data, err := readIdentityFile("--roots", name)
	if err != nil {
		return nil, err
	}
	certs, err := sign.ParseCertificatesPEM(data)
	if err != nil {
		return nil, fmt.Errorf("--roots %s: %w", name, err)
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}
