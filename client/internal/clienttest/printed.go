package clienttest

import (
	"bytes"
	"fmt"
	"log/slog"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Printed returns v under every fmt verb (%v, %+v, %#v, %s, %q, %x) and in
// a text and a JSON log record. A slice is not logged with the JSON
// handler: that handler encodes it with encoding/json, which writes a
// webhook's secret on purpose (it is how a caller stores it).
func Printed(v any) string {
	var b bytes.Buffer
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		fmt.Fprintf(&b, verb+"\n", v)
	}
	slog.New(slog.NewTextHandler(&b, nil)).Info("m", "v", v)
	if reflect.TypeOf(v).Kind() != reflect.Slice {
		slog.New(slog.NewJSONHandler(&b, nil)).Info("m", "v", v)
	}
	return b.String()
}

// AssertHidden checks that Printed shows neither secret nor its hex
// spelling for any of vs and, if shown is not empty, that it shows shown
// for each of them, so the rest of the value is still printed.
func AssertHidden(t testing.TB, secret, shown string, vs ...any) {
	t.Helper()
	for _, v := range vs {
		out := Printed(v)
		assert.NotContains(t, out, secret)
		assert.NotContains(t, out, fmt.Sprintf("%x", secret))
		if shown != "" {
			assert.Contains(t, out, shown)
		}
	}
}
