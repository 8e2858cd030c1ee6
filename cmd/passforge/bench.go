package main

import (
	"bytes"
	"context"
	"errors"
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

const benchUsage = `Usage: passforge bench --template DIR [--p12 FILE | --cert PEM --key PEM | --dev] [--wwdr PEM]
                       [-n N] [--workers W] [--sha1] [--field KEY] [--cpuprofile FILE] [--memprofile FILE] [--json]

Issues N signed passes from the template DIR (a .pass folder or a .pkpass)
into memory on W goroutines and reports the rate. Each pass gets a distinct
serialNumber (SN-<i>), its own value for one member field (--field, if the
design has it) and its own barcode message (MEMBER-<i>, if the design has a
barcode), like the pass-js and passkit-generator anchors of the comparison
script. Loading the template and the identity is not timed. The last line is
"passes/s: <rate>"; --json prints a JSON report instead. Profiles are written
through temporary files, never partially.

Exit status: 0 on success, 1 when a pass could not be issued (or a profile
could not be written), 2 on usage errors.

Example:
  passforge bench --template storecard.pass --cert signer.pem --key signer.key --wwdr wwdr.pem -n 1000 --workers 2
  passforge bench --template storecard.pass --dev -n 200 --cpuprofile cpu.out --json

Flags:
`

// benchReport is what bench measured; --json prints it as is.
type benchReport struct {
	Template        string  `json:"template"`
	Files           int     `json:"files"`
	Signer          string  `json:"signer"`
	Passes          int     `json:"passes"`
	BytesPerPass    int64   `json:"bytesPerPass"`
	Workers         int     `json:"workers"`
	CPUs            int     `json:"cpus"`
	ElapsedSeconds  float64 `json:"elapsedSeconds"`
	PassesPerSecond float64 `json:"passesPerSecond"`
	CPUProfile      string  `json:"cpuProfile,omitempty"`
	MemProfile      string  `json:"memProfile,omitempty"`
}

func runBench(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("bench", benchUsage, stderr)
	idFlags := addIdentityFlags(fs)
	tmplPath := addTemplateFlag(fs)
	n := fs.Int("n", 1000, "number of passes to issue")
	workers := addWorkersFlag(fs)
	signing := addSignFlags(fs, false)
	field := fs.String("field", "member", "the field key that gets a per-pass value")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the issuance to this file")
	memProfile := fs.String("memprofile", "", "write an allocation profile to this file at the end")
	asJSON := fs.Bool("json", false, "print a JSON report instead of lines")
	rest, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	switch {
	case len(rest) > 0:
		return usageError(fs, "unexpected arguments: %s", strings.Join(rest, " "))
	case *tmplPath == "":
		return usageError(fs, "want --template DIR")
	case *n < 1:
		return usageError(fs, "-n must be at least 1")
	case *workers < 1 || *workers > template.MaxWorkers:
		return usageError(fs, "--workers must be from 1 to %d", template.MaxWorkers)
	}
	fail := func(err error) int { return failure(stderr, "bench", err) }
	tp, err := openDesign(*tmplPath, stderr)
	if err != nil {
		return fail(err)
	}
	id, code, ok := loadIdentity(idFlags, tp.PassTypeIdentifier(), tp.TeamIdentifier(), "bench", stderr)
	if !ok {
		return code
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

	// The CPU profile is collected in memory and written once profiling has stopped, like any other output.
	var cpu bytes.Buffer
	if *cpuProfile != "" {
		if err := pprof.StartCPUProfile(&cpu); err != nil {
			return fail(fmt.Errorf("--cpuprofile: %w", err))
		}
	}
	sink := &template.CountSink{}
	sum, err := tp.Bulk(context.Background(), func(yield func(*template.Values, error) bool) {
		for i := range *n {
			if !yield(values(i), nil) {
				return
			}
		}
	}, id, sink, &template.BulkOptions{Workers: *workers, Sign: signing.options()})
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return fail(err)
	}
	if sum.Failed > 0 {
		return fail(fmt.Errorf("%d passes failed, the first: %v", sum.Failed, sum.Failures[0]))
	}
	if *cpuProfile != "" {
		if err := writeFileAtomic(*cpuProfile, func(f *os.File) error { _, err := f.Write(cpu.Bytes()); return err }); err != nil {
			return fail(fmt.Errorf("--cpuprofile: %w", err))
		}
	}
	if *memProfile != "" {
		if err := writeFileAtomic(*memProfile, func(f *os.File) error { return pprof.Lookup("allocs").WriteTo(f, 0) }); err != nil {
			return fail(fmt.Errorf("--memprofile: %w", err))
		}
	}
	passes, size := sink.Counts()
	r := benchReport{Template: *tmplPath, Files: len(tp.Files()) + 1, Signer: id.Certificate.Subject.CommonName,
		Passes: passes, Workers: *workers, CPUs: runtime.NumCPU(), ElapsedSeconds: sum.Elapsed.Seconds(),
		CPUProfile: *cpuProfile, MemProfile: *memProfile}
	if passes > 0 {
		r.BytesPerPass = size / int64(passes)
	}
	if r.ElapsedSeconds > 0 {
		r.PassesPerSecond = float64(passes) / r.ElapsedSeconds
	}
	if *asJSON {
		if err := printJSON(stdout, r); err != nil {
			return fail(err)
		}
		return exitOK
	}
	fmt.Fprintf(stdout, "template: %s (%d files, signed by %q)\n", r.Template, r.Files, r.Signer)
	fmt.Fprintf(stdout, "issued %d passes (%.0f KiB each) in %s with %d workers on %d CPUs\n",
		passes, float64(r.BytesPerPass)/1024, sum.Elapsed.Round(time.Millisecond), r.Workers, r.CPUs)
	fmt.Fprintf(stdout, "passes/s: %.1f\n", r.PassesPerSecond)
	return exitOK
}
