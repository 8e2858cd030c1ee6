package remypass

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/passforge/passforge/client"
)

// timeLayout is how RemyPass writes date-times: UTC with milliseconds,
// "2026-01-01T12:00:00.000Z".
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// IssueParams are the body of POST /passes/issue. A standard member pass
// needs MemberID and PassTemplateID; an event ticket pass also needs
// Event, whose fields RemyPass requires together.
type IssueParams struct {
	// MemberID is the member to issue to ("memberId"): the member _id the
	// member endpoints return, not your external memberId. Required.
	MemberID string
	// PassTemplateID is the pass template to issue ("passTemplateId"), an
	// id from the pass templates list; for an event ticket, a pre-created
	// event ticket template. Required.
	PassTemplateID string
	// ExpiryDate is the pass's expiry ("expiryDate"); zero sends none.
	ExpiryDate time.Time
	// CustomFields are custom field values stored on the pass
	// ("customFields").
	CustomFields map[string]any
	// SkipEmail issues the pass without sending the pass email
	// ("sendEmail": false). By default the email is sent ("sendEmail": true).
	SkipEmail bool
	// Event makes this an event ticket pass; nil issues a standard member
	// pass.
	Event *EventTicket
}

// EventTicket holds the event fields of an event ticket pass, all three
// required when issuing one.
type EventTicket struct {
	// Time is the event start time ("eventTime"). Required.
	Time time.Time
	// Name is the event name displayed on the pass ("eventName"). Required.
	Name string
	// Seat holds the seat, row and section ("seatInfo"); at least one is
	// required.
	Seat SeatInfo
}

// SeatInfo is the seat, row and section of an event ticket ("seatInfo").
type SeatInfo struct {
	// Seat is the seat ("seat"), such as "A12".
	Seat string `json:"seat,omitempty"`
	// Row is the row ("row"), such as "A".
	Row string `json:"row,omitempty"`
	// Section is the section ("section"), such as "Screen 1".
	Section string `json:"section,omitempty"`
}

// issueBody is the JSON of IssueParams.
type issueBody struct {
	MemberID       string         `json:"memberId"`
	PassTemplateID string         `json:"passTemplateId"`
	ExpiryDate     string         `json:"expiryDate,omitempty"`
	CustomFields   map[string]any `json:"customFields,omitempty"`
	SendEmail      bool           `json:"sendEmail"`
	EventTime      string         `json:"eventTime,omitempty"`
	EventName      string         `json:"eventName,omitempty"`
	SeatInfo       *SeatInfo      `json:"seatInfo,omitempty"`
}

// body validates p and returns the request body.
func (p *IssueParams) body() (*issueBody, error) {
	if p == nil {
		return nil, errors.New("params are nil")
	}
	if strings.TrimSpace(p.MemberID) == "" {
		return nil, errors.New("memberId is required")
	}
	if strings.TrimSpace(p.PassTemplateID) == "" {
		return nil, errors.New("passTemplateId is required")
	}
	b := &issueBody{
		MemberID: p.MemberID, PassTemplateID: p.PassTemplateID,
		CustomFields: p.CustomFields, SendEmail: !p.SkipEmail,
	}
	if !p.ExpiryDate.IsZero() {
		b.ExpiryDate = p.ExpiryDate.UTC().Format(timeLayout)
	}
	if e := p.Event; e != nil {
		var missing []string
		if e.Time.IsZero() {
			missing = append(missing, "eventTime")
		}
		if strings.TrimSpace(e.Name) == "" {
			missing = append(missing, "eventName")
		}
		if e.Seat == (SeatInfo{}) {
			missing = append(missing, "seatInfo")
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("event ticket pass needs eventTime, eventName and seatInfo together: %s missing",
				strings.Join(missing, ", "))
		}
		b.EventTime = e.Time.UTC().Format(timeLayout)
		b.EventName = e.Name
		seat := e.Seat
		b.SeatInfo = &seat
	}
	return b, nil
}

// PassesService issues passes (/passes).
type PassesService struct{ c *Client }

// Issue issues a pass to an existing member (POST /passes/issue), a
// standard member pass or, with params.Event, an event ticket pass. It
// needs the passes:issue permission. The result's Data holds the issued
// pass as RemyPass returns it.
//
// A 2xx response whose envelope says "success": false returns the envelope
// with an error wrapping ErrUnsuccessful. The call is not retried once it
// may have reached RemyPass, which takes no idempotency key.
func (s *PassesService) Issue(ctx context.Context, params *IssueParams) (*Envelope, *client.Response, error) {
	const op = "issue pass"
	if ctx == nil {
		return nil, nil, fmt.Errorf("remypass: %s: nil context.Context", op)
	}
	body, err := params.body()
	if err != nil {
		return nil, nil, fmt.Errorf("remypass: %s: %w", op, err)
	}
	var env Envelope
	resp, err := s.c.core.Do(ctx, &client.Request{Method: http.MethodPost, Path: "/passes/issue", Body: body}, &env)
	if err != nil {
		return nil, resp, fmt.Errorf("remypass: %s: %w", op, err)
	}
	if !env.Success {
		msg := env.Message
		if msg == "" {
			msg = "no message"
		}
		return &env, resp, fmt.Errorf("remypass: %s: %w: %s", op, ErrUnsuccessful, msg)
	}
	return &env, resp, nil
}
