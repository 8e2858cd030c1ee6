package secret_test

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/passforge/passforge/internal/secret"
)

// A credential held in a String prints as [REDACTED] under every verb, also inside a struct, and gives
// itself up only through Reveal.
func ExampleNew() {
	type config struct {
		URL   string
		Token secret.String
	}
	c := config{URL: "https://api.example.com", Token: secret.New("pmk_live_abc123")}
	fmt.Printf("%v\n%+v\n%#v\n", c, c, c.Token)
	fmt.Println(len(c.Token.Reveal()), c.Token.Equal("pmk_live_abc123"))
	// Output:
	// {https://api.example.com [REDACTED]}
	// {URL:https://api.example.com Token:[REDACTED]}
	// secret.String("[REDACTED]")
	// 15 true
}

// RedactJSON removes a credential a server echoed back, also where JSON escapes spell it.
func ExampleString_RedactJSON() {
	key := secret.New("pmk_live_abc123")
	body := []byte(`{"error":{"message":"invalid key \u0070mk_live_abc123","param":"pmk_live_abc123"}}`)
	fmt.Println(string(key.RedactJSON(body)))
	// Output:
	// {"error":{"message":"invalid key [REDACTED]","param":"[REDACTED]"}}
}

// NewHandler keeps credentials out of every attribute of every record.
func ExampleNewHandler() {
	key := secret.New("pmk_live_abc123")
	h := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}})
	log := slog.New(secret.NewHandler(h, key))
	log.Info("request failed", "error", fmt.Errorf("server said: bad key pmk_live_abc123"))
	// Output:
	// level=INFO msg="request failed" error="server said: bad key [REDACTED]"
}
