package secret

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type leaky struct{ Token string }

func (l leaky) String() string { return "token " + l.Token }

func TestHandlerRedactsEveryAttribute(t *testing.T) {
	for name, mk := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(w *bytes.Buffer) slog.Handler {
			return slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})
		},
		"json": func(w *bytes.Buffer) slog.Handler {
			return slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})
		},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			l := slog.New(NewHandler(mk(&buf), New(key), String{}, New("other-secret")))
			l = l.With("with", "w "+key, slog.Group("g0", "x", key)).WithGroup("grp")
			for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
				l.Log(context.Background(), level, "message "+key,
					"s", "a "+key,
					"err", fmt.Errorf("wrapped: %w", errors.New("bad key "+key)),
					"stringer", leaky{Token: key},
					"struct", struct{ A, B string }{"a", key},
					"map", map[string]string{"k": key},
					"bytes", []byte(key),
					"other", "other-secret",
					key, "as a key",
					slog.Group("inner", "deep", key, slog.Group("deeper", "x", []string{key})),
					"clean", 42,
				)
			}
			out := buf.String()
			assert.NotContains(t, out, key)
			assert.NotContains(t, out, "other-secret")
			assert.NotContains(t, out, "SUPERSECRET")
			assert.Contains(t, out, Redacted)
			assert.Contains(t, out, "42", "other attributes are kept")
			assert.Equal(t, 4, strings.Count(out, "message [REDACTED]"))
		})
	}
}

func TestHandlerPassesThrough(t *testing.T) {
	var buf bytes.Buffer
	inner := slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})
	h := NewHandler(inner, New(key))
	assert.False(t, h.Enabled(context.Background(), slog.LevelInfo))
	assert.True(t, h.Enabled(context.Background(), slog.LevelWarn))
	slog.New(h).Warn("plain", "n", 1, "f", 1.5, "b", true)
	assert.Contains(t, buf.String(), `msg=plain n=1 f=1.5 b=true`)

	// No secret at all: the handler is the one given.
	require.Equal(t, slog.Handler(inner), NewHandler(inner, String{}))
}
