package template

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/passforge/passforge/pass"
)

// Limits of the values files read by CSVReader and ReadJSONL.
const (
	// MaxRecordSize is the largest CSV record or JSON line, in bytes.
	MaxRecordSize = 16 << 20
	// MaxColumns is the largest number of CSV columns.
	MaxColumns = 1024
)

// CSV columns with a fixed meaning. Every other column names a field key or a
// placeholder of the design, "<lang>:<key>" a localized value, and a column
// ending in ".png" an image file of the pass.
const (
	ColumnSerialNumber        = "serialNumber"
	ColumnBarcodeMessage      = "barcodeMessage"
	ColumnBarcodeAltText      = "barcodeAltText"
	ColumnBackgroundColor     = "backgroundColor"
	ColumnForegroundColor     = "foregroundColor"
	ColumnLabelColor          = "labelColor"
	ColumnExpirationDate      = "expirationDate"
	ColumnRelevantDate        = "relevantDate"
	ColumnVoided              = "voided"
	ColumnWebServiceURL       = "webServiceURL"
	ColumnAuthenticationToken = "authenticationToken"
	ColumnNFCMessage          = "nfcMessage"
	ColumnUserInfo            = "userInfo"
)

// CSVReader reads Values from CSV: a header row naming the columns, then one
// pass per row. Columns:
//
//   - serialNumber (required), barcodeMessage, barcodeAltText,
//     backgroundColor, foregroundColor, labelColor, expirationDate and
//     relevantDate (W3C dates), voided (true/false), webServiceURL,
//     authenticationToken, nfcMessage, userInfo (a JSON object);
//   - a name ending in ".png" ("thumbnail.png", "fr.lproj/thumbnail@2x.png"):
//     the path of the pass's image file, read from the Files of CSVOptions;
//   - "<lang>:<key>" ("fr:MEMBER"): a localized value for <lang>.lproj/pass.strings;
//   - any other name: a field key of the design (the value is converted with
//     Template.FieldValue) and/or one of its placeholders.
//
// An empty cell leaves the design as it is, except for placeholders, which
// it fills with "".
type CSVReader struct {
	r       *csv.Reader
	t       *Template
	files   fs.FS
	columns []column
	noun    string // what errors call a column: "column", or "key" for ValuesFromMap
}

// CSVOptions tune NewCSVReader. A nil *CSVOptions means the defaults.
type CSVOptions struct {
	// Files holds the image files that ".png" columns name. If nil, such
	// columns are refused.
	Files fs.FS
	// Comma is the field delimiter. If zero, ','.
	Comma rune
	// MaxRecordSize caps the length of a line, in bytes. If zero,
	// MaxRecordSize.
	MaxRecordSize int
}

type columnKind uint8

const (
	colSerial columnKind = iota
	colBarcodeMessage
	colBarcodeAltText
	colBackground
	colForeground
	colLabel
	colExpiration
	colRelevant
	colVoided
	colWebService
	colToken
	colNFC
	colUserInfo
	colImage
	colLocalized
	colFieldOrPlaceholder
)

var fixedColumns = map[string]columnKind{
	ColumnSerialNumber: colSerial, ColumnBarcodeMessage: colBarcodeMessage, ColumnBarcodeAltText: colBarcodeAltText,
	ColumnBackgroundColor: colBackground, ColumnForegroundColor: colForeground, ColumnLabelColor: colLabel,
	ColumnExpirationDate: colExpiration, ColumnRelevantDate: colRelevant, ColumnVoided: colVoided,
	ColumnWebServiceURL: colWebService, ColumnAuthenticationToken: colToken, ColumnNFCMessage: colNFC, ColumnUserInfo: colUserInfo,
}

type column struct {
	name          string
	kind          columnKind
	lang, key     string // colLocalized
	isField       bool   // colFieldOrPlaceholder
	isPlaceholder bool
}

// NewCSVReader reads the header row of r and checks every column against
// the design of t: a column that is neither fixed nor a field key nor a
// placeholder is an error, and so is a missing serialNumber column.
func NewCSVReader(r io.Reader, t *Template, opts *CSVOptions) (*CSVReader, error) {
	if !t.made() {
		return nil, errNotMade
	}
	if r == nil {
		return nil, errors.New("template: csv: nil reader")
	}
	if opts == nil {
		opts = &CSVOptions{}
	}
	limit := opts.MaxRecordSize
	if limit <= 0 {
		limit = MaxRecordSize
	}
	cr := csv.NewReader(&limitedLines{r: bufio.NewReader(r), max: limit})
	if opts.Comma != 0 {
		cr.Comma = opts.Comma
	}
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("template: csv: no header row")
		}
		return nil, fmt.Errorf("template: csv header: %w", err)
	}
	if len(header) > MaxColumns {
		return nil, fmt.Errorf("template: csv header: %d columns, more than %d", len(header), MaxColumns)
	}
	c := &CSVReader{r: cr, t: t, files: opts.Files, noun: "column"}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	columns, problems := t.columnsOf(header, c.files != nil, "column")
	if len(problems) > 0 {
		return nil, fmt.Errorf("template: csv header: %s", strings.Join(problems, "; "))
	}
	c.columns = columns
	return c, nil
}

// columnsOf checks names (CSV columns, or the keys of ValuesFromMap) against the design: each names a fixed
// column, an image (".png", only when haveFiles), a localized value ("<lang>:<key>"), a field key or a
// placeholder; serialNumber and every placeholder must be there. It returns the columns and the problems found.
func (t *Template) columnsOf(names []string, haveFiles bool, noun string) ([]column, []string) {
	placeholders := map[string]bool{}
	for _, n := range t.placeholders {
		placeholders[n] = true
	}
	seen := map[string]bool{}
	var (
		columns  []column
		problems []string
	)
	for _, name := range names {
		if seen[name] {
			problems = append(problems, fmt.Sprintf("%s %q appears twice", noun, name))
			continue
		}
		seen[name] = true
		col := column{name: name}
		if k, ok := fixedColumns[name]; ok {
			col.kind = k
		} else if strings.HasSuffix(strings.ToLower(name), ".png") {
			col.kind = colImage
			if !haveFiles {
				problems = append(problems, fmt.Sprintf("%s %q names image files, and no folder to read them from was given", noun, name))
			}
		} else if lang, key, ok := strings.Cut(name, ":"); ok && lang != "" && key != "" {
			col.kind, col.lang, col.key = colLocalized, lang, key
		} else {
			_, col.isField = t.fields[name]
			col.isPlaceholder = placeholders[name]
			col.kind = colFieldOrPlaceholder
			if !col.isField && !col.isPlaceholder {
				problems = append(problems, fmt.Sprintf("%s %q is not a field key (%s) or placeholder (%s) of the design",
					noun, name, strings.Join(t.FieldKeys(), ", "), strings.Join(t.placeholders, ", ")))
			}
		}
		columns = append(columns, col)
	}
	if !seen[ColumnSerialNumber] {
		problems = append(problems, "no serialNumber "+noun)
	}
	for _, n := range t.placeholders {
		if !seen[n] {
			problems = append(problems, fmt.Sprintf("no %s for placeholder {{%s}}", noun, n))
		}
	}
	return columns, problems
}

// ValuesFromMap makes the Values of one pass from m, a map from column name to value, with the rules of a row of
// CSVReader (see there): "serialNumber" and the other fixed names, a field key of the design (converted with
// FieldValue), a placeholder name, "<lang>:<key>" for a localized value, or an image name ending in ".png" whose
// value is a path in files (nil refuses image keys). Every key must mean something to the design, and
// serialNumber and every placeholder must be there; an empty value leaves the design as it is, except for a
// placeholder, which it fills with "". It is what a program driven by CSV, JSON or form data writes:
//
//	v, err := tp.ValuesFromMap(map[string]string{"serialNumber": "M-1", "holder_name": "Ada"}, nil)
func (t *Template) ValuesFromMap(m map[string]string, files fs.FS) (*Values, error) {
	if !t.made() {
		return nil, errNotMade
	}
	names := slices.Sorted(maps.Keys(m))
	columns, problems := t.columnsOf(names, files != nil, "key")
	if len(problems) > 0 {
		return nil, fmt.Errorf("template: values: %s", strings.Join(problems, "; "))
	}
	c := &CSVReader{t: t, files: files, columns: columns, noun: "key"}
	rec := make([]string, len(names))
	for i, n := range names {
		rec[i] = m[n]
	}
	v, err := c.values(rec)
	if err != nil {
		return nil, fmt.Errorf("template: values: %w", err)
	}
	return v, nil
}

// Columns returns the column names of the header.
func (c *CSVReader) Columns() []string {
	out := make([]string, len(c.columns))
	for i, col := range c.columns {
		out[i] = col.name
	}
	return out
}

// All returns an iterator over the rows: the values of each row, or the
// error that made the row unreadable (with its line number), after which
// reading goes on. It stops at the end of the input or at an error that
// makes the rest unreadable.
func (c *CSVReader) All() iter.Seq2[*Values, error] {
	return func(yield func(*Values, error) bool) {
		for {
			rec, err := c.r.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			var pe *csv.ParseError
			if err != nil && !errors.As(err, &pe) {
				yield(nil, fmt.Errorf("template: csv: %w", err))
				return
			}
			if err != nil {
				if !yield(nil, fmt.Errorf("template: csv: %w", err)) {
					return
				}
				continue
			}
			line, _ := c.r.FieldPos(0)
			v, err := c.values(rec)
			if err != nil {
				err = fmt.Errorf("template: csv line %d: %w", line, err)
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

func (c *CSVReader) values(rec []string) (*Values, error) {
	if len(rec) != len(c.columns) {
		return nil, fmt.Errorf("%d cells, the header has %d columns", len(rec), len(c.columns))
	}
	v := &Values{}
	for i, col := range c.columns {
		cell := rec[i]
		if cell == "" {
			if col.kind == colFieldOrPlaceholder && col.isPlaceholder {
				setMap(&v.Placeholders, col.name, "")
			}
			continue
		}
		if err := c.set(v, col, cell); err != nil {
			return nil, fmt.Errorf("%s %q: %w", c.noun, col.name, err)
		}
	}
	return v, nil
}

func (c *CSVReader) set(v *Values, col column, cell string) error {
	var err error
	switch col.kind {
	case colSerial:
		v.SerialNumber = cell
	case colBarcodeMessage:
		v.BarcodeMessage = cell
	case colBarcodeAltText:
		v.BarcodeAltText = cell
	case colBackground:
		v.BackgroundColor = pass.Color(cell)
	case colForeground:
		v.ForegroundColor = pass.Color(cell)
	case colLabel:
		v.LabelColor = pass.Color(cell)
	case colExpiration, colRelevant:
		t, perr := pass.ParseDate(strings.TrimSpace(cell))
		if perr != nil {
			return perr
		}
		if col.kind == colExpiration {
			v.ExpirationDate = pass.NewDate(t)
		} else {
			v.RelevantDate = pass.NewDate(t)
		}
	case colVoided:
		if v.Voided, err = strconv.ParseBool(strings.TrimSpace(cell)); err != nil {
			return fmt.Errorf("want true or false, not %q", truncate(cell, 20))
		}
	case colWebService:
		v.WebServiceURL = cell
	case colToken:
		v.AuthenticationToken = cell
	case colNFC:
		v.NFCMessage = cell
	case colUserInfo:
		if !json.Valid([]byte(cell)) {
			return errors.New("not valid JSON")
		}
		v.UserInfo = json.RawMessage(cell)
	case colImage:
		data, rerr := readImage(c.files, cell)
		if rerr != nil {
			return rerr
		}
		if v.Images == nil {
			v.Images = map[string][]byte{}
		}
		v.Images[col.name] = data
	case colLocalized:
		if v.Localized == nil {
			v.Localized = map[string]pass.Strings{}
		}
		if v.Localized[col.lang] == nil {
			v.Localized[col.lang] = pass.Strings{}
		}
		v.Localized[col.lang][col.key] = cell
	case colFieldOrPlaceholder:
		if col.isField {
			fv, ferr := c.t.FieldValue(col.name, cell)
			if ferr != nil {
				return ferr
			}
			if v.Fields == nil {
				v.Fields = map[string]pass.Value{}
			}
			v.Fields[col.name] = fv
		}
		if col.isPlaceholder {
			setMap(&v.Placeholders, col.name, cell)
		}
	}
	return nil
}

func setMap(m *map[string]string, k, v string) {
	if *m == nil {
		*m = map[string]string{}
	}
	(*m)[k] = v
}

// readImage reads a per-pass image from files, bounded by
// pass.MaxAssetFileSize.
func readImage(files fs.FS, name string) ([]byte, error) {
	name = strings.TrimPrefix(strings.TrimSpace(name), "./")
	if !fs.ValidPath(name) {
		return nil, fmt.Errorf("image path %q must be relative, inside the values folder", name)
	}
	f, err := files.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, pass.MaxAssetFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > pass.MaxAssetFileSize {
		return nil, fmt.Errorf("image %s is larger than %d bytes", name, pass.MaxAssetFileSize)
	}
	return data, nil
}

// limitedLines refuses a line longer than max bytes, so that a CSV without
// line breaks cannot grow memory without bound.
type limitedLines struct {
	r   *bufio.Reader
	max int
	run int // bytes since the last newline
}

func (l *limitedLines) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	chunk := p[:n]
	for len(chunk) > 0 {
		i := bytes.IndexByte(chunk, '\n')
		if i < 0 {
			l.run += len(chunk)
			break
		}
		if l.run+i > l.max {
			break
		}
		l.run, chunk = 0, chunk[i+1:]
	}
	if l.run > l.max || (len(chunk) > 0 && bytes.IndexByte(chunk, '\n') >= 0) {
		return 0, fmt.Errorf("template: a line is longer than %d bytes", l.max)
	}
	return n, err
}

// JSONLOptions tune ReadJSONL. A nil *JSONLOptions means the defaults.
type JSONLOptions struct {
	// MaxRecordSize caps the length of a line, in bytes. If zero,
	// MaxRecordSize.
	MaxRecordSize int
}

// ReadJSONL returns an iterator over the Values of r, one JSON object per
// line (JSON Lines) with the JSON names of Values; blank lines are skipped.
// A line that does not decode, or has unknown keys, is yielded as an error
// naming its line number, and reading goes on; a line longer than the
// limit stops it.
func ReadJSONL(r io.Reader, opts *JSONLOptions) iter.Seq2[*Values, error] {
	limit := MaxRecordSize
	if opts != nil && opts.MaxRecordSize > 0 {
		limit = opts.MaxRecordSize
	}
	return func(yield func(*Values, error) bool) {
		if r == nil {
			yield(nil, errors.New("template: jsonl: nil reader"))
			return
		}
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, min(64<<10, limit)), limit)
		line := 0
		for sc.Scan() {
			line++
			b := bytes.TrimSpace(sc.Bytes())
			if len(b) == 0 {
				continue
			}
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			v := &Values{}
			err := dec.Decode(v)
			if err == nil && dec.More() {
				err = errors.New("more than one JSON value on the line")
			}
			if err != nil {
				if !yield(nil, fmt.Errorf("template: jsonl line %d: %w", line, err)) {
					return
				}
				continue
			}
			if !yield(v, nil) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			yield(nil, fmt.Errorf("template: jsonl after line %d: %w", line, err))
		}
	}
}
