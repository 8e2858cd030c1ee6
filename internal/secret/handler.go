package secret

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
)

// NewHandler returns a slog.Handler that passes every record to h with the credentials of secrets replaced
// by Redacted: in the message, in attribute keys, in string values, and in any other value whose text (as
// fmt's %+v or encoding/json shows it: errors, Stringers, structs, maps, byte slices) holds one; such a value
// is logged as its redacted text. Groups, and attributes added with Logger.With, are redacted too, at every
// level. Zero Strings are ignored; with none left, NewHandler returns h itself.
//
// It is a safety net for log records that may carry text a server or a user supplied; values that hold a
// credential should still be a String or Bytes, which never print it.
func NewHandler(h slog.Handler, secrets ...String) slog.Handler {
	var live []String
	for _, s := range secrets {
		if !s.IsZero() {
			live = append(live, s)
		}
	}
	if len(live) == 0 {
		return h
	}
	return &redactingHandler{h: h, secrets: live}
}

// redactingHandler is the slog.Handler of NewHandler.
type redactingHandler struct {
	h       slog.Handler
	secrets []String
}

// Enabled reports whether the wrapped handler handles records at level.
func (r *redactingHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return r.h.Enabled(ctx, level)
}

// Handle passes a redacted copy of rec to the wrapped handler.
func (r *redactingHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, r.text(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(r.attr(a))
		return true
	})
	return r.h.Handle(ctx, out)
}

// WithAttrs returns a handler whose wrapped handler has the redacted attrs.
func (r *redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = r.attr(a)
	}
	return &redactingHandler{h: r.h.WithAttrs(red), secrets: r.secrets}
}

// WithGroup returns a handler whose wrapped handler opens the (redacted) group name.
func (r *redactingHandler) WithGroup(name string) slog.Handler {
	return &redactingHandler{h: r.h.WithGroup(r.text(name)), secrets: r.secrets}
}

// text returns s with every credential replaced.
func (r *redactingHandler) text(s string) string { return RedactAll(s, r.secrets...) }

// holds reports whether s holds a credential.
func (r *redactingHandler) holds(s string) bool { return r.text(s) != s }

// attr returns a with its key and value redacted.
func (r *redactingHandler) attr(a slog.Attr) slog.Attr {
	a.Key = r.text(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(r.text(v.String()))
	case slog.KindGroup:
		group := v.Group()
		red := make([]slog.Attr, len(group))
		for i, g := range group {
			red[i] = r.attr(g)
		}
		a.Value = slog.GroupValue(red...)
	case slog.KindAny:
		a.Value = v
		var text string
		switch x := v.Any().(type) {
		case error:
			text = x.Error()
		case []byte: // the text handler writes bytes as a string
			text = string(x)
		default:
			text = fmt.Sprintf("%+v", x)
		}
		leaks := r.holds(text)
		if !leaks {
			if b, err := json.Marshal(v.Any()); err == nil {
				leaks = r.holds(string(b))
			}
		}
		if leaks {
			a.Value = slog.StringValue(r.text(text))
		}
	default:
		a.Value = v
	}
	return a
}
