package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/template"
)

func init() {
	register(&command{
		name:    "bulk",
		summary: "issue signed passes from a template and a CSV or JSON Lines file",
		run:     runBulk,
	})
}

const bulkUsage = `Usage: passforge bulk --template DIR [--p12 FILE | --cert PEM --key PEM | --dev] [--wwdr PEM]
                      --values FILE.csv|FILE.jsonl -o OUTDIR [--format dir|zip|bundles] [--workers N]

Issues one signed pass per row of the values file from the template DIR (a
.pass folder or a .pkpass), on every core, into OUTDIR: one .pkpass per row
named after its serialNumber (--format dir, the default), one passes.zip
(--format zip) or .pkpasses bundles of up to 10 passes (--format bundles).
Files are written through temporary files, never partially.

CSV: a header row, then one pass per row. Columns: serialNumber (required);
barcodeMessage, barcodeAltText, backgroundColor, foregroundColor, labelColor,
expirationDate, relevantDate, voided, webServiceURL, authenticationToken,
nfcMessage, userInfo; "<lang>:<key>" for a localized value; a name ending in
.png for a per-pass image (the cell is a path relative to the CSV's folder);
any other column is a field key of the design and/or a {{placeholder}}.
JSON Lines: one object per line with the keys serialNumber, fields,
placeholders, barcodeMessage, images (base64), localized, ...

A row that fails (missing value, invalid pass) does not stop the others; the
failed rows are listed with their reasons at the end. A progress bar is shown
when stderr is a terminal.

Exit status: 0 when every row was issued, 1 when a row failed or nothing
could be issued, 2 on usage errors.

Example:
  passforge bulk --template coffee.pass --p12 Certificates.p12 --values members.csv -o passes/
  passforge bulk --template coffee.pass --dev --values members.jsonl -o out --format bundles

Flags:
`

// maxListedFailures caps the failed rows kept for the final list.
const maxListedFailures = 1000

func runBulk(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bulk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	idFlags := addIdentityFlags(fs)
	tmplPath := fs.String("template", "", "the design: a .pass folder or a .pkpass (required)")
	valuesPath := fs.String("values", "", "the values: a .csv or .jsonl file (required)")
	out := fs.String("o", "", "the output folder, created if needed (required)")
	format := fs.String("format", "dir", "output: dir (one .pkpass per row), zip (one passes.zip) or bundles (.pkpasses of 10)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "passes issued at the same time")
	sha1 := fs.Bool("sha1", false, "use SHA-1 as the signature digest instead of SHA-256")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), bulkUsage)
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
		fmt.Fprintln(stderr, "passforge bulk: "+msg)
		fmt.Fprintln(stderr)
		fs.Usage()
		return exitUsage
	}
	switch {
	case len(rest) > 0:
		return usageErr("unexpected arguments: " + strings.Join(rest, " "))
	case *tmplPath == "" || *valuesPath == "" || *out == "":
		return usageErr("want --template DIR, --values FILE and -o OUTDIR")
	case *format != "dir" && *format != "zip" && *format != "bundles":
		return usageErr("--format is dir, zip or bundles")
	case *workers < 1:
		return usageErr("--workers must be at least 1")
	}
	ext := strings.ToLower(filepath.Ext(*valuesPath))
	if ext != ".csv" && ext != ".jsonl" && ext != ".ndjson" {
		return usageErr("--values must be a .csv or .jsonl file")
	}

	fail := func(err error) int {
		fmt.Fprintf(stderr, "passforge bulk: %v\n", err)
		return exitProblems
	}
	tp, err := template.Open(*tmplPath)
	if err != nil {
		return fail(err)
	}
	for _, w := range tp.Warnings() {
		fmt.Fprintf(stderr, "warning: design: %s\n", w)
	}
	id, err := idFlags.load(tp.PassTypeIdentifier(), tp.TeamIdentifier())
	if err != nil {
		fmt.Fprintf(stderr, "passforge bulk: %v\n", err)
		if isIdentityUsage(err) {
			return exitUsage
		}
		return exitProblems
	}
	for _, n := range id.Check(time.Now()) {
		fmt.Fprintf(stderr, "warning: %s\n", n)
	}

	f, err := os.Open(*valuesPath)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	vf := &countingReader{r: f}
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	var items iter.Seq2[*template.Values, error]
	if ext == ".csv" {
		r, err := template.NewCSVReader(bufio.NewReaderSize(vf, 64<<10), tp, &template.CSVOptions{Files: os.DirFS(filepath.Dir(*valuesPath))})
		if err != nil {
			return fail(fmt.Errorf("%s: %w", *valuesPath, err))
		}
		items = r.All()
	} else {
		items = template.ReadJSONL(bufio.NewReaderSize(vf, 64<<10), nil)
	}

	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fail(err)
	}
	var sink template.Sink
	var zipTmp *os.File
	zipName := filepath.Join(*out, "passes.zip")
	switch *format {
	case "dir":
		sink = &template.DirSink{Dir: *out}
	case "bundles":
		sink = &template.BundleSink{Dir: *out}
	case "zip":
		if zipTmp, err = os.CreateTemp(*out, ".passes.zip.tmp-*"); err != nil {
			return fail(err)
		}
		defer func() {
			if zipTmp != nil {
				zipTmp.Close()
				os.Remove(zipTmp.Name())
			}
		}()
		sink = template.NewZipSink(zipTmp)
	}

	opts := &sign.Options{}
	if *sha1 {
		opts.Digest = crypto.SHA1
	}
	bar := newProgressBar(stderr, vf, size)
	if bar.on {
		bar.total = countRecords(*valuesPath, ext == ".csv")
	}
	var failures []template.Failure
	sum, err := tp.Bulk(context.Background(), items, id, sink, &template.BulkOptions{
		Workers:     *workers,
		Sign:        opts,
		MaxFailures: maxListedFailures,
		Progress:    bar.update,
		OnFailure: func(f template.Failure) {
			if len(failures) < maxListedFailures {
				failures = append(failures, f)
			}
		},
	})
	bar.finish()
	if cerr := sink.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err == nil && zipTmp != nil {
		if err = zipTmp.Chmod(0o644); err == nil {
			if err = zipTmp.Close(); err == nil {
				err = os.Rename(zipTmp.Name(), zipName)
			}
		}
		if err == nil {
			zipTmp = nil
		}
	}
	if sum != nil {
		for _, f := range failures {
			msg := strings.TrimPrefix(f.Err.Error(), "template: ")
			msg = strings.TrimPrefix(msg, fmt.Sprintf("pass %q: ", f.SerialNumber))
			fmt.Fprintf(stderr, "row %d%s: %s\n", f.Index+1, serialNote(f.SerialNumber), msg)
		}
		if sum.Failed > len(failures) {
			fmt.Fprintf(stderr, "... and %d more failed rows\n", sum.Failed-len(failures))
		}
		rate := 0.0
		if s := sum.Elapsed.Seconds(); s > 0 {
			rate = float64(sum.Issued) / s
		}
		where := *out
		if *format == "zip" {
			where = zipName
		}
		fmt.Fprintf(stdout, "issued %d passes into %s in %s (%.0f passes/s, %d workers); %d rows failed\n",
			sum.Issued, where, sum.Elapsed.Round(time.Millisecond), rate, *workers, sum.Failed)
	}
	if err != nil {
		return fail(err)
	}
	if idFlags.devIdentity != nil {
		caFile := filepath.Join(*out, "dev-ca.pem")
		if err := writeFileAtomic(caFile, func(f *os.File) error {
			_, err := f.Write(idFlags.devIdentity.CAPEM())
			return err
		}); err != nil {
			return fail(fmt.Errorf("saving the development CA: %w", err))
		}
		fmt.Fprintf(stdout, "development identity: Wallet will not accept these passes; verify them with: passforge verify --roots %s FILE.pkpass\n", caFile)
	}
	if sum.Failed > 0 || sum.Issued == 0 {
		return exitProblems
	}
	return exitOK
}

func serialNote(serial string) string {
	if serial == "" {
		return ""
	}
	return fmt.Sprintf(" (serial %q)", serial)
}

// countingReader counts the bytes read through it; the progress bar reads
// the count from another goroutine.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// progressBar draws a one-line progress bar on a terminal and nothing
// otherwise. It follows the rows done out of the rows counted in the values
// file beforehand, or else the share of the file read so far.
type progressBar struct {
	w     io.Writer
	on    bool
	in    *countingReader
	size  int64
	total int // records in the values file, when counted
	start time.Time
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer, in *countingReader, size int64) *progressBar {
	return &progressBar{w: w, on: isTerminal(w), in: in, size: size, start: time.Now()}
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (b *progressBar) update(p template.Progress) {
	if !b.on {
		return
	}
	now := time.Now()
	if now.Sub(b.last) < 100*time.Millisecond {
		return
	}
	b.last = now
	done := p.Issued + p.Failed
	rate := float64(done) / now.Sub(b.start).Seconds()
	frac := 1.0
	switch {
	case b.total > 0:
		frac = min(float64(done)/float64(b.total), 1)
	case b.size > 0:
		frac = min(float64(b.in.n.Load())/float64(b.size), 1)
	}
	const width = 30
	full := int(frac * width)
	fmt.Fprintf(b.w, "\r[%s%s] %3.0f%% %d issued, %d failed, %.0f passes/s ",
		strings.Repeat("#", full), strings.Repeat("-", width-full), 100*frac, p.Issued, p.Failed, rate)
	b.drawn = true
}

// countRecords counts the lines of the values file that hold a record: every
// non-blank line, less the CSV header. A quoted CSV cell spanning lines makes
// it an estimate, which is all a progress bar needs. It returns 0 when the
// file cannot be read.
func countRecords(name string, csv bool) int {
	f, err := os.Open(name)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), template.MaxRecordSize)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			n++
		}
	}
	if csv && n > 0 {
		n--
	}
	return n
}

func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
	}
}
