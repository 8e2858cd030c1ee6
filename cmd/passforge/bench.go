package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/template"
)

func init() {
	register(&command{
		name:    "bench",
		summary: "measure how many signed passes per second a template issues",
		run:     runBench,
	})
}

const benchUsage = `Usage: passforge bench -template DIR [-p12 FILE | -cert PEM -key PEM | -dev] [-wwdr PEM] [-n N] [-workers W]

Issues N signed passes from the template DIR (a .pass folder or a .pkpass)
into memory on W goroutines and reports the rate. Each pass gets a distinct
serialNumber (SN-<i>), its own value for one member field (-field, if the
design has it) and its own barcode message (MEMBER-<i>, if the design has a
barcode), like the pass-js and passkit-generator anchors of the comparison
script. Loading the template and the identity is not timed. The last line is
"passes/s: <rate>".

Exit status: 0 on success, 1 when a pass could not be issued, 2 on usage
errors.

Example:
  passforge bench -template storecard.pass -cert signer.pem -key signer.key -wwdr wwdr.pem -n 1000 -workers 2
  passforge bench -template storecard.pass -dev -n 200 -cpuprofile cpu.out

Flags:
`

func runBench(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	idFlags := addIdentityFlags(fs)
	tmplPath := fs.String("template", "", "the design: a .pass folder or a .pkpass (required)")
	n := fs.Int("n", 1000, "number of passes to issue")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "passes issued at the same time")
	field := fs.String("field", "member", "the field key that gets a per-pass value")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the issuance to this file")
	memProfile := fs.String("memprofile", "", "write an allocation profile to this file at the end")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), benchUsage)
		fs.PrintDefaults()
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	usageErr := func(msg string) int {
		fmt.Fprintln(stderr, "passforge bench: "+msg)
		fmt.Fprintln(stderr)
		fs.Usage()
		return exitUsage
	}
	switch {
	case len(rest) > 0:
		return usageErr("unexpected arguments: " + strings.Join(rest, " "))
	case *tmplPath == "":
		return usageErr("want -template DIR")
	case *n < 1:
		return usageErr("-n must be at least 1")
	case *workers < 1:
		return usageErr("-workers must be at least 1")
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "passforge bench: %v\n", err)
		return exitProblems
	}
	tp, err := template.Open(*tmplPath)
	if err != nil {
		return fail(err)
	}
	id, err := idFlags.load(tp.PassTypeIdentifier(), tp.TeamIdentifier())
	if err != nil {
		fmt.Fprintf(stderr, "passforge bench: %v\n", err)
		if isIdentityUsage(err) {
			return exitUsage
		}
		return exitProblems
	}

	// Per-pass values as in the anchors: serial, one field, the barcode.
	hasField := false
	for _, k := range tp.FieldKeys() {
		hasField = hasField || k == *field
	}
	placeholders := tp.Placeholders()
	values := func(i int) *template.Values {
		v := &template.Values{SerialNumber: fmt.Sprintf("SN-%d", i), BarcodeMessage: fmt.Sprintf("MEMBER-%d", i)}
		for _, name := range placeholders {
			if v.Placeholders == nil {
				v.Placeholders = map[string]string{}
			}
			v.Placeholders[name] = fmt.Sprintf("%s %d", name, i)
		}
		if hasField {
			v.Fields = map[string]pass.Value{*field: pass.String(fmt.Sprintf("Member %d", i))}
		}
		return v
	}
	if _, _, err := tp.Build(values(0)); errors.Is(err, template.ErrUnknownField) {
		inner := values
		values = func(i int) *template.Values { v := inner(i); v.BarcodeMessage = ""; return v }
	}
	if _, _, err := tp.Build(values(0)); err != nil {
		return fail(err)
	}
	if !hasField {
		fmt.Fprintf(stderr, "note: the design has no %q field; only serialNumber and barcode change per pass\n", *field)
	}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	sink := &template.CountSink{}
	sum, err := tp.Bulk(context.Background(), func(yield func(*template.Values, error) bool) {
		for i := range *n {
			if !yield(values(i), nil) {
				return
			}
		}
	}, id, sink, &template.BulkOptions{Workers: *workers})
	if err != nil {
		return fail(err)
	}
	if sum.Failed > 0 {
		return fail(fmt.Errorf("%d passes failed, the first: %v", sum.Failed, sum.Failures[0]))
	}
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return fail(err)
		}
	}
	passes, bytes := sink.Counts()
	secs := sum.Elapsed.Seconds()
	fmt.Fprintf(stdout, "template: %s (%d files, signed by %q)\n", *tmplPath, len(tp.Files())+1, id.Certificate.Subject.CommonName)
	fmt.Fprintf(stdout, "issued %d passes (%.0f KiB each) in %s with %d workers on %d CPUs\n",
		passes, float64(bytes)/float64(passes)/1024, sum.Elapsed.Round(time.Millisecond), *workers, runtime.NumCPU())
	fmt.Fprintf(stdout, "passes/s: %.1f\n", float64(passes)/secs)
	return exitOK
}
