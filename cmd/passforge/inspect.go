package main

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/passforge/passforge/internal/termsafe"
	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
)

func init() {
	register(&command{
		name:    "inspect",
		summary: "show a .pkpass: style, identifiers, fields, files, signer and signing time",
		run:     runInspect,
	})
}

const inspectUsage = `Usage: passforge inspect [--roots PEM] [--json] FILE.pkpass

Prints what a .pkpass holds: its style, identifiers, fields, files with their
sizes, and the signer and signing time. Problems that 'passforge verify' would
report are listed at the end; they do not change the exit status.

Exit status: 0 when the file could be read, 1 when it could not, 2 on usage
errors.

Example:
  passforge inspect coffee.pkpass
  passforge inspect --roots demo-ca.pem --json demo.pkpass

Flags:
`

func runInspect(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("inspect", inspectUsage, stderr)
	rootsFile := addRootsFlag(fs)
	asJSON := fs.Bool("json", false, "print a JSON report instead of text")
	files, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	if len(files) != 1 {
		return usageError(fs, "want exactly one FILE.pkpass, got %d", len(files))
	}
	name := files[0]
	pkg, verr, err := readPkpassWithRoots(name, *rootsFile)
	if err != nil {
		return failure(stderr, "inspect", err)
	}
	if pkg == nil {
		problems := verifyProblems(verr)
		if len(problems) == 0 {
			problems = append(problems, verifyProblem{Message: "not a readable .pkpass"})
		}
		for _, p := range problems {
			fmt.Fprintf(stderr, "passforge inspect: %s: %s\n", safe(name), safe(p.Message))
		}
		return exitProblems
	}

	r := newInspectReport(name, pkg, verr)
	if *asJSON {
		if err := printJSON(stdout, r); err != nil {
			return failure(stderr, "inspect", err)
		}
		return exitOK
	}
	if _, err := io.WriteString(stdout, r.text()); err != nil {
		return exitProblems
	}
	return exitOK
}

// inspectReport is what inspect shows of a .pkpass; --json prints it as is.
type inspectReport struct {
	File               string          `json:"file"`
	Style              string          `json:"style,omitempty"`
	PassTypeIdentifier string          `json:"passTypeIdentifier,omitempty"`
	TeamIdentifier     string          `json:"teamIdentifier,omitempty"`
	SerialNumber       string          `json:"serialNumber,omitempty"`
	OrganizationName   string          `json:"organizationName,omitempty"`
	Description        string          `json:"description,omitempty"`
	Fields             []inspectField  `json:"fields"`
	Barcodes           []pass.Barcode  `json:"barcodes"`
	Files              []inspectFile   `json:"files"`
	Signer             *inspectSigner  `json:"signer,omitempty"`
	Verified           bool            `json:"verified"`
	Problems           []verifyProblem `json:"problems"`
	passReadable       bool
}

// inspectField is one field of the pass, with the style and group it is in.
type inspectField struct {
	Style string     `json:"style"`
	Group string     `json:"group"`
	Key   string     `json:"key"`
	Label string     `json:"label,omitempty"`
	Value pass.Value `json:"value"`
}

// inspectFile is one file of the archive.
type inspectFile struct {
	Name string `json:"name"`
	Size int    `json:"size"`
}

// inspectSigner describes the signing certificate and the signature.
type inspectSigner struct {
	CommonName         string `json:"commonName"`
	UID                string `json:"uid"`
	OrganizationalUnit string `json:"organizationalUnit"`
	Issuer             string `json:"issuer"`
	NotBefore          string `json:"notBefore"`
	NotAfter           string `json:"notAfter"`
	SigningTime        string `json:"signingTime,omitempty"`
	Digest             string `json:"digest"`
}

func newInspectReport(name string, pkg *sign.Package, verr *sign.VerifyError) *inspectReport {
	r := &inspectReport{File: name, Fields: []inspectField{}, Barcodes: []pass.Barcode{}, Files: []inspectFile{}}
	if p := pkg.Pass; p != nil {
		r.passReadable = true
		r.Style = string(p.Style())
		if p.PosterGeneric != nil {
			r.Style += " + posterGeneric"
		}
		r.PassTypeIdentifier, r.TeamIdentifier, r.SerialNumber = p.PassTypeIdentifier, p.TeamIdentifier, p.SerialNumber
		r.OrganizationName, r.Description = p.OrganizationName, p.Description
		for _, s := range []pass.Style{pass.StyleBoardingPass, pass.StyleCoupon, pass.StyleEventTicket, pass.StyleGeneric, pass.StyleStoreCard, pass.StylePosterGeneric} {
			r.Fields = append(r.Fields, inspectFields(s, p.Fields(s))...)
		}
		r.Barcodes = append(r.Barcodes, p.Barcodes...)
	}
	for _, f := range pkg.Files {
		size := 0
		switch f {
		case sign.PassJSONName:
			size = len(pkg.PassJSON)
		case sign.ManifestName:
			size = len(pkg.ManifestJSON)
		case sign.SignatureName:
			size = len(pkg.SignatureDER)
		default:
			if d, ok := pkg.Assets.Get(f); ok {
				size = len(d)
			}
		}
		r.Files = append(r.Files, inspectFile{Name: f, Size: size})
	}
	if s := pkg.Signature; s != nil {
		r.Signer = &inspectSigner{
			CommonName:         s.Signer.Subject.CommonName,
			UID:                certUID(s.Signer),
			OrganizationalUnit: strings.Join(s.Signer.Subject.OrganizationalUnit, ", "),
			Issuer:             s.Signer.Issuer.CommonName,
			NotBefore:          s.Signer.NotBefore.UTC().Format(time.RFC3339),
			NotAfter:           s.Signer.NotAfter.UTC().Format(time.RFC3339),
			Digest:             s.Digest.String(),
		}
		if !s.SigningTime.IsZero() {
			r.Signer.SigningTime = s.SigningTime.UTC().Format(time.RFC3339)
		}
	}
	r.Problems = verifyProblems(verr)
	r.Verified = len(r.Problems) == 0
	return r
}

// text renders the report for people. Every string that comes from the file is escaped (see safe).
func (r *inspectReport) text() string {
	w := &strings.Builder{}
	fmt.Fprintf(w, "File:         %s\n", safe(r.File))
	if r.passReadable {
		style := r.Style
		if style == "" {
			style = "(none)"
		}
		fmt.Fprintf(w, "Style:        %s\n", safe(style))
		fmt.Fprintf(w, "Pass type:    %s\n", safe(r.PassTypeIdentifier))
		fmt.Fprintf(w, "Team:         %s\n", safe(r.TeamIdentifier))
		fmt.Fprintf(w, "Serial:       %s\n", safe(r.SerialNumber))
		fmt.Fprintf(w, "Organization: %s\n", safe(r.OrganizationName))
		fmt.Fprintf(w, "Description:  %s\n", safe(r.Description))
		for _, f := range r.Fields {
			label := f.Label
			if label != "" {
				label += ": "
			}
			fmt.Fprintf(w, "  %s.%s %s = %s%s\n", f.Style, f.Group, safe(f.Key), safe(label), safe(f.Value.String()))
		}
		for i, b := range r.Barcodes {
			fmt.Fprintf(w, "Barcode %d:    %s %s\n", i+1, safe(string(b.Format)), termsafe.Quote(b.Message))
		}
	} else {
		fmt.Fprintf(w, "pass.json:    unreadable\n")
	}
	fmt.Fprintf(w, "Files:\n")
	for _, f := range r.Files {
		fmt.Fprintf(w, "  %-32s %8d bytes\n", safe(f.Name), f.Size)
	}
	if s := r.Signer; s != nil {
		fmt.Fprintf(w, "Signer:       %s\n", safe(s.CommonName))
		fmt.Fprintf(w, "Signer UID:   %s\n", safe(s.UID))
		fmt.Fprintf(w, "Signer OU:    %s\n", safe(s.OrganizationalUnit))
		fmt.Fprintf(w, "Issuer:       %s\n", safe(s.Issuer))
		fmt.Fprintf(w, "Valid:        %s to %s\n", s.NotBefore, s.NotAfter)
		st := s.SigningTime
		if st == "" {
			st = "(none)"
		}
		fmt.Fprintf(w, "Signing time: %s\n", st)
		fmt.Fprintf(w, "Digest:       %s\n", s.Digest)
	} else {
		fmt.Fprintf(w, "Signer:       (signature unreadable)\n")
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(w, "Problems:\n")
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s\n", safe(p.Message))
		}
	} else {
		fmt.Fprintf(w, "Verified:     OK\n")
	}
	return w.String()
}

// inspectFields returns the fields of style s, group by group.
func inspectFields(s pass.Style, pf *pass.PassFields) []inspectField {
	if pf == nil {
		return nil
	}
	var out []inspectField
	for _, g := range []struct {
		name   string
		fields []pass.Field
	}{{"headerFields", pf.HeaderFields}, {"primaryFields", pf.PrimaryFields}, {"secondaryFields", pf.SecondaryFields},
		{"auxiliaryFields", pf.AuxiliaryFields}, {"backFields", pf.BackFields}, {"additionalInfoFields", pf.AdditionalInfoFields}, {"footerFields", pf.FooterFields}} {
		for _, f := range g.fields {
			out = append(out, inspectField{Style: string(s), Group: g.name, Key: f.Key, Label: f.Label, Value: f.Value})
		}
	}
	return out
}

// certUID returns the certificate subject's UID (the pass type identifier).
func certUID(c *x509.Certificate) string {
	for _, n := range c.Subject.Names {
		if n.Type.Equal(asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}) {
			if s, ok := n.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}
