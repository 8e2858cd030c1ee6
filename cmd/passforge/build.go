package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/passforge/passforge/internal/termsafe"
	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/template"
)

func init() {
	register(&command{
		name:    "build",
		summary: "build one signed .pkpass from a template and its values",
		run:     runBuild,
	})
}

const buildUsage = `Usage: passforge build --template DIR [--p12 FILE | --cert PEM --key PEM | --dev] [--wwdr PEM]
                       (--values FILE.json | --set KEY=VALUE ...) [--sha1] [--allow-invalid] [--json] -o OUT.pkpass

Fills the template DIR (a pass folder made by 'passforge new', or a .pkpass)
with the values of one pass, validates the result and signs it into
OUT.pkpass. The file is written through a temporary file: never partially.

--values FILE.json is one JSON object with the keys of a 'passforge bulk'
JSON Lines row: serialNumber (required), fields, placeholders,
barcodeMessage, barcodeAltText, backgroundColor, expirationDate, images
(base64), localized, ...
--set KEY=VALUE (repeatable) takes the column names of a 'passforge bulk'
CSV file: serialNumber (required), barcodeMessage, backgroundColor, ...;
"<lang>:<key>" for a localized value; NAME.png=PATH for a per-pass image;
any other KEY is a field key of the design and/or a {{KEY}} placeholder.

The identity flags are those of 'passforge sign'; with --dev the development
CA is saved next to the output as OUT-ca.pem, for 'passforge verify --roots'.

Exit status: 0 when the pass was written, 1 when it could not be (missing
value, invalid pass, identity mismatch; nothing is written then), 2 on usage
errors.

Example:
  passforge build --template coffee.pass --dev --set serialNumber=0001 --set name="Jane Appleseed" -o jane.pkpass
  PASSFORGE_P12_PASSWORD=... passforge build --template coffee.pass --p12 Certificates.p12 --values jane.json -o jane.pkpass

Flags:
`

// maxValuesFile bounds the --values file, like a bulk JSON Lines row.
const maxValuesFile = template.MaxRecordSize

// setFlags collects repeated --set KEY=VALUE flags in order.
type setFlags struct {
	keys, values []string
}

func (s *setFlags) String() string { return "" }

func (s *setFlags) Set(v string) error {
	key, value, ok := strings.Cut(v, "=")
	if !ok || key == "" {
		return fmt.Errorf("want KEY=VALUE, got %q", v)
	}
	for _, k := range s.keys {
		if k == key {
			return fmt.Errorf("%s is set twice", key)
		}
	}
	s.keys = append(s.keys, key)
	s.values = append(s.values, value)
	return nil
}

// writtenReport describes a .pkpass that build or sign wrote; --json prints it as is.
type writtenReport struct {
	File               string `json:"file"`
	SerialNumber       string `json:"serialNumber"`
	PassTypeIdentifier string `json:"passTypeIdentifier"`
	TeamIdentifier     string `json:"teamIdentifier"`
	Signer             string `json:"signer"`
	Bytes              int64  `json:"bytes"`
	DevelopmentCA      string `json:"developmentCA,omitempty"`
}

func runBuild(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("build", buildUsage, stderr)
	idFlags := addIdentityFlags(fs)
	tmplPath := addTemplateFlag(fs)
	valuesPath := fs.String("values", "", "a JSON file of the pass's values")
	var sets setFlags
	fs.Var(&sets, "set", "a value as KEY=VALUE, with the column names of a bulk CSV (repeatable)")
	out := fs.String("o", "", "the .pkpass file to write (required)")
	signing := addSignFlags(fs, true)
	asJSON := fs.Bool("json", false, "print a JSON report of the pass written")
	rest, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	usageErr := func(format string, a ...any) int { return usageError(fs, format, a...) }
	switch {
	case len(rest) > 0:
		return usageErr("unexpected arguments: %s", strings.Join(rest, " "))
	case *tmplPath == "" || *out == "":
		return usageErr("want --template DIR and -o OUT.pkpass")
	case *valuesPath != "" && len(sets.keys) > 0:
		return usageErr("choose --values FILE.json or --set KEY=VALUE, not both")
	case *valuesPath == "" && len(sets.keys) == 0:
		return usageErr("want --values FILE.json or --set serialNumber=... (and the design's other values)")
	case *valuesPath == "" && !contains(sets.keys, template.ColumnSerialNumber):
		return usageErr("want --set serialNumber=...: every pass needs its own serial number")
	}
	fail := func(err error) int { return failure(stderr, "build", err) }

	tp, err := openDesign(*tmplPath, stderr)
	if err != nil {
		return fail(err)
	}
	if *valuesPath == "" {
		var missing []string
		for _, name := range tp.Placeholders() {
			if !contains(sets.keys, name) {
				missing = append(missing, "--set "+name+"=...")
			}
		}
		if len(missing) > 0 {
			return usageErr("the design has placeholders without a value: want %s", strings.Join(missing, " "))
		}
	}
	var values *template.Values
	if *valuesPath != "" {
		values, err = readValuesJSON(*valuesPath)
	} else {
		values, err = valuesFromSets(tp, &sets)
	}
	if err != nil {
		return fail(err)
	}

	id, code, ok := loadIdentity(idFlags, tp.PassTypeIdentifier(), tp.TeamIdentifier(), "build", stderr)
	if !ok {
		return code
	}

	// Report warnings (and, with --allow-invalid, errors) of the filled pass before signing.
	p, assets, err := tp.Build(values)
	var ve *pass.ValidationError
	switch {
	case errors.As(err, &ve):
		printProblems(stderr, ve)
		if !signing.allowInvalid {
			return fail(fmt.Errorf("the pass has validation errors (listed above); nothing written"))
		}
	case err != nil:
		return fail(err)
	default:
		if errors.As(p.Validate(assets), &ve) {
			printProblems(stderr, ve) // warnings only: Build refuses errors
		}
	}
	size, err := writePkpassAtomic(*out, func(w io.Writer) error { return tp.Issue(w, values, id, signing.options()) })
	if err != nil {
		return fail(err)
	}
	report := writtenReport{File: *out, SerialNumber: values.SerialNumber, Signer: id.Certificate.Subject.CommonName, Bytes: size,
		PassTypeIdentifier: tp.PassTypeIdentifier(), TeamIdentifier: tp.TeamIdentifier()}
	if p != nil {
		report.SerialNumber = p.SerialNumber
	}
	if report.DevelopmentCA, err = idFlags.saveDevelopmentCA(developmentCAFile(*out)); err != nil {
		return fail(err)
	}
	if err := report.print(stdout, *asJSON); err != nil {
		return fail(err)
	}
	return exitOK
}

// print writes the report as JSON or as a line (and, for a development identity, how to verify the pass).
func (r *writtenReport) print(w io.Writer, asJSON bool) error {
	if asJSON {
		return printJSON(w, r)
	}
	if _, err := fmt.Fprintf(w, "wrote %s (%s, serial %s, %d bytes, signed by %s)\n", safe(r.File), safe(r.PassTypeIdentifier),
		safe(r.SerialNumber), r.Bytes, termsafe.Quote(r.Signer)); err != nil {
		return err
	}
	if r.DevelopmentCA != "" {
		_, err := fmt.Fprintf(w, "development identity: Wallet will not accept this pass; verify it with: passforge verify --roots %s %s\n", safe(r.DevelopmentCA), safe(r.File))
		return err
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// printProblems writes one line per problem of ve.
func printProblems(w io.Writer, ve *pass.ValidationError) {
	for _, prob := range ve.Problems {
		fmt.Fprintln(w, safe(prob.String()))
	}
}

// readValuesJSON reads one JSON object of template.Values, refusing unknown keys.
func readValuesJSON(name string) (*template.Values, error) {
	data, err := lintReadFile(name, maxValuesFile)
	if err != nil {
		return nil, fmt.Errorf("--values: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	v := &template.Values{}
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("--values %s: the file is empty or ends early; want one JSON object", name)
		}
		return nil, fmt.Errorf("--values %s: %w", name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("--values %s: want one JSON object, found more after it", name)
	}
	return v, nil
}

// valuesFromSets turns --set KEY=VALUE pairs into Values with the rules of a bulk CSV row, so that build and
// bulk name values the same way. Image paths are relative to the working folder.
func valuesFromSets(tp *template.Template, s *setFlags) (*template.Values, error) {
	// Image cells are read through an fs.FS: make every path absolute and read them from the root of its volume.
	files, root := fs.FS(nil), ""
	values := append([]string(nil), s.values...)
	for i, k := range s.keys {
		if !strings.HasSuffix(strings.ToLower(k), ".png") {
			continue
		}
		fi, err := os.Stat(values[i])
		if err != nil {
			return nil, fmt.Errorf("--set %s: %w", k, err)
		}
		if fi.IsDir() {
			return nil, fmt.Errorf("--set %s: %s is a folder, not a PNG file", k, values[i])
		}
		abs, err := filepath.Abs(values[i])
		if err != nil {
			return nil, fmt.Errorf("--set %s: %w", k, err)
		}
		vol := filepath.VolumeName(abs) + string(filepath.Separator)
		if root != "" && vol != root {
			return nil, fmt.Errorf("--set %s: images on different volumes (%s, %s)", k, root, vol)
		}
		root = vol
		values[i] = filepath.ToSlash(strings.TrimPrefix(abs, vol))
	}
	if root != "" {
		files = os.DirFS(root)
	}
	m := make(map[string]string, len(s.keys))
	for i, k := range s.keys {
		m[k] = values[i] // Set refuses a key given twice
	}
	v, err := tp.ValuesFromMap(m, files)
	if err != nil {
		return nil, fmt.Errorf("--set: %w", err)
	}
	return v, nil
}

// writePkpassAtomic writes a .pkpass through write, buffered, into a temporary file renamed to name, and returns
// its size.
func writePkpassAtomic(name string, write func(io.Writer) error) (int64, error) {
	var size int64
	err := writeFileAtomic(name, func(f *os.File) error {
		cw := &countWriter{w: f}
		w := bufio.NewWriterSize(cw, 256<<10)
		if err := write(w); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		size = cw.n
		return nil
	})
	return size, err
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
