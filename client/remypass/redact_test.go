package remypass

import (
	"bytes"
	"fmt"
	"log/slog"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// printed returns v under every verb and in text and JSON log records. A slice is not logged with the
// JSON handler: that handler encodes it with encoding/json, which writes a webhook's secret on purpose (it is
// how a caller stores it).
func printed(v any) string {
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

func TestPrintingTheClientShowsNoKey(t *testing.T) {
	c, err := New("k_SECRETKEY0123")
	require.NoError(t, err)
	for _, v := range []any{c, *c} {
		out := printed(v)
		assert.NotContains(t, out, "SECRETKEY")
		assert.NotContains(t, out, fmt.Sprintf("%x", "SECRETKEY"))
	}
}
