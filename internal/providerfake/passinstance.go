package providerfake

import (
	"net/http"
	"time"
)

// passinstanceField is one {label, value} field of a Passinstance pass.
type passinstanceField struct {
	Label string `json:"label,omitempty"`
	Value string `json:"value"`
}

// passinstancePass is the fake's Passinstance pass object.
type passinstancePass struct {
	ID             string                       `json:"id"`
	TemplateID     string                       `json:"templateId"`
	SerialNumber   string                       `json:"serialNumber"`
	Fields         map[string]passinstanceField `json:"fields"`
	BarcodeFormat  string                       `json:"barcodeFormat,omitempty"`
	BarcodeMessage string                       `json:"barcodeMessage,omitempty"`
	Voided         bool                         `json:"voided"`
	CreatedAt      time.Time                    `json:"createdAt"`
	UpdatedAt      time.Time                    `json:"updatedAt"`
}

type passinstanceState struct {
	templates []map[string]any
	passes    map[string]*passinstancePass
	order     []string // pass ids in creation order
}

func passinstanceError(errText, msg, field string) any {
	e := map[string]any{"error": errText, "message": msg}
	if field != "" {
		e["errors"] = []map[string]string{{"field": field, "message": msg}}
	}
	return e
}

func (s *passinstanceState) init(f *Fake) {
	s.templates = []map[string]any{{
		"id": PassinstanceTemplateID, "name": "Gold membership", "passType": "storeCard",
		"organizationName": "Example Club", "description": "Example Club membership",
		"backgroundColor": "rgb(20, 20, 20)", "foregroundColor": "rgb(255, 255, 255)", "labelColor": "rgb(212, 175, 55)",
		"passTypeIdentifier": "pass.com.example.club", "teamIdentifier": "ABCDE12345",
	}}
	s.passes = map[string]*passinstancePass{}

	f.handle(Passinstance, "GET /templates", func(r *http.Request) (int, any) {
		return http.StatusOK, map[string]any{"data": s.templates, "pagination": map[string]any{"page": 1, "limit": 20, "total": len(s.templates), "totalPages": 1}}
	})
	f.handle(Passinstance, "GET /templates/{id}", func(r *http.Request) (int, any) {
		for _, t := range s.templates {
			if t["id"] == r.PathValue("id") {
				return http.StatusOK, map[string]any{"data": t}
			}
		}
		return http.StatusNotFound, passinstanceError("Not Found", "Template "+r.PathValue("id")+" not found", "")
	})
	f.handle(Passinstance, "GET /passes", func(r *http.Request) (int, any) {
		out := []*passinstancePass{}
		for _, id := range s.order {
			if p, ok := s.passes[id]; ok {
				out = append(out, p)
			}
		}
		return http.StatusOK, map[string]any{"data": out, "pagination": map[string]any{"page": 1, "limit": len(out), "total": len(out), "totalPages": 1}}
	})
	f.handle(Passinstance, "POST /passes", func(r *http.Request) (int, any) {
		var in struct {
			TemplateID     string                       `json:"templateId"`
			SerialNumber   string                       `json:"serialNumber"`
			Fields         map[string]passinstanceField `json:"fields"`
			BarcodeFormat  string                       `json:"barcodeFormat"`
			BarcodeMessage string                       `json:"barcodeMessage"`
		}
		if err := decodeBody(r, &in); err != nil {
			return http.StatusBadRequest, passinstanceError("Bad Request", err.Error(), "")
		}
		if in.TemplateID == "" {
			return http.StatusUnprocessableEntity, passinstanceError("Unprocessable Entity", "templateId is required", "templateId")
		}
		if !s.hasTemplate(in.TemplateID) {
			return http.StatusUnprocessableEntity, passinstanceError("Unprocessable Entity", "templateId "+in.TemplateID+" does not exist", "templateId")
		}
		id := f.nextID("pi_pass_")
		if in.SerialNumber == "" {
			in.SerialNumber = id
		}
		for _, p := range s.passes {
			if p.TemplateID == in.TemplateID && p.SerialNumber == in.SerialNumber {
				return http.StatusConflict, passinstanceError("Conflict", "serialNumber "+in.SerialNumber+" already exists", "serialNumber")
			}
		}
		now := f.now().UTC()
		p := &passinstancePass{ID: id, TemplateID: in.TemplateID, SerialNumber: in.SerialNumber, Fields: in.Fields,
			BarcodeFormat: in.BarcodeFormat, BarcodeMessage: in.BarcodeMessage, CreatedAt: now, UpdatedAt: now}
		if p.Fields == nil {
			p.Fields = map[string]passinstanceField{}
		}
		s.passes[id] = p
		s.order = append(s.order, id)
		return http.StatusCreated, map[string]any{"data": p}
	})
	f.handle(Passinstance, "GET /passes/{id}", func(r *http.Request) (int, any) {
		p, ok := s.passes[r.PathValue("id")]
		if !ok {
			return s.missing(r.PathValue("id"))
		}
		return http.StatusOK, map[string]any{"data": p}
	})
	f.handle(Passinstance, "PUT /passes/{id}", func(r *http.Request) (int, any) {
		p, ok := s.passes[r.PathValue("id")]
		if !ok {
			return s.missing(r.PathValue("id"))
		}
		var in struct {
			SerialNumber   *string                      `json:"serialNumber"`
			Fields         map[string]passinstanceField `json:"fields"`
			BarcodeFormat  *string                      `json:"barcodeFormat"`
			BarcodeMessage *string                      `json:"barcodeMessage"`
			Voided         *bool                        `json:"voided"`
		}
		if err := decodeBody(r, &in); err != nil {
			return http.StatusBadRequest, passinstanceError("Bad Request", err.Error(), "")
		}
		if in.SerialNumber != nil {
			p.SerialNumber = *in.SerialNumber
		}
		for k, v := range in.Fields {
			p.Fields[k] = v
		}
		if in.BarcodeFormat != nil {
			p.BarcodeFormat = *in.BarcodeFormat
		}
		if in.BarcodeMessage != nil {
			p.BarcodeMessage = *in.BarcodeMessage
		}
		if in.Voided != nil {
			p.Voided = *in.Voided
		}
		p.UpdatedAt = f.now().UTC()
		return http.StatusOK, map[string]any{"data": p}
	})
	f.handle(Passinstance, "POST /passes/{id}/void", func(r *http.Request) (int, any) {
		p, ok := s.passes[r.PathValue("id")]
		if !ok {
			return s.missing(r.PathValue("id"))
		}
		p.Voided, p.UpdatedAt = true, f.now().UTC()
		return http.StatusOK, map[string]any{"data": p}
	})
	f.handle(Passinstance, "DELETE /passes/{id}", func(r *http.Request) (int, any) {
		if _, ok := s.passes[r.PathValue("id")]; !ok {
			return s.missing(r.PathValue("id"))
		}
		delete(s.passes, r.PathValue("id"))
		return http.StatusNoContent, nil
	})
}

func (s *passinstanceState) hasTemplate(id string) bool {
	for _, t := range s.templates {
		if t["id"] == id {
			return true
		}
	}
	return false
}

func (s *passinstanceState) missing(id string) (int, any) {
	return http.StatusNotFound, passinstanceError("Not Found", "Pass "+id+" not found", "")
}
