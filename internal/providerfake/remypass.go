package providerfake

import (
	"net/http"
	"strings"
	"time"
)

type remypassState struct {
	members   map[string]bool
	templates map[string]bool
	issued    int
}

func remypassEnvelope(success bool, msg string, data any) any {
	e := map[string]any{"success": success, "message": msg}
	if data != nil {
		e["data"] = data
	}
	return e
}

func (s *remypassState) init(f *Fake) {
	s.members = map[string]bool{RemyPassMemberID: true}
	s.templates = map[string]bool{RemyPassTemplateID: true}

	f.handle(RemyPass, "POST /passes/issue", func(r *http.Request) (int, any) {
		var in struct {
			MemberID       string         `json:"memberId"`
			PassTemplateID string         `json:"passTemplateId"`
			ExpiryDate     *time.Time     `json:"expiryDate"`
			CustomFields   map[string]any `json:"customFields"`
			SendEmail      *bool          `json:"sendEmail"`
			EventTime      *time.Time     `json:"eventTime"`
			EventName      string         `json:"eventName"`
			SeatInfo       map[string]any `json:"seatInfo"`
		}
		if err := decodeBody(r, &in); err != nil {
			return http.StatusBadRequest, remypassEnvelope(false, "Invalid request body: "+err.Error(), nil)
		}
		var missing []string
		if in.MemberID == "" {
			missing = append(missing, "memberId")
		}
		if in.PassTemplateID == "" {
			missing = append(missing, "passTemplateId")
		}
		if len(missing) > 0 {
			return http.StatusBadRequest, remypassEnvelope(false, "Validation error: "+strings.Join(missing, ", ")+" required", nil)
		}
		if !s.members[in.MemberID] {
			return http.StatusBadRequest, remypassEnvelope(false, "Member "+in.MemberID+" not found", nil)
		}
		if !s.templates[in.PassTemplateID] {
			return http.StatusBadRequest, remypassEnvelope(false, "Pass template "+in.PassTemplateID+" not found", nil)
		}
		event := in.EventTime != nil || in.EventName != "" || len(in.SeatInfo) > 0
		if event && (in.EventTime == nil || in.EventName == "" || len(in.SeatInfo) == 0) {
			return http.StatusBadRequest, remypassEnvelope(false, "Validation error: eventTime, eventName and seatInfo are required together", nil)
		}
		s.issued++
		sendEmail := in.SendEmail == nil || *in.SendEmail
		data := map[string]any{
			"_id": f.nextID("rp_pass_"), "memberId": in.MemberID, "passTemplateId": in.PassTemplateID,
			"customFields": nonNilAny(in.CustomFields), "emailSent": sendEmail, "status": "active",
			"createdAt": f.now().UTC(),
		}
		if in.ExpiryDate != nil {
			data["expiryDate"] = in.ExpiryDate.UTC()
		}
		if event {
			data["eventTime"], data["eventName"], data["seatInfo"] = in.EventTime.UTC(), in.EventName, in.SeatInfo
		}
		return http.StatusCreated, remypassEnvelope(true, "Pass issued successfully", data)
	})
}
