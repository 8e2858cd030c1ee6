package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/template"
)

// Values are a holder's values: by name, a JSON string, number or boolean
// (userInfo: a JSON object). A name is one of the fixed names below or a
// field key and/or placeholder of the template, as in the columns of a
// `passforge bulk` CSV file:
//
//   - barcodeMessage, barcodeAltText, backgroundColor, foregroundColor,
//     labelColor, expirationDate and relevantDate (W3C dates), nfcMessage,
//     userInfo (an object);
//   - any other name: a field key of the design (a number for a number
//     field) and/or one of its {{placeholders}}.
//
// serialNumber, webServiceURL, authenticationToken and voided are set by
// the service and refused here.
type Values map[string]json.RawMessage

// reserved names the values the service sets itself.
var reserved = map[string]string{
	template.ColumnSerialNumber:        "the serial number is given next to the values, not in them",
	template.ColumnWebServiceURL:       "webServiceURL is set by the service",
	template.ColumnAuthenticationToken: "authenticationToken is set by the service",
	template.ColumnVoided:              "void a pass with POST /api/v1/passes/{serialNumber}/void",
}

// merge returns old with the entries of patch applied: a JSON null removes
// the name, anything else replaces it.
func merge(old, patch Values) Values {
	out := maps.Clone(old)
	if out == nil {
		out = Values{}
	}
	for k, v := range patch {
		if isNull(v) {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

func isNull(v json.RawMessage) bool {
	return len(v) == 0 || string(bytes.TrimSpace(v)) == "null"
}

// text returns the value as text: a string's contents, a number's literal,
// true or false.
func text(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", errors.New("empty value")
	}
	switch v[0] {
	case '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", err
		}
		return s, nil
	case 't', 'f':
		var b bool
		if err := json.Unmarshal(v, &b); err != nil {
			return "", err
		}
		return strconv.FormatBool(b), nil
	case '{':
		return "", errors.New("want a string, number or boolean, not an object")
	case '[':
		return "", errors.New("want a string, number or boolean, not an array")
	case 'n':
		return "", errors.New("null")
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return "", err
	}
	return n.String(), nil
}

// passValues are the template values of one version of a pass.
type passValues struct {
	serial   string
	values   Values
	voided   bool
	wsURL    string
	token    string
	tp       *template.Template
	problems []Problem
}

func (pv *passValues) problem(name, format string, a ...any) {
	pv.problems = append(pv.problems, Problem{Path: "values." + name, Message: fmt.Sprintf(format, a...)})
}

// build converts the values into template.Values, collecting a problem for
// every value that the design cannot take.
func (pv *passValues) build() (*template.Values, []Problem) {
	v := &template.Values{
		SerialNumber:        pv.serial,
		Voided:              pv.voided,
		WebServiceURL:       pv.wsURL,
		AuthenticationToken: pv.token,
	}
	placeholders := map[string]bool{}
	for _, p := range pv.tp.Placeholders() {
		placeholders[p] = true
	}
	fields := map[string]bool{}
	for _, k := range pv.tp.FieldKeys() {
		fields[k] = true
	}
	for _, name := range slices.Sorted(maps.Keys(pv.values)) {
		raw := pv.values[name]
		if why, ok := reserved[name]; ok {
			pv.problem(name, "%s", why)
			continue
		}
		if name == template.ColumnUserInfo {
			b := bytes.TrimSpace(raw)
			if len(b) == 0 || b[0] != '{' || !json.Valid(b) {
				pv.problem(name, "userInfo must be a JSON object")
				continue
			}
			v.UserInfo = json.RawMessage(b)
			continue
		}
		s, err := text(raw)
		if err != nil {
			pv.problem(name, "%v", err)
			continue
		}
		if err := pv.set(v, name, s, fields[name], placeholders[name]); err != nil {
			pv.problem(name, "%v", err)
		}
	}
	return v, pv.problems
}

func (pv *passValues) set(v *template.Values, name, s string, isField, isPlaceholder bool) error {
	switch name {
	case template.ColumnBarcodeMessage:
		v.BarcodeMessage = s
	case template.ColumnBarcodeAltText:
		v.BarcodeAltText = s
	case template.ColumnBackgroundColor:
		v.BackgroundColor = pass.Color(s)
	case template.ColumnForegroundColor:
		v.ForegroundColor = pass.Color(s)
	case template.ColumnLabelColor:
		v.LabelColor = pass.Color(s)
	case template.ColumnNFCMessage:
		v.NFCMessage = s
	case template.ColumnExpirationDate, template.ColumnRelevantDate:
		t, err := pass.ParseDate(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		if name == template.ColumnExpirationDate {
			v.ExpirationDate = pass.NewDate(t)
		} else {
			v.RelevantDate = pass.NewDate(t)
		}
	default:
		if !isField && !isPlaceholder {
			return fmt.Errorf("the template has no field key or placeholder %q", name)
		}
		if isField {
			fv, err := pv.tp.FieldValue(name, s)
			if err != nil {
				return errors.New(strings.TrimPrefix(err.Error(), "template: "))
			}
			if v.Fields == nil {
				v.Fields = map[string]pass.Value{}
			}
			v.Fields[name] = fv
		}
		if isPlaceholder {
			if v.Placeholders == nil {
				v.Placeholders = map[string]string{}
			}
			v.Placeholders[name] = s
		}
	}
	return nil
}

// issueProblems turns an error of template.Issue into validation problems,
// or returns nil when it is not about the values.
func issueProblems(err error) []Problem {
	var ve *pass.ValidationError
	if errors.As(err, &ve) {
		return problemsOf(ve)
	}
	var mv *template.MissingValueError
	if errors.As(err, &mv) {
		return []Problem{{Path: "values." + mv.Name, Message: fmt.Sprintf("missing: the template uses {{%s}} at %s", mv.Name, mv.Path)}}
	}
	if errors.Is(err, template.ErrUnknownField) || errors.Is(err, template.ErrMissingValue) || errors.Is(err, sign.ErrInvalidPass) {
		return []Problem{{Path: "values", Message: strings.TrimPrefix(err.Error(), "template: ")}}
	}
	return nil
}

// onlyInsecureURL reports whether every error of a validation failure is the
// rule that webServiceURL be https: a service run on plain http (tests,
// local trials) signs such passes anyway, having warned at start.
func onlyInsecureURL(err error) bool {
	var ve *pass.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	errs := ve.Errors()
	if len(errs) == 0 {
		return false
	}
	for _, p := range errs {
		if p.Rule != "web-service-https" {
			return false
		}
	}
	return true
}
