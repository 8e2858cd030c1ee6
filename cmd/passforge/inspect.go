package main

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

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

const inspectUsage = `Usage: passforge inspect [--roots PEM] FILE.pkpass

Prints what a .pkpass holds: its style, identifiers, fields, files with their
sizes, and the signer and signing time. Problems that 'passforge verify' would
report are listed at the end; they do not change the exit status.

Exit status: 0 when the file could be read, 1 when it could not, 2 on usage
errors.

Example:
  passforge inspect coffee.pkpass

Flags:
`

func runInspect(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rootsFile := fs.String("roots", "", "PEM file of trusted root certificates (default: the embedded Apple Root CA)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), inspectUsage)
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
		fmt.Fprintf(stderr, "passforge inspect: want exactly one FILE.pkpass, got %d\n\n", len(files))
		fs.Usage()
		return exitUsage
	}
	opts := &sign.VerifyOptions{}
	if *rootsFile != "" {
		if opts.Roots, err = loadRootsPEM(*rootsFile); err != nil {
			fmt.Fprintf(stderr, "passforge inspect: %v\n", err)
			return exitProblems
		}
	}
	name := files[0]
	pkg, err := readPkpass(name, opts)
	var verr *sign.VerifyError
	if err != nil && !errors.As(err, &verr) {
		fmt.Fprintf(stderr, "passforge inspect: %v\n", err)
		return exitProblems
	}
	if pkg == nil {
		for _, p := range verr.Problems {
			fmt.Fprintf(stderr, "passforge inspect: %v\n", p)
		}
		return exitProblems
	}

	w := &strings.Builder{}
	fmt.Fprintf(w, "File:         %s\n", name)
	if p := pkg.Pass; p != nil {
		style := string(p.Style())
		if p.PosterGeneric != nil {
			style += " + posterGeneric"
		}
		if style == "" {
			style = "(none)"
		}
		fmt.Fprintf(w, "Style:        %s\n", style)
		fmt.Fprintf(w, "Pass type:    %s\n", p.PassTypeIdentifier)
		fmt.Fprintf(w, "Team:         %s\n", p.TeamIdentifier)
		fmt.Fprintf(w, "Serial:       %s\n", p.SerialNumber)
		fmt.Fprintf(w, "Organization: %s\n", p.OrganizationName)
		fmt.Fprintf(w, "Description:  %s\n", p.Description)
		for _, s := range []pass.Style{pass.StyleBoardingPass, pass.StyleCoupon, pass.StyleEventTicket, pass.StyleGeneric, pass.StyleStoreCard, pass.StylePosterGeneric} {
			inspectFields(w, s, p.Fields(s))
		}
		for i, b := range p.Barcodes {
			fmt.Fprintf(w, "Barcode %d:    %s %q\n", i+1, b.Format, b.Message)
		}
	} else {
		fmt.Fprintf(w, "pass.json:    unreadable\n")
	}
	fmt.Fprintf(w, "Files:\n")
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
		fmt.Fprintf(w, "  %-32s %8d bytes\n", f, size)
	}
	if s := pkg.Signature; s != nil {
		fmt.Fprintf(w, "Signer:       %s\n", s.Signer.Subject.CommonName)
		fmt.Fprintf(w, "Signer UID:   %s\n", certUID(s.Signer))
		fmt.Fprintf(w, "Signer OU:    %s\n", strings.Join(s.Signer.Subject.OrganizationalUnit, ", "))
		fmt.Fprintf(w, "Issuer:       %s\n", s.Signer.Issuer.CommonName)
		fmt.Fprintf(w, "Valid:        %s to %s\n", s.Signer.NotBefore.UTC().Format(time.RFC3339), s.Signer.NotAfter.UTC().Format(time.RFC3339))
		st := "(none)"
		if !s.SigningTime.IsZero() {
			st = s.SigningTime.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(w, "Signing time: %s\n", st)
		fmt.Fprintf(w, "Digest:       %s\n", s.Digest)
	} else {
		fmt.Fprintf(w, "Signer:       (signature unreadable)\n")
	}
	if verr != nil {
		fmt.Fprintf(w, "Problems:\n")
		for _, p := range verr.Problems {
			fmt.Fprintf(w, "  %v\n", p)
		}
	} else {
		fmt.Fprintf(w, "Verified:     OK\n")
	}
	if _, err := io.WriteString(stdout, w.String()); err != nil {
		return exitProblems
	}
	return exitOK
}

func inspectFields(w io.Writer, s pass.Style, pf *pass.PassFields) {
	if pf == nil {
		return
	}
	for _, g := range []struct {
		name   string
		fields []pass.Field
	}{{"header", pf.HeaderFields}, {"primary", pf.PrimaryFields}, {"secondary", pf.SecondaryFields},
		{"auxiliary", pf.AuxiliaryFields}, {"back", pf.BackFields}, {"additionalInfo", pf.AdditionalInfoFields}, {"footer", pf.FooterFields}} {
		for _, f := range g.fields {
			label := f.Label
			if label != "" {
				label += ": "
			}
			fmt.Fprintf(w, "  %s.%sFields %s = %s%s\n", s, g.name, f.Key, label, f.Value.String())
		}
	}
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
