package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

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
                      --values FILE.csv|FILE.jsonl -o OUTDIR|FILE.zip [--format dir|zip|bundles] [--workers N] [--sha1] [--json]

Issues one signed pass per row of the values file from the template DIR (a
.pass folder or a .pkpass), on every core, into OUTDIR: one .pkpass per row
named after its serialNumber (--format dir, the default), one passes.zip
(--format zip) or .pkpasses bundles of up to 10 passes (--format bundles).
When -o names a .zip file, the zip is written there (--format zip is then
the default) and a --dev CA next to it as NAME-ca.pem. Files are written
through temporary files, never partially.

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

// bulkReport is the summary of a bulk run; --json prints it as is.
type bulkReport struct {
	// Output is the folder of the passes, or the passes.zip file with --format zip.
	Output          string        `json:"output"`
	Format          string        `json:"format"`
	Issued          int           `json:"issued"`
	Failed          int           `json:"failed"`
	Workers         int           `json:"workers"`
	ElapsedSeconds  float64       `json:"elapsedSeconds"`
	PassesPerSecond float64       `json:"passesPerSecond"`
	Failures        []bulkFailure `json:"failures"`
	// MoreFailures counts the failed rows left out of Failures.
	MoreFailures  int    `json:"moreFailures,omitempty"`
	DevelopmentCA string `json:"developmentCA,omitempty"`
	// Error is the error that stopped the run, if one did.
	Error string `json:"error,omitempty"`
}

// bulkFailure is a row that could not be issued.
type bulkFailure struct {
	// Row counts the records of the values file from 1 (the CSV header row is not counted).
	Row          int    `json:"row"`
	SerialNumber string `json:"serialNumber,omitempty"`
	Error        string `json:"error"`
}

func runBulk(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("bulk", bulkUsage, stderr)
	idFlags := addIdentityFlags(fs)
	tmplPath := addTemplateFlag(fs)
	valuesPath := fs.String("values", "", "the values: a .csv or .jsonl file (required)")
	out := fs.String("o", "", "the output folder, created if needed, or the .zip file of --format zip (required)")
	format := fs.String("format", "dir", "output: dir (one .pkpass per row), zip (one passes.zip) or bundles (.pkpasses of 10)")
	workers := addWorkersFlag(fs)
	signing := addSignFlags(fs, false)
	asJSON := fs.Bool("json", false, "print the summary (issued, failed rows with their reasons) as JSON")
	rest, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	switch {
	case len(rest) > 0:
		return usageError(fs, "unexpected arguments: %s", strings.Join(rest, " "))
	case *tmplPath == "" || *valuesPath == "" || *out == "":
		return usageError(fs, "want --template DIR, --values FILE and -o OUTDIR")
	case *format != "dir" && *format != "zip" && *format != "bundles":
		return usageError(fs, "--format is dir, zip or bundles")
	case *workers < 1 || *workers > template.MaxWorkers:
		return usageError(fs, "--workers must be from 1 to %d", template.MaxWorkers)
	}
	// -o passes.zip names the zip file itself (and asks for --format zip when no format is given); an
	// existing folder keeps being a folder, whatever its name.
	zipFile := ""
	if strings.EqualFold(filepath.Ext(*out), ".zip") {
		if fi, err := os.Stat(*out); err != nil || !fi.IsDir() {
			formatSet := false
			fs.Visit(func(f *flag.Flag) { formatSet = formatSet || f.Name == "format" })
			switch {
			case !formatSet:
				*format = "zip"
			case *format != "zip":
				return usageError(fs, "-o %s names a .zip file: use --format zip, or a folder for --format %s", *out, *format)
			}
			zipFile = *out
		}
	}
	ext := strings.ToLower(filepath.Ext(*valuesPath))
	if ext != ".csv" && ext != ".jsonl" && ext != ".ndjson" {
		return usageError(fs, "--values must be a .csv or .jsonl file")
	}

	fail := func(err error) int { return failure(stderr, "bulk", err) }
	tp, err := openDesign(*tmplPath, stderr)
	if err != nil {
		return fail(err)
	}
	for _, w := range tp.Warnings() {
		fmt.Fprintf(stderr, "warning: design: %s\n", safe(fmt.Sprint(w)))
	}
	id, code, ok := loadIdentity(idFlags, tp.PassTypeIdentifier(), tp.TeamIdentifier(), "bulk", stderr)
	if !ok {
		return code
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
		if msg, ok := staticBarcodeMessage(tp); ok && !slices.Contains(r.Columns(), template.ColumnBarcodeMessage) {
			fmt.Fprintf(stderr, "warning: every pass gets the design's barcode message %q; add a %s column if each pass needs its own\n",
				msg, template.ColumnBarcodeMessage)
		}
	} else {
		items = template.ReadJSONL(bufio.NewReaderSize(vf, 64<<10), nil)
	}

	dir := *out // the folder the passes, the zip and the development CA go into
	caFile := filepath.Join(dir, "dev-ca.pem")
	if zipFile != "" {
		dir = filepath.Dir(zipFile)
		caFile = strings.TrimSuffix(zipFile, filepath.Ext(zipFile)) + "-ca.pem"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(err)
	}
	var sink template.Sink
	var zipTmp *os.File
	report := bulkReport{Output: *out, Format: *format, Workers: *workers, Failures: []bulkFailure{}}
	switch *format {
	case "dir":
		sink = &template.DirSink{Dir: *out}
	case "bundles":
		sink = &template.BundleSink{Dir: *out}
	case "zip":
		report.Output = filepath.Join(*out, "passes.zip")
		if zipFile != "" {
			report.Output = zipFile
		}
		if zipTmp, err = os.CreateTemp(dir, "."+filepath.Base(report.Output)+".tmp-*"); err != nil {
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

	bar := newProgressBar(stderr, vf, size)
	if bar.on {
		bar.total = countRecords(*valuesPath, ext == ".csv")
	}
	sum, err := tp.Bulk(context.Background(), items, id, sink, &template.BulkOptions{
		Workers:     *workers,
		Sign:        signing.options(),
		MaxFailures: maxListedFailures,
		Progress:    bar.update,
		OnFailure: func(f template.Failure) {
			if len(report.Failures) < maxListedFailures {
				msg := strings.TrimPrefix(f.Err.Error(), "template: ")
				msg = strings.TrimPrefix(msg, fmt.Sprintf("pass %q: ", f.SerialNumber))
				report.Failures = append(report.Failures, bulkFailure{Row: f.Index + 1, SerialNumber: f.SerialNumber, Error: msg})
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
				err = os.Rename(zipTmp.Name(), report.Output)
			}
		}
		if err == nil {
			zipTmp = nil
		}
	}
	if err == nil {
		// The CA sits next to the passes, as OUTDIR/dev-ca.pem, or next to the zip -o names, as NAME-ca.pem.
		report.DevelopmentCA, err = idFlags.saveDevelopmentCA(caFile)
	}
	if err != nil {
		report.Error = err.Error()
	}
	if sum != nil {
		report.Issued, report.Failed = sum.Issued, sum.Failed
		report.MoreFailures = sum.Failed - len(report.Failures)
		report.ElapsedSeconds = sum.Elapsed.Seconds()
		if report.ElapsedSeconds > 0 {
			report.PassesPerSecond = float64(sum.Issued) / report.ElapsedSeconds
		}
		if *asJSON {
			if perr := printJSON(stdout, report); perr != nil && err == nil {
				err = perr
			}
		} else {
			report.print(stdout, stderr, sum.Elapsed)
		}
	}
	if err != nil {
		return fail(err)
	}
	if sum.Failed > 0 || sum.Issued == 0 {
		return exitProblems
	}
	return exitOK
}

// print writes the failed rows on stderr and the summary (and, for a development identity, how to verify the
// passes) on stdout.
func (r *bulkReport) print(stdout, stderr io.Writer, elapsed time.Duration) {
	for _, f := range r.Failures {
		fmt.Fprintf(stderr, "row %d%s: %s\n", f.Row, safe(serialNote(f.SerialNumber)), safe(f.Error))
	}
	if r.MoreFailures > 0 {
		fmt.Fprintf(stderr, "... and %d more failed rows\n", r.MoreFailures)
	}
	fmt.Fprintf(stdout, "issued %d passes into %s in %s (%.0f passes/s, %d workers); %d rows failed\n",
		r.Issued, r.Output, elapsed.Round(time.Millisecond), r.PassesPerSecond, r.Workers, r.Failed)
	if r.DevelopmentCA != "" {
		fmt.Fprintf(stdout, "development identity: Wallet will not accept these passes; verify them with: passforge verify --roots %s FILE.pkpass\n", r.DevelopmentCA)
	}
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

// isTerminal reports whether w (or the standard error a *commandStderr wraps) is a character device such as
// a terminal.
func isTerminal(w io.Writer) bool {
	if cs, ok := w.(*commandStderr); ok {
		w = cs.Writer
	}
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

// staticBarcodeMessage returns the barcode message of the design tp and true when it is the same on every pass
// that does not set barcodeMessage: passes of two different serial numbers and placeholder values get the same
// message. It returns false when the design has no barcode or cannot be built without more values.
func staticBarcodeMessage(tp *template.Template) (string, bool) {
	message := func(fill string) (string, bool) {
		ph := map[string]string{}
		for _, n := range tp.Placeholders() {
			ph[n] = fill
		}
		p, _, err := tp.Build(&template.Values{SerialNumber: fill, Placeholders: ph})
		switch {
		case err != nil:
			return "", false
		case len(p.Barcodes) > 0:
			return p.Barcodes[0].Message, true
		case p.Barcode != nil:
			return p.Barcode.Message, true
		}
		return "", false
	}
	a, okA := message("0")
	b, okB := message("1")
	return a, okA && okB && a == b
}
