package providerfake

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"
)

// passmintPass is Passmint's pass object.
type passmintPass struct {
	Object        string            `json:"object"`
	ID            string            `json:"id"`
	ShortID       string            `json:"short_id"`
	TemplateID    string            `json:"template_id"`
	SerialNumber  string            `json:"serial_number"`
	Mode          string            `json:"mode"`
	HolderEmail   *string           `json:"holder_email"`
	HolderName    *string           `json:"holder_name"`
	FieldValues   map[string]string `json:"field_values"`
	Voided        bool              `json:"voided"`
	VoidedAt      *time.Time        `json:"voided_at"`
	Metadata      map[string]any    `json:"metadata"`
	CreatedViaAPI bool              `json:"created_via_api"`
	URL           string            `json:"url"`
	DownloadURL   string            `json:"download_url"`
	CreatedAt     time.Time         `json:"created_at"`
}

// passmintTemplate is Passmint's template object.
type passmintTemplate struct {
	Object     string          `json:"object"`
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	AppleStyle string          `json:"apple_style"`
	Design     json.RawMessage `json:"design"`
	Archived   bool            `json:"archived"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// idempotent is a cached answer to a request carrying an Idempotency-Key.
type idempotent struct {
	bodyHash [32]byte
	status   int
	body     any
}

type passmintState struct {
	templates map[string]*passmintTemplate
	passes    map[string]*passmintPass
	order     []string
	replays   map[string]idempotent
}

func passmintError(typ, msg, param string) any {
	e := map[string]any{"type": typ, "code": nil, "message": msg, "param": nil}
	if param != "" {
		e["param"] = param
	}
	return map[string]any{"error": e}
}

func passmintList[T any](items []T) any {
	if items == nil {
		items = []T{}
	}
	return map[string]any{"object": "list", "data": items, "has_more": false}
}

func (s *passmintState) init(f *Fake) {
	now := f.now().UTC()
	s.templates = map[string]*passmintTemplate{PassmintTemplateID: {
		Object: "template", ID: PassmintTemplateID, Name: "VIP Concert Pass", Type: "event", AppleStyle: "eventTicket",
		Design: json.RawMessage(`{}`), CreatedAt: now, UpdatedAt: now,
	}}
	s.passes = map[string]*passmintPass{}
	s.replays = map[string]idempotent{}

	f.handle(Passmint, "GET /v1/templates", func(r *http.Request) (int, any) {
		var out []*passmintTemplate
		for _, t := range s.templates {
			if !t.Archived {
				out = append(out, t)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
		return http.StatusOK, passmintList(out)
	})
	f.handle(Passmint, "GET /v1/templates/{id}", func(r *http.Request) (int, any) {
		t, ok := s.templates[r.PathValue("id")]
		if !ok {
			return http.StatusNotFound, passmintError("not_found_error", "No such template: "+r.PathValue("id"), "id")
		}
		return http.StatusOK, t
	})
	f.handle(Passmint, "POST /v1/passes", s.idempotent(func(r *http.Request, body []byte) (int, any) {
		var in struct {
			TemplateID  string            `json:"template_id"`
			HolderEmail *string           `json:"holder_email"`
			HolderName  *string           `json:"holder_name"`
			FieldValues map[string]string `json:"field_values"`
			Metadata    map[string]any    `json:"metadata"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			return http.StatusBadRequest, passmintError("invalid_request_error", "Malformed JSON body", "")
		}
		if in.TemplateID == "" {
			return http.StatusBadRequest, passmintError("invalid_request_error", "template_id is required", "template_id")
		}
		t, ok := s.templates[in.TemplateID]
		if !ok {
			return http.StatusNotFound, passmintError("not_found_error", "No such template: "+in.TemplateID, "template_id")
		}
		if t.Archived {
			return http.StatusBadRequest, passmintError("invalid_request_error", "Template "+t.ID+" is archived", "template_id")
		}
		id := f.nextID("pass_")
		short := strings.TrimPrefix(id, "pass_")
		p := &passmintPass{
			Object: "pass", ID: id, ShortID: short, TemplateID: in.TemplateID, SerialNumber: "PM-" + short,
			Mode: "test", HolderEmail: in.HolderEmail, HolderName: in.HolderName,
			FieldValues: nonNil(in.FieldValues), Metadata: nonNilAny(in.Metadata), CreatedViaAPI: true,
			URL: "https://passmint.com/p/" + short, DownloadURL: "https://passmint.com/p/" + short + "/download",
			CreatedAt: f.now().UTC(),
		}
		s.passes[id] = p
		s.order = append(s.order, id)
		return http.StatusOK, p
	}))
	f.handle(Passmint, "GET /v1/passes", func(r *http.Request) (int, any) {
		var out []*passmintPass
		for _, id := range s.order {
			p := s.passes[id]
			if t := r.URL.Query().Get("template_id"); t != "" && p.TemplateID != t {
				continue
			}
			out = append(out, p)
		}
		return http.StatusOK, passmintList(out)
	})
	f.handle(Passmint, "GET /v1/passes/{id}", func(r *http.Request) (int, any) {
		p, ok := s.passes[r.PathValue("id")]
		if !ok {
			return http.StatusNotFound, passmintError("not_found_error", "No such pass: "+r.PathValue("id"), "id")
		}
		return http.StatusOK, p
	})
	f.handle(Passmint, "PATCH /v1/passes/{id}", s.idempotent(func(r *http.Request, body []byte) (int, any) {
		p, ok := s.passes[r.PathValue("id")]
		if !ok {
			return http.StatusNotFound, passmintError("not_found_error", "No such pass: "+r.PathValue("id"), "id")
		}
		var in struct {
			FieldValues map[string]string `json:"field_values"`
			Metadata    map[string]any    `json:"metadata"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			return http.StatusBadRequest, passmintError("invalid_request_error", "Malformed JSON body", "")
		}
		if in.FieldValues == nil && in.Metadata == nil {
			return http.StatusBadRequest, passmintError("invalid_request_error", "At least one of field_values or metadata is required", "")
		}
		if p.Voided {
			return http.StatusBadRequest, passmintError("invalid_request_error", "Cannot update a voided pass", "id")
		}
		for k, v := range in.FieldValues {
			p.FieldValues[k] = v
		}
		for k, v := range in.Metadata {
			p.Metadata[k] = v
		}
		return http.StatusOK, p
	}))
	f.handle(Passmint, "DELETE /v1/passes/{id}", func(r *http.Request) (int, any) {
		p, ok := s.passes[r.PathValue("id")]
		if !ok {
			return http.StatusNotFound, passmintError("not_found_error", "No such pass: "+r.PathValue("id"), "id")
		}
		if !p.Voided {
			at := f.now().UTC()
			p.Voided, p.VoidedAt = true, &at
		}
		return http.StatusOK, p
	})
}

// idempotent wraps a POST or PATCH handler with Passmint's Idempotency-Key
// semantics: a repeated key with the same body replays the first answer, with
// a different body it is a 409 idempotency_error.
func (s *passmintState) idempotent(h func(r *http.Request, body []byte) (int, any)) func(*http.Request) (int, any) {
	return func(r *http.Request) (int, any) {
		body, err := readAll(r)
		if err != nil {
			return http.StatusBadRequest, passmintError("invalid_request_error", "Request body too large or unreadable", "")
		}
		key := r.Header.Get("Idempotency-Key")
		if key == "" {
			return h(r, body)
		}
		scope := r.Method + " " + r.URL.Path + " " + key
		sum := sha256.Sum256(body)
		if prev, ok := s.replays[scope]; ok {
			if !bytes.Equal(prev.bodyHash[:], sum[:]) {
				return http.StatusConflict, passmintError("idempotency_error", "Idempotency key reused with a different request body", "")
			}
			return prev.status, prev.body
		}
		status, out := h(r, body)
		if b, err := json.Marshal(out); err == nil {
			s.replays[scope] = idempotent{bodyHash: sum, status: status, body: json.RawMessage(b)}
		}
		return status, out
	}
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilAny(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
