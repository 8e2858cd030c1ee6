package push_test

import (
	"context"
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	"github.com/passforge/passforge/push"
	"github.com/passforge/passforge/push/pushtest"
	"github.com/passforge/passforge/sign"
)

func ExampleClient_PushAll() {
	// A fake APNs for the example. In production: no WithURL (APNs production
	// is the default), no WithRootCAs, and the Pass Type ID certificate that
	// signs the passes (sign.LoadP12) instead of a development identity.
	apns, err := pushtest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer apns.Close()
	gone := strings.Repeat("0b", 32)
	apns.Script(gone, pushtest.Unregistered(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)))

	dev, err := sign.NewDevelopmentIdentity("pass.com.example.ticket", "ABCDE12345")
	if err != nil {
		log.Fatal(err)
	}
	client, err := push.New(dev.Identity, push.WithURL(apns.URL), push.WithRootCAs(apns.CertPool()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	// The push tokens registered for the pass that changed (webservice's
	// PassChanged returns them); read as the fan-out goes, duplicates pushed once.
	tokens := []string{strings.Repeat("0a", 32), gone, strings.Repeat("0a", 32)}
	sum, err := client.PushAll(context.Background(), push.ToTopic("", slices.Values(tokens)), func(r push.Result) {
		if r.ShouldUnregister() {
			// 410: delete the registrations of this token made before r.Timestamp.
			fmt.Println("unregister", r.Token[:8], "registered before", r.Timestamp.UTC().Format(time.DateOnly))
		}
	})
	if err != nil {
		log.Fatal(err) // a configuration error (wrong certificate or topic) stopped the fan-out
	}
	fmt.Printf("%d delivered, %d unregistered, %d duplicate\n", sum.Delivered, sum.Unregistered, sum.Duplicates)
	// Output:
	// unregister 0b0b0b0b registered before 2026-11-01
	// 1 delivered, 1 unregistered, 1 duplicate
}

func ExampleClient_Push() {
	apns, err := pushtest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer apns.Close()
	dev, err := sign.NewDevelopmentIdentity("pass.com.example.ticket", "ABCDE12345")
	if err != nil {
		log.Fatal(err)
	}
	client, err := push.New(dev.Identity, push.WithURL(apns.URL), push.WithRootCAs(apns.CertPool()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	// One push, as an outbox worker sends it; "" is the certificate's pass type identifier.
	res, err := client.Push(context.Background(), strings.Repeat("0a", 32), "")
	fmt.Println(res.Outcome, res.Status, err)
	// Output: delivered 200 <nil>
}
