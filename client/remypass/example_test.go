package remypass_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/remypass"
)

// Example issues an event ticket pass to a member against a local
// stand-in for RemyPass.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			MemberID  string `json:"memberId"`
			EventName string `json:"eventName"`
			EventTime string `json:"eventTime"`
			SeatInfo  struct {
				Seat string `json:"seat"`
			} `json:"seatInfo"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"success": true, "message": "Pass issued", "data": {"_id": "pass_1", "memberId": %q, "eventName": %q, "eventTime": %q, "seat": %q}}`,
			body.MemberID, body.EventName, body.EventTime, body.SeatInfo.Seat)
	}))
	defer srv.Close()

	rp, err := remypass.New("YOUR_API_KEY", client.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	env, _, err := rp.Passes.Issue(context.Background(), &remypass.IssueParams{
		MemberID:       "507f1f77bcf86cd799439011",
		PassTemplateID: "507f1f77bcf86cd799439012",
		Event: &remypass.EventTicket{
			Time: time.Date(2024, 12, 25, 19, 30, 0, 0, time.UTC),
			Name: "The Matrix Reloaded",
			Seat: remypass.SeatInfo{Seat: "A12", Row: "A", Section: "Screen 1"},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var pass struct {
		ID        string `json:"_id"`
		EventName string `json:"eventName"`
		EventTime string `json:"eventTime"`
		Seat      string `json:"seat"`
	}
	if err := env.DecodeData(&pass); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(env.Message+":", pass.ID)
	fmt.Println(pass.EventName, "at", pass.EventTime, "seat", pass.Seat)
	// Output:
	// Pass issued: pass_1
	// The Matrix Reloaded at 2024-12-25T19:30:00.000Z seat A12
}

// ExamplePassesService_Issue shows the event fields being checked
// together before anything is sent.
func ExamplePassesService_Issue() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"success": false, "message": "Missing or invalid API key."}`)
	}))
	defer srv.Close()

	rp, _ := remypass.New("YOUR_API_KEY", client.WithBaseURL(srv.URL))
	_, _, err := rp.Passes.Issue(context.Background(), &remypass.IssueParams{
		MemberID:       "507f1f77bcf86cd799439011",
		PassTemplateID: "507f1f77bcf86cd799439012",
		Event:          &remypass.EventTicket{Name: "The Matrix Reloaded"},
	})
	fmt.Println(err)

	_, _, err = rp.Passes.Issue(context.Background(), &remypass.IssueParams{
		MemberID:       "507f1f77bcf86cd799439011",
		PassTemplateID: "507f1f77bcf86cd799439012",
	})
	fmt.Println(errors.Is(err, client.ErrUnauthorized), err)
	// Output:
	// remypass: issue pass: event ticket pass needs eventTime, eventName and seatInfo together: eventTime, seatInfo missing
	// true remypass: issue pass: client: POST /passes/issue: status 401: Missing or invalid API key.
}
