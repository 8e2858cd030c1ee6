package providerfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// passlitePass is PassLite's pass object.
type passlitePass struct {
	ID            string         `json:"id"`
	SerialNumber  string         `json:"serial_number"`
	TemplateID    string         `json:"template_id"`
	CustomerName  string         `json:"customer_name,omitempty"`
	CustomerEmail string         `json:"customer_email,omitempty"`
	ExternalID    string         `json:"external_id,omitempty"`
	Status        string         `json:"status"`
	Points        int            `json:"points"`
	Balance       *float64       `json:"balance"`
	Stamps        int            `json:"stamps"`
	Metadata      map[string]any `json:"metadata"`
	BarcodeData   *string        `json:"barcode_data,omitempty"`
	DownloadURL   string         `json:"download_url"`
	CreatedAt     time.Time      `json:"created_at"`
	UpdatedAt     time.Time      `json:"updated_at"`
	VoidedAt      *time.Time     `json:"voided_at,omitempty"`
}

type passliteState struct {
	templates map[string]bool
	passes    map[string]*passlitePass
	serials   int
}

func passliteError(status int, code, msg string) any {
	return map[string]any{"error": map[string]any{"code": code, "message": msg, "status": status}}
}

func (s *passliteState) init(f *Fake) {
	s.templates = map[string]bool{PassLiteTemplateID: true, "tpl_event": true}
	s.passes = map[string]*passlitePass{}

	f.handle(PassLite, "GET /businesses/me", func(r *http.Request) (int, any) {
		return http.StatusOK, map[string]any{"id": PassLiteBusinessID, "name": "Example Coffee", "plan": "pro"}
	})
	f.handle(PassLite, "POST /businesses/{b}/passes", func(r *http.Request) (int, any) {
		if st, e := s.business(r); e != nil {
			return st, e
		}
		var in struct {
			TemplateID     string         `json:"template_id"`
			CustomerName   string         `json:"customer_name"`
			CustomerEmail  string         `json:"customer_email"`
			ExternalID     string         `json:"external_id"`
			InitialBalance *float64       `json:"initial_balance"`
			Points         int            `json:"points"`
			BarcodeData    *string        `json:"barcode_data"`
			Metadata       map[string]any `json:"metadata"`
		}
		if err := decodeBody(r, &in); err != nil {
			return http.StatusBadRequest, passliteError(http.StatusBadRequest, "bad_request", err.Error())
		}
		if in.TemplateID == "" {
			return http.StatusUnprocessableEntity, passliteError(http.StatusUnprocessableEntity, "validation_error", "template_id is required.")
		}
		if !s.templates[in.TemplateID] {
			return http.StatusNotFound, passliteError(http.StatusNotFound, "not_found", "Template "+in.TemplateID+" does not exist.")
		}
		if in.ExternalID != "" && s.find(in.ExternalID) != nil {
			return http.StatusConflict, passliteError(http.StatusConflict, "conflict", "external_id "+in.ExternalID+" already exists")
		}
		s.serials++
		now := f.now().UTC()
		p := &passlitePass{
			ID: f.nextID("pass_"), SerialNumber: fmt.Sprintf("PL-%05d", s.serials), TemplateID: in.TemplateID,
			CustomerName: in.CustomerName, CustomerEmail: in.CustomerEmail, ExternalID: in.ExternalID,
			Status: "active", Points: in.Points, Balance: in.InitialBalance, Metadata: nonNilAny(in.Metadata),
			BarcodeData: in.BarcodeData, CreatedAt: now, UpdatedAt: now,
		}
		p.DownloadURL = "https://api.passlite.io/pass/" + p.SerialNumber
		s.passes[p.ID] = p
		return http.StatusCreated, p
	})
	f.handle(PassLite, "GET /businesses/{b}/passes/{identifier}", func(r *http.Request) (int, any) {
		if st, e := s.business(r); e != nil {
			return st, e
		}
		p := s.find(r.PathValue("identifier"))
		if p == nil {
			return s.missing(r.PathValue("identifier"))
		}
		return http.StatusOK, p
	})
	f.handle(PassLite, "PATCH /businesses/{b}/passes/{identifier}", func(r *http.Request) (int, any) {
		if st, e := s.business(r); e != nil {
			return st, e
		}
		p := s.find(r.PathValue("identifier"))
		if p == nil {
			return s.missing(r.PathValue("identifier"))
		}
		var in map[string]json.RawMessage
		if err := decodeBody(r, &in); err != nil {
			return http.StatusBadRequest, passliteError(http.StatusBadRequest, "bad_request", err.Error())
		}
		if len(in) == 0 {
			return http.StatusUnprocessableEntity, passliteError(http.StatusUnprocessableEntity, "validation_error", "No updatable field given.")
		}
		next := *p
		next.Metadata = map[string]any{}
		for k, v := range p.Metadata {
			next.Metadata[k] = v
		}
		for k, raw := range in {
			var err error
			switch k {
			case "customer_name":
				err = json.Unmarshal(raw, &next.CustomerName)
			case "customer_email":
				err = json.Unmarshal(raw, &next.CustomerEmail)
			case "external_id":
				err = json.Unmarshal(raw, &next.ExternalID)
			case "points":
				err = json.Unmarshal(raw, &next.Points)
			case "balance":
				err = json.Unmarshal(raw, &next.Balance)
			case "stamps":
				err = json.Unmarshal(raw, &next.Stamps)
			case "barcode_data":
				next.BarcodeData = nil
				err = json.Unmarshal(raw, &next.BarcodeData)
			case "metadata":
				var m map[string]any
				if err = json.Unmarshal(raw, &m); err == nil {
					for mk, mv := range m {
						next.Metadata[mk] = mv
					}
				}
			default:
				return http.StatusUnprocessableEntity, passliteError(http.StatusUnprocessableEntity, "validation_error", k+" is not an updatable field.")
			}
			if err != nil {
				return http.StatusUnprocessableEntity, passliteError(http.StatusUnprocessableEntity, "validation_error", k+" has the wrong type.")
			}
		}
		next.UpdatedAt = f.now().UTC()
		*p = next
		return http.StatusOK, p
	})
	f.handle(PassLite, "DELETE /businesses/{b}/passes/{id}", func(r *http.Request) (int, any) {
		if st, e := s.business(r); e != nil {
			return st, e
		}
		p := s.find(r.PathValue("id"))
		if p == nil {
			return s.missing(r.PathValue("id"))
		}
		if p.Status != "voided" {
			at := f.now().UTC()
			p.Status, p.VoidedAt, p.UpdatedAt = "voided", &at, at
		}
		return http.StatusOK, map[string]any{"id": p.ID, "status": p.Status, "voided_at": p.VoidedAt}
	})
	f.handle(PassLite, "POST /businesses/{b}/passes/{id}/reactivate", func(r *http.Request) (int, any) {
		if st, e := s.business(r); e != nil {
			return st, e
		}
		p := s.find(r.PathValue("id"))
		if p == nil {
			return s.missing(r.PathValue("id"))
		}
		at := f.now().UTC()
		p.Status, p.VoidedAt, p.UpdatedAt = "active", nil, at
		return http.StatusOK, map[string]any{"id": p.ID, "status": p.Status, "reactivated_at": at}
	})
}

// business checks the {business_id} of the path against the key's business.
func (s *passliteState) business(r *http.Request) (int, any) {
	if b := r.PathValue("b"); b != PassLiteBusinessID {
		return http.StatusForbidden, passliteError(http.StatusForbidden, "forbidden", "The API key has no access to business "+b+".")
	}
	return 0, nil
}

// find looks a pass up by id, serial_number or external_id.
func (s *passliteState) find(identifier string) *passlitePass {
	if p, ok := s.passes[identifier]; ok {
		return p
	}
	for _, p := range s.passes {
		if p.SerialNumber == identifier || (p.ExternalID != "" && p.ExternalID == identifier) {
			return p
		}
	}
	return nil
}

func (s *passliteState) missing(identifier string) (int, any) {
	return http.StatusNotFound, passliteError(http.StatusNotFound, "not_found", "Pass with identifier "+identifier+" does not exist.")
}
