package main

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/passforge/passforge/internal/termsafe"
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
	fs := newFlagSet("verify", verifyUsage, stderr)
	rootsFile := addRootsFlag(fs)
	at := fs.String("at", "now", "when to check the certificate chain: now, signing, or an RFC 3339 time")
	asJSON := fs.Bool("json", false, "print a JSON report instead of lines")
	files, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	if len(files) != 1 {
		return usageError(fs, "want exactly one FILE.pkpass, got %d", len(files))
	}
	var when sign.VerifyOptions
	switch *at {
	case "now", "":
	case "signing":
		when.AtSigningTime = true
	default:
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return usageError(fs, "--at %q: want now, signing or an RFC 3339 time such as 2026-01-02T15:04:05Z", *at)
		}
		when.At = t
	}
	opts, err := verifyOptions(*rootsFile)
	if err != nil {
		return failure(stderr, "verify", err)
	}
	opts.At, opts.AtSigningTime = when.At, when.AtSigningTime

	name := files[0]
	pkg, err := readPkpass(name, opts)
	report := verifyReport{File: name, Problems: []verifyProblem{}}
	if err != nil {
		var verr *sign.VerifyError
		if !errors.As(err, &verr) {
			return failure(stderr, "verify", err)
		}
		report.Problems = verifyProblems(verr)
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
		if err := printJSON(stdout, report); err != nil {
			return failure(stderr, "verify", err)
		}
	} else if report.OK {
		fmt.Fprintf(stdout, "%s: OK (%s, serial %s, signed by %s at %s)\n", safe(name), safe(report.PassTypeIdentifier),
			safe(report.SerialNumber), termsafe.Quote(report.Signer), report.SigningTime)
	} else {
		for _, p := range report.Problems {
			fmt.Fprintf(stdout, "%s: %s\n", safe(name), safe(p.Message))
		}
	}
	if !report.OK {
		return exitProblems
	}
	return exitOK
}

// verifyProblems returns the problems of verr with their kinds, for the reports of verify and inspect.
func verifyProblems(verr *sign.VerifyError) []verifyProblem {
	problems := []verifyProblem{}
	if verr != nil {
		for _, p := range verr.Problems {
			problems = append(problems, verifyProblem{Kind: problemKind(p), Message: p.Error()})
		}
	}
	return problems
}

// readPkpassWithRoots reads the .pkpass name with the roots of the --roots file rootsFile (the embedded Apple
// Root CA when it is ""). Verification problems come back as verr, with the package when it could be read;
// err is about reading the file or the roots.
func readPkpassWithRoots(name, rootsFile string) (pkg *sign.Package, verr *sign.VerifyError, err error) {
	opts, err := verifyOptions(rootsFile)
	if err != nil {
		return nil, nil, err
	}
	pkg, err = readPkpass(name, opts)
	if err != nil && !errors.As(err, &verr) {
		return nil, nil, err
	}
	return pkg, verr, nil
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
