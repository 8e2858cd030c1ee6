package providerfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// pass2uPass is what the fake keeps of a Pass2U pass.
type pass2uPass struct {
	passID         string
	modelID        int
	barcodeMessage string
	fields         map[string]string
	voided         bool
	expirationDate string
	attributes     map[string]json.RawMessage
}

type pass2uState struct {
	models map[string]bool
	passes map[string]*pass2uPass
}

func pass2uError(msg string) any {
	return map[string]any{"message": msg}
}

// pass2uTime formats times as Pass2U's examples do, with a zone offset.
func pass2uTime(t time.Time) string {
	return t.Format(time.RFC3339)
}

func (s *pass2uState) init(f *Fake) {
	s.models = map[string]bool{Pass2UModelID: true}
	s.passes = map[string]*pass2uPass{}

	f.handle(Pass2U, "POST /models/{modelId}/passes", func(r *http.Request) (int, any) {
		model := r.PathValue("modelId")
		if !s.models[model] {
			return http.StatusNotFound, pass2uError("Model " + model + " not found")
		}
		body, st, e := s.params(r)
		if e != nil {
			return st, e
		}
		id := f.nextID("VT-")
		p := &pass2uPass{passID: id, fields: map[string]string{}, attributes: map[string]json.RawMessage{}}
		p.modelID, _ = strconv.Atoi(model)
		p.barcodeMessage = fmt.Sprintf("%08d", 10000000+len(s.passes)+1)
		s.apply(p, body)
		s.passes[model+"/"+id] = p
		out := map[string]any{"barcodeMessage": p.barcodeMessage, "modelId": p.modelID, "passId": p.passID, "createdTime": pass2uTime(f.now())}
		if p.expirationDate != "" {
			out["expirationDate"] = p.expirationDate
		}
		return http.StatusOK, out
	})
	f.handle(Pass2U, "PUT /models/{modelId}/passes/{passId}", func(r *http.Request) (int, any) {
		p, ok := s.passes[r.PathValue("modelId")+"/"+r.PathValue("passId")]
		if !ok {
			return http.StatusNotFound, pass2uError("Pass " + r.PathValue("passId") + " not found")
		}
		body, st, e := s.params(r)
		if e != nil {
			return st, e
		}
		s.apply(p, body)
		out := map[string]any{"barcodeMessage": p.barcodeMessage, "modelId": p.modelID, "passId": p.passID, "updatedTime": pass2uTime(f.now())}
		if p.expirationDate != "" {
			out["expirationDate"] = p.expirationDate
		}
		return http.StatusOK, out
	})
	f.handle(Pass2U, "DELETE /models/{modelId}/passes/{passId}/attributes/{attr}", func(r *http.Request) (int, any) {
		p, ok := s.passes[r.PathValue("modelId")+"/"+r.PathValue("passId")]
		if !ok {
			return http.StatusNotFound, pass2uError("Pass " + r.PathValue("passId") + " not found")
		}
		switch a := r.PathValue("attr"); a {
		case "voided":
			p.voided = false
		case "expirationDate":
			p.expirationDate = ""
		default:
			delete(p.attributes, a)
		}
		return http.StatusOK, nil
	})
	f.handle(Pass2U, "DELETE /models/{modelId}/passes/{passId}/fields/{key}", func(r *http.Request) (int, any) {
		p, ok := s.passes[r.PathValue("modelId")+"/"+r.PathValue("passId")]
		if !ok {
			return http.StatusNotFound, pass2uError("Pass " + r.PathValue("passId") + " not found")
		}
		if _, ok := p.fields[r.PathValue("key")]; !ok {
			return http.StatusNotFound, pass2uError("Field " + r.PathValue("key") + " is not customized")
		}
		delete(p.fields, r.PathValue("key"))
		return http.StatusOK, nil
	})
}

// params decodes a create or update body and checks the documented shape of
// the lower-level keys the fake keeps.
func (s *pass2uState) params(r *http.Request) (map[string]json.RawMessage, int, any) {
	var body map[string]json.RawMessage
	if err := decodeBody(r, &body); err != nil {
		return nil, http.StatusBadRequest, pass2uError(err.Error())
	}
	if raw, ok := body["fields"]; ok {
		var fields []struct {
			Key   string  `json:"key"`
			Value *string `json:"value"`
		}
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, http.StatusBadRequest, pass2uError("fields must be an array of {key, value} objects")
		}
		for i, fl := range fields {
			if fl.Key == "" {
				return nil, http.StatusBadRequest, pass2uError(fmt.Sprintf("fields[%d].key is required", i))
			}
		}
	}
	if raw, ok := body["voided"]; ok {
		var v bool
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, http.StatusBadRequest, pass2uError("voided must be a boolean")
		}
	}
	return body, 0, nil
}

// apply stores the attributes of a checked body on p.
func (s *pass2uState) apply(p *pass2uPass, body map[string]json.RawMessage) {
	for k, raw := range body {
		switch k {
		case "fields":
			var fields []struct {
				Key   string `json:"key"`
				Value string `json:"value"`
			}
			json.Unmarshal(raw, &fields) // checked by params
			for _, fl := range fields {
				p.fields[fl.Key] = fl.Value
			}
		case "voided":
			json.Unmarshal(raw, &p.voided) // checked by params
		case "expirationDate":
			json.Unmarshal(raw, &p.expirationDate)
		case "barcode":
			var b struct {
				Message string `json:"message"`
			}
			if json.Unmarshal(raw, &b) == nil && b.Message != "" {
				p.barcodeMessage = b.Message
			}
		default:
			p.attributes[k] = raw
		}
	}
}
